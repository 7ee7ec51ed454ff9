/*
 * check_skew.c - the version skew checks: HA kube-apiservers, components
 * against kube-apiserver (and kube-proxy against its kubelet), kubectl.
 * The windows come from data/skew.yaml by era; only minors are compared.
 */
#include <string.h>

#include "internal.h"

/* One component instance whose version is checked. */
struct cand {
	const char *component;	/* static or arena */
	struct kver ver;
	const char *node;	/* NULL when not known */
	const char *subject;
	struct src_loc loc;
};

/* The worst violation found for a candidate against one relative_to. */
struct worst {
	int amount;		/* > 0: outside the window by this much */
	bool newer;		/* the violated side */
	int limit;
	struct kver other;
	struct src_loc other_loc;
	const struct api_instance *api;
};

/* Keeps the largest excess (rules_skew_excess) seen for a candidate. */
static void
consider(struct worst *w, int amount, bool newer, int limit,
	 const struct kver *other, struct src_loc other_loc,
	 const struct api_instance *api)
{
	if (amount <= 0 || amount <= w->amount)
		return;
	w->amount = amount;
	w->newer = newer;
	w->limit = limit;
	w->other = *other;
	w->other_loc = other_loc;
	w->api = api;
}

static const char *
node_name(const struct cand *k)
{
	return k->node ? k->node : "(node not captured)";
}

static int
emit_skew(struct eval_ctx *c, const struct rule *r, const struct cand *k,
	  const char *relative_to, const struct worst *w,
	  const struct kver *api)
{
	struct src_loc ev[2] = {k->loc, w->other_loc};
	struct fill f[] = {
		{"node", node_name(k)},
		{"component", k->component},
		{"version", eval_ver(c, &k->ver)},
		{"apiserver", api ? eval_ver(c, api) : NULL},
		{"relative_to", relative_to},
		{"other", eval_ver(c, &w->other)},
		{"limit", eval_int(c, w->limit)},
	};

	return eval_emit(c, r, k->subject, f, ARRAY_SIZE(f), ev, 2);
}

/* Checks k against every apiserver instance (or only the one on its node). */
static int
check_vs_apiservers(struct eval_ctx *c, const struct rule *r,
		    const struct cand *k, bool same_node_only)
{
	const struct skew_row *row;
	struct worst w;
	size_t i;
	int amount, limit;
	bool newer, local = false;

	memset(&w, 0, sizeof(w));
	if (same_node_only && k->node)
		for (i = 0; i < c->napis; i++)
			if (c->apis[i].node && !strcmp(c->apis[i].node, k->node))
				local = true;
	for (i = 0; i < c->napis; i++) {
		const struct api_instance *a = &c->apis[i];

		if (local && strcmp(a->node, k->node))
			continue;
		amount = rules_skew_excess(c->db, k->component,
					   "kube-apiserver", a->ver.minor,
					   k->ver.minor, a->ver.minor, r->bound,
					   &newer, &limit, &row);
		consider(&w, amount, newer, limit, &a->ver, a->loc, a);
	}
	if (w.amount > 0)
		return emit_skew(c, r, k, "kube-apiserver", &w, &w.api->ver);
	return 0;
}

/*
 * kubelet-at-skew-limit: the kubelet is within its window now, but the
 * next control plane minor (newest apiserver + 1) would leave it outside.
 */
static int
check_at_limit(struct eval_ctx *c, const struct rule *r, const struct cand *k)
{
	const struct api_instance *newest = &c->apis[c->napis - 1];
	struct worst w;
	size_t i;
	int newer, older, lag;

	for (i = 0; i < c->napis; i++) {
		if (!rules_skew_window(c->db, k->component, "kube-apiserver",
				       c->apis[i].ver.minor, k->ver.minor,
				       &newer, &older))
			return 0;
		lag = eval_minor_diff(c->apis[i].ver.minor, k->ver.minor);
		if (lag > older || -lag > newer)
			return 0;	/* already outside: another rule */
	}
	if (!rules_skew_window(c->db, k->component, "kube-apiserver",
			       newest->ver.minor + 1, k->ver.minor, &newer,
			       &older))
		return 0;
	lag = eval_minor_diff(newest->ver.minor + 1, k->ver.minor);
	if (lag <= older)
		return 0;
	memset(&w, 0, sizeof(w));
	w.limit = lag - 1;
	w.other = newest->ver;
	w.other_loc = newest->loc;
	return emit_skew(c, r, k, "kube-apiserver", &w, &newest->ver);
}

static bool
wants(const struct rule *r, const char *relative_to)
{
	return !r->relative_to || !strcmp(r->relative_to, relative_to);
}

static int
check_kubelets(struct eval_ctx *c, const struct rule *r)
{
	const struct node *n;
	struct cand k;

	if (c->cs->nodes.n == 0)
		return eval_missing(c, r, "nodes");
	if (c->napis == 0)
		return eval_missing(c, r, "version");
	if (!wants(r, "kube-apiserver"))
		return 0;
	vec_foreach(&c->cs->nodes, n) {
		if (!n->kubelet.text)
			continue;
		memset(&k, 0, sizeof(k));
		k.component = "kubelet";
		k.ver = n->kubelet;
		k.node = n->name;
		k.subject = n->name;
		k.loc = n->loc;
		if ((r->bound == BOUND_AT_OLDER_LIMIT
			     ? check_at_limit(c, r, &k)
			     : check_vs_apiservers(c, r, &k, false)) < 0)
			return -1;
	}
	return 0;
}

static const struct node *
node_by_name(const struct cluster_state *cs, const char *name)
{
	const struct node *n;

	if (!name)
		return NULL;
	vec_foreach(&cs->nodes, n)
		if (!strcmp(n->name, name))
			return n;
	return NULL;
}

static int
check_proxy_one(struct eval_ctx *c, const struct rule *r, const struct cand *k)
{
	const struct node *n = node_by_name(c->cs, k->node);
	const struct api_instance *newest = &c->apis[c->napis - 1];
	const struct skew_row *row;
	struct worst w;
	int amount, limit;
	bool newer;

	if (wants(r, "kube-apiserver") &&
	    check_vs_apiservers(c, r, k, false) < 0)
		return -1;
	if (!wants(r, "kubelet") || !n || !n->kubelet.text)
		return 0;
	/* kube-proxy vs its kubelet: the era of the newest apiserver. */
	memset(&w, 0, sizeof(w));
	amount = rules_skew_excess(c->db, "kube-proxy", "kubelet",
				   newest->ver.minor, k->ver.minor,
				   n->kubelet.minor, r->bound, &newer, &limit,
				   &row);
	consider(&w, amount, newer, limit, &n->kubelet, n->loc, NULL);
	if (w.amount > 0)
		return emit_skew(c, r, k, "kubelet", &w, &newest->ver);
	return 0;
}

static int
check_kube_proxy(struct eval_ctx *c, const struct rule *r)
{
	const struct node *n;
	const struct image *im;
	struct cand k;
	const char *err;
	bool any = false;

	if (c->napis == 0)
		return eval_missing(c, r, "version");
	vec_foreach(&c->cs->nodes, n) {
		if (!n->kube_proxy)
			continue;
		memset(&k, 0, sizeof(k));
		if (kver_parse(c->a, n->kube_proxy, strlen(n->kube_proxy),
			       &k.ver, &err) < 0)
			continue;
		any = true;
		k.component = "kube-proxy";
		k.node = k.subject = n->name;
		k.loc = n->loc;
		if (check_proxy_one(c, r, &k) < 0)
			return -1;
	}
	if (any)
		return 0;
	vec_foreach(&c->cs->images, im) {
		if (!im->ref || !im->ref->component ||
		    strcmp(im->ref->component, "kube-proxy"))
			continue;
		memset(&k, 0, sizeof(k));
		if (!eval_tag_version(c, im, &k.ver))
			continue;
		any = true;
		k.component = "kube-proxy";
		k.node = im->node;
		k.subject = im->node ? im->node : im->ref->image;
		k.loc = im->loc;
		if (check_proxy_one(c, r, &k) < 0)
			return -1;
	}
	if (!any)
		return eval_missing(c, r, "kube-proxy version");
	return 0;
}

static bool
has_component_image(const struct cluster_state *cs, const char *comp)
{
	const struct image *im;

	vec_foreach(&cs->images, im)
		if (im->ref && im->ref->component &&
		    !strcmp(im->ref->component, comp))
			return true;
	return false;
}

static int
check_cp_components(struct eval_ctx *c, const struct rule *r, const char *comp)
{
	const struct image *im;
	struct cand k;

	if (c->cs->images.n == 0)
		return eval_missing(c, r, "images");
	if (c->napis == 0)
		return eval_missing(c, r, "version");
	if (!wants(r, "kube-apiserver"))
		return 0;
	vec_foreach(&c->cs->images, im) {
		if (!im->ref || !im->ref->component ||
		    strcmp(im->ref->component, comp))
			continue;
		memset(&k, 0, sizeof(k));
		if (!eval_tag_version(c, im, &k.ver))
			continue;
		k.component = im->ref->component;
		k.node = im->node;
		k.subject = im->node ? im->node : im->ref->image;
		k.loc = im->loc;
		/* kubeadm points them at the apiserver on their own node. */
		if (check_vs_apiservers(c, r, &k, true) < 0)
			return -1;
	}
	return 0;
}

int
check_component_skew(struct eval_ctx *c, const struct rule *r)
{
	size_t i;
	int rc;

	for (i = 0; i < r->ncomponents; i++) {
		const char *comp = r->components[i];

		if (!strcmp(comp, "kubelet"))
			rc = check_kubelets(c, r);
		else if (!strcmp(comp, "kube-proxy"))
			rc = check_kube_proxy(c, r);
		else if (c->cs->images.n &&
			 strcmp(comp, "cloud-controller-manager") &&
			 !has_component_image(c->cs, comp))
			/* A cloud-controller-manager is optional. */
			rc = eval_missing(c, r, "control-plane images");
		else
			rc = check_cp_components(c, r, comp);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
check_apiserver_ha(struct eval_ctx *c, const struct rule *r)
{
	const struct api_instance *o, *nw;
	int newer, older, span;

	if (c->napis == 0)
		return eval_missing(c, r, "version");
	if (c->napis < 2)
		return 0;
	o = &c->apis[0];
	nw = &c->apis[c->napis - 1];
	if (!rules_skew_window(c->db, "kube-apiserver", "kube-apiserver",
			       nw->ver.minor, o->ver.minor, &newer, &older))
		return 0;
	span = eval_minor_diff(nw->ver.minor, o->ver.minor);
	if (span > older) {
		struct src_loc ev[2] = {o->loc, nw->loc};
		struct fill f[] = {
			{"oldest", eval_ver(c, &o->ver)},
			{"newest", eval_ver(c, &nw->ver)},
			{"limit", eval_int(c, older)},
		};

		return eval_emit(c, r, "cluster", f, ARRAY_SIZE(f), ev, 2);
	}
	return 0;
}

/*
 * kubectl warns when abs(client minor - server minor) > 1 (its own check
 * compares with the server version only), so this does the same with the
 * window of data/skew.yaml.
 */
int
check_kubectl_skew(struct eval_ctx *c, const struct rule *r)
{
	const struct capture_warning *cw;
	const struct kver *api = c->cluster;
	struct src_loc ev[8];
	size_t nev = 0;
	int newer, older, diff;
	bool bad;

	if (!api)
		return eval_missing(c, r, "version");
	if (!c->cs->client.present)
		return eval_missing(c, r, "kubectl client version");
	if (!rules_skew_window(c->db, "kubectl", "kube-apiserver", api->minor,
			       c->cs->client.ver.minor, &newer, &older))
		return 0;
	diff = eval_minor_diff(c->cs->client.ver.minor, api->minor);
	bad = diff > 0 ? diff > newer : -diff > older;
	if (!bad)
		return 0;
	ev[nev++] = c->cs->client.loc;
	ev[nev++] = c->cluster_loc;
	vec_foreach(&c->cs->warnings, cw)
		if (cw->kind == CW_SKEW && nev < ARRAY_SIZE(ev))
			ev[nev++] = cw->loc;
	{
		struct fill f[] = {
			{"version", eval_ver(c, &c->cs->client.ver)},
			{"apiserver", eval_ver(c, api)},
			{"limit", eval_int(c, diff > 0 ? newer : older)},
		};

		return eval_emit(c, r, "kubectl", f, ARRAY_SIZE(f), ev, nev);
	}
}
