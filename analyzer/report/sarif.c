/*
 * sarif.c - findings as SARIF 2.1.0 for GitHub code scanning and other
 * SARIF consumers. The rule catalogue becomes tool.driver.rules; every
 * finding becomes one result pointing at its evidence in the snapshot.
 * Checked with Microsoft's SARIF validator (tests/report_checks.sh) and
 * kept to GitHub's upload rules: every result has a ruleId, a level among
 * error, warning and note, and at least one location with a uri.
 */
#include <cJSON.h>
#include <string.h>

#include "../planner/planner.h"
#include "report.h"

/* Where a reader of a SARIF log learns about the tool. */
#define SKEWPLAN_HOME "https://github.com/skewplan/skewplan"
#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define FINGERPRINT_KEY "skewplanFinding/v1"

static const char *
level_of(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* Adds item to obj under key; false (item freed) if either is NULL. */
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
	if (!arr || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

/* A JSON string of s with invalid UTF-8 repaired. */
static cJSON *
str(const char *s)
{
	struct buf b = BUF_INIT;
	cJSON *j;

	report_add_utf8(&b, s, strlen(s));
	j = b.oom ? NULL : cJSON_CreateString(buf_cstr(&b));
	buf_release(&b);
	return j;
}

/* A SARIF message text: a sentence, so it ends with a full stop. */
static cJSON *
sentence(const char *s)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(s);
	cJSON *j;

	report_add_utf8(&b, s, n);
	if (n == 0 || !strchr(".!?", s[n - 1]))
		buf_addc(&b, '.');
	j = b.oom ? NULL : cJSON_CreateString(buf_cstr(&b));
	buf_release(&b);
	return j;
}

/* {"text": s} as a sentence. */
static cJSON *
message(const char *s)
{
	cJSON *o = cJSON_CreateObject();

	if (!add(o, "text", sentence(s))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
date_str(long days)
{
	char s[11];

	if (days == RULES_NO_DATE)
		return cJSON_CreateNull();
	date_format(days, s);
	return cJSON_CreateString(s);
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
	     add(o, "id", str(r->id)) && add(o, "name", pascal(r->id)) &&
	     add(o, "shortDescription", message(r->title)) &&
	     add(o, "fullDescription", message(buf_cstr(&full)));
	if (ok) {
		cJSON *h = cJSON_CreateObject();

		ok = add(o, "help", h) && add(h, "text", str(buf_cstr(&help))) &&
		     add(h, "markdown", str(buf_cstr(&md)));
	}
	if (ok && r->nreferences)
		ok = add(o, "helpUri", str(r->references[0]));
	ok = ok && add(o, "defaultConfiguration", conf = cJSON_CreateObject()) &&
	     add(conf, "level", cJSON_CreateString(level_of(r->severity))) &&
	     add(o, "properties", props = cJSON_CreateObject()) &&
	     add(props, "tags", tags = cJSON_CreateArray()) &&
	     push(tags, str(r->family ? r->family : "skewplan")) &&
	     push(tags, cJSON_CreateString("kubernetes"));
	buf_release(&help);
	buf_release(&md);
	buf_release(&full);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
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
	ok = add(o, "physicalLocation", phys = cJSON_CreateObject()) &&
	     add(phys, "artifactLocation", art = cJSON_CreateObject()) &&
	     add(art, "uri", str(uri_of(in, loc.path)));
	/* A whole-file location is its first line (SARIF2017). */
	if (ok) {
		ok = add(phys, "region", region = cJSON_CreateObject()) &&
		     add(region, "startLine",
			 cJSON_CreateNumber(loc.line ? loc.line : 1));
		if (ok && loc.col > 0)
			ok = add(region, "startColumn",
				 cJSON_CreateNumber(loc.col));
	}
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
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
	if (!add(o, FINGERPRINT_KEY, cJSON_CreateString(hex))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
suppression(const struct finding *f)
{
	struct buf b = BUF_INIT;
	char date[11];
	cJSON *arr, *o;
	bool ok;

	date_format(f->waiver->expires, date);
	buf_adds(&b, f->waiver->reason);
	buf_addf(&b, " (waiver by %s, until %s)", f->waiver->owner, date);
	arr = cJSON_CreateArray();
	ok = !b.oom && push(arr, o = cJSON_CreateObject()) &&
	     add(o, "kind", cJSON_CreateString("external")) &&
	     add(o, "status", cJSON_CreateString("accepted")) &&
	     add(o, "justification", str(buf_cstr(&b)));
	buf_release(&b);
	if (!ok) {
		cJSON_Delete(arr);
		return NULL;
	}
	return arr;
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
	ok = add(o, "ruleId", str(f->rule->id));
	if (ok && idx >= 0)
		ok = add(o, "ruleIndex", cJSON_CreateNumber((double)idx));
	ok = ok && add(o, "level", cJSON_CreateString(level_of(f->severity))) &&
	     add(o, "message", message(f->message)) &&
	     add(o, "locations", locs = cJSON_CreateArray());
	for (i = 0; ok && i < f->nevidence; i++)
		ok = push(locs, location(in, f->evidence[i]));
	if (ok && f->nevidence == 0 && (first = first_snapshot(in))) {
		struct src_loc whole = {first, 0, 0};

		ok = push(locs, location(in, whole));
	}
	ok = ok && add(o, "partialFingerprints", fingerprint(in, f));
	if (ok && f->suppressed && f->waiver)
		ok = add(o, "suppressions", suppression(f));
	ok = ok && add(o, "properties", props = cJSON_CreateObject()) &&
	     add(props, "subject", str(f->subject)) &&
	     add(props, "remediation", str(f->remediation));
	if (ok && f->waiver_expired)
		ok = add(props, "waiverExpired", cJSON_CreateTrue());
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
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
		ok = push(arr, o = cJSON_CreateObject()) &&
		     add(o, "location", loc = cJSON_CreateObject()) &&
		     add(loc, "uri", str(a->uri));
		if (ok && a->sha256[0])
			ok = add(o, "hashes", hashes = cJSON_CreateObject()) &&
			     add(hashes, "sha-256", cJSON_CreateString(a->sha256));
	}
	if (!ok) {
		cJSON_Delete(arr);
		return NULL;
	}
	return arr;
}

int
report_sarif(struct buf *out, const struct report_input *in)
{
	cJSON *root, *runs, *run, *tool, *driver, *rules, *results, *props;
	cJSON *auto_, *inv;
	struct buf id = BUF_INIT;
	char *text;
	size_t i;
	bool ok;

	buf_addf(&id, "skewplan/%s/", in->command);
	root = cJSON_CreateObject();
	ok = !id.oom && add(root, "$schema", cJSON_CreateString(SARIF_SCHEMA)) &&
	     add(root, "version", cJSON_CreateString("2.1.0")) &&
	     add(root, "runs", runs = cJSON_CreateArray()) &&
	     push(runs, run = cJSON_CreateObject()) &&
	     add(run, "tool", tool = cJSON_CreateObject()) &&
	     add(tool, "driver", driver = cJSON_CreateObject()) &&
	     add(driver, "name", cJSON_CreateString("skewplan")) &&
	     add(driver, "version", cJSON_CreateString(SKEWPLAN_VERSION)) &&
	     add(driver, "semanticVersion",
		 cJSON_CreateString(SKEWPLAN_VERSION)) &&
	     add(driver, "informationUri", cJSON_CreateString(SKEWPLAN_HOME)) &&
	     add(driver, "rules", rules = cJSON_CreateArray());
	for (i = 0; ok && i < in->db->rules.n; i++)
		ok = push(rules, rule_json(&in->db->rules.v[i]));
	ok = ok && add(run, "automationDetails", auto_ = cJSON_CreateObject()) &&
	     add(auto_, "id", cJSON_CreateString(buf_cstr(&id))) &&
	     add(run, "invocations", inv = cJSON_CreateArray()) &&
	     push(inv, auto_ = cJSON_CreateObject()) &&
	     add(auto_, "executionSuccessful", cJSON_CreateTrue()) &&
	     add(run, "artifacts", artifacts_json(in)) &&
	     add(run, "results", results = cJSON_CreateArray());
	for (i = 0; ok && i < in->findings->n; i++)
		ok = push(results, result_json(in, &in->findings->v[i]));
	ok = ok && add(run, "columnKind",
		       cJSON_CreateString("unicodeCodePoints")) &&
	     add(run, "properties", props = cJSON_CreateObject()) &&
	     add(props, "command", cJSON_CreateString(in->command)) &&
	     add(props, "asOf", date_str(in->as_of)) &&
	     add(props, "rulesDataAsOf", date_str(in->db->compiled));
	if (ok && in->plan)
		ok = add(props, "planRefused", cJSON_CreateBool(in->plan->refused));
	buf_release(&id);
	text = ok ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!text)
		return -1;
	buf_adds(out, text);
	buf_addc(out, '\n');
	cJSON_free(text);
	return out->oom ? -1 : 0;
}
