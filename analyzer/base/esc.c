/*
 * esc.c - one definition of the characters a reader must not receive raw,
 * one visible form for them, and the escapers of every human-readable
 * format built on the two; plus the validators that guard every snapshot
 * string before it enters a shell command.
 *
 * Snapshot text is bytes. On a terminal, in a CI log or in a rendered
 * report, an ESC, a C1 control or a bidi override in it could clear the
 * screen, write the clipboard (OSC 52), hide a link (OSC 8), ring the bell,
 * forge a line such as "error [fake-rule]" or show one text and hold
 * another (CVE-2021-42574). Each escaper below walks the text one UTF-8
 * character at a time and writes an unsafe character in the same form
 * everywhere: \xNN for an ASCII control or a byte that is not UTF-8,
 * \uNNNN for an unsafe code point above ASCII. A backslash stays as it is,
 * so escaping twice changes nothing and a subject escaped by a parser for
 * its diagnostic is not mangled by the diagnostic printer.
 */
#include <string.h>

#include "base.h"

size_t
utf8_decode(const char *str, size_t len, uint32_t *cpp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	uint32_t cp;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cpp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cpp = cp;
	return n;
}

bool
esc_is_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f ||
	       (cp >= 0x80 && cp <= 0x9f) ||		/* C1 controls */
	       cp == 0x061c ||				/* Arabic letter mark */
	       (cp >= 0x200b && cp <= 0x200f) ||	/* zero-width, LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202e) ||	/* LS, PS, LRE..RLO */
	       (cp >= 0x2060 && cp <= 0x2069) ||	/* WJ, invisible ops, LRI..PDI */
	       cp == 0xfeff ||				/* zero-width no-break space */
	       cp == 0xfffe || cp == 0xffff;		/* not characters (XML) */
}

/*
 * The unsafe character at s[0..len): returns its length in bytes, with its
 * visible form in out, or 0 when the character at s is safe (its length
 * is then in *safe_len). Newlines and tabs are unsafe unless flags say.
 */
static size_t
unsafe_at(const char *s, size_t len, unsigned flags, char out[static 12],
	  size_t *safe_len)
{
	uint32_t cp = 0;
	size_t n = utf8_decode(s, len, &cp);

	if (n == 0) {
		snprintf(out, 12, "\\x%02x", (unsigned)(unsigned char)s[0]);
		return 1;
	}
	*safe_len = n;
	if (((cp == '\n' || cp == '\t') && (flags & ESC_LINES)) ||
	    (cp == '\t' && (flags & ESC_TAB_SPACE)) || !esc_is_unsafe(cp))
		return 0;
	if (cp < 0x80)
		snprintf(out, 12, "\\x%02x", (unsigned)cp);
	else
		snprintf(out, 12, "\\u%04x", (unsigned)cp);
	return n;
}

void
esc_text(struct buf *b, const char *s, size_t len, unsigned flags)
{
	char vis[12];
	size_t i = 0, run, n, safe;

	while (i < len) {
		/* Printable ASCII, the bulk of any text, is copied in runs. */
		for (run = i; run < len && s[run] >= 0x20 && s[run] < 0x7f;)
			run++;
		buf_add(b, s + i, run - i);
		if ((i = run) == len)
			break;
		if ((n = unsafe_at(s + i, len - i, flags, vis, &safe))) {
			buf_adds(b, vis);
			i += n;
		} else if (s[i] == '\t' && (flags & ESC_TAB_SPACE)) {
			buf_addc(b, ' ');
			i++;
		} else {
			buf_add(b, s + i, safe);
			i += safe;
		}
	}
}

void
esc_display(struct buf *b, const char *s, size_t len)
{
	esc_text(b, s, len, 0);
}

void
esc_html(struct buf *b, const char *s, size_t len, unsigned flags)
{
	char vis[12];
	size_t i = 0, n, safe;

	while (i < len) {
		if ((n = unsafe_at(s + i, len - i, flags & ESC_LINES, vis,
				   &safe))) {
			buf_adds(b, vis);
			i += n;
			continue;
		}
		switch (s[i]) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_add(b, s + i, safe); break;
		}
		i += safe;
	}
}

void
esc_md(struct buf *b, const char *s, size_t len, unsigned flags)
{
	char vis[12];
	size_t i = 0, n, safe;
	char c;

	while (i < len) {
		/*
		 * The visible form keeps its backslash: CommonMark shows a
		 * backslash before a letter as itself, so "\x1b" reads as is.
		 */
		if ((n = unsafe_at(s + i, len - i, flags & ESC_LINES, vis,
				   &safe))) {
			buf_adds(b, vis);
			i += n;
			continue;
		}
		c = s[i];
		if (c == '<')
			buf_adds(b, "&lt;");
		else if (c == '>')
			buf_adds(b, "&gt;");
		else if (c == '&')
			buf_adds(b, "&amp;");
		else if (c == '\n')
			buf_addc(b, ' ');
		else if (strchr("\\`*_{}[]()|~", c))
			buf_addc(b, '\\'), buf_addc(b, c);
		else
			buf_add(b, s + i, safe);
		i += safe;
	}
}

static bool
may_lead_unsafe(char c)
{
	unsigned char u = (unsigned char)c;

	return u == 0xc2 || u == 0xd8 || u == 0xe2 || u == 0xef;
}

void
esc_json_text(struct buf *b, const char *s, size_t len)
{
	uint32_t cp = 0;
	size_t i = 0, run, n;

	while (i < len) {
		/*
		 * Only these lead bytes start an unsafe character above
		 * ASCII (U+0080-U+009F, U+061C, U+20xx, U+FEFF, U+FFFE/F):
		 * everything else is copied in runs.
		 */
		for (run = i; run < len && !may_lead_unsafe(s[run]);)
			run++;
		buf_add(b, s + i, run - i);
		if ((i = run) == len)
			break;
		n = utf8_decode(s + i, len - i, &cp);
		if (n > 1 && esc_is_unsafe(cp)) {
			buf_addf(b, "\\u%04x", (unsigned)cp);
		} else {
			n = n ? n : 1;
			buf_add(b, s + i, n);
		}
		i += n;
	}
}

static struct re dns_subdomain = {
	.pattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"};
static struct re pkg_version = {
	/* Debian: [epoch:]upstream[-revision]; RPM: version-release. */
	.pattern = "^(?:[0-9]{1,9}:)?[0-9][A-Za-z0-9.+~]*(?:-[A-Za-z0-9.+~]+)?$"};

bool
safe_is_dns_subdomain(const char *s, size_t len)
{
	return len > 0 && len <= 253 && re_match(&dns_subdomain, s, len, NULL);
}

bool
safe_is_pkg_version(const char *s, size_t len)
{
	return len > 0 && len <= 128 && re_match(&pkg_version, s, len, NULL);
}
