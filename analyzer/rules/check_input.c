/*
 * check_input.c - findings about the captures themselves: content that was
 * skipped because it could not be read (ingest's recovery path).
 */
#include <string.h>

#include "internal.h"

/*
 * One input-skipped finding per skipped record. The subject is its
 * "path:line:col", so a waiver can name one line or glob a whole file
 * ("captures/nodes.txt:*").
 */
int
check_input_skipped(struct eval_ctx *c, const struct rule *r)
{
	const struct skipped *sk;

	vec_foreach(&c->cs->skipped, sk) {
		const char *where = src_loc_str(c->a, sk->loc);
		struct fill f[] = {
			{"path", where}, {"text", sk->text},
			{"reason", sk->reason},
		};

		if (!where) {
			c->oom = true;
			return diag_plain(c->d, DIAG_ERROR, "out of memory");
		}
		if (eval_emit(c, r, where, f, ARRAY_SIZE(f), &sk->loc, 1) < 0)
			return -1;
	}
	return 0;
}

int
rules_input_findings(const struct rules_db *db,
		     const struct cluster_state *cs, struct diag *d,
		     struct findings *out)
{
	struct eval_ctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.db = db;
	c.cs = cs;
	c.a = db->arena;
	c.d = d;
	c.out = out;
	for (i = 0; i < db->rules.n; i++)
		if (db->rules.v[i].check == CK_INPUT_SKIPPED &&
		    check_input_skipped(&c, &db->rules.v[i]) < 0)
			return -1;
	return 0;
}
