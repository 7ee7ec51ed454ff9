/*
 * model.c - the cluster inventory: lifetime, names and deterministic order.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

void
cluster_state_init(struct cluster_state *cs, struct arena *a)
{
	memset(cs, 0, sizeof(*cs));
	cs->arena = a;
	cs->apiserver_started = -1;
}

void
cluster_state_release(struct cluster_state *cs)
{
	if (!cs)
		return;
	vec_release(&cs->inputs);
	vec_release(&cs->skipped);
	vec_release(&cs->warnings);
	vec_release(&cs->kubelet_sightings);
	vec_release(&cs->nodes);
	vec_release(&cs->images);
	vec_release(&cs->packages);
	vec_release(&cs->api_uses);
	vec_release(&cs->pods);
	vec_release(&cs->pdbs);
	vec_release(&cs->workloads);
	vec_release(&cs->kubelet_configs);
	vec_release(&cs->node_facts);
	strmap_release(&cs->intern);
}

const char *
model_kind_name(enum input_kind k)
{
	switch (k) {
	case KIND_VERSION: return "version";
	case KIND_NODES: return "nodes";
	case KIND_IMAGES: return "images";
	case KIND_PACKAGES: return "packages";
	case KIND_METRICS: return "metrics";
	case KIND_AUDIT_LOG: return "audit-log";
	case KIND_MANIFESTS: return "manifests";
	case KIND_KUBEADM_PLAN: return "kubeadm-plan";
	case KIND_CONFIGZ: return "configz";
	case KIND_NODE_FACTS: return "node-facts";
	default: return "unknown";
	}
}

const char *
model_repo_kind_name(enum repo_kind k)
{
	switch (k) {
	case REPO_LEGACY: return "legacy";
	case REPO_PKGS: return "pkgs.k8s.io";
	case REPO_MIRROR: return "mirror";
	case REPO_LOCAL: return "local";
	default: return "other";
	}
}

bool
node_is_control_plane(const struct node *n)
{
	size_t i;

	for (i = 0; i < n->nroles; i++)
		if (!strcmp(n->roles[i], "control-plane") ||
		    !strcmp(n->roles[i], "master"))
			return true;
	return false;
}

const struct kubelet_config *
model_kubelet_config(const struct cluster_state *cs, const char *node)
{
	const struct kubelet_config *k;

	vec_foreach(&cs->kubelet_configs, k)
		if (!strcmp(k->node, node))
			return k;
	return NULL;
}

const struct node_facts *
model_node_facts(const struct cluster_state *cs, const char *node)
{
	const struct node_facts *f;

	vec_foreach(&cs->node_facts, f)
		if (!strcmp(f->node, node))
			return f;
	return NULL;
}

bool
node_is_ready(const struct node *n)
{
	return n->ready == TRI_TRUE;
}

static int
strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int
loc_cmp(const struct src_loc *a, const struct src_loc *b)
{
	int c = strcmp_null(a->path, b->path);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

/* Control-plane nodes first, then by name: the order kubeadm upgrades. */
static int
node_cmp(const void *pa, const void *pb)
{
	const struct node *a = pa, *b = pb;
	bool ca = node_is_control_plane(a), cb = node_is_control_plane(b);

	if (ca != cb)
		return ca ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int
image_cmp(const void *pa, const void *pb)
{
	const struct image *a = pa, *b = pb;
	int c;

	if ((c = strcmp_null(a->namespace_, b->namespace_)))
		return c;
	if ((c = strcmp_null(a->pod, b->pod)))
		return c;
	if ((c = strcmp_null(a->container, b->container)))
		return c;
	if ((c = strcmp(a->ref->image, b->ref->image)))
		return c;
	return loc_cmp(&a->loc, &b->loc);
}

static int
package_cmp(const void *pa, const void *pb)
{
	const struct package *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->name, b->name)))
		return c;
	if ((c = loc_cmp(&a->loc, &b->loc)))
		return c;
	return 0;
}

/* By namespace and name, then where read: the first reading is kept. */
static int
named_cmp(const char *ns_a, const char *name_a, const struct src_loc *la,
	  const char *ns_b, const char *name_b, const struct src_loc *lb)
{
	int c;

	if ((c = strcmp(ns_a, ns_b)))
		return c;
	if ((c = strcmp(name_a, name_b)))
		return c;
	return loc_cmp(la, lb);
}

static int
pod_cmp(const void *pa, const void *pb)
{
	const struct pod *a = pa, *b = pb;

	return named_cmp(a->namespace_, a->name, &a->loc, b->namespace_,
			 b->name, &b->loc);
}

static int
pdb_cmp(const void *pa, const void *pb)
{
	const struct pdb *a = pa, *b = pb;

	return named_cmp(a->namespace_, a->name, &a->loc, b->namespace_,
			 b->name, &b->loc);
}

static int
workload_cmp(const void *pa, const void *pb)
{
	const struct workload *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->kind, b->kind)))
		return c;
	if ((c = strcmp(a->namespace_, b->namespace_)))
		return c;
	if ((c = strcmp(a->name, b->name)))
		return c;
	return loc_cmp(&a->loc, &b->loc);
}

/*
 * Sorts v[0..*n) of size sz with cmp and keeps the first of each run that
 * same() calls one object (a pod in two captures).
 */
static void
sort_unique(void *v, size_t *n, size_t sz, int (*cmp)(const void *,
						       const void *),
	    bool (*same)(const void *, const void *))
{
	char *p = v;
	size_t i, k;

	if (*n < 2)
		return;
	qsort(v, *n, sz, cmp);
	for (i = 1, k = 1; i < *n; i++) {
		if (same(p + (k - 1) * sz, p + i * sz))
			continue;
		if (k != i)
			memcpy(p + k * sz, p + i * sz, sz);
		k++;
	}
	*n = k;
}

static bool
pod_same(const void *pa, const void *pb)
{
	const struct pod *a = pa, *b = pb;

	return !strcmp(a->namespace_, b->namespace_) &&
	       !strcmp(a->name, b->name);
}

static bool
pdb_same(const void *pa, const void *pb)
{
	const struct pdb *a = pa, *b = pb;

	return !strcmp(a->namespace_, b->namespace_) &&
	       !strcmp(a->name, b->name);
}

static bool
workload_same(const void *pa, const void *pb)
{
	const struct workload *a = pa, *b = pb;

	return !strcmp(a->kind, b->kind) &&
	       !strcmp(a->namespace_, b->namespace_) &&
	       !strcmp(a->name, b->name);
}

void
model_sort(struct cluster_state *cs)
{
	sort_unique(cs->pods.v, &cs->pods.n, sizeof(*cs->pods.v), pod_cmp,
		    pod_same);
	sort_unique(cs->pdbs.v, &cs->pdbs.n, sizeof(*cs->pdbs.v), pdb_cmp,
		    pdb_same);
	sort_unique(cs->workloads.v, &cs->workloads.n,
		    sizeof(*cs->workloads.v), workload_cmp, workload_same);
	if (cs->nodes.n > 1)
		qsort(cs->nodes.v, cs->nodes.n, sizeof(*cs->nodes.v), node_cmp);
	if (cs->images.n > 1)
		qsort(cs->images.v, cs->images.n, sizeof(*cs->images.v),
		      image_cmp);
	if (cs->packages.n > 1)
		qsort(cs->packages.v, cs->packages.n, sizeof(*cs->packages.v),
		      package_cmp);
}
