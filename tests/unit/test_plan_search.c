/*
 * test_plan_search.c - the planner against generated clusters. Each small
 * cluster (one or two control-plane nodes, one to three workers, kubelets
 * lagging within and beyond every window, HA control planes stopped half
 * way, a cordoned worker) is planned to the cluster's own version (finish),
 * one minor and two minors up. Every plan is re-checked step by step with
 * the rules written out here, independent of simulate.c; its end state must
 * have every component at the target. Every refusal is checked by an
 * exhaustive search over the supported moves (kubeadm upgrade apply, upgrade
 * node, a kubelet brought up to the cluster's version): the planner may
 * refuse only when no sequence of them reaches the target.
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
	bool cordoned;		/* the last worker */
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

/* The skew policy over minors. */
static bool
skew_ok(unsigned n, unsigned ncp, const unsigned *api, const unsigned *kl)
{
	unsigned i, j;

	for (i = 0; i < ncp; i++)
		for (j = 0; j < ncp; j++)
			if (api[i] > api[j] + 1)
				return false;
	for (i = 0; i < n; i++)
		for (j = 0; j < ncp; j++)
			if (kl[i] > api[j] ||
			    (int)api[j] - (int)kl[i] > window(api[j], kl[i]))
				return false;
	return true;
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

/* Adds k to the visited set; false if it was there. */
static bool
visit(uint32_t *set, uint32_t k)
{
	uint32_t h = (k * 2654435761u) & (TABLE - 1);

	k++;	/* 0 marks an empty slot */
	while (set[h] && set[h] != k)
		h = (h + 1) & (TABLE - 1);
	if (set[h])
		return false;
	set[h] = k;
	return true;
}

/* True if some sequence of supported moves reaches the target. */
static bool
reachable(const struct gen *g)
{
	unsigned n = g->ncp + g->nw, base = g->cluster - 4, i;
	size_t head = 0, tail = 0;
	uint32_t *set = calloc(TABLE, sizeof(*set));
	struct sstate *q = malloc(TABLE * sizeof(*q));
	struct sstate s0;
	bool found = false;

	assert_non_null(set);
	assert_non_null(q);
	s0.m = g->cluster;
	memcpy(s0.api, g->api, sizeof(s0.api));
	memcpy(s0.kl, g->kl, sizeof(s0.kl));
	q[tail++] = s0;
	visit(set, key(g, &s0, base));
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
				if (s.api[i] == s.m ||
				    (int)s.m - (int)s.kl[i] > kskew(s.m))
					continue;
				t.api[i] = s.m;
			} else {
				i = mv - 1 - g->ncp;
				if (s.kl[i] == s.m ||
				    (int)s.m - (int)s.kl[i] > kskew(s.m))
					continue;
				t.kl[i] = s.m;
			}
			if (!skew_ok(n, g->ncp, t.api, t.kl))
				continue;
			k = key(g, &t, base);
			if (!visit(set, k))
				continue;
			assert_true(tail < TABLE / 2);
			q[tail++] = t;
		}
	}
	free(set);
	free(q);
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
			g->cordoned && i + 1 == g->ncp + g->nw
				? "Ready,SchedulingDisabled" : "Ready",
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

static bool
ver_is(const struct plan_ver *v, unsigned minor, unsigned patch)
{
	return v->set && v->major == 1 && v->minor == minor &&
	       v->patch == patch;
}

/* Every state of the plan against the rules above; the end at the target. */
static void
check_plan(const struct gen *g, const struct plan *p)
{
	unsigned n = g->ncp + g->nw, api[MAXN], kl[MAXN], i;
	const struct plan_state *prev = &p->initial, *last = prev;
	size_t s;

	for (s = 0; s < p->steps.n; s++) {
		const struct plan_step *st = &p->steps.v[s];
		const struct plan_state *now = &st->state;
		const struct plan_ver *to = &p->hops.v[st->hop - 1].to;

		if (st->action == PA_KUBEADM_UPGRADE_APPLY) {
			assert_true(to->minor <= prev->cluster.minor + 1);
			for (i = 0; i < n; i++)
				assert_true((int)to->minor -
						    (int)prev->nodes[i].kubelet.minor <=
					    kskew(to->minor));
		}
		if (st->action == PA_KUBEADM_UPGRADE_NODE)
			assert_true((int)prev->cluster.minor -
					    (int)prev->nodes[st->node].kubelet.minor <=
				    kskew(prev->cluster.minor));
		for (i = 0; i < n; i++) {
			kl[i] = now->nodes[i].kubelet.minor;
			if (i < g->ncp)
				api[i] = now->nodes[i].apiserver.minor;
		}
		assert_true(skew_ok(n, g->ncp, api, kl));
		prev = last = now;
	}
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
}

struct tally {
	size_t planned, refused, searched, skipped, catch_up, finish;
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
	int rc;
	size_t i;

	/* A cluster already outside the skew policy is out of scope. */
	if (!skew_ok(n, g->ncp, g->api, g->kl)) {
		t->skipped++;
		return;
	}
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
	if (rc == PLAN_OK) {
		t->planned++;
		check_plan(g, &plan);
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
		t->searched++;
		if (reachable(g)) {
			fprintf(stderr, "refused but reachable: cluster 1.%u "
				"ncp %u nw %u target 1.%u api", g->cluster,
				g->ncp, g->nw, g->target);
			for (i = 0; i < g->ncp; i++)
				fprintf(stderr, " %u", g->api[i]);
			fprintf(stderr, " kubelets");
			for (i = 0; i < n; i++)
				fprintf(stderr, " %u", g->kl[i]);
			fprintf(stderr, ": %s\n", plan.findings.v[0].message);
			fail();
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
	unsigned ncp, nw, lag1, lag2, lag3, cplag, up, cord;

	(void)state;
	assert_non_null(mkdtemp(dir));
	arena_init(&arena);
	diag_init(&d);
	d.out = tmpfile();
	assert_int_equal(rules_load(&db, &arena, &d, "rules"), 0);
	for (ci = 0; ci < ARRAY_SIZE(clusters); ci++)
	for (ncp = 1; ncp <= 2; ncp++)
	for (cplag = 0; cplag < ncp; cplag++)
	for (nw = 1; nw <= 3; nw++)
	for (lag1 = 0; lag1 <= 4; lag1++)
	for (lag2 = 0; lag2 <= (nw >= 2 ? lag1 : 0); lag2++)
	for (lag3 = 0; lag3 <= (nw >= 3 ? lag2 : 0); lag3++)
	for (cord = 0; cord <= 1; cord++)
	for (up = 0; up <= 2; up++) {
		struct gen g;
		unsigned c = clusters[ci], i;

		memset(&g, 0, sizeof(g));
		g.ncp = ncp;
		g.nw = nw;
		g.cluster = c;
		g.target = c + up;
		g.cordoned = cord;
		for (i = 0; i < ncp; i++) {
			/* cp-2 may not have run `kubeadm upgrade node`. */
			g.api[i] = i == 1 && cplag ? c - 1 : c;
			g.kl[i] = g.api[i] < c ? g.api[i] : c;
		}
		if (ncp == 2 && cplag)
			g.kl[0] = c - 1;	/* kubelets after the CPs */
		g.kl[ncp] = c - lag1;
		if (nw >= 2)
			g.kl[ncp + 1] = c - lag2;
		if (nw >= 3)
			g.kl[ncp + 2] = c - lag3;
		run_case(&g, dir, &db, &t);
	}
	print_message("generated clusters: %zu planned (%zu catch-up and "
		      "%zu finishing hops), %zu refused and proven "
		      "unreachable by search, %zu already outside the skew "
		      "policy (skipped)\n", t.planned, t.catch_up, t.finish,
		      t.refused, t.skipped);
	/* The table covers both outcomes and both kinds of hop. */
	assert_true(t.planned > 500);
	assert_true(t.refused > 0);
	assert_true(t.catch_up > 0);
	assert_true(t.finish > 0);
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
