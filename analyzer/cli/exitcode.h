/*
 * exitcode.h - the exit status contract (README "Exit status"). Never
 * renumber these.
 */
#ifndef SKEWPLAN_EXITCODE_H
#define SKEWPLAN_EXITCODE_H

enum exit_code {
	EXIT_OK = 0,		/* no unwaived finding at or above --fail-on */
	EXIT_FINDINGS = 1,	/* such findings, or a refused plan */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_INPUT = 3,		/* a snapshot file is unreadable or malformed */
	EXIT_RULES = 4,		/* rules or release data are invalid */
	EXIT_INTERNAL = 5,	/* I/O error, out of memory, internal error */
};

#endif
