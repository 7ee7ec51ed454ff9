/*
 * test_oom.c - the whole pipeline under allocation failure (SQLite's
 * do_malloc_test): allocation N fails, for N = 1, 2, ... until a run
 * succeeds. Every failing run must end in a clean error, with no crash and
 * no leak (ASan checks both), and never in a half-made success.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cJSON.h>

#include "../../analyzer/ingest/ingest.h"
#include "../../analyzer/planner/planner.h"
#include "../../analyzer/report/report.h"
#include "../../analyzer/rules/rules.h"

#define DAY_2024_11_01 20028L	/* date_from_ymd(2024, 11, 1) */

/*
 * One run: ingest, audit, plan and every writer. Returns 0 when all of it
 * succeeded, -1 when a step reported a failure.
 */
static int
pipeline(const char *snapshot, const char *to, long as_of, struct buf *keep)
{
	struct arena a;
	struct cluster_state cs;
	struct rules_db db;
	struct findings f = {NULL, 0, 0};
	struct plan plan;
	struct plan_options po = {.to = to, .as_of = as_of,
				  .max_unavailable = 2};
	struct report_input in;
	struct buf out = BUF_INIT;
	struct diag d;
	int rc = -1, pr;

	diag_init(&d);
	d.out = getenv("OOM_VERBOSE") ? NULL : fopen("/dev/null", "w");
	d.no_source = true;
	arena_init(&a);
	cluster_state_init(&cs, &a);
	cs.strict = true; /* as under --strict */
	memset(&db, 0, sizeof(db));
	memset(&plan, 0, sizeof(plan));
	if (ingest_arg(&cs, &d, snapshot) < 0)
		goto out;
	model_sort(&cs);
	if (rules_load(&db, &a, &d, "rules") < 0)
		goto out;
	if (rules_evaluate(&db, &cs, as_of, NULL, &d, &f) < 0)
		goto out;
	if (report_audit_text(&out, &db, &cs, &f, as_of) < 0 ||
	    report_audit_json(&out, &db, &cs, &f, as_of) < 0)
		goto out;
	memset(&in, 0, sizeof(in));
	in.command = "audit";
	in.cluster = snapshot;
	in.db = &db;
	in.cs = &cs;
	in.findings = &f;
	in.as_of = as_of;
	in.fail_on = SEV_ERROR;
	if (report_sarif(&out, &in) < 0 || report_junit(&out, &in) < 0 ||
	    report_html(&out, &in) < 0 || report_markdown(&out, &in) < 0)
		goto out;
	pr = plan_build(&db, &cs, &po, &plan, &d);
	if (pr != PLAN_OK)
		goto out;
	in.command = "plan";
	in.plan = &plan;
	in.findings = &plan.findings;
	if (report_plan_text(&out, &plan) < 0 ||
	    report_plan_markdown(&out, &plan) < 0 ||
	    report_plan_json(&out, &plan) < 0 || report_html(&out, &in) < 0 ||
	    report_sarif(&out, &in) < 0 || report_junit(&out, &in) < 0)
		goto out;
	rc = out.oom ? -1 : 0;
	if (rc == 0 && keep) {
		*keep = out;	/* handed over */
		buf_init(&out);
	}
out:
	plan_release(&plan);
	rules_findings_release(&f);
	rules_release(&db);
	cluster_state_release(&cs);
	arena_release(&a);
	buf_release(&out);
	if (d.out)
		fclose(d.out);
	diag_release(&d);
	return rc;
}

/*
 * Every allocation point takes about 12 ms under the sanitizers, and the
 * multi-hop run has some 34,000 of them; make test walks them with a
 * prime stride, OOM_FULL=1 walks every one (about 9 minutes).
 */
static void
run_until_success(const char *snapshot, const char *to, long as_of,
		  unsigned long stride)
{
	struct buf want = BUF_INIT, got = BUF_INIT;
	unsigned long n;

	if (getenv("OOM_FULL"))
		stride = 1;
	/* The run itself must work with no failure injected. */
	assert_int_equal(pipeline(snapshot, to, as_of, &want), 0);
	for (n = 1; n < 200000; n += stride) {
		int rc;

		base_fail_alloc_after(n);
		rc = pipeline(snapshot, to, as_of, &got);
		base_fail_alloc_after(0);
		if (rc == 0)
			break;
	}
	/*
	 * The first run that succeeds is the whole run: a failure swallowed
	 * on the way would show as different output.
	 */
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.s, want.s, want.len);
	buf_release(&got);
	buf_release(&want);
	assert_true(n > 10);	/* the hook was reached */
	assert_true(n < 200000);
	print_message("%s: allocations 1..%lu (every %lu) failed cleanly\n",
		      snapshot, n - stride, stride);
}

static void
seed_pipeline_survives_every_allocation_failure(void **state)
{
	(void)state;
	run_until_success("fixtures/seed-v1.26.1", "latest-patch",
			  date_from_ymd(2023, 3, 20), 3);
}

static void
multi_hop_pipeline_survives_every_allocation_failure(void **state)
{
	(void)state;
	run_until_success("fixtures/ha-1.24.17", "1.28", DAY_2024_11_01, 37);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_pipeline_survives_every_allocation_failure),
		cmocka_unit_test(multi_hop_pipeline_survives_every_allocation_failure),
	};
	int rc;

	/* As cli_main does: cJSON allocates through the failing hook too. */
	cJSON_InitHooks(&(cJSON_Hooks){base_malloc, free});
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	ingest_release();
	return rc;
}
