/*
 * drain.c - what blocks `kubectl drain` of each node, predicted from the
 * pods, PodDisruptionBudgets and workloads of a capture.
 *
 * Which pods a drain evicts follows kubectl's filters
 * (staging/src/k8s.io/kubectl/pkg/drain/filters.go, makeFilters): a pod
 * whose controller is a DaemonSet is left alone with --ignore-daemonsets,
 * a mirror pod (annotation kubernetes.io/config.mirror) is skipped, a
 * finished pod (Succeeded, Failed) is deleted whatever it has, a pod with
 * an emptyDir needs --delete-emptydir-data, and a pod that declares no
 * controller (metav1.GetControllerOf) needs --force.
 *
 * A PodDisruptionBudget blocks when its status says disruptionsAllowed is
 * 0, or, without a status, when the disruption controller would compute
 * 0 (pkg/controller/disruption/disruption.go, getExpectedPodCount and
 * updatePdbStatus): desiredHealthy is minAvailable, or expected pods minus
 * maxUnavailable, where a percent of the expected count rounds up in both
 * cases (intstr.GetScaledValueFromIntOrPercent(..., true)); the eviction
 * API refuses while currentHealthy - desiredHealthy <= 0.
 *
 * Selectors are matched through the pods' label index (pod_index.c).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ------------------------------------------------------------ pods */

static bool
pod_is_finished(const struct pod *p)
{
	return p->phase && (!strcmp(p->phase, "Succeeded") ||
			    !strcmp(p->phase, "Failed"));
}

/* A pod `kubectl drain --ignore-daemonsets` evicts. */
static bool
pod_is_evicted(const struct pod *p)
{
	return p->node && !p->daemonset && !p->mirror;
}

/*
 * Counted healthy by the disruption controller (countHealthyPods: not
 * being deleted, Ready). A capture without status counts as healthy.
 */
static bool
pod_is_healthy(const struct pod *p)
{
	return !p->deleting && p->ready != TRI_FALSE && !pod_is_finished(p) &&
	       !(p->phase && !strcmp(p->phase, "Pending"));
}

/* ------------------------------------------------------------ emit */

struct dctx {
	const struct rules_db *db;
	const struct cluster_state *cs;
	struct arena *a;
	struct diag *d;
	struct drain_analysis *out;
	const struct rule *pdb, *unmanaged, *local, *single;
	struct pod_index ix;
	struct strmap workloads;	/* "kind\0ns\0name" -> workload */
	struct buf key;
	bool oom;
};

static const struct rule *
rule_of(const struct rules_db *db, enum check_kind k)
{
	size_t i;

	for (i = 0; i < db->rules.n; i++)
		if (db->rules.v[i].check == k)
			return &db->rules.v[i];
	return NULL;
}

static int
oom(struct dctx *c)
{
	c->oom = true;
	return diag_plain(c->d, DIAG_ERROR, "out of memory");
}

/* Adds a blocker of rule r; fill gives the template's values. */
static int
add_blocker(struct dctx *c, const struct rule *r, const char *node,
	    const char *kind, const char *ns, const char *name,
	    const struct fill *f, size_t nf, const struct src_loc *ev,
	    size_t nev)
{
	struct drain_blocker *b;

	if (!(b = vec_push(&c->out->blockers)))
		return oom(c);
	b->rule = r;
	b->node = node;
	b->kind = kind;
	b->namespace_ = ns;
	b->name = name;
	b->subject = arena_printf(c->a, "%s/%s/%s", node, ns, name);
	b->message = eval_render(c->a, r->message, f, nf);
	b->remediation = eval_render(c->a, r->remediation, f, nf);
	if (nev > DRAIN_MAX_EVIDENCE)
		nev = DRAIN_MAX_EVIDENCE;
	memcpy(b->evidence, ev, nev * sizeof(*ev));
	b->nevidence = nev;
	if (!b->subject || !b->message || !b->remediation)
		return oom(c);
	return 0;
}

/* ------------------------------------------------------------ workloads */

static const char *
wl_key(struct dctx *c, const char *kind, const char *ns, const char *name)
{
	buf_reset(&c->key);
	buf_adds(&c->key, kind);
	buf_addc(&c->key, '\0');
	buf_adds(&c->key, ns);
	buf_addc(&c->key, '\0');
	buf_adds(&c->key, name);
	return c->key.oom ? NULL : c->key.s;
}

static const struct workload *
wl_find(struct dctx *c, const char *kind, const char *ns, const char *name)
{
	const char *k = wl_key(c, kind, ns, name);

	return k ? strmap_get(&c->workloads, k, c->key.len) : NULL;
}

static int
wl_index(struct dctx *c)
{
	const struct workload *w;
	char *k;

	vec_foreach(&c->cs->workloads, w) {
		if (!wl_key(c, w->kind, w->namespace_, w->name) ||
		    !(k = arena_alloc(c->a, c->key.len + 1)))
			return oom(c);
		memcpy(k, c->key.s, c->key.len + 1);
		if (strmap_put(&c->workloads, k, c->key.len, (void *)w) < 0)
			return oom(c);
	}
	return 0;
}

/*
 * The workload a pod's replicas are counted by: a ReplicaSet's Deployment
 * (the ReplicaSet's controller), else the controller itself. *w is the
 * captured object or NULL.
 */
static void
top_owner(struct dctx *c, const struct pod *p, const char **kind,
	  const char **name, const struct workload **w)
{
	const struct owner_ref *o = pod_controller(p);
	const struct workload *rs;

	*kind = *name = NULL;
	*w = NULL;
	if (!o)
		return;
	*kind = o->kind;
	*name = o->name;
	if (!strcmp(o->kind, "ReplicaSet") &&
	    (rs = wl_find(c, "ReplicaSet", p->namespace_, o->name))) {
		*w = rs;
		if (rs->owner.kind && !strcmp(rs->owner.kind, "Deployment")) {
			*kind = "Deployment";
			*name = rs->owner.name;
			*w = wl_find(c, "Deployment", p->namespace_,
				     rs->owner.name);
		}
		return;
	}
	*w = wl_find(c, o->kind, p->namespace_, o->name);
}

/* ------------------------------------------------------------ budgets */

struct scale {
	const char *kind, *name;
	long replicas;		/* -1: not captured, count the pods */
};

static int
scale_cmp(const void *x, const void *y)
{
	const struct scale *a = x, *b = y;
	int r = strcmp(a->kind, b->kind);

	return r ? r : strcmp(a->name, b->name);
}

/*
 * getExpectedScale: the replicas of the distinct controllers of the pods
 * (a pod without one is not counted: "unmanaged pods"); a controller not
 * in the capture counts its pods.
 */
static long
expected_scale(struct dctx *c, const uint32_t *pods, size_t n)
{
	struct scale *v = calloc(n ? n : 1, sizeof(*v));
	size_t i, k = 0;
	long total = 0;

	if (!v)
		return -1;
	for (i = 0; i < n; i++) {
		const struct workload *w;

		top_owner(c, &c->cs->pods.v[pods[i]], &v[k].kind, &v[k].name,
			  &w);
		if (!v[k].kind)
			continue;
		v[k].replicas = w ? w->replicas : -1;
		k++;
	}
	qsort(v, k, sizeof(*v), scale_cmp);
	for (i = 0; i < k; i++) {
		if (v[i].replicas < 0)
			total++;
		else if (i == 0 || scale_cmp(&v[i - 1], &v[i]))
			total += v[i].replicas;
	}
	free(v);
	return total;
}

/* The value of an int-or-percent of total, rounded up for a percent. */
long
rules_scaled_value(const struct int_or_percent *v, long total)
{
	if (!v->percent)
		return v->value;
	/* GetScaledValueFromIntOrPercent with roundUp: ceil(v * total / 100). */
	return (v->value * total + 99) / 100;
}

/* A budget as the eviction API sees it. */
struct budget {
	long healthy, desired;	/* currentHealthy, desiredHealthy */
	const char *why;	/* arena: why it allows no eviction, or NULL */
};

/*
 * The budget of pdb over the pods it selects: from its status when
 * captured, else with the disruption controller's arithmetic. Returns 0,
 * or -1 when out of memory.
 */
static int
pdb_budget(struct dctx *c, const struct pdb *b, const uint32_t *pods,
	   size_t n, struct budget *out)
{
	long expected, desired, healthy = 0, allowed;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (b->disruptions_allowed >= 0) {
		out->healthy = b->current_healthy < 0 ? 0 : b->current_healthy;
		out->desired = b->desired_healthy < 0 ? 0 : b->desired_healthy;
		if (b->disruptions_allowed > 0)
			return 0;
		out->why = arena_printf(c->a, "status.disruptionsAllowed is "
					"0: %ld healthy, %ld needed",
					out->healthy, out->desired);
		return out->why ? 0 : -1;
	}
	for (i = 0; i < n; i++)
		if (pod_is_healthy(&c->cs->pods.v[pods[i]]))
			healthy++;
	if (b->max_unavailable.set) {
		if ((expected = expected_scale(c, pods, n)) < 0)
			return -1;
		desired = expected - rules_scaled_value(&b->max_unavailable,
							expected);
		if (desired < 0)
			desired = 0;
	} else if (b->min_available.set && !b->min_available.percent) {
		expected = (long)n;
		desired = b->min_available.value;
	} else if (b->min_available.set) {
		if ((expected = expected_scale(c, pods, n)) < 0)
			return -1;
		desired = rules_scaled_value(&b->min_available, expected);
	} else {
		return 0;
	}
	out->healthy = healthy;
	out->desired = desired;
	allowed = healthy - desired;
	if (expected > 0 && allowed > 0)
		return 0;
	out->why = arena_printf(c->a, "%s %ld%s of %ld expected pods needs %ld "
				"healthy, %ld are",
				b->max_unavailable.set ? "maxUnavailable"
						       : "minAvailable",
				b->max_unavailable.set
					? b->max_unavailable.value
					: b->min_available.value,
				(b->max_unavailable.set ? b->max_unavailable
							: b->min_available)
						.percent
					? "%"
					: "",
				expected, desired, healthy);
	return out->why ? 0 : -1;
}

/*
 * Whether the eviction API holds pod p to a budget that allows no
 * eviction (pkg/registry/core/pod/storage/eviction.go): a pod not Running
 * or already being deleted is deleted without the budget (canIgnorePDB);
 * a pod that is not Ready is let go with unhealthyPodEvictionPolicy
 * AlwaysAllow, or with the default IfHealthyBudget while currentHealthy
 * >= desiredHealthy > 0.
 */
static bool
pod_is_held(const struct pod *p, const struct pdb *b,
	    const struct budget *bu)
{
	if (p->deleting || (p->phase && strcmp(p->phase, "Running")))
		return false;
	if (p->ready != TRI_FALSE)
		return true;
	if (b->unhealthy_always_allow)
		return false;
	return !(bu->healthy >= bu->desired && bu->desired > 0);
}

static int
node_cmp(const void *x, const void *y)
{
	const struct pod *const *a = x, *const *b = y;

	return strcmp((*a)->node, (*b)->node);
}

static int
check_pdbs(struct dctx *c)
{
	struct u32_vec sel = {NULL, 0, 0};
	VEC(const struct pod *) on = {NULL, 0, 0};
	const struct pdb *b;
	int rc = 0;

	vec_foreach(&c->cs->pdbs, b) {
		struct budget bu;
		const char *why;
		size_t i, j;

		if (pod_index_select(&c->ix, c->cs, b->namespace_,
				     &b->selector,
				     strcmp(b->api, "policy/v1beta1") != 0,
				     &sel) < 0) {
			rc = oom(c);
			break;
		}
		if (sel.n == 0)
			continue;
		if (pdb_budget(c, b, sel.v, sel.n, &bu) < 0) {
			rc = oom(c);
			break;
		}
		if (!bu.why)
			continue;
		why = bu.why;
		/* The pods on a node whose eviction the budget refuses. */
		on.n = 0;
		for (i = 0; i < sel.n; i++) {
			const struct pod *p = &c->cs->pods.v[sel.v[i]];
			const struct pod **slot;

			if (!pod_is_evicted(p) || !pod_is_held(p, b, &bu))
				continue;
			if (!(slot = vec_push(&on))) {
				rc = oom(c);
				goto out;
			}
			*slot = p;
		}
		if (on.n == 0)
			continue;
		qsort(on.v, on.n, sizeof(*on.v), node_cmp);
		for (i = 0; i < on.n; i = j) {
			struct src_loc ev[DRAIN_MAX_EVIDENCE];
			size_t nev = 0;

			ev[nev++] = b->status_loc.line ? b->status_loc : b->loc;
			for (j = i; j < on.n && !strcmp(on.v[j]->node,
							 on.v[i]->node); j++)
				if (nev < DRAIN_MAX_EVIDENCE)
					ev[nev++] = on.v[j]->loc;
			{
				struct fill f[] = {
					{"node", on.v[i]->node},
					{"namespace", b->namespace_},
					{"name", b->name},
					{"pod", on.v[i]->name},
					{"count", arena_printf(c->a, "%zu",
							      j - i)},
					{"reason", why},
				};

				if ((rc = add_blocker(c, c->pdb, on.v[i]->node,
						      "PodDisruptionBudget",
						      b->namespace_, b->name, f,
						      ARRAY_SIZE(f), ev,
						      nev)) < 0)
					goto out;
			}
		}
	}
out:
	vec_release(&sel);
	vec_release(&on);
	return rc;
}

/* ------------------------------------------------------------ pods */

/* Why a pod's data or placement does not follow it: arena, or NULL. */
static const char *
local_reason(struct dctx *c, const struct pod *p)
{
	struct buf b = BUF_INIT;
	const char *out;
	size_t i;

	for (i = 0; i < p->nempty_dirs; i++)
		buf_addf(&b, "%san emptyDir volume '%s', deleted by the drain",
			 b.len ? "; " : "", p->empty_dirs[i]);
	for (i = 0; i < p->nhost_paths; i++)
		buf_addf(&b, "%sa hostPath volume '%s', which stays on the node "
			 "while the pod starts elsewhere without it",
			 b.len ? "; " : "",
			 p->host_paths[i]);
	if (p->pinned_to)
		buf_addf(&b, "%sa nodeSelector or required nodeAffinity "
			 "that pins it to '%s', so it stays Pending until that "
			 "node is back", b.len ? "; " : "", p->pinned_to);
	if (b.len == 0 || b.oom) {
		c->oom = c->oom || b.oom;
		buf_release(&b);
		return NULL;
	}
	out = arena_strdup(c->a, buf_cstr(&b));
	buf_release(&b);
	if (!out)
		c->oom = true;
	return out;
}

static int
check_pods(struct dctx *c)
{
	const struct pod *p;
	const char *why;

	vec_foreach(&c->cs->pods, p) {
		struct fill f[] = {
			{"node", p->node}, {"namespace", p->namespace_},
			{"pod", p->name}, {"reason", NULL},
		};

		/* Finished pods are deleted with no flag (filters.go). */
		if (!pod_is_evicted(p) || pod_is_finished(p))
			continue;
		if (c->unmanaged && !pod_controller(p)) {
			f[3].value = p->nowners
					     ? "its ownerReferences name no "
					       "controller"
					     : "it has no ownerReferences";
			if (add_blocker(c, c->unmanaged, p->node, "Pod",
					p->namespace_, p->name, f,
					ARRAY_SIZE(f), &p->loc, 1) < 0)
				return -1;
		}
		if (c->local && (why = local_reason(c, p))) {
			f[3].value = why;
			if (add_blocker(c, c->local, p->node, "Pod",
					p->namespace_, p->name, f,
					ARRAY_SIZE(f), &p->loc, 1) < 0)
				return -1;
		}
		if (c->oom)
			return oom(c);
	}
	return 0;
}

/* ------------------------------------------------------------ replicas */

/* A ready replica: its workload (by name) and node. */
struct replica {
	const char *kind, *name, *ns, *node;	/* borrowed: cs */
	const struct workload *w;	/* borrowed; NULL when not captured */
	const struct pod *pod;
};

static int
replica_cmp(const void *x, const void *y)
{
	const struct replica *a = x, *b = y;
	int r;

	if ((r = strcmp(a->ns, b->ns)) || (r = strcmp(a->kind, b->kind)) ||
	    (r = strcmp(a->name, b->name)))
		return r;
	return strcmp(a->node, b->node);
}

static bool
same_workload(const struct replica *a, const struct replica *b)
{
	return !strcmp(a->ns, b->ns) && !strcmp(a->kind, b->kind) &&
	       !strcmp(a->name, b->name);
}

/*
 * Deployments (through their ReplicaSets), StatefulSets and ReplicaSets
 * whose ready replicas all run on one node: its drain stops the workload
 * until a replacement is Ready elsewhere. Workloads on two nodes or more
 * are kept for the planner's batches (rules_drain_batch).
 */
static int
check_replicas(struct dctx *c)
{
	VEC(struct replica) v = {NULL, 0, 0};
	const struct pod *p;
	struct replica *r;
	size_t i, j, k;
	int rc = 0;

	vec_foreach(&c->cs->pods, p) {
		struct replica x = {NULL, NULL, p->namespace_, p->node, NULL, p};

		if (!pod_is_evicted(p) || !pod_is_healthy(p))
			continue;
		top_owner(c, p, &x.kind, &x.name, &x.w);
		if (!x.kind || (strcmp(x.kind, "Deployment") &&
				strcmp(x.kind, "StatefulSet") &&
				strcmp(x.kind, "ReplicaSet")))
			continue;
		if (!(r = vec_push(&v)))
			return oom(c);
		*r = x;
	}
	if (v.n > 1)
		qsort(v.v, v.n, sizeof(*v.v), replica_cmp);
	for (i = 0; i < v.n && rc == 0; i = j) {
		size_t nodes = 1;
		struct drain_workload *dw;
		const struct replica *a = &v.v[i];

		for (j = i + 1; j < v.n && same_workload(a, &v.v[j]); j++)
			if (strcmp(v.v[j].node, v.v[j - 1].node))
				nodes++;
		if (nodes == 1) {
			struct src_loc ev[2] = {a->w ? a->w->loc : a->pod->loc,
						a->pod->loc};
			const char *why = arena_printf(
				c->a,
				j - i == 1 ? "its only ready replica, '%s', "
					     "runs there"
					   : "all of its ready replicas run "
					     "there ('%s' and %zu more)",
				a->pod->name, j - i - 1);
			struct fill f[] = {
				{"node", a->node}, {"namespace", a->ns},
				{"name", a->name}, {"kind", a->kind},
				{"count", arena_printf(c->a, "%zu", j - i)},
				{"reason", why},
			};

			if (c->single)
				rc = add_blocker(c, c->single, a->node, a->kind,
						 a->ns, a->name, f,
						 ARRAY_SIZE(f), ev,
						 a->w ? 2 : 1);
			continue;
		}
		if (!(dw = vec_push(&c->out->workloads)) ||
		    !(dw->nodes = arena_alloc(c->a, nodes * sizeof(char *))))
			return oom(c);
		dw->kind = a->kind;
		dw->namespace_ = a->ns;
		dw->name = a->name;
		dw->replicas = a->w ? a->w->replicas : -1;
		dw->nready = j - i;
		dw->loc = a->w ? a->w->loc : a->pod->loc;
		for (k = i; k < j; k++)
			if (k == i || strcmp(v.v[k].node, v.v[k - 1].node))
				dw->nodes[dw->nnodes++] = v.v[k].node;
	}
	vec_release(&v);
	return rc;
}

/* ------------------------------------------------------------ entry */

static int
blocker_cmp(const void *x, const void *y)
{
	const struct drain_blocker *a = x, *b = y;
	int r;

	if ((r = strcmp(a->node, b->node)) ||
	    (r = strcmp(a->rule->id, b->rule->id)) ||
	    (r = strcmp(a->namespace_, b->namespace_)))
		return r;
	return strcmp(a->name, b->name);
}

int
rules_drain_analyze(const struct rules_db *db, const struct cluster_state *cs,
		    struct arena *a, struct diag *d, struct drain_analysis *out)
{
	struct dctx c;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.cs = cs;
	c.a = a;
	c.d = d;
	c.out = out;
	c.pdb = rule_of(db, CK_DRAIN_PDB);
	c.unmanaged = rule_of(db, CK_DRAIN_UNMANAGED);
	c.local = rule_of(db, CK_DRAIN_LOCAL_DATA);
	c.single = out->single_replica = rule_of(db, CK_DRAIN_SINGLE_REPLICA);
	if (pod_index_build(&c.ix, cs) < 0 || wl_index(&c) < 0)
		rc = oom(&c);
	if (rc == 0 && c.pdb)
		rc = check_pdbs(&c);
	if (rc == 0)
		rc = check_pods(&c);
	if (rc == 0)
		rc = check_replicas(&c);
	if (rc == 0 && out->blockers.n > 1)
		qsort(out->blockers.v, out->blockers.n,
		      sizeof(*out->blockers.v), blocker_cmp);
	pod_index_release(&c.ix);
	strmap_release(&c.workloads);
	buf_release(&c.key);
	if (rc < 0)
		rules_drain_release(out);
	return rc;
}

void
rules_drain_release(struct drain_analysis *da)
{
	if (!da)
		return;
	vec_release(&da->blockers);
	vec_release(&da->workloads);
}

/* Is every node of w among nodes[0..n)? */
static bool
batch_takes_all(const struct drain_workload *w, const char *const *nodes,
		size_t n)
{
	size_t i, k;

	for (i = 0; i < w->nnodes; i++) {
		for (k = 0; k < n; k++)
			if (!strcmp(w->nodes[i], nodes[k]))
				break;
		if (k == n)
			return false;
	}
	return true;
}

int
rules_drain_batch(const struct drain_analysis *da, struct arena *a,
		  const char *const *nodes, size_t n,
		  struct drain_analysis *out)
{
	const struct drain_workload *w;
	struct buf list = BUF_INIT;
	size_t i;
	int rc = 0;

	if (n < 2 || !da->single_replica)
		return 0;
	for (i = 0; i < n; i++)
		buf_addf(&list, "%s%s", i ? ", " : "", nodes[i]);
	vec_foreach(&da->workloads, w) {
		struct drain_blocker *b;
		const char *why;

		if (w->nnodes > n || !batch_takes_all(w, nodes, n))
			continue;
		why = arena_printf(a, "its %zu ready replicas run only on the "
				   "nodes of this batch, drained together "
				   "(--max-unavailable %zu)", w->nready, n);
		{
			struct fill f[] = {
				{"node", buf_cstr(&list)},
				{"namespace", w->namespace_},
				{"name", w->name},
				{"kind", w->kind},
				{"count", arena_printf(a, "%zu", w->nready)},
				{"reason", why},
			};

			if (!(b = vec_push(&out->blockers))) {
				rc = -1;
				break;
			}
			b->rule = da->single_replica;
			b->node = arena_strdup(a, buf_cstr(&list));
			b->kind = w->kind;
			b->namespace_ = w->namespace_;
			b->name = w->name;
			b->subject = arena_printf(a, "%s/%s/%s", nodes[0],
						  w->namespace_, w->name);
			b->message = eval_render(a, b->rule->message, f,
						 ARRAY_SIZE(f));
			b->remediation = eval_render(a, b->rule->remediation,
						     f, ARRAY_SIZE(f));
			b->evidence[0] = w->loc;
			b->nevidence = 1;
			if (!why || !b->node || !b->subject || !b->message ||
			    !b->remediation || list.oom) {
				rc = -1;
				break;
			}
		}
	}
	buf_release(&list);
	return rc;
}
