/*
 * stream.c - each input is opened and read once. What the sniffer reads is
 * recorded, so that the parser starts again at byte 0 of a pipe, a FIFO or
 * standard input and then goes on reading the same stream: a 2 GB capture
 * is never held, only its head. A regular file is simply rewound.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

int
stream_open(struct stream *st, const char *path, struct diag *d)
{
	struct stat sb;

	memset(st, 0, sizeof(*st));
	st->diag = d;
	st->complete = true;
	if (!strcmp(path, "-")) {
		st->path = STREAM_STDIN_NAME;
		st->fp = stdin;
		st->is_stdin = true;
	} else {
		st->path = path;
		st->fp = fopen(path, "rb");
		if (!st->fp)
			return diag_error(d, (struct src_loc){path, 0, 0},
					  "cannot open: %s", strerror(errno));
	}
	st->seekable = fstat(fileno(st->fp), &sb) == 0 &&
		       S_ISREG(sb.st_mode) && ftell(st->fp) == 0;
	st->recording = !st->seekable;
	return 0;
}

void
stream_open_mem(struct stream *st, const char *path, uint32_t line_base,
		struct buf *text, struct diag *d)
{
	memset(st, 0, sizeof(*st));
	st->diag = d;
	st->path = path;
	st->line_base = line_base;
	stream_hold(st, text);
}

void
stream_hold(struct stream *st, struct buf *text)
{
	buf_release(&st->head);
	st->head = *text;
	buf_init(text);
	st->head_off = 0;
	st->complete = true;
	st->recording = false;
	st->seekable = false;
	st->eof = true;
	st->error = 0;
}

void
stream_close(struct stream *st)
{
	progress_done(st->path);
	if (st->fp && !st->is_stdin)
		fclose(st->fp);
	buf_release(&st->head);
	memset(st, 0, sizeof(*st));
}

int
stream_rewind(struct stream *st, bool again)
{
	struct src_loc loc = {st->path, 0, 0};

	if (st->seekable) {
		if (fseek(st->fp, 0, SEEK_SET) != 0)
			return diag_error(st->diag, loc, "cannot rewind: %s",
					  strerror(errno));
		clearerr(st->fp);
		st->eof = false;
		return 0;
	}
	if (!st->complete) {
		diag_error(st->diag, loc, "cannot read this capture twice: "
			   "more than %u bytes from a pipe",
			   STREAM_RECORD_MAX);
		diag_note(st->diag, loc, "save it to a file and name the file");
		return -1;
	}
	st->head_off = 0;
	st->recording = again;
	return 0;
}

size_t
stream_read(struct stream *st, char *out, size_t n)
{
	size_t got;

	/* Replay what was recorded, then go on from the stream. */
	if (st->head_off < st->head.len) {
		got = st->head.len - st->head_off;
		if (got > n)
			got = n;
		memcpy(out, st->head.s + st->head_off, got);
		st->head_off += got;
		return got;
	}
	if (st->eof || n == 0)
		return 0;
	got = fread(out, 1, n, st->fp);
	if (st->seekable)
		progress_read(st->path, st->fp);
	if (got < n) {
		if (ferror(st->fp))
			st->error = errno ? errno : EIO;
		st->eof = true;
	}
	if (got && !st->seekable) {
		if (st->recording && st->head.len + got <= STREAM_RECORD_MAX) {
			buf_add(&st->head, out, got);
			st->head_off = st->head.len;
			if (st->head.oom)
				st->complete = false;
		} else {
			st->complete = false;
		}
	}
	return got;
}

int
stream_read_all(struct stream *st, size_t limit, char **out, size_t *len)
{
	struct src_loc loc = {st->path, 0, 0};
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;

	*out = NULL;
	*len = 0;
	if (stream_rewind(st, false) < 0)
		return -1;
	while ((n = stream_read(st, chunk, sizeof(chunk))) > 0) {
		if (b.len + n > limit) {
			buf_release(&b);
			return diag_error(st->diag, loc,
					  "file is larger than %zu bytes",
					  limit);
		}
		buf_add(&b, chunk, n);
	}
	if (st->error) {
		buf_release(&b);
		return diag_error(st->diag, loc, "read error: %s",
				  strerror(st->error));
	}
	if (!b.s)
		buf_add(&b, "", 0);
	if (b.oom) {
		buf_release(&b);
		return diag_error(st->diag, loc, "out of memory");
	}
	*out = b.s;
	*len = b.len;
	return 0;
}

int
text_reader_each(struct text_reader *r, unsigned *errors, unsigned max,
		 void (*line)(void *ctx, const struct text_line *l), void *ctx)
{
	struct text_line l;
	int rc;

	while (*errors < max && (rc = text_reader_next(r, &l)) != 0) {
		if (rc < 0) {
			++*errors;
			break;
		}
		if (l.noise == NOISE_NONE)
			line(ctx, &l);
	}
	return *errors ? -1 : 0;
}
