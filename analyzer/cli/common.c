/*
 * common.c - what `audit` and `plan` share: the rules directory, the as-of
 * date (the only place the clock is read) and "--name VALUE" options.
 */
#define _XOPEN_SOURCE 700 /* realpath(3) */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../rules/rules.h"
#include "internal.h"

#ifndef SKEWPLAN_RULES_DIR
#define SKEWPLAN_RULES_DIR "/usr/local/share/skewplan/rules"
#endif

static bool
has_rulesets(const char *dir)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/rulesets.yaml", dir);

	return n > 0 && (size_t)n < sizeof(path) && access(path, R_OK) == 0;
}

/*
 * A directory only its owner can change, and whose owner is root or the
 * user running skewplan: a rules directory found by looking around the
 * binary must be no easier to plant than the binary itself (a binary run
 * from /tmp/x must not pick up a /tmp/rules anyone could make).
 */
static bool
is_trusted_dir(const char *dir)
{
	struct stat st;

	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	       (st.st_uid == 0 || st.st_uid == geteuid()) &&
	       !(st.st_mode & (S_IWGRP | S_IWOTH));
}

/*
 * dir resolved (no "build/san/../.."), relative to the working directory
 * when it lies inside it.
 */
static const char *
display_path(struct arena *a, const char *dir)
{
	char *cwd = realpath(".", NULL), *real = realpath(dir, NULL);
	const char *out = dir;
	size_t n;

	if (cwd && real && (n = strlen(cwd)) > 1 && !strncmp(real, cwd, n) &&
	    real[n] == '/')
		out = arena_strdup(a, real + n + 1);
	else if (real)
		out = arena_strdup(a, real);
	free(cwd);
	free(real);
	return out ? out : dir;
}

/*
 * The source tree the binary was built in: the binary's directory or one of
 * its two parents (./skewplan, build/san/skewplan) holding analyzer/main.c
 * and rules/rulesets.yaml, every directory on the way trusted. Found from
 * /proc/self/exe, never from the working directory.
 */
static const char *
source_tree_rules(struct arena *a, const char *exe_dir)
{
	static const char *const up[] = {"", "/..", "/../.."};
	const char *root, *rules, *marker;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(up); i++) {
		root = arena_printf(a, "%s%s", exe_dir, up[i]);
		rules = arena_printf(a, "%s%s/rules", exe_dir, up[i]);
		marker = arena_printf(a, "%s%s/analyzer/main.c", exe_dir,
				      up[i]);
		if (!root || !rules || !marker)
			return NULL;
		if (access(marker, R_OK) == 0 && has_rulesets(rules) &&
		    is_trusted_dir(root) && is_trusted_dir(rules))
			return display_path(a, rules);
	}
	return NULL;
}

const char *
cli_rules_dir(struct arena *a, const char **origin)
{
	char exe[4096], *slash;
	const char *dir;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if ((dir = source_tree_rules(a, exe)) != NULL) {
				*origin = RULES_FROM_SOURCE_TREE;
				return dir;
			}
			dir = arena_printf(a, "%s/../share/skewplan/rules", exe);
			if (dir && has_rulesets(dir)) {
				/* /usr/share/..., not /usr/bin/../share/... */
				*origin = RULES_FROM_INSTALL;
				return display_path(a, dir);
			}
		}
	}
	*origin = RULES_FROM_INSTALL;
	return SKEWPLAN_RULES_DIR;
}

int
cli_rules_dir_arg(struct diag *d, struct arena *a, const char *arg,
		  const char **dir, const char **origin)
{
	if (!arg) {
		*dir = cli_rules_dir(a, origin);
		return EXIT_OK;
	}
	if (!*arg)
		return usage_error(d, "--rules '' names no directory");
	*dir = arg;
	*origin = RULES_FROM_OPTION;
	return EXIT_OK;
}

int
cli_as_of(struct diag *d, const char *arg, long *days)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	unsigned long long v;
	char *end;
	time_t now;

	if (arg) {
		if (!date_parse(arg, strlen(arg), days))
			return usage_error(d, "--as-of '%s' is not a date "
					   "YYYY-MM-DD from 1970-01-01 to "
					   "9999-12-31", arg);
		return EXIT_OK;
	}
	if (sde && *sde) {
		errno = 0;
		v = strtoull(sde, &end, 10);
		if (errno || *end || sde[0] < '0' || sde[0] > '9' ||
		    v > 253402300799ULL)
			return usage_error(d, "SOURCE_DATE_EPOCH '%s' is not a "
					   "number of seconds", sde);
		*days = (long)(v / 86400);
		return EXIT_OK;
	}
	if ((now = time(NULL)) == (time_t)-1) {
		diag_plain(d, DIAG_ERROR, "cannot read the clock");
		return EXIT_INTERNAL;
	}
	*days = (long)(now / 86400);
	return EXIT_OK;
}

int
cli_progress(struct diag *d, const char *arg)
{
	const char *term = getenv("TERM"), *ci = getenv("CI");
	bool on;

	if (!arg || !strcmp(arg, "auto"))
		on = isatty(STDERR_FILENO) && !(term && !strcmp(term, "dumb")) &&
		     !(ci && *ci);
	else if (!strcmp(arg, "always"))
		on = true;
	else if (!strcmp(arg, "never"))
		on = false;
	else
		return usage_error(d, "unknown --progress '%s' (want auto, "
				   "always or never)", arg);
	progress_configure(on, PROGRESS_MIN_SIZE);
	return EXIT_OK;
}

int
cli_opt_value(int argc, char **argv, int *i, const char *name,
	      const char *alias, const char **out, struct diag *d,
	      bool *matched)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	*matched = false;
	if (!strncmp(a, name, n) && a[n] == '=') {
		*out = a + n + 1;
		*matched = true;
		return EXIT_OK;
	}
	if (strcmp(a, name) && (!alias || strcmp(a, alias)))
		return EXIT_OK;
	*matched = true;
	if (++*i == argc)
		return usage_error(d, "option '%s' needs a value", a);
	*out = argv[*i];
	return EXIT_OK;
}

int
cli_parse_args(int argc, char **argv, const struct cli_opt *opts,
	       size_t nopts, struct output_opts *out, char **args, int *nargs,
	       struct diag *d)
{
	size_t k;
	int i, rc;
	bool m;

	*nargs = 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			/* The end of the options: the rest are snapshots. */
			while (++i < argc)
				args[(*nargs)++] = argv[i];
			break;
		}
		if (out && (rc = output_parse_opt(out, argc, argv, &i, d,
						  &m)) != EXIT_OK)
			return rc;
		if (out && m)
			continue;
		for (k = 0, m = false; !m && k < nopts; k++) {
			if (opts[k].flag) {
				if ((m = !strcmp(argv[i], opts[k].name)))
					*opts[k].flag = true;
				continue;
			}
			rc = cli_opt_value(argc, argv, &i, opts[k].name, NULL,
					   opts[k].value, d, &m);
			if (rc != EXIT_OK)
				return rc;
		}
		if (m)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return usage_error(d, "unknown option '%s'", argv[i]);
		args[(*nargs)++] = argv[i];
	}
	return EXIT_OK;
}
