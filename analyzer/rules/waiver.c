/*
 * waiver.c - waivers: accepted findings with an owner, a reason and an
 * expiry. A waived finding is kept in the report as suppressed; once the
 * waiver has expired the finding counts again and a waiver-expired warning
 * says why.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const waiver_keys[] = {
	"rule", "subject", "reason", "owner", "expires",
};

static int
load_one(const struct rules_db *db, struct diag *d, const struct ynode *e,
	 struct waivers *out)
{
	const struct ynode *k, *v;
	struct waiver *w;
	size_t i;
	int rc = 0;

	if (e->kind != YN_MAP)
		return diag_error(d, e->loc, "a waiver must be a mapping with "
				  "rule, subject, reason, owner and expires");
	for (k = e->child; k; k = k->next) {
		for (i = 0; i < ARRAY_SIZE(waiver_keys); i++)
			if (!strcmp(k->key, waiver_keys[i]))
				break;
		if (i == ARRAY_SIZE(waiver_keys))
			rc = diag_error(d, k->loc, "unknown key '%s' in waiver",
					k->key);
		else if (k->kind != YN_SCALAR || k->is_null || k->len == 0)
			rc = diag_error(d, k->loc, "waiver '%s' must be a "
					"non-empty string", k->key);
	}
	for (i = 0; i < ARRAY_SIZE(waiver_keys); i++)
		if (!ynode_get(e, waiver_keys[i]))
			rc = diag_error(d, e->loc, "missing key '%s' in waiver",
					waiver_keys[i]);
	if (rc < 0)
		return -1;
	if (!(w = vec_push(out)))
		return diag_error(d, e->loc, "out of memory");
	w->rule = ynode_get(e, "rule")->s;
	w->subject = ynode_get(e, "subject")->s;
	w->reason = ynode_get(e, "reason")->s;
	w->owner = ynode_get(e, "owner")->s;
	w->loc = e->loc;
	v = ynode_get(e, "expires");
	if (!date_parse(v->s, v->len, &w->expires))
		rc = diag_error(d, v->loc, "'%s' is not a date YYYY-MM-DD",
				v->s);
	v = ynode_get(e, "rule");
	if (!rules_find(db, w->rule))
		rc = diag_error(d, v->loc, "waiver names unknown rule '%s'",
				w->rule);
	return rc;
}

int
rules_waivers_load(const struct rules_db *db, struct diag *d,
		   const char *path, struct waivers *out)
{
	const struct ynode *root, *e;
	const char *p;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!(p = arena_strdup(db->arena, path)))
		return diag_plain(d, DIAG_ERROR, "out of memory");
	if (!(root = rules_yaml_load(db->arena, d, p)))
		return -1;
	if (root->kind != YN_SEQ)
		return diag_error(d, root->loc, "a waivers file is a list of "
				  "waivers");
	for (e = root->child; e; e = e->next)
		if (load_one(db, d, e, out) < 0)
			rc = -1;
	if (rc < 0)
		rules_waivers_release(out);
	return rc;
}

void
rules_waivers_release(struct waivers *w)
{
	if (w)
		vec_release(w);
}

static bool
waiver_matches(const struct waiver *w, const struct finding *f)
{
	return !strcmp(w->rule, f->rule->id) &&
	       (!strcmp(w->subject, f->subject) ||
		fnmatch(w->subject, f->subject, 0) == 0);
}

int
rules_waivers_apply(const struct rules_db *db, const struct waivers *w,
		    long as_of, struct diag *d, struct findings *f)
{
	const struct rule *exp = rules_find(db, "waiver-expired");
	size_t i, j, n = f->n;
	struct eval_ctx c;

	memset(&c, 0, sizeof(c));
	c.db = db;
	c.a = db->arena;
	c.d = d;
	c.out = f;
	for (i = 0; i < n; i++) {
		struct finding *fi = &f->v[i];

		if (fi->rule->check == CK_WAIVER_EXPIRED)
			continue;
		for (j = 0; j < w->n; j++)
			if (waiver_matches(&w->v[j], fi))
				break;
		if (j == w->n)
			continue;
		fi->waiver = &w->v[j];
		if (as_of <= w->v[j].expires) {
			fi->suppressed = true;
			continue;
		}
		fi->waiver_expired = true;
		if (exp) {
			struct fill fl[] = {
				{"rule", w->v[j].rule},
				{"date", eval_date(&c, w->v[j].expires)},
			};
			const char *subject = fi->subject;

			/* eval_emit may move f->v; fi is not used after. */
			if (eval_emit(&c, exp, subject, fl, ARRAY_SIZE(fl),
				      &w->v[j].loc, 1) < 0)
				return -1;
		}
	}
	return 0;
}
