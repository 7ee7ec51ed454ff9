/*
 * arena.c - the run arena: bump allocation from chunks, all freed at once.
 */
#include <stdlib.h>
#include <string.h>

#include "base.h"

#define ARENA_CHUNK (64u << 10)
#define ARENA_ALIGN 16u

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;		/* usable bytes in data */
	size_t used;
	_Alignas(16) unsigned char data[];
};

static unsigned long fail_after;	/* 0: never fail */
static unsigned long alloc_count;

void
base_fail_alloc_after(unsigned long n)
{
	fail_after = n;
	alloc_count = 0;
}

bool
base_alloc_should_fail(void)
{
	if (fail_after == 0)
		return false;
	return ++alloc_count >= fail_after;
}

void *
base_malloc(size_t n)
{
	if (base_alloc_should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *
base_realloc(void *p, size_t n)
{
	if (base_alloc_should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void
arena_release(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->used = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t want = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (want < n)
		return NULL;
	if (!c || c->size - c->used < want) {
		size_t size = want > ARENA_CHUNK / 4 ? want : ARENA_CHUNK;

		if (size > SIZE_MAX - sizeof(*c))
			return NULL;
		c = base_malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		/*
		 * A big block gets a chunk of its own behind the current one,
		 * so the rest of the current chunk is not wasted.
		 */
		if (size != ARENA_CHUNK && a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->used;
	c->used += want;
	a->used += want;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	char *p;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	p = b.oom ? NULL : arena_strndup(a, buf_cstr(&b), b.len);
	buf_release(&b);
	return p;
}
