/*
 * file.c - whole small files, and output files written atomically.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
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
	size_t n;
	FILE *fp;

	*out = NULL;
	*len = 0;
	if (!(fp = fopen(path, "rb")))
		return diag_error(d, loc, "cannot open: %s", strerror(errno));
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

int
atomic_file_open(struct atomic_file *af, const char *path, struct diag *d)
{
	struct src_loc loc = {path, 0, 0};
	const char *slash = strrchr(path, '/');
	struct buf t = BUF_INIT;
	int fd;

	memset(af, 0, sizeof(*af));
	if (slash)
		buf_addf(&t, "%.*s/.%s.tmp.XXXXXX", (int)(slash - path), path,
			 slash + 1);
	else
		buf_addf(&t, ".%s.tmp.XXXXXX", path);
	af->path = strdup(path);
	if (t.oom || !af->path) {
		buf_release(&t);
		free(af->path);
		af->path = NULL;
		return diag_error(d, loc, "out of memory");
	}
	af->tmp = t.s;
	fd = mkstemp(af->tmp);
	if (fd < 0) {
		diag_error(d, loc, "cannot create temporary file '%s': %s",
			   af->tmp, strerror(errno));
		free(af->tmp);
		free(af->path);
		af->tmp = af->path = NULL;
		return -1;
	}
	/* mkstemp gives 0600; a report is an ordinary file. */
	(void)fchmod(fd, 0644 & ~(mode_t)0);
	af->fp = fdopen(fd, "wb");
	if (!af->fp) {
		close(fd);
		unlink(af->tmp);
		free(af->tmp);
		free(af->path);
		af->tmp = af->path = NULL;
		return diag_error(d, loc, "cannot open: %s", strerror(errno));
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
	if (af->tmp)
		unlink(af->tmp);
	free(af->tmp);
	free(af->path);
	memset(af, 0, sizeof(*af));
}
