/*
 * test_drain.c - drain blockers: label selectors as Kubernetes matches
 * them, the disruption controller's rounding of percents, the budgets it
 * would call blocked, the pods and budgets read from kubectl's -o yaml and
 * -o json, bad objects skipped at their line and column, and the blockers
 * of the drain-1.29 fixture node by node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../analyzer/ingest/ingest.h"
#include "../../analyzer/rules/rules.h"

/* ------------------------------------------------------------ selectors */

static const struct label_pair pod_labels[] = {
	{"app", "web"}, {"tier", "front"}, {"release", ""},
};

struct sel_case {
	const char *what;
	bool present;
	struct label_pair ml[2];
	size_t nml;
	struct {
		const char *key;
		enum sel_op op;
		const char *values[2];
		size_t nvalues;
	} ex[2];
	size_t nex;
	bool want;
};

static const struct sel_case sel_cases[] = {
	{"absent selects nothing", false, {{0}}, 0, {{0}}, 0, false},
	{"empty selects everything", true, {{0}}, 0, {{0}}, 0, true},
	{"matchLabels equal", true, {{"app", "web"}}, 1, {{0}}, 0, true},
	{"matchLabels other value", true, {{"app", "api"}}, 1, {{0}}, 0,
	 false},
	{"matchLabels missing key", true, {{"zone", "a"}}, 1, {{0}}, 0, false},
	{"matchLabels empty value", true, {{"release", ""}}, 1, {{0}}, 0,
	 true},
	{"matchLabels all must hold", true, {{"app", "web"}, {"tier", "back"}},
	 2, {{0}}, 0, false},
	{"In one of two", true, {{0}}, 0,
	 {{"app", SEL_IN, {"api", "web"}, 2}}, 1, true},
	{"In none", true, {{0}}, 0, {{"app", SEL_IN, {"api"}, 1}}, 1, false},
	{"In without the key", true, {{0}}, 0,
	 {{"zone", SEL_IN, {"a"}, 1}}, 1, false},
	{"NotIn other", true, {{0}}, 0, {{"app", SEL_NOT_IN, {"api"}, 1}}, 1,
	 true},
	{"NotIn same", true, {{0}}, 0, {{"app", SEL_NOT_IN, {"web"}, 1}}, 1,
	 false},
	{"NotIn without the key holds", true, {{0}}, 0,
	 {{"zone", SEL_NOT_IN, {"a"}, 1}}, 1, true},
	{"Exists", true, {{0}}, 0, {{"tier", SEL_EXISTS, {0}, 0}}, 1, true},
	{"Exists missing", true, {{0}}, 0, {{"zone", SEL_EXISTS, {0}, 0}}, 1,
	 false},
	{"DoesNotExist missing", true, {{0}}, 0,
	 {{"zone", SEL_DOES_NOT_EXIST, {0}, 0}}, 1, true},
	{"DoesNotExist present", true, {{0}}, 0,
	 {{"app", SEL_DOES_NOT_EXIST, {0}, 0}}, 1, false},
	{"matchLabels and expressions both", true, {{"app", "web"}}, 1,
	 {{"tier", SEL_IN, {"front"}, 1}, {"zone", SEL_DOES_NOT_EXIST, {0}, 0}},
	 2, true},
	{"matchLabels holds, expression not", true, {{"app", "web"}}, 1,
	 {{"tier", SEL_NOT_IN, {"front"}, 1}}, 1, false},
};

static void
selectors_match_as_kubernetes_labels_selector_does(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sel_cases); i++) {
		const struct sel_case *t = &sel_cases[i];
		struct sel_req req[2];
		struct label_selector sel = {t->present,
					     (struct label_pair *)t->ml, t->nml,
					     req, t->nex};

		for (k = 0; k < t->nex; k++) {
			req[k].key = t->ex[k].key;
			req[k].op = t->ex[k].op;
			req[k].values = (const char **)t->ex[k].values;
			req[k].nvalues = t->ex[k].nvalues;
		}
		if (model_selector_matches(&sel, pod_labels,
					   ARRAY_SIZE(pod_labels)) != t->want)
			fail_msg("%s: want %d", t->what, t->want);
	}
}

/* ------------------------------------------------------------ rounding */

static void
percents_round_up_as_the_disruption_controller_does(void **state)
{
	static const struct {
		bool percent;
		long value, total, want;
	} t[] = {
		{true, 50, 3, 2},  {true, 33, 3, 1},   {true, 34, 3, 2},
		{true, 1, 1, 1},   {true, 0, 5, 0},    {true, 100, 7, 7},
		{true, 50, 0, 0},  {true, 99, 100, 99}, {true, 10, 11, 2},
		{false, 2, 100, 2}, {false, 0, 3, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct int_or_percent v = {true, t[i].percent, t[i].value,
					   {NULL, 0, 0}};

		if (rules_scaled_value(&v, t[i].total) != t[i].want)
			fail_msg("%ld%s of %ld: want %ld, got %ld", t[i].value,
				 t[i].percent ? "%" : "", t[i].total,
				 t[i].want, rules_scaled_value(&v, t[i].total));
	}
}

/* ------------------------------------------------------------ fixture */

struct fx {
	struct arena a;
	struct diag d;
	struct cluster_state cs;
	struct rules_db db;
	struct drain_analysis da;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	arena_init(&f->a);
	diag_init(&f->d);
	f->d.out = tmpfile();
	f->d.no_source = true;
	cluster_state_init(&f->cs, &f->a);
	if (!f->d.out || rules_load(&f->db, &f->a, &f->d, "rules") < 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	rules_drain_release(&f->da);
	rules_release(&f->db);
	cluster_state_release(&f->cs);
	fclose(f->d.out);
	diag_release(&f->d);
	arena_release(&f->a);
	free(f);
	ingest_release();
	return 0;
}

static void
read_file(struct fx *f, const char *path)
{
	assert_int_equal(ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN, false),
			 0);
	model_sort(&f->cs);
}

static const struct pod *
find_pod(const struct cluster_state *cs, const char *ns, const char *name)
{
	size_t i;

	for (i = 0; i < cs->pods.n; i++)
		if (!strcmp(cs->pods.v[i].namespace_, ns) &&
		    !strcmp(cs->pods.v[i].name, name))
			return &cs->pods.v[i];
	fail_msg("no pod %s/%s", ns, name);
	return NULL;
}

static void
kubectl_yaml_gives_pods_budgets_and_workloads(void **state)
{
	struct fx *f = *state;
	const struct pod *p;
	const struct pdb *b;

	read_file(f, "fixtures/drain-1.29/workloads.yaml");
	assert_int_equal(f->cs.pods.n, 14);
	assert_int_equal(f->cs.pdbs.n, 5);
	assert_int_equal(f->cs.workloads.n, 11);
	/* The images are read by the same walk. */
	assert_true(f->cs.images.n >= 14);

	p = find_pod(&f->cs, "shop", "web-7d4b9c5f8-x2kqp");
	assert_string_equal(p->node, "worker-1");
	assert_int_equal(p->ready, TRI_TRUE);
	assert_string_equal(p->phase, "Running");
	assert_int_equal(p->nowners, 1);
	assert_string_equal(p->owners[0].kind, "ReplicaSet");
	assert_string_equal(p->owners[0].name, "web-7d4b9c5f8");
	assert_true(p->owners[0].controller);
	assert_string_equal(model_label(p->labels, p->nlabels, "app"), "web");
	assert_int_equal(p->loc.line, 4);
	assert_int_equal(p->loc.col, 3);

	p = find_pod(&f->cs, "kube-system", "kube-apiserver-cp-1");
	assert_true(p->mirror);
	assert_false(p->daemonset);
	p = find_pod(&f->cs, "kube-system", "kube-proxy-7xk2p");
	assert_true(p->daemonset);
	assert_int_equal(p->nhost_paths, 1);
	assert_string_equal(p->host_paths[0], "/lib/modules");
	p = find_pod(&f->cs, "monitoring", "cache-5c6d7f-m4nbv");
	assert_int_equal(p->nempty_dirs, 1);
	assert_string_equal(p->empty_dirs[0], "scratch");
	p = find_pod(&f->cs, "shop", "db-0");
	assert_int_equal(p->npvcs, 1);
	assert_string_equal(p->pvcs[0], "data-db-0");
	assert_null(p->pinned_to);
	assert_string_equal(find_pod(&f->cs, "ops", "licence-0")->pinned_to,
			    "worker-3");
	assert_string_equal(find_pod(&f->cs, "ops", "probe-0")->pinned_to,
			    "worker-3");
	assert_int_equal(find_pod(&f->cs, "default", "debug")->nowners, 0);

	/* Sorted by namespace and name: logging/nothing first. */
	b = &f->cs.pdbs.v[0];
	assert_string_equal(b->name, "nothing");
	assert_false(b->selector.present);
	b = &f->cs.pdbs.v[1];
	assert_string_equal(b->name, "everything");
	assert_true(b->selector.present);
	assert_int_equal(b->selector.nmatch_labels + b->selector.nexprs, 0);
	b = &f->cs.pdbs.v[2];
	assert_string_equal(b->name, "api");
	assert_true(b->max_unavailable.set && b->max_unavailable.percent);
	assert_int_equal(b->max_unavailable.value, 50);
	assert_int_equal(b->selector.nexprs, 1);
	assert_int_equal(b->selector.exprs[0].op, SEL_IN);
	assert_int_equal(b->selector.exprs[0].nvalues, 2);
	assert_string_equal(b->selector.exprs[0].values[1], "api-canary");
	assert_int_equal(b->disruptions_allowed, 1);
	assert_int_equal(b->expected_pods, 3);
	b = &f->cs.pdbs.v[4];
	assert_string_equal(b->name, "web");
	assert_true(b->min_available.set && !b->min_available.percent);
	assert_int_equal(b->min_available.value, 2);
	assert_int_equal(b->disruptions_allowed, 0);
	assert_int_equal(b->status_loc.line, 1193);
}

static void
kubectl_json_gives_the_same_objects(void **state)
{
	struct fx *f = *state;
	const struct pod *p;

	read_file(f, "fixtures/drain/shop.json");
	assert_int_equal(f->cs.pods.n, 6);
	assert_int_equal(f->cs.pdbs.n, 3);
	p = find_pod(&f->cs, "shop", "db-0");
	assert_string_equal(p->node, "worker-1");
	assert_string_equal(p->owners[0].kind, "StatefulSet");
	assert_int_equal(p->ready, TRI_TRUE);
	assert_string_equal(f->cs.pdbs.v[0].name, "api");
	assert_true(f->cs.pdbs.v[0].max_unavailable.percent);
}

static void
bad_objects_are_skipped_at_their_value(void **state)
{
	struct fx *f = *state;

	read_file(f, "fixtures/drain/bad-objects.yaml");
	assert_int_equal(f->cs.pdbs.n, 0);
	assert_int_equal(f->cs.pods.n, 1);
	assert_int_equal(f->cs.skipped.n, 3);
	assert_int_equal(f->cs.skipped.v[0].loc.line, 9);
	assert_int_equal(f->cs.skipped.v[0].loc.col, 19);
	assert_string_equal(f->cs.skipped.v[0].reason,
			    "minAvailable is neither an integer nor a percent");
	assert_string_equal(f->cs.skipped.v[0].text,
			    "PodDisruptionBudget shop/half");
	assert_int_equal(f->cs.skipped.v[1].loc.line, 23);
	assert_string_equal(f->cs.skipped.v[1].reason,
			    "unknown label selector operator 'Within'");
	assert_int_equal(f->cs.skipped.v[2].loc.line, 35);
}

static void
bad_objects_fail_the_file_under_strict(void **state)
{
	struct fx *f = *state;

	f->cs.strict = true;
	assert_int_equal(ingest_file(&f->cs, &f->d,
				     "fixtures/drain/bad-objects.yaml",
				     KIND_UNKNOWN, false),
			 -1);
	assert_int_equal(f->cs.skipped.n, 0);
}

/* ------------------------------------------------------------ blockers */

struct want_blocker {
	const char *node, *rule, *ns, *name;
	uint32_t line;		/* of the first evidence */
};

static void
the_fixture_blocks_each_node_as_kubectl_drain_would(void **state)
{
	static const struct want_blocker want[] = {
		{"worker-1", "drain-blocked-by-pdb", "shop", "db", 1219},
		{"worker-1", "drain-blocked-by-pdb", "shop", "web", 1193},
		{"worker-1", "drain-single-replica", "shop", "db", 1369},
		{"worker-2", "drain-blocked-by-pdb", "shop", "web", 1193},
		{"worker-2", "drain-local-data", "logging",
		 "collector-6f8b9d-h7t2w", 584},
		{"worker-2", "drain-unmanaged-pod", "default", "debug", 250},
		{"worker-3", "drain-local-data", "logging",
		 "collector-6f8b9d-p9s4c", 672},
		{"worker-3", "drain-local-data", "monitoring",
		 "cache-5c6d7f-m4nbv", 498},
		{"worker-3", "drain-local-data", "ops", "licence-0", 1000},
		{"worker-3", "drain-local-data", "ops", "probe-0", 1081},
		{"worker-3", "drain-single-replica", "monitoring", "cache", 1398},
		{"worker-3", "drain-single-replica", "ops", "licence", 1608},
		{"worker-3", "drain-single-replica", "ops", "probe", 1637},
	};
	struct fx *f = *state;
	size_t i;

	read_file(f, "fixtures/drain-1.29/workloads.yaml");
	assert_int_equal(rules_drain_analyze(&f->db, &f->cs, &f->a, &f->d,
					     &f->da),
			 0);
	for (i = 0; i < f->da.blockers.n && i < ARRAY_SIZE(want); i++) {
		const struct drain_blocker *b = &f->da.blockers.v[i];

		assert_string_equal(b->node, want[i].node);
		assert_string_equal(b->rule->id, want[i].rule);
		assert_string_equal(b->namespace_, want[i].ns);
		assert_string_equal(b->name, want[i].name);
		assert_int_equal(b->evidence[0].line, want[i].line);
	}
	assert_int_equal(f->da.blockers.n, ARRAY_SIZE(want));
	/* Workloads over two nodes or more wait for the batches. */
	assert_int_equal(f->da.workloads.n, 3);
}

static void
a_batch_holding_every_replica_is_a_blocker(void **state)
{
	static const char *const both[] = {"worker-1", "worker-2"};
	static const char *const other[] = {"worker-2", "worker-3"};
	static const char *const all[] = {"worker-1", "worker-2", "worker-3"};
	struct fx *f = *state;
	struct drain_analysis out;
	size_t i;

	read_file(f, "fixtures/drain-1.29/workloads.yaml");
	assert_int_equal(rules_drain_analyze(&f->db, &f->cs, &f->a, &f->d,
					     &f->da),
			 0);
	memset(&out, 0, sizeof(out));
	assert_int_equal(rules_drain_batch(&f->da, &f->a, both, 2, &out), 0);
	assert_int_equal(out.blockers.n, 1);
	assert_string_equal(out.blockers.v[0].name, "web");
	assert_string_equal(out.blockers.v[0].node, "worker-1, worker-2");
	rules_drain_release(&out);
	/* collector runs on worker-2 and worker-3. */
	assert_int_equal(rules_drain_batch(&f->da, &f->a, other, 2, &out), 0);
	assert_int_equal(out.blockers.n, 1);
	assert_string_equal(out.blockers.v[0].name, "collector");
	rules_drain_release(&out);
	/* One node is no batch: its own blockers say it. */
	assert_int_equal(rules_drain_batch(&f->da, &f->a, both, 1, &out), 0);
	assert_int_equal(out.blockers.n, 0);
	assert_int_equal(rules_drain_batch(&f->da, &f->a, all, 3, &out), 0);
	assert_int_equal(out.blockers.n, 3);
	for (i = 0; i < out.blockers.n; i++)
		assert_string_equal(out.blockers.v[i].rule->id,
				    "drain-single-replica");
	rules_drain_release(&out);
}

/* ------------------------------------------------------------ budgets */

/*
 * A budget without status over n healthy pods of one ReplicaSet of
 * `replicas`: is it blocked? Boundaries of minAvailable and maxUnavailable,
 * integer and percent.
 */
static void
budgets_without_status_block_at_their_boundaries(void **state)
{
	static const struct {
		const char *what;
		bool min;	/* minAvailable, else maxUnavailable */
		bool percent;
		long value;
		size_t healthy, replicas;
		bool blocked;
	} t[] = {
		{"minAvailable 2 of 3 healthy", true, false, 2, 3, 3, false},
		{"minAvailable 3 of 3 healthy", true, false, 3, 3, 3, true},
		{"minAvailable 2 of 2 healthy", true, false, 2, 2, 3, true},
		{"minAvailable 0", true, false, 0, 1, 1, false},
		{"minAvailable 50% of 1 rounds up to 1", true, true, 50, 1, 1,
		 true},
		{"minAvailable 50% of 3 needs 2", true, true, 50, 3, 3, false},
		{"minAvailable 67% of 3 needs 3", true, true, 67, 3, 3, true},
		{"maxUnavailable 0", false, false, 0, 3, 3, true},
		{"maxUnavailable 1 of 1", false, false, 1, 1, 1, false},
		{"maxUnavailable 1 of 3, 2 healthy", false, false, 1, 2, 3,
		 true},
		{"maxUnavailable 50% of 1 rounds up to 1", false, true, 50, 1,
		 1, false},
		{"maxUnavailable 10% of 3 rounds up to 1", false, true, 10, 3,
		 3, false},
		{"maxUnavailable 0% of 3", false, true, 0, 3, 3, true},
	};
	struct fx *f = *state;
	static struct label_pair lab = {"app", "x"};
	static struct owner_ref rs = {"ReplicaSet", "x-1", true};
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct cluster_state cs;
		struct drain_analysis da;
		struct pdb *b;
		struct workload *w;
		size_t nblocked = 0;

		cluster_state_init(&cs, &f->a);
		for (k = 0; k < t[i].healthy; k++) {
			struct pod *p = vec_push(&cs.pods);

			p->namespace_ = "ns";
			p->name = arena_printf(&f->a, "x-%zu", k);
			p->node = "worker-1";
			p->labels = &lab;
			p->nlabels = 1;
			p->owners = &rs;
			p->nowners = 1;
			p->ready = TRI_TRUE;
			p->phase = "Running";
		}
		w = vec_push(&cs.workloads);
		w->kind = "ReplicaSet";
		w->namespace_ = "ns";
		w->name = "x-1";
		w->replicas = (long)t[i].replicas;
		b = vec_push(&cs.pdbs);
		b->namespace_ = "ns";
		b->name = "x";
		b->api = "policy/v1";
		b->selector.present = true;
		b->selector.match_labels = &lab;
		b->selector.nmatch_labels = 1;
		b->disruptions_allowed = b->current_healthy =
			b->desired_healthy = b->expected_pods = -1;
		if (t[i].min) {
			b->min_available.set = true;
			b->min_available.percent = t[i].percent;
			b->min_available.value = t[i].value;
		} else {
			b->max_unavailable.set = true;
			b->max_unavailable.percent = t[i].percent;
			b->max_unavailable.value = t[i].value;
		}
		assert_int_equal(rules_drain_analyze(&f->db, &cs, &f->a, &f->d,
						     &da),
				 0);
		for (k = 0; k < da.blockers.n; k++)
			if (!strcmp(da.blockers.v[k].rule->id,
				    "drain-blocked-by-pdb"))
				nblocked++;
		if ((nblocked > 0) != t[i].blocked)
			fail_msg("%s: want blocked %d", t[i].what,
				 t[i].blocked);
		rules_drain_release(&da);
		cluster_state_release(&cs);
	}
}

/*
 * An unready Running pod under a budget that allows no disruption: the
 * eviction API lets it go with AlwaysAllow, or while currentHealthy >=
 * desiredHealthy > 0 (IfHealthyBudget); a Pending pod is never held.
 */
static void
unready_pods_are_held_only_as_the_eviction_api_holds_them(void **state)
{
	static const struct {
		const char *what;
		long healthy, desired;
		bool always_allow;
		const char *phase;
		bool held;
	} t[] = {
		{"budget short of healthy pods", 0, 1, false, "Running", true},
		{"healthy budget lets it go", 1, 1, false, "Running", false},
		{"desiredHealthy 0 holds it", 0, 0, false, "Running", true},
		{"AlwaysAllow lets it go", 0, 1, true, "Running", false},
		{"a Pending pod is deleted", 0, 1, false, "Pending", false},
	};
	struct fx *f = *state;
	static struct label_pair lab = {"app", "y"};
	static struct owner_ref rs = {"ReplicaSet", "y-1", true};
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct cluster_state cs;
		struct drain_analysis da;
		struct pdb *b;
		struct pod *p;
		size_t held = 0;

		cluster_state_init(&cs, &f->a);
		p = vec_push(&cs.pods);
		p->namespace_ = "ns";
		p->name = "y-0";
		p->node = "worker-1";
		p->labels = &lab;
		p->nlabels = 1;
		p->owners = &rs;
		p->nowners = 1;
		p->ready = TRI_FALSE;
		p->phase = t[i].phase;
		b = vec_push(&cs.pdbs);
		b->namespace_ = "ns";
		b->name = "y";
		b->api = "policy/v1";
		b->selector.present = true;
		b->selector.match_labels = &lab;
		b->selector.nmatch_labels = 1;
		b->min_available.set = true;
		b->min_available.value = 1;
		b->unhealthy_always_allow = t[i].always_allow;
		b->disruptions_allowed = 0;
		b->current_healthy = t[i].healthy;
		b->desired_healthy = t[i].desired;
		b->expected_pods = 1;
		assert_int_equal(rules_drain_analyze(&f->db, &cs, &f->a, &f->d,
						     &da),
				 0);
		for (k = 0; k < da.blockers.n; k++)
			if (!strcmp(da.blockers.v[k].rule->id,
				    "drain-blocked-by-pdb"))
				held++;
		if ((held > 0) != t[i].held)
			fail_msg("%s: want held %d", t[i].what, t[i].held);
		rules_drain_release(&da);
		cluster_state_release(&cs);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			selectors_match_as_kubernetes_labels_selector_does),
		cmocka_unit_test(
			percents_round_up_as_the_disruption_controller_does),
		cmocka_unit_test_setup_teardown(
			kubectl_yaml_gives_pods_budgets_and_workloads, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			kubectl_json_gives_the_same_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(
			bad_objects_are_skipped_at_their_value, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			bad_objects_fail_the_file_under_strict, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			the_fixture_blocks_each_node_as_kubectl_drain_would,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_batch_holding_every_replica_is_a_blocker, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			budgets_without_status_block_at_their_boundaries, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			unready_pods_are_held_only_as_the_eviction_api_holds_them,
			setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
