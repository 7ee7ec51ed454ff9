/*
 * escape.c - helpers shared by the SARIF, JUnit and HTML writers: UTF-8
 * repair (snapshot text is bytes; JSON and XML readers want UTF-8) and
 * XML escaping, and the artifact lookup.
 */
#include <string.h>

#include "report.h"

/* Length of the valid UTF-8 sequence at s (RFC 3629), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t len)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
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
	return n;
}

void
report_add_utf8(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = utf8_len(p + i, len - i);
		if (n == 0) {
			buf_adds(b, "\xef\xbf\xbd");
			i++;
		} else {
			buf_add(b, s + i, n);
			i += n;
		}
	}
}

void
report_add_xml(struct buf *b, const char *s, size_t len)
{
	struct buf t = BUF_INIT;

	report_add_utf8(&t, s, len);
	if (t.oom)
		b->oom = true;
	else
		esc_html(b, buf_cstr(&t), t.len);
	buf_release(&t);
}

const struct report_artifact *
report_artifact_of(const struct report_input *in, const char *path)
{
	size_t i;

	if (!path)
		return NULL;
	for (i = 0; i < in->nartifacts; i++)
		if (in->artifacts[i].path == path ||
		    !strcmp(in->artifacts[i].path, path))
			return &in->artifacts[i];
	return NULL;
}
