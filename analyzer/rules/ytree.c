/*
 * ytree.c - a small YAML tree for the rules files and waivers, built from
 * yaml_walk events so every node keeps its line:col. Rules files are a few
 * hundred lines, so holding them whole is cheap and lets the loader check
 * a row as a unit.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Rules files and waivers are small; anything bigger is a mistake. */
#define RULES_FILE_LIMIT (4u << 20)

struct tb {
	struct arena *a;
	struct diag *d;
	struct ynode *root, *cur;
};

/*
 * The key of the entry being entered in a map: the path's tail after the
 * parent frame's path and the '.'. parent is the frame index of the map.
 */
static const char *
entry_key(struct tb *t, struct yaml_walk *w, int parent)
{
	const char *p = yaml_walk_path(w);
	size_t off = yaml_walk_path_len_at(w, parent) + 1;
	size_t len = strlen(p);

	if (off > len)
		return arena_strdup(t->a, "");
	return arena_strndup(t->a, p + off, len - off);
}

static int
tb_add(struct tb *t, struct yaml_walk *w, enum ynode_kind kind,
       struct src_loc loc, int parent_frame, struct ynode **out)
{
	struct ynode *n, *p = t->cur;

	if (!p && t->root)
		return diag_error(t->d, loc,
				  "more than one YAML document in the file");
	if (!(n = arena_alloc(t->a, sizeof(*n))))
		return diag_error(t->d, loc, "out of memory");
	n->kind = kind;
	n->loc = loc;
	*out = n;
	if (!p) {
		t->root = n;
		return 0;
	}
	/*
	 * The walk has refused aliases, merge keys and a key given twice in
	 * one map (with a hash set, not a scan of the siblings).
	 */
	if (p->kind == YN_MAP && !(n->key = entry_key(t, w, parent_frame)))
		return diag_error(t->d, loc, "out of memory");
	n->parent = p;
	if (p->last)
		p->last->next = n;
	else
		p->child = n;
	p->last = n;
	p->n++;
	return 0;
}

static int
tb_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	  struct src_loc loc)
{
	struct tb *t = ctx;
	struct ynode *n;

	if (!t->cur)
		return diag_error(t->d, loc,
				  "expected a mapping or a list, not a scalar");
	if (tb_add(t, w, YN_SCALAR, loc, w->depth - 1, &n) < 0)
		return -1;
	if (!(n->s = arena_strndup(t->a, s, len)))
		return diag_error(t->d, loc, "out of memory");
	n->len = len;
	n->plain = w->plain;
	n->is_null = w->is_null;
	return 0;
}

static int
tb_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct tb *t = ctx;
	struct ynode *n;

	/* The walker has pushed the new frame; the parent is one below. */
	if (tb_add(t, w, is_map ? YN_MAP : YN_SEQ, loc, w->depth - 2, &n) < 0)
		return -1;
	t->cur = n;
	return 0;
}

static int
tb_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct tb *t = ctx;

	(void)w;
	(void)is_map;
	if (t->cur)
		t->cur = t->cur->parent;
	return 0;
}

struct ynode *
rules_yaml_load(struct arena *a, struct diag *d, const char *path,
		const char *expect)
{
	static const struct yaml_walk_ops ops = {tb_scalar, tb_open, tb_close};
	struct yaml_walk w;
	struct yaml_mem m = {NULL, 0, 0};
	struct tb t = {a, d, NULL, NULL};
	char *text;
	size_t len;
	int rc;

	if (file_read_small(d, path, RULES_FILE_LIMIT, &text, &len) < 0)
		return NULL;
	m.s = text;
	m.len = len;
	rc = yaml_walk_run(&w, path, d, yaml_mem_read, &m, &ops, &t);
	free(text);
	if (rc < 0)
		return NULL;
	if (!t.root) {
		diag_error(d, (struct src_loc){path, 0, 0},
			   "empty file: expected %s", expect);
		return NULL;
	}
	return t.root;
}

const struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	const struct ynode *n;

	if (!map || map->kind != YN_MAP)
		return NULL;
	for (n = map->child; n; n = n->next)
		if (!strcmp(n->key, key))
			return n;
	return NULL;
}
