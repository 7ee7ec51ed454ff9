/*
 * check_packages.c - where kubeadm, kubelet and kubectl packages come from:
 * the legacy Google-hosted repositories, or a pkgs.k8s.io repository that
 * carries one minor only.
 */
#include <stdlib.h>
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

/*
 * The rows of one repository (kind, repo, minor), in the order of its
 * first row. Evidence: the first row of each package name, up to
 * MAX_EVIDENCE names.
 */
struct repo_rows {
	const struct package *first;
	const char *names[MAX_EVIDENCE];	/* borrowed: the model */
	struct src_loc ev[MAX_EVIDENCE];
	size_t nev;
};

typedef VEC(struct repo_rows) repo_rows_vec;

/*
 * Groups the rows that want(p) by repository, through a hash of
 * "kind:minor:+repo" ('-' for no repo): a million madison rows used to
 * compare every row with every earlier one. Keys go into the arena.
 */
static int
group_repos(struct eval_ctx *c, bool (*want)(const struct package *),
	    repo_rows_vec *out)
{
	const struct package *p;
	struct strmap seen = {NULL, 0, 0};
	struct buf key = BUF_INIT;
	struct repo_rows *g;
	uintptr_t k;
	char *kept;
	size_t i;
	int rc = 0;

	vec_foreach(&c->cs->packages, p) {
		if (!want(p))
			continue;
		buf_reset(&key);
		buf_addf(&key, "%d:%u:%c%s", (int)p->repo_kind, p->repo_minor,
			 p->repo ? '+' : '-', p->repo ? p->repo : "");
		if (key.oom) {
			rc = -1;
			break;
		}
		k = (uintptr_t)strmap_get(&seen, key.s, key.len);
		if (k == 0) {
			if (!(kept = arena_strndup(c->a, key.s, key.len)) ||
			    !(g = vec_push(out)) ||
			    strmap_put(&seen, kept, key.len,
				       (void *)(uintptr_t)out->n) < 0) {
				rc = -1;
				break;
			}
			g->first = p;
		} else {
			g = &out->v[k - 1];
		}
		if (g->nev == MAX_EVIDENCE)
			continue;
		for (i = 0; i < g->nev; i++)
			if (!strcmp(g->names[i], p->name))
				break;
		if (i == g->nev) {
			g->names[g->nev] = p->name;
			g->ev[g->nev++] = p->loc;
		}
	}
	strmap_release(&seen);
	buf_release(&key);
	if (rc < 0) {
		c->oom = true;
		return diag_plain(c->d, DIAG_ERROR, "out of memory");
	}
	return 0;
}

static bool
is_legacy(const struct package *p)
{
	return p->repo_kind == REPO_LEGACY;
}

static bool
is_minor_pinned(const struct package *p)
{
	return p->repo_kind == REPO_PKGS && p->repo_minor != 0;
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
	repo_rows_vec repos = {NULL, 0, 0};
	const struct repo_rows *g;
	const struct package *p;
	unsigned mj, mi, pa;
	bool hp;
	int rc = 0;

	if (c->cs->packages.n == 0)
		return eval_missing(c, r, "packages");
	if (!lg || c->as_of < lg->frozen)
		return 0;
	if (group_repos(c, is_legacy, &repos) < 0)
		rc = -1;
	for (g = repos.v; rc == 0 && g < repos.v + repos.n; g++) {
		const char *minor;

		p = g->first;
		if (c->cluster)
			minor = eval_minor(c, c->cluster->major,
					   c->cluster->minor);
		else if (p->upstream &&
			 kver_parse_numbers(p->upstream, strlen(p->upstream),
					    &mj, &mi, &pa, &hp))
			minor = eval_minor(c, mj, mi);
		else
			minor = "1.N";
		{
			struct fill f[] = {
				{"file", source_file(c->db, p)},
				{"repo", p->repo ? p->repo : lg->hosts[0]},
				{"date", eval_date(c, lg->removed)},
				{"minor", minor},
			};

			rc = eval_emit(c, r, p->repo ? p->repo : lg->id, f,
				       ARRAY_SIZE(f), g->ev, g->nev);
		}
	}
	vec_release(&repos);
	return rc;
}

int
check_repo_minor_pinned(struct eval_ctx *c, const struct rule *r)
{
	repo_rows_vec repos = {NULL, 0, 0};
	const struct repo_rows *g;
	const struct package *p;
	int rc = 0;

	if (c->cs->packages.n == 0)
		return eval_missing(c, r, "packages");
	if (group_repos(c, is_minor_pinned, &repos) < 0)
		rc = -1;
	for (g = repos.v; rc == 0 && g < repos.v + repos.n; g++) {
		struct fill f[] = {
			{"file", source_file(c->db, g->first)},
			{"minor", eval_minor(c, 1, g->first->repo_minor)},
			{"target", eval_minor(c, 1, g->first->repo_minor + 1)},
		};

		p = g->first;
		rc = eval_emit(c, r, p->repo ? p->repo : "pkgs.k8s.io", f,
			       ARRAY_SIZE(f), g->ev, g->nev);
	}
	vec_release(&repos);
	return rc;
}
