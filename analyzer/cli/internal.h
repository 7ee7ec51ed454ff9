/*
 * internal.h - helpers shared by the command files of cli/ only.
 */
#ifndef SKEWPLAN_CLI_INTERNAL_H
#define SKEWPLAN_CLI_INTERNAL_H

#include "../model/model.h"
#include "cli.h"

/* Reports a usage error and the help hint; returns EXIT_USAGE. */
int usage_error(struct diag *d, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Writes b to stdout; EXIT_OK, or EXIT_INTERNAL on a failed write. */
int emit_stdout(struct diag *d, const struct buf *b);
/*
 * Ingests every snapshot argument into cs and sorts it. Returns EXIT_OK,
 * EXIT_USAGE (no argument) or EXIT_INPUT.
 */
int load_snapshot(struct cluster_state *cs, struct diag *d, char **args,
		  int n);

/*
 * The rules directory when --rules is absent, never one found through the
 * working directory: rules/ of the source tree the binary sits in (the
 * binary's directory or one of its two parents, holding analyzer/main.c,
 * each directory owned by root or the user and writable by no one else),
 * then ../share/skewplan/rules beside the binary, then the installed
 * SKEWPLAN_RULES_DIR. *origin is RULES_FROM_SOURCE_TREE or
 * RULES_FROM_INSTALL. A source tree under the working directory is named
 * relative to it. Strings: arena or static.
 */
const char *cli_rules_dir(struct arena *a, const char **origin);
/*
 * The rules directory for a --rules value arg (borrowed: argv), or the
 * default when arg is NULL; an empty arg is a usage error. Sets *dir and
 * *origin (RULES_FROM_OPTION for arg). Returns EXIT_OK or EXIT_USAGE.
 */
int cli_rules_dir_arg(struct diag *d, struct arena *a, const char *arg,
		      const char **dir, const char **origin);
/*
 * The as-of date in days: arg (YYYY-MM-DD) when given, else
 * SOURCE_DATE_EPOCH, else today (UTC); the program's only clock read.
 * Returns EXIT_OK, EXIT_USAGE or EXIT_INTERNAL.
 */
int cli_as_of(struct diag *d, const char *arg, long *days);
/*
 * --progress auto|always|never (NULL: auto): a line on stderr while an
 * input of 64 MB or more is read; auto: stderr is a terminal, TERM is not
 * dumb and CI is unset. Returns EXIT_OK or EXIT_USAGE.
 */
int cli_progress(struct diag *d, const char *arg);
/*
 * If argv[*i] is "--name VALUE", "--name=VALUE" or "ALIAS VALUE", sets *out
 * (borrowed: argv), advances *i past the value and sets *matched. Returns
 * EXIT_OK or EXIT_USAGE (a missing value).
 */
int cli_opt_value(int argc, char **argv, int *i, const char *name,
		  const char *alias, const char **out, struct diag *d,
		  bool *matched);

struct output_opts;

/* One option of a command: "--name VALUE" (value) or a switch (flag). */
struct cli_opt {
	const char *name;
	const char **value;	/* set to the borrowed argv value, or NULL */
	bool *flag;		/* set to true, or NULL */
};

/*
 * Parses argv[1..argc): the output options into out (when out is not
 * NULL), the command's opts, and every other argument into args (an array
 * of at least argc entries; *nargs counts them); every argument after "--"
 * is taken as it is. An unknown option is a usage error. Returns EXIT_OK
 * or EXIT_USAGE.
 */
int cli_parse_args(int argc, char **argv, const struct cli_opt *opts,
		   size_t nopts, struct output_opts *out, char **args,
		   int *nargs, struct diag *d);

/* ------------------------------------------------ help.c */

enum cli_meta { META_NONE, META_HELP, META_VERSION };

/*
 * Looks through a command's arguments argv[1..argc), up to "--", for
 * -h/--help or -V/--version (the first wins), never taking an option's
 * value for one; sets *rules to the --rules value seen (borrowed: argv),
 * else NULL.
 */
enum cli_meta cli_scan_meta(int argc, char **argv, const char **rules);
/* Prints the usage of command name; EXIT_OK, or EXIT_USAGE when unknown. */
int cli_print_usage(const char *name, struct diag *d);
/* Prints the summary of every command; EXIT_OK or EXIT_INTERNAL. */
int cli_print_summary(void);
/*
 * Prints the version and the date the rules data (in rules, or the default
 * directory when NULL) was compiled, with its directory and origin.
 * EXIT_OK, EXIT_RULES when that data cannot be read (the version line is
 * printed all the same), or EXIT_USAGE / EXIT_INTERNAL.
 */
int cli_print_version(const char *rules, struct diag *d);
int cmd_help(int argc, char **argv, struct diag *d);
int cmd_version(int argc, char **argv, struct diag *d);

/*
 * audit --baseline path (baseline.c): reads the earlier audit JSON report
 * at path, marks each finding of f BASELINE_NEW or BASELINE_UNCHANGED, and
 * appends the baseline's findings f does not have to absent (arena
 * strings, state BASELINE_ABSENT) with their fingerprints in *absent_hex
 * (owned). Returns EXIT_OK, EXIT_INPUT after located diagnostics (an
 * unreadable, malformed or foreign file) or EXIT_INTERNAL.
 */
int cli_baseline_apply(struct diag *d, struct arena *a,
		       const struct rules_db *db, const char *path,
		       struct findings *f, struct findings *absent,
		       char (**absent_hex)[65]);

/* The commands of cli/audit.c. */
int cmd_audit(int argc, char **argv, struct diag *d);
int cmd_rules(int argc, char **argv, struct diag *d);
int cmd_check_rules(int argc, char **argv, struct diag *d);

/* ------------------------------------------------ outputs (output.c) */

#include "../report/report.h"

/* The report formats; the order is that of the names in output.c. */
enum out_format { OUT_TEXT, OUT_JSON, OUT_MARKDOWN, OUT_HTML, OUT_SARIF,
		  OUT_JUNIT, OUT_CODECLIMATE, OUT_COUNT };
#define OUT_FORMAT_BIT(f) (1u << (f))
#define OUT_ALL_FORMATS ((1u << OUT_COUNT) - 1)

/* One report to write: a file, or standard output when path is NULL. */
struct output_spec {
	enum out_format format;
	const char *path;	/* borrowed: argv */
};

/*
 * The output options shared by `audit` and `plan`: -f/--format FORMAT,
 * -o/--output [FORMAT:]FILE (repeatable), --color auto|always|never and
 * --source-root DIR. Fill with output_parse_opt(), then output_finish().
 */
struct output_opts {
	const char *format;	/* borrowed: argv; NULL means text */
	const char *color;	/* borrowed: argv; NULL means auto */
	const char *source_root;	/* borrowed: argv; NULL means "." */
	const char **outputs;	/* owned array of borrowed -o values */
	size_t noutputs;
	/* Set by output_finish(): */
	struct output_spec *specs;	/* owned */
	size_t nspecs;
	bool color_on;		/* ANSI colour on the text sent to stdout */
};

void output_opts_init(struct output_opts *o);
void output_opts_release(struct output_opts *o);
/*
 * If argv[*i] is one of the output options, takes it (and its value,
 * advancing *i) and sets *matched. Returns EXIT_OK or EXIT_USAGE.
 */
int output_parse_opt(struct output_opts *o, int argc, char **argv, int *i,
		     struct diag *d, bool *matched);
/*
 * Resolves every -o into a format (a FORMAT: prefix, else the extension:
 * .txt .md .html .json .sarif .xml .codeclimate.json) and adds the -f report on stdout (also
 * with -o); two outputs naming one file (same device and inode, or same
 * directory and name for a file still to be made) are a usage error.
 * Checks them against allowed (OUT_FORMAT_BIT mask), --color and
 * --source-root, and decides on colour
 * (always; never; auto: stdout is a terminal, NO_COLOR unset or empty and
 * TERM not "dumb"). Returns EXIT_OK or EXIT_USAGE.
 */
int output_finish(struct output_opts *o, unsigned allowed, struct diag *d);

/*
 * The command's own writers of OUT_TEXT and OUT_JSON (report/audit.c,
 * report/plan.c); the other formats are shared. Returns 0 or -1 (out of
 * memory).
 */
typedef int (*output_own_fn)(struct buf *out, enum out_format f,
			     const struct report_input *in);

/*
 * Writes every report of o for in: the files first, each to a temporary
 * file in its directory, all of them complete and synced before the first
 * is renamed into place, so a failure leaves no partial file and no
 * existing file changed; then the stdout report (without -o, one report in
 * the -f format). Fills in->artifacts (snapshot files with their SHA-256,
 * URIs relative to --source-root) and in->cluster when NULL. Returns
 * EXIT_OK, or EXIT_INTERNAL after a diagnostic.
 */
int cli_write_outputs(const struct output_opts *o, struct report_input *in,
		      output_own_fn own, struct diag *d);

#endif
