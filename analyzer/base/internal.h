/*
 * internal.h - private to base/: the walker's steps (yaml_walk.c), which
 * json_walk.c replays a cJSON tree through, so that a JSON List read item
 * by item gives the callbacks, paths and checks libyaml's events give.
 */
#ifndef SKEWPLAN_BASE_INTERNAL_H
#define SKEWPLAN_BASE_INTERNAL_H

#include "base.h"

/*
 * One scalar at loc: a key when the open mapping wants one (path, the
 * duplicate check), else a value for ops->scalar. plain: not quoted.
 * Returns 0 or -1 after a diagnostic.
 */
int walk_scalar(struct yaml_walk *w, const char *v, size_t n, bool plain,
		struct src_loc loc, const struct yaml_walk_ops *ops,
		void *ctx);
/*
 * A mapping or sequence opens at loc. Returns 0 (w->skipping is set when
 * ops->open said skip) or -1 after a diagnostic.
 */
int walk_open(struct yaml_walk *w, bool is_map, struct src_loc loc,
	      const struct yaml_walk_ops *ops, void *ctx);
/* The node on top closes; skipped: its open() said skip (no close()). */
int walk_close(struct yaml_walk *w, bool is_map,
	       const struct yaml_walk_ops *ops, void *ctx, bool skipped);
/*
 * Walks the rest of w's input with libyaml: text (taken), which starts
 * with "{a: [" standing for the root and items w has open, then what
 * w->src reads. The text's first line is line line0 + 1 of the file, its
 * first column col0 + 1 (both may wrap below 1: the prefix stands left
 * of the file's text). What cJSON cannot read (YAML's flow syntax, an
 * error, an element over LIMIT_JSON_ITEM) is read from its element on as
 * libyaml always did. Returns 0 or -1 after a diagnostic.
 */
int walk_rest(struct yaml_walk *w, struct buf *text, uint32_t line0,
	      uint32_t col0, const struct yaml_walk_ops *ops, void *ctx);
/*
 * json_walk.c: reads w's input through w->src. Returns 1 when the input
 * was a JSON List and was walked (*rc: 0, or -1 after a diagnostic), 0
 * when it is not one: what was read is in w->src.pre for libyaml.
 */
int json_walk_try(struct yaml_walk *w, const struct yaml_walk_ops *ops,
		  void *ctx, int *rc);

#endif
