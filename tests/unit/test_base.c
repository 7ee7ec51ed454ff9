/* Unit tests for base/: versions, dates, escaping, validators, arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../analyzer/base/base.h"

static void
kver_parses_plain_and_managed_versions(void **state)
{
	static const struct {
		const char *in;
		unsigned major, minor, patch;
		const char *pre, *build;
	} cases[] = {
		{"v1.26.1", 1, 26, 1, NULL, NULL},
		{"1.26.3", 1, 26, 3, NULL, NULL},
		{"v1.27.3-eks-2d98532", 1, 27, 3, "eks-2d98532", NULL},
		{"v1.26.5-gke.1200", 1, 26, 5, "gke.1200", NULL},
		{"v1.30.4+k3s1", 1, 30, 4, NULL, "k3s1"},
		{"v1.27.9-dispatcher", 1, 27, 9, "dispatcher", NULL},
		{"v1.9.0-alpha.1.487+550c3cab4fe267", 1, 9, 0, "alpha.1.487",
		 "550c3cab4fe267"},
		{"v1.26.6+1.el8", 1, 26, 6, NULL, "1.el8"},
		{" \"v1.28.14\" ", 1, 28, 14, NULL, NULL},
	};
	struct arena a;
	size_t i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct kver v;
		const char *err = NULL;

		assert_int_equal(kver_parse(&a, cases[i].in,
					    strlen(cases[i].in), &v, &err), 0);
		assert_int_equal(v.major, cases[i].major);
		assert_int_equal(v.minor, cases[i].minor);
		assert_int_equal(v.patch, cases[i].patch);
		if (cases[i].pre)
			assert_string_equal(v.pre, cases[i].pre);
		else
			assert_null(v.pre);
		if (cases[i].build)
			assert_string_equal(v.build, cases[i].build);
		else
			assert_null(v.build);
	}
	arena_release(&a);
}

static void
kver_rejects_what_is_not_a_version(void **state)
{
	static const char *const bad[] = {"", "v1", "1.x.3", "v1.26.1;reboot",
		"v1.26.1 extra", "vv1.2.3", "1.99999.1", "$(reboot)"};
	struct arena a;
	size_t i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct kver v;
		const char *err = NULL;

		assert_int_equal(kver_parse(&a, bad[i], strlen(bad[i]), &v,
					    &err), -1);
		assert_non_null(err);
	}
	arena_release(&a);
}

static void
kver_orders_prereleases_before_releases_and_ignores_distro_suffixes(void **state)
{
	struct arena a;
	struct kver x, y;
	const char *err;

	(void)state;
	arena_init(&a);
	kver_parse(&a, "v1.28.0-rc.1", 12, &x, &err);
	kver_parse(&a, "v1.28.0", 7, &y, &err);
	assert_true(kver_cmp(&x, &y) < 0);
	kver_parse(&a, "v1.27.3-eks-2d98532", 19, &x, &err);
	kver_parse(&a, "v1.27.3", 7, &y, &err);
	assert_int_equal(kver_cmp(&x, &y), 0);
	kver_parse(&a, "v1.26.10", 8, &x, &err);
	kver_parse(&a, "v1.26.9", 7, &y, &err);
	assert_true(kver_cmp(&x, &y) > 0);
	assert_int_equal(kver_minor_diff(&x, &y), 0);
	arena_release(&a);
}

static void
shell_words_are_bare_when_safe_and_single_quoted_otherwise(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"node-1", "node-1"},
		{"kubeadm-1.29.15-*", "'kubeadm-1.29.15-*'"},
		{"/etc/apt/sources.list.d/kubernetes.list",
		 "/etc/apt/sources.list.d/kubernetes.list"},
		{"deb [x] https://h/ /", "'deb [x] https://h/ /'"},
		{"a'; reboot; '", "'a'\\''; reboot; '\\'''"},
		{"$(id)", "'$(id)'"},
		{"", "''"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;

		esc_sh(&b, cases[i].in, strlen(cases[i].in));
		assert_string_equal(buf_cstr(&b), cases[i].out);
		buf_release(&b);
	}
}

static void
kver_canonical_means_no_leading_zeros(void **state)
{
	static const struct {
		const char *in;
		bool canonical;
	} cases[] = {
		{"v1.26.1", true},
		{"1.0.0", true},
		{"v1.27.3-eks-2d98532", true},
		{"v1.30.4+k3s1", true},
		{"v1.27.0-rc.01", true},
		{"v01.026.1", false},
		{"1.026.1", false},
		{"v1.26.01", false},
		{"1.27", true},
		{"1.07", false},
	};
	struct arena a;
	const char *err;
	size_t i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kver v;

		assert_int_equal(kver_parse(&a, cases[i].in, strlen(cases[i].in),
					    &v, &err), 0);
		assert_int_equal(kver_is_canonical(&v), cases[i].canonical);
	}
	arena_release(&a);
}

static void
kver_minor_field_accepts_plus_suffix_only(void **state)
{
	unsigned m = 0;

	(void)state;
	assert_true(kver_parse_minor_field("27+", 3, &m));
	assert_int_equal(m, 27);
	assert_true(kver_parse_minor_field("\"26\"", 4, &m));
	assert_int_equal(m, 26);
	assert_false(kver_parse_minor_field("27++", 4, &m));
	assert_false(kver_parse_minor_field("x", 1, &m));
	assert_false(kver_parse_minor_field("", 0, &m));
}

static void
date_round_trips_and_rejects_impossible_days(void **state)
{
	long d;
	char out[11];

	(void)state;
	assert_true(date_parse("2023-03-20", 10, &d));
	date_format(d, out);
	assert_string_equal(out, "2023-03-20");
	assert_true(date_parse("2024-02-29", 10, &d));
	assert_false(date_parse("2023-02-29", 10, &d));
	assert_false(date_parse("2023-13-01", 10, &d));
	assert_false(date_parse("2023-3-20", 9, &d));
	assert_false(date_parse("2023-03-20x", 11, &d));
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(2024, 3, 4) - date_from_ymd(2023, 9, 13),
			 173);
}

static void
node_names_are_checked_against_dns_1123(void **state)
{
	(void)state;
	assert_true(safe_is_dns_subdomain("node-1", 6));
	assert_true(safe_is_dns_subdomain("ip-10-0-1-2.ec2.internal", 24));
	assert_false(safe_is_dns_subdomain("n1;rm -rf /", 11));
	assert_false(safe_is_dns_subdomain("$(reboot)", 9));
	assert_false(safe_is_dns_subdomain("Node-1", 6));
	assert_false(safe_is_dns_subdomain("-node", 5));
	assert_false(safe_is_dns_subdomain("", 0));
}

static void
package_versions_follow_debian_and_rpm_grammar(void **state)
{
	static const char *const good[] = {"1.26.3-00", "1.29.0-1.1",
		"1.29.4-2.1", "1.28.5-150500.1.1", "1:1.26.3-00", "1.26.3"};
	static const char *const bad[] = {"1.26.3;reboot", "$(reboot)",
		"1.26.3 -00", "-00", "1.26.3-", "a.b"};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++)
		assert_true(safe_is_pkg_version(good[i], strlen(good[i])));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_false(safe_is_pkg_version(bad[i], strlen(bad[i])));
}

static void
html_and_markdown_escaping_neutralise_markup(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	esc_html(&b, "<script>a&b\"'</script>", 22, 0);
	assert_string_equal(buf_cstr(&b),
			    "&lt;script&gt;a&amp;b&quot;&#39;&lt;/script&gt;");
	buf_reset(&b);
	esc_md(&b, "a|b*c`d<e>", 10, 0);
	assert_string_equal(buf_cstr(&b), "a\\|b\\*c\\`d&lt;e&gt;");
	buf_release(&b);
}

/*
 * The hostile strings of issue 15 item 10 and how every escaper shows
 * them: the same visible form in text, HTML/XML and Markdown.
 */
static const struct {
	const char *in;
	const char *text;	/* esc_display */
	const char *html;	/* esc_html, no flags */
	const char *md;		/* esc_md, no flags */
} hostile[] = {
	{"a\x1b[2Jb", "a\\x1b[2Jb", "a\\x1b[2Jb", "a\\x1b\\[2Jb"},
	{"\x1b]8;;https://e.example/\x1b\\x\x1b]8;;\x1b\\",
	 "\\x1b]8;;https://e.example/\\x1b\\x\\x1b]8;;\\x1b\\",
	 "\\x1b]8;;https://e.example/\\x1b\\x\\x1b]8;;\\x1b\\",
	 "\\x1b\\]8;;https://e.example/\\x1b\\\\x\\x1b\\]8;;\\x1b\\\\"},
	{"\x1b]52;c;cm0K\x07", "\\x1b]52;c;cm0K\\x07", "\\x1b]52;c;cm0K\\x07",
	 "\\x1b\\]52;c;cm0K\\x07"},
	{"n\n  error [fake-rule] x", "n\\x0a  error [fake-rule] x",
	 "n\\x0a  error [fake-rule] x", "n\\x0a  error \\[fake-rule\\] x"},
	{"cr\rtab\tdel\x7f", "cr\\x0dtab\\x09del\\x7f",
	 "cr\\x0dtab\\x09del\\x7f", "cr\\x0dtab\\x09del\\x7f"},
	/* C1 CSI as UTF-8, and as a lone byte that is not UTF-8. */
	{"c1\xc2\x9b" "31m \x9b", "c1\\u009b31m \\x9b", "c1\\u009b31m \\x9b",
	 "c1\\u009b31m \\x9b"},
	/* U+202E, U+200B, U+2066, U+FEFF, U+2028, U+061C. */
	{"\xe2\x80\xae" "abc\xe2\x80\x8b\xe2\x81\xa6\xef\xbb\xbf\xe2\x80\xa8\xd8\x9c",
	 "\\u202eabc\\u200b\\u2066\\ufeff\\u2028\\u061c",
	 "\\u202eabc\\u200b\\u2066\\ufeff\\u2028\\u061c",
	 "\\u202eabc\\u200b\\u2066\\ufeff\\u2028\\u061c"},
	/* Safe non-ASCII passes: é, →, 日本, an emoji. */
	{"\xc3\xa9\xe2\x86\x92\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80",
	 "\xc3\xa9\xe2\x86\x92\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80",
	 "\xc3\xa9\xe2\x86\x92\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80",
	 "\xc3\xa9\xe2\x86\x92\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80"},
	/* Overlong and surrogate encodings are bytes, not characters. */
	{"\xc0\x8a\xed\xa0\x80", "\\xc0\\x8a\\xed\\xa0\\x80",
	 "\\xc0\\x8a\\xed\\xa0\\x80", "\\xc0\\x8a\\xed\\xa0\\x80"},
	/* A truncated sequence at the end. */
	{"x\xe2\x80", "x\\xe2\\x80", "x\\xe2\\x80", "x\\xe2\\x80"},
};

static void
escapers_show_controls_bidi_and_invisibles_in_one_form(void **state)
{
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(hostile); i++) {
		size_t n = strlen(hostile[i].in);

		buf_reset(&b);
		esc_display(&b, hostile[i].in, n);
		assert_string_equal(buf_cstr(&b), hostile[i].text);
		buf_reset(&b);
		esc_text(&b, hostile[i].in, n, 0);
		assert_string_equal(buf_cstr(&b), hostile[i].text);
		buf_reset(&b);
		esc_html(&b, hostile[i].in, n, 0);
		assert_string_equal(buf_cstr(&b), hostile[i].html);
		buf_reset(&b);
		esc_md(&b, hostile[i].in, n, 0);
		assert_string_equal(buf_cstr(&b), hostile[i].md);
	}
	buf_release(&b);
}

static void
escaping_twice_is_escaping_once(void **state)
{
	struct buf once = BUF_INIT, twice = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(hostile); i++) {
		buf_reset(&once);
		buf_reset(&twice);
		esc_display(&once, hostile[i].in, strlen(hostile[i].in));
		esc_display(&twice, buf_cstr(&once), once.len);
		assert_string_equal(buf_cstr(&twice), buf_cstr(&once));
	}
	buf_release(&once);
	buf_release(&twice);
}

static void
escape_flags_keep_line_layout_only_where_asked(void **state)
{
	struct buf b = BUF_INIT;
	const char *in = "a\n\tb\r\x1b";

	(void)state;
	esc_text(&b, in, strlen(in), ESC_LINES);
	assert_string_equal(buf_cstr(&b), "a\n\tb\\x0d\\x1b");
	buf_reset(&b);
	esc_text(&b, in, strlen(in), ESC_TAB_SPACE);
	assert_string_equal(buf_cstr(&b), "a\\x0a b\\x0d\\x1b");
	buf_reset(&b);
	esc_html(&b, in, strlen(in), ESC_LINES);
	assert_string_equal(buf_cstr(&b), "a\n\tb\\x0d\\x1b");
	buf_reset(&b);
	/* Markdown inline text has no line breaks: a newline is a space. */
	esc_md(&b, in, strlen(in), ESC_LINES);
	assert_string_equal(buf_cstr(&b), "a \tb\\x0d\\x1b");
	buf_release(&b);
}

static void
unsafe_set_is_exactly_the_documented_one(void **state)
{
	static const uint32_t unsafe[] = {
		0x00, 0x07, 0x0a, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9b, 0x9f,
		0x061c, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2028,
		0x2029, 0x202a, 0x202e, 0x2060, 0x2066, 0x2069, 0xfeff,
		0xfffe, 0xffff,
	};
	static const uint32_t safe[] = {
		0x20, 0x41, 0x7e, 0xa0, 0xe9, 0x061b, 0x061d, 0x200a, 0x2010,
		0x2027, 0x202f, 0x206a, 0x2192, 0xfefe, 0xfffd, 0x1f600,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(unsafe); i++)
		assert_true(esc_is_unsafe(unsafe[i]));
	for (i = 0; i < ARRAY_SIZE(safe); i++)
		assert_false(esc_is_unsafe(safe[i]));
}

static void
json_text_escapes_raw_bidi_and_keeps_the_data(void **state)
{
	struct buf b = BUF_INIT;
	const char *in = "{\"k\":\"a\xe2\x80\xae" "b\xc2\x9b\xc3\xa9\\u001b\"}";

	(void)state;
	esc_json_text(&b, in, strlen(in));
	assert_string_equal(buf_cstr(&b),
			    "{\"k\":\"a\\u202eb\\u009b\xc3\xa9\\u001b\"}");
	buf_release(&b);
}

/* Reads all of fp from the start into a NUL-terminated string in out. */
static void
read_back(FILE *fp, char *out, size_t size)
{
	size_t n;

	rewind(fp);
	n = fread(out, 1, size - 1, fp);
	out[n] = '\0';
}

static void
diagnostics_escape_path_message_and_source_line(void **state)
{
	/* A file name that clears the screen and forges a finding line. */
	const char *path = "/tmp/skewplan-test-\x1b[2J\n  error [fake-rule] "
			   "\xe2\x80\xae.txt";
	char text[1024];
	struct diag d;
	FILE *src;

	(void)state;
	/* é and U+202E before the column, an OSC 52 and a tab after it. */
	src = fopen(path, "wb");
	assert_non_null(src);
	fputs("ok\n\xc3\xa9 \xe2\x80\xae" "Bad\x1b]52;c;eA==\x07\tend\n", src);
	fclose(src);
	diag_init(&d);
	d.out = tmpfile();
	assert_non_null(d.out);
	/* Column 7 is the 'B' of "Bad": bytes 1-2 é, 3 blank, 4-6 U+202E. */
	diag_error(&d, (struct src_loc){path, 2, 7}, "unknown status '%s'",
		   "Re\xe2\x80\xae" "ady\x07\n  error [fake-rule]");
	read_back(d.out, text, sizeof(text));
	assert_string_equal(text,
		"/tmp/skewplan-test-\\x1b[2J\\x0a  error [fake-rule] "
		"\\u202e.txt:2:7: error: unknown status "
		"'Re\\u202eady\\x07\\x0a  error [fake-rule]'\n"
		" \xc3\xa9 \\u202eBad\\x1b]52;c;eA==\\x07 end\n"
		"         ^\n");
	assert_int_equal(d.errors, 1);
	fclose(d.out);
	diag_release(&d);
	remove(path);
}

static void
arena_allocation_failure_is_reported_not_crashed(void **state)
{
	struct arena a;
	unsigned long n;

	(void)state;
	/* The SQLite loop: fail allocation n, n+1, ... until a run succeeds. */
	for (n = 1;; n++) {
		char *p, *q;

		arena_init(&a);
		base_fail_alloc_after(n);
		p = arena_alloc(&a, 100);
		q = p ? arena_alloc(&a, 100000) : NULL;
		base_fail_alloc_after(0);
		arena_release(&a);
		if (q)
			break;
		assert_true(n < 3);
	}
	assert_int_equal(n, 3);
	arena_init(&a);
	assert_non_null(arena_strdup(&a, "x"));
	assert_string_equal(arena_printf(&a, "%s-%d", "v", 3), "v-3");
	arena_release(&a);
}

static void
buf_grows_and_formats(void **state)
{
	struct buf b = BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		buf_addf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	assert_int_equal(buf_cstr(&b)[1998], '9');
	buf_release(&b);
	assert_string_equal(buf_cstr(&b), "");
}

/* Against the plain definition, with the word at every offset. */
static void
buf_find_finds_the_first_word_at_every_offset(void **state)
{
	static const char *const words[] = {"deprecated", "d", "dd", "ab"};
	/* Decoys: first and last byte right, or all but one. */
	static const char filler[] = "dxxxxxxxxd deprecatex eprecated dd";
	char hay[100];
	size_t w, off, len, i, wlen;
	const char *want, *got;

	(void)state;
	for (w = 0; w < ARRAY_SIZE(words); w++) {
		wlen = strlen(words[w]);
		for (len = 0; len <= sizeof(hay); len += len < 40 ? 1 : 13) {
			for (off = 0; off <= len; off++) {
				for (i = 0; i < len; i++)
					hay[i] = filler[i % (sizeof(filler) - 1)];
				if (off + wlen <= len)
					memcpy(hay + off, words[w], wlen);
				want = NULL;
				for (i = 0; !want && i + wlen <= len; i++)
					if (!memcmp(hay + i, words[w], wlen))
						want = hay + i;
				got = buf_find(hay, len, words[w], wlen);
				if (got != want)
					print_message("'%s' len %zu off %zu\n",
						      words[w], len, off);
				assert_ptr_equal(got, want);
			}
		}
	}
	assert_ptr_equal(buf_find(hay, 5, "", 0), hay);
	assert_null(buf_find("deprecate", 9, "deprecated", 10));
}

static void
strmap_finds_what_was_put_through_growth(void **state)
{
	static char keys[1000][16];
	struct strmap m = {NULL, 0, 0};
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "node-%zu", i);
		assert_int_equal(strmap_put(&m, keys[i], strlen(keys[i]),
					    keys[i]), 0);
	}
	assert_int_equal(m.n, 1000);
	for (i = 0; i < 1000; i++)
		assert_ptr_equal(strmap_get(&m, keys[i], strlen(keys[i])),
				 keys[i]);
	assert_null(strmap_get(&m, "node-1000", 9));
	assert_null(strmap_get(&m, "node-1", 5));	/* a prefix is not a key */
	assert_int_equal(strmap_put(&m, keys[7], strlen(keys[7]), keys[8]), 0);
	assert_int_equal(m.n, 1000);
	assert_ptr_equal(strmap_get(&m, "node-7", 6), keys[8]);
	strmap_release(&m);
	assert_null(strmap_get(&m, "node-7", 6));
}

/*
 * Every match runs under a limit: an exponential pattern stops with "no
 * match", and the stop is counted and named for the caller to report. A
 * linear match over a long subject stays under the limit, which grows with
 * the subject.
 */
static void
re_match_stops_at_its_limit_and_counts_it(void **state)
{
	static struct re exponential = {.pattern = "^(?:a|a)*\\d"};
	static struct re linear = {.pattern = "^(?:a|b)*+c$"};
	static char subject[1u << 20];
	unsigned long before = re_limit_hits();

	(void)state;
	memset(subject, 'a', 40);
	subject[40] = 'c';
	assert_false(re_match(&exponential, subject, 41, NULL));
	assert_int_equal(re_limit_hits(), before + 1);
	assert_string_equal(re_limit_reason(), "match limit");
	/* A plain miss is not a limit. */
	assert_false(re_match(&exponential, "c", 1, NULL));
	assert_int_equal(re_limit_hits(), before + 1);
	memset(subject, 'a', sizeof(subject) - 1);
	subject[sizeof(subject) - 1] = 'c';
	assert_true(re_match(&linear, subject, sizeof(subject), NULL));
	assert_int_equal(re_limit_hits(), before + 1);
	re_release_all();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kver_parses_plain_and_managed_versions),
		cmocka_unit_test(kver_rejects_what_is_not_a_version),
		cmocka_unit_test(kver_orders_prereleases_before_releases_and_ignores_distro_suffixes),
		cmocka_unit_test(kver_minor_field_accepts_plus_suffix_only),
		cmocka_unit_test(kver_canonical_means_no_leading_zeros),
		cmocka_unit_test(shell_words_are_bare_when_safe_and_single_quoted_otherwise),
		cmocka_unit_test(date_round_trips_and_rejects_impossible_days),
		cmocka_unit_test(node_names_are_checked_against_dns_1123),
		cmocka_unit_test(package_versions_follow_debian_and_rpm_grammar),
		cmocka_unit_test(html_and_markdown_escaping_neutralise_markup),
		cmocka_unit_test(escapers_show_controls_bidi_and_invisibles_in_one_form),
		cmocka_unit_test(escaping_twice_is_escaping_once),
		cmocka_unit_test(escape_flags_keep_line_layout_only_where_asked),
		cmocka_unit_test(unsafe_set_is_exactly_the_documented_one),
		cmocka_unit_test(json_text_escapes_raw_bidi_and_keeps_the_data),
		cmocka_unit_test(diagnostics_escape_path_message_and_source_line),
		cmocka_unit_test(arena_allocation_failure_is_reported_not_crashed),
		cmocka_unit_test(buf_grows_and_formats),
		cmocka_unit_test(buf_find_finds_the_first_word_at_every_offset),
		cmocka_unit_test(strmap_finds_what_was_put_through_growth),
		cmocka_unit_test(re_match_stops_at_its_limit_and_counts_it),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	re_release_all();
	return rc;
}
