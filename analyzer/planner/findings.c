/*
 * findings.c - the planner's findings: rule lookup, {name} rendering, and
 * refusals.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const struct rule *
plan_rule(struct plan_ctx *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->db->rules.n; i++)
		if (!strcmp(c->db->rules.v[i].id, id))
			return &c->db->rules.v[i];
	diag_plain(c->d, DIAG_ERROR, "rules data has no rule '%s'", id);
	return NULL;
}

/* Renders {name} placeholders of tmpl from fill (name, value pairs). */
static const char *
render(struct arena *a, const char *tmpl, const char *const *fill,
       size_t nfill)
{
	struct buf b = BUF_INIT;
	const char *p, *e, *out;
	size_t i;

	for (p = tmpl; *p; p++) {
		if (*p == '{' && (e = strchr(p, '}')) != NULL) {
			for (i = 0; i + 1 < nfill * 2; i += 2)
				if (strlen(fill[i]) == (size_t)(e - p - 1) &&
				    !strncmp(fill[i], p + 1, (size_t)(e - p - 1)))
					break;
			if (i + 1 < nfill * 2) {
				buf_adds(&b, fill[i + 1] ? fill[i + 1] : "?");
				p = e;
				continue;
			}
		}
		buf_addc(&b, *p);
	}
	out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

int
plan_finding(struct plan *plan, struct arena *a, const struct rule *r,
	     const char *subject, const char *const *fill, size_t nfill,
	     const struct src_loc *ev, size_t nev)
{
	struct finding *f;
	struct finding *grown;

	if (plan->findings.n == plan->findings.cap) {
		size_t cap = plan->findings.cap ? plan->findings.cap * 2 : 8;

		grown = base_realloc(plan->findings.v, cap * sizeof(*grown));
		if (!grown)
			return -1;
		plan->findings.v = grown;
		plan->findings.cap = cap;
	}
	f = &plan->findings.v[plan->findings.n];
	memset(f, 0, sizeof(*f));
	f->rule = r;
	f->severity = r->severity;
	f->subject = arena_strdup(a, subject ? subject : "cluster");
	f->message = render(a, r->message, fill, nfill);
	f->remediation = render(a, r->remediation, fill, nfill);
	if (!f->subject || !f->message || !f->remediation)
		return -1;
	if (nev) {
		f->evidence = arena_alloc(a, nev * sizeof(*ev));
		if (!f->evidence)
			return -1;
		memcpy(f->evidence, ev, nev * sizeof(*ev));
		f->nevidence = nev;
	}
	plan->findings.n++;
	return 0;
}

int
plan_refuse(struct plan_ctx *c, const char *id, const char *subject,
	    const char *const *fill, size_t nfill, const struct src_loc *ev,
	    size_t nev)
{
	const struct rule *r = plan_rule(c, id);

	if (!r || plan_finding(c->plan, c->a, r, subject, fill, nfill, ev,
			       nev) < 0)
		return -1;
	c->plan->refused = true;
	return PLAN_REFUSED;
}

