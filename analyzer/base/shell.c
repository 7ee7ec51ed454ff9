/*
 * shell.c - one word for a POSIX shell, quoted only when it must be (as
 * Python's shlex.quote), so that safe words read as themselves in a
 * runbook and anything else cannot escape its quotes.
 */
#include <string.h>

#include "base.h"

static bool
is_safe_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("_@%+=:,./-", c));
}

void
esc_sh(struct buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && is_safe_byte((unsigned char)s[i]); i++)
		;
	if (len && i == len) {
		buf_add(b, s, len);
		return;
	}
	buf_addc(b, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, s[i]);
	}
	buf_addc(b, '\'');
}
