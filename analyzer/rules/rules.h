/*
 * rules.h - the audit stage: the rules data read from rules/ at run time,
 * the evaluation of a cluster inventory against it, findings and waivers.
 *
 * Everything policy-specific (skew windows, dates, kubeadm defaults, the
 * rule catalogue) comes from the data; the C code holds one function per
 * check kind. All strings and arrays of a loaded rules_db live in the arena
 * given to rules_load() ("arena"); findings are allocated there too.
 */
#ifndef SKEWPLAN_RULES_H
#define SKEWPLAN_RULES_H

#include "../model/model.h"

/* Sorted in this order: errors first. */
enum severity { SEV_ERROR, SEV_WARNING, SEV_INFO };

const char *rules_severity_name(enum severity s);

/* "No date": maintenance before 1.19, optional data dates. */
#define RULES_NO_DATE (-1L)
/* An open era bound. */
#define RULES_OPEN 0u

/* ---------------------------------------------------------- releases */

struct release_patch {
	unsigned patch;		/* P of 1.N.P */
	long date;		/* days since the epoch */
	struct src_loc loc;
};

struct release {
	unsigned minor;		/* N of 1.N */
	long ga, maintenance, eol;	/* maintenance may be RULES_NO_DATE */
	bool projected;
	const char *source;	/* arena */
	struct release_patch *patches;	/* arena; npatches >= 1 */
	size_t npatches;
	struct src_loc loc;
};

/* ---------------------------------------------------------- skew */

struct skew_row {
	const char *component;	/* arena */
	const char *relative_to;	/* arena */
	int newer, older;
	unsigned newer_below;	/* minor; 0 when the row has no such clause */
	int newer_if_below;
	unsigned older_below;	/* minor; 0 when the row has no such clause */
	int older_if_below;
	unsigned since_apiserver;	/* minor or RULES_OPEN */
	unsigned until_apiserver;	/* minor or RULES_OPEN */
	const char *source;	/* arena */
	struct src_loc loc;
};

/* ---------------------------------------------------------- kubeadm */

struct kubeadm_era {
	unsigned since_kubeadm, until_kubeadm;	/* minors or RULES_OPEN */
	int kubelet_skew;
	const char *source;
	struct src_loc loc;
};

/* From kubeadm 1.N.since_patch on, the default is value. */
struct by_patch {
	unsigned since_patch;	/* P of 1.N.P, >= 1 */
	const char *value;	/* arena */
	bool unconfirmed;	/* the first patch is a bound, not a fact */
	const char *source;	/* arena; NULL: the minor's source */
};

struct kubeadm_default {
	unsigned minor;
	const char *etcd, *coredns, *pause;	/* arena; NULL = unknown */
	const char *image_repository, *coredns_image;	/* arena */
	struct by_patch *etcd_by_patch;	/* arena */
	size_t netcd_by_patch;
	struct by_patch *coredns_by_patch;	/* arena */
	size_t ncoredns_by_patch;
	struct by_patch *repo_by_patch;	/* arena */
	size_t nrepo_by_patch;
	const char *source;
	struct src_loc loc;
};

struct kubeadm_data {
	int upgrade_minor_skew, downgrade_minor_skew, control_plane_skew;
	const char *upgrade_source;
	VEC(struct kubeadm_era) eras;
	VEC(struct kubeadm_default) defaults;
};

/* ---------------------------------------------------------- registries */

struct registry {
	const char *host;	/* arena */
	bool frozen;		/* from the frozen list, else known_good */
	long redirected;	/* or RULES_NO_DATE */
	long frozen_date;	/* frozen rows */
	long since;		/* known_good rows */
	const char *replacement;	/* arena; NULL for known_good */
	const char **sources;	/* arena */
	size_t nsources;
	struct src_loc loc;
};

/* ---------------------------------------------------------- packages */

struct pkg_repo {
	const char *id;		/* arena */
	bool legacy;		/* kind: legacy, else per-minor */
	const char **hosts;	/* arena */
	size_t nhosts;
	long deprecated, frozen, removed;	/* legacy */
	long since;		/* per-minor */
	unsigned first_minor;	/* per-minor */
	/* Templates (arena; NULL when absent). */
	const char *apt_sources_file, *apt_keyring, *apt_deb_line;
	const char *apt_key_url, *apt_key_install, *apt_install_pinned;
	const char *apt_version_example, *apt_revision_pattern;
	const char *yum_repo_file, *yum_baseurl, *yum_gpgkey;
	const char *yum_repo_content, *yum_install_pinned;
	const char *yum_version_example, *yum_revision_pattern;
	const char **sources;
	size_t nsources;
	struct src_loc loc;
};

/*
 * A package signing key: the key that the key URLs of a per-minor
 * repository's minors since_minor..until_minor serve, and the minors whose
 * repositories it verifies. Valid on a day d when valid_from <= d <
 * expires (gpg reports it "expired" from that date).
 */
struct pkg_key {
	const char *repository;	/* arena: a per-minor pkg_repo id */
	unsigned since_minor, until_minor;	/* until RULES_OPEN: no end */
	unsigned verifies_since, verifies_until;	/* likewise */
	const char *fingerprint;	/* arena; NULL when not known */
	long valid_from, expires;
	bool expires_unconfirmed;	/* the data says why */
	/* Templates with {minor}: the apt key and the yum key of a minor. */
	const char *deb_key_url, *rpm_key_url;	/* arena */
	const char **sources;	/* arena */
	size_t nsources;
	struct src_loc loc;
};

/* ---------------------------------------------------------- add-ons */

/*
 * One release line of an add-on and the Kubernetes minors its project
 * lists for it (data/addons.yaml support:). release is "X.Y" (every patch
 * of X.Y) or "X.Y.Z" (from that patch to the next row of X.Y).
 */
struct addon_release {
	unsigned major, minor, patch;
	bool has_patch;
	const char *text;	/* arena: as written, "3.26" */
	unsigned k8s_min;	/* N of 1.N */
	unsigned k8s_max;	/* N of 1.N, or RULES_OPEN: "1.N and later" */
	const char *unconfirmed;	/* arena: why; NULL when confirmed */
	const char *source;	/* arena */
	long read;
	struct src_loc loc;
};

/*
 * A cluster add-on kubeadm does not upgrade (data/addons.yaml), recognised
 * by the repository of its pods' images. Exactly one of support (nsupport
 * > 0), no_support_table and support_from_kubeadm is set.
 */
struct addon {
	const char *name;	/* arena: "Calico" */
	const char *kind;	/* arena: cni, ingress, metrics, certs, dns, ... */
	const char **images;	/* arena: repository suffixes; nimages >= 1 */
	size_t nimages;
	const char *pod_prefix;	/* arena; NULL: any pod */
	const char *upgrade_url;	/* arena */
	const char *upgrade_note;	/* arena; NULL when none */
	long read;		/* the day the row was read from source */
	const char *source;	/* arena */
	struct addon_release *support;	/* arena; in file order */
	size_t nsupport;
	const char *no_support_table;	/* arena: why there is none, or NULL */
	bool support_from_kubeadm;	/* CoreDNS: kubeadm deploys it */
	struct src_loc loc;
};

/* An add-on seen running: one (add-on, image tag) of the snapshot. */
struct addon_run {
	const struct addon *addon;	/* borrowed: the db */
	const struct image *image;	/* borrowed: the first image seen */
	const char *tag;	/* borrowed; NULL: digest only or no tag */
	bool has_version;	/* the tag is a version: major.minor.patch */
	unsigned major, minor, patch;
};

/* What the support table of an add-on says about one target minor. */
enum addon_verdict {
	ADDON_LISTED,		/* the running release lists the target */
	ADDON_NOT_LISTED,	/* it does not: upgrade it first */
	ADDON_NO_VERSION,	/* the image tag is not a version */
	ADDON_NO_ROW,		/* the table has no row for the release */
	ADDON_NO_TABLE,		/* the project publishes no table */
	ADDON_KUBEADM,		/* kubeadm deploys and upgrades it */
};

struct addon_judgement {
	enum addon_verdict verdict;
	const struct addon_release *row;	/* the running release; or NULL */
	/*
	 * The first release newer than the running one that lists the
	 * target (and, when one does, the from minor too); NULL if none.
	 */
	const struct addon_release *fix;
};

/* ---------------------------------------------------------- apis */

/*
 * One group/version that Kubernetes deprecated or stopped serving, for
 * the kinds listed (data/apis.yaml). Minors are N of 1.N.
 *
 * A row of data/apis-addons.yaml names the project whose own releases
 * (not Kubernetes minors) deprecate and remove the version, such as
 * cert-manager: product is set, the three versions are that project's
 * major * 1000 + minor (for order only) and the *_text fields spell them.
 */
struct api_row {
	const char *api;	/* arena: group/version, "extensions/v1beta1" */
	const char *product;	/* arena; NULL: Kubernetes itself */
	const char *deprecated_text;	/* arena; product rows: "1.4" */
	const char *removed_text;	/* arena; product rows */
	const char *since_text;	/* arena; product rows with a replacement */
	const char **kinds;	/* arena */
	size_t nkinds;
	unsigned deprecated_in;	/* 0 when the data gives none */
	unsigned removed_in;
	const char *replacement;	/* arena; NULL when no API replaces it */
	unsigned replacement_since;	/* 0 with no replacement */
	const char *note;	/* arena; NULL */
	const char **sources;	/* arena */
	size_t nsources;
	struct src_loc loc;
};

/* ---------------------------------------------------------- nodes */

/* A runtime version: MAJOR.MINOR.PATCH. */
struct rt_ver {
	unsigned v[3];
};

/*
 * A hard limit a kubelet of minor since and later puts on a container
 * runtime (data/nodes.yaml runtimes): removed, or a minimum version.
 */
struct runtime_limit {
	const char *runtime;	/* arena: "docker", "containerd", "cri-o" */
	unsigned since;
	bool removed;
	struct rt_ver minimum;	/* rows that are not removed */
	const char *minimum_text;	/* arena: as written; NULL if removed */
	const char *unless_endpoint;	/* arena: lifts it; NULL */
	const char *unconfirmed;	/* arena: why; NULL when confirmed */
	long read;
	const char **sources;	/* arena */
	size_t nsources;
	struct src_loc loc;
};

/* The versions a runtime's project recommends for a Kubernetes minor. */
struct runtime_rec {
	const char *runtime;	/* arena */
	unsigned minor;
	struct rt_ver *versions;	/* arena: one minimum per branch */
	const char **texts;	/* arena: as written */
	size_t nversions;
	long read;
	const char **sources;
	size_t nsources;
	struct src_loc loc;
};

/* A runtime whose minor follows Kubernetes' (CRI-O). */
struct runtime_matched {
	const char *runtime;	/* arena */
	long read;
	const char **sources;
	size_t nsources;
	struct src_loc loc;
};

/* A kernel version kubeadm's preflight accepts: X.Y, or X.Y and later. */
struct kernel_accept {
	unsigned major, minor;
	bool or_later;
};

struct kernel_row {
	unsigned since, until;	/* kubeadm minors; until RULES_OPEN */
	struct kernel_accept *accepted;	/* arena */
	size_t naccepted;
	const char *accepted_text;	/* arena: "4.19+" or "5.4, 5.10, ..." */
	bool error;		/* preflight: error, else warning */
	long read;
	const char **sources;
	size_t nsources;
	struct src_loc loc;
};

/* The single-valued sections of data/nodes.yaml, each with its sources. */
struct node_policy {
	const char *source;	/* arena: the first source */
	long read;
	struct src_loc loc;
};

struct nodes_data {
	bool loaded;
	VEC(struct runtime_limit) limits;
	VEC(struct runtime_rec) recommended;	/* ascending minor per runtime */
	VEC(struct runtime_matched) matched;
	VEC(struct kernel_row) kernels;
	unsigned cgroup_v1_maintenance, cgroup_v1_refused;
	struct node_policy cgroup_v1;
	const char *kubeadm_cgroup_driver;	/* arena */
	unsigned kubeadm_driver_since, driver_from_cri_since;
	struct node_policy cgroup_driver;
	unsigned swap_unlimited_removed, swap_limited_needs_v2;
	struct node_policy swap;
};

/* ---------------------------------------------------------- catalogue */

enum check_kind {
	CK_APISERVER_HA, CK_COMPONENT_SKEW, CK_KUBECTL_SKEW, CK_EOL,
	CK_NEAR_EOL, CK_SUPPORT_WINDOW, CK_PATCH_BEHIND, CK_NODE_READY,
	CK_NODE_CORDONED, CK_FROZEN_REGISTRY, CK_CP_IMAGE_MISMATCH,
	CK_ETCD_DEFAULT, CK_REPO_LEGACY, CK_REPO_MINOR_PINNED,
	CK_INPUT_MISSING, CK_DATA_STALE, CK_WAIVER_EXPIRED, CK_PLAN,
	CK_VERSION_UNKNOWN, CK_INPUT_SKIPPED,
	CK_VERSION_NOT_RELEASE, CK_VERSION_MINOR_MISMATCH, CK_NODE_MASKED,
	CK_API_REMOVED, CK_API_DEPRECATED, CK_API_REPLACEMENT, CK_API_CONVERTED,
	CK_API_ADDON_REMOVED, CK_INPUT_CONFLICT,
	CK_ADDON_UNSUPPORTED, CK_ADDON_SUPPORT_UNKNOWN, CK_ADDON_UNPUBLISHED,
	CK_ADDON_COREDNS,
	CK_DRAIN_PDB, CK_DRAIN_UNMANAGED, CK_DRAIN_LOCAL_DATA,
	CK_DRAIN_SINGLE_REPLICA,
	CK_RUNTIME_REMOVED, CK_RUNTIME_MINIMUM, CK_RUNTIME_RECOMMENDED,
	CK_CGROUP_V1_MAINTENANCE, CK_CGROUP_V1_REFUSED, CK_CGROUP_DRIVER,
	CK_SWAP, CK_KERNEL_MINIMUM, CK_KERNEL_VALIDATED,
	CK_COUNT
};

enum skew_bound { BOUND_NONE, BOUND_NEWER, BOUND_OLDER, BOUND_AT_OLDER_LIMIT,
		  BOUND_ANY };

struct rule {
	const char *id;		/* arena; stable contract */
	enum check_kind check;
	const char *check_name;	/* static */
	const char *family;	/* arena: skew, support, ... */
	const char *title, *message, *remediation;	/* arena */
	enum severity severity;
	const char **references;	/* arena */
	size_t nreferences;
	/* params (by check kind) */
	const char **components;	/* arena; component-skew */
	size_t ncomponents;
	const char *relative_to;	/* arena; NULL = every row */
	enum skew_bound bound;
	long days, minors, months;	/* -1 when not given */
	struct src_loc loc;
};

/*
 * The loaded rules data. The arena is borrowed and must outlive the db;
 * the vectors' storage is owned and freed by rules_release().
 */
/* How the rules directory was chosen (struct rules_db origin). */
#define RULES_FROM_OPTION "given with --rules"
#define RULES_FROM_SOURCE_TREE "the source tree of the binary"
#define RULES_FROM_INSTALL "installed"

struct rules_db {
	struct arena *arena;	/* borrowed */
	const char *dir;	/* arena */
	/*
	 * static: how dir was chosen, one of RULES_FROM_*; set by the caller
	 * after rules_load() (which leaves it NULL), stated by every report.
	 */
	const char *origin;
	long compiled;		/* releases.yaml compiled: */
	struct src_loc compiled_loc;
	long patches_through;	/* or RULES_NO_DATE */
	VEC(struct release) releases;	/* ascending, consecutive minors */
	VEC(struct skew_row) skew;
	struct kubeadm_data kubeadm;
	VEC(struct registry) registries;
	VEC(struct pkg_repo) repos;
	VEC(struct pkg_key) keys;	/* packages.yaml signing_keys */
	VEC(struct addon) addons;	/* addons.yaml, in file order */
	VEC(struct api_row) apis;	/* data/apis.yaml, then apis-addons.yaml */
	struct nodes_data nodes;	/* data/nodes.yaml */
	VEC(struct rule) rules;	/* in file order */
};

/*
 * Loads and validates every file listed by dir/rulesets.yaml. Every problem
 * is a "path:line:col: error:" on d; all of a file's errors are reported
 * before giving up. Returns 0, or -1 (the db is then released). Strings go
 * into a, which must outlive db.
 */
int rules_load(struct rules_db *db, struct arena *a, struct diag *d,
	       const char *dir);
/* Frees the vectors of db (not the arena). Accepts a zeroed db. */
void rules_release(struct rules_db *db);

/*
 * The row for api (group/version) and kind, or, when kind is NULL, for a
 * resource (the lower-case plural, "ingresses"). NULL when the API is
 * not in the data. Borrowed from db; *kind_out (may be NULL) is set to
 * the row's spelling of the kind.
 */
const struct api_row *rules_api_find(const struct rules_db *db,
				     const char *api, const char *kind,
				     const char *resource,
				     const char **kind_out);
/* The resource of a kind as the apiserver names it: lower case, plural. */
const char *rules_api_resource(struct arena *a, const char *kind);

/* A node's container runtime as the kubelet reports it. */
struct node_runtime {
	char name[16];		/* "containerd", "cri-o", "docker", ... */
	struct rt_ver ver;
	bool has_ver;		/* a MAJOR.MINOR[.PATCH] followed "://" */
};

/*
 * Parses status.nodeInfo.containerRuntimeVersion ("containerd://1.6.20",
 * "cri-o://1.29.1", "docker://20.10.21"); false if there is no "://".
 */
bool rules_runtime_parse(const char *s, struct node_runtime *out);
/* Compares two runtime versions: <0, 0 or >0. */
int rules_rt_ver_cmp(const struct rt_ver *a, const struct rt_ver *b);
/* The major and minor of a kernel release ("5.15.0-91-generic"). */
bool rules_kernel_parse(const char *s, unsigned *major, unsigned *minor);

/* The rule with this id, or NULL. Borrowed: valid while db is. */
const struct rule *rules_find(const struct rules_db *db, const char *id);
/* The release data of minor 1.minor, or NULL when the data has none. */
const struct release *rules_release_of(const struct rules_db *db,
				       unsigned minor);
/*
 * What kubeadm 1.minor.patch deploys by default ("kubeadm config images
 * list" of that exact kubeadm version), with the per-patch changes of
 * data/kubeadm.yaml applied. All strings borrowed from the db; a tag is
 * NULL when the data does not know it. *_unconfirmed: the patch the value
 * starts from is a bound, not a fact (the data says why); *_source: where
 * the value comes from (a PR or the minor's constants.go).
 */
struct kubeadm_images {
	const char *etcd, *coredns, *pause;	/* tags as kubeadm writes them */
	const char *image_repository;	/* registry.k8s.io, k8s.gcr.io */
	const char *coredns_image;	/* coredns or coredns/coredns */
	bool etcd_unconfirmed, coredns_unconfirmed;
	const char *etcd_source, *coredns_source;
};

/* Fills *out for kubeadm 1.minor.patch; -1 when the data has no such minor. */
int rules_kubeadm_images(const struct rules_db *db, unsigned minor,
			 unsigned patch, struct kubeadm_images *out);
/* The kubeadm default etcd tag for 1.minor.patch; NULL if unknown. */
const char *rules_kubeadm_etcd(const struct rules_db *db, unsigned minor,
			       unsigned patch);
/* The kubeadm default CoreDNS tag for 1.minor.patch; NULL if unknown. */
const char *rules_kubeadm_coredns(const struct rules_db *db, unsigned minor,
				  unsigned patch);
/* The kubeadm defaults of a minor (etcd, CoreDNS, pause); NULL if none. */
const struct kubeadm_default *rules_kubeadm_defaults(const struct rules_db *db,
						     unsigned minor);
/* The key that repository repo_id's key URL of 1.minor serves, or NULL. */
const struct pkg_key *rules_pkg_key_served(const struct rules_db *db,
					   const char *repo_id, unsigned minor);
/* Is k valid on day (days since the epoch)? */
bool rules_pkg_key_is_valid(const struct pkg_key *k, long day);
/*
 * The key to install for the repository repo_id of 1.minor on day: the
 * key that repository serves if it is valid on day, else a key valid on
 * day that verifies 1.minor and is served by another minor of the same
 * repository (after 2024-11-02 the v1.24-v1.27 repositories need the key
 * of v1.28 or later). *fetch_minor is set to the minor whose key URL
 * (deb_key_url, rpm_key_url with {minor}) serves it: minor itself, or the
 * lowest minor that serves the chosen key. NULL when the data has no key
 * valid on day for that repository (for example after the newest known
 * expiry): the plan must then say the key is not known to be valid.
 */
const struct pkg_key *rules_pkg_key_for(const struct rules_db *db,
					const char *repo_id, unsigned minor,
					long day, unsigned *fetch_minor);
/*
 * The add-on of kind (cni, ...; NULL: any kind) whose images match an image repository
 * ("docker.io/calico/node") run by pod (NULL when not captured): a row with
 * a pod_prefix the pod starts with wins, else the first row of the file
 * whose images end the repository at a path boundary. NULL when none does.
 * Borrowed: valid while db is.
 */
const struct addon *rules_addon_for_image(const struct rules_db *db,
					  const char *kind,
					  const char *repository,
					  const char *pod);
/*
 * The add-ons the snapshot runs, one per (add-on, tag), in the order of
 * cs->images (initContainers are skipped). *out is arena memory, borrowed
 * until the run ends. Returns 0, or -1 when out of memory.
 */
int rules_addons_running(const struct rules_db *db,
			 const struct cluster_state *cs, struct arena *a,
			 struct addon_run **out, size_t *n);
/*
 * Judges run against the target minor (N of 1.N); from is the minor the
 * hop starts at (0: unknown), used to prefer a fix that lists both.
 */
void rules_addon_judge(const struct addon_run *run, unsigned from,
		       unsigned target, struct addon_judgement *out);
/*
 * Why the support of run is not known from judgement j (the tag is not a
 * version, the table has no row for it, or its row is UNCONFIRMED), or
 * NULL when it is known. Arena.
 */
const char *rules_addon_unknown_reason(struct arena *a,
				       const struct addon_run *run,
				       const struct addon_judgement *j);
/*
 * The releases a row of ad covers: "3.26", "1.9.0 to 1.9.5" (a patch row
 * up to the next row of its minor), "1.15.0 and later 1.15 patches". Arena
 * or r->text.
 */
const char *rules_addon_release_text(struct arena *a, const struct addon *ad,
				     const struct addon_release *r);
/* "1.24 to 1.28", "1.34 and later" for a row (arena; NULL on OOM). */
const char *rules_addon_range(struct arena *a, const struct addon_release *r);
/* Is the tag a version X.Y[.Z] (optional 'v', optional -suffix)? */
bool rules_addon_tag_version(const char *tag, unsigned *major,
			     unsigned *minor, unsigned *patch);

/*
 * kubeadm's kubelet skew for a kubeadm binary of this minor (3 from 1.29,
 * 1 before); -1 if no era applies. *loc is set to the era's row.
 */
int rules_kubeadm_kubelet_skew(const struct rules_db *db, unsigned minor,
			       struct src_loc *loc);

/*
 * The allowed skew of component against relative_to for an apiserver at
 * api_minor (the era) when the component is at comp_minor: sets *newer and
 * *older and returns the row, or NULL when no row applies.
 */
const struct skew_row *rules_skew_window(const struct rules_db *db,
					 const char *component,
					 const char *relative_to,
					 unsigned api_minor, unsigned comp_minor,
					 int *newer, int *older);
/*
 * The one skew test, shared by the audit and the planner's simulation: is
 * a component at comp_minor inside its window against relative_to at
 * other_minor, in the era of an apiserver at era_minor? bound says which
 * side is checked (BOUND_NONE and BOUND_ANY: both). Returns how many minors
 * it is outside (> 0), 0 when inside, or -1 when no skew row applies; sets
 * *newer (the side broken), *limit (that side's allowance) and *row.
 */
int rules_skew_excess(const struct rules_db *db, const char *component,
		      const char *relative_to, unsigned era_minor,
		      unsigned comp_minor, unsigned other_minor,
		      enum skew_bound bound, bool *newer, int *limit,
		      const struct skew_row **row);


/* ---------------------------------------------------------- drains */

#define DRAIN_MAX_EVIDENCE 4

/*
 * One thing that stops or hurts `kubectl drain` of a node (drain.c): a
 * PodDisruptionBudget that allows no eviction, a pod without a controller,
 * a pod with local data or pinned to the node, a workload whose every
 * ready replica the drain (or a batch of drains) takes away.
 */
struct drain_blocker {
	const struct rule *rule;	/* borrowed: the db's drain-* rule */
	const char *node;	/* arena: the node, or the batch's nodes */
	const char *kind;	/* arena or static: Pod, PodDisruptionBudget, ... */
	const char *namespace_;	/* arena */
	const char *name;	/* arena */
	const char *subject;	/* arena: "node/namespace/name" */
	const char *message, *remediation;	/* arena: rendered */
	struct src_loc evidence[DRAIN_MAX_EVIDENCE];	/* the object first */
	size_t nevidence;
};

/* A workload's ready replicas and the nodes they run on (sorted, unique). */
struct drain_workload {
	const char *kind, *namespace_, *name;	/* arena */
	long replicas;		/* spec.replicas, or -1 when not captured */
	size_t nready;
	const char **nodes;	/* arena */
	size_t nnodes;
	struct src_loc loc;	/* the workload, else its first pod */
};

struct drain_analysis {
	VEC(struct drain_blocker) blockers;	/* owned; by node, rule, object */
	VEC(struct drain_workload) workloads;	/* owned; with >= 2 nodes */
	const struct rule *single_replica;	/* borrowed; NULL if absent */
};

/*
 * Finds what blocks the drain of each node of cs with the drain-* rules of
 * db (a rule absent from db is not checked). Label selectors are matched
 * through an index of the pods' labels per namespace. Strings in a.
 * Returns 0, or -1 when out of memory (reported to d).
 */
int rules_drain_analyze(const struct rules_db *db,
			const struct cluster_state *cs, struct arena *a,
			struct diag *d, struct drain_analysis *out);
void rules_drain_release(struct drain_analysis *da);
/*
 * An int-or-percent of total as the disruption controller scales it:
 * a percent rounds up (intstr.GetScaledValueFromIntOrPercent(v, total,
 * true)), an integer is itself.
 */
long rules_scaled_value(const struct int_or_percent *v, long total);
/*
 * Appends to out the workloads whose every ready replica runs on the
 * nodes[0..n) drained together (a batch under --max-unavailable), for
 * batches of two nodes or more. Returns 0, or -1 when out of memory.
 */
int rules_drain_batch(const struct drain_analysis *da, struct arena *a,
		      const char *const *nodes, size_t n,
		      struct drain_analysis *out);

/* ---------------------------------------------------------- findings */

struct waiver {
	const char *rule, *subject, *reason, *owner;	/* arena */
	long expires;		/* the last day it applies */
	struct src_loc loc;
};

struct waivers {
	struct waiver *v;	/* owned */
	size_t n, cap;
};

struct finding {
	const struct rule *rule;	/* borrowed: the db */
	enum severity severity;
	const char *subject;	/* arena: node, image, package, repo, cluster */
	const char *message;	/* arena: the rendered message */
	const char *remediation;	/* arena: rendered */
	struct src_loc *evidence;	/* arena; may be empty */
	size_t nevidence;
	bool suppressed;	/* waived by an unexpired waiver */
	const struct waiver *waiver;	/* borrowed; matched waiver or NULL */
	bool waiver_expired;
	/* arena; input-missing: the ids of the rules not evaluated */
	const char **skipped_rules;
	size_t nskipped_rules;
	/* audit --baseline: set by cli/, BASELINE_NONE without it */
	enum finding_baseline {
		BASELINE_NONE, BASELINE_NEW, BASELINE_UNCHANGED, BASELINE_ABSENT
	} baseline;
};

struct findings {
	struct finding *v;	/* owned: free with rules_findings_release */
	size_t n, cap;
};

void rules_findings_release(struct findings *f);

struct rules_eval_options {
	long near_eol_days;	/* < 0: the rule's params.days */
	unsigned api_target;	/* audit --target minor; 0: the next minor */
};

/*
 * Evaluates every rule of db against cs at the as-of date (days since the
 * epoch) and appends the findings to out, unsorted. Checks whose input is
 * missing add input-missing findings instead of passing. opt may be NULL.
 * Returns 0, or -1 when out of memory (reported to d).
 */
int rules_evaluate(const struct rules_db *db, const struct cluster_state *cs,
		   long as_of, const struct rules_eval_options *opt,
		   struct diag *d, struct findings *out);

/*
 * Appends the findings about the captures themselves (input-skipped,
 * version-not-a-release, version-minor-mismatch, node-name-masked) to out,
 * unsorted: plan reports them beside its own findings. Returns 0, or
 * -1 when out of memory (reported to d).
 */
int rules_input_findings(const struct rules_db *db,
			 const struct cluster_state *cs, struct diag *d,
			 struct findings *out);

/*
 * The node prerequisite findings (rules of data/nodes.yaml: runtime,
 * cgroups, swap, kernel) about node n for its kubelet going from minor
 * from to minor to, appended to out: what the planner reports per hop.
 * Facts no capture shows are passed over here (the audit reports them as
 * input-missing). Returns 0, or -1 when out of memory (reported to d).
 */
int rules_node_findings(const struct rules_db *db,
			const struct cluster_state *cs, const struct node *n,
			unsigned from, unsigned to, struct diag *d,
			struct findings *out);

/*
 * Loads a waivers file: a YAML list of {rule, subject, reason, owner,
 * expires}, all required. A waiver naming a rule db does not know is an
 * error. Returns 0, or -1 after diagnostics.
 */
int rules_waivers_load(const struct rules_db *db, struct diag *d,
		       const char *path, struct waivers *out);
void rules_waivers_release(struct waivers *w);
/*
 * Marks findings matched by an unexpired waiver as suppressed; for an
 * expired waiver the finding stays counted and a waiver-expired finding is
 * added. subject patterns are fnmatch(3) globs. Returns 0 or -1 (OOM).
 */
int rules_waivers_apply(const struct rules_db *db, const struct waivers *w,
			long as_of, struct diag *d, struct findings *f);

/* Sorts by (severity, rule id, file, line, col, subject, message). */
void rules_findings_sort(struct findings *f);

/* Counts unsuppressed findings of at least severity min. */
size_t rules_findings_count(const struct findings *f, enum severity min);

#endif
