/*
 * steps.c - the steps of each hop in the order of kubeadm's upgrade guide
 * (https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/):
 * repository switch, etcd backup, the first control-plane node (kubeadm,
 * upgrade plan, upgrade apply), the other control-plane nodes (kubeadm,
 * upgrade node), each control-plane kubelet one at a time, the workers in
 * batches, and a closing check. Every name and version in a command was
 * checked before (hops.c); package versions come from the capture or are
 * pinned by patch with a wildcard. The package steps are in
 * steps_packages.c, the etcd backup in steps_etcd.c and what each command
 * prints, per kubeadm version, in steps_expect.c.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ------------------------------------------------------------ builder */

const char *const PLAN_KUBECTL = "from a workstation with kubectl";

static const char *const match_names[PM_COUNT] = {
	"exact", "contains", "regex", "manual",
};

const char *
plan_match_name(enum plan_match m)
{
	return m < PM_COUNT ? match_names[m] : "unknown";
}

const char *
plan_sb_str(struct plan_sb *b, const char *s)
{
	if (!s)
		b->failed = true;
	return s;
}

void
plan_sb_step(struct plan_sb *b, unsigned hop, int node, enum plan_action a,
	     const char *where, const char *title)
{
	struct plan_step *s;

	b->s = NULL;
	if (b->failed)
		return;
	s = vec_push(&b->c->plan->steps);
	if (!s) {
		b->failed = true;
		return;
	}
	s->hop = hop;
	s->node = node;
	s->action = a;
	s->where = plan_sb_str(b, where);
	s->title = plan_sb_str(b, title);
	b->s = s;
}

void
plan_sb_cmd(struct plan_sb *b, const char *text)
{
	if (!b->s || !plan_sb_str(b, text))
		return;
	if (b->s->ncommands == PLAN_MAX_COMMANDS)
		b->failed = true;	/* a step written with too many */
	else
		b->s->commands[b->s->ncommands++] = text;
}

void
plan_sb_check(struct plan_sb *b, enum plan_match match, const char *command,
	      const char *expect)
{
	struct plan_verify *v;

	if (!b->s || !plan_sb_str(b, command) || !plan_sb_str(b, expect))
		return;
	if (b->s->nverify == PLAN_MAX_VERIFY) {
		b->failed = true;
		return;
	}
	v = &b->s->verify[b->s->nverify++];
	v->command = command;
	v->expect = expect;
	v->match = match;
}

void
plan_sb_note(struct plan_sb *b, const char *text)
{
	if (!b->s || !plan_sb_str(b, text))
		return;
	if (b->s->nnotes == PLAN_MAX_NOTES)
		b->failed = true;
	else
		b->s->notes[b->s->nnotes++] = text;
}

/* ------------------------------------------------------------ text helpers */

const char *
plan_drop_sudo(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	const char *p, *out;

	if (!s)
		return NULL;
	for (p = s; *p;) {
		if (!strncmp(p, "sudo ", 5)) {
			p += 5;
			continue;
		}
		buf_addc(&b, *p++);
	}
	out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

const char *
plan_tmpl(struct arena *a, const char *t, const struct plan_ver *v,
	  const char *package)
{
	struct buf b = BUF_INIT;
	const char *p, *out;

	if (!t)
		return NULL;
	for (p = t; *p; p++) {
		if (!strncmp(p, "{minor}", 7)) {
			buf_addf(&b, "%u.%u", v->major, v->minor);
			p += 6;
		} else if (!strncmp(p, "{version}", 9)) {
			buf_addf(&b, "%u.%u.%u", v->major, v->minor, v->patch);
			p += 8;
		} else if (!strncmp(p, "{package}", 9)) {
			buf_adds(&b, package ? package : "");
			p += 8;
		} else {
			buf_addc(&b, *p);
		}
	}
	out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

/*
 * s as one shell word (esc_sh): every string that enters a runbook command
 * goes through here, even those checked by a pattern before.
 */
const char *
plan_shq(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	const char *out;

	if (!s)
		return NULL;
	esc_sh(&b, s, strlen(s));
	out = b.oom ? NULL : arena_strndup(a, buf_cstr(&b), b.len);
	buf_release(&b);
	return out;
}

const char *
plan_re_quote(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	const char *out;

	if (!s)
		return NULL;
	for (; *s; s++) {
		if (strchr("\\.[]()*+?{}|^$", *s))
			buf_addc(&b, '\\');
		buf_addc(&b, *s);
	}
	out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

const char *
plan_vtext(struct arena *a, const struct plan_ver *v)
{
	return v->set ? arena_printf(a, "v%u.%u.%u", v->major, v->minor,
				     v->patch)
		      : "unknown";
}

const char *
plan_root_on(struct plan_ctx *c, int node)
{
	return arena_printf(c->a, "on %s as root", c->plan->nodes[node].name);
}

const char *
plan_every_node(struct plan_ctx *c)
{
	struct buf b = BUF_INIT;
	const char *out;
	size_t i;

	buf_adds(&b, "on every node (");
	for (i = 0; i < c->plan->nnodes; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", c->plan->nodes[i].name);
	buf_adds(&b, ") as root");
	out = b.oom ? NULL : arena_strdup(c->a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

/* ------------------------------------------------------------ steps */

static void
upgrade_node(struct plan_sb *b, unsigned hn, const struct plan_hop *h, int n,
	     bool last_cp)
{
	struct plan_ctx *c = b->c;
	bool cp = c->plan->nodes[n].control_plane;

	plan_sb_step(b, hn, n, PA_KUBEADM_UPGRADE_NODE, plan_root_on(c, n),
		     arena_printf(c->a, cp ? "Upgrade the control-plane "
					     "instance on %s"
					   : "Upgrade the kubelet configuration "
					     "of %s",
				  c->plan->nodes[n].name));
	plan_sb_cmd(b, "kubeadm upgrade node");
	plan_sb_check(b, PM_CONTAINS, "kubeadm upgrade node",
		      plan_expect_upgrade_node(&h->to, cp));
	/* The last control-plane instance brings CoreDNS and kube-proxy. */
	if (cp && last_cp && plan_addons_wait_for_all(&h->to, c->ncp)) {
		plan_sb_note(b, "This is the last control-plane node: kubeadm "
			     "upgrades CoreDNS and kube-proxy now, not during "
			     "'kubeadm upgrade apply' (kubeadm 1.28 and "
			     "later wait for every control-plane instance).");
		plan_sb_check(b, PM_CONTAINS, "kubeadm upgrade node",
			      PLAN_EXPECT_ADDONS);
	}
}

/*
 * Appends to the drain step being written the blockers of nodes[0..n):
 * node's own (one node), or what the batch shares (n > 1). The analysis
 * is sorted by node; a node's blockers are found by bisection.
 */
static void
drain_blockers(struct plan_sb *b, const char *const *nodes, size_t n)
{
	struct plan_ctx *c = b->c;
	const struct drain_analysis *da = &c->drain;
	struct drain_analysis batch = {{NULL, 0, 0}, {NULL, 0, 0}, NULL};
	const struct drain_blocker *from = NULL;
	struct drain_blocker *out;
	size_t lo = 0, hi = da->blockers.n, k = 0, cnt = 0;

	if (!b->s || !c->plan->drain_known)
		return;
	if (n == 1) {
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(da->blockers.v[mid].node, nodes[0]) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		from = da->blockers.v + lo;
		while (lo + cnt < da->blockers.n &&
		       !strcmp(from[cnt].node, nodes[0]))
			cnt++;
	} else {
		if (rules_drain_batch(da, c->a, nodes, n, &batch) < 0) {
			b->failed = true;
			return;
		}
		from = batch.blockers.v;
		cnt = batch.blockers.n;
	}
	if (cnt) {
		size_t have = b->s->nblockers;

		out = arena_alloc(c->a, (have + cnt) * sizeof(*out));
		if (!out) {
			b->failed = true;
		} else {
			if (have)
				memcpy(out, b->s->blockers, have * sizeof(*out));
			for (k = 0; k < cnt; k++)
				out[have + k] = from[k];
			b->s->blockers = out;
			b->s->nblockers = have + cnt;
		}
	}
	rules_drain_release(&batch);
}

/* drain, kubelet and kubectl, restart, uncordon for the nodes of a batch. */
static void
kubelets(struct plan_sb *b, unsigned hn, const struct plan_hop *h,
	 const int *idx, size_t n)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *name = c->plan->nodes[idx[i]].name;

		plan_sb_step(b, hn, idx[i], PA_DRAIN, PLAN_KUBECTL,
			     arena_printf(a, "Drain %s", name));
		drain_blockers(b, &name, 1);
		/* The last drain of a batch takes what the batch shares. */
		if (i == n - 1 && n > 1) {
			const char **names = arena_alloc(a, n * sizeof(*names));
			size_t k;

			if (!names) {
				b->failed = true;
				return;
			}
			for (k = 0; k < n; k++)
				names[k] = c->plan->nodes[idx[k]].name;
			drain_blockers(b, names, n);
		}
		if (!c->drain_explained) {
			c->drain_explained = true;
			plan_sb_note(b, "--ignore-daemonsets: DaemonSet pods "
				     "(kube-proxy, the CNI agent) stay, their "
				     "controller would recreate them at once. "
				     "--delete-emptydir-data: pods with "
				     "emptyDir volumes are evicted and that "
				     "scratch data is lost, as on any "
				     "reschedule. --timeout=10m: give up "
				     "instead of waiting forever (kubespray's "
				     "drain task does the same).");
			plan_sb_note(b, "If drain stops at 'Cannot evict pod "
				     "as it would violate the pod's disruption "
				     "budget', find it with 'kubectl get pdb "
				     "-A' (ALLOWED DISRUPTIONS 0), scale the "
				     "workload up or wait for its pods to be "
				     "Ready elsewhere, then run the drain "
				     "again; do not delete the budget or use "
				     "--disable-eviction unless its owner "
				     "agrees.");
		}
		if (c->plan->initial.nodes[idx[i]].cordoned)
			plan_sb_note(b, arena_printf(a, "Warning: %s was "
						     "cordoned (SchedulingDisabled) "
						     "before this plan; the plan "
						     "upgrades it and leaves it "
						     "cordoned. Uncordon it yourself "
						     "once whatever it was cordoned "
						     "for is done.", name));
		plan_sb_cmd(b, arena_printf(a, "kubectl drain %s "
					    "--ignore-daemonsets "
					    "--delete-emptydir-data "
					    "--timeout=10m",
					    plan_shq(a, name)));
		plan_sb_check(b, PM_REGEX,
			      arena_printf(a, "kubectl get node %s", name),
			      plan_expect_node_row(c, idx[i],
						   "Ready,SchedulingDisabled",
						   h->before.nodes
						   ? &h->before.nodes[idx[i]].kubelet
						   : &h->from));
	}
	for (i = 0; i < n; i++) {
		const char *name = c->plan->nodes[idx[i]].name;

		plan_sb_step(b, hn, idx[i], PA_UPGRADE_KUBELET_KUBECTL,
			     plan_root_on(c, idx[i]),
			     arena_printf(a, "Upgrade kubelet and kubectl on %s",
					  name));
		plan_sb_cmd(b, plan_install_kubelet(c, h));
		plan_sb_check(b, PM_EXACT, "kubelet --version",
			      arena_printf(a, "Kubernetes %s",
					   plan_vtext(a, &h->to)));
	}
	for (i = 0; i < n; i++) {
		const char *name = c->plan->nodes[idx[i]].name;

		plan_sb_step(b, hn, idx[i], PA_RESTART_KUBELET,
			     plan_root_on(c, idx[i]),
			     arena_printf(a, "Restart kubelet on %s", name));
		plan_sb_cmd(b, "systemctl daemon-reload && systemctl restart "
			    "kubelet");
		/* Only systemctl: a worker has no kubeconfig for kubectl;
		 * the uncordon step and the closing table check the version. */
		plan_sb_check(b, PM_EXACT, "systemctl is-active kubelet",
			      "active");
	}
	for (i = 0; i < n; i++) {
		const char *name = c->plan->nodes[idx[i]].name;

		if (c->plan->initial.nodes[idx[i]].cordoned)
			continue;	/* it stays as the operator left it */
		plan_sb_step(b, hn, idx[i], PA_UNCORDON, PLAN_KUBECTL,
			     arena_printf(a, "Uncordon %s", name));
		plan_sb_cmd(b, arena_printf(a, "kubectl uncordon %s",
					    plan_shq(a, name)));
		plan_sb_check(b, PM_REGEX,
			      arena_printf(a, "kubectl get node %s", name),
			      plan_expect_node_row(c, idx[i], "Ready", &h->to));
	}
}

/* kubectl alone (the kubelet package stays at its version): no drain. */
static void
kubectl_only(struct plan_sb *b, unsigned hn, const struct plan_hop *h, int n)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;

	plan_sb_step(b, hn, n, PA_UPGRADE_KUBELET_KUBECTL, plan_root_on(c, n),
		     arena_printf(a, "Upgrade kubectl on %s",
				  c->plan->nodes[n].name));
	plan_sb_cmd(b, plan_install_kubelet(c, h));
	plan_sb_check(b, PM_REGEX, "kubectl version --client",
		      arena_printf(a, "^Client Version: %s$",
				   plan_re_quote(a, plan_vtext(a, &h->to))));
}

/* A node's name and its kubelet version at the end of a hop. */
struct name_ver {
	const char *name;
	const char *version;
};

static int
cmp_name(const void *x, const void *y)
{
	return strcmp(((const struct name_ver *)x)->name,
		      ((const struct name_ver *)y)->name);
}

/*
 * The closing checks: the server version, every node Ready and at the
 * version the hop leaves it at (the target, or its version before for a
 * node a catch-up hop does not touch). kubectl lists nodes in name order
 * (the apiserver's), so the expected output is sorted by name.
 */
static void
verify_hop(struct plan_sb *b, unsigned hn, const struct plan_hop *h,
	   const struct plan_state *before)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	struct name_ver *nv;
	const char **cells;
	size_t i;

	plan_sb_step(b, hn, -1, PA_VERIFY, PLAN_KUBECTL,
		     arena_printf(a, "Verify the cluster at %s",
				  plan_vtext(a, &h->to)));
	nv = arena_alloc(a, (c->plan->nnodes + 1) * sizeof(*nv));
	cells = arena_alloc(a, (c->plan->nnodes + 1) * 2 * sizeof(*cells));
	if (!nv || !cells) {
		b->failed = true;
		return;
	}
	for (i = 0; i < c->plan->nnodes; i++) {
		/* A kubelet this hop leaves (fewest-drains, or one already
		 * there) shows the version it had. */
		bool moved = h->work[i] & PLAN_WORK_KUBELET;

		nv[i].name = c->plan->nodes[i].name;
		nv[i].version = plan_vtext(a, moved ? &h->to
						    : &before->nodes[i].kubelet);
	}
	qsort(nv, c->plan->nnodes, sizeof(*nv), cmp_name);
	cells[0] = "NAME";
	cells[1] = "VERSION";
	for (i = 0; i < c->plan->nnodes; i++) {
		cells[(i + 1) * 2] = nv[i].name;
		cells[(i + 1) * 2 + 1] = nv[i].version;
	}
	plan_sb_cmd(b, "kubectl version");
	plan_sb_cmd(b, "kubectl get nodes");
	plan_sb_check(b, PM_REGEX, "kubectl version",
		      plan_expect_server_version(c, &h->to));
	plan_sb_check(b, PM_EXACT, PLAN_WAIT_READY, plan_expect_nodes_ready(c));
	plan_sb_check(b, PM_EXACT,
		      "kubectl get nodes -o custom-columns="
		      "NAME:.metadata.name,VERSION:.status.nodeInfo."
		      "kubeletVersion",
		      plan_table(a, cells, c->plan->nnodes + 1, 2));
}

/* The last control-plane node that runs `kubeadm upgrade node` in h. */
static size_t
last_upgrade_node(struct plan_ctx *c, const struct plan_hop *h)
{
	size_t i, last = 0;

	for (i = 1; i < c->ncp; i++)
		if (h->work[i] & PLAN_WORK_NODE)
			last = i;
	return last;
}

static void
apply_steps(struct plan_sb *b, unsigned hn, const struct plan_hop *h,
	    const struct plan_state *before)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	enum plan_match m;
	const char *images;

	plan_step_upgrade_kubeadm(b, hn, h, 0);
	plan_sb_step(b, hn, 0, PA_KUBEADM_UPGRADE_PLAN, plan_root_on(c, 0),
		     "Check the upgrade plan");
	plan_sb_cmd(b, "kubeadm upgrade plan");
	if (before->etcd && before->coredns &&
	    plan_default_etcd(c->db, &h->to) &&
	    plan_default_coredns(c->db, &h->to)) {
		plan_sb_check(b, PM_CONTAINS, "kubeadm upgrade plan",
			      plan_expect_upgrade_plan(c, h, before));
	} else {
		/*
		 * The rules data does not know an etcd or CoreDNS tag of this
		 * hop, so the tables cannot be checked as text (their column
		 * widths depend on it): the last lines are exact, the tables
		 * are for a person to compare.
		 */
		plan_sb_check(b, PM_CONTAINS, "kubeadm upgrade plan",
			      arena_printf(a, "You can now apply the upgrade "
					   "by executing the following "
					   "command:\n\n\tkubeadm upgrade "
					   "apply %s", plan_vtext(a, &h->to)));
		plan_sb_check(b, PM_MANUAL, "kubeadm upgrade plan",
			      arena_printf(a, "tables like these, where "
					   "'unknown' and '...' are etcd and "
					   "CoreDNS tags the rules data does "
					   "not know for this version:\n%s",
					   plan_expect_upgrade_plan(c, h,
								    before)));
	}

	plan_step_migrate_apis(b, hn, h);
	plan_step_upgrade_addons(b, hn, h);
	if (plan_hop_moves_etcd_to_36(c, h, before))
		plan_step_prepare_etcd(b, hn, h, before, 0);
	plan_sb_step(b, hn, 0, PA_KUBEADM_UPGRADE_APPLY, plan_root_on(c, 0),
		     arena_printf(a, "Upgrade the control plane to %s",
				  plan_vtext(a, &h->to)));
	plan_sb_cmd(b, arena_printf(a, "kubeadm upgrade apply %s",
				    plan_vtext(a, &h->to)));
	plan_sb_check(b, PM_CONTAINS,
		      arena_printf(a, "kubeadm upgrade apply %s",
				   plan_vtext(a, &h->to)),
		      plan_expect_apply_success(c, &h->to));
	if (plan_addons_wait_for_all(&h->to, c->ncp)) {
		plan_sb_note(b, "kubeadm leaves CoreDNS and kube-proxy at "
			     "their old versions until the last control-plane "
			     "node has run 'kubeadm upgrade node'.");
		plan_sb_check(b, PM_REGEX,
			      arena_printf(a, "kubeadm upgrade apply %s",
					   plan_vtext(a, &h->to)),
			      plan_expect_addon_skip(&h->to));
	}
	images = plan_expect_cp_images(c, h, before, &m);
	plan_sb_check(b, m,
		      arena_printf(a, "kubectl -n kube-system get pods -l "
				   "tier=control-plane --field-selector "
				   "spec.nodeName=%s -o jsonpath='{range "
				   ".items[*]}{.spec.containers[0].image}"
				   "{\"\\n\"}{end}'", c->plan->nodes[0].name),
		      images);
}

static void
hop_steps(struct plan_sb *b, unsigned hn, const struct plan_hop *h,
	  const struct plan_state *before)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	size_t i, nw, last_cp = last_upgrade_node(c, h);
	size_t batch = c->opt->max_unavailable ? c->opt->max_unavailable : 1;
	int *idx;

	if (h->apply)
		plan_step_node_prereqs(b, hn, h);
	if (h->switch_repo)
		plan_step_switch_repo(b, hn, h);
	/* A catch-up hop without control-plane work changes no etcd data. */
	for (i = 0; !h->apply && i < c->ncp; i++)
		if (h->work[i] & PLAN_WORK_NODE)
			break;
	if (h->apply || i < c->ncp)
		plan_step_backup_etcd(b, hn, h, before);
	if (h->apply)
		apply_steps(b, hn, h, before);

	/* The other control-plane nodes (all of them in a catch-up hop). */
	for (i = h->apply ? 1 : 0; i < c->ncp; i++) {
		if (h->work[i] & PLAN_WORK_KUBEADM)
			plan_step_upgrade_kubeadm(b, hn, h, (int)i);
		if (!(h->work[i] & PLAN_WORK_NODE))
			continue;
		if (plan_hop_moves_etcd_to_36(c, h, before))
			plan_step_prepare_etcd(b, hn, h, before, (int)i);
		upgrade_node(b, hn, h, (int)i, i == last_cp);
	}
	/* The network plugin, once the control plane runs the new minor. */
	if (h->apply && h->from.minor < h->to.minor)
		plan_step_cni(b, hn, h);
	for (i = 0; i < c->ncp; i++) {
		int n = (int)i;

		if (h->work[i] & PLAN_WORK_KUBELET)
			kubelets(b, hn, h, &n, 1);
		else if (h->work[i] & PLAN_WORK_KUBECTL)
			kubectl_only(b, hn, h, n);
	}
	/* The workers this hop touches, in batches. */
	idx = arena_alloc(a, (c->plan->nnodes + 1) * sizeof(*idx));
	if (!idx) {
		b->failed = true;
		return;
	}
	for (nw = 0, i = c->ncp; i < c->plan->nnodes; i++)
		if (h->work[i])
			idx[nw++] = (int)i;
	for (i = 0; i < nw; i += batch) {
		size_t k, n = nw - i < batch ? nw - i : batch, nk = 0;
		int *bi = idx + i;

		for (k = 0; k < n; k++)
			if (h->work[bi[k]] & PLAN_WORK_KUBEADM)
				plan_step_upgrade_kubeadm(b, hn, h, bi[k]);
		for (k = 0; k < n; k++)
			if (h->work[bi[k]] & PLAN_WORK_NODE)
				upgrade_node(b, hn, h, bi[k], false);
		for (k = 0; k < n; k++)
			if (h->work[bi[k]] & PLAN_WORK_KUBELET)
				bi[nk++] = bi[k];
		kubelets(b, hn, h, bi, nk);
	}
	verify_hop(b, hn, h, before);
	plan_step_recovery(b, hn, h, before);
}


/*
 * The state before each hop, for `kubeadm upgrade plan`: the initial state
 * with every version moved to the previous hop's target (the simulation
 * proves this afterwards).
 */
static int
state_before(struct plan_ctx *c, size_t hop, struct plan_state *st)
{
	const struct plan_state *init = &c->plan->initial;
	size_t i;

	if (c->plan->hops.v[hop].before.nodes) {
		*st = c->plan->hops.v[hop].before;
		return 0;
	}
	*st = *init;
	if (hop == 0)
		return 0;
	st->nodes = arena_alloc(c->a, (c->plan->nnodes + 1) * sizeof(*st->nodes));
	if (!st->nodes)
		return -1;
	memcpy(st->nodes, init->nodes, c->plan->nnodes * sizeof(*st->nodes));
	{
		const struct plan_ver *v = &c->plan->hops.v[hop - 1].to;

		for (i = 0; i < c->plan->nnodes; i++) {
			st->nodes[i].kubelet = *v;
			if (c->plan->nodes[i].control_plane)
				st->nodes[i].apiserver =
					st->nodes[i].controller_manager =
					st->nodes[i].scheduler = *v;
		}
		st->cluster = st->kube_proxy = *v;
		st->coredns = plan_default_coredns(c->db, v);
		if (plan_default_etcd(c->db, v))
			st->etcd = plan_default_etcd(c->db, v);
	}
	return 0;
}

int
plan_steps(struct plan_ctx *c)
{
	struct plan_sb b = {c, NULL, false};
	struct plan_state before;
	unsigned last = 0, n = 0;
	size_t i;

	if (plan_addons_init(c) < 0)
		return -1;
	for (i = 0; i < c->plan->hops.n && !b.failed; i++) {
		if (state_before(c, i, &before) < 0)
			return -1;
		hop_steps(&b, (unsigned)i + 1, &c->plan->hops.v[i], &before);
	}
	if (b.failed)
		return -1;
	for (i = 0; i < c->plan->steps.n; i++) {
		struct plan_step *s = &c->plan->steps.v[i];

		n = s->hop == last ? n + 1 : 1;
		last = s->hop;
		s->id = arena_printf(c->a, "%u.%u", s->hop, n);
		if (!s->id)
			return -1;
	}
	return 0;
}
