/*
 * Unit tests for the helpers of the CI and print reports: SHA-256 against
 * the FIPS 180-2 example vectors, UTF-8 repair, XML escaping and colour,
 * and the finding fingerprints of JSON, Code Quality and --baseline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../analyzer/report/report.h"

static void
sha256_matches_the_fips_examples(void **state)
{
	static const struct {
		const char *in;
		const char *hex;
	} cases[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	};
	struct sha256 h;
	char hex[65];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		sha256_init(&h);
		sha256_update(&h, cases[i].in, strlen(cases[i].in));
		sha256_final(&h, hex);
		assert_string_equal(hex, cases[i].hex);
	}
}

static void
sha256_of_a_million_a_fed_in_odd_pieces_is_right(void **state)
{
	char chunk[997];
	struct sha256 h;
	char hex[65];
	size_t left = 1000000, n;

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&h);
	while (left) {
		n = left < sizeof(chunk) ? left : sizeof(chunk);
		sha256_update(&h, chunk, n);
		left -= n;
	}
	sha256_final(&h, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
				 "f1809a48a497200e046d39ccc7112cd0");
}

static void
invalid_utf8_becomes_the_replacement_character(void **state)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{"plain", "plain"},
		{"caf\xc3\xa9", "caf\xc3\xa9"},
		{"\xe2\x86\x92", "\xe2\x86\x92"},
		{"bad \xff end", "bad \xef\xbf\xbd end"},
		{"cut \xe2\x86", "cut \xef\xbf\xbd\xef\xbf\xbd"},
		{"overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd"},
		{"surrogate \xed\xa0\x80",
		 "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		buf_reset(&b);
		report_add_utf8(&b, cases[i].in, strlen(cases[i].in));
		assert_string_equal(buf_cstr(&b), cases[i].out);
	}
	buf_release(&b);
}

static void
xml_text_escapes_markup_and_control_bytes(void **state)
{
	struct buf b = BUF_INIT;
	const char *in = "<script>\"a\" & 'b'\x1b[31m";

	(void)state;
	report_add_xml(&b, in, strlen(in), 0);
	assert_string_equal(buf_cstr(&b), "&lt;script&gt;&quot;a&quot; &amp; "
			    "&#39;b&#39;\\x1b[31m");
	buf_release(&b);
}

static void
colorize_marks_severity_words_and_keeps_the_text(void **state)
{
	const char *in = "Errors (1)\n\n  error [kubelet-too-old] node-2\n"
			 "  warning [x] y\nplain line\n";
	struct buf b = BUF_INIT;

	(void)state;
	report_colorize(&b, in, strlen(in));
	assert_string_equal(buf_cstr(&b),
			    "\033[1mErrors (1)\033[0m\n\n"
			    "  \033[1;31merror\033[0m [kubelet-too-old] node-2\n"
			    "  \033[1;33mwarning\033[0m [x] y\nplain line\n");
	buf_release(&b);
}

static void
fingerprints_rank_a_repeated_rule_and_subject_in_report_order(void **state)
{
	struct rule too_old = {.id = "kubelet-too-old"};
	struct rule other = {.id = "kubelet-at-skew-limit"};
	struct finding v[4] = {
		{.rule = &too_old, .subject = "node-1"},
		{.rule = &other, .subject = "node-1"},
		{.rule = &too_old, .subject = "node-1"},
		{.rule = &too_old, .subject = "node-2"},
	};
	struct findings f = {v, 4, 4};
	struct src_loc where = {"elsewhere/nodes.txt", 40, 3};
	char hex[4][65], want[65];
	size_t i, j;

	(void)state;
	assert_int_equal(report_fingerprints(&f, hex), 0);
	/* SHA-256 of "skewplan-finding/v1", rule, subject (each NUL-ended), "0". */
	assert_string_equal(hex[0], "404f5ab80782aee5fedbc5131ed27f243a5dfed3699e79122ce34a399928c784");
	report_fingerprint("kubelet-too-old", "node-1", 1, want);
	assert_string_equal(hex[2], want);
	report_fingerprint("kubelet-at-skew-limit", "node-1", 0, want);
	assert_string_equal(hex[1], want);
	report_fingerprint("kubelet-too-old", "node-2", 0, want);
	assert_string_equal(hex[3], want);
	for (i = 0; i < 4; i++)
		for (j = 0; j < i; j++)
			assert_string_not_equal(hex[i], hex[j]);
	/* Neither evidence nor severity enters it. */
	v[0].severity = SEV_INFO;
	v[0].evidence = &where;
	v[0].nevidence = 1;
	assert_int_equal(report_fingerprints(&f, hex), 0);
	assert_string_equal(hex[0], "404f5ab80782aee5fedbc5131ed27f243a5dfed3699e79122ce34a399928c784");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_matches_the_fips_examples),
		cmocka_unit_test(sha256_of_a_million_a_fed_in_odd_pieces_is_right),
		cmocka_unit_test(invalid_utf8_becomes_the_replacement_character),
		cmocka_unit_test(xml_text_escapes_markup_and_control_bytes),
		cmocka_unit_test(colorize_marks_severity_words_and_keeps_the_text),
		cmocka_unit_test(fingerprints_rank_a_repeated_rule_and_subject_in_report_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
