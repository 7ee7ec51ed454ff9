/*
 * strategy.c - `--strategy fewest-drains`: what it may do, and what it
 * says about the plan it gets.
 *
 * From control planes at 1.28 a kubelet may be three minors older than
 * kube-apiserver (KEP-3935; rules/data/skew.yaml), and kubeadm from 1.29
 * accepts and manages kubelets three minors older than itself
 * (MaximumAllowedMinorVersionKubeletSkew in
 * cmd/kubeadm/app/phases/upgrade/policy.go, kubernetes/kubernetes PR
 * 120825; rules/data/kubeadm.yaml kubelet_skew). So a worker need not be
 * drained at every hop. What kubeadm and the packages allow when it skips:
 *
 *  - `kubeadm upgrade node` on a worker only runs its preflight phase (the
 *    root check; images are pulled on control-plane nodes only) and writes
 *    the kubelet configuration of the cluster's kubelet-config ConfigMap
 *    (cmd/kubeadm/app/cmd/phases/upgrade/node/preflight.go and
 *    kubeletconfig.go). Its code checks no version, but kubeadm's
 *    documented skew against kubeadm does: a node is upgraded with kubeadm
 *    of the same minor as the kubeadm that last managed it or one newer
 *    ("kubeadm's skew against kubeadm", create-cluster-kubeadm.md). So the
 *    worker still gets kubeadm and `kubeadm upgrade node` at every hop,
 *    one minor at a time; that needs no drain (kubeadm's "Upgrading Linux
 *    nodes" drains after `kubeadm upgrade node`).
 *  - What waits is the kubelet package and its restart, the only part
 *    that needs the drain. It waits while the next `kubeadm upgrade apply`
 *    accepts the kubelet and the skew policy holds under the next
 *    kube-apiserver (plan_kubelet_may_wait), and at the last hop always
 *    catches up. The kubelet then goes from its minor straight to the
 *    cluster's: pkgs.k8s.io serves one minor per repository
 *    (core:/stable:/v1.XX), and the node is on the cluster's repository
 *    already, switched at every hop for kubeadm. The packages allow the
 *    jump: kubeadm up to 1.29 requires only kubelet >= 1.19.0, from 1.30
 *    nothing of the kubelet; the kubelet requires no earlier kubelet
 *    (kubernetes/release cmd/krel/templates/latest/metadata.yaml).
 *  - Control-plane nodes keep the documented procedure: their kubelets
 *    follow every hop.
 *
 * The simulation (simulate.c) proves every plan as it proves the default.
 */
#include <string.h>

#include "internal.h"

static const char *const names[] = {"default", "fewest-drains"};

const char *
plan_strategy_name(enum plan_strategy s)
{
	return (size_t)s < ARRAY_SIZE(names) ? names[s] : NULL;
}

bool
plan_strategy_parse(const char *s, enum plan_strategy *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			*out = (enum plan_strategy)i;
			return true;
		}
	return false;
}

/* Why no drain can be saved on this path (arena). */
static const char *
why_none(struct plan_ctx *c, const struct plan_ver *targets, size_t n)
{
	struct src_loc loc;
	int skew = -1, s;
	size_t i;

	if (c->ncp == c->plan->nnodes)
		return "the cluster has no worker node, and control-plane "
		       "kubelets follow every hop";
	if (n < 2)
		return "the path has a single 'kubeadm upgrade apply', so no "
		       "kubelet has a hop to wait through";
	for (i = 1; i < n; i++) {
		s = rules_kubeadm_kubelet_skew(c->db, targets[i].minor, &loc);
		if (s > skew)
			skew = s;
	}
	if (skew <= 1)
		return arena_printf(c->a, "kubeadm %u.%u accepts kubelets at "
				    "most %d minor version older than its "
				    "target (MaximumAllowedMinorVersionKubeletSkew"
				    " in cmd/kubeadm/app/phases/upgrade/"
				    "policy.go; 3 only from kubeadm 1.29, "
				    "kubernetes/kubernetes PR 120825), so every "
				    "worker's kubelet must follow each hop",
				    targets[n - 1].major, targets[n - 1].minor,
				    skew < 0 ? 1 : skew);
	return "every worker's kubelet is already as far behind as kubeadm "
	       "and the skew policy allow at the next hop";
}

int
plan_strategy_findings(struct plan_ctx *c, const struct plan_ver *targets,
		       size_t ntargets)
{
	const struct plan *p = c->plan;
	const char *fill[8];
	const struct rule *r;
	size_t saved = p->drains_default > p->drains
			       ? p->drains_default - p->drains
			       : 0;

	fill[0] = "strategy";
	fill[1] = plan_strategy_name(p->strategy);
	fill[2] = "drains";
	fill[3] = arena_printf(c->a, "%zu", p->drains);
	fill[4] = "saved";
	fill[5] = arena_printf(c->a, "%zu", saved);
	fill[6] = "reason";
	fill[7] = saved ? "" : why_none(c, targets, ntargets);
	if (!fill[3] || !fill[5] || !fill[7])
		return -1;
	r = plan_rule(c, saved ? "plan-drains-saved" : "plan-strategy-refused");
	if (!r)
		return -1;
	return plan_finding(c->plan, c->a, r, "cluster", fill, 4, NULL, 0);
}
