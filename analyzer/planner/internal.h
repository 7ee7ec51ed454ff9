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
	bool target_newest;	/* --to named a minor: its newest patch */
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
struct plan_ver plan_ver_make(unsigned minor, unsigned patch);
struct plan_ver plan_ver_of_kver(const struct kver *k);
/* Where a captured package comes from, as ingest classified it. */
enum plan_repo plan_pkg_origin(const struct package *p, unsigned *minor);

/* target.c */
/* Newest captured kubeadm patch of minor; false if the capture has none. */
bool plan_capture_newest(struct plan_ctx *c, unsigned minor, unsigned *patch);
/*
 * The newest patch of minor: from the capture if it lists the minor, else
 * from the release data at the as-of date. *verified says which.
 */
bool plan_newest_patch(struct plan_ctx *c, unsigned minor, unsigned *patch,
		       bool *verified);
/* Resolves opt->to into *to; PLAN_OK, PLAN_REFUSED or -1. */
int plan_resolve_target(struct plan_ctx *c, struct plan_ver *to,
			bool *verified);
/* The end-of-life and patch-data warnings of the target. 0 or -1. */
int plan_target_warnings(struct plan_ctx *c, bool verified);

/* path.c: chooses the path to the target and fills plan->hops. */
int plan_path(struct plan_ctx *c);
/* steps.c: fills plan->steps from plan->hops. 0 or -1 (OOM). */
int plan_steps(struct plan_ctx *c);

/* The kubeadm default etcd and CoreDNS tags for v (NULL if unknown). */
const char *plan_default_etcd(const struct rules_db *db,
			      const struct plan_ver *v);
const char *plan_default_coredns(const struct rules_db *db,
				 const struct plan_ver *v);

#endif
