/*
 * yaml_walk.c - libyaml's event loop with the current path, shared by the
 * ingest parsers (YAML and kubectl's JSON alike) and the rules loader.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "internal.h"

int
yaml_mem_read(void *data, unsigned char *out, size_t size, size_t *size_read)
{
	struct yaml_mem *m = data;
	size_t n = m->len - m->off;

	if (n > size)
		n = size;
	memcpy(out, m->s + m->off, n);
	m->off += n;
	*size_read = n;
	return 1;
}

const char *
yaml_walk_path(const struct yaml_walk *w)
{
	return buf_cstr(&w->path);
}

bool
yaml_walk_last_key_is(const struct yaml_walk *w, const char *const *names,
		      size_t n)
{
	const char *path = buf_cstr(&w->path), *end = path + w->path.len;
	const char *last = end;
	size_t i, len;

	while (last > path && last[-1] != '.')
		last--;
	len = (size_t)(end - last);
	if (len == 0 || last == path)
		return false;
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && !memcmp(last, names[i], len))
			return true;
	return false;
}

size_t
yaml_walk_path_len_at(const struct yaml_walk *w, int i)
{
	if (i < 0 || i >= w->depth)
		return w->path.len;
	return w->stack[i].path_len;
}

/* A libyaml mark in the file (a text walked alone starts at line0:col0). */
static struct src_loc
mark_loc(const struct yaml_walk *w, yaml_mark_t m)
{
	struct src_loc loc = {w->path_name,
			      w->line_base + (uint32_t)m.line + 1 + w->line0,
			      (uint32_t)m.column + 1 +
				      (m.line == 0 ? w->col0 : 0)};
	return loc;
}

static void
buf_truncate_path(struct yaml_walk *w, size_t len)
{
	w->path.len = len;
	if (w->path.s)
		w->path.s[len] = '\0';
}

/* A value is about to start in the top frame: extend the path. */
static void
enter_value(struct yaml_walk *w)
{
	struct yaml_walk_frame *f;

	if (w->depth == 0)
		return;
	f = &w->stack[w->depth - 1];
	if (!f->is_map) {
		buf_truncate_path(w, f->path_len);
		buf_add(&w->path, "[]", 2);
		f->index++;
	}
}

/* A value in the top frame is complete: drop it from the path. */
static void
leave_value(struct yaml_walk *w)
{
	struct yaml_walk_frame *f;

	if (w->depth == 0)
		return;
	f = &w->stack[w->depth - 1];
	w->path.len = f->path_len;
	if (w->path.s)
		w->path.s[w->path.len] = '\0';
	if (f->is_map)
		f->want_key = true;
}

/*
 * The keys of every open mapping are kept in one hash set, keyed by the
 * mapping's depth and the key's bytes (only one mapping is open at each
 * depth), so that a repeated key is found in constant time however large
 * the mapping. A mapping's keys leave the set when it closes.
 *
 * The hash is FNV-1a started from a seed that differs between runs (the
 * address space layout), then mixed (murmur3's finalizer): keys crafted to
 * collide under plain FNV-1a, which is cheap, do not pile up in one probe
 * chain. Nothing visible depends on the seed.
 */
static uint32_t
key_hash(const struct yaml_walk *w, int depth, const char *s, size_t len)
{
	uint32_t h = w->key_seed ^ ((uint32_t)depth * 0x9e3779b9u);
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static const char seed_anchor;

static uint32_t
key_seed(const struct yaml_walk *w)
{
	uintptr_t x = (uintptr_t)w ^ ((uintptr_t)&seed_anchor << 7);

	return (uint32_t)x ^ (uint32_t)((uint64_t)x >> 32) ^ 2166136261u;
}

static bool
key_is(const struct yaml_walk *w, const struct yaml_walk_key *k, int depth,
       uint32_t h, const char *s, size_t len)
{
	return k->hash == h && k->depth == depth && k->len == len &&
	       (len == 0 || !memcmp(w->key_text.s + k->off, s, len));
}

/* Grows the slot array to twice its size and puts every key back. */
static int
key_slots_grow(struct yaml_walk *w)
{
	size_t cap = w->key_slots_cap ? w->key_slots_cap * 2 : 64, i, j;
	size_t *slots;

	if (cap > SIZE_MAX / sizeof(*slots) ||
	    !(slots = base_malloc(cap * sizeof(*slots))))
		return -1;
	memset(slots, 0, cap * sizeof(*slots));
	for (i = 0; i < w->keys.n; i++) {
		for (j = w->keys.v[i].hash & (cap - 1); slots[j];
		     j = (j + 1) & (cap - 1))
			;
		slots[j] = i + 1;
	}
	free(w->key_slots);
	w->key_slots = slots;
	w->key_slots_cap = cap;
	return 0;
}

/*
 * Records key s[0..len) of the mapping on top of the stack, or reports
 * that the mapping has it already.
 */
static int
key_add(struct yaml_walk *w, const char *s, size_t len, struct src_loc loc)
{
	int depth = w->depth - 1;
	uint32_t h = key_hash(w, depth, s, len);
	struct yaml_walk_key *k;
	size_t j, mask;

	if ((w->keys.n + 1) * 2 > w->key_slots_cap && key_slots_grow(w) < 0)
		return diag_error(w->diag, loc, "out of memory");
	mask = w->key_slots_cap - 1;
	for (j = h & mask; w->key_slots[j]; j = (j + 1) & mask) {
		k = &w->keys.v[w->key_slots[j] - 1];
		if (key_is(w, k, depth, h, s, len)) {
			struct buf shown = BUF_INIT;
			int rc;

			esc_display(&shown, s, len > 64 ? 64 : len);
			rc = diag_error(w->diag, loc,
					"duplicate key '%s%s' (first on line "
					"%u)",
					shown.oom ? "" : buf_cstr(&shown),
					len > 64 ? "..." : "",
					(unsigned)k->loc.line);
			buf_release(&shown);
			return rc;
		}
	}
	if (!(k = vec_push(&w->keys)))
		return diag_error(w->diag, loc, "out of memory");
	k->hash = h;
	k->depth = depth;
	k->off = w->key_text.len;
	k->len = len;
	k->loc = loc;
	buf_add(&w->key_text, s, len);
	if (w->key_text.oom)
		return diag_error(w->diag, loc, "out of memory");
	w->key_slots[j] = w->keys.n;
	return 0;
}

/*
 * Drops the keys of the mapping on top of the stack from the set, newest
 * first, with backward-shift deletion (linear probing has no tombstones).
 */
static void
keys_drop(struct yaml_walk *w, const struct yaml_walk_frame *f)
{
	size_t mask = w->key_slots_cap - 1, i, j, home;

	while (w->keys.n > f->nkeys) {
		size_t idx = w->keys.n--;

		for (i = w->keys.v[idx - 1].hash & mask; w->key_slots[i] != idx;
		     i = (i + 1) & mask)
			;
		w->key_slots[i] = 0;
		for (j = (i + 1) & mask; w->key_slots[j]; j = (j + 1) & mask) {
			home = w->keys.v[w->key_slots[j] - 1].hash & mask;
			/* Move the entry back unless its home is in (i, j]. */
			if (i <= j ? (i < home && home <= j)
				   : (i < home || home <= j))
				continue;
			w->key_slots[i] = w->key_slots[j];
			w->key_slots[j] = 0;
			i = j;
		}
	}
	w->key_text.len = f->key_text_len;
}

static bool
is_plain_null(const char *v, size_t n)
{
	return n == 0 || (n == 1 && v[0] == '~') ||
	       (n == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) ||
			   !memcmp(v, "NULL", 4)));
}

int
walk_scalar(struct yaml_walk *w, const char *v, size_t n, bool plain,
	    struct src_loc loc, const struct yaml_walk_ops *ops, void *ctx)
{
	struct yaml_walk_frame *f = w->depth ? &w->stack[w->depth - 1] : NULL;
	int rc = 0;

	if (f && f->is_map && f->want_key) {
		if (plain && n == 2 && !memcmp(v, "<<", 2))
			return diag_error(w->diag, loc,
					  "YAML merge key '<<' is not supported");
		if (key_add(w, v, n, loc) < 0)
			return -1;
		/* Keys become path elements; only short keys matter to us. */
		buf_addc(&w->path, '.');
		buf_add(&w->path, v, n > 256 ? 256 : n);
		f->want_key = false;
		if (w->path.oom)
			return diag_error(w->diag, loc, "out of memory");
		return 0;
	}
	enter_value(w);
	w->plain = plain;
	w->is_null = plain && is_plain_null(v, n);
	if (ops->scalar)
		rc = ops->scalar(ctx, w, v, n, loc);
	leave_value(w);
	return rc;
}

static int
on_scalar(struct yaml_walk *w, const yaml_event_t *ev,
	  const struct yaml_walk_ops *ops, void *ctx)
{
	return walk_scalar(w, (const char *)ev->data.scalar.value,
			   ev->data.scalar.length,
			   ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE,
			   mark_loc(w, ev->start_mark), ops, ctx);
}

static int
depth_error(struct yaml_walk *w, struct src_loc loc)
{
	return diag_error(w->diag, loc, "nesting deeper than %d levels",
			  LIMIT_DEPTH);
}

int
walk_open(struct yaml_walk *w, bool is_map, struct src_loc loc,
	  const struct yaml_walk_ops *ops, void *ctx)
{
	struct yaml_walk_frame *f;

	if (w->depth == LIMIT_DEPTH)
		return depth_error(w, loc);
	if (w->depth && w->stack[w->depth - 1].is_map &&
	    w->stack[w->depth - 1].want_key)
		return diag_error(w->diag, loc,
				  "a %s as a mapping key is not supported",
				  is_map ? "mapping" : "sequence");
	enter_value(w);
	f = &w->stack[w->depth++];
	f->is_map = is_map;
	f->want_key = is_map;
	f->path_len = w->path.len;
	f->index = 0;
	f->nkeys = w->keys.n;
	f->key_text_len = w->key_text.len;
	if (w->path.oom)
		return diag_error(w->diag, loc, "out of memory");
	if (ops->open) {
		int rc = ops->open(ctx, w, is_map, loc);

		if (rc == YAML_WALK_SKIP) {
			w->skipping = true;
			w->skip_nest = 0;
			return 0;
		}
		return rc;
	}
	return 0;
}

/*
 * Inside a skipped node only the nesting is followed, and limited like
 * everywhere else. Returns 1 if the event was consumed, 0 if not (the
 * skipped node's own end, so that it pops its frame without a close()
 * call), or -1 after a diagnostic.
 */
static int
skip_event(struct yaml_walk *w, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if ((unsigned)w->depth + w->skip_nest >= LIMIT_DEPTH)
			return depth_error(w, mark_loc(w, ev->start_mark));
		w->skip_nest++;
		return 1;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		if (w->skip_nest == 0) {
			w->skipping = false;
			return 0;
		}
		w->skip_nest--;
		return 1;
	case YAML_SCALAR_EVENT:
	case YAML_ALIAS_EVENT:
		return 1;
	default:
		return 0;
	}
}

int
walk_close(struct yaml_walk *w, bool is_map, const struct yaml_walk_ops *ops,
	   void *ctx, bool skipped)
{
	int rc = 0;

	if (ops->close && !skipped)
		rc = ops->close(ctx, w, is_map);
	if (is_map)
		keys_drop(w, &w->stack[w->depth - 1]);
	w->depth--;
	leave_value(w);
	return rc;
}

/*
 * An alias stands for a node seen before. Expanding it invites billion
 * laughs; ignoring it would lose the fact it stands for ("serverVersion:
 * *cv"). kubectl never writes one, so it is refused where it is read.
 */
static int
on_alias(struct yaml_walk *w, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct src_loc loc = mark_loc(w, ev->start_mark);

	diag_error(w->diag, loc, "YAML alias '*%.64s' is not supported",
		   name ? name : "");
	diag_note(w->diag, loc, "write the value out in full: aliases are "
		  "not expanded");
	return -1;
}

/*
 * The '\n' bytes of s[0..len), eight at a time: a byte of x is zero where
 * s has a newline, and ((x & 0x7f..) + 0x7f..) | x has its high bit set
 * exactly where x's byte is not zero.
 */
static size_t
count_newlines(const unsigned char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101u, low7 = ones * 0x7f;
	size_t i = 0, n = 0;
	uint64_t x, t;

	for (; i + 8 <= len; i += 8) {
		memcpy(&x, s + i, 8);
		x ^= ones * '\n';
		t = ~(((x & low7) + low7) | x) & (ones << 7);
		n += (size_t)(((t >> 7) * ones) >> 56);
	}
	for (; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/*
 * Advances line and col over s[0..len). Every input byte passes here, so
 * newlines are counted a word at a time and only the bytes after the last
 * one are counted as columns (the byte loop was 5% of a manifests run).
 */
static void
src_count(struct yaml_walk_src *src, const unsigned char *s, size_t len)
{
	size_t i, lines = count_newlines(s, len), from = len;

	if (lines) {
		src->line += lines;
		src->col = 1;
		while (from > 0 && s[from - 1] != '\n')
			from--;
	} else {
		from = 0;
	}
	for (i = from; i < len; i++)
		src->col += (s[i] & 0xc0) != 0x80;
}

/* Keeps at most this many bytes of the previous read in the window. */
#define SRC_KEEP 8

/*
 * The yaml_read_fn the walker gives libyaml: calls the caller's, and keeps
 * the bytes just read (plus the last few before them, in case libyaml
 * still holds an incomplete UTF-8 sequence from the previous read).
 */
static int
src_read(void *data, unsigned char *out, size_t size, size_t *size_read)
{
	struct yaml_walk_src *src = data;
	size_t keep;

	if (src->pre_off < src->pre.len) {
		/* What the JSON path read before it gave the input back. */
		*size_read = src->pre.len - src->pre_off < size
				     ? src->pre.len - src->pre_off
				     : size;
		memcpy(out, src->pre.s + src->pre_off, *size_read);
		src->pre_off += *size_read;
	} else if (!src->read(src->data, out, size, size_read)) {
		return 0;
	}
	keep = src->win.len < SRC_KEEP ? src->win.len : SRC_KEEP;
	src_count(src, (const unsigned char *)src->win.s,
		  src->win.len - keep);
	src->win_off += src->win.len - keep;
	if (keep)
		memmove(src->win.s, src->win.s + src->win.len - keep, keep);
	src->win.len = keep;
	buf_add(&src->win, (const char *)out, *size_read);
	src->off += *size_read;
	/* Without the window an error is located at libyaml's mark. */
	if (src->win.oom) {
		buf_release(&src->win);
		src->win.oom = true;
	}
	return 1;
}

/*
 * Where a reader error happened: libyaml gives the byte offset only (its
 * mark is still where the scanner is, up to a buffer behind).
 */
static struct src_loc
reader_error_loc(struct yaml_walk *w, const yaml_parser_t *parser)
{
	struct yaml_walk_src at = w->src;
	size_t off = parser->problem_offset;

	if (w->src.win.oom || off < at.win_off ||
	    off - at.win_off > at.win.len)
		return mark_loc(w, parser->problem_mark);
	src_count(&at, (const unsigned char *)at.win.s, off - at.win_off);
	return (struct src_loc){w->path_name, at.line, at.col};
}

static int
parse_error(struct yaml_walk *w, const yaml_parser_t *parser)
{
	struct src_loc loc = mark_loc(w, parser->problem_mark);

	if (parser->error == YAML_MEMORY_ERROR)
		return diag_error(w->diag, loc, "out of memory");
	if (parser->error == YAML_READER_ERROR)
		return diag_error(w->diag, reader_error_loc(w, parser), "%s",
				  parser->problem ? parser->problem
						  : "read error");
	return diag_error(w->diag, loc, "invalid YAML/JSON: %s%s%s",
			  parser->problem ? parser->problem : "syntax error",
			  parser->context ? " " : "",
			  parser->context ? parser->context : "");
}

static void
walk_release(struct yaml_walk *w)
{
	buf_release(&w->path);
	buf_release(&w->key_text);
	vec_release(&w->keys);
	free(w->key_slots);
	w->key_slots = NULL;
	w->key_slots_cap = 0;
	buf_release(&w->src.win);
	buf_release(&w->src.pre);
	buf_release(&w->scratch);
}

/*
 * The event loop. resume: the text starts with "{a: [", which stands for
 * the root and items w has open (walk_rest), in a document counted.
 */
static int
run_events(struct yaml_walk *w, yaml_parser_t *parser,
	   const struct yaml_walk_ops *ops, void *ctx, bool resume)
{
	static const yaml_event_type_t opening[] = {
		YAML_MAPPING_START_EVENT, YAML_SCALAR_EVENT,
		YAML_SEQUENCE_START_EVENT,
	};
	yaml_event_t ev;
	int rc = 0;
	bool done = false, was_skipping;
	unsigned opened = resume ? 0 : 3;
	unsigned docs = 0;

	while (!done && rc == 0) {
		if (!yaml_parser_parse(parser, &ev)) {
			rc = parse_error(w, parser);
			break;
		}
		w->events++;
		if (opened < 3 && ev.type == opening[opened]) {
			opened++;
			yaml_event_delete(&ev);
			continue;
		}
		was_skipping = w->skipping;
		if (w->skipping && (rc = skip_event(w, &ev)) != 0) {
			yaml_event_delete(&ev);
			if (rc > 0)
				rc = 0;
			continue;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			/* Resumed, the first is the one w counted. */
			if (!resume || docs++ > 0)
				w->documents++;
			break;
		case YAML_MAPPING_START_EVENT:
			rc = walk_open(w, true, mark_loc(w, ev.start_mark), ops,
				       ctx);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = walk_open(w, false, mark_loc(w, ev.start_mark),
				       ops, ctx);
			break;
		case YAML_MAPPING_END_EVENT:
			rc = walk_close(w, true, ops, ctx, was_skipping);
			break;
		case YAML_SEQUENCE_END_EVENT:
			rc = walk_close(w, false, ops, ctx, was_skipping);
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(w, &ev, ops, ctx);
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(w, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	return rc;
}

int
walk_rest(struct yaml_walk *w, struct buf *text, uint32_t line0,
	  uint32_t col0, const struct yaml_walk_ops *ops, void *ctx)
{
	yaml_parser_t parser;
	int rc;

	buf_release(&w->src.pre);
	w->src.pre = *text;
	buf_init(text);
	if (w->src.pre.oom || !yaml_parser_initialize(&parser))
		return diag_error(w->diag, (struct src_loc){w->path_name,
							    line0 + 1, 1},
				  "out of memory");
	w->src.pre_off = w->src.off = w->src.win_off = 0;
	w->src.win.len = 0;
	/* Unsigned: line 0 or a column left of 1 wraps, and back. */
	w->src.line = line0 + 1;
	w->src.col = col0 + 1;
	w->line0 = line0 - w->line_base;
	w->col0 = col0;
	yaml_parser_set_input(&parser, src_read, &w->src);
	rc = run_events(w, &parser, ops, ctx, true);
	yaml_parser_delete(&parser);
	return rc;
}

int
yaml_walk_run(struct yaml_walk *w, const char *path_name, struct diag *d,
	      yaml_read_fn read, void *read_data,
	      const struct yaml_walk_ops *ops, void *ctx)
{
	return yaml_walk_run_at(w, path_name, 0, d, read, read_data, ops,
				ctx);
}

int
yaml_walk_run_at(struct yaml_walk *w, const char *path_name,
		 uint32_t line_base, struct diag *d, yaml_read_fn read,
		 void *read_data, const struct yaml_walk_ops *ops, void *ctx)
{
	yaml_parser_t parser;
	int rc = 0;

	memset(w, 0, sizeof(*w));
	w->path_name = path_name;
	w->diag = d;
	w->src.read = read;
	w->src.data = read_data;
	w->line_base = line_base;
	w->src.line = line_base + 1;
	w->src.col = 1;
	w->key_seed = key_seed(w);
	/* A JSON List: item by item (json_walk.c); else libyaml reads it. */
	if (!getenv("SKEWPLAN_NO_JSON_ITEMS") &&
	    json_walk_try(w, ops, ctx, &rc)) {
		walk_release(w);
		return rc;
	}
	if (!yaml_parser_initialize(&parser)) {
		walk_release(w);
		return diag_error(d, (struct src_loc){path_name, 0, 0},
				  "out of memory");
	}
	yaml_parser_set_input(&parser, src_read, &w->src);
	rc = run_events(w, &parser, ops, ctx, false);
	yaml_parser_delete(&parser);
	walk_release(w);
	return rc;
}
