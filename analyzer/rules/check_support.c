/*
 * check_support.c - release support: end of life, the support window, the
 * newest patch of the running minor, and the age of the rules data. All
 * dates come from data/releases.yaml; the version checked is the
 * cluster's (the server version, else the oldest kube-apiserver).
 *
 * One definition (README "Supported versions"): a minor is supported until
 * its end of life, the last day of its patch series (about 14 months after
 * GA: https://kubernetes.io/releases/patch-releases/#support-period). Past
 * it is the error (version-end-of-life); before it, not being one of the
 * three newest minors (the branches the project actively maintains,
 * https://kubernetes.io/releases/version-skew-policy/#supported-versions)
 * is a warning, like being close to the end (version-near-end-of-life).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const comp = "kube-apiserver";

/*
 * Why the cluster's version is none the release data can judge, or NULL:
 * written with leading zeros, a major other than 1, or a minor newer than
 * the data. Such a version gets version-unknown and no support finding
 * at all: neither a pass nor an end of life made up from the nearest row.
 * A minor older than the data is known to be past its end of life.
 */
static const char *
unknown_reason(struct eval_ctx *c)
{
	const struct kver *v = c->cluster;
	const struct release *last;
	char date[11];

	if (!kver_is_canonical(v))
		return "its numbers have leading zeros, which no Kubernetes "
		       "release has";
	if (v->major != 1)
		return arena_printf(c->a, "there is no Kubernetes major %u",
				    v->major);
	if (c->db->releases.n == 0)
		return "the rules data lists no release";
	last = &c->db->releases.v[c->db->releases.n - 1];
	if (v->minor > last->minor) {
		date_format(c->db->compiled, date);
		return arena_printf(c->a, "minor 1.%u is newer than every "
				    "release in the rules data (1.%u to 1.%u, "
				    "compiled %s)", v->minor,
				    c->db->releases.v[0].minor, last->minor,
				    date);
	}
	return NULL;
}

/*
 * The release row of the cluster's minor, or NULL (reported as missing,
 * or older than the data). *unknown is set when the version is one the
 * data cannot judge (unknown_reason); the caller then stays quiet.
 */
static int
cluster_release_known(struct eval_ctx *c, const struct rule *r,
		      const struct release **rel, bool *unknown)
{
	*rel = NULL;
	*unknown = false;
	if (!c->cluster)
		return eval_missing(c, r, "version");
	if (unknown_reason(c)) {
		*unknown = true;
		return 0;
	}
	*rel = rules_release_of(c->db, c->cluster->minor);
	return 0;
}

static int
cluster_release(struct eval_ctx *c, const struct rule *r,
		const struct release **rel)
{
	bool unknown;
	int rc = cluster_release_known(c, r, rel, &unknown);

	if (rc == 0 && unknown)
		return 1;
	return rc;
}

int
check_version_unknown(struct eval_ctx *c, const struct rule *r)
{
	const char *why;

	if (!c->cluster)
		return 0;	/* the support rules report the missing input */
	if (!(why = unknown_reason(c)))
		return 0;
	{
		struct fill f[] = {
			{"component", comp},
			{"version", c->cluster->text},
			{"reason", why},
		};

		return eval_emit(c, r, "cluster", f, ARRAY_SIZE(f),
				 &c->cluster_loc, 1);
	}
}

int
check_eol(struct eval_ctx *c, const struct rule *r)
{
	const struct release *rel;
	const struct release *first;
	long eol;
	int rc;

	if ((rc = cluster_release(c, r, &rel)) != 0 || !c->cluster)
		return rc < 0 || c->oom ? -1 : 0;
	if (rel) {
		eol = rel->eol;
	} else {
		/* Older than the data: past end of life for certain. */
		first = c->db->releases.n ? &c->db->releases.v[0] : NULL;
		if (!first || c->cluster->minor > first->minor)
			return 0;	/* not reached: unknown_reason() */
		eol = first->eol;
	}
	if (eol < c->as_of) {
		struct fill f[] = {
			{"component", comp},
			{"version", eval_ver(c, c->cluster)},
			{"minor", eval_minor(c, c->cluster->major,
					     c->cluster->minor)},
			{"date", rel ? eval_date(c, eol)
				     : arena_printf(c->a, "or before %s",
						    eval_date(c, eol))},
		};

		return eval_emit(c, r, "cluster", f, ARRAY_SIZE(f),
				 &c->cluster_loc, 1);
	}
	return 0;
}

/*
 * Fires from days before end of life up to and including the end of life
 * day itself (on that day the minor is not yet past it, and check_eol
 * stays quiet), so every as-of date gets exactly one of the two.
 */
int
check_near_eol(struct eval_ctx *c, const struct rule *r)
{
	const struct release *rel;
	long days = c->near_eol_days >= 0 ? c->near_eol_days : r->days;
	int rc;

	if ((rc = cluster_release(c, r, &rel)) != 0)
		return rc < 0 ? -1 : 0;
	if (!rel || rel->eol < c->as_of || rel->eol - c->as_of > days)
		return 0;
	{
		struct fill f[] = {
			{"component", comp},
			{"version", eval_ver(c, c->cluster)},
			{"minor", eval_minor(c, c->cluster->major,
					     c->cluster->minor)},
			{"date", eval_date(c, rel->eol)},
			{"days", eval_int(c, rel->eol - c->as_of)},
		};

		return eval_emit(c, r, "cluster", f, ARRAY_SIZE(f),
				 &c->cluster_loc, 1);
	}
}

int
check_support_window(struct eval_ctx *c, const struct rule *r)
{
	const struct release *rel;
	struct buf list = BUF_INIT;
	size_t i, n = 0, first = 0;
	int rc = 0;

	if ((rc = cluster_release(c, r, &rel)) != 0)
		return rc < 0 ? -1 : 0;
	/*
	 * Past end of life (or older than the data) is version-end-of-life's
	 * error; this rule speaks only of a minor that still gets patches
	 * (README "Supported versions").
	 */
	if (!c->cluster || r->minors <= 0 || !rel || rel->eol < c->as_of)
		return 0;
	/* The newest r->minors minors with ga on or before the as-of date. */
	for (i = c->db->releases.n; i-- > 0;) {
		if (c->db->releases.v[i].ga > c->as_of)
			continue;
		first = i;
		if (++n == (size_t)r->minors)
			break;
	}
	if (n == 0 || c->cluster->minor >= c->db->releases.v[first].minor)
		return 0;
	for (i = first; i < c->db->releases.n; i++) {
		if (c->db->releases.v[i].ga > c->as_of)
			break;
		buf_addf(&list, "%s1.%u", i > first ? ", " : "",
			 c->db->releases.v[i].minor);
	}
	{
		struct fill f[] = {
			{"component", comp},
			{"version", eval_ver(c, c->cluster)},
			{"minor", eval_minor(c, c->cluster->major,
					     c->cluster->minor)},
			{"minors", eval_int(c, r->minors)},
			{"date", eval_date(c, rel->eol)},
			{"supported", arena_strdup(c->a, buf_cstr(&list))},
		};

		rc = eval_emit(c, r, "cluster", f, ARRAY_SIZE(f),
			       &c->cluster_loc, 1);
	}
	buf_release(&list);
	return rc;
}

/*
 * A newer patch of the running minor counts when the release data dates it
 * on or before the as-of date, or when a captured package listing offers
 * it (the listing was taken from the cluster's repository, so it is newer
 * evidence than the data).
 */
int
check_patch_behind(struct eval_ctx *c, const struct rule *r)
{
	const struct release *rel;
	const struct package *p, *from_pkg = NULL;
	struct src_loc ev[2];
	unsigned latest = 0, mj, mi, pa;
	bool hp, have = false;
	long date = RULES_NO_DATE;
	size_t i;
	int rc;

	if ((rc = cluster_release(c, r, &rel)) != 0)
		return rc < 0 ? -1 : 0;
	if (!c->cluster)
		return 0;
	if (rel)
		for (i = 0; i < rel->npatches; i++)
			if (rel->patches[i].date <= c->as_of) {
				latest = rel->patches[i].patch;
				date = rel->patches[i].date;
				have = true;
			}
	vec_foreach(&c->cs->packages, p) {
		if (!p->upstream ||
		    !kver_parse_numbers(p->upstream, strlen(p->upstream), &mj,
					&mi, &pa, &hp) ||
		    !hp || mj != c->cluster->major || mi != c->cluster->minor)
			continue;
		if (!have || pa > latest) {
			latest = pa;
			have = true;
			from_pkg = p;
			date = RULES_NO_DATE;
			if (rel && pa < rel->npatches)
				date = rel->patches[pa].date;
		} else if (pa == latest && !from_pkg) {
			from_pkg = p;
		}
	}
	if (!have || latest <= c->cluster->patch)
		return 0;
	ev[0] = c->cluster_loc;
	if (from_pkg)
		ev[1] = from_pkg->loc;
	{
		struct fill f[] = {
			{"component", comp},
			{"version", eval_ver(c, c->cluster)},
			{"minor", eval_minor(c, c->cluster->major,
					     c->cluster->minor)},
			{"latest", arena_printf(c->a, "%u.%u.%u",
						c->cluster->major,
						c->cluster->minor, latest)},
			{"date", date != RULES_NO_DATE
					 ? eval_date(c, date)
					 : "on a date the rules data does not know"},
		};

		return eval_emit(c, r, "cluster", f, ARRAY_SIZE(f), ev,
				 from_pkg ? 2 : 1);
	}
}

/* compiled + months calendar months, the day clamped to the month's end. */
static long
add_months(long days, long months)
{
	char s[11];
	int y, m, d, dim;
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};

	date_format(days, s);
	y = (int)strtol(s, NULL, 10);
	m = (int)strtol(s + 5, NULL, 10);
	d = (int)strtol(s + 8, NULL, 10);
	m += (int)months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	dim = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	if (d > dim)
		d = dim;
	return date_from_ymd(y, m, d);
}

int
check_data_stale(struct eval_ctx *c, const struct rule *r)
{
	if (c->db->compiled == RULES_NO_DATE || r->months < 0 ||
	    c->as_of <= add_months(c->db->compiled, r->months))
		return 0;
	{
		struct fill f[] = {
			{"compiled", eval_date(c, c->db->compiled)},
			{"months", eval_int(c, r->months)},
			{"date", eval_date(c, c->as_of)},
		};

		return eval_emit(c, r, "rules data", f, ARRAY_SIZE(f),
				 &c->db->compiled_loc,
				 c->db->compiled_loc.path ? 1 : 0);
	}
}
