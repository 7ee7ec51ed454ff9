/*
 * path.c - chooses the hops from the cluster as captured to the target.
 *
 * The documented procedure moves the control plane one minor per `kubeadm
 * upgrade apply` and takes every node along in the same hop
 * (https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/).
 * Real clusters are rarely uniform, so before each apply this file checks
 * every node against what that apply needs:
 *
 *  - kubeadm's version policy: `kubeadm upgrade apply` of kubeadm N refuses
 *    kubelets more than the kubelet skew of N older than its target (1
 *    minor up to kubeadm 1.28, 3 from 1.29: MaximumAllowedMinorVersionKubeletSkew
 *    in cmd/kubeadm/app/phases/upgrade/policy.go, detectTooOldKubelets, a
 *    "skippable" error that cmd/kubeadm/app/cmd/phases/upgrade/apply/
 *    preflight.go enforceVersionPolicies refuses unless --force, which no
 *    plan uses; kubernetes/kubernetes PR 120825; rules/data/kubeadm.yaml
 *    kubelet_skew);
 *  - the skew policy once the new kube-apiserver runs (kubelets at most 2
 *    or 3 minors older, HA kube-apiservers within one minor;
 *    https://kubernetes.io/releases/version-skew-policy/, rules/data/skew.yaml).
 *
 * A node that would break either is first brought up to the version the
 * cluster already runs, in a catch-up hop with the same kubeadm, drain,
 * kubelet and uncordon steps. That is possible only while the cluster's own
 * kubeadm still manages the node's kubelet (`kubeadm upgrade node` of
 * kubeadm C on a kubelet K needs C - K <= the kubelet skew of C); otherwise
 * no supported sequence exists and the plan is refused, naming the node.
 * That bound is documented, not checked by `kubeadm upgrade node`: its code
 * (cmd/kubeadm/app/cmd/upgrade/node.go; phases/upgrade/node/preflight.go
 * runs the root check, and pulls images on control-plane nodes only;
 * node/kubeletconfig.go writes the kubelet configuration) compares no
 * version, while "kubeadm's skew against the kubelet" in
 * create-cluster-kubeadm.md allows kubelets up to 3 minors older than
 * kubeadm (1 before 1.29, PR 120825).
 *
 * A target equal to the cluster's version finishes what is left behind:
 * control-plane nodes that have not run `kubeadm upgrade node`, kubelets,
 * kubectl, and the kube-proxy DaemonSet (by `kubeadm upgrade apply` again).
 *
 * Going to the newest patch of the running minor first is recommended by
 * the skew policy ("Recommended first: be on the latest patch of the
 * current minor", supported component upgrade order) but required by
 * neither it nor kubeadm's policy, so it is a candidate path, not a rule:
 * the path with the fewest node drains wins, then the fewest steps, and
 * --patch-first forces it. The simulation (simulate.c) proves the result.
 *
 * Each candidate costs O(nodes x hops); there are at most two.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The versions the path search follows. */
struct model {
	struct plan_node_state *nodes;	/* arena */
	struct plan_ver cluster, kube_proxy, kubectl;
};

/* Why a candidate cannot be planned. */
struct failure {
	int node;		/* -1 if none */
	struct plan_ver kubelet, cluster;
	int skew;
	struct src_loc loc;
};

/* A candidate path: the control-plane targets, and the hops they need. */
struct cand {
	struct plan_ver *targets;	/* arena */
	bool *verified;			/* arena; per target */
	size_t ntargets;
	struct plan_hop *hops;	/* arena; room for 2 * ntargets + 1 */
	size_t nhops;
	size_t drains, steps;
	bool ok;
	bool fewest;		/* --strategy fewest-drains */
	struct failure fail;
	/* The first catch-up hop, for the reasons. */
	const char *why;	/* arena or NULL */
};

static int
kubelet_skew(struct plan_ctx *c, unsigned minor, struct src_loc *loc)
{
	struct src_loc l = {0};
	int s = rules_kubeadm_kubelet_skew(c->db, minor, &l);

	if (loc)
		*loc = l;
	return s;
}

/*
 * Whether a kubelet at k may stay through the apply of v: kubeadm's
 * kubelet skew for v and the skew policy against a kube-apiserver at v.
 * *why names the broken rule (arena) when not.
 */
static bool
kubelet_fits(struct plan_ctx *c, const struct plan_ver *k,
	     const struct plan_ver *v, const char **why)
{
	int s = kubelet_skew(c, v->minor, NULL);
	const struct skew_row *row;
	bool newer;
	int limit;

	*why = NULL;
	if (!k->set)
		return true;
	if (s >= 0 && (int)v->minor - (int)k->minor > s) {
		*why = arena_printf(c->a, "kubeadm %u.%u accepts kubelets at "
				    "most %d minor version%s older than its "
				    "target", v->major, v->minor, s,
				    s == 1 ? "" : "s");
		return false;
	}
	if (rules_skew_excess(c->db, "kubelet", "kube-apiserver", v->minor,
			      k->minor, v->minor, BOUND_OLDER, &newer, &limit,
			      &row) > 0) {
		*why = arena_printf(c->a, "the skew policy allows a kubelet "
				    "at %u.%u at most %d minor versions older "
				    "than kube-apiserver", k->major, k->minor,
				    limit);
		return false;
	}
	return true;
}

bool
plan_kubelet_may_wait(struct plan_ctx *c, const struct plan_ver *k,
		      const struct plan_ver *next)
{
	const char *why;

	return k->set && kubelet_fits(c, k, next, &why);
}

/* Counts what a hop costs: drains, and steps as steps.c writes them. */
static void
cost(struct plan_ctx *c, struct cand *k, const struct plan_hop *h)
{
	size_t i;

	k->steps += 1 + (h->apply ? 4 : 0);	/* verify; backup..apply */
	for (i = 0; i < c->plan->nnodes; i++) {
		unsigned w = h->work[i];

		if (w & PLAN_WORK_KUBELET) {
			k->drains++;
			k->steps += 4;
		}
		/* The apply's own kubeadm is one of its four steps. */
		k->steps += !!(w & PLAN_WORK_KUBEADM) * !(h->apply && i == 0) +
			    !!(w & PLAN_WORK_NODE) + !!(w & PLAN_WORK_KUBECTL);
	}
}

/* Appends a hop starting from m; NULL when out of memory. */
static struct plan_hop *
push(struct plan_ctx *c, struct cand *k, const struct model *m,
     struct plan_ver to, bool apply, bool verified)
{
	struct plan_hop *h = &k->hops[k->nhops];
	unsigned char *work;

	memset(h, 0, sizeof(*h));
	work = arena_alloc(c->a, c->plan->nnodes + 1);
	h->before = c->plan->initial;
	h->before.nodes = arena_alloc(c->a, (c->plan->nnodes + 1) *
					    sizeof(*h->before.nodes));
	if (!work || !h->before.nodes)
		return NULL;
	memset(work, 0, c->plan->nnodes + 1);
	memcpy(h->before.nodes, m->nodes,
	       c->plan->nnodes * sizeof(*m->nodes));
	h->before.cluster = m->cluster;
	h->before.kube_proxy = m->kube_proxy;
	/* CoreDNS moves with kube-proxy; etcd with the control plane. */
	if (plan_ver_cmp(&m->kube_proxy, &c->plan->initial.kube_proxy) > 0 &&
	    plan_default_coredns(c->db, &m->kube_proxy))
		h->before.coredns = plan_default_coredns(c->db, &m->kube_proxy);
	if (plan_ver_cmp(&m->cluster, &c->plan->initial.cluster) > 0)
		h->before.etcd = plan_etcd_after(c->plan->initial.etcd,
						 plan_default_etcd(c->db,
								   &m->cluster));
	h->before.kubectl = m->kubectl;
	h->from = m->cluster;
	h->to = to;
	h->apply = apply;
	h->work = work;
	h->target_verified = verified;
	k->nhops++;
	return h;
}

/* Moves m past hop h. */
static void
advance(struct plan_ctx *c, struct model *m, const struct plan_hop *h)
{
	size_t i;

	for (i = 0; i < c->plan->nnodes; i++) {
		struct plan_node_state *ns = &m->nodes[i];
		unsigned w = h->work[i];

		if (h->apply && i == 0)
			w |= PLAN_WORK_NODE;
		if (h->work[i] & PLAN_WORK_KUBEADM)
			ns->kubeadm = h->to;
		if ((w & PLAN_WORK_NODE) && c->plan->nodes[i].control_plane)
			ns->apiserver = ns->controller_manager = ns->scheduler =
				h->to;
		if (w & PLAN_WORK_KUBELET)
			ns->kubelet = ns->kubelet_pkg = h->to;
		if ((w & (PLAN_WORK_KUBELET | PLAN_WORK_KUBECTL)) && i == 0)
			m->kubectl = h->to;
	}
	m->cluster = h->to;
	if (h->apply && !plan_addons_wait_for_all(&h->to, c->ncp))
		m->kube_proxy = h->to;
	/* kubeadm 1.28+ in HA: the last control plane to reach h->to. */
	for (i = 0; i < c->ncp; i++)
		if (plan_ver_cmp(&m->nodes[i].apiserver, &h->to))
			break;
	if (i == c->ncp)
		m->kube_proxy = h->to;
}

/*
 * The catch-up hop before the apply of v (v NULL: the finishing hop of a
 * target the cluster already runs). Returns 0, 1 when a node cannot be
 * caught up (k->fail says why) or -1.
 */
static int
catch_up(struct plan_ctx *c, struct cand *k, struct model *m,
	 const struct plan_ver *v)
{
	const struct plan_ver *cl = &m->cluster;
	struct plan_hop *h;
	unsigned char *work;
	bool any = false, apply = false;
	const char *why = NULL, *w = NULL;
	struct buf names = BUF_INIT;
	size_t i;

	work = arena_alloc(c->a, c->plan->nnodes + 1);
	if (!work)
		return -1;
	memset(work, 0, c->plan->nnodes + 1);
	for (i = 0; i < c->plan->nnodes; i++) {
		const struct plan_node_state *ns = &m->nodes[i];
		const struct plan_ver *kl = &ns->kubelet;
		struct src_loc loc;
		int s;

		/* HA: kube-apiservers within one minor once v runs. */
		if (c->plan->nodes[i].control_plane && ns->apiserver.set &&
		    plan_ver_cmp(&ns->apiserver, cl) < 0 &&
		    (!v || (int)v->minor - (int)ns->apiserver.minor > 1)) {
			work[i] |= PLAN_WORK_KUBEADM | PLAN_WORK_NODE;
			if (!why)
				why = v ? "the kube-apiservers of an HA cluster "
					  "must stay within one minor version"
					: "the last upgrade was left unfinished";
		}
		if (kl->set && plan_ver_cmp(kl, cl) < 0 &&
		    (!v || !kubelet_fits(c, kl, v, &w))) {
			s = kubelet_skew(c, cl->minor, &loc);
			if (s >= 0 && (int)cl->minor - (int)kl->minor > s) {
				k->fail.node = (int)i;
				k->fail.kubelet = *kl;
				k->fail.cluster = *cl;
				k->fail.skew = s;
				k->fail.loc = loc;
				buf_release(&names);
				return 1;
			}
			/* A control-plane node whose instance already runs
			 * the cluster's version has run `kubeadm upgrade
			 * node`; only its kubelet is left. */
			work[i] |= PLAN_WORK_KUBELET;
			if (!c->plan->nodes[i].control_plane ||
			    (work[i] & PLAN_WORK_NODE))
				work[i] |= PLAN_WORK_KUBEADM | PLAN_WORK_NODE;
			if (!why)
				why = v ? w : "the last upgrade was left "
					      "unfinished";
		}
		if (work[i]) {
			buf_addf(&names, "%s%s", any ? ", " : "",
				 c->plan->nodes[i].name);
			any = true;
		}
	}
	if (!v) {
		if (m->kubectl.set && plan_ver_cmp(&m->kubectl, cl) < 0 &&
		    !(work[0] & PLAN_WORK_KUBELET)) {
			work[0] |= PLAN_WORK_KUBECTL;
			if (!any)
				buf_addf(&names, "kubectl on %s",
					 c->plan->nodes[0].name);
			any = true;
		}
		/*
		 * kube-proxy follows `kubeadm upgrade apply`; run it again,
		 * unless a control plane still to run `kubeadm upgrade node`
		 * brings it (kubeadm 1.28+ in HA, the last one does).
		 */
		for (i = 0; i < c->ncp; i++)
			if (work[i] & PLAN_WORK_NODE)
				break;
		if (m->kube_proxy.set && plan_ver_cmp(&m->kube_proxy, cl) < 0 &&
		    !(i < c->ncp && plan_addons_wait_for_all(cl, c->ncp))) {
			apply = true;
			buf_addf(&names, "%sthe kube-proxy DaemonSet",
				 any ? ", " : "");
			any = true;
		}
		if (!why)
			why = "the last upgrade was left unfinished";
	}
	if (!any) {
		buf_release(&names);
		return 0;
	}
	if (names.oom)
		return buf_release(&names), -1;
	if (!k->why) {
		k->why = v ? arena_printf(c->a, "first brings %s up to %u.%u.%u "
					  "before the upgrade to %u.%u.%u: %s",
					  buf_cstr(&names), cl->major,
					  cl->minor, cl->patch, v->major,
					  v->minor, v->patch, why)
			   : arena_printf(c->a, "finishes the upgrade to "
					  "%u.%u.%u: %s still behind",
					  cl->major, cl->minor, cl->patch,
					  buf_cstr(&names));
		if (!k->why)
			return buf_release(&names), -1;
	}
	buf_release(&names);
	if (!(h = push(c, k, m, *cl, apply, true)))
		return -1;
	memcpy((unsigned char *)h->work, work, c->plan->nnodes);
	cost(c, k, h);
	advance(c, m, h);
	return 0;
}

/*
 * Whether node i's kubelet is older than to: a kubelet already there (or
 * ahead, in a snapshot that breaks the skew policy) is never drained for
 * nothing, nor downgraded.
 */
static bool
kubelet_behind(const struct model *m, size_t i, const struct plan_ver *to)
{
	const struct plan_ver *k = &m->nodes[i].kubelet;

	return !k->set || plan_ver_cmp(k, to) < 0;
}

/* Plans candidate k from the initial state. 0 or -1 (k->ok says). */
static int
run(struct plan_ctx *c, struct cand *k)
{
	struct model m;
	size_t i, j;
	int rc;

	k->hops = arena_alloc(c->a, (2 * k->ntargets + 2) * sizeof(*k->hops));
	m.nodes = arena_alloc(c->a, (c->plan->nnodes + 1) * sizeof(*m.nodes));
	if (!k->hops || !m.nodes)
		return -1;
	memcpy(m.nodes, c->plan->initial.nodes,
	       c->plan->nnodes * sizeof(*m.nodes));
	m.cluster = c->plan->initial.cluster;
	m.kube_proxy = c->plan->initial.kube_proxy;
	m.kubectl = c->plan->initial.kubectl;
	k->fail.node = -1;
	k->ok = false;
	for (i = 0; i < k->ntargets; i++) {
		struct plan_hop *h;

		if ((rc = catch_up(c, k, &m, &k->targets[i])) != 0)
			return rc < 0 ? -1 : 0;
		if (!(h = push(c, k, &m, k->targets[i], true, k->verified[i])))
			return -1;
		for (j = 0; j < c->plan->nnodes; j++)
			((unsigned char *)h->work)[j] =
				PLAN_WORK_KUBEADM | (j ? PLAN_WORK_NODE : 0) |
				(kubelet_behind(&m, j, &h->to) ?
				 PLAN_WORK_KUBELET : 0);
		if (!(h->work[0] & PLAN_WORK_KUBELET) && m.kubectl.set &&
		    plan_ver_cmp(&m.kubectl, &h->to) < 0)
			((unsigned char *)h->work)[0] |= PLAN_WORK_KUBECTL;
		/* fewest-drains: a worker's kubelet waits while the next
		 * apply still accepts it (strategy.c says why that holds). */
		for (j = c->ncp; k->fewest && i + 1 < k->ntargets &&
				 j < c->plan->nnodes; j++)
			if (plan_kubelet_may_wait(c, &m.nodes[j].kubelet,
						  &k->targets[i + 1]))
				((unsigned char *)h->work)[j] &=
					(unsigned char)~PLAN_WORK_KUBELET;
		cost(c, k, h);
		advance(c, &m, h);
	}
	if (k->ntargets == 0 && (rc = catch_up(c, k, &m, NULL)) != 0)
		return rc < 0 ? -1 : 0;
	k->ok = true;
	return 0;
}

/* The hop targets after the running minor up to to. PLAN_OK or refusal. */
static int
targets(struct plan_ctx *c, struct cand *k, const struct plan_ver *from,
	const struct plan_ver *to, bool to_verified, bool patch_first)
{
	unsigned m, p;
	size_t n = 0;
	bool v;
	const char *fill[4];

	k->targets = arena_alloc(c->a, (to->minor - from->minor + 3) *
					    sizeof(*k->targets));
	k->verified = arena_alloc(c->a, (to->minor - from->minor + 3) *
					     sizeof(*k->verified));
	if (!k->targets || !k->verified)
		return -1;
	if (patch_first) {
		if (!plan_newest_patch(c, from->minor, &p, &v))
			return -1;
		k->targets[n] = plan_ver_make(from->minor, p);
		k->verified[n++] = v;
	}
	for (m = from->minor + 1; m < to->minor; m++) {
		if (!plan_newest_patch(c, m, &p, &v)) {
			fill[0] = "target";
			fill[1] = arena_printf(c->a, "1.%u", m);
			fill[2] = "compiled";
			fill[3] = "";
			if (!fill[1])
				return -1;
			return plan_refuse(c, "plan-target-unknown", "cluster",
					   fill, 2, NULL, 0);
		}
		k->targets[n] = plan_ver_make(m, p);
		k->verified[n++] = v;
	}
	if (plan_ver_cmp(to, from) > 0) {
		k->targets[n] = *to;
		k->verified[n++] = to_verified;
	}
	k->ntargets = n;
	return PLAN_OK;
}

static const char *
path_text(struct plan_ctx *c, const struct cand *k)
{
	struct buf b = BUF_INIT;
	const struct plan_ver *f = &c->plan->from;
	const char *out;
	size_t i;

	buf_addf(&b, "%u.%u.%u", f->major, f->minor, f->patch);
	for (i = 0; i < k->ntargets; i++)
		buf_addf(&b, " -> %u.%u.%u", k->targets[i].major,
			 k->targets[i].minor, k->targets[i].patch);
	out = b.oom ? NULL : arena_strdup(c->a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

/* The refusal of a candidate no catch-up can make valid. */
static int
refuse_fail(struct plan_ctx *c, const struct cand *k)
{
	const struct failure *f = &k->fail;
	const struct node *n = NULL;
	const char *fill[12];
	struct src_loc ev[2];
	size_t nev = 0, i;

	for (i = 0; i < c->cs->nodes.n; i++)
		if (!strcmp(c->cs->nodes.v[i].name,
			    c->plan->nodes[f->node].name))
			n = &c->cs->nodes.v[i];
	fill[0] = "node";
	fill[1] = c->plan->nodes[f->node].name;
	fill[2] = "version";
	fill[3] = plan_ver_str(c->a, &f->kubelet);
	fill[4] = "cluster";
	fill[5] = plan_ver_str(c->a, &f->cluster);
	fill[6] = "minor";
	fill[7] = arena_printf(c->a, "%u.%u", f->cluster.major,
			       f->cluster.minor);
	fill[8] = "skew";
	fill[9] = arena_printf(c->a, "%d", f->skew);
	fill[10] = "lag";
	fill[11] = arena_printf(c->a, "%d", (int)f->cluster.minor -
						   (int)f->kubelet.minor);
	for (i = 1; i < 12; i += 2)
		if (!fill[i])
			return -1;
	if (n && n->loc.path)
		ev[nev++] = n->loc;
	if (f->loc.path)
		ev[nev++] = f->loc;
	return plan_refuse(c, "plan-catch-up-impossible", fill[1], fill, 6,
			   ev, nev);
}

/* Copies the chosen candidate's hops into the plan. */
static int
take(struct plan_ctx *c, const struct cand *k)
{
	size_t i;

	for (i = 0; i < k->nhops; i++) {
		struct plan_hop *h = vec_push(&c->plan->hops);

		if (!h)
			return -1;
		*h = k->hops[i];
	}
	return 0;
}

/* The info finding that says why this path. */
static int
explain(struct plan_ctx *c, const struct cand *k, const struct cand *alt,
	bool forced)
{
	const char *fill[8];
	const char *reason;

	if (!alt && !k->why)
		return 0;
	if (!alt)
		reason = "";
	else if (forced)
		reason = "; --patch-first asked for the newest patch of the "
			 "running minor first";
	else if (!alt->ok)
		reason = arena_printf(c->a, "; the path %s is not possible: "
				      "kubelet on '%s' at %u.%u.%u cannot be "
				      "brought up to %u.%u.%u by kubeadm %u.%u",
				      path_text(c, alt),
				      c->plan->nodes[alt->fail.node].name,
				      alt->fail.kubelet.major,
				      alt->fail.kubelet.minor,
				      alt->fail.kubelet.patch,
				      alt->fail.cluster.major,
				      alt->fail.cluster.minor,
				      alt->fail.cluster.patch,
				      alt->fail.cluster.major,
				      alt->fail.cluster.minor);
	else
		reason = arena_printf(c->a, "; the path %s would take %zu "
				      "drain%s and %zu steps (the skew policy "
				      "recommends the newest patch first but "
				      "does not require it; --patch-first "
				      "takes it)", path_text(c, alt),
				      alt->drains, alt->drains == 1 ? "" : "s",
				      alt->steps);
	fill[0] = "path";
	fill[1] = path_text(c, k);
	fill[2] = "drains";
	fill[3] = arena_printf(c->a, "%zu", k->drains);
	fill[4] = "reason";
	fill[5] = reason;
	fill[6] = "catchup";
	fill[7] = k->why ? arena_printf(c->a, "; hop 1 %s", k->why) : "";
	if (!fill[1] || !fill[3] || !reason || !fill[7])
		return -1;
	{
		const struct rule *r = plan_rule(c, "plan-path");

		if (!r)
			return -1;
		return plan_finding(c->plan, c->a, r, "cluster", fill, 4, NULL,
				    0);
	}
}

/* The candidates to the target under a strategy, and the one picked. */
struct choice {
	struct cand direct, first, *pick, *alt;
	bool forced;
};

/* Builds the candidates and picks one. PLAN_OK, a refusal or -1. */
static int
choose(struct plan_ctx *c, const struct plan_ver *from,
       const struct plan_ver *to, bool verified, bool fewest,
       struct choice *ch)
{
	struct plan_ver p;
	unsigned patch;
	bool pv;
	int rc;

	memset(ch, 0, sizeof(*ch));
	ch->direct.fewest = ch->first.fewest = fewest;
	if ((rc = targets(c, &ch->direct, from, to, verified, false)) !=
	    PLAN_OK)
		return rc;
	if (to->minor > from->minor &&
	    plan_newest_patch(c, from->minor, &patch, &pv) &&
	    (p = plan_ver_make(from->minor, patch), plan_ver_cmp(&p, from) > 0)) {
		if ((rc = targets(c, &ch->first, from, to, verified, true)) !=
		    PLAN_OK)
			return rc;
		if (run(c, &ch->first) < 0)
			return -1;
		ch->alt = &ch->first;
	}
	if (run(c, &ch->direct) < 0)
		return -1;
	ch->pick = &ch->direct;
	if (ch->alt && c->opt->patch_first) {
		ch->pick = &ch->first;
		ch->alt = &ch->direct;
		ch->forced = true;
	} else if (ch->alt && ch->alt->ok &&
		   (!ch->direct.ok || ch->alt->drains < ch->direct.drains ||
		    (ch->alt->drains == ch->direct.drains &&
		     ch->alt->steps < ch->direct.steps))) {
		ch->pick = &ch->first;
		ch->alt = &ch->direct;
	}
	return PLAN_OK;
}

int
plan_path(struct plan_ctx *c)
{
	struct plan_ver from = c->plan->from, to;
	struct choice ch, dflt;
	struct cand *pick;
	bool verified;
	bool fewest = c->opt->strategy == PLAN_STRATEGY_FEWEST_DRAINS;
	const char *fill[4];
	int rc;

	rc = plan_resolve_target(c, &to, &verified);
	if (rc != PLAN_OK)
		return rc;
	c->plan->to = to;
	c->plan->strategy = c->opt->strategy;
	if (plan_ver_cmp(&to, &from) < 0) {
		fill[0] = "target";
		fill[1] = plan_ver_str(c->a, &to);
		fill[2] = "version";
		fill[3] = plan_ver_str(c->a, &from);
		if (!fill[1] || !fill[3])
			return -1;
		return plan_refuse(c, "plan-target-older", "cluster", fill, 2,
				   &c->cs->server.loc, 1);
	}
	if ((rc = plan_target_warnings(c, verified)) < 0)
		return -1;
	if ((rc = choose(c, &from, &to, verified, fewest, &ch)) != PLAN_OK)
		return rc;
	pick = ch.pick;
	/*
	 * A snapshot that breaks the skew policy and cannot be planned is
	 * refused for that breakage (the simulation of no steps says it).
	 */
	if (!pick->ok && (rc = plan_simulate(c->db, c->a, c->plan)) != PLAN_OK)
		return rc;
	if (!pick->ok)
		return refuse_fail(c, pick);
	c->plan->drains = c->plan->drains_default = pick->drains;
	if (fewest) {
		/* What the default strategy would drain, for the saving. */
		if ((rc = choose(c, &from, &to, verified, false, &dflt)) !=
		    PLAN_OK)
			return rc;
		if (dflt.pick->ok)
			c->plan->drains_default = dflt.pick->drains;
		if (plan_strategy_findings(c, pick->targets, pick->ntargets) < 0)
			return -1;
	}
	if (take(c, pick) < 0 || explain(c, pick, ch.alt, ch.forced) < 0)
		return -1;
	if (pick->nhops == 0) {
		const struct rule *r = plan_rule(c, "plan-nothing-to-do");

		/* Nothing to do, unless the cluster breaks the policy. */
		if ((rc = plan_simulate(c->db, c->a, c->plan)) != PLAN_OK)
			return rc;
		fill[0] = "version";
		fill[1] = plan_ver_str(c->a, &to);
		if (!r || !fill[1] ||
		    plan_finding(c->plan, c->a, r, "cluster", fill, 1, NULL,
				 0) < 0)
			return -1;
	}
	return PLAN_OK;
}
