/*
 * test_plan_state.c - the plan's state kept incrementally (issue 11): a
 * step records its changes and a summary, hop boundaries keep every node,
 * and any step's full state replays to what a copy per step held.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "planner_fx.h"

/* The plans whose states are replayed: one hop, four hops HA, a repair. */
static const struct {
	const char *dir, *to, *as_of;
	unsigned batch;
} cases[] = {
	{"fixtures/seed-v1.26.1", "latest-patch", "2023-03-20", 1},
	{"fixtures/ha-1.24.17", "1.28", "2024-11-01", 1},
	{"fixtures/ha-1.24.17", "1.25", "2024-11-01", 2},
	{"fixtures/lagging-1.28", "1.29", "2024-11-01", 1},
};

/* Recomputes the summary of component k over nodes. */
static void
range_of(const struct plan *p, const struct plan_node_state *nodes, int k,
	 struct plan_range *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < p->nnodes; i++) {
		const struct plan_ver *v =
			k == PC_APISERVER ? &nodes[i].apiserver
			: k == PC_CONTROLLER_MANAGER ? &nodes[i].controller_manager
			: k == PC_SCHEDULER ? &nodes[i].scheduler
			: k == PC_KUBELET ? &nodes[i].kubelet
					  : &nodes[i].kubeadm;

		if (!v->set)
			continue;
		if (!r->min.set || plan_ver_cmp_public(v, &r->min) < 0)
			r->min = *v;
		if (!r->max.set || plan_ver_cmp_public(v, &r->max) > 0)
			r->max = *v;
	}
}

static bool
same(const struct plan_ver *x, const struct plan_ver *y)
{
	return x->set == y->set &&
	       (!x->set || plan_ver_cmp_public(x, y) == 0);
}

/* Field by field: the structs have padding. */
static void
assert_nodes_equal(const struct plan *p, const struct plan_node_state *x,
		   const struct plan_node_state *y)
{
	size_t i;

	for (i = 0; i < p->nnodes; i++) {
		assert_true(same(&x[i].apiserver, &y[i].apiserver));
		assert_true(same(&x[i].controller_manager,
				 &y[i].controller_manager));
		assert_true(same(&x[i].scheduler, &y[i].scheduler));
		assert_true(same(&x[i].kubelet, &y[i].kubelet));
		assert_true(same(&x[i].kubelet_pkg, &y[i].kubelet_pkg));
		assert_true(same(&x[i].kubeadm, &y[i].kubeadm));
		assert_int_equal(x[i].cordoned, y[i].cordoned);
		assert_int_equal(x[i].ready, y[i].ready);
	}
}

/*
 * Walking the steps and applying each one's changes gives, at every hop
 * boundary, the copy the simulation kept; the summary after each step is
 * the range of the replayed nodes; plan_step_nodes agrees with the walk;
 * and a step changes at most the node it runs on.
 */
static void
changes_replay_to_every_hop_boundary(void **state)
{
	size_t c, i, k;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct fx *f = plan_of(cases[c].dir, cases[c].to, cases[c].as_of,
				       cases[c].batch, false);
		const struct plan *p = &f->plan;
		struct plan_node_state *walk, *direct;
		struct plan_state st = p->initial;
		size_t boundaries = 0;

		assert_int_equal(f->rc, PLAN_OK);
		assert_true(p->steps.n > 0);
		walk = calloc(p->nnodes + 1, sizeof(*walk));
		direct = calloc(p->nnodes + 1, sizeof(*direct));
		assert_non_null(walk);
		assert_non_null(direct);
		memcpy(walk, p->initial.nodes, p->nnodes * sizeof(*walk));
		for (i = 0; i < p->steps.n; i++) {
			const struct plan_step *s = &p->steps.v[i];
			int kk;

			for (k = 0; k < s->nchanges; k++) {
				assert_true(s->changes[k].node == s->node ||
					    s->changes[k].comp == PC_KUBECTL);
				plan_change_apply(&s->changes[k], walk, &st);
			}
			assert_true(same(&st.kubectl, &s->state.kubectl));
			for (kk = 0; kk < PC_NODE_VERSIONS; kk++) {
				struct plan_range r;

				range_of(p, walk, kk, &r);
				assert_true(same(&r.min, &s->summary[kk].min));
				assert_true(same(&r.max, &s->summary[kk].max));
			}
			if (s->state.nodes) {
				boundaries++;
				assert_nodes_equal(p, walk, s->state.nodes);
			}
			plan_step_nodes(p, i, direct);
			assert_nodes_equal(p, walk, direct);
		}
		assert_int_equal(boundaries, p->hops.n);
		assert_non_null(p->steps.v[p->steps.n - 1].state.nodes);
		free(walk);
		free(direct);
		fx_free(f);
	}
}

/*
 * The JSON: `state` on the last step of each hop only, or on every step
 * with full_state; every step has changes and a summary.
 */
static void
json_prints_state_at_hop_boundaries_or_with_full_state(void **state)
{
	struct fx *f = plan_of("fixtures/ha-1.24.17", "1.28", "2024-11-01", 1,
			       false);
	int full;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	for (full = 0; full < 2; full++) {
		struct buf out = BUF_INIT;
		cJSON *root, *steps, *s;
		size_t nstate = 0, n = 0;

		f->plan.full_state = full;
		assert_int_equal(report_plan_json(&out, &f->plan), 0);
		root = cJSON_Parse(buf_cstr(&out));
		assert_non_null(root);
		steps = cJSON_GetObjectItemCaseSensitive(root, "steps");
		cJSON_ArrayForEach(s, steps) {
			assert_true(cJSON_IsArray(
				cJSON_GetObjectItemCaseSensitive(s, "changes")));
			assert_true(cJSON_IsObject(
				cJSON_GetObjectItemCaseSensitive(s, "summary")));
			nstate += cJSON_GetObjectItemCaseSensitive(s, "state") !=
				  NULL;
			n++;
		}
		assert_int_equal(n, f->plan.steps.n);
		assert_int_equal(nstate, full ? n : f->plan.hops.n);
		cJSON_Delete(root);
		buf_release(&out);
	}
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(changes_replay_to_every_hop_boundary),
		cmocka_unit_test(json_prints_state_at_hop_boundaries_or_with_full_state),
	};

	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
