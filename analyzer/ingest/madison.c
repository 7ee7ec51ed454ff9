/*
 * madison.c - package listings: `apt-cache madison`, `apt-cache policy` and
 * `yum/dnf list --showduplicates`.
 *
 * A file may hold several blocks, usually each after a prompt line naming
 * its command ("$ apt-cache madison kubelet"). The sub-format is decided
 * per line from its shape (a '|' row, a policy "NAME:" header or version
 * table row, a "name.arch version repo" row), so a block without a prompt
 * parses too; the prompt only supplies the package name that grep-filtered
 * policy output no longer prints.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_ERRORS 20
#define QUOTE_MAX 40	/* bytes of a bad line quoted in a message */

static const char *const pf_names[] = {"package", "madison",
				       "apt-cache-policy", "yum", "apt-list",
				       "rpm-qa", "dpkg-l"};

static struct re name_re = {.pattern = "^[a-z0-9][a-z0-9+.-]*$"};
/* An apt source's architecture: "... kubernetes-xenial/main amd64 Packages". */
static struct re apt_arch_re = {
	.pattern = "\\s(amd64|arm64|armhf|armel|i386|ppc64el|s390x|mips64el|"
		   "riscv64|all)\\s+(?:Packages|Sources)$"};
/* A command, found in a line the cleaner did not take for a prompt. */
static struct re command_re = {
	.pattern = "(?:^|[#$%>]\\s*)(?:sudo\\s+)?"
		   "((?:apt-cache|apt|yum|dnf)\\s+(?:-\\S+\\s+)*"
		   "(?:madison|policy|list)\\b.*)$"};
/* yum/dnf list section headers. */
static struct re yum_section_re = {
	.pattern = "^(Installed|Available|Extra|Upgraded|Obsoleting|"
		   "Recently Added) Packages$",
	.flags = 0x00000008u /* PCRE2_CASELESS */};
/* Lines apt, yum and dnf print around the listing that carry no row. */
static struct re chatter_re = {
	.pattern = "^\\s*(?:[WNE]: |Reading package lists|"
		   "Building dependency tree|Reading state information|"
		   "Loaded plugins:|Loading mirror speeds|"
		   "Determining fastest mirrors|\\* [\\w.-]+: \\S+$|"
		   "Updating Subscription Management|"
		   "This system is not registered|"
		   "Unable to read consumer identity|"
		   "Repository \\S+ is listed more than once|"
		   "Error: No matching Packages|Package pin: |Listing\\.\\.\\.|"
		   "Desired=|\\| Status=|\\|/ Err\\?=|\\|\\|/ Name|\\+\\+\\+-)"};
/*
 * `apt list -a`: "kubeadm/kubernetes-xenial,now 1.26.3-00 amd64 [installed]".
 * Groups: name, archives, version, architecture, flags.
 */
static struct re apt_list_re = {
	.pattern = "^([a-z0-9][a-z0-9+.-]*)/(\\S+)\\s+(\\S+)\\s+(\\S+)"
		   "(?:\\s+\\[([^\\]]*)\\])?\\s*$"};
/* `rpm -qa`: "kubeadm-1.28.3-150500.1.1.x86_64"; name, version, release, arch. */
static struct re rpm_qa_re = {
	.pattern = "^([a-z0-9][a-z0-9+._-]*?)-([0-9][^-\\s]*)-([^-\\s]+)\\."
		   "(x86_64|aarch64|noarch|i686|ppc64le|s390x|armv7hl)$"};
/* `dpkg -l`: "ii  kubeadm  1.26.3-00  amd64  Kubernetes ..."; state, name, version, arch. */
static struct re dpkg_re = {
	.pattern = "^([uihrp][nicuhfwt]R?)\\s+([a-z0-9][a-z0-9+.-]*)(?::\\S+)?\\s+(\\S+)\\s+(\\S+)(?:\\s.*)?$"};
/* dnf's metadata download line: "Kubernetes  9.1 kB/s | 9.4 kB  00:01". */
static struct re dnf_download_re = {
	.pattern = "^.*\\s[0-9.]+\\s*[kMG]?B/s\\s*\\|\\s*[0-9.]+\\s*[kMG]?B"
		   "\\s+[0-9:]+\\s*$"};

bool
pkg_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits s[0..len) at blanks; returns the number of tokens (may exceed max). */
static size_t
split(const char *s, size_t len, struct tok *t, size_t max)
{
	size_t i = 0, n = 0;

	for (;;) {
		size_t b;

		while (i < len && pkg_is_blank(s[i]))
			i++;
		if (i == len)
			return n;
		b = i;
		while (i < len && !pkg_is_blank(s[i]))
			i++;
		if (n < max) {
			t[n].off = b;
			t[n].len = i - b;
		}
		n++;
	}
}

static bool
is_integer(const char *s, size_t len)
{
	size_t i = 0;

	if (len && s[0] == '-')
		i = 1;
	if (i == len || len - i > 9)
		return false;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* How much of a bad token a message quotes. */
int
pkg_quote_len(size_t len)
{
	return (int)(len > QUOTE_MAX ? QUOTE_MAX : len);
}

bool
pkg_tok_is(const char *s, const struct tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->len == n && !memcmp(s + t->off, word, n);
}

int
pkg_oom(struct pkg_parser *p)
{
	p->fatal = true;
	return diag_error(p->c->diag, (struct src_loc){p->c->path, 0, 0},
			  "out of memory");
}

void
pkg_set_mode(struct pkg_parser *p, enum pkg_fmt f)
{
	p->mode = f;
	if (p->first == PF_NONE)
		p->first = f;
	else if (p->first != f)
		p->mixed = true;
}

/* ------------------------------------------------------------ rows */

static uint64_t
hash_str(uint64_t h, const char *s)
{
	if (!s)
		return (h ^ 1u) * 1099511628211u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (h ^ 0xffu) * 1099511628211u;
}

static uint64_t
hash_pkg(const struct package *k)
{
	uint64_t h = 14695981039346656037u;

	return hash_str(hash_str(hash_str(h, k->name), k->version), k->repo);
}

bool
pkg_same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static bool
same_row(const struct package *a, const struct package *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->version, b->version) &&
	       pkg_same_str(a->repo, b->repo);
}

/* Returns the index of an equal row of this file, or SIZE_MAX. */
static size_t
seen_find(const struct pkg_parser *p, const struct package *k)
{
	const struct seen *s = &p->seen;
	size_t i;

	if (!s->cap)
		return SIZE_MAX;
	for (i = hash_pkg(k) & (s->cap - 1); s->slot[i];
	     i = (i + 1) & (s->cap - 1))
		if (same_row(&p->c->cs->packages.v[s->slot[i] - 1], k))
			return s->slot[i] - 1;
	return SIZE_MAX;
}

static void
seen_put(struct seen *s, const struct package *pkgs, size_t idx)
{
	size_t i = hash_pkg(&pkgs[idx]) & (s->cap - 1);

	while (s->slot[i])
		i = (i + 1) & (s->cap - 1);
	s->slot[i] = idx + 1;
	s->n++;
}

static int
seen_add(struct pkg_parser *p, size_t idx)
{
	struct seen *s = &p->seen;
	const struct package *pkgs = p->c->cs->packages.v;

	if ((s->n + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64, i;
		size_t *old = s->slot, ocap = s->cap;

		if (ncap > SIZE_MAX / sizeof(*s->slot))
			return -1;
		s->slot = base_malloc(ncap * sizeof(*s->slot));
		if (!s->slot) {
			s->slot = old;
			return -1;
		}
		memset(s->slot, 0, ncap * sizeof(*s->slot));
		s->cap = ncap;
		s->n = 0;
		for (i = 0; i < ocap; i++)
			if (old[i])
				seen_put(s, pkgs, old[i] - 1);
		free(old);
	}
	seen_put(s, pkgs, idx);
	return 0;
}

/*
 * Adds a row; name and version are arena strings already validated. The
 * upstream, revision and repository fields are derived here. A row equal
 * to one of this file's earlier rows is kept once.
 */
int
pkg_add_row(struct pkg_parser *p, struct package *k, const char *repo,
	size_t repo_len)
{
	struct cluster_state *cs = p->c->cs;
	struct arena *a = p->c->arena;
	struct re_match m;
	struct package *slot;
	size_t dup;

	if (pkg_split_version(a, k->version, strlen(k->version), &k->upstream,
			  &k->revision) < 0)
		return pkg_oom(p);
	if (repo) {
		if (!(k->repo = arena_strndup(a, repo, repo_len)))
			return pkg_oom(p);
		k->repo_kind = pkg_classify_repo(repo, repo_len, &k->repo_minor);
		if (k->repo_kind == REPO_OTHER && !strcmp(k->format, "yum"))
			k->repo_kind = pkg_classify_rpm_release(k, &k->repo_minor);
		else if (k->repo_kind == REPO_OTHER &&
			 !strcmp(k->format, "apt-list"))
			k->repo_kind = pkg_classify_deb_archive(k, repo, repo_len,
							    &k->repo_minor);
		if (!k->arch && re_match(&apt_arch_re, repo, repo_len, &m) &&
		    !(k->arch = arena_strndup(a, repo + m.start[1],
					      m.end[1] - m.start[1])))
			return pkg_oom(p);
	}
	/* Installed-package lists name no repository: tell it by release. */
	if (!repo && !strcmp(k->format, "rpm-qa"))
		k->repo_kind = pkg_classify_rpm_release(k, &k->repo_minor);
	else if (!repo && !strcmp(k->format, "dpkg-l"))
		k->repo_kind = pkg_classify_deb_archive(k, "", 0, &k->repo_minor);
	if ((dup = seen_find(p, k)) != SIZE_MAX) {
		struct package *old = &cs->packages.v[dup];

		if (k->installed == TRI_TRUE)
			old->installed = TRI_TRUE;
		old->candidate = old->candidate || k->candidate;
		return 0;
	}
	if (cs->packages.n >= LIMIT_ITEMS) {
		p->fatal = true;
		return diag_error(p->c->diag, k->loc,
				  "more than %u packages in one run",
				  LIMIT_ITEMS);
	}
	if (!(slot = vec_push(&cs->packages)))
		return pkg_oom(p);
	*slot = *k;
	if (seen_add(p, cs->packages.n - 1) < 0)
		return pkg_oom(p);
	p->added++;
	return 0;
}

/* Checks a package name and copies it to *out (arena) unless out is NULL. */
int
pkg_take_name(struct pkg_parser *p, const struct text_line *l, size_t off,
	  size_t len, const char **out)
{
	if (!len)
		return diag_error(p->c->diag, text_loc(&p->r, l, off),
				  "missing package name in %s row",
				  pf_names[p->mode]);
	if (len > 256 || !re_match(&name_re, l->s + off, len, NULL))
		return diag_error(p->c->diag, text_loc(&p->r, l, off),
				  "invalid package name '%.*s'",
				  pkg_quote_len(len),
				  l->s + off);
	if (out && !(*out = arena_strndup(p->c->arena, l->s + off, len)))
		return pkg_oom(p);
	return 0;
}

int
pkg_take_version(struct pkg_parser *p, const struct text_line *l, size_t off,
	     size_t len, const char **out)
{
	if (!len)
		return diag_error(p->c->diag, text_loc(&p->r, l, off),
				  "missing version in %s row",
				  pf_names[p->mode]);
	if (!safe_is_pkg_version(l->s + off, len))
		return diag_error(p->c->diag, text_loc(&p->r, l, off),
				  "invalid package version '%.*s'",
				  pkg_quote_len(len),
				  l->s + off);
	if (!(*out = arena_strndup(p->c->arena, l->s + off, len)))
		return pkg_oom(p);
	return 0;
}

/* ------------------------------------------------------------ commands */

/*
 * Reads the command of a prompt line: "apt-cache madison kubeadm",
 * "sudo apt-cache policy  kubeadm|grep -A1 1.12", "dnf list
 * --showduplicates kubeadm". Any prompt ends the current block.
 */
static int
take_command(struct pkg_parser *p, const char *s, size_t len)
{
	struct tok t[MAX_TOKENS];
	size_t n, i, end;
	enum pkg_fmt f = PF_NONE;

	for (end = 0; end < len && !strchr("|;&<>", s[end]); end++)
		;
	n = split(s, end, t, MAX_TOKENS);
	if (n > MAX_TOKENS)
		n = MAX_TOKENS;
	p->cmd_name = NULL;
	p->mode = PF_NONE;
	for (i = 0; i < n && (pkg_tok_is(s, &t[i], "sudo") || s[t[i].off] == '-');
	     i++)
		;
	if (i < n &&
	    (pkg_tok_is(s, &t[i], "apt-cache") || pkg_tok_is(s, &t[i], "apt"))) {
		for (i++; i < n && s[t[i].off] == '-'; i++)
			;
		if (i < n && pkg_tok_is(s, &t[i], "madison"))
			f = PF_MADISON;
		else if (i < n && pkg_tok_is(s, &t[i], "policy"))
			f = PF_POLICY;
	} else if (i < n && (pkg_tok_is(s, &t[i], "yum") ||
			     pkg_tok_is(s, &t[i], "dnf") ||
			     pkg_tok_is(s, &t[i], "dnf5"))) {
		f = PF_YUM;
		p->dnf5 = pkg_tok_is(s, &t[i], "dnf5");
	}
	if (f == PF_NONE)
		return 0;
	p->mode = f;
	for (i++; i < n && s[t[i].off] == '-'; i++)
		;
	if (f == PF_YUM && i < n && pkg_tok_is(s, &t[i], "list"))
		for (i++; i < n && s[t[i].off] == '-'; i++)
			;
	if (i < n && re_match(&name_re, s + t[i].off, t[i].len, NULL) &&
	    !(p->cmd_name = arena_strndup(p->c->arena, s + t[i].off,
					  t[i].len)))
		return pkg_oom(p);
	return 0;
}

/* ------------------------------------------------------------ lines */

static int
end_block(struct pkg_parser *p)
{
	int rc = pkg_policy_flush(p);

	if (pkg_policy_installed_only(p) < 0)
		rc = -1;
	if (pkg_yum_incomplete(p) < 0)
		rc = -1;
	return rc;
}

/* One `apt list -a` row; [installed] (or "now" in the archives) marks it. */
static int
apt_list_row(struct pkg_parser *p, const struct text_line *l,
	     const struct re_match *m)
{
	const char *s = l->s, *version;
	struct package k = {0};
	size_t vlen = m->end[3] - m->start[3];

	pkg_set_mode(p, PF_APT_LIST);
	if (pkg_take_name(p, l, m->start[1], m->end[1] - m->start[1], &k.name) < 0 ||
	    pkg_take_version(p, l, m->start[3], vlen, &version) < 0)
		return -1;
	k.version = version;
	k.loc = text_loc(&p->r, l, m->start[3]);
	k.format = "apt-list";
	if (!(k.arch = arena_strndup(p->c->arena, s + m->start[4],
				     m->end[4] - m->start[4])))
		return pkg_oom(p);
	k.installed = TRI_FALSE;
	if ((re_group_set(m, 5) &&
	     buf_contains(s + m->start[5], m->end[5] - m->start[5], "installed")) ||
	    buf_contains(s + m->start[2], m->end[2] - m->start[2], ",now"))
		k.installed = TRI_TRUE;
	return pkg_add_row(p, &k, s + m->start[2], m->end[2] - m->start[2]);
}

/*
 * A line of an installed-package list (rpm -qa, dpkg -l): installed by
 * definition (dpkg: state 'i' or 'h' with 'i'), no repository printed.
 */
static int
installed_row(struct pkg_parser *p, const struct text_line *l,
	      const struct re_match *m, enum pkg_fmt f)
{
	const char *s = l->s, *version;
	struct package k = {0};
	int name = f == PF_RPM_QA ? 1 : 2, ver = f == PF_RPM_QA ? 2 : 3;
	int arch = f == PF_RPM_QA ? 4 : 4;
	size_t vlen = f == PF_RPM_QA ? m->end[3] - m->start[2]
				     : m->end[3] - m->start[3];

	pkg_set_mode(p, f);
	if (pkg_take_name(p, l, m->start[name], m->end[name] - m->start[name],
		      &k.name) < 0 ||
	    pkg_take_version(p, l, m->start[ver], vlen, &version) < 0)
		return -1;
	k.version = version;
	k.loc = text_loc(&p->r, l, m->start[ver]);
	k.format = pf_names[f];
	if (!(k.arch = arena_strndup(p->c->arena, s + m->start[arch],
				     m->end[arch] - m->start[arch])))
		return pkg_oom(p);
	k.installed = f == PF_RPM_QA || s[m->start[1] + 1] == 'i'
			      ? TRI_TRUE : TRI_FALSE;
	return pkg_add_row(p, &k, NULL, 0);
}

static int
unrecognized(struct pkg_parser *p, const struct text_line *l, size_t off)
{
	size_t n = l->len - off;

	return diag_error(p->c->diag, text_loc(&p->r, l, off),
			  "unrecognized %s line '%.*s%s'", pf_names[p->mode],
			  pkg_quote_len(n), l->s + off,
			  n > QUOTE_MAX ? "..." : "");
}

static int
parse_line(struct pkg_parser *p, const struct text_line *l)
{
	const char *s = l->s;
	struct tok t[MAX_TOKENS];
	struct re_match m;
	size_t nt = split(s, l->len, t, MAX_TOKENS);

	/* The rest of a yum row that wrapped: an indented line. */
	if (p->yum.n && pkg_is_blank(s[0]) && (size_t)p->yum.n + nt <= 3)
		return pkg_yum_tokens(p, l, t, nt);
	if (p->yum.n && pkg_yum_incomplete(p) < 0)
		return -1;
	if (re_match(&chatter_re, s, l->len, NULL))
		return 0;
	if (memchr(s, '|', l->len)) {
		if (re_match(&dnf_download_re, s, l->len, NULL))
			return 0;
		if (pkg_policy_flush(p) < 0)
			return -1;
		return pkg_madison_row(p, l);
	}
	if (re_match(&yum_section_re, s, l->len, &m)) {
		if (pkg_policy_flush(p) < 0)
			return -1;
		pkg_set_mode(p, PF_YUM);
		/* dnf5 writes "Available packages", dnf4 and yum "Packages". */
		if (strstr(s, " packages"))
			p->dnf5 = true;
		p->yum_installed = TRI_UNKNOWN;
		if (s[0] == 'I' || s[0] == 'i' || s[0] == 'E' || s[0] == 'e')
			p->yum_installed = TRI_TRUE;
		else if (s[0] == 'A' || s[0] == 'a')
			p->yum_installed = TRI_FALSE;
		return 0;
	}
	/* grep -A1 puts "--" between groups. */
	if (nt == 1 && pkg_tok_is(s, &t[0], "--"))
		return pkg_policy_flush(p);
	/* "kubelet:" starts an apt-cache policy block. */
	if (nt == 1 && t[0].off == 0 && s[t[0].len - 1] == ':') {
		if (end_block(p) < 0)
			return -1;
		pkg_policy_reset(p);
		pkg_set_mode(p, PF_POLICY);
		return pkg_take_name(p, l, 0, t[0].len - 1, &p->pol_name);
	}
	if (nt >= 1 && (pkg_tok_is(s, &t[0], "Installed:") ||
			pkg_tok_is(s, &t[0], "Candidate:")))
		return pkg_policy_field(p, l, t, nt);
	if (nt == 2 && pkg_tok_is(s, &t[0], "Version") &&
	    pkg_tok_is(s, &t[1], "table:")) {
		pkg_set_mode(p, PF_POLICY);
		return 0;
	}
	if (nt >= 2 && is_integer(s + t[0].off, t[0].len) &&
	    memchr(s + t[1].off, '/', t[1].len))
		return pkg_policy_source(p, l, t);
	if (nt == 2 && is_integer(s + t[1].off, t[1].len))
		return pkg_policy_version(p, l, &t[0], false);
	if (nt == 3 && pkg_tok_is(s, &t[0], "***") &&
	    is_integer(s + t[2].off, t[2].len))
		return pkg_policy_version(p, l, &t[1], true);
	if (re_match(&rpm_qa_re, s, l->len, &m)) {
		if (pkg_policy_flush(p) < 0)
			return -1;
		return installed_row(p, l, &m, PF_RPM_QA);
	}
	if (re_match(&dpkg_re, s, l->len, &m)) {
		if (pkg_policy_flush(p) < 0)
			return -1;
		return installed_row(p, l, &m, PF_DPKG);
	}
	if (re_match(&apt_list_re, s, l->len, &m)) {
		if (pkg_policy_flush(p) < 0)
			return -1;
		return apt_list_row(p, l, &m);
	}
	if (nt >= 1 && nt <= 3 &&
	    pkg_arch_dot(s + t[0].off, t[0].len) != SIZE_MAX) {
		if (pkg_policy_flush(p) < 0)
			return -1;
		return pkg_yum_tokens(p, l, t, nt);
	}
	return unrecognized(p, l, nt ? t[0].off : 0);
}

/* A line the cleaner did not take for a prompt may still hold a command. */
static bool
find_command(const struct text_line *l, const char **cmd, size_t *len)
{
	struct re_match m;

	if (l->noise == NOISE_PROMPT) {
		*cmd = l->command;
		*len = l->command_len;
		return true;
	}
	if ((l->noise == NOISE_NONE || l->noise == NOISE_COMMENT) &&
	    re_match(&command_re, l->s, l->len, &m)) {
		*cmd = l->s + m.start[1];
		*len = m.end[1] - m.start[1];
		return true;
	}
	return false;
}

int
ingest_packages(struct ingest_ctx *c)
{
	struct pkg_parser p;
	struct text_line l;
	const char *cmd;
	size_t cmd_len;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.yum_installed = TRI_UNKNOWN;
	recover_file_begin(c);
	if (text_reader_open_stream(&p.r, c->in, false, c->diag) < 0)
		return -1;
	p.r.warn_utf8 = true;
	p.r.recover = c;
	while (!p.fatal && p.errors < MAX_ERRORS &&
	       (rc = text_reader_next(&p.r, &l)) != 0) {
		if (rc < 0) {
			p.errors++;
			break;
		}
		if (find_command(&l, &cmd, &cmd_len)) {
			if (end_block(&p) < 0)
				p.errors++;
			pkg_policy_reset(&p);
			p.yum_installed = TRI_UNKNOWN;
			if (take_command(&p, cmd, cmd_len) < 0)
				p.errors++;
			if (p.mode == PF_POLICY)
				p.pol_name = p.cmd_name;
			continue;
		}
		if (l.noise != NOISE_NONE)
			continue;
		recover_begin(c);
		if (recover_end(c, parse_line(&p, &l), l.s, l.len) < 0)
			p.errors++;
	}
	recover_begin(c);
	if (!p.fatal && p.errors < MAX_ERRORS &&
	    recover_end(c, end_block(&p), NULL, 0) < 0)
		p.errors++;
	recover_end(c, 0, NULL, 0);
	text_reader_close(&p.r);
	free(p.seen.slot);
	if (!p.fatal && p.errors == 0 && p.added == 0) {
		recover_give_up(c);
		diag_error(c->diag, (struct src_loc){c->path, 0, 0},
			   "no package rows found (expected apt-cache madison, "
			   "apt-cache policy or yum list output)");
		p.errors++;
	}
	c->format = p.mixed ? "packages-mixed" : pf_names[p.first];
	recover_file_end(c, p.errors || p.fatal);
	return p.errors || p.fatal ? -1 : 0;
}
