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

/* The commands of cli/audit.c. */
int cmd_audit(int argc, char **argv, struct diag *d);
int cmd_rules(int argc, char **argv, struct diag *d);
int cmd_check_rules(int argc, char **argv, struct diag *d);

#endif
