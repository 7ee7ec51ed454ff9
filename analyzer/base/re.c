/*
 * re.c - the PCRE2 patterns of the program, compiled once on first use.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>

#include "base.h"

#define RE_REGISTRY_MAX 512

static struct re *registry[RE_REGISTRY_MAX];
static size_t nregistry;

static bool
re_compile(struct re *re)
{
	int err;
	PCRE2_SIZE off;

	if (nregistry == RE_REGISTRY_MAX)
		return false;
	re->code = pcre2_compile((PCRE2_SPTR)re->pattern, PCRE2_ZERO_TERMINATED,
				 re->flags | PCRE2_UTF | PCRE2_NO_UTF_CHECK,
				 &err, &off, NULL);
	if (!re->code)
		return false;
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (!re->md) {
		pcre2_code_free(re->code);
		re->code = NULL;
		return false;
	}
	/*
	 * JIT where available; matching works without it. valgrind cannot
	 * follow JIT code (false "uninitialised" reports), so `make valgrind`
	 * sets SKEWPLAN_NO_JIT.
	 */
	if (!getenv("SKEWPLAN_NO_JIT"))
		(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	registry[nregistry++] = re;
	return true;
}

bool
re_match(struct re *re, const char *s, size_t len, struct re_match *m)
{
	PCRE2_SIZE *ov;
	int rc, i;

	if (!re->code && !re_compile(re))
		return false;
	/*
	 * Input is not guaranteed to be UTF-8, and PCRE2 must not read it as
	 * such unchecked: invalid UTF-8 simply does not match.
	 */
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, NULL);
	if (rc <= 0)
		return false;
	if (!m)
		return true;
	ov = pcre2_get_ovector_pointer(re->md);
	m->n = rc;
	for (i = 0; i < RE_MAX_GROUPS; i++) {
		if (i < rc && ov[2 * i] != PCRE2_UNSET) {
			m->start[i] = ov[2 * i];
			m->end[i] = ov[2 * i + 1];
		} else {
			m->start[i] = m->end[i] = SIZE_MAX;
		}
	}
	return true;
}

bool
re_group_set(const struct re_match *m, int g)
{
	return g >= 0 && g < RE_MAX_GROUPS && m->start[g] != SIZE_MAX;
}

void
re_release(struct re *re)
{
	size_t i;

	if (!re || !re->code)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	re->md = re->code = NULL;
	for (i = 0; i < nregistry; i++)
		if (registry[i] == re) {
			registry[i] = registry[--nregistry];
			break;
		}
}

void
re_release_all(void)
{
	while (nregistry > 0)
		re_release(registry[nregistry - 1]);
}
