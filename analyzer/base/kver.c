/*
 * kver.c - Kubernetes versions: parse, compare.
 */
#include <stdlib.h>
#include <string.h>

#include "base.h"

static struct re kver_re = {
	.pattern = "^v?([0-9]{1,4})\\.([0-9]{1,4})(?:\\.([0-9]{1,6}))?"
	"(?:-([0-9A-Za-z][0-9A-Za-z.-]*))?(?:\\+([0-9A-Za-z][0-9A-Za-z.-]*))?$"};

static unsigned
num(const char *s, size_t a, size_t b)
{
	unsigned v = 0;

	for (; a < b; a++)
		v = v * 10 + (unsigned)(s[a] - '0');
	return v;
}

static void
trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t' || **s == '"' ||
			**s == '\''))
		(*s)++, (*len)--;
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
			(*s)[*len - 1] == '"' || (*s)[*len - 1] == '\''))
		(*len)--;
}

bool
kver_parse_numbers(const char *s, size_t len, unsigned *major,
		   unsigned *minor, unsigned *patch, bool *has_patch)
{
	struct re_match m;

	trim(&s, &len);
	if (!re_match(&kver_re, s, len, &m))
		return false;
	*major = num(s, m.start[1], m.end[1]);
	*minor = num(s, m.start[2], m.end[2]);
	*has_patch = re_group_set(&m, 3);
	*patch = *has_patch ? num(s, m.start[3], m.end[3]) : 0;
	return true;
}

int
kver_parse(struct arena *a, const char *s, size_t len, struct kver *out,
	   const char **err)
{
	struct re_match m;

	memset(out, 0, sizeof(*out));
	trim(&s, &len);
	if (len == 0) {
		*err = "empty version";
		return -1;
	}
	if (!re_match(&kver_re, s, len, &m)) {
		*err = "not a Kubernetes version (want vMAJOR.MINOR.PATCH)";
		return -1;
	}
	out->major = num(s, m.start[1], m.end[1]);
	out->minor = num(s, m.start[2], m.end[2]);
	out->has_patch = re_group_set(&m, 3);
	out->patch = out->has_patch ? num(s, m.start[3], m.end[3]) : 0;
	out->text = arena_strndup(a, s, len);
	if (re_group_set(&m, 4))
		out->pre = arena_strndup(a, s + m.start[4],
					 m.end[4] - m.start[4]);
	if (re_group_set(&m, 5))
		out->build = arena_strndup(a, s + m.start[5],
					   m.end[5] - m.start[5]);
	if (!out->text || (re_group_set(&m, 4) && !out->pre) ||
	    (re_group_set(&m, 5) && !out->build)) {
		*err = "out of memory";
		return -1;
	}
	return 0;
}

bool
kver_is_canonical(const struct kver *v)
{
	const char *s = v->text;
	int field;

	if (!s)
		return false;
	if (*s == 'v')
		s++;
	for (field = 0; field < 3 && *s >= '0' && *s <= '9'; field++) {
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
		if (*s != '.')
			break;
		s++;
	}
	return true;
}

/*
 * Only alpha, beta and rc suffixes are pre-releases that sort before the
 * release; distro suffixes such as "-eks-2d98532", "-gke.1200" or
 * "-dispatcher" mark a build of that very release.
 */
static bool
is_prerelease(const char *pre)
{
	return pre && (!strncmp(pre, "alpha", 5) || !strncmp(pre, "beta", 4) ||
		       !strncmp(pre, "rc", 2));
}

int
kver_cmp(const struct kver *x, const struct kver *y)
{
	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	if (x->patch != y->patch)
		return x->patch < y->patch ? -1 : 1;
	if (is_prerelease(x->pre) != is_prerelease(y->pre))
		return is_prerelease(x->pre) ? -1 : 1;
	if (is_prerelease(x->pre))
		return strcmp(x->pre, y->pre) < 0 ? -1 :
		       strcmp(x->pre, y->pre) > 0 ? 1 : 0;
	return 0;
}

int
kver_minor_diff(const struct kver *x, const struct kver *y)
{
	/* Kubernetes has had major 1 throughout; weigh majors heavily. */
	return ((int)x->major - (int)y->major) * 1000 +
	       ((int)x->minor - (int)y->minor);
}

bool
kver_parse_minor_field(const char *s, size_t len, unsigned *minor)
{
	size_t i;
	unsigned v = 0;

	trim(&s, &len);
	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (i >= 4)
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (i == 0)
		return false;
	/* Managed builds print "27+"; nothing else may follow the digits. */
	if (i < len && !(i + 1 == len && s[i] == '+'))
		return false;
	*minor = v;
	return true;
}
