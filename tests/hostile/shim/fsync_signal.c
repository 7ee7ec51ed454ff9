/*
 * fsync_signal.c - an LD_PRELOAD shim for tests/hostile: the first fsync(2)
 * sends the process the signal numbered SHIM_SIGNAL (default SIGTERM), the
 * moment a report's temporary file is complete but not yet renamed.
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

int fsync(int fd);

int
fsync(int fd)
{
	const char *s = getenv("SHIM_SIGNAL");

	(void)fd;
	kill(getpid(), s ? atoi(s) : SIGTERM);
	return 0;
}
