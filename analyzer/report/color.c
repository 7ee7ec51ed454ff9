/*
 * color.c - ANSI colour for the text reports on a terminal. The text
 * writers stay plain; this pass colours the severity word of a finding
 * line ("  error [rule] ..."), the section headings and the summary, so
 * the words a script might grep for are unchanged. The writers escape
 * snapshot text (esc_display), so every ESC here is one of this pass and
 * no snapshot string can start a line that looks like a finding.
 */
#include <string.h>

#include "report.h"

#define SGR_RESET "\033[0m"

static const struct {
	const char *word;	/* at the start of a line, after two spaces */
	const char *sgr;
} severities[] = {
	{"error [", "\033[1;31m"},
	{"warning [", "\033[1;33m"},
	{"info [", "\033[1;36m"},
};

static const char *const headings[] = {
	"Errors (", "Warnings (", "Info (", "Suppressed by waivers (",
	"Summary:", "Hop ", "Step ", "Upgrade plan", "skewplan audit",
	"Plan refused",
};

static bool
starts(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && !memcmp(s, word, n);
}

void
report_colorize(struct buf *out, const char *text, size_t len)
{
	const char *s = text, *end = text + len, *nl;
	size_t n, k, w;

	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		for (k = 0; k < ARRAY_SIZE(severities); k++)
			if (starts(s, n, "  ") &&
			    starts(s + 2, n - 2, severities[k].word))
				break;
		if (k < ARRAY_SIZE(severities)) {
			w = strlen(severities[k].word) - 2;
			buf_add(out, s, 2);
			buf_adds(out, severities[k].sgr);
			buf_add(out, s + 2, w);
			buf_adds(out, SGR_RESET);
			buf_add(out, s + 2 + w, n - 2 - w);
		} else {
			for (k = 0; k < ARRAY_SIZE(headings); k++)
				if (starts(s, n, headings[k]))
					break;
			if (k < ARRAY_SIZE(headings) && n > 0) {
				buf_adds(out, "\033[1m");
				buf_add(out, s, n);
				buf_adds(out, SGR_RESET);
			} else {
				buf_add(out, s, n);
			}
		}
		if (nl)
			buf_addc(out, '\n');
		s += n + (nl ? 1 : 0);
	}
}
