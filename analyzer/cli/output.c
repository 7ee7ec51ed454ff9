/*
 * output.c - where reports go: -o FILE (repeatable, the format from the
 * extension or a FORMAT: prefix), -f for the one report on stdout, colour
 * on a terminal, and the files written atomically, all or none.
 */
#define _XOPEN_SOURCE 700 /* realpath(3) */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../planner/planner.h"
#include "internal.h"

static const struct {
	const char *name;
	enum out_format format;
} format_names[] = {
	{"text", OUT_TEXT}, {"txt", OUT_TEXT}, {"json", OUT_JSON},
	{"markdown", OUT_MARKDOWN}, {"md", OUT_MARKDOWN}, {"html", OUT_HTML},
	{"sarif", OUT_SARIF}, {"junit", OUT_JUNIT}, {"xml", OUT_JUNIT},
	{"codeclimate", OUT_CODECLIMATE},
};

static const struct {
	const char *ext;
	enum out_format format;
} extensions[] = {
	/* The first that matches wins: .codeclimate.json before .json. */
	{".codeclimate.json", OUT_CODECLIMATE}, {".txt", OUT_TEXT}, {".text", OUT_TEXT}, {".json", OUT_JSON},
	{".md", OUT_MARKDOWN}, {".markdown", OUT_MARKDOWN},
	{".html", OUT_HTML}, {".htm", OUT_HTML}, {".sarif", OUT_SARIF},
	{".xml", OUT_JUNIT},
};

static const char *const canonical[OUT_COUNT] = {
	"text", "json", "markdown", "html", "sarif", "junit", "codeclimate",
};

static bool
format_of_name(const char *s, size_t len, enum out_format *f)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(format_names); i++)
		if (strlen(format_names[i].name) == len &&
		    !memcmp(format_names[i].name, s, len)) {
			*f = format_names[i].format;
			return true;
		}
	return false;
}

static bool
format_of_ext(const char *path, enum out_format *f)
{
	size_t i, n = strlen(path), e;

	for (i = 0; i < ARRAY_SIZE(extensions); i++) {
		e = strlen(extensions[i].ext);
		if (n > e && !strcmp(path + n - e, extensions[i].ext) &&
		    path[n - e - 1] != '/') {
			*f = extensions[i].format;
			return true;
		}
	}
	return false;
}

void
output_opts_init(struct output_opts *o)
{
	memset(o, 0, sizeof(*o));
}

void
output_opts_release(struct output_opts *o)
{
	if (!o)
		return;
	free(o->outputs);
	free(o->specs);
	memset(o, 0, sizeof(*o));
}

int
output_parse_opt(struct output_opts *o, int argc, char **argv, int *i,
		 struct diag *d, bool *matched)
{
	static const struct {
		const char *name, *alias;
		int which;
	} table[] = {
		{"--format", "-f", 0}, {"--output", "-o", 1},
		{"--color", NULL, 2}, {"--source-root", NULL, 3},
	};
	const char *a = argv[*i], *value = NULL, **grown;
	size_t k, n;

	*matched = false;
	for (k = 0; k < ARRAY_SIZE(table); k++) {
		n = strlen(table[k].name);
		if (!strncmp(a, table[k].name, n) && a[n] == '=') {
			value = a + n + 1;
			break;
		}
		if (!strcmp(a, table[k].name) ||
		    (table[k].alias && !strcmp(a, table[k].alias))) {
			if (++*i == argc)
				return usage_error(d, "option '%s' needs a value",
						   a);
			value = argv[*i];
			break;
		}
	}
	if (k == ARRAY_SIZE(table))
		return EXIT_OK;
	*matched = true;
	switch (table[k].which) {
	case 0:
		o->format = value;
		break;
	case 1:
		grown = base_realloc(o->outputs,
				     (o->noutputs + 1) * sizeof(*o->outputs));
		if (!grown) {
			diag_plain(d, DIAG_ERROR, "out of memory");
			return EXIT_INTERNAL;
		}
		o->outputs = grown;
		o->outputs[o->noutputs++] = value;
		break;
	case 2:
		o->color = value;
		break;
	default:
		o->source_root = value;
		break;
	}
	return EXIT_OK;
}

static int
check_allowed(enum out_format f, unsigned allowed, struct diag *d)
{
	if (allowed & OUT_FORMAT_BIT(f))
		return EXIT_OK;
	return usage_error(d, "format '%s' is not available for this command",
			   canonical[f]);
}

/*
 * The identity of the file an output path names: its device and inode when
 * it exists, else those of its directory and its last component. Returns
 * false when neither can be read (the write reports that later).
 */
struct file_id {
	dev_t dev;
	ino_t ino;
	const char *name;	/* borrowed: the path; "" for an existing file */
	size_t len;
};

static bool
file_id_of(const char *path, struct file_id *id)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	struct stat st;
	size_t n;

	if (stat(path, &st) == 0) {
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		id->name = "";
		id->len = 0;
		return true;
	}
	if (errno != ENOENT)
		return false;
	if (!slash) {
		dir[0] = '.';
		n = 1;
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= sizeof(dir))
			return false;
		memcpy(dir, path, n);
	}
	dir[n] = '\0';
	if (stat(dir, &st) != 0)
		return false;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	id->name = slash ? slash + 1 : path;
	id->len = strlen(id->name);
	return true;
}

static bool
same_file(const char *x, const char *y)
{
	struct file_id a, b;

	return file_id_of(x, &a) && file_id_of(y, &b) && a.dev == b.dev &&
	       a.ino == b.ino && a.len == b.len && !memcmp(a.name, b.name, a.len);
}

int
output_finish(struct output_opts *o, unsigned allowed, struct diag *d)
{
	enum out_format def = OUT_TEXT, f;
	const char *v, *colon, *path, *no_color, *term;
	size_t i, j;
	int rc;

	if (o->format && !format_of_name(o->format, strlen(o->format), &def))
		return usage_error(d, "unknown format '%s' (want text, json, "
				   "markdown, html, sarif, junit or codeclimate)",
				   o->format);
	if ((rc = check_allowed(def, allowed, d)) != EXIT_OK)
		return rc;
	if (o->color && strcmp(o->color, "auto") &&
	    strcmp(o->color, "always") && strcmp(o->color, "never"))
		return usage_error(d, "unknown --color '%s' (want auto, always "
				   "or never)", o->color);
	if (o->source_root && access(o->source_root, X_OK) != 0)
		return usage_error(d, "--source-root '%s': %s", o->source_root,
				   strerror(errno));
	/* -f names the report on stdout, with -o or without. */
	o->nspecs = o->noutputs + (!o->noutputs || o->format);
	o->specs = base_malloc(o->nspecs * sizeof(*o->specs));
	if (!o->specs) {
		diag_plain(d, DIAG_ERROR, "out of memory");
		return EXIT_INTERNAL;
	}
	for (i = 0; i < o->noutputs; i++) {
		v = o->outputs[i];
		colon = strchr(v, ':');
		if (colon && format_of_name(v, (size_t)(colon - v), &f)) {
			path = colon + 1;
		} else {
			path = v;
			if (!format_of_ext(path, &f))
				return usage_error(d, "cannot tell the "
					"format of output '%s' (name it "
					".txt, .md, .html, .json, .sarif, "
					".xml or .codeclimate.json, or "
					"write FORMAT:FILE)", v);
		}
		if (!*path)
			return usage_error(d, "output '%s' names no file", v);
		if ((rc = check_allowed(f, allowed, d)) != EXIT_OK)
			return rc;
		o->specs[i].format = f;
		o->specs[i].path = strcmp(path, "-") ? path : NULL;
	}
	if (o->nspecs > o->noutputs) {
		o->specs[o->noutputs].format = def;
		o->specs[o->noutputs].path = NULL;
	}
	for (i = 0; i < o->nspecs; i++)
		for (j = 0; j < i; j++) {
			if (!o->specs[j].path && !o->specs[i].path)
				return usage_error(d, "standard output is "
						   "named twice%s", o->format &&
						   i == o->noutputs
						   ? " (by -f and -o)" : "");
			if (o->specs[j].path && o->specs[i].path &&
			    !strcmp(o->specs[j].path, o->specs[i].path))
				return usage_error(d, "output '%s' is named "
						   "twice", o->specs[i].path);
			if (o->specs[j].path && o->specs[i].path &&
			    same_file(o->specs[j].path, o->specs[i].path))
				return usage_error(d, "outputs '%s' and '%s' "
						   "name the same file",
						   o->specs[j].path,
						   o->specs[i].path);
		}
	if (o->color && !strcmp(o->color, "always")) {
		o->color_on = true;
	} else if (o->color && !strcmp(o->color, "never")) {
		o->color_on = false;
	} else {
		no_color = getenv("NO_COLOR");
		term = getenv("TERM");
		o->color_on = isatty(STDOUT_FILENO) &&
			      !(no_color && *no_color) &&
			      !(term && !strcmp(term, "dumb"));
	}
	return EXIT_OK;
}

/* ------------------------------------------------------------ artifacts */

typedef VEC(struct report_artifact) artifact_vec;

/* Appends s percent-encoded as a URI path (RFC 3986 unreserved and '/'). */
static void
add_uri_path(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; *s; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c)) {
			buf_addc(b, (char)c);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

/*
 * The SARIF uri of path: relative to root (a resolved directory) when the
 * file lies inside it, else a file:// URI of its resolved path. A path
 * that cannot be resolved (gone, or "-") is used as written.
 */
static const char *
uri_of(struct arena *a, const char *root, const char *path)
{
	struct buf b = BUF_INIT;
	char *real = realpath(path, NULL);
	size_t n = root ? strlen(root) : 0;
	const char *rel = NULL, *s;

	if (real && root && !strncmp(real, root, n) &&
	    (real[n] == '/' || (n == 1 && root[0] == '/')))
		rel = real + (n == 1 ? 1 : n + 1);
	if (rel) {
		add_uri_path(&b, rel);
	} else if (real) {
		buf_adds(&b, "file://");
		add_uri_path(&b, real);
	} else {
		for (s = path; s[0] == '.' && s[1] == '/'; s += 2)
			;
		add_uri_path(&b, s);
	}
	free(real);
	s = b.oom ? NULL : arena_strndup(a, buf_cstr(&b), b.len);
	buf_release(&b);
	return s;
}

static int
file_sha256(const char *path, char hex[static 65])
{
	unsigned char chunk[65536];
	struct sha256 h;
	size_t n;
	FILE *fp;

	hex[0] = '\0';
	if (!strcmp(path, "-") || !(fp = fopen(path, "rb")))
		return -1;
	sha256_init(&h);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		sha256_update(&h, chunk, n);
	if (ferror(fp)) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	sha256_final(&h, hex);
	return 0;
}

static int
add_artifact(artifact_vec *v, struct arena *a, const char *root,
	     const char *path, bool snapshot, bool hash, struct diag *d)
{
	struct report_artifact *it;

	if (!path)
		return 0;
	vec_foreach(v, it)
		if (!strcmp(it->path, path)) {
			it->snapshot |= snapshot;
			return 0;
		}
	if (!(it = vec_push(v)) || !(it->uri = uri_of(a, root, path)))
		return diag_plain(d, DIAG_ERROR, "out of memory");
	it->path = path;
	it->snapshot = snapshot;
	if (snapshot && hash && file_sha256(path, it->sha256) < 0 &&
	    strcmp(path, "-"))
		return diag_plain(d, DIAG_ERROR, "cannot read '%s' to hash it: "
				  "%s", path, strerror(errno));
	return 0;
}

static int
collect_artifacts(const struct output_opts *o, struct report_input *in,
		  artifact_vec *v, struct diag *d)
{
	struct arena *a = in->cs->arena;
	char *root = realpath(o->source_root ? o->source_root : ".", NULL);
	bool hash = false;
	size_t i, j;
	int rc = 0;

	if (!root)
		return diag_plain(d, DIAG_ERROR, "cannot resolve --source-root "
				  "'%s': %s", o->source_root ? o->source_root
							     : ".",
				  strerror(errno));
	for (i = 0; i < o->nspecs; i++)
		hash |= o->specs[i].format == OUT_HTML ||
			o->specs[i].format == OUT_SARIF;
	for (i = 0; rc == 0 && i < in->cs->inputs.n; i++)
		rc = add_artifact(v, a, root, in->cs->inputs.v[i].path, true,
				  hash, d);
	for (i = 0; rc == 0 && i < in->findings->n; i++) {
		const struct finding *f = &in->findings->v[i];

		for (j = 0; rc == 0 && j < f->nevidence; j++)
			rc = add_artifact(v, a, root, f->evidence[j].path, false,
					  false, d);
	}
	free(root);
	return rc;
}

/* The longest directory shared by every snapshot input, or NULL. */
static const char *
common_dir(struct arena *a, const struct cluster_state *cs)
{
	const char *first, *p;
	size_t n = 0, i, k;

	if (cs->inputs.n == 0)
		return NULL;
	first = cs->inputs.v[0].path;
	if ((p = strrchr(first, '/')))
		n = (size_t)(p - first);
	for (i = 1; i < cs->inputs.n; i++) {
		p = cs->inputs.v[i].path;
		for (k = 0; k < n && p[k] == first[k]; k++)
			;
		if (k < n || (p[n] != '/' && p[n] != '\0')) {
			while (k > 0 && first[k] != '/')
				k--;
			n = k;
		}
	}
	return n ? arena_strndup(a, first, n) : ".";
}

/* ------------------------------------------------------------ writing */

static int
render(const struct output_opts *o, const struct output_spec *s,
       const struct report_input *in, output_own_fn own, struct buf *out)
{
	struct buf plain = BUF_INIT;
	int rc;

	switch (s->format) {
	case OUT_TEXT:
		if (!s->path && o->color_on) {
			rc = own(&plain, OUT_TEXT, in);
			if (rc == 0)
				report_colorize(out, buf_cstr(&plain), plain.len);
			if (plain.oom)
				rc = -1;
			buf_release(&plain);
			return rc < 0 || out->oom ? -1 : 0;
		}
		return own(out, OUT_TEXT, in);
	case OUT_JSON:
		return own(out, OUT_JSON, in);
	case OUT_MARKDOWN:
		return report_markdown(out, in);
	case OUT_HTML:
		return report_html(out, in);
	case OUT_SARIF:
		return report_sarif(out, in);
	case OUT_CODECLIMATE:
		return report_codeclimate(out, in);
	default:
		return report_junit(out, in);
	}
}

/*
 * Fails early on what would only fail at rename time, once other files may
 * already be in place: a target that is a directory.
 */
static int
check_target(const char *path, struct diag *d)
{
	struct src_loc loc = {path, 0, 0};
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return diag_error(d, loc, "cannot write: %s", strerror(EISDIR));
	return 0;
}

/*
 * Writes what b still holds to af and makes sure it reached the disk,
 * without renaming.
 */
static int
write_temp(struct atomic_file *af, struct buf *b, struct diag *d)
{
	struct src_loc loc = {af->path, 0, 0};

	errno = 0;
	if (buf_flush(b) < 0 || fflush(af->fp) != 0 ||
	    fsync(fileno(af->fp)) != 0)
		return diag_error(d, loc, "cannot write: %s",
				  strerror(errno ? errno : EIO));
	return 0;
}

/* After a failed render into b: a failed write, or out of memory. */
static int
render_failed(const struct buf *b, const char *path, struct diag *d)
{
	struct src_loc loc = {path, 0, 0};
	int err = errno;

	if (!b->sink_failed)
		return diag_plain(d, DIAG_ERROR, "out of memory");
	if (!path)
		return diag_plain(d, DIAG_ERROR, "cannot write to standard "
				  "output");
	return diag_error(d, loc, "cannot write: %s",
			  strerror(err ? err : EIO));
}

/*
 * Each report streams into its temporary file (the writers flush as they
 * go, so a report of 100,000 findings is never whole in memory); when all
 * are complete and synced they are renamed, and only then is the report
 * for standard output written. A write error or lack of memory on the way
 * changes no file. Only a rename that fails after an earlier one succeeded
 * (rare: the temporary file is in the same directory) leaves the earlier
 * ones.
 */
int
cli_write_outputs(const struct output_opts *o, struct report_input *in,
		  output_own_fn own, struct diag *d)
{
	artifact_vec arts = {NULL, 0, 0};
	struct atomic_file *af = NULL;
	struct buf out = BUF_INIT;
	size_t i, opened = 0, stdout_spec = SIZE_MAX;
	int rc = EXIT_INTERNAL;

	if (collect_artifacts(o, in, &arts, d) < 0)
		goto out;
	in->artifacts = arts.v;
	in->nartifacts = arts.n;
	if (!in->cluster && !(in->cluster = common_dir(in->cs->arena, in->cs))) {
		if (in->cs->inputs.n) {
			diag_plain(d, DIAG_ERROR, "out of memory");
			goto out;
		}
	}
	af = base_malloc(o->nspecs * sizeof(*af));
	if (!af) {
		diag_plain(d, DIAG_ERROR, "out of memory");
		goto out;
	}
	memset(af, 0, o->nspecs * sizeof(*af));
	for (i = 0; i < o->nspecs; i++)
		if (o->specs[i].path && check_target(o->specs[i].path, d) < 0)
			goto out;
	for (i = 0; i < o->nspecs; i++) {
		if (!o->specs[i].path) {
			stdout_spec = i;
			continue;
		}
		if (atomic_file_open(&af[i], o->specs[i].path, d) < 0)
			goto out;
		opened = i + 1;
		buf_init(&out);
		out.sink = af[i].fp;
		errno = 0;
		if (render(o, &o->specs[i], in, own, &out) < 0 || out.oom) {
			render_failed(&out, o->specs[i].path, d);
			goto out;
		}
		if (write_temp(&af[i], &out, d) < 0)
			goto out;
		buf_release(&out);
	}
	for (i = 0; i < o->nspecs; i++)
		if (o->specs[i].path && atomic_file_commit(&af[i], d) < 0)
			goto out;
	rc = EXIT_OK;
	if (stdout_spec != SIZE_MAX) {
		buf_init(&out);
		out.sink = stdout;
		errno = 0;
		if (render(o, &o->specs[stdout_spec], in, own, &out) < 0 ||
		    out.oom) {
			render_failed(&out, NULL, d);
			rc = EXIT_INTERNAL;
		} else {
			rc = emit_stdout(d, &out);
		}
	}
out:
	for (i = 0; af && i < opened; i++)
		if (af[i].tmp)
			atomic_file_abort(&af[i]);
	buf_release(&out);
	free(af);
	vec_release(&arts);
	in->artifacts = NULL;
	in->nartifacts = 0;
	return rc;
}
