/*
 * configz.c - the kubelet's configuration as its configz endpoint serves
 * it: `kubectl get --raw /api/v1/nodes/NODE/proxy/configz`, one JSON
 * object {"kubeletconfig": {...}} per node. A read-only GET through the
 * apiserver's node proxy (RBAC: nodes/proxy).
 *
 * The body does not name its node. The node is the NODE of that command
 * when the capture shows it (a prompt line "$ kubectl get --raw
 * /api/v1/nodes/cp-1/proxy/configz", which tools/capture.sh writes first),
 * else the file's name "configz-NODE.json". Neither: an error, since a
 * configuration of no known node judges nothing.
 *
 * Kept: cgroupDriver, failSwapOn, failCgroupV1, memorySwap.swapBehavior
 * and containerRuntimeEndpoint. Every other field is passed over.
 */
#include <string.h>

#include "internal.h"

struct configz_parse {
	struct ingest_ctx *c;
	struct kubelet_config k;
	bool seen_root;		/* the "kubeletconfig" key */
	bool failed;
};

/* The node named by the capture's command, or NULL (*oom when it was). */
static const char *
node_from_command(struct ingest_ctx *c, bool *oom)
{
	static struct re cmd_re = {
		.pattern = "/api/v1/nodes/([A-Za-z0-9.-]{1,253})/proxy/configz\\b"};
	const char *cmd = c->sniff ? c->sniff->command : "", *node;
	struct re_match m;

	if (!cmd[0] || !re_match(&cmd_re, cmd, strlen(cmd), &m))
		return NULL;
	node = arena_strndup(c->arena, cmd + m.start[1], m.end[1] - m.start[1]);
	*oom = !node;
	return node;
}

/* The NODE of a file named configz-NODE.json (or .txt, or no suffix). */
static const char *
node_from_name(struct ingest_ctx *c, bool *oom)
{
	const char *node;
	const char *base = strrchr(c->path, '/'), *dot;
	size_t len;

	base = base ? base + 1 : c->path;
	if (strncmp(base, "configz-", 8))
		return NULL;
	base += 8;
	len = strlen(base);
	dot = strrchr(base, '.');
	if (dot && (!strcmp(dot, ".json") || !strcmp(dot, ".txt")))
		len = (size_t)(dot - base);
	if (!len)
		return NULL;
	node = arena_strndup(c->arena, base, len);
	*oom = !node;
	return node;
}

static int
keep(struct configz_parse *p, const char **dst, struct src_loc *dloc,
     const char *s, size_t len, struct src_loc loc)
{
	if (len > 256)
		return diag_error(p->c->diag, loc, "value longer than 256 bytes");
	if (!(*dst = arena_strndup(p->c->arena, s, len)))
		return diag_error(p->c->diag, loc, "out of memory");
	if (dloc)
		*dloc = loc;
	return 0;
}

static int
boolean(struct configz_parse *p, const char *key, enum tri *dst,
	struct src_loc *dloc, const char *s, size_t len, struct src_loc loc)
{
	if (len == 4 && !memcmp(s, "true", 4))
		*dst = TRI_TRUE;
	else if (len == 5 && !memcmp(s, "false", 5))
		*dst = TRI_FALSE;
	else
		return diag_error(p->c->diag, loc, "invalid %s '%.*s': want "
				  "true or false", key, (int)(len > 64 ? 64 : len),
				  s);
	*dloc = loc;
	return 0;
}

static int
on_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	  struct src_loc loc)
{
	struct configz_parse *p = ctx;
	const char *path = yaml_walk_path(w);
	int rc = 0;

	if (!strcmp(path, ".kubeletconfig.cgroupDriver"))
		rc = keep(p, &p->k.cgroup_driver, &p->k.driver_loc, s, len, loc);
	else if (!strcmp(path, ".kubeletconfig.failSwapOn"))
		rc = boolean(p, "failSwapOn", &p->k.fail_swap_on, &p->k.swap_loc,
			     s, len, loc);
	else if (!strcmp(path, ".kubeletconfig.failCgroupV1"))
		rc = boolean(p, "failCgroupV1", &p->k.fail_cgroup_v1,
			     &p->k.cgroup_v1_loc, s, len, loc);
	else if (!strcmp(path, ".kubeletconfig.memorySwap.swapBehavior"))
		rc = len ? keep(p, &p->k.swap_behavior, NULL, s, len, loc) : 0;
	else if (!strcmp(path, ".kubeletconfig.containerRuntimeEndpoint"))
		rc = keep(p, &p->k.runtime_endpoint, &p->k.endpoint_loc, s, len,
			  loc);
	if (rc < 0)
		p->failed = true;
	return 0;
}

static int
on_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct configz_parse *p = ctx;
	const char *path = yaml_walk_path(w);

	if (w->depth == 2 && is_map && !strcmp(path, ".kubeletconfig")) {
		p->seen_root = true;
		p->k.loc = loc;
		return 0;
	}
	/* Only the top object and kubeletconfig (and memorySwap) matter. */
	if (w->depth > 1 && strncmp(path, ".kubeletconfig", 14))
		return YAML_WALK_SKIP;
	if (w->depth > 3)
		return YAML_WALK_SKIP;
	return 0;
}

static int
on_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	(void)ctx;
	(void)w;
	(void)is_map;
	return 0;
}

int
ingest_configz(struct ingest_ctx *c)
{
	static const struct yaml_walk_ops ops = {on_scalar, on_open, on_close};
	struct src_loc file = {c->path, 0, 0};
	struct configz_parse p;
	struct kubelet_config *slot;
	struct yaml_src src;
	struct yaml_walk w;
	const char *node;
	bool oom = false;
	int rv;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.k.fail_swap_on = p.k.fail_cgroup_v1 = TRI_UNKNOWN;
	c->format = "kubelet-configz-json";
	if (yaml_src_open_stream(&src, c->in, c->diag) < 0)
		return -1;
	rv = yaml_walk_run(&w, c->path, c->diag, yaml_src_read, &src, &ops, &p);
	yaml_src_close(&src);
	if (rv < 0 || p.failed)
		return -1;
	if (!p.seen_root)
		return diag_error(c->diag, file, "no \"kubeletconfig\" object: "
				  "not the kubelet's configz");
	node = node_from_command(c, &oom);
	if (!node && !oom)
		node = node_from_name(c, &oom);
	if (oom)
		return diag_error(c->diag, file, "out of memory");
	if (!node) {
		rv = diag_error(c->diag, p.k.loc, "cannot tell which node this "
				"kubelet configuration is of");
		diag_note(c->diag, p.k.loc, "capture it with its command line "
			  "('$ kubectl get --raw /api/v1/nodes/NODE/proxy/"
			  "configz' as the first line), or name the file "
			  "configz-NODE.json");
		return rv;
	}
	if (!safe_is_dns_subdomain(node, strlen(node)))
		return diag_error(c->diag, p.k.loc, "invalid node name '%s' "
				  "for a kubelet configuration", node);
	if (model_kubelet_config(c->cs, node))
		return diag_error(c->diag, p.k.loc, "a second kubelet "
				  "configuration of node '%s'", node);
	p.k.node = node;
	if (!(slot = vec_push(&c->cs->kubelet_configs)))
		return diag_error(c->diag, file, "out of memory");
	*slot = p.k;
	return 0;
}
