/*
 * version_text.c - the text shapes of `kubectl version` and `kubeadm
 * version`: "Client Version: ..." lines (the legacy version.Info and the
 * short forms), `oc version`, and a bare "v1.26.3" whose command says
 * which binary printed it.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const struct names go_names = {"GitVersion", "Major", "Minor"};
static const struct names line_names = {"version", "major", "minor"};

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

		i = version_skip_space(s, len, i);
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
					  version_show(st, s + k, i - 1 - k));
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
		i = version_skip_space(s, len, i + 1);
		if (i < len && s[i] == ',')
			i++;
		else if (i < len && s[i] != '}')
			return diag_error(
			    d, text_loc(r, l, i),
			    "expected ',' or '}' in version.Info");
	}
	i = version_skip_space(s, len, i + 1);
	if (i < len)
		return diag_error(d, text_loc(r, l, i),
				  "unexpected text '%s' after version.Info",
				  version_show(st, s + i, len - i));
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

void
version_set_format(struct vstate *st, const char *fmt)
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
		for (e = v; e < len && !version_is_space(s[e]); e++)
			;
		if (version_skip_space(s, len, e) < len)
			return diag_error(d,
					  text_loc(r, l, version_skip_space(s, len, e)),
					  "unexpected text after kustomize "
					  "version");
		return version_merge_kustomize(st, s + v, e - v, text_loc(r, l, v));
	}
	b = (enum binary)lb->bin;
	if (b == BIN_CLIENT && st->kubeadm)
		b = BIN_KUBEADM;
	memset(&rec, 0, sizeof(rec));
	rec.where = text_loc(r, l, v);
	if (version_has_prefix(s + v, len - v, "&version.Info{") ||
	    version_has_prefix(s + v, len - v, "version.Info{")) {
		rec.what = "version.Info";
		rec.names = &go_names;
		version_set_format(st, lb->bin == BIN_KUBEADM ? "kubeadm-version-info"
						      : "legacy-version-info");
		if (parse_info(st, r, l, v + (s[v] == '&') + 12, &rec) < 0)
			return -1;
		return version_record(st, b, &rec);
	}
	if (is_distribution_version(s + v, len - v))
		return 0;
	for (e = v; e < len && !version_is_space(s[e]); e++)
		;
	if (version_skip_space(s, len, e) < len)
		return diag_error(d, text_loc(r, l, version_skip_space(s, len, e)),
				  "unexpected text '%s' after the version "
				  "in '%.*s'",
				  version_show(st, s + version_skip_space(s, len, e),
				       len - version_skip_space(s, len, e)),
				  (int)strlen(lb->text) - 1, lb->text);
	version_set_format(st, lb->bin == BIN_KUBEADM ? "kubeadm-short" : "text");
	rec.what = lb->text;
	rec.names = &line_names;
	rec.git.s = s + v;
	rec.git.len = e - v;
	rec.git.loc = text_loc(r, l, v);
	rec.git.set = true;
	return version_record(st, b, &rec);
}

/* A line holding only a version: "v1.26.3". */
static int
bare_line(struct vstate *st, const struct text_reader *r,
	  const struct text_line *l, size_t v)
{
	struct diag *d = st->c->diag;
	struct vrec rec;
	int b = version_bare_target(st);

	if (b < 0) {
		diag_error(d, text_loc(r, l, v),
			   "bare version '%s' does not say which binary "
			   "printed it",
			   version_show(st, l->s + v, l->len - v));
		diag_note(d, text_loc(r, l, v),
			  "capture it with 'kubectl version -o yaml' or "
			  "'kubeadm version -o yaml', or keep the command "
			  "line ('$ kubeadm version -o short') above it");
		return -1;
	}
	version_set_format(st, b == BIN_KUBEADM ? "kubeadm-short" : "bare-version");
	memset(&rec, 0, sizeof(rec));
	rec.what = "version";
	rec.names = &line_names;
	rec.git.s = l->s + v;
	rec.git.len = l->len - v;
	rec.git.loc = text_loc(r, l, v);
	rec.git.set = true;
	rec.where = rec.git.loc;
	return version_record(st, (enum binary)b, &rec);
}

static bool
looks_like_version(const char *s, size_t len)
{
	unsigned ma, mi, pa;
	bool hp;
	size_t i;

	for (i = 0; i < len; i++)
		if (version_is_space(s[i]))
			return false;
	return len > 0 && (s[0] == 'v' || (s[0] >= '0' && s[0] <= '9')) &&
	       kver_parse_numbers(s, len, &ma, &mi, &pa, &hp);
}

static int
text_content(struct vstate *st, const struct text_reader *r,
	     const struct text_line *l)
{
	size_t i = version_skip_space(l->s, l->len, 0), k;
	const char *s = l->s + i;
	size_t len = l->len - i;

	for (k = 0; k < ARRAY_SIZE(labels); k++)
		if (version_has_prefix(s, len, labels[k].text)) {
			size_t v = i + strlen(labels[k].text);

			return labelled_line(st, r, l, &labels[k],
					     version_skip_space(l->s, l->len, v));
		}
	if (version_is_unreachable_line(s, len))
		return version_side_line(st, NOISE_NONE, s, len, NULL, 0,
				 text_loc(r, l, i));
	if (looks_like_version(s, len) ||
	    (len > 1 && s[0] == 'v' && s[1] >= '0' && s[1] <= '9' &&
	     !memchr(s, ' ', len)))
		return bare_line(st, r, l, i);
	return diag_error(st->c->diag, text_loc(r, l, i),
			  "unexpected line '%s' in a version capture",
			  version_show(st, s, len));
}

/*
 * True if s opens a version.Info{ that it does not close: the legacy
 * output, hard-wrapped by a terminal or an editor.
 */
static bool
info_is_open(const char *s, size_t len)
{
	const char *p = NULL;
	size_t i;

	for (i = 0; i + 13 <= len; i++)
		if (!memcmp(s + i, "version.Info{", 13)) {
			p = s + i;
			break;
		}
	return p && !memchr(p, '}', len - (size_t)(p - s));
}

/* True if s starts with one of the labels of a version line. */
static bool
starts_label(const char *s, size_t len)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(labels); k++)
		if (version_has_prefix(s, len, labels[k].text))
			return true;
	return false;
}

/* True if the joined text ends inside a quoted value. */
static bool
in_quotes(const struct buf *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->len; i++)
		if (b->s[i] == '"' && (i == 0 || b->s[i - 1] != '\\'))
			n++;
	return n % 2 == 1;
}

/*
 * Reads the lines that continue a wrapped version.Info into j, up to its
 * '}'. Returns 1 with *l holding the first line that is not part of it
 * (to be read as usual), 0 at the end of the file, -1 on a read error.
 */
static int
join_info(struct text_reader *r, struct text_join *j, struct text_line *l)
{
	int rc;

	while ((rc = text_reader_next(r, l)) == 1) {
		size_t i = version_skip_space(l->s, l->len, 0);

		if (l->noise != NOISE_NONE || j->nseg == JOIN_MAX_LINES ||
		    memchr(l->s, '{', l->len) || starts_label(l->s + i,
							      l->len - i))
			return 1;
		text_join_add(j, r, l, in_quotes(&j->text));
		if (memchr(l->s, '}', l->len))
			return (rc = text_reader_next(r, l)) < 0 ? -1 : rc;
	}
	return rc;
}

/* Parses one content line, or a version.Info wrapped over several. */
static int
content_record(struct vstate *st, struct text_reader *r, struct text_line *l,
	       struct text_join *j, bool *have_next)
{
	struct text_line jl;
	int rc, got;

	*have_next = false;
	if (!info_is_open(l->s, l->len)) {
		recover_begin(st->c);
		recover_end(st->c, text_content(st, r, l), l->s, l->len);
		return 0;
	}
	buf_reset(&j->text);
	j->nseg = 0;
	text_join_add(j, r, l, false);
	jl = *l;
	if ((got = join_info(r, j, l)) < 0)
		return -1;
	*have_next = got == 1;
	if (j->text.oom)
		return diag_error(st->c->diag, text_loc(r, &jl, 0),
				  "out of memory");
	jl.s = j->text.s;
	jl.len = j->text.len;
	r->join = j;
	recover_begin(st->c);
	rc = text_content(st, r, &jl);
	recover_end(st->c, rc, jl.s, jl.len);
	r->join = NULL;
	return 0;
}

int
version_parse_text(struct vstate *st)
{
	struct text_reader r;
	struct text_line l;
	struct text_join j;
	bool have_next = false;
	int rc = 0;

	if (text_reader_open_stream(&r, st->c->in, false, st->c->diag) < 0)
		return -1;
	r.warn_utf8 = true;
	r.recover = st->c;
	memset(&j, 0, sizeof(j));
	while (!version_too_many_errors(st) &&
	       (have_next || (rc = text_reader_next(&r, &l)) == 1)) {
		have_next = false;
		if (l.noise == NOISE_NONE) {
			if (content_record(st, &r, &l, &j, &have_next) < 0) {
				rc = -1;
				break;
			}
		} else
			version_side_line(st, l.noise, l.s, l.len, l.command,
				  l.command_len, text_loc(&r, &l, 0));
	}
	text_reader_close(&r);
	buf_release(&j.text);
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
