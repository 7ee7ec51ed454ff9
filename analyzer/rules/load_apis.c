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

/*
 * A project's release "X.Y" (no leading zeros, each below 1000) as
 * X * 1000 + Y + 1, so that 0.1 is not 0; 0 when s is not one.
 */
static unsigned
product_rank(const char *s)
{
	unsigned v[2] = {0, 0}, i = 0;
	const char *p = s;

	if (!s)
		return 0;
	for (;;) {
		const char *d = p;

		while (*p >= '0' && *p <= '9' && p - d < 4)
			v[i] = v[i] * 10 + (unsigned)(*p++ - '0');
		if (p == d || p - d > 3 || (*d == '0' && p - d > 1))
			return 0;
		if (i == 1 || *p != '.')
			break;
		p++;
		i++;
	}
	return i == 1 && !*p ? v[0] * 1000 + v[1] + 1 : 0;
}

/* Shown as written: "1.22" for Kubernetes, "cert-manager 1.6" else. */
static const char *
version_text(struct lctx *c, const struct api_row *a, unsigned k8s,
	     const char *text)
{
	if (a->product)
		return arena_printf(c->a, "%s %s", a->product, text);
	return arena_printf(c->a, "1.%u", k8s);
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
				"deprecated_in %s is after removed_in %s",
				version_text(c, a, a->deprecated_in,
					     a->deprecated_text),
				version_text(c, a, a->removed_in,
					     a->removed_text));
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
				"replacement_since %s is after removed_in "
				"%s: nothing could migrate in time",
				version_text(c, a, a->replacement_since,
					     a->since_text),
				version_text(c, a, a->removed_in,
					     a->removed_text));
	/* An (api, kind) pair is listed once, across both files. */
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

/* A project's version field: "X.Y", or null where allowed. */
static int
product_version(struct lctx *c, const struct ynode *r, const char *key,
		const char **text, unsigned *rank)
{
	const struct ynode *n = ynode_get(r, key);

	*text = NULL;
	*rank = 0;
	if (!n || n->is_null)
		return 0;
	*text = n->s;
	if (!(*rank = product_rank(n->s)))
		return diag_error(c->d, n->loc, "'%s' is not a release of the "
				  "project like \"1.6\"", n->s);
	return 0;
}

static int
load_rows(struct lctx *c, const struct ynode *root, bool addons)
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
	/* The versions are the project's: checked by product_version(). */
	static const struct field addon_row[] = {
		{"api", T_STR, true}, {"product", T_STR, true},
		{"kinds", T_STRLIST, true},
		{"deprecated_in", T_STR_NULL, true}, {"removed_in", T_STR, true},
		{"replacement", T_STR_NULL, true},
		{"replacement_since", T_STR, false},
		{"note", T_STR, false}, {"sources", T_URLLIST, true},
	};
	const struct ynode *rows, *r;
	struct api_row *a;
	int rc;

	rc = load_check_fields(c, root, top, ARRAY_SIZE(top),
			       addons ? "add-on apis data" : "apis data");
	if (load_check_schema(c, root, addons ? "skewplan.apis-addons/v1"
					      : "skewplan.apis/v1") < 0)
		rc = -1;
	rows = ynode_get(root, "apis");
	if (rc < 0 || !rows || rows->kind != YN_SEQ)
		return -1;
	if (rows->n == 0)
		rc = diag_error(c->d, rows->loc, "no apis");
	for (r = rows->child; r; r = r->next) {
		if (load_check_fields(c, r, addons ? addon_row : row,
				      addons ? ARRAY_SIZE(addon_row)
					     : ARRAY_SIZE(row),
				      "api") < 0) {
			rc = -1;
			continue;
		}
		if (!(a = vec_push(&c->db->apis)))
			return load_oom(c, r->loc);
		memset(a, 0, sizeof(*a));
		a->api = load_get_str(r, "api");
		a->kinds = load_get_strlist(c, r, "kinds", &a->nkinds);
		if (addons) {
			a->product = load_get_str(r, "product");
			if (product_version(c, r, "deprecated_in",
					    &a->deprecated_text,
					    &a->deprecated_in) < 0 ||
			    product_version(c, r, "removed_in",
					    &a->removed_text,
					    &a->removed_in) < 0 ||
			    product_version(c, r, "replacement_since",
					    &a->since_text,
					    &a->replacement_since) < 0) {
				rc = -1;
				continue;
			}
		} else {
			a->deprecated_in = load_get_minor(r, "deprecated_in");
			a->removed_in = load_get_minor(r, "removed_in");
			a->replacement_since =
				load_get_minor(r, "replacement_since");
		}
		a->replacement = load_get_str(r, "replacement");
		a->note = load_get_str(r, "note");
		a->sources = load_get_strlist(c, r, "sources", &a->nsources);
		a->loc = r->loc;
		if (check_row(c, r, a) < 0)
			rc = -1;
	}
	return rc;
}

int
load_apis(struct lctx *c, const struct ynode *root)
{
	return load_rows(c, root, false);
}

int
load_apis_addons(struct lctx *c, const struct ynode *root)
{
	return load_rows(c, root, true);
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
