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
	esc_html(&b, "<script>a&b\"'</script>", 22);
	assert_string_equal(buf_cstr(&b),
			    "&lt;script&gt;a&amp;b&quot;&#39;&lt;/script&gt;");
	buf_reset(&b);
	esc_md(&b, "a|b*c`d<e>", 10);
	assert_string_equal(buf_cstr(&b), "a\\|b\\*c\\`d&lt;e&gt;");
	buf_release(&b);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kver_parses_plain_and_managed_versions),
		cmocka_unit_test(kver_rejects_what_is_not_a_version),
		cmocka_unit_test(kver_orders_prereleases_before_releases_and_ignores_distro_suffixes),
		cmocka_unit_test(kver_minor_field_accepts_plus_suffix_only),
		cmocka_unit_test(date_round_trips_and_rejects_impossible_days),
		cmocka_unit_test(node_names_are_checked_against_dns_1123),
		cmocka_unit_test(package_versions_follow_debian_and_rpm_grammar),
		cmocka_unit_test(html_and_markdown_escaping_neutralise_markup),
		cmocka_unit_test(arena_allocation_failure_is_reported_not_crashed),
		cmocka_unit_test(buf_grows_and_formats),
		cmocka_unit_test(strmap_finds_what_was_put_through_growth),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	re_release_all();
	return rc;
}
