/*
 * nodes_doc.c - Node, NodeList or v1 List documents in YAML or JSON.
 *
 * Documents are streamed with yaml_walk and never loaded: the per-item
 * state is reset when an item's mapping opens and turned into a node when
 * it closes. STATUS and ROLES are computed the way kubectl prints them.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* One Node object being read: reset when its mapping opens. */
struct doc_item {
	bool active;
	size_t prefix;		/* length of the item's own path */
	struct src_loc open_loc;
	bool saw_items;		/* root only: it has an "items" list */
	const char *kind;	/* arena */
	struct src_loc kind_loc;
	const char *name;	/* arena */
	struct src_loc name_loc;
	const char *kubelet;	/* arena */
	struct src_loc kubelet_loc;
	const char *kube_proxy, *runtime, *os_image, *internal_ip;
	const char *kernel, *os, *arch;
	bool unschedulable;
	enum tri ready;		/* TRI_UNKNOWN: no Ready condition */
	bool cond_is_ready, cond_true;
	bool addr_internal;
	struct src_loc addr_loc;
	struct buf addr;	/* the current address entry's value */
	VEC(const char *) roles;	/* storage owned; strings arena */
	bool failed;		/* an error was reported for this item */
};

struct doc_state {
	struct nodes_state *st;
	struct doc_item root;	/* the document: a Node, or a list */
	struct doc_item item;	/* the current .items[] entry */
};

static void
item_reset(struct doc_item *it, size_t prefix, struct src_loc loc)
{
	struct buf addr = it->addr;
	void *roles = it->roles.v;
	size_t cap = it->roles.cap;

	memset(it, 0, sizeof(*it));
	it->addr = addr;
	buf_reset(&it->addr);
	it->roles.v = roles;
	it->roles.cap = cap;
	it->active = true;
	it->prefix = prefix;
	it->open_loc = loc;
	it->ready = TRI_UNKNOWN;
}

static void
item_release(struct doc_item *it)
{
	buf_release(&it->addr);
	vec_release(&it->roles);
}

static bool
rel_is(const char *rel, const char *z)
{
	return !strcmp(rel, z);
}

static int
item_keep(struct nodes_state *st, const char **dst, const char *s,
	  size_t len, struct src_loc loc)
{
	if (len > LIMIT_SCALAR_LEN)
		return diag_error(st->c->diag, loc,
				  "value longer than %u bytes",
				  LIMIT_SCALAR_LEN);
	if (!(*dst = arena_strndup(st->c->arena, s, len)))
		return nodes_oom(st, loc);
	return 0;
}

static int
item_role(struct nodes_state *st, struct doc_item *it, const char *s,
	  size_t len, struct src_loc loc)
{
	const char **slot;

	if (len == 0)
		return 0;
	if (!nodes_role_is_valid(s, len))
		return diag_error(st->c->diag, loc, "invalid node role '%s'",
				  nodes_show(st, s, len));
	if (!(slot = vec_push(&it->roles)))
		return nodes_oom(st, loc);
	if (!(*slot = arena_strndup(st->c->arena, s, len)))
		return nodes_oom(st, loc);
	return 0;
}

static int
item_bool(struct nodes_state *st, const char *s, size_t len,
	  struct src_loc loc, bool *out)
{
	if (nodes_span_eq(s, len, "true") || nodes_span_eq(s, len, "True") ||
	    nodes_span_eq(s, len, "TRUE"))
		*out = true;
	else if (nodes_span_eq(s, len, "false") || nodes_span_eq(s, len, "False") ||
		 nodes_span_eq(s, len, "FALSE") || len == 0 ||
		 nodes_span_eq(s, len, "null"))
		*out = false;
	else
		return diag_error(st->c->diag, loc,
				  "invalid spec.unschedulable '%s'",
				  nodes_show(st, s, len));
	return 0;
}

#define LABELS ".metadata.labels."
#define ROLE_PREFIX "node-role.kubernetes.io/"

static int
item_scalar(struct nodes_state *st, struct doc_item *it, const char *rel,
	    const char *s, size_t len, struct src_loc loc)
{
	const char *key;

	if (rel_is(rel, ".kind")) {
		it->kind_loc = loc;
		return item_keep(st, &it->kind, s, len, loc);
	}
	if (rel_is(rel, ".metadata.name")) {
		it->name_loc = loc;
		return item_keep(st, &it->name, s, len, loc);
	}
	if (!strncmp(rel, LABELS, strlen(LABELS))) {
		key = rel + strlen(LABELS);
		if (!strncmp(key, ROLE_PREFIX, strlen(ROLE_PREFIX)))
			return item_role(st, it, key + strlen(ROLE_PREFIX),
					 strlen(key + strlen(ROLE_PREFIX)),
					 loc);
		if (!strcmp(key, "kubernetes.io/role"))
			return item_role(st, it, s, len, loc);
		return 0;
	}
	if (rel_is(rel, ".spec.unschedulable"))
		return item_bool(st, s, len, loc, &it->unschedulable);
	if (rel_is(rel, ".status.conditions[].type")) {
		it->cond_is_ready = nodes_span_eq(s, len, "Ready");
		return 0;
	}
	if (rel_is(rel, ".status.conditions[].status")) {
		it->cond_true = nodes_span_eq(s, len, "True");
		return 0;
	}
	if (rel_is(rel, ".status.addresses[].type")) {
		it->addr_internal = nodes_span_eq(s, len, "InternalIP");
		return 0;
	}
	if (rel_is(rel, ".status.addresses[].address")) {
		buf_reset(&it->addr);
		buf_add(&it->addr, s, len > 256 ? 256 : len);
		it->addr_loc = loc;
		return it->addr.oom ? nodes_oom(st, loc) : 0;
	}
	if (rel_is(rel, ".status.nodeInfo.kubeletVersion")) {
		it->kubelet_loc = loc;
		return item_keep(st, &it->kubelet, s, len, loc);
	}
	if (rel_is(rel, ".status.nodeInfo.kubeProxyVersion"))
		return item_keep(st, &it->kube_proxy, s, len, loc);
	if (rel_is(rel, ".status.nodeInfo.containerRuntimeVersion"))
		return item_keep(st, &it->runtime, s, len, loc);
	if (rel_is(rel, ".status.nodeInfo.osImage"))
		return item_keep(st, &it->os_image, s, len, loc);
	if (rel_is(rel, ".status.nodeInfo.kernelVersion"))
		return item_keep(st, &it->kernel, s, len, loc);
	if (rel_is(rel, ".status.nodeInfo.operatingSystem"))
		return item_keep(st, &it->os, s, len, loc);
	if (rel_is(rel, ".status.nodeInfo.architecture"))
		return item_keep(st, &it->arch, s, len, loc);
	return 0;
}

/* A condition or address entry closed: pair its fields. */
static int
item_entry_close(struct nodes_state *st, struct doc_item *it,
		 const char *rel)
{
	if (rel_is(rel, ".status.conditions[]")) {
		if (it->cond_is_ready)
			it->ready = it->cond_true ? TRI_TRUE : TRI_FALSE;
		it->cond_is_ready = it->cond_true = false;
		return 0;
	}
	if (!rel_is(rel, ".status.addresses[]"))
		return 0;
	if (it->addr_internal && !it->internal_ip && it->addr.len) {
		if (!nodes_ip_is_valid(it->addr.s, it->addr.len))
			return diag_error(st->c->diag, it->addr_loc,
					  "invalid internal IP '%s'",
					  nodes_show(st, it->addr.s, it->addr.len));
		if (!(it->internal_ip = arena_strndup(st->c->arena,
						       it->addr.s,
						       it->addr.len)))
			return nodes_oom(st, it->addr_loc);
	}
	it->addr_internal = false;
	buf_reset(&it->addr);
	return 0;
}

/* Turns a finished Node object into a node, the way kubectl prints it. */
static int
item_finish(struct nodes_state *st, struct doc_item *it)
{
	struct ingest_ctx *c = st->c;
	struct node n;
	const char *err, **roles = NULL;
	size_t nroles;

	it->active = false;
	if (it->failed)
		return -1;
	if (!it->name)
		return diag_error(c->diag, it->open_loc,
				  "node has no metadata.name");
	if (!safe_is_dns_subdomain(it->name, strlen(it->name)))
		return nodes_name_error(st, it->name_loc, it->name,
				  strlen(it->name));
	if (!it->kubelet)
		return diag_error(c->diag, it->name_loc,
				  "node '%s' has no "
				  "status.nodeInfo.kubeletVersion", it->name);
	memset(&n, 0, sizeof(n));
	n.name = it->name;
	n.loc = it->name_loc;
	if (kver_parse(c->arena, it->kubelet, strlen(it->kubelet), &n.kubelet,
		       &err) < 0)
		return diag_error(c->diag, it->kubelet_loc,
				  "invalid kubelet version '%s': %s",
				  nodes_show(st, it->kubelet, strlen(it->kubelet)),
				  err);
	n.ready = it->ready;
	n.schedulable = !it->unschedulable;
	n.status = arena_printf(c->arena, "%s%s",
				it->ready == TRI_TRUE	 ? "Ready"
				: it->ready == TRI_FALSE ? "NotReady"
							 : "Unknown",
				it->unschedulable ? ",SchedulingDisabled" : "");
	nroles = nodes_roles_sort(it->roles.v, it->roles.n);
	if (nroles) {
		roles = arena_alloc(c->arena, nroles * sizeof(*roles));
		if (roles)
			memcpy(roles, it->roles.v, nroles * sizeof(*roles));
	}
	if (!n.status || (nroles && !roles))
		return nodes_oom(st, n.loc);
	n.roles = roles;
	n.nroles = nroles;
	n.kube_proxy = it->kube_proxy;
	n.container_runtime = it->runtime;
	n.os_image = it->os_image;
	n.kernel_version = it->kernel;
	n.operating_system = it->os;
	n.architecture = it->arch;
	n.internal_ip = it->internal_ip;
	return nodes_add(st, &n);
}

static int
doc_result(struct nodes_state *st, struct doc_item *it, int rv)
{
	if (rv < 0 && it)
		it->failed = true;
	return nodes_too_many_errors(st) ? -1 : 0;
}

static struct doc_item *
doc_current(struct doc_state *ds, const char **rel, const char *path)
{
	struct doc_item *it = ds->item.active ? &ds->item : &ds->root;

	if (!it->active)
		return NULL;
	*rel = path + it->prefix;
	return it;
}

static int
doc_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	   struct src_loc loc)
{
	struct doc_state *ds = ctx;
	const char *rel;
	struct doc_item *it = doc_current(ds, &rel, yaml_walk_path(w));

	if (!it)
		return 0;
	/* A plain null reads as empty: "kubernetes.io/role: ~" names none. */
	if (w->is_null)
		len = 0;
	return doc_result(ds->st, it, item_scalar(ds->st, it, rel, s, len,
						  loc));
}

/*
 * Parts of a Node that carry none of the facts kept: skipped whole by the
 * walk. status.images alone is most of a Node's bytes.
 */
static const char *const skipped_keys[] = {
		"images", "managedFields", "annotations", "allocatable",
		"capacity", "daemonEndpoints", "volumesAttached", "volumesInUse",
		"taints", "ownerReferences", "finalizers", "config", "features",
		"runtimeHandlers", "podCIDRs",
	};

static int
doc_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct doc_state *ds = ctx;
	const char *path = yaml_walk_path(w);

	if (w->depth > 2 &&
	    yaml_walk_last_key_is(w, skipped_keys, ARRAY_SIZE(skipped_keys)))
		return YAML_WALK_SKIP;
	if (w->depth == 1 && is_map)
		item_reset(&ds->root, 0, loc);
	else if (w->depth == 2 && !is_map && ds->root.active &&
		 !strcmp(path, ".items"))
		ds->root.saw_items = true;
	else if (w->depth == 3 && is_map && ds->root.saw_items &&
		 !strcmp(path, ".items[]")) {
		item_reset(&ds->item, strlen(path), loc);
		recover_begin(ds->st->c);
	}
	return 0;
}

/*
 * A list item that is not a Node is an error at its kind; the root of a
 * document must be a Node, a NodeList or a List.
 */
static int
doc_close_item(struct nodes_state *st, struct doc_item *it)
{
	it->active = false;
	if (it->kind && strcmp(it->kind, "Node"))
		return diag_error(st->c->diag, it->kind_loc,
				  "list item is kind '%s', not a Node",
				  nodes_show(st, it->kind, strlen(it->kind)));
	return item_finish(st, it);
}

static int
doc_close_root(struct nodes_state *st, struct doc_item *root)
{
	root->active = false;
	if (root->failed)
		return -1;
	if (root->kind && (!strcmp(root->kind, "List") ||
			   !strcmp(root->kind, "NodeList")))
		return 0;
	if (!root->kind && (root->saw_items || !root->name))
		return 0;
	if (root->kind && strcmp(root->kind, "Node"))
		return diag_error(st->c->diag, root->kind_loc,
				  "not a Node, NodeList or List: kind '%s'",
				  nodes_show(st, root->kind, strlen(root->kind)));
	return item_finish(st, root);
}

static int
doc_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct doc_state *ds = ctx;
	struct nodes_state *st = ds->st;
	struct doc_item *it;
	const char *rel;

	if (!is_map)
		return 0;
	if (w->depth == 3 && ds->item.active) {
		const char *name = ds->item.name;
		int rv = doc_close_item(st, &ds->item);

		rv = recover_end(st->c, rv, name, name ? strlen(name) : 0);
		return doc_result(st, NULL, rv < 0 ? -1 : 0);
	}
	if (w->depth == 1 && ds->root.active)
		return doc_result(st, NULL, doc_close_root(st, &ds->root));
	if (!(it = doc_current(ds, &rel, yaml_walk_path(w))))
		return 0;
	return doc_result(st, it, item_entry_close(st, it, rel));
}

int
nodes_parse_doc(struct nodes_state *st, bool json)
{
	static const struct yaml_walk_ops ops = {
		doc_scalar, doc_open, doc_close,
	};
	struct ingest_ctx *c = st->c;
	struct doc_state ds;
	struct yaml_src src;
	struct yaml_walk w;
	int rv;

	c->format = json ? "json" : "yaml";
	memset(&ds, 0, sizeof(ds));
	ds.st = st;
	if (yaml_src_open_stream(&src, c->in, c->diag) < 0)
		return -1;
	src.recover = c;
	rv = yaml_walk_run_at(&w, c->path, c->in->line_base, c->diag,
			      yaml_src_read, &src, &ops, &ds);
	yaml_src_close(&src);
	item_release(&ds.root);
	item_release(&ds.item);
	return rv;
}
