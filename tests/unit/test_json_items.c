/*
 * test_json_items.c - the scanner of a JSON List's items (base/json_items.c):
 * each element whole in any chunking, strings and escapes respected, only
 * the root's first "items", and every malformed document an error with
 * its line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "../../analyzer/base/base.h"

struct got {
	char text[8][256];
	size_t line[8], col[8];
	size_t n;
	int stop_at;		/* return -1 for this element (1-based) */
};

static int
on_item(void *ctx, const char *s, size_t len, size_t line, size_t col)
{
	struct got *g = ctx;

	assert_int_equal(strlen(s), len);
	if (g->n < 8 && len < sizeof(g->text[0])) {
		memcpy(g->text[g->n], s, len + 1);
		g->line[g->n] = line;
		g->col[g->n] = col;
	}
	g->n++;
	return g->stop_at && (int)g->n == g->stop_at ? -1 : 0;
}

/* Scans doc in chunks of chunk bytes; 0 or -1 as the scanner says. */
static int
scan(const char *doc, size_t chunk, struct got *g, struct json_items *it,
     size_t max_item, unsigned max_depth)
{
	size_t len = strlen(doc), i;
	int rc = 0;

	json_items_init(it, max_item, max_depth);
	for (i = 0; rc == 0 && i < len; i += chunk)
		rc = json_items_feed(it, doc + i,
				     len - i < chunk ? len - i : chunk,
				     on_item, g);
	if (rc == 0)
		rc = json_items_finish(it);
	return rc;
}

static void
elements_are_whole_in_any_chunking(void **state)
{
	static const char doc[] =
		"{\n"
		"    \"apiVersion\": \"v1\",\n"
		"    \"spec\": {\"items\": [9]},\n"
		"    \"items\": [\n"
		"        {\"a\": \"}]\\\"{[\", \"b\": [1, {\"c\": \"\\\\\"}]},\n"
		"        \"x\\\"]\", -1.5e3, true, null, [2, [3]]\n"
		"    ],\n"
		"    \"kind\": \"List\",\n"
		"    \"items\": [7]\n"
		"}\n";
	static const char *const want[] = {
		"{\"a\": \"}]\\\"{[\", \"b\": [1, {\"c\": \"\\\\\"}]}",
		"\"x\\\"]\"", "-1.5e3", "true", "null", "[2, [3]]\n    ",
	};
	size_t chunk, k;

	(void)state;
	for (chunk = 1; chunk <= sizeof(doc); chunk++) {
		struct json_items it;
		struct got g;

		memset(&g, 0, sizeof(g));
		assert_int_equal(scan(doc, chunk, &g, &it, 0, 64), 0);
		assert_int_equal(g.n, 6);
		assert_int_equal(it.nitems, 6);
		for (k = 0; k < 6; k++)
			assert_string_equal(g.text[k], want[k]);
		assert_int_equal(g.line[0], 5);
		assert_int_equal(g.col[0], 9);
		assert_int_equal(g.line[1], 6);
		assert_int_equal(g.col[1], 9);
		json_items_release(&it);
	}
}

static void
kubectl_list_elements_parse_as_cjson_parses_them(void **state)
{
	FILE *fp = fopen("fixtures/nodes/list.json", "rb");
	static char doc[1 << 16];
	cJSON *root, *e;
	struct json_items it;
	struct got g;
	size_t n, k = 0;

	(void)state;
	assert_non_null(fp);
	n = fread(doc, 1, sizeof(doc) - 1, fp);
	fclose(fp);
	doc[n] = '\0';
	root = cJSON_Parse(doc);
	assert_non_null(root);
	memset(&g, 0, sizeof(g));
	json_items_init(&it, 0, 64);
	/* Elements over the test's copy size are only counted. */
	assert_int_equal(json_items_feed(&it, doc, n, on_item, &g), 0);
	assert_int_equal(json_items_finish(&it), 0);
	assert_int_equal(g.n, cJSON_GetArraySize(
		cJSON_GetObjectItemCaseSensitive(root, "items")));
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "items"))
		k++;
	assert_int_equal(k, g.n);
	json_items_release(&it);
	cJSON_Delete(root);
}

/*
 * An element runs to the ',' or ']' after it, blanks and all: what is not
 * JSON in it ("a b", "k": v, {} x) is the caller's parser's to refuse.
 */
static void
elements_end_where_the_next_starts(void **state)
{
	static const char doc[] =
		"{\"items\": [a b, \"k\": 1, {} x , {\"y\": \"\t\"}, 1\r\n]}";
	static const char *const want[] = {
		"a b", "\"k\": 1", "{} x ", "{\"y\": \"\t\"}", "1\r\n",
	};
	struct json_items it;
	struct got g;
	size_t k;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(scan(doc, 3, &g, &it, 0, 64), 0);
	assert_int_equal(g.n, 5);
	for (k = 0; k < 5; k++)
		assert_string_equal(g.text[k], want[k]);
	json_items_release(&it);
}

/* Columns count characters too; "\r\n" is one line break, "\r" one. */
static void
places_count_lines_and_characters_as_libyaml(void **state)
{
	static const char doc[] =
		"{\"ä\": 1,\r\n \"items\": [\"é\",\r \"ü\", [\n]]}";
	struct json_items it;
	struct got g;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(scan(doc, 5, &g, &it, 0, 64), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(it.items_line, 2);
	assert_int_equal(it.items_ccol, 11);
	assert_int_equal(g.line[1], 3);
	assert_int_equal(g.col[1], 2);
	assert_int_equal(it.items_end_line, 4);
	assert_int_equal(it.items_end_ccol, 2);
	json_items_release(&it);
}

static void
malformed_documents_fail_with_a_location(void **state)
{
	static const struct {
		const char *doc;
		const char *error;
		size_t line, col;
		unsigned depth;
		size_t max_item;
	} cases[] = {
		{"[1]", "not a JSON object", 1, 1, 64, 0},
		{"", "no JSON object", 1, 1, 64, 0},
		{"{\"items\": [1, 2", "the document ends early", 1, 16, 64, 0},
		{"{\"items\": [{]}", "unbalanced ']'", 1, 13, 64, 0},
		{"{\"a\": 1}}", "text after the document", 1, 9, 64, 0},
		{"{\"a\":\x01 1}", "control characters are not allowed", 1, 6,
		 64, 0},
		{"{\"items\": [{}}]}", "unbalanced '}'", 1, 14, 64, 0},
		{"{\"items\": [1,,2]}", "did not find expected node content", 1,
		 14, 64, 0},
		{"{\"a\": \"x", "unterminated string", 1, 9, 64, 0},
		{"{\"items\": [[[[1]]]]}", "nested too deeply", 1, 14, 4, 0},
		{"{\"items\": [\n  \"0123456789abcdef\"]}",
		 "an element of items is too large", 2, 3, 64, 8},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_items it;
		struct got g;

		memset(&g, 0, sizeof(g));
		assert_int_equal(scan(cases[i].doc, 4096, &g, &it,
				      cases[i].max_item, cases[i].depth), -1);
		assert_string_equal(it.error, cases[i].error);
		assert_int_equal(it.err_line, cases[i].line);
		assert_int_equal(it.err_col, cases[i].col);
		json_items_release(&it);
	}
}

static void
callback_stops_the_scan(void **state)
{
	struct json_items it;
	struct got g;

	(void)state;
	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	assert_int_equal(scan("{\"items\": [1, 2, 3]}", 3, &g, &it, 0, 64), -1);
	assert_true(it.stopped);
	assert_int_equal(g.n, 2);
	json_items_release(&it);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(elements_are_whole_in_any_chunking),
		cmocka_unit_test(kubectl_list_elements_parse_as_cjson_parses_them),
		cmocka_unit_test(elements_end_where_the_next_starts),
		cmocka_unit_test(places_count_lines_and_characters_as_libyaml),
		cmocka_unit_test(malformed_documents_fail_with_a_location),
		cmocka_unit_test(callback_stops_the_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
