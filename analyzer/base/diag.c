/*
 * diag.c - compiler-style diagnostics. The only file that writes to stderr.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base.h"

static const char *const level_names[] = {"error", "warning", "note"};

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
diag_release(struct diag *d)
{
	if (!d)
		return;
	buf_release(&d->last);
	diag_drop(d, 0);
	vec_release(&d->held);
}

/*
 * Reads line n (1-based) of path into b, at most 512 bytes of it. Returns
 * false when the file or the line cannot be read; diagnostics are rare, so
 * reading the file again here keeps the parsers free of line bookkeeping.
 */
static bool
read_source_line(const char *path, uint32_t n, struct buf *b)
{
	FILE *fp;
	uint32_t line = 1;
	int c;

	struct stat sb;

	/* A pipe, a FIFO or standard input cannot be read again. */
	if (!path || n == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    !(fp = fopen(path, "rb")))
		return false;
	while (line < n && (c = getc(fp)) != EOF)
		if (c == '\n')
			line++;
	if (line != n) {
		fclose(fp);
		return false;
	}
	while ((c = getc(fp)) != EOF && c != '\n' && b->len < 512)
		buf_addc(b, (char)c);
	fclose(fp);
	if (b->len && b->s[b->len - 1] == '\r')
		b->s[--b->len] = '\0';
	return true;
}

/*
 * Prints the source line with its unsafe characters escaped (a tab as one
 * space, so columns hold) and a caret under column loc.col, a byte offset:
 * the caret counts the characters shown before it, one column each.
 */
static void
quote_source(struct diag *d, FILE *out, struct src_loc loc)
{
	struct buf line = BUF_INIT, shown = BUF_INIT;
	uint32_t cp;
	size_t i, n, k, caret = 0, cols = 0;
	bool placed = false;

	if (d->no_source || loc.line == 0 ||
	    !read_source_line(loc.path, loc.line, &line))
		goto done;
	for (i = 0; i < line.len; i += n) {
		n = utf8_decode(line.s + i, line.len - i, &cp);
		n = n ? n : 1;
		if (!placed && loc.col > 0 && loc.col - 1 < i + n) {
			caret = cols;
			placed = true;
		}
		k = shown.len;
		esc_text(&shown, line.s + i, n, ESC_TAB_SPACE);
		for (; k < shown.len; k++)
			cols += ((unsigned char)shown.s[k] & 0xc0) != 0x80;
	}
	if (!placed)
		caret = cols;
	fprintf(out, " %s\n", buf_cstr(&shown));
	if (loc.col > 0)
		fprintf(out, " %*s^\n", (int)caret, "");
done:
	buf_release(&line);
	buf_release(&shown);
}

static void vreport(struct diag *d, enum diag_level lvl,
		    const struct src_loc *loc, const char *fmt, va_list ap)
	PRINTF_LIKE(4, 0);

static void
vreport(struct diag *d, enum diag_level lvl, const struct src_loc *loc,
	const char *fmt, va_list ap)
{
	FILE *out = d->out ? d->out : stderr;
	struct buf msg = BUF_INIT;
	struct diag_held *h;

	if (d->holding && loc) {
		/*
		 * Plain malloc, not the allocation test hook: a message held
		 * must not turn into a different one.
		 */
		buf_vaddf(&msg, fmt, ap);
		if (!msg.oom && (h = vec_push(&d->held)) != NULL) {
			h->lvl = lvl;
			h->loc = *loc;
			h->msg = strdup(buf_cstr(&msg));
			if (h->msg) {
				buf_release(&msg);
				return;
			}
			d->held.n--;
		}
		buf_release(&msg);
		/* Held or not, an out-of-memory report is printed now. */
		fprintf(out, "skewplan: %s: out of memory while reporting a "
			"problem\n", level_names[lvl]);
		if (lvl == DIAG_ERROR)
			d->errors++;
		return;
	}

	/*
	 * The path and the message carry snapshot text (file names, quoted
	 * subjects): escaped whole here, so no caller can forget.
	 */
	buf_reset(&d->last);
	if (!loc || !loc->path)
		buf_adds(&d->last, "skewplan");
	else
		esc_display(&d->last, loc->path, strlen(loc->path));
	if (loc && loc->path && loc->line > 0 && loc->col == 0)
		buf_addf(&d->last, ":%u", (unsigned)loc->line);
	else if (loc && loc->path && loc->line > 0)
		buf_addf(&d->last, ":%u:%u", (unsigned)loc->line,
			 (unsigned)loc->col);
	buf_addf(&d->last, ": %s: ", level_names[lvl]);
	buf_vaddf(&msg, fmt, ap);
	esc_display(&d->last, buf_cstr(&msg), msg.len);
	if (msg.oom)
		d->last.oom = true;
	buf_release(&msg);
	if (d->last.oom)
		fprintf(out, "skewplan: %s: out of memory while reporting a "
			"problem\n", level_names[lvl]);
	else
		fprintf(out, "%s\n", buf_cstr(&d->last));
	if (loc && loc->path && lvl != DIAG_NOTE)
		quote_source(d, out, *loc);
	if (lvl == DIAG_ERROR)
		d->errors++;
	else if (lvl == DIAG_WARNING)
		d->warnings++;
}

int
diag_error(struct diag *d, struct src_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, DIAG_ERROR, &loc, fmt, ap);
	va_end(ap);
	return -1;
}

void
diag_warning(struct diag *d, struct src_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, DIAG_WARNING, &loc, fmt, ap);
	va_end(ap);
}

void
diag_note(struct diag *d, struct src_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, DIAG_NOTE, &loc, fmt, ap);
	va_end(ap);
}

int
diag_plain(struct diag *d, enum diag_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, lvl, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

void
diag_hold(struct diag *d)
{
	d->holding = true;
}

void
diag_unhold(struct diag *d)
{
	d->holding = false;
}

void
diag_replay(struct diag *d, size_t from)
{
	bool holding = d->holding;
	size_t i;

	d->holding = false;
	for (i = from; i < d->held.n; i++) {
		struct diag_held *h = &d->held.v[i];

		if (h->lvl == DIAG_ERROR)
			diag_error(d, h->loc, "%s", h->msg);
		else if (h->lvl == DIAG_WARNING)
			diag_warning(d, h->loc, "%s", h->msg);
		else
			diag_note(d, h->loc, "%s", h->msg);
	}
	d->holding = holding;
	diag_drop(d, from);
}

void
diag_drop(struct diag *d, size_t from)
{
	size_t i;

	for (i = from; i < d->held.n; i++)
		free(d->held.v[i].msg);
	if (from < d->held.n)
		d->held.n = from;
}

const char *
src_loc_str(struct arena *a, struct src_loc loc)
{
	if (!loc.path)
		return NULL;
	if (loc.line == 0)
		return arena_strdup(a, loc.path);
	return arena_printf(a, "%s:%u:%u", loc.path, (unsigned)loc.line,
			    (unsigned)(loc.col ? loc.col : 1));
}
