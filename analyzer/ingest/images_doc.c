/*
 * images_doc.c - Pod, PodList, List and workload documents in YAML or
 * JSON: every container and initContainer, with namespace, pod and node,
 * streamed so that a 1 GB "get pods -A -o yaml" is never held. The same
 * walk feeds workloads_doc.c (pods, PDBs, workloads for drains).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_POD_CONTAINERS 4096	/* containers of one pod or template */
#define MAX_NAME_LEN 253	/* a DNS-1123 subdomain, the longest name */

/* A container seen in the current object, emitted at the object's end. */
struct pending {
	const struct image_ref *ref;	/* arena; NULL until image: */
	const char *name;		/* arena; NULL until name: */
	struct src_loc loc;		/* of the image value */
	struct src_loc open;		/* of the container mapping */
	bool init;
};

/*
 * The document root or an .items[] entry. Only its own few fields are
 * held, in buffers reused from item to item.
 */
struct object {
	struct buf kind, ns, name, node;
	bool has_kind, has_ns, has_name, has_node;
	bool template;		/* containers came from spec.template */
	VEC(struct pending) pods;
};

struct doc_state {
	struct images_parse *p;
	struct object doc, item;
	struct pending cur;
	bool in_container;
	unsigned errors0;	/* p->errors when cur opened */
};

static int container_close(struct doc_state *ds, struct object *o);

/* Pod specs inside an object: a Pod's, a workload's template, a CronJob's. */
static const char *const pod_spec_paths[] = {
	".spec", ".spec.template.spec", ".spec.jobTemplate.spec.template.spec",
};

static void
object_reset(struct object *o)
{
	buf_reset(&o->kind);
	buf_reset(&o->ns);
	buf_reset(&o->name);
	buf_reset(&o->node);
	o->has_kind = o->has_ns = o->has_name = o->has_node = false;
	o->template = false;
	o->pods.n = 0;
}

static void
object_release(struct object *o)
{
	buf_release(&o->kind);
	buf_release(&o->ns);
	buf_release(&o->name);
	buf_release(&o->node);
	vec_release(&o->pods);
}

/* Picks the object a path belongs to and the path inside it. */
static struct object *
object_of(struct doc_state *ds, const char *path, const char **rel)
{
	if (!strncmp(path, ".items[]", 8)) {
		*rel = path + 8;
		return &ds->item;
	}
	*rel = path;
	return &ds->doc;
}

/*
 * If rel is a container path of a pod spec ("<spec>.containers[]" plus
 * tail), returns the tail and sets *init and *tmpl; else NULL.
 */
static const char *
container_tail(const char *rel, bool *init, bool *tmpl)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pod_spec_paths); i++) {
		size_t n = strlen(pod_spec_paths[i]);
		const char *r = rel + n;

		if (strncmp(rel, pod_spec_paths[i], n))
			continue;
		*tmpl = i > 0;
		if (!strncmp(r, ".containers[]", 13)) {
			*init = false;
			return r + 13;
		}
		if (!strncmp(r, ".initContainers[]", 17)) {
			*init = true;
			return r + 17;
		}
	}
	return NULL;
}

/*
 * Subtrees that never hold a container image: skipped whole by the walk,
 * which is most of a Pod by size (status, managedFields, env, volumes).
 */
static const char *const skipped_keys[] = {
		"status", "managedFields", "annotations", "labels",
		"ownerReferences", "finalizers", "volumes", "tolerations",
		"affinity", "env", "envFrom", "resources", "volumeMounts",
		"ports", "securityContext", "readinessProbe", "livenessProbe",
		"startupProbe", "selector", "strategy", "updateStrategy",
		"dnsConfig", "topologySpreadConstraints", "imagePullSecrets",
		"nodeSelector", "hostAliases", "lifecycle", "args", "command",
		"conditions", "volumeClaimTemplates", "readinessGates",
		"ephemeralContainers", "resourceClaims", "volumeDevices",
	};

static int
doc_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct doc_state *ds = ctx;
	const char *path = yaml_walk_path(w), *rel, *tail;
	bool init, tmpl;

	if (w->depth > 1 &&
	    yaml_walk_last_key_is(w, skipped_keys, ARRAY_SIZE(skipped_keys)))
		return YAML_WALK_SKIP;
	if (!is_map)
		return 0;
	if (w->depth == 1 && path[0] == '\0') {
		object_reset(&ds->doc);
		return 0;
	}
	if (!strcmp(path, ".items[]")) {
		object_reset(&ds->item);
		return 0;
	}
	object_of(ds, path, &rel);
	tail = container_tail(rel, &init, &tmpl);
	if (tail && *tail == '\0') {
		ds->errors0 = ds->p->errors;
		recover_begin(ds->p->c);
		memset(&ds->cur, 0, sizeof(ds->cur));
		ds->cur.open = loc;
		ds->cur.init = init;
		ds->in_container = true;
	}
	return 0;
}

static int
set_field(struct images_parse *p, struct buf *b, bool *has, const char *s,
	  size_t len, const char *what, struct src_loc loc)
{
	struct buf shown_buf = BUF_INIT;

	if (len > MAX_NAME_LEN) {
		diag_error(p->c->diag, loc, "%s '%s' longer than %d characters",
			   what, images_shown(&shown_buf, s, len), MAX_NAME_LEN);
		buf_release(&shown_buf);
		return images_counted(p);
	}
	buf_reset(b);
	buf_add(b, s, len);
	if (b->oom)
		return images_oom(p, loc);
	*has = true;
	return 0;
}

static int
doc_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	   struct src_loc loc)
{
	struct doc_state *ds = ctx;
	struct images_parse *p = ds->p;
	const char *path = yaml_walk_path(w), *rel, *tail;
	struct object *o = object_of(ds, path, &rel);
	bool init, tmpl, stop;

	if (w->is_null && !ds->in_container)
		return 0;
	if (!strcmp(rel, ".kind"))
		return set_field(p, &o->kind, &o->has_kind, s, len, "kind",
				 loc);
	if (!strcmp(rel, ".metadata.name"))
		return set_field(p, &o->name, &o->has_name, s, len, "name",
				 loc);
	if (!strcmp(rel, ".metadata.namespace"))
		return set_field(p, &o->ns, &o->has_ns, s, len, "namespace",
				 loc);
	if (!strcmp(rel, ".spec.nodeName"))
		return set_field(p, &o->node, &o->has_node, s, len, "node name",
				 loc);
	if (!ds->in_container || !(tail = container_tail(rel, &init, &tmpl)))
		return 0;
	if (!strcmp(tail, ".image")) {
		ds->cur.loc = loc;
		if (w->is_null || len == 0) {
			diag_error(p->c->diag, loc, "empty image value");
			return images_counted(p);
		}
		if (!(ds->cur.ref = images_image_at(p, s, len, loc, &stop)))
			return stop ? -1 : 0;
		o->template = o->template || tmpl;
	} else if (!strcmp(tail, ".name") && !w->is_null) {
		if (images_name_of(p, s, len, true, &ds->cur.name) < 0)
			return images_oom(p, loc);
	}
	return 0;
}

/* Emits an object's containers with the names it carried. */
static int
object_emit(struct doc_state *ds, struct object *o)
{
	struct images_parse *p = ds->p;
	const char *ns = NULL, *node = NULL, *pod = NULL;
	struct pending *it;

	if (o->pods.n == 0)
		return 0;
	if (images_name_of(p, o->ns.s, o->ns.len, o->has_ns, &ns) < 0 ||
	    images_name_of(p, o->node.s, o->node.len, o->has_node, &node) < 0)
		return images_oom(p, o->pods.v[0].loc);
	if (o->has_name && o->template) {
		/* Not a pod: name the workload as kubectl does, kind/name. */
		size_t i;

		for (i = 0; i < o->kind.len; i++)
			if (o->kind.s[i] >= 'A' && o->kind.s[i] <= 'Z')
				o->kind.s[i] = (char)(o->kind.s[i] - 'A' + 'a');
		pod = o->has_kind && o->kind.len
			      ? arena_printf(p->c->arena, "%s/%s",
					     buf_cstr(&o->kind),
					     buf_cstr(&o->name))
			      : arena_strdup(p->c->arena, buf_cstr(&o->name));
		if (!pod)
			return images_oom(p, o->pods.v[0].loc);
	} else if (o->has_name) {
		if (!(pod = arena_strndup(p->c->arena, o->name.s, o->name.len)))
			return images_oom(p, o->pods.v[0].loc);
	}
	vec_foreach(&o->pods, it) {
		if (images_add(p, it->ref, ns, pod, node, it->name, it->init,
			      it->loc) < 0)
			return -1;
	}
	o->pods.n = 0;
	return 0;
}

static int
doc_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct doc_state *ds = ctx;
	struct images_parse *p = ds->p;
	const char *path = yaml_walk_path(w), *rel, *tail;
	struct object *o;
	bool init, tmpl;
	int rv;

	if (!is_map)
		return 0;
	if (w->depth == 1 && path[0] == '\0')
		return object_emit(ds, &ds->doc);
	if (!strcmp(path, ".items[]"))
		return object_emit(ds, &ds->item);
	o = object_of(ds, path, &rel);
	tail = container_tail(rel, &init, &tmpl);
	if (!tail || *tail != '\0' || !ds->in_container)
		return 0;
	ds->in_container = false;
	rv = container_close(ds, o);
	if ((rv = recover_end(p->c, rv, NULL, 0)) > 0) {
		p->errors = ds->errors0;
		return 0;
	}
	return rv;
}

static int
container_close(struct doc_state *ds, struct object *o)
{
	struct images_parse *p = ds->p;
	struct pending *slot;

	if (!ds->cur.ref) {
		/* A bad image was reported already; a missing one is not. */
		if (ds->cur.loc.line)
			return 0;
		if (ds->cur.name)
			diag_error(p->c->diag, ds->cur.open,
				   "container '%s' has no image", ds->cur.name);
		else
			diag_error(p->c->diag, ds->cur.open,
				   "container has no image");
		return images_counted(p);
	}
	if (o->pods.n >= MAX_POD_CONTAINERS) {
		diag_error(p->c->diag, ds->cur.loc,
			   "more than %d containers in one object",
			   MAX_POD_CONTAINERS);
		p->errors++;
		return -1;
	}
	if (!(slot = vec_push(&o->pods)))
		return images_oom(p, ds->cur.loc);
	*slot = ds->cur;
	return 0;
}

int
images_parse_doc(struct images_parse *p)
{
	static const struct yaml_walk_ops ops = {doc_scalar, doc_open,
						 doc_close};
	struct workloads_parse *wp;
	struct yaml_tee tee;
	struct doc_state ds;
	struct yaml_src src;
	struct yaml_walk w;
	int rc;

	p->c->format = p->c->sniff->json ? "json" : "yaml";
	memset(&ds, 0, sizeof(ds));
	ds.p = p;
	if (!(wp = workloads_new(p->c)))
		return images_oom(p, (struct src_loc){p->c->path, 0, 0});
	/* One read of the capture feeds the images and the drain inventory. */
	memset(&tee, 0, sizeof(tee));
	tee.ops[0] = &ops;
	tee.ctx[0] = &ds;
	tee.ops[1] = &workloads_ops;
	tee.ctx[1] = wp;
	tee.n = 2;
	if (yaml_src_open_stream(&src, p->c->in, p->c->diag) < 0) {
		workloads_free(wp);
		return -1;
	}
	src.recover = p->c;
	rc = yaml_walk_run_at(&w, p->c->path, p->c->in->line_base, p->c->diag,
			      yaml_src_read, &src, &yaml_tee_ops, &tee);
	yaml_src_close(&src);
	p->workloads = workloads_found(wp);
	workloads_free(wp);
	object_release(&ds.doc);
	object_release(&ds.item);
	return rc;
}
