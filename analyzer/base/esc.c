/*
 * esc.c - escaping for HTML and Markdown, and the validators that guard
 * every snapshot string before it enters a shell command.
 */
#include <string.h>

#include "base.h"

void
esc_html(struct buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default:
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				buf_addf(b, "&#xfffd;");
			else
				buf_addc(b, (char)c);
		}
	}
}

void
esc_md(struct buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '<')
			buf_adds(b, "&lt;");
		else if (c == '>')
			buf_adds(b, "&gt;");
		else if (c == '&')
			buf_adds(b, "&amp;");
		else if (c == '\n' || c == '\r')
			buf_addc(b, ' ');
		else if (c < 0x20 || c == 0x7f)
			buf_addf(b, "\\x%02x", c);
		else if (strchr("\\`*_{}[]()|~", c))
			buf_addc(b, '\\'), buf_addc(b, (char)c);
		else
			buf_addc(b, (char)c);
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
