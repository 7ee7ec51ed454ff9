/*
 * buf.c - growable strings (after git's strbuf) and vector growth.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base.h"

void
buf_init(struct buf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
	b->oom = false;
	b->sink = NULL;
	b->sink_failed = false;
}

void
buf_release(struct buf *b)
{
	if (!b)
		return;
	free(b->s);
	buf_init(b);
}

int
buf_flush(struct buf *b)
{
	if (b->oom)
		return -1;
	if (!b->sink || b->len == 0)
		return 0;
	if (fwrite(b->s, 1, b->len, b->sink) != b->len) {
		b->sink_failed = true;
		b->oom = true;
		return -1;
	}
	buf_reset(b);
	return 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

static bool
buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *s;

	if (b->oom)
		return false;
	if (extra > SIZE_MAX - b->len - 1)
		goto oom;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	s = base_realloc(b->s, cap);
	if (!s)
		goto oom;
	b->s = s;
	b->cap = cap;
	return true;
oom:
	b->oom = true;
	return false;
}

void
buf_add(struct buf *b, const char *s, size_t len)
{
	if (!buf_grow(b, len))
		return;
	if (len)
		memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || !buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

bool
buf_contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(s + i, needle, n))
			return true;
	return false;
}

/*
 * Thirty-two places a step where SSE2 is there (every x86-64): a place
 * is a candidate when its byte is the word's first and the byte wlen - 1
 * on is its last, and only candidates are compared in full (Wojciech
 * Mula, "SIMD-friendly algorithms for substring searching",
 * http://0x80.pl/articles/simd-strfind.html). In text two bytes that far
 * apart rarely both match, so this costs a few instructions per 16 bytes;
 * glibc's generic memmem (2.36) looks up a shift table for every step of
 * at most wlen - 1 bytes, and was a quarter of a 1 GB audit log run.
 */
const char *
buf_find(const char *s, size_t len, const char *word, size_t wlen)
{
	const char *p;
	size_t i = 0;

	if (wlen == 0)
		return s;
	if (wlen > len)
		return NULL;
#ifdef __SSE2__
	if (wlen > 1) {
		const __m128i first = _mm_set1_epi8(word[0]);
		const __m128i last = _mm_set1_epi8(word[wlen - 1]);
		const char *t = s + wlen - 1;

		for (; i + wlen - 1 + 32 <= len; i += 32) {
			__m128i m0 = _mm_and_si128(
				_mm_cmpeq_epi8(_mm_loadu_si128((const void *)(s + i)),
					       first),
				_mm_cmpeq_epi8(_mm_loadu_si128((const void *)(t + i)),
					       last));
			__m128i m1 = _mm_and_si128(
				_mm_cmpeq_epi8(
					_mm_loadu_si128((const void *)(s + i + 16)),
					first),
				_mm_cmpeq_epi8(
					_mm_loadu_si128((const void *)(t + i + 16)),
					last));
			uint32_t m;

			if (!_mm_movemask_epi8(_mm_or_si128(m0, m1)))
				continue;
			m = (uint32_t)_mm_movemask_epi8(m0) |
			    (uint32_t)_mm_movemask_epi8(m1) << 16;
			/* No call in the loop: the constants stay in registers. */
			for (; m; m &= m - 1) {
				size_t j = 1;

				p = s + i + (unsigned)__builtin_ctz(m);
				while (j < wlen - 1 && p[j] == word[j])
					j++;
				if (j >= wlen - 1)
					return p;
			}
		}
	}
#endif
	for (; i + wlen <= len; i = (size_t)(p - s) + 1) {
		p = memchr(s + i, word[0], len - wlen + 1 - i);
		if (!p)
			return NULL;
		if (!memcmp(p, word, wlen))
			return p;
	}
	return NULL;
}

const char *
buf_cstr(const struct buf *b)
{
	return b->s && !b->oom ? b->s : "";
}

void *
vec_grow_(void **v, size_t *n, size_t *cap, size_t size)
{
	unsigned char *p;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;

		if (ncap > SIZE_MAX / size)
			return NULL;
		p = base_realloc(*v, ncap * size);
		if (!p)
			return NULL;
		*v = p;
		*cap = ncap;
	}
	p = (unsigned char *)*v + *n * size;
	memset(p, 0, size);
	(*n)++;
	return p;
}
