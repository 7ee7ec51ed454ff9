/*
 * json.c - the cJSON helpers of the JSON writers (audit, plan, inspect and
 * SARIF): calls that chain with && and free what they could not attach,
 * strings repaired to valid UTF-8, and the pieces of a document written
 * one element at a time, laid out exactly as cJSON_Print lays out a whole
 * tree.
 */
#include <string.h>

#include "internal.h"

bool
report_jadd(cJSON *obj, const char *key, cJSON *item)
{
	if (!item)
		return false;
	if (!obj || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

bool
report_jpush(cJSON *arr, cJSON *item)
{
	if (!item)
		return false;
	if (!arr || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

cJSON *
report_jdone(cJSON *o, bool ok)
{
	if (ok)
		return o;
	cJSON_Delete(o);
	return NULL;
}

cJSON *
report_jstr(const char *s)
{
	struct buf b = BUF_INIT;

	if (!s)
		return cJSON_CreateNull();
	report_add_utf8(&b, s, strlen(s));
	return report_jtake(&b);
}

cJSON *
report_jdate(long days)
{
	char s[11];

	if (days == RULES_NO_DATE)
		return cJSON_CreateNull();
	date_format(days, s);
	return cJSON_CreateString(s);
}

cJSON *
report_jtake(struct buf *b)
{
	struct buf t = BUF_INIT;
	cJSON *j = NULL;

	/* Repair only when needed: most text is valid already. */
	if (!b->oom && !utf8_is_valid(buf_cstr(b), b->len)) {
		report_add_utf8(&t, buf_cstr(b), b->len);
		if (!t.oom)
			j = cJSON_CreateString(buf_cstr(&t));
		buf_release(&t);
	} else if (!b->oom) {
		j = cJSON_CreateString(buf_cstr(b));
	}
	buf_release(b);
	return j;
}

int
report_jprint(struct buf *out, cJSON *root, bool ok)
{
	char *text = ok ? cJSON_Print(root) : NULL;

	cJSON_Delete(root);
	if (!text)
		return -1;
	esc_json_text(out, text, strlen(text));
	buf_addc(out, '\n');
	cJSON_free(text);
	return out->oom ? -1 : 0;
}

void
report_jkey(struct buf *out, int depth, const char *key)
{
	int i;

	for (i = 0; i < depth; i++)
		buf_addc(out, '\t');
	buf_addf(out, "\"%s\":\t", key);
}

int
report_jput(struct buf *out, cJSON *item, int depth)
{
	char *text = item ? cJSON_Print(item) : NULL;
	const char *s, *nl;
	int i;

	cJSON_Delete(item);
	if (!text)
		return -1;
	/*
	 * cJSON indents by nesting depth with tabs and prints a newline only
	 * as layout (one inside a string is "\n"): indenting every line after
	 * the first by depth tabs gives what a whole-tree print would.
	 */
	for (s = text; (nl = strchr(s, '\n')); s = nl + 1) {
		esc_json_text(out, s, (size_t)(nl + 1 - s));
		for (i = 0; i < depth; i++)
			buf_addc(out, '\t');
	}
	esc_json_text(out, s, strlen(s));
	cJSON_free(text);
	return out->oom ? -1 : 0;
}

int
report_jmember(struct buf *out, int depth, const char *key, cJSON *item,
	       bool last)
{
	report_jkey(out, depth, key);
	if (report_jput(out, item, depth) < 0)
		return -1;
	buf_adds(out, last ? "\n" : ",\n");
	return out->oom ? -1 : 0;
}
