/*
 * test_waiver.c - the waiver index: an exact subject found by (rule,
 * subject), globs kept per rule, and the first matching waiver of the
 * file winning whichever kind it is, as when every waiver was tried in
 * order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../analyzer/rules/internal.h"

static struct arena arena;

static void
add(struct waivers *w, const char *rule, const char *subject)
{
	struct waiver *v = vec_push(w);

	assert_non_null(v);
	v->rule = rule;
	v->subject = subject;
}

/* The index of the waiver found in w, or -1 for none. */
static long
find(struct waiver_index *ix, const struct waivers *w, const char *rule,
     const char *subject)
{
	const struct waiver *v = waiver_index_find(ix, rule, subject);

	return v ? (long)(v - w->v) : -1;
}

static void
build(struct waiver_index *ix, const struct waivers *w)
{
	assert_int_equal(waiver_index_build(ix, &arena, w), 0);
}

static void
exact_subject_is_found_by_rule_and_subject(void **state)
{
	struct waivers w = {NULL, 0, 0};
	struct waiver_index ix;

	(void)state;
	add(&w, "node-cordoned", "node-1");
	add(&w, "node-not-ready", "node-2");
	build(&ix, &w);
	assert_int_equal(find(&ix, &w, "node-cordoned", "node-1"), 0);
	assert_int_equal(find(&ix, &w, "node-not-ready", "node-2"), 1);
	/* The subject under another rule, and a prefix, are not waived. */
	assert_int_equal(find(&ix, &w, "node-not-ready", "node-1"), -1);
	assert_int_equal(find(&ix, &w, "node-cordoned", "node-"), -1);
	assert_int_equal(find(&ix, &w, "node-cordoned", "node-10"), -1);
	assert_int_equal(find(&ix, &w, "kubelet-too-old", "node-1"), -1);
	waiver_index_release(&ix);
	vec_release(&w);
}

static void
rule_and_subject_do_not_run_together(void **state)
{
	struct waivers w = {NULL, 0, 0};
	struct waiver_index ix;

	(void)state;
	/* "a" + "bc" and "ab" + "c" must be different keys. */
	add(&w, "a", "bc");
	build(&ix, &w);
	assert_int_equal(find(&ix, &w, "a", "bc"), 0);
	assert_int_equal(find(&ix, &w, "ab", "c"), -1);
	waiver_index_release(&ix);
	vec_release(&w);
}

static void
glob_matches_only_under_its_rule(void **state)
{
	struct waivers w = {NULL, 0, 0};
	struct waiver_index ix;

	(void)state;
	add(&w, "package-repo-legacy", "https://apt.kubernetes.io *");
	add(&w, "node-cordoned", "worker-?");
	add(&w, "node-not-ready", "gpu-[0-9]");
	build(&ix, &w);
	assert_int_equal(find(&ix, &w, "package-repo-legacy",
			      "https://apt.kubernetes.io kubernetes-xenial/main"),
			 0);
	assert_int_equal(find(&ix, &w, "node-cordoned", "worker-7"), 1);
	assert_int_equal(find(&ix, &w, "node-cordoned", "worker-17"), -1);
	assert_int_equal(find(&ix, &w, "node-not-ready", "gpu-3"), 2);
	assert_int_equal(find(&ix, &w, "node-cordoned", "gpu-3"), -1);
	waiver_index_release(&ix);
	vec_release(&w);
}

static void
first_matching_waiver_of_the_file_wins(void **state)
{
	struct waivers w = {NULL, 0, 0};
	struct waiver_index ix;

	(void)state;
	add(&w, "node-cordoned", "node-1");	/* 0: exact, first */
	add(&w, "node-cordoned", "node-*");	/* 1: glob */
	add(&w, "node-cordoned", "node-2");	/* 2: exact, after the glob */
	add(&w, "node-cordoned", "node-1");	/* 3: a repeat */
	add(&w, "node-cordoned", "other-*");	/* 4: glob */
	add(&w, "node-cordoned", "other-1");	/* 5: exact, after a glob */
	build(&ix, &w);
	assert_int_equal(find(&ix, &w, "node-cordoned", "node-1"), 0);
	assert_int_equal(find(&ix, &w, "node-cordoned", "node-2"), 1);
	assert_int_equal(find(&ix, &w, "node-cordoned", "node-3"), 1);
	assert_int_equal(find(&ix, &w, "node-cordoned", "other-1"), 4);
	waiver_index_release(&ix);
	vec_release(&w);
}

static void
backslash_makes_a_glob(void **state)
{
	struct waivers w = {NULL, 0, 0};
	struct waiver_index ix;

	(void)state;
	/* fnmatch reads "a\*b" as the literal a*b, never as itself. */
	add(&w, "node-cordoned", "a\\*b");
	build(&ix, &w);
	assert_int_equal(find(&ix, &w, "node-cordoned", "a*b"), 0);
	assert_int_equal(find(&ix, &w, "node-cordoned", "a\\*b"), -1);
	assert_int_equal(find(&ix, &w, "node-cordoned", "axb"), -1);
	waiver_index_release(&ix);
	vec_release(&w);
}

static void
every_one_of_many_exact_waivers_is_found(void **state)
{
	struct waivers w = {NULL, 0, 0};
	struct waiver_index ix;
	char **subj;
	size_t i, n = 20000;

	(void)state;
	subj = calloc(n, sizeof(*subj));
	assert_non_null(subj);
	for (i = 0; i < n; i++) {
		subj[i] = arena_printf(&arena, "node-%zu", i);
		add(&w, i % 2 ? "node-cordoned" : "node-not-ready", subj[i]);
	}
	add(&w, "node-cordoned", "*");
	build(&ix, &w);
	for (i = 0; i < n; i++)
		assert_int_equal(find(&ix, &w, i % 2 ? "node-cordoned"
						      : "node-not-ready",
				      subj[i]),
				 (long)i);
	/* Under the other rule, only the glob (last) matches. */
	assert_int_equal(find(&ix, &w, "node-cordoned", "node-0"), (long)n);
	assert_int_equal(find(&ix, &w, "node-not-ready", "node-1"), -1);
	waiver_index_release(&ix);
	vec_release(&w);
	free(subj);
}

static void
empty_waivers_match_nothing(void **state)
{
	struct waivers w = {NULL, 0, 0};
	struct waiver_index ix;

	(void)state;
	build(&ix, &w);
	assert_null(waiver_index_find(&ix, "node-cordoned", "node-1"));
	waiver_index_release(&ix);
}

static int
setup(void **state)
{
	(void)state;
	arena_init(&arena);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_release(&arena);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_subject_is_found_by_rule_and_subject),
		cmocka_unit_test(rule_and_subject_do_not_run_together),
		cmocka_unit_test(glob_matches_only_under_its_rule),
		cmocka_unit_test(first_matching_waiver_of_the_file_wins),
		cmocka_unit_test(backslash_makes_a_glob),
		cmocka_unit_test(every_one_of_many_exact_waivers_is_found),
		cmocka_unit_test(empty_waivers_match_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
