/*
 * re.c - the PCRE2 patterns of the program, compiled once on first use.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>

#include "base.h"

#define RE_REGISTRY_MAX 512

/*
 * Every match runs under limits, so that no pattern and no line can make
 * a run hang (a backtracking pattern is quadratic or worse in the line
 * length, and lines may be 64 MB). The match limit grows with the subject:
 * a pattern that does bounded work per byte stays far below it, one that
 * rescans the line from every position hits it on a long line. A match
 * stopped by a limit is no match, and is counted: the owner of the input
 * reports it with its location (re_limit_hits).
 */
#define RE_WORK_BASE 100000u		/* match-limit units for any subject */
#define RE_WORK_PER_BYTE 64u		/* and per byte of the subject */
#define RE_DEPTH_LIMIT 100000u		/* backtracking depth (interpreter) */
#define RE_HEAP_LIMIT_KIB (64u << 10)	/* backtracking memory (interpreter) */
#define RE_JIT_STACK_MIN (32u << 10)
#define RE_JIT_STACK_MAX (8u << 20)

static struct re *registry[RE_REGISTRY_MAX];
static size_t nregistry;
static pcre2_match_context *mctx;	/* owned: limits, JIT stack */
static pcre2_jit_stack *jit_stack;	/* owned */
static unsigned long limit_hits;
static int last_limit_error;

/* The match context shared by every pattern; NULL if out of memory. */
static pcre2_match_context *
match_context(void)
{
	if (mctx)
		return mctx;
	mctx = pcre2_match_context_create(NULL);
	if (!mctx)
		return NULL;
	pcre2_set_depth_limit(mctx, RE_DEPTH_LIMIT);
	pcre2_set_heap_limit(mctx, RE_HEAP_LIMIT_KIB);
	jit_stack = pcre2_jit_stack_create(RE_JIT_STACK_MIN, RE_JIT_STACK_MAX,
					   NULL);
	if (jit_stack)
		pcre2_jit_stack_assign(mctx, NULL, jit_stack);
	return mctx;
}

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
	pcre2_match_context *mc;
	PCRE2_SIZE *ov;
	uint64_t work;
	int rc, i;

	if (!re->code && !re_compile(re))
		return false;
	if (!(mc = match_context())) {
		limit_hits++;
		last_limit_error = PCRE2_ERROR_NOMEMORY;
		return false;
	}
	work = RE_WORK_BASE + (uint64_t)RE_WORK_PER_BYTE * len;
	pcre2_set_match_limit(mc, work > UINT32_MAX ? UINT32_MAX
						    : (uint32_t)work);
	/*
	 * Input is not guaranteed to be UTF-8, and PCRE2 must not read it as
	 * such unchecked: invalid UTF-8 simply does not match.
	 */
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, mc);
	/* Invalid UTF-8 is no match; anything else is a limit. */
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH &&
	    !(rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)) {
		limit_hits++;
		last_limit_error = rc;
	}
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

unsigned long
re_limit_hits(void)
{
	return limit_hits;
}

const char *
re_limit_reason(void)
{
	switch (last_limit_error) {
	case 0: return "none";
	case PCRE2_ERROR_MATCHLIMIT: return "match limit";
	case PCRE2_ERROR_DEPTHLIMIT: return "depth limit";
	case PCRE2_ERROR_HEAPLIMIT: return "heap limit";
	case PCRE2_ERROR_JIT_STACKLIMIT: return "JIT stack limit";
	case PCRE2_ERROR_NOMEMORY: return "out of memory";
	default: return "matching error";
	}
}

void
re_release_all(void)
{
	while (nregistry > 0)
		re_release(registry[nregistry - 1]);
	pcre2_match_context_free(mctx);
	pcre2_jit_stack_free(jit_stack);
	mctx = NULL;
	jit_stack = NULL;
}
