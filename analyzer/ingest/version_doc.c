/*
 * version_doc.c - `kubectl version -o yaml|json` and `kubeadm version
 * -o yaml|json`, and a yq-style bare version document.
 *
 * The document is parsed from a copy of the file in which every noise
 * line (prompts, fences, warnings) is blanked to spaces, so that line and
 * column numbers stay those of the file. JSON is checked with cJSON first,
 * which reports where a truncated document ends; the values and their
 * locations then come from the same yaml_walk as YAML.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

static const struct names doc_names = {"gitVersion", "major", "minor"};

/*
 * The document with every noise line blanked. Content lines keep their
 * bytes at their columns; what the cleaner removed from them (ANSI
 * escapes, a BOM) becomes spaces. In YAML, where indentation matters, a
 * line whose cleaning removed bytes from the middle is written packed from
 * its first column instead.
 */
struct doc {
	char *s; /* owned */
	size_t len;
	bool any; /* some content line was kept */
};

static int
build_doc(struct vstate *st, const char *raw, size_t len, bool packed,
	  struct doc *doc)
{
	struct buf clean = BUF_INIT;
	struct colmap cm = {NULL, 0, 0};
	struct text_line tl;
	size_t start = 0, end, i, base;
	uint32_t lineno = st->c->in->line_base;
	int rc = 0;

	memset(doc, 0, sizeof(*doc));
	if (!(doc->s = base_malloc(len + 1)))
		return version_oom(st, version_file_loc(st));
	memset(doc->s, ' ', len);
	doc->s[len] = '\0';
	doc->len = len;
	while (start < len && rc == 0) {
		struct src_loc loc = {st->c->path, ++lineno, 1};
		size_t n;

		for (end = start; end < len && raw[end] != '\n'; end++)
			;
		if (end < len)
			doc->s[end] = '\n';
		n = end - start;
		if (n > LIMIT_LINE_LEN) {
			loc.col = LIMIT_LINE_LEN;
			rc = diag_error(st->c->diag, loc,
					"line longer than %u bytes",
					LIMIT_LINE_LEN);
			break;
		}
		if (memchr(raw + start, '\0', n)) {
			loc.col = (uint32_t)((const char *)memchr(raw + start,
								  '\0', n) -
					     (raw + start)) +
				  1;
			rc = diag_error(st->c->diag, loc,
					"binary data (NUL byte) in a version "
					"capture");
			break;
		}
		/*
		 * Grow the buffer to the raw line first: the cleaned line is
		 * never longer, so clean_line() never meets a failed growth.
		 */
		buf_reset(&clean);
		buf_add(&clean, raw + start, n);
		if (clean.oom) {
			rc = version_oom(st, loc);
			break;
		}
		memset(&tl, 0, sizeof(tl));
		clean_line(&clean, &cm, raw + start, n, lineno == 1, &tl);
		if (clean.oom || cm.n < clean.len) {
			rc = version_oom(st, loc);
			break;
		}
		tl.lineno = lineno;
		/* tl.s may start past what the cleaner dropped (a fence). */
		base = (size_t)(tl.s - clean.s);
		if (tl.len && base < cm.n)
			loc.col = cm.v[base];
		if (tl.noise == NOISE_ELISION) {
			rc = recover_elision(st->c, loc, tl.s, tl.len);
		} else if (tl.noise != NOISE_NONE ||
		    version_is_unreachable_line(tl.s, tl.len)) {
			rc = version_side_line(st, tl.noise, tl.s, tl.len, tl.command,
				       tl.command_len, loc);
		} else {
			const uint32_t *col = cm.v + base;
			bool contiguous = true;

			for (i = 0; i < tl.len; i++)
				if (col[i] != col[0] + i)
					contiguous = false;
			for (i = 0; i < tl.len; i++) {
				size_t c =
				    packed && !contiguous ? col[0] + i : col[i];

				if (c >= 1 && c <= n)
					doc->s[start + c - 1] = tl.s[i];
			}
			if (!doc->any && version_current_is_kubeadm(st))
				st->kubeadm = true;
			doc->any = true;
		}
		start = end + 1;
	}
	buf_release(&clean);
	free(cm.v);
	if (rc < 0) {
		free(doc->s);
		doc->s = NULL;
	}
	return rc;
}

/* Turns an offset into the document into a location. */
static struct src_loc
doc_loc(const struct vstate *st, const struct doc *doc, size_t off)
{
	struct src_loc loc = {st->c->path, st->c->in->line_base + 1, 1};
	size_t i;

	for (i = 0; i < off && i < doc->len; i++) {
		if (doc->s[i] == '\n') {
			loc.line++;
			loc.col = 1;
		} else {
			loc.col++;
		}
	}
	return loc;
}

static bool
all_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!version_is_space(s[i]) && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/*
 * True if the document ends inside a string or with an object or array
 * still open: a capture cut short, not a syntax error in the middle.
 */
static bool
json_is_open(const struct doc *doc)
{
	size_t i;
	long depth = 0;
	bool in_str = false;

	for (i = 0; i < doc->len; i++) {
		char ch = doc->s[i];

		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = false;
			else if (ch == '\n') /* cut inside a string? */
				return all_space(doc->s + i, doc->len - i);
		} else if (ch == '"') {
			in_str = true;
		} else if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			if (--depth < 0)
				return false;
		}
	}
	return in_str || depth > 0;
}

/* Checks that the document is one JSON object and nothing else. */
static int
check_json(struct vstate *st, const struct doc *doc)
{
	struct diag *d = st->c->diag;
	const char *end = NULL;
	cJSON *root;
	size_t off, n;

	root = cJSON_ParseWithOpts(doc->s, &end, false);
	if (!root) {
		off = end && end >= doc->s ? (size_t)(end - doc->s) : 0;
		if (off > doc->len)
			off = doc->len;
		if (json_is_open(doc)) {
			/* Point just past the last byte of the document. */
			off = doc->len;
			while (off > 0 && all_space(doc->s + off - 1, 1))
				off--;
			return diag_error(d, doc_loc(st, doc, off),
					  "truncated JSON document");
		}
		/* cJSON may point just past the offending byte. */
		while (off > 0 &&
		       (off == doc->len || all_space(doc->s + off, 1)))
			off--;
		for (n = 0; off + n < doc->len && n < 16 &&
			    doc->s[off + n] != '\n' && doc->s[off + n] != '\r';
		     n++)
			;
		return diag_error(d, doc_loc(st, doc, off),
				  "invalid JSON at '%s'",
				  version_show(st, doc->s + off, n));
	}
	off = end ? (size_t)(end - doc->s) : doc->len;
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		off = 0;
		while (off < doc->len && all_space(doc->s + off, 1))
			off++;
		return diag_error(d, doc_loc(st, doc, off),
				  "JSON document is not an object");
	}
	cJSON_Delete(root);
	if (off < doc->len && !all_space(doc->s + off, doc->len - off)) {
		while (all_space(doc->s + off, 1))
			off++;
		for (n = 0; off + n < doc->len && doc->s[off + n] != '\n' &&
			    doc->s[off + n] != '\r';
		     n++)
			;
		return diag_error(d, doc_loc(st, doc, off),
				  "unexpected text '%s' after the JSON "
				  "document",
				  version_show(st, doc->s + off, n));
	}
	return 0;
}

/* A clientVersion/serverVersion map being walked. */
struct ysec {
	const char *path; /* static: ".clientVersion" */
	struct vrec rec;
	bool open;
	bool bad; /* an error was reported inside it */
	int bin;  /* enum binary, -1: from the command */
};

struct ywalk {
	struct vstate *st;
	struct ysec sec[3]; /* client, server, root (yq .serverVersion) */
	bool json;
};

static struct ysec *
find_section(struct ywalk *yw, const char *path, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yw->sec); i++)
		if (strlen(yw->sec[i].path) == len &&
		    !memcmp(yw->sec[i].path, path, len))
			return &yw->sec[i];
	return NULL;
}

static int
finish_section(struct ywalk *yw, struct ysec *sec)
{
	struct vstate *st = yw->st;
	int b = sec->bin;

	sec->open = false;
	if (sec->bad)
		return -1;
	if (b == BIN_CLIENT && st->kubeadm)
		b = BIN_KUBEADM;
	if (b < 0) {
		if (!sec->rec.git.set && !sec->rec.major.set)
			return 0; /* some other document */
		if ((b = version_bare_target(st)) < 0) {
			diag_error(st->c->diag, sec->rec.where,
				   "version document does not say which "
				   "binary printed it");
			diag_note(st->c->diag, sec->rec.where,
				  "capture it with 'kubectl version -o yaml'"
				  " or keep the command line above it");
			return -1;
		}
	}
	version_set_format(st, yw->json ? "json" : "yaml");
	return version_record(st, (enum binary)b, &sec->rec);
}

static int
y_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	 struct src_loc loc)
{
	struct ywalk *yw = ctx;
	struct vstate *st = yw->st;
	const char *path = yaml_walk_path(w), *dot, *v;
	struct ysec *sec;
	struct vfield *f = NULL;

	if (version_too_many_errors(st))
		return -1;
	if (!strcmp(path, ".kustomizeVersion")) {
		version_merge_kustomize(st, s, len, loc);
		return 0;
	}
	if ((sec = find_section(yw, path, strlen(path))) && sec->bin >= 0) {
		diag_error(st->c->diag, loc, "%s is not a mapping", path + 1);
		return 0;
	}
	if (!(dot = strrchr(path, '.')) ||
	    !(sec = find_section(yw, path, (size_t)(dot - path))) || !sec->open)
		return 0;
	if (!strcmp(dot, ".major"))
		f = &sec->rec.major;
	else if (!strcmp(dot, ".minor"))
		f = &sec->rec.minor;
	else if (!strcmp(dot, ".gitVersion"))
		f = &sec->rec.git;
	else if (!strcmp(dot, ".platform"))
		f = &sec->rec.platform;
	else
		return 0; /* gitCommit, emulationMajor, ... */
	if (len > LIMIT_SCALAR_LEN)
		len = LIMIT_SCALAR_LEN; /* only quoted back, never kept */
	if (!(v = arena_strndup(st->c->arena, s, len)))
		return version_oom(st, loc);
	f->s = v;
	f->len = len;
	f->loc = loc;
	f->set = true;
	return 0;
}

static int
y_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct ywalk *yw = ctx;
	const char *path = yaml_walk_path(w);
	struct ysec *sec = find_section(yw, path, strlen(path));

	if (!sec) {
		const char *dot = strrchr(path, '.');
		struct ysec *in;

		/* A list or map where a version field wants a string. */
		if (dot &&
		    (in = find_section(yw, path, (size_t)(dot - path))) &&
		    in->open &&
		    (!strcmp(dot, ".gitVersion") || !strcmp(dot, ".major") ||
		     !strcmp(dot, ".minor") || !strcmp(dot, ".platform"))) {
			in->bad = true;
			diag_error(yw->st->c->diag, loc, "%s is not a string",
				   path + 1);
		}
		return 0;
	}
	if (!is_map) {
		if (sec->bin >= 0)
			diag_error(yw->st->c->diag, loc, "%s is not a mapping",
				   path + 1);
		return 0;
	}
	recover_begin(yw->st->c);
	memset(&sec->rec, 0, sizeof(sec->rec));
	sec->rec.where = loc;
	sec->rec.what = sec->bin < 0 ? "version document" : sec->path + 1;
	sec->rec.names = &doc_names;
	sec->open = true;
	sec->bad = false;
	return 0;
}

static int
y_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct ywalk *yw = ctx;
	const char *path = yaml_walk_path(w);
	struct ysec *sec = find_section(yw, path, strlen(path));

	if (sec && sec->open && is_map)
		recover_end(yw->st->c, finish_section(yw, sec),
			    sec->rec.git.s, sec->rec.git.len);
	return version_too_many_errors(yw->st) ? -1 : 0;
}

int
version_parse_doc(struct vstate *st, bool json)
{
	static const struct yaml_walk_ops ops = {y_scalar, y_open, y_close};
	struct ywalk yw;
	struct yaml_walk w;
	struct yaml_mem m;
	struct doc doc;
	char *raw = NULL;
	size_t len = 0;
	int rc;

	memset(&yw, 0, sizeof(yw));
	yw.st = st;
	yw.json = json;
	yw.sec[0].path = ".clientVersion";
	yw.sec[0].bin = BIN_CLIENT;
	yw.sec[1].path = ".serverVersion";
	yw.sec[1].bin = BIN_SERVER;
	yw.sec[2].path = "";
	yw.sec[2].bin = -1;
	if (stream_read_all(st->c->in, LIMIT_SMALL_FILE, &raw, &len) < 0)
		return -1;
	rc = build_doc(st, raw, len, !json, &doc);
	free(raw);
	if (rc < 0)
		return -1;
	if (!doc.any) {
		free(doc.s);
		return 0; /* reported as "no version" by the caller */
	}
	if (json && check_json(st, &doc) < 0) {
		free(doc.s);
		return -1;
	}
	m.s = doc.s;
	m.len = doc.len;
	m.off = 0;
	rc = yaml_walk_run_at(&w, st->c->path, st->c->in->line_base,
			      st->c->diag, yaml_mem_read, &m, &ops, &yw);
	free(doc.s);
	return rc;
}
