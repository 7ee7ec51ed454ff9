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
 * This file holds what the text reader (version_text.c) and the document
 * reader (version_doc.c) share: the checks of a version record, merging it
 * into the inventory, the command a capture came from, and the entry.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_ERRORS 20
#define QUOTE_MAX 64 /* longest subject quoted in a message */

static const char *const binary_names[] = {"kubectl", "server", "kubeadm"};

/* ------------------------------------------------------------ helpers */

/*
 * A subject quoted in a message: at most QUOTE_MAX bytes, "..." after a
 * cut, control bytes escaped. Arena; "?" when out of memory.
 */
const char *
version_show(const struct vstate *st, const char *s, size_t len)
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

bool
version_too_many_errors(const struct vstate *st)
{
	return st->c->diag->errors - st->errors_before >= MAX_ERRORS;
}

bool
version_has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

bool
version_is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

size_t
version_skip_space(const char *s, size_t len, size_t i)
{
	while (i < len && version_is_space(s[i]))
		i++;
	return i;
}

struct src_loc
version_file_loc(const struct vstate *st)
{
	struct src_loc loc = {st->c->path, 0, 0};

	return loc;
}

int
version_oom(struct vstate *st, struct src_loc loc)
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
		i = version_skip_space(s, len, i);
		start = i;
		while (i < len && !version_is_space(s[i]))
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
		return version_oom(st, loc);
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

bool
version_current_is_kubeadm(const struct vstate *st)
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
int
version_bare_target(const struct vstate *st)
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
bool
version_is_unreachable_line(const char *s, size_t len)
{
	return version_has_prefix(s, len, "The connection to the server ") ||
	       version_has_prefix(s, len, "Unable to connect to the server") ||
	       version_has_prefix(s, len,
			  "error: You must be logged in to the server") ||
	       version_has_prefix(s, len, "Error from server");
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
		return version_oom(st, loc);
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
int
version_side_line(struct vstate *st, enum noise noise, const char *s, size_t len,
	  const char *cmd, size_t cmd_len, struct src_loc loc)
{
	if (noise == NOISE_PROMPT && cmd)
		return set_command(st, cmd, cmd_len, loc);
	if (noise != NOISE_WARNING && noise != NOISE_NONE)
		return 0;
	if (version_is_unreachable_line(s, len)) {
		if (!st->unreachable)
			st->unreachable_loc = loc;
		st->unreachable = true;
	} else if (!version_has_prefix(s, len, "WARNING:") &&
		 !version_has_prefix(s, len, "Warning:") &&
		 !version_has_prefix(s, len, "warning:") &&
		 !version_has_prefix(s, len, "Flag --") &&
		 !version_has_prefix(s, len, "error: ") &&
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
int
version_merge(struct vstate *st, enum binary b, const struct version_info *vi)
{
	struct version_info *dst = slot(st->c->cs, b);

	st->found++;
	if (b == BIN_SERVER)
		st->found_server++;
	if (vi->not_release) {
		/* Seen, not used: a later release sighting replaces it. */
		if (!dst->present)
			*dst = *vi;
		return 0;
	}
	if (!dst->present) {
		*dst = *vi;
		dst->present = true;
		return 0;
	}
	if (!same_version(&dst->ver, &vi->ver)) {
		const char *where;

		switch (st->c->cs->strict ? ORIGIN_THIS
					   : recover_origin(st->c, dst->loc)) {
		case ORIGIN_THIS:
			/*
			 * Two values in one capture (neither is a guess),
			 * or --strict: the error it always was.
			 */
			diag_error(st->c->diag, vi->loc,
				   "%s version '%s' differs from '%s' read "
				   "before",
				   binary_names[b], vi->ver.text,
				   dst->ver.text);
			diag_note(st->c->diag, dst->loc,
				  "%s version '%s' was read here",
				  binary_names[b], dst->ver.text);
			return -1;
		case ORIGIN_SESSION:
			/* A later output of the session is its state. */
			if (recover_skip(st->c, dst->loc, dst->ver.text,
					 strlen(dst->ver.text),
					 "%s version superseded by line %u",
					 binary_names[b],
					 (unsigned)vi->loc.line) < 0)
				return -1;
			*dst = *vi;
			dst->present = true;
			return 0;
		case ORIGIN_OTHER:
			break;
		}
		if (!(where = src_loc_str(st->c->arena, dst->loc)))
			return version_oom(st, vi->loc);
		return recover_conflict(st->c, vi->loc, dst->loc, vi->ver.text,
					strlen(vi->ver.text),
					"%s version '%s' differs from '%s' at "
					"%s",
					binary_names[b], vi->ver.text,
					dst->ver.text, where);
	}
	if (!dst->platform)
		dst->platform = vi->platform;
	if (!dst->minor_raw)
		dst->minor_raw = vi->minor_raw;
	return 0;
}

int
version_merge_kustomize(struct vstate *st, const char *s, size_t len,
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
			   version_show(st, s, len), cs->kustomize);
		diag_note(st->c->diag, cs->kustomize_loc,
			  "kustomize version '%s' was read here",
			  cs->kustomize);
		return -1;
	}
	if (!(v = arena_strndup(st->c->arena, s, len)))
		return version_oom(st, loc);
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
 * A build from a source tree without tags: kubectl's version.Info is then
 * "v0.0.0-master+$Format:%H$" (or "v0.0.0-..."), Major and Minor empty.
 */
static bool
is_dev_build(const char *s, size_t len)
{
	return (len >= 6 && !memcmp(s, "v0.0.0", 6) &&
		(len == 6 || s[6] == '-' || s[6] == '+')) ||
	       (len >= 5 && !memcmp(s, "0.0.0", 5) &&
		(len == 5 || s[5] == '-' || s[5] == '+'));
}

/* Records a development build as seen and not a release. */
static int
record_dev_build(struct vstate *st, enum binary b, const struct vrec *r)
{
	struct version_info vi;

	memset(&vi, 0, sizeof(vi));
	if (r->git.len > LIMIT_SCALAR_LEN ||
	    !(vi.ver.text = arena_strndup(st->c->arena, r->git.s, r->git.len)))
		return version_oom(st, r->git.loc);
	vi.ver.has_patch = true;
	vi.loc = r->git.loc;
	vi.not_release = "a development build (no release tag)";
	return version_merge(st, b, &vi);
}

/*
 * Checks a record and adds it as binary b's version. Empty Major and Minor
 * fields (builds from a source tree without tags) are accepted unchecked.
 */
int
version_record(struct vstate *st, enum binary b, const struct vrec *r)
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
	if (is_dev_build(r->git.s, r->git.len))
		return record_dev_build(st, b, r);
	if (kver_parse(a, r->git.s, r->git.len, &vi.ver, &err) < 0)
		return diag_error(d, r->git.loc, "invalid %s '%s': %s", gname,
				  version_show(st, r->git.s, r->git.len), err);
	/*
	 * Release tags are "vMAJOR.MINOR.PATCH"; a /version without the 'v'
	 * comes from a mock server or a rebuilt binary, not a release.
	 */
	if (b == BIN_SERVER && r->git.len && r->git.s[0] != 'v')
		vi.not_release = "no 'v' before the version: not a release tag";
	if (!vi.ver.has_patch)
		return diag_error(d, r->git.loc, "%s '%s' has no patch number",
				  gname, version_show(st, r->git.s, r->git.len));
	if (r->major.set && r->major.len) {
		const char *name = r->names->major;

		if (!parse_major(r->major.s, r->major.len, &n))
			return diag_error(d, r->major.loc, "invalid %s '%s'",
					  name,
					  version_show(st, r->major.s, r->major.len));
		if (n != vi.ver.major)
			return diag_error(
			    d, r->major.loc, "%s '%s' disagrees with %s '%s'",
			    name, version_show(st, r->major.s, r->major.len), gname,
			    vi.ver.text);
	}
	if (r->minor.set && r->minor.len) {
		const char *name = r->names->minor;

		if (!kver_parse_minor_field(r->minor.s, r->minor.len, &n))
			return diag_error(d, r->minor.loc, "invalid %s '%s'",
					  name,
					  version_show(st, r->minor.s, r->minor.len));
		if (!(vi.minor_raw =
			  arena_strndup(a, r->minor.s, r->minor.len)))
			return version_oom(st, r->minor.loc);
		/*
		 * gitVersion wins, as in kubectl's skew warning; under
		 * --strict the disagreement is the error it always was.
		 */
		if (n != vi.ver.minor) {
			if (st->c->cs->strict)
				return diag_error(
				    d, r->minor.loc,
				    "%s '%s' disagrees with %s '%s'", name,
				    version_show(st, r->minor.s, r->minor.len),
				    gname, vi.ver.text);
			vi.minor_disagrees = vi.minor_raw;
			vi.minor_loc = r->minor.loc;
		}
	}
	if (r->platform.set && r->platform.len &&
	    !(vi.platform = arena_strndup(a, r->platform.s, r->platform.len)))
		return version_oom(st, r->platform.loc);
	vi.loc = r->git.loc;
	return version_merge(st, b, &vi);
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
				version_file_loc(&st)) < 0) {
			buf_release(&st.cmd);
			return -1;
		}
	}
	if (fmt == FMT_VERSION_YAML || fmt == FMT_VERSION_JSON)
		rc = version_parse_doc(&st, fmt == FMT_VERSION_JSON ||
					(c->sniff && c->sniff->json));
	else
		rc = version_parse_text(&st);
	buf_release(&st.cmd);
	c->format = st.format ? st.format : "unknown";

	if (rc < 0 || c->diag->errors != st.errors_before) {
		recover_file_end(c, true);
		return -1;
	}
	if (st.found == 0) {
		recover_give_up(c);
		diag_error(c->diag, version_file_loc(&st),
			   "no kubectl or kubeadm version found");
		if (st.unreachable)
			diag_note(c->diag, version_file_loc(&st),
				  "the capture only says that the server "
				  "could not be reached");
		recover_file_end(c, true);
		return -1;
	}
	/*
	 * kubectl printed its client version and could not reach the server:
	 * a capture of what there is, whose server version the rules that
	 * need it report as input-missing. Under --strict it is refused.
	 */
	if (st.unreachable && !st.found_server) {
		if (c->cs->strict) {
			diag_error(c->diag, st.unreachable_loc,
				   "the server could not be reached: the capture "
				   "has no server version");
			recover_file_end(c, true);
			return -1;
		}
		diag_note(c->diag, st.unreachable_loc,
			  "the server could not be reached: only the client "
			  "version is read");
	}
	recover_file_end(c, false);
	return 0;
}
