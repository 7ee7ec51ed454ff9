/*
 * test_json.c - what every JSON writer relies on: strings repaired to
 * valid UTF-8 (U+FFFD for each byte of an invalid sequence), and a
 * document streamed element by element being byte for byte what
 * cJSON_Print gives for the whole tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../analyzer/report/internal.h"

#define FFFD "\xef\xbf\xbd"

static const struct {
	const char *in;
	size_t invalid_at;	/* SIZE_MAX: valid */
	const char *repaired;
} utf8_cases[] = {
	{"node-1", SIZE_MAX, "node-1"},
	{"", SIZE_MAX, ""},
	{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", SIZE_MAX,
	 "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
	{"Ubuntu\xff" "22.04", 6, "Ubuntu" FFFD "22.04"},
	{"xenial\xe9/main", 6, "xenial" FFFD "/main"},	/* Latin-1 */
	{"\x80", 0, FFFD},				/* lone continuation */
	{"\xc0\x80", 0, FFFD FFFD},			/* overlong NUL */
	{"\xe0\x80\xaf", 0, FFFD FFFD FFFD},		/* overlong '/' */
	{"\xed\xa0\x80", 0, FFFD FFFD FFFD},		/* surrogate D800 */
	{"\xf4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD},	/* past U+10FFFF */
	{"\xf5\x80", 0, FFFD FFFD},
	{"ab\xe2\x82", 2, "ab" FFFD FFFD},		/* cut short */
};

static void
invalid_utf8_is_located_and_repaired(void **state)
{
	size_t i, len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(utf8_cases); i++) {
		struct buf b = BUF_INIT;
		const char *in = utf8_cases[i].in;

		len = strlen(in);
		assert_int_equal(utf8_invalid_at(in, len),
				 utf8_cases[i].invalid_at == SIZE_MAX
					 ? len : utf8_cases[i].invalid_at);
		assert_int_equal(utf8_is_valid(in, len),
				 utf8_cases[i].invalid_at == SIZE_MAX);
		utf8_repair(&b, in, len);
		assert_string_equal(buf_cstr(&b), utf8_cases[i].repaired);
		assert_true(utf8_is_valid(b.s ? b.s : "", b.len));
		buf_release(&b);
	}
}

static void
json_strings_are_repaired(void **state)
{
	struct buf b = BUF_INIT;
	cJSON *j;
	char *text;

	(void)state;
	j = report_jstr("kubernetes-xenial\xe9/main");
	assert_non_null(j);
	assert_string_equal(j->valuestring, "kubernetes-xenial" FFFD "/main");
	text = cJSON_PrintUnformatted(j);
	assert_string_equal(text, "\"kubernetes-xenial" FFFD "/main\"");
	cJSON_free(text);
	cJSON_Delete(j);

	buf_adds(&b, "nodes.txt\xff:2:85");
	j = report_jtake(&b);
	assert_non_null(j);
	assert_string_equal(j->valuestring, "nodes.txt" FFFD ":2:85");
	cJSON_Delete(j);

	j = report_jstr(NULL);
	assert_true(cJSON_IsNull(j));
	cJSON_Delete(j);
}

/* A small audit-like document: scalars, nested objects and arrays. */
static cJSON *
finding(int n)
{
	cJSON *o = cJSON_CreateObject(), *ev = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "rule", "node-cordoned");
	cJSON_AddNumberToObject(o, "n", n);
	cJSON_AddStringToObject(o, "message", "two\nlines\tand \"quotes\"");
	cJSON_AddItemToArray(ev, cJSON_CreateString("nodes.txt:2:1"));
	cJSON_AddItemToArray(ev, cJSON_CreateString("nodes.txt:3:1"));
	cJSON_AddItemToObject(o, "evidence", ev);
	cJSON_AddItemToObject(o, "references", cJSON_CreateArray());
	cJSON_AddItemToObject(o, "waiver", cJSON_CreateObject());
	return o;
}

static cJSON *
summary(void)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "error", 2);
	cJSON_AddItemToObject(o, "empty", cJSON_CreateObject());
	return o;
}

static void
streamed_document_is_the_whole_tree_printed(void **state)
{
	cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
	struct buf b = BUF_INIT;
	char *whole;
	int i;

	(void)state;
	cJSON_AddStringToObject(root, "version", "0.1.0");
	for (i = 0; i < 3; i++)
		cJSON_AddItemToArray(arr, finding(i));
	cJSON_AddItemToObject(root, "findings", arr);
	cJSON_AddItemToObject(root, "summary", summary());
	whole = cJSON_Print(root);
	cJSON_Delete(root);

	buf_adds(&b, "{\n");
	assert_int_equal(report_jmember(&b, 1, "version",
					cJSON_CreateString("0.1.0"), false), 0);
	report_jkey(&b, 1, "findings");
	buf_addc(&b, '[');
	for (i = 0; i < 3; i++) {
		if (i)
			buf_adds(&b, ", ");
		assert_int_equal(report_jput(&b, finding(i), 2), 0);
	}
	buf_adds(&b, "],\n");
	assert_int_equal(report_jmember(&b, 1, "summary", summary(), true), 0);
	buf_adds(&b, "}");
	assert_string_equal(buf_cstr(&b), whole);
	cJSON_free(whole);
	buf_release(&b);
}

static void
put_of_null_fails(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(report_jput(&b, NULL, 1), -1);
	buf_release(&b);
}

static void
flush_writes_to_the_sink_and_empties_the_buffer(void **state)
{
	struct buf b = BUF_INIT;
	char got[64];
	FILE *fp = tmpfile();
	size_t n;

	(void)state;
	assert_non_null(fp);
	/* Without a sink the text stays. */
	buf_adds(&b, "kept");
	assert_int_equal(buf_flush(&b), 0);
	assert_string_equal(buf_cstr(&b), "kept");
	b.sink = fp;
	assert_int_equal(buf_flush(&b), 0);
	assert_int_equal(b.len, 0);
	buf_adds(&b, ", then more");
	assert_int_equal(buf_flush(&b), 0);
	rewind(fp);
	n = fread(got, 1, sizeof(got) - 1, fp);
	got[n] = '\0';
	assert_string_equal(got, "kept, then more");
	fclose(fp);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(invalid_utf8_is_located_and_repaired),
		cmocka_unit_test(json_strings_are_repaired),
		cmocka_unit_test(streamed_document_is_the_whole_tree_printed),
		cmocka_unit_test(put_of_null_fails),
		cmocka_unit_test(flush_writes_to_the_sink_and_empties_the_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
