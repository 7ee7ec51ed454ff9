/*
 * audit.c - the commands `audit`, `rules` and `check-rules`. The clock is
 * read here, once, and only when --as-of is absent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../ingest/ingest.h"
#include "../report/report.h"
#include "../rules/rules.h"
#include "internal.h"

struct audit_opts {
	const char *as_of, *rules, *waivers, *fail_on, *baseline;
	const char *near_eol_days, *progress, *target;
	bool strict;		/* --strict: unreadable content is an error */
	struct output_opts out;
	char **args;
	int nargs;
};

static int
parse_audit(int argc, char **argv, struct diag *d, struct audit_opts *o)
{
	const struct cli_opt opts[] = {
		{"--as-of", &o->as_of, NULL},
		{"--rules", &o->rules, NULL},
		{"--waivers", &o->waivers, NULL},
		{"--fail-on", &o->fail_on, NULL},
		{"--baseline", &o->baseline, NULL},
		{"--near-eol-days", &o->near_eol_days, NULL},
		{"--progress", &o->progress, NULL},
		{"--strict", NULL, &o->strict},
		{"--target", &o->target, NULL},
	};
	int rc;

	o->fail_on = "error";
	rc = cli_parse_args(argc, argv, opts, ARRAY_SIZE(opts), &o->out,
			    o->args, &o->nargs, d);
	if (rc != EXIT_OK)
		return rc;
	return output_finish(&o->out, OUT_ALL_FORMATS, d);
}

/* --fail-on new: any unwaived finding the baseline does not have. */
#define FAIL_ON_NEW (-2)

static int
fail_on_level(const char *s, int *min)
{
	static const char *const names[] = {"error", "warning", "info"};
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*min = i;
			return 0;
		}
	if (!strcmp(s, "never")) {
		*min = -1;
		return 0;
	}
	if (!strcmp(s, "new")) {
		*min = FAIL_ON_NEW;
		return 0;
	}
	return -1;
}

/* The text and JSON writers of `audit` (report/audit.c). */
static int
audit_own(struct buf *out, enum out_format f, const struct report_input *in)
{
	if (f == OUT_JSON)
		return report_audit_json_input(out, in);
	return report_audit_text_input(out, in);
}

static int
run_audit(struct audit_opts *o, struct diag *d, struct arena *a,
	  struct cluster_state *cs, struct rules_db *db, struct waivers *w,
	  struct findings *f, struct findings *absent,
	  char (**absent_hex)[65])
{
	struct rules_eval_options eo = {-1, 0};
	struct report_input in;
	const char *dir, *origin;
	long as_of;
	int rc, min;
	unsigned long v;
	size_t i;
	char *end;

	if (fail_on_level(o->fail_on, &min) < 0)
		return usage_error(d, "unknown --fail-on '%s' (want error, "
				   "warning, info, new or never)", o->fail_on);
	if (min == FAIL_ON_NEW && !o->baseline)
		return usage_error(d, "--fail-on new needs --baseline FILE");
	if (o->baseline && !*o->baseline)
		return usage_error(d, "--baseline '' names no file");
	if (o->near_eol_days) {
		errno = 0;
		v = strtoul(o->near_eol_days, &end, 10);
		if (errno || *end || o->near_eol_days[0] < '0' ||
		    o->near_eol_days[0] > '9' || v > 100000)
			return usage_error(d, "--near-eol-days '%s' is not a "
					   "number of days", o->near_eol_days);
		eo.near_eol_days = (long)v;
	}
	if (o->target) {
		struct kver tv;
		const char *err;

		if (kver_parse(a, o->target, strlen(o->target), &tv, &err) < 0 ||
		    tv.major != 1 || tv.minor == 0)
			return usage_error(d, "--target '%s' is not a Kubernetes "
					   "version like 1.32", o->target);
		eo.api_target = tv.minor;
	}
	if ((rc = cli_as_of(d, o->as_of, &as_of)) != EXIT_OK ||
	    (rc = cli_progress(d, o->progress)) != EXIT_OK)
		return rc;
	if (o->nargs == 0)
		return usage_error(d, "no snapshot given");
	if ((rc = cli_rules_dir_arg(d, a, o->rules, &dir, &origin)) != EXIT_OK)
		return rc;
	if (rules_load(db, a, d, dir) < 0)
		return EXIT_RULES;
	db->origin = origin;
	if (o->waivers && rules_waivers_load(db, d, o->waivers, w) < 0)
		return EXIT_RULES;
	cs->strict = o->strict;
	if ((rc = load_snapshot(cs, d, o->args, o->nargs)) != EXIT_OK)
		return rc;
	if (rules_evaluate(db, cs, as_of, &eo, d, f) < 0 ||
	    rules_waivers_apply(db, w, as_of, d, f) < 0)
		return EXIT_INTERNAL;
	rules_findings_sort(f);
	if (o->baseline &&
	    (rc = cli_baseline_apply(d, a, db, o->baseline, f, absent,
				     absent_hex)) != EXIT_OK)
		return rc;
	memset(&in, 0, sizeof(in));
	in.command = "audit";
	in.db = db;
	in.cs = cs;
	in.findings = f;
	in.as_of = as_of;
	/* JUnit fails what fails the run; for new, the errors. */
	in.fail_on = min == FAIL_ON_NEW ? SEV_ERROR : min;
	if (o->baseline) {
		in.baseline = o->baseline;
		in.absent = absent;
		in.absent_fingerprints = (const char (*)[65])*absent_hex;
	}
	if ((rc = cli_write_outputs(&o->out, &in, audit_own, d)) != EXIT_OK)
		return rc;
	if (min == FAIL_ON_NEW) {
		for (i = 0; i < f->n; i++)
			if (!f->v[i].suppressed &&
			    f->v[i].baseline == BASELINE_NEW)
				return EXIT_FINDINGS;
		return EXIT_OK;
	}
	if (min >= 0 && rules_findings_count(f, (enum severity)min) > 0)
		return EXIT_FINDINGS;
	return EXIT_OK;
}

int
cmd_audit(int argc, char **argv, struct diag *d)
{
	struct audit_opts o;
	struct arena arena;
	struct cluster_state cs;
	struct rules_db db;
	struct waivers w;
	struct findings f, absent;
	char (*absent_hex)[65] = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&absent, 0, sizeof(absent));
	memset(&db, 0, sizeof(db));
	memset(&w, 0, sizeof(w));
	memset(&f, 0, sizeof(f));
	output_opts_init(&o.out);
	if (!(o.args = calloc((size_t)argc + 1, sizeof(*o.args))))
		return EXIT_INTERNAL;
	rc = parse_audit(argc, argv, d, &o);
	if (rc == EXIT_OK) {
		arena_init(&arena);
		cluster_state_init(&cs, &arena);
		rc = run_audit(&o, d, &arena, &cs, &db, &w, &f, &absent,
			       &absent_hex);
		free(absent_hex);
		vec_release(&absent);
		rules_findings_release(&f);
		rules_waivers_release(&w);
		rules_release(&db);
		cluster_state_release(&cs);
		arena_release(&arena);
	}
	output_opts_release(&o.out);
	free(o.args);
	return rc;
}

int
cmd_rules(int argc, char **argv, struct diag *d)
{
	struct arena arena;
	struct rules_db db;
	struct buf out = BUF_INIT;
	const char *dir = NULL, *origin;
	int i, rc;
	bool m;

	for (i = 1; i < argc; i++) {
		if ((rc = cli_opt_value(argc, argv, &i, "--rules", NULL, &dir, d,
				    &m)) != EXIT_OK)
			return rc;
		if (!m)
			return usage_error(d, "unexpected argument '%s'",
					   argv[i]);
	}
	arena_init(&arena);
	if ((rc = cli_rules_dir_arg(d, &arena, dir, &dir, &origin)) != EXIT_OK) {
		arena_release(&arena);
		return rc;
	}
	if (rules_load(&db, &arena, d, dir) < 0) {
		rc = EXIT_RULES;
	} else {
		if (report_rules_text(&out, &db) < 0) {
			diag_plain(d, DIAG_ERROR, "out of memory");
			rc = EXIT_INTERNAL;
		} else {
			rc = emit_stdout(d, &out);
		}
		rules_release(&db);
	}
	buf_release(&out);
	arena_release(&arena);
	return rc;
}

int
cmd_check_rules(int argc, char **argv, struct diag *d)
{
	struct arena arena;
	struct rules_db db;
	struct buf out = BUF_INIT;
	const char *dir, *origin;
	char date[11];
	int rc;

	if (argc > 2)
		return usage_error(d, "check-rules takes at most one DIR");
	if (argc == 2 && argv[1][0] == '-')
		return usage_error(d, "unknown option '%s'", argv[1]);
	arena_init(&arena);
	if (argc == 2 && !*argv[1]) {
		arena_release(&arena);
		return usage_error(d, "check-rules '' names no directory");
	}
	dir = argc == 2 ? argv[1] : cli_rules_dir(&arena, &origin);
	if (rules_load(&db, &arena, d, dir) < 0) {
		diag_plain(d, DIAG_NOTE, "rules data in '%s' is invalid", dir);
		rc = EXIT_RULES;
	} else {
		date_format(db.compiled, date);
		buf_addf(&out, "%s: ok: %zu rules, %zu releases (1.%u to "
			 "1.%u), %zu skew rows, data compiled %s\n", dir,
			 db.rules.n, db.releases.n, db.releases.v[0].minor,
			 db.releases.v[db.releases.n - 1].minor, db.skew.n,
			 date);
		rc = out.oom ? EXIT_INTERNAL : emit_stdout(d, &out);
		rules_release(&db);
	}
	buf_release(&out);
	arena_release(&arena);
	return rc;
}
