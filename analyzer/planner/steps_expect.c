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
 */
const char *
plan_expect_cp_images(struct plan_ctx *c, const struct plan_hop *h,
		      const struct plan_state *before, enum plan_match *match)
{
	struct arena *a = c->a;
	const char *reg = registry_of(c, &h->to);
	const char *etcd = plan_default_etcd(c->db, &h->to);
	const char *to = plan_vtext(a, &h->to);

	if (!etcd)
		etcd = before->etcd;
	*match = etcd ? PM_EXACT : PM_CONTAINS;
	return arena_printf(a, "%s%s%s\n%s/kube-apiserver:%s\n"
			    "%s/kube-controller-manager:%s\n"
			    "%s/kube-scheduler:%s",
			    etcd ? reg : "...", etcd ? "/etcd:" : "",
			    etcd ? etcd : "", reg, to, reg, to, reg, to);
}

/*
 * What `kubeadm upgrade plan` prints for the hop, from the state before
 * it: the kubelets still to upgrade and the control-plane components with
 * the etcd and CoreDNS defaults of the rules data.
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
	size_t count[63], nseen = 0;
	const char *etcd_to = plan_default_etcd(c->db, &h->to);
	const char *dns_to = plan_default_coredns(c->db, &h->to);

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
	for (j = 0; j < nseen; j++, nk++) {
		kubelets[nk * 3] = j ? "" : "kubelet";
		kubelets[nk * 3 + 1] = arena_printf(a, "%zu x %s", count[j],
						    plan_vtext(a, &seen[j]));
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
	comps[17] = dns_to ? dns_to : "unknown";
	comps[18] = "etcd";
	comps[19] = st->etcd ? st->etcd : "unknown";
	comps[20] = etcd_to ? etcd_to : "unknown";
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
