/*
 * help.c - `skewplan help [COMMAND]`, `COMMAND --help` and `--version`:
 * the usage of each command, and the version with the date of the rules
 * data it would read.
 */
#include <stdio.h>
#include <string.h>

#include "../rules/rules.h"
#include "internal.h"

/* The output options of audit and plan, as their usage shows them. */
#define OUTPUT_HELP \
	"\noutput options:\n" \
	"  -f, --format FORMAT    the report on stdout: text, markdown, " \
	"html, json,\n" \
	"                         sarif, junit or codeclimate (default text)\n" \
	"  -o, --output [FORMAT:]FILE\n" \
	"                         write a report to FILE, atomically; " \
	"repeatable; the\n" \
	"                         format comes from the prefix or the " \
	"extension (.txt\n" \
	"                         .md .html .json .sarif .xml " \
	".codeclimate.json); - is\n" \
	"                         stdout\n" \
	"  --color auto|always|never\n" \
	"                         colour on a terminal (NO_COLOR is " \
	"respected)\n" \
	"  --source-root DIR      SARIF and Code Quality paths are " \
	"relative to DIR\n" \
	"                         (default .)\n"

#define PROGRESS_HELP \
	"  --progress auto|always|never\n" \
	"                         a progress line on stderr while a file of " \
	"64 MB or\n" \
	"                         more is read (auto: on a terminal, not " \
	"under CI)\n"

#define STRICT_HELP \
	"  --strict               content that cannot be read is an input " \
	"error (exit\n" \
	"                         3), not an input-skipped finding\n"

#define COMMON_HELP \
	"  -h, --help             print this usage and exit\n" \
	"  -V, --version          print the version and the rules data " \
	"date, and exit\n"

static const struct cmd_usage {
	const char *name;
	/* After "skewplan "; a tab starts a line indented under the first. */
	const char *synopsis;
	const char *text;	/* what it does and its options */
} usages[] = {
	{"inspect",
	 "inspect [--strict] [-f text|json] [--progress WHEN] SNAPSHOT...",
	 "Prints what was read from the snapshot: versions, nodes, images and\n"
	 "packages, each with the path:line:col it came from, and the lines "
	 "that\nwere skipped.\n"
	 "\noptions:\n"
	 "  -f, --format text|json the inventory as text (default) or as "
	 "the JSON\n"
	 "                         contract of the README\n"
	 PROGRESS_HELP STRICT_HELP COMMON_HELP},
	{"audit", "audit [--as-of YYYY-MM-DD] [--rules DIR] [--waivers FILE]\n"
	 "\t[--fail-on LEVEL] [--baseline FILE] [--near-eol-days N]\n"
	 "\t[--target VERSION] [--progress WHEN] [--strict] [OUTPUT...] SNAPSHOT...",
	 "Checks the snapshot against the version-skew policy, the support "
	 "window\nand the health facts that block a safe upgrade.\n"
	 "\noptions:\n"
	 "  --as-of YYYY-MM-DD     the date of the audit (default today, "
	 "UTC, or\n"
	 "                         SOURCE_DATE_EPOCH)\n"
	 "  --rules DIR            read the rules data from DIR\n"
	 "  --waivers FILE         waive findings as FILE lists "
	 "(skewplan-waivers(5))\n"
	 "  --fail-on LEVEL        exit 1 on an unwaived finding at or above "
	 "LEVEL:\n"
	 "                         error (default), warning, info, never; "
	 "new: any\n"
	 "                         unwaived finding that --baseline does not "
	 "have\n"
	 "  --baseline FILE        mark each finding new, unchanged or absent "
	 "against\n"
	 "                         FILE, the report of an earlier audit -f "
	 "json\n"
	 "  --near-eol-days N      warn of an end of life N days ahead "
	 "(default: the\n"
	 "                         rules data's)\n"
	 "  --target VERSION       judge the APIs in use against VERSION "
	 "(1.32; default:\n"
	 "                         the cluster's next minor)\n"
	 PROGRESS_HELP STRICT_HELP COMMON_HELP OUTPUT_HELP},
	{"plan", "plan --to VERSION [--as-of YYYY-MM-DD] [--rules DIR]\n"
	 "\t[--max-unavailable N] [--strict-packages] "
	 "[--patch-first]\n"
	 "\t[--progress WHEN] [--strategy default|fewest-drains] [--strict]\n"
	 "\t[--full-state] [--fail-on LEVEL] [OUTPUT...] SNAPSHOT...",
	 "Writes the runbook of an upgrade to VERSION, one minor per hop, "
	 "checking\nthe skew policy after every step; a plan that would break "
	 "it is refused\n(exit 1).\n"
	 "\noptions:\n"
	 "  --to VERSION           1.27.3, v1.27.3, 1.27 (its newest "
	 "patch),\n"
	 "                         latest-patch or latest\n"
	 "  --as-of YYYY-MM-DD     the date of the plan (default today, UTC, "
	 "or\n"
	 "                         SOURCE_DATE_EPOCH)\n"
	 "  --rules DIR            read the rules data from DIR\n"
	 "  --max-unavailable N    drain and upgrade workers N at a time\n"
	 "  --strict-packages      refuse to pin a package version the "
	 "capture does\n"
	 "                         not show\n"
	 "  --patch-first          go to the newest patch of the current "
	 "minor first\n"
	 "  --strategy S           default (every kubelet one minor per hop) "
	 "or\n"
	 "                         fewest-drains (a worker's kubelet waits "
	 "while\n"
	 "                         kubeadm and the skew policy accept it)\n"
	 "  --full-state           JSON: every node's state after every step, "
	 "not\n"
	 "                         only at the end of each hop\n"
	 "  --fail-on LEVEL        refuse the plan (exit 1, no runbook) on a "
	 "finding at\n"
	 "                         or above LEVEL: error, warning, info or "
	 "never (an\n"
	 "                         API in use that a hop removes is an "
	 "error)\n"
	 PROGRESS_HELP STRICT_HELP COMMON_HELP OUTPUT_HELP},
	{"rules", "rules [--rules DIR]",
	 "Lists the rule catalogue: every rule id with its severity and "
	 "title.\n"
	 "\noptions:\n"
	 "  --rules DIR            read the rules data from DIR\n"
	 COMMON_HELP},
	{"check-rules", "check-rules [DIR]",
	 "Validates the rules data in DIR (default: the rules directory "
	 "skewplan\nwould use) and prints a one-line summary.\n"
	 "\noptions:\n" COMMON_HELP},
	{"version", "version [--rules DIR]",
	 "Prints the version of skewplan and the date the rules data it "
	 "reads was\ncompiled, with where that data is.\n"
	 "\noptions:\n"
	 "  --rules DIR            the rules data in DIR\n"
	 COMMON_HELP},
	{"help", "help [COMMAND]",
	 "Prints the usage of COMMAND, or a summary of every command.\n"},
};

/*
 * The options that take a value in the next argument, in any command: a
 * "--help" there is that value, not a request for help.
 */
static const char *const value_options[] = {
	"-f", "--format", "-o", "--output", "--color", "--source-root",
	"--as-of", "--rules", "--waivers", "--fail-on", "--baseline",
	"--near-eol-days", "--to", "--max-unavailable", "--progress",
	"--strategy", "--target",
};

static const struct cmd_usage *
usage_of(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(usages); i++)
		if (!strcmp(usages[i].name, name))
			return &usages[i];
	return NULL;
}

static bool
takes_value(const char *arg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(value_options); i++)
		if (!strcmp(arg, value_options[i]))
			return true;
	return false;
}

enum cli_meta
cli_scan_meta(int argc, char **argv, const char **rules)
{
	int i;

	*rules = NULL;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return META_HELP;
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version"))
			return META_VERSION;
		if (!strncmp(argv[i], "--rules=", 8))
			*rules = argv[i] + 8;
		else if (!strcmp(argv[i], "--rules") && i + 1 < argc)
			*rules = argv[i + 1];
		if (takes_value(argv[i]))
			i++;
	}
	return META_NONE;
}

/* Prints prefix and the synopsis of u, its later lines indented. */
static void
put_synopsis(const char *prefix, const struct cmd_usage *u)
{
	int indent = (int)(strlen(prefix) + strlen(u->name) + 1);
	const char *s;

	fputs(prefix, stdout);
	for (s = u->synopsis; *s; s++)
		if (*s == '\t')
			printf("%*s", indent, "");
		else
			putchar(*s);
	putchar('\n');
}

int
cli_print_usage(const char *name, struct diag *d)
{
	const struct cmd_usage *u = usage_of(name);

	if (!u)
		return usage_error(d, "no such command '%s'", name);
	put_synopsis("usage: skewplan ", u);
	if (printf("\n%s\nSee skewplan(1) for the details.\n", u->text) < 0 ||
	    fflush(stdout) != 0 || ferror(stdout)) {
		diag_plain(d, DIAG_ERROR, "cannot write to standard output");
		return EXIT_INTERNAL;
	}
	return EXIT_OK;
}

int
cli_print_summary(void)
{
	size_t i;

	printf("usage: skewplan COMMAND [OPTIONS] SNAPSHOT...\n\ncommands:\n");
	for (i = 0; i < ARRAY_SIZE(usages); i++)
		put_synopsis("  skewplan ", &usages[i]);
	printf("\nSNAPSHOT is a file, a directory of files, or KIND=FILE with "
	       "KIND one of\nversion, kubeadm, nodes, images, packages.\n"
	       "OUTPUT (audit, plan) is -f FORMAT, -o [FORMAT:]FILE, --color "
	       "WHEN or\n--source-root DIR. 'skewplan help COMMAND' or "
	       "'skewplan COMMAND --help'\nprints the usage of COMMAND; "
	       "-V or --version the version.\n"
	       "\nExit status: 0 no finding at or above --fail-on, 1 findings "
	       "or a refused plan,\n2 usage, 3 input, 4 rules data, 5 I/O or "
	       "internal error.\n");
	return fflush(stdout) != 0 || ferror(stdout) ? EXIT_INTERNAL : EXIT_OK;
}

int
cmd_help(int argc, char **argv, struct diag *d)
{
	if (argc > 2)
		return usage_error(d, "help takes at most one COMMAND");
	if (argc == 2)
		return cli_print_usage(argv[1], d);
	if (cli_print_summary() != EXIT_OK) {
		diag_plain(d, DIAG_ERROR, "cannot write to standard output");
		return EXIT_INTERNAL;
	}
	return EXIT_OK;
}

int
cli_print_version(const char *rules, struct diag *d)
{
	struct arena arena;
	struct rules_db db;
	struct buf out = BUF_INIT;
	const char *dir, *origin;
	char date[11];
	int rc;

	/* The version is known even when the rules data is not. */
	buf_addf(&out, "skewplan %s\n", SKEWPLAN_VERSION);
	if ((rc = emit_stdout(d, &out)) != EXIT_OK) {
		buf_release(&out);
		return rc;
	}
	buf_reset(&out);
	arena_init(&arena);
	if ((rc = cli_rules_dir_arg(d, &arena, rules, &dir, &origin)) !=
	    EXIT_OK) {
		buf_release(&out);
		arena_release(&arena);
		return rc;
	}
	if (rules_load(&db, &arena, d, dir) < 0) {
		diag_plain(d, DIAG_NOTE, "rules data in '%s' is invalid", dir);
		rc = EXIT_RULES;
	} else {
		date_format(db.compiled, date);
		buf_addf(&out, "rules data compiled %s, from ", date);
		esc_display(&out, db.dir, strlen(db.dir));
		buf_addf(&out, " (%s)\n", origin);
		rc = out.oom ? EXIT_INTERNAL : emit_stdout(d, &out);
		rules_release(&db);
	}
	buf_release(&out);
	arena_release(&arena);
	return rc;
}

int
cmd_version(int argc, char **argv, struct diag *d)
{
	const char *rules = NULL;
	int i, rc;
	bool m;

	for (i = 1; i < argc; i++) {
		if ((rc = cli_opt_value(argc, argv, &i, "--rules", NULL, &rules,
				    d, &m)) != EXIT_OK)
			return rc;
		if (!m)
			return usage_error(d, "unexpected argument '%s'",
					   argv[i]);
	}
	return cli_print_version(rules, d);
}
