/*
 * check_packages.c - where kubeadm, kubelet and kubectl packages come from:
 * the legacy Google-hosted repositories, or a pkgs.k8s.io repository that
 * carries one minor only.
 */
#include <string.h>

#include "internal.h"

#define MAX_EVIDENCE 16

static const struct pkg_repo *
repo_of_kind(const struct rules_db *db, bool legacy)
{
	size_t i;

	for (i = 0; i < db->repos.n; i++)
		if (db->repos.v[i].legacy == legacy)
			return &db->repos.v[i];
	return NULL;
}

/* The file an operator edits: the per-minor repository's apt or yum file. */
static const char *
source_file(const struct rules_db *db, const struct package *p)
{
	const struct pkg_repo *pm = repo_of_kind(db, false);
	bool yum = p->format && !strcmp(p->format, "yum");

	if (!pm)
		return yum ? "/etc/yum.repos.d/kubernetes.repo"
			   : "/etc/apt/sources.list.d/kubernetes.list";
	return yum ? pm->yum_repo_file : pm->apt_sources_file;
}

static bool
same_repo(const struct package *a, const struct package *b)
{
	if (!a->repo || !b->repo)
		return a->repo == b->repo;
	return !strcmp(a->repo, b->repo);
}

/* Evidence: the first row of each package name from the same repository. */
static size_t
collect(const struct cluster_state *cs, const struct package *first,
	struct src_loc *ev)
{
	const struct package *p, *q;
	size_t n = 0;

	for (p = first; p < cs->packages.v + cs->packages.n; p++) {
		if (p->repo_kind != first->repo_kind || !same_repo(p, first) ||
		    p->repo_minor != first->repo_minor)
			continue;
		for (q = first; q < p; q++)
			if (q->repo_kind == p->repo_kind && same_repo(q, p) &&
			    q->repo_minor == p->repo_minor &&
			    !strcmp(q->name, p->name))
				break;
		if (q == p && n < MAX_EVIDENCE)
			ev[n++] = p->loc;
	}
	return n;
}

/* Whether an earlier package already stood for p's repository. */
static bool
seen_before(const struct cluster_state *cs, const struct package *p)
{
	const struct package *q;

	for (q = cs->packages.v; q < p; q++)
		if (q->repo_kind == p->repo_kind && same_repo(q, p) &&
		    q->repo_minor == p->repo_minor)
			return true;
	return false;
}

/*
 * The legacy repositories were the documented source until they were
 * frozen (data/packages.yaml "frozen"); from that date on, and after their
 * removal, packages from them are an error. Before the freeze nothing is
 * reported.
 */
int
check_repo_legacy(struct eval_ctx *c, const struct rule *r)
{
	const struct pkg_repo *lg = repo_of_kind(c->db, true);
	const struct package *p;
	struct src_loc ev[MAX_EVIDENCE];
	unsigned mj, mi, pa;
	bool hp;

	if (c->cs->packages.n == 0)
		return eval_missing(c, r, "packages");
	if (!lg || c->as_of < lg->frozen)
		return 0;
	vec_foreach(&c->cs->packages, p) {
		const char *minor;
		size_t nev;

		if (p->repo_kind != REPO_LEGACY || seen_before(c->cs, p))
			continue;
		if (c->cluster)
			minor = eval_minor(c, c->cluster->major,
					   c->cluster->minor);
		else if (p->upstream &&
			 kver_parse_numbers(p->upstream, strlen(p->upstream),
					    &mj, &mi, &pa, &hp))
			minor = eval_minor(c, mj, mi);
		else
			minor = "1.N";
		nev = collect(c->cs, p, ev);
		{
			struct fill f[] = {
				{"file", source_file(c->db, p)},
				{"repo", p->repo ? p->repo : lg->hosts[0]},
				{"date", eval_date(c, lg->removed)},
				{"minor", minor},
			};

			if (eval_emit(c, r, p->repo ? p->repo : lg->id, f,
				      ARRAY_SIZE(f), ev, nev) < 0)
				return -1;
		}
	}
	return 0;
}

int
check_repo_minor_pinned(struct eval_ctx *c, const struct rule *r)
{
	const struct package *p;
	struct src_loc ev[MAX_EVIDENCE];

	if (c->cs->packages.n == 0)
		return eval_missing(c, r, "packages");
	vec_foreach(&c->cs->packages, p) {
		size_t nev;

		if (p->repo_kind != REPO_PKGS || p->repo_minor == 0 ||
		    seen_before(c->cs, p))
			continue;
		nev = collect(c->cs, p, ev);
		{
			struct fill f[] = {
				{"file", source_file(c->db, p)},
				{"minor", eval_minor(c, 1, p->repo_minor)},
				{"target", eval_minor(c, 1, p->repo_minor + 1)},
			};

			if (eval_emit(c, r, p->repo ? p->repo : "pkgs.k8s.io",
				      f, ARRAY_SIZE(f), ev, nev) < 0)
				return -1;
		}
	}
	return 0;
}
