/*
 * kubectl_nodes.c - `kubectl get nodes` captures: the default and -o wide
 * tables, and Node, NodeList or v1 List documents in YAML or JSON.
 *
 * Tables are read in two passes. The first finds the header lines; when a
 * file holds several tables (a watch during an upgrade), only the last is
 * a snapshot, so the second pass parses that one and a warning says so.
 * kubectl's tabwriter left-aligns every column, so a cell is the text from
 * its header's start offset to the next one; a row that does not line up
 * (a paste that lost its spacing) is split on white space instead when the
 * number of cells leaves no doubt. A file with no header at all is taken
 * as the five default columns when every line has exactly five cells.
 *
 * Documents are streamed with yaml_walk and never loaded: the per-item
 * state is reset when an item's mapping opens and turned into a node when
 * it closes. STATUS and ROLES are computed the way kubectl prints them.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_FILE_ERRORS 20
#define MAX_COLS 32
#define MAX_SHOWN 80

/* ------------------------------------------------------------ merging */

/*
 * Per-file state of both formats. The index maps a node name to its slot
 * in cs->nodes so that a duplicate in this file and a conflict with an
 * earlier file are found without a quadratic scan.
 */
struct nodes_state {
	struct ingest_ctx *c;
	struct strmap index;	/* name (arena) -> cs->nodes index + 1 */
	size_t first_new;	/* index of this file's first new node */
	size_t added;		/* nodes this file added or confirmed */
	unsigned errors0;	/* diag->errors when the file started */
	struct buf show;	/* scratch: values quoted in messages */
	struct buf show2;
	/*
	 * This file's nodes listed twice with different values (not under
	 * --strict): two readings, so neither is kept (drop_conflicts).
	 */
	VEC(size_t) conflicts;	/* owned: cs->nodes indices */
};

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

static int
state_init(struct nodes_state *st, struct ingest_ctx *c)
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

static void
state_release(struct nodes_state *st)
{
	strmap_release(&st->index);
	buf_release(&st->show);
	buf_release(&st->show2);
	vec_release(&st->conflicts);
}

static bool
too_many_errors(const struct nodes_state *st)
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

static const char *
show(struct nodes_state *st, const char *s, size_t len)
{
	return show_in(&st->show, s, len);
}

static int
oom(struct nodes_state *st, struct src_loc loc)
{
	return diag_error(st->c->diag, loc, "out of memory");
}

/* Node names end up in shell commands of the plan: validate, never escape. */
static int
name_error(struct nodes_state *st, struct src_loc loc, const char *s,
	   size_t len)
{
	diag_error(st->c->diag, loc, "invalid node name '%s'",
		   show(st, s, len));
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
static int
drop_conflicts(struct nodes_state *st)
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

/*
 * The same node read from two files must agree. Facts one capture lacks
 * (the default table has no OS image) are taken from the other.
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
	if (field) {
		where = src_loc_str(c->arena, old->loc);
		if (!where)
			return oom(st, n->loc);
		return diag_error(c->diag, n->loc,
				  "node '%s' differs from the one at %s: "
				  "%s '%s' there, '%s' here",
				  n->name, where, field, there, here);
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

static int
add_node(struct nodes_state *st, const struct node *n)
{
	struct cluster_state *cs = st->c->cs;
	struct node *slot;
	size_t i = index_find(st, n->name);

	if (i != SIZE_MAX && i >= st->first_new) {
		size_t *slot_i;

		if (node_differs(st, &cs->nodes.v[i], n)) {
			if (!(slot_i = vec_push(&st->conflicts)))
				return oom(st, n->loc);
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
		return oom(st, n->loc);
	*slot = *n;
	if (index_add(st, cs->nodes.n - 1) < 0) {
		cs->nodes.n--;
		return oom(st, n->loc);
	}
	st->added++;
	return 0;
}

/* ------------------------------------------------------------ values */

static bool
is_ws(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool
is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9');
}

static bool
span_eq(const char *s, size_t len, const char *z)
{
	return strlen(z) == len && !memcmp(s, z, len);
}

/* The name part of a label key, or a label value: what a role can be. */
static bool
role_is_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 63 || !is_alnum(s[0]) || !is_alnum(s[len - 1]))
		return false;
	for (i = 1; i + 1 < len; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' &&
		    s[i] != '.')
			return false;
	return true;
}

/* HumanDuration as kubectl prints AGE: "94d", "5m17s", "2y120d". */
static bool
age_is_valid(const char *s, size_t len)
{
	size_t i = 0, digits;

	if (span_eq(s, len, "<invalid>") || span_eq(s, len, "<unknown>"))
		return true;
	if (len == 0)
		return false;
	while (i < len) {
		for (digits = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (!digits || digits > 9 || i == len ||
		    !strchr("smhdy", s[i]))
			return false;
		i++;
	}
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

static bool
ip_is_valid(const char *s, size_t len)
{
	return ipv4_is_valid(s, len) || ipv6_is_valid(s, len);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts and de-duplicates roles[0..n) in place; returns the new count. */
static size_t
roles_sort(const char **roles, size_t n)
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
static bool
status_parse(const char *s, size_t len, struct node *n)
{
	const char *comma = memchr(s, ',', len);
	size_t base = comma ? (size_t)(comma - s) : len;

	if (span_eq(s, base, "Ready"))
		n->ready = TRI_TRUE;
	else if (span_eq(s, base, "NotReady"))
		n->ready = TRI_FALSE;
	else if (span_eq(s, base, "Unknown"))
		n->ready = TRI_UNKNOWN;
	else
		return false;
	n->schedulable = !comma;
	return !comma || span_eq(comma + 1, len - base - 1,
				 "SchedulingDisabled");
}

/* ------------------------------------------------------------ tables */

enum col_id {
	COL_NAME,
	COL_STATUS,
	COL_ROLES,
	COL_AGE,
	COL_VERSION,
	COL_INTERNAL_IP,
	COL_EXTERNAL_IP,
	COL_OS_IMAGE,
	COL_KERNEL_VERSION,
	COL_CONTAINER_RUNTIME,
	COL_OTHER,		/* a -L label column: kept apart, unused */
};

static const char *const col_names[COL_OTHER] = {
	"NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP",
	"EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME",
};

struct table {
	size_t ncols;
	enum col_id id[MAX_COLS];
	size_t start[MAX_COLS];	/* offset in the header's content */
	bool has[COL_OTHER];
	int spaced;		/* the one column whose cells hold spaces */
	bool headerless;
};

/* A line's content once an Ansible "- " or JSON quoting is peeled off. */
struct content {
	const char *s;		/* borrowed: the cleaned line */
	size_t off;		/* offset of s in the cleaned line */
	size_t len;
	unsigned wrap;		/* WRAP_* bits: how the line was wrapped */
};

#define WRAP_DASH 1u		/* an Ansible/YAML list item "- " */
#define WRAP_QUOTE 2u		/* a JSON string */

struct token {
	size_t start, len;	/* in the content */
};

static void
line_content(const struct text_line *l, struct content *out)
{
	size_t i = 0, len = l->len;

	out->wrap = 0;
	while (i < len && is_ws(l->s[i]))
		i++;
	/* Ansible's stdout_lines: "  - NAME   STATUS ...". */
	if (i + 1 < len && l->s[i] == '-' && l->s[i + 1] == ' ') {
		out->wrap |= WRAP_DASH;
		i += 2;
		while (i < len && is_ws(l->s[i]))
			i++;
	}
	/* The same list as JSON: "    \"NAME   STATUS ...\",". */
	if (i < len && l->s[i] == '"') {
		if (len > i + 1 && l->s[len - 1] == ',')
			len--;
		if (len > i + 1 && l->s[len - 1] == '"') {
			out->wrap |= WRAP_QUOTE;
			i++;
			len--;
		}
	}
	/* An inline code span that runs over several lines. */
	if (i < len && l->s[i] == '`')
		i++;
	if (len > i && l->s[len - 1] == '`')
		len--;
	while (len > i && is_ws(l->s[len - 1]))
		len--;
	out->s = l->s + i;
	out->off = i;
	out->len = len - i;
}

/* Splits on white space; returns the count, which may exceed max. */
static size_t
tokenize(const struct content *ct, struct token *tok, size_t max)
{
	size_t i = 0, n = 0, start;

	for (;;) {
		while (i < ct->len && is_ws(ct->s[i]))
			i++;
		if (i == ct->len)
			return n;
		start = i;
		while (i < ct->len && !is_ws(ct->s[i]))
			i++;
		if (n < max) {
			tok[n].start = start;
			tok[n].len = i - start;
		}
		n++;
	}
}

static bool
tok_eq(const struct content *ct, const struct token *t, const char *z)
{
	return span_eq(ct->s + t->start, t->len, z);
}

static bool
header_word_is_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || s[0] < 'A' || s[0] > 'Z')
		return false;
	for (i = 1; i < len; i++)
		if (!(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && !strchr("-_./", s[i]))
			return false;
	return true;
}

/* Fills t from a header line; false if the line is not a node header. */
static bool
header_parse(const struct content *ct, struct table *t)
{
	struct token tok[MAX_COLS];
	size_t n = tokenize(ct, tok, MAX_COLS), i;
	int k;

	if (n < 2 || n > MAX_COLS || !tok_eq(ct, &tok[0], "NAME") ||
	    !tok_eq(ct, &tok[1], "STATUS") || tok[0].start != 0)
		return false;
	memset(t, 0, sizeof(*t));
	t->ncols = n;
	t->spaced = -1;
	for (i = 0; i < n; i++) {
		if (!header_word_is_valid(ct->s + tok[i].start, tok[i].len))
			return false;
		t->start[i] = tok[i].start;
		t->id[i] = COL_OTHER;
		for (k = 0; k < COL_OTHER; k++) {
			if (!tok_eq(ct, &tok[i], col_names[k]))
				continue;
			if (t->has[k])
				return false;
			t->has[k] = true;
			t->id[i] = (enum col_id)k;
			if (k == COL_OS_IMAGE)
				t->spaced = (int)i;
		}
	}
	return true;
}

static void
table_default(struct table *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->ncols = 5;
	t->spaced = -1;
	t->headerless = true;
	for (i = 0; i < 5; i++) {
		t->id[i] = (enum col_id)i;
		t->has[i] = true;
	}
}

static bool
table_is_wide(const struct table *t)
{
	return t->has[COL_INTERNAL_IP] || t->has[COL_OS_IMAGE] ||
	       t->has[COL_CONTAINER_RUNTIME];
}

struct cell {
	size_t start, len;	/* in the content */
};

/*
 * Cuts a row at the header's column offsets. False if the row does not
 * line up: a cell that does not start exactly at its column, or white
 * space inside a cell that cannot hold any. Only a -L label column may be
 * blank (a node without that label); kubectl prints "<none>" elsewhere.
 */
static bool
cells_by_offset(const struct table *t, const struct content *ct,
		struct cell *cells)
{
	size_t i, a, b, j;
	bool blank;

	if (t->headerless || ct->len == 0 || is_ws(ct->s[0]))
		return false;
	for (i = 0; i < t->ncols; i++) {
		a = t->start[i];
		blank = a >= ct->len || is_ws(ct->s[a]);
		if (i > 0 && a - 1 < ct->len && !is_ws(ct->s[a - 1]))
			return false;
		if (i > 0 && blank && t->id[i] != COL_OTHER)
			return false;
		b = i + 1 < t->ncols ? t->start[i + 1] : ct->len;
		if (b > ct->len)
			b = ct->len;
		if (blank) {
			if (a > ct->len)
				a = ct->len;
			for (j = a; j < b; j++)
				if (!is_ws(ct->s[j]))
					return false;
			cells[i].start = a;
			cells[i].len = 0;
			continue;
		}
		while (b > a && is_ws(ct->s[b - 1]))
			b--;
		for (j = a; j < b && (int)i != t->spaced; j++)
			if (is_ws(ct->s[j]))
				return false;
		cells[i].start = a;
		cells[i].len = b - a;
	}
	return true;
}

struct rowctx {
	struct nodes_state *st;
	const struct text_reader *r;
	const struct text_line *l;
	const struct content *ct;
};

static struct src_loc
row_loc(const struct rowctx *rc, size_t off)
{
	return text_loc(rc->r, rc->l, rc->ct->off + off);
}

/*
 * Splits a row that does not line up on white space. That is safe when
 * the count matches the header, or when the only column that may hold
 * spaces (OS-IMAGE) can take the surplus.
 */
static int
cells_by_space(const struct rowctx *rc, const struct table *t,
	       struct cell *cells)
{
	struct token tok[MAX_COLS + 16];
	size_t n = tokenize(rc->ct, tok, ARRAY_SIZE(tok)), i, j, extra;
	struct src_loc loc;

	if (n < t->ncols) {
		loc = row_loc(rc, rc->ct->len);
		return diag_error(rc->st->c->diag, loc,
				  "node row has %zu cells, the header has "
				  "%zu columns", n, t->ncols);
	}
	if (n > t->ncols && (t->spaced < 0 || n > ARRAY_SIZE(tok))) {
		loc = row_loc(rc, tok[t->ncols].start);
		return diag_error(rc->st->c->diag, loc,
				  "node row has %zu cells, the header has "
				  "%zu columns", n, t->ncols);
	}
	extra = n - t->ncols;
	for (i = 0, j = 0; i < t->ncols; i++, j++) {
		cells[i].start = tok[j].start;
		if ((int)i == t->spaced)
			j += extra;
		cells[i].len = tok[j].start + tok[j].len - cells[i].start;
	}
	return 0;
}

static const char *
cell_dup(struct nodes_state *st, const struct content *ct,
	 const struct cell *cl)
{
	return arena_strndup(st->c->arena, ct->s + cl->start, cl->len);
}

static int
row_roles(const struct rowctx *rc, const struct cell *cl, struct node *n)
{
	struct nodes_state *st = rc->st;
	const char *s = rc->ct->s + cl->start;
	size_t len = cl->len, i, a, count = 1;
	const char **roles;

	if (span_eq(s, len, "<none>"))
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == ',')
			count++;
	roles = arena_alloc(st->c->arena, count * sizeof(*roles));
	if (!roles)
		return oom(st, row_loc(rc, cl->start));
	for (a = 0, i = 0; i <= len; i++) {
		if (i < len && s[i] != ',')
			continue;
		if (!role_is_valid(s + a, i - a))
			return diag_error(st->c->diag,
					  row_loc(rc, cl->start + a),
					  "invalid node role '%s'",
					  show(st, s + a, i - a));
		roles[n->nroles] = arena_strndup(st->c->arena, s + a, i - a);
		if (!roles[n->nroles++])
			return oom(st, row_loc(rc, cl->start + a));
		a = i + 1;
	}
	n->nroles = roles_sort(roles, n->nroles);
	n->roles = roles;
	return 0;
}

/* Reads one value cell into n; -1 after a diagnostic. */
static int
row_cell(const struct rowctx *rc, enum col_id id, const struct cell *cl,
	 struct node *n)
{
	struct nodes_state *st = rc->st;
	struct diag *d = st->c->diag;
	const char *s = rc->ct->s + cl->start, *err;
	size_t len = cl->len;
	struct src_loc loc = row_loc(rc, cl->start);
	const char **dst = NULL;

	switch (id) {
	case COL_STATUS:
		if (!status_parse(s, len, n))
			return diag_error(d, loc, "unknown node status '%s'",
					  show(st, s, len));
		if (!(n->status = cell_dup(st, rc->ct, cl)))
			return oom(st, loc);
		return 0;
	case COL_ROLES:
		return row_roles(rc, cl, n);
	case COL_AGE:
		if (!age_is_valid(s, len))
			return diag_error(d, loc, "invalid node age '%s'",
					  show(st, s, len));
		return 0;
	case COL_VERSION:
		if (kver_parse(st->c->arena, s, len, &n->kubelet, &err) < 0)
			return diag_error(d, loc,
					  "invalid kubelet version '%s': %s",
					  show(st, s, len), err);
		return 0;
	case COL_INTERNAL_IP:
	case COL_EXTERNAL_IP:
		if (span_eq(s, len, "<none>"))
			return 0;
		if (!ip_is_valid(s, len))
			return diag_error(d, loc, "invalid %s '%s'",
					  id == COL_INTERNAL_IP
						  ? "internal IP"
						  : "external IP",
					  show(st, s, len));
		if (id == COL_INTERNAL_IP)
			dst = &n->internal_ip;
		break;
	case COL_OS_IMAGE:
		dst = &n->os_image;
		break;
	case COL_CONTAINER_RUNTIME:
		dst = &n->container_runtime;
		break;
	default:
		return 0;
	}
	if (!dst || span_eq(s, len, "<unknown>"))
		return 0;
	if (!(*dst = cell_dup(st, rc->ct, cl)))
		return oom(st, loc);
	return 0;
}

static int
row_parse(const struct rowctx *rc, const struct table *t)
{
	struct nodes_state *st = rc->st;
	struct cell cells[MAX_COLS];
	struct node n;
	const char *name;
	size_t i, nlen;
	int rv = 0;

	if (!cells_by_offset(t, rc->ct, cells) &&
	    cells_by_space(rc, t, cells) < 0)
		return -1;
	memset(&n, 0, sizeof(n));
	n.ready = TRI_UNKNOWN;
	name = rc->ct->s + cells[0].start;
	nlen = cells[0].len;
	n.loc = row_loc(rc, cells[0].start);
	/* --show-kind and `get no,po` print "node/NAME". */
	if (nlen > 5 && !memcmp(name, "node/", 5))
		name += 5, nlen -= 5;
	if (!safe_is_dns_subdomain(name, nlen))
		return name_error(st, n.loc, name, nlen);
	if (!(n.name = arena_strndup(st->c->arena, name, nlen)))
		return oom(st, n.loc);
	for (i = 1; i < t->ncols; i++)
		if (row_cell(rc, t->id[i], &cells[i], &n) < 0)
			rv = -1;
	if (rv < 0)
		return -1;
	return add_node(st, &n);
}

/* A line after the table that would pass for one of its rows. */
static bool
row_lookalike(const struct table *t, const struct content *ct)
{
	struct token tok[MAX_COLS];
	size_t n = tokenize(ct, tok, MAX_COLS), i;
	struct node tmp;

	if (n < t->ncols || n > MAX_COLS ||
	    !safe_is_dns_subdomain(ct->s + tok[0].start, tok[0].len))
		return false;
	for (i = 1; i < t->ncols; i++)
		if (t->id[i] == COL_STATUS)
			return status_parse(ct->s + tok[i].start, tok[i].len,
					    &tmp);
	return false;
}

/* What the first pass learns about a table file. */
struct table_scan {
	unsigned headers;
	uint32_t last_header;	/* line of the last header, 0 if none */
	uint32_t content_lines;	/* lines that are not headers */
	bool all_five;		/* every such line has five cells */
	struct src_loc first_not_five;
};

static int
table_scan(struct ingest_ctx *c, struct table_scan *sc)
{
	struct text_reader r;
	struct text_line l;
	struct content ct;
	struct token tok[6];
	struct table t;
	int rc;

	memset(sc, 0, sizeof(*sc));
	sc->all_five = true;
	if (text_reader_open_stream(&r, c->in, true, c->diag) < 0)
		return -1;
	while ((rc = text_reader_next(&r, &l)) > 0) {
		if (l.noise != NOISE_NONE)
			continue;
		line_content(&l, &ct);
		if (ct.len == 0)
			continue;
		if (header_parse(&ct, &t)) {
			sc->headers++;
			sc->last_header = l.lineno;
			continue;
		}
		sc->content_lines++;
		if (sc->all_five && tokenize(&ct, tok, 6) != 5) {
			sc->all_five = false;
			sc->first_not_five = text_loc(&r, &l, ct.off);
		}
	}
	text_reader_close(&r);
	return rc;
}

static int
parse_table(struct nodes_state *st)
{
	struct ingest_ctx *c = st->c;
	struct table_scan sc;
	struct text_reader r;
	struct text_line l;
	struct content ct;
	struct rowctx rc = {st, &r, &l, &ct};
	struct table t;
	enum { BEFORE, IN_TABLE, AFTER } where = BEFORE;
	struct src_loc loc = {c->path, 0, 0};
	uint32_t rows = 0, end_line = 0;
	unsigned wrap = 0;
	int rv = 0, got = 0;

	c->format = "table-default";
	if (table_scan(c, &sc) < 0)
		return -1;
	if (sc.headers == 0 && sc.content_lines == 0)
		return diag_error(c->diag, loc, "no node table found");
	if (sc.headers == 0 && !sc.all_five) {
		diag_error(c->diag, sc.first_not_five,
			   "not a node table: no 'NAME STATUS ...' header");
		diag_note(c->diag, sc.first_not_five,
			  "a table without its header is read only when "
			  "every line has the five cells NAME STATUS ROLES "
			  "AGE VERSION");
		return -1;
	}
	if (sc.headers == 0) {
		table_default(&t);
		where = IN_TABLE;
		c->format = "table-headerless";
	}
	if (sc.headers > 1) {
		loc.line = sc.last_header;
		loc.col = 1;
		diag_warning(c->diag, loc,
			     "%u node tables in one file; using the last "
			     "one, at line %u", sc.headers,
			     (unsigned)sc.last_header);
	}
	if (text_reader_open_stream(&r, c->in, false, c->diag) < 0)
		return -1;
	r.warn_utf8 = true;
	while (!too_many_errors(st) && (got = text_reader_next(&r, &l)) > 0) {
		if (where == BEFORE && l.lineno < sc.last_header)
			continue;
		if (l.noise != NOISE_NONE) {
			if (where == IN_TABLE && !t.headerless &&
			    (l.noise == NOISE_BLANK ||
			     l.noise == NOISE_PROMPT ||
			     l.noise == NOISE_FENCE)) {
				where = AFTER;
				end_line = l.lineno;
			}
			continue;
		}
		line_content(&l, &ct);
		if (ct.len == 0)
			continue;
		if (where == BEFORE) {
			/* The scan found this header; it parses. */
			if (!header_parse(&ct, &t))
				continue;
			where = IN_TABLE;
			wrap = ct.wrap;
			c->format = table_is_wide(&t) ? "table-wide"
						      : "table-default";
			if (!t.has[COL_VERSION]) {
				rv = diag_error(c->diag,
						text_loc(&r, &l, ct.off),
						"node table has no VERSION "
						"column");
				break;
			}
			continue;
		}
		/*
		 * A table quoted as list items ends with the list: the "]"
		 * after Ansible's JSON stdout_lines, say.
		 */
		if (where == IN_TABLE && !t.headerless && ct.wrap != wrap) {
			where = AFTER;
			end_line = l.lineno;
		}
		recover_begin(c);
		if (where == AFTER) {
			if (!row_lookalike(&t, &ct)) {
				recover_end(c, 0, NULL, 0);
				continue;
			}
			diag_error(c->diag, text_loc(&r, &l, ct.off),
				   "node row after the end of the table");
			loc.line = end_line;
			loc.col = 0;
			diag_note(c->diag, loc, "the table ended here");
			if (recover_end(c, -1, l.s, l.len) < 0)
				rv = -1;
			continue;
		}
		rows++;
		if (recover_end(c, row_parse(&rc, &t), l.s, l.len) < 0)
			rv = -1;
	}
	if (got < 0)
		rv = -1;
	text_reader_close(&r);
	if (rv == 0 && rows == 0) {
		loc.line = sc.last_header;
		loc.col = loc.line ? 1 : 0;
		return diag_error(c->diag, loc, "node table has no rows");
	}
	return rv;
}

/* ------------------------------------------------------------ documents */

/* One Node object being read: reset when its mapping opens. */
struct doc_item {
	bool active;
	size_t prefix;		/* length of the item's own path */
	struct src_loc open_loc;
	bool saw_items;		/* root only: it has an "items" list */
	const char *kind;	/* arena */
	struct src_loc kind_loc;
	const char *name;	/* arena */
	struct src_loc name_loc;
	const char *kubelet;	/* arena */
	struct src_loc kubelet_loc;
	const char *kube_proxy, *runtime, *os_image, *internal_ip;
	bool unschedulable;
	enum tri ready;		/* TRI_UNKNOWN: no Ready condition */
	bool cond_is_ready, cond_true;
	bool addr_internal;
	struct src_loc addr_loc;
	struct buf addr;	/* the current address entry's value */
	VEC(const char *) roles;	/* storage owned; strings arena */
	bool failed;		/* an error was reported for this item */
};

struct doc_state {
	struct nodes_state *st;
	struct doc_item root;	/* the document: a Node, or a list */
	struct doc_item item;	/* the current .items[] entry */
};

static void
item_reset(struct doc_item *it, size_t prefix, struct src_loc loc)
{
	struct buf addr = it->addr;
	void *roles = it->roles.v;
	size_t cap = it->roles.cap;

	memset(it, 0, sizeof(*it));
	it->addr = addr;
	buf_reset(&it->addr);
	it->roles.v = roles;
	it->roles.cap = cap;
	it->active = true;
	it->prefix = prefix;
	it->open_loc = loc;
	it->ready = TRI_UNKNOWN;
}

static void
item_release(struct doc_item *it)
{
	buf_release(&it->addr);
	vec_release(&it->roles);
}

static bool
rel_is(const char *rel, const char *z)
{
	return !strcmp(rel, z);
}

static int
item_keep(struct nodes_state *st, const char **dst, const char *s,
	  size_t len, struct src_loc loc)
{
	if (len > LIMIT_SCALAR_LEN)
		return diag_error(st->c->diag, loc,
				  "value longer than %u bytes",
				  LIMIT_SCALAR_LEN);
	if (!(*dst = arena_strndup(st->c->arena, s, len)))
		return oom(st, loc);
	return 0;
}

static int
item_role(struct nodes_state *st, struct doc_item *it, const char *s,
	  size_t len, struct src_loc loc)
{
	const char **slot;

	if (len == 0)
		return 0;
	if (!role_is_valid(s, len))
		return diag_error(st->c->diag, loc, "invalid node role '%s'",
				  show(st, s, len));
	if (!(slot = vec_push(&it->roles)))
		return oom(st, loc);
	if (!(*slot = arena_strndup(st->c->arena, s, len)))
		return oom(st, loc);
	return 0;
}

static int
item_bool(struct nodes_state *st, const char *s, size_t len,
	  struct src_loc loc, bool *out)
{
	if (span_eq(s, len, "true") || span_eq(s, len, "True") ||
	    span_eq(s, len, "TRUE"))
		*out = true;
	else if (span_eq(s, len, "false") || span_eq(s, len, "False") ||
		 span_eq(s, len, "FALSE") || len == 0 ||
		 span_eq(s, len, "null"))
		*out = false;
	else
		return diag_error(st->c->diag, loc,
				  "invalid spec.unschedulable '%s'",
				  show(st, s, len));
	return 0;
}

#define LABELS ".metadata.labels."
#define ROLE_PREFIX "node-role.kubernetes.io/"

static int
item_scalar(struct nodes_state *st, struct doc_item *it, const char *rel,
	    const char *s, size_t len, struct src_loc loc)
{
	const char *key;

	if (rel_is(rel, ".kind")) {
		it->kind_loc = loc;
		return item_keep(st, &it->kind, s, len, loc);
	}
	if (rel_is(rel, ".metadata.name")) {
		it->name_loc = loc;
		return item_keep(st, &it->name, s, len, loc);
	}
	if (!strncmp(rel, LABELS, strlen(LABELS))) {
		key = rel + strlen(LABELS);
		if (!strncmp(key, ROLE_PREFIX, strlen(ROLE_PREFIX)))
			return item_role(st, it, key + strlen(ROLE_PREFIX),
					 strlen(key + strlen(ROLE_PREFIX)),
					 loc);
		if (!strcmp(key, "kubernetes.io/role"))
			return item_role(st, it, s, len, loc);
		return 0;
	}
	if (rel_is(rel, ".spec.unschedulable"))
		return item_bool(st, s, len, loc, &it->unschedulable);
	if (rel_is(rel, ".status.conditions[].type")) {
		it->cond_is_ready = span_eq(s, len, "Ready");
		return 0;
	}
	if (rel_is(rel, ".status.conditions[].status")) {
		it->cond_true = span_eq(s, len, "True");
		return 0;
	}
	if (rel_is(rel, ".status.addresses[].type")) {
		it->addr_internal = span_eq(s, len, "InternalIP");
		return 0;
	}
	if (rel_is(rel, ".status.addresses[].address")) {
		buf_reset(&it->addr);
		buf_add(&it->addr, s, len > 256 ? 256 : len);
		it->addr_loc = loc;
		return it->addr.oom ? oom(st, loc) : 0;
	}
	if (rel_is(rel, ".status.nodeInfo.kubeletVersion")) {
		it->kubelet_loc = loc;
		return item_keep(st, &it->kubelet, s, len, loc);
	}
	if (rel_is(rel, ".status.nodeInfo.kubeProxyVersion"))
		return item_keep(st, &it->kube_proxy, s, len, loc);
	if (rel_is(rel, ".status.nodeInfo.containerRuntimeVersion"))
		return item_keep(st, &it->runtime, s, len, loc);
	if (rel_is(rel, ".status.nodeInfo.osImage"))
		return item_keep(st, &it->os_image, s, len, loc);
	return 0;
}

/* A condition or address entry closed: pair its fields. */
static int
item_entry_close(struct nodes_state *st, struct doc_item *it,
		 const char *rel)
{
	if (rel_is(rel, ".status.conditions[]")) {
		if (it->cond_is_ready)
			it->ready = it->cond_true ? TRI_TRUE : TRI_FALSE;
		it->cond_is_ready = it->cond_true = false;
		return 0;
	}
	if (!rel_is(rel, ".status.addresses[]"))
		return 0;
	if (it->addr_internal && !it->internal_ip && it->addr.len) {
		if (!ip_is_valid(it->addr.s, it->addr.len))
			return diag_error(st->c->diag, it->addr_loc,
					  "invalid internal IP '%s'",
					  show(st, it->addr.s, it->addr.len));
		if (!(it->internal_ip = arena_strndup(st->c->arena,
						       it->addr.s,
						       it->addr.len)))
			return oom(st, it->addr_loc);
	}
	it->addr_internal = false;
	buf_reset(&it->addr);
	return 0;
}

/* Turns a finished Node object into a node, the way kubectl prints it. */
static int
item_finish(struct nodes_state *st, struct doc_item *it)
{
	struct ingest_ctx *c = st->c;
	struct node n;
	const char *err, **roles = NULL;
	size_t nroles;

	it->active = false;
	if (it->failed)
		return -1;
	if (!it->name)
		return diag_error(c->diag, it->open_loc,
				  "node has no metadata.name");
	if (!safe_is_dns_subdomain(it->name, strlen(it->name)))
		return name_error(st, it->name_loc, it->name,
				  strlen(it->name));
	if (!it->kubelet)
		return diag_error(c->diag, it->name_loc,
				  "node '%s' has no "
				  "status.nodeInfo.kubeletVersion", it->name);
	memset(&n, 0, sizeof(n));
	n.name = it->name;
	n.loc = it->name_loc;
	if (kver_parse(c->arena, it->kubelet, strlen(it->kubelet), &n.kubelet,
		       &err) < 0)
		return diag_error(c->diag, it->kubelet_loc,
				  "invalid kubelet version '%s': %s",
				  show(st, it->kubelet, strlen(it->kubelet)),
				  err);
	n.ready = it->ready;
	n.schedulable = !it->unschedulable;
	n.status = arena_printf(c->arena, "%s%s",
				it->ready == TRI_TRUE	 ? "Ready"
				: it->ready == TRI_FALSE ? "NotReady"
							 : "Unknown",
				it->unschedulable ? ",SchedulingDisabled" : "");
	nroles = roles_sort(it->roles.v, it->roles.n);
	if (nroles) {
		roles = arena_alloc(c->arena, nroles * sizeof(*roles));
		if (roles)
			memcpy(roles, it->roles.v, nroles * sizeof(*roles));
	}
	if (!n.status || (nroles && !roles))
		return oom(st, n.loc);
	n.roles = roles;
	n.nroles = nroles;
	n.kube_proxy = it->kube_proxy;
	n.container_runtime = it->runtime;
	n.os_image = it->os_image;
	n.internal_ip = it->internal_ip;
	return add_node(st, &n);
}

static int
doc_result(struct nodes_state *st, struct doc_item *it, int rv)
{
	if (rv < 0 && it)
		it->failed = true;
	return too_many_errors(st) ? -1 : 0;
}

static struct doc_item *
doc_current(struct doc_state *ds, const char **rel, const char *path)
{
	struct doc_item *it = ds->item.active ? &ds->item : &ds->root;

	if (!it->active)
		return NULL;
	*rel = path + it->prefix;
	return it;
}

static int
doc_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	   struct src_loc loc)
{
	struct doc_state *ds = ctx;
	const char *rel;
	struct doc_item *it = doc_current(ds, &rel, yaml_walk_path(w));

	if (!it)
		return 0;
	/* A plain null reads as empty: "kubernetes.io/role: ~" names none. */
	if (w->is_null)
		len = 0;
	return doc_result(ds->st, it, item_scalar(ds->st, it, rel, s, len,
						  loc));
}

/*
 * Parts of a Node that carry none of the facts kept: skipped whole by the
 * walk. status.images alone is most of a Node's bytes.
 */
static const char *const skipped_keys[] = {
		"images", "managedFields", "annotations", "allocatable",
		"capacity", "daemonEndpoints", "volumesAttached", "volumesInUse",
		"taints", "ownerReferences", "finalizers", "config", "features",
		"runtimeHandlers", "podCIDRs",
	};

static int
doc_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct doc_state *ds = ctx;
	const char *path = yaml_walk_path(w);

	if (w->depth > 2 &&
	    yaml_walk_last_key_is(w, skipped_keys, ARRAY_SIZE(skipped_keys)))
		return YAML_WALK_SKIP;
	if (w->depth == 1 && is_map)
		item_reset(&ds->root, 0, loc);
	else if (w->depth == 2 && !is_map && ds->root.active &&
		 !strcmp(path, ".items"))
		ds->root.saw_items = true;
	else if (w->depth == 3 && is_map && ds->root.saw_items &&
		 !strcmp(path, ".items[]")) {
		item_reset(&ds->item, strlen(path), loc);
		recover_begin(ds->st->c);
	}
	return 0;
}

/*
 * A list item that is not a Node is an error at its kind; the root of a
 * document must be a Node, a NodeList or a List.
 */
static int
doc_close_item(struct nodes_state *st, struct doc_item *it)
{
	it->active = false;
	if (it->kind && strcmp(it->kind, "Node"))
		return diag_error(st->c->diag, it->kind_loc,
				  "list item is kind '%s', not a Node",
				  show(st, it->kind, strlen(it->kind)));
	return item_finish(st, it);
}

static int
doc_close_root(struct nodes_state *st, struct doc_item *root)
{
	root->active = false;
	if (root->failed)
		return -1;
	if (root->kind && (!strcmp(root->kind, "List") ||
			   !strcmp(root->kind, "NodeList")))
		return 0;
	if (!root->kind && (root->saw_items || !root->name))
		return 0;
	if (root->kind && strcmp(root->kind, "Node"))
		return diag_error(st->c->diag, root->kind_loc,
				  "not a Node, NodeList or List: kind '%s'",
				  show(st, root->kind, strlen(root->kind)));
	return item_finish(st, root);
}

static int
doc_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct doc_state *ds = ctx;
	struct nodes_state *st = ds->st;
	struct doc_item *it;
	const char *rel;

	if (!is_map)
		return 0;
	if (w->depth == 3 && ds->item.active) {
		const char *name = ds->item.name;
		int rv = doc_close_item(st, &ds->item);

		rv = recover_end(st->c, rv, name, name ? strlen(name) : 0);
		return doc_result(st, NULL, rv < 0 ? -1 : 0);
	}
	if (w->depth == 1 && ds->root.active)
		return doc_result(st, NULL, doc_close_root(st, &ds->root));
	if (!(it = doc_current(ds, &rel, yaml_walk_path(w))))
		return 0;
	return doc_result(st, it, item_entry_close(st, it, rel));
}

static int
parse_doc(struct nodes_state *st, bool json)
{
	static const struct yaml_walk_ops ops = {
		doc_scalar, doc_open, doc_close,
	};
	struct ingest_ctx *c = st->c;
	struct doc_state ds;
	struct yaml_src src;
	struct yaml_walk w;
	int rv;

	c->format = json ? "json" : "yaml";
	memset(&ds, 0, sizeof(ds));
	ds.st = st;
	if (yaml_src_open_stream(&src, c->in, c->diag) < 0)
		return -1;
	rv = yaml_walk_run(&w, c->path, c->diag, yaml_src_read, &src, &ops,
			   &ds);
	yaml_src_close(&src);
	item_release(&ds.root);
	item_release(&ds.item);
	return rv;
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
	if (state_init(&st, c) < 0) {
		state_release(&st);
		return -1;
	}
	if ((doc = doc_kind_of(c)) >= 0)
		rv = parse_doc(&st, doc == 1);
	else
		rv = parse_table(&st);
	if (rv == 0 && st.conflicts.n && drop_conflicts(&st) < 0)
		rv = -1;
	if (too_many_errors(&st))
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
	state_release(&st);
	return rv;
}
