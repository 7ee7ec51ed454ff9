/*
 * test_plan_search.c - the planner against generated clusters. Each small
 * cluster (one to three control-plane nodes, one to three workers, kubelets
 * lagging within and beyond every window or one minor ahead, HA control
 * planes stopped half way, among them kubelets upgraded before `kubeadm
 * upgrade node` ran on another control plane, a cordoned or NotReady
 * worker) is planned to the cluster's own version (finish), one minor and
 * two minors up. Every plan is re-checked step by step with the rules
 * written out here, independent of simulate.c: no step may break a rule
 * that held before it (a snapshot that already breaks one may keep that
 * breakage until a step repairs it), and the end state must have every
 * component at the target. Every refusal is checked by an exhaustive
 * search over the supported moves (kubeadm upgrade apply, upgrade node, a
 * kubelet brought up to the cluster's version) under the same rule: the
 * planner may refuse only when no sequence of them reaches the target. A
 * NotReady node is always refused (plan-node-not-ready).
 *
 * The rules, by minor (kubernetes.io/releases/version-skew-policy,
 * kubeadm's policy.go and PR 120825): kube-apiservers within one minor;
 * kubelets not newer than any kube-apiserver and at most 2 minors older (3
 * when the kube-apiserver is 1.28 or later and the kubelet 1.25 or later);
 * kubeadm N upgrades the cluster one minor at a time and accepts, and
 * manages, kubelets at most 1 (N <= 1.28) or 3 (N >= 1.29) minors older.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../analyzer/ingest/ingest.h"
#include "../../analyzer/planner/planner.h"

#define MAXN 5

struct gen {
	unsigned ncp, nw;
	unsigned cluster;	/* minor of the cluster */
	unsigned api[MAXN];	/* control-plane kube-apiserver minors */
	unsigned kl[MAXN];	/* kubelet minors */
	unsigned status;	/* the last worker: 0 Ready, 1 cordoned, 2 NotReady */
	unsigned target;	/* minor */
};

static int
kskew(unsigned minor)
{
	return minor <= 28 ? 1 : 3;
}

static int
window(unsigned api, unsigned kl)
{
	return api >= 28 && kl >= 25 ? 3 : 2;
}

/*
 * The skew policy over minors: one bit per broken pair, kube-apiservers
 * i and j (bit i * MAXN + j) and kubelet i against kube-apiserver j (bit
 * MAXN * MAXN + i * MAXN + j). 0 means the state keeps the policy.
 */
static uint64_t
viol(unsigned n, unsigned ncp, const unsigned *api, const unsigned *kl)
{
	uint64_t v = 0;
	unsigned i, j;

	for (i = 0; i < ncp; i++)
		for (j = 0; j < ncp; j++)
			if (api[i] > api[j] + 1)
				v |= (uint64_t)1 << (i * MAXN + j);
	for (i = 0; i < n; i++)
		for (j = 0; j < ncp; j++)
			if (kl[i] > api[j] ||
			    (int)api[j] - (int)kl[i] > window(api[j], kl[i]))
				v |= (uint64_t)1 << (MAXN * MAXN + i * MAXN + j);
	return v;
}

/* ------------------------------------------------------------ search */

/* Minors are stored as offsets from base (0..7). */
struct sstate {
	unsigned m, api[MAXN], kl[MAXN];
};

static uint32_t
key(const struct gen *g, const struct sstate *s, unsigned base)
{
	uint32_t k = s->m - base;
	unsigned i;

	for (i = 0; i < g->ncp; i++)
		k = k * 8 + (s->api[i] - base);
	for (i = 0; i < g->ncp + g->nw; i++)
		k = k * 8 + (s->kl[i] - base);
	return k;
}

#define TABLE (1u << 16)

/*
 * The visited set and the queue, shared by every search: a slot belongs
 * to the current search when its stamp is the search's (no clearing).
 */
static uint32_t set_key[TABLE], set_stamp[TABLE], stamp;
static struct sstate queue[TABLE / 2];

/* Adds k to the visited set; false if it was there. */
static bool
visit(uint32_t k)
{
	uint32_t h = (k * 2654435761u) & (TABLE - 1);

	while (set_stamp[h] == stamp && set_key[h] != k)
		h = (h + 1) & (TABLE - 1);
	if (set_stamp[h] == stamp)
		return false;
	set_stamp[h] = stamp;
	set_key[h] = k;
	return true;
}

/* True if some sequence of supported moves reaches the target. */
static bool
reachable(const struct gen *g)
{
	unsigned n = g->ncp + g->nw, base = g->cluster - 4, i;
	size_t head = 0, tail = 0;
	struct sstate *q = queue;
	struct sstate s0;
	bool found = false;

	stamp++;
	s0.m = g->cluster;
	memcpy(s0.api, g->api, sizeof(s0.api));
	memcpy(s0.kl, g->kl, sizeof(s0.kl));
	q[tail++] = s0;
	visit(key(g, &s0, base));
	while (head < tail && !found) {
		struct sstate s = q[head++], t;
		unsigned mv;

		found = s.m == g->target;
		for (i = 0; found && i < g->ncp; i++)
			found = s.api[i] == g->target;
		for (i = 0; found && i < n; i++)
			found = s.kl[i] == g->target;
		if (found)
			break;
		/* Moves: 0 apply (next minor), 1..ncp upgrade node,
		 * then one kubelet per node. */
		for (mv = 0; mv < 1 + g->ncp + n; mv++) {
			uint32_t k;

			t = s;
			if (mv == 0) {
				if (s.m >= g->target)
					continue;
				t.m = s.m + 1;
				for (i = 0; i < n; i++)
					if ((int)t.m - (int)s.kl[i] > kskew(t.m))
						break;
				if (i < n)
					continue;
				t.api[0] = t.m;
			} else if (mv <= g->ncp) {
				i = mv - 1;
				if (s.api[i] >= s.m ||
				    (int)s.m - (int)s.kl[i] > kskew(s.m))
					continue;
				t.api[i] = s.m;
			} else {
				i = mv - 1 - g->ncp;
				if (s.kl[i] >= s.m ||
				    (int)s.m - (int)s.kl[i] > kskew(s.m))
					continue;
				t.kl[i] = s.m;
			}
			/* A move may not break a rule that held before. */
			if (viol(n, g->ncp, t.api, t.kl) &
			    ~viol(n, g->ncp, s.api, s.kl))
				continue;
			k = key(g, &t, base);
			if (!visit(k))
				continue;
			assert_true(tail < TABLE / 2);
			q[tail++] = t;
		}
	}
	return found;
}

/* ------------------------------------------------------------ planning */

struct fx {
	struct arena arena;
	struct cluster_state cs;
	struct rules_db db;
	struct diag d;
	struct plan plan;
	int rc;
};

static void
put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Writes g as a snapshot in dir: nodes, version, control-plane pods. */
static void
write_snapshot(const struct gen *g, const char *dir)
{
	char buf[4096];
	size_t len = 0, i;
	unsigned server = 0;

	len += (size_t)snprintf(buf + len, sizeof(buf) - len,
				"$ kubectl get nodes\nNAME STATUS ROLES AGE "
				"VERSION\n");
	for (i = 0; i < g->ncp + g->nw; i++)
		len += (size_t)snprintf(
			buf + len, sizeof(buf) - len, "%s-%zu %s %s 9d v1.%u.5\n",
			i < g->ncp ? "cp" : "worker", i + 1,
			i + 1 < g->ncp + g->nw || g->status == 0 ? "Ready"
			: g->status == 1 ? "Ready,SchedulingDisabled"
					 : "NotReady",
			i < g->ncp ? "control-plane" : "<none>", g->kl[i]);
	put(dir, "nodes.txt", buf);
	for (i = 0; i < g->ncp; i++)
		server = g->api[i] > server ? g->api[i] : server;
	snprintf(buf, sizeof(buf), "$ kubectl version\nClient Version: "
		 "v1.%u.5\nKustomize Version: v5.0.1\nServer Version: "
		 "v1.%u.5\n", server, g->api[g->ncp - 1]);
	put(dir, "version.txt", buf);
	len = (size_t)snprintf(buf, sizeof(buf),
			       "$ kubectl get pods -A -o custom-columns="
			       "'NAMESPACE:.metadata.namespace,NAME:.metadata."
			       "name,NODE:.spec.nodeName,IMAGES:.spec."
			       "containers[*].image'\nNAMESPACE NAME NODE "
			       "IMAGES\n");
	for (i = 0; i < g->ncp; i++) {
		static const char *const comp[] = {
			"kube-apiserver", "kube-controller-manager",
			"kube-scheduler"};
		size_t k;

		for (k = 0; k < 3; k++)
			len += (size_t)snprintf(
				buf + len, sizeof(buf) - len,
				"kube-system %s-cp-%zu cp-%zu "
				"registry.k8s.io/%s:v1.%u.5\n",
				comp[k], i + 1, i + 1, comp[k], g->api[i]);
	}
	put(dir, "pods.txt", buf);
}

static int
plan_ver_cmp_test(const struct plan_ver *x, const struct plan_ver *y)
{
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return x->patch < y->patch ? -1 : x->patch > y->patch;
}

static bool
ver_is(const struct plan_ver *v, unsigned minor, unsigned patch)
{
	return v->set && v->major == 1 && v->minor == minor &&
	       v->patch == patch;
}

/*
 * Every state of the plan against the rules above (no step breaks a rule
 * that held before it); the end at the target. True if the snapshot broke
 * a rule that the plan repaired.
 */
static bool
check_plan(const struct gen *g, const struct plan *p)
{
	unsigned n = g->ncp + g->nw, api[MAXN], kl[MAXN], i;
	const struct plan_state *prev = &p->initial, *last = prev;
	uint64_t was = viol(n, g->ncp, g->api, g->kl), first = was, now_v;
	unsigned managed[MAXN];
	/* The state after each step: the one before with its changes. */
	struct plan_node_state nodes[2][MAXN];
	struct plan_state states[2];
	size_t s, k;

	memset(managed, 0, sizeof(managed));	/* 0: not yet by the plan */

	for (s = 0; s < p->steps.n; s++) {
		const struct plan_step *st = &p->steps.v[s];
		struct plan_state *now = &states[s % 2];
		const struct plan_ver *to = &p->hops.v[st->hop - 1].to;

		*now = st->state;
		now->nodes = nodes[s % 2];
		memcpy(now->nodes, prev->nodes, n * sizeof(*now->nodes));
		for (k = 0; k < st->nchanges; k++)
			plan_change_apply(&st->changes[k], now->nodes, now);

		if (st->action == PA_KUBEADM_UPGRADE_APPLY)
			managed[st->node] = to->minor;
		if (st->action == PA_KUBEADM_UPGRADE_APPLY) {
			assert_true(to->minor <= prev->cluster.minor + 1);
			for (i = 0; i < n; i++)
				assert_true((int)to->minor -
						    (int)prev->nodes[i].kubelet.minor <=
					    kskew(to->minor));
		}
		if (st->action == PA_KUBEADM_UPGRADE_NODE) {
			unsigned m = prev->cluster.minor;

			assert_true((int)m -
					    (int)prev->nodes[st->node].kubelet.minor <=
				    kskew(m));
			/* The cluster's kubeadm; once the plan has run it on
			 * a node, one minor at a time there (kubeadm's skew
			 * against kubeadm: the kubeadm that last managed the
			 * node or one minor newer). */
			assert_int_equal(prev->nodes[st->node].kubeadm.minor, m);
			if (managed[st->node])
				assert_true(m <= managed[st->node] + 1);
			managed[st->node] = m;
		}
		for (i = 0; i < n; i++) {
			/* Nothing is ever downgraded. */
			assert_true(plan_ver_cmp_test(&now->nodes[i].kubelet,
						      &prev->nodes[i].kubelet) >= 0);
			kl[i] = now->nodes[i].kubelet.minor;
			if (i < g->ncp)
				api[i] = now->nodes[i].apiserver.minor;
		}
		now_v = viol(n, g->ncp, api, kl);
		assert_int_equal(now_v & ~was, 0);
		was = now_v;
		prev = last = now;
	}
	assert_int_equal(was, 0);
	for (i = 0; i < n; i++) {
		assert_true(ver_is(&last->nodes[i].kubelet, p->to.minor,
				   p->to.patch));
		if (i < g->ncp) {
			assert_true(ver_is(&last->nodes[i].apiserver,
					   p->to.minor, p->to.patch));
			assert_true(ver_is(&last->nodes[i].controller_manager,
					   p->to.minor, p->to.patch));
			assert_true(ver_is(&last->nodes[i].scheduler,
					   p->to.minor, p->to.patch));
		}
	}
	assert_true(ver_is(&last->cluster, p->to.minor, p->to.patch));
	assert_true(ver_is(&last->kube_proxy, p->to.minor, p->to.patch));
	assert_true(ver_is(&last->kubectl, p->to.minor, p->to.patch));
	return first != 0;
}

static size_t
drains(const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->steps.n; i++)
		n += p->steps.v[i].action == PA_DRAIN;
	return n;
}

static bool
has_finding(const struct plan *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->findings.n; i++)
		if (!strcmp(p->findings.v[i].rule->id, id))
			return true;
	return false;
}

struct tally {
	size_t planned, refused, not_ready, repaired, catch_up, finish;
	size_t mismatches;	/* refused although the search reaches it */
	size_t saved, fewer;	/* drains fewest-drains saves; plans it helps */
	uint32_t index;		/* of the next generated case */
	bool full;		/* every case, not the fixed quarter */
};

static void
run_case(const struct gen *g, const char *dir, struct rules_db *db,
	 struct tally *t)
{
	struct arena arena;
	struct cluster_state cs;
	struct diag d;
	struct plan plan;
	struct plan_options o;
	char to[16];
	unsigned n = g->ncp + g->nw;
	uint32_t pick = (t->index++ + 0x5eedu) * 2654435761u;
	int rc;
	size_t i;

	if (!t->full && pick >> 30 != 0)
		return;
	write_snapshot(g, dir);
	arena_init(&arena);
	cluster_state_init(&cs, &arena);
	diag_init(&d);
	d.out = tmpfile();
	d.no_source = true;
	assert_int_equal(ingest_arg(&cs, &d, dir), 0);
	model_sort(&cs);
	if (g->target == g->cluster)
		snprintf(to, sizeof(to), "1.%u.5", g->target);
	else
		snprintf(to, sizeof(to), "1.%u", g->target);
	memset(&o, 0, sizeof(o));
	o.to = to;
	assert_true(date_parse("2026-08-01", 10, &o.as_of));
	o.max_unavailable = 1;
	/* db lives in the caller's arena; the cluster in this one. */
	rc = plan_build(db, &cs, &o, &plan, &d);
	if (g->status == 2) {
		/* A NotReady node is refused whatever its versions. */
		assert_int_equal(rc, PLAN_REFUSED);
		assert_true(plan.findings.n > 0);
		assert_string_equal(plan.findings.v[0].rule->id,
				    "plan-node-not-ready");
		t->not_ready++;
	} else if (rc == PLAN_OK) {
		struct plan few;
		size_t d0 = drains(&plan), d1;

		t->planned++;
		t->repaired += check_plan(g, &plan);
		/*
		 * --strategy fewest-drains plans whatever the default plans,
		 * under the same checks, never with more drains.
		 */
		o.strategy = PLAN_STRATEGY_FEWEST_DRAINS;
		assert_int_equal(plan_build(db, &cs, &o, &few, &d), PLAN_OK);
		check_plan(g, &few);
		d1 = drains(&few);
		assert_true(d1 <= d0);
		assert_int_equal(few.drains, d1);
		assert_int_equal(few.drains_default, d0);
		/* The plan says what the strategy did, or why not. */
		assert_true(has_finding(&few, d1 < d0 ? "plan-drains-saved"
						      : "plan-strategy-refused"));
		assert_false(has_finding(&plan, "plan-drains-saved") ||
			     has_finding(&plan, "plan-strategy-refused"));
		t->saved += d0 - d1;
		t->fewer += d1 < d0;
		plan_release(&few);
		for (i = 0; i < plan.hops.n; i++) {
			t->catch_up += !plan.hops.v[i].apply &&
				       g->target != g->cluster;
			t->finish += !plan.hops.v[i].apply &&
				     g->target == g->cluster;
		}
		/* A plan exists, so the search must find one too. */
		assert_true(reachable(g));
	} else {
		assert_int_equal(rc, PLAN_REFUSED);
		t->refused++;
		if (reachable(g)) {
			fprintf(stderr, "refused but reachable: cluster 1.%u "
				"ncp %u nw %u target 1.%u api", g->cluster,
				g->ncp, g->nw, g->target);
			for (i = 0; i < g->ncp; i++)
				fprintf(stderr, " %u", g->api[i]);
			fprintf(stderr, " kubelets");
			for (i = 0; i < n; i++)
				fprintf(stderr, " %u", g->kl[i]);
			fprintf(stderr, " status %u", g->status);
			fprintf(stderr, ": %s\n", plan.findings.v[0].message);
			t->mismatches++;
		}
	}
	plan_release(&plan);
	cluster_state_release(&cs);
	arena_release(&arena);
	fclose(d.out);
	diag_release(&d);
}

static void
generated_clusters_plan_whenever_a_supported_sequence_exists(void **state)
{
	static const unsigned clusters[] = {24, 25, 27, 28, 29, 31};
	char dir[] = "/tmp/skewplan-search-XXXXXX";
	struct arena arena;
	struct rules_db db;
	struct diag d;
	struct tally t = {0};
	size_t ci;
	unsigned ncp, nw, cpstate, up, status;
	int lag1, lag2, lag3;

	(void)state;
	t.full = getenv("SKEWPLAN_SEARCH") &&
		 !strcmp(getenv("SKEWPLAN_SEARCH"), "full");
	assert_non_null(mkdtemp(dir));
	arena_init(&arena);
	diag_init(&d);
	d.out = tmpfile();
	assert_int_equal(rules_load(&db, &arena, &d, "rules"), 0);
	/*
	 * cpstate, with two or three control-plane nodes: 0 every instance at
	 * the cluster's version; the last one has not run `kubeadm upgrade
	 * node` yet, and 1 no kubelet of a control-plane node is upgraded, 2
	 * the first node's kubelet is (the snapshot breaks the skew policy:
	 * that kubelet is newer than the last kube-apiserver), 3 the last
	 * node's own kubelet is upgraded too (breaks it twice).
	 */
	for (ci = 0; ci < ARRAY_SIZE(clusters); ci++)
	for (ncp = 1; ncp <= 3; ncp++)
	for (cpstate = 0; cpstate <= (ncp > 1 ? 3u : 0u); cpstate++)
	for (nw = 1; nw <= MAXN - ncp && nw <= 3; nw++)
	for (lag1 = -1; lag1 <= 4; lag1++)
	for (lag2 = 0; lag2 <= (nw >= 2 && lag1 > 0 ? lag1 : 0); lag2++)
	for (lag3 = 0; lag3 <= (nw >= 3 ? lag2 : 0); lag3++)
	for (status = 0; status <= 2; status++)
	for (up = 0; up <= 2; up++) {
		struct gen g;
		unsigned c = clusters[ci], i, last = ncp - 1;

		memset(&g, 0, sizeof(g));
		g.ncp = ncp;
		g.nw = nw;
		g.cluster = c;
		g.target = c + up;
		g.status = status;
		for (i = 0; i < ncp; i++) {
			g.api[i] = c;
			g.kl[i] = cpstate == 1 || cpstate == 2 ? c - 1 : c;
		}
		if (cpstate) {
			g.api[last] = c - 1;
			if (cpstate == 2) {
				g.kl[0] = c;
				g.kl[last] = c - 1;
			}
		}
		/* lag -1: a kubelet one minor ahead of the cluster. */
		g.kl[ncp] = (unsigned)((int)c - lag1);
		if (nw >= 2)
			g.kl[ncp + 1] = c - (unsigned)lag2;
		if (nw >= 3)
			g.kl[ncp + 2] = c - (unsigned)lag3;
		run_case(&g, dir, &db, &t);
	}
	print_message("generated clusters: %zu planned (%zu catch-up and "
		      "%zu finishing hops; %zu repair a snapshot that breaks "
		      "the skew policy), %zu refused and proven unreachable "
		      "by search, %zu refused for a NotReady node\n",
		      t.planned, t.catch_up, t.finish, t.repaired, t.refused,
		      t.not_ready);
	print_message("--strategy fewest-drains: %zu drains saved in %zu "
		      "plans, never more than the default\n", t.saved,
		      t.fewer);
	assert_int_equal(t.mismatches, 0);
	/* The table covers both outcomes and both kinds of hop. */
	assert_true(t.planned > 500);
	assert_true(t.refused > 0);
	assert_true(t.catch_up > 0);
	assert_true(t.finish > 0);
	assert_true(t.repaired > 0);
	assert_true(t.not_ready > 0);
	assert_true(t.fewer > 0);
	{
		static const char *const files[] = {"nodes.txt", "version.txt",
						    "pods.txt"};
		char path[512];

		for (ci = 0; ci < ARRAY_SIZE(files); ci++) {
			snprintf(path, sizeof(path), "%s/%s", dir, files[ci]);
			assert_int_equal(unlink(path), 0);
		}
		assert_int_equal(rmdir(dir), 0);
	}
	rules_release(&db);
	arena_release(&arena);
	fclose(d.out);
	diag_release(&d);
}

static int
group_teardown(void **state)
{
	(void)state;
	ingest_release();
	re_release_all();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generated_clusters_plan_whenever_a_supported_sequence_exists),
	};

	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
