/*
 * simulate.c - the proof: replays a plan's steps on the versions of every
 * component and, after each step, checks the skew windows of
 * rules/data/skew.yaml and kubeadm's upgrade policy of
 * rules/data/kubeadm.yaml. The first broken rule refuses the plan.
 *
 * A snapshot may already break the skew policy: a control-plane node's
 * kubelet upgraded before `kubeadm upgrade node` ran on another one leaves
 * that kubelet newer than the other kube-apiserver. Such a breakage is
 * carried, not refused, while it lasts: no step may break a rule that held
 * in the state before it, and the plan must end with none broken. Then the
 * plan repairs the snapshot and says so (plan-repairs-skew); otherwise the
 * first breakage left refuses it, as before the first step.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *
plan_default_etcd(const struct rules_db *db, const struct plan_ver *v)
{
	return rules_kubeadm_etcd(db, v->minor, v->patch);
}

const char *
plan_etcd_floor(const struct rules_db *db, const struct plan_ver *v)
{
	const char *t = rules_kubeadm_etcd(db, v->minor, v->patch);
	unsigned m;

	for (m = v->minor; !t && m-- > 0;)
		t = rules_kubeadm_etcd(db, m, UINT_MAX);
	return t;
}

/* Parses an etcd image tag "3.5.15-0" into its four numbers. */
static bool
etcd_tag(const char *t, unsigned long v[4])
{
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		if (*t < '0' || *t > '9')
			return false;
		v[i] = strtoul(t, &end, 10);
		t = end;
		if (i < 3 && *t != (i == 2 ? '-' : '.'))
			return false;
		if (i < 3)
			t++;
	}
	return *t == '\0';
}

/*
 * The etcd tag after kubeadm upgrades a control-plane instance to a
 * version whose default is want: kubeadm never moves etcd back ("the
 * desired etcd version ... is not newer than the currently installed ...
 * Skipping etcd upgrade", cmd/kubeadm/app/phases/upgrade/staticpods.go).
 */
const char *
plan_etcd_after(const char *have, const char *want)
{
	unsigned long x[4], y[4];
	int i;

	if (!want || !have || !etcd_tag(have, x) || !etcd_tag(want, y))
		return want ? want : have;
	for (i = 0; i < 4; i++)
		if (x[i] != y[i])
			return x[i] > y[i] ? have : want;
	return want;
}

/* Per patch: CoreDNS moved within minors (rules/data/kubeadm.yaml). */
const char *
plan_default_coredns(const struct rules_db *db, const struct plan_ver *v)
{
	return rules_kubeadm_coredns(db, v->minor, v->patch);
}

/* ------------------------------------------------------------ checking */

/* One broken skew window: who, against whom, and how to say it. */
struct breach {
	const char *component, *relative_to, *node;	/* static or arena */
	int other;		/* the kube-apiserver's node, or -1 */
	enum skew_bound bound;
	struct plan_ver version;
	struct src_loc loc;
	const char *rule;	/* arena */
	bool newer;
};

struct breaches {
	struct breach *v;	/* owned */
	size_t n, cap;
};

struct sim {
	const struct rules_db *db;
	struct arena *a;
	struct plan *plan;
	const struct plan_step *step;	/* NULL for the initial state */
	const struct plan_state *st;
	/* The first violation. */
	bool bad;
	const char *component, *node, *rule;
	struct plan_ver version;
	struct src_loc loc;
	bool newer;		/* the component is ahead of what it follows */
	int node_index;		/* the node of the violation, or -1 */
	/* The skew windows broken before the step (tolerated) and after. */
	struct breaches was, now;
	bool initial;		/* the snapshot: breaches are only recorded */
	bool oom;
	size_t *cps;		/* owned: the control-plane nodes' indexes */
	size_t ncps;
	struct plan_ver newest;	/* the newest kube-apiserver */
	struct plan_counts counts;
};

static void
violation(struct sim *s, const char *component, const char *node,
	  const struct plan_ver *v, struct src_loc loc, const char *rule)
{
	if (s->bad)
		return;
	s->bad = true;
	s->component = component;
	s->node = node;
	s->version = *v;
	s->loc = loc;
	s->rule = rule;
	s->newer = false;
	s->node_index = -1;
}

static int
diff(const struct plan_ver *x, const struct plan_ver *y)
{
	return (int)x->minor - (int)y->minor;
}

/*
 * Checks comp (at v) against relative_to at api, in the era of an apiserver
 * at minor era, with the audit's own test (rules_skew_excess);
 * check_newer/check_older restrict the side checked.
 */
static bool
same_breach(const struct breach *x, const struct breach *y)
{
	return x->other == y->other && x->bound == y->bound &&
	       !strcmp(x->component, y->component) &&
	       !strcmp(x->relative_to, y->relative_to) &&
	       !strcmp(x->node, y->node);
}

static const struct breach *
find_breach(const struct breaches *b, const struct breach *x)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (same_breach(&b->v[i], x))
			return &b->v[i];
	return NULL;
}

static void
add_breach(struct sim *s, const struct breach *x)
{
	struct breaches *b = &s->now;

	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 8;
		struct breach *v = realloc(b->v, cap * sizeof(*v));

		if (!v) {
			s->oom = true;
			return;
		}
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = *x;
}

/*
 * Checks comp (at v) against relative_to at api, in the era of an apiserver
 * at minor era, with the audit's own test (rules_skew_excess);
 * check_newer/check_older restrict the side checked. other is the node of
 * the kube-apiserver compared with, or -1. A window the state before
 * already broke is recorded, not a violation.
 */
static void
check_row(struct sim *s, const char *component, const char *relative_to,
	  const char *node, int other, const struct plan_ver *v,
	  const struct plan_ver *api, unsigned era, bool check_newer,
	  bool check_older)
{
	const struct skew_row *r;
	struct breach x;
	bool newer;
	int limit;

	x.bound = check_newer && check_older ? BOUND_ANY
		  : check_newer		     ? BOUND_NEWER
					     : BOUND_OLDER;
	if (!v->set || !api->set ||
	    rules_skew_excess(s->db, component, relative_to, era, v->minor,
			      api->minor, x.bound, &newer, &limit, &r) <= 0)
		return;
	x.component = component;
	x.relative_to = relative_to;
	x.node = node;
	x.other = other;
	x.version = *v;
	x.loc = r->loc;
	x.newer = newer;
	x.rule = arena_printf(s->a, "%s may be at most %d minor versions "
			      "%s than %s %u.%u",
			      component, limit, newer ? "newer" : "older",
			      relative_to, api->major, api->minor);
	if (!x.rule) {
		s->oom = true;
		return;
	}
	add_breach(s, &x);
	if (s->bad || s->initial || find_breach(&s->was, &x))
		return;
	violation(s, component, node, v, r->loc, x.rule);
	s->newer = newer;
}

/* The rows of node i that compare it with the kube-apiservers. */
static void
check_node(struct sim *s, size_t i)
{
	const struct plan *p = s->plan;
	const struct plan_node_state *ns = &s->st->nodes[i];
	const char *name = p->nodes[i].name;
	size_t k;

	if (!ns->ready)
		violation(s, "node", name, &ns->kubelet, (struct src_loc){0},
			  "all nodes must be Ready");
	/* kube-controller-manager and kube-scheduler talk to the
	 * apiserver of their own node in a kubeadm cluster. */
	if (p->nodes[i].control_plane) {
		check_row(s, "kube-controller-manager", "kube-apiserver",
			  name, -1, &ns->controller_manager, &ns->apiserver,
			  ns->apiserver.minor, true, true);
		check_row(s, "kube-scheduler", "kube-apiserver", name,
			  -1, &ns->scheduler, &ns->apiserver,
			  ns->apiserver.minor, true, true);
	}
	for (k = 0; k < s->ncps; k++) {
		size_t j = s->cps[k];
		const struct plan_ver *api = &s->st->nodes[j].apiserver;

		check_row(s, "kubelet", "kube-apiserver", name, (int)j,
			  &ns->kubelet, api, api->minor, true, true);
		if (p->nodes[i].control_plane)
			check_row(s, "kube-apiserver", "kube-apiserver",
				  name, (int)j, &ns->apiserver, api,
				  api->minor, true, true);
	}
}

/* kube-proxy on node i against its kubelet. */
static void
check_proxy_node(struct sim *s, size_t i)
{
	if (s->newest.set)
		check_row(s, "kube-proxy", "kubelet", s->plan->nodes[i].name,
			  -1, &s->st->kube_proxy, &s->st->nodes[i].kubelet,
			  s->newest.minor, true, true);
}

/* Every row of the state, in a fixed order (the order of s->now). */
static void
check_skew(struct sim *s)
{
	const struct plan *p = s->plan;
	const struct plan_state *st = s->st;
	size_t i, k;

	s->newest = (struct plan_ver){0, 0, 0, false};
	for (k = 0; k < s->ncps; k++) {
		const struct plan_ver *api = &st->nodes[s->cps[k]].apiserver;

		if (api->set && (!s->newest.set ||
				 plan_ver_cmp(api, &s->newest) > 0))
			s->newest = *api;
	}
	for (i = 0; i < p->nnodes; i++)
		check_node(s, i);
	for (i = 0; i < p->nnodes; i++)
		check_proxy_node(s, i);
	/*
	 * kube-proxy: never too old for any apiserver. Its "not newer" bound
	 * is checked against the newest apiserver only: `kubeadm upgrade
	 * apply` rolls the DaemonSet before the other control-plane nodes
	 * run `kubeadm upgrade node`, which is kubeadm's documented order.
	 */
	for (k = 0; k < s->ncps; k++) {
		size_t j = s->cps[k];
		const struct plan_ver *api = &st->nodes[j].apiserver;

		check_row(s, "kube-proxy", "kube-apiserver", "kube-system",
			  (int)j, &st->kube_proxy, api, api->minor, false,
			  true);
	}
	if (s->newest.set)
		check_row(s, "kube-proxy", "kube-apiserver", "kube-system",
			  -1, &st->kube_proxy, &s->newest, s->newest.minor,
			  true, false);
}

/*
 * Only node i changed, and no kube-apiserver: its rows are checked again,
 * tolerating those it broke before (moved to s->was); the other rows
 * cannot have changed. O(control-plane nodes + breaches).
 */
static void
check_skew_node(struct sim *s, size_t i)
{
	const char *name = s->plan->nodes[i].name;
	size_t k;

	s->was.n = 0;
	for (k = 0; k < s->now.n;) {
		if (s->now.v[k].node != name) {
			k++;
			continue;
		}
		if (s->was.n == s->was.cap) {
			size_t cap = s->was.cap ? 2 * s->was.cap : 8;
			struct breach *v = realloc(s->was.v, cap * sizeof(*v));

			if (!v) {
				s->oom = true;
				return;
			}
			s->was.v = v;
			s->was.cap = cap;
		}
		s->was.v[s->was.n++] = s->now.v[k];
		s->now.v[k] = s->now.v[--s->now.n];
	}
	check_node(s, i);
	check_proxy_node(s, i);
}

/* kubeadm's policy for the step's kubeadm command on its node. */
static void
check_kubeadm(struct sim *s, const struct plan_state *before)
{
	const struct plan_step *step = s->step;
	const struct plan *p = s->plan;
	const struct plan_hop *h = &p->hops.v[step->hop - 1];
	const struct kubeadm_data *k = &s->db->kubeadm;
	const struct plan_ver *bin;
	const char *name;
	struct src_loc kloc = {0};
	int skew;
	size_t i;

	if (step->node < 0)
		return;
	bin = &before->nodes[step->node].kubeadm;
	name = p->nodes[step->node].name;
	switch (step->action) {
	case PA_KUBEADM_UPGRADE_PLAN:
	case PA_KUBEADM_UPGRADE_APPLY:
		if (bin->minor != h->to.minor || plan_ver_cmp(bin, &h->to) < 0)
			violation(s, "kubeadm", name, bin, kloc,
				  arena_printf(s->a, "the kubeadm binary must be "
					       "%u.%u.%u or a later patch of "
					       "that minor",
					       h->to.major, h->to.minor,
					       h->to.patch));
		if (step->action == PA_KUBEADM_UPGRADE_PLAN)
			break;
		if (diff(&h->to, &before->cluster) > k->upgrade_minor_skew)
			violation(s, "kube-apiserver", name, &before->cluster,
				  kloc, arena_printf(s->a, "kubeadm upgrades at "
						     "most %d minor version at a "
						     "time", k->upgrade_minor_skew));
		skew = rules_kubeadm_kubelet_skew(s->db, h->to.minor, &kloc);
		for (i = 0; skew >= 0 && i < p->nnodes; i++) {
			const struct plan_ver *kl = &before->nodes[i].kubelet;

			if (kl->set && diff(&h->to, kl) > skew)
				violation(s, "kubelet", p->nodes[i].name, kl, kloc,
					  arena_printf(s->a, "kubeadm %u.%u "
						       "allows kubelets at most "
						       "%d minor version(s) "
						       "older than the target",
						       h->to.major, h->to.minor,
						       skew));
		}
		break;
	case PA_KUBEADM_UPGRADE_NODE:
		if (bin->minor != before->cluster.minor ||
		    plan_ver_cmp(bin, &before->cluster) < 0)
			violation(s, "kubeadm", name, bin, kloc,
				  arena_printf(s->a, "'kubeadm upgrade node' "
					       "needs kubeadm of the cluster's "
					       "minor %u.%u at the cluster's "
					       "patch or later",
					       before->cluster.major,
					       before->cluster.minor));
		/*
		 * kubeadm manages kubelets at most its kubelet skew older
		 * than itself ("kubeadm's skew against the kubelet",
		 * create-cluster-kubeadm.md; kubernetes/kubernetes PR
		 * 120825): the bound a catch-up of a lagging node must
		 * respect. `kubeadm upgrade node` itself compares no version
		 * (node/preflight.go, node/kubeletconfig.go; path.c).
		 */
		skew = rules_kubeadm_kubelet_skew(s->db, bin->minor, &kloc);
		{
			const struct plan_ver *kl =
				&before->nodes[step->node].kubelet;

			if (skew >= 0 && kl->set && diff(bin, kl) > skew)
				violation(s, "kubelet", name, kl, kloc,
					  arena_printf(s->a, "kubeadm %u.%u "
						       "manages kubelets at most "
						       "%d minor version(s) "
						       "older", bin->major,
						       bin->minor, skew));
		}
		break;
	default:
		break;
	}
}

static size_t
ncp(const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nnodes; i++)
		n += p->nodes[i].control_plane;
	return n;
}

/* True when every control-plane node runs the kube-apiserver v. */
static bool
all_cp_at(const struct plan *p, const struct plan_state *st,
	  const struct plan_ver *v)
{
	size_t i;

	for (i = 0; i < p->nnodes; i++)
		if (p->nodes[i].control_plane &&
		    plan_ver_cmp(&st->nodes[i].apiserver, v))
			return false;
	return true;
}

/* kube-proxy and CoreDNS move to the cluster version's defaults. */
static void
upgrade_addons(const struct rules_db *db, struct plan_state *st)
{
	st->kube_proxy = st->cluster;
	st->coredns = plan_default_coredns(db, &st->cluster);
}

/* Applies step to st (a copy of the state before it). */
static void
apply(const struct plan *p, const struct rules_db *db,
      const struct plan_step *step, struct plan_state *st)
{
	const struct plan_ver *to = &p->hops.v[step->hop - 1].to;
	struct plan_node_state *ns = step->node >= 0 ? &st->nodes[step->node]
						     : NULL;
	const char *etcd;

	switch (step->action) {
	case PA_UPGRADE_KUBEADM:
		if (ns)
			ns->kubeadm = *to;
		break;
	case PA_KUBEADM_UPGRADE_APPLY:
		if (!ns)
			break;
		ns->apiserver = ns->controller_manager = ns->scheduler = *to;
		st->cluster = *to;
		if ((etcd = plan_default_etcd(db, to)) != NULL)
			st->etcd = plan_etcd_after(st->etcd, etcd);
		if (!plan_addons_wait_for_all(to, ncp(p)))
			upgrade_addons(db, st);
		break;
	case PA_KUBEADM_UPGRADE_NODE:
		if (ns && p->nodes[step->node].control_plane) {
			ns->apiserver = ns->controller_manager = ns->scheduler =
				st->cluster;
			/* kubeadm >= 1.28 in HA: the last one brings them */
			if (plan_addons_wait_for_all(&st->cluster, ncp(p)) &&
			    all_cp_at(p, st, &st->cluster))
				upgrade_addons(db, st);
		}
		break;
	case PA_DRAIN:
		if (ns)
			ns->cordoned = true;
		break;
	case PA_UPGRADE_KUBELET_KUBECTL:
		if (!ns)
			break;
		ns->kubelet_pkg = *to;
		if (step->node == 0)
			st->kubectl = *to;
		break;
	case PA_RESTART_KUBELET:
		if (ns)
			ns->kubelet = ns->kubelet_pkg;
		break;
	case PA_UNCORDON:
		if (ns)
			ns->cordoned = false;
		break;
	default:
		break;
	}
}

/* Turns the first violation into the refusal finding. */
static int
refuse(struct sim *s)
{
	const struct rule *r = NULL;
	struct finding *f;
	const char *fill[8];
	const char *subject;
	struct plan_ver target;
	struct src_loc ev[2];
	size_t i, nev = 0;

	for (i = 0; i < s->db->rules.n; i++)
		if (!strcmp(s->db->rules.v[i].id, "plan-skew-violation"))
			r = &s->db->rules.v[i];
	if (!r || !s->rule)
		return -1;
	target = s->step ? s->plan->hops.v[s->step->hop - 1].to : s->plan->to;
	fill[0] = "target";
	fill[1] = plan_ver_str(s->a, &target);
	fill[2] = "component";
	fill[3] = s->component;
	fill[4] = "node";
	fill[5] = s->node;
	fill[6] = "version";
	fill[7] = plan_ver_str(s->a, &s->version);
	subject = s->step ? arena_printf(s->a, "step %s", s->step->id)
			  : "cluster";
	if (!fill[1] || !fill[7] || !subject)
		return -1;
	/*
	 * Before the first step the snapshot itself breaks the policy: its
	 * line is the evidence, before the rules row that says why.
	 */
	for (i = 0; !s->step && i < s->plan->nnodes; i++)
		if (s->plan->nodes[i].name == s->node &&
		    s->plan->nodes[i].loc.path)
			ev[nev++] = s->plan->nodes[i].loc;
	if (s->loc.path)
		ev[nev++] = s->loc;
	if (plan_finding(s->plan, s->a, r, subject, fill, 4, nev ? ev : NULL,
			 nev) < 0)
		return -1;
	f = &s->plan->findings.v[s->plan->findings.n - 1];
	/*
	 * The rule's advice is to upgrade the component that lags; one that is
	 * ahead already is brought back instead, never upgraded further.
	 */
	if (!s->step && s->newer &&
	    !(f->remediation = arena_printf(s->a, "The snapshot already breaks "
				"the skew policy: %s on '%s' is newer than the "
				"policy allows. Plan to %u.%u.%u or later, which "
				"upgrades the control plane past it first (--to "
				"%u.%u), or downgrade %s on '%s' to the control "
				"plane's minor, then plan again.", s->component,
				s->node, s->version.major, s->version.minor,
				s->version.patch, s->version.major,
				s->version.minor, s->component, s->node)))
		return -1;
	f->message = s->step
		? arena_printf(s->a, "%s (after step %s, %s: %s)", f->message,
			       s->step->id, plan_action_name(s->step->action),
			       s->rule)
		: arena_printf(s->a, "%s (before the first step: %s)",
			       f->message, s->rule);
	if (!f->message)
		return -1;
	s->plan->refused = true;
	return PLAN_REFUSED;
}

/* The breaches after a step become those tolerated before the next. */
static void
next_state(struct sim *s)
{
	struct breaches t = s->was;

	s->was = s->now;
	s->now = t;
	s->now.n = 0;
}

static int
sim_done(struct sim *s, int rc)
{
	free(s->was.v);
	free(s->now.v);
	free(s->cps);
	plan_counts_release(&s->counts);
	return s->oom ? -1 : rc;
}

/* Refuses for a breach the plan leaves, as seen before the first step. */
static int
refuse_left(struct sim *s, const struct breach *b)
{
	s->step = NULL;
	s->bad = false;
	violation(s, b->component, b->node, &b->version, b->loc, b->rule);
	s->newer = b->newer;
	return refuse(s);
}

/* The warning that the plan repairs the snapshot first (plan-repairs-skew). */
static int
repaired(struct sim *s, const struct breach *b, size_t nbreach,
	 const struct plan_step *fix)
{
	const struct rule *r = NULL;
	const char *fill[10];
	struct src_loc ev[2];
	size_t i, nev = 0;

	for (i = 0; i < s->db->rules.n; i++)
		if (!strcmp(s->db->rules.v[i].id, "plan-repairs-skew"))
			r = &s->db->rules.v[i];
	if (!r)
		return -1;
	fill[0] = "component";
	fill[1] = b->component;
	fill[2] = "node";
	fill[3] = b->node;
	fill[4] = "version";
	fill[5] = plan_ver_str(s->a, &b->version);
	fill[6] = "reason";
	fill[7] = nbreach > 1 ? arena_printf(s->a, "%s; and %zu more such",
					     b->rule, nbreach - 1)
			      : b->rule;
	fill[8] = "step";
	fill[9] = arena_printf(s->a, "%s (%s)", fix->id,
			       plan_action_name(fix->action));
	if (!fill[5] || !fill[7] || !fill[9])
		return -1;
	for (i = 0; i < s->plan->nnodes; i++)
		if (s->plan->nodes[i].name == b->node &&
		    s->plan->nodes[i].loc.path)
			ev[nev++] = s->plan->nodes[i].loc;
	if (b->loc.path)
		ev[nev++] = b->loc;
	return plan_finding(s->plan, s->a, r, b->node, fill, 5,
			    nev ? ev : NULL, nev);
}

/* The last step of its hop, or of the plan: its state keeps every node. */
static bool
ends_hop(const struct plan *p, size_t i)
{
	return i + 1 == p->steps.n || p->steps.v[i + 1].hop != p->steps.v[i].hop;
}

/*
 * Applies step i to the one state st kept for the whole run and checks
 * what it can have changed: every row when a kube-apiserver or kube-proxy
 * moved (a few steps per hop), else the rows of the step's node. No step
 * copies the state; hop boundaries keep a copy for the reports.
 */
static int
sim_step(struct sim *s, struct plan_state *st, size_t i)
{
	struct plan *plan = s->plan;
	struct plan_step *step = &plan->steps.v[i];
	struct plan_node_state was, *ns;
	struct plan_ver kubectl = st->kubectl, proxy = st->kube_proxy;

	s->step = step;
	check_kubeadm(s, st);
	ns = step->node >= 0 ? &st->nodes[step->node] : NULL;
	if (ns)
		was = *ns;
	apply(plan, s->db, step, st);
	if (plan_step_record(s->a, &s->counts, step, ns ? &was : NULL,
			     &kubectl, st) < 0)
		return -1;
	step->state = *st;
	step->state.nodes = NULL;
	if (ends_hop(plan, i)) {
		step->state.nodes = arena_alloc(s->a, (plan->nnodes + 1) *
						      sizeof(*st->nodes));
		if (!step->state.nodes)
			return -1;
		memcpy(step->state.nodes, st->nodes,
		       plan->nnodes * sizeof(*st->nodes));
	}
	if (!plan_ver_same(&proxy, &st->kube_proxy) ||
	    (ns && !plan_ver_same(&was.apiserver, &ns->apiserver))) {
		next_state(s);
		check_skew(s);
	} else if (ns && (!plan_ver_same(&was.kubelet, &ns->kubelet) ||
			  !plan_ver_same(&was.controller_manager,
					 &ns->controller_manager) ||
			  !plan_ver_same(&was.scheduler, &ns->scheduler) ||
			  was.ready != ns->ready)) {
		check_skew_node(s, (size_t)step->node);
	}
	return s->oom ? -1 : 0;
}

int
plan_simulate(const struct rules_db *db, struct arena *a, struct plan *plan)
{
	struct sim s;
	struct plan_state st = plan->initial;
	const struct plan_step *fix = NULL;
	struct breach first;
	size_t i, nfirst, nbefore;
	int rc;

	memset(&s, 0, sizeof(s));
	s.db = db;
	s.a = a;
	s.plan = plan;
	s.st = &st;
	st.nodes = malloc((plan->nnodes + 1) * sizeof(*st.nodes));
	s.cps = malloc((plan->nnodes + 1) * sizeof(*s.cps));
	if (!st.nodes || !s.cps) {
		free(st.nodes);
		return sim_done(&s, -1);
	}
	memcpy(st.nodes, plan->initial.nodes, plan->nnodes * sizeof(*st.nodes));
	for (i = 0; i < plan->nnodes; i++)
		if (plan->nodes[i].control_plane)
			s.cps[s.ncps++] = i;
	if (plan_counts_init(&s.counts, plan, st.nodes) < 0) {
		free(st.nodes);
		return sim_done(&s, -1);
	}
	/* The snapshot's own breaches are tolerated; NotReady is not. */
	s.initial = true;
	check_skew(&s);
	s.initial = false;
	if (s.oom || s.bad) {
		rc = s.oom ? -1 : refuse(&s);
		free(st.nodes);
		return sim_done(&s, rc);
	}
	nfirst = s.now.n;
	if (nfirst)
		first = s.now.v[0];
	for (i = 0; i < plan->steps.n; i++) {
		if (plan->steps.v[i].hop == 0 ||
		    plan->steps.v[i].hop > plan->hops.n)
			break;
		nbefore = s.now.n;
		if (sim_step(&s, &st, i) < 0 || s.bad)
			break;
		if (nbefore && !s.now.n)
			fix = &plan->steps.v[i];
	}
	if (i < plan->steps.n) {
		rc = s.bad && !s.oom ? refuse(&s) : -1;
		free(st.nodes);
		return sim_done(&s, rc);
	}
	if (s.now.n) {
		/* The breaches left, in the order of a whole check. */
		next_state(&s);
		s.initial = true;
		check_skew(&s);
		rc = s.oom || !s.now.n ? -1 : refuse_left(&s, &s.now.v[0]);
		free(st.nodes);
		return sim_done(&s, rc);
	}
	free(st.nodes);
	if (nfirst && fix && repaired(&s, &first, nfirst, fix) < 0)
		return sim_done(&s, -1);
	return sim_done(&s, PLAN_OK);
}
