/*
 * yaml_tee.c - one yaml_walk feeding several consumers: each sees the
 * callbacks it would see walking alone, skips included.
 *
 * The tee counts the nodes open itself (a skipped node has no close), so
 * it works whoever drives the ops. A consumer that skips a node at depth d
 * gets nothing until the close of that node; when every consumer skips,
 * the tee asks the walker to skip, and since no close comes, forgets the
 * skips made at that depth at once.
 */
#include "base.h"

static int
tee_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	   struct src_loc loc)
{
	struct yaml_tee *t = ctx;
	size_t i;
	int rc;

	for (i = 0; i < t->n; i++) {
		if (t->skip_at[i] || !t->ops[i]->scalar)
			continue;
		if ((rc = t->ops[i]->scalar(t->ctx[i], w, s, len, loc)) < 0)
			return rc;
	}
	return 0;
}

static int
tee_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct yaml_tee *t = ctx;
	size_t i, skipping = 0;
	int rc, d = ++t->depth;

	for (i = 0; i < t->n; i++) {
		if (!t->skip_at[i] && t->ops[i]->open) {
			rc = t->ops[i]->open(t->ctx[i], w, is_map, loc);
			if (rc < 0)
				return rc;
			if (rc == YAML_WALK_SKIP)
				t->skip_at[i] = d;
		}
		if (t->skip_at[i])
			skipping++;
	}
	if (skipping < t->n)
		return 0;
	for (i = 0; i < t->n; i++)
		if (t->skip_at[i] == d)
			t->skip_at[i] = 0;
	t->depth--;
	return YAML_WALK_SKIP;
}

static int
tee_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct yaml_tee *t = ctx;
	size_t i;
	int rc = 0, d = t->depth--;

	for (i = 0; i < t->n; i++) {
		if (t->skip_at[i] == d) {
			t->skip_at[i] = 0;
			continue;
		}
		if (t->skip_at[i] || !t->ops[i]->close)
			continue;
		if ((rc = t->ops[i]->close(t->ctx[i], w, is_map)) < 0)
			return rc;
	}
	return 0;
}

const struct yaml_walk_ops yaml_tee_ops = {tee_scalar, tee_open, tee_close};
