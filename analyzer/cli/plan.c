/*
 * plan.c - the command `plan`: a snapshot and a target in, the simulated
 * kubeadm runbook out. A refused plan prints its findings and exits 1.
 * --fail-on LEVEL also refuses a plan that carries a finding at or above
 * LEVEL (an API in use that a hop removes is an error), as audit exits 1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../planner/planner.h"
#include "../report/report.h"
#include "../rules/rules.h"
#include "internal.h"

int cmd_plan(int argc, char **argv, struct diag *d);

struct plan_args {
	const char *to, *as_of, *rules, *max_unavailable, *progress;
	const char *strategy, *fail_on;
	bool strict, patch_first, full_state;
	bool strict_input;	/* --strict: unreadable content is an error */
	struct output_opts out;
	char **args;
	int nargs;
	int fail_min;		/* --fail-on: a severity, or -1 for never */
};

/* As audit's --fail-on, without its baseline level "new". */
static int
fail_on_level(const char *s, int *min)
{
	static const char *const names[] = {"error", "warning", "info",
					    "never"};
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*min = i < 3 ? i : -1;
			return 0;
		}
	return -1;
}

/*
 * A target is exactly what was asked: a release written as the release
 * data writes it, never a pre-release, a build or a number with leading
 * zeros quietly read as some other release.
 */
static struct re target_re = {
	"^v?(?:0|[1-9][0-9]{0,3})\\.(?:0|[1-9][0-9]{0,3})"
	"(?:\\.(?:0|[1-9][0-9]{0,5}))?$", 0, NULL, NULL};

static int
check_target(const char *to, struct diag *d)
{
	const char *want = "want 1.27.3, v1.27.3, 1.27, latest-patch or latest";
	unsigned ma, mi, pa;
	bool hp;

	if (!strcmp(to, "latest") || !strcmp(to, "latest-patch") ||
	    (re_match(&target_re, to, strlen(to), NULL) &&
	     plan_target_is_valid(to)))
		return EXIT_OK;
	if (!kver_parse_numbers(to, strlen(to), &ma, &mi, &pa, &hp))
		return usage_error(d, "--to '%s' is not a version (%s)", to,
				   want);
	if (strpbrk(to, "-+"))
		return usage_error(d, "--to '%s' is not a release: pre-releases "
				   "and builds are not planned (%s)", to, want);
	if (ma != 1)
		return usage_error(d, "--to '%s' is not a Kubernetes 1.x "
				   "release (%s)", to, want);
	return usage_error(d, "--to '%s' has leading zeros; write the release "
			   "as it is named (%s)", to, want);
}

static int
parse(int argc, char **argv, struct diag *d, struct plan_args *o)
{
	const struct cli_opt opts[] = {
		{"--to", &o->to, NULL},
		{"--as-of", &o->as_of, NULL},
		{"--rules", &o->rules, NULL},
		{"--max-unavailable", &o->max_unavailable, NULL},
		{"--strict-packages", NULL, &o->strict},
		{"--patch-first", NULL, &o->patch_first},
		{"--progress", &o->progress, NULL},
		{"--strategy", &o->strategy, NULL},
		{"--strict", NULL, &o->strict_input},
		{"--full-state", NULL, &o->full_state},
		{"--fail-on", &o->fail_on, NULL},
	};
	enum plan_strategy st;
	int rc;

	rc = cli_parse_args(argc, argv, opts, ARRAY_SIZE(opts), &o->out,
			    o->args, &o->nargs, d);
	if (rc != EXIT_OK)
		return rc;
	if (!o->to)
		return usage_error(d, "plan needs --to VERSION (1.27.3, 1.27, "
				   "latest-patch or latest)");
	if ((rc = check_target(o->to, d)) != EXIT_OK)
		return rc;
	if (o->fail_on && fail_on_level(o->fail_on, &o->fail_min) < 0)
		return usage_error(d, "unknown --fail-on '%s' (want error, "
				   "warning, info or never)", o->fail_on);
	if (o->strategy && !plan_strategy_parse(o->strategy, &st))
		return usage_error(d, "--strategy '%s' is not a strategy (want "
				   "default or fewest-drains)", o->strategy);
	if ((rc = output_finish(&o->out, OUT_ALL_FORMATS, d)) != EXIT_OK)
		return rc;
	if (o->nargs == 0)
		return usage_error(d, "no snapshot given");
	return EXIT_OK;
}

/* The text and JSON runbooks of report/plan.c. */
static int
plan_own(struct buf *out, enum out_format f, const struct report_input *in)
{
	return f == OUT_JSON ? report_plan_json(out, in->plan)
			     : report_plan_text(out, in->plan);
}

static int
run(struct plan_args *o, struct diag *d, struct arena *a,
    struct cluster_state *cs, struct rules_db *db, struct plan *plan)
{
	struct plan_options po;
	struct report_input in;
	const char *dir, *origin;
	unsigned long v;
	char *end;
	size_t i, n0;
	int rc, res;

	memset(&po, 0, sizeof(po));
	po.to = o->to;
	po.strict_packages = o->strict;
	po.patch_first = o->patch_first;
	if (o->strategy)
		plan_strategy_parse(o->strategy, &po.strategy);
	po.max_unavailable = 1;
	if (o->max_unavailable) {
		errno = 0;
		v = strtoul(o->max_unavailable, &end, 10);
		if (errno || *end || o->max_unavailable[0] < '1' ||
		    o->max_unavailable[0] > '9' || v > 10000)
			return usage_error(d, "--max-unavailable '%s' is not a "
					   "number from 1 to 10000",
					   o->max_unavailable);
		po.max_unavailable = (unsigned)v;
	}
	if ((rc = cli_as_of(d, o->as_of, &po.as_of)) != EXIT_OK ||
	    (rc = cli_progress(d, o->progress)) != EXIT_OK)
		return rc;
	if ((rc = cli_rules_dir_arg(d, a, o->rules, &dir, &origin)) != EXIT_OK)
		return rc;
	if (rules_load(db, a, d, dir) < 0)
		return EXIT_RULES;
	db->origin = origin;
	cs->strict = o->strict_input;
	if ((rc = load_snapshot(cs, d, o->args, o->nargs)) != EXIT_OK)
		return rc;
	res = plan_build(db, cs, &po, plan, d);
	n0 = plan->findings.n;
	if (res < 0 || rules_input_findings(db, cs, d, &plan->findings) < 0)
		return EXIT_INTERNAL;
	/*
	 * A runbook written from a partial snapshot would leave out what the
	 * skipped lines hold (a node row, say): the plan is refused, and the
	 * input-skipped findings are why.
	 */
	if (res == PLAN_OK && plan->findings.n > n0) {
		for (i = n0; i < plan->findings.n; i++)
			plan->findings.v[i].severity = SEV_ERROR;
		plan->refused = true;
		res = PLAN_REFUSED;
	}
	if (res == PLAN_BAD_INPUT)
		return EXIT_INPUT;
	/*
	 * --fail-on: a plan with a finding at or above the level is refused
	 * the way audit fails, so CI never gets a runbook it must not run;
	 * without it the runbook carries the findings (the migrate-apis step
	 * answers api-removed-in-target) and only a broken skew refuses.
	 */
	if (res == PLAN_OK && o->fail_on && o->fail_min >= 0)
		for (i = 0; i < plan->findings.n; i++)
			if ((int)plan->findings.v[i].severity <= o->fail_min) {
				plan->refused = true;
				res = PLAN_REFUSED;
				break;
			}
	plan->full_state = o->full_state;
	memset(&in, 0, sizeof(in));
	in.command = "plan";
	in.db = db;
	in.cs = cs;
	in.findings = &plan->findings;
	in.plan = plan;
	in.as_of = po.as_of;
	in.fail_on = o->fail_on ? o->fail_min : SEV_ERROR;
	if ((rc = cli_write_outputs(&o->out, &in, plan_own, d)) != EXIT_OK)
		return rc;
	return res == PLAN_REFUSED ? EXIT_FINDINGS : EXIT_OK;
}

int
cmd_plan(int argc, char **argv, struct diag *d)
{
	struct plan_args o;
	struct arena arena;
	struct cluster_state cs;
	struct rules_db db;
	struct plan plan;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&db, 0, sizeof(db));
	memset(&plan, 0, sizeof(plan));
	output_opts_init(&o.out);
	if (!(o.args = calloc((size_t)argc + 1, sizeof(*o.args))))
		return EXIT_INTERNAL;
	rc = parse(argc, argv, d, &o);
	if (rc == EXIT_OK) {
		arena_init(&arena);
		cluster_state_init(&cs, &arena);
		rc = run(&o, d, &arena, &cs, &db, &plan);
		plan_release(&plan);
		rules_release(&db);
		cluster_state_release(&cs);
		arena_release(&arena);
	}
	output_opts_release(&o.out);
	free(o.args);
	return rc;
}
