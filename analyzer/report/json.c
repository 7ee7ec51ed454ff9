/*
 * json.c - the cJSON helpers of the JSON writers (audit, plan, inspect and
 * SARIF): calls that chain with && and free what they could not attach.
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
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
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
	cJSON *j = b->oom ? NULL : cJSON_CreateString(buf_cstr(b));

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
