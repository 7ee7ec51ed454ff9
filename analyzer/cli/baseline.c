/*
 * baseline.c - `audit --baseline PREVIOUS.json`: each finding of this run
 * is new or unchanged against the findings of an earlier `audit -f json`
 * report, and the earlier findings this run no longer has are absent.
 * Findings match by fingerprint (report_fingerprints: rule, subject and
 * rank), recomputed from the earlier report's rule and subject, so a
 * report written before fingerprints existed works too.
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/rules.h"
#include "internal.h"

/* A JSON report of 100,000 findings is about 100 MB. */
#define BASELINE_LIMIT (1024UL * 1024 * 1024)

/* The 1-based line and column of offset off in text. */
static struct src_loc
loc_at(const char *path, const char *text, size_t off)
{
	struct src_loc loc = {path, 1, 1};
	size_t i;

	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			loc.line++;
			loc.col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			loc.col++;
		}
	}
	return loc;
}

static const char *
jstring(const cJSON *o, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(j) ? j->valuestring : NULL;
}

/* "path:line:col", "path:line" or "path" (report_add_loc) into loc. */
static int
parse_loc(struct arena *a, const char *s, struct src_loc *loc)
{
	const char *end = s + strlen(s), *p = end, *colon[2] = {NULL, NULL};
	unsigned long v[2] = {0, 0};
	int k;
	char *e;

	for (k = 0; k < 2; k++) {
		while (p > s && p[-1] >= '0' && p[-1] <= '9')
			p--;
		if (p == s || p[-1] != ':' || p == end ||
		    (k == 1 && p == colon[0]))
			break;
		colon[k] = p - 1;
		end = p - 1;
		p = end;
	}
	memset(loc, 0, sizeof(*loc));
	for (k = 0; k < 2 && colon[k]; k++)
		v[k] = strtoul(colon[k] + 1, &e, 10);
	if (colon[1]) {
		loc->line = (uint32_t)(v[1] > 0xffffffffUL ? 0 : v[1]);
		loc->col = (uint32_t)(v[0] > 0xffffffffUL ? 0 : v[0]);
	} else if (colon[0]) {
		loc->line = (uint32_t)(v[0] > 0xffffffffUL ? 0 : v[0]);
	}
	loc->path = arena_strndup(a, s, (size_t)((colon[1] ? colon[1]
					: colon[0] ? colon[0]
						   : s + strlen(s)) - s));
	return loc->path ? 0 : -1;
}

/*
 * A rule the current rules data does not know any more (renamed, dropped):
 * the baseline's finding still needs one to be shown as absent.
 */
static const struct rule *
stub_rule(struct arena *a, const char *id, enum severity sev)
{
	struct rule *r = arena_alloc(a, sizeof(*r));

	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->id = arena_strdup(a, id);
	r->title = r->id;
	r->message = r->remediation = "";
	r->severity = sev;
	r->days = r->minors = r->months = -1;
	return r->id ? r : NULL;
}

static int
severity_of(const char *s, enum severity *sev)
{
	static const char *const names[] = {"error", "warning", "info"};
	int i;

	for (i = 0; s && i < 3; i++)
		if (!strcmp(s, names[i])) {
			*sev = (enum severity)i;
			return 0;
		}
	return -1;
}

/* Skips the JSON string at s[*i] (a '"'), leaving *i on its closing quote. */
static void
skip_string(const char *s, size_t len, size_t *i)
{
	for (++*i; *i < len && s[*i] != '"'; ++*i)
		if (s[*i] == '\\')
			++*i;
}

/*
 * The offset of element idx of the top-level "findings" array in text, a
 * document cJSON has parsed (so well-formed), or 0: where a bad finding is
 * reported, since cJSON keeps no positions.
 */
static size_t
finding_offset(const char *s, size_t len, size_t idx)
{
	size_t i, k, start, depth = 0, in = 0, n = 0;
	bool expect = false, key_findings = false;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':')
			continue;
		if (in && depth == in && expect && c != ']' && c != ',') {
			if (n++ == idx)
				return i;
			expect = false;
		}
		if (c == '"') {
			start = i;
			skip_string(s, len, &i);
			for (k = i + 1; k < len && strchr(" \t\r\n", s[k]); k++)
				;
			if (depth == 1 && k < len && s[k] == ':')
				key_findings = i - start == 9 &&
					       !memcmp(s + start, "\"findings", 9);
		} else if (c == '{' || c == '[') {
			depth++;
			if (c == '[' && depth == 2 && !in && key_findings) {
				in = depth;
				expect = true;
			}
		} else if (c == '}' || c == ']') {
			if (in && depth == in)
				return 0;
			depth--;
		} else if (c == ',' && in && depth == in) {
			expect = true;
		}
	}
	return 0;
}

/*
 * One finding of the baseline, checked, into *f (arena strings); what is
 * wrong with it is reported at its place in text.
 */
static int
read_finding(struct diag *d, struct arena *a, const struct rules_db *db,
	     const char *path, const char *text, size_t len,
	     const cJSON *item, size_t idx, struct finding *f)
{
	struct src_loc whole = {path, 0, 0};
	const char *rule = jstring(item, "rule"), *subject;
	const char *sev = jstring(item, "severity"), *s;
	const cJSON *ev, *e;
	size_t n = 0, k;

	subject = jstring(item, "subject");
	if (!cJSON_IsObject(item) || !rule || !subject ||
	    severity_of(sev, &f->severity) < 0) {
		if ((k = finding_offset(text, len, idx)) > 0)
			whole = loc_at(path, text, k);
		return diag_error(d, whole, "finding %zu (/findings/%zu) %s",
				  idx + 1, idx,
				  !cJSON_IsObject(item) ? "is not an object"
				  : !rule ? "has no \"rule\" string"
				  : !subject ? "has no \"subject\" string"
					     : "has no \"severity\" error, "
					       "warning or info");
	}
	if (!(f->rule = rules_find(db, rule)))
		f->rule = stub_rule(a, rule, f->severity);
	f->subject = arena_strdup(a, subject);
	f->message = arena_strdup(a, (s = jstring(item, "message")) ? s : "");
	f->remediation = arena_strdup(a, (s = jstring(item, "remediation"))
					       ? s : "");
	f->baseline = BASELINE_ABSENT;
	if (!f->rule || !f->subject || !f->message || !f->remediation)
		return diag_plain(d, DIAG_ERROR, "out of memory");
	ev = cJSON_GetObjectItemCaseSensitive(item, "evidence");
	if (cJSON_IsArray(ev) && cJSON_GetArraySize(ev) > 0) {
		f->evidence = arena_alloc(a, (size_t)cJSON_GetArraySize(ev) *
					  sizeof(*f->evidence));
		if (!f->evidence)
			return diag_plain(d, DIAG_ERROR, "out of memory");
		cJSON_ArrayForEach(e, ev)
			if (cJSON_IsString(e) &&
			    parse_loc(a, e->valuestring, &f->evidence[n++]) < 0)
				return diag_plain(d, DIAG_ERROR,
						  "out of memory");
		f->nevidence = n;
	}
	return 0;
}

static int
cmp_hex(const void *a, const void *b)
{
	return memcmp(*(const char *const *)a, *(const char *const *)b, 64);
}

/* Reads the findings of the report at path into bl. */
static int
read_baseline(struct diag *d, struct arena *a, const struct rules_db *db,
	      const char *path, struct findings *bl)
{
	struct src_loc top = {path, 1, 1};
	const char *end = NULL;
	const cJSON *items, *item;
	cJSON *root;
	char *text;
	size_t len, i = 0;
	int rc = EXIT_OK;

	if (file_read_small(d, path, BASELINE_LIMIT, &text, &len) < 0)
		return EXIT_INPUT;
	root = cJSON_ParseWithOpts(text, &end, true);
	if (!root) {
		size_t off = end && end >= text ? (size_t)(end - text) : 0;

		diag_error(d, loc_at(path, text, off > len ? len : off),
			   "invalid JSON");
		diag_plain(d, DIAG_NOTE, "--baseline takes the report of an "
			   "earlier 'skewplan audit -f json'");
		free(text);
		return EXIT_INPUT;
	}
	items = cJSON_GetObjectItemCaseSensitive(root, "findings");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(items)) {
		diag_error(d, top, "not a skewplan audit report: no "
			   "\"findings\" array");
		diag_plain(d, DIAG_NOTE, "--baseline takes the report of an "
			   "earlier 'skewplan audit -f json'");
		rc = EXIT_INPUT;
	}
	if (rc != EXIT_OK)
		items = NULL;
	cJSON_ArrayForEach(item, items) {
		struct finding *f = vec_push(bl);

		if (!f) {
			diag_plain(d, DIAG_ERROR, "out of memory");
			rc = EXIT_INTERNAL;
			break;
		}
		/* Every bad finding is reported, then the run stops. */
		if (read_finding(d, a, db, path, text, len, item, i++, f) < 0 &&
		    rc == EXIT_OK)
			rc = EXIT_INPUT;
	}
	cJSON_Delete(root);
	free(text);
	return rc;
}

int
cli_baseline_apply(struct diag *d, struct arena *a, const struct rules_db *db,
		   const char *path, struct findings *f,
		   struct findings *absent, char (**absent_hex)[65])
{
	struct findings bl = {NULL, 0, 0};
	char (*bhex)[65] = NULL, (*chex)[65] = NULL, (*ahex)[65] = NULL;
	const char **sorted = NULL, **hit;
	bool *seen = NULL;
	size_t i, k;
	int rc;

	*absent_hex = NULL;
	if ((rc = read_baseline(d, a, db, path, &bl)) != EXIT_OK)
		goto out;
	rc = EXIT_INTERNAL;
	if ((bl.n && (!(bhex = base_malloc(bl.n * sizeof(*bhex))) ||
		      !(sorted = base_malloc(bl.n * sizeof(*sorted))) ||
		      !(seen = base_malloc(bl.n * sizeof(*seen))) ||
		      !(ahex = base_malloc(bl.n * sizeof(*ahex))) ||
		      report_fingerprints(&bl, bhex) < 0)) ||
	    (f->n && (!(chex = base_malloc(f->n * sizeof(*chex))) ||
		      report_fingerprints(f, chex) < 0))) {
		diag_plain(d, DIAG_ERROR, "out of memory");
		goto out;
	}
	for (i = 0; i < bl.n; i++) {
		sorted[i] = bhex[i];
		seen[i] = false;
	}
	if (bl.n)
		qsort(sorted, bl.n, sizeof(*sorted), cmp_hex);
	for (i = 0; i < f->n; i++) {
		const char *key = chex[i];

		hit = bl.n ? bsearch(&key, sorted, bl.n, sizeof(*sorted),
				     cmp_hex) : NULL;
		f->v[i].baseline = hit ? BASELINE_UNCHANGED : BASELINE_NEW;
		if (hit)
			seen[(size_t)((*hit - bhex[0]) / 65)] = true;
	}
	for (i = 0, k = 0; i < bl.n; i++) {
		struct finding *g;

		if (seen[i])
			continue;
		if (!(g = vec_push(absent))) {
			diag_plain(d, DIAG_ERROR, "out of memory");
			goto out;
		}
		*g = bl.v[i];
		memcpy(ahex[k++], bhex[i], 65);
	}
	*absent_hex = ahex;
	ahex = NULL;
	rc = EXIT_OK;
out:
	free(bhex);
	free(chex);
	free(ahex);
	free(sorted);
	free(seen);
	vec_release(&bl);
	return rc;
}
