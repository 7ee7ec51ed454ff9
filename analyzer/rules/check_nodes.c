/*
 * check_nodes.c - node prerequisites: each node's container runtime,
 * cgroup version and driver, swap configuration and kernel against the
 * kubelet and kubeadm of the minors its kubelet is to reach
 * (data/nodes.yaml). One function for every node check kind.
 *
 * A node is judged over a window of minors (from, to]: from is its
 * kubelet's minor (a planned hop: the hop's), to the target. A limit
 * whose minor lies in the window is crossed by the upgrade; a fact it
 * needs that no capture shows is input-missing, never a pass. A limit at
 * or below from is met already (the kubelet runs), so it asks for no
 * input. Advisory checks (the recommended runtime versions, the cgroup
 * driver) read the facts when they are captured and ask for none.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define IN_RUNTIME "container runtime (kubectl get nodes -o wide)"
#define IN_KERNEL "kernel version (kubectl get nodes -o wide)"
#define IN_CGROUP "node cgroup version (node-facts: stat -fc %T /sys/fs/cgroup/)"
#define IN_CONFIGZ                                                             \
	"kubelet configuration (kubectl get --raw /api/v1/nodes/NODE/proxy/"  \
	"configz)"

/* One node judged by one rule over one window. */
struct nctx {
	struct eval_ctx *c;
	const struct rule *r;
	const struct node *n;
	unsigned from, to;
	bool audit;		/* report input-missing */
	const struct kubelet_config *kc;	/* NULL when not captured */
	const struct node_facts *nf;		/* NULL when not captured */
	struct node_runtime rt;
	bool has_rt;
};

/* What a finding says besides the node and the window. */
struct nfill {
	unsigned since, minor;
	const char *minimum, *reason, *source, *accepted, *driver, *other;
	const struct src_loc *fact;	/* a second piece of evidence; NULL */
};

static bool
crossed(const struct nctx *x, unsigned minor)
{
	return x->from < minor && minor <= x->to;
}

/*
 * A planned hop reports a fact that does not depend on the minor (the
 * cgroup driver, a runtime row shared with the minor before) once: at the
 * hop that starts from the node's own minor.
 */
static bool
first_hop(const struct nctx *x)
{
	return x->audit || x->n->kubelet.minor == x->from;
}

static int
missing(struct nctx *x, const char *input)
{
	return x->audit ? eval_missing(x->c, x->r, input) : 0;
}

static int
emit(struct nctx *x, const struct nfill *f)
{
	struct eval_ctx *c = x->c;
	struct fill fl[EVAL_MAX_FILL];
	struct src_loc ev[2];
	size_t n = 0;

#define FILL(k, v) (fl[n].name = (k), fl[n].value = (v), n++)
	FILL("node", x->n->name);
	FILL("runtime", x->n->container_runtime ? x->n->container_runtime
						: "an unknown runtime");
	FILL("target", eval_minor(c, 1, x->to));
	FILL("since", f->since ? eval_minor(c, 1, f->since) : "?");
	FILL("minor", f->minor ? eval_minor(c, 1, f->minor) : "?");
	FILL("minimum", f->minimum ? f->minimum : "?");
	FILL("reason", f->reason ? f->reason : "");
	FILL("source", f->source ? f->source : "data/nodes.yaml");
	FILL("kernel", x->n->kernel_version ? x->n->kernel_version : "?");
	FILL("accepted", f->accepted ? f->accepted : "?");
	FILL("driver", f->driver ? f->driver : "?");
	FILL("other", f->other ? f->other : "?");
#undef FILL
	ev[0] = x->n->loc;
	if (f->fact)
		ev[1] = *f->fact;
	return eval_emit(c, x->r, x->n->name, fl, n, ev, f->fact ? 2 : 1);
}

static const char *
unconfirmed(struct nctx *x, const char *why)
{
	return why ? arena_printf(x->c->a, " (UNCONFIRMED: %s)", why) : "";
}

/* ---------------------------------------------------------- runtime */

static int
runtime_removed(struct nctx *x)
{
	const struct runtime_limit *l;
	const char *ep = x->kc ? x->kc->runtime_endpoint : NULL;

	vec_foreach(&x->c->db->nodes.limits, l) {
		struct nfill f = {0};

		/* A kubelet at since or later already uses something else. */
		if (!l->removed || !crossed(x, l->since))
			continue;
		if (!x->has_rt) {
			if (missing(x, IN_RUNTIME) < 0)
				return -1;
			continue;
		}
		if (strcmp(x->rt.name, l->runtime))
			continue;
		if (l->unless_endpoint && ep && strstr(ep, l->unless_endpoint))
			continue;
		f.since = l->since;
		f.source = l->sources[0];
		f.reason = unconfirmed(x, l->unconfirmed);
		f.fact = x->kc && ep ? &x->kc->endpoint_loc : NULL;
		if (emit(x, &f) < 0)
			return -1;
	}
	return 0;
}

static int
runtime_minimum(struct nctx *x)
{
	const struct runtime_limit *l;

	vec_foreach(&x->c->db->nodes.limits, l) {
		struct nfill f = {0};

		if (l->removed || l->since > x->to)
			continue;
		if (!x->has_rt) {
			if (crossed(x, l->since) && missing(x, IN_RUNTIME) < 0)
				return -1;
			continue;
		}
		if (strcmp(x->rt.name, l->runtime) || !x->rt.has_ver ||
		    rules_rt_ver_cmp(&x->rt.ver, &l->minimum) >= 0)
			continue;
		f.since = l->since;
		f.minimum = l->minimum_text;
		f.source = l->sources[0];
		f.reason = unconfirmed(x, l->unconfirmed);
		if (emit(x, &f) < 0)
			return -1;
	}
	return 0;
}

/* Do two rows list the same minimum versions? */
static bool
rec_same(const struct runtime_rec *a, const struct runtime_rec *b)
{
	size_t i;

	if (!a || !b || a->nversions != b->nversions)
		return false;
	for (i = 0; i < a->nversions; i++)
		if (rules_rt_ver_cmp(&a->versions[i], &b->versions[i]))
			return false;
	return true;
}

/* The row of runtime for minor: the last at or below it; NULL if none. */
static const struct runtime_rec *
rec_for(const struct rules_db *db, const char *runtime, unsigned minor)
{
	const struct runtime_rec *r, *best = NULL;

	vec_foreach(&db->nodes.recommended, r)
		if (!strcmp(r->runtime, runtime) && r->minor <= minor)
			best = r;
	return best;
}

static int
runtime_recommended(struct nctx *x)
{
	const struct rules_db *db = x->c->db;
	const struct runtime_matched *m;
	const struct runtime_rec *rec;
	struct nfill f = {0};
	struct buf all = BUF_INIT;
	bool below = true;
	size_t i;
	int rc;

	if (!x->has_rt || !x->rt.has_ver)
		return 0;
	vec_foreach(&db->nodes.matched, m) {
		if (strcmp(m->runtime, x->rt.name))
			continue;
		if (x->rt.ver.v[0] != 1 || x->rt.ver.v[1] >= x->to)
			return 0;
		f.minor = x->to;
		f.minimum = arena_printf(x->c->a, "%s 1.%u", x->rt.name, x->to);
		f.source = m->sources[0];
		return emit(x, &f);
	}
	if (!(rec = rec_for(db, x->rt.name, x->to)))
		return 0;
	/* A planned hop repeats no row the hop before judged the same. */
	if (!first_hop(x) && rec_same(rec, rec_for(db, x->rt.name, x->from)))
		return 0;
	/* The node's own branch, if the row lists it; else every branch. */
	for (i = 0; i < rec->nversions; i++) {
		const struct rt_ver *v = &rec->versions[i];

		if (v->v[0] == x->rt.ver.v[0] && v->v[1] == x->rt.ver.v[1]) {
			if (rules_rt_ver_cmp(&x->rt.ver, v) >= 0)
				return 0;
			f.minimum = arena_printf(x->c->a, "%s %s", x->rt.name,
						 rec->texts[i]);
			break;
		}
		if (rules_rt_ver_cmp(&x->rt.ver, v) > 0)
			below = false;
	}
	if (i == rec->nversions) {
		if (!below)
			return 0;
		for (i = 0; i < rec->nversions; i++)
			buf_addf(&all, "%s%s", i ? ", " : "", rec->texts[i]);
		f.minimum = all.oom ? NULL
				    : arena_printf(x->c->a, "%s %s or later",
						   x->rt.name, buf_cstr(&all));
	}
	f.minor = rec->minor;
	f.source = rec->sources[0];
	rc = emit(x, &f);
	buf_release(&all);
	return rc;
}

/* ---------------------------------------------------------- cgroups */

static enum cgroup_version
cgroup_of(const struct nctx *x)
{
	return x->nf ? x->nf->cgroup : CGROUP_UNKNOWN;
}

static int
cgroup_v1(struct nctx *x, bool refused)
{
	const struct nodes_data *nd = &x->c->db->nodes;
	unsigned at = refused ? nd->cgroup_v1_refused : nd->cgroup_v1_maintenance;
	struct nfill f = {0};

	if (x->to < at)
		return 0;
	/*
	 * failCgroupV1: false keeps the kubelet starting on cgroup v1, but
	 * only a kubelet of refused_since or later reports a value it did
	 * not default to: an older one shows false, its own default.
	 */
	if (refused && x->kc && x->kc->fail_cgroup_v1 == TRI_FALSE &&
	    x->n->kubelet.minor >= nd->cgroup_v1_refused)
		return 0;
	/*
	 * A kubelet past the refusal runs: it was allowed to. A planned hop
	 * reports the maintenance warning once, at the hop that crosses it.
	 */
	if ((refused || !x->audit) && !crossed(x, at))
		return 0;
	switch (cgroup_of(x)) {
	case CGROUP_V2:
		return 0;
	case CGROUP_UNKNOWN:
		return crossed(x, at) ? missing(x, IN_CGROUP) : 0;
	case CGROUP_V1:
		break;
	}
	f.since = at;
	f.minor = nd->cgroup_v1_refused;
	f.source = nd->cgroup_v1.source;
	f.fact = &x->nf->cgroup_loc;
	return emit(x, &f);
}

static int
cgroup_driver(struct nctx *x)
{
	const struct nodes_data *nd = &x->c->db->nodes;
	const char *kd = x->kc ? x->kc->cgroup_driver : NULL;
	const char *rd = x->nf ? x->nf->runtime_cgroup_driver : NULL;
	struct nfill f = {0};

	/*
	 * Advisory, and the runtime's driver is only ever in node facts a
	 * person wrote: judged when both sides are captured.
	 */
	if (!kd || !rd || !strcmp(kd, rd) || !first_hop(x))
		return 0;
	f.driver = kd;
	f.other = arena_printf(x->c->a, "the %s one", rd);
	f.since = nd->driver_from_cri_since;
	f.source = nd->cgroup_driver.source;
	f.fact = &x->nf->driver_loc;
	return emit(x, &f);
}

/* ---------------------------------------------------------- swap */

static int
swap(struct nctx *x)
{
	const struct nodes_data *nd = &x->c->db->nodes;
	const char *b;
	struct nfill f = {0};

	if (!crossed(x, nd->swap_unlimited_removed) &&
	    !crossed(x, nd->swap_limited_needs_v2))
		return 0;
	if (!x->kc)
		return missing(x, IN_CONFIGZ);
	b = x->kc->swap_behavior;
	f.source = nd->swap.source;
	f.fact = &x->kc->loc;
	if (b && !strcmp(b, "UnlimitedSwap") &&
	    crossed(x, nd->swap_unlimited_removed)) {
		f.since = nd->swap_unlimited_removed;
		f.reason = arena_printf(x->c->a, "memorySwap.swapBehavior is "
					"UnlimitedSwap, which the kubelet "
					"rejects from 1.%u", f.since);
		return emit(x, &f);
	}
	if (!b || strcmp(b, "LimitedSwap") || x->kc->fail_swap_on != TRI_FALSE ||
	    !crossed(x, nd->swap_limited_needs_v2))
		return 0;
	switch (cgroup_of(x)) {
	case CGROUP_V2:
		return 0;
	case CGROUP_UNKNOWN:
		return missing(x, IN_CGROUP);
	case CGROUP_V1:
		break;
	}
	f.since = nd->swap_limited_needs_v2;
	f.reason = arena_printf(x->c->a, "memorySwap.swapBehavior LimitedSwap "
				"on cgroup v1, which the kubelet refuses from "
				"1.%u", f.since);
	return emit(x, &f);
}

/* ---------------------------------------------------------- kernel */

static bool
kernel_accepted(const struct kernel_row *k, unsigned major, unsigned minor)
{
	size_t i;

	for (i = 0; i < k->naccepted; i++) {
		const struct kernel_accept *a = &k->accepted[i];

		if (a->or_later ? major > a->major ||
					  (major == a->major && minor >= a->minor)
				: major == a->major && minor == a->minor)
			return true;
	}
	return false;
}

static int
kernel(struct nctx *x, bool error)
{
	const struct kernel_row *k;
	unsigned major, minor;

	vec_foreach(&x->c->db->nodes.kernels, k) {
		struct nfill f = {0};

		/* kubeadm's preflight runs during the hops of the window. */
		if (k->error != error || k->since > x->to ||
		    (k->until != RULES_OPEN && k->until <= x->from))
			continue;
		/* A planned hop reports a row once, at its first hop. */
		if (!first_hop(x) && k->since <= x->from)
			continue;
		if (!x->n->kernel_version) {
			if (missing(x, IN_KERNEL) < 0)
				return -1;
			continue;
		}
		if (!rules_kernel_parse(x->n->kernel_version, &major, &minor) ||
		    kernel_accepted(k, major, minor))
			continue;
		f.since = k->since > x->from ? k->since : x->from + 1;
		f.accepted = k->accepted_text;
		f.source = k->sources[0];
		if (emit(x, &f) < 0)
			return -1;
		break;
	}
	return 0;
}

/* ---------------------------------------------------------- dispatch */

static bool
is_windows(const struct node *n)
{
	return n->operating_system && !strcmp(n->operating_system, "windows");
}

static int
judge(struct nctx *x)
{
	x->kc = model_kubelet_config(x->c->cs, x->n->name);
	x->nf = model_node_facts(x->c->cs, x->n->name);
	x->has_rt = rules_runtime_parse(x->n->container_runtime, &x->rt);
	switch (x->r->check) {
	case CK_RUNTIME_REMOVED:
		return runtime_removed(x);
	case CK_RUNTIME_MINIMUM:
		return runtime_minimum(x);
	case CK_RUNTIME_RECOMMENDED:
		return runtime_recommended(x);
	default:
		break;
	}
	/* cgroups, swap and kernels are Linux's. */
	if (is_windows(x->n))
		return 0;
	switch (x->r->check) {
	case CK_CGROUP_V1_MAINTENANCE:
		return cgroup_v1(x, false);
	case CK_CGROUP_V1_REFUSED:
		return cgroup_v1(x, true);
	case CK_CGROUP_DRIVER:
		return cgroup_driver(x);
	case CK_SWAP:
		return swap(x);
	case CK_KERNEL_MINIMUM:
		return kernel(x, true);
	case CK_KERNEL_VALIDATED:
		return kernel(x, false);
	default:
		return 0;
	}
}

int
check_nodes(struct eval_ctx *c, const struct rule *r)
{
	const struct node *n;
	struct nctx x;

	if (!c->db->nodes.loaded)
		return 0;
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.r = r;
	if (c->only_node) {
		x.n = c->only_node;
		x.from = c->only_from;
		x.to = c->only_to;
		return judge(&x);
	}
	x.audit = true;
	vec_foreach(&c->cs->nodes, n) {
		x.n = n;
		x.from = n->kubelet.major == 1 ? n->kubelet.minor : 0;
		x.to = c->api_target ? c->api_target
		       : c->cluster  ? c->cluster->minor + 1
				     : x.from + 1;
		if (judge(&x) < 0)
			return -1;
	}
	return 0;
}

int
rules_node_findings(const struct rules_db *db, const struct cluster_state *cs,
		    const struct node *n, unsigned from, unsigned to,
		    struct diag *d, struct findings *out)
{
	struct eval_ctx c;
	size_t i;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.db = db;
	c.cs = cs;
	c.a = db->arena;
	c.d = d;
	c.out = out;
	c.only_node = n;
	c.only_from = from;
	c.only_to = to;
	for (i = 0; i < db->rules.n && rc == 0; i++) {
		const struct rule *r = &db->rules.v[i];

		if (r->check >= CK_RUNTIME_REMOVED &&
		    r->check <= CK_KERNEL_VALIDATED)
			rc = check_nodes(&c, r);
	}
	return rc < 0 || c.oom ? -1 : 0;
}
