/*
 * steps.c - the steps of each hop in the order of kubeadm's upgrade guide
 * (https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/):
 * repository switch, etcd backup, the first control-plane node (kubeadm,
 * upgrade plan, upgrade apply), the other control-plane nodes (kubeadm,
 * upgrade node), each control-plane kubelet one at a time, the workers in
 * batches, and a closing check. Every name and version in a command was
 * checked before (hops.c); package versions come from the capture or are
 * pinned by patch with a wildcard.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct sb {
	struct plan_ctx *c;
	struct plan_step *s;	/* the step being written */
	bool oom;
};

static const char *
str(struct sb *b, const char *s)
{
	if (!s)
		b->oom = true;
	return s;
}

static void
step(struct sb *b, unsigned hop, int node, enum plan_action a,
     const char *where, const char *title)
{
	struct plan_step *s;

	b->s = NULL;
	if (b->oom)
		return;
	s = vec_push(&b->c->plan->steps);
	if (!s) {
		b->oom = true;
		return;
	}
	s->hop = hop;
	s->node = node;
	s->action = a;
	s->where = str(b, where);
	s->title = str(b, title);
	b->s = s;
}

static void
cmd(struct sb *b, const char *text)
{
	if (!b->s || !str(b, text))
		return;
	if (b->s->ncommands < PLAN_MAX_COMMANDS)
		b->s->commands[b->s->ncommands++] = text;
}

static void
check(struct sb *b, const char *command, const char *expect)
{
	if (!b->s || !str(b, command) || !str(b, expect))
		return;
	if (b->s->nverify < PLAN_MAX_VERIFY) {
		b->s->verify[b->s->nverify].command = command;
		b->s->verify[b->s->nverify].expect = expect;
		b->s->nverify++;
	}
}

/* Drops every "sudo " of a documented command: the runbook runs as root. */
static const char *
drop_sudo(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	const char *p, *out;

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

/* Replaces {minor}, {version} and {package} of a packages.yaml template. */
static const char *
tmpl(struct arena *a, const char *t, const struct plan_ver *v,
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
static const char *
shq(struct arena *a, const char *s)
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

/* "kubeadm=1.26.3-00", "kubeadm='1.29.15-*'" or the rpm forms. */
static const char *
pkg_spec(struct plan_ctx *c, const char *name, const char *version)
{
	const char *v;

	if (c->plan->rpm)
		return shq(c->a, arena_printf(c->a, "%s-%s", name, version));
	if (!(v = shq(c->a, version)))
		return NULL;
	return arena_printf(c->a, "%s=%s", name, v);
}

static const char *
install_kubeadm(struct plan_ctx *c, const struct plan_hop *h)
{
	const char *spec = pkg_spec(c, "kubeadm", h->kubeadm);

	if (!spec)
		return NULL;
	if (c->plan->rpm)
		return arena_printf(c->a, "yum install -y %s "
				    "--disableexcludes=kubernetes", spec);
	return arena_printf(c->a, "apt-mark unhold kubeadm && apt-get update "
			    "&& apt-get install -y %s && apt-mark hold kubeadm",
			    spec);
}

static const char *
install_kubelet(struct plan_ctx *c, const struct plan_hop *h)
{
	const char *s1 = pkg_spec(c, "kubelet", h->kubelet);
	const char *s2 = pkg_spec(c, "kubectl", h->kubectl);

	if (!s1 || !s2)
		return NULL;
	if (c->plan->rpm)
		return arena_printf(c->a, "yum install -y %s %s "
				    "--disableexcludes=kubernetes", s1, s2);
	return arena_printf(c->a, "apt-mark unhold kubelet kubectl && "
			    "apt-get update && apt-get install -y %s %s && "
			    "apt-mark hold kubelet kubectl", s1, s2);
}

/* ------------------------------------------------------------ tables */

/* Renders rows of ncol cells as kubectl and kubeadm do (3 spaces apart). */
static const char *
table(struct arena *a, const char *const *cells, size_t nrows, size_t ncol)
{
	size_t w[8] = {0}, r, k, len;
	struct buf b = BUF_INIT;
	const char *out;

	for (r = 0; r < nrows; r++)
		for (k = 0; k < ncol && k < 8; k++) {
			if (!cells[r * ncol + k])
				return NULL;	/* a cell ran out of memory */
			if ((len = strlen(cells[r * ncol + k])) > w[k])
				w[k] = len;
		}
	for (r = 0; r < nrows; r++) {
		if (r)
			buf_addc(&b, '\n');
		for (k = 0; k < ncol && k < 8; k++) {
			const char *cell = cells[r * ncol + k];

			if (k + 1 < ncol)
				buf_addf(&b, "%-*s   ", (int)w[k], cell);
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

static const char *
vtext(struct arena *a, const struct plan_ver *v)
{
	return v->set ? arena_printf(a, "v%u.%u.%u", v->major, v->minor,
				     v->patch)
		      : "unknown";
}

/* `kubectl get node NAME...` as it should look; nodes[] are indices. */
static const char *
nodes_table(struct plan_ctx *c, const int *idx, size_t n, const char *status,
	    const struct plan_ver *v)
{
	const char **cells = arena_alloc(c->a, (n + 1) * 5 * sizeof(*cells));
	size_t i;

	if (!cells)
		return NULL;
	cells[0] = "NAME";
	cells[1] = "STATUS";
	cells[2] = "ROLES";
	cells[3] = "AGE";
	cells[4] = "VERSION";
	for (i = 0; i < n; i++) {
		const struct plan_node *pn = &c->plan->nodes[idx[i]];

		cells[(i + 1) * 5] = pn->name;
		cells[(i + 1) * 5 + 1] = status;
		cells[(i + 1) * 5 + 2] = pn->control_plane ? "control-plane"
							   : "<none>";
		cells[(i + 1) * 5 + 3] = "...";
		cells[(i + 1) * 5 + 4] = vtext(c->a, v);
		if (!cells[(i + 1) * 5 + 4])
			return NULL;
	}
	return table(c->a, cells, n + 1, 5);
}

static const char *
node_table(struct plan_ctx *c, int node, const char *status,
	   const struct plan_ver *v)
{
	return nodes_table(c, &node, 1, status, v);
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
 * What `kubeadm upgrade plan` prints for the hop, from the state before
 * it: the kubelets still to upgrade and the control-plane components with
 * the etcd and CoreDNS defaults of the rules data.
 */
static const char *
upgrade_plan_table(struct plan_ctx *c, const struct plan_hop *h,
		   const struct plan_state *st)
{
	struct arena *a = c->a;
	const char *kubelets[64 * 3];
	const char *comps[7 * 3];
	const char *t1, *t2, *series, *target = vtext(a, &h->to);
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
						    vtext(a, &seen[j]));
		kubelets[nk * 3 + 2] = target;
		if (!kubelets[nk * 3 + 1])
			return NULL;
	}
	t1 = table(a, kubelets, nk, 3);
	comps[0] = "COMPONENT";
	comps[1] = "CURRENT";
	comps[2] = "TARGET";
	comps[3] = "kube-apiserver";
	comps[4] = vtext(a, &st->cluster);
	comps[6] = "kube-controller-manager";
	comps[7] = comps[4];
	comps[9] = "kube-scheduler";
	comps[10] = comps[4];
	comps[12] = "kube-proxy";
	comps[13] = vtext(a, &st->kube_proxy);
	comps[15] = "CoreDNS";
	comps[16] = st->coredns ? st->coredns : "unknown";
	comps[17] = dns_to ? dns_to : "unknown";
	comps[18] = "etcd";
	comps[19] = st->etcd ? st->etcd : "unknown";
	comps[20] = etcd_to ? etcd_to : "unknown";
	comps[5] = comps[8] = comps[11] = comps[14] = target;
	t2 = table(a, comps, 7, 3);
	series = h->from.minor == h->to.minor
			 ? arena_printf(a, "Upgrade to the latest version in "
					"the v%u.%u series:",
					h->to.major, h->to.minor)
			 : "Upgrade to the latest stable version:";
	if (!t1 || !t2 || !comps[4] || !comps[13] || !target || !series)
		return NULL;
	return arena_printf(a,
			    "Components that must be upgraded manually after "
			    "you have upgraded the control plane with "
			    "'kubeadm upgrade apply':\n%s\n\n%s\n\n%s\n\n"
			    "You can now apply the upgrade by executing the "
			    "following command:\n\n\tkubeadm upgrade apply %s",
			    t1, series,
			    t2, target);
}

/* ------------------------------------------------------------ steps */

static const char *
root_on(struct plan_ctx *c, int node)
{
	return arena_printf(c->a, "on %s as root", c->plan->nodes[node].name);
}

static const char *
every_node(struct plan_ctx *c)
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

static const char *const KUBECTL = "from a workstation with kubectl";

static void
switch_repo(struct sb *b, unsigned hn, const struct plan_hop *h)
{
	struct plan_ctx *c = b->c;
	const struct pkg_repo *r = c->pkgs;
	struct arena *a = c->a;
	const char *expect, *content, *key;

	if (!r) {
		b->oom = true;
		return;
	}
	step(b, hn, -1, PA_SWITCH_REPO, every_node(c),
	     h->from_legacy
		     ? arena_printf(a, "Move every node from the legacy "
				    "repository to pkgs.k8s.io v%u.%u",
				    h->to.major, h->to.minor)
		     : arena_printf(a, "Switch every node to the pkgs.k8s.io "
				    "v%u.%u repository", h->to.major,
				    h->to.minor));
	content = tmpl(a, c->plan->rpm ? r->yum_repo_content : r->apt_deb_line,
		       &h->to, NULL);
	key = tmpl(a, r->apt_key_install, &h->to, NULL);
	if (!content || !key || !(key = drop_sudo(a, key))) {
		b->oom = true;
		return;
	}
	if (c->plan->rpm) {
		/* repo_content lines are checked: none can be "EOF". */
		cmd(b, arena_printf(a, "cat <<'EOF' > %s\n%sEOF",
				    shq(a, r->yum_repo_file), content));
		cmd(b, "yum clean all && yum makecache");
		expect = h->packages_verified
			? arena_printf(a, "kubeadm.x86_64 rows from the kubernetes "
				       "repository, among them %s", h->kubeadm)
			: arena_printf(a, "kubeadm.x86_64 rows from the kubernetes "
				       "repository, the newest %u.%u.%u-...",
				       h->to.major, h->to.minor, h->to.patch);
		check(b, "yum list --showduplicates kubeadm "
		      "--disableexcludes=kubernetes", expect);
		return;
	}
	if (h->from_legacy) {
		cmd(b, "mkdir -p -m 755 /etc/apt/keyrings");
		cmd(b, key);
	}
	cmd(b, arena_printf(a, "echo %s > %s", shq(a, content),
			    shq(a, r->apt_sources_file)));
	cmd(b, "apt-get update");
	expect = arena_printf(a, "rows from https://pkgs.k8s.io/core:/stable:/"
			      "v%u.%u/deb only, the newest %s", h->to.major,
			      h->to.minor,
			      h->packages_verified
				      ? h->kubeadm
				      : arena_printf(a, "%u.%u.%u-...",
						     h->to.major, h->to.minor,
						     h->to.patch));
	check(b, "apt-cache madison kubeadm", expect);
}

static void
upgrade_kubeadm(struct sb *b, unsigned hn, const struct plan_hop *h, int n)
{
	struct plan_ctx *c = b->c;

	step(b, hn, n, PA_UPGRADE_KUBEADM, root_on(c, n),
	     arena_printf(c->a, "Upgrade kubeadm on %s to %u.%u.%u",
			  c->plan->nodes[n].name, h->to.major, h->to.minor,
			  h->to.patch));
	cmd(b, install_kubeadm(c, h));
	check(b, "kubeadm version -o short", vtext(c->a, &h->to));
}

static void
upgrade_node(struct sb *b, unsigned hn, int n)
{
	struct plan_ctx *c = b->c;
	bool cp = c->plan->nodes[n].control_plane;

	step(b, hn, n, PA_KUBEADM_UPGRADE_NODE, root_on(c, n),
	     arena_printf(c->a, cp ? "Upgrade the control-plane instance on %s"
				   : "Upgrade the kubelet configuration of %s",
			  c->plan->nodes[n].name));
	cmd(b, "kubeadm upgrade node");
	check(b, "kubeadm upgrade node",
	      cp ? "[upgrade] The control plane instance for this node was "
		   "successfully updated!"
		 : "[upgrade] The configuration for this node was "
		   "successfully updated!");
}

/* drain, kubelet and kubectl, restart, uncordon for the nodes of a batch. */
static void
kubelets(struct sb *b, unsigned hn, const struct plan_hop *h, const int *idx,
	 size_t n)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *name = c->plan->nodes[idx[i]].name;

		step(b, hn, idx[i], PA_DRAIN, KUBECTL,
		     arena_printf(a, "Drain %s", name));
		cmd(b, arena_printf(a, "kubectl drain %s --ignore-daemonsets",
				    shq(a, name)));
		check(b, arena_printf(a, "kubectl get node %s", name),
		      node_table(c, idx[i], "Ready,SchedulingDisabled",
				 h->before.nodes
					 ? &h->before.nodes[idx[i]].kubelet
					 : &h->from));
	}
	for (i = 0; i < n; i++) {
		const char *name = c->plan->nodes[idx[i]].name;

		step(b, hn, idx[i], PA_UPGRADE_KUBELET_KUBECTL,
		     root_on(c, idx[i]),
		     arena_printf(a, "Upgrade kubelet and kubectl on %s", name));
		cmd(b, install_kubelet(c, h));
		check(b, "kubelet --version",
		      arena_printf(a, "Kubernetes %s", vtext(a, &h->to)));
	}
	for (i = 0; i < n; i++) {
		const char *name = c->plan->nodes[idx[i]].name;

		step(b, hn, idx[i], PA_RESTART_KUBELET, root_on(c, idx[i]),
		     arena_printf(a, "Restart kubelet on %s", name));
		cmd(b, "systemctl daemon-reload && systemctl restart kubelet");
		check(b, "systemctl is-active kubelet", "active");
		check(b, arena_printf(a, "kubectl get node %s", name),
		      node_table(c, idx[i], "Ready,SchedulingDisabled",
				 &h->to));
	}
	for (i = 0; i < n; i++) {
		const char *name = c->plan->nodes[idx[i]].name;

		step(b, hn, idx[i], PA_UNCORDON, KUBECTL,
		     arena_printf(a, "Uncordon %s", name));
		cmd(b, arena_printf(a, "kubectl uncordon %s", shq(a, name)));
		check(b, arena_printf(a, "kubectl get node %s", name),
		      node_table(c, idx[i], "Ready", &h->to));
	}
}

/* kubectl alone (the kubelet package stays at its version): no drain. */
static void
kubectl_only(struct sb *b, unsigned hn, const struct plan_hop *h, int n)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;

	step(b, hn, n, PA_UPGRADE_KUBELET_KUBECTL, root_on(c, n),
	     arena_printf(a, "Upgrade kubectl on %s",
			  c->plan->nodes[n].name));
	cmd(b, install_kubelet(c, h));
	check(b, "kubectl version --client",
	      arena_printf(a, "Client Version: %s", vtext(a, &h->to)));
}

static const char *
version_expect(struct plan_ctx *c, const struct plan_ver *v)
{
	if (v->minor >= 28)
		return arena_printf(c->a, "Client Version: v%u.%u.%u\n"
				    "Kustomize Version: ...\n"
				    "Server Version: v%u.%u.%u",
				    v->major, v->minor, v->patch, v->major,
				    v->minor, v->patch);
	return arena_printf(c->a, "Client Version: version.Info{Major:\"%u\", "
			    "Minor:\"%u\", GitVersion:\"v%u.%u.%u\", ...}\n"
			    "Kustomize Version: ...\n"
			    "Server Version: version.Info{Major:\"%u\", "
			    "Minor:\"%u\", GitVersion:\"v%u.%u.%u\", ...}",
			    v->major, v->minor, v->major, v->minor, v->patch,
			    v->major, v->minor, v->major, v->minor, v->patch);
}

static void
hop_steps(struct sb *b, unsigned hn, const struct plan_hop *h,
	  const struct plan_state *before)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	const char *reg = registry_of(c, &h->to);
	const char *etcd = plan_default_etcd(c->db, &h->to);
	const char *snap;
	size_t i, nw, batch = c->opt->max_unavailable ? c->opt->max_unavailable
						       : 1;
	int *idx;

	if (h->switch_repo)
		switch_repo(b, hn, h);

	/* A catch-up hop without control-plane work changes no etcd data. */
	for (i = 0; !h->apply && i < c->ncp; i++)
		if (h->work[i] & PLAN_WORK_NODE)
			break;
	if (!h->apply && i == c->ncp)
		goto nodes;
	snap = arena_printf(a, "/var/lib/etcd-backup/etcd-before-v%u.%u.%u.db",
			    h->to.major, h->to.minor, h->to.patch);
	step(b, hn, 0, PA_BACKUP_ETCD, root_on(c, 0),
	     "Back up etcd before the control plane changes");
	cmd(b, "mkdir -p /var/lib/etcd-backup");
	cmd(b, arena_printf(a, "ETCDCTL_API=3 etcdctl "
			    "--endpoints=https://127.0.0.1:2379 "
			    "--cacert=/etc/kubernetes/pki/etcd/ca.crt "
			    "--cert=/etc/kubernetes/pki/etcd/server.crt "
			    "--key=/etc/kubernetes/pki/etcd/server.key "
			    "snapshot save %s", snap));
	check(b, arena_printf(a, "ETCDCTL_API=3 etcdctl --write-out=table "
			      "snapshot status %s", snap),
	      "a table with HASH, REVISION, TOTAL KEYS and TOTAL SIZE; copy "
	      "the file off the node before going on");

	if (!h->apply)
		goto nodes;
	upgrade_kubeadm(b, hn, h, 0);

	step(b, hn, 0, PA_KUBEADM_UPGRADE_PLAN, root_on(c, 0),
	     "Check the upgrade plan");
	cmd(b, "kubeadm upgrade plan");
	check(b, "kubeadm upgrade plan", upgrade_plan_table(c, h, before));

	step(b, hn, 0, PA_KUBEADM_UPGRADE_APPLY, root_on(c, 0),
	     arena_printf(a, "Upgrade the control plane to %s",
			  vtext(a, &h->to)));
	cmd(b, arena_printf(a, "kubeadm upgrade apply %s", vtext(a, &h->to)));
	check(b, arena_printf(a, "kubeadm upgrade apply %s", vtext(a, &h->to)),
	      arena_printf(a, "[upgrade/successful] SUCCESS! Your cluster was "
			   "upgraded to \"%s\". Enjoy!", vtext(a, &h->to)));
	check(b, arena_printf(a, "kubectl -n kube-system get pods -l "
			      "tier=control-plane --field-selector "
			      "spec.nodeName=%s -o jsonpath='{range "
			      ".items[*]}{.spec.containers[0].image}{\"\\n\"}"
			      "{end}'", c->plan->nodes[0].name),
	      arena_printf(a, "%s/etcd:%s\n%s/kube-apiserver:%s\n"
			   "%s/kube-controller-manager:%s\n"
			   "%s/kube-scheduler:%s",
			   reg, etcd ? etcd : (before->etcd ? before->etcd : "..."),
			   reg, vtext(a, &h->to), reg, vtext(a, &h->to), reg,
			   vtext(a, &h->to)));

nodes:
	/* The other control-plane nodes (all of them in a catch-up hop). */
	for (i = h->apply ? 1 : 0; i < c->ncp; i++) {
		if (h->work[i] & PLAN_WORK_KUBEADM)
			upgrade_kubeadm(b, hn, h, (int)i);
		if (h->work[i] & PLAN_WORK_NODE)
			upgrade_node(b, hn, (int)i);
	}
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
		b->oom = true;
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
				upgrade_kubeadm(b, hn, h, bi[k]);
		for (k = 0; k < n; k++)
			if (h->work[bi[k]] & PLAN_WORK_NODE)
				upgrade_node(b, hn, bi[k]);
		for (k = 0; k < n; k++)
			if (h->work[bi[k]] & PLAN_WORK_KUBELET)
				bi[nk++] = bi[k];
		kubelets(b, hn, h, bi, nk);
	}

	step(b, hn, -1, PA_VERIFY, KUBECTL,
	     arena_printf(a, "Verify the cluster at %s", vtext(a, &h->to)));
	cmd(b, "kubectl version");
	cmd(b, "kubectl get nodes");
	check(b, "kubectl version", version_expect(c, &h->to));
	{
		int *all = arena_alloc(a, (c->plan->nnodes + 1) * sizeof(*all));

		if (!all) {
			b->oom = true;
			return;
		}
		size_t n = 0;

		/* The nodes this hop leaves at its version. */
		for (i = 0; i < c->plan->nnodes; i++)
			if (h->apply || (h->work[i] & PLAN_WORK_KUBELET))
				all[n++] = (int)i;
		if (n)
			check(b, "kubectl get nodes",
			      nodes_table(c, all, n, "Ready", &h->to));
	}
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

		for (i = 0; i < c->plan->nnodes; i++)
			st->nodes[i].kubelet = *v;
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
	struct sb b = {c, NULL, false};
	struct plan_state before;
	unsigned last = 0, n = 0;
	size_t i;

	for (i = 0; i < c->plan->hops.n && !b.oom; i++) {
		if (state_before(c, i, &before) < 0)
			return -1;
		hop_steps(&b, (unsigned)i + 1, &c->plan->hops.v[i], &before);
	}
	if (b.oom)
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
