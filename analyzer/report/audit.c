/*
 * audit.c - `skewplan audit` as a text report for a reviewer and as the
 * JSON contract of the README for CI; and the `skewplan rules` listing.
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define WRAP 78

static void
loc_text(struct buf *b, struct src_loc loc)
{
	if (!loc.path)
		buf_adds(b, "-");
	else if (loc.line == 0)
		buf_adds(b, loc.path);
	else
		buf_addf(b, "%s:%u:%u", loc.path, (unsigned)loc.line,
			 (unsigned)(loc.col ? loc.col : 1));
}

static void
date_text(struct buf *b, long days)
{
	char s[11];

	if (days == RULES_NO_DATE) {
		buf_adds(b, "unknown");
		return;
	}
	date_format(days, s);
	buf_adds(b, s);
}

/* Appends text wrapped at WRAP columns; later lines start at indent. */
static void
wrap(struct buf *b, const char *text, size_t col, size_t indent)
{
	const char *s = text, *e;
	size_t n;
	bool first = true;

	while (*s) {
		while (*s == ' ' || *s == '\n')
			s++;
		if (!*s)
			break;
		e = s + strcspn(s, " \n");
		n = (size_t)(e - s);
		if (!first && col + 1 + n > WRAP) {
			buf_addf(b, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			buf_addc(b, ' ');
			col++;
		}
		esc_display(b, s, n);
		col += n;
		first = false;
		s = e;
	}
	buf_addc(b, '\n');
}

static const char *
ver_text(const struct version_info *vi)
{
	return vi->present ? vi->ver.text : NULL;
}

static void
finding_text(struct buf *b, const struct finding *f)
{
	size_t i;

	buf_addf(b, "  %s [%s] ", rules_severity_name(f->severity),
		 f->rule->id);
	wrap(b, f->message, 5 + strlen(rules_severity_name(f->severity)) +
				    strlen(f->rule->id),
	     4);
	buf_adds(b, "    subject:   ");
	esc_display(b, f->subject, strlen(f->subject));
	buf_addc(b, '\n');
	for (i = 0; i < f->nevidence; i++) {
		buf_adds(b, i ? "               " : "    evidence:  ");
		loc_text(b, f->evidence[i]);
		buf_addc(b, '\n');
	}
	if (f->nevidence == 0)
		buf_adds(b, "    evidence:  (none: the input is absent)\n");
	buf_adds(b, "    fix:       ");
	wrap(b, f->remediation, 15, 15);
	for (i = 0; i < f->rule->nreferences; i++)
		buf_addf(b, "    %-11s%s\n", i ? "" : "reference:",
			 f->rule->references[i]);
	if (f->waiver) {
		size_t start = b->len;

		buf_addf(b, "    waiver:    %s, %s ", f->waiver->owner,
			 f->waiver_expired ? "expired" : "until");
		date_text(b, f->waiver->expires);
		buf_adds(b, ": ");
		wrap(b, f->waiver->reason, b->len - start, 15);
	}
	buf_addc(b, '\n');
}

int
report_audit_text(struct buf *out, const struct rules_db *db,
		  const struct cluster_state *cs, const struct findings *f,
		  long as_of)
{
	static const char *const heads[] = {"Errors", "Warnings", "Info"};
	size_t counts[3] = {0, 0, 0}, suppressed = 0, i;
	int sev;

	for (i = 0; i < f->n; i++) {
		if (f->v[i].suppressed)
			suppressed++;
		else
			counts[f->v[i].severity]++;
	}
	buf_addf(out, "skewplan %s audit\n  as of:       ", SKEWPLAN_VERSION);
	date_text(out, as_of);
	buf_adds(out, "\n  rules data:  compiled ");
	date_text(out, db->compiled);
	if (db->dir)
		buf_addf(out, ", from %s", db->dir);
	buf_addf(out, "\n  cluster:     server %s, kubectl %s, %zu node%s, "
		 "%zu image%s, %zu package row%s\n\n",
		 ver_text(&cs->server) ? ver_text(&cs->server) : "(not captured)",
		 ver_text(&cs->client) ? ver_text(&cs->client) : "(not captured)",
		 cs->nodes.n, cs->nodes.n == 1 ? "" : "s", cs->images.n,
		 cs->images.n == 1 ? "" : "s", cs->packages.n,
		 cs->packages.n == 1 ? "" : "s");
	if (f->n == 0)
		buf_adds(out, "No findings.\n\n");
	for (sev = SEV_ERROR; sev <= SEV_INFO; sev++) {
		if (!counts[sev])
			continue;
		buf_addf(out, "%s (%zu)\n\n", heads[sev], counts[sev]);
		for (i = 0; i < f->n; i++)
			if (!f->v[i].suppressed &&
			    f->v[i].severity == (enum severity)sev)
				finding_text(out, &f->v[i]);
	}
	if (suppressed) {
		buf_addf(out, "Suppressed by waivers (%zu)\n\n", suppressed);
		for (i = 0; i < f->n; i++)
			if (f->v[i].suppressed)
				finding_text(out, &f->v[i]);
	}
	buf_addf(out, "Summary: %zu error%s, %zu warning%s, %zu info, "
		 "%zu suppressed\n", counts[0], counts[0] == 1 ? "" : "s",
		 counts[1], counts[1] == 1 ? "" : "s", counts[2], suppressed);
	return out->oom ? -1 : 0;
}

/* ---------------------------------------------------------- JSON */

static cJSON *
str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *
date_json(long days)
{
	char s[11];

	if (days == RULES_NO_DATE)
		return cJSON_CreateNull();
	date_format(days, s);
	return cJSON_CreateString(s);
}

static cJSON *
loc_json(struct src_loc loc)
{
	struct buf b = BUF_INIT;
	cJSON *j;

	loc_text(&b, loc);
	j = b.oom ? NULL : cJSON_CreateString(buf_cstr(&b));
	buf_release(&b);
	return j;
}

/* Adds item to obj; false (and item freed) when either is NULL. */
static bool
add(cJSON *obj, const char *key, cJSON *item)
{
	if (!item)
		return false;
	if (!obj || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

static bool
push(cJSON *arr, cJSON *item)
{
	if (!item)
		return false;
	if (!cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

static cJSON *
waiver_json(const struct finding *f)
{
	const struct waiver *w = f->waiver;
	cJSON *o;
	bool ok;

	if (!w)
		return cJSON_CreateNull();
	if (!(o = cJSON_CreateObject()))
		return NULL;
	ok = add(o, "rule", cJSON_CreateString(w->rule)) &&
	     add(o, "subject", cJSON_CreateString(w->subject)) &&
	     add(o, "reason", cJSON_CreateString(w->reason)) &&
	     add(o, "owner", cJSON_CreateString(w->owner)) &&
	     add(o, "expires", date_json(w->expires)) &&
	     add(o, "expired", cJSON_CreateBool(f->waiver_expired)) &&
	     add(o, "source", loc_json(w->loc));
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
finding_json(const struct finding *f)
{
	cJSON *o, *ev, *refs;
	size_t i;
	bool ok;

	if (!(o = cJSON_CreateObject()))
		return NULL;
	ok = add(o, "rule", cJSON_CreateString(f->rule->id)) &&
	     add(o, "severity",
		 cJSON_CreateString(rules_severity_name(f->severity))) &&
	     add(o, "subject", cJSON_CreateString(f->subject)) &&
	     add(o, "message", cJSON_CreateString(f->message)) &&
	     add(o, "evidence", ev = cJSON_CreateArray());
	for (i = 0; ok && i < f->nevidence; i++)
		ok = push(ev, loc_json(f->evidence[i]));
	ok = ok && add(o, "remediation", cJSON_CreateString(f->remediation)) &&
	     add(o, "references", refs = cJSON_CreateArray());
	for (i = 0; ok && i < f->rule->nreferences; i++)
		ok = push(refs, cJSON_CreateString(f->rule->references[i]));
	ok = ok && add(o, "suppressed", cJSON_CreateBool(f->suppressed)) &&
	     add(o, "waiver", waiver_json(f));
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
cluster_json(const struct cluster_state *cs)
{
	cJSON *o;
	bool ok;

	if (!(o = cJSON_CreateObject()))
		return NULL;
	ok = add(o, "server", str_or_null(ver_text(&cs->server))) &&
	     add(o, "client", str_or_null(ver_text(&cs->client))) &&
	     add(o, "kubeadm", str_or_null(ver_text(&cs->kubeadm))) &&
	     add(o, "nodes", cJSON_CreateNumber((double)cs->nodes.n)) &&
	     add(o, "images", cJSON_CreateNumber((double)cs->images.n)) &&
	     add(o, "packages", cJSON_CreateNumber((double)cs->packages.n));
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int
report_audit_json(struct buf *out, const struct rules_db *db,
		  const struct cluster_state *cs, const struct findings *f,
		  long as_of)
{
	size_t counts[3] = {0, 0, 0}, suppressed = 0, i;
	cJSON *root, *arr, *sum;
	char *text;
	bool ok;

	for (i = 0; i < f->n; i++) {
		if (f->v[i].suppressed)
			suppressed++;
		else
			counts[f->v[i].severity]++;
	}
	if (!(root = cJSON_CreateObject()))
		return -1;
	ok = add(root, "skewplanVersion", cJSON_CreateString(SKEWPLAN_VERSION)) &&
	     add(root, "asOf", date_json(as_of)) &&
	     add(root, "rulesDataAsOf", date_json(db->compiled)) &&
	     add(root, "cluster", cluster_json(cs)) &&
	     add(root, "findings", arr = cJSON_CreateArray());
	for (i = 0; ok && i < f->n; i++)
		ok = push(arr, finding_json(&f->v[i]));
	ok = ok && add(root, "summary", sum = cJSON_CreateObject()) &&
	     add(sum, "error", cJSON_CreateNumber((double)counts[0])) &&
	     add(sum, "warning", cJSON_CreateNumber((double)counts[1])) &&
	     add(sum, "info", cJSON_CreateNumber((double)counts[2])) &&
	     add(sum, "suppressed", cJSON_CreateNumber((double)suppressed));
	text = ok ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!text)
		return -1;
	buf_adds(out, text);
	buf_addc(out, '\n');
	cJSON_free(text);
	return out->oom ? -1 : 0;
}

int
report_rules_text(struct buf *out, const struct rules_db *db)
{
	size_t i, w = 2;

	for (i = 0; i < db->rules.n; i++)
		if (strlen(db->rules.v[i].id) > w)
			w = strlen(db->rules.v[i].id);
	buf_addf(out, "%-*s  %-8s  %s\n", (int)w, "ID", "SEVERITY", "TITLE");
	for (i = 0; i < db->rules.n; i++)
		buf_addf(out, "%-*s  %-8s  %s\n", (int)w, db->rules.v[i].id,
			 rules_severity_name(db->rules.v[i].severity),
			 db->rules.v[i].title);
	return out->oom ? -1 : 0;
}
