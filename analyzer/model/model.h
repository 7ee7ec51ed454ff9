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
		  KIND_KUBEADM_PLAN };

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
bool node_is_ready(const struct node *n);

/* Sorts nodes, images and packages into their deterministic order. */
void model_sort(struct cluster_state *cs);

#endif
