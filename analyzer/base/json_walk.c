/*
 * json_walk.c - a JSON List (kubectl get -o json) walked item by item
 * (issue 11). libyaml reads JSON at a few MB/s; cJSON reads it several
 * times faster, but only whole, in gigabytes for a large List. Here
 * json_items.c finds each element of the root's "items" in the stream,
 * cJSON parses that element alone, and its tree is replayed through the
 * walker's own steps (walk_open, walk_scalar, walk_close): the consumers
 * get the callbacks, paths, checks and locations libyaml's events give
 * them, and the element is freed before the next is read.
 *
 * Locations: cJSON keeps none, so a cursor walks the element's text in
 * the order of cJSON's members (the text is valid JSON, cJSON said so)
 * and turns each value's first byte into line:col, counting characters
 * as libyaml does.
 *
 * What cJSON would read unlike libyaml goes to libyaml itself, which
 * reads the rest of the document from that element on (walk_rest), as
 * it always did: an element cJSON refuses (YAML's flow syntax, or an
 * error, which libyaml then reports in its own words and place), one with
 * a control character, a \u0000, surrogate or bad \u escape, or a
 * character that is not UTF-8 or that libyaml takes for a line break, an
 * element over LIMIT_JSON_ITEM, and the root's members after items when
 * they are not plain JSON. A document that does not open with a root
 * object whose "items" array starts within its first JW_HEAD_MAX bytes,
 * in plain JSON, is left to libyaml whole.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

#define JW_CHUNK (256u << 10)
#define JW_HEAD_MAX (1u << 20)

struct jw {
	struct yaml_walk *w;
	const struct yaml_walk_ops *ops;
	void *ctx;
	struct json_items it;
	struct buf head;	/* owned: every byte read until decided */
	struct buf tail;	/* owned: the bytes after items' ']' */
	bool decided;		/* the walk began: libyaml cannot take over */
	bool fallback;		/* not a List: libyaml reads head, the rest */
	bool root_skipped;	/* open() of the root said skip */
	/*
	 * What cJSON cannot read as libyaml does: libyaml reads the rest
	 * (walk_rest), from rtext: "{a: [\n", the indent, then the element
	 * (its bytes up to file offset rtext_off) or items' ']' and after.
	 */
	bool resume;
	struct buf rtext;	/* owned */
	size_t rtext_off;
	uint32_t rline0, rcol0;	/* where rtext starts (walk_rest) */
};

/* A cursor over JSON text cJSON has read, with the line:col of byte lp. */
struct cur {
	const char *s;
	size_t len, p, lp;
	uint32_t line, col;
};

static struct src_loc
cur_loc(const struct jw *jw, struct cur *c)
{
	const char *nl;

	while ((nl = memchr(c->s + c->lp, '\n', c->p - c->lp))) {
		c->line++;
		c->col = 1;
		c->lp = (size_t)(nl - c->s) + 1;
	}
	for (; c->lp < c->p; c->lp++)
		c->col += ((unsigned char)c->s[c->lp] & 0xc0) != 0x80;
	return (struct src_loc){jw->w->path_name, c->line, c->col};
}

/* Skips blanks and the ',' and ':' between values. */
static void
cur_ws(struct cur *c)
{
	uint64_t x;

	/* kubectl's indentation, eight spaces at a time. */
	while (c->len - c->p >= 8 && (memcpy(&x, c->s + c->p, 8), x ==
				      0x2020202020202020ull))
		c->p += 8;
	while (c->p < c->len && ((unsigned char)c->s[c->p] <= ' ' ||
				 c->s[c->p] == ',' || c->s[c->p] == ':'))
		c->p++;
}

static void
cur_string(struct cur *c)
{
	const char *q;

	/* The next '"' not escaped: the one after an even run of '\\'. */
	for (c->p++; c->p < c->len; c->p = (size_t)(q - c->s) + 1) {
		size_t k = 0;

		q = memchr(c->s + c->p, '"', c->len - c->p);
		if (!q)
			break;
		while (q - k > c->s + c->p && q[-1 - (ptrdiff_t)k] == '\\')
			k++;
		if (k % 2 == 0) {
			c->p = (size_t)(q - c->s) + 1;
			return;
		}
	}
	c->p = c->len;
}

/* Skips the object or array at p. */
static void
cur_skip(struct cur *c)
{
	size_t depth = 0;

	while (c->p < c->len) {
		char ch = c->s[c->p];

		if (ch == '"') {
			cur_string(c);
			continue;
		}
		c->p++;
		if (ch == '{' || ch == '[')
			depth++;
		else if ((ch == '}' || ch == ']') && --depth == 0)
			return;
	}
}

/* The length of the number or literal at p. */
static size_t
cur_bare(const struct cur *c)
{
	size_t n = c->p;

	while (n < c->len && (unsigned char)c->s[n] > ' ' && c->s[n] != ',' &&
	       c->s[n] != ']' && c->s[n] != '}')
		n++;
	return n - c->p;
}

static int replay(struct jw *jw, const cJSON *v, struct cur *c);

static int
replay_key(struct jw *jw, const cJSON *e, struct cur *c)
{
	struct src_loc loc;

	cur_ws(c);
	loc = cur_loc(jw, c);
	cur_string(c);
	return walk_scalar(jw->w, e->string, strlen(e->string), false, loc,
			   jw->ops, jw->ctx);
}

/* The value v, whose text is at c: the walker's steps, in libyaml's order. */
static int
replay(struct jw *jw, const cJSON *v, struct cur *c)
{
	struct yaml_walk *w = jw->w;
	struct src_loc loc;
	const cJSON *e;
	bool is_map = cJSON_IsObject(v);

	cur_ws(c);
	loc = cur_loc(jw, c);
	if (cJSON_IsString(v)) {
		cur_string(c);
		return walk_scalar(w, v->valuestring, strlen(v->valuestring),
				   false, loc, jw->ops, jw->ctx);
	}
	if (!is_map && !cJSON_IsArray(v)) {
		/* libyaml passes a number's text on as it is written. */
		size_t n = cur_bare(c);

		buf_reset(&w->scratch);
		buf_add(&w->scratch, c->s + c->p, n);
		if (w->scratch.oom)
			return diag_error(w->diag, loc, "out of memory");
		c->p += n;
		return walk_scalar(w, buf_cstr(&w->scratch), n, true, loc,
				   jw->ops, jw->ctx);
	}
	if (walk_open(w, is_map, loc, jw->ops, jw->ctx) < 0)
		return -1;
	if (w->skipping) {
		cur_skip(c);
		w->skipping = false;
		return walk_close(w, is_map, jw->ops, jw->ctx, true);
	}
	c->p++;
	for (e = v->child; e; e = e->next)
		if ((is_map && replay_key(jw, e, c) < 0) ||
		    replay(jw, e, c) < 0)
			return -1;
	cur_ws(c);
	c->p++;
	return walk_close(w, is_map, jw->ops, jw->ctx, false);
}

/*
 * True if libyaml reads s[0..len) as cJSON does: UTF-8, no character its
 * reader refuses (C1 controls, U+FFFE, U+FFFF) and none it takes for a
 * line break (U+0085, U+2028, U+2029). ASCII controls are the scanner's.
 */
static bool
utf8_is_plain(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k, n;
	uint32_t cp, min;

	while (i < len) {
		if (u[i] < 0x7f) {
			i++;
			continue;
		}
		if (u[i] >= 0xc2 && u[i] <= 0xdf)
			n = 1, cp = u[i] & 0x1f, min = 0x80;
		else if (u[i] >= 0xe0 && u[i] <= 0xef)
			n = 2, cp = u[i] & 0x0f, min = 0x800;
		else if (u[i] >= 0xf0 && u[i] <= 0xf4)
			n = 3, cp = u[i] & 0x07, min = 0x10000;
		else
			return false;
		if (len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (u[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || cp < 0xa0 ||
		    (cp >= 0xd800 && cp < 0xe000) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0xfffe || cp == 0xffff)
			return false;
		i += n + 1;
	}
	return true;
}

/*
 * Plain ASCII JSON without escapes, and no blanks but spaces in strings
 * (libyaml folds a line break in one): the root's text outside items.
 */
static bool
ascii_is_plain(const char *s, size_t len)
{
	bool in_str = false;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x7f || c == '\\' ||
		    (c < ' ' && (in_str || (c != '\t' && c != '\n' &&
					   c != '\r'))))
			return false;
		if (c == '\r' && (i + 1 == len || s[i + 1] != '\n'))
			return false;	/* a line break to libyaml */
		if (c == '"')
			in_str = !in_str;
	}
	return true;
}

static int decide(struct jw *jw);

/*
 * cJSON's allocations for one element come from one block, bumped, and
 * are all dropped at once before the next element (malloc and free per
 * node were a sixth of the time). cJSON's hooks take no context, hence
 * the static block; the hooks are set around the parse only, and put
 * back as cli/ sets them.
 */
static struct {
	unsigned char *blk;	/* owned */
	size_t used, cap;
	size_t over;		/* bytes asked for past cap: the next cap */
	void **big;		/* owned: the allocations past cap, chained */
} bump;

static void *
bump_alloc(size_t n)
{
	void **b;

	n = (n + 15) & ~(size_t)15;
	if (n <= bump.cap - bump.used) {
		bump.used += n;
		return bump.blk + bump.used - n;
	}
	/* Past the block: alone, and the block grows to fit next time. */
	if (n > SIZE_MAX - 16 || !(b = base_malloc(16 + n)))
		return NULL;
	*b = bump.big;
	bump.big = b;
	bump.over += n;
	return (unsigned char *)b + 16;
}

static void
bump_free(void *p)
{
	(void)p;	/* all at once, in bump_reset */
}

static void
bump_reset(void)
{
	while (bump.big) {
		void **next = *bump.big;

		free(bump.big);
		bump.big = next;
	}
	if (bump.over) {
		size_t cap = bump.cap + bump.over;
		unsigned char *blk = base_malloc(cap);

		if (blk) {
			free(bump.blk);
			bump.blk = blk;
			bump.cap = cap;
		}
		bump.over = 0;
	}
	bump.used = 0;
}

static void
bump_release(void)
{
	bump_reset();
	free(bump.blk);
	memset(&bump, 0, sizeof(bump));
}

/* cJSON's parse of s[0..len) (NUL-terminated) into the bump block. */
static cJSON *
parse_bumped(const char *s, size_t len)
{
	cJSON *v;

	cJSON_InitHooks(&(cJSON_Hooks){bump_alloc, bump_free});
	/* With the NUL: cJSON then checks nothing follows the value. */
	v = cJSON_ParseWithLengthOpts(s, len + 1, NULL, true);
	cJSON_InitHooks(&(cJSON_Hooks){base_malloc, free});
	return v;
}

/*
 * rtext's "{a: [" and the blanks before the file's text at line:col: on
 * the line before it, or on its own line when what came before in the
 * file (sep_line) did; libyaml's look-ahead at a scalar depends on it.
 */
static void
resume_prefix(struct jw *jw, size_t line, size_t col, size_t sep_line)
{
	buf_reset(&jw->rtext);
	buf_adds(&jw->rtext, "{a: [");
	if (sep_line == line) {
		jw->rline0 = (uint32_t)line - 1;
		jw->rcol0 = col > 5 ? 0 : (uint32_t)col - 6;
		col = col > 5 ? col - 5 : 1;
	} else {
		buf_addc(&jw->rtext, '\n');
		jw->rline0 = (uint32_t)line - 2;
		jw->rcol0 = 0;
	}
	while (col-- > 1)
		buf_addc(&jw->rtext, ' ');
	jw->resume = true;
}

/*
 * From the element at line:col on, libyaml reads the document: rtext is
 * its text from s[0..len) (borrowed), which starts at file offset off.
 */
static void
resume_at(struct jw *jw, const char *s, size_t len, size_t off, size_t line,
	  size_t col)
{
	resume_prefix(jw, line, col, jw->it.sep_line);
	buf_add(&jw->rtext, s, len);
	jw->rtext_off = off + len;
}

/* One element of items, whole, from line:col. */
static int
on_item(void *ctx, const char *s, size_t len, size_t line, size_t col)
{
	struct jw *jw = ctx;
	struct cur c;
	cJSON *v = NULL;
	int rc = 0;

	if (!jw->decided && (decide(jw) < 0 || jw->fallback))
		return -1;
	col = jw->it.item_ccol;
	c = (struct cur){s, len, 0, 0, (uint32_t)line, (uint32_t)col};
	if (!jw->it.elem_exotic &&
	    (!jw->it.elem_nonascii || utf8_is_plain(s, len)))
		v = parse_bumped(s, len);
	if (v && !jw->w->skipping)
		rc = replay(jw, v, &c);
	bump_reset();	/* v is gone */
	if (!v) {
		resume_at(jw, s, len, jw->it.item_off, line, col);
		return -1;
	}
	return rc;
}

/*
 * The root up to items' '[' (all in head): walked when cJSON reads it as
 * an object, with "null}" in the place of items; else libyaml reads the
 * whole document (jw->fallback). Returns 0, or -1 after a diagnostic.
 */
static int
decide(struct jw *jw)
{
	struct yaml_walk *w = jw->w;
	size_t n = jw->it.items_off;
	struct buf text = BUF_INIT;
	struct cur c;
	const cJSON *e;
	cJSON *v;
	size_t i = 0;
	int rc = -1;

	/* Before the root, a tab is an error of libyaml's (block context). */
	while (i < n && (jw->head.s[i] == ' ' || jw->head.s[i] == '\n' ||
			 jw->head.s[i] == '\r'))
		i++;
	if (i == n || jw->head.s[i] != '{' || !ascii_is_plain(jw->head.s, n)) {
		jw->fallback = true;
		return 0;
	}
	buf_add(&text, jw->head.s, n);
	buf_adds(&text, "null}");
	v = text.oom ? NULL
		     : cJSON_ParseWithLengthOpts(text.s, text.len + 1, NULL,
						 true);
	if (!cJSON_IsObject(v)) {
		cJSON_Delete(v);
		buf_release(&text);
		jw->fallback = true;
		return 0;
	}
	jw->decided = true;
	w->documents = 1;
	c = (struct cur){text.s, text.len, 0, 0, w->line_base + 1, 1};
	cur_ws(&c);
	if (walk_open(w, true, cur_loc(jw, &c), jw->ops, jw->ctx) < 0)
		goto out;
	c.p++;
	jw->root_skipped = w->skipping;
	for (e = v->child; e && !jw->root_skipped; e = e->next) {
		if (replay_key(jw, e, &c) < 0)
			goto out;
		if (e->next && replay(jw, e, &c) < 0)
			goto out;
	}
	if (!jw->root_skipped) {
		/* items' '[' is where "null" is. */
		cur_ws(&c);
		if (walk_open(w, false, cur_loc(jw, &c), jw->ops, jw->ctx) < 0)
			goto out;
	}
	rc = 0;
out:
	cJSON_Delete(v);
	buf_release(&text);
	buf_release(&jw->head);
	return rc;
}

/*
 * From items' ']' on, libyaml reads the document: the rest of the root
 * cJSON cannot read as libyaml does (or that the scan failed in), or an
 * error to locate. items is not closed yet: the ']' closes it.
 */
static void
resume_tail(struct jw *jw)
{
	resume_prefix(jw, jw->it.items_end_line, jw->it.items_end_ccol,
		      jw->it.sep_line);
	buf_addc(&jw->rtext, ']');
	buf_add(&jw->rtext, jw->tail.s ? jw->tail.s : "", jw->tail.len);
}

/*
 * items' ']', the root's members after it (tail, read whole, as the
 * object "{ "kind": ..." in the place of ", "kind": ..."), the root's
 * '}'. Returns 0, -1 after a diagnostic, or 1 when libyaml is to read it
 * (resume_tail).
 */
static int
walk_end(struct jw *jw)
{
	struct yaml_walk *w = jw->w;
	struct cur c = {jw->tail.s, jw->tail.len, 0, 0,
			(uint32_t)jw->it.items_end_line,
			(uint32_t)jw->it.items_end_ccol + 1};
	const cJSON *e;
	cJSON *v = NULL;

	while (c.p < c.len && (unsigned char)c.s[c.p] <= ' ')
		c.p++;
	if (c.len && memchr(c.s, '\t', c.len)) {
		/* After the root, libyaml refuses a tab at a line's start. */
		resume_tail(jw);
		return 1;
	}
	if (c.p < c.len && c.s[c.p] == ',' && ascii_is_plain(c.s, c.len)) {
		jw->tail.s[c.p] = '{';
		v = cJSON_ParseWithLengthOpts(c.s, c.len + 1, NULL, true);
		jw->tail.s[c.p] = ',';
		if (!v) {
			resume_tail(jw);
			return 1;
		}
	} else if (c.p == c.len || c.s[c.p] != '}') {
		resume_tail(jw);
		return 1;
	}
	if (!jw->root_skipped && walk_close(w, false, jw->ops, jw->ctx,
					    w->skipping) < 0)
		goto fail;
	w->skipping = jw->root_skipped;
	c.p++;
	for (e = v && !jw->root_skipped ? v->child : NULL; e; e = e->next)
		if (replay_key(jw, e, &c) < 0 || replay(jw, e, &c) < 0)
			goto fail;
	cJSON_Delete(v);
	return walk_close(w, true, jw->ops, jw->ctx, jw->root_skipped);
fail:
	cJSON_Delete(v);
	return -1;
}

/* libyaml's end of the stream: the start of the line after the last. */
static struct src_loc
eof_loc(const struct jw *jw)
{
	const struct json_items *it = &jw->it;

	return (struct src_loc){jw->w->path_name,
				(uint32_t)(it->line + (it->line_start !=
						       it->offset)),
				1};
}

/*
 * The scan failed at it->err_*, in items between elements (at the end of
 * the input when eof): the scanner's words, which are libyaml's.
 */
static int
scan_error(struct jw *jw, bool eof)
{
	struct json_items *it = &jw->it;
	struct src_loc loc = {jw->w->path_name, (uint32_t)it->err_line,
			      (uint32_t)it->err_ccol};
	const char *msg = it->error, *ctxw = "";

	if (!strcmp(msg, "stopped by the caller"))
		return -1;
	if (!strcmp(msg, "out of memory"))
		return diag_error(jw->w->diag, loc, "out of memory");
	if (eof) {
		loc = eof_loc(jw);
		msg = it->need_comma ? "did not find expected ',' or ']'"
				     : "did not find expected node content";
	}
	if (!strcmp(msg, "control characters are not allowed"))
		return diag_error(jw->w->diag, loc, "%s", msg);
	if (!strcmp(msg, "did not find expected ',' or ']'"))
		ctxw = " while parsing a flow sequence";
	else if (!strcmp(msg, "did not find expected node content"))
		ctxw = " while parsing a flow node";
	return diag_error(jw->w->diag, loc, "invalid YAML/JSON: %s%s", msg,
			  ctxw);
}

/* The scan failed on the input (not on a callback, nor out of memory). */
static bool
scan_failed(const struct jw *jw)
{
	return jw->it.error && strcmp(jw->it.error, "stopped by the caller") &&
	       strcmp(jw->it.error, "out of memory");
}

int
json_walk_try(struct yaml_walk *w, const struct yaml_walk_ops *ops,
	      void *ctx, int *rcp)
{
	struct jw jw;
	unsigned char *chunk;
	size_t n = 0, off = 0;
	int rc = 0;
	bool eof = false;

	if (!(chunk = base_malloc(JW_CHUNK)))
		return 0;
	memset(&jw, 0, sizeof(jw));
	jw.w = w;
	jw.ops = ops;
	jw.ctx = ctx;
	json_items_init(&jw.it, LIMIT_JSON_ITEM, LIMIT_DEPTH);
	jw.it.line = w->line_base + 1;	/* a part of a file: its lines */
	while (rc == 0) {
		if (!w->src.read(w->src.data, chunk, JW_CHUNK, &n)) {
			if (!jw.decided)
				jw.fallback = true;
			else
				rc = diag_error(w->diag,
						(struct src_loc){w->path_name,
								 0, 0},
						"input error");
			break;
		}
		if (n == 0) {
			eof = true;
			break;
		}
		if (!jw.decided) {
			buf_add(&jw.head, (const char *)chunk, n);
			if (jw.head.oom) {
				rc = diag_error(w->diag,
						(struct src_loc){w->path_name,
								 0, 0},
						"out of memory");
				jw.decided = true;
				break;
			}
		}
		off = jw.it.offset;
		rc = json_items_feed(&jw.it, (const char *)chunk, n, on_item,
				     &jw);
		if (rc == 0 && !jw.decided && jw.it.items_open &&
		    decide(&jw) < 0) {
			jw.it.error = "stopped by the caller";
			rc = -1;
		}
		if (jw.fallback)
			break;
		if (!jw.decided) {
			if (rc < 0 || jw.head.len > JW_HEAD_MAX)
				jw.fallback = true;
			if (jw.fallback)
				break;
			continue;
		}
		if (jw.it.items_closed && !jw.resume) {
			/* The rest of the root, all of the chunk after ']'. */
			size_t from = jw.it.items_end_off + 1 > off
					      ? jw.it.items_end_off + 1 - off
					      : 0;

			if (from < n)
				buf_add(&jw.tail, (const char *)chunk + from,
					n - from);
			if ((rc < 0 && scan_failed(&jw)) ||
			    jw.tail.len > LIMIT_JSON_ITEM) {
				/* libyaml reads it, with the stream's rest. */
				resume_tail(&jw);
				break;
			}
		}
	}
	if (!jw.decided && eof && !jw.head.oom)
		jw.fallback = true;
	if (jw.fallback) {
		/* libyaml reads what was read, then the rest. */
		w->src.pre = jw.head;
		buf_init(&jw.head);
		bump_release();
		free(chunk);
		json_items_release(&jw.it);
		buf_release(&jw.tail);
		buf_release(&jw.rtext);
		return 0;
	}
	if (rc == 0 && eof && !jw.resume)
		rc = json_items_finish(&jw.it);
	if (rc < 0 && !jw.resume && json_items_in_item(&jw.it) &&
	    scan_failed(&jw)) {
		/* The element so far: libyaml reads on from its start. */
		resume_at(&jw, jw.it.item.s ? jw.it.item.s : "",
			  jw.it.item.len, jw.it.item_off, jw.it.item_line,
			  jw.it.item_ccol);
	} else if (rc < 0 && !jw.resume && jw.it.items_closed &&
		   scan_failed(&jw)) {
		resume_tail(&jw);	/* at the end of the input */
	}
	if (rc == 0 && !jw.resume)
		rc = walk_end(&jw);
	/* A failed feed left it.offset at its chunk's start. */
	off = jw.it.offset;
	if (jw.resume) {
		if (!eof && jw.rtext_off >= off && jw.rtext_off - off <= n &&
		    !jw.it.items_closed)
			buf_add(&jw.rtext, (const char *)chunk +
						   (jw.rtext_off - off),
				n - (jw.rtext_off - off));
		if (jw.root_skipped)
			w->skip_nest = 1;	/* for the '[' of "{a: [" */
		rc = walk_rest(w, &jw.rtext, jw.rline0, jw.rcol0, ops, ctx);
	} else if (rc < 0 && jw.it.error) {
		rc = scan_error(&jw, eof);
	}
	*rcp = rc < 0 ? -1 : 0;
	bump_release();
	free(chunk);
	json_items_release(&jw.it);
	buf_release(&jw.head);
	buf_release(&jw.tail);
	buf_release(&jw.rtext);
	return 1;
}
