/*
 * kubectl_nodes.c - `kubectl get nodes` captures: what the table reader
 * (nodes_table.c) and the document reader (nodes_doc.c) share: merging a
 * node into the inventory (a duplicate in one file, a conflict with an
 * earlier file), the checks of each value, and the entry point, which
 * tells a document from a table.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define MAX_SHOWN 80

/* ------------------------------------------------------------ merging */

/* Returns the cs->nodes index of name, or SIZE_MAX. */
static size_t
index_find(const struct nodes_state *st, const char *name)
{
	uintptr_t v = (uintptr_t)strmap_get(&st->index, name, strlen(name));

	return v ? (size_t)v - 1 : SIZE_MAX;
}

static int
index_add(struct nodes_state *st, size_t idx)
{
	const char *name = st->c->cs->nodes.v[idx].name;

	return strmap_put(&st->index, name, strlen(name),
			  (void *)(uintptr_t)(idx + 1));
}

int
nodes_state_init(struct nodes_state *st, struct ingest_ctx *c)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->c = c;
	st->first_new = c->cs->nodes.n;
	st->errors0 = c->diag->errors;
	for (i = 0; i < c->cs->nodes.n; i++)
		if (index_add(st, i) < 0)
			return diag_error(c->diag,
					  (struct src_loc){c->path, 0, 0},
					  "out of memory");
	return 0;
}

void
nodes_state_release(struct nodes_state *st)
{
	strmap_release(&st->index);
	buf_release(&st->show);
	buf_release(&st->show2);
	vec_release(&st->conflicts);
}

bool
nodes_too_many_errors(const struct nodes_state *st)
{
	return st->c->diag->errors - st->errors0 >= MAX_FILE_ERRORS;
}

/* Quotes s for a message: control bytes escaped, long values cut. */
static const char *
show_in(struct buf *b, const char *s, size_t len)
{
	buf_reset(b);
	if (len > MAX_SHOWN) {
		esc_display(b, s, MAX_SHOWN);
		buf_adds(b, "...");
	} else {
		esc_display(b, s, len);
	}
	return buf_cstr(b);
}

const char *
nodes_show(struct nodes_state *st, const char *s, size_t len)
{
	return show_in(&st->show, s, len);
}

int
nodes_oom(struct nodes_state *st, struct src_loc loc)
{
	return diag_error(st->c->diag, loc, "out of memory");
}

/* Node names end up in shell commands of the plan: validate, never escape. */
int
nodes_name_error(struct nodes_state *st, struct src_loc loc, const char *s,
	   size_t len)
{
	diag_error(st->c->diag, loc, "invalid node name '%s'",
		   nodes_show(st, s, len));
	diag_note(st->c->diag, loc,
		  "a node name is a DNS-1123 subdomain: lowercase letters, "
		  "digits, '-' and '.'");
	return -1;
}

static void
roles_join(struct buf *b, const struct node *n)
{
	size_t i;

	buf_reset(b);
	if (!n->nroles)
		buf_adds(b, "<none>");
	for (i = 0; i < n->nroles; i++) {
		if (i)
			buf_addc(b, ',');
		buf_adds(b, n->roles[i]);
	}
}

static bool
str_differs(const char *a, const char *b)
{
	return a && b && strcmp(a, b) != 0;
}

/* True if n says something else about the node than old. */
static bool
node_differs(struct nodes_state *st, const struct node *old,
	     const struct node *n)
{
	roles_join(&st->show, old);
	roles_join(&st->show2, n);
	return strcmp(old->status, n->status) ||
	       strcmp(buf_cstr(&st->show), buf_cstr(&st->show2)) ||
	       strcmp(old->kubelet.text, n->kubelet.text) ||
	       str_differs(old->kube_proxy, n->kube_proxy) ||
	       str_differs(old->container_runtime, n->container_runtime) ||
	       str_differs(old->os_image, n->os_image) ||
	       str_differs(old->internal_ip, n->internal_ip);
}

/*
 * A node listed twice in one file with different values: which row is
 * the cluster's is a guess, so the first row is skipped too (the second
 * was, as a duplicate) and the node is left out.
 */
int
nodes_drop_conflicts(struct nodes_state *st)
{
	struct cluster_state *cs = st->c->cs;
	size_t *ci, i, out;

	vec_foreach(&st->conflicts, ci) {
		struct node *n = &cs->nodes.v[*ci];

		if (!n->name)
			continue;
		if (recover_skip(st->c, n->loc, n->name, strlen(n->name),
				 "node '%s' is listed again below with other "
				 "values: neither row is read", n->name) < 0)
			return -1;
		n->name = NULL;
	}
	for (i = out = st->first_new; i < cs->nodes.n; i++)
		if (cs->nodes.v[i].name)
			cs->nodes.v[out++] = cs->nodes.v[i];
	st->added -= cs->nodes.n - out;
	cs->nodes.n = out;
	return 0;
}

bool
nodes_name_is_masked(const char *s, size_t len)
{
	static const char *const words[] = {"redacted", "[redacted]",
					    "<redacted>", "hidden", "masked",
					    "<hidden>", "<masked>"};
	size_t i, x = 0;

	if (len == 0)
		return false;
	/* "****", "node-***": stars in a name's own characters. */
	if (memchr(s, '*', len)) {
		for (i = 0; i < len; i++)
			if (!nodes_is_alnum(s[i]) && !strchr("-_.*", s[i]))
				break;
		if (i == len)
			return true;
	}
	/* "<node-name>": a placeholder, never markup ("<b>x</b>"). */
	if (len >= 3 && s[0] == '<' && s[len - 1] == '>') {
		for (i = 1; i + 1 < len; i++)
			if (!nodes_is_alnum(s[i]) && !strchr("-_.", s[i]))
				break;
		if (i + 1 == len)
			return true;
	}
	for (i = 0; i < len; i++)
		x += s[i] == 'x' || s[i] == 'X';
	if (len >= 3 && x == len)
		return true;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i]) == len && !strncasecmp(s, words[i], len))
			return true;
	return false;
}

/*
 * The same node read from two captures must agree. Facts one capture
 * lacks (the default table has no OS image) are taken from the other.
 * When they disagree: in a session, the later output is the node's state
 * and the earlier one is superseded; from two files, which is true is not
 * known, so the first is kept and this one is an input-conflict naming
 * both (under --strict, an error).
 */
static int
merge_node(struct nodes_state *st, struct node *old, const struct node *n)
{
	struct ingest_ctx *c = st->c;
	const char *field = NULL, *there = NULL, *here = NULL;
	const char *where;

	roles_join(&st->show, old);
	roles_join(&st->show2, n);
	if (strcmp(old->status, n->status))
		field = "status", there = old->status, here = n->status;
	else if (strcmp(buf_cstr(&st->show), buf_cstr(&st->show2)))
		field = "roles", there = buf_cstr(&st->show),
		here = buf_cstr(&st->show2);
	else if (strcmp(old->kubelet.text, n->kubelet.text))
		field = "kubelet version", there = old->kubelet.text,
		here = n->kubelet.text;
	else if (str_differs(old->kube_proxy, n->kube_proxy))
		field = "kube-proxy version", there = old->kube_proxy,
		here = n->kube_proxy;
	else if (str_differs(old->container_runtime, n->container_runtime))
		field = "container runtime", there = old->container_runtime,
		here = n->container_runtime;
	else if (str_differs(old->os_image, n->os_image))
		field = "OS image", there = old->os_image, here = n->os_image;
	else if (str_differs(old->internal_ip, n->internal_ip))
		field = "internal IP", there = old->internal_ip,
		here = n->internal_ip;
	if (field && recover_origin(c, old->loc) == ORIGIN_SESSION) {
		if (recover_skip(c, old->loc, old->name, strlen(old->name),
				 "node '%s' superseded by line %u: %s '%s' "
				 "there, '%s' later", old->name,
				 (unsigned)n->loc.line, field, there, here) < 0)
			return -1;
		*old = *n;
		st->added++;
		return 0;
	}
	if (field) {
		where = src_loc_str(c->arena, old->loc);
		if (!where)
			return nodes_oom(st, n->loc);
		if (recover_conflict(c, n->loc, old->loc, n->name,
				     strlen(n->name),
				     "node '%s' differs from the one at %s: "
				     "%s '%s' there, '%s' here",
				     n->name, where, field, there, here) < 0)
			return -1;
		st->added++;
		return 0;
	}
	if (!old->kube_proxy)
		old->kube_proxy = n->kube_proxy;
	if (!old->container_runtime)
		old->container_runtime = n->container_runtime;
	if (!old->os_image)
		old->os_image = n->os_image;
	if (!old->internal_ip)
		old->internal_ip = n->internal_ip;
	st->added++;
	return 0;
}

int
nodes_add(struct nodes_state *st, const struct node *n)
{
	struct cluster_state *cs = st->c->cs;
	struct node *slot;
	/* A masked name says nothing about which node it is: never merged. */
	size_t i = n->masked ? SIZE_MAX : index_find(st, n->name);

	if (i != SIZE_MAX && i >= st->first_new) {
		size_t *slot_i;

		if (node_differs(st, &cs->nodes.v[i], n)) {
			if (!(slot_i = vec_push(&st->conflicts)))
				return nodes_oom(st, n->loc);
			*slot_i = i;
		}
		diag_error(st->c->diag, n->loc, "duplicate node '%s'",
			   n->name);
		diag_note(st->c->diag, cs->nodes.v[i].loc,
			  "'%s' first listed here", n->name);
		return -1;
	}
	if (i != SIZE_MAX)
		return merge_node(st, &cs->nodes.v[i], n);
	if (cs->nodes.n >= LIMIT_ITEMS)
		return diag_error(st->c->diag, n->loc,
				  "more than %u nodes", LIMIT_ITEMS);
	if (!(slot = vec_push(&cs->nodes)))
		return nodes_oom(st, n->loc);
	*slot = *n;
	if (!n->masked && index_add(st, cs->nodes.n - 1) < 0) {
		cs->nodes.n--;
		return nodes_oom(st, n->loc);
	}
	st->added++;
	return 0;
}

/* ------------------------------------------------------------ values */

bool
nodes_is_ws(char ch)
{
	return ch == ' ' || ch == '\t';
}

bool
nodes_is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9');
}

bool
nodes_span_eq(const char *s, size_t len, const char *z)
{
	return strlen(z) == len && !memcmp(s, z, len);
}

/* The name part of a label key, or a label value: what a role can be. */
bool
nodes_role_is_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 63 || !nodes_is_alnum(s[0]) || !nodes_is_alnum(s[len - 1]))
		return false;
	for (i = 1; i + 1 < len; i++)
		if (!nodes_is_alnum(s[i]) && s[i] != '-' && s[i] != '_' &&
		    s[i] != '.')
			return false;
	return true;
}

static bool
ipv4_is_valid(const char *s, size_t len)
{
	size_t i = 0, parts = 0, digits;
	unsigned v;

	while (parts < 4) {
		for (digits = 0, v = 0; i < len && s[i] >= '0' && s[i] <= '9';
		     i++, digits++)
			v = v * 10 + (unsigned)(s[i] - '0');
		if (!digits || digits > 3 || v > 255)
			return false;
		parts++;
		if (parts < 4) {
			if (i == len || s[i] != '.')
				return false;
			i++;
		}
	}
	return i == len;
}

/* Enough of RFC 4291 to tell an address from text that is not one. */
static bool
ipv6_is_valid(const char *s, size_t len)
{
	size_t i, colons = 0;

	if (len < 2 || len > 45)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == ':')
			colons++;
		else if (!strchr("0123456789abcdefABCDEF.", s[i]))
			return false;
	}
	return colons >= 2 && colons <= 7;
}

bool
nodes_ip_is_valid(const char *s, size_t len)
{
	return ipv4_is_valid(s, len) || ipv6_is_valid(s, len);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts and de-duplicates roles[0..n) in place; returns the new count. */
size_t
nodes_roles_sort(const char **roles, size_t n)
{
	size_t i, out = 0;

	if (n > 1)
		qsort(roles, n, sizeof(*roles), cmp_str);
	for (i = 0; i < n; i++)
		if (!out || strcmp(roles[out - 1], roles[i]))
			roles[out++] = roles[i];
	return out;
}

/* Parses STATUS as kubectl prints it into n. */
bool
nodes_status_parse(const char *s, size_t len, struct node *n)
{
	const char *comma = memchr(s, ',', len);
	size_t base = comma ? (size_t)(comma - s) : len;

	if (nodes_span_eq(s, base, "Ready"))
		n->ready = TRI_TRUE;
	else if (nodes_span_eq(s, base, "NotReady"))
		n->ready = TRI_FALSE;
	else if (nodes_span_eq(s, base, "Unknown"))
		n->ready = TRI_UNKNOWN;
	else
		return false;
	n->schedulable = !comma;
	return !comma || nodes_span_eq(comma + 1, len - base - 1,
				 "SchedulingDisabled");
}

/* ------------------------------------------------------------ entry */

/*
 * The sniffer names the format, except for a file forced with nodes=
 * whose content it did not recognise: then a document is told from a
 * table by its first content line. Returns 1 (JSON), 0 (YAML) or -1 (a
 * table).
 */
static int
doc_kind_of(struct ingest_ctx *c)
{
	static const char *const keys[] = {"apiVersion:", "kind:", "items:",
					   "metadata:", "---"};
	struct text_reader r;
	struct text_line l;
	size_t i;
	int rv = -1;

	if (c->sniff && (c->sniff->fmt == FMT_NODES_DOC || c->sniff->json))
		return c->sniff->json ? 1 : 0;
	if (!c->forced)
		return -1;
	if (text_reader_open_stream(&r, c->in, true, c->diag) < 0)
		return -1;
	while (text_reader_next(&r, &l) > 0) {
		if (l.noise != NOISE_NONE)
			continue;
		if (l.len && (l.s[0] == '{' || l.s[0] == '['))
			rv = 1;
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strncmp(l.s, keys[i], strlen(keys[i])))
				rv = 0;
		break;
	}
	text_reader_close(&r);
	return rv;
}

int
ingest_nodes(struct ingest_ctx *c)
{
	struct nodes_state st;
	int rv, doc;

	recover_file_begin(c);
	if (nodes_state_init(&st, c) < 0) {
		nodes_state_release(&st);
		return -1;
	}
	if ((doc = doc_kind_of(c)) >= 0)
		rv = nodes_parse_doc(&st, doc == 1);
	else
		rv = nodes_parse_table(&st);
	if (rv == 0 && st.conflicts.n && nodes_drop_conflicts(&st) < 0)
		rv = -1;
	if (nodes_too_many_errors(&st))
		diag_note(c->diag, (struct src_loc){c->path, 0, 0},
			  "stopped reading after %d errors", MAX_FILE_ERRORS);
	/*
	 * A capture with an error adds nothing, so later files do not trip
	 * over its half-read nodes.
	 */
	if (c->diag->errors != st.errors0) {
		rv = -1;
		c->cs->nodes.n = st.first_new;
	}
	if (rv == 0 && st.added == 0) {
		recover_give_up(c);
		rv = diag_error(c->diag, (struct src_loc){c->path, 0, 0},
				"no nodes in the capture");
	}
	recover_file_end(c, rv < 0 || c->diag->errors != st.errors0);
	nodes_state_release(&st);
	return rv;
}
