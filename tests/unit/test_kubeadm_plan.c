/*
 * test_kubeadm_plan.c - `kubeadm upgrade plan` as an input
 * (ingest/kubeadm_plan.c): the server and kubeadm versions of every
 * layout, each node's kubelet version checked against the node list once
 * every input is read, and rows that cannot be read skipped.
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

#define FIX "fixtures/kubeadm-plan/"

struct run {
	struct arena a;
	struct cluster_state cs;
	struct diag d;
	int rc;
	char err[8192];
};

/* Reads paths[0..n) as one snapshot, and finishes as the CLI does. */
static void
run_files(struct run *r, const char *const *paths, size_t n, bool strict)
{
	size_t i, got;

	memset(r, 0, sizeof(*r));
	arena_init(&r->a);
	cluster_state_init(&r->cs, &r->a);
	r->cs.strict = strict;
	diag_init(&r->d);
	r->d.out = tmpfile();
	r->d.no_source = true;
	assert_non_null(r->d.out);
	for (i = 0; i < n; i++)
		if (ingest_file(&r->cs, &r->d, paths[i], KIND_UNKNOWN, false) <
		    0)
			r->rc = -1;
	if (r->rc == 0)
		r->rc = ingest_finish(&r->cs, &r->d);
	rewind(r->d.out);
	got = fread(r->err, 1, sizeof(r->err) - 1, r->d.out);
	r->err[got] = '\0';
	assert_int_equal(r->d.held.n, 0);
}

static void
run_release(struct run *r)
{
	fclose(r->d.out);
	diag_release(&r->d);
	cluster_state_release(&r->cs);
	arena_release(&r->a);
}

static void
assert_ver(const struct version_info *vi, const char *text, uint32_t line,
	   uint32_t col)
{
	assert_true(vi->present);
	assert_string_equal(vi->ver.text, text);
	assert_int_equal(vi->loc.line, line);
	assert_int_equal(vi->loc.col, col);
}

static const struct {
	const char *file, *format;
	const char *server;
	uint32_t server_line, server_col;
	const char *kubeadm;	/* NULL: not given */
	size_t kubelets;	/* nodes named with their kubelet */
} layouts[] = {
	{"plan-1.30.txt", "kubeadm-upgrade-plan", "v1.29.4", 7, 37, "v1.30.2",
	 3},
	{"plan-1.28.txt", "kubeadm-upgrade-plan", "v1.27.6", 8, 37, "v1.28.4",
	 0},
	{"plan-legacy.txt", "kubeadm-upgrade-plan", "v1.10.3", 1, 37,
	 "v1.11.0", 0},
	{"plan-v1alpha2.json", "kubeadm-upgrade-plan-doc", "v1.26.9", 6, 37,
	 "v1.27.6", 0},
	/* No Cluster version line: the kube-apiserver rows agree. */
	{"plan-v1alpha3.yaml", "kubeadm-upgrade-plan-doc", "v1.30.5", 13, 21,
	 "v1.31.1", 2},
};

static void
every_layout_gives_server_and_kubeadm_versions(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		char path[256];
		const char *paths[1] = {path};
		struct run r;

		snprintf(path, sizeof(path), FIX "%s", layouts[i].file);
		run_files(&r, paths, 1, true);
		if (r.rc != 0)
			fail_msg("%s: %s", path, r.err);
		assert_int_equal(r.cs.inputs.n, 1);
		assert_int_equal(r.cs.inputs.v[0].kind, KIND_KUBEADM_PLAN);
		assert_string_equal(r.cs.inputs.v[0].format,
				    layouts[i].format);
		assert_ver(&r.cs.server, layouts[i].server,
			   layouts[i].server_line, layouts[i].server_col);
		assert_ver(&r.cs.kubeadm, layouts[i].kubeadm,
			   r.cs.kubeadm.loc.line, r.cs.kubeadm.loc.col);
		assert_int_equal(r.cs.kubelet_sightings.n,
				 layouts[i].kubelets);
		/* Never a node of its own: its status and roles are unknown. */
		assert_int_equal(r.cs.nodes.n, 0);
		assert_int_equal(r.cs.skipped.n, 0);
		run_release(&r);
	}
}

static void
kubelets_per_node_are_checked_against_the_node_list(void **state)
{
	static const char *const paths[] = {"fixtures/kubeadm-plan/nodes.txt",
					    FIX "plan-1.30.txt"};
	struct run r;
	const struct kubelet_sighting *ks;

	(void)state;
	run_files(&r, paths, 2, false);
	assert_int_equal(r.rc, 0);
	ks = r.cs.kubelet_sightings.v;
	assert_string_equal(ks[2].node, "worker-2");
	assert_string_equal(ks[2].kubelet.text, "v1.28.11");
	assert_int_equal(ks[2].loc.line, 16);
	assert_int_equal(ks[2].loc.col, 24);
	/* worker-1 is v1.29.5 in the node list: that is kept. */
	assert_int_equal(r.cs.skipped.n, 1);
	assert_int_equal(r.cs.skipped.v[0].loc.line, 15);
	assert_int_equal(r.cs.skipped.v[0].loc.col, 24);
	assert_int_equal(r.cs.skipped.v[0].kept.line, 3);
	assert_string_equal(r.cs.skipped.v[0].reason,
			    "kubelet of node 'worker-1' is 'v1.29.4' here, "
			    "'v1.29.5' in the node list at "
			    "fixtures/kubeadm-plan/nodes.txt:3:1; the one "
			    "there is kept");
	assert_string_equal(r.cs.nodes.v[1].kubelet.text, "v1.29.5");
	assert_string_equal(r.err, "");
	run_release(&r);
	run_files(&r, paths, 2, true);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.err, "plan-1.30.txt:15:24: error: kubelet "
				      "of node 'worker-1'"));
	run_release(&r);
}

static void
a_plan_alone_says_its_kubelets_are_unused(void **state)
{
	static const char *const paths[] = {FIX "plan-v1alpha3.yaml"};
	struct run r;

	(void)state;
	run_files(&r, paths, 1, false);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err,
			    FIX "plan-v1alpha3.yaml:8:15: note: kubelet "
			    "versions of 2 nodes read but not used: no node "
			    "list names them (capture kubectl get nodes)\n");
	run_release(&r);
}

static void
bad_rows_are_skipped(void **state)
{
	static const char *const paths[] = {
	    "fixtures/bad/kubeadm-plan/rows.txt"};
	struct run r;

	(void)state;
	run_files(&r, paths, 1, false);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.cs.server.ver.text, "v1.29.4");
	assert_int_equal(r.cs.kubelet_sightings.n, 1);
	assert_int_equal(r.cs.skipped.n, 2);
	assert_int_equal(r.cs.skipped.v[0].loc.line, 4);
	assert_string_equal(r.cs.skipped.v[0].reason,
			    "kubelet version 'v1.29' has no patch number");
	assert_int_equal(r.cs.skipped.v[1].loc.line, 5);
	assert_string_equal(r.cs.skipped.v[1].reason,
			    "row does not line up with its table's header");
	run_release(&r);
	run_files(&r, paths, 1, true);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.cs.skipped.n, 0);
	run_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_layout_gives_server_and_kubeadm_versions),
		cmocka_unit_test(
		    kubelets_per_node_are_checked_against_the_node_list),
		cmocka_unit_test(a_plan_alone_says_its_kubelets_are_unused),
		cmocka_unit_test(bad_rows_are_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
