/*
 * recover.c - the one recovery path of every parser.
 *
 * A parser reads its input record by record (a line, a table row, a list
 * item, a version.Info) and brackets each with recover_begin() and
 * recover_end(). In between, the diagnostics it reports are held back.
 * When the record had an error, --strict (cs->strict) prints the held
 * messages as they are: the file fails, as it always did. Otherwise the
 * record becomes a skipped record (cs->skipped, the input-skipped finding)
 * and the parser goes on with the next one. Its messages are kept until
 * the file is done: a file that yields no fact at all still fails, and
 * then they are printed as the errors they would have been.
 */
#include <stdarg.h>
#include <string.h>

#include "internal.h"

/* Bytes of a skipped line kept for the reports. */
#define SKIPPED_TEXT_MAX 200

void
recover_file_begin(struct ingest_ctx *c)
{
	c->held0 = c->diag->held.n;
	c->skipped0 = c->cs->skipped.n;
	c->in_record = false;
}

void
recover_begin(struct ingest_ctx *c)
{
	if (c->in_record)
		return;
	c->in_record = true;
	c->rec_start = c->diag->held.n;
	c->rec_nodes = c->cs->nodes.n;
	c->rec_images = c->cs->images.n;
	diag_hold(c->diag);
}

static bool
msg_is_fatal(const char *msg)
{
	/* Running out of memory is never a property of the input. */
	return !strcmp(msg, "out of memory");
}

static int
add_skipped(struct ingest_ctx *c, const struct diag_held *h,
	    const char *text, size_t len)
{
	struct cluster_state *cs = c->cs;
	struct skipped *sk;
	struct buf b = BUF_INIT;

	if (cs->skipped.n - c->skipped0 >= RECOVER_MAX_SKIPPED)
		return -1;
	if (!(sk = vec_push(&cs->skipped)))
		return -1;
	sk->loc = h->loc;
	if (text && len > SKIPPED_TEXT_MAX) {
		size_t n = SKIPPED_TEXT_MAX;

		/* Cut at a character boundary, and say so. */
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
		buf_add(&b, text, n);
		buf_adds(&b, "...");
		sk->text = b.oom ? NULL : arena_strdup(c->arena, buf_cstr(&b));
	} else {
		sk->text = arena_strndup(c->arena, text ? text : "",
					 text ? len : 0);
	}
	buf_release(&b);
	sk->reason = arena_strdup(c->arena, h->msg);
	if (!sk->text || !sk->reason) {
		cs->skipped.n--;
		return -1;
	}
	return 0;
}

int
recover_end(struct ingest_ctx *c, int rc, const char *text, size_t len)
{
	struct diag *d = c->diag;
	const struct diag_held *err = NULL;
	size_t i;

	if (!c->in_record)
		return rc;
	c->in_record = false;
	diag_unhold(d);
	for (i = c->rec_start; i < d->held.n; i++) {
		if (d->held.v[i].lvl != DIAG_ERROR)
			continue;
		if (!err)
			err = &d->held.v[i];
		if (msg_is_fatal(d->held.v[i].msg)) {
			diag_replay(d, c->rec_start);
			return -1;
		}
	}
	if (!err) {
		/* Warnings and notes of a record that was read. */
		diag_replay(d, c->rec_start);
		return rc;
	}
	if (c->cs->strict) {
		diag_replay(d, c->rec_start);
		return -1;
	}
	if (add_skipped(c, err, text, len) < 0) {
		struct src_loc loc = err->loc;

		diag_replay(d, c->rec_start);
		if (c->cs->skipped.n - c->skipped0 >= RECOVER_MAX_SKIPPED)
			return diag_error(d, loc, "more than %u skipped "
					  "records in one file",
					  RECOVER_MAX_SKIPPED);
		return diag_error(d, loc, "out of memory");
	}
	/*
	 * Nothing of a skipped record is kept: the images a line named
	 * before its bad token, say. (Nodes are added at the end of their
	 * record; a package row is added when the next line shows it is
	 * complete, so it belongs to the record before.)
	 */
	c->cs->nodes.n = c->rec_nodes;
	c->cs->images.n = c->rec_images;
	/* Messages are kept until the file is done (recover_file_end). */
	return 1;
}

/*
 * The record of recover_skip() and recover_conflict(): the message, with
 * suffix (NULL: none) after it when it is kept as a skipped record, or an
 * error under --strict. 0 when recorded, else -1.
 */
static int
skip_va(struct ingest_ctx *c, struct src_loc loc, const char *text,
	size_t len, const char *suffix, const char *fmt, va_list ap)
{
	struct diag_held h = {DIAG_ERROR, loc, NULL};
	struct buf b = BUF_INIT;
	int rc;

	buf_vaddf(&b, fmt, ap);
	if (b.oom) {
		buf_release(&b);
		return diag_error(c->diag, loc, "out of memory");
	}
	if (c->cs->strict) {
		rc = diag_error(c->diag, loc, "%s", buf_cstr(&b));
		buf_release(&b);
		return rc;
	}
	if (suffix)
		buf_adds(&b, suffix);
	h.msg = b.s && !b.oom ? b.s : (char *)"";
	rc = add_skipped(c, &h, text, len);
	buf_release(&b);
	return rc < 0 ? diag_error(c->diag, loc, "out of memory") : 0;
}

int
recover_skip(struct ingest_ctx *c, struct src_loc loc, const char *text,
	     size_t len, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = skip_va(c, loc, text, len, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

enum origin
recover_origin(const struct ingest_ctx *c, struct src_loc earlier)
{
	if (earlier.path == c->path)
		return ORIGIN_THIS;
	if (earlier.path && c->path && !strcmp(earlier.path, c->path))
		return ORIGIN_SESSION;
	return ORIGIN_OTHER;
}

int
recover_conflict(struct ingest_ctx *c, struct src_loc loc, struct src_loc kept,
		 const char *text, size_t len, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = skip_va(c, loc, text, len, "; the one there is kept", fmt, ap);
	va_end(ap);
	if (rc == 0)
		c->cs->skipped.v[c->cs->skipped.n - 1].kept = kept;
	return rc;
}

int
recover_elision(struct ingest_ctx *c, struct src_loc loc, const char *s,
		size_t len)
{
	return recover_skip(c, loc, s, len,
			    "the paste leaves content out here: what it "
			    "held is not in this run");
}

void
recover_give_up(struct ingest_ctx *c)
{
	if (c->in_record)
		recover_end(c, -1, NULL, 0);
	diag_replay(c->diag, c->held0);
	c->cs->skipped.n = c->skipped0;
}

void
recover_file_end(struct ingest_ctx *c, bool failed)
{
	if (c->in_record)
		recover_end(c, -1, NULL, 0);
	if (failed)
		recover_give_up(c);
	else
		diag_drop(c->diag, c->held0);
}
