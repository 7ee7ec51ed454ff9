/*
 * cli.h - the command line: parses argv, runs one command, returns the
 * exit status of exitcode.h.
 */
#ifndef SKEWPLAN_CLI_H
#define SKEWPLAN_CLI_H

#include "exitcode.h"

int cli_main(int argc, char **argv);

#endif
