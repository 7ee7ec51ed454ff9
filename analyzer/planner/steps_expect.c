/*
 * steps_expect.c - what kubeadm and kubectl print, as the runbook's checks
 * expect it, per version. Each block names the source it was taken from.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Renders rows of ncol cells the way Go's text/tabwriter does with
 * kubectl's settings (k8s.io/cli-runtime printers.GetNewTabWriter:
 * minwidth 6, padding 3): a cell is padded to its column's widest cell
 * plus 3, and never to less than minwidth; the last cell of a row is not
 * padded, and no line ends in a blank.
 */
static const char *
table_w(struct arena *a, const char *const *cells, size_t nrows, size_t ncol,
	size_t minwidth)
{
	size_t w[8] = {0}, r, k, len;
	struct buf b = BUF_INIT;
	const char *out;

	if (ncol > 8)
		return NULL;
	for (r = 0; r < nrows; r++)
		for (k = 0; k < ncol; k++) {
			if (!cells[r * ncol + k])
				return NULL;	/* a cell ran out of memory */
			if ((len = strlen(cells[r * ncol + k]) + 3) > w[k])
				w[k] = len;
		}
	for (k = 0; k < ncol; k++)
		if (w[k] < minwidth)
			w[k] = minwidth;
	for (r = 0; r < nrows; r++) {
		if (r)
			buf_addc(&b, '\n');
		for (k = 0; k < ncol; k++) {
			const char *cell = cells[r * ncol + k];

			if (k + 1 < ncol)
				buf_addf(&b, "%-*s", (int)w[k], cell);
			else
				buf_adds(&b, cell);
		}
		while (b.len && b.s[b.len - 1] == ' ')
			b.s[--b.len] = '\0';
	}
	out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

const char *
plan_table(struct arena *a, const char *const *cells, size_t nrows,
	   size_t ncol)
{
	return table_w(a, cells, nrows, ncol, 6);
}

/*
 * One row of `kubectl get node NAME`: NAME STATUS ROLES AGE VERSION. ROLES
 * and AGE vary (role labels, time), so they match any word.
 */
const char *
plan_expect_node_row(struct plan_ctx *c, int node, const char *status,
		     const struct plan_ver *v)
{
	struct arena *a = c->a;

	return arena_printf(a, "^%s +%s +[^ ]+ +[^ ]+ +%s$",
			    plan_re_quote(a, c->plan->nodes[node].name),
			    plan_re_quote(a, status),
			    plan_re_quote(a, plan_vtext(a, v)));
}

/*
 * The server line of `kubectl version`: "Server Version: v1.28.15" from
 * kubectl 1.28 (which dropped --short and made it the default), the
 * version.Info{...} struct before. The client line is the workstation's
 * own kubectl and is not checked.
 */
const char *
plan_expect_server_version(struct plan_ctx *c, const struct plan_ver *v)
{
	if (v->minor >= 28)
		return arena_printf(c->a, "^Server Version: v%u\\.%u\\.%u$",
				    v->major, v->minor, v->patch);
	return arena_printf(c->a, "^Server Version: version\\.Info\\{"
			    "Major:\"%u\", Minor:\"%u\", GitVersion:\"v%u\\.%u"
			    "\\.%u\",", v->major, v->minor, v->major, v->minor,
			    v->patch);
}

/* The image registry kubeadm uses by default for v. */
static const char *
registry_of(struct plan_ctx *c, const struct plan_ver *v)
{
	size_t i, j;

	for (i = 0; i < c->db->kubeadm.defaults.n; i++) {
		const struct kubeadm_default *k = &c->db->kubeadm.defaults.v[i];
		const char *repo = k->image_repository;

		if (k->minor != v->minor)
			continue;
		for (j = 0; j < k->nrepo_by_patch; j++)
			if (k->repo_by_patch[j].since_patch <= v->patch)
				repo = k->repo_by_patch[j].value;
		return repo;
	}
	return "registry.k8s.io";
}

/*
 * The control-plane images of the first node after the apply, in pod name
 * order (etcd, kube-apiserver, kube-controller-manager, kube-scheduler).
 * Exact when the etcd default is known, else the etcd line is left open.
 * The etcd image is the newer of the running one and the default: kubeadm
 * skips an etcd downgrade (plan_etcd_after).
 */
const char *
plan_expect_cp_images(struct plan_ctx *c, const struct plan_hop *h,
		      const struct plan_state *before, enum plan_match *match)
{
	struct arena *a = c->a;
	const char *reg = registry_of(c, &h->to);
	const char *want = plan_default_etcd(c->db, &h->to);
	const char *etcd = want ? plan_etcd_after(before->etcd, want) : NULL;
	const char *to = plan_vtext(a, &h->to);

	/* Unknown etcd default: the three other lines, in order. */
	*match = etcd ? PM_EXACT : PM_CONTAINS;
	return arena_printf(a, "%s%s%s%s%s/kube-apiserver:%s\n"
			    "%s/kube-controller-manager:%s\n"
			    "%s/kube-scheduler:%s",
			    etcd ? reg : "", etcd ? "/etcd:" : "",
			    etcd ? etcd : "", etcd ? "\n" : "", reg, to,
			    reg, to, reg, to);
}

static int
cmp_node_name(const void *x, const void *y, const struct plan *p)
{
	return strcmp(p->nodes[*(const int *)x].name,
		      p->nodes[*(const int *)y].name);
}

/* Node indices in name order (the apiserver's list order); arena. */
static int *
by_name(struct plan_ctx *c, bool cp_only, size_t *n)
{
	int *idx = arena_alloc(c->a, (c->plan->nnodes + 1) * sizeof(*idx));
	size_t i, j, k = 0;

	if (!idx)
		return NULL;
	for (i = 0; i < c->plan->nnodes; i++) {
		if (cp_only && !c->plan->nodes[i].control_plane)
			continue;
		/* insertion sort: node counts are small next to the steps */
		for (j = k; j > 0 && cmp_node_name(&idx[j - 1], &(int){(int)i},
						   c->plan) > 0; j--)
			idx[j] = idx[j - 1];
		idx[j] = (int)i;
		k++;
	}
	*n = k;
	return idx;
}

/*
 * `kubeadm upgrade plan` from 1.30 (kubernetes/kubernetes PR 123578):
 * COMPONENT NODE CURRENT TARGET, one kubelet row per node not at the
 * target, kube-apiserver, kube-controller-manager, kube-scheduler and etcd
 * per control-plane node, kube-proxy and CoreDNS without a node, and
 * kube-proxy's current version without the "v". kubeadm's tabwriter has
 * minwidth 10 (a published 1.32.1 run shows "NODE      " padded to 10).
 */
static const char *
upgrade_plan_130(struct plan_ctx *c, const struct plan_hop *h,
		 const struct plan_state *st)
{
	struct arena *a = c->a;
	const char *target = plan_vtext(a, &h->to);
	const char *etcd_to = plan_default_etcd(c->db, &h->to);
	const char *dns_to = plan_default_coredns(c->db, &h->to);
	const char **k, **t;
	const char *t1, *t2, *series;
	size_t i, n, ncp, nk = 1, nt = 1, r;
	int *all = by_name(c, false, &n), *cps = by_name(c, true, &ncp);

	k = arena_alloc(a, (n + 1) * 4 * sizeof(*k));
	t = arena_alloc(a, (4 * ncp + 3) * 4 * sizeof(*t));
	if (!all || !cps || !k || !t)
		return NULL;
	k[0] = t[0] = "COMPONENT";
	k[1] = t[1] = "NODE";
	k[2] = t[2] = "CURRENT";
	k[3] = t[3] = "TARGET";
	for (i = 0; i < n; i++) {
		const struct plan_ver *v = &st->nodes[all[i]].kubelet;

		if (!plan_ver_cmp(v, &h->to))
			continue;
		k[nk * 4] = "kubelet";
		k[nk * 4 + 1] = c->plan->nodes[all[i]].name;
		k[nk * 4 + 2] = plan_vtext(a, v);
		k[nk * 4 + 3] = target;
		nk++;
	}
	for (r = 0; r < 5; r++) {
		static const char *const names[] = {
			"kube-apiserver", "kube-controller-manager",
			"kube-scheduler", "kube-proxy", "CoreDNS",
		};

		if (r == 3 || r == 4) {
			t[nt * 4] = names[r];
			t[nt * 4 + 1] = "";
			t[nt * 4 + 2] = r == 3 ? (st->kube_proxy.set
				? arena_printf(a, "%u.%u.%u", st->kube_proxy.major,
					       st->kube_proxy.minor,
					       st->kube_proxy.patch)
				: "unknown")
				: (st->coredns ? st->coredns : "unknown");
			t[nt * 4 + 3] = r == 3 ? target
					       : (dns_to ? dns_to : "...");
			nt++;
			continue;
		}
		for (i = 0; i < ncp; i++, nt++) {
			const struct plan_node_state *ns = &st->nodes[cps[i]];
			const struct plan_ver *v = r == 0 ? &ns->apiserver
						   : r == 1 ? &ns->controller_manager
							    : &ns->scheduler;

			t[nt * 4] = names[r];
			t[nt * 4 + 1] = c->plan->nodes[cps[i]].name;
			t[nt * 4 + 2] = plan_vtext(a, v);
			t[nt * 4 + 3] = target;
		}
	}
	for (i = 0; i < ncp; i++, nt++) {
		t[nt * 4] = "etcd";
		t[nt * 4 + 1] = c->plan->nodes[cps[i]].name;
		t[nt * 4 + 2] = st->etcd ? st->etcd : "unknown";
		t[nt * 4 + 3] = etcd_to ? etcd_to : "...";
	}
	t1 = table_w(a, k, nk, 4, 10);
	t2 = table_w(a, t, nt, 4, 10);
	series = h->from.minor == h->to.minor
			 ? arena_printf(a, "Upgrade to the latest version in "
					"the v%u.%u series:",
					h->to.major, h->to.minor)
			 : "Upgrade to the latest stable version:";
	if (!t1 || !t2 || !series)
		return NULL;
	return arena_printf(a,
			    "Components that must be upgraded manually after "
			    "you have upgraded the control plane with "
			    "'kubeadm upgrade apply':\n%s\n\n%s\n\n%s\n\n"
			    "You can now apply the upgrade by executing the "
			    "following command:\n\n\tkubeadm upgrade apply %s",
			    t1, series, t2, target);
}

/*
 * What `kubeadm upgrade plan` prints for the hop, from the state before
 * it: the kubelets still to upgrade and the control-plane components with
 * the etcd and CoreDNS defaults of the rules data. Before 1.30
 * (cmd/kubeadm/app/cmd/upgrade/plan.go): COMPONENT CURRENT TARGET, the
 * kubelets grouped by version ("3 x v1.26.1").
 */
const char *
plan_expect_upgrade_plan(struct plan_ctx *c, const struct plan_hop *h,
			 const struct plan_state *st)
{
	struct arena *a = c->a;
	const char *kubelets[64 * 3];
	const char *comps[7 * 3];
	const char *t1, *t2, *series, *target = plan_vtext(a, &h->to);
	size_t i, j, nk = 1;
	struct plan_ver seen[63];
	const char *names[63];
	size_t count[63], nseen = 0;
	const char *etcd_to = plan_default_etcd(c->db, &h->to);
	const char *dns_to = plan_default_coredns(c->db, &h->to);

	if (h->to.minor >= 30)
		return upgrade_plan_130(c, h, st);
	for (i = 0; i < c->plan->nnodes; i++) {
		const struct plan_ver *k = &st->nodes[i].kubelet;

		for (j = 0; j < nseen; j++)
			if (!plan_ver_cmp(&seen[j], k))
				break;
		if (j == nseen) {
			if (nseen == ARRAY_SIZE(seen))
				continue;
			seen[nseen] = *k;
			count[nseen++] = 0;
		}
		count[j]++;
	}
	kubelets[0] = "COMPONENT";
	kubelets[1] = "CURRENT";
	kubelets[2] = "TARGET";
	/*
	 * kubeadm sorts the versions as strings (sortedSliceFromStringIntMap,
	 * sort.Strings): "v1.28.10" comes before "v1.28.9".
	 */
	for (j = 0; j < nseen; j++)
		if (!(names[j] = plan_vtext(a, &seen[j])))
			return NULL;
	for (i = 1; i < nseen; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *v = names[j];
			size_t n = count[j];

			names[j] = names[j - 1];
			count[j] = count[j - 1];
			names[j - 1] = v;
			count[j - 1] = n;
		}
	for (j = 0; j < nseen; j++, nk++) {
		kubelets[nk * 3] = j ? "" : "kubelet";
		kubelets[nk * 3 + 1] = arena_printf(a, "%zu x %s", count[j],
						    names[j]);
		kubelets[nk * 3 + 2] = target;
	}
	t1 = table_w(a, kubelets, nk, 3, 10);
	comps[0] = "COMPONENT";
	comps[1] = "CURRENT";
	comps[2] = "TARGET";
	comps[3] = "kube-apiserver";
	comps[4] = plan_vtext(a, &st->cluster);
	comps[6] = "kube-controller-manager";
	comps[7] = comps[4];
	comps[9] = "kube-scheduler";
	comps[10] = comps[4];
	comps[12] = "kube-proxy";
	comps[13] = plan_vtext(a, &st->kube_proxy);
	comps[15] = "CoreDNS";
	comps[16] = st->coredns ? st->coredns : "unknown";
	comps[17] = dns_to ? dns_to : "...";
	comps[18] = "etcd";
	comps[19] = st->etcd ? st->etcd : "unknown";
	comps[20] = etcd_to ? etcd_to : "...";
	comps[5] = comps[8] = comps[11] = comps[14] = target;
	t2 = table_w(a, comps, 7, 3, 10);
	series = h->from.minor == h->to.minor
			 ? arena_printf(a, "Upgrade to the latest version in "
					"the v%u.%u series:",
					h->to.major, h->to.minor)
			 : "Upgrade to the latest stable version:";
	if (!t1 || !t2 || !target || !series)
		return NULL;
	return arena_printf(a,
			    "Components that must be upgraded manually after "
			    "you have upgraded the control plane with "
			    "'kubeadm upgrade apply':\n%s\n\n%s\n\n%s\n\n"
			    "You can now apply the upgrade by executing the "
			    "following command:\n\n\tkubeadm upgrade apply %s",
			    t1, series, t2, target);
}

/* ------------------------------------------------------------ messages */

/*
 * The line `kubeadm upgrade apply` ends with. kubeadm 1.32 split apply
 * into phases and changed it; both forms are in published runs (1.31 and
 * earlier: kubernetes/website content/en/docs/tasks/administer-cluster/
 * kubeadm/kubeadm-upgrade.md; 1.32.1, 1.32.4, 1.33.2, 1.36.1: published
 * `kubeadm upgrade apply` logs, see rules/README.md "Expected output").
 */
const char *
plan_expect_apply_success(struct plan_ctx *c, const struct plan_ver *to)
{
	const char *v = plan_vtext(c->a, to);

	if (to->minor >= 32)
		return arena_printf(c->a, "[upgrade] SUCCESS! A control plane "
				    "node of your cluster was upgraded to "
				    "\"%s\".", v);
	return arena_printf(c->a, "[upgrade/successful] SUCCESS! Your cluster "
			    "was upgraded to \"%s\". Enjoy!", v);
}

/*
 * From kubeadm 1.28 the addons (CoreDNS, kube-proxy) are upgraded only
 * when every control-plane instance runs the new kube-apiserver
 * (kubernetes/kubernetes PR 116570; the kubeadm-upgrade page's note from
 * kubernetes/website PR 41606). In an HA cluster the first `apply` prints
 * a skip line: "[upgrade/addons] skip upgrade addons because control plane
 * instances [...] have not been upgraded" in 1.28-1.31 (postupgrade.go),
 * "[upgrade/addon] Skipping upgrade of addons because ..." from the 1.32
 * phases (published runs; the exact tail is not checked).
 */
bool
plan_addons_wait_for_all(const struct plan_ver *to, size_t ncp)
{
	return ncp > 1 && to->minor >= 28;
}

const char *
plan_expect_addon_skip(const struct plan_ver *to)
{
	return to->minor >= 32
		       ? "^\\[upgrade/addons?\\] Skipping upgrade of addons"
		       : "^\\[upgrade/addons\\] skip upgrade addons because "
			 "control plane instances";
}

/*
 * What `kubeadm upgrade node` ends with. Up to 1.31 the control-plane and
 * kubelet-config steps print "[upgrade] The control plane instance for
 * this node was successfully updated!" and "[upgrade] The configuration
 * for this node was successfully updated!" (cmd/kubeadm/app/cmd/upgrade/
 * node.go; published 1.30.4 and 1.31.7 runs). From 1.32 the phases print
 * "[upgrade/kubelet-config] The kubelet configuration for this node was
 * successfully upgraded!" (cmd/kubeadm/app/cmd/phases/upgrade/node/
 * kubeletconfig.go; published 1.33 runs) on every node.
 */
const char *
plan_expect_upgrade_node(const struct plan_ver *to, bool control_plane)
{
	if (to->minor >= 32)
		return "[upgrade/kubelet-config] The kubelet configuration for "
		       "this node was successfully upgraded!";
	return control_plane
		       ? "[upgrade] The control plane instance for this node "
			 "was successfully updated!"
		       : "[upgrade] The configuration for this node was "
			 "successfully updated!";
}

/* The addon lines kubeadm prints when it applies them (addons.go). */
const char *const PLAN_EXPECT_ADDONS =
	"[addons] Applied essential addon: CoreDNS\n"
	"[addons] Applied essential addon: kube-proxy";
