/*
 * sarif.c - findings as SARIF 2.1.0 for GitHub code scanning and other
 * SARIF consumers. The rule catalogue becomes tool.driver.rules; every
 * finding becomes one result pointing at its evidence in the snapshot.
 * Checked with Microsoft's SARIF validator (tests/report_checks.sh) and
 * kept to GitHub's upload rules: every result has a ruleId, a level among
 * error, warning and note, and at least one location with a uri.
 */
#include <string.h>

#include "internal.h"

/* Where a reader of a SARIF log learns about the tool. */
#define SKEWPLAN_HOME "https://github.com/skewplan/skewplan"
#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define FINGERPRINT_KEY "skewplanFinding/v1"

static const char *
level_of(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* A JSON string of s with invalid UTF-8 repaired. */
static cJSON *
str(const char *s)
{
	struct buf b = BUF_INIT;

	report_add_utf8(&b, s, strlen(s));
	return report_jtake(&b);
}

/* A JSON string of s as a person reads it: esc_display(). */
static cJSON *
shown(const char *s)
{
	struct buf b = BUF_INIT;

	esc_display(&b, s, strlen(s));
	return report_jtake(&b);
}

/*
 * A SARIF message text: a sentence, so it ends with a full stop. Viewers
 * show it to a person, so unsafe characters, newlines included, are in
 * their visible form (esc_display), not only JSON-escaped.
 */
static cJSON *
sentence(const char *s)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(s);

	esc_text(&b, s, n, 0);
	if (n == 0 || !strchr(".!?", s[n - 1]))
		buf_addc(&b, '.');
	return report_jtake(&b);
}

/* {"text": s} as a sentence. */
static cJSON *
message(const char *s)
{
	cJSON *o = cJSON_CreateObject();

	return report_jdone(o, report_jadd(o, "text", sentence(s)));
}

/* "kubelet-too-old" -> "KubeletTooOld", SARIF's friendly rule name. */
static cJSON *
pascal(const char *id)
{
	struct buf b = BUF_INIT;
	bool up = true;
	cJSON *j;

	for (; *id; id++) {
		if (*id == '-' || *id == '_' || *id == '.') {
			up = true;
			continue;
		}
		buf_addc(&b, up && *id >= 'a' && *id <= 'z'
				     ? (char)(*id - 'a' + 'A') : *id);
		up = false;
	}
	j = b.oom ? NULL : str(buf_cstr(&b));
	buf_release(&b);
	return j;
}

static cJSON *
rule_json(const struct rule *r)
{
	struct buf help = BUF_INIT, md = BUF_INIT, full = BUF_INIT;
	cJSON *o, *conf, *props, *tags;
	size_t i;
	bool ok;

	buf_adds(&full, r->title);
	buf_adds(&full, ". ");
	buf_adds(&full, r->remediation);
	buf_adds(&help, r->remediation);
	buf_adds(&md, r->remediation);
	for (i = 0; i < r->nreferences; i++) {
		buf_addf(&help, "%s%s", i ? "\n" : "\n\nReferences:\n",
			 r->references[i]);
		buf_addf(&md, "%s- <%s>", i ? "\n" : "\n\nReferences:\n\n",
			 r->references[i]);
	}
	o = cJSON_CreateObject();
	ok = !help.oom && !md.oom && !full.oom &&
	     report_jadd(o, "id", str(r->id)) &&
	     report_jadd(o, "name", pascal(r->id)) &&
	     report_jadd(o, "shortDescription", message(r->title)) &&
	     report_jadd(o, "fullDescription", message(buf_cstr(&full)));
	if (ok) {
		cJSON *h = cJSON_CreateObject();

		ok = report_jadd(o, "help", h) &&
		     report_jadd(h, "text", str(buf_cstr(&help))) &&
		     report_jadd(h, "markdown", str(buf_cstr(&md)));
	}
	if (ok && r->nreferences)
		ok = report_jadd(o, "helpUri", str(r->references[0]));
	ok = ok &&
	     report_jadd(o, "defaultConfiguration",
			 conf = cJSON_CreateObject()) &&
	     report_jadd(conf, "level",
			 cJSON_CreateString(level_of(r->severity))) &&
	     report_jadd(o, "properties", props = cJSON_CreateObject()) &&
	     report_jadd(props, "tags", tags = cJSON_CreateArray()) &&
	     report_jpush(tags, str(r->family ? r->family : "skewplan")) &&
	     report_jpush(tags, cJSON_CreateString("kubernetes"));
	buf_release(&help);
	buf_release(&md);
	buf_release(&full);
	return report_jdone(o, ok);
}

/* The uri of path, from the artifacts cli/ resolved against --source-root. */
static const char *
uri_of(const struct report_input *in, const char *path)
{
	const struct report_artifact *a = report_artifact_of(in, path);

	return a ? a->uri : path;
}

static cJSON *
location(const struct report_input *in, struct src_loc loc)
{
	cJSON *o, *phys, *art, *region;
	bool ok;

	o = cJSON_CreateObject();
	ok = report_jadd(o, "physicalLocation", phys = cJSON_CreateObject()) &&
	     report_jadd(phys, "artifactLocation",
			 art = cJSON_CreateObject()) &&
	     report_jadd(art, "uri", str(uri_of(in, loc.path)));
	/* A whole-file location is its first line (SARIF2017). */
	if (ok) {
		ok = report_jadd(phys, "region",
				 region = cJSON_CreateObject()) &&
		     report_jadd(region, "startLine",
				 cJSON_CreateNumber(loc.line ? loc.line : 1));
		if (ok && loc.col > 0)
			ok = report_jadd(region, "startColumn",
					 cJSON_CreateNumber(loc.col));
	}
	return report_jdone(o, ok);
}

/* The first snapshot input: where a finding without evidence points. */
static const char *
first_snapshot(const struct report_input *in)
{
	size_t i;

	for (i = 0; i < in->nartifacts; i++)
		if (in->artifacts[i].snapshot)
			return in->artifacts[i].path;
	return NULL;
}

/*
 * A fingerprint stable across runs and machines: the rule, the subject and
 * the file of the first evidence (its uri, not the line, so that an edit
 * elsewhere in the capture does not make a new alert).
 */
static cJSON *
fingerprint(const struct report_input *in, const struct finding *f)
{
	struct sha256 h;
	char hex[65];
	const char *uri = f->nevidence && f->evidence[0].path
				  ? uri_of(in, f->evidence[0].path) : "";
	cJSON *o;

	sha256_init(&h);
	sha256_update(&h, f->rule->id, strlen(f->rule->id) + 1);
	sha256_update(&h, f->subject, strlen(f->subject) + 1);
	sha256_update(&h, uri, strlen(uri));
	sha256_final(&h, hex);
	o = cJSON_CreateObject();
	return report_jdone(o, report_jadd(o, FINGERPRINT_KEY,
					   cJSON_CreateString(hex)));
}

static cJSON *
suppression(const struct finding *f)
{
	struct buf b = BUF_INIT;
	cJSON *arr, *o;
	bool ok;

	buf_addf(&b, "%s (waiver by %s, until ", f->waiver->reason,
		 f->waiver->owner);
	report_add_date(&b, f->waiver->expires);
	buf_addc(&b, ')');
	arr = cJSON_CreateArray();
	ok = !b.oom && report_jpush(arr, o = cJSON_CreateObject()) &&
	     report_jadd(o, "kind", cJSON_CreateString("external")) &&
	     report_jadd(o, "status", cJSON_CreateString("accepted")) &&
	     report_jadd(o, "justification", shown(buf_cstr(&b)));
	buf_release(&b);
	return report_jdone(arr, ok);
}

static long
rule_index(const struct rules_db *db, const struct rule *r)
{
	size_t i;

	for (i = 0; i < db->rules.n; i++)
		if (&db->rules.v[i] == r || !strcmp(db->rules.v[i].id, r->id))
			return (long)i;
	return -1;
}

static cJSON *
result_json(const struct report_input *in, const struct finding *f)
{
	cJSON *o, *locs, *props;
	const char *first;
	long idx = rule_index(in->db, f->rule);
	size_t i;
	bool ok;

	o = cJSON_CreateObject();
	ok = report_jadd(o, "ruleId", str(f->rule->id));
	if (ok && idx >= 0)
		ok = report_jadd(o, "ruleIndex",
				 cJSON_CreateNumber((double)idx));
	ok = ok &&
	     report_jadd(o, "level",
			 cJSON_CreateString(level_of(f->severity))) &&
	     report_jadd(o, "message", message(f->message)) &&
	     report_jadd(o, "locations", locs = cJSON_CreateArray());
	for (i = 0; ok && i < f->nevidence; i++)
		ok = report_jpush(locs, location(in, f->evidence[i]));
	if (ok && f->nevidence == 0 && (first = first_snapshot(in))) {
		struct src_loc whole = {first, 0, 0};

		ok = report_jpush(locs, location(in, whole));
	}
	ok = ok && report_jadd(o, "partialFingerprints", fingerprint(in, f));
	if (ok && f->baseline != BASELINE_NONE)
		ok = report_jadd(o, "baselineState",
				 cJSON_CreateString(report_baseline_name(f)));
	if (ok && f->suppressed && f->waiver)
		ok = report_jadd(o, "suppressions", suppression(f));
	ok = ok &&
	     report_jadd(o, "properties", props = cJSON_CreateObject()) &&
	     report_jadd(props, "subject", str(f->subject)) &&
	     report_jadd(props, "remediation", str(f->remediation));
	if (ok && f->waiver_expired)
		ok = report_jadd(props, "waiverExpired", cJSON_CreateTrue());
	return report_jdone(o, ok);
}

static cJSON *
artifacts_json(const struct report_input *in)
{
	cJSON *arr = cJSON_CreateArray(), *o, *loc, *hashes;
	size_t i;
	bool ok = arr != NULL;

	for (i = 0; ok && i < in->nartifacts; i++) {
		const struct report_artifact *a = &in->artifacts[i];

		if (!a->snapshot)
			continue;
		ok = report_jpush(arr, o = cJSON_CreateObject()) &&
		     report_jadd(o, "location", loc = cJSON_CreateObject()) &&
		     report_jadd(loc, "uri", str(a->uri));
		if (ok && a->sha256[0])
			ok = report_jadd(o, "hashes",
					 hashes = cJSON_CreateObject()) &&
			     report_jadd(hashes, "sha-256",
					 cJSON_CreateString(a->sha256));
	}
	return report_jdone(arr, ok);
}

/* tool.driver with the rule catalogue. */
static cJSON *
tool_json(const struct report_input *in)
{
	cJSON *tool = cJSON_CreateObject(), *driver, *rules;
	size_t i;
	bool ok;

	ok = report_jadd(tool, "driver", driver = cJSON_CreateObject()) &&
	     report_jadd(driver, "name", cJSON_CreateString("skewplan")) &&
	     report_jadd(driver, "version",
			 cJSON_CreateString(SKEWPLAN_VERSION)) &&
	     report_jadd(driver, "semanticVersion",
			 cJSON_CreateString(SKEWPLAN_VERSION)) &&
	     report_jadd(driver, "informationUri",
			 cJSON_CreateString(SKEWPLAN_HOME)) &&
	     report_jadd(driver, "rules", rules = cJSON_CreateArray());
	for (i = 0; ok && i < in->db->rules.n; i++)
		ok = report_jpush(rules, rule_json(&in->db->rules.v[i]));
	return report_jdone(tool, ok);
}

static cJSON *
automation_json(const struct report_input *in)
{
	struct buf id = BUF_INIT;
	cJSON *o = cJSON_CreateObject();

	buf_addf(&id, "skewplan/%s/", in->command);
	return report_jdone(o, report_jadd(o, "id", report_jtake(&id)));
}

static cJSON *
invocations_json(void)
{
	cJSON *inv = cJSON_CreateArray(), *o;

	return report_jdone(inv,
	    report_jpush(inv, o = cJSON_CreateObject()) &&
	    report_jadd(o, "executionSuccessful", cJSON_CreateTrue()));
}

static cJSON *
run_properties_json(const struct report_input *in)
{
	cJSON *props = cJSON_CreateObject();
	bool ok;

	ok = report_jadd(props, "command", cJSON_CreateString(in->command)) &&
	     report_jadd(props, "asOf", report_jdate(in->as_of)) &&
	     report_jadd(props, "rulesDataAsOf",
			 report_jdate(in->db->compiled)) &&
	     report_jadd(props, "rulesDir", report_jstr(in->db->dir)) &&
	     report_jadd(props, "rulesOrigin", report_jstr(in->db->origin));
	if (ok && in->baseline)
		ok = report_jadd(props, "baseline", report_jstr(in->baseline));
	if (ok && in->plan)
		ok = report_jadd(props, "planRefused",
				 cJSON_CreateBool(in->plan->refused));
	return report_jdone(props, ok);
}

/*
 * The log is written by hand around its elements, one result at a time,
 * flushed between results: 100,000 findings as one cJSON tree took 1.5 GB.
 * The bytes are those of cJSON_Print over the whole tree (report_jput).
 */
int
report_sarif(struct buf *out, const struct report_input *in)
{
	size_t i;
	bool ok;

	buf_adds(out, "{\n");
	ok = report_jmember(out, 1, "$schema", cJSON_CreateString(SARIF_SCHEMA),
			    false) == 0 &&
	     report_jmember(out, 1, "version", cJSON_CreateString("2.1.0"),
			    false) == 0;
	/* runs: one run, an object at depth 2 whose members are at 3. */
	buf_adds(out, "\t\"runs\":\t[{\n");
	ok = ok && report_jmember(out, 3, "tool", tool_json(in), false) == 0 &&
	     report_jmember(out, 3, "automationDetails", automation_json(in),
			    false) == 0 &&
	     report_jmember(out, 3, "invocations", invocations_json(),
			    false) == 0 &&
	     report_jmember(out, 3, "artifacts", artifacts_json(in),
			    false) == 0;
	report_jkey(out, 3, "results");
	buf_addc(out, '[');
	for (i = 0; ok && i < in->findings->n; i++) {
		if (i)
			buf_adds(out, ", ");
		ok = report_jput(out, result_json(in, &in->findings->v[i]),
				 4) == 0 &&
		     buf_flush(out) == 0;
	}
	/* SARIF 3.27.24: a result of the baseline gone from this run. */
	for (i = 0; ok && in->absent && i < in->absent->n; i++) {
		if (i || in->findings->n)
			buf_adds(out, ", ");
		ok = report_jput(out, result_json(in, &in->absent->v[i]),
				 4) == 0 &&
		     buf_flush(out) == 0;
	}
	buf_adds(out, "],\n");
	ok = ok &&
	     report_jmember(out, 3, "columnKind",
			    cJSON_CreateString("unicodeCodePoints"),
			    false) == 0 &&
	     report_jmember(out, 3, "properties", run_properties_json(in),
			    true) == 0;
	buf_adds(out, "\t\t}]\n}\n");
	return ok && !out->oom ? 0 : -1;
}
