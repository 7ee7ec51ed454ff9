/*
 * load_apis.c - the deprecated and removed Kubernetes APIs (data/apis.yaml)
 * and their lookup by group/version and kind or resource.
 */
#include <ctype.h>
#include <string.h>

#include "internal.h"

/* group/version: a DNS-ish group (or none, the core group) and a version. */
static bool
api_is_valid(const char *s)
{
	const char *slash = strchr(s, '/'), *v = slash ? slash + 1 : s;
	const char *p;

	if (slash && (slash == s || strchr(v, '/')))
		return false;
	for (p = s; slash && p < slash; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '.' && *p != '-')
			return false;
	if (v[0] != 'v' || !isdigit((unsigned char)v[1]))
		return false;
	for (p = v; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p))
			return false;
	return true;
}

static bool
kind_is_valid(const char *s)
{
	if (!isupper((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s))
			return false;
	return true;
}

static int
check_row(struct lctx *c, const struct ynode *r, const struct api_row *a)
{
	const struct ynode *kinds = ynode_get(r, "kinds"), *k;
	const struct api_row *o;
	size_t i, j;
	int rc = 0;

	if (!api_is_valid(a->api))
		rc = diag_error(c->d, ynode_get(r, "api")->loc,
				"api '%s' is not a group/version", a->api);
	if (a->nkinds == 0)
		rc = diag_error(c->d, kinds->loc, "kinds must not be empty");
	for (k = kinds->child; k; k = k->next)
		if (!kind_is_valid(k->s))
			rc = diag_error(c->d, k->loc, "kind '%s' is not a "
					"Kubernetes kind name", k->s);
	if (a->nsources == 0)
		rc = diag_error(c->d, ynode_get(r, "sources")->loc,
				"sources must not be empty");
	if (a->deprecated_in && a->deprecated_in > a->removed_in)
		rc = diag_error(c->d, ynode_get(r, "deprecated_in")->loc,
				"deprecated_in 1.%u is after removed_in 1.%u",
				a->deprecated_in, a->removed_in);
	if (a->replacement && !api_is_valid(a->replacement))
		rc = diag_error(c->d, ynode_get(r, "replacement")->loc,
				"replacement '%s' is not a group/version",
				a->replacement);
	if (a->replacement && !a->replacement_since)
		rc = diag_error(c->d, r->loc, "a replacement needs "
				"replacement_since");
	if (!a->replacement && ynode_get(r, "replacement_since"))
		rc = diag_error(c->d, ynode_get(r, "replacement_since")->loc,
				"replacement_since without a replacement");
	if (!a->replacement && !a->note)
		rc = diag_error(c->d, r->loc, "a row without a replacement "
				"needs a note saying what replaces it");
	if (a->replacement && !strcmp(a->replacement, a->api))
		rc = diag_error(c->d, ynode_get(r, "replacement")->loc,
				"replacement is the api itself");
	if (a->replacement_since && a->replacement_since > a->removed_in)
		rc = diag_error(c->d, ynode_get(r, "replacement_since")->loc,
				"replacement_since 1.%u is after removed_in "
				"1.%u: nothing could migrate in time",
				a->replacement_since, a->removed_in);
	/* An (api, kind) pair is listed once. */
	for (o = c->db->apis.v; o < a; o++) {
		if (strcmp(o->api, a->api))
			continue;
		for (i = 0; i < a->nkinds; i++)
			for (j = 0; j < o->nkinds; j++)
				if (!strcmp(a->kinds[i], o->kinds[j]))
					rc = diag_error(c->d, kinds->loc,
							"%s %s is listed twice",
							a->api, a->kinds[i]);
	}
	return rc;
}

int
load_apis(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"apis", T_SEQ, true},
	};
	static const struct field row[] = {
		{"api", T_STR, true}, {"kinds", T_STRLIST, true},
		{"deprecated_in", T_MINOR, true}, {"removed_in", T_MINOR, true},
		{"replacement", T_STR_NULL, true},
		{"replacement_since", T_MINOR, false},
		{"note", T_STR, false}, {"sources", T_URLLIST, true},
	};
	const struct ynode *rows, *r;
	struct api_row *a;
	int rc;

	rc = load_check_fields(c, root, top, ARRAY_SIZE(top), "apis data");
	if (load_check_schema(c, root, "skewplan.apis/v1") < 0)
		rc = -1;
	rows = ynode_get(root, "apis");
	if (rc < 0 || !rows || rows->kind != YN_SEQ)
		return -1;
	if (rows->n == 0)
		rc = diag_error(c->d, rows->loc, "no apis");
	for (r = rows->child; r; r = r->next) {
		if (load_check_fields(c, r, row, ARRAY_SIZE(row), "api") < 0) {
			rc = -1;
			continue;
		}
		if (!(a = vec_push(&c->db->apis)))
			return load_oom(c, r->loc);
		a->api = load_get_str(r, "api");
		a->kinds = load_get_strlist(c, r, "kinds", &a->nkinds);
		a->deprecated_in = load_get_minor(r, "deprecated_in");
		a->removed_in = load_get_minor(r, "removed_in");
		a->replacement = load_get_str(r, "replacement");
		a->replacement_since = load_get_minor(r, "replacement_since");
		a->note = load_get_str(r, "note");
		a->sources = load_get_strlist(c, r, "sources", &a->nsources);
		a->loc = r->loc;
		if (check_row(c, r, a) < 0)
			rc = -1;
	}
	return rc;
}

/* ---------------------------------------------------------- lookup */

/*
 * The apiserver's guess from kind to resource (the RESTMapper's
 * UnsafeGuessKindToResource): lower case, then "es" after s, x, z, ch and
 * sh, "ies" for a consonant and y, else "s". Writes into out (cap bytes);
 * false when it does not fit.
 */
static bool
guess_resource(const char *kind, char *out, size_t cap)
{
	size_t n = strlen(kind), i;
	char last, prev;

	if (n == 0 || n + 3 > cap)
		return false;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)kind[i]);
	out[n] = '\0';
	last = out[n - 1];
	prev = n > 1 ? out[n - 2] : '\0';
	if (last == 's' || last == 'x' || last == 'z' ||
	    (last == 'h' && (prev == 'c' || prev == 's')))
		memcpy(out + n, "es", 3);
	else if (last == 'y' && !strchr("aeiou", prev))
		memcpy(out + n - 1, "ies", 4);
	else
		memcpy(out + n, "s", 2);
	return true;
}

const char *
rules_api_resource(struct arena *a, const char *kind)
{
	char buf[256];

	return guess_resource(kind, buf, sizeof(buf)) ? arena_strdup(a, buf)
						      : NULL;
}

static bool
kind_is_resource(const char *kind, const char *resource)
{
	char buf[256];

	return guess_resource(kind, buf, sizeof(buf)) && !strcmp(buf, resource);
}

const struct api_row *
rules_api_find(const struct rules_db *db, const char *api, const char *kind,
	       const char *resource, const char **kind_out)
{
	const struct api_row *a;
	size_t i;

	vec_foreach(&db->apis, a) {
		if (strcmp(a->api, api))
			continue;
		for (i = 0; i < a->nkinds; i++)
			if (kind ? !strcmp(a->kinds[i], kind)
				 : resource &&
					   kind_is_resource(a->kinds[i], resource)) {
				if (kind_out)
					*kind_out = a->kinds[i];
				return a;
			}
	}
	return NULL;
}
