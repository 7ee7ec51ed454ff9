/*
 * steps_etcd.c - the etcd snapshot before the control plane changes.
 *
 * kubeadm nodes have no etcdctl on the host: it ships in the etcd image
 * (registry.k8s.io/etcd, built by kubernetes/kubernetes
 * cluster/images/etcd/Makefile, which installs etcd and etcdctl only;
 * etcdutl is not in the 3.5 images, etcd-io/etcd#13764). So the snapshot
 * is taken inside the etcd static pod; its data directory /var/lib/etcd
 * is a hostPath, so the file lands on the node. etcd 3.6 removed
 * `etcdctl snapshot status` (etcd-io/etcd CHANGELOG-3.6.md): for a 3.6
 * snapshot the check uses etcdutl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void
plan_step_backup_etcd(struct plan_sb *b, unsigned hn, const struct plan_hop *h,
		      const struct plan_state *before)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	const char *node = c->plan->nodes[0].name;
	const char *file, *pod, *kc, *save;
	/* Unknown tag: the floor decides (3.6 from kubeadm 1.34 on). */
	bool v36 = plan_etcd_is_36(before->etcd ? before->etcd
				   : plan_etcd_floor(c->db, &before->cluster));

	file = arena_printf(a, "etcd-before-v%u.%u.%u.db", h->to.major,
			    h->to.minor, h->to.patch);
	pod = plan_shq(a, arena_printf(a, "etcd-%s", node));
	kc = "kubectl --kubeconfig=/etc/kubernetes/admin.conf -n kube-system";
	plan_sb_step(b, hn, 0, PA_BACKUP_ETCD, plan_root_on(c, 0),
		     "Back up etcd before the control plane changes");
	plan_sb_note(b, "The snapshot is taken inside the etcd static pod (the "
		     "node has no etcdctl); /var/lib/etcd is a hostPath, so "
		     "the file lands on the node. If the API server does not "
		     "answer, run the same etcdctl command with 'crictl exec "
		     "$(crictl ps --name etcd -q)' instead of kubectl exec.");
	save = arena_printf(a, "%s exec %s -- etcdctl "
			    "--endpoints=https://127.0.0.1:2379 "
			    "--cacert=/etc/kubernetes/pki/etcd/ca.crt "
			    "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt "
			    "--key=/etc/kubernetes/pki/etcd/healthcheck-client.key "
			    "snapshot save /var/lib/etcd/%s", kc, pod, file);
	plan_sb_cmd(b, save);
	/* etcdctl 3.4-3.6 print "Snapshot saved at PATH" when done. */
	plan_sb_check(b, PM_REGEX, save,
		      arena_printf(a, "^Snapshot saved at /var/lib/etcd/%s$",
				   plan_re_quote(a, file)));
	/*
	 * The table of `snapshot status -w table`: HASH, REVISION, TOTAL
	 * KEYS, TOTAL SIZE (and VERSION from 3.5 on), kubernetes/website
	 * PR 46778 shows both tools print it.
	 */
	plan_sb_check(b, PM_REGEX,
		      arena_printf(a, "%s exec %s -- %s --write-out=table "
				   "snapshot status /var/lib/etcd/%s", kc, pod,
				   v36 ? "etcdutl" : "etcdctl", file),
		      "^\\| +HASH +\\| +REVISION +\\| +TOTAL KEYS +\\| +TOTAL "
		      "SIZE +\\|");
	if (v36)
		plan_sb_note(b, "etcd 3.6 has no 'etcdctl snapshot status': "
			     "the check uses etcdutl. If the etcd image has no "
			     "etcdutl (UNCONFIRMED for the 3.6 images), use an "
			     "etcdutl binary of the same etcd version on the "
			     "node.");
	plan_sb_note(b, arena_printf(a, "Copy /var/lib/etcd/%s off the node "
				     "before going on (for example scp "
				     "root@%s:/var/lib/etcd/%s .): a "
				     "snapshot kept only on the node it "
				     "protects is no backup.", file, node, file));
	plan_sb_check(b, PM_EXACT,
		      arena_printf(a, "ls /var/lib/etcd/%s", file),
		      arena_printf(a, "/var/lib/etcd/%s", file));
}
