/*
 * audit.c - `skewplan audit` as a text report for a reviewer and as the
 * JSON contract of the README for CI; and the `skewplan rules` listing.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define WRAP 78

/*
 * Appends text wrapped at WRAP columns; later lines start at indent. The
 * words are split at the characters of seps: " \n" for text whose lines
 * are only line breaks (remediation, from the rules data), " " for a
 * message or a waiver's reason, where a newline shows as \x0a.
 */
static void
wrap(struct buf *b, const char *text, const char *seps, size_t col,
     size_t indent)
{
	struct buf word = BUF_INIT;
	const char *s = text, *e;
	bool first = true;

	while (*s) {
		s += strspn(s, seps);
		if (!*s)
			break;
		e = s + strcspn(s, seps);
		buf_reset(&word);
		esc_display(&word, s, (size_t)(e - s));
		if (!first && col + 1 + word.len > WRAP) {
			buf_addf(b, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			buf_addc(b, ' ');
			col++;
		}
		buf_add(b, buf_cstr(&word), word.len);
		col += word.len;
		first = false;
		s = e;
	}
	if (word.oom)
		b->oom = true;
	buf_release(&word);
	buf_addc(b, '\n');
}

static void
add_esc(struct buf *b, const char *s)
{
	esc_display(b, s, strlen(s));
}

static void
finding_text(struct buf *b, const struct finding *f)
{
	size_t i;

	buf_addf(b, "  %s [%s] ", rules_severity_name(f->severity),
		 f->rule->id);
	wrap(b, f->message, " ",
	     5 + strlen(rules_severity_name(f->severity)) +
		     strlen(f->rule->id),
	     4);
	buf_adds(b, "    subject:   ");
	esc_display(b, f->subject, strlen(f->subject));
	buf_addc(b, '\n');
	report_add_evidence(b, f, "    evidence:  ", "\n               ",
			    "    evidence:  (none: the input is absent)",
			    report_add_loc_text);
	buf_addc(b, '\n');
	if (f->baseline != BASELINE_NONE)
		buf_addf(b, "    baseline:  %s\n", report_baseline_name(f));
	if (f->baseline == BASELINE_ABSENT) {
		buf_addc(b, '\n');
		return;
	}
	buf_adds(b, "    fix:       ");
	wrap(b, f->remediation, " \n", 15, 15);
	for (i = 0; i < f->rule->nreferences; i++) {
		buf_addf(b, "    %-11s", i ? "" : "reference:");
		esc_display(b, f->rule->references[i],
			    strlen(f->rule->references[i]));
		buf_addc(b, '\n');
	}
	if (f->waiver) {
		size_t start = b->len;

		buf_adds(b, "    waiver:    ");
		esc_display(b, f->waiver->owner, strlen(f->waiver->owner));
		buf_addf(b, ", %s ", f->waiver_expired ? "expired" : "until");
		report_add_date(b, f->waiver->expires);
		buf_adds(b, ": ");
		wrap(b, f->waiver->reason, " ", b->len - start, 15);
	}
	buf_addc(b, '\n');
}

/* The baseline counts of in: new, unchanged (unwaived or not), absent. */
static void
baseline_counts(const struct report_input *in, size_t n[3])
{
	size_t i;

	n[0] = n[1] = 0;
	n[2] = in->absent ? in->absent->n : 0;
	for (i = 0; i < in->findings->n; i++)
		if (in->findings->v[i].baseline == BASELINE_NEW)
			n[0]++;
		else if (in->findings->v[i].baseline == BASELINE_UNCHANGED)
			n[1]++;
}

static int
audit_text(struct buf *out, const struct rules_db *db,
	   const struct cluster_state *cs, const struct findings *f,
	   long as_of, const struct report_input *in)
{
	static const struct report_groups groups = {
		"No findings.\n\n", "", "\n\n", "", "\n\n", "", finding_text,
	};
	struct report_counts c;
	size_t i, bl[3];

	report_count(f, &c);
	buf_addf(out, "skewplan %s audit\n  as of:       ", SKEWPLAN_VERSION);
	report_add_date(out, as_of);
	buf_adds(out, "\n  rules data:  compiled ");
	report_add_date(out, db->compiled);
	if (db->dir) {
		buf_adds(out, ", from ");
		report_add_rules_dir(out, db->dir, db->origin);
	}
	if (in && in->baseline) {
		buf_adds(out, "\n  baseline:    ");
		esc_display(out, in->baseline, strlen(in->baseline));
	}
	buf_adds(out, "\n  cluster:     server ");
	add_esc(out, report_ver_text(&cs->server, "(not captured)"));
	buf_adds(out, ", kubectl ");
	add_esc(out, report_ver_text(&cs->client, "(not captured)"));
	buf_adds(out, ", ");
	report_add_inventory(out, cs);
	buf_adds(out, "\n\n");
	report_add_groups(out, f, &groups);
	if (in && in->baseline && in->absent->n) {
		buf_addf(out, "Absent since the baseline (%zu)\n\n",
			 in->absent->n);
		for (i = 0; i < in->absent->n; i++)
			finding_text(out, &in->absent->v[i]);
	}
	buf_addf(out, "Summary: %zu error%s, %zu warning%s, %zu info, "
		 "%zu suppressed", c.sev[SEV_ERROR],
		 c.sev[SEV_ERROR] == 1 ? "" : "s", c.sev[SEV_WARNING],
		 c.sev[SEV_WARNING] == 1 ? "" : "s", c.sev[SEV_INFO],
		 c.suppressed);
	if (in && in->baseline) {
		baseline_counts(in, bl);
		buf_addf(out, "; against the baseline %zu new, %zu unchanged, "
			 "%zu absent", bl[0], bl[1], bl[2]);
	}
	buf_addc(out, '\n');
	return out->oom ? -1 : 0;
}

int
report_audit_text(struct buf *out, const struct rules_db *db,
		  const struct cluster_state *cs, const struct findings *f,
		  long as_of)
{
	return audit_text(out, db, cs, f, as_of, NULL);
}

int
report_audit_text_input(struct buf *out, const struct report_input *in)
{
	return audit_text(out, in->db, in->cs, in->findings, in->as_of, in);
}

/* ---------------------------------------------------------- JSON */

static cJSON *
loc_json(struct src_loc loc)
{
	struct buf b = BUF_INIT;

	report_add_loc(&b, loc);
	return report_jtake(&b);
}

static cJSON *
waiver_json(const struct finding *f)
{
	const struct waiver *w = f->waiver;
	cJSON *o;

	if (!w)
		return cJSON_CreateNull();
	if (!(o = cJSON_CreateObject()))
		return NULL;
	return report_jdone(o,
	    report_jadd(o, "rule", report_jstr(w->rule)) &&
	    report_jadd(o, "subject", report_jstr(w->subject)) &&
	    report_jadd(o, "reason", report_jstr(w->reason)) &&
	    report_jadd(o, "owner", report_jstr(w->owner)) &&
	    report_jadd(o, "expires", report_jdate(w->expires)) &&
	    report_jadd(o, "expired", cJSON_CreateBool(f->waiver_expired)) &&
	    report_jadd(o, "source", loc_json(w->loc)));
}

static cJSON *
finding_json(const struct finding *f, const char *fingerprint)
{
	const char *sev = rules_severity_name(f->severity);
	cJSON *o, *ev, *refs;
	size_t i;
	bool ok;

	if (!(o = cJSON_CreateObject()))
		return NULL;
	ok = report_jadd(o, "rule", report_jstr(f->rule->id)) &&
	     report_jadd(o, "severity", cJSON_CreateString(sev)) &&
	     report_jadd(o, "subject", report_jstr(f->subject)) &&
	     report_jadd(o, "message", report_jstr(f->message)) &&
	     report_jadd(o, "evidence", ev = cJSON_CreateArray());
	for (i = 0; ok && i < f->nevidence; i++)
		ok = report_jpush(ev, loc_json(f->evidence[i]));
	ok = ok && report_jadd(o, "remediation",
			       report_jstr(f->remediation)) &&
	     report_jadd(o, "references", refs = cJSON_CreateArray());
	for (i = 0; ok && i < f->rule->nreferences; i++)
		ok = report_jpush(refs,
				  report_jstr(f->rule->references[i]));
	ok = ok && report_jadd(o, "suppressed",
			       cJSON_CreateBool(f->suppressed)) &&
	     report_jadd(o, "waiver", waiver_json(f)) &&
	     report_jadd(o, "fingerprint", cJSON_CreateString(fingerprint));
	if (ok && f->baseline != BASELINE_NONE)
		ok = report_jadd(o, "baselineState",
				 cJSON_CreateString(report_baseline_name(f)));
	return report_jdone(o, ok);
}

static cJSON *
count_json(size_t n)
{
	return cJSON_CreateNumber((double)n);
}

static cJSON *
version_json(const struct version_info *vi)
{
	return report_jstr(report_ver_text(vi, NULL));
}

static cJSON *
cluster_json(const struct cluster_state *cs)
{
	cJSON *o;

	if (!(o = cJSON_CreateObject()))
		return NULL;
	return report_jdone(o,
	    report_jadd(o, "server", version_json(&cs->server)) &&
	    report_jadd(o, "client", version_json(&cs->client)) &&
	    report_jadd(o, "kubeadm", version_json(&cs->kubeadm)) &&
	    report_jadd(o, "nodes", count_json(cs->nodes.n)) &&
	    report_jadd(o, "images", count_json(cs->images.n)) &&
	    report_jadd(o, "packages", count_json(cs->packages.n)));
}

/*
 * The document is written a finding at a time (report_jput) and flushed
 * between findings: 100,000 findings as one cJSON tree took a gigabyte.
 */
/* "absent": the baseline's findings this run does not have. */
static bool
absent_json(struct buf *out, const struct report_input *in)
{
	const struct findings *a = in->absent;
	size_t i, bl[3];
	cJSON *o;
	bool ok = true;

	report_jkey(out, 1, "absent");
	buf_addc(out, '[');
	for (i = 0; ok && i < a->n; i++) {
		if (i)
			buf_adds(out, ", ");
		ok = report_jput(out, finding_json(&a->v[i],
						   in->absent_fingerprints[i]),
				 2) == 0 &&
		     buf_flush(out) == 0;
	}
	buf_adds(out, "],\n");
	baseline_counts(in, bl);
	o = cJSON_CreateObject();
	ok = ok && report_jadd(o, "path", report_jstr(in->baseline)) &&
	     report_jadd(o, "new", count_json(bl[0])) &&
	     report_jadd(o, "unchanged", count_json(bl[1])) &&
	     report_jadd(o, "absent", count_json(bl[2]));
	if (!ok) {
		cJSON_Delete(o);
		return false;
	}
	return report_jmember(out, 1, "baseline", o, false) == 0;
}

static int
audit_json(struct buf *out, const struct rules_db *db,
	   const struct cluster_state *cs, const struct findings *f,
	   long as_of, const struct report_input *in)
{
	struct report_counts c;
	char (*hex)[65] = NULL;
	cJSON *sum;
	size_t i;
	bool ok;

	if (f->n && (!(hex = base_malloc(f->n * sizeof(*hex))) ||
		     report_fingerprints(f, hex) < 0)) {
		free(hex);
		return -1;
	}
	report_count(f, &c);
	buf_adds(out, "{\n");
	ok = report_jmember(out, 1, "skewplanVersion",
			    cJSON_CreateString(SKEWPLAN_VERSION), false) == 0 &&
	     report_jmember(out, 1, "asOf", report_jdate(as_of), false) == 0 &&
	     report_jmember(out, 1, "rulesDataAsOf",
			    report_jdate(db->compiled), false) == 0 &&
	     report_jmember(out, 1, "rulesDir", report_jstr(db->dir),
			    false) == 0 &&
	     report_jmember(out, 1, "rulesOrigin", report_jstr(db->origin),
			    false) == 0 &&
	     report_jmember(out, 1, "cluster", cluster_json(cs), false) == 0;
	report_jkey(out, 1, "findings");
	buf_addc(out, '[');
	for (i = 0; ok && i < f->n; i++) {
		if (i)
			buf_adds(out, ", ");
		ok = report_jput(out, finding_json(&f->v[i], hex[i]), 2) == 0 &&
		     buf_flush(out) == 0;
	}
	free(hex);
	buf_adds(out, "],\n");
	if (ok && in && in->baseline)
		ok = absent_json(out, in);
	sum = cJSON_CreateObject();
	ok = ok && report_jadd(sum, "error", count_json(c.sev[SEV_ERROR])) &&
	     report_jadd(sum, "warning", count_json(c.sev[SEV_WARNING])) &&
	     report_jadd(sum, "info", count_json(c.sev[SEV_INFO])) &&
	     report_jadd(sum, "suppressed", count_json(c.suppressed));
	if (!ok) {
		cJSON_Delete(sum);
		return -1;
	}
	ok = report_jmember(out, 1, "summary", sum, true) == 0;
	buf_adds(out, "}\n");
	return ok && !out->oom ? 0 : -1;
}

int
report_audit_json(struct buf *out, const struct rules_db *db,
		  const struct cluster_state *cs, const struct findings *f,
		  long as_of)
{
	return audit_json(out, db, cs, f, as_of, NULL);
}

int
report_audit_json_input(struct buf *out, const struct report_input *in)
{
	return audit_json(out, in->db, in->cs, in->findings, in->as_of, in);
}

int
report_rules_text(struct buf *out, const struct rules_db *db)
{
	size_t i, w = 2;

	for (i = 0; i < db->rules.n; i++)
		if (strlen(db->rules.v[i].id) > w)
			w = strlen(db->rules.v[i].id);
	buf_addf(out, "%-*s  %-8s  %s\n", (int)w, "ID", "SEVERITY", "TITLE");
	for (i = 0; i < db->rules.n; i++) {
		buf_addf(out, "%-*s  %-8s  ", (int)w, db->rules.v[i].id,
			 rules_severity_name(db->rules.v[i].severity));
		add_esc(out, db->rules.v[i].title);
		buf_addc(out, '\n');
	}
	return out->oom ? -1 : 0;
}
