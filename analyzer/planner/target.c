/*
 * target.c - what `--to` means: the newest patch of a minor from the
 * capture (what the repository offers) or from the release data at the
 * as-of date, `latest` and `latest-patch`, and the warnings a target
 * carries (end of life, patch lists that end before the as-of date).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* rpm -qa and dpkg -l list what is installed, not what is available. */
static bool
is_installed_list(const struct package *p)
{
	return p->format &&
	       (!strcmp(p->format, "rpm-qa") || !strcmp(p->format, "dpkg-l"));
}

/*
 * Newest captured kubeadm patch of minor; false if none. Rows of the
 * legacy repository do not count once it has been removed.
 */
bool
plan_capture_newest(struct plan_ctx *c, unsigned minor, unsigned *patch)
{
	const struct cluster_state *cs = c->cs;
	unsigned ma, mi, pa, rm;
	bool hp, found = false;
	size_t i;

	for (i = 0; i < cs->packages.n; i++) {
		const struct package *p = &cs->packages.v[i];

		if (plan_pkg_origin(p, &rm) == PREPO_LEGACY &&
		    (!c->legacy || c->opt->as_of >= c->legacy->removed))
			continue;
		/* What is installed says nothing of what the repo offers. */
		if (is_installed_list(p))
			continue;
		if (strcmp(p->name, "kubeadm") || !p->upstream ||
		    !kver_parse_numbers(p->upstream, strlen(p->upstream), &ma,
					&mi, &pa, &hp) ||
		    !hp || ma != 1 || mi != minor)
			continue;
		if (!found || pa > *patch)
			*patch = pa;
		found = true;
	}
	return found;
}

static bool
capture_has(struct plan_ctx *c, const struct plan_ver *v)
{
	unsigned p;

	/* Any captured patch at or above v proves v was published. */
	return plan_capture_newest(c, v->minor, &p) && p >= v->patch;
}

/* Newest patch of minor released on or before as_of in the data. */
static bool
data_newest(const struct rules_db *db, unsigned minor, long as_of,
	    unsigned *patch)
{
	const struct release *r;
	size_t i;
	bool found = false;

	for (i = 0; i < db->releases.n; i++) {
		r = &db->releases.v[i];
		if (r->minor != minor)
			continue;
		for (size_t j = 0; j < r->npatches; j++)
			if (r->patches[j].date <= as_of) {
				*patch = r->patches[j].patch;
				found = true;
			}
	}
	return found;
}

static bool
data_has(const struct rules_db *db, const struct plan_ver *v, long as_of)
{
	unsigned p;

	return data_newest(db, v->minor, as_of, &p) && p >= v->patch;
}

/*
 * The newest patch of minor: from the capture if it lists the minor, else
 * from the release data. *verified says which.
 */
bool
plan_newest_patch(struct plan_ctx *c, unsigned minor, unsigned *patch,
	     bool *verified)
{
	if (plan_capture_newest(c, minor, patch)) {
		*verified = true;
		return true;
	}
	*verified = false;
	return data_newest(c->db, minor, c->opt->as_of, patch);
}

/*
 * A target the release data knows but dates after --as-of is refused as
 * not yet released (with its date), not as unknown. PLAN_OK when the
 * data does not know s at all; else PLAN_REFUSED or -1.
 */
static int
refuse_unreleased(struct plan_ctx *c, const char *s)
{
	const struct release *rel;
	const char *fill[6];
	unsigned ma, mi, pa;
	long when;
	bool hp;
	size_t i;
	char d1[11], d2[11];

	if (!kver_parse_numbers(s, strlen(s), &ma, &mi, &pa, &hp) || ma != 1 ||
	    !(rel = rules_release_of(c->db, mi)))
		return PLAN_OK;
	when = hp ? RULES_NO_DATE : rel->ga;
	for (i = 0; hp && i < rel->npatches; i++)
		if (rel->patches[i].patch == pa)
			when = rel->patches[i].date;
	if (when == RULES_NO_DATE || when <= c->opt->as_of)
		return PLAN_OK;
	date_format(c->opt->as_of, d1);
	date_format(when, d2);
	fill[0] = "target";
	fill[1] = s;
	fill[2] = "date";
	fill[3] = arena_strdup(c->a, d1);
	fill[4] = "released";
	fill[5] = arena_strdup(c->a, d2);
	if (!fill[3] || !fill[5])
		return -1;
	return plan_refuse(c, "plan-target-unreleased", "cluster", fill, 3,
			   NULL, 0);
}

int
plan_resolve_target(struct plan_ctx *c, struct plan_ver *to, bool *verified)
{
	const struct plan_ver *from = &c->plan->from;
	const char *s = c->opt->to;
	const char *fill[4];
	unsigned ma, mi, pa, top = 0;
	bool hp;
	size_t i;
	int rc;

	*verified = false;
	if (!strcmp(s, "latest-patch")) {
		mi = from->minor;
		if (!plan_newest_patch(c, mi, &pa, verified))
			goto unknown;
		*to = plan_ver_make(mi, pa);
		c->target_newest = true;
		return PLAN_OK;
	}
	if (!strcmp(s, "latest")) {
		for (i = 0; i < c->db->releases.n; i++)
			if (c->db->releases.v[i].ga <= c->opt->as_of &&
			    c->db->releases.v[i].minor > top)
				top = c->db->releases.v[i].minor;
		for (i = 0; i < c->cs->packages.n; i++) {
			const struct package *p = &c->cs->packages.v[i];

			if (!strcmp(p->name, "kubeadm") && p->upstream &&
			    kver_parse_numbers(p->upstream, strlen(p->upstream),
					       &ma, &mi, &pa, &hp) &&
			    ma == 1 && mi > top)
				top = mi;
		}
		if (!top || !plan_newest_patch(c, top, &pa, verified))
			goto unknown;
		*to = plan_ver_make(top, pa);
		c->target_newest = true;
		return PLAN_OK;
	}
	if (!kver_parse_numbers(s, strlen(s), &ma, &mi, &pa, &hp) || ma != 1)
		goto unknown;
	if (!hp) {
		if (!plan_newest_patch(c, mi, &pa, verified))
			goto unknown;
		*to = plan_ver_make(mi, pa);
		c->target_newest = true;
		return PLAN_OK;
	}
	*to = plan_ver_make(mi, pa);
	*verified = capture_has(c, to);
	if (!*verified && !data_has(c->db, to, c->opt->as_of))
		goto unknown;
	return PLAN_OK;
unknown:
	if ((rc = refuse_unreleased(c, s)) != PLAN_OK)
		return rc;
	fill[0] = "target";
	fill[1] = s;
	fill[2] = "compiled";
	{
		char date[11];

		date_format(c->db->compiled, date);
		fill[3] = arena_strdup(c->a, date);
	}
	if (!fill[3])
		return -1;
	return plan_refuse(c, "plan-target-unknown", "cluster", fill, 2,
			   NULL, 0);
}


/* A warning of rule id about the target; 0 or -1. */
static int
target_finding(struct plan_ctx *c, const char *id, const char *const *fill,
	       size_t nfill, const struct src_loc *ev)
{
	const struct rule *r = plan_rule(c, id);

	if (!r)
		return -1;
	return plan_finding(c->plan, c->a, r, "target", fill, nfill, ev,
			    ev && ev->path ? 1 : 0);
}

/*
 * The target's end of life, from data/releases.yaml: past it, the plan
 * still goes there (it is the way out of an older minor) but says the
 * minor gets no more patches; within the audit's near-EOL window, the
 * audit's own warning (version-near-end-of-life, its days parameter).
 * A newest patch taken from the release data after its patches_through
 * date may not be the newest any more: the plan says so.
 */
int
plan_target_warnings(struct plan_ctx *c, bool verified)
{
	const struct plan_ver *to = &c->plan->to;
	const struct release *rel = rules_release_of(c->db, to->minor);
	const struct rule *near;
	long as_of = c->opt->as_of;
	char eol[11], through[11];
	const char *fill[10];

	if (!rel)
		return 0;
	date_format(rel->eol, eol);
	fill[0] = "component";
	fill[1] = "the target";
	fill[2] = "version";
	fill[3] = plan_ver_str(c->a, to);
	fill[4] = "minor";
	fill[5] = arena_printf(c->a, "%u.%u", to->major, to->minor);
	fill[6] = "date";
	fill[7] = eol;
	fill[8] = "days";
	fill[9] = arena_printf(c->a, "%ld", rel->eol - as_of);
	if (!fill[3] || !fill[5] || !fill[9])
		return -1;
	if (rel->eol < as_of) {
		if (target_finding(c, "plan-target-end-of-life", fill, 4,
				   &rel->loc) < 0)
			return -1;
	} else {
		near = plan_rule(c, "version-near-end-of-life");
		if (!near)
			return -1;
		if (near->days >= 0 && rel->eol - as_of <= near->days &&
		    target_finding(c, "version-near-end-of-life", fill, 5,
				   &rel->loc) < 0)
			return -1;
	}
	if (verified || !c->target_newest ||
	    c->db->patches_through == RULES_NO_DATE ||
	    as_of <= c->db->patches_through || as_of > rel->eol)
		return 0;
	date_format(c->db->patches_through, through);
	fill[6] = "through";
	fill[7] = through;
	return target_finding(c, "plan-target-patches-incomplete", fill, 4,
			      NULL);
}
