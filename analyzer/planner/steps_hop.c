/*
 * steps_hop.c - the steps of a hop that kubeadm itself does not do: the
 * CNI plugin after the control plane of a minor hop, the "Considerations
 * when upgrading etcd" on a hop that moves etcd from 3.5 to 3.6, and the
 * recovery section that closes every hop.
 *
 * Source of the order and the wording: the kubeadm upgrade guide
 * (kubernetes/website content/en/docs/tasks/administer-cluster/kubeadm/
 * kubeadm-upgrade.md: "Upgrade the CNI provider plugin", "Considerations
 * when upgrading etcd", "Recovering from a failure state").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * CNI plugins recognised by the repository of their agent's image (the
 * last two path components, or the last one). The names, the DaemonSets
 * and the vendors' upgrade pages are what each project's install
 * manifests and documentation use; the table only names the plugin, no
 * policy follows from it.
 */
static const struct cni_kind {
	const char *repo;	/* image repository ends with this */
	const char *name;
	const char *docs;
} cni_kinds[] = {
	{"calico/node", "Calico",
	 "https://docs.tigera.io/calico/latest/operations/upgrading/"},
	{"cilium/cilium", "Cilium",
	 "https://docs.cilium.io/en/stable/operations/upgrade/"},
	{"flannel/flannel", "Flannel", "https://github.com/flannel-io/flannel"},
	{"coreos/flannel", "Flannel", "https://github.com/flannel-io/flannel"},
	{"mirrored-flannelcni-flannel", "Flannel",
	 "https://github.com/flannel-io/flannel"},
	{"weaveworks/weave-kube", "Weave Net",
	 "https://github.com/weaveworks/weave (archived in 2024: plan a "
	 "move to a maintained plugin)"},
	{"antrea/antrea-agent-ubuntu", "Antrea",
	 "https://antrea.io/docs/main/docs/versioning/"},
	{"antrea/antrea-ubuntu", "Antrea",
	 "https://antrea.io/docs/main/docs/versioning/"},
	{"cloudnativelabs/kube-router", "kube-router",
	 "https://github.com/cloudnativelabs/kube-router/blob/master/docs/"
	 "upgrading.md"},
};

/* What the snapshot shows of the CNI plugin. */
struct cni {
	const struct cni_kind *kind;	/* NULL: none recognised */
	const char *name;		/* "Calico", or "Canal" */
	const char *tag;		/* image tag; NULL if none */
	const char *image;		/* as captured */
	const char *ns, *daemonset;	/* NULL when not captured */
};

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix) &&
	       (n == m || s[n - m - 1] == '/');
}

/*
 * The DaemonSet of a DaemonSet pod: its name without the generated
 * "-xxxxx" suffix (five lowercase letters or digits); NULL otherwise.
 */
static const char *
daemonset_of(struct arena *a, const char *pod)
{
	size_t n = pod ? strlen(pod) : 0, i;

	if (n < 7 || pod[n - 6] != '-')
		return NULL;
	for (i = n - 5; i < n; i++)
		if (!((pod[i] >= 'a' && pod[i] <= 'z') ||
		      (pod[i] >= '0' && pod[i] <= '9')))
			return NULL;
	return arena_strndup(a, pod, n - 6);
}

static void
find_cni(struct plan_ctx *c, struct cni *out)
{
	size_t i, k;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < c->cs->images.n; i++) {
		const struct image *im = &c->cs->images.v[i];

		if (im->init || !im->ref->repository)
			continue;
		for (k = 0; k < ARRAY_SIZE(cni_kinds); k++)
			if (ends_with(im->ref->repository, cni_kinds[k].repo))
				break;
		if (k == ARRAY_SIZE(cni_kinds))
			continue;
		out->kind = &cni_kinds[k];
		out->name = cni_kinds[k].name;
		/* Canal: Calico's node agent in a pod named canal-... */
		if (im->pod && !strncmp(im->pod, "canal-", 6))
			out->name = "Canal";
		out->tag = im->ref->tag;
		out->image = im->ref->image;
		out->ns = im->namespace_;
		out->daemonset = daemonset_of(c->a, im->pod);
		return;
	}
}

/* `kubectl wait` over every node, in name order: the nodes are Ready. */
const char *
plan_expect_nodes_ready(struct plan_ctx *c)
{
	struct buf b = BUF_INIT;
	const char **names;
	const char *out;
	size_t i, j;

	names = arena_alloc(c->a, (c->plan->nnodes + 1) * sizeof(*names));
	if (!names)
		return NULL;
	for (i = 0; i < c->plan->nnodes; i++) {
		const char *n = c->plan->nodes[i].name;

		for (j = i; j > 0 && strcmp(names[j - 1], n) > 0; j--)
			names[j] = names[j - 1];
		names[j] = n;
	}
	for (i = 0; i < c->plan->nnodes; i++)
		buf_addf(&b, "%snode/%s condition met", i ? "\n" : "",
			 names[i]);
	out = b.oom ? NULL : arena_strdup(c->a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

const char *const PLAN_WAIT_READY =
	"kubectl wait --for=condition=Ready nodes --all --timeout=5m";

void
plan_step_cni(struct plan_sb *b, unsigned hn, const struct plan_hop *h)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	struct cni cni;
	const char *what;

	find_cni(c, &cni);
	what = cni.kind ? arena_printf(a, "%s%s%s", cni.name,
				       cni.tag ? " " : "",
				       cni.tag ? cni.tag : "")
			: "the CNI plugin";
	plan_sb_step(b, hn, -1, PA_UPGRADE_CNI, PLAN_KUBECTL,
		     arena_printf(a, "Upgrade %s for Kubernetes %u.%u", what,
				  h->to.major, h->to.minor));
	plan_sb_note(b, arena_printf(a, "kubeadm does not upgrade the network "
				     "plugin. Before the kubelets move to "
				     "%u.%u, check that %s supports it and "
				     "upgrade it as its vendor says (kubeadm "
				     "upgrade guide, 'Upgrade the CNI provider "
				     "plugin'); a DaemonSet plugin is upgraded "
				     "once, not per node.",
				     h->to.major, h->to.minor, what));
	if (cni.kind)
		plan_sb_note(b, arena_printf(a, "The snapshot shows %s (image "
					     "%s%s%s%s); upgrade guide: %s.",
					     cni.name, cni.image,
					     cni.daemonset ? ", DaemonSet " : "",
					     cni.daemonset ? cni.daemonset : "",
					     cni.ns && cni.daemonset
						     ? arena_printf(a, " in %s",
								    cni.ns)
						     : "",
					     cni.kind->docs));
	else
		plan_sb_note(b, "The snapshot shows none of Calico, Cilium, "
			     "Flannel, Weave Net, Antrea, Canal or kube-router "
			     "(no images of kube-system pods, or another "
			     "plugin): find yours on "
			     "https://kubernetes.io/docs/concepts/"
			     "cluster-administration/addons/.");
	if (cni.kind && cni.daemonset && cni.ns)
		plan_sb_check(b, PM_EXACT,
			      arena_printf(a, "kubectl -n %s rollout status "
					   "daemonset/%s --timeout=10m",
					   plan_shq(a, cni.ns),
					   plan_shq(a, cni.daemonset)),
			      arena_printf(a, "daemon set \"%s\" successfully "
					   "rolled out", cni.daemonset));
	/* A node whose network plugin is not ready reports NotReady. */
	plan_sb_check(b, PM_EXACT, PLAN_WAIT_READY, plan_expect_nodes_ready(c));
}

/* True when the etcd tag ("3.5.24-0") is 3.6 or later. */
bool
plan_etcd_is_36(const char *tag)
{
	unsigned ma = 0, mi = 0;

	if (!tag || sscanf(tag, "%u.%u", &ma, &mi) != 2)
		return false;
	return ma > 3 || (ma == 3 && mi >= 6);
}

bool
plan_hop_moves_etcd_to_36(struct plan_ctx *c, const struct plan_hop *h,
			  const struct plan_state *before)
{
	return before->etcd && !plan_etcd_is_36(before->etcd) &&
	       plan_etcd_is_36(plan_default_etcd(c->db, &h->to));
}

void
plan_step_prepare_etcd(struct plan_sb *b, unsigned hn,
		       const struct plan_hop *h,
		       const struct plan_state *before, int n)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;

	plan_sb_step(b, hn, n, PA_PREPARE_ETCD, plan_root_on(c, n),
		     arena_printf(a, "Let kube-apiserver on %s finish its "
				  "requests before etcd restarts",
				  c->plan->nodes[n].name));
	plan_sb_note(b, arena_printf(a, "This hop moves etcd from %s to %s "
				     "(3.5 to 3.6). kubeadm upgrade guide, "
				     "'Considerations when upgrading etcd': "
				     "kube-apiserver keeps running while etcd "
				     "restarts, so in-flight requests stall; "
				     "stop it gracefully a few seconds before "
				     "the kubeadm upgrade command (the kubelet "
				     "starts it again from its manifest).",
				     before->etcd,
				     plan_default_etcd(c->db, &h->to)));
	plan_sb_note(b, "etcd supports 3.5 to 3.6 only from 3.5.20 or later "
		     "(etcd blog, 2025-03-27, 'How to Prevent a Common "
		     "Failure when Upgrading etcd v3.5 to v3.6'): kubeadm "
		     "1.33 ships 3.5.21, so the previous hop's etcd is "
		     "enough; an etcd pinned older must move to 3.5.20+ "
		     "first.");
	plan_sb_cmd(b, "killall -s SIGTERM kube-apiserver");
	plan_sb_cmd(b, "sleep 20");
}

void
plan_step_recovery(struct plan_sb *b, unsigned hn, const struct plan_hop *h,
		   const struct plan_state *before)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	bool v36 = plan_etcd_is_36(before->etcd);

	plan_sb_step(b, hn, -1, PA_RECOVERY, plan_root_on(c, 0),
		     arena_printf(a, "If a step of hop %u fails", hn));
	plan_sb_note(b, "Re-run the step: 'kubeadm upgrade apply' and "
		     "'kubeadm upgrade node' are idempotent and bring the "
		     "node to the version asked; 'kubeadm upgrade apply "
		     "--force' with the version the cluster already runs "
		     "repairs a half-applied control plane (kubeadm upgrade "
		     "guide, 'Recovering from a failure state').");
	plan_sb_note(b, "kubeadm keeps its backups on each control-plane node "
		     "under /etc/kubernetes/tmp: kubeadm-backup-manifests-"
		     "DATE (the previous static pod manifests; copy them "
		     "back to /etc/kubernetes/manifests if the automatic "
		     "rollback did not) and kubeadm-backup-etcd-DATE (the "
		     "member's data before an etcd upgrade; restore it to "
		     "/var/lib/etcd).");
	plan_sb_note(b, arena_printf(a, "The snapshot of this hop restores "
				     "with 'etcdutl snapshot restore "
				     "/var/lib/etcd/etcd-before-v%u.%u.%u.db "
				     "--data-dir /var/lib/etcd-restore' "
				     "(etcd %s: %s; etcd disaster-recovery "
				     "guide), with etcd stopped (its manifest "
				     "moved out of /etc/kubernetes/manifests), "
				     "then the manifest's data directory "
				     "pointed at it; an HA cluster restores "
				     "every member from the same snapshot.",
				     h->to.major, h->to.minor, h->to.patch,
				     before->etcd ? before->etcd : "unknown",
				     v36 ? "etcdctl has no snapshot restore "
					   "in 3.6"
					 : "etcdctl snapshot restore is "
					   "deprecated since 3.5; the 3.5 "
					   "image has no etcdutl, use an "
					   "etcdutl binary of the same "
					   "version"));
	plan_sb_note(b, "kubeadm renews the certificates it manages on every "
		     "'upgrade apply' and 'upgrade node' (kubeadm-certs, "
		     "'Automatic certificate renewal'); add "
		     "--certificate-renewal=false to keep them, for example "
		     "when an external CA signs them.");
}
