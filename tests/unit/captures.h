/*
 * captures.h - the real captures (../shared/captures, pasted by users into
 * public issues; not copied into the project, as their README asks) that
 * some parser tests read. Absent captures fail the test: a skip that
 * passes proves nothing. SKEWPLAN_ALLOW_SKIP=1 turns that into a skip,
 * which tests/run_all.sh counts and reports.
 */
#ifndef SKEWPLAN_TESTS_CAPTURES_H
#define SKEWPLAN_TESTS_CAPTURES_H

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CAPTURES_DIR "../shared/captures"

#define need_captures()                                                       \
	do {                                                                  \
		struct stat need_st_;                                         \
		const char *allow_ = getenv("SKEWPLAN_ALLOW_SKIP");           \
		if (stat(CAPTURES_DIR, &need_st_) != 0 ||                     \
		    !S_ISDIR(need_st_.st_mode)) {                             \
			if (allow_ && strcmp(allow_, "1") == 0)               \
				skip();                                       \
			fail_msg("real captures missing: " CAPTURES_DIR       \
				 " (the shared/ folder beside the checkout); " \
				 "set SKEWPLAN_ALLOW_SKIP=1 to skip");        \
		}                                                             \
	} while (0)

#endif
