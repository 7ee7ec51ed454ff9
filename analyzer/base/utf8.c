/*
 * utf8.c - UTF-8 validation and repair (RFC 3629). Snapshot text is bytes;
 * JSON and XML readers want UTF-8, so ingest reports where a capture is
 * not UTF-8 and the JSON and XML writers repair what they print.
 */
#include <string.h>

#include "base.h"

size_t
utf8_invalid_at(const char *s, size_t len)
{
	uint32_t cp;
	size_t i = 0, n;

	while (i < len) {
		/* ASCII runs are the common case. */
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return i;
		i += n;
	}
	return len;
}

bool
utf8_is_valid(const char *s, size_t len)
{
	return utf8_invalid_at(s, len) == len;
}

void
utf8_repair(struct buf *b, const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		n = utf8_invalid_at(s + i, len - i);
		buf_add(b, s + i, n);
		i += n;
		if (i < len) {
			buf_adds(b, UTF8_REPLACEMENT);
			i++;
		}
	}
}
