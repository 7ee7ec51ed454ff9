/*
 * hops.c - the planner's front door: checks the inventory, resolves the
 * target and lays out the hops (one minor per `kubeadm upgrade apply`),
 * with the package versions of each hop.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const action_names[PA_COUNT] = {
	"switch-repo", "backup-etcd", "upgrade-kubeadm",
	"kubeadm-upgrade-plan", "kubeadm-upgrade-apply",
	"kubeadm-upgrade-node", "drain", "upgrade-kubelet-kubectl",
	"restart-kubelet", "uncordon", "verify", "upgrade-cni",
	"prepare-etcd", "recovery", "migrate-apis", "upgrade-addons",
	"node-prerequisites",
};

const char *
plan_action_name(enum plan_action a)
{
	return a < PA_COUNT ? action_names[a] : "unknown";
}

const char *
plan_ver_str(struct arena *a, const struct plan_ver *v)
{
	if (!v->set)
		return NULL;
	return arena_printf(a, "%u.%u.%u", v->major, v->minor, v->patch);
}

int
plan_ver_cmp(const struct plan_ver *x, const struct plan_ver *y)
{
	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	if (x->patch != y->patch)
		return x->patch < y->patch ? -1 : 1;
	return 0;
}

struct plan_ver
plan_ver_make(unsigned minor, unsigned patch)
{
	struct plan_ver v = {1, minor, patch, true};

	return v;
}

struct plan_ver
plan_ver_of_kver(const struct kver *k)
{
	struct plan_ver v = {k->major, k->minor, k->patch, true};

	return v;
}

bool
plan_target_is_valid(const char *s)
{
	unsigned ma, mi, pa;
	bool has_patch;

	if (!strcmp(s, "latest") || !strcmp(s, "latest-patch"))
		return true;
	return kver_parse_numbers(s, strlen(s), &ma, &mi, &pa, &has_patch) &&
	       ma == 1;
}

/* ------------------------------------------------------------ repos */

/*
 * The repository a captured package comes from, as ingest classified it
 * (for yum, dnf, rpm -qa and dpkg -l, which print no URL, by the release).
 */
enum plan_repo
plan_pkg_origin(const struct package *p, unsigned *minor)
{
	*minor = 0;
	if (p->repo_kind == REPO_LEGACY)
		return PREPO_LEGACY;
	if (p->repo_kind == REPO_PKGS) {
		*minor = p->repo_minor;
		return PREPO_PKGS;
	}
	return PREPO_UNKNOWN;
}

static void
detect_repo(struct plan_ctx *c)
{
	unsigned minor;
	size_t i;

	for (i = 0; i < c->db->repos.n; i++) {
		const struct pkg_repo *r = &c->db->repos.v[i];

		if (r->legacy && !c->legacy)
			c->legacy = r;
		else if (!r->legacy && !c->pkgs)
			c->pkgs = r;
	}
	for (i = 0; i < c->cs->packages.n; i++) {
		const struct package *p = &c->cs->packages.v[i];

		if (p->format && (!strcmp(p->format, "yum") ||
				  !strcmp(p->format, "rpm-qa")))
			c->plan->rpm = true;
		if (p->dnf5)
			c->plan->dnf5 = true;
		if (strcmp(p->name, "kubeadm"))
			continue;
		switch (plan_pkg_origin(p, &minor)) {
		case PREPO_LEGACY:
			if (c->repo == PREPO_UNKNOWN)
				c->repo = PREPO_LEGACY;
			break;
		case PREPO_PKGS:
			if (minor > c->repo_minor) {
				c->repo = PREPO_PKGS;
				c->repo_minor = minor;
			}
			break;
		default:
			break;
		}
	}
}

/*
 * True if the legacy repository carries v at the as-of date: it is gone
 * after its removal, and after its freeze it holds only the patches
 * released up to the freeze (the release data gives their dates).
 */
static bool
legacy_serves(struct plan_ctx *c, const struct plan_ver *v)
{
	const struct pkg_repo *r = c->legacy;
	const struct release *rel;
	size_t j;

	if (!r || c->opt->as_of >= r->removed)
		return false;
	if (c->opt->as_of < r->frozen)
		return true;
	rel = NULL;
	for (j = 0; j < c->db->releases.n; j++)
		if (c->db->releases.v[j].minor == v->minor)
			rel = &c->db->releases.v[j];
	if (!rel)
		return false;
	for (j = 0; j < rel->npatches; j++)
		if (rel->patches[j].patch == v->patch)
			return rel->patches[j].date <= r->frozen;
	return false;
}

/*
 * The captured package version of name at v, from the repository the
 * cluster uses now; NULL if the capture does not list it.
 */
static const char *
captured_pkg(struct plan_ctx *c, const char *name, const struct plan_ver *v,
	     unsigned repo_minor)
{
	unsigned ma, mi, pa, origin;
	bool hp;
	size_t i;

	for (i = 0; i < c->cs->packages.n; i++) {
		const struct package *p = &c->cs->packages.v[i];

		if (strcmp(p->name, name) || !p->upstream || !p->version ||
		    !kver_parse_numbers(p->upstream, strlen(p->upstream), &ma,
					&mi, &pa, &hp) ||
		    ma != v->major || mi != v->minor || pa != v->patch)
			continue;
		if (plan_pkg_origin(p, &origin) !=
			    (repo_minor ? PREPO_PKGS : PREPO_LEGACY) ||
		    origin != repo_minor)
			continue;
		return p->version;
	}
	return NULL;
}

/* ------------------------------------------------------------ hops */

/* Fills the repository and package fields of every hop. PLAN_* or -1. */
static int
hop_packages(struct plan_ctx *c)
{
	enum plan_repo repo = c->repo;
	unsigned minor = c->repo_minor;
	const char *names[3] = {"kubeadm", "kubelet", "kubectl"};
	size_t i, k;

	for (i = 0; i < c->plan->hops.n; i++) {
		struct plan_hop *h = &c->plan->hops.v[i];
		const char *ver[3];
		bool ok = true;

		if (repo == PREPO_LEGACY && !legacy_serves(c, &h->to)) {
			h->switch_repo = h->from_legacy = true;
			repo = PREPO_PKGS;
			minor = h->to.minor;
		} else if (repo != PREPO_LEGACY && minor != h->to.minor) {
			h->switch_repo = true;
			repo = PREPO_PKGS;
			minor = h->to.minor;
		}
		h->repo_minor = repo == PREPO_LEGACY ? 0 : minor;
		for (k = 0; k < 3; k++) {
			ver[k] = captured_pkg(c, names[k], &h->to, h->repo_minor);
			if (ver[k] && !safe_is_pkg_version(ver[k], strlen(ver[k]))) {
				diag_plain(c->d, DIAG_ERROR,
					   "unsafe package version '%s' for %s",
					   ver[k], names[k]);
				return PLAN_BAD_INPUT;
			}
			if (!ver[k]) {
				ok = false;
				ver[k] = arena_printf(c->a, "%u.%u.%u-*",
						      h->to.major, h->to.minor,
						      h->to.patch);
				if (!ver[k])
					return -1;
			}
		}
		h->kubeadm = ver[0];
		h->kubelet = ver[1];
		h->kubectl = ver[2];
		h->packages_verified = ok;
	}
	return PLAN_OK;
}

/* Warns (or, with --strict-packages, refuses) for unverified packages. */
static int
hop_warnings(struct plan_ctx *c)
{
	const struct rule *r = NULL;
	const char *node = c->plan->nnodes ? c->plan->nodes[0].name : "cluster";
	size_t i;

	for (i = 0; i < c->plan->hops.n; i++) {
		struct plan_hop *h = &c->plan->hops.v[i];
		const char *fill[8];
		const char *subject;

		if (h->packages_verified)
			continue;
		if (!r && !(r = plan_rule(c, "plan-packages-unverified")))
			return -1;
		fill[0] = "package";
		fill[1] = "kubeadm kubelet kubectl";
		fill[2] = "version";
		fill[3] = plan_ver_str(c->a, &h->to);
		fill[4] = "node";
		fill[5] = node;
		fill[6] = "minor";
		fill[7] = arena_printf(c->a, "%u.%u", h->to.major, h->to.minor);
		subject = arena_printf(c->a, "hop %zu", i + 1);
		if (!fill[3] || !fill[7] || !subject)
			return -1;
		if (c->opt->strict_packages) {
			/* --strict-packages turns the warning into a refusal. */
			if (plan_refuse(c, "plan-packages-unverified", subject,
					fill, 4, NULL, 0) < 0)
				return -1;
			c->plan->findings.v[c->plan->findings.n - 1].severity =
				SEV_ERROR;
			return PLAN_REFUSED;
		}
		if (plan_finding(c->plan, c->a, r, subject, fill, 4, NULL,
				 0) < 0)
			return -1;
	}
	return PLAN_OK;
}

/* ------------------------------------------------------------ inventory */

/*
 * Initial versions of the control-plane components of node n. kube-proxy
 * and CoreDNS are cluster-wide (a DaemonSet and a Deployment): their pods
 * count on whichever node they run.
 */
static void
cp_versions(const struct cluster_state *cs, const char *node,
	    struct plan_node_state *ns, struct plan_ver *kube_proxy,
	    const char **etcd, const char **coredns, struct arena *a)
{
	struct kver k;
	const char *err;
	size_t i;

	for (i = 0; i < cs->images.n; i++) {
		const struct image *im = &cs->images.v[i];
		const char *comp = im->ref->component;
		struct plan_ver *slot = NULL;

		if (!comp || !im->ref->tag)
			continue;
		if (!strcmp(comp, "coredns")) {
			*coredns = im->ref->tag;
			continue;
		}
		if (im->node && node && strcmp(im->node, node) &&
		    strcmp(comp, "kube-proxy"))
			continue;
		if (!strcmp(comp, "etcd")) {
			*etcd = im->ref->tag;
			continue;
		}
		if (kver_parse(a, im->ref->tag, strlen(im->ref->tag), &k,
			       &err) < 0 || !k.has_patch)
			continue;
		if (!strcmp(comp, "kube-apiserver"))
			slot = &ns->apiserver;
		else if (!strcmp(comp, "kube-controller-manager"))
			slot = &ns->controller_manager;
		else if (!strcmp(comp, "kube-scheduler"))
			slot = &ns->scheduler;
		else if (!strcmp(comp, "kube-proxy"))
			slot = kube_proxy;
		/* A node's own pod wins over a listing without nodes. */
		if (slot && (!slot->set || im->node))
			*slot = plan_ver_of_kver(&k);
	}
}

/* Copies the nodes (control plane first) and their initial state. */
static int
plan_inventory(struct plan_ctx *c)
{
	const struct cluster_state *cs = c->cs;
	struct plan *plan = c->plan;
	struct plan_state *st = &plan->initial;
	struct plan_ver server = plan_ver_of_kver(&cs->server.ver);
	size_t i, k = 0;
	int pass;

	plan->nnodes = cs->nodes.n;
	plan->nodes = arena_alloc(c->a, (cs->nodes.n + 1) * sizeof(*plan->nodes));
	st->nodes = arena_alloc(c->a, (cs->nodes.n + 1) * sizeof(*st->nodes));
	if (!plan->nodes || !st->nodes)
		return -1;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < cs->nodes.n; i++) {
			const struct node *n = &cs->nodes.v[i];
			struct plan_node_state *ns = &st->nodes[k];
			bool cp = node_is_control_plane(n);

			if (cp != (pass == 0))
				continue;
			plan->nodes[k].name = n->name;
			plan->nodes[k].control_plane = cp;
			plan->nodes[k].loc = n->loc;
			ns->kubelet = plan_ver_of_kver(&n->kubelet);
			ns->kubelet_pkg = ns->kubelet;
			ns->kubeadm = ns->kubelet;
			ns->ready = node_is_ready(n);
			ns->cordoned = !n->schedulable;
			if (cp) {
				cp_versions(cs, n->name, ns, &st->kube_proxy,
					    &st->etcd, &st->coredns, c->a);
				if (!ns->apiserver.set)
					ns->apiserver = server;
				if (!ns->controller_manager.set)
					ns->controller_manager = ns->apiserver;
				if (!ns->scheduler.set)
					ns->scheduler = ns->apiserver;
			}
			k++;
		}
	c->ncp = 0;
	while (c->ncp < plan->nnodes && plan->nodes[c->ncp].control_plane)
		c->ncp++;
	if (c->ncp && cs->kubeadm.present)
		st->nodes[0].kubeadm = plan_ver_of_kver(&cs->kubeadm.ver);
	st->cluster = server;
	for (i = 0; i < c->ncp; i++)
		if (plan_ver_cmp(&st->nodes[i].apiserver, &st->cluster) > 0)
			st->cluster = st->nodes[i].apiserver;
	if (!st->kube_proxy.set)
		st->kube_proxy = st->cluster;
	if (cs->client.present)
		st->kubectl = plan_ver_of_kver(&cs->client.ver);
	if (!st->etcd)
		st->etcd = plan_default_etcd(c->db, &server);
	if (!st->coredns)
		st->coredns = plan_default_coredns(c->db, &st->cluster);
	return 0;
}

/* Node names go into shell commands: each must be a DNS-1123 subdomain. */
static int
check_names(struct plan_ctx *c)
{
	size_t i;

	for (i = 0; i < c->cs->nodes.n; i++) {
		const struct node *n = &c->cs->nodes.v[i];
		struct buf b = BUF_INIT;

		if (n->name && safe_is_dns_subdomain(n->name, strlen(n->name)))
			continue;
		esc_display(&b, n->name ? n->name : "", n->name ? strlen(n->name) : 0);
		diag_error(c->d, n->loc, "refusing to plan: '%s' is not a valid "
			   "Kubernetes object name", buf_cstr(&b));
		buf_release(&b);
		diag_note(c->d, n->loc, "node names must be DNS-1123 "
			  "subdomains; check that the input was captured "
			  "from the cluster unchanged");
		return PLAN_BAD_INPUT;
	}
	return PLAN_OK;
}

/* Refuses NotReady nodes. */
static int
check_ready(struct plan_ctx *c)
{
	size_t i;
	int rc = PLAN_OK;

	for (i = 0; i < c->cs->nodes.n; i++) {
		const struct node *n = &c->cs->nodes.v[i];
		const char *fill[4] = {"node", n->name, "status", n->status};

		if (node_is_ready(n))
			continue;
		rc = plan_refuse(c, "plan-node-not-ready", n->name, fill, 2,
				 &n->loc, 1);
		if (rc < 0)
			return -1;
	}
	return rc;
}

/* Errors first, otherwise in the order raised (stable). */
static void
sort_findings(struct plan *plan)
{
	struct finding t;
	size_t i, j;

	for (i = 1; i < plan->findings.n; i++) {
		t = plan->findings.v[i];
		for (j = i; j > 0 && plan->findings.v[j - 1].severity > t.severity;
		     j--)
			plan->findings.v[j] = plan->findings.v[j - 1];
		plan->findings.v[j] = t;
	}
}

int
plan_build(const struct rules_db *db, const struct cluster_state *cs,
	   const struct plan_options *opt, struct plan *plan, struct diag *d)
{
	struct plan_ctx c;
	int rc;

	memset(plan, 0, sizeof(*plan));
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.cs = cs;
	c.opt = opt;
	c.plan = plan;
	c.a = cs->arena;
	c.d = d;
	plan->as_of = opt->as_of;
	plan->rules_compiled = db->compiled;
	plan->rules_dir = db->dir;
	plan->rules_origin = db->origin;
	if ((rc = check_names(&c)) != PLAN_OK)
		return rc;
	if (!cs->server.present || cs->server.ver.major != 1)
		return plan_refuse(&c, "plan-no-server-version", "cluster",
				   NULL, 0, NULL, 0);
	plan->from = plan_ver_of_kver(&cs->server.ver);
	if ((rc = check_ready(&c)) != PLAN_OK)
		return rc;
	if (plan_inventory(&c) < 0)
		goto oom;
	if (c.ncp == 0) {
		diag_plain(d, DIAG_ERROR, "no control-plane node in the input; "
			   "capture 'kubectl get nodes' of the whole cluster");
		return PLAN_BAD_INPUT;
	}
	/* The cluster runs what `kubeadm upgrade apply` last set: the newest
	 * kube-apiserver, whichever instance answered `kubectl version`. */
	plan->from = plan->initial.cluster;
	detect_repo(&c);
	if ((rc = plan_path(&c)) != PLAN_OK) {
		sort_findings(plan);
		return rc < 0 ? -1 : rc;
	}
	if ((rc = hop_packages(&c)) != PLAN_OK)
		return rc < 0 ? -1 : rc;
	if ((rc = hop_warnings(&c)) != PLAN_OK) {
		sort_findings(plan);
		return rc < 0 ? -1 : rc;
	}
	if (plan_node_findings(&c) < 0)
		goto oom;
	if (cs->pods.n) {
		if (rules_drain_analyze(db, cs, c.a, d, &c.drain) < 0)
			return -1;
		plan->drain_known = true;
	}
	rc = plan_steps(&c);
	rules_drain_release(&c.drain);
	if (rc < 0 || plan_api_findings(&c) < 0)
		goto oom;
	rc = plan_simulate(db, c.a, plan);
	if (rc < 0)
		goto oom;
	sort_findings(plan);
	return rc;
oom:
	diag_plain(d, DIAG_ERROR, "out of memory");
	return -1;
}

void
plan_release(struct plan *plan)
{
	if (!plan)
		return;
	vec_release(&plan->hops);
	vec_release(&plan->steps);
	free(plan->findings.v);
	plan->findings.v = NULL;
	plan->findings.n = plan->findings.cap = 0;
}
