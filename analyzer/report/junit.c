/*
 * junit.c - findings as JUnit XML for the test tab of a CI system. One
 * testsuite per rule family, one testcase per rule and subject: a finding
 * at or above --fail-on is a failure, a waived one is skipped, and a rule
 * that ran without a finding is a passing testcase, so the tab shows what
 * was checked as well as what broke. Checked with junitparser.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The families in the order of the rules data, then any others. */
static const char *const family_order[] = {
	"skew", "support", "health", "images", "packages", "plan", "meta",
};

#define MAX_FAMILIES 32

struct counts {
	size_t tests, failures, skipped;
};

static bool
same_rule(const struct rule *a, const struct rule *b)
{
	return a == b || !strcmp(a->id, b->id);
}

/* One line of XML text or attribute: a newline shows as \x0a. */
static void
xml(struct buf *b, const char *s)
{
	report_add_xml(b, s, strlen(s), 0);
}

/* The details of f as the body of a failure or system-out element. */
static void
details(struct buf *b, const struct finding *f)
{
	size_t i;

	buf_addf(b, "%s [%s] ", rules_severity_name(f->severity), f->rule->id);
	xml(b, f->message);
	buf_adds(b, "\nsubject: ");
	xml(b, f->subject);
	report_add_evidence(b, f, "\nevidence: ", "\nevidence: ",
			    "\nevidence: (none: the input is absent)",
			    report_add_loc_xml);
	buf_adds(b, "\nremediation: ");
	report_add_xml(b, f->remediation, strlen(f->remediation), ESC_LINES);
	for (i = 0; i < f->rule->nreferences; i++) {
		buf_adds(b, "\nreference: ");
		xml(b, f->rule->references[i]);
	}
	buf_addc(b, '\n');
}

static bool
fails(const struct report_input *in, const struct finding *f)
{
	return !f->suppressed && in->fail_on >= 0 &&
	       (int)f->severity <= in->fail_on;
}

/* The input-missing finding that lists r as skipped, or NULL. */
static const struct finding *
not_evaluated(const struct report_input *in, const struct rule *r)
{
	const struct finding *f;
	size_t i, k;

	for (i = 0; i < in->findings->n; i++) {
		f = &in->findings->v[i];
		for (k = 0; k < f->nskipped_rules; k++)
			if (!strcmp(f->skipped_rules[k], r->id))
				return f;
	}
	return NULL;
}

/*
 * The testcase of rule r and subject: the n findings idx[] of in->findings
 * that share both, in their sorted order. With n == 0, the rule ran
 * without a finding (a pass), or was skipped for a missing input. Counts
 * into c; writes into b unless b is NULL (the counting pass).
 */
static void
testcase(struct buf *b, const struct report_input *in, const char *family,
	 const struct rule *r, const char *subject, const size_t *idx,
	 size_t n, struct counts *c)
{
	const struct finding *f, *notev;
	size_t i, nfail = 0, nskip = 0;
	char date[11];

	for (i = 0; i < n; i++) {
		f = &in->findings->v[idx[i]];
		if (fails(in, f))
			nfail++;
		else if (f->suppressed)
			nskip++;
	}
	notev = n == 0 ? not_evaluated(in, r) : NULL;
	c->tests++;
	if (notev)
		c->skipped++;
	else if (nfail)
		c->failures++;
	else if (n && nskip == n)
		c->skipped++;
	if (!b)
		return;
	buf_adds(b, "\t\t<testcase classname=\"skewplan.");
	xml(b, family);
	buf_adds(b, "\" name=\"");
	xml(b, r->id);
	if (subject) {
		buf_adds(b, " (");
		xml(b, subject);
		buf_adds(b, ")");
	}
	buf_adds(b, "\" time=\"0\"");
	if (notev) {
		buf_adds(b, ">\n\t\t\t<skipped message=\"not evaluated: ");
		xml(b, notev->message);
		buf_adds(b, "\"/>\n\t\t</testcase>\n");
		return;
	}
	if (n == 0) {
		buf_adds(b, "/>\n");
		return;
	}
	buf_adds(b, ">\n");
	if (nfail) {
		for (i = 0; i < n; i++) {
			f = &in->findings->v[idx[i]];
			if (!fails(in, f))
				continue;
			buf_adds(b, "\t\t\t<failure message=\"");
			xml(b, f->message);
			buf_addf(b, "\" type=\"%s\">",
				 rules_severity_name(f->severity));
			details(b, f);
			buf_adds(b, "</failure>\n");
			break;
		}
	} else if (nskip == n) {
		f = &in->findings->v[idx[0]];
		date_format(f->waiver ? f->waiver->expires : in->as_of, date);
		buf_adds(b, "\t\t\t<skipped message=\"waived by ");
		xml(b, f->waiver ? f->waiver->owner : "a waiver");
		buf_addf(b, " until %s: ", date);
		xml(b, f->waiver ? f->waiver->reason : "");
		buf_adds(b, "\"/>\n");
	}
	if (nfail) {
		buf_adds(b, "\t\t</testcase>\n");
		return;
	}
	buf_adds(b, "\t\t\t<system-out>");
	for (i = 0; i < n; i++) {
		f = &in->findings->v[idx[i]];
		if (f->suppressed)
			buf_adds(b, "(waived) ");
		details(b, f);
	}
	buf_adds(b, "</system-out>\n\t\t</testcase>\n");
}

/*
 * The rules a report tests: an audit runs every rule but the plan checks;
 * a plan runs its own checks, and lists any other rule it has a finding of.
 */
static bool
rule_wanted(const struct report_input *in, const struct rule *r)
{
	size_t i;

	if (!in->plan)
		return r->check != CK_PLAN;
	if (r->check == CK_PLAN)
		return true;
	for (i = 0; i < in->findings->n; i++)
		if (same_rule(in->findings->v[i].rule, r))
			return true;
	return false;
}

struct group {
	size_t first, last;
};

/* Scratch for grouping findings: owned arrays of fs->n + 1 entries. */
struct grouping {
	size_t *idx;	/* the findings of one testcase */
	size_t *next;	/* the next finding of the same rule and subject */
	struct strmap by_subject;	/* subject -> 1 + index into groups */
	VEC(struct group) groups;
};

static void
grouping_release(struct grouping *g)
{
	free(g->idx);
	free(g->next);
	strmap_release(&g->by_subject);
	vec_release(&g->groups);
}

/*
 * Groups the findings of rule r by subject, in the order of each
 * subject's first finding (findings are sorted). A hash of the subject
 * keeps this linear: 100,000 findings compared pairwise did not finish in
 * 19 minutes.
 */
static int
group_rule(struct grouping *g, const struct findings *fs, const struct rule *r)
{
	struct group *gr;
	const char *subj;
	uintptr_t k;
	size_t i;

	strmap_release(&g->by_subject);
	g->groups.n = 0;
	for (i = 0; i < fs->n; i++) {
		if (!same_rule(fs->v[i].rule, r))
			continue;
		subj = fs->v[i].subject;
		g->next[i] = SIZE_MAX;
		k = (uintptr_t)strmap_get(&g->by_subject, subj, strlen(subj));
		if (k) {
			gr = &g->groups.v[k - 1];
			g->next[gr->last] = i;
			gr->last = i;
			continue;
		}
		if (!(gr = vec_push(&g->groups)) ||
		    strmap_put(&g->by_subject, subj, strlen(subj),
			       (void *)(uintptr_t)g->groups.n) < 0)
			return -1;
		gr->first = gr->last = i;
	}
	return 0;
}

/*
 * The testcases of one family: counted into c, and written into b unless
 * b is NULL. b is flushed after each testcase.
 */
static int
suite_cases(struct buf *b, const struct report_input *in, const char *family,
	    struct grouping *g, struct counts *c)
{
	const struct findings *fs = in->findings;
	const struct group *gr;
	size_t ri, j, n;

	for (ri = 0; ri < in->db->rules.n; ri++) {
		const struct rule *r = &in->db->rules.v[ri];

		if (!r->family || strcmp(r->family, family) ||
		    !rule_wanted(in, r))
			continue;
		if (group_rule(g, fs, r) < 0)
			return -1;
		vec_foreach(&g->groups, gr) {
			for (n = 0, j = gr->first; j != SIZE_MAX; j = g->next[j])
				g->idx[n++] = j;
			testcase(b, in, family, r, fs->v[gr->first].subject,
				 g->idx, n, c);
			if (b && buf_flush(b) < 0)
				return -1;
		}
		if (g->groups.n == 0)
			testcase(b, in, family, r, NULL, g->idx, 0, c);
	}
	return 0;
}

static void
properties(struct buf *b, const struct report_input *in)
{
	char date[11];

	buf_adds(b, "\t\t<properties>\n");
	buf_addf(b, "\t\t\t<property name=\"skewplan.version\" value=\"%s\"/>\n",
		 SKEWPLAN_VERSION);
	buf_addf(b, "\t\t\t<property name=\"skewplan.command\" value=\"%s\"/>\n",
		 in->command);
	date_format(in->as_of, date);
	buf_addf(b, "\t\t\t<property name=\"skewplan.as-of\" value=\"%s\"/>\n",
		 date);
	if (in->db->compiled != RULES_NO_DATE) {
		date_format(in->db->compiled, date);
		buf_addf(b, "\t\t\t<property name=\"skewplan.rules-data\" "
			 "value=\"%s\"/>\n", date);
	}
	if (in->db->dir) {
		buf_adds(b, "\t\t\t<property name=\"skewplan.rules-dir\" "
			 "value=\"");
		report_add_xml(b, in->db->dir, strlen(in->db->dir), 0);
		buf_adds(b, "\"/>\n");
	}
	if (in->db->origin)
		buf_addf(b, "\t\t\t<property name=\"skewplan.rules-origin\" "
			 "value=\"%s\"/>\n", in->db->origin);
	buf_addf(b, "\t\t\t<property name=\"skewplan.fail-on\" value=\"%s\"/>\n",
		 in->fail_on < 0 ? "never"
				 : rules_severity_name((enum severity)in->fail_on));
	buf_adds(b, "\t\t</properties>\n");
}

/*
 * Two passes over the families: one counts (the totals come first in the
 * document), one writes, flushing after each testcase.
 */
int
report_junit(struct buf *out, const struct report_input *in)
{
	const char *families[MAX_FAMILIES];
	struct counts counts[MAX_FAMILIES], total = {0, 0, 0};
	struct grouping g;
	size_t nfam = 0, i, k, n = in->findings->n + 1;
	int rc = 0;

	for (i = 0; i < ARRAY_SIZE(family_order); i++)
		families[nfam++] = family_order[i];
	for (i = 0; i < in->db->rules.n; i++) {
		const char *fam = in->db->rules.v[i].family;

		for (k = 0; fam && k < nfam; k++)
			if (!strcmp(families[k], fam))
				break;
		if (fam && k == nfam && nfam < MAX_FAMILIES)
			families[nfam++] = fam;
	}
	memset(&g, 0, sizeof(g));
	memset(counts, 0, sizeof(counts));
	g.idx = base_malloc(n * sizeof(*g.idx));
	g.next = base_malloc(n * sizeof(*g.next));
	if (!g.idx || !g.next)
		rc = -1;
	for (i = 0; i < nfam && rc == 0; i++) {
		rc = suite_cases(NULL, in, families[i], &g, &counts[i]);
		total.tests += counts[i].tests;
		total.failures += counts[i].failures;
		total.skipped += counts[i].skipped;
	}
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	buf_addf(out, "<testsuites name=\"skewplan %s\" tests=\"%zu\" "
		 "failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n",
		 in->command, total.tests, total.failures, total.skipped);
	for (i = 0; i < nfam && rc == 0; i++) {
		struct counts c = {0, 0, 0};

		if (counts[i].tests == 0)
			continue;
		buf_adds(out, "\t<testsuite name=\"");
		xml(out, families[i]);
		buf_addf(out, "\" tests=\"%zu\" failures=\"%zu\" "
			 "errors=\"0\" skipped=\"%zu\" time=\"0\">\n",
			 counts[i].tests, counts[i].failures,
			 counts[i].skipped);
		properties(out, in);
		rc = suite_cases(out, in, families[i], &g, &c);
		buf_adds(out, "\t</testsuite>\n");
	}
	buf_adds(out, "</testsuites>\n");
	grouping_release(&g);
	return rc < 0 || out->oom ? -1 : 0;
}
