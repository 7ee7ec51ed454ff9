/*
 * nodes_table.c - the `kubectl get nodes` tables, default and -o wide.
 *
 * Tables are read in two passes. The first finds the header lines; when a
 * file holds several tables (a watch during an upgrade), only the last is
 * a snapshot, so the second pass parses that one and a warning says so.
 * kubectl's tabwriter left-aligns every column, so a cell is the text from
 * its header's start offset to the next one; a row that does not line up
 * (a paste that lost its spacing) is split on white space instead when the
 * number of cells leaves no doubt. A file with no header at all is taken
 * as the five default columns when every line has exactly five cells.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_COLS 32

/* HumanDuration as kubectl prints AGE: "94d", "5m17s", "2y120d". */
static bool
age_is_valid(const char *s, size_t len)
{
	size_t i = 0, digits;

	if (nodes_span_eq(s, len, "<invalid>") || nodes_span_eq(s, len, "<unknown>"))
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
	while (i < len && nodes_is_ws(l->s[i]))
		i++;
	/* Ansible's stdout_lines: "  - NAME   STATUS ...". */
	if (i + 1 < len && l->s[i] == '-' && l->s[i + 1] == ' ') {
		out->wrap |= WRAP_DASH;
		i += 2;
		while (i < len && nodes_is_ws(l->s[i]))
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
	while (len > i && nodes_is_ws(l->s[len - 1]))
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
		while (i < ct->len && nodes_is_ws(ct->s[i]))
			i++;
		if (i == ct->len)
			return n;
		start = i;
		while (i < ct->len && !nodes_is_ws(ct->s[i]))
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
	return nodes_span_eq(ct->s + t->start, t->len, z);
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

	if (t->headerless || ct->len == 0 || nodes_is_ws(ct->s[0]))
		return false;
	for (i = 0; i < t->ncols; i++) {
		a = t->start[i];
		blank = a >= ct->len || nodes_is_ws(ct->s[a]);
		if (i > 0 && a - 1 < ct->len && !nodes_is_ws(ct->s[a - 1]))
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
				if (!nodes_is_ws(ct->s[j]))
					return false;
			cells[i].start = a;
			cells[i].len = 0;
			continue;
		}
		while (b > a && nodes_is_ws(ct->s[b - 1]))
			b--;
		for (j = a; j < b && (int)i != t->spaced; j++)
			if (nodes_is_ws(ct->s[j]))
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

	if (nodes_span_eq(s, len, "<none>"))
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == ',')
			count++;
	roles = arena_alloc(st->c->arena, count * sizeof(*roles));
	if (!roles)
		return nodes_oom(st, row_loc(rc, cl->start));
	for (a = 0, i = 0; i <= len; i++) {
		if (i < len && s[i] != ',')
			continue;
		if (!nodes_role_is_valid(s + a, i - a))
			return diag_error(st->c->diag,
					  row_loc(rc, cl->start + a),
					  "invalid node role '%s'",
					  nodes_show(st, s + a, i - a));
		roles[n->nroles] = arena_strndup(st->c->arena, s + a, i - a);
		if (!roles[n->nroles++])
			return nodes_oom(st, row_loc(rc, cl->start + a));
		a = i + 1;
	}
	n->nroles = nodes_roles_sort(roles, n->nroles);
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
		if (!nodes_status_parse(s, len, n))
			return diag_error(d, loc, "unknown node status '%s'",
					  nodes_show(st, s, len));
		if (!(n->status = cell_dup(st, rc->ct, cl)))
			return nodes_oom(st, loc);
		return 0;
	case COL_ROLES:
		return row_roles(rc, cl, n);
	case COL_AGE:
		if (!age_is_valid(s, len))
			return diag_error(d, loc, "invalid node age '%s'",
					  nodes_show(st, s, len));
		return 0;
	case COL_VERSION:
		if (kver_parse(st->c->arena, s, len, &n->kubelet, &err) < 0)
			return diag_error(d, loc,
					  "invalid kubelet version '%s': %s",
					  nodes_show(st, s, len), err);
		return 0;
	case COL_INTERNAL_IP:
	case COL_EXTERNAL_IP:
		if (nodes_span_eq(s, len, "<none>"))
			return 0;
		if (!nodes_ip_is_valid(s, len))
			return diag_error(d, loc, "invalid %s '%s'",
					  id == COL_INTERNAL_IP
						  ? "internal IP"
						  : "external IP",
					  nodes_show(st, s, len));
		if (id == COL_INTERNAL_IP)
			dst = &n->internal_ip;
		break;
	case COL_OS_IMAGE:
		dst = &n->os_image;
		break;
	case COL_CONTAINER_RUNTIME:
		dst = &n->container_runtime;
		break;
	case COL_KERNEL_VERSION:
		dst = &n->kernel_version;
		break;
	default:
		return 0;
	}
	if (!dst || nodes_span_eq(s, len, "<unknown>"))
		return 0;
	if (!(*dst = cell_dup(st, rc->ct, cl)))
		return nodes_oom(st, loc);
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
	if (nodes_name_is_masked(name, nlen))
		n.masked = true;
	else if (!safe_is_dns_subdomain(name, nlen))
		return nodes_name_error(st, n.loc, name, nlen);
	if (!(n.name = arena_strndup(st->c->arena, name, nlen)))
		return nodes_oom(st, n.loc);
	for (i = 1; i < t->ncols; i++)
		if (row_cell(rc, t->id[i], &cells[i], &n) < 0)
			rv = -1;
	if (rv < 0)
		return -1;
	return nodes_add(st, &n);
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
			return nodes_status_parse(ct->s + tok[i].start, tok[i].len,
					    &tmp);
	return false;
}

/*
 * A row a terminal wrapped: too few cells, and the next line, indented,
 * holds exactly the cells missing (or more, when OS-IMAGE can take them).
 * Copies the row into j (with the next line when it continues it) and
 * points *jl at it. *l is then the next line, not yet read as such, when
 * *have_next says so; *got is text_reader_next's result.
 */
static void
join_row(struct text_reader *r, struct text_line *l, const struct table *t,
	 size_t ncells, struct text_join *j, struct text_line *jl,
	 bool *have_next, int *got)
{
	struct content ct2;
	struct token tok[MAX_COLS + 1];
	size_t n2;

	buf_reset(&j->text);
	j->nseg = 0;
	text_join_add(j, r, l, false);
	*jl = *l;
	*have_next = false;
	if ((*got = text_reader_next(r, l)) <= 0)
		goto done;
	*have_next = true;
	if (l->noise != NOISE_NONE || l->len == 0 || !nodes_is_ws(l->s[0]))
		goto done;
	line_content(l, &ct2);
	n2 = tokenize(&ct2, tok, MAX_COLS + 1);
	if (n2 == 0 || (ncells + n2 != t->ncols &&
			!(t->spaced >= 0 && ncells + n2 > t->ncols)))
		goto done;
	text_join_add(j, r, l, false);
	*have_next = false;
done:
	jl->s = j->text.s;
	jl->len = j->text.len;
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

int
nodes_parse_table(struct nodes_state *st)
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
	struct text_join j;
	struct text_line jl;
	struct token tok[MAX_COLS + 1];
	bool have_next = false;
	size_t ncells;

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
	r.recover = c;
	memset(&j, 0, sizeof(j));
	while (!nodes_too_many_errors(st) &&
	       (have_next || (got = text_reader_next(&r, &l)) > 0)) {
		have_next = false;
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
		ncells = tokenize(&ct, tok, MAX_COLS + 1);
		/*
		 * A row that ends before the last column starts was cut; with
		 * OS-IMAGE's spaces, its cell count alone cannot tell.
		 */
		if (t.headerless ||
		    (ncells >= t.ncols &&
		     (t.spaced < 0 || ct.len > t.start[t.ncols - 1]))) {
			if (recover_end(c, row_parse(&rc, &t), l.s, l.len) < 0)
				rv = -1;
			continue;
		}
		/* Too few cells: a row wrapped over two lines, perhaps. */
		join_row(&r, &l, &t, ncells, &j, &jl, &have_next, &got);
		if (j.text.oom) {
			recover_end(c, -1, NULL, 0);
			rv = diag_error(c->diag, text_loc(&r, &l, 0),
					"out of memory");
			break;
		}
		line_content(&jl, &ct);
		rc.l = &jl;
		r.join = &j;
		if (recover_end(c, row_parse(&rc, &t), jl.s, jl.len) < 0)
			rv = -1;
		r.join = NULL;
		rc.l = &l;
		if (got < 0)
			break;
		/* The line after the row is read as it comes, not as content. */
		if (have_next)
			line_content(&l, &ct);
	}
	if (got < 0)
		rv = -1;
	text_reader_close(&r);
	buf_release(&j.text);
	if (rv == 0 && rows == 0) {
		loc.line = sc.last_header;
		loc.col = loc.line ? 1 : 0;
		return diag_error(c->diag, loc, "node table has no rows");
	}
	return rv;
}
