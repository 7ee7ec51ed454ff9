/*
 * strmap.c - string-keyed hash map for interning and indexes.
 */
#include <stdlib.h>
#include <string.h>

#include "base.h"

uint32_t
base_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static struct strmap_slot *
find(const struct strmap *m, const char *s, size_t len, uint32_t h)
{
	size_t j;

	for (j = h & (m->cap - 1); m->slots[j].key; j = (j + 1) & (m->cap - 1))
		if (m->slots[j].hash == h && m->slots[j].len == len &&
		    !memcmp(m->slots[j].key, s, len))
			break;
	return &m->slots[j];
}

void *
strmap_get(const struct strmap *m, const char *s, size_t len)
{
	const struct strmap_slot *sl;

	if (!m->cap)
		return NULL;
	sl = find(m, s, len, base_hash(s, len));
	return sl->key ? sl->val : NULL;
}

static int
grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i;
	struct strmap old = *m;

	if (cap > SIZE_MAX / sizeof(*m->slots))
		return -1;
	m->slots = base_malloc(cap * sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return -1;
	}
	memset(m->slots, 0, cap * sizeof(*m->slots));
	m->cap = cap;
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].len,
			      old.slots[i].hash) = old.slots[i];
	free(old.slots);
	return 0;
}

int
strmap_put(struct strmap *m, const char *key, size_t len, void *val)
{
	uint32_t h = base_hash(key, len);
	struct strmap_slot *sl;

	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	sl = find(m, key, len, h);
	if (!sl->key) {
		sl->hash = h;
		sl->key = key;
		sl->len = len;
		m->n++;
	}
	sl->val = val;
	return 0;
}

void
strmap_release(struct strmap *m)
{
	if (!m)
		return;
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
