/*
 * progress.c - one status line on stderr while a large input is read
 * (--progress): "reading PATH: 312 MB of 1.9 GB (14%), 85 MB/s", rewritten
 * in place at most ten times a second and erased when the file is done, so
 * that nothing of it stays in the terminal or mixes with diagnostics.
 *
 * The one writer to stderr besides diag.c: a transient terminal line, not a
 * diagnostic; kept apart so that diag.c's messages never depend on it. It
 * reads the monotonic clock for the rate and the throttle only; no report
 * depends on it.
 */
#define _XOPEN_SOURCE 700 /* fileno, ftello */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base.h"

static struct {
	bool on;
	uint64_t min_size;
	const char *path;	/* borrowed: the input being read */
	uint64_t size;
	double start, last;
	bool shown;		/* a line is on the terminal */
} pg = {false, PROGRESS_MIN_SIZE, NULL, 0, 0, 0, false};

static double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
progress_configure(bool on, uint64_t min_size)
{
	pg.on = on;
	pg.min_size = min_size;
	pg.path = NULL;
	pg.shown = false;
}

/* Appends n bytes as "312 MB" or "1.9 GB" (powers of 1024). */
static void
add_size(struct buf *b, double n)
{
	if (n >= 1024.0 * 1024 * 1024)
		buf_addf(b, "%.1f GB", n / (1024.0 * 1024 * 1024));
	else
		buf_addf(b, "%.0f MB", n / (1024.0 * 1024));
}

static void
erase(void)
{
	if (pg.shown) {
		/* Carriage return, then erase to the end of the line. */
		fputs("\r\033[K", stderr);
		fflush(stderr);
		pg.shown = false;
	}
}

void
progress_read(const char *path, FILE *fp)
{
	struct buf line = BUF_INIT;
	struct stat st;
	off_t pos;
	double t;

	if (!pg.on || !path || !fp)
		return;
	if (path != pg.path) {
		erase();
		pg.path = path;
		pg.size = fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode)
				  ? (uint64_t)st.st_size : 0;
		pg.start = now();
		pg.last = 0;	/* the first read shows the line */
	}
	if (pg.size < pg.min_size || (pos = ftello(fp)) < 0)
		return;
	t = now();
	if ((uint64_t)pos >= pg.size) {
		erase();
		return;
	}
	if (t - pg.last < 0.1)
		return;
	pg.last = t;
	buf_adds(&line, "\rreading ");
	esc_display(&line, path, strlen(path));
	buf_adds(&line, ": ");
	add_size(&line, (double)pos);
	buf_adds(&line, " of ");
	add_size(&line, (double)pg.size);
	buf_addf(&line, " (%u%%)", (unsigned)((uint64_t)pos * 100 / pg.size));
	if (t - pg.start >= 0.5) {
		buf_adds(&line, ", ");
		add_size(&line, (double)pos / (t - pg.start));
		buf_adds(&line, "/s");
	}
	buf_adds(&line, "\033[K");
	if (!line.oom) {
		fwrite(line.s, 1, line.len, stderr);
		fflush(stderr);
		pg.shown = true;
	}
	buf_release(&line);
}

void
progress_done(const char *path)
{
	if (pg.on && path == pg.path) {
		erase();
		pg.path = NULL;
	}
}
