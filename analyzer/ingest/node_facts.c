/*
 * node_facts.c - what no read-only API shows about a node, as a person ran
 * it on the node (tools/capture.sh prints the commands) and wrote it down:
 * one line per node, "NODE key=value ...", '#' starts a comment.
 *
 *   cp-1 cgroup=cgroup2fs runtime-cgroup-driver=systemd swap=off
 *
 * Keys:
 *   cgroup                 v1, v2, or what `stat -fc %T /sys/fs/cgroup/`
 *                          prints: cgroup2fs (v2) or tmpfs (v1)
 *   runtime-cgroup-driver  systemd or cgroupfs: the container runtime's
 *                          (containerd's SystemdCgroup, CRI-O's
 *                          cgroup_manager)
 *   swap                   on or off: `swapon --show` prints a line or not
 *
 * A node may take several lines; a key given twice with two values is an
 * error, as is an unknown key (a typo would otherwise pass as "not known").
 */
#include <string.h>

#include "internal.h"

#define MAX_ERRORS 20

struct facts_parse {
	struct ingest_ctx *c;
	struct text_reader r;
	unsigned errors;
	size_t added;
};

/* An error at byte off of line l; counts it. Evaluates to -1. */
#define BAD(p, l, off, ...)                                                    \
	(diag_error((p)->c->diag, text_loc(&(p)->r, (l), (off)), __VA_ARGS__), \
	 (p)->errors++, -1)

/* At most 64 bytes of a value quoted in a message. */
#define CUT(n) ((int)((n) > 64 ? 64 : (n)))

static bool
span_is(const char *s, size_t len, const char *z)
{
	return strlen(z) == len && !memcmp(s, z, len);
}

static struct node_facts *
facts_of(struct facts_parse *p, const char *name, size_t len,
	 struct src_loc loc)
{
	struct node_facts *f;

	vec_foreach(&p->c->cs->node_facts, f)
		if (strlen(f->node) == len && !memcmp(f->node, name, len))
			return f;
	if (!(f = vec_push(&p->c->cs->node_facts)))
		return NULL;
	memset(f, 0, sizeof(*f));
	f->swap = TRI_UNKNOWN;
	f->loc = loc;
	if (!(f->node = arena_strndup(p->c->arena, name, len)))
		return NULL;
	p->added++;
	return f;
}

/* One key=value of line l at s[0..len), offset off in the line. */
static int
take(struct facts_parse *p, const struct text_line *l, struct node_facts *f,
     const char *s, size_t len, size_t off)
{
	const char *eq = memchr(s, '=', len), *v;
	size_t klen, vlen;
	struct src_loc loc = text_loc(&p->r, l, off);

	if (!eq || eq == s || eq + 1 == s + len)
		return BAD(p, l, off, "expected key=value, not '%.*s'", CUT(len), s);
	klen = (size_t)(eq - s);
	v = eq + 1;
	vlen = len - klen - 1;
	if (span_is(s, klen, "cgroup")) {
		enum cgroup_version cv =
			span_is(v, vlen, "v2") || span_is(v, vlen, "cgroup2fs")
				? CGROUP_V2
			: span_is(v, vlen, "v1") || span_is(v, vlen, "tmpfs")
				? CGROUP_V1
				: CGROUP_UNKNOWN;

		if (cv == CGROUP_UNKNOWN)
			return BAD(p, l, off + klen + 1, "unknown cgroup '%.*s' "
				   "(want v1, v2, cgroup2fs or tmpfs)", CUT(vlen), v);
		if (f->cgroup != CGROUP_UNKNOWN && f->cgroup != cv)
			return BAD(p, l, off, "node '%s' given two cgroup "
				   "versions", f->node);
		f->cgroup = cv;
		f->cgroup_loc = loc;
		return 0;
	}
	if (span_is(s, klen, "runtime-cgroup-driver")) {
		if (!span_is(v, vlen, "systemd") && !span_is(v, vlen, "cgroupfs"))
			return BAD(p, l, off + klen + 1, "unknown cgroup driver "
				   "'%.*s' (want systemd or cgroupfs)", CUT(vlen), v);
		if (f->runtime_cgroup_driver &&
		    !span_is(v, vlen, f->runtime_cgroup_driver))
			return BAD(p, l, off, "node '%.*s' given two cgroup "
				   "drivers", CUT(strlen(f->node)), f->node);
		if (!(f->runtime_cgroup_driver =
			      arena_strndup(p->c->arena, v, vlen)))
			return BAD(p, l, off, "out of memory");
		f->driver_loc = loc;
		return 0;
	}
	if (span_is(s, klen, "swap")) {
		enum tri t = span_is(v, vlen, "on")    ? TRI_TRUE
			     : span_is(v, vlen, "off") ? TRI_FALSE
						       : TRI_UNKNOWN;

		if (t == TRI_UNKNOWN)
			return BAD(p, l, off + klen + 1, "unknown swap '%.*s' "
				   "(want on or off)", CUT(vlen), v);
		if (f->swap != TRI_UNKNOWN && f->swap != t)
			return BAD(p, l, off, "node '%.*s' given two swap "
				   "states", CUT(strlen(f->node)), f->node);
		f->swap = t;
		f->swap_loc = loc;
		return 0;
	}
	return BAD(p, l, off, "unknown node fact '%.*s' (want cgroup, "
		   "runtime-cgroup-driver or swap)", CUT(klen), s);
}

static int
parse_line(struct facts_parse *p, const struct text_line *l)
{
	const char *s = l->s, *hash;
	size_t len = l->len, i = 0, start;
	struct node_facts *f;
	bool any = false;

	if ((hash = memchr(s, '#', len)))
		len = (size_t)(hash - s);
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == len)
		return 0;
	start = i;
	while (i < len && s[i] != ' ' && s[i] != '\t')
		i++;
	if (!safe_is_dns_subdomain(s + start, i - start))
		return BAD(p, l, start, "invalid node name '%.*s'",
			   CUT(i - start), s + start);
	if (!(f = facts_of(p, s + start, i - start,
			   text_loc(&p->r, l, start))))
		return BAD(p, l, start, "out of memory");
	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		if (take(p, l, f, s + start, i - start, start) < 0)
			return -1;
		any = true;
	}
	if (!any)
		return BAD(p, l, 0, "node '%s' has no key=value", f->node);
	return 0;
}

static void
each_line(void *ctx, const struct text_line *l)
{
	(void)parse_line(ctx, l);
}

int
ingest_node_facts(struct ingest_ctx *c)
{
	struct facts_parse p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	c->format = "node-facts";
	if (text_reader_open_stream(&p.r, c->in, false, c->diag) < 0)
		return -1;
	p.r.warn_utf8 = true;
	rc = text_reader_each(&p.r, &p.errors, MAX_ERRORS, each_line, &p);
	text_reader_close(&p.r);
	if (rc < 0)
		return -1;
	if (p.added == 0)
		return diag_error(c->diag, (struct src_loc){c->path, 0, 0},
				  "no node facts");
	return 0;
}
