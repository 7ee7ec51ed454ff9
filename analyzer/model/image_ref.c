/*
 * image_ref.c - the Docker/OCI image reference grammar (as in
 * docker/distribution's reference package) and the table that interns the
 * parsed references, so that 150,000 pods running the same kube-proxy image
 * share one struct image_ref.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define REF_NAME_MAX 255	/* NameTotalLengthMax in reference.go */

/*
 * The anchored reference: [domain[:port]/]component(/component)*[:tag]
 * [@digest]. Path components use [-]+ rather than reference.go's older
 * [-]*, which matches the same language without the exponential
 * backtracking of an empty alternative inside a repeat.
 */
#define RE_DOMAIN_COMP "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
#define RE_DOMAIN                                                              \
	"(?:" RE_DOMAIN_COMP "(?:\\." RE_DOMAIN_COMP ")*"                      \
	"|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?"
#define RE_PATH_COMP "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
#define RE_NAME                                                                \
	"(?:" RE_DOMAIN "/)?" RE_PATH_COMP "(?:/" RE_PATH_COMP ")*"
#define RE_TAG "[\\w][\\w.-]{0,127}"
#define RE_DIGEST                                                              \
	"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"

#define RE_REFERENCE                                                           \
	"^(" RE_NAME ")(?::(" RE_TAG "))?(?:@(" RE_DIGEST "))?\\z"

static struct re re_reference = {.pattern = RE_REFERENCE};
/* The same without the lowercase rule, to tell "must be lowercase" apart. */
static struct re re_reference_caseless = {.pattern = "(?i)" RE_REFERENCE};
static struct re re_tag = {.pattern = "^" RE_TAG "\\z"};
static struct re re_digest = {.pattern = "^" RE_DIGEST "\\z"};
static struct re re_hex64 = {.pattern = "^[a-f0-9]{64}\\z"};

/* The control-plane and add-on images skewplan knows by name. */
static const char *const components[] = {
	"kube-apiserver", "kube-controller-manager", "kube-scheduler",
	"kube-proxy", "etcd", "coredns", "pause", "cloud-controller-manager",
};

/* kubeadm before 1.12 suffixed images with the architecture. */
static const char *const arch_suffixes[] = {
	"-amd64", "-arm64", "-arm", "-ppc64le", "-s390x", "-386",
};

static bool
has_suffix(const char *s, size_t len, const char *suf)
{
	size_t n = strlen(suf);

	return len >= n && !memcmp(s + len - n, suf, n);
}

/* Returns the static component name for a repository, or NULL. */
static const char *
component_of(const char *repo)
{
	const char *last = strrchr(repo, '/');
	size_t len, i, j;

	last = last ? last + 1 : repo;
	len = strlen(last);
	for (j = 0; j <= ARRAY_SIZE(arch_suffixes); j++) {
		size_t n = len;

		if (j > 0) {
			if (!has_suffix(last, len, arch_suffixes[j - 1]))
				continue;
			n -= strlen(arch_suffixes[j - 1]);
		}
		for (i = 0; i < ARRAY_SIZE(components); i++)
			if (strlen(components[i]) == n &&
			    !memcmp(components[i], last, n))
				return components[i];
	}
	return NULL;
}

/*
 * Says why s[0..len), which the grammar rejected, is not a reference: the
 * message is a static string for "invalid image reference 'X': <why>".
 */
static const char *
why_invalid(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	size_t name_len = at ? (size_t)(at - s) : len;
	size_t i, slash = 0, colon = SIZE_MAX;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return "contains white space or a control character";
	if (at) {
		if (at + 1 == s + len)
			return "missing digest after '@'";
		if (!re_match(&re_digest, at + 1, len - name_len - 1, NULL))
			return "invalid digest";
	}
	for (i = 0; i < name_len; i++) {
		if (s[i] == '/') {
			slash = i + 1;
			colon = SIZE_MAX;
		} else if (s[i] == ':' && i >= slash) {
			colon = i;
		}
	}
	/* A colon in the last path element starts the tag. */
	if (colon != SIZE_MAX) {
		if (colon + 1 == name_len)
			return "missing tag after ':'";
		if (!re_match(&re_tag, s + colon + 1, name_len - colon - 1,
			      NULL))
			return "invalid tag";
		name_len = colon;
	}
	if (name_len == 0)
		return "missing repository name";
	if (re_match(&re_reference_caseless, s, len, NULL))
		return "repository name must be lowercase";
	return "invalid reference format";
}

int
model_parse_image_ref(struct arena *a, const char *image, size_t len,
		      struct image_ref *out, const char **err)
{
	struct re_match m;
	const char *name, *slash, *digest = NULL;
	const char *reg = "docker.io", *repo;
	size_t name_len, reg_len = 9, repo_len;
	bool library = false;

	memset(out, 0, sizeof(*out));
	if (len == 0) {
		*err = "empty image reference";
		return -1;
	}
	if (!re_match(&re_reference, image, len, &m)) {
		*err = why_invalid(image, len);
		return -1;
	}
	name = image + m.start[1];
	name_len = m.end[1] - m.start[1];
	if (name_len > REF_NAME_MAX) {
		*err = "repository name longer than 255 characters";
		return -1;
	}
	if (re_match(&re_hex64, name, name_len, NULL)) {
		*err = "repository name cannot be a 64-byte hexadecimal string";
		return -1;
	}
	if (re_group_set(&m, 3)) {
		const char *d = image + m.start[3];
		size_t dlen = m.end[3] - m.start[3];
		const char *colon = memchr(d, ':', dlen);
		size_t alen = (size_t)(colon - d), hlen = dlen - alen - 1, i;
		size_t want = 0;

		if (alen == 6 && !memcmp(d, "sha256", 6))
			want = 64;
		else if (alen == 6 && !memcmp(d, "sha384", 6))
			want = 96;
		else if (alen == 6 && !memcmp(d, "sha512", 6))
			want = 128;
		if (want == 0) {
			*err = "unsupported digest algorithm";
			return -1;
		}
		for (i = 0; i < hlen; i++)
			if (colon[1 + i] >= 'A' && colon[1 + i] <= 'F')
				break;
		if (hlen != want || i < hlen) {
			*err = "invalid digest";
			return -1;
		}
		digest = d;
	}

	/* splitDockerDomain: the first element names a registry or not. */
	repo = name;
	repo_len = name_len;
	slash = memchr(name, '/', name_len);
	if (slash) {
		size_t n = (size_t)(slash - name), i;
		bool domain = n == 9 && !memcmp(name, "localhost", 9);

		for (i = 0; i < n && !domain; i++)
			if (name[i] == '.' || name[i] == ':' ||
			    (name[i] >= 'A' && name[i] <= 'Z'))
				domain = true;
		if (domain) {
			reg = name;
			reg_len = n;
			repo = slash + 1;
			repo_len = name_len - n - 1;
			/* The legacy Docker Hub name (legacyDefaultDomain). */
			if (reg_len == 15 &&
			    !memcmp(reg, "index.docker.io", 15)) {
				reg = "docker.io";
				reg_len = 9;
			}
		}
	}
	if (reg_len == 9 && !memcmp(reg, "docker.io", 9) &&
	    !memchr(repo, '/', repo_len))
		library = true;

	if (!(out->image = arena_strndup(a, image, len)) ||
	    !(out->registry = arena_strndup(a, reg, reg_len)))
		goto oom;
	if (library)
		out->repository = arena_printf(a, "library/%.*s",
					       (int)repo_len, repo);
	else
		out->repository = arena_strndup(a, repo, repo_len);
	if (!out->repository)
		goto oom;
	if (re_group_set(&m, 2) &&
	    !(out->tag = arena_strndup(a, image + m.start[2],
				       m.end[2] - m.start[2])))
		goto oom;
	if (digest && !(out->digest = arena_strndup(a, digest,
						    m.end[3] - m.start[3])))
		goto oom;
	out->component = component_of(out->repository);
	return 0;
oom:
	*err = "out of memory";
	return -1;
}

/* ------------------------------------------------------------ interning */

/* cs->intern: a struct strmap from the image string as written to its ref. */

const struct image_ref *
model_image_ref(struct cluster_state *cs, const char *image, size_t len,
		const char **err)
{
	struct image_ref tmp, *ref = strmap_get(&cs->intern, image, len);

	if (ref)
		return ref;
	if (model_parse_image_ref(cs->arena, image, len, &tmp, err) < 0)
		return NULL;
	if (!(ref = arena_alloc(cs->arena, sizeof(*ref))) ||
	    (*ref = tmp, strmap_put(&cs->intern, ref->image, len, ref) < 0)) {
		*err = "out of memory";
		return NULL;
	}
	return ref;
}
