/*
 * workloads_doc.c - Pods, PodDisruptionBudgets, Deployments, StatefulSets
 * and ReplicaSets of "kubectl get pods,pdb,deploy,sts,rs -A -o yaml" (or
 * -o json, a List of any mix, a single object): what a drain needs to
 * know. A consumer of the same yaml_walk as images_doc.c (yaml_tee), so
 * the capture is read once.
 *
 * Fields follow the API types (k8s.io/api core/v1 Pod, policy/v1
 * PodDisruptionBudget, apps/v1): metadata.labels, ownerReferences,
 * annotations kubernetes.io/config.mirror; spec.nodeName, volumes,
 * nodeSelector, affinity.nodeAffinity; status.phase, conditions; the
 * PDB's selector, minAvailable, maxUnavailable and status counters; a
 * workload's replicas, selector and status.readyReplicas.
 *
 * An object with a bad value (a percent that is not one, an unknown
 * selector operator) is not added: it becomes a skipped record through
 * recover_skip(), an error under --strict, like a bad record of any
 * other parser. Nothing is printed while the walk is inside an object,
 * so the image reader's own records are not disturbed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_VALUE_LEN 1024	/* a label key, value or name we keep */


static const char *const status_keys[] = {
	"disruptionsAllowed", "currentHealthy", "desiredHealthy",
	"expectedPods",
};

/* Subtrees of no use to a drain: the walk skips them (images may not). */
static const char *const skipped_keys[] = {
	"managedFields", "containers", "initContainers",
	"ephemeralContainers", "template", "jobTemplate", "containerStatuses",
	"initContainerStatuses", "ephemeralContainerStatuses", "tolerations",
	"volumeClaimTemplates", "podIPs", "hostIPs", "finalizers",
	"topologySpreadConstraints", "resourceClaims", "podAffinity",
	"podAntiAffinity", "readinessGates", "dnsConfig", "securityContext",
	"hostAliases", "resourceClaimStatuses", "preferredDuringSchedulingIgnoredDuringExecution",
	"strategy", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
	"ordinals",
};

static void
obj_reset(struct wl_obj *o)
{
	/* The vectors keep their storage from object to object. */
	struct wl_obj keep = *o;

	memset(o, 0, sizeof(*o));
	o->labels = keep.labels;
	o->owners = keep.owners;
	o->empty_dirs = keep.empty_dirs;
	o->host_paths = keep.host_paths;
	o->pvcs = keep.pvcs;
	o->sel.labels = keep.sel.labels;
	o->sel.reqs = keep.sel.reqs;
	o->sel.cur.values = keep.sel.cur.values;
	o->labels.n = o->owners.n = o->empty_dirs.n = o->host_paths.n = 0;
	o->pvcs.n = o->sel.labels.n = o->sel.reqs.n = 0;
	o->sel.cur.values.n = 0;
	o->ready = TRI_UNKNOWN;
	o->replicas = -1;
	o->ready_replicas = -1;
	o->st[0] = o->st[1] = o->st[2] = o->st[3] = -1;
}

static void
obj_release(struct wl_obj *o)
{
	vec_release(&o->labels);
	vec_release(&o->owners);
	vec_release(&o->empty_dirs);
	vec_release(&o->host_paths);
	vec_release(&o->pvcs);
	vec_release(&o->sel.labels);
	vec_release(&o->sel.reqs);
	vec_release(&o->sel.cur.values);
}

int
workloads_bad(struct workloads_parse *p, struct wl_obj *o, struct src_loc loc,
    const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (o->err)
		return 0;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	o->err = b.oom ? NULL : arena_strdup(p->c->arena, buf_cstr(&b));
	buf_release(&b);
	o->err_loc = loc;
	if (!o->err) {
		p->oom = true;
		return diag_error(p->c->diag, loc, "out of memory");
	}
	return 0;
}

int
workloads_oom(struct workloads_parse *p, struct src_loc loc)
{
	p->oom = true;
	return diag_error(p->c->diag, loc, "out of memory");
}

/* The one arena copy of s[0..len) for this file; NULL when out of memory. */
static const char *
intern(struct workloads_parse *p, const char *s, size_t len)
{
	const char *q = strmap_get(&p->intern, s, len);
	char *d;

	if (q)
		return q;
	if (!(d = arena_strndup(p->c->arena, s, len)) ||
	    strmap_put(&p->intern, d, len, d) < 0) {
		p->oom = true;
		return NULL;
	}
	return d;
}

static struct wl_obj *
obj_of(struct workloads_parse *p, const char *path, const char **rel)
{
	if (!strncmp(path, ".items[]", 8)) {
		*rel = path + 8;
		return &p->item;
	}
	*rel = path;
	return &p->doc;
}

static bool
has_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n))
		return false;
	*rest = s + n;
	return true;
}

/* Parses a non-negative decimal; false if s[0..len) is not one. */
static bool
parse_count(const char *s, size_t len, long *out)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 9)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int
count_field(struct workloads_parse *p, struct wl_obj *o, struct yaml_walk *w,
	    const char *s, size_t len, struct src_loc loc, const char *what,
	    long *out)
{
	if (w->is_null)
		return 0;
	if (!w->plain || !parse_count(s, len, out))
		return workloads_bad(p, o, loc, "%s is not a non-negative integer",
			   what);
	return 0;
}

/*
 * An IntOrString: a plain integer, or "N%" (intstr.GetScaledValueFrom-
 * IntOrPercent accepts only a percent as a string).
 */
static int
int_or_percent(struct workloads_parse *p, struct wl_obj *o, struct yaml_walk *w,
	       const char *s, size_t len, struct src_loc loc, const char *what,
	       struct int_or_percent *out)
{
	if (w->is_null)
		return 0;
	out->loc = loc;
	if (len > 1 && s[len - 1] == '%' && parse_count(s, len - 1,
							 &out->value)) {
		if (out->value > 100)
			return workloads_bad(p, o, loc, "%s is over 100%%", what);
		out->percent = true;
		out->set = true;
		return 0;
	}
	if (w->plain && parse_count(s, len, &out->value)) {
		out->set = true;
		return 0;
	}
	return workloads_bad(p, o, loc, "%s is neither an integer nor a percent", what);
}

static int
push_str(struct workloads_parse *p, struct wl_obj *o, void *vec_, const char *s,
	 size_t len, struct src_loc loc)
{
	VEC(const char *) *vec = vec_;
	const char **slot;
	const char *v;

	if (vec->n >= WORKLOADS_MAX_LIST)
		return workloads_bad(p, o, loc, "more than %d entries in one list",
			   WORKLOADS_MAX_LIST);
	if (!(v = intern(p, s, len)) || !(slot = vec_push(vec)))
		return workloads_oom(p, loc);
	*slot = v;
	return 0;
}

static int
push_label(struct workloads_parse *p, struct wl_obj *o, void *vec_,
	   const char *key, const char *s, size_t len, struct src_loc loc)
{
	VEC(struct label_pair) *vec = vec_;
	struct label_pair *l;

	if (vec->n >= WORKLOADS_MAX_LIST)
		return workloads_bad(p, o, loc, "more than %d labels", WORKLOADS_MAX_LIST);
	if (!(l = vec_push(vec)) || !(l->key = intern(p, key, strlen(key))) ||
	    !(l->value = intern(p, s, len)))
		return workloads_oom(p, loc);
	return 0;
}

static const char *const op_names[] = {"In", "NotIn", "Exists",
				       "DoesNotExist"};

/* A scalar of spec.selector (rest: the path after ".spec.selector"). */
static int
selector_scalar(struct workloads_parse *p, struct wl_obj *o, const char *rest, const char *s, size_t len,
		struct src_loc loc)
{
	struct wl_req *r = &o->sel.cur;
	const char *key;
	size_t i;

	if (has_prefix(rest, ".matchLabels.", &key) && *key)
		return push_label(p, o, &o->sel.labels, key, s, len, loc);
	if (!strcmp(rest, ".matchExpressions[].key")) {
		r->key = intern(p, s, len);
		return r->key ? 0 : workloads_oom(p, loc);
	}
	if (!strcmp(rest, ".matchExpressions[].operator")) {
		for (i = 0; i < ARRAY_SIZE(op_names); i++)
			if (strlen(op_names[i]) == len &&
			    !memcmp(s, op_names[i], len))
				r->op = (int)i;
		if (r->op < 0)
			return workloads_bad(p, o, loc,
				   "unknown label selector operator '%.*s'",
				   (int)(len > 64 ? 64 : len), s);
		return 0;
	}
	if (!strcmp(rest, ".matchExpressions[].values[]"))
		return push_str(p, o, &r->values, s, len, loc);
	return 0;
}

/* A matchExpressions entry is complete: check it as the apiserver does. */
static int
selector_req_close(struct workloads_parse *p, struct wl_obj *o)
{
	struct wl_req *r = &o->sel.cur;
	struct sel_req *q;
	bool want_values;

	if (!r->key)
		return workloads_bad(p, o, r->loc,
			   "label selector requirement has no key");
	if (r->op < 0)
		return workloads_bad(p, o, r->loc, "label selector requirement '%s' "
			   "has no operator", r->key);
	/* ValidateLabelSelectorRequirement (apimachinery validation.go). */
	want_values = r->op == SEL_IN || r->op == SEL_NOT_IN;
	if (want_values && r->values.n == 0)
		return workloads_bad(p, o, r->loc, "label selector requirement '%s' "
			   "needs values for In and NotIn", r->key);
	if (!want_values && r->values.n)
		return workloads_bad(p, o, r->loc, "label selector requirement '%s' "
			   "may not have values with Exists or DoesNotExist",
			   r->key);
	if (o->sel.reqs.n >= WORKLOADS_MAX_LIST)
		return workloads_bad(p, o, r->loc, "more than %d requirements",
			   WORKLOADS_MAX_LIST);
	if (!(q = vec_push(&o->sel.reqs)))
		return workloads_oom(p, r->loc);
	q->key = r->key;
	q->op = (enum sel_op)r->op;
	q->nvalues = r->values.n;
	q->values = NULL;
	if (r->values.n) {
		q->values = arena_alloc(p->c->arena,
					r->values.n * sizeof(*q->values));
		if (!q->values)
			return workloads_oom(p, r->loc);
		memcpy(q->values, r->values.v,
		       r->values.n * sizeof(*q->values));
	}
	return 0;
}

/* A scalar of a required nodeAffinity term (rest: after the terms[]). */
static void
term_scalar(struct wl_obj *o, const char *rest, const char *v)
{
	struct wl_term *t = &o->term_req;

	if (!strcmp(rest, ".matchExpressions[].key") ||
	    !strcmp(rest, ".matchFields[].key"))
		t->key = v;
	else if (!strcmp(rest, ".matchExpressions[].operator") ||
		 !strcmp(rest, ".matchFields[].operator"))
		t->op = v;
	else if (!strcmp(rest, ".matchExpressions[].values[]") ||
		 !strcmp(rest, ".matchFields[].values[]")) {
		if (t->nvalues++ == 0)
			t->value = v;
	}
}

#define AFFINITY_TERMS                                                         \
	"affinity.nodeAffinity."                                               \
	"requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[]"

/* A scalar under .metadata (rest: after ".metadata."). */
static int
meta_scalar(struct workloads_parse *p, struct wl_obj *o, struct yaml_walk *w,
	    const char *rest, const char *s, size_t len, struct src_loc loc)
{
	const char *key;

	/* kubelet's config.mirror annotation: any value, even none. */
	if (has_prefix(rest, "annotations.", &key)) {
		if (!strcmp(key, "kubernetes.io/config.mirror"))
			o->mirror = true;
		return 0;
	}
	if (w->is_null)
		return 0;
	if (len > MAX_VALUE_LEN)
		return workloads_bad(p, o, loc, "value longer than %d bytes",
				     MAX_VALUE_LEN);
	if (has_prefix(rest, "labels.", &key) && *key)
		return push_label(p, o, &o->labels, key, s, len, loc);
	if (!strcmp(rest, "name"))
		o->name = arena_strndup(p->c->arena, s, len);
	else if (!strcmp(rest, "namespace"))
		o->ns = intern(p, s, len);
	else if (!strcmp(rest, "deletionTimestamp"))
		o->deleting = true;
	else if (!strcmp(rest, "ownerReferences[].kind"))
		o->owner_cur.kind = intern(p, s, len);
	else if (!strcmp(rest, "ownerReferences[].name"))
		o->owner_cur.name = arena_strndup(p->c->arena, s, len);
	else if (!strcmp(rest, "ownerReferences[].controller"))
		o->owner_cur.controller = len == 4 && !memcmp(s, "true", 4);
	else
		return 0;
	if ((!strcmp(rest, "name") && !o->name) ||
	    (!strcmp(rest, "ownerReferences[].name") && !o->owner_cur.name))
		return workloads_oom(p, loc);
	return p->oom ? workloads_oom(p, loc) : 0;
}

/* A scalar under .spec (rest: after ".spec."). */
static int
spec_scalar(struct workloads_parse *p, struct wl_obj *o, struct yaml_walk *w,
	    const char *rest, const char *s, size_t len, struct src_loc loc)
{
	const char *sub, *v;

	if (has_prefix(rest, "selector", &sub))
		return selector_scalar(p, o, sub, s, len, loc);
	if (!strcmp(rest, "nodeName"))
		o->node = intern(p, s, len);
	else if (!strcmp(rest, "volumes[].name"))
		o->vol_name = intern(p, s, len);
	else if (!strcmp(rest, "volumes[].hostPath.path"))
		o->vol_host_path = intern(p, s, len);
	else if (!strcmp(rest, "volumes[].persistentVolumeClaim.claimName"))
		o->vol_pvc = intern(p, s, len);
	else if (!strcmp(rest, "nodeSelector.kubernetes.io/hostname"))
		o->host_selector = intern(p, s, len);
	else if (!strcmp(rest, "minAvailable"))
		return int_or_percent(p, o, w, s, len, loc, "minAvailable",
				      &o->min_avail);
	else if (!strcmp(rest, "maxUnavailable"))
		return int_or_percent(p, o, w, s, len, loc, "maxUnavailable",
				      &o->max_unavail);
	else if (!strcmp(rest, "replicas"))
		return count_field(p, o, w, s, len, loc, "replicas",
				   &o->replicas);
	else if (!strcmp(rest, "unhealthyPodEvictionPolicy"))
		o->always_allow = len == 11 && !memcmp(s, "AlwaysAllow", 11);
	else if (has_prefix(rest, AFFINITY_TERMS, &sub)) {
		if (!(v = intern(p, s, len)))
			return workloads_oom(p, loc);
		term_scalar(o, sub, v);
	}
	return p->oom ? workloads_oom(p, loc) : 0;
}

/* A scalar under .status (rest: after ".status."). */
static int
status_scalar(struct workloads_parse *p, struct wl_obj *o,
	      struct yaml_walk *w, const char *rest, const char *s,
	      size_t len, struct src_loc loc)
{
	size_t i;

	if (!strcmp(rest, "phase"))
		o->phase = intern(p, s, len);
	else if (!strcmp(rest, "conditions[].type"))
		o->cond_type = intern(p, s, len);
	else if (!strcmp(rest, "conditions[].status"))
		o->cond_status = intern(p, s, len);
	else if (!strcmp(rest, "readyReplicas")) {
		o->has_status = true;
		return count_field(p, o, w, s, len, loc, "readyReplicas",
				   &o->ready_replicas);
	} else {
		for (i = 0; i < ARRAY_SIZE(status_keys); i++)
			if (!strcmp(rest, status_keys[i])) {
				if (i == 0)
					o->st_loc = loc;
				return count_field(p, o, w, s, len, loc,
						   status_keys[i], &o->st[i]);
			}
	}
	return p->oom ? workloads_oom(p, loc) : 0;
}

/* Dispatches on the first key: most scalars are decided in one compare. */
static int
wl_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	  struct src_loc loc)
{
	struct workloads_parse *p = ctx;
	const char *rel, *rest;
	struct wl_obj *o = obj_of(p, yaml_walk_path(w), &rel);

	if (has_prefix(rel, ".metadata.", &rest))
		return meta_scalar(p, o, w, rest, s, len, loc);
	if (w->is_null)
		return 0;
	if (len > MAX_VALUE_LEN)
		return workloads_bad(p, o, loc, "value longer than %d bytes",
				     MAX_VALUE_LEN);
	if (has_prefix(rel, ".spec.", &rest))
		return spec_scalar(p, o, w, rest, s, len, loc);
	if (has_prefix(rel, ".status.", &rest))
		return status_scalar(p, o, w, rest, s, len, loc);
	if (!strcmp(rel, ".kind"))
		return (o->kind = intern(p, s, len)) ? 0
						     : workloads_oom(p, loc);
	if (!strcmp(rel, ".apiVersion"))
		return (o->api = intern(p, s, len)) ? 0
						    : workloads_oom(p, loc);
	return 0;
}

static int
wl_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct workloads_parse *p = ctx;
	const char *path = yaml_walk_path(w), *rel;
	struct wl_obj *o;

	if (w->depth > 1 &&
	    yaml_walk_last_key_is(w, skipped_keys, ARRAY_SIZE(skipped_keys)))
		return YAML_WALK_SKIP;
	if (!is_map)
		return 0;
	if (w->depth == 1 && path[0] == '\0') {
		obj_reset(&p->doc);
		p->doc.open = loc;
		p->doc.skipped0 = p->c->cs->skipped.n;
		return 0;
	}
	if (!strcmp(path, ".items[]")) {
		obj_reset(&p->item);
		p->item.open = loc;
		p->item.skipped0 = p->c->cs->skipped.n;
		return 0;
	}
	o = obj_of(p, path, &rel);
	if (!strcmp(rel, ".spec.selector")) {
		o->sel.present = true;
	} else if (!strcmp(rel, ".spec.selector.matchExpressions[]")) {
		o->sel.cur.key = NULL;
		o->sel.cur.op = -1;
		o->sel.cur.values.n = 0;
		o->sel.cur.loc = loc;
	} else if (!strcmp(rel, ".metadata.ownerReferences[]")) {
		memset(&o->owner_cur, 0, sizeof(o->owner_cur));
	} else if (!strcmp(rel, ".spec.volumes[]")) {
		o->vol_name = o->vol_host_path = o->vol_pvc = NULL;
		o->vol_empty_dir = false;
	} else if (!strcmp(rel, ".spec.volumes[].emptyDir")) {
		o->vol_empty_dir = true;
	} else if (!strcmp(rel, ".status.conditions[]")) {
		o->cond_type = o->cond_status = NULL;
	} else if (!strcmp(rel, ".spec." AFFINITY_TERMS)) {
		o->term_pinned = false;
	} else if (!strcmp(rel, ".spec." AFFINITY_TERMS ".matchExpressions[]") ||
		   !strcmp(rel, ".spec." AFFINITY_TERMS ".matchFields[]")) {
		memset(&o->term_req, 0, sizeof(o->term_req));
		o->term_req.is_field = strstr(rel, "matchFields") != NULL;
	}
	return 0;
}

/*
 * A requirement of a required nodeAffinity term pins the pod when it
 * allows exactly one node: kubernetes.io/hostname In [one] (local
 * PersistentVolumes and hand-pinned pods), or metadata.name In [one].
 */
static void
term_req_close(struct wl_obj *o)
{
	const struct wl_term *t = &o->term_req;
	const char *want = t->is_field ? "metadata.name"
				       : "kubernetes.io/hostname";

	if (!t->key || !t->op || strcmp(t->key, want) || strcmp(t->op, "In") ||
	    t->nvalues != 1)
		return;
	if (o->term_pinned)
		return;
	o->term_pinned = true;
	o->terms_pinned++;
	if (!o->term_host)
		o->term_host = t->value;
	else if (strcmp(o->term_host, t->value))
		o->terms_disagree = true;
}

static int
wl_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct workloads_parse *p = ctx;
	const char *path = yaml_walk_path(w), *rel;
	struct wl_obj *o;
	struct owner_ref *r;

	if (!is_map)
		return 0;
	if (w->depth == 1 && path[0] == '\0')
		return workloads_obj_close(p, &p->doc);
	if (!strcmp(path, ".items[]"))
		return workloads_obj_close(p, &p->item);
	o = obj_of(p, path, &rel);
	if (!strcmp(rel, ".spec.selector.matchExpressions[]"))
		return selector_req_close(p, o);
	if (!strcmp(rel, ".metadata.ownerReferences[]")) {
		if (!o->owner_cur.kind || !o->owner_cur.name)
			return workloads_bad(p, o, o->open,
				   "ownerReference without kind or name");
		if (o->owners.n >= WORKLOADS_MAX_LIST)
			return workloads_bad(p, o, o->open, "more than %d owners",
				   WORKLOADS_MAX_LIST);
		if (!(r = vec_push(&o->owners)))
			return workloads_oom(p, o->open);
		*r = o->owner_cur;
		return 0;
	}
	if (!strcmp(rel, ".spec.volumes[]")) {
		struct src_loc at = o->open;

		if (o->vol_empty_dir)
			return push_str(p, o, &o->empty_dirs,
					o->vol_name ? o->vol_name : "",
					o->vol_name ? strlen(o->vol_name) : 0,
					at);
		if (o->vol_host_path)
			return push_str(p, o, &o->host_paths, o->vol_host_path,
					strlen(o->vol_host_path), at);
		if (o->vol_pvc)
			return push_str(p, o, &o->pvcs, o->vol_pvc,
					strlen(o->vol_pvc), at);
		return 0;
	}
	if (!strcmp(rel, ".status.conditions[]")) {
		if (o->cond_type && !strcmp(o->cond_type, "Ready") &&
		    o->cond_status)
			o->ready = !strcmp(o->cond_status, "True")    ? TRI_TRUE
				   : !strcmp(o->cond_status, "False") ? TRI_FALSE
								      : TRI_UNKNOWN;
		return 0;
	}
	if (!strcmp(rel, ".spec." AFFINITY_TERMS ".matchExpressions[]") ||
	    !strcmp(rel, ".spec." AFFINITY_TERMS ".matchFields[]")) {
		term_req_close(o);
		return 0;
	}
	if (!strcmp(rel, ".spec." AFFINITY_TERMS))
		o->terms++;
	return 0;
}

/* ------------------------------------------------------------ entry */

struct workloads_parse *
workloads_new(struct ingest_ctx *c)
{
	struct workloads_parse *p = calloc(1, sizeof(*p));

	if (p)
		p->c = c;
	return p;
}

void
workloads_free(struct workloads_parse *p)
{
	if (!p)
		return;
	obj_release(&p->doc);
	obj_release(&p->item);
	strmap_release(&p->intern);
	free(p);
}

size_t
workloads_found(const struct workloads_parse *p)
{
	return p->found;
}

const struct yaml_walk_ops workloads_ops = {wl_scalar, wl_open, wl_close};
