/*
 * steps_etcd.c - the etcd snapshot before the control plane changes.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void
plan_step_backup_etcd(struct plan_sb *b, unsigned hn, const struct plan_hop *h,
		      const struct plan_state *before)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	const char *snap;

	(void)before;
	snap = arena_printf(a, "/var/lib/etcd-backup/etcd-before-v%u.%u.%u.db",
			    h->to.major, h->to.minor, h->to.patch);
	plan_sb_step(b, hn, 0, PA_BACKUP_ETCD, plan_root_on(c, 0),
		     "Back up etcd before the control plane changes");
	plan_sb_cmd(b, "mkdir -p /var/lib/etcd-backup");
	plan_sb_cmd(b, arena_printf(a, "ETCDCTL_API=3 etcdctl "
				    "--endpoints=https://127.0.0.1:2379 "
				    "--cacert=/etc/kubernetes/pki/etcd/ca.crt "
				    "--cert=/etc/kubernetes/pki/etcd/server.crt "
				    "--key=/etc/kubernetes/pki/etcd/server.key "
				    "snapshot save %s", snap));
	plan_sb_check(b, PM_REGEX,
		      arena_printf(a, "ETCDCTL_API=3 etcdctl --write-out=table "
				   "snapshot status %s", snap),
		      "^\\| +HASH +\\| +REVISION +\\| +TOTAL KEYS +\\| +TOTAL "
		      "SIZE +\\|");
}
