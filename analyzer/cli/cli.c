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
};

static int cmd_inspect(int argc, char **argv, struct diag *d);

int cmd_plan(int argc, char **argv, struct diag *d);

/* Usage texts: help.c. */
static const struct cmd commands[] = {
	{"inspect", cmd_inspect}, {"audit", cmd_audit}, {"plan", cmd_plan},
	{"rules", cmd_rules}, {"check-rules", cmd_check_rules},
	{"version", cmd_version}, {"help", cmd_help},
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
	if (rc == EXIT_OK && ingest_finish(cs, d) < 0)
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
	const char *format = "text", *progress = NULL;
	char **args;
	int i, nargs = 0, rc;
	bool strict = false;

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
		} else if (!strcmp(argv[i], "--progress")) {
			if (++i == argc) {
				free(args);
				return usage_error(d, "option '%s' needs a value",
						   argv[i - 1]);
			}
			progress = argv[i];
		} else if (!strncmp(argv[i], "--progress=", 11)) {
			progress = argv[i] + 11;
		} else if (!strcmp(argv[i], "--strict")) {
			strict = true;
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
	if ((rc = cli_progress(d, progress)) != EXIT_OK) {
		free(args);
		return rc;
	}
	arena_init(&arena);
	cluster_state_init(&cs, &arena);
	cs.strict = strict;
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

int
cli_main(int argc, char **argv)
{
	struct diag d;
	const char *rules;
	size_t i;
	int rc = -1;

	diag_init(&d);
	/* cJSON allocates through the same hook the OOM tests fail. */
	cJSON_InitHooks(&(cJSON_Hooks){base_malloc, free});
	if (argc < 2) {
		cli_print_summary();
		rc = EXIT_USAGE;
		goto out;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		argv[1] = (char *)"help";
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		argv[1] = (char *)"version";
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		/* COMMAND --help and COMMAND --version, in every command. */
		switch (cli_scan_meta(argc - 1, argv + 1, &rules)) {
		case META_HELP:
			rc = cli_print_usage(commands[i].name, &d);
			break;
		case META_VERSION:
			rc = cli_print_version(rules, &d);
			break;
		default:
			rc = commands[i].fn(argc - 1, argv + 1, &d);
			break;
		}
		break;
	}
	if (rc < 0)
		rc = usage_error(&d, "unknown command '%s'", argv[1]);
out:
	ingest_release();
	diag_release(&d);
	return rc;
}
