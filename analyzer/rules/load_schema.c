/*
 * load_schema.c - the schema checks every rules file shares: field
 * lists with types, scalar parsing, typed getters for checked values, and
 * era lists that must cover every minor once.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const component_names[] = {
	"kube-apiserver", "kube-controller-manager", "kube-scheduler",
	"cloud-controller-manager", "kubelet", "kube-proxy", "kubectl",
};

bool
load_is_component(const char *s)
{
	return load_in_list(s, component_names, ARRAY_SIZE(component_names));
}

/* ---------------------------------------------------------- scalars */

bool
load_in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static bool
parse_uint(const char *s, size_t len, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 9 || (len > 1 && s[0] == '0'))
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* "1.N" with N in 0..999; or "1.N.P" when want_patch. */
bool
load_parse_version(const char *s, size_t len, bool want_patch,
		   unsigned *minor, unsigned *patch)
{
	const char *dot1, *dot2;
	unsigned long v;

	if (len < 3 || s[0] != '1' || s[1] != '.')
		return false;
	s += 2;
	len -= 2;
	dot1 = memchr(s, '.', len);
	if (!want_patch) {
		if (dot1 || !parse_uint(s, len, 999, &v))
			return false;
		*minor = (unsigned)v;
		return true;
	}
	if (!dot1 || !parse_uint(s, (size_t)(dot1 - s), 999, &v))
		return false;
	*minor = (unsigned)v;
	dot2 = dot1 + 1;
	if (!parse_uint(dot2, len - (size_t)(dot2 - s), 99999, &v))
		return false;
	*patch = (unsigned)v;
	return true;
}

static const char *const ftype_want[] = {
	[T_STR] = "a string", [T_STR_NULL] = "a string or null",
	[T_MINOR] = "a minor like \"1.28\"",
	[T_VERSION] = "a version like 1.28.3",
	[T_DATE] = "a date YYYY-MM-DD", [T_DATE_NULL] = "a date or null",
	[T_INT] = "a non-negative integer", [T_BOOL] = "true or false",
	[T_URL] = "an https:// URL", [T_MAP] = "a mapping",
	[T_SEQ] = "a list", [T_STRLIST] = "a list of strings",
	[T_URLLIST] = "a list of https:// URLs",
	[T_VERLIST] = "a list of versions like 1.28.3",
};

static bool
scalar_ok(const struct ynode *n, enum ftype t)
{
	unsigned a, b;
	unsigned long v;
	long days;

	if (n->kind != YN_SCALAR)
		return false;
	if (n->is_null)
		return t == T_STR_NULL || t == T_DATE_NULL;
	switch (t) {
	case T_STR:
	case T_STR_NULL:
		return n->len > 0;
	case T_MINOR:
		return load_parse_version(n->s, n->len, false, &a, &b);
	case T_VERSION:
		return load_parse_version(n->s, n->len, true, &a, &b);
	case T_DATE:
	case T_DATE_NULL:
		return date_parse(n->s, n->len, &days);
	case T_INT:
		return n->plain && parse_uint(n->s, n->len, 1000000, &v);
	case T_BOOL:
		return n->plain &&
		       (!strcmp(n->s, "true") || !strcmp(n->s, "false"));
	case T_URL:
		return !strncmp(n->s, "https://", 8) && n->len > 8;
	default:
		return false;
	}
}

static int
type_error(struct lctx *c, const struct ynode *n, enum ftype t)
{
	if (n->kind == YN_SCALAR)
		return diag_error(c->d, n->loc, "'%s' is not %s", n->s,
				  ftype_want[t]);
	return diag_error(c->d, n->loc, "'%s' must be %s", n->key ? n->key : "",
			  ftype_want[t]);
}

static int
check_type(struct lctx *c, const struct ynode *n, enum ftype t)
{
	const struct ynode *e;
	enum ftype et;
	int rc = 0;

	switch (t) {
	case T_MAP:
		return n->kind == YN_MAP ? 0 : type_error(c, n, t);
	case T_SEQ:
		return n->kind == YN_SEQ ? 0 : type_error(c, n, t);
	case T_STRLIST:
	case T_URLLIST:
	case T_VERLIST:
		if (n->kind != YN_SEQ)
			return type_error(c, n, t);
		et = t == T_STRLIST ? T_STR : t == T_URLLIST ? T_URL
							     : T_VERSION;
		for (e = n->child; e; e = e->next)
			if (!scalar_ok(e, et))
				rc = type_error(c, e, et);
		return rc;
	default:
		return scalar_ok(n, t) ? 0 : type_error(c, n, t);
	}
}

/*
 * Checks map against fields: unknown keys, missing required keys and the
 * type of each value. what names the map in messages.
 */
int
load_check_fields(struct lctx *c, const struct ynode *map, const struct field *fs,
		  size_t nf, const char *what)
{
	const struct ynode *e;
	size_t i;
	int rc = 0;

	if (map->kind != YN_MAP)
		return diag_error(c->d, map->loc, "%s must be a mapping", what);
	for (e = map->child; e; e = e->next) {
		for (i = 0; i < nf; i++)
			if (!strcmp(e->key, fs[i].key))
				break;
		if (i == nf) {
			rc = diag_error(c->d, e->loc, "unknown key '%s' in %s",
					e->key, what);
			continue;
		}
		if (check_type(c, e, fs[i].type) < 0)
			rc = -1;
	}
	for (i = 0; i < nf; i++)
		if (fs[i].required && !ynode_get(map, fs[i].key))
			rc = diag_error(c->d, map->loc, "missing key '%s' in %s",
					fs[i].key, what);
	return rc;
}

/* Accessors for values load_check_fields has accepted. */
const char *
load_get_str(const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);

	return n && n->kind == YN_SCALAR && !n->is_null ? n->s : NULL;
}

long
load_get_date(const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);
	long days;

	if (!n || n->kind != YN_SCALAR || !date_parse(n->s, n->len, &days))
		return RULES_NO_DATE;
	return days;
}

unsigned
load_get_minor(const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);
	unsigned m = 0, p;

	if (n && n->kind == YN_SCALAR)
		load_parse_version(n->s, n->len, false, &m, &p);
	return m;
}

long
load_get_int(const struct ynode *map, const char *key, long dflt)
{
	const struct ynode *n = ynode_get(map, key);
	unsigned long v;

	if (!n || n->kind != YN_SCALAR || !parse_uint(n->s, n->len, 1000000, &v))
		return dflt;
	return (long)v;
}

const char **
load_get_strlist(struct lctx *c, const struct ynode *map, const char *key,
		 size_t *n)
{
	const struct ynode *l = ynode_get(map, key), *e;
	const char **v;
	size_t i = 0;

	*n = 0;
	if (!l || l->kind != YN_SEQ || l->n == 0)
		return NULL;
	if (!(v = arena_alloc(c->a, l->n * sizeof(*v))))
		return NULL;
	for (e = l->child; e; e = e->next)
		if (e->kind == YN_SCALAR)
			v[i++] = e->s;
	*n = i;
	return v;
}

int
load_oom(struct lctx *c, struct src_loc loc)
{
	return diag_error(c->d, loc, "out of memory");
}

int
load_check_schema(struct lctx *c, const struct ynode *root, const char *want)
{
	const struct ynode *s = ynode_get(root, "schema");

	if (root->kind == YN_MAP && root->child && root->child != s)
		return diag_error(c->d, root->child->loc,
				  "the first key must be 'schema'");
	if (s && s->kind == YN_SCALAR && strcmp(s->s, want))
		return diag_error(c->d, s->loc,
				  "unknown schema '%s' (want '%s')", s->s,
				  want);
	return 0;
}

int
load_check_component(struct lctx *c, const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);

	if (n && n->kind == YN_SCALAR &&
	    !load_is_component(n->s))
		return diag_error(c->d, n->loc, "unknown component '%s'", n->s);
	return 0;
}

/* ---------------------------------------------------------- eras */


static int
era_cmp(const void *x, const void *y)
{
	const struct era *a = x, *b = y;

	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* Eras must not overlap and must leave no gap between 0 and the end. */
int
load_check_eras(struct lctx *c, struct era *e, size_t n, const char *what)
{
	size_t i;
	int rc = 0;

	if (n == 0)
		return 0;
	qsort(e, n, sizeof(*e), era_cmp);
	if (e[0].lo != 0)
		rc = diag_error(c->d, e[0].loc,
				"%s eras leave minors below 1.%u uncovered",
				what, e[0].lo);
	for (i = 1; i < n; i++) {
		if (e[i].lo <= e[i - 1].hi)
			rc = diag_error(c->d, e[i].loc,
					"%s era overlaps the era at line %u",
					what, (unsigned)e[i - 1].loc.line);
		else if (e[i - 1].hi != ERA_MAX && e[i].lo > e[i - 1].hi + 1)
			rc = diag_error(c->d, e[i].loc,
					"%s eras leave a gap before 1.%u", what,
					e[i].lo);
	}
	if (e[n - 1].hi != ERA_MAX)
		rc = diag_error(c->d, e[n - 1].loc,
				"%s eras leave minors after 1.%u uncovered",
				what, e[n - 1].hi);
	return rc;
}
