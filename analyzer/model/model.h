/*
 * model.h - one cluster inventory built from every capture of a snapshot.
 *
 * Every fact carries the src_loc it came from. All strings and the struct
 * contents live in the run arena ("arena"); the vectors' storage is owned
 * by the cluster_state and freed by cluster_state_release(). Once ingest
 * has finished, later stages only read it.
 */
#ifndef SKEWPLAN_MODEL_H
#define SKEWPLAN_MODEL_H

#include "../base/base.h"

enum input_kind { KIND_UNKNOWN, KIND_VERSION, KIND_NODES, KIND_IMAGES,
		  KIND_PACKAGES, KIND_METRICS, KIND_AUDIT_LOG, KIND_MANIFESTS,
		  KIND_KUBEADM_PLAN, KIND_CONFIGZ, KIND_NODE_FACTS };

/* Tri-state for facts a capture may not carry. */
enum tri { TRI_UNKNOWN = -1, TRI_FALSE = 0, TRI_TRUE = 1 };

struct input {
	const char *path;	/* arena */
	enum input_kind kind;
	const char *format;	/* static string, e.g. "kubectl-version-yaml" */
};

/* A version reported by a binary (kubectl client, apiserver, kubeadm). */
struct version_info {
	bool present;
	struct kver ver;	/* strings: arena */
	const char *minor_raw;	/* arena; the Minor field as printed ("27+") */
	const char *platform;	/* arena; NULL if not captured */
	struct src_loc loc;	/* where gitVersion (or the line) was read */
	/*
	 * Recorded as seen but not a release (a development build
	 * "v0.0.0-master+$Format:%H$", a server without the 'v'): present
	 * stays false, so no version rule reads it. Static reason, or NULL.
	 */
	const char *not_release;
	/*
	 * The Minor field when it disagrees with gitVersion (arena; NULL if
	 * it agrees): gitVersion is used, as kubectl's own skew check does.
	 */
	const char *minor_disagrees;
	struct src_loc minor_loc;
};

/* A warning line kubectl printed inside a capture. */
enum capture_warning_kind { CW_DEPRECATION, CW_SKEW, CW_OTHER };
struct capture_warning {
	enum capture_warning_kind kind;
	const char *text;	/* arena */
	struct src_loc loc;
};

struct node {
	const char *name;	/* arena */
	const char *status;	/* arena, as kubectl prints it: "Ready,SchedulingDisabled" */
	enum tri ready;		/* Ready condition True; unknown for "Unknown" */
	bool schedulable;
	const char **roles;	/* arena; sorted, "<none>" is an empty list */
	size_t nroles;
	struct kver kubelet;	/* VERSION column / status.nodeInfo.kubeletVersion */
	const char *kube_proxy;	/* arena; NULL if not captured */
	const char *container_runtime;	/* arena; NULL if not captured */
	const char *os_image;	/* arena; NULL if not captured */
	const char *kernel_version;	/* arena; NULL if not captured */
	const char *operating_system;	/* arena: "linux"; NULL if not captured */
	const char *architecture;	/* arena: "amd64"; NULL if not captured */
	const char *internal_ip;	/* arena; NULL if not captured */
	/*
	 * The name was masked in the paste ("****", "<node-name>", "xxx"):
	 * an opaque node, distinct per row, that no command may name.
	 */
	bool masked;
	struct src_loc loc;
};

/* A parsed image reference (Docker/OCI reference grammar). Interned. */
struct image_ref {
	const char *image;	/* arena; as written */
	const char *registry;	/* arena; "docker.io" by default */
	const char *repository;	/* arena; "library/nginx" for Docker Hub */
	const char *tag;	/* arena; NULL if none */
	const char *digest;	/* arena; NULL if none */
	const char *component;	/* static; kube-apiserver, etcd, ... or NULL */
};

struct image {
	const struct image_ref *ref;	/* arena, shared between uses */
	const char *namespace_;	/* arena; NULL if not captured */
	const char *pod;	/* arena; NULL if not captured */
	const char *node;	/* arena; NULL if not captured */
	const char *container;	/* arena; NULL if not captured */
	bool init;		/* an initContainer */
	struct src_loc loc;
};

enum repo_kind { REPO_OTHER, REPO_LEGACY, REPO_PKGS, REPO_MIRROR,
		 REPO_LOCAL };

struct package {
	const char *name;	/* arena: kubeadm, kubelet, kubectl, ... */
	const char *version;	/* arena: full package version, "1.26.3-00" */
	const char *upstream;	/* arena: "1.26.3" */
	const char *revision;	/* arena: "00", "1.1", "150500.1.1"; NULL if none */
	const char *repo;	/* arena: repository as printed; NULL if none */
	enum repo_kind repo_kind;
	unsigned repo_minor;	/* pkgs.k8s.io minor (29 for v1.29), else 0 */
	const char *arch;	/* arena; NULL if not printed */
	const char *format;	/* static: "madison", "policy", "yum" */
	enum tri installed;
	/* Listed by dnf5 (its command, or its "Available packages" header):
	 * dnf5 has no --disableexcludes (kubernetes/website
	 * upgrading-linux-nodes). */
	bool dnf5;
	bool candidate;		/* apt-cache policy "Candidate:" */
	struct src_loc loc;
};

/*
 * Content of a capture that was not read (a line or record the parser
 * does not understand, or could read two ways): the input-skipped finding.
 */
struct skipped {
	struct src_loc loc;	/* where the first problem is */
	const char *text;	/* arena: the line as cleaned, cut; "" if none */
	const char *reason;	/* arena: the error it would be under --strict */
	/*
	 * An input-conflict: the fact this one contradicts, which was kept
	 * instead (line 0 for any other skipped record).
	 */
	struct src_loc kept;
};

/*
 * One use of a Kubernetes API version: a line of the apiserver's
 * apiserver_requested_deprecated_apis metric, an audit event the apiserver
 * annotated k8s.io/deprecated, or an object of a manifest.
 */
enum api_evidence {
	APIEV_METRIC,	/* kubectl get --raw /metrics */
	APIEV_AUDIT,	/* an audit log event */
	APIEV_MANIFEST,	/* a file written by people or tools */
	/*
	 * An object read back from the apiserver (it has a uid or
	 * resourceVersion): the apiserver wrote it in the version asked for,
	 * so it says nothing of the version its clients use.
	 */
	APIEV_LIVE,
};

struct api_use {
	enum api_evidence evidence;
	const char *api;	/* arena: group/version as used */
	const char *kind;	/* arena; NULL when only the resource is known */
	const char *resource;	/* arena; NULL for manifests */
	const char *removed_release;	/* arena: as the apiserver said; NULL */
	const char *who;	/* arena: audit "user (user agent)"; NULL */
	const char *object;	/* arena: "namespace/name" or "name"; NULL */
	unsigned long long count;	/* the metric's value; 1 otherwise */
	struct src_loc loc;
};

/*
 * A node's kubelet version that a capture other than a node list names
 * (`kubeadm upgrade plan`): checked against the node list once every
 * input is read, never a node of its own (it says nothing of its status
 * or roles).
 */
struct kubelet_sighting {
	const char *node;	/* arena */
	struct kver kubelet;	/* strings: arena */
	struct src_loc loc;	/* the version */
	struct src_loc node_loc;
};

/*
 * Workloads and disruption budgets, for predicting what blocks a drain
 * (kubectl get pods,pdb,deploy,sts,rs -A -o yaml).
 */

/* One label, or one matchLabels pair. */
struct label_pair {
	const char *key;	/* arena */
	const char *value;	/* arena */
};

/* The operators of a label selector requirement (metav1.LabelSelector). */
enum sel_op { SEL_IN, SEL_NOT_IN, SEL_EXISTS, SEL_DOES_NOT_EXIST };

struct sel_req {
	const char *key;	/* arena */
	enum sel_op op;
	const char **values;	/* arena; nvalues entries */
	size_t nvalues;
};

/*
 * A metav1.LabelSelector. present false: the field is absent or null,
 * which selects nothing; present with no requirement selects everything
 * (LabelSelectorAsSelector in apimachinery's helpers.go).
 */
struct label_selector {
	bool present;
	struct label_pair *match_labels;	/* arena */
	size_t nmatch_labels;
	struct sel_req *exprs;	/* arena */
	size_t nexprs;
};

/* An ownerReferences entry. */
struct owner_ref {
	const char *kind;	/* arena */
	const char *name;	/* arena */
	bool controller;	/* controller: true */
};

/* Why a pod cannot simply be rescheduled elsewhere. */
enum pod_local {
	POD_EMPTY_DIR = 1,	/* an emptyDir volume: its data is lost */
	POD_HOST_PATH = 2,	/* a hostPath volume: its data stays behind */
	POD_PINNED = 4,		/* nodeSelector/nodeAffinity on the hostname */
};

struct pod {
	const char *namespace_;	/* arena; "default" when not given */
	const char *name;	/* arena */
	const char *node;	/* arena: spec.nodeName; NULL if not scheduled */
	struct label_pair *labels;	/* arena; nlabels entries, in file order */
	size_t nlabels;
	struct owner_ref *owners;	/* arena */
	size_t nowners;
	const char **empty_dirs;	/* arena: volume names */
	size_t nempty_dirs;
	const char **host_paths;	/* arena: the paths */
	size_t nhost_paths;
	const char **pvcs;	/* arena: claimName of each PVC volume */
	size_t npvcs;
	const char *pinned_to;	/* arena: the hostname it is pinned to */
	enum tri ready;		/* status.conditions[type=Ready] */
	const char *phase;	/* arena: status.phase; NULL if not captured */
	bool deleting;		/* metadata.deletionTimestamp is set */
	bool daemonset;		/* its controller is a DaemonSet */
	bool mirror;		/* kubernetes.io/config.mirror: a static pod */
	struct src_loc loc;	/* the object */
};

/* An int-or-string field: 2 or "50%". */
struct int_or_percent {
	bool set;
	bool percent;
	long value;
	struct src_loc loc;
};

struct pdb {
	const char *namespace_;	/* arena */
	const char *name;	/* arena */
	const char *api;	/* arena: apiVersion, "policy/v1" if absent */
	struct label_selector selector;
	struct int_or_percent min_available, max_unavailable;
	/* spec.unhealthyPodEvictionPolicy is AlwaysAllow (default: IfHealthyBudget) */
	bool unhealthy_always_allow;
	/* status; -1 when not captured */
	long disruptions_allowed, current_healthy, desired_healthy,
		expected_pods;
	struct src_loc loc;	/* the object */
	struct src_loc status_loc;	/* status.disruptionsAllowed */
};

/* A Deployment, StatefulSet or ReplicaSet. */
struct workload {
	const char *kind;	/* arena: "Deployment", ... */
	const char *namespace_;	/* arena */
	const char *name;	/* arena */
	long replicas;		/* spec.replicas; 1 when absent (the default) */
	long ready_replicas;	/* status.readyReplicas; 0 when absent */
	bool has_status;
	struct label_selector selector;
	struct owner_ref owner;	/* the controller; kind NULL when none */
	struct src_loc loc;
};

/*
 * The kubelet's configuration as its configz endpoint serves it
 * (`kubectl get --raw /api/v1/nodes/NODE/proxy/configz`): the fields the
 * node prerequisite rules read. The body does not name the node; the
 * capture's command line or its file name does (ingest/configz.c).
 */
struct kubelet_config {
	const char *node;	/* arena */
	const char *cgroup_driver;	/* arena: "systemd", "cgroupfs"; NULL */
	enum tri fail_swap_on;	/* unknown: absent (the kubelet's default is true) */
	enum tri fail_cgroup_v1;	/* unknown: absent */
	const char *swap_behavior;	/* arena: memorySwap.swapBehavior; NULL */
	const char *runtime_endpoint;	/* arena: containerRuntimeEndpoint; NULL */
	struct src_loc loc;	/* the kubeletconfig object */
	struct src_loc swap_loc, cgroup_v1_loc, driver_loc, endpoint_loc;
};

/* A node's cgroup version, as `stat -fc %T /sys/fs/cgroup/` tells it. */
enum cgroup_version { CGROUP_UNKNOWN, CGROUP_V1, CGROUP_V2 };

/*
 * What no read-only API shows about a node, as a person ran it there and
 * wrote it to a node-facts capture: lines "NODE key=value ..."
 * (ingest/node_facts.c; tools/capture.sh prints the commands).
 */
struct node_facts {
	const char *node;	/* arena */
	enum cgroup_version cgroup;
	struct src_loc cgroup_loc;
	const char *runtime_cgroup_driver;	/* arena: "systemd", "cgroupfs"; NULL */
	struct src_loc driver_loc;
	enum tri swap;		/* swap active on the node */
	struct src_loc swap_loc;
	struct src_loc loc;	/* the node's first line */
};

struct cluster_state {
	struct arena *arena;	/* borrowed: the run arena */
	/*
	 * Set by the caller before ingest: content that cannot be read is an
	 * error (exit 3) instead of a skipped record.
	 */
	bool strict;
	VEC(struct input) inputs;
	VEC(struct skipped) skipped;	/* in reading order */
	struct version_info client;
	struct version_info server;
	struct version_info kubeadm;
	const char *kustomize;	/* arena; NULL if not captured */
	struct src_loc kustomize_loc;
	VEC(struct capture_warning) warnings;
	VEC(struct node) nodes;
	VEC(struct image) images;
	VEC(struct package) packages;
	VEC(struct api_use) api_uses;
	VEC(struct kubelet_sighting) kubelet_sightings;
	VEC(struct pod) pods;
	VEC(struct pdb) pdbs;
	VEC(struct workload) workloads;
	VEC(struct kubelet_config) kubelet_configs;	/* one per node */
	VEC(struct node_facts) node_facts;	/* one per node */
	/* process_start_time_seconds of a metrics capture; -1 when none. */
	long long apiserver_started;
	struct src_loc apiserver_started_loc;
	struct strmap intern;	/* image string -> its arena image_ref */
};

void cluster_state_init(struct cluster_state *cs, struct arena *a);
void cluster_state_release(struct cluster_state *cs);

const char *model_kind_name(enum input_kind k);
const char *model_repo_kind_name(enum repo_kind k);

/*
 * Returns the interned image_ref for image[0..len), parsing it by the OCI
 * reference grammar on first sight; NULL with *err set if it is not a valid
 * reference (or out of memory: *err = "out of memory").
 */
const struct image_ref *model_image_ref(struct cluster_state *cs,
					const char *image, size_t len,
					const char **err);
/* Parses a reference without interning (for tests). */
int model_parse_image_ref(struct arena *a, const char *image, size_t len,
			  struct image_ref *out, const char **err);

bool node_is_control_plane(const struct node *n);
/*
 * Does sel select a pod with these labels? Kubernetes' rules: matchLabels
 * and every matchExpressions requirement must hold (labels.Selector).
 * An absent selector selects nothing; an empty one everything.
 */
bool model_selector_matches(const struct label_selector *sel,
			    const struct label_pair *labels, size_t nlabels);
/* The value of label key, or NULL. */
const char *model_label(const struct label_pair *labels, size_t nlabels,
			const char *key);
/* The controller ownerReference of a pod (controller: true), or NULL. */
const struct owner_ref *pod_controller(const struct pod *p);
/* The kubelet configuration and the node facts of a node; NULL if none. */
const struct kubelet_config *model_kubelet_config(const struct cluster_state *cs,
						  const char *node);
const struct node_facts *model_node_facts(const struct cluster_state *cs,
					  const char *node);
bool node_is_ready(const struct node *n);

/*
 * Sorts nodes, images, packages, pods, PDBs and workloads into their
 * deterministic order; an object read twice (namespace, name) is kept once.
 */
void model_sort(struct cluster_state *cs);

#endif
