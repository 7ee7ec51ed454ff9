/*
 * audit_log.c - kube-apiserver audit log lines (JSON, one event a line, as
 * the log backend writes them or `grep deprecated` leaves them). An event
 * the apiserver annotated "k8s.io/deprecated": "true" is a use of a
 * deprecated API by a named client: its objectRef gives the API and the
 * object, user.username and userAgent say who. Other events are passed
 * over. Uses of one API by one client are counted at their first line, so
 * memory grows with the clients, not with the log.
 *
 * A line shaped as one JSON object ("{" to "}") that does not contain the
 * word "deprecated" cannot carry the annotation: it is counted as an
 * event and not parsed (the text reader's skip, which searches whole
 * reads for the word), which keeps a 1 GB log near the speed of a bare
 * line read. Every other line is parsed, so a prompt, a prefix or a
 * broken event is still reported where it is.
 */
#include <string.h>

#include <cJSON.h>

#include "internal.h"

#define MAX_ERRORS 20
/* One event: the apiserver's own lines are a few KB. */
#define MAX_EVENT_LEN (1u << 20)

struct audit_parse {
	struct ingest_ctx *c;
	struct text_reader r;
	struct strmap seen;	/* "api\0resource\0who" -> 1 + index */
	struct buf key;
	unsigned errors;
	size_t events, deprecated;
};

static const char *
str_at(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

static int
bad(struct audit_parse *p, struct src_loc loc, const char *what)
{
	diag_error(p->c->diag, loc, "%s", what);
	p->errors++;
	return -1;
}

/* Copies s into the arena, control bytes replaced (reports show them). */
static const char *
copy(struct audit_parse *p, const char *s)
{
	char *t;
	size_t i, n;

	if (!s)
		return NULL;
	n = strlen(s);
	if (n > LIMIT_SCALAR_LEN)
		n = LIMIT_SCALAR_LEN;
	if (!(t = arena_strndup(p->c->arena, s, n)))
		return NULL;
	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			t[i] = '?';
	return t;
}

static int
take_event(struct audit_parse *p, const cJSON *ev, struct src_loc loc)
{
	const cJSON *ann = cJSON_GetObjectItemCaseSensitive(ev, "annotations");
	const cJSON *ref = cJSON_GetObjectItemCaseSensitive(ev, "objectRef");
	const cJSON *user = cJSON_GetObjectItemCaseSensitive(ev, "user");
	const char *dep, *removed, *group, *version, *resource, *sub, *ns,
		*name, *username, *agent;
	struct api_use *u;
	void *hit;

	p->events++;
	if (!cJSON_IsObject(ann) || !(dep = str_at(ann, "k8s.io/deprecated")) ||
	    strcmp(dep, "true"))
		return 0;
	p->deprecated++;
	if (!cJSON_IsObject(ref))
		return bad(p, loc, "deprecated-API event without an objectRef");
	removed = str_at(ann, "k8s.io/removed-release");
	group = str_at(ref, "apiGroup");
	version = str_at(ref, "apiVersion");
	resource = str_at(ref, "resource");
	sub = str_at(ref, "subresource");
	ns = str_at(ref, "namespace");
	name = str_at(ref, "name");
	username = cJSON_IsObject(user) ? str_at(user, "username") : NULL;
	agent = str_at(ev, "userAgent");
	if (!version || !resource)
		return bad(p, loc, "deprecated-API event whose objectRef has "
			   "no apiVersion or resource");
	buf_reset(&p->key);
	buf_adds(&p->key, group ? group : "");
	buf_addc(&p->key, '/');
	buf_adds(&p->key, version);
	buf_addc(&p->key, '\0');
	buf_adds(&p->key, resource);
	buf_addc(&p->key, '\0');
	buf_adds(&p->key, username ? username : "");
	buf_addc(&p->key, '\0');
	buf_adds(&p->key, agent ? agent : "");
	if (p->key.oom)
		return bad(p, loc, "out of memory");
	if ((hit = strmap_get(&p->seen, p->key.s, p->key.len))) {
		p->c->cs->api_uses.v[(size_t)(uintptr_t)hit - 1].count++;
		return 0;
	}
	if (p->c->cs->api_uses.n >= LIMIT_ITEMS)
		return bad(p, loc, "too many API uses in one run");
	if (!(u = vec_push(&p->c->cs->api_uses)))
		return bad(p, loc, "out of memory");
	memset(u, 0, sizeof(*u));
	u->evidence = APIEV_AUDIT;
	u->api = group ? arena_printf(p->c->arena, "%s/%s", group, version)
		       : copy(p, version);
	u->resource = copy(p, resource);
	u->removed_release = copy(p, removed);
	u->who = arena_printf(p->c->arena, "%s (%s)",
			      username ? username : "unknown user",
			      agent ? agent : "no user agent");
	u->object = name ? (ns ? arena_printf(p->c->arena, "%s/%s%s%s", ns,
					      name, sub ? " " : "",
					      sub ? sub : "")
			       : arena_printf(p->c->arena, "%s%s%s", name,
					      sub ? " " : "", sub ? sub : ""))
			 : NULL;
	u->count = 1;
	u->loc = loc;
	if (!u->api || !u->resource || !u->who || (removed && !u->removed_release) ||
	    (name && !u->object))
		return bad(p, loc, "out of memory");
	/* The key lives in the arena with the use. */
	{
		char *k = arena_alloc(p->c->arena, p->key.len + 1);

		if (!k)
			return bad(p, loc, "out of memory");
		memcpy(k, p->key.s, p->key.len + 1);
		if (strmap_put(&p->seen, k, p->key.len,
			       (void *)(uintptr_t)p->c->cs->api_uses.n) < 0)
			return bad(p, loc, "out of memory");
	}
	return 0;
}

/* Line and column of the byte cJSON stopped at, in the line l. */
static struct src_loc
json_error_loc(struct audit_parse *p, const struct text_line *l,
	       const char *end)
{
	size_t off = end && end >= l->s && end <= l->s + l->len
			     ? (size_t)(end - l->s)
			     : 0;

	return text_loc(&p->r, l, off);
}

/*
 * The text reader's want_line, for the lines its skip left (see the
 * comment at the top): an event line that may be a use is parsed as it
 * is, since no paste noise starts with "{"; any other line is cleaned,
 * then parsed.
 */
static enum text_want
want_line(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	if (len && s[len - 1] == '\r')
		len--;
	if (len < 2 || s[0] != '{' || s[len - 1] != '}')
		return TEXT_CLEAN;
	return TEXT_RAW;
}

static void
parse_line(struct audit_parse *p, const struct text_line *l)
{
	const char *s = l->s, *end = NULL;
	size_t n = l->len, skip = 0;
	cJSON *ev;

	/* `grep -H` and `kubectl logs --prefix` put a name before the event. */
	while (skip < n && s[skip] != '{')
		skip++;
	if (skip == n) {
		bad(p, text_loc(&p->r, l, 0), "expected an audit event (a "
		    "JSON object)");
		return;
	}
	if (n - skip > MAX_EVENT_LEN) {
		bad(p, text_loc(&p->r, l, skip), "audit event longer than 1 MB");
		return;
	}
	ev = cJSON_ParseWithLengthOpts(s + skip, n - skip, &end, false);
	if (!ev) {
		bad(p, json_error_loc(p, l, end), "audit event is not valid "
		    "JSON");
		return;
	}
	if (!cJSON_IsObject(ev))
		bad(p, text_loc(&p->r, l, skip), "audit event is not a JSON "
		    "object");
	else
		(void)take_event(p, ev, text_loc(&p->r, l, skip));
	cJSON_Delete(ev);
}

static void
each_line(void *ctx, const struct text_line *l)
{
	parse_line(ctx, l);
}

int
ingest_audit_log(struct ingest_ctx *c)
{
	struct audit_parse p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	buf_init(&p.key);
	c->format = "audit-jsonl";
	if (text_reader_open_stream(&p.r, c->in, false, c->diag) < 0)
		return -1;
	p.r.warn_utf8 = true;
	p.r.want_line = want_line;
	p.r.skip = (struct text_skip){'{', '}', "deprecated", 10};
	rc = text_reader_each(&p.r, &p.errors, MAX_ERRORS, each_line, &p);
	p.events += p.r.skipped;
	text_reader_close(&p.r);
	strmap_release(&p.seen);
	buf_release(&p.key);
	if (rc < 0)
		return -1;
	if (p.events == 0)
		return diag_error(c->diag, (struct src_loc){c->path, 0, 0},
				  "no audit events found");
	return 0;
}
