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
	if (!(root = rules_yaml_load(db->arena, d, p,
				     "a YAML list of waivers")))
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

/* ---------------------------------------------------------- index */

/* fnmatch(3) treats these specially; a subject without them is exact. */
static bool
is_glob(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

/* Appends "rule\0subject", the key of the exact index, to b. */
static void
exact_key(struct buf *b, const char *rule, const char *subject)
{
	buf_reset(b);
	buf_adds(b, rule);
	buf_addc(b, '\0');
	buf_adds(b, subject);
}

int
waiver_index_build(struct waiver_index *ix, struct arena *a,
		   const struct waivers *w)
{
	struct buf key = BUF_INIT;
	struct waiver_globs *g;
	uintptr_t k;
	char *kept;
	size_t i;
	int rc = 0;

	memset(ix, 0, sizeof(*ix));
	ix->w = w;
	for (i = 0; i < w->n && rc == 0; i++) {
		const struct waiver *wv = &w->v[i];

		if (!is_glob(wv->subject)) {
			exact_key(&key, wv->rule, wv->subject);
			/* The first waiver in the file wins. */
			if (key.oom)
				rc = -1;
			else if (strmap_get(&ix->exact, key.s, key.len))
				continue;
			else if (!(kept = arena_alloc(a, key.len)) ||
				 (memcpy(kept, key.s, key.len),
				  strmap_put(&ix->exact, kept, key.len,
					     (void *)wv) < 0))
				rc = -1;
			continue;
		}
		k = (uintptr_t)strmap_get(&ix->by_rule, wv->rule,
					  strlen(wv->rule));
		if (k == 0) {
			if (!(g = vec_push(&ix->globs)) ||
			    strmap_put(&ix->by_rule, wv->rule,
				       strlen(wv->rule),
				       (void *)(uintptr_t)ix->globs.n) < 0) {
				rc = -1;
				break;
			}
		} else {
			g = &ix->globs.v[k - 1];
		}
		if (!vec_push(&g->idx))
			rc = -1;
		else
			g->idx.v[g->idx.n - 1] = i;
	}
	buf_release(&key);
	if (rc < 0)
		waiver_index_release(ix);
	return rc;
}

void
waiver_index_release(struct waiver_index *ix)
{
	struct waiver_globs *g;

	if (!ix)
		return;
	vec_foreach(&ix->globs, g)
		vec_release(&g->idx);
	vec_release(&ix->globs);
	strmap_release(&ix->exact);
	strmap_release(&ix->by_rule);
	buf_release(&ix->key);
}

const struct waiver *
waiver_index_find(struct waiver_index *ix, const char *rule,
		  const char *subject)
{
	const struct waiver *exact = NULL;
	const struct waiver_globs *g;
	uintptr_t k;
	size_t i;

	exact_key(&ix->key, rule, subject);
	if (!ix->key.oom)
		exact = strmap_get(&ix->exact, ix->key.s, ix->key.len);
	k = (uintptr_t)strmap_get(&ix->by_rule, rule, strlen(rule));
	if (k == 0)
		return exact;
	/* A glob earlier in the file than the exact waiver comes first. */
	g = &ix->globs.v[k - 1];
	for (i = 0; i < g->idx.n; i++) {
		const struct waiver *wv = &ix->w->v[g->idx.v[i]];

		if (exact && wv > exact)
			break;
		if (fnmatch(wv->subject, subject, 0) == 0)
			return wv;
	}
	return exact;
}

/* ---------------------------------------------------------- apply */

int
rules_waivers_apply(const struct rules_db *db, const struct waivers *w,
		    long as_of, struct diag *d, struct findings *f)
{
	const struct rule *exp = rules_find(db, "waiver-expired");
	const struct waiver *wv;
	struct waiver_index ix;
	size_t i, n = f->n;
	struct eval_ctx c;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.db = db;
	c.a = db->arena;
	c.d = d;
	c.out = f;
	if (w->n == 0)
		return 0;
	if (waiver_index_build(&ix, db->arena, w) < 0)
		return diag_plain(d, DIAG_ERROR, "out of memory");
	for (i = 0; i < n && rc == 0; i++) {
		struct finding *fi = &f->v[i];

		if (fi->rule->check == CK_WAIVER_EXPIRED)
			continue;
		if (!(wv = waiver_index_find(&ix, fi->rule->id, fi->subject)))
			continue;
		fi->waiver = wv;
		if (as_of <= wv->expires) {
			fi->suppressed = true;
			continue;
		}
		fi->waiver_expired = true;
		if (exp) {
			struct fill fl[] = {
				{"rule", wv->rule},
				{"date", eval_date(&c, wv->expires)},
			};
			const char *subject = fi->subject;

			/* eval_emit may move f->v; fi is not used after. */
			rc = eval_emit(&c, exp, subject, fl, ARRAY_SIZE(fl),
				       &wv->loc, 1);
		}
	}
	waiver_index_release(&ix);
	return rc;
}
