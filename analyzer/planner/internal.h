/*
 * internal.h - shared between the files of the planner only.
 */
#ifndef SKEWPLAN_PLANNER_INTERNAL_H
#define SKEWPLAN_PLANNER_INTERNAL_H

#include "planner.h"

/* Where the cluster's packages come from, as the capture shows it. */
enum plan_repo { PREPO_UNKNOWN, PREPO_LEGACY, PREPO_PKGS };

/*
 * An add-on as the plan moves it: the captured (add-on, tag) of
 * rules_addons_running(), then the release an upgrade-addons step moved
 * it to.
 */
struct plan_addon {
	struct addon_run run;	/* the version at this point of the plan */
	const struct addon_run *captured;	/* borrowed: arena */
	unsigned moved_hop;	/* the hop whose step last moved it; 0: none */
	const struct addon_release *moved_to;	/* borrowed: db */
	const char *moved_from;	/* borrowed: the release text before it */
	bool reported;		/* its unknown support was reported once */
};

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
	bool drain_explained;	/* the drain flags were explained once */
	struct drain_analysis drain;	/* owned: the drain blockers per node */
	bool dnf_explained;	/* ... and dnf4 against dnf5 */
	struct plan_addon *addons;	/* arena; plan_addons_init() */
	size_t naddons;
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
/*
 * Whether a kubelet at k may stay as it is through the `kubeadm upgrade
 * apply` of next: kubeadm's kubelet skew for next and the skew policy
 * under a kube-apiserver at next.
 */
bool plan_kubelet_may_wait(struct plan_ctx *c, const struct plan_ver *k,
			   const struct plan_ver *next);

/* strategy.c: the findings of --strategy fewest-drains. 0 or -1. */
int plan_strategy_findings(struct plan_ctx *c, const struct plan_ver *targets,
			   size_t ntargets);
/* steps.c: fills plan->steps from plan->hops. 0 or -1 (OOM). */
int plan_steps(struct plan_ctx *c);

/*
 * The step builder shared by the steps*.c files. Every string handed to it
 * is in the arena; a NULL string (out of memory) or a step with more
 * commands or checks than a struct plan_step holds sets failed, and
 * plan_steps then returns -1.
 */
struct plan_sb {
	struct plan_ctx *c;
	struct plan_step *s;	/* borrowed: the step being written */
	bool failed;
};

/* Starts a step; node is an index into plan->nodes or -1. */
void plan_sb_step(struct plan_sb *b, unsigned hop, int node,
		  enum plan_action a, const char *where, const char *title);
void plan_sb_cmd(struct plan_sb *b, const char *text);
/* Adds a check: what command prints, compared as match says. */
void plan_sb_check(struct plan_sb *b, enum plan_match match,
		   const char *command, const char *expect);
/* Adds a note (one paragraph of prose) to the step. */
void plan_sb_note(struct plan_sb *b, const char *text);
/* s (in the arena) or marks the builder failed when s is NULL. */
const char *plan_sb_str(struct plan_sb *b, const char *s);

/* "on NODE as root", "on every node (a, b) as root" (arena). */
const char *plan_root_on(struct plan_ctx *c, int node);
const char *plan_every_node(struct plan_ctx *c);
extern const char *const PLAN_KUBECTL;	/* "from a workstation with kubectl" */

/* "v1.26.3" or "unknown" (arena or static). */
const char *plan_vtext(struct arena *a, const struct plan_ver *v);
/* s as one shell word (esc_sh), in the arena. */
const char *plan_shq(struct arena *a, const char *s);
/* s with every ERE metacharacter escaped by a backslash (arena). */
const char *plan_re_quote(struct arena *a, const char *s);
/* Replaces {minor}, {version} and {package} of a packages.yaml template. */
const char *plan_tmpl(struct arena *a, const char *t, const struct plan_ver *v,
		      const char *package);
/* s without any "sudo " (the runbook runs as root), in the arena. */
const char *plan_drop_sudo(struct arena *a, const char *s);

/* steps_addons.c */
/* Fills c->addons from the snapshot's images. 0 or -1 (OOM). */
int plan_addons_init(struct plan_ctx *c);
/*
 * The upgrade-addons step of hop hn, before its kubeadm upgrade apply:
 * every add-on whose release does not list the hop's target, with the
 * first newer release that does; and their plan findings. Nothing when
 * all list it.
 */
void plan_step_upgrade_addons(struct plan_sb *b, unsigned hn,
			      const struct plan_hop *h);
/*
 * What the support table says of the add-on ad for hop hn (a note for the
 * CNI step: the release in use and the one required), or NULL when the
 * snapshot does not run it. Arena.
 */
const char *plan_addon_support_note(struct plan_ctx *c, const struct addon *ad,
				    unsigned hn, const struct plan_hop *h);
/* The release of ad at this point of the plan ("v3.27.3", "3.28"); NULL. */
const char *plan_addon_now(struct plan_ctx *c, const struct addon *ad);

/* steps_packages.c */
void plan_step_switch_repo(struct plan_sb *b, unsigned hn,
			   const struct plan_hop *h);
void plan_step_upgrade_kubeadm(struct plan_sb *b, unsigned hn,
			       const struct plan_hop *h, int node);
/* The command that installs kubelet and kubectl of h. */
const char *plan_install_kubelet(struct plan_ctx *c, const struct plan_hop *h);

/* steps_etcd.c */
void plan_step_backup_etcd(struct plan_sb *b, unsigned hn,
			   const struct plan_hop *h,
			   const struct plan_state *before);

/* steps_hop.c: the CNI plugin, etcd 3.5 to 3.6, recovery. */
void plan_step_cni(struct plan_sb *b, unsigned hn, const struct plan_hop *h);
/* steps_apis.c: the API versions in use that hop h's target removes. */
/*
 * steps_apis.c: an api-removed-in-target finding (an error) for every API
 * use that a hop's target no longer serves, on that hop. 0 or -1 (OOM).
 */
int plan_api_findings(struct plan_ctx *c);
void plan_step_migrate_apis(struct plan_sb *b, unsigned hn,
			    const struct plan_hop *h);
/*
 * steps_nodes.c: the node prerequisites of every hop (data/nodes.yaml) as
 * plan findings, and the step that lists those of hop h.
 */
int plan_node_findings(struct plan_ctx *c);
void plan_step_node_prereqs(struct plan_sb *b, unsigned hn,
			    const struct plan_hop *h);
/* True when the etcd tag ("3.5.24-0") is 3.6 or later. */
bool plan_etcd_is_36(const char *tag);
/* True when h moves etcd from 3.5 (before) to 3.6 (its default). */
bool plan_hop_moves_etcd_to_36(struct plan_ctx *c, const struct plan_hop *h,
			       const struct plan_state *before);
/* The graceful kube-apiserver stop before a kubeadm upgrade on node n. */
void plan_step_prepare_etcd(struct plan_sb *b, unsigned hn,
			    const struct plan_hop *h,
			    const struct plan_state *before, int n);
void plan_step_recovery(struct plan_sb *b, unsigned hn,
			const struct plan_hop *h,
			const struct plan_state *before);
/* What `kubectl wait` (PLAN_WAIT_READY) prints with every node Ready. */
const char *plan_expect_nodes_ready(struct plan_ctx *c);
extern const char *const PLAN_WAIT_READY;

/* steps_expect.c: what kubeadm and kubectl print, per version. */
/* Rows of ncol cells as kubectl's and kubeadm's tabwriter prints them. */
const char *plan_table(struct arena *a, const char *const *cells,
		       size_t nrows, size_t ncol);
const char *plan_expect_upgrade_plan(struct plan_ctx *c,
				     const struct plan_hop *h,
				     const struct plan_state *before);
/* The regex of one `kubectl get node NAME` row. */
const char *plan_expect_node_row(struct plan_ctx *c, int node,
				 const char *status, const struct plan_ver *v);
/* The images of the control-plane pods of node after the apply. */
const char *plan_expect_cp_images(struct plan_ctx *c, const struct plan_hop *h,
				  const struct plan_state *before,
				  enum plan_match *match);
/* The last line of `kubeadm upgrade apply` for the target to. */
const char *plan_expect_apply_success(struct plan_ctx *c,
				      const struct plan_ver *to);
/* True when kubeadm to upgrades the addons only with the last control plane. */
bool plan_addons_wait_for_all(const struct plan_ver *to, size_t ncp);
/* The regex of the line an HA `apply` prints when it leaves the addons. */
const char *plan_expect_addon_skip(const struct plan_ver *to);
/* The line `kubeadm upgrade node` (kubeadm to) ends its work with. */
const char *plan_expect_upgrade_node(const struct plan_ver *to,
				     bool control_plane);
extern const char *const PLAN_EXPECT_ADDONS;
/* The regex of the server line of `kubectl version`. */
const char *plan_expect_server_version(struct plan_ctx *c,
				       const struct plan_ver *v);

/* The kubeadm default etcd and CoreDNS tags for v (NULL if unknown). */
const char *plan_default_etcd(const struct rules_db *db,
			      const struct plan_ver *v);
/*
 * The oldest etcd a kubeadm cluster at v can run when no capture shows its
 * tag: the nearest known default at or below v (kubeadm only moves etcd
 * forward, staticpods.go), or NULL when the data knows none.
 */
const char *plan_etcd_floor(const struct rules_db *db,
			    const struct plan_ver *v);
const char *plan_default_coredns(const struct rules_db *db,
				 const struct plan_ver *v);
/* The newer of the etcd tags have and want (kubeadm never moves etcd back). */
const char *plan_etcd_after(const char *have, const char *want);

/*
 * The state kept by the simulation (state.c): nodes per version of each
 * per-node component, so that a step's summary costs O(versions), not
 * O(nodes). Versions in a plan are few: each hop adds one.
 */
struct plan_count {
	struct plan_ver v;
	size_t n;
};
struct plan_counts {
	struct plan_count *v[PC_NODE_VERSIONS];	/* owned; sorted, n > 0 */
	size_t n[PC_NODE_VERSIONS], cap[PC_NODE_VERSIONS];
};

/* Counts the versions of nodes (p->nnodes entries). 0 or -1 (OOM). */
int plan_counts_init(struct plan_counts *c, const struct plan *p,
		     const struct plan_node_state *nodes);
void plan_counts_release(struct plan_counts *c);
/*
 * Records in step what it changed on node `node` (was: that node before
 * the step; st: the state after it; kubectl: kubectl before it), moves the
 * counts and writes the step's summary. 0 or -1 (OOM).
 */
int plan_step_record(struct arena *a, struct plan_counts *c,
		     struct plan_step *step, const struct plan_node_state *was,
		     const struct plan_ver *kubectl,
		     const struct plan_state *st);
/* True when x and y are the same version, or both unset. */
bool plan_ver_same(const struct plan_ver *x, const struct plan_ver *y);

#endif
