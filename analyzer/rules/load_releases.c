/*
 * load_releases.c - the release calendar (data/releases.yaml) and the skew
 * windows (data/skew.yaml).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---------------------------------------------------------- releases */

int
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

	rc = load_check_fields(c, root, top, ARRAY_SIZE(top), "releases data");
	if (load_check_schema(c, root, "skewplan.releases/v1") < 0)
		rc = -1;
	c->db->compiled = load_get_date(root, "compiled");
	if (ynode_get(root, "compiled"))
		c->db->compiled_loc = ynode_get(root, "compiled")->loc;
	c->db->patches_through = load_get_date(root, "patches_through");
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

		if (load_check_fields(c, r, row, ARRAY_SIZE(row), "release") < 0) {
			rc = -1;
			continue;
		}
		if (!(rel = vec_push(&c->db->releases)))
			return load_oom(c, r->loc);
		rel->minor = load_get_minor(r, "minor");
		rel->ga = load_get_date(r, "ga");
		rel->maintenance = load_get_date(r, "maintenance");
		rel->eol = load_get_date(r, "eol");
		rel->projected = !strcmp(load_get_str(r, "projected"), "true");
		rel->source = load_get_str(r, "source");
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
			return load_oom(c, pl->loc);
		for (p = pl->child; p; p = p->next, i++) {
			struct release_patch *rp = &rel->patches[i];
			const struct ynode *v;

			if (load_check_fields(c, p, prow, ARRAY_SIZE(prow),
					      "patch") < 0) {
				rc = -1;
				continue;
			}
			v = ynode_get(p, "v");
			load_parse_version(v->s, v->len, true, &mi, &pa);
			rp->patch = pa;
			rp->date = load_get_date(p, "date");
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
	if (load_check_fields(c, m, f, ARRAY_SIZE(f), key) < 0)
		return -1;
	*minor = load_get_minor(m, "version");
	*val = (int)load_get_int(m, field, 0);
	return 0;
}

int
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

	rc = load_check_fields(c, root, top, ARRAY_SIZE(top), "skew data");
	if (load_check_schema(c, root, "skewplan.skew/v1") < 0)
		rc = -1;
	rows = ynode_get(root, "skew");
	if (!rows || rows->kind != YN_SEQ)
		return -1;
	for (r = rows->child; r; r = r->next) {
		if (load_check_fields(c, r, row, ARRAY_SIZE(row), "skew row") < 0 ||
		    load_check_component(c, r, "component") < 0 ||
		    load_check_component(c, r, "relative_to") < 0) {
			rc = -1;
			continue;
		}
		if (!(s = vec_push(&c->db->skew)))
			return load_oom(c, r->loc);
		s->component = load_get_str(r, "component");
		s->relative_to = load_get_str(r, "relative_to");
		s->newer = (int)load_get_int(r, "newer", 0);
		s->older = (int)load_get_int(r, "older", 0);
		s->since_apiserver = load_get_minor(r, "since_apiserver");
		s->until_apiserver = load_get_minor(r, "until_apiserver");
		s->source = load_get_str(r, "source");
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
		return load_oom(c, rows->loc);
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
			if (load_check_eras(c, eras, k, what) < 0)
				rc = -1;
		}
	}
	return rc;
}
