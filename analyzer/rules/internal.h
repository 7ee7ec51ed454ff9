/*
 * internal.h - shared between the files of the rules stage only: the small
 * YAML tree the loader builds, and the evaluation context the check kinds
 * share.
 */
#ifndef SKEWPLAN_RULES_INTERNAL_H
#define SKEWPLAN_RULES_INTERNAL_H

#include <limits.h>

#include "rules.h"

/* ---------------------------------------------------------- YAML tree */

enum ynode_kind { YN_MAP, YN_SEQ, YN_SCALAR };

/*
 * One node of a parsed rules file. Keys of map entries are kept on the
 * child. libyaml reports no mark for keys through yaml_walk, so a key's
 * location is that of its value.
 */
struct ynode {
	enum ynode_kind kind;
	const char *key;	/* arena; in a map, the entry's key */
	const char *s;		/* arena; scalar text */
	size_t len;
	bool plain, is_null;
	struct src_loc loc;
	struct ynode *parent, *child, *last, *next;
	size_t n;		/* children */
};

/*
 * Parses path into a tree in a. Returns the root (a map or sequence), or
 * NULL after a diagnostic (syntax error, several documents, a scalar
 * document, duplicate keys, or an empty file: "expected EXPECT").
 */
struct ynode *rules_yaml_load(struct arena *a, struct diag *d,
			      const char *path, const char *expect);
/* The value of key in map, or NULL. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);

/* ---------------------------------------------------------- evaluation */

/* A placeholder value for message and remediation templates. */
struct fill {
	const char *name;
	const char *value;
};

#define EVAL_MAX_FILL 12

/* One kube-apiserver instance: per control-plane node, else the server. */
struct api_instance {
	struct kver ver;
	const char *node;	/* NULL when from the server version */
	struct src_loc loc;
};

struct missing {
	const char *input;	/* static */
	VEC(const struct rule *) rules;	/* owned: the rules skipped, in order */
};

struct eval_ctx {
	const struct rules_db *db;
	const struct cluster_state *cs;
	long as_of;
	long near_eol_days;
	unsigned api_target;	/* 0: the next minor of the cluster */
	struct arena *a;
	struct diag *d;
	struct findings *out;
	struct api_instance *apis;	/* owned; oldest first */
	size_t napis;
	/* The cluster version: server, else the oldest apiserver. */
	const struct kver *cluster;
	struct src_loc cluster_loc;
	VEC(struct missing) missing;
	bool oom;
};

/* Appends a finding for r; renders its templates. Returns 0 or -1. */
int eval_emit(struct eval_ctx *c, const struct rule *r, const char *subject,
	      const struct fill *f, size_t nf, const struct src_loc *ev,
	      size_t nev);
/* Records that r was skipped because input is missing. Returns 0 or -1. */
int eval_missing(struct eval_ctx *c, const struct rule *r, const char *input);
/* Renders a template with placeholders into a (NULL when out of memory). */
const char *eval_render(struct arena *a, const char *tmpl, const struct fill *f,
			size_t nf);

/* "1.N.P" for a version, "1.N" for a minor, "YYYY-MM-DD" for a date. */
const char *eval_ver(struct eval_ctx *c, const struct kver *v);
const char *eval_minor(struct eval_ctx *c, unsigned major, unsigned minor);
const char *eval_date(struct eval_ctx *c, long days);
const char *eval_int(struct eval_ctx *c, long n);
/* Parses an image tag as a Kubernetes version; false if it is not one. */
bool eval_tag_version(struct eval_ctx *c, const struct image *im,
		      struct kver *out);
/* Minor distance as a plain int: x - y. */
int eval_minor_diff(unsigned x, unsigned y);

/* The check kinds, one function each; all return 0 or -1 (OOM). */
int check_apiserver_ha(struct eval_ctx *c, const struct rule *r);
int check_component_skew(struct eval_ctx *c, const struct rule *r);
int check_kubectl_skew(struct eval_ctx *c, const struct rule *r);
int check_eol(struct eval_ctx *c, const struct rule *r);
int check_near_eol(struct eval_ctx *c, const struct rule *r);
int check_support_window(struct eval_ctx *c, const struct rule *r);
int check_patch_behind(struct eval_ctx *c, const struct rule *r);
int check_version_unknown(struct eval_ctx *c, const struct rule *r);
int check_data_stale(struct eval_ctx *c, const struct rule *r);
int check_input_skipped(struct eval_ctx *c, const struct rule *r);
int check_input_conflict(struct eval_ctx *c, const struct rule *r);
int check_version_not_release(struct eval_ctx *c, const struct rule *r);
int check_version_minor_mismatch(struct eval_ctx *c, const struct rule *r);
int check_node_masked(struct eval_ctx *c, const struct rule *r);
int check_node_ready(struct eval_ctx *c, const struct rule *r);
int check_node_cordoned(struct eval_ctx *c, const struct rule *r);
int check_frozen_registry(struct eval_ctx *c, const struct rule *r);
int check_cp_image_mismatch(struct eval_ctx *c, const struct rule *r);
int check_etcd_default(struct eval_ctx *c, const struct rule *r);
int check_repo_legacy(struct eval_ctx *c, const struct rule *r);
int check_repo_minor_pinned(struct eval_ctx *c, const struct rule *r);
/* check_apis.c: the four api-* check kinds. */
int check_apis(struct eval_ctx *c, const struct rule *r);


/* ---------------------------------------------------------- waivers */

/* The glob waivers of one rule: indexes into the waivers, in file order. */
struct waiver_globs {
	VEC(size_t) idx;	/* owned */
};

/*
 * The waivers indexed for lookup: an exact subject by (rule, subject) in a
 * hash, the globs (fnmatch patterns) by rule. 40,000 waivers against
 * 20,000 findings took a minute and a half when each finding tried every
 * waiver.
 */
struct waiver_index {
	const struct waivers *w;	/* borrowed */
	struct strmap exact;	/* "rule\0subject" (arena) -> waiver */
	struct strmap by_rule;	/* rule id -> 1 + index into globs */
	VEC(struct waiver_globs) globs;	/* owned */
	struct buf key;		/* owned: lookup scratch */
};

/* Builds ix over w (keys in a). Returns 0, or -1 when out of memory. */
int waiver_index_build(struct waiver_index *ix, struct arena *a,
		       const struct waivers *w);
void waiver_index_release(struct waiver_index *ix);
/*
 * The first waiver of the file that matches rule and subject (exactly or
 * as a glob), or NULL.
 */
const struct waiver *waiver_index_find(struct waiver_index *ix,
				       const char *rule, const char *subject);

/* ---------------------------------------------------------- loader */

/*
 * The loader's shared pieces (load*.c): a field list checks a mapping's
 * keys and value types; the load_get_* getters read values that
 * load_check_fields has accepted. Each data file has one load_* function.
 */

#define ERA_MAX UINT_MAX

enum ftype {
	T_STR, T_STR_NULL, T_MINOR, T_VERSION, T_DATE, T_DATE_NULL, T_INT,
	T_BOOL, T_URL, T_MAP, T_SEQ, T_STRLIST, T_URLLIST, T_VERLIST
};

struct field {
	const char *key;
	enum ftype type;
	bool required;
};

struct lctx {
	struct rules_db *db;
	struct arena *a;
	struct diag *d;
	const char *path;	/* arena: file being loaded */
};

/* An era of minors lo..hi (hi ERA_MAX: open), from the row at loc. */
struct era {
	unsigned lo, hi;
	struct src_loc loc;
};

bool load_in_list(const char *s, const char *const *list, size_t n);
/* s names a component of the skew policy (kube-apiserver, kubelet, ...). */
bool load_is_component(const char *s);
/* "1.N" with N in 0..999; or "1.N.P" when want_patch. */
bool load_parse_version(const char *s, size_t len, bool want_patch,
			unsigned *minor, unsigned *patch);
/*
 * Checks map against fields: unknown keys, missing required keys and the
 * type of each value. what names the map in messages. Returns 0 or -1.
 */
int load_check_fields(struct lctx *c, const struct ynode *map,
		      const struct field *fs, size_t nf, const char *what);
/* root's first key must be schema, and its value want. */
int load_check_schema(struct lctx *c, const struct ynode *root,
		      const char *want);
/* The value of key, when present, must be a known component name. */
int load_check_component(struct lctx *c, const struct ynode *map,
			 const char *key);
/*
 * Sorts e and checks that the eras neither overlap nor leave a gap
 * between minor 0 and the open end. what names them in messages.
 */
int load_check_eras(struct lctx *c, struct era *e, size_t n,
		    const char *what);
/* Values load_check_fields accepted; absent or null give the fallback. */
const char *load_get_str(const struct ynode *map, const char *key);
long load_get_date(const struct ynode *map, const char *key);
unsigned load_get_minor(const struct ynode *map, const char *key);
long load_get_int(const struct ynode *map, const char *key, long dflt);
const char **load_get_strlist(struct lctx *c, const struct ynode *map,
			      const char *key, size_t *n);
/* "out of memory" at loc; returns -1. */
int load_oom(struct lctx *c, struct src_loc loc);

/* The data files and the rule files; each returns 0 or -1. */
int load_releases(struct lctx *c, const struct ynode *root);
int load_skew(struct lctx *c, const struct ynode *root);
int load_kubeadm(struct lctx *c, const struct ynode *root);
int load_registries(struct lctx *c, const struct ynode *root);
int load_packages(struct lctx *c, const struct ynode *root);
int load_addons(struct lctx *c, const struct ynode *root);
int load_apis(struct lctx *c, const struct ynode *root);
/* data/apis-addons.yaml: the same rows, versioned by their project. */
int load_apis_addons(struct lctx *c, const struct ynode *root);
int load_rules(struct lctx *c, const struct ynode *root, const char *family);
/* Every stable rule id is in the catalogue with its severity. */
int load_check_stable_ids(struct lctx *c, const char *rulesets);

#endif
