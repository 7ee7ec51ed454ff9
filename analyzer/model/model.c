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

void
model_sort(struct cluster_state *cs)
{
	if (cs->nodes.n > 1)
		qsort(cs->nodes.v, cs->nodes.n, sizeof(*cs->nodes.v), node_cmp);
	if (cs->images.n > 1)
		qsort(cs->images.v, cs->images.n, sizeof(*cs->images.v),
		      image_cmp);
	if (cs->packages.n > 1)
		qsort(cs->packages.v, cs->packages.n, sizeof(*cs->packages.v),
		      package_cmp);
}
