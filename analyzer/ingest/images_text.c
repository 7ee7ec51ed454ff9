/*
 * images_text.c - image listings as text: plain lists (yq, jq -r, kubeadm
 * config images list), YAML "- " items, quoted items, "image:" lines of a
 * grep over manifests, jsonpath output, custom-columns tables, crictl and
 * docker images tables, and kinder's "pod << image," lines.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_COLUMNS 64		/* columns of a custom-columns table */

enum text_style {
	TS_NONE,
	TS_LIST,	/* one reference a line, yq/jq -r/kubeadm */
	TS_YAML_LIST,	/* "- ref" */
	TS_IMAGE_LINES,	/* "image: ref", a grep over manifests */
	TS_TABLE,	/* custom-columns */
	TS_RUNTIME,	/* crictl images, docker images: REPOSITORY TAG ... */
	TS_ARROW,	/* kinder: "pod << ref, " */
};

enum col_role { COL_OTHER, COL_NS, COL_POD, COL_NODE, COL_IMAGES,
		COL_INIT_IMAGES, COL_CONTAINERS };

struct token {
	size_t off, len;
};

struct text_state {
	struct images_parse *p;
	struct text_reader r;
	const struct text_line *l;
	enum text_style style;
	bool multi;		/* a line held several references */
	bool kubeadm;		/* the command was kubeadm config images list */
	enum col_role cols[MAX_COLUMNS];
	size_t ncols;
	bool repo_tag;		/* a runtime's table: repository, then tag */
};

static struct re kubeadm_list_re = {
	.pattern = "\\bkubeadm\\s+config\\s+images\\s+list\\b"};
static struct re header_word_re = {.pattern = "^[A-Z][A-Z0-9_./-]*\\z"};
/* `crictl images` and `docker images`: the tag is a column of its own. */
static struct re runtime_header_re = {
	.pattern = "^\\s*(?:IMAGE|REPOSITORY)\\s+TAG\\s+(?:IMAGE ID|DIGEST)\\b"};

static bool
is_ws(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Splits s[off..len) at white space; returns the count (at most max). */
static size_t
split_ws(const char *s, size_t off, size_t len, struct token *tok, size_t max,
	 bool *more)
{
	size_t n = 0;

	*more = false;
	while (off < len) {
		while (off < len && is_ws(s[off]))
			off++;
		if (off == len)
			break;
		if (n == max) {
			*more = true;
			break;
		}
		tok[n].off = off;
		while (off < len && !is_ws(s[off]))
			off++;
		tok[n].len = off - tok[n].off;
		n++;
	}
	return n;
}

static bool
word_is(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && !memcmp(s, w, len);
}

/* Column titles people give custom-columns; any title with IMAGE is one. */
static const struct {
	const char *word;
	enum col_role role;
} column_names[] = {
	{"NAMESPACE", COL_NS},		{"NAME", COL_POD},
	{"POD", COL_POD},		{"POD_NAME", COL_POD},
	{"PODNAME", COL_POD},		{"NODE", COL_NODE},
	{"NODE_NAME", COL_NODE},	{"NODENAME", COL_NODE},
	{"CONTAINER", COL_CONTAINERS},	{"CONTAINERS", COL_CONTAINERS},
	{"CONTAINER_NAME", COL_CONTAINERS},
	{"CONTAINER_NAMES", COL_CONTAINERS},
};

/*
 * A custom-columns header: upper-case words only (never a valid image,
 * which must be lowercase), one of them naming images.
 */
static bool
table_header(struct text_state *t, const char *s, size_t len)
{
	struct token tok[MAX_COLUMNS];
	bool more, images = false;
	size_t n = split_ws(s, 0, len, tok, MAX_COLUMNS, &more), i;

	if (re_match(&runtime_header_re, s, len, NULL)) {
		t->repo_tag = true;
		t->ncols = 2;
		return true;
	}
	if (n == 0 || more)
		return false;
	for (i = 0; i < n; i++) {
		if (!re_match(&header_word_re, s + tok[i].off, tok[i].len,
			      NULL))
			return false;
		if (buf_contains(s + tok[i].off, tok[i].len, "IMAGE"))
			images = true;
	}
	if (!images)
		return false;
	for (i = 0; i < n; i++) {
		const char *w = s + tok[i].off;
		size_t wl = tok[i].len, k;

		t->cols[i] = COL_OTHER;
		if (buf_contains(w, wl, "IMAGE")) {
			t->cols[i] = buf_contains(w, wl, "INIT") ? COL_INIT_IMAGES
							     : COL_IMAGES;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(column_names); k++)
			if (word_is(w, wl, column_names[k].word))
				t->cols[i] = column_names[k].role;
	}
	t->ncols = n;
	return true;
}

/* The n-th comma-separated element of s[0..len), or false. */
static bool
comma_item(const char *s, size_t len, size_t n, struct token *out)
{
	size_t off = 0, i = 0;

	for (;;) {
		const char *c = memchr(s + off, ',', len - off);
		size_t e = c ? (size_t)(c - s) : len;

		if (i == n) {
			out->off = off;
			out->len = e - off;
			return true;
		}
		if (!c)
			return false;
		off = e + 1;
		i++;
	}
}

/*
 * A row of `crictl images` or `docker images`: "REPOSITORY TAG ID ..."; the
 * later columns ("2 weeks ago") may hold spaces and are not read.
 */
static int
runtime_row(struct text_state *t, const char *s, size_t len)
{
	struct images_parse *p = t->p;
	struct token tok[2];
	struct buf ref = BUF_INIT;
	const struct image_ref *r;
	struct src_loc loc;
	bool more, stop = false;
	size_t n = split_ws(s, 0, len, tok, 2, &more);

	loc = text_loc(&t->r, t->l, n ? tok[0].off : 0);
	if (n < 2) {
		diag_error(p->c->diag, text_loc(&t->r, t->l, len),
			   "image row has no TAG column");
		return images_counted(p);
	}
	buf_add(&ref, s + tok[0].off, tok[0].len);
	if (!word_is(s + tok[1].off, tok[1].len, "<none>")) {
		buf_addc(&ref, ':');
		buf_add(&ref, s + tok[1].off, tok[1].len);
	}
	if (ref.oom) {
		buf_release(&ref);
		return images_oom(p, loc);
	}
	r = word_is(s + tok[0].off, tok[0].len, "<none>")
		    ? NULL
		    : images_image_at(p, ref.s, ref.len, loc, &stop);
	buf_release(&ref);
	if (!r)
		return stop ? -1 : 0;
	return images_add(p, r, NULL, NULL, NULL, NULL, false, loc);
}

static int
table_row(struct text_state *t, const char *s, size_t len)
{
	struct images_parse *p = t->p;
	struct token tok[MAX_COLUMNS + 1];
	const char *ns = NULL, *pod = NULL, *node = NULL;
	const struct token *names = NULL;
	bool more, stop;
	size_t n = split_ws(s, 0, len, tok, MAX_COLUMNS + 1, &more), i, k;
	struct src_loc loc;

	if (n != t->ncols) {
		loc = text_loc(&t->r, t->l, n > t->ncols ? tok[t->ncols].off
							 : len);
		diag_error(p->c->diag, loc,
			   "row has %s%zu columns, the header has %zu",
			   more ? "more than " : "", n, t->ncols);
		return images_counted(p);
	}
	for (i = 0; i < n; i++) {
		const char *w = s + tok[i].off;
		int rc = 0;

		if (t->cols[i] == COL_NS)
			rc = images_name_of(p, w, tok[i].len, true, &ns);
		else if (t->cols[i] == COL_NODE)
			rc = images_name_of(p, w, tok[i].len, true, &node);
		else if (t->cols[i] == COL_CONTAINERS)
			names = &tok[i];
		else if (t->cols[i] == COL_POD &&
			 !word_is(w, tok[i].len, "<none>") &&
			 !(pod = arena_strndup(p->c->arena, w, tok[i].len)))
			rc = -1;
		if (rc < 0)
			return images_oom(p, text_loc(&t->r, t->l, tok[i].off));
	}
	for (i = 0; i < n; i++) {
		const char *w = s + tok[i].off;
		struct token it, nm;

		if (t->cols[i] != COL_IMAGES && t->cols[i] != COL_INIT_IMAGES)
			continue;
		if (word_is(w, tok[i].len, "<none>"))
			continue;
		for (k = 0; comma_item(w, tok[i].len, k, &it); k++) {
			const struct image_ref *ref;
			const char *container = NULL;

			loc = text_loc(&t->r, t->l, tok[i].off + it.off);
			if (it.len == 0) {
				diag_error(p->c->diag, loc, "empty image in "
					   "a comma-separated list");
				if (images_counted(p) < 0)
					return -1;
				continue;
			}
			ref = images_image_at(p, w + it.off, it.len, loc, &stop);
			if (!ref && stop)
				return -1;
			if (!ref)
				continue;
			if (names && t->cols[i] == COL_IMAGES &&
			    comma_item(s + names->off, names->len, k, &nm) &&
			    images_name_of(p, s + names->off + nm.off, nm.len, true,
				    &container) < 0)
				return images_oom(p, loc);
			if (images_add(p, ref, ns, pod, node, container,
				      t->cols[i] == COL_INIT_IMAGES, loc) < 0)
				return -1;
		}
	}
	return 0;
}

/* kinder: "etcd-kinder-upgrade-control-plane-1 << k8s.gcr.io/etcd:3.4.3-0," */
static int
arrow_row(struct text_state *t, const char *s, size_t len, struct token pod_tok,
	  size_t off)
{
	struct images_parse *p = t->p;
	const char *pod = arena_strndup(p->c->arena, s + pod_tok.off,
					pod_tok.len);
	bool stop;

	if (!pod)
		return images_oom(p, text_loc(&t->r, t->l, pod_tok.off));
	while (off < len) {
		size_t e;
		const struct image_ref *ref;
		struct src_loc loc;

		while (off < len && (is_ws(s[off]) || s[off] == ','))
			off++;
		if (off == len)
			break;
		for (e = off; e < len && !is_ws(s[e]) && s[e] != ','; e++)
			;
		loc = text_loc(&t->r, t->l, off);
		if ((ref = images_image_at(p, s + off, e - off, loc, &stop))) {
			if (images_add(p, ref, NULL, pod, NULL, NULL, false,
				      loc) < 0)
				return -1;
		} else if (stop) {
			return -1;
		}
		off = e;
	}
	return 0;
}

static bool
starts_with(const char *s, size_t len, size_t off, const char *w)
{
	size_t n = strlen(w);

	return len - off >= n && !memcmp(s + off, w, n);
}

/* True if s[b..e) has none of the characters of an image reference. */
static bool
is_bare_word(const char *s, size_t b, size_t e)
{
	for (; b < e; b++)
		if (s[b] == '/' || s[b] == ':' || s[b] == '@' || s[b] == '"' ||
		    s[b] == '\'')
			return false;
	return true;
}

/*
 * jsonpath with a range prints names before the images:
 * "{.metadata.name}{'\t'}{..image}" or, with the namespace first,
 * "kube-system etcd-cp-1 registry.k8s.io/etcd:3.5.9-0". If s[off..len) is
 * one or two bare words, a tab, then only tagged (or digested) references,
 * sets tok[0..n) to the words and returns n; else 0.
 */
static size_t
leading_names(const char *s, size_t off, size_t len, struct token tok[2])
{
	size_t n = 0, b = off, e;
	bool refs = false;

	while (b < len) {
		bool tagged = false;

		while (b < len && is_ws(s[b]))
			b++;
		if (b == len)
			break;
		for (e = b; e < len && !is_ws(s[e]); e++)
			if (s[e] == ':' || s[e] == '@')
				tagged = true;
		if (!refs && is_bare_word(s, b, e)) {
			if (n == 2)
				return 0;
			tok[n].off = b;
			tok[n++].len = e - b;
		} else if (tagged && n > 0) {
			/* The names end at the tab of {'\t'}: {..image} alone
			 * separates with spaces and may start untagged. */
			if (!refs && !memchr(s + tok[n - 1].off + tok[n - 1].len,
					     '\t', b - tok[n - 1].off -
							 tok[n - 1].len))
				return 0;
			refs = true;
		} else {
			return 0;
		}
		b = e;
	}
	return refs ? n : 0;
}

/*
 * A list line: [- ][image: ]ref [ref...] [# comment], each ref plain or
 * quoted; a quoted one may carry the comma of a JSON array.
 */
static int
list_line(struct text_state *t, const char *s, size_t len)
{
	struct images_parse *p = t->p;
	enum text_style style = TS_LIST;
	size_t off = 0, i, nrefs = 0, key_end = 0, nn;
	struct token names[2];
	const char *pod = NULL, *ns = NULL;
	bool stop;

	while (off < len && is_ws(s[off]))
		off++;
	if (off < len && s[off] == '-' &&
	    (off + 1 == len || is_ws(s[off + 1]))) {
		style = TS_YAML_LIST;
		for (off++; off < len && is_ws(s[off]); off++)
			;
	}
	/* "Image:" is kubectl describe's spelling. */
	if (starts_with(s, len, off, "image:") ||
	    starts_with(s, len, off, "Image:") ||
	    starts_with(s, len, off, "\"image\":")) {
		style = TS_IMAGE_LINES;
		off += s[off] == '"' ? 8 : 6;
		key_end = off;
	}
	/* A comment starts at a '#' after white space (YAML's rule). */
	for (i = off; i < len; i++)
		if (s[i] == '#' && (i == 0 || is_ws(s[i - 1])))
			break;
	len = i;
	while (len > off && is_ws(s[len - 1]))
		len--;
	if (style == TS_IMAGE_LINES && len > off && s[len - 1] == ',')
		len--;
	/*
	 * yq separates the results of several documents with "---" and
	 * prints null where a document has no such field: no image there.
	 */
	if (style != TS_IMAGE_LINES &&
	    (word_is(s + off, len - off, "---") ||
	     word_is(s + off, len - off, "null")))
		return 0;
	if (t->style == TS_NONE)
		t->style = style;
	/*
	 * Names before the references (jsonpath with a range) are the pod's
	 * (and namespace's), not images of Docker Hub.
	 */
	if (style == TS_LIST && (nn = leading_names(s, off, len, names)) > 0) {
		if ((nn == 2 && images_name_of(p, s + names[0].off, names[0].len, true,
					&ns) < 0) ||
		    images_name_of(p, s + names[nn - 1].off, names[nn - 1].len, true,
			    &pod) < 0)
			return images_oom(p, text_loc(&t->r, t->l, off));
		t->multi = true;
		off = names[nn - 1].off + names[nn - 1].len;
	}
	while (off < len) {
		size_t b, e;
		const struct image_ref *ref;
		struct src_loc loc;

		while (off < len && is_ws(s[off]))
			off++;
		if (off == len)
			break;
		for (e = off; e < len && !is_ws(s[e]); e++)
			;
		b = off;
		off = e;
		if (s[b] == '"' || s[b] == '\'') {
			if (e - b >= 2 && s[e - 1] == ',')
				e--;
			if (e - b < 2 || s[e - 1] != s[b]) {
				diag_error(p->c->diag, text_loc(&t->r, t->l, b),
					   "unterminated quoted image");
				if (images_counted(p) < 0)
					return -1;
				continue;
			}
			b++;
			e--;
		}
		loc = text_loc(&t->r, t->l, b);
		nrefs++;
		if ((ref = images_image_at(p, s + b, e - b, loc, &stop))) {
			if (images_add(p, ref, ns, pod, NULL, NULL, false,
				      loc) < 0)
				return -1;
		} else if (stop) {
			return -1;
		}
	}
	if (nrefs == 0 && style != TS_LIST) {
		diag_error(p->c->diag, text_loc(&t->r, t->l,
						key_end ? key_end : off),
			   "empty image value");
		return images_counted(p);
	}
	if (nrefs > 1)
		t->multi = true;
	return 0;
}

static int
text_line_content(struct text_state *t, const char *s, size_t len)
{
	struct token tok[2];
	bool more;
	size_t n;

	if (table_header(t, s, len)) {
		if (t->style == TS_NONE)
			t->style = t->repo_tag ? TS_RUNTIME : TS_TABLE;
		return 0;
	}
	if (t->repo_tag)
		return runtime_row(t, s, len);
	if (t->ncols)
		return table_row(t, s, len);
	n = split_ws(s, 0, len, tok, 2, &more);
	if (n == 2 && word_is(s + tok[1].off, tok[1].len, "<<")) {
		if (t->style == TS_NONE)
			t->style = TS_ARROW;
		return arrow_row(t, s, len, tok[0], tok[1].off + 2);
	}
	return list_line(t, s, len);
}

static const char *
text_format(const struct text_state *t)
{
	if (t->kubeadm && (t->style == TS_LIST || t->style == TS_NONE))
		return "kubeadm-config-images-list";
	switch (t->style) {
	case TS_TABLE: return "custom-columns";
	case TS_RUNTIME: return "runtime-images";
	case TS_ARROW: return "pod-image-pairs";
	case TS_IMAGE_LINES: return "manifest-image-lines";
	case TS_YAML_LIST: return "yaml-list";
	default: return t->multi ? "jsonpath" : "image-list";
	}
}

int
images_parse_text(struct images_parse *p)
{
	struct text_state t;
	struct text_line l;
	unsigned e0;
	int rc, rv;

	memset(&t, 0, sizeof(t));
	t.p = p;
	t.kubeadm = re_match(&kubeadm_list_re, p->c->sniff->command,
			     strlen(p->c->sniff->command), NULL);
	if (text_reader_open_stream(&t.r, p->c->in, false, p->c->diag) < 0)
		return -1;
	t.r.warn_utf8 = true;
	t.r.recover = p->c;
	while ((rc = text_reader_next(&t.r, &l)) > 0) {
		if (l.noise == NOISE_PROMPT && l.command &&
		    re_match(&kubeadm_list_re, l.command, l.command_len, NULL))
			t.kubeadm = true;
		if (l.noise != NOISE_NONE)
			continue;
		t.l = &l;
		e0 = p->errors;
		recover_begin(p->c);
		rv = text_line_content(&t, l.s, l.len);
		if (recover_end(p->c, rv, l.s, l.len) > 0)
			p->errors = e0;
		else if (rv < 0)
			break;
	}
	text_reader_close(&t.r);
	p->c->format = text_format(&t);
	if (rc < 0)
		return -1;
	return 0;
}
