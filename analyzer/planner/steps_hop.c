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
 * What the snapshot shows of the CNI plugin: the add-on of kind cni in
 * rules/data/addons.yaml that a kube-system pod's image names.
 */
struct cni {
	const struct addon *addon;	/* NULL: none recognised */
	const char *tag;		/* image tag; NULL if none */
	const char *image;		/* as captured */
	const char *ns, *daemonset;	/* NULL when not captured */
};

/*
 * The DaemonSet of a DaemonSet pod: its name without the generated
 * "-xxxxx" suffix (five lowercase letters or digits), or the name of a
 * DaemonSet template ("daemonset/calico-node", images_doc.c); NULL
 * otherwise.
 */
static const char *
daemonset_of(struct arena *a, const char *pod)
{
	size_t n = pod ? strlen(pod) : 0, i;

	if (n > 10 && !strncmp(pod, "daemonset/", 10))
		return arena_strdup(a, pod + 10);

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
	const struct addon *ad;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < c->cs->images.n; i++) {
		const struct image *im = &c->cs->images.v[i];

		if (im->init ||
		    !(ad = rules_addon_for_image(c->db, "cni",
						 im->ref->repository, im->pod)))
			continue;
		out->addon = ad;
		out->tag = im->ref->tag;
		out->image = im->ref->image;
		out->ns = im->namespace_;
		out->daemonset = daemonset_of(c->a, im->pod);
		return;
	}
}

/*
 * The names of the CNI add-ons of the rules data in file order, each once:
 * "Calico, Cilium, ... or kube-router" (arena; NULL when out of memory).
 */
static const char *
cni_names(struct plan_ctx *c)
{
	const struct rules_db *db = c->db;
	struct buf b = BUF_INIT;
	const char *out, *last = NULL;
	size_t i, j;

	for (i = 0; i < db->addons.n; i++) {
		const struct addon *ad = &db->addons.v[i];

		if (strcmp(ad->kind, "cni"))
			continue;
		for (j = 0; j < i; j++)
			if (!strcmp(db->addons.v[j].kind, "cni") &&
			    !strcmp(db->addons.v[j].name, ad->name))
				break;
		if (j < i)
			continue;
		if (last)
			buf_addf(&b, "%s%s", b.len ? ", " : "", last);
		last = ad->name;
	}
	if (last)
		buf_addf(&b, "%s%s", b.len ? " or " : "", last);
	out = b.oom ? NULL : arena_strdup(c->a, buf_cstr(&b));
	buf_release(&b);
	return out;
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
	const char *what, *support, *now;

	find_cni(c, &cni);
	if (cni.addon && (now = plan_addon_now(c, cni.addon)))
		cni.tag = now;
	what = cni.addon ? arena_printf(a, "%s%s%s", cni.addon->name,
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
	if (cni.addon)
		plan_sb_note(b, arena_printf(a, "The snapshot shows %s (image "
					     "%s%s%s%s); upgrade guide: %s%s%s%s.",
					     cni.addon->name, cni.image,
					     cni.daemonset ? ", DaemonSet " : "",
					     cni.daemonset ? cni.daemonset : "",
					     cni.ns && cni.daemonset
						     ? arena_printf(a, " in %s",
								    cni.ns)
						     : "",
					     cni.addon->upgrade_url,
					     cni.addon->upgrade_note ? " (" : "",
					     cni.addon->upgrade_note
						     ? cni.addon->upgrade_note
						     : "",
					     cni.addon->upgrade_note ? ")" : ""));
	else
		plan_sb_note(b, arena_printf(a, "The snapshot shows none of %s "
					     "(no images of kube-system pods, "
					     "or another plugin): find yours on "
					     "https://kubernetes.io/docs/"
					     "concepts/cluster-administration/"
					     "addons/.", cni_names(c)));
	if (cni.addon && (support = plan_addon_support_note(c, cni.addon, hn,
							      h)))
		plan_sb_note(b, support);
	if (cni.addon && cni.daemonset && cni.ns)
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
