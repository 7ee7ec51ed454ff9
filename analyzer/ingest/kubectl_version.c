/*
 * kubectl_version.c - `kubectl version` and `kubeadm version` captures.
 *
 * kubectl has printed its version in several shapes over the years:
 *
 *   Client Version: version.Info{Major:"1", Minor:"26", GitVersion:...}
 *   Client Version: v1.34.3            (--short, and the default since 1.28)
 *   kubeadm version: &version.Info{...}
 *   v1.26.3                            (kubeadm version -o short, yq/jq)
 *   clientVersion: / serverVersion:    (-o yaml, -o json)
 *
 * with WARNING lines from stderr before or after the document, a
 * "Kustomize Version:" line and, when the cluster was unreachable, a
 * "The connection to the server ... was refused" line instead of a
 * server version. The gitVersion is authoritative; the Major and Minor
 * fields must agree with it.
 *
 * YAML and JSON are parsed from a copy of the file in which every noise
 * line (prompts, fences, warnings) is blanked to spaces, so that line and
 * column numbers stay those of the file. JSON is checked with cJSON first,
 * which reports where a truncated document ends; the values and their
 * locations then come from the same yaml_walk as YAML.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

#define MAX_ERRORS 20
#define QUOTE_MAX 64 /* longest subject quoted in a message */

enum binary { BIN_CLIENT, BIN_SERVER, BIN_KUBEADM };

static const char *const binary_names[] = {"kubectl", "server", "kubeadm"};

/* One field of a version record and where its value starts. */
struct vfield {
	const char *s; /* borrowed: arena or the current line */
	size_t len;
	struct src_loc loc;
	bool set;
};

/* The fields of one clientVersion/serverVersion/version.Info. */
struct vrec {
	struct vfield major, minor, git, platform;
	struct src_loc where;	   /* the record itself */
	const char *what;	   /* static: "version.Info" and the like */
	const struct names *names; /* static: how the format names fields */
};

/* Field names as each format spells them, for messages. */
struct names {
	const char *git, *major, *minor;
};

static const struct names go_names = {"GitVersion", "Major", "Minor"};
static const struct names doc_names = {"gitVersion", "major", "minor"};
static const struct names line_names = {"version", "major", "minor"};

/* Per-file state. */
struct vstate {
	struct ingest_ctx *c;
	unsigned errors_before; /* c->diag->errors when the file started */
	struct buf cmd;		/* the latest prompt's command */
	bool kubeadm;		/* the capture is of the kubeadm binary */
	bool short_flag;	/* --short was used or warned about */
	bool unreachable;	/* the server could not be reached */
	unsigned found;		/* versions recorded from this file */
	const char *format;	/* static */
};

/* ------------------------------------------------------------ helpers */

/*
 * A subject quoted in a message: at most QUOTE_MAX bytes, "..." after a
 * cut, control bytes escaped. Arena; "?" when out of memory.
 */
static const char *
show(const struct vstate *st, const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	const char *out;

	esc_display(&b, s, len > QUOTE_MAX ? QUOTE_MAX : len);
	if (len > QUOTE_MAX)
		buf_adds(&b, "...");
	out = b.oom ? NULL : arena_strdup(st->c->arena, buf_cstr(&b));
	buf_release(&b);
	return out ? out : "?";
}

static bool
too_many_errors(const struct vstate *st)
{
	return st->c->diag->errors - st->errors_before >= MAX_ERRORS;
}

static bool
has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

static size_t
skip_space(const char *s, size_t len, size_t i)
{
	while (i < len && is_space(s[i]))
		i++;
	return i;
}

static struct src_loc
file_loc(const struct vstate *st)
{
	struct src_loc loc = {st->c->path, 0, 0};

	return loc;
}

static int
oom(struct vstate *st, struct src_loc loc)
{
	return diag_error(st->c->diag, loc, "out of memory");
}

/*
 * True if cmd runs kubeadm: the first word that is not sudo or an
 * environment assignment is kubeadm (with or without a directory).
 */
static bool
command_is_kubeadm(const char *s, size_t len)
{
	size_t i = 0, start, base;

	for (;;) {
		i = skip_space(s, len, i);
		start = i;
		while (i < len && !is_space(s[i]))
			i++;
		if (i == start)
			return false;
		if ((i - start == 4 && !memcmp(s + start, "sudo", 4)) ||
		    memchr(s + start, '=', i - start))
			continue;
		break;
	}
	for (base = i; base > start && s[base - 1] != '/'; base--)
		;
	return (i - base == 7 && !memcmp(s + base, "kubeadm", 7)) ||
	       (i - base == 11 && !memcmp(s + base, "kubeadm.exe", 11));
}

static int
set_command(struct vstate *st, const char *s, size_t len, struct src_loc loc)
{
	buf_reset(&st->cmd);
	buf_add(&st->cmd, s, len);
	if (st->cmd.oom)
		return oom(st, loc);
	if (buf_contains(s, len, "--short"))
		st->short_flag = true;
	return 0;
}

/* The latest command; "" if none. Borrowed: until set_command(). */
static const char *
command(const struct vstate *st, size_t *len)
{
	*len = st->cmd.s ? st->cmd.len : 0;
	return st->cmd.s ? st->cmd.s : "";
}

static bool
current_is_kubeadm(const struct vstate *st)
{
	size_t len;
	const char *s = command(st, &len);

	return st->kubeadm || command_is_kubeadm(s, len);
}

/*
 * Which binary printed a bare version line, from the command that was
 * run: "kubeadm version -o short", "... | yq .serverVersion.gitVersion",
 * "kubectl get --raw /version | jq -r .gitVersion". Returns -1 if the
 * command does not say.
 */
static int
bare_target(const struct vstate *st)
{
	size_t len;
	const char *s = command(st, &len);

	if (st->kubeadm)
		return BIN_KUBEADM;
	if (buf_contains(s, len, "serverVersion"))
		return BIN_SERVER;
	if (buf_contains(s, len, "clientVersion"))
		return command_is_kubeadm(s, len) ? BIN_KUBEADM : BIN_CLIENT;
	if (command_is_kubeadm(s, len))
		return BIN_KUBEADM;
	if (buf_contains(s, len, "--raw") && buf_contains(s, len, "/version"))
		return BIN_SERVER;
	return -1;
}

/* Lines kubectl prints instead of a server version. */
static bool
is_unreachable_line(const char *s, size_t len)
{
	return has_prefix(s, len, "The connection to the server ") ||
	       has_prefix(s, len, "Unable to connect to the server") ||
	       has_prefix(s, len,
			  "error: You must be logged in to the server") ||
	       has_prefix(s, len, "Error from server");
}

static enum capture_warning_kind
warning_kind(const char *s, size_t len)
{
	if (buf_contains(s, len, "version difference between client"))
		return CW_SKEW;
	if (buf_contains(s, len, "version information is deprecated") ||
	    buf_contains(s, len, "Flag --short has been deprecated"))
		return CW_DEPRECATION;
	return CW_OTHER;
}

static int
add_warning(struct vstate *st, enum capture_warning_kind kind, const char *s,
	    size_t len, struct src_loc loc)
{
	struct capture_warning *w;
	const char *text;

	if (buf_contains(s, len, "Flag --short has been deprecated"))
		st->short_flag = true;
	if (!(text = arena_strndup(st->c->arena, s, len)) ||
	    !(w = vec_push(&st->c->cs->warnings)))
		return oom(st, loc);
	w->kind = kind;
	w->text = text;
	w->loc = loc;
	return 0;
}

/*
 * A noise or fact line that is not part of any version record. Prompts
 * set the command; warnings, klog W/E lines and the lines kubectl prints
 * when it cannot reach the server are kept as capture warnings. Other
 * noise (klog info lines, "[preflight] ..." progress) carries no fact.
 */
static int
side_line(struct vstate *st, enum noise noise, const char *s, size_t len,
	  const char *cmd, size_t cmd_len, struct src_loc loc)
{
	if (noise == NOISE_PROMPT && cmd)
		return set_command(st, cmd, cmd_len, loc);
	if (noise != NOISE_WARNING && noise != NOISE_NONE)
		return 0;
	if (is_unreachable_line(s, len))
		st->unreachable = true;
	else if (!has_prefix(s, len, "WARNING:") &&
		 !has_prefix(s, len, "Warning:") &&
		 !has_prefix(s, len, "warning:") &&
		 !has_prefix(s, len, "Flag --") &&
		 !has_prefix(s, len, "error: ") &&
		 !(len > 5 && (s[0] == 'W' || s[0] == 'E') && s[1] >= '0' &&
		   s[1] <= '9'))
		return 0;
	return add_warning(st, warning_kind(s, len), s, len, loc);
}

/* ------------------------------------------------------------ records */

static struct version_info *
slot(struct cluster_state *cs, enum binary b)
{
	switch (b) {
	case BIN_CLIENT:
		return &cs->client;
	case BIN_SERVER:
		return &cs->server;
	case BIN_KUBEADM:
		break;
	}
	return &cs->kubeadm;
}

static bool
same_str(const char *x, const char *y)
{
	if (!x || !y)
		return x == y;
	return strcmp(x, y) == 0;
}

static bool
same_version(const struct kver *x, const struct kver *y)
{
	return kver_cmp(x, y) == 0 && x->has_patch == y->has_patch &&
	       same_str(x->pre, y->pre) && same_str(x->build, y->build);
}

/*
 * Adds vi as binary b's version. A second sighting (from this or another
 * file) must agree with the first.
 */
static int
merge_version(struct vstate *st, enum binary b, const struct version_info *vi)
{
	struct version_info *dst = slot(st->c->cs, b);

	st->found++;
	if (!dst->present) {
		*dst = *vi;
		dst->present = true;
		return 0;
	}
	if (!same_version(&dst->ver, &vi->ver)) {
		diag_error(st->c->diag, vi->loc,
			   "%s version '%s' differs from '%s' read before",
			   binary_names[b], vi->ver.text, dst->ver.text);
		diag_note(st->c->diag, dst->loc,
			  "%s version '%s' was read here", binary_names[b],
			  dst->ver.text);
		return -1;
	}
	if (!dst->platform)
		dst->platform = vi->platform;
	if (!dst->minor_raw)
		dst->minor_raw = vi->minor_raw;
	return 0;
}

static int
merge_kustomize(struct vstate *st, const char *s, size_t len,
		struct src_loc loc)
{
	struct cluster_state *cs = st->c->cs;
	const char *v;

	if (len == 0)
		return diag_error(st->c->diag, loc, "empty kustomize version");
	if (cs->kustomize) {
		if (strlen(cs->kustomize) == len &&
		    !memcmp(cs->kustomize, s, len))
			return 0;
		diag_error(st->c->diag, loc,
			   "kustomize version '%s' differs from '%s' read "
			   "before",
			   show(st, s, len), cs->kustomize);
		diag_note(st->c->diag, cs->kustomize_loc,
			  "kustomize version '%s' was read here",
			  cs->kustomize);
		return -1;
	}
	if (!(v = arena_strndup(st->c->arena, s, len)))
		return oom(st, loc);
	cs->kustomize = v;
	cs->kustomize_loc = loc;
	return 0;
}

/* Parses a Major field: one to three decimal digits. */
static bool
parse_major(const char *s, size_t len, unsigned *out)
{
	size_t i;
	unsigned v = 0;

	if (len == 0 || len > 3)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * Checks a record and adds it as binary b's version. Empty Major and Minor
 * fields (builds from a source tree without tags) are accepted unchecked.
 */
static int
record_version(struct vstate *st, enum binary b, const struct vrec *r)
{
	struct diag *d = st->c->diag;
	struct arena *a = st->c->arena;
	struct version_info vi;
	const char *gname = r->names->git;
	const char *err = NULL;
	unsigned n;

	memset(&vi, 0, sizeof(vi));
	if (!r->git.set)
		return diag_error(d, r->where, "%s has no %s field", r->what,
				  gname);
	if (kver_parse(a, r->git.s, r->git.len, &vi.ver, &err) < 0)
		return diag_error(d, r->git.loc, "invalid %s '%s': %s", gname,
				  show(st, r->git.s, r->git.len), err);
	if (!vi.ver.has_patch)
		return diag_error(d, r->git.loc, "%s '%s' has no patch number",
				  gname, show(st, r->git.s, r->git.len));
	if (r->major.set && r->major.len) {
		const char *name = r->names->major;

		if (!parse_major(r->major.s, r->major.len, &n))
			return diag_error(d, r->major.loc, "invalid %s '%s'",
					  name,
					  show(st, r->major.s, r->major.len));
		if (n != vi.ver.major)
			return diag_error(
			    d, r->major.loc, "%s '%s' disagrees with %s '%s'",
			    name, show(st, r->major.s, r->major.len), gname,
			    vi.ver.text);
	}
	if (r->minor.set && r->minor.len) {
		const char *name = r->names->minor;

		if (!kver_parse_minor_field(r->minor.s, r->minor.len, &n))
			return diag_error(d, r->minor.loc, "invalid %s '%s'",
					  name,
					  show(st, r->minor.s, r->minor.len));
		if (n != vi.ver.minor)
			return diag_error(
			    d, r->minor.loc, "%s '%s' disagrees with %s '%s'",
			    name, show(st, r->minor.s, r->minor.len), gname,
			    vi.ver.text);
		if (!(vi.minor_raw =
			  arena_strndup(a, r->minor.s, r->minor.len)))
			return oom(st, r->minor.loc);
	}
	if (r->platform.set && r->platform.len &&
	    !(vi.platform = arena_strndup(a, r->platform.s, r->platform.len)))
		return oom(st, r->platform.loc);
	vi.loc = r->git.loc;
	return merge_version(st, b, &vi);
}

/* --------------------------------------------------------------- text */

/*
 * Parses the Go %#v of version.Info starting at l->s[off] ('{'):
 * {Major:"1", Minor:"26", GitVersion:"v1.26.1", ...}. Unknown fields
 * (GitCommit, BuildDate, the 1.33 Emulation* and MinCompatibility*) are
 * skipped.
 */
static int
parse_info(struct vstate *st, const struct text_reader *r,
	   const struct text_line *l, size_t off, struct vrec *rec)
{
	struct diag *d = st->c->diag;
	const char *s = l->s;
	size_t len = l->len, i = off + 1, k, v;

	for (;;) {
		struct vfield *f = NULL;

		i = skip_space(s, len, i);
		if (i == len)
			return diag_error(d, text_loc(r, l, i),
					  "unterminated version.Info "
					  "(missing '}')");
		if (s[i] == '}')
			break;
		for (k = i; i < len && ((s[i] >= 'A' && s[i] <= 'Z') ||
					(s[i] >= 'a' && s[i] <= 'z') ||
					(s[i] >= '0' && s[i] <= '9'));
		     i++)
			;
		if (i == k || i == len || s[i] != ':')
			return diag_error(d, text_loc(r, l, i == k ? k : i),
					  "expected a Field:\"value\" pair in "
					  "version.Info");
		if (i - k == 5 && !memcmp(s + k, "Major", 5))
			f = &rec->major;
		else if (i - k == 5 && !memcmp(s + k, "Minor", 5))
			f = &rec->minor;
		else if (i - k == 10 && !memcmp(s + k, "GitVersion", 10))
			f = &rec->git;
		else if (i - k == 8 && !memcmp(s + k, "Platform", 8))
			f = &rec->platform;
		i++;
		if (i == len || s[i] != '"')
			return diag_error(d, text_loc(r, l, i),
					  "expected a quoted value for '%s' "
					  "in version.Info",
					  show(st, s + k, i - 1 - k));
		v = i++;
		while (i < len && s[i] != '"')
			i += s[i] == '\\' && i + 1 < len ? 2 : 1;
		if (i >= len)
			return diag_error(
			    d, text_loc(r, l, v),
			    "unterminated string in version.Info");
		if (f) {
			f->s = s + v + 1;
			f->len = i - v - 1;
			f->loc = text_loc(r, l, v);
			f->set = true;
		}
		i = skip_space(s, len, i + 1);
		if (i < len && s[i] == ',')
			i++;
		else if (i < len && s[i] != '}')
			return diag_error(
			    d, text_loc(r, l, i),
			    "expected ',' or '}' in version.Info");
	}
	i = skip_space(s, len, i + 1);
	if (i < len)
		return diag_error(d, text_loc(r, l, i),
				  "unexpected text '%s' after version.Info",
				  show(st, s + i, len - i));
	return 0;
}

static const struct label {
	const char *text;
	int bin; /* enum binary, or -1 for Kustomize */
} labels[] = {
    {"Client Version:", BIN_CLIENT},
    {"Server Version:", BIN_SERVER},
    {"kubeadm version:", BIN_KUBEADM},
    {"Kustomize Version:", -1},
    /* `oc version`: the cluster's Kubernetes version. */
    {"Kubernetes Version:", BIN_SERVER},
};

/*
 * `oc version` prints OpenShift's own versions on its Client and Server
 * lines ("4.14.3", no 'v') and the cluster's on "Kubernetes Version:".
 * Kubernetes has had major 1 throughout; such a line is not a Kubernetes
 * version and is left out rather than misread.
 */
static bool
is_distribution_version(const char *s, size_t len)
{
	unsigned major, minor, patch;
	bool has_patch;
	size_t n;

	for (n = 0; n < len && s[n] != ' ' && s[n] != '\t'; n++)
		;
	return n > 0 && s[0] != 'v' &&
	       kver_parse_numbers(s, n, &major, &minor, &patch, &has_patch) &&
	       major >= 3;
}

static void
set_format(struct vstate *st, const char *fmt)
{
	if (!st->format)
		st->format = fmt;
}

/* "Client Version: ..." and friends; value starts at l->s[v]. */
static int
labelled_line(struct vstate *st, const struct text_reader *r,
	      const struct text_line *l, const struct label *lb, size_t v)
{
	struct diag *d = st->c->diag;
	const char *s = l->s;
	size_t len = l->len, e;
	enum binary b;
	struct vrec rec;

	if (v == len)
		return diag_error(d, text_loc(r, l, v),
				  "missing version after '%s'", lb->text);
	if (lb->bin < 0) {
		for (e = v; e < len && !is_space(s[e]); e++)
			;
		if (skip_space(s, len, e) < len)
			return diag_error(d,
					  text_loc(r, l, skip_space(s, len, e)),
					  "unexpected text after kustomize "
					  "version");
		return merge_kustomize(st, s + v, e - v, text_loc(r, l, v));
	}
	b = (enum binary)lb->bin;
	if (b == BIN_CLIENT && st->kubeadm)
		b = BIN_KUBEADM;
	memset(&rec, 0, sizeof(rec));
	rec.where = text_loc(r, l, v);
	if (has_prefix(s + v, len - v, "&version.Info{") ||
	    has_prefix(s + v, len - v, "version.Info{")) {
		rec.what = "version.Info";
		rec.names = &go_names;
		set_format(st, lb->bin == BIN_KUBEADM ? "kubeadm-version-info"
						      : "legacy-version-info");
		if (parse_info(st, r, l, v + (s[v] == '&') + 12, &rec) < 0)
			return -1;
		return record_version(st, b, &rec);
	}
	if (is_distribution_version(s + v, len - v))
		return 0;
	for (e = v; e < len && !is_space(s[e]); e++)
		;
	if (skip_space(s, len, e) < len)
		return diag_error(d, text_loc(r, l, skip_space(s, len, e)),
				  "unexpected text '%s' after the version "
				  "in '%.*s'",
				  show(st, s + skip_space(s, len, e),
				       len - skip_space(s, len, e)),
				  (int)strlen(lb->text) - 1, lb->text);
	set_format(st, lb->bin == BIN_KUBEADM ? "kubeadm-short" : "text");
	rec.what = lb->text;
	rec.names = &line_names;
	rec.git.s = s + v;
	rec.git.len = e - v;
	rec.git.loc = text_loc(r, l, v);
	rec.git.set = true;
	return record_version(st, b, &rec);
}

/* A line holding only a version: "v1.26.3". */
static int
bare_line(struct vstate *st, const struct text_reader *r,
	  const struct text_line *l, size_t v)
{
	struct diag *d = st->c->diag;
	struct vrec rec;
	int b = bare_target(st);

	if (b < 0) {
		diag_error(d, text_loc(r, l, v),
			   "bare version '%s' does not say which binary "
			   "printed it",
			   show(st, l->s + v, l->len - v));
		diag_note(d, text_loc(r, l, v),
			  "capture it with 'kubectl version -o yaml' or "
			  "'kubeadm version -o yaml', or keep the command "
			  "line ('$ kubeadm version -o short') above it");
		return -1;
	}
	set_format(st, b == BIN_KUBEADM ? "kubeadm-short" : "bare-version");
	memset(&rec, 0, sizeof(rec));
	rec.what = "version";
	rec.names = &line_names;
	rec.git.s = l->s + v;
	rec.git.len = l->len - v;
	rec.git.loc = text_loc(r, l, v);
	rec.git.set = true;
	rec.where = rec.git.loc;
	return record_version(st, (enum binary)b, &rec);
}

static bool
looks_like_version(const char *s, size_t len)
{
	unsigned ma, mi, pa;
	bool hp;
	size_t i;

	for (i = 0; i < len; i++)
		if (is_space(s[i]))
			return false;
	return len > 0 && (s[0] == 'v' || (s[0] >= '0' && s[0] <= '9')) &&
	       kver_parse_numbers(s, len, &ma, &mi, &pa, &hp);
}

static int
text_content(struct vstate *st, const struct text_reader *r,
	     const struct text_line *l)
{
	size_t i = skip_space(l->s, l->len, 0), k;
	const char *s = l->s + i;
	size_t len = l->len - i;

	for (k = 0; k < ARRAY_SIZE(labels); k++)
		if (has_prefix(s, len, labels[k].text)) {
			size_t v = i + strlen(labels[k].text);

			return labelled_line(st, r, l, &labels[k],
					     skip_space(l->s, l->len, v));
		}
	if (is_unreachable_line(s, len))
		return side_line(st, NOISE_NONE, s, len, NULL, 0,
				 text_loc(r, l, i));
	if (looks_like_version(s, len) ||
	    (len > 1 && s[0] == 'v' && s[1] >= '0' && s[1] <= '9' &&
	     !memchr(s, ' ', len)))
		return bare_line(st, r, l, i);
	return diag_error(st->c->diag, text_loc(r, l, i),
			  "unexpected line '%s' in a version capture",
			  show(st, s, len));
}

static int
parse_text(struct vstate *st)
{
	struct text_reader r;
	struct text_line l;
	int rc = 0;

	if (text_reader_open_stream(&r, st->c->in, false, st->c->diag) < 0)
		return -1;
	r.warn_utf8 = true;
	while (!too_many_errors(st) && (rc = text_reader_next(&r, &l)) == 1) {
		if (l.noise == NOISE_NONE) {
			recover_begin(st->c);
			recover_end(st->c, text_content(st, &r, &l), l.s,
				    l.len);
		} else
			side_line(st, l.noise, l.s, l.len, l.command,
				  l.command_len, text_loc(&r, &l, 0));
	}
	text_reader_close(&r);
	if (st->format && !strcmp(st->format, "text")) {
		const struct version_info *cl = &st->c->cs->client;

		/*
		 * kubectl printed these lines only with --short before 1.28;
		 * since 1.28 they are its default output.
		 */
		st->format =
		    st->short_flag || (cl->present && cl->ver.minor < 28)
			? "short"
			: "default";
	}
	return rc < 0 ? -1 : 0;
}

/* ---------------------------------------------------------- YAML, JSON */

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
	uint32_t lineno = 0;
	int rc = 0;

	memset(doc, 0, sizeof(*doc));
	if (!(doc->s = base_malloc(len + 1)))
		return oom(st, file_loc(st));
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
			rc = oom(st, loc);
			break;
		}
		memset(&tl, 0, sizeof(tl));
		clean_line(&clean, &cm, raw + start, n, lineno == 1, &tl);
		if (clean.oom || cm.n < clean.len) {
			rc = oom(st, loc);
			break;
		}
		tl.lineno = lineno;
		/* tl.s may start past what the cleaner dropped (a fence). */
		base = (size_t)(tl.s - clean.s);
		if (tl.len && base < cm.n)
			loc.col = cm.v[base];
		if (tl.noise != NOISE_NONE ||
		    is_unreachable_line(tl.s, tl.len)) {
			rc = side_line(st, tl.noise, tl.s, tl.len, tl.command,
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
			if (!doc->any && current_is_kubeadm(st))
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
	struct src_loc loc = {st->c->path, 1, 1};
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
		if (!is_space(s[i]) && s[i] != '\n' && s[i] != '\r')
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
				  show(st, doc->s + off, n));
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
				  show(st, doc->s + off, n));
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
		if ((b = bare_target(st)) < 0) {
			diag_error(st->c->diag, sec->rec.where,
				   "version document does not say which "
				   "binary printed it");
			diag_note(st->c->diag, sec->rec.where,
				  "capture it with 'kubectl version -o yaml'"
				  " or keep the command line above it");
			return -1;
		}
	}
	set_format(st, yw->json ? "json" : "yaml");
	return record_version(st, (enum binary)b, &sec->rec);
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

	if (too_many_errors(st))
		return -1;
	if (!strcmp(path, ".kustomizeVersion")) {
		merge_kustomize(st, s, len, loc);
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
		return oom(st, loc);
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
	return too_many_errors(yw->st) ? -1 : 0;
}

static int
parse_doc(struct vstate *st, bool json)
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
	rc = yaml_walk_run(&w, st->c->path, st->c->diag, yaml_mem_read, &m, &ops,
			   &yw);
	free(doc.s);
	return rc;
}

/* --------------------------------------------------------------- entry */

int
ingest_version(struct ingest_ctx *c)
{
	struct vstate st;
	enum fmt fmt = c->sniff ? c->sniff->fmt : FMT_VERSION_TEXT;
	const char *nul;
	int rc;

	memset(&st, 0, sizeof(st));
	st.c = c;
	st.errors_before = c->diag->errors;
	recover_file_begin(c);
	buf_init(&st.cmd);
	if (c->sniff) {
		st.kubeadm = c->sniff->kubeadm;
		nul =
		    memchr(c->sniff->command, '\0', sizeof(c->sniff->command));
		if (set_command(&st, c->sniff->command,
				nul ? (size_t)(nul - c->sniff->command)
				    : sizeof(c->sniff->command),
				file_loc(&st)) < 0) {
			buf_release(&st.cmd);
			return -1;
		}
	}
	if (fmt == FMT_VERSION_YAML || fmt == FMT_VERSION_JSON)
		rc = parse_doc(&st, fmt == FMT_VERSION_JSON ||
					(c->sniff && c->sniff->json));
	else
		rc = parse_text(&st);
	buf_release(&st.cmd);
	c->format = st.format ? st.format : "unknown";
	if (rc < 0 || c->diag->errors != st.errors_before) {
		recover_file_end(c, true);
		return -1;
	}
	if (st.found == 0) {
		recover_give_up(c);
		diag_error(c->diag, file_loc(&st),
			   "no kubectl or kubeadm version found");
		if (st.unreachable)
			diag_note(c->diag, file_loc(&st),
				  "the capture only says that the server "
				  "could not be reached");
		recover_file_end(c, true);
		return -1;
	}
	recover_file_end(c, false);
	return 0;
}
