/*
 * cli.c - command table and option parsing (git's cmd table style).
 */
#include <cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ingest/ingest.h"
#include "../report/report.h"
#include "internal.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, struct diag *d);
	const char *usage;
};

static int cmd_inspect(int argc, char **argv, struct diag *d);
static int cmd_help(int argc, char **argv, struct diag *d);
static int cmd_version(int argc, char **argv, struct diag *d);

int cmd_plan(int argc, char **argv, struct diag *d);

static const struct cmd commands[] = {
	{"inspect", cmd_inspect, "inspect [-f text|json] SNAPSHOT..."},
	{"audit", cmd_audit, "audit [--as-of YYYY-MM-DD] [--rules DIR] "
	 "[--waivers FILE] [--fail-on error|warning|info|never] "
	 "[OUTPUT...] SNAPSHOT..."},
	{"plan", cmd_plan, "plan --to VERSION [--as-of YYYY-MM-DD] [--rules DIR] "
	 "[--max-unavailable N] [--strict-packages] [--patch-first] [OUTPUT...] "
	 "SNAPSHOT..."},
	{"rules", cmd_rules, "rules [--rules DIR]"},
	{"check-rules", cmd_check_rules, "check-rules [DIR]"},
	{"version", cmd_version, "version"},
	{"help", cmd_help, "help"},
};

int
usage_error(struct diag *d, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	diag_plain(d, DIAG_ERROR, "%s", buf_cstr(&b));
	buf_release(&b);
	diag_plain(d, DIAG_NOTE, "see 'skewplan help'");
	return EXIT_USAGE;
}

/* Writes b to stdout; a failed write is an I/O error. */
int
emit_stdout(struct diag *d, const struct buf *b)
{
	if (fwrite(buf_cstr(b), 1, b->len, stdout) != b->len ||
	    fflush(stdout) != 0) {
		diag_plain(d, DIAG_ERROR, "cannot write to standard output");
		return EXIT_INTERNAL;
	}
	return EXIT_OK;
}

/*
 * Ingests every snapshot argument into cs. Returns EXIT_OK or EXIT_INPUT.
 */
int
load_snapshot(struct cluster_state *cs, struct diag *d, char **args, int n)
{
	int i, rc = EXIT_OK;

	if (n == 0) {
		diag_plain(d, DIAG_ERROR, "no snapshot given");
		return EXIT_USAGE;
	}
	for (i = 0; i < n; i++)
		if (ingest_arg(cs, d, args[i]) < 0)
			rc = EXIT_INPUT;
	if (rc == EXIT_OK)
		model_sort(cs);
	return rc;
}

static int
cmd_inspect(int argc, char **argv, struct diag *d)
{
	struct arena arena;
	struct cluster_state cs;
	const char *format = "text";
	char **args;
	int i, nargs = 0, rc;

	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		return EXIT_INTERNAL;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (++i < argc)
				args[nargs++] = argv[i];
			break;
		}
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--format")) {
			if (++i == argc) {
				free(args);
				return usage_error(d, "option '%s' needs a value",
						   argv[i - 1]);
			}
			format = argv[i];
		} else if (!strncmp(argv[i], "--format=", 9)) {
			format = argv[i] + 9;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			free(args);
			return usage_error(d, "unknown option '%s'", argv[i]);
		} else {
			args[nargs++] = argv[i];
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		free(args);
		return usage_error(d, "unknown format '%s' (want text or json)",
				   format);
	}
	arena_init(&arena);
	cluster_state_init(&cs, &arena);
	rc = load_snapshot(&cs, d, args, nargs);
	if (rc == EXIT_OK) {
		if ((!strcmp(format, "json") ? report_inspect_json(stdout, &cs)
					     : report_inspect_text(stdout, &cs)) ||
		    fflush(stdout) != 0 || ferror(stdout)) {
			diag_plain(d, DIAG_ERROR,
				   "cannot write to standard output");
			rc = EXIT_INTERNAL;
		}
	}
	cluster_state_release(&cs);
	arena_release(&arena);
	free(args);
	return rc;
}

static int
cmd_version(int argc, char **argv, struct diag *d)
{
	(void)argc;
	(void)argv;
	(void)d;
	printf("skewplan %s\n", SKEWPLAN_VERSION);
	return EXIT_OK;
}

static int
cmd_help(int argc, char **argv, struct diag *d)
{
	size_t i;

	(void)argc;
	(void)argv;
	(void)d;
	printf("usage: skewplan COMMAND [OPTIONS] SNAPSHOT...\n\ncommands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  skewplan %s\n", commands[i].usage);
	printf("\nSNAPSHOT is a file, a directory of files, or KIND=FILE with "
	       "KIND one of\nversion, kubeadm, nodes, images, packages.\n"
	       "\nOUTPUT (audit, plan):\n"
	       "  -f, --format FORMAT    text, markdown, html, json, sarif or "
	       "junit (default text)\n"
	       "  -o, --output [FORMAT:]FILE\n"
	       "                         write a report to FILE, atomically; "
	       "repeatable; the format\n"
	       "                         comes from the prefix or the extension "
	       "(.txt .md .html\n"
	       "                         .json .sarif .xml)\n"
	       "  --color auto|always|never\n"
	       "                         colour on a terminal (NO_COLOR is "
	       "respected)\n"
	       "  --source-root DIR      SARIF paths are relative to DIR "
	       "(default .)\n"
	       "\nExit status: 0 no finding at or above --fail-on, 1 findings "
	       "or a refused plan,\n2 usage, 3 input, 4 rules data, 5 I/O or "
	       "internal error.\n");
	return EXIT_OK;
}

int
cli_main(int argc, char **argv)
{
	struct diag d;
	size_t i;
	int rc = -1;

	diag_init(&d);
	/* cJSON allocates through the same hook the OOM tests fail. */
	cJSON_InitHooks(&(cJSON_Hooks){base_malloc, free});
	if (argc < 2) {
		cmd_help(0, NULL, &d);
		rc = EXIT_USAGE;
		goto out;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		argv[1] = (char *)"help";
	if (!strcmp(argv[1], "--version"))
		argv[1] = (char *)"version";
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name)) {
			rc = commands[i].fn(argc - 1, argv + 1, &d);
			break;
		}
	if (rc < 0)
		rc = usage_error(&d, "unknown command '%s'", argv[1]);
out:
	ingest_release();
	diag_release(&d);
	return rc;
}
