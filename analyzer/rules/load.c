/*
 * load.c - reads rules/ (rulesets.yaml, the data files and the rule
 * catalogue) into a struct rules_db and checks it against the schema in
 * rules/README.md. Every problem is a path:line:col error; all of a file's
 * problems are reported before the load fails.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const families[] = {
	"skew", "support", "health", "images", "packages", "plan", "meta",
	"apis", "addons", "drain", "nodes",
};

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
		{"packages", T_STR, true}, {"addons", T_STR, true},
		{"apis", T_STR, false}, {"apis_addons", T_STR, false},
		{"nodes", T_STR, false},
	};
	static const loader_fn data_fns[] = {
		load_releases, load_skew, load_kubeadm, load_registries,
		load_packages, load_addons, load_apis, load_apis_addons,
		load_nodes,
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
	if (load_check_fields(&c, root, top, ARRAY_SIZE(top), "rulesets") < 0)
		rc = -1;
	if (load_check_schema(&c, root, "skewplan.rules/v1") < 0)
		goto fail;
	l = ynode_get(root, "data");
	if (l && l->kind == YN_MAP &&
	    load_check_fields(&c, l, data, ARRAY_SIZE(data), "data") < 0)
		rc = -1;
	for (i = 0; l && l->kind == YN_MAP && i < ARRAY_SIZE(data); i++) {
		n = ynode_get(l, data[i].key);
		if (!n && !data[i].required)
			continue;
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

		if (load_check_fields(&c, r, row, ARRAY_SIZE(row), "ruleset") < 0) {
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
			const char *f = load_get_str(o, "file");

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
	    load_check_stable_ids(&c, rs) < 0)
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
	vec_release(&db->keys);
	vec_release(&db->addons);
	vec_release(&db->apis);
	vec_release(&db->nodes.limits);
	vec_release(&db->nodes.recommended);
	vec_release(&db->nodes.matched);
	vec_release(&db->nodes.kernels);
	vec_release(&db->rules);
}
