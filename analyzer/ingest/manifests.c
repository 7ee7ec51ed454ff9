/*
 * manifests.c - Kubernetes objects by apiVersion and kind: multi-document
 * YAML streams, JSON, a List (kubectl get -o yaml), `helm template` and
 * `helm get manifest` output. Only the top-level objects and the items of
 * a List are read, and of each only apiVersion, kind and metadata; the
 * rest is skipped by the walker.
 *
 * An object that carries metadata.uid, resourceVersion or
 * creationTimestamp was read back from the apiserver, which writes it in
 * the version the reader asked for (kubectl: the preferred one), not in
 * the version its clients use: such an object is marked APIEV_LIVE.
 *
 * Objects of one apiVersion and kind are counted per file at the first:
 * memory grows with the kinds of a file, not with its objects.
 */
#include <string.h>

#include "internal.h"

#define MAX_ERRORS 20

struct obj {
	struct buf api, kind, name, ns;
	struct src_loc api_loc, open;
	bool has_api, has_kind, live;
};

struct man_parse {
	struct ingest_ctx *c;
	struct obj doc, item;
	struct strmap seen;	/* "api\0kind\0evidence" -> 1 + index */
	struct buf key;
	size_t objects;
	unsigned errors;
};

static void
obj_reset(struct obj *o)
{
	buf_reset(&o->api);
	buf_reset(&o->kind);
	buf_reset(&o->name);
	buf_reset(&o->ns);
	o->has_api = o->has_kind = o->live = false;
	memset(&o->api_loc, 0, sizeof(o->api_loc));
}

static void
obj_release(struct obj *o)
{
	buf_release(&o->api);
	buf_release(&o->kind);
	buf_release(&o->name);
	buf_release(&o->ns);
}

static int
oom(struct man_parse *p, struct src_loc loc)
{
	p->errors++;
	return diag_error(p->c->diag, loc, "out of memory");
}

/* The object of a path: ".x" of the document or ".items[].x" of an item. */
static struct obj *
obj_of(struct man_parse *p, const char *path, const char **rel)
{
	if (!strncmp(path, ".items[].", 9)) {
		*rel = path + 8;
		return &p->item;
	}
	*rel = path;
	return &p->doc;
}

static int
man_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	   struct src_loc loc)
{
	struct man_parse *p = ctx;
	const char *rel;
	struct obj *o = obj_of(p, yaml_walk_path(w), &rel);

	if (len > 253)
		return 0;
	if (!strcmp(rel, ".apiVersion")) {
		buf_reset(&o->api);
		buf_add(&o->api, s, len);
		o->has_api = true;
		o->api_loc = loc;
	} else if (!strcmp(rel, ".kind")) {
		buf_reset(&o->kind);
		buf_add(&o->kind, s, len);
		o->has_kind = true;
	} else if (!strcmp(rel, ".metadata.name")) {
		buf_reset(&o->name);
		buf_add(&o->name, s, len);
	} else if (!strcmp(rel, ".metadata.namespace")) {
		buf_reset(&o->ns);
		buf_add(&o->ns, s, len);
	} else if (!strcmp(rel, ".metadata.uid") ||
		   !strcmp(rel, ".metadata.resourceVersion") ||
		   !strcmp(rel, ".metadata.creationTimestamp")) {
		o->live = len > 0 && !w->is_null;
	}
	return 0;
}

static int
man_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct man_parse *p = ctx;
	const char *path = yaml_walk_path(w);

	if (is_map && w->depth == 1 && path[0] == '\0') {
		obj_reset(&p->doc);
		p->doc.open = loc;
		return 0;
	}
	if (is_map && !strcmp(path, ".items[]")) {
		obj_reset(&p->item);
		p->item.open = loc;
		return 0;
	}
	if (!strcmp(path, ".items") || !strcmp(path, ".metadata") ||
	    !strcmp(path, ".items[].metadata"))
		return 0;
	return YAML_WALK_SKIP;
}

static bool
is_list_kind(const struct obj *o)
{
	return o->kind.len >= 4 &&
	       !memcmp(o->kind.s + o->kind.len - 4, "List", 4);
}

static int
emit(struct man_parse *p, struct obj *o)
{
	enum api_evidence ev = o->live ? APIEV_LIVE : APIEV_MANIFEST;
	struct api_use *u;
	void *hit;

	if (!o->has_api || !o->has_kind || !o->api.len || !o->kind.len ||
	    is_list_kind(o))
		return 0;
	p->objects++;
	buf_reset(&p->key);
	buf_add(&p->key, o->api.s, o->api.len);
	buf_addc(&p->key, '\0');
	buf_add(&p->key, o->kind.s, o->kind.len);
	buf_addc(&p->key, '\0');
	buf_addc(&p->key, (char)('0' + ev));
	if (p->key.oom)
		return oom(p, o->api_loc);
	if ((hit = strmap_get(&p->seen, p->key.s, p->key.len))) {
		p->c->cs->api_uses.v[(size_t)(uintptr_t)hit - 1].count++;
		return 0;
	}
	if (p->c->cs->api_uses.n >= LIMIT_ITEMS) {
		p->errors++;
		return diag_error(p->c->diag, o->api_loc,
				  "too many API uses in one run");
	}
	if (!(u = vec_push(&p->c->cs->api_uses)))
		return oom(p, o->api_loc);
	memset(u, 0, sizeof(*u));
	u->evidence = ev;
	u->api = arena_strndup(p->c->arena, o->api.s, o->api.len);
	u->kind = arena_strndup(p->c->arena, o->kind.s, o->kind.len);
	if (o->name.len)
		u->object = o->ns.len ? arena_printf(p->c->arena, "%s/%s",
						     buf_cstr(&o->ns),
						     buf_cstr(&o->name))
				      : arena_strdup(p->c->arena,
						     buf_cstr(&o->name));
	u->count = 1;
	u->loc = o->api_loc;
	if (!u->api || !u->kind || (o->name.len && !u->object))
		return oom(p, o->api_loc);
	{
		char *k = arena_alloc(p->c->arena, p->key.len + 1);

		if (!k)
			return oom(p, o->api_loc);
		memcpy(k, p->key.s, p->key.len + 1);
		if (strmap_put(&p->seen, k, p->key.len,
			       (void *)(uintptr_t)p->c->cs->api_uses.n) < 0)
			return oom(p, o->api_loc);
	}
	return 0;
}

static int
man_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct man_parse *p = ctx;
	const char *path = yaml_walk_path(w);

	if (!is_map)
		return 0;
	if (w->depth == 1 && path[0] == '\0')
		return emit(p, &p->doc);
	if (!strcmp(path, ".items[]"))
		return emit(p, &p->item);
	return 0;
}

int
ingest_manifests(struct ingest_ctx *c)
{
	static const struct yaml_walk_ops ops = {man_scalar, man_open,
						 man_close};
	struct man_parse p;
	struct yaml_src src;
	struct yaml_walk w;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	c->format = c->sniff->json ? "manifests-json" : "manifests-yaml";
	if (yaml_src_open_stream(&src, c->in, c->diag) < 0)
		return -1;
	src.recover = c;
	rc = yaml_walk_run_at(&w, c->path, c->in->line_base, c->diag,
			      yaml_src_read, &src, &ops, &p);
	yaml_src_close(&src);
	obj_release(&p.doc);
	obj_release(&p.item);
	strmap_release(&p.seen);
	buf_release(&p.key);
	if (rc < 0 || p.errors)
		return -1;
	if (p.objects == 0 && c->in_tree) {
		/* A chart's values.yaml, a kustomize patch: not a manifest. */
		diag_warning(c->diag, (struct src_loc){c->path, 0, 0},
			     "no Kubernetes objects (apiVersion and kind): "
			     "passed over");
		c->passed_over = true;
		return 0;
	}
	if (p.objects == 0)
		return diag_error(c->diag, (struct src_loc){c->path, 0, 0},
				  "no Kubernetes objects found (expected "
				  "apiVersion and kind)");
	return 0;
}
