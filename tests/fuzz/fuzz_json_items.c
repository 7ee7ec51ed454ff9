/*
 * libFuzzer target: the JSON items scanner (base/json_items.c) against
 * cJSON. The first byte picks the chunk size the rest is fed in. Whatever
 * the input, the scanner must not crash or leak; when cJSON parses the
 * whole document and the scanner finds its items, the scanner's elements,
 * each parsed alone, must be cJSON's elements.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../../analyzer/base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	char *text[64];		/* the first 64 elements, printed */
	size_t n;
};

static int
on_item(void *ctx, const char *s, size_t len, size_t line, size_t col)
{
	struct seen *g = ctx;
	cJSON *j;

	if (line == 0 || col == 0)
		abort();
	if (g->n >= 64)
		return 0;
	j = cJSON_ParseWithLength(s, len);
	g->text[g->n++] = j ? cJSON_PrintUnformatted(j) : NULL;
	cJSON_Delete(j);
	return 0;
}

static bool
has_escaped_unicode(const uint8_t *data, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size; i++)
		if (data[i] == '\\' && data[i + 1] == 'u')
			return true;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_items it;
	struct seen g;
	size_t chunk, i, k;
	cJSON *root, *items, *e;
	int rc = 0;

	if (size == 0)
		return 0;
	chunk = (size_t)data[0] % 17 + 1;
	if (data[0] >= 0xf0)
		chunk = size;
	data++;
	size--;
	memset(&g, 0, sizeof(g));
	json_items_init(&it, 1u << 20, 64);
	for (i = 0; rc == 0 && i < size; i += chunk)
		rc = json_items_feed(&it, (const char *)data + i,
				     size - i < chunk ? size - i : chunk,
				     on_item, &g);
	if (rc == 0)
		rc = json_items_finish(&it);
	if (rc < 0 && !it.error)
		abort();
	root = cJSON_ParseWithLength((const char *)data, size);
	items = cJSON_GetObjectItemCaseSensitive(root, "items");
	if (rc == 0 && it.seen_items && cJSON_IsArray(items) &&
	    !has_escaped_unicode(data, size)) {
		if ((size_t)cJSON_GetArraySize(items) != it.nitems)
			abort();
		k = 0;
		cJSON_ArrayForEach(e, items) {
			char *want;

			if (k >= g.n)
				break;
			want = cJSON_PrintUnformatted(e);
			if (!want || !g.text[k] || strcmp(want, g.text[k]))
				abort();
			cJSON_free(want);
			k++;
		}
	}
	cJSON_Delete(root);
	for (k = 0; k < g.n; k++)
		cJSON_free(g.text[k]);
	json_items_release(&it);
	return 0;
}
