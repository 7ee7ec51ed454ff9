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

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Some byte of x is 0 (no false negatives; Hacker's Delight 6-1). */
static uint64_t
has_zero(uint64_t x)
{
	return (x - ONES) & ~x & HIGHS;
}

/* None of the 8 bytes at p ends a string's bulk: '"', '\\', <0x20, >=0x7f. */
static bool
word_is_plain(const unsigned char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return !((x & HIGHS) | has_zero(x ^ (ONES * '"')) |
		 has_zero(x ^ (ONES * '\\')) | has_zero(x ^ (ONES * 0x7f)) |
		 ((x - ONES * 0x20) & ~x & HIGHS));
}

/* The 8 bytes at p are spaces. */
static bool
word_is_blank(const unsigned char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return x == ONES * ' ';
}

/* UTF-8 continuation bytes in s[0..n): columns count characters. */
static size_t
conts(const unsigned char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += (s[i] & 0xc0) == 0x80;
	return k;
}

/*
 * Where byte it->at of the current chunk is: line, byte column and
 * character column (libyaml's, which a caller's locations must match).
 */
static void
pos(const struct json_items *it, size_t *line, size_t *col, size_t *ccol)
{
	size_t from = it->line_start > it->offset ? it->line_start - it->offset
						  : 0;
	size_t k = it->chunk ? conts(it->chunk + from, it->at - from) : 0;

	if (it->line_start < it->offset)
		k += it->line_conts;
	*line = it->line;
	*col = it->offset + it->at - it->line_start + 1;
	if (ccol)
		*ccol = *col - k;
}

static int
fail(struct json_items *it, const char *msg)
{
	it->error = msg;
	pos(it, &it->err_line, &it->err_col, &it->err_ccol);
	it->err_off = it->offset + it->at;
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
	special_str['"'] = special_str['\\'] = special_str[0x7f] = 1;
	for (c = 0x80; c < 0x100; c++)
		special_str[c] = 1;
	/* Control characters outside strings: only blanks are JSON's. */
	for (c = 0; c < 0x20; c++)
		special_out[c] = c != '\t';
	special_out['"'] = 1;
	for (c = 0x80; c < 0x100; c++)
		special_out[c] = 1;
	special_out['{'] = special_out['}'] = 1;
	special_out['['] = special_out[']'] = 1;
}

void
json_items_init(struct json_items *it, size_t max_item, unsigned max_depth)
{
	memset(it, 0, sizeof(*it));
	it->cr_end = (size_t)-1;
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
	it->err_ccol = it->item_ccol;
	it->err_off = it->item_off;
	return -1;
}

/* Hands the element collected to the callback and starts the next. */
static int
emit(struct json_items *it,
     int (*fn)(void *, const char *, size_t, size_t, size_t), void *ctx)
{
	int rc;

	if (it->item.oom)
		return fail(it, "out of memory");
	if (it->max_item && it->item.len > it->max_item)
		return too_large(it);
	it->phase = JI_ITEMS;
	it->need_comma = true;
	it->nitems++;
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

/*
 * A byte over 0x7f: U+0085, U+2028 and U+2029 end a line for libyaml,
 * whose locations the caller's must match. Bytes apart are no sequence.
 */
static void
u8_byte(struct json_items *it, unsigned char c)
{
	size_t at = it->offset + it->at;

	if (at != it->u8_next)
		it->u8_hist = 0;
	it->u8_hist = (it->u8_hist << 8 | c) & 0xffffff;
	it->u8_next = at + 1;
	if ((it->u8_hist & 0xffff) == 0xc285 || it->u8_hist == 0xe280a8 ||
	    it->u8_hist == 0xe280a9) {
		it->line++;
		it->line_start = at + 1;
	}
}

static bool
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Byte c of a string: its end, an escape, a key of the root. */
static int
in_string(struct json_items *it, unsigned char c)
{
	if (it->uesc && !is_hex(c)) {
		/* cJSON reads "\\u{" as "\\u0000"; libyaml refuses it. */
		it->uesc = 0;
		it->elem_exotic = true;
	}
	if (it->uesc) {
		/* \\uXXXX: NUL and surrogates decode unlike libyaml's. */
		it->uval = it->uval << 4 |
			   (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		if (--it->uesc == 0 && (it->uval == 0 ||
					(it->uval >= 0xd800 && it->uval < 0xe000)))
			it->elem_exotic = true;
	} else if (it->esc) {
		it->esc = false;
		if (c == 'u') {
			it->uesc = 4;
			it->uval = 0;
		}
	} else if (c == '\\') {
		it->esc = true;
	} else if (c == '"') {
		it->in_str = false;
	} else if (c < 0x20) {
		/* JSON has none; libyaml folds a line break, keeps a tab. */
		it->elem_exotic = true;
	} else if (c >= 0x7f) {
		it->elem_nonascii = true;
		if (c >= 0x80)
			u8_byte(it, c);
	}
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

/*
 * A line break at byte i, as libyaml counts them: "\r\n" is one, a lone
 * "\r" one too (it then makes an element libyaml's to read).
 */
static void
line_break(struct json_items *it, const unsigned char *u, size_t len,
	   size_t i)
{
	size_t at = it->offset + i;

	if (u[i] == '\n' && at == it->cr_end) {
		it->line_start = at + 1;
		return;
	}
	it->line++;
	it->line_start = at + 1;
	if (u[i] == '\r') {
		it->cr_end = at + 1;
		if (i + 1 < len && u[i + 1] != '\n' &&
		    it->phase == JI_ELEM)
			it->elem_exotic = true;
		/* At the chunk's end: the next feed looks. */
		it->cr_open = i + 1 == len;
	}
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
		/* One comma between elements; YAML allows one after the last. */
		if (it->depth == 2 && c == ',') {
			if (!it->need_comma)
				return fail(it, "did not find expected node "
					    "content");
			it->need_comma = false;
			it->sep_line = it->line;
			return 0;
		}
		if (it->depth == 2 && c == ']') {
			it->phase = JI_ROOT;
			it->items_closed = true;
			it->items_end_off = it->offset + it->at;
			pos(it, &it->items_end_line, &it->items_end_col,
			    &it->items_end_ccol);
			return bracket(it, c);
		}
		if (it->need_comma)
			return fail(it, "did not find expected ',' or ']'");
		/* An element starts here. */
		it->phase = JI_ELEM;
		*in_elem = true;
		*run = it->at;
		pos(it, &it->item_line, &it->item_col, &it->item_ccol);
		it->item_off = it->offset + it->at;
		it->elem_exotic = it->elem_nonascii = false;
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
		else if (c == '[' && it->key_is_items) {
			it->phase = JI_ITEMS;
			it->items_open = true;
			it->sep_line = it->line;
			it->items_off = it->offset + it->at;
			pos(it, &it->items_line, &it->items_col,
			    &it->items_ccol);
		}
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
	it->chunk = u;
	in_elem = it->phase == JI_ELEM;
	if (it->cr_open && len > 0) {
		it->cr_open = false;
		if (u[0] != '\n' && in_elem)
			it->elem_exotic = true;
	}
	for (i = 0; i < len; i++) {
		unsigned char c;

		/*
		 * The bulk: string bytes, and an element's inner bytes
		 * (mostly indentation), eight at a time where they can be.
		 */
		if (it->in_str && !it->esc && !it->uesc && !it->in_key) {
			while (len - i >= 8 && word_is_plain(u + i))
				i += 8;
			while (i < len && !special_str[u[i]])
				i++;
		} else if (!it->in_str && in_elem && it->depth > 2) {
			while (len - i >= 8 && word_is_blank(u + i))
				i += 8;
			while (i < len && !special_out[u[i]] && u[i] != '"')
				i++;
		}
		if (i == len)
			break;
		c = u[i];
		it->at = i;
		if (it->in_str) {
			if (in_string(it, c) < 0)
				return -1;
		} else {
			if (in_elem && it->depth == 2 && (c == ',' || c == ']')) {
				/*
				 * An element ends where the next starts, or
				 * items: its blanks, and whatever is not
				 * JSON ("a b", "k": v, {} x), are its own,
				 * for the caller's parser to refuse.
				 */
				buf_add(&it->item, s + run, i - run);
				in_elem = false;
				if (emit(it, fn, ctx) < 0)
					return -1;
			}
			if (c < 0x20 && !is_ws(c)) {
				/* Not JSON; libyaml's reader refuses it. */
				if (!in_elem)
					return fail(it, "control characters "
						    "are not allowed");
				it->elem_exotic = true;
			} else if (c >= 0x80 && in_elem) {
				u8_byte(it, c);	/* not JSON: cJSON says so */
			} else if (!is_ws(c) &&
				   structural(it, c, &in_elem, &run) < 0) {
				return -1;
			}
		}
		if (c == '\n' || c == '\r')
			line_break(it, u, len, i);
	}
	it->at = len;
	/* Characters of the current line so far, for pos() in a later chunk. */
	if (it->line_start >= it->offset)
		it->line_conts = conts(u + (it->line_start - it->offset),
				       len - (it->line_start - it->offset));
	else
		it->line_conts += conts(u, len);
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

bool
json_items_in_item(const struct json_items *it)
{
	return it->phase == JI_ELEM;
}
