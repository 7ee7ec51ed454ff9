/*
 * packages_repo.c - what a package row's repository is: the legacy
 * apt.kubernetes.io/yum.kubernetes.io, pkgs.k8s.io (and its minor), a
 * mirror or a local source; for the lists that print no URL, told by the
 * package release or the Debian archive name.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The Kubernetes minor in a repository path: ".../core:/stable:/v1.29/deb". */
static struct re repo_minor_re = {.pattern = "/v1\\.([0-9]{1,3})(?:/|\\s|$)"};

/*
 * Splits a package version into upstream and revision: the upstream is
 * what lies between an epoch ("1:") and the last '-'; the revision is
 * what follows that '-' (NULL when there is none).
 */
int
pkg_split_version(struct arena *a, const char *v, size_t len, const char **up,
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
enum repo_kind
pkg_classify_repo(const char *s, size_t len, unsigned *minor)
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
		if (pkg_is_blank(s[i]))
			return REPO_OTHER;
	if (i + 3 > len)
		return REPO_OTHER;
	host = s + i + 3;
	for (hlen = 0; host + hlen < s + len && host[hlen] != '/' &&
		       host[hlen] != ':' && !pkg_is_blank(host[hlen]);
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
enum repo_kind
pkg_classify_rpm_release(const struct package *k, unsigned *minor)
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
enum repo_kind
pkg_classify_deb_archive(const struct package *k, const char *archive, size_t len,
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
