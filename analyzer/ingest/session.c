/*
 * session.c - a file that holds several commands and their outputs: a
 * terminal session or `script` log (each output after its prompt line), or
 * a Markdown document (only its fenced blocks are read).
 *
 * The file is split at prompt lines and fences into segments. Each segment
 * is read as its own capture, through the sniffer and the parsers, from a
 * copy of its own lines that starts at its line of the file (a stream's
 * line_base): its lines and columns stay those of the file. The
 * output of a command skewplan does not read (`helm version`) is a skipped
 * record; so is an output that a later one of the same kind and subject
 * supersedes (the later one is the state the session ends in).
 *
 * A file whose outputs are all of one kind (madison for kubeadm, then
 * kubelet; `kubectl get no` run twice) is no session: it is read whole by
 * its parser, as before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Lines of the head looked at to tell a session from a capture. */
#define SESSION_SNIFF_BYTES (1u << 20)
/* Segments of one file. */
#define SESSION_MAX_SEGMENTS 4096u
/* Bytes of a command kept as its subject. */
#define SESSION_CMD_MAX 200

struct segment {
	uint32_t start, end;	/* 0-based lines [start, end) */
	uint32_t prompt;	/* 1-based line of its prompt, or 0 */
	char cmd[SESSION_CMD_MAX + 1];	/* the command, or "" */
	struct sniff sn;
	enum input_kind forced;	/* what the command says its output is */
	char key[SESSION_CMD_MAX + 32];	/* kind and subject */
	unsigned bins;		/* a version's binaries: BIN_BIT(enum binary) */
};

#define BIN_BIT(b) (1u << (b))

struct line {
	size_t off, len;	/* raw, without its '\n' */
	bool drop;		/* blank in every segment */
};

struct split {
	VEC(struct line) lines;
	VEC(struct segment) segs;
	bool markdown;
};

/* The word of cmd at w, and where the next one starts. */
static size_t
word_at(const char *w, const char **next)
{
	const char *e = w;

	while (*e && *e != ' ' && *e != '\t' && *e != '|' && *e != ';')
		e++;
	*next = e;
	while (**next == ' ' || **next == '\t')
		(*next)++;
	return (size_t)(e - w);
}

static bool
word_is(const char *w, size_t n, const char *z)
{
	return strlen(z) == n && !memcmp(w, z, n);
}

/*
 * Whether skewplan reads the output of cmd: by its program, after sudo and
 * a path. A command it does not know is skipped whatever its output looks
 * like: `helm version` prints a bare version, `uname -r` one too. Some
 * commands also say what their output is (*forced, else KIND_UNKNOWN):
 * `helm template` and `helm get manifest` print manifests (whose
 * Deployments the sniffer would take for an image listing), `kubectl get
 * --raw /metrics` the apiserver's metrics.
 */
static bool
command_is_read(const char *cmd, enum input_kind *forced)
{
	static const char *const tools[] = {
		"kubectl", "kubectl.exe", "k", "oc", "kubeadm", "microk8s",
		"microk8s.kubectl", "k3s", "apt-cache", "apt", "apt-get", "yum",
		"dnf", "rpm", "dpkg", "crictl", "docker", "podman", "nerdctl",
		"cat", "grep", "egrep", "zcat", "zgrep", "tail", "head", "yq",
		"jq", "curl"};
	const char *w, *next, *slash, *sub, *sub2;
	size_t i, n, sn, sn2;

	*forced = KIND_UNKNOWN;
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	if (!strncmp(cmd, "sudo ", 5))
		for (cmd += 5; *cmd == ' ' || *cmd == '-';) {
			/* sudo's own options: "-E", "-u root" is not read */
			while (*cmd && *cmd != ' ')
				cmd++;
			while (*cmd == ' ')
				cmd++;
		}
	w = cmd;
	n = word_at(w, &next);
	for (slash = w; slash < w + n; slash++)
		if (*slash == '/' || *slash == '\\')
			w = slash + 1;
	n = (size_t)(cmd + n - w);
	sub = next;
	sn = word_at(sub, &next);
	sub2 = next;
	sn2 = word_at(sub2, &next);
	if (word_is(w, n, "helm") || word_is(w, n, "helm.exe")) {
		if (word_is(sub, sn, "template") ||
		    (word_is(sub, sn, "get") && word_is(sub2, sn2, "manifest"))) {
			*forced = KIND_MANIFESTS;
			return true;
		}
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(tools); i++)
		if (word_is(w, n, tools[i]))
			break;
	if (i == ARRAY_SIZE(tools))
		return false;
	if (strstr(cmd, "--raw") && strstr(cmd, "/metrics"))
		*forced = KIND_METRICS;
	return true;
}

/* A line `script` writes around the session it logs. */
static bool
is_script_banner(const char *s, size_t n)
{
	return (n >= 18 && !memcmp(s, "Script started on ", 18)) ||
	       (n >= 15 && !memcmp(s, "Script done on ", 15));
}

/* The head of st: enough prompts or a fence around prose to be a session. */
static int
looks_like_session(struct stream *st, struct diag *d)
{
	struct text_reader r;
	struct text_line l;
	unsigned prompts = 0, fences = 0, prose = 0;
	bool in_fence = false;
	int rc;

	if (text_reader_open_stream(&r, st, true, d) < 0) {
		text_reader_close(&r);
		return -1;
	}
	r.limit = SESSION_SNIFF_BYTES;
	while ((rc = text_reader_next(&r, &l)) > 0) {
		if (l.noise == NOISE_FENCE) {
			in_fence = !in_fence;
			fences++;
		} else if (l.noise == NOISE_PROMPT && l.command_len) {
			prompts++;
		} else if (l.noise == NOISE_NONE && !in_fence) {
			prose++;
		}
	}
	text_reader_close(&r);
	if (rc < 0)
		return -1;
	return prompts >= 2 || (fences >= 2 && prose >= 1);
}

static bool
ends_with_backslash(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n && s[n - 1] == '\\';
}

static struct segment *
new_segment(struct split *sp, uint32_t at)
{
	struct segment *g;

	if (sp->segs.n >= SESSION_MAX_SEGMENTS || !(g = vec_push(&sp->segs)))
		return NULL;
	memset(g, 0, sizeof(*g));
	g->start = g->end = at;
	return g;
}

/* Splits text into lines and segments. Returns 0, or -1 out of memory. */
static int
split_text(struct split *sp, const char *text, size_t len)
{
	struct buf clean = BUF_INIT;
	struct colmap cm = {NULL, 0, 0};
	struct segment *cur = NULL;
	bool in_fence = false, cont = false;
	size_t off = 0, i;
	unsigned fences = 0, prose = 0;
	int rc = 0;

	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		struct line *ln = vec_push(&sp->lines);

		if (!ln)
			return -1;
		ln->off = off;
		ln->len = n;
		ln->drop = false;
		off += n + (nl ? 1 : 0);
	}
	/* Markdown: fences, and prose outside them. */
	for (i = 0; i < sp->lines.n; i++) {
		struct text_line l;

		memset(&l, 0, sizeof(l));
		buf_reset(&clean);
		cm.n = 0;
		clean_line(&clean, &cm, text + sp->lines.v[i].off,
			   sp->lines.v[i].len, i == 0, &l);
		if (l.noise == NOISE_FENCE)
			in_fence = !in_fence, fences++;
		else if (l.noise == NOISE_NONE && !in_fence)
			prose++;
	}
	sp->markdown = fences >= 2 && prose >= 1;
	in_fence = false;
	for (i = 0; i < sp->lines.n && rc == 0; i++) {
		struct line *ln = &sp->lines.v[i];
		struct text_line l;

		memset(&l, 0, sizeof(l));
		buf_reset(&clean);
		cm.n = 0;
		clean_line(&clean, &cm, text + ln->off, ln->len, i == 0, &l);
		if (clean.oom) {
			rc = -1;
			break;
		}
		if (is_script_banner(text + ln->off, ln->len)) {
			ln->drop = true;
			continue;
		}
		if (cont) {
			/* The rest of a command continued with '\'. */
			ln->drop = true;
			cont = ends_with_backslash(text + ln->off, ln->len);
			if (cur)
				cur->end = (uint32_t)i + 1;
			continue;
		}
		if (sp->markdown && l.noise == NOISE_FENCE) {
			in_fence = !in_fence;
			ln->drop = true;
			cur = NULL;
			continue;
		}
		if (sp->markdown && !in_fence) {
			ln->drop = true;
			cur = NULL;
			continue;
		}
		if (l.noise == NOISE_PROMPT && l.command_len) {
			size_t cn = l.command_len < SESSION_CMD_MAX
					    ? l.command_len
					    : SESSION_CMD_MAX;

			if (!(cur = new_segment(sp, (uint32_t)i))) {
				rc = -1;
				break;
			}
			cur->prompt = (uint32_t)i + 1;
			memcpy(cur->cmd, l.command, cn);
			cur->cmd[cn] = '\0';
			cont = ends_with_backslash(text + ln->off, ln->len);
		} else if (!cur && !(cur = new_segment(sp, (uint32_t)i))) {
			rc = -1;
			break;
		}
		cur->end = (uint32_t)i + 1;
	}
	buf_release(&clean);
	vec_release(&cm);
	return rc;
}

/*
 * A segment's text: its own lines (those that are nothing, blank), as an
 * in-memory stream that starts at the segment's line of the file, so that
 * the cost of a session is linear in its size.
 */
static int
segment_stream(struct stream *st, const struct split *sp,
	       const struct segment *g, const char *text, const char *path,
	       struct diag *d)
{
	struct buf b = BUF_INIT;
	uint32_t i;

	for (i = g->start; i < g->end; i++) {
		const struct line *ln = &sp->lines.v[i];

		if (!ln->drop)
			buf_add(&b, text + ln->off, ln->len);
		buf_addc(&b, '\n');
	}
	if (b.oom) {
		buf_release(&b);
		return diag_error(d, (struct src_loc){path, 0, 0},
				  "out of memory");
	}
	stream_open_mem(st, path, g->start, &b, d);
	return 0;
}

/* The words of a command that name its subject: no sudo, no pipe. */
static void
command_subject(const char *cmd, char *out, size_t size)
{
	size_t n = 0;
	bool space = false;

	if (!strncmp(cmd, "sudo ", 5))
		cmd += 5;
	for (; *cmd && *cmd != '|' && *cmd != ';' && *cmd != '&'; cmd++) {
		if (*cmd == ' ' || *cmd == '\t') {
			space = n > 0;
			continue;
		}
		if (n + 2 >= size)
			break;
		if (space)
			out[n++] = ' ';
		space = false;
		out[n++] = *cmd;
	}
	out[n] = '\0';
}

/*
 * What a segment is the state of: its kind, and for version whether it
 * is kubeadm's, for packages, manifests, audit logs and describe output
 * the command.
 */
static void
segment_key(struct segment *g)
{
	char subj[SESSION_CMD_MAX + 1];
	const char *q = "";

	if (g->sn.kind == KIND_VERSION) {
		/* The command says which binaries a bare value is of. */
		if (g->sn.kubeadm)
			g->bins = BIN_BIT(BIN_KUBEADM);
		else if (strstr(g->cmd, "serverVersion") ||
			 (strstr(g->cmd, "--raw") && strstr(g->cmd, "/version")))
			g->bins = BIN_BIT(BIN_SERVER);
		else if (strstr(g->cmd, "clientVersion") ||
			 strstr(g->cmd, "--client"))
			g->bins = BIN_BIT(BIN_CLIENT);
		else
			g->bins = BIN_BIT(BIN_CLIENT) | BIN_BIT(BIN_SERVER);
	} else if (g->sn.kind == KIND_PACKAGES ||
		   g->sn.kind == KIND_MANIFESTS ||
		   g->sn.kind == KIND_AUDIT_LOG || g->sn.fmt == FMT_DESCRIBE) {
		/*
		 * Each names its own packages, charts, slice of the log or
		 * described objects.
		 */
		command_subject(g->cmd, subj, sizeof(subj));
		q = subj;
	}
	snprintf(g->key, sizeof(g->key), "%s:%s",
		 model_kind_name(g->sn.kind), q);
}

/* Whether b, later, holds some of what a holds. */
static bool
segments_overlap(const struct segment *a, const struct segment *b)
{
	if (!b->sn.first_line || b->sn.kind == KIND_UNKNOWN ||
	    strcmp(a->key, b->key))
		return false;
	return a->sn.kind != KIND_VERSION || (a->bins & b->bins);
}

/*
 * Whether the segments are a session, not one capture: outputs of two
 * kinds, or of one kind in a Markdown document or beside some output of
 * no kind skewplan reads. Outputs all of one kind are read whole by their parser, as
 * before (it takes the last node table; it merges madison listings).
 */
static bool
is_session(const struct split *sp)
{
	const struct segment *first = NULL;
	bool unknown = false;
	size_t i;

	for (i = 0; i < sp->segs.n; i++) {
		const struct segment *g = &sp->segs.v[i];

		if (!g->sn.first_line)
			continue;
		if (g->sn.kind == KIND_UNKNOWN)
			unknown = true;
		else if (!first)
			first = g;
		else if (g->sn.kind != first->sn.kind)
			return true;
	}
	/* Nothing to read: the file's own error says what was expected. */
	return first && (sp->markdown || unknown);
}

static uint32_t
segment_line(const struct segment *g)
{
	return g->prompt ? g->prompt : g->sn.first_line;
}

/*
 * What later segments of segment i supersede: 1 for all of it, or for a
 * version its binaries' bits; *line is the last of them.
 */
static unsigned
later_cover(const struct split *sp, size_t i, uint32_t *line)
{
	const struct segment *g = &sp->segs.v[i];
	unsigned cover = 0;
	size_t j;

	*line = 0;
	for (j = i + 1; j < sp->segs.n; j++) {
		const struct segment *h = &sp->segs.v[j];

		if (!segments_overlap(g, h))
			continue;
		cover |= g->sn.kind == KIND_VERSION ? g->bins & h->bins : 1;
		*line = segment_line(h);
	}
	return cover;
}

static struct version_info *
bin_slot(struct cluster_state *cs, unsigned b)
{
	return b == BIN_CLIENT ? &cs->client
	       : b == BIN_SERVER ? &cs->server : &cs->kubeadm;
}

/*
 * A version output of which a later one gives some binaries (cover): the
 * versions it gave of those are put back as they were (saved, kustomize).
 * What it adds to the cluster's state besides (the warnings kubectl printed
 * with it, its skipped records, from warnings0 and skipped0 on) is not kept
 * as such: it is reported after the supersede record, as part of it.
 * Returns 0, or -1 after a diagnostic.
 */
static int
superseded_in_part(struct ingest_ctx *c, const struct segment *g,
		   unsigned cover, uint32_t later,
		   const struct version_info *saved, const char *kustomize,
		   size_t warnings0, size_t skipped0)
{
	struct cluster_state *cs = c->cs;
	struct src_loc loc = {c->path, segment_line(g), 1};
	size_t nwarn = cs->warnings.n - warnings0;
	size_t ninner = cs->skipped.n - skipped0, i;
	struct skipped *inner = NULL;
	char also[64];
	unsigned b;
	int rc = 0;

	if (ninner && !(inner = base_malloc(ninner * sizeof(*inner))))
		return diag_error(c->diag, loc, "out of memory");
	if (ninner)
		memcpy(inner, cs->skipped.v + skipped0,
		       ninner * sizeof(*inner));
	cs->skipped.n = skipped0;
	cs->warnings.n = warnings0;
	for (b = 0; b < 3 && rc == 0; b++) {
		if (!(cover & BIN_BIT(b)))
			continue;
		*bin_slot(cs, b) = saved[b];
		if (b == BIN_CLIENT)
			cs->kustomize = kustomize;
		if (nwarn)
			snprintf(also, sizeof(also), ", and the %zu warning%s "
				 "printed with it", nwarn, nwarn > 1 ? "s" : "");
		rc = recover_skip(c, loc, g->cmd, strlen(g->cmd),
				  "its %s version superseded by line %u%s",
				  b == BIN_SERVER   ? "server"
				  : b == BIN_CLIENT ? "client"
						    : "kubeadm",
				  later, nwarn ? also : "");
		nwarn = 0;
	}
	for (i = 0; i < ninner && rc == 0; i++)
		rc = recover_skip(c, inner[i].loc, inner[i].text,
				  strlen(inner[i].text),
				  "in an output superseded by line %u: %s",
				  later, inner[i].reason);
	free(inner);
	return rc;
}

/* Reads every segment of a session; returns 0 or -1. */
static int
read_segments(struct cluster_state *cs, struct diag *d, struct split *sp,
	      const char *text, const char *path)
{
	struct ingest_ctx c;
	size_t i;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.cs = cs;
	c.diag = d;
	c.arena = cs->arena;
	c.path = path;
	recover_file_begin(&c);
	for (i = 0; i < sp->segs.n; i++) {
		struct segment *g = &sp->segs.v[i];
		unsigned all, cover, b;
		uint32_t later;
		struct version_info saved[3];
		const char *kustomize;
		size_t warnings0, skipped0;
		struct src_loc loc = {path, segment_line(g), 1};
		const char *shown = g->cmd;
		size_t shown_len = strlen(g->cmd);
		struct stream st;

		if (!g->sn.first_line)
			continue;
		if (!g->cmd[0]) {
			/* No command: its first line of output. */
			const struct line *ln = &sp->lines.v[g->sn.first_line - 1];

			loc.line = g->sn.first_line;
			shown = text + ln->off;
			shown_len = ln->len;
		}
		if (g->sn.kind == KIND_UNKNOWN) {
			if (recover_skip(&c, loc, shown, shown_len,
					 g->cmd[0] ? "output of a command "
					 "skewplan does not read"
						   : "output of no kind "
					 "skewplan reads") < 0)
				rc = -1;
			continue;
		}
		all = g->sn.kind == KIND_VERSION ? g->bins : 1;
		cover = later_cover(sp, i, &later);
		if (cover == all) {
			if (recover_skip(&c, loc, shown, shown_len,
					 "superseded by line %u", later) < 0)
				rc = -1;
			continue;
		}
		for (b = 0; b < 3; b++)
			saved[b] = *bin_slot(cs, b);
		kustomize = cs->kustomize;
		warnings0 = cs->warnings.n;
		skipped0 = cs->skipped.n;
		if (segment_stream(&st, sp, g, text, path, d) < 0)
			return -1;
		if (ingest_stream(cs, d, &st, g->forced, false) < 0)
			rc = -1;
		stream_close(&st);
		if (cover && superseded_in_part(&c, g, cover, later, saved,
					       kustomize, warnings0,
					       skipped0) < 0)
			rc = -1;
	}
	/* A file that fails adds no skipped records (as ingest_stream). */
	if (rc < 0)
		cs->skipped.n = c.skipped0;
	return rc;
}

int
session_ingest(struct cluster_state *cs, struct diag *d, struct stream *st)
{
	struct split sp;
	char *text = NULL;
	size_t len, i;
	int rc;

	if ((rc = looks_like_session(st, d)) <= 0)
		return rc;
	if (stream_read_all(st, LIMIT_SMALL_FILE, &text, &len) < 0)
		return -1;
	memset(&sp, 0, sizeof(sp));
	if (split_text(&sp, text, len) < 0) {
		rc = diag_error(d, (struct src_loc){st->path, 0, 0},
				"out of memory, or more than %u commands",
				SESSION_MAX_SEGMENTS);
		goto out;
	}
	for (i = 0; i < sp.segs.n; i++) {
		struct segment *g = &sp.segs.v[i];
		struct stream seg;

		if (segment_stream(&seg, &sp, g, text, st->path, d) < 0) {
			rc = -1;
			goto out;
		}
		rc = sniff_stream(&seg, d, &g->sn);
		stream_close(&seg);
		if (rc < 0)
			goto out;
		if (g->cmd[0] && !command_is_read(g->cmd, &g->forced))
			g->sn.kind = KIND_UNKNOWN;
		if (g->forced != KIND_UNKNOWN && g->sn.first_line &&
		    (g->sn.kind == KIND_UNKNOWN || g->sn.kind == KIND_NODES ||
		     g->sn.kind == KIND_IMAGES || g->sn.kind == g->forced))
			g->sn.kind = g->forced;
		segment_key(g);
	}
	if (!is_session(&sp)) {
		/* One capture after all: read whole, from the text held. */
		struct buf b = {text, len, len + 1, false, NULL, false};

		text = NULL;
		stream_hold(st, &b);
		rc = 0;
		goto out;
	}
	rc = read_segments(cs, d, &sp, text, st->path) < 0 ? -1 : 1;
out:
	vec_release(&sp.lines);
	vec_release(&sp.segs);
	free(text);
	return rc;
}
