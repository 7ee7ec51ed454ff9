/*
 * planner.h - `skewplan plan`: turns a cluster inventory and a target into
 * kubeadm's documented upgrade procedure, one minor per hop, with exact
 * package versions, and proves by simulation that no step leaves the
 * cluster outside the skew policy or kubeadm's upgrade policy.
 *
 * Everything a plan holds (strings, node states) lives in the run arena
 * given by cs->arena; the vectors of struct plan and its findings are owned
 * and freed by plan_release().
 */
#ifndef SKEWPLAN_PLANNER_H
#define SKEWPLAN_PLANNER_H

#include "../rules/rules.h"

enum plan_action {
	PA_SWITCH_REPO, PA_BACKUP_ETCD, PA_UPGRADE_KUBEADM,
	PA_KUBEADM_UPGRADE_PLAN, PA_KUBEADM_UPGRADE_APPLY,
	PA_KUBEADM_UPGRADE_NODE, PA_DRAIN, PA_UPGRADE_KUBELET_KUBECTL,
	PA_RESTART_KUBELET, PA_UNCORDON, PA_VERIFY, PA_UPGRADE_CNI,
	PA_PREPARE_ETCD, PA_RECOVERY, PA_MIGRATE_APIS, PA_UPGRADE_ADDONS,
	PA_NODE_PREREQS,
	PA_COUNT
};

/* "switch-repo", "backup-etcd", ... (the JSON "action" values). */
const char *plan_action_name(enum plan_action a);

/* A Kubernetes version in a plan; set is false when it is not known. */
struct plan_ver {
	unsigned major, minor, patch;
	bool set;
};

/* The versions on one node after a step. */
struct plan_node_state {
	struct plan_ver apiserver, controller_manager, scheduler;	/* control plane only */
	struct plan_ver kubelet;	/* the running kubelet, as the node reports it */
	struct plan_ver kubelet_pkg;	/* the installed kubelet package */
	struct plan_ver kubeadm;
	bool cordoned;
	bool ready;
};

/* The cluster after a step. */
struct plan_state {
	struct plan_node_state *nodes;	/* arena; plan->nnodes entries */
	struct plan_ver cluster;	/* the version `kubeadm upgrade apply` set */
	struct plan_ver kube_proxy;	/* the kube-proxy DaemonSet */
	struct plan_ver kubectl;	/* kubectl on the first control-plane node */
	const char *etcd, *coredns;	/* arena or static; NULL if unknown */
};

struct plan_node {
	const char *name;	/* borrowed: cs; a checked DNS-1123 subdomain */
	bool control_plane;
	struct src_loc loc;	/* borrowed: cs; the node in the snapshot */
};

/*
 * How a verify's expect is compared with the stdout of its command (the
 * README's plan JSON contract; stdout has trailing blanks of each line and
 * final newlines trimmed first):
 * PM_EXACT     stdout equals expect;
 * PM_CONTAINS  the lines of expect appear in stdout in order as one block;
 *              a line that is exactly "..." stands for any run of lines;
 * PM_REGEX     expect is a POSIX extended regular expression that matches
 *              at least one line of stdout;
 * PM_MANUAL    expect is prose for a person; not replayable.
 */
enum plan_match { PM_EXACT, PM_CONTAINS, PM_REGEX, PM_MANUAL, PM_COUNT };

/* "exact", "contains", "regex", "manual" (the JSON "match" values). */
const char *plan_match_name(enum plan_match m);

struct plan_verify {
	const char *command;	/* arena */
	const char *expect;	/* arena; may hold several lines */
	enum plan_match match;
};

/*
 * What a step may change (plan_step.changes). The first PC_NODE_VERSIONS
 * are the per-node versions of the JSON `state`; PC_KUBECTL is its
 * cluster-level kubectl; the last two are kept for replaying the state and
 * not printed.
 */
enum plan_comp {
	PC_APISERVER, PC_CONTROLLER_MANAGER, PC_SCHEDULER, PC_KUBELET,
	PC_KUBEADM, PC_KUBECTL,
	PC_KUBELET_PKG,		/* the installed kubelet package */
	PC_CORDONED,		/* from.set, to.set: cordoned before, after */
	PC_COUNT
};
#define PC_NODE_VERSIONS 5

/* "apiserver", "controllerManager", ... as in the JSON `state`. */
const char *plan_comp_name(enum plan_comp c);

/* One change a step made: node is an index into plan->nodes, or -1. */
struct plan_change {
	int node;
	enum plan_comp comp;
	struct plan_ver from, to;
};

/* The oldest and newest version of a component over the nodes that run it. */
struct plan_range {
	struct plan_ver min, max;	/* unset when no node runs it */
};

#define PLAN_MAX_COMMANDS 8
#define PLAN_MAX_VERIFY 6
#define PLAN_MAX_NOTES 6

struct plan_step {
	const char *id;		/* arena: "H.N" */
	unsigned hop;		/* 1-based */
	int node;		/* index into plan->nodes, or -1 */
	enum plan_action action;
	const char *title;	/* arena: one line for the runbook heading */
	const char *where;	/* arena: "on node-1 as root", ... */
	const char *commands[PLAN_MAX_COMMANDS];	/* arena */
	size_t ncommands;
	struct plan_verify verify[PLAN_MAX_VERIFY];
	size_t nverify;
	const char *notes[PLAN_MAX_NOTES];	/* arena: prose shown before the commands */
	size_t nnotes;
	/*
	 * After the step. state.nodes is set at hop boundaries only (the
	 * last step of each hop, so also the last step); plan_step_nodes()
	 * gives every node's state after any step. The simulation never
	 * copies every node per step: changes and summary say what moved.
	 */
	struct plan_state state;
	const struct plan_change *changes;	/* arena; nchanges entries */
	size_t nchanges;
	struct plan_range summary[PC_NODE_VERSIONS];
	/*
	 * A drain step: what the snapshot predicts will stop or hurt it
	 * (rules_drain_analyze; a batch's shared blockers on its last
	 * drain). Copies in the arena.
	 */
	const struct drain_blocker *blockers;
	size_t nblockers;
};

/* What a hop does on one node (plan_hop.work). */
enum {
	PLAN_WORK_KUBEADM = 1,	/* install the hop's kubeadm */
	PLAN_WORK_NODE = 2,	/* kubeadm upgrade node */
	PLAN_WORK_KUBELET = 4,	/* drain, kubelet and kubectl, restart, uncordon */
	PLAN_WORK_KUBECTL = 8,	/* the kubelet and kubectl packages, no drain */
};

/*
 * A hop moves the cluster to `to`. An apply hop runs `kubeadm upgrade
 * apply` on the first control-plane node; a catch-up hop (apply false,
 * from == to) only brings the nodes its work marks up to the version the
 * cluster already runs: before a hop that could not take them along, or to
 * finish an upgrade left half done.
 */
struct plan_hop {
	struct plan_ver from, to;
	bool apply;
	const unsigned char *work;	/* arena; nnodes PLAN_WORK_* masks */
	struct plan_state before;	/* planned; the simulation proves it */
	/* Package versions as installed: "1.26.3-00" or "1.29.15-*". */
	const char *kubeadm, *kubelet, *kubectl;	/* arena */
	bool packages_verified;	/* all three were in the capture */
	bool target_verified;	/* the patch was in the capture */
	bool switch_repo;	/* the hop starts with a repository switch */
	bool from_legacy;	/* ... away from the legacy repository */
	unsigned repo_minor;	/* pkgs.k8s.io minor used; 0 = legacy */
};

/*
 * How workers follow the control plane: default, the documented procedure
 * (every node's kubelet one minor per hop), or fewest-drains (a worker's
 * kubelet waits while kubeadm and the skew policy accept it; strategy.c).
 */
enum plan_strategy {
	PLAN_STRATEGY_DEFAULT, PLAN_STRATEGY_FEWEST_DRAINS
};

/* "default", "fewest-drains"; NULL for anything else. */
const char *plan_strategy_name(enum plan_strategy s);
/* Parses a --strategy value; false if s is neither name. */
bool plan_strategy_parse(const char *s, enum plan_strategy *out);

struct plan {
	struct plan_ver from, to;
	enum plan_strategy strategy;
	size_t drains;		/* node drains in the plan */
	size_t drains_default;	/* ... under the default strategy */
	long as_of;
	long rules_compiled;	/* the rules data's compiled: date */
	const char *rules_dir;	/* borrowed: the rules db's dir */
	const char *rules_origin;	/* borrowed: the rules db's origin */
	bool rpm;		/* yum/dnf instead of apt */
	bool dnf5;		/* ... and the capture shows dnf5 */
	bool refused;
	bool full_state;	/* JSON: `state` after every step, not per hop */
	/* The snapshot had pods: drain steps say what blocks them. */
	bool drain_known;
	struct plan_node *nodes;	/* arena; control-plane nodes first */
	size_t nnodes;
	struct plan_state initial;
	VEC(struct plan_hop) hops;
	VEC(struct plan_step) steps;
	struct findings findings;	/* warnings that shaped the plan, or the refusal */
};

struct plan_options {
	const char *to;		/* "1.26.3", "v1.26.3", "1.27", "latest-patch", "latest" */
	long as_of;		/* days since the epoch */
	unsigned max_unavailable;	/* workers per batch; 0 means 1 */
	bool strict_packages;	/* refuse instead of pinning unverified packages */
	bool patch_first;	/* the newest patch of the running minor first */
	enum plan_strategy strategy;
};

enum plan_result {
	PLAN_OK = 0,		/* a valid plan */
	PLAN_REFUSED = 1,	/* refused; plan->findings say why */
	PLAN_BAD_INPUT = 2,	/* a name or version unsafe for a command (on d) */
};

/* True if s is a --to value plan_build understands. */
bool plan_target_is_valid(const char *s);

/*
 * Builds and simulates the plan of cs to opt->to. Returns a plan_result,
 * or -1 when out of memory (reported to d). plan is initialised here and
 * must be released with plan_release() whatever the result.
 */
int plan_build(const struct rules_db *db, const struct cluster_state *cs,
	       const struct plan_options *opt, struct plan *plan,
	       struct diag *d);

/*
 * Re-runs the simulation over plan->steps from plan->initial, recomputing
 * every state. On the first state that breaks a rule it appends a
 * plan-skew-violation finding naming the step and the rule, sets
 * plan->refused and returns PLAN_REFUSED; else PLAN_OK; -1 when out of
 * memory. plan_build calls it; tests call it on altered plans.
 */
int plan_simulate(const struct rules_db *db, struct arena *a,
		  struct plan *plan);

/*
 * Writes every node's state after step i (plan->nnodes entries of the
 * caller's nodes): the nearest hop boundary's copy, or plan->initial,
 * with the changes of the steps since. O(nodes + changes since).
 */
void plan_step_nodes(const struct plan *plan, size_t i,
		     struct plan_node_state *nodes);

/* Applies one change to nodes (plan->nnodes entries) and *st's kubectl. */
void plan_change_apply(const struct plan_change *c,
		       struct plan_node_state *nodes, struct plan_state *st);

void plan_release(struct plan *plan);

/* "1.26.3" into the arena (NULL when out of memory or not set). */
const char *plan_ver_str(struct arena *a, const struct plan_ver *v);

#endif
