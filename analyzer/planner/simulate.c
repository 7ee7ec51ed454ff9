/*
 * simulate.c - the proof: replays a plan's steps on the versions of every
 * component and, after each step, checks the skew windows of
 * rules/data/skew.yaml and kubeadm's upgrade policy of
 * rules/data/kubeadm.yaml. The first broken rule refuses the plan.
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
static void
check_row(struct sim *s, const char *component, const char *relative_to,
	  const char *node, const struct plan_ver *v,
	  const struct plan_ver *api, unsigned era, bool check_newer,
	  bool check_older)
{
	const struct skew_row *r;
	enum skew_bound bound = check_newer && check_older ? BOUND_ANY
				: check_newer		  ? BOUND_NEWER
							  : BOUND_OLDER;
	bool newer;
	int limit;

	if (!v->set || !api->set ||
	    rules_skew_excess(s->db, component, relative_to, era, v->minor,
			      api->minor, bound, &newer, &limit, &r) <= 0)
		return;
	if (s->bad)
		return;
	violation(s, component, node, v, r->loc,
		  arena_printf(s->a, "%s may be at most %d minor versions "
			       "%s than %s %u.%u",
			       component, limit, newer ? "newer" : "older",
			       relative_to, api->major, api->minor));
	s->newer = newer;
}

static void
check_skew(struct sim *s)
{
	const struct plan *p = s->plan;
	const struct plan_state *st = s->st;
	struct plan_ver newest = {0, 0, 0, false};
	size_t i, j;

	for (i = 0; i < p->nnodes; i++)
		if (p->nodes[i].control_plane && st->nodes[i].apiserver.set &&
		    (!newest.set ||
		     plan_ver_cmp(&st->nodes[i].apiserver, &newest) > 0))
			newest = st->nodes[i].apiserver;
	for (i = 0; i < p->nnodes; i++) {
		const struct plan_node_state *ns = &st->nodes[i];
		const char *name = p->nodes[i].name;

		if (!ns->ready)
			violation(s, "node", name, &ns->kubelet, (struct src_loc){0},
				  "all nodes must be Ready");
		/* kube-controller-manager and kube-scheduler talk to the
		 * apiserver of their own node in a kubeadm cluster. */
		if (p->nodes[i].control_plane) {
			check_row(s, "kube-controller-manager", "kube-apiserver",
				  name, &ns->controller_manager, &ns->apiserver,
				  ns->apiserver.minor, true, true);
			check_row(s, "kube-scheduler", "kube-apiserver", name,
				  &ns->scheduler, &ns->apiserver,
				  ns->apiserver.minor, true, true);
		}
		for (j = 0; j < p->nnodes; j++) {
			const struct plan_ver *api = &st->nodes[j].apiserver;

			if (!p->nodes[j].control_plane)
				continue;
			check_row(s, "kubelet", "kube-apiserver", name,
				  &ns->kubelet, api, api->minor, true, true);
			if (p->nodes[i].control_plane)
				check_row(s, "kube-apiserver", "kube-apiserver",
					  name, &ns->apiserver, api, api->minor,
					  true, true);
		}
	}
	/* kube-proxy on each node against its kubelet. */
	for (i = 0; newest.set && i < p->nnodes; i++)
		check_row(s, "kube-proxy", "kubelet", p->nodes[i].name,
			  &st->kube_proxy, &st->nodes[i].kubelet, newest.minor,
			  true, true);
	/*
	 * kube-proxy: never too old for any apiserver. Its "not newer" bound
	 * is checked against the newest apiserver only: `kubeadm upgrade
	 * apply` rolls the DaemonSet before the other control-plane nodes
	 * run `kubeadm upgrade node`, which is kubeadm's documented order.
	 */
	for (j = 0; j < p->nnodes; j++) {
		const struct plan_ver *api = &st->nodes[j].apiserver;

		if (p->nodes[j].control_plane)
			check_row(s, "kube-proxy", "kube-apiserver", "kube-system",
				  &st->kube_proxy, api, api->minor, false, true);
	}
	if (newest.set)
		check_row(s, "kube-proxy", "kube-apiserver", "kube-system",
			  &st->kube_proxy, &newest, newest.minor, true, false);
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
		 * than itself (MinimumKubeletVersion, cmd/kubeadm/app/
		 * constants; kubernetes/kubernetes PR 120825): the bound a
		 * catch-up of a lagging node must respect.
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

static int
copy_state(struct arena *a, size_t nnodes, const struct plan_state *from,
	   struct plan_state *to)
{
	*to = *from;
	to->nodes = arena_alloc(a, (nnodes + 1) * sizeof(*to->nodes));
	if (!to->nodes)
		return -1;
	memcpy(to->nodes, from->nodes, nnodes * sizeof(*to->nodes));
	return 0;
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
				"policy allows. Downgrade %s on '%s' to the "
				"control plane's minor (or, if the control plane "
				"is the one behind, upgrade it alone with kubeadm "
				"first), then plan again.", s->component,
				s->node, s->component, s->node)))
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

int
plan_simulate(const struct rules_db *db, struct arena *a, struct plan *plan)
{
	struct sim s;
	const struct plan_state *prev = &plan->initial;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.db = db;
	s.a = a;
	s.plan = plan;
	s.st = prev;
	check_skew(&s);
	if (s.bad)
		return refuse(&s);
	for (i = 0; i < plan->steps.n; i++) {
		struct plan_step *step = &plan->steps.v[i];

		if (step->hop == 0 || step->hop > plan->hops.n)
			return -1;
		if (copy_state(a, plan->nnodes, prev, &step->state) < 0)
			return -1;
		s.step = step;
		check_kubeadm(&s, prev);
		apply(plan, db, step, &step->state);
		s.st = &step->state;
		check_skew(&s);
		if (s.bad)
			return refuse(&s);
		prev = &step->state;
	}
	return PLAN_OK;
}
