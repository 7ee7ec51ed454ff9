/*
 * load.c - reads rules/ (rulesets.yaml, the data files and the rule
 * catalogue) into a struct rules_db and checks it against the schema in
 * rules/README.md. Every problem is a path:line:col error; all of a file's
 * problems are reported before the load fails.
 */
#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define ERA_MAX UINT_MAX

enum ftype {
	T_STR, T_STR_NULL, T_MINOR, T_VERSION, T_DATE, T_DATE_NULL, T_INT,
	T_BOOL, T_URL, T_MAP, T_SEQ, T_STRLIST, T_URLLIST, T_VERLIST
};

struct field {
	const char *key;
	enum ftype type;
	bool required;
};

struct lctx {
	struct rules_db *db;
	struct arena *a;
	struct diag *d;
	const char *path;	/* arena: file being loaded */
};

static const char *const component_names[] = {
	"kube-apiserver", "kube-controller-manager", "kube-scheduler",
	"cloud-controller-manager", "kubelet", "kube-proxy", "kubectl",
};

static const char *const families[] = {
	"skew", "support", "health", "images", "packages", "plan", "meta",
};

/* Every placeholder a template may use (README "Placeholders"). */
static const char *const placeholder_names[] = {
	"apiserver", "catchup", "cluster", "compiled", "component", "date",
	"days", "drains", "expected", "file", "image", "input", "lag",
	"latest", "limit", "minor", "minors", "months", "name", "newest",
	"node", "oldest", "other", "package", "path", "reason", "registry",
	"relative_to", "released", "replacement", "repo", "rule", "skew",
	"status", "supported", "target", "through", "version",
};

struct kind_info {
	const char *name;
	enum check_kind kind;
	const char *placeholders;	/* space-separated */
	const char *param;		/* the one int param, or NULL */
};

static const struct kind_info kinds[] = {
	{"apiserver-ha", CK_APISERVER_HA, "oldest newest limit", NULL},
	{"component-skew", CK_COMPONENT_SKEW,
	 "node component version apiserver relative_to other limit", NULL},
	{"kubectl-skew", CK_KUBECTL_SKEW, "version apiserver limit", NULL},
	{"eol", CK_EOL, "component version minor date", NULL},
	{"near-eol", CK_NEAR_EOL, "component version minor date days", "days"},
	{"support-window", CK_SUPPORT_WINDOW,
	 "component version minor minors date supported", "minors"},
	{"version-unknown", CK_VERSION_UNKNOWN, "component version reason",
	 NULL},
	{"patch-behind", CK_PATCH_BEHIND,
	 "component version minor latest date", NULL},
	{"node-ready", CK_NODE_READY, "node status", NULL},
	{"node-cordoned", CK_NODE_CORDONED, "node", NULL},
	{"frozen-registry", CK_FROZEN_REGISTRY,
	 "image registry date replacement", NULL},
	{"cp-image-mismatch", CK_CP_IMAGE_MISMATCH,
	 "node component image expected", NULL},
	{"etcd-default", CK_ETCD_DEFAULT, "node version minor expected", NULL},
	{"repo-legacy", CK_REPO_LEGACY, "file repo date minor", NULL},
	{"repo-minor-pinned", CK_REPO_MINOR_PINNED, "file minor target", NULL},
	{"input-missing", CK_INPUT_MISSING, "input rule", NULL},
	{"data-stale", CK_DATA_STALE, "compiled months date", "months"},
	{"waiver-expired", CK_WAIVER_EXPIRED, "rule date", NULL},
	{"plan", CK_PLAN,
	 "node status target version compiled component package minor name "
	 "date days cluster lag skew path drains catchup reason through "
	 "released",
	 NULL},
};

/* The stable ids and severities (README): a contract with the outputs. */
static const struct {
	const char *id;
	enum severity sev;
} stable_ids[] = {
	{"apiserver-ha-skew", SEV_ERROR},
	{"kubelet-newer-than-apiserver", SEV_ERROR},
	{"kubelet-too-old", SEV_ERROR},
	{"kubelet-at-skew-limit", SEV_WARNING},
	{"kube-proxy-skew", SEV_ERROR},
	{"control-plane-component-skew", SEV_ERROR},
	{"kubectl-skew", SEV_WARNING},
	{"version-end-of-life", SEV_ERROR},
	{"version-near-end-of-life", SEV_WARNING},
	{"version-outside-support-window", SEV_WARNING},
	{"version-unknown", SEV_ERROR},
	{"patch-behind", SEV_WARNING},
	{"node-not-ready", SEV_ERROR},
	{"node-cordoned", SEV_WARNING},
	{"image-frozen-registry", SEV_ERROR},
	{"control-plane-image-mismatch", SEV_WARNING},
	{"etcd-behind-kubeadm-default", SEV_INFO},
	{"package-repo-legacy", SEV_ERROR},
	{"package-repo-minor-pinned", SEV_INFO},
	{"input-missing", SEV_WARNING},
	{"rules-data-stale", SEV_WARNING},
	{"waiver-expired", SEV_WARNING},
	{"plan-node-not-ready", SEV_ERROR},
	{"plan-target-older", SEV_ERROR},
	{"plan-target-unknown", SEV_ERROR},
	{"plan-target-unreleased", SEV_ERROR},
	{"plan-skew-violation", SEV_ERROR},
	{"plan-no-server-version", SEV_ERROR},
	{"plan-unsafe-name", SEV_ERROR},
	{"plan-packages-unverified", SEV_WARNING},
};

static const char *const severity_names[] = {"error", "warning", "info"};

const char *
rules_severity_name(enum severity s)
{
	return (unsigned)s < ARRAY_SIZE(severity_names) ? severity_names[s]
							: "?";
}

/* ---------------------------------------------------------- scalars */

static bool
in_list(const char *s, const char *const *list, size_t n)
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
static bool
parse_minor_text(const char *s, size_t len, bool want_patch,
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
		return parse_minor_text(n->s, n->len, false, &a, &b);
	case T_VERSION:
		return parse_minor_text(n->s, n->len, true, &a, &b);
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
static int
check_fields(struct lctx *c, const struct ynode *map, const struct field *fs,
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

/* Accessors for values check_fields has accepted. */
static const char *
get_str(const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);

	return n && n->kind == YN_SCALAR && !n->is_null ? n->s : NULL;
}

static long
get_date(const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);
	long days;

	if (!n || n->kind != YN_SCALAR || !date_parse(n->s, n->len, &days))
		return RULES_NO_DATE;
	return days;
}

static unsigned
get_minor(const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);
	unsigned m = 0, p;

	if (n && n->kind == YN_SCALAR)
		parse_minor_text(n->s, n->len, false, &m, &p);
	return m;
}

static long
get_int(const struct ynode *map, const char *key, long dflt)
{
	const struct ynode *n = ynode_get(map, key);
	unsigned long v;

	if (!n || n->kind != YN_SCALAR || !parse_uint(n->s, n->len, 1000000, &v))
		return dflt;
	return (long)v;
}

static const char **
get_strlist(struct lctx *c, const struct ynode *map, const char *key,
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

static int
oom(struct lctx *c, struct src_loc loc)
{
	return diag_error(c->d, loc, "out of memory");
}

static int
check_schema(struct lctx *c, const struct ynode *root, const char *want)
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

static int
check_component(struct lctx *c, const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);

	if (n && n->kind == YN_SCALAR &&
	    !in_list(n->s, component_names, ARRAY_SIZE(component_names)))
		return diag_error(c->d, n->loc, "unknown component '%s'", n->s);
	return 0;
}

/* ---------------------------------------------------------- eras */

struct era {
	unsigned lo, hi;
	struct src_loc loc;
};

static int
era_cmp(const void *x, const void *y)
{
	const struct era *a = x, *b = y;

	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* Eras must not overlap and must leave no gap between 0 and the end. */
static int
check_eras(struct lctx *c, struct era *e, size_t n, const char *what)
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

/* ---------------------------------------------------------- releases */

static int
load_releases(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"compiled", T_DATE, true},
		{"patches_through", T_DATE, false}, {"releases", T_SEQ, true},
	};
	static const struct field row[] = {
		{"minor", T_MINOR, true}, {"ga", T_DATE, true},
		{"maintenance", T_DATE_NULL, true}, {"eol", T_DATE, true},
		{"projected", T_BOOL, true}, {"source", T_URL, true},
		{"patches", T_SEQ, true},
	};
	static const struct field prow[] = {
		{"v", T_VERSION, true}, {"date", T_DATE, true},
	};
	const struct ynode *rows, *r, *p, *pl;
	struct release *rel;
	int rc;

	rc = check_fields(c, root, top, ARRAY_SIZE(top), "releases data");
	if (check_schema(c, root, "skewplan.releases/v1") < 0)
		rc = -1;
	c->db->compiled = get_date(root, "compiled");
	if (ynode_get(root, "compiled"))
		c->db->compiled_loc = ynode_get(root, "compiled")->loc;
	c->db->patches_through = get_date(root, "patches_through");
	if (c->db->patches_through != RULES_NO_DATE &&
	    c->db->compiled != RULES_NO_DATE &&
	    c->db->patches_through > c->db->compiled)
		rc = diag_error(c->d, ynode_get(root, "patches_through")->loc,
				"patches_through is after compiled");
	rows = ynode_get(root, "releases");
	if (!rows || rows->kind != YN_SEQ)
		return -1;
	if (rows->n == 0)
		rc = diag_error(c->d, rows->loc, "no releases");
	for (r = rows->child; r; r = r->next) {
		unsigned i = 0, mi, pa;
		long prev = RULES_NO_DATE;

		if (check_fields(c, r, row, ARRAY_SIZE(row), "release") < 0) {
			rc = -1;
			continue;
		}
		if (!(rel = vec_push(&c->db->releases)))
			return oom(c, r->loc);
		rel->minor = get_minor(r, "minor");
		rel->ga = get_date(r, "ga");
		rel->maintenance = get_date(r, "maintenance");
		rel->eol = get_date(r, "eol");
		rel->projected = !strcmp(get_str(r, "projected"), "true");
		rel->source = get_str(r, "source");
		rel->loc = r->loc;
		if (c->db->releases.n > 1 &&
		    rel->minor != rel[-1].minor + 1)
			rc = diag_error(c->d, ynode_get(r, "minor")->loc,
					"release 1.%u does not follow 1.%u "
					"(minors must be consecutive and ascending)",
					rel->minor, rel[-1].minor);
		if (rel->ga >= rel->eol)
			rc = diag_error(c->d, ynode_get(r, "eol")->loc,
					"eol of 1.%u is not after its ga",
					rel->minor);
		if (rel->maintenance != RULES_NO_DATE &&
		    (rel->maintenance <= rel->ga || rel->maintenance >= rel->eol))
			rc = diag_error(c->d, ynode_get(r, "maintenance")->loc,
					"maintenance of 1.%u is not between "
					"ga and eol", rel->minor);
		pl = ynode_get(r, "patches");
		if (pl->n == 0) {
			rc = diag_error(c->d, pl->loc, "release 1.%u has no "
					"patches", rel->minor);
			continue;
		}
		rel->patches = arena_alloc(c->a, pl->n * sizeof(*rel->patches));
		if (!rel->patches)
			return oom(c, pl->loc);
		for (p = pl->child; p; p = p->next, i++) {
			struct release_patch *rp = &rel->patches[i];
			const struct ynode *v;

			if (check_fields(c, p, prow, ARRAY_SIZE(prow),
					 "patch") < 0) {
				rc = -1;
				continue;
			}
			v = ynode_get(p, "v");
			parse_minor_text(v->s, v->len, true, &mi, &pa);
			rp->patch = pa;
			rp->date = get_date(p, "date");
			rp->loc = p->loc;
			if (mi != rel->minor || pa != i)
				rc = diag_error(c->d, v->loc,
						"patch '%s' out of order (want "
						"1.%u.%u)", v->s, rel->minor, i);
			if (prev != RULES_NO_DATE && rp->date < prev)
				rc = diag_error(c->d, ynode_get(p, "date")->loc,
						"patch date goes back in time");
			if (i == 0 && rp->date != rel->ga)
				rc = diag_error(c->d, ynode_get(p, "date")->loc,
						"1.%u.0 date differs from the "
						"ga of 1.%u", rel->minor,
						rel->minor);
			prev = rp->date;
		}
		rel->npatches = i;
	}
	return rc;
}

/* ---------------------------------------------------------- skew */

static int
below_clause(struct lctx *c, const struct ynode *row, const char *key,
	     const char *field, unsigned *minor, int *val)
{
	const struct ynode *m = ynode_get(row, key);
	const struct field f[] = {
		{"version", T_MINOR, true}, {field, T_INT, true},
	};

	if (!m)
		return 0;
	if (check_fields(c, m, f, ARRAY_SIZE(f), key) < 0)
		return -1;
	*minor = get_minor(m, "version");
	*val = (int)get_int(m, field, 0);
	return 0;
}

static int
load_skew(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"skew", T_SEQ, true},
	};
	static const struct field row[] = {
		{"component", T_STR, true}, {"relative_to", T_STR, true},
		{"newer", T_INT, true}, {"older", T_INT, true},
		{"newer_if_component_below", T_MAP, false},
		{"older_if_component_below", T_MAP, false},
		{"since_apiserver", T_MINOR, false},
		{"until_apiserver", T_MINOR, false},
		{"source", T_URL, true},
	};
	const struct ynode *rows, *r;
	struct skew_row *s;
	struct era *eras;
	size_t i, j, n;
	int rc;

	rc = check_fields(c, root, top, ARRAY_SIZE(top), "skew data");
	if (check_schema(c, root, "skewplan.skew/v1") < 0)
		rc = -1;
	rows = ynode_get(root, "skew");
	if (!rows || rows->kind != YN_SEQ)
		return -1;
	for (r = rows->child; r; r = r->next) {
		if (check_fields(c, r, row, ARRAY_SIZE(row), "skew row") < 0 ||
		    check_component(c, r, "component") < 0 ||
		    check_component(c, r, "relative_to") < 0) {
			rc = -1;
			continue;
		}
		if (!(s = vec_push(&c->db->skew)))
			return oom(c, r->loc);
		s->component = get_str(r, "component");
		s->relative_to = get_str(r, "relative_to");
		s->newer = (int)get_int(r, "newer", 0);
		s->older = (int)get_int(r, "older", 0);
		s->since_apiserver = get_minor(r, "since_apiserver");
		s->until_apiserver = get_minor(r, "until_apiserver");
		s->source = get_str(r, "source");
		s->loc = r->loc;
		if (below_clause(c, r, "newer_if_component_below", "newer",
				 &s->newer_below, &s->newer_if_below) < 0 ||
		    below_clause(c, r, "older_if_component_below", "older",
				 &s->older_below, &s->older_if_below) < 0)
			rc = -1;
		if (ynode_get(r, "until_apiserver") &&
		    s->since_apiserver > s->until_apiserver)
			rc = diag_error(c->d, ynode_get(r, "until_apiserver")->loc,
					"until_apiserver is before since_apiserver");
	}
	if (rc < 0 || c->db->skew.n == 0)
		return rc;
	/* Eras per (component, relative_to). */
	n = c->db->skew.n;
	if (!(eras = arena_alloc(c->a, n * sizeof(*eras))))
		return oom(c, rows->loc);
	for (i = 0; i < n; i++) {
		const struct skew_row *x = &c->db->skew.v[i];
		size_t k = 0;
		bool first = true;

		for (j = 0; j < n; j++) {
			const struct skew_row *y = &c->db->skew.v[j];

			if (strcmp(x->component, y->component) ||
			    strcmp(x->relative_to, y->relative_to))
				continue;
			if (j < i)
				first = false;
			eras[k].lo = y->since_apiserver;
			eras[k].hi = y->until_apiserver ? y->until_apiserver
							: ERA_MAX;
			eras[k].loc = y->loc;
			k++;
		}
		if (first) {
			char what[128];

			snprintf(what, sizeof(what), "%s vs %s", x->component,
				 x->relative_to);
			if (check_eras(c, eras, k, what) < 0)
				rc = -1;
		}
	}
	return rc;
}

/* ---------------------------------------------------------- kubeadm */

static int
load_by_patch(struct lctx *c, const struct ynode *row, const char *key,
	      const char *vkey, unsigned minor, struct by_patch **out,
	      size_t *nout)
{
	const struct ynode *l = ynode_get(row, key), *e;
	const struct field f[] = {
		{"since_patch", T_VERSION, true}, {vkey, T_STR, true},
	};
	size_t i = 0;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	if (!l || l->n == 0)
		return 0;
	if (!(*out = arena_alloc(c->a, l->n * sizeof(**out))))
		return oom(c, l->loc);
	for (e = l->child; e; e = e->next) {
		const struct ynode *v;
		unsigned mi, pa;

		if (check_fields(c, e, f, ARRAY_SIZE(f), key) < 0) {
			rc = -1;
			continue;
		}
		v = ynode_get(e, "since_patch");
		parse_minor_text(v->s, v->len, true, &mi, &pa);
		if (mi != minor)
			rc = diag_error(c->d, v->loc,
					"since_patch '%s' is not in 1.%u", v->s,
					minor);
		else if (i > 0 && pa <= (*out)[i - 1].since_patch)
			rc = diag_error(c->d, v->loc,
					"since_patch '%s' is not ascending",
					v->s);
		(*out)[i].since_patch = pa;
		(*out)[i].value = get_str(e, vkey);
		i++;
	}
	*nout = i;
	return rc;
}

static int
load_kubeadm(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true},
		{"upgrade_minor_skew", T_INT, true},
		{"downgrade_minor_skew", T_INT, true},
		{"control_plane_skew", T_INT, true},
		{"upgrade_source", T_URL, true},
		{"kubelet_skew", T_SEQ, true},
		{"defaults", T_SEQ, true},
	};
	static const struct field era_row[] = {
		{"since_kubeadm", T_MINOR, false},
		{"until_kubeadm", T_MINOR, false},
		{"kubelet_skew", T_INT, true}, {"source", T_URL, true},
	};
	static const struct field def_row[] = {
		{"minor", T_MINOR, true}, {"etcd", T_STR_NULL, true},
		{"coredns", T_STR_NULL, true}, {"pause", T_STR_NULL, true},
		{"image_repository", T_STR, true},
		{"coredns_image", T_STR, true},
		{"etcd_by_patch", T_SEQ, false},
		{"image_repository_by_patch", T_SEQ, false},
		{"source", T_URL, true},
	};
	struct kubeadm_data *k = &c->db->kubeadm;
	const struct ynode *l, *r;
	struct era *eras;
	size_t i = 0;
	int rc;

	rc = check_fields(c, root, top, ARRAY_SIZE(top), "kubeadm data");
	if (check_schema(c, root, "skewplan.kubeadm/v1") < 0)
		rc = -1;
	if (rc < 0)
		return rc;
	k->upgrade_minor_skew = (int)get_int(root, "upgrade_minor_skew", 1);
	k->downgrade_minor_skew = (int)get_int(root, "downgrade_minor_skew", 1);
	k->control_plane_skew = (int)get_int(root, "control_plane_skew", 1);
	k->upgrade_source = get_str(root, "upgrade_source");
	l = ynode_get(root, "kubelet_skew");
	if (!(eras = arena_alloc(c->a, (l->n + 1) * sizeof(*eras))))
		return oom(c, l->loc);
	for (r = l->child; r; r = r->next) {
		struct kubeadm_era *e;

		if (check_fields(c, r, era_row, ARRAY_SIZE(era_row),
				 "kubelet_skew row") < 0) {
			rc = -1;
			continue;
		}
		if (!(e = vec_push(&k->eras)))
			return oom(c, r->loc);
		e->since_kubeadm = get_minor(r, "since_kubeadm");
		e->until_kubeadm = get_minor(r, "until_kubeadm");
		e->kubelet_skew = (int)get_int(r, "kubelet_skew", 0);
		e->source = get_str(r, "source");
		e->loc = r->loc;
		eras[i].lo = e->since_kubeadm;
		eras[i].hi = e->until_kubeadm ? e->until_kubeadm : ERA_MAX;
		eras[i].loc = r->loc;
		if (e->until_kubeadm && e->since_kubeadm > e->until_kubeadm)
			rc = diag_error(c->d, r->loc,
					"until_kubeadm is before since_kubeadm");
		i++;
	}
	if (rc == 0 && check_eras(c, eras, i, "kubeadm kubelet_skew") < 0)
		rc = -1;
	l = ynode_get(root, "defaults");
	i = 0;
	for (r = l->child; r; r = r->next, i++) {
		struct kubeadm_default *df;
		const char *ci;

		if (check_fields(c, r, def_row, ARRAY_SIZE(def_row),
				 "kubeadm defaults row") < 0) {
			rc = -1;
			continue;
		}
		if (!(df = vec_push(&k->defaults)))
			return oom(c, r->loc);
		df->minor = get_minor(r, "minor");
		df->etcd = get_str(r, "etcd");
		df->coredns = get_str(r, "coredns");
		df->pause = get_str(r, "pause");
		df->image_repository = get_str(r, "image_repository");
		df->coredns_image = ci = get_str(r, "coredns_image");
		df->source = get_str(r, "source");
		df->loc = r->loc;
		if (strcmp(ci, "coredns") && strcmp(ci, "coredns/coredns"))
			rc = diag_error(c->d, ynode_get(r, "coredns_image")->loc,
					"coredns_image '%s' is not coredns or "
					"coredns/coredns", ci);
		if (c->db->releases.n &&
		    (i >= c->db->releases.n ||
		     c->db->releases.v[i].minor != df->minor))
			rc = diag_error(c->d, ynode_get(r, "minor")->loc,
					"defaults row 1.%u does not match the "
					"release minors of releases.yaml",
					df->minor);
		if (load_by_patch(c, r, "etcd_by_patch", "etcd", df->minor,
				  &df->etcd_by_patch, &df->netcd_by_patch) < 0 ||
		    load_by_patch(c, r, "image_repository_by_patch",
				  "image_repository", df->minor,
				  &df->repo_by_patch, &df->nrepo_by_patch) < 0)
			rc = -1;
	}
	if (rc == 0 && c->db->releases.n &&
	    k->defaults.n != c->db->releases.n)
		rc = diag_error(c->d, l->loc,
				"defaults has %zu rows but releases.yaml has %zu "
				"minors", k->defaults.n, c->db->releases.n);
	return rc;
}

/* ---------------------------------------------------------- registries */

static int
load_registries(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"frozen", T_SEQ, true},
		{"known_good", T_SEQ, true},
	};
	static const struct field frow[] = {
		{"host", T_STR, true}, {"redirected", T_DATE, false},
		{"frozen", T_DATE, true}, {"replacement", T_STR, true},
		{"last_patches", T_VERLIST, false},
		{"sources", T_URLLIST, true},
	};
	static const struct field grow[] = {
		{"host", T_STR, true}, {"since", T_DATE, true},
		{"sources", T_URLLIST, true},
	};
	const struct ynode *r;
	struct registry *g;
	int rc, pass;
	size_t i;

	rc = check_fields(c, root, top, ARRAY_SIZE(top), "registries data");
	if (check_schema(c, root, "skewplan.registries/v1") < 0)
		rc = -1;
	if (rc < 0)
		return rc;
	for (pass = 0; pass < 2; pass++) {
		const struct ynode *l = ynode_get(root, pass ? "known_good"
							     : "frozen");

		for (r = l->child; r; r = r->next) {
			if (check_fields(c, r, pass ? grow : frow,
					 pass ? ARRAY_SIZE(grow)
					      : ARRAY_SIZE(frow),
					 "registry") < 0) {
				rc = -1;
				continue;
			}
			if (!(g = vec_push(&c->db->registries)))
				return oom(c, r->loc);
			g->host = get_str(r, "host");
			g->frozen = !pass;
			g->redirected = get_date(r, "redirected");
			g->frozen_date = get_date(r, "frozen");
			g->since = get_date(r, "since");
			g->replacement = get_str(r, "replacement");
			g->sources = get_strlist(c, r, "sources", &g->nsources);
			g->loc = r->loc;
			if (g->nsources == 0)
				rc = diag_error(c->d, ynode_get(r, "sources")->loc,
						"sources must not be empty");
			for (i = 0; i + 1 < c->db->registries.n; i++)
				if (!strcasecmp(c->db->registries.v[i].host,
						g->host))
					rc = diag_error(c->d,
							ynode_get(r, "host")->loc,
							"registry '%s' is listed twice",
							g->host);
		}
	}
	return rc;
}

/* ---------------------------------------------------------- packages */

/*
 * The strings of packages.yaml that the planner puts into shell commands
 * of a runbook, each held to a pattern that admits what the documented
 * repositories need and nothing a shell would act on: no quote, '$(', '`',
 * ';', '|', '&', '<', '>' or newline beyond what the pattern spells out.
 * A rules directory is data, and data must not be able to run code.
 */
#define SAFE_URL "https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._:~{}-]*)*"
#define SAFE_PATH "(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)+"
static struct re re_deb_line = {
	"^deb \\[signed-by=" SAFE_PATH "\\] " SAFE_URL
	" [A-Za-z0-9._/-]+(?: [A-Za-z0-9._-]+)*$", 0, NULL, NULL};
static struct re re_url = {"^" SAFE_URL "$", 0, NULL, NULL};
/* yum's own $basearch and $releasever, expanded by yum, not the shell. */
static struct re re_yum_url = {
	"^https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._:~{}$-]*)*$", 0, NULL, NULL};
static struct re re_path = {"^" SAFE_PATH "$", 0, NULL, NULL};
static struct re re_key_install = {
	"^(?:sudo )?curl -fsSL " SAFE_URL " \\| (?:sudo )?gpg --dearmor -o "
	SAFE_PATH "$", 0, NULL, NULL};
/* One line of a yum .repo file, written through a quoted here-document. */
static struct re re_repo_line = {
	"^(?:\\[[A-Za-z0-9_-]+\\]|[a-z_]+=[A-Za-z0-9 ._:/$={}~-]*)$", 0, NULL,
	NULL};
static struct re re_install_pinned = {
	"^[A-Za-z0-9 ._:/={}*&-]*(?:'\\{version\\}-\\*'[A-Za-z0-9 ._:/={}&-]*)?$",
	0, NULL, NULL};

/* Checks key of m against re; a mismatch is an error at the value. */
static int
check_safe(struct lctx *c, const struct ynode *m, const char *key,
	   struct re *re, const char *want)
{
	const struct ynode *v = ynode_get(m, key);
	const char *s, *nl;
	size_t len, line = 1;

	if (!v || !v->s)
		return 0;
	if (re != &re_repo_line) {
		if (re_match(re, v->s, strlen(v->s), NULL))
			return 0;
		return diag_error(c->d, v->loc, "%s is not %s (it goes into "
				  "the runbook's shell commands)", key, want);
	}
	for (s = v->s; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		len = nl ? (size_t)(nl - s) : strlen(s);
		if (!re_match(re, s, len, NULL))
			return diag_error(c->d, v->loc, "%s line %zu is not "
					  "%s (it goes into the runbook's shell "
					  "commands)", key, line, want);
		if (!nl)
			break;
		line++;
	}
	return 0;
}

static int
check_repo_tool_strings(struct lctx *c, const struct ynode *m, bool is_apt)
{
	int rc = 0;

	if (is_apt) {
		rc |= check_safe(c, m, "deb_line", &re_deb_line,
				 "a plain 'deb [signed-by=/PATH] https://URL "
				 "SUITE [COMPONENT...]' line");
		rc |= check_safe(c, m, "sources_file", &re_path,
				 "an absolute path of plain names");
		rc |= check_safe(c, m, "keyring", &re_path,
				 "an absolute path of plain names");
		rc |= check_safe(c, m, "key_url", &re_url, "a plain https URL");
		rc |= check_safe(c, m, "key_install", &re_key_install,
				 "'curl -fsSL https://URL | gpg --dearmor -o "
				 "/PATH'");
	} else {
		rc |= check_safe(c, m, "baseurl", &re_yum_url,
				 "a plain https URL");
		rc |= check_safe(c, m, "gpgkey", &re_url, "a plain https URL");
		rc |= check_safe(c, m, "repo_file", &re_path,
				 "an absolute path of plain names");
		rc |= check_safe(c, m, "repo_content", &re_repo_line,
				 "a '[section]' or 'key=value' line of plain "
				 "characters");
	}
	rc |= check_safe(c, m, "install_pinned", &re_install_pinned,
			 "a command of plain words with '{version}-*' quoted");
	return rc ? -1 : 0;
}

static int
load_repo_tool(struct lctx *c, const struct ynode *r, const char *tool,
	       bool legacy, struct pkg_repo *p)
{
	static const struct field apt[] = {
		{"deb_line", T_STR, true}, {"version_example", T_STR, true},
		{"revision_pattern", T_STR, true},
		{"sources_file", T_STR, false}, {"keyring", T_STR, false},
		{"key_url", T_STR, false}, {"key_install", T_STR, false},
		{"install_pinned", T_STR, false},
	};
	static const struct field yum[] = {
		{"baseurl", T_STR, true}, {"gpgkey", T_STR, true},
		{"version_example", T_STR, true},
		{"revision_pattern", T_STR, true},
		{"repo_file", T_STR, false}, {"repo_content", T_STR, false},
		{"install_pinned", T_STR, false},
	};
	bool is_apt = !strcmp(tool, "apt");
	const struct field *fs = is_apt ? apt : yum;
	size_t nf = is_apt ? ARRAY_SIZE(apt) : ARRAY_SIZE(yum), i;
	const struct ynode *m = ynode_get(r, tool), *pat;
	char what[32];
	regex_t re;
	int rc, err;

	snprintf(what, sizeof(what), "%s settings", tool);
	if ((rc = check_fields(c, m, fs, nf, what)) < 0)
		return rc;
	if (!legacy)
		for (i = 3 + !is_apt; i < nf; i++)
			if (!ynode_get(m, fs[i].key))
				rc = diag_error(c->d, m->loc,
						"missing key '%s' in %s of a "
						"per-minor repository",
						fs[i].key, what);
	if (check_repo_tool_strings(c, m, is_apt) < 0)
		rc = -1;
	pat = ynode_get(m, "revision_pattern");
	if ((err = regcomp(&re, pat->s, REG_EXTENDED | REG_NOSUB)) != 0) {
		char msg[128];

		regerror(err, &re, msg, sizeof(msg));
		rc = diag_error(c->d, pat->loc,
				"revision_pattern does not compile: %s", msg);
	} else {
		regfree(&re);
	}
	if (is_apt) {
		p->apt_deb_line = get_str(m, "deb_line");
		p->apt_version_example = get_str(m, "version_example");
		p->apt_revision_pattern = get_str(m, "revision_pattern");
		p->apt_sources_file = get_str(m, "sources_file");
		p->apt_keyring = get_str(m, "keyring");
		p->apt_key_url = get_str(m, "key_url");
		p->apt_key_install = get_str(m, "key_install");
		p->apt_install_pinned = get_str(m, "install_pinned");
	} else {
		p->yum_baseurl = get_str(m, "baseurl");
		p->yum_gpgkey = get_str(m, "gpgkey");
		p->yum_version_example = get_str(m, "version_example");
		p->yum_revision_pattern = get_str(m, "revision_pattern");
		p->yum_repo_file = get_str(m, "repo_file");
		p->yum_repo_content = get_str(m, "repo_content");
		p->yum_install_pinned = get_str(m, "install_pinned");
	}
	return rc;
}

static int
load_packages(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"repositories", T_SEQ, true},
	};
	static const struct field row[] = {
		{"id", T_STR, true}, {"kind", T_STR, true},
		{"hosts", T_STRLIST, true}, {"deprecated", T_DATE, false},
		{"frozen", T_DATE, false}, {"removed", T_DATE, false},
		{"last_patches", T_VERLIST, false}, {"since", T_DATE, false},
		{"first_minor", T_MINOR, false}, {"apt", T_MAP, true},
		{"yum", T_MAP, true}, {"sources", T_URLLIST, true},
	};
	static const char *const legacy_keys[] = {
		"deprecated", "frozen", "removed",
	};
	static const char *const minor_keys[] = {"since", "first_minor"};
	const struct ynode *l, *r, *k;
	struct pkg_repo *p;
	size_t i;
	int rc;

	rc = check_fields(c, root, top, ARRAY_SIZE(top), "packages data");
	if (check_schema(c, root, "skewplan.packages/v1") < 0)
		rc = -1;
	if (rc < 0)
		return rc;
	l = ynode_get(root, "repositories");
	for (r = l->child; r; r = r->next) {
		const char *kind;
		bool legacy;

		if (check_fields(c, r, row, ARRAY_SIZE(row), "repository") < 0) {
			rc = -1;
			continue;
		}
		kind = get_str(r, "kind");
		if (strcmp(kind, "legacy") && strcmp(kind, "per-minor")) {
			rc = diag_error(c->d, ynode_get(r, "kind")->loc,
					"unknown repository kind '%s' (want "
					"legacy or per-minor)", kind);
			continue;
		}
		legacy = !strcmp(kind, "legacy");
		for (i = 0; i < ARRAY_SIZE(legacy_keys); i++) {
			k = ynode_get(r, legacy_keys[i]);
			if (legacy && !k)
				rc = diag_error(c->d, r->loc,
						"missing key '%s' in a legacy "
						"repository", legacy_keys[i]);
			else if (!legacy && k)
				rc = diag_error(c->d, k->loc,
						"key '%s' is only for legacy "
						"repositories", legacy_keys[i]);
		}
		for (i = 0; i < ARRAY_SIZE(minor_keys); i++) {
			k = ynode_get(r, minor_keys[i]);
			if (!legacy && !k)
				rc = diag_error(c->d, r->loc,
						"missing key '%s' in a per-minor "
						"repository", minor_keys[i]);
			else if (legacy && k)
				rc = diag_error(c->d, k->loc,
						"key '%s' is only for per-minor "
						"repositories", minor_keys[i]);
		}
		if (!(p = vec_push(&c->db->repos)))
			return oom(c, r->loc);
		p->id = get_str(r, "id");
		p->legacy = legacy;
		p->hosts = get_strlist(c, r, "hosts", &p->nhosts);
		p->deprecated = get_date(r, "deprecated");
		p->frozen = get_date(r, "frozen");
		p->removed = get_date(r, "removed");
		p->since = get_date(r, "since");
		p->first_minor = get_minor(r, "first_minor");
		p->sources = get_strlist(c, r, "sources", &p->nsources);
		p->loc = r->loc;
		if (p->nhosts == 0)
			rc = diag_error(c->d, ynode_get(r, "hosts")->loc,
					"hosts must not be empty");
		if (p->nsources == 0)
			rc = diag_error(c->d, ynode_get(r, "sources")->loc,
					"sources must not be empty");
		for (i = 0; i + 1 < c->db->repos.n; i++)
			if (!strcmp(c->db->repos.v[i].id, p->id))
				rc = diag_error(c->d, ynode_get(r, "id")->loc,
						"repository id '%s' is used twice",
						p->id);
		if (load_repo_tool(c, r, "apt", legacy, p) < 0 ||
		    load_repo_tool(c, r, "yum", legacy, p) < 0)
			rc = -1;
	}
	return rc;
}

/* ---------------------------------------------------------- rule files */

static const struct kind_info *
kind_by_name(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(kinds[i].name, s))
			return &kinds[i];
	return NULL;
}

static bool
word_in(const char *words, const char *w, size_t n)
{
	const char *p = words;

	while (*p) {
		size_t k = strcspn(p, " ");

		if (k == n && !memcmp(p, w, n))
			return true;
		p += k;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* Checks the {placeholders} of a template against its check kind. */
static int
check_template(struct lctx *c, const struct ynode *n,
	       const struct kind_info *k)
{
	const char *s = n->s, *e;
	size_t i, len;
	char name[64];
	int rc = 0;

	for (; *s; s++) {
		if (*s == '}')
			return diag_error(c->d, n->loc,
					  "literal '}' in %s (placeholders are "
					  "{name})", n->key);
		if (*s != '{')
			continue;
		e = strchr(s + 1, '}');
		len = e ? (size_t)(e - s - 1) : 0;
		for (i = 0; i < len; i++)
			if (!((s[1 + i] >= 'a' && s[1 + i] <= 'z') ||
			      s[1 + i] == '_'))
				break;
		if (!e || len == 0 || i < len || len >= sizeof(name))
			return diag_error(c->d, n->loc,
					  "literal '{' in %s (placeholders are "
					  "{name})", n->key);
		memcpy(name, s + 1, len);
		name[len] = '\0';
		if (!in_list(name, placeholder_names,
			     ARRAY_SIZE(placeholder_names)))
			rc = diag_error(c->d, n->loc,
					"unknown placeholder '{%s}' in %s", name,
					n->key);
		else if (k && !word_in(k->placeholders, name, len))
			rc = diag_error(c->d, n->loc,
					"check '%s' does not provide '{%s}' "
					"used in %s", k->name, name, n->key);
		s = e;
	}
	return rc;
}

static bool
id_is_valid(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return false;
	return true;
}

static int
load_params(struct lctx *c, const struct ynode *r, const struct kind_info *k,
	    struct rule *ru)
{
	static const struct field skew[] = {
		{"bound", T_STR, true}, {"component", T_STR, false},
		{"components", T_STRLIST, false},
		{"relative_to", T_STR, false},
	};
	static const char *const bounds[] = {
		"newer", "older", "at-older-limit", "any",
	};
	const struct ynode *p = ynode_get(r, "params"), *e;
	struct field one[1];
	size_t i;
	int rc = 0;

	ru->days = ru->minors = ru->months = -1;
	if (k->kind == CK_COMPONENT_SKEW) {
		if (!p)
			return diag_error(c->d, r->loc,
					  "check 'component-skew' needs params");
		if (check_fields(c, p, skew, ARRAY_SIZE(skew), "params") < 0)
			return -1;
		e = ynode_get(p, "bound");
		for (i = 0; i < ARRAY_SIZE(bounds); i++)
			if (!strcmp(e->s, bounds[i]))
				ru->bound = (enum skew_bound)(BOUND_NEWER + i);
		if (ru->bound == BOUND_NONE)
			rc = diag_error(c->d, e->loc,
					"unknown bound '%s' (want newer, older, "
					"at-older-limit or any)", e->s);
		if (!ynode_get(p, "component") == !ynode_get(p, "components"))
			return diag_error(c->d, p->loc,
					  "params need exactly one of "
					  "'component' and 'components'");
		if ((e = ynode_get(p, "component"))) {
			if (!(ru->components = arena_alloc(c->a, sizeof(char *))))
				return oom(c, e->loc);
			ru->components[0] = e->s;
			ru->ncomponents = 1;
			if (check_component(c, p, "component") < 0)
				rc = -1;
		} else {
			ru->components = get_strlist(c, p, "components",
						     &ru->ncomponents);
			e = ynode_get(p, "components");
			for (e = e->child; e; e = e->next)
				if (!in_list(e->s, component_names,
					     ARRAY_SIZE(component_names)))
					rc = diag_error(c->d, e->loc,
							"unknown component '%s'",
							e->s);
			if (ru->ncomponents == 0)
				rc = diag_error(c->d, p->loc,
						"components must not be empty");
		}
		if (check_component(c, p, "relative_to") < 0)
			rc = -1;
		ru->relative_to = get_str(p, "relative_to");
		return rc;
	}
	if (!k->param) {
		if (p)
			return diag_error(c->d, p->loc,
					  "check '%s' takes no params", k->name);
		return 0;
	}
	if (!p)
		return diag_error(c->d, r->loc, "check '%s' needs params: %s",
				  k->name, k->param);
	one[0].key = k->param;
	one[0].type = T_INT;
	one[0].required = true;
	if (check_fields(c, p, one, 1, "params") < 0)
		return -1;
	if (!strcmp(k->param, "days"))
		ru->days = get_int(p, "days", -1);
	else if (!strcmp(k->param, "minors"))
		ru->minors = get_int(p, "minors", -1);
	else
		ru->months = get_int(p, "months", -1);
	return 0;
}

static bool
starts_lower(const char *s)
{
	return !(*s >= 'A' && *s <= 'Z');
}

static int
load_rules(struct lctx *c, const struct ynode *root, const char *family)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"rules", T_SEQ, true},
	};
	static const struct field row[] = {
		{"id", T_STR, true}, {"check", T_STR, true},
		{"title", T_STR, true}, {"severity", T_STR, true},
		{"message", T_STR, true}, {"remediation", T_STR, true},
		{"references", T_URLLIST, true}, {"params", T_MAP, false},
	};
	const struct ynode *l, *r, *n;
	const struct kind_info *k;
	struct rule *ru;
	size_t i;
	int rc;

	rc = check_fields(c, root, top, ARRAY_SIZE(top), "rule file");
	if (check_schema(c, root, "skewplan.rules/v1") < 0)
		rc = -1;
	if (rc < 0)
		return rc;
	l = ynode_get(root, "rules");
	if (l->n == 0)
		return diag_error(c->d, l->loc, "no rules");
	for (r = l->child; r; r = r->next) {
		int rrc;
		const char *id;

		if (check_fields(c, r, row, ARRAY_SIZE(row), "rule") < 0) {
			rc = -1;
			continue;
		}
		rrc = 0;
		n = ynode_get(r, "id");
		id = n->s;
		if (!id_is_valid(id))
			rrc = diag_error(c->d, n->loc,
					 "rule id '%s' must match "
					 "[a-z][a-z0-9-]*", id);
		for (i = 0; i < c->db->rules.n; i++)
			if (!strcmp(c->db->rules.v[i].id, id))
				rrc = diag_error(c->d, n->loc,
						 "duplicate rule id '%s' (first "
						 "at %s:%u)", id,
						 c->db->rules.v[i].loc.path,
						 (unsigned)c->db->rules.v[i].loc.line);
		n = ynode_get(r, "check");
		if (!(k = kind_by_name(n->s)))
			rrc = diag_error(c->d, n->loc, "unknown check kind '%s'",
					 n->s);
		n = ynode_get(r, "severity");
		for (i = 0; i < ARRAY_SIZE(severity_names); i++)
			if (!strcmp(n->s, severity_names[i]))
				break;
		if (i == ARRAY_SIZE(severity_names))
			rrc = diag_error(c->d, n->loc,
					 "unknown severity '%s' (want error, "
					 "warning or info)", n->s);
		if (!(ru = vec_push(&c->db->rules)))
			return oom(c, r->loc);
		ru->id = id;
		ru->severity = (enum severity)(i < ARRAY_SIZE(severity_names)
					       ? i : 0);
		ru->family = family;
		ru->title = get_str(r, "title");
		ru->message = get_str(r, "message");
		ru->remediation = get_str(r, "remediation");
		ru->references = get_strlist(c, r, "references",
					     &ru->nreferences);
		ru->loc = r->loc;
		if (!starts_lower(ru->title))
			rrc = diag_error(c->d, ynode_get(r, "title")->loc,
					 "title must start lowercase");
		if (!starts_lower(ru->message))
			rrc = diag_error(c->d, ynode_get(r, "message")->loc,
					 "message must start lowercase");
		if (check_template(c, ynode_get(r, "message"), k) < 0 ||
		    check_template(c, ynode_get(r, "remediation"), k) < 0)
			rrc = -1;
		if (k) {
			ru->check = k->kind;
			ru->check_name = k->name;
			if (load_params(c, r, k, ru) < 0)
				rrc = -1;
		}
		if (rrc < 0)
			rc = -1;
	}
	return rc;
}

/* ---------------------------------------------------------- rulesets */

static const char *
join_path(struct lctx *c, const char *dir, const char *rel)
{
	return arena_printf(c->a, "%s/%s", dir, rel);
}

static int
check_rel_path(struct lctx *c, const struct ynode *n)
{
	const char *s = n->s;
	size_t len = n->len;

	if (s[0] == '/' || strstr(s, "..") || len < 6 ||
	    strcmp(s + len - 5, ".yaml"))
		return diag_error(c->d, n->loc,
				  "path '%s' must be relative, without '..', "
				  "and end in .yaml", s);
	return 0;
}

typedef int (*loader_fn)(struct lctx *c, const struct ynode *root);

static int
load_file(struct lctx *c, const char *path, loader_fn fn, const char *family)
{
	const struct ynode *root;
	const char *saved = c->path;
	unsigned before = c->d->errors;
	int rc;

	if (!path)
		return diag_plain(c->d, DIAG_ERROR, "out of memory");
	c->path = path;
	if (!(root = rules_yaml_load(c->a, c->d, path, "a YAML mapping")))
		rc = -1;
	else if (root->kind != YN_MAP)
		rc = diag_error(c->d, root->loc, "expected a mapping");
	else if (family)
		rc = load_rules(c, root, family);
	else
		rc = fn(c, root);
	c->path = saved;
	return rc < 0 || c->d->errors > before ? -1 : 0;
}

static int
check_stable_ids(struct lctx *c, const char *rulesets)
{
	const struct rule *r;
	size_t i;
	int rc = 0;

	for (i = 0; i < ARRAY_SIZE(stable_ids); i++) {
		if (!(r = rules_find(c->db, stable_ids[i].id)))
			rc = diag_error(c->d, (struct src_loc){rulesets, 0, 0},
					"stable rule '%s' is missing from the "
					"catalogue", stable_ids[i].id);
		else if (r->severity != stable_ids[i].sev)
			rc = diag_error(c->d, r->loc,
					"rule '%s' must have severity %s (a "
					"stable contract)", r->id,
					severity_names[stable_ids[i].sev]);
	}
	return rc;
}

int
rules_load(struct rules_db *db, struct arena *a, struct diag *d,
	   const char *dir)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"data", T_MAP, true},
		{"rulesets", T_SEQ, true},
	};
	static const struct field data[] = {
		{"releases", T_STR, true}, {"skew", T_STR, true},
		{"kubeadm", T_STR, true}, {"registries", T_STR, true},
		{"packages", T_STR, true},
	};
	static const loader_fn data_fns[] = {
		load_releases, load_skew, load_kubeadm, load_registries,
		load_packages,
	};
	static const struct field row[] = {
		{"family", T_STR, true}, {"file", T_STR, true},
	};
	struct lctx c = {db, a, d, NULL};
	const struct ynode *root, *l, *r, *n;
	const char *rs, *seen_fam[ARRAY_SIZE(families)] = {NULL};
	unsigned before = d->errors;
	size_t i;
	int rc = 0;

	memset(db, 0, sizeof(*db));
	db->arena = a;
	db->compiled = db->patches_through = RULES_NO_DATE;
	if (!(db->dir = arena_strdup(a, dir)) ||
	    !(rs = join_path(&c, dir, "rulesets.yaml")))
		return diag_plain(d, DIAG_ERROR, "out of memory");
	c.path = rs;
	if (!(root = rules_yaml_load(a, d, rs, "a YAML mapping")))
		goto fail;
	if (root->kind != YN_MAP) {
		diag_error(d, root->loc, "expected a mapping");
		goto fail;
	}
	if (check_fields(&c, root, top, ARRAY_SIZE(top), "rulesets") < 0)
		rc = -1;
	if (check_schema(&c, root, "skewplan.rules/v1") < 0)
		goto fail;
	l = ynode_get(root, "data");
	if (l && l->kind == YN_MAP &&
	    check_fields(&c, l, data, ARRAY_SIZE(data), "data") < 0)
		rc = -1;
	for (i = 0; l && l->kind == YN_MAP && i < ARRAY_SIZE(data); i++) {
		n = ynode_get(l, data[i].key);
		if (!n || n->kind != YN_SCALAR || check_rel_path(&c, n) < 0)
			rc = -1;
		else if (load_file(&c, join_path(&c, dir, n->s), data_fns[i],
				   NULL) < 0)
			rc = -1;
	}
	l = ynode_get(root, "rulesets");
	if (!l || l->kind != YN_SEQ)
		goto fail;
	if (l->n == 0)
		rc = diag_error(d, l->loc, "no rulesets");
	for (r = l->child; r; r = r->next) {
		const struct ynode *fam, *file, *o;
		size_t k;

		if (check_fields(&c, r, row, ARRAY_SIZE(row), "ruleset") < 0) {
			rc = -1;
			continue;
		}
		fam = ynode_get(r, "family");
		file = ynode_get(r, "file");
		for (k = 0; k < ARRAY_SIZE(families); k++)
			if (!strcmp(fam->s, families[k]))
				break;
		if (k == ARRAY_SIZE(families)) {
			rc = diag_error(d, fam->loc, "unknown family '%s'",
					fam->s);
			continue;
		}
		if (seen_fam[k]) {
			rc = diag_error(d, fam->loc, "family '%s' is listed "
					"twice", fam->s);
			continue;
		}
		seen_fam[k] = families[k];
		for (o = l->child; o != r; o = o->next) {
			const char *f = get_str(o, "file");

			if (f && !strcmp(f, file->s))
				break;
		}
		if (o != r) {
			rc = diag_error(d, file->loc, "file '%s' is listed twice",
					file->s);
			continue;
		}
		if (check_rel_path(&c, file) < 0 ||
		    load_file(&c, join_path(&c, dir, file->s), NULL,
			      families[k]) < 0)
			rc = -1;
	}
	if (rc == 0 && d->errors == before &&
	    check_stable_ids(&c, rs) < 0)
		rc = -1;
	if (rc == 0 && d->errors == before)
		return 0;
fail:
	rules_release(db);
	return -1;
}

void
rules_release(struct rules_db *db)
{
	if (!db)
		return;
	vec_release(&db->releases);
	vec_release(&db->skew);
	vec_release(&db->kubeadm.eras);
	vec_release(&db->kubeadm.defaults);
	vec_release(&db->registries);
	vec_release(&db->repos);
	vec_release(&db->rules);
}

const struct rule *
rules_find(const struct rules_db *db, const char *id)
{
	size_t i;

	for (i = 0; i < db->rules.n; i++)
		if (!strcmp(db->rules.v[i].id, id))
			return &db->rules.v[i];
	return NULL;
}

const struct release *
rules_release_of(const struct rules_db *db, unsigned minor)
{
	size_t i;

	for (i = 0; i < db->releases.n; i++)
		if (db->releases.v[i].minor == minor)
			return &db->releases.v[i];
	return NULL;
}

const struct kubeadm_default *
rules_kubeadm_defaults(const struct rules_db *db, unsigned minor)
{
	size_t i;

	for (i = 0; i < db->kubeadm.defaults.n; i++)
		if (db->kubeadm.defaults.v[i].minor == minor)
			return &db->kubeadm.defaults.v[i];
	return NULL;
}

const char *
rules_kubeadm_etcd(const struct rules_db *db, unsigned minor, unsigned patch)
{
	const struct kubeadm_default *df = rules_kubeadm_defaults(db, minor);
	const char *v;
	size_t j;

	if (!df)
		return NULL;
	v = df->etcd;
	for (j = 0; j < df->netcd_by_patch; j++)
		if (df->etcd_by_patch[j].since_patch <= patch)
			v = df->etcd_by_patch[j].value;
	return v;
}

int
rules_kubeadm_kubelet_skew(const struct rules_db *db, unsigned minor,
			   struct src_loc *loc)
{
	size_t i;

	for (i = 0; i < db->kubeadm.eras.n; i++) {
		const struct kubeadm_era *e = &db->kubeadm.eras.v[i];

		if ((e->since_kubeadm == RULES_OPEN || minor >= e->since_kubeadm) &&
		    (e->until_kubeadm == RULES_OPEN || minor <= e->until_kubeadm)) {
			*loc = e->loc;
			return e->kubelet_skew;
		}
	}
	return -1;
}
