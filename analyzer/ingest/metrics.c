/*
 * metrics.c - the apiserver's own evidence of deprecated API use: the
 * apiserver_requested_deprecated_apis lines of `kubectl get --raw
 * /metrics` (the whole scrape or only those lines), and its
 * process_start_time_seconds, since the metric counts only the requests
 * made since the apiserver last started.
 *
 *   apiserver_requested_deprecated_apis{group="extensions",removed_release="1.22",resource="ingresses",subresource="",version="v1beta1"} 1
 *
 * Every other metric line is passed over; a line is never held whole
 * beyond the text reader's line limit.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define METRIC_DEPRECATED "apiserver_requested_deprecated_apis"
#define METRIC_STARTED "process_start_time_seconds"
#define MAX_LABELS 32
#define MAX_LABEL_LEN 256
#define MAX_ERRORS 20

struct label {
	const char *name;	/* borrowed: the line */
	size_t name_len;
	char value[MAX_LABEL_LEN];	/* unescaped */
	size_t value_len;
	size_t off;		/* offset of the value's opening quote */
};

struct metrics_parse {
	struct ingest_ctx *c;
	struct text_reader r;
	unsigned errors;
	size_t added;
	bool started;
};

static bool
is_name_char(char ch, bool first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || ch == ':' || (!first && ch >= '0' && ch <= '9');
}

static int
bad(struct metrics_parse *p, const struct text_line *l, size_t off,
    const char *what)
{
	diag_error(p->c->diag, text_loc(&p->r, l, off), "%s", what);
	p->errors++;
	return -1;
}

/*
 * Parses {name="value",...} starting at s[*off] == '{'; leaves *off after
 * the closing brace. Values are unescaped (\\, \", \n) into the labels.
 */
static int
parse_labels(struct metrics_parse *p, const struct text_line *l, size_t *off,
	     struct label *lb, size_t *nlb)
{
	const char *s = l->s;
	size_t n = l->len, i = *off + 1;

	*nlb = 0;
	for (;;) {
		struct label *cur;

		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == '}') {
			*off = i + 1;
			return 0;
		}
		if (i >= n || !is_name_char(s[i], true))
			return bad(p, l, i, "expected a label name or '}'");
		if (*nlb == MAX_LABELS)
			return bad(p, l, i, "more than 32 labels on one line");
		cur = &lb[(*nlb)++];
		cur->name = s + i;
		while (i < n && is_name_char(s[i], false))
			i++;
		cur->name_len = (size_t)(s + i - cur->name);
		if (i >= n || s[i] != '=' || i + 1 >= n || s[i + 1] != '"')
			return bad(p, l, i, "expected =\" after a label name");
		cur->off = i + 1;
		i += 2;
		cur->value_len = 0;
		while (i < n && s[i] != '"') {
			char ch = s[i];

			if (ch == '\\') {
				if (i + 1 >= n)
					break;
				ch = s[++i] == 'n' ? '\n' : s[i];
			}
			if (cur->value_len + 1 >= MAX_LABEL_LEN)
				return bad(p, l, cur->off,
					   "label value longer than 255 bytes");
			cur->value[cur->value_len++] = ch;
			i++;
		}
		if (i >= n)
			return bad(p, l, cur->off, "unterminated label value");
		cur->value[cur->value_len] = '\0';
		i++;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == ',')
			i++;
		else if (i >= n || s[i] != '}')
			return bad(p, l, i, "expected ',' or '}' after a label");
	}
}

static const char *
label(const struct label *lb, size_t n, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < n; i++)
		if (lb[i].name_len == len && !memcmp(lb[i].name, name, len))
			return lb[i].value;
	return NULL;
}

/* The sample value after the labels: a number, an optional timestamp. */
static int
parse_value(struct metrics_parse *p, const struct text_line *l, size_t off,
	    double *out)
{
	char tmp[64], *end;
	size_t i = off, j;

	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	if (i == off || i >= l->len)
		return bad(p, l, i, "expected a sample value");
	for (j = i; j < l->len && l->s[j] != ' ' && l->s[j] != '\t'; j++)
		;
	if (j - i >= sizeof(tmp))
		return bad(p, l, i, "sample value too long");
	memcpy(tmp, l->s + i, j - i);
	tmp[j - i] = '\0';
	errno = 0;
	*out = strtod(tmp, &end);
	if (errno || *end || end == tmp || !isfinite(*out) || *out < 0)
		return bad(p, l, i, "sample value is not a finite, "
			   "non-negative number");
	return 0;
}

static const char *
dup(struct metrics_parse *p, const char *s)
{
	return s && *s ? arena_strdup(p->c->arena, s) : NULL;
}

static int
take_deprecated(struct metrics_parse *p, const struct text_line *l,
		size_t name_len)
{
	struct label lb[MAX_LABELS];
	const char *group, *version, *resource, *sub, *removed;
	struct api_use *u;
	size_t nlb, off = name_len;
	double v;

	if (off >= l->len || l->s[off] != '{')
		return bad(p, l, off, "expected the labels of "
			   METRIC_DEPRECATED);
	if (parse_labels(p, l, &off, lb, &nlb) < 0 ||
	    parse_value(p, l, off, &v) < 0)
		return -1;
	group = label(lb, nlb, "group");
	version = label(lb, nlb, "version");
	resource = label(lb, nlb, "resource");
	sub = label(lb, nlb, "subresource");
	removed = label(lb, nlb, "removed_release");
	if (!version || !*version || !resource || !*resource)
		return bad(p, l, name_len, METRIC_DEPRECATED " without "
			   "version and resource labels");
	if (p->c->cs->api_uses.n >= LIMIT_ITEMS)
		return bad(p, l, 0, "too many API uses in one run");
	if (!(u = vec_push(&p->c->cs->api_uses)))
		return bad(p, l, 0, "out of memory");
	memset(u, 0, sizeof(*u));
	u->evidence = APIEV_METRIC;
	u->api = group && *group
			 ? arena_printf(p->c->arena, "%s/%s", group, version)
			 : arena_strdup(p->c->arena, version);
	u->resource = dup(p, resource);
	u->removed_release = dup(p, removed);
	u->count = v >= 1e18 ? 1000000000000000000ull
			     : (unsigned long long)v;
	u->loc = text_loc(&p->r, l, 0);
	/* The subresource is part of the request, not of the kind. */
	if (sub && *sub)
		u->object = arena_printf(p->c->arena, "subresource %s", sub);
	if (!u->api || !u->resource || (removed && *removed &&
					 !u->removed_release) ||
	    (sub && *sub && !u->object))
		return bad(p, l, 0, "out of memory");
	p->added++;
	return 0;
}

static int
take_started(struct metrics_parse *p, const struct text_line *l,
	     size_t name_len)
{
	double v;

	if (parse_value(p, l, name_len, &v) < 0)
		return -1;
	if (v > 253402300799.0)	/* 9999-12-31T23:59:59Z */
		return bad(p, l, name_len, METRIC_STARTED " is past year 9999");
	if (p->started && (long long)v != p->c->cs->apiserver_started)
		diag_warning(p->c->diag, text_loc(&p->r, l, 0),
			     METRIC_STARTED " given again with another value; "
			     "the first is kept");
	if (!p->started && p->c->cs->apiserver_started < 0) {
		p->c->cs->apiserver_started = (long long)v;
		p->c->cs->apiserver_started_loc = text_loc(&p->r, l, 0);
	}
	p->started = true;
	return 0;
}

static int
parse_line(struct metrics_parse *p, const struct text_line *l)
{
	size_t n = 0;

	while (n < l->len && is_name_char(l->s[n], n == 0))
		n++;
	if (n == 0)
		return bad(p, l, 0, "expected a metric line (name, labels, "
			   "value)");
	if (n == sizeof(METRIC_DEPRECATED) - 1 &&
	    !memcmp(l->s, METRIC_DEPRECATED, n))
		return take_deprecated(p, l, n);
	if (n == sizeof(METRIC_STARTED) - 1 &&
	    !memcmp(l->s, METRIC_STARTED, n))
		return take_started(p, l, n);
	return 0;
}

static void
each_line(void *ctx, const struct text_line *l)
{
	(void)parse_line(ctx, l);
}

int
ingest_metrics(struct ingest_ctx *c)
{
	struct metrics_parse p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	c->format = "prometheus-text";
	if (text_reader_open_stream(&p.r, c->in, false, c->diag) < 0)
		return -1;
	p.r.warn_utf8 = true;
	rc = text_reader_each(&p.r, &p.errors, MAX_ERRORS, each_line, &p);
	text_reader_close(&p.r);
	if (rc < 0)
		return -1;
	/*
	 * No line is a finding too: an apiserver that served no deprecated
	 * API since it started has none. Say what was read.
	 */
	if (p.added == 0 && !p.started)
		diag_warning(c->diag, (struct src_loc){c->path, 0, 0},
			     "no " METRIC_DEPRECATED " or " METRIC_STARTED
			     " line: no deprecated API was requested since "
			     "the apiserver started, or the capture is "
			     "filtered");
	return 0;
}
