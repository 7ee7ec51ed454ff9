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
#define MAX_TOKENS 8
#define QUOTE_MAX 40	/* bytes of a bad line quoted in a message */

enum pkg_fmt { PF_NONE, PF_MADISON, PF_POLICY, PF_YUM, PF_APT_LIST,
	       PF_RPM_QA, PF_DPKG };

static const char *const pf_names[] = {"package", "madison",
				       "apt-cache-policy", "yum", "apt-list",
				       "rpm-qa", "dpkg-l"};

static struct re name_re = {.pattern = "^[a-z0-9][a-z0-9+.-]*$"};
/* An apt source's architecture: "... kubernetes-xenial/main amd64 Packages". */
static struct re apt_arch_re = {
	.pattern = "\\s(amd64|arm64|armhf|armel|i386|ppc64el|s390x|mips64el|"
		   "riscv64|all)\\s+(?:Packages|Sources)$"};
/* The Kubernetes minor in a repository path: ".../core:/stable:/v1.29/deb". */
static struct re repo_minor_re = {.pattern = "/v1\\.([0-9]{1,3})(?:/|\\s|$)"};
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

struct tok {
	size_t off, len;
};

/* Open-addressing set of this file's rows (indices into cs->packages). */
struct seen {
	size_t *slot;	/* owned: index + 1, 0 for an empty slot */
	size_t cap;	/* 0 or a power of two */
	size_t n;
};

/* An apt-cache policy version row waiting for its source lines. */
struct policy_row {
	bool set;
	const char *name;	/* arena */
	const char *version;	/* arena */
	struct src_loc loc;
	bool installed;		/* the " *** " marker */
	unsigned nsources;
};

/* A yum row wrapped over lines: the tokens seen so far. */
struct yum_row {
	int n;			/* 0: none pending */
	const char *tok[3];	/* arena: name.arch, version, repo */
	size_t len[3];
	struct src_loc loc[3];
};

struct pkg_parser {
	struct ingest_ctx *c;
	struct text_reader r;
	unsigned errors;
	bool fatal;		/* out of memory: stop at once */
	enum pkg_fmt mode;	/* format of the current block */
	enum pkg_fmt first;	/* first format seen */
	bool mixed;		/* the file holds more than one format */
	size_t added;
	struct seen seen;
	const char *cmd_name;	/* arena: package the prompt's command names */
	const char *pol_name;	/* arena: current policy package */
	const char *pol_candidate;	/* arena: "Candidate:"; NULL if none */
	struct policy_row row;
	enum tri yum_installed;	/* from the section header */
	bool dnf5;		/* the listing is dnf5's */
	struct yum_row yum;
};

static bool
is_blank(char c)
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

		while (i < len && is_blank(s[i]))
			i++;
		if (i == len)
			return n;
		b = i;
		while (i < len && !is_blank(s[i]))
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
static int
quote_len(size_t len)
{
	return (int)(len > QUOTE_MAX ? QUOTE_MAX : len);
}

static bool
tok_is(const char *s, const struct tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->len == n && !memcmp(s + t->off, word, n);
}

static int
oom(struct pkg_parser *p)
{
	p->fatal = true;
	return diag_error(p->c->diag, (struct src_loc){p->c->path, 0, 0},
			  "out of memory");
}

static void
set_mode(struct pkg_parser *p, enum pkg_fmt f)
{
	p->mode = f;
	if (p->first == PF_NONE)
		p->first = f;
	else if (p->first != f)
		p->mixed = true;
}

/* ------------------------------------------------------------ helpers */

/*
 * Splits a package version into upstream and revision: the upstream is
 * what lies between an epoch ("1:") and the last '-'; the revision is
 * what follows that '-' (NULL when there is none).
 */
static int
split_version(struct arena *a, const char *v, size_t len, const char **up,
	      const char **rev)
{
	size_t i, start = 0, dash = len;

	for (i = 0; i < len && v[i] >= '0' && v[i] <= '9'; i++)
		;
	if (i > 0 && i < len && v[i] == ':')
		start = i + 1;
	for (i = start; i < len; i++)
		if (v[i] == '-')
			dash = i;
	*up = arena_strndup(a, v + start, dash - start);
	*rev = NULL;
	if (dash < len)
		*rev = arena_strndup(a, v + dash + 1, len - dash - 1);
	return *up && (dash == len || *rev) ? 0 : -1;
}

static bool
host_is(const char *h, size_t len, const char *name)
{
	size_t n = strlen(name);
	size_t i;

	if (len != n)
		return false;
	for (i = 0; i < n; i++) {
		char c = h[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != name[i])
			return false;
	}
	return true;
}

static unsigned
repo_minor(const char *s, size_t len)
{
	struct re_match m;
	unsigned long v;
	char *end;
	char digits[4];
	size_t n;

	if (!re_match(&repo_minor_re, s, len, &m))
		return 0;
	n = m.end[1] - m.start[1];
	memcpy(digits, s + m.start[1], n);
	digits[n] = '\0';
	v = strtoul(digits, &end, 10);
	return *end == '\0' && v <= 999 ? (unsigned)v : 0;
}

/*
 * Classifies a repository as printed ("https://apt.kubernetes.io
 * kubernetes-xenial/main amd64 Packages", "/var/lib/dpkg/status", a yum
 * repo id such as "kubernetes" or "@kubernetes").
 */
static enum repo_kind
classify_repo(const char *s, size_t len, unsigned *minor)
{
	static const char *const legacy[] = {
		"apt.kubernetes.io", "packages.cloud.google.com",
		"yum.kubernetes.io"};
	static const char *const pkgs[] = {"pkgs.k8s.io",
					   "prod-cdn.packages.k8s.io"};
	const char *host, *rest;
	size_t hlen, i;

	*minor = 0;
	if ((len >= 20 && !memcmp(s, "/var/lib/dpkg/status", 20)) ||
	    (len && s[0] == '@') || (len == 9 && !memcmp(s, "installed", 9)))
		return REPO_LOCAL;
	for (i = 0; i + 3 <= len && memcmp(s + i, "://", 3); i++)
		if (is_blank(s[i]))
			return REPO_OTHER;
	if (i + 3 > len)
		return REPO_OTHER;
	host = s + i + 3;
	for (hlen = 0; host + hlen < s + len && host[hlen] != '/' &&
		       host[hlen] != ':' && !is_blank(host[hlen]);
	     hlen++)
		;
	rest = host + hlen;
	for (i = 0; i < ARRAY_SIZE(legacy); i++)
		if (host_is(host, hlen, legacy[i]))
			return REPO_LEGACY;
	for (i = 0; i < ARRAY_SIZE(pkgs); i++)
		if (host_is(host, hlen, pkgs[i])) {
			*minor = repo_minor(rest, (size_t)(s + len - rest));
			return REPO_PKGS;
		}
	len = (size_t)(s + len - rest);
	if (buf_contains(rest, len, "kubernetes-xenial") ||
	    buf_contains(rest, len, "core:/stable:/v1.") ||
	    buf_contains(rest, len, "/kubernetes")) {
		*minor = repo_minor(rest, len);
		return REPO_MIRROR;
	}
	return REPO_OTHER;
}

/*
 * yum and dnf print a repository id ("kubernetes"), not its URL. The
 * release tells the builds apart: pkgs.k8s.io's RPMs are built by the
 * Open Build Service with a "150500.N.M" release, and each of its
 * repositories serves one minor; the legacy yum repository's were "-0".
 */
static enum repo_kind
classify_rpm_release(const struct package *k, unsigned *minor)
{
	static struct re obs_release = {.pattern = "^1[0-9]{5}\\.[0-9]+\\.[0-9]+$"};
	unsigned major, mnr, patch;
	bool has_patch;

	if (!k->revision)
		return REPO_OTHER;
	if (re_match(&obs_release, k->revision, strlen(k->revision), NULL)) {
		/* kubernetes-cni and cri-tools have versions of their own. */
		if ((!strcmp(k->name, "kubeadm") || !strcmp(k->name, "kubelet") ||
		     !strcmp(k->name, "kubectl")) &&
		    kver_parse_numbers(k->upstream, strlen(k->upstream), &major,
				       &mnr, &patch, &has_patch))
			*minor = mnr;
		return REPO_PKGS;
	}
	if (!strcmp(k->revision, "0"))
		return REPO_LEGACY;
	return REPO_OTHER;
}

/*
 * `apt list` names the archive ("kubernetes-xenial", "unknown"), not the
 * URL. The legacy repository's archive was kubernetes-xenial with "-00"
 * style revisions; pkgs.k8s.io's flat repositories have no archive name
 * ("unknown") and Open Build Service revisions such as "-1.1", one minor
 * per repository.
 */
static enum repo_kind
classify_deb_archive(const struct package *k, const char *archive, size_t len,
		     unsigned *minor)
{
	static struct re obs_revision = {.pattern = "^[0-9]+\\.[0-9]+$"};
	static struct re legacy_revision = {.pattern = "^0[0-9]$"};
	unsigned major, mnr, patch;
	bool has_patch;

	if (buf_contains(archive, len, "kubernetes-xenial") ||
	    (k->revision && re_match(&legacy_revision, k->revision,
				     strlen(k->revision), NULL)))
		return REPO_LEGACY;
	if (!k->revision ||
	    !re_match(&obs_revision, k->revision, strlen(k->revision), NULL))
		return REPO_OTHER;
	if ((!strcmp(k->name, "kubeadm") || !strcmp(k->name, "kubelet") ||
	     !strcmp(k->name, "kubectl")) &&
	    kver_parse_numbers(k->upstream, strlen(k->upstream), &major, &mnr,
			       &patch, &has_patch))
		*minor = mnr;
	return REPO_PKGS;
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

static bool
same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static bool
same_row(const struct package *a, const struct package *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->version, b->version) &&
	       same_str(a->repo, b->repo);
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
static int
add_row(struct pkg_parser *p, struct package *k, const char *repo,
	size_t repo_len)
{
	struct cluster_state *cs = p->c->cs;
	struct arena *a = p->c->arena;
	struct re_match m;
	struct package *slot;
	size_t dup;

	if (split_version(a, k->version, strlen(k->version), &k->upstream,
			  &k->revision) < 0)
		return oom(p);
	if (repo) {
		if (!(k->repo = arena_strndup(a, repo, repo_len)))
			return oom(p);
		k->repo_kind = classify_repo(repo, repo_len, &k->repo_minor);
		if (k->repo_kind == REPO_OTHER && !strcmp(k->format, "yum"))
			k->repo_kind = classify_rpm_release(k, &k->repo_minor);
		else if (k->repo_kind == REPO_OTHER &&
			 !strcmp(k->format, "apt-list"))
			k->repo_kind = classify_deb_archive(k, repo, repo_len,
							    &k->repo_minor);
		if (!k->arch && re_match(&apt_arch_re, repo, repo_len, &m) &&
		    !(k->arch = arena_strndup(a, repo + m.start[1],
					      m.end[1] - m.start[1])))
			return oom(p);
	}
	/* Installed-package lists name no repository: tell it by release. */
	if (!repo && !strcmp(k->format, "rpm-qa"))
		k->repo_kind = classify_rpm_release(k, &k->repo_minor);
	else if (!repo && !strcmp(k->format, "dpkg-l"))
		k->repo_kind = classify_deb_archive(k, "", 0, &k->repo_minor);
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
		return oom(p);
	*slot = *k;
	if (seen_add(p, cs->packages.n - 1) < 0)
		return oom(p);
	p->added++;
	return 0;
}

/* Checks a package name and copies it to *out (arena) unless out is NULL. */
static int
take_name(struct pkg_parser *p, const struct text_line *l, size_t off,
	  size_t len, const char **out)
{
	if (!len)
		return diag_error(p->c->diag, text_loc(&p->r, l, off),
				  "missing package name in %s row",
				  pf_names[p->mode]);
	if (len > 256 || !re_match(&name_re, l->s + off, len, NULL))
		return diag_error(p->c->diag, text_loc(&p->r, l, off),
				  "invalid package name '%.*s'",
				  quote_len(len),
				  l->s + off);
	if (out && !(*out = arena_strndup(p->c->arena, l->s + off, len)))
		return oom(p);
	return 0;
}

static int
take_version(struct pkg_parser *p, const struct text_line *l, size_t off,
	     size_t len, const char **out)
{
	if (!len)
		return diag_error(p->c->diag, text_loc(&p->r, l, off),
				  "missing version in %s row",
				  pf_names[p->mode]);
	if (!safe_is_pkg_version(l->s + off, len))
		return diag_error(p->c->diag, text_loc(&p->r, l, off),
				  "invalid package version '%.*s'",
				  quote_len(len),
				  l->s + off);
	if (!(*out = arena_strndup(p->c->arena, l->s + off, len)))
		return oom(p);
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
	for (i = 0; i < n && (tok_is(s, &t[i], "sudo") || s[t[i].off] == '-');
	     i++)
		;
	if (i < n &&
	    (tok_is(s, &t[i], "apt-cache") || tok_is(s, &t[i], "apt"))) {
		for (i++; i < n && s[t[i].off] == '-'; i++)
			;
		if (i < n && tok_is(s, &t[i], "madison"))
			f = PF_MADISON;
		else if (i < n && tok_is(s, &t[i], "policy"))
			f = PF_POLICY;
	} else if (i < n && (tok_is(s, &t[i], "yum") ||
			     tok_is(s, &t[i], "dnf") ||
			     tok_is(s, &t[i], "dnf5"))) {
		f = PF_YUM;
		p->dnf5 = tok_is(s, &t[i], "dnf5");
	}
	if (f == PF_NONE)
		return 0;
	p->mode = f;
	for (i++; i < n && s[t[i].off] == '-'; i++)
		;
	if (f == PF_YUM && i < n && tok_is(s, &t[i], "list"))
		for (i++; i < n && s[t[i].off] == '-'; i++)
			;
	if (i < n && re_match(&name_re, s + t[i].off, t[i].len, NULL) &&
	    !(p->cmd_name = arena_strndup(p->c->arena, s + t[i].off,
					  t[i].len)))
		return oom(p);
	return 0;
}

/* ------------------------------------------------------------ policy */

/* Emits a version row that had no source line (a truncated paste). */
static int
policy_flush(struct pkg_parser *p)
{
	struct package k = {0};

	if (!p->row.set)
		return 0;
	p->row.set = false;
	if (p->row.nsources)
		return 0;
	k.name = p->row.name;
	k.version = p->row.version;
	k.format = "apt-cache-policy";
	k.installed = p->row.installed ? TRI_TRUE : TRI_FALSE;
	k.candidate = same_str(p->pol_candidate, k.version);
	k.loc = p->row.loc;
	return add_row(p, &k, NULL, 0);
}

static void
policy_reset(struct pkg_parser *p)
{
	p->pol_name = NULL;
	p->pol_candidate = NULL;
}

/* "  Installed: 1.11.2-00", "  Candidate: (none)". */
static int
policy_field(struct pkg_parser *p, const struct text_line *l,
	     const struct tok *t, size_t nt)
{
	const char *v = NULL;
	size_t off;

	set_mode(p, PF_POLICY);
	if (nt < 2)
		return diag_error(p->c->diag, text_loc(&p->r, l, t[0].off),
				  "missing version after '%.*s'",
				  (int)t[0].len, l->s + t[0].off);
	off = t[1].off;
	if (nt > 2)
		return diag_error(p->c->diag, text_loc(&p->r, l, t[2].off),
				  "unexpected text after version '%.*s'",
				  (int)t[1].len, l->s + off);
	if (!tok_is(l->s, &t[1], "(none)") &&
	    take_version(p, l, off, t[1].len, &v) < 0)
		return -1;
	if (tok_is(l->s, &t[0], "Candidate:"))
		p->pol_candidate = v;
	return 0;
}

/* " *** 1.11.2-00 500" or "     1.11.1-00 500". */
static int
policy_version(struct pkg_parser *p, const struct text_line *l,
	       const struct tok *v, bool installed)
{
	const char *version;

	set_mode(p, PF_POLICY);
	if (policy_flush(p) < 0)
		return -1;
	if (!p->pol_name)
		return diag_error(p->c->diag, text_loc(&p->r, l, v->off),
				  "no package name for policy version '%.*s'",
				  quote_len(v->len),
				  l->s + v->off);
	if (take_version(p, l, v->off, v->len, &version) < 0)
		return -1;
	p->row.set = true;
	p->row.name = p->pol_name;
	p->row.version = version;
	p->row.loc = text_loc(&p->r, l, v->off);
	p->row.installed = installed;
	p->row.nsources = 0;
	return 0;
}

/* "        500 http://apt.kubernetes.io kubernetes-xenial/main ...". */
static int
policy_source(struct pkg_parser *p, const struct text_line *l,
	      const struct tok *t)
{
	struct package k = {0};

	set_mode(p, PF_POLICY);
	if (!p->row.set)
		return diag_error(p->c->diag, text_loc(&p->r, l, t[1].off),
				  "policy source '%.*s' without a version line",
				  quote_len(t[1].len),
				  l->s + t[1].off);
	p->row.nsources++;
	k.name = p->row.name;
	k.version = p->row.version;
	k.format = "apt-cache-policy";
	k.installed = p->row.installed ? TRI_TRUE : TRI_FALSE;
	k.candidate = same_str(p->pol_candidate, k.version);
	k.loc = p->row.loc;
	return add_row(p, &k, l->s + t[1].off, l->len - t[1].off);
}

/* ------------------------------------------------------------ madison */

static void
trim(const char *s, size_t *b, size_t *e)
{
	while (*b < *e && is_blank(s[*b]))
		(*b)++;
	while (*e > *b && is_blank(s[*e - 1]))
		(*e)--;
}

/* "   kubeadm |  1.26.3-00 | https://apt.kubernetes.io kubernetes-xe...". */
static int
madison_row(struct pkg_parser *p, const struct text_line *l)
{
	const char *s = l->s;
	struct package k = {0};
	size_t bar[3], nbar = 0, i, b, e;

	set_mode(p, PF_MADISON);
	for (i = 0; i < l->len; i++)
		if (s[i] == '|') {
			if (nbar == 2)
				return diag_error(
					p->c->diag, text_loc(&p->r, l, i),
					"unexpected '|' in madison row");
			bar[nbar++] = i;
		}
	if (nbar < 2) {
		for (b = 0; b < l->len && is_blank(s[b]); b++)
			;
		return diag_error(p->c->diag, text_loc(&p->r, l, b),
				  "madison row has 2 fields, expected "
				  "'package | version | repository'");
	}
	b = 0, e = bar[0];
	trim(s, &b, &e);
	if (take_name(p, l, b, e - b, &k.name) < 0)
		return -1;
	b = bar[0] + 1, e = bar[1];
	trim(s, &b, &e);
	if (b == e)
		return diag_error(p->c->diag, text_loc(&p->r, l, bar[0] + 1),
				  "missing version in madison row");
	if (take_version(p, l, b, e - b, &k.version) < 0)
		return -1;
	k.loc = text_loc(&p->r, l, b);
	b = bar[1] + 1, e = l->len;
	trim(s, &b, &e);
	if (b == e)
		return diag_error(p->c->diag, text_loc(&p->r, l, bar[1] + 1),
				  "missing repository in madison row");
	k.format = "madison";
	k.installed = TRI_UNKNOWN;
	return add_row(p, &k, s + b, e - b);
}

/* ------------------------------------------------------------ yum */

static const char *const rpm_arches[] = {
	"x86_64", "noarch", "aarch64", "i686", "i386", "ppc64le", "ppc64",
	"s390x", "armv7hl", "armhfp", "riscv64", "src"};

/* Offset of the '.' before a known architecture in "kubeadm.x86_64". */
static size_t
arch_dot(const char *s, size_t len)
{
	size_t i, d;

	for (d = len; d > 0 && s[d - 1] != '.'; d--)
		;
	if (d < 2)
		return SIZE_MAX;
	for (i = 0; i < ARRAY_SIZE(rpm_arches); i++)
		if (strlen(rpm_arches[i]) == len - d &&
		    !memcmp(s + d, rpm_arches[i], len - d))
			return d - 1;
	return SIZE_MAX;
}

static int
yum_emit(struct pkg_parser *p)
{
	struct yum_row *y = &p->yum;
	struct package k = {0};
	struct arena *a = p->c->arena;
	size_t dot = arch_dot(y->tok[0], y->len[0]);

	y->n = 0;
	if (!(k.name = arena_strndup(a, y->tok[0], dot)) ||
	    !(k.arch = arena_strndup(a, y->tok[0] + dot + 1,
				     y->len[0] - dot - 1)))
		return oom(p);
	k.version = y->tok[1];
	k.loc = y->loc[1];
	k.format = "yum";
	k.dnf5 = p->dnf5;
	k.installed = p->yum_installed;
	if (y->tok[2][0] == '@' || !strcmp(y->tok[2], "installed"))
		k.installed = TRI_TRUE;
	return add_row(p, &k, y->tok[2], y->len[2]);
}

/* Adds the tokens of one line to the pending yum row. */
static int
yum_tokens(struct pkg_parser *p, const struct text_line *l,
	   const struct tok *t, size_t nt)
{
	struct yum_row *y = &p->yum;
	size_t i;

	set_mode(p, PF_YUM);
	for (i = 0; i < nt; i++) {
		const char *out = NULL;
		int k = y->n;

		if (k == 0) {
			size_t dot = arch_dot(l->s + t[i].off, t[i].len);

			if (dot == SIZE_MAX)
				return diag_error(
					p->c->diag,
					text_loc(&p->r, l, t[i].off),
					"no architecture in yum package '%.*s'",
					quote_len(t[i].len), l->s + t[i].off);
			if (take_name(p, l, t[i].off, dot, NULL) < 0)
				return -1;
			out = arena_strndup(p->c->arena, l->s + t[i].off,
					    t[i].len);
		} else if (k == 1) {
			if (take_version(p, l, t[i].off, t[i].len, &out) < 0)
				return -1;
		} else {
			out = arena_strndup(p->c->arena, l->s + t[i].off,
					    t[i].len);
		}
		if (!out)
			return oom(p);
		y->tok[k] = out;
		y->len[k] = t[i].len;
		y->loc[k] = text_loc(&p->r, l, t[i].off);
		y->n++;
	}
	return y->n == 3 ? yum_emit(p) : 0;
}

/* A wrapped yum row that never got its remaining columns. */
static int
yum_incomplete(struct pkg_parser *p)
{
	struct yum_row *y = &p->yum;

	int n = y->n;

	if (!n)
		return 0;
	y->n = 0;
	return diag_error(p->c->diag, y->loc[0],
			  "yum row '%.*s' has no %s", (int)y->len[0],
			  y->tok[0], n == 1 ? "version" : "repository");
}

/* ------------------------------------------------------------ lines */

static int
end_block(struct pkg_parser *p)
{
	int rc = policy_flush(p);

	if (yum_incomplete(p) < 0)
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

	set_mode(p, PF_APT_LIST);
	if (take_name(p, l, m->start[1], m->end[1] - m->start[1], &k.name) < 0 ||
	    take_version(p, l, m->start[3], vlen, &version) < 0)
		return -1;
	k.version = version;
	k.loc = text_loc(&p->r, l, m->start[3]);
	k.format = "apt-list";
	if (!(k.arch = arena_strndup(p->c->arena, s + m->start[4],
				     m->end[4] - m->start[4])))
		return oom(p);
	k.installed = TRI_FALSE;
	if ((re_group_set(m, 5) &&
	     buf_contains(s + m->start[5], m->end[5] - m->start[5], "installed")) ||
	    buf_contains(s + m->start[2], m->end[2] - m->start[2], ",now"))
		k.installed = TRI_TRUE;
	return add_row(p, &k, s + m->start[2], m->end[2] - m->start[2]);
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

	set_mode(p, f);
	if (take_name(p, l, m->start[name], m->end[name] - m->start[name],
		      &k.name) < 0 ||
	    take_version(p, l, m->start[ver], vlen, &version) < 0)
		return -1;
	k.version = version;
	k.loc = text_loc(&p->r, l, m->start[ver]);
	k.format = pf_names[f];
	if (!(k.arch = arena_strndup(p->c->arena, s + m->start[arch],
				     m->end[arch] - m->start[arch])))
		return oom(p);
	k.installed = f == PF_RPM_QA || s[m->start[1] + 1] == 'i'
			      ? TRI_TRUE : TRI_FALSE;
	return add_row(p, &k, NULL, 0);
}

static int
unrecognized(struct pkg_parser *p, const struct text_line *l, size_t off)
{
	size_t n = l->len - off;

	return diag_error(p->c->diag, text_loc(&p->r, l, off),
			  "unrecognized %s line '%.*s%s'", pf_names[p->mode],
			  quote_len(n), l->s + off,
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
	if (p->yum.n && is_blank(s[0]) && (size_t)p->yum.n + nt <= 3)
		return yum_tokens(p, l, t, nt);
	if (p->yum.n && yum_incomplete(p) < 0)
		return -1;
	if (re_match(&chatter_re, s, l->len, NULL))
		return 0;
	if (memchr(s, '|', l->len)) {
		if (re_match(&dnf_download_re, s, l->len, NULL))
			return 0;
		if (policy_flush(p) < 0)
			return -1;
		return madison_row(p, l);
	}
	if (re_match(&yum_section_re, s, l->len, &m)) {
		if (policy_flush(p) < 0)
			return -1;
		set_mode(p, PF_YUM);
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
	if (nt == 1 && tok_is(s, &t[0], "--"))
		return policy_flush(p);
	/* "kubelet:" starts an apt-cache policy block. */
	if (nt == 1 && t[0].off == 0 && s[t[0].len - 1] == ':') {
		if (end_block(p) < 0)
			return -1;
		policy_reset(p);
		set_mode(p, PF_POLICY);
		return take_name(p, l, 0, t[0].len - 1, &p->pol_name);
	}
	if (nt >= 1 && (tok_is(s, &t[0], "Installed:") ||
			tok_is(s, &t[0], "Candidate:")))
		return policy_field(p, l, t, nt);
	if (nt == 2 && tok_is(s, &t[0], "Version") &&
	    tok_is(s, &t[1], "table:")) {
		set_mode(p, PF_POLICY);
		return 0;
	}
	if (nt >= 2 && is_integer(s + t[0].off, t[0].len) &&
	    memchr(s + t[1].off, '/', t[1].len))
		return policy_source(p, l, t);
	if (nt == 2 && is_integer(s + t[1].off, t[1].len))
		return policy_version(p, l, &t[0], false);
	if (nt == 3 && tok_is(s, &t[0], "***") &&
	    is_integer(s + t[2].off, t[2].len))
		return policy_version(p, l, &t[1], true);
	if (re_match(&rpm_qa_re, s, l->len, &m)) {
		if (policy_flush(p) < 0)
			return -1;
		return installed_row(p, l, &m, PF_RPM_QA);
	}
	if (re_match(&dpkg_re, s, l->len, &m)) {
		if (policy_flush(p) < 0)
			return -1;
		return installed_row(p, l, &m, PF_DPKG);
	}
	if (re_match(&apt_list_re, s, l->len, &m)) {
		if (policy_flush(p) < 0)
			return -1;
		return apt_list_row(p, l, &m);
	}
	if (nt >= 1 && nt <= 3 &&
	    arch_dot(s + t[0].off, t[0].len) != SIZE_MAX) {
		if (policy_flush(p) < 0)
			return -1;
		return yum_tokens(p, l, t, nt);
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
	while (!p.fatal && p.errors < MAX_ERRORS &&
	       (rc = text_reader_next(&p.r, &l)) != 0) {
		if (rc < 0) {
			p.errors++;
			break;
		}
		if (find_command(&l, &cmd, &cmd_len)) {
			if (end_block(&p) < 0)
				p.errors++;
			policy_reset(&p);
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
