/*
 * internal.h - shared between the files of the planner only.
 */
#ifndef SKEWPLAN_PLANNER_INTERNAL_H
#define SKEWPLAN_PLANNER_INTERNAL_H

#include "planner.h"

/* Where the cluster's packages come from, as the capture shows it. */
enum plan_repo { PREPO_UNKNOWN, PREPO_LEGACY, PREPO_PKGS };

struct plan_ctx {
	const struct rules_db *db;
	const struct cluster_state *cs;
	const struct plan_options *opt;
	struct plan *plan;
	struct arena *a;
	struct diag *d;
	const struct pkg_repo *legacy;	/* borrowed: db; may be NULL */
	const struct pkg_repo *pkgs;	/* borrowed: db; may be NULL */
	enum plan_repo repo;	/* captured repository */
	unsigned repo_minor;	/* captured pkgs.k8s.io minor */
	size_t ncp;		/* control-plane nodes (first in plan->nodes) */
};

/* The plan-* rule of db with this id; NULL (and an error on d) if absent. */
const struct rule *plan_rule(struct plan_ctx *c, const char *id);
/*
 * Appends a finding of rule id, rendering its message and remediation with
 * the given {name} values (pairs of name, value). Returns 0 or -1 (OOM).
 */
int plan_finding(struct plan *plan, struct arena *a, const struct rule *r,
		 const char *subject, const char *const *fill, size_t nfill,
		 const struct src_loc *ev, size_t nev);
/* Like plan_finding; also marks the plan refused. Returns PLAN_REFUSED or -1. */
int plan_refuse(struct plan_ctx *c, const char *id, const char *subject,
		const char *const *fill, size_t nfill,
		const struct src_loc *ev, size_t nev);

int plan_ver_cmp(const struct plan_ver *x, const struct plan_ver *y);

/* hops.c: resolves the target and fills plan->hops. PLAN_* or -1. */
int plan_hops(struct plan_ctx *c);
/* steps.c: fills plan->steps from plan->hops. 0 or -1 (OOM). */
int plan_steps(struct plan_ctx *c);

/* The kubeadm default etcd and CoreDNS tags for v (NULL if unknown). */
const char *plan_default_etcd(const struct rules_db *db,
			      const struct plan_ver *v);
const char *plan_default_coredns(const struct rules_db *db,
				 const struct plan_ver *v);

#endif
