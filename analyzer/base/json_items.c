/*
 * json_items.c - the elements of a JSON document's top-level "items" array,
 * one at a time, from a byte stream fed in chunks of any size (issue 11):
 * `kubectl get -o json` writes a List whose items are the whole document,
 * and a parser of one element at a time (cJSON) then needs memory for the
 * largest element only.
 *
 * This is not a JSON parser. It tracks strings (with their escapes) and
 * the nesting of braces and brackets, pairs them, and knows the root
 * object's keys; what is inside an element is left to the caller's parser.
 * Only the first "items" key of the root counts (cJSON_GetObjectItem finds
 * the first too), and only when spelled without escapes, as every JSON
 * writer spells it.
 */
#include <string.h>

#include "base.h"

enum {
	JI_START,		/* before the root's '{' */
	JI_ROOT,		/* in the root object, between members */
	JI_ITEMS,		/* in items, between elements */
	JI_ELEM,		/* in an element */
	JI_END,			/* after the root's '}' */
};

/* Where byte it->at of the current chunk is: line and byte column. */
static void
pos(const struct json_items *it, size_t *line, size_t *col)
{
	*line = it->line;
	*col = it->offset + it->at - it->line_start + 1;
}

static int
fail(struct json_items *it, const char *msg)
{
	it->error = msg;
	pos(it, &it->err_line, &it->err_col);
	return -1;
}

/*
 * Bytes that need a look: in a string, its end, an escape or a control
 * character; outside one, a bracket, a quote or a newline. The rest of an
 * element (most of the document) is skipped in runs.
 */
static unsigned char special_str[256], special_out[256];

static void
tables_init(void)
{
	unsigned c;

	if (special_str['"'])
		return;
	for (c = 0; c < 0x20; c++)
		special_str[c] = 1;
	special_str['"'] = special_str['\\'] = 1;
	special_out['"'] = special_out['\n'] = 1;
	special_out['{'] = special_out['}'] = 1;
	special_out['['] = special_out[']'] = 1;
}

void
json_items_init(struct json_items *it, size_t max_item, unsigned max_depth)
{
	memset(it, 0, sizeof(*it));
	buf_init(&it->item);
	it->max_item = max_item;
	it->max_depth = max_depth < JSON_ITEMS_MAX_DEPTH ? max_depth
							 : JSON_ITEMS_MAX_DEPTH;
	it->line = 1;
	tables_init();
}

void
json_items_release(struct json_items *it)
{
	if (it)
		buf_release(&it->item);
}

/* An element over max_item, said where it starts. */
static int
too_large(struct json_items *it)
{
	it->error = "an element of items is too large";
	it->err_line = it->item_line;
	it->err_col = it->item_col;
	return -1;
}

/* Hands the element collected to the callback and starts the next. */
static int
emit(struct json_items *it,
     int (*fn)(void *, const char *, size_t, size_t, size_t), void *ctx)
{
	int rc;

	it->phase = JI_ITEMS;
	it->nitems++;
	if (it->item.oom)
		return fail(it, "out of memory");
	if (it->max_item && it->item.len > it->max_item)
		return too_large(it);
	rc = fn(ctx, buf_cstr(&it->item), it->item.len, it->item_line,
		it->item_col);
	buf_reset(&it->item);
	if (rc < 0) {
		it->stopped = true;
		return fail(it, "stopped by the caller");
	}
	return 0;
}

static bool
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A bracket or brace outside strings: pairs it. */
static int
bracket(struct json_items *it, unsigned char c)
{
	if (c == '{' || c == '[') {
		if (it->depth >= it->max_depth)
			return fail(it, "nested too deeply");
		it->stack[it->depth++] = (char)c;
		return 0;
	}
	if (it->depth == 0 ||
	    it->stack[it->depth - 1] != (c == '}' ? '{' : '['))
		return fail(it, c == '}' ? "unbalanced '}'"
					 : "unbalanced ']'");
	it->depth--;
	return 0;
}

/* Byte c of a string: its end, an escape, a key of the root. */
static int
in_string(struct json_items *it, unsigned char c)
{
	if (it->esc)
		it->esc = false;
	else if (c == '\\')
		it->esc = true;
	else if (c == '"')
		it->in_str = false;
	else if (c < 0x20)
		return fail(it, "control character in a string");
	if (!it->in_key)
		return 0;
	if (it->in_str) {
		if (it->keylen < sizeof(it->key))
			it->key[it->keylen] = (char)c;
		it->keylen++;
		return 0;
	}
	it->in_key = false;
	it->key_is_items = it->keylen == 5 && !memcmp(it->key, "items", 5) &&
			   !it->seen_items;
	it->seen_items |= it->key_is_items;
	return 0;
}

/* Byte c outside strings, not blank. */
static int
structural(struct json_items *it, unsigned char c, bool *in_elem, size_t *run)
{
	switch (it->phase) {
	case JI_START:
		if (c != '{')
			return fail(it, "not a JSON object");
		it->phase = JI_ROOT;
		it->expect_key = true;
		return bracket(it, c);
	case JI_END:
		return fail(it, "text after the document");
	case JI_ITEMS:
		if (it->depth == 2 && c == ',')
			return 0;
		if (it->depth == 2 && c == ']') {
			it->phase = JI_ROOT;
			return bracket(it, c);
		}
		/* An element starts here. */
		it->phase = JI_ELEM;
		*in_elem = true;
		*run = it->at;
		pos(it, &it->item_line, &it->item_col);
		it->elem_scalar = c != '{' && c != '[';
		it->elem_bare = it->elem_scalar && c != '"';
		break;
	default:
		break;
	}
	if (c == '"') {
		it->in_str = true;
		if (it->phase == JI_ROOT && it->depth == 1 && it->expect_key) {
			it->in_key = true;
			it->keylen = 0;
			it->expect_key = false;
		}
		return 0;
	}
	if (it->phase == JI_ROOT && it->depth == 1) {
		if (c == ',')
			it->expect_key = true;
		else if (c == '[' && it->key_is_items)
			it->phase = JI_ITEMS;
		if (c != ':')
			it->key_is_items = false;
	}
	if (c == '{' || c == '[' || c == '}' || c == ']') {
		if (bracket(it, c) < 0)
			return -1;
		if (it->phase == JI_ROOT && it->depth == 0)
			it->phase = JI_END;
	}
	return 0;
}

int
json_items_feed(struct json_items *it, const char *s, size_t len,
		int (*fn)(void *, const char *, size_t, size_t, size_t),
		void *ctx)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, run = 0;	/* run: where this chunk's element bytes start */
	bool in_elem;

	if (it->error)
		return -1;
	in_elem = it->phase == JI_ELEM;
	for (i = 0; i < len; i++) {
		unsigned char c;

		/* The bulk: string bytes, and an element's inner bytes. */
		if (it->in_str && !it->esc && !it->in_key)
			while (i < len && !special_str[u[i]])
				i++;
		else if (!it->in_str && in_elem && it->depth > 2)
			while (i < len && !special_out[u[i]] && u[i] != '"')
				i++;
		if (i == len)
			break;
		c = u[i];
		it->at = i;
		if (it->in_str) {
			if (in_string(it, c) < 0)
				return -1;
			if (!it->in_str && in_elem && it->depth == 2) {
				/* The end of a string element. */
				buf_add(&it->item, s + run, i + 1 - run);
				in_elem = false;
				if (emit(it, fn, ctx) < 0)
					return -1;
			}
		} else {
			if (in_elem && it->elem_bare &&
			    (is_ws(c) || c == ',' || c == ']' || c == '}')) {
				/* The end of a number or literal element. */
				buf_add(&it->item, s + run, i - run);
				in_elem = false;
				if (emit(it, fn, ctx) < 0)
					return -1;
			}
			if (!is_ws(c) && structural(it, c, &in_elem, &run) < 0)
				return -1;
			if (in_elem && !it->elem_scalar && it->depth == 2 &&
			    (c == '}' || c == ']')) {
				/* The end of an object or array element. */
				buf_add(&it->item, s + run, i + 1 - run);
				in_elem = false;
				if (emit(it, fn, ctx) < 0)
					return -1;
			}
		}
		if (c == '\n') {
			it->line++;
			it->line_start = it->offset + i + 1;
		}
	}
	it->at = len;
	if (in_elem) {
		buf_add(&it->item, s + run, len - run);
		if (it->max_item && it->item.len > it->max_item)
			return too_large(it);
	}
	it->offset += len;
	it->at = 0;
	return 0;
}

int
json_items_finish(struct json_items *it)
{
	if (it->error)
		return -1;
	if (it->in_str)
		return fail(it, "unterminated string");
	if (it->phase != JI_END)
		return fail(it, it->phase == JI_START ? "no JSON object"
						      : "the document ends early");
	return 0;
}
