/*
 * file.c - whole small files, and output files written atomically.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"

int
file_read_small(struct diag *d, const char *path, size_t limit, char **out,
		size_t *len)
{
	struct src_loc loc = {path, 0, 0};
	struct buf b = BUF_INIT;
	char chunk[65536];
	struct stat st;
	size_t n;
	FILE *fp;

	*out = NULL;
	*len = 0;
	if (!(fp = fopen(path, "rb")))
		return diag_error(d, loc, "cannot open: %s", strerror(errno));
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		return diag_error(d, loc, "cannot read: %s", strerror(EISDIR));
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b.len + n > limit) {
			fclose(fp);
			buf_release(&b);
			return diag_error(d, loc,
					  "file is larger than %zu bytes",
					  limit);
		}
		buf_add(&b, chunk, n);
	}
	if (ferror(fp)) {
		fclose(fp);
		buf_release(&b);
		return diag_error(d, loc, "read error");
	}
	fclose(fp);
	if (b.oom) {
		buf_release(&b);
		return diag_error(d, loc, "out of memory");
	}
	if (!b.s)
		buf_add(&b, "", 0);
	if (b.oom) {
		buf_release(&b);
		return diag_error(d, loc, "out of memory");
	}
	*out = b.s;
	*len = b.len;
	return 0;
}

/*
 * The temporary files open at this moment, for the signal handler: an
 * interrupted run removes them before it dies. Changed only with SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT blocked, read only by the handler.
 */
#define ATOMIC_MAX_OPEN 64
static char *volatile open_tmps[ATOMIC_MAX_OPEN];
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static void
cleanup_and_die(int sig)
{
	size_t i;

	for (i = 0; i < ATOMIC_MAX_OPEN; i++)
		if (open_tmps[i])
			unlink(open_tmps[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
block_signals(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(cleanup_signals); i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Records tmp (or forgets it when add is false); false if the table is full. */
static bool
track_tmp(char *tmp, bool add)
{
	static bool installed;
	struct sigaction sa, prev;
	sigset_t old;
	bool ok = !add;
	size_t i;

	block_signals(&old);
	if (add && !installed) {
		installed = true;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = cleanup_and_die;
		sigemptyset(&sa.sa_mask);
		for (i = 0; i < ARRAY_SIZE(cleanup_signals); i++) {
			sigaddset(&sa.sa_mask, cleanup_signals[i]);
		}
		for (i = 0; i < ARRAY_SIZE(cleanup_signals); i++)
			/* A signal the caller chose to ignore stays ignored. */
			if (sigaction(cleanup_signals[i], NULL, &prev) == 0 &&
			    prev.sa_handler != SIG_IGN)
				sigaction(cleanup_signals[i], &sa, NULL);
	}
	for (i = 0; i < ATOMIC_MAX_OPEN; i++) {
		if (add && !open_tmps[i]) {
			open_tmps[i] = tmp;
			ok = true;
			break;
		}
		if (!add && open_tmps[i] == tmp)
			open_tmps[i] = NULL;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ok;
}

/*
 * The mode a new report gets: that of the file it replaces, else what
 * creat(2) would give, 0666 less the umask.
 */
static mode_t
output_mode(const char *path)
{
	struct stat st;
	mode_t mask;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_mode & 07777;
	mask = umask(022);
	umask(mask);
	return 0666 & ~mask;
}

/*
 * The temporary name keeps at most this many bytes of the output's name,
 * so that ".NAME.tmp.XXXXXX" fits NAME_MAX (255) whenever NAME does.
 */
#define TMP_NAME_KEEP 64

int
atomic_file_open(struct atomic_file *af, const char *path, struct diag *d)
{
	struct src_loc loc = {path, 0, 0};
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int keep = (int)(strlen(base) < TMP_NAME_KEEP ? strlen(base)
						       : TMP_NAME_KEEP);
	struct buf t = BUF_INIT;
	sigset_t old;
	int fd, err;

	memset(af, 0, sizeof(*af));
	if (slash)
		buf_addf(&t, "%.*s/.%.*s.tmp.XXXXXX", (int)(slash - path), path,
			 keep, base);
	else
		buf_addf(&t, ".%.*s.tmp.XXXXXX", keep, base);
	af->path = strdup(path);
	if (t.oom || !af->path) {
		buf_release(&t);
		free(af->path);
		af->path = NULL;
		return diag_error(d, loc, "out of memory");
	}
	af->tmp = t.s;
	/* Created and tracked with the signals held: no window leaks it. */
	block_signals(&old);
	fd = mkstemp(af->tmp);
	err = errno;
	if (fd >= 0 && !track_tmp(af->tmp, true)) {
		unlink(af->tmp);
		close(fd);
		fd = -1;
		err = EMFILE;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		diag_error(d, loc, "cannot create temporary file '%s': %s",
			   af->tmp, strerror(err));
		free(af->tmp);
		free(af->path);
		af->tmp = af->path = NULL;
		return -1;
	}
	/* mkstemp gives 0600; a report gets the mode of an ordinary file. */
	if (fchmod(fd, output_mode(path)) != 0) {
		err = errno;
		close(fd);
		atomic_file_abort(af);
		return diag_error(d, loc, "cannot set the mode of '%s': %s",
				  path, strerror(err));
	}
	af->fp = fdopen(fd, "wb");
	if (!af->fp) {
		err = errno;
		close(fd);
		atomic_file_abort(af);
		return diag_error(d, loc, "cannot open: %s", strerror(err));
	}
	return 0;
}

int
atomic_file_commit(struct atomic_file *af, struct diag *d)
{
	struct src_loc loc = {af->path, 0, 0};
	int err = 0;

	if (fflush(af->fp) != 0 || ferror(af->fp))
		err = errno ? errno : EIO;
	if (!err && fsync(fileno(af->fp)) != 0)
		err = errno;
	if (fclose(af->fp) != 0 && !err)
		err = errno ? errno : EIO;
	af->fp = NULL;
	if (!err && rename(af->tmp, af->path) != 0)
		err = errno;
	if (err) {
		unlink(af->tmp);
		diag_error(d, loc, "cannot write: %s", strerror(err));
	}
	track_tmp(af->tmp, false);
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
	return err ? -1 : 0;
}

void
atomic_file_abort(struct atomic_file *af)
{
	if (af->fp)
		fclose(af->fp);
	if (af->tmp) {
		unlink(af->tmp);
		track_tmp(af->tmp, false);
	}
	free(af->tmp);
	free(af->path);
	memset(af, 0, sizeof(*af));
}
