/*
 * test_describe.c - `kubectl describe node` and `kubectl describe pod`
 * output (ingest/describe.c): the facts of every node and container, at
 * their own lines and columns; what cannot be read is a skipped record
 * (an error under --strict), one object or one container at a time.
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

struct run {
	struct arena a;
	struct cluster_state cs;
	struct diag d;
	int rc;
	char err[8192];
};

static void
run_file(struct run *r, const char *path, bool strict)
{
	size_t n;

	memset(r, 0, sizeof(*r));
	arena_init(&r->a);
	cluster_state_init(&r->cs, &r->a);
	r->cs.strict = strict;
	diag_init(&r->d);
	r->d.out = tmpfile();
	r->d.no_source = true;
	assert_non_null(r->d.out);
	r->rc = ingest_file(&r->cs, &r->d, path, KIND_UNKNOWN, false);
	rewind(r->d.out);
	n = fread(r->err, 1, sizeof(r->err) - 1, r->d.out);
	r->err[n] = '\0';
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
assert_loc(struct src_loc loc, uint32_t line, uint32_t col)
{
	assert_int_equal(loc.line, line);
	assert_int_equal(loc.col, col);
}

static void
describe_nodes_gives_every_node(void **state)
{
	struct run r;
	const struct node *n;

	(void)state;
	run_file(&r, "fixtures/describe/nodes.txt", false);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(r.cs.inputs.n, 1);
	assert_int_equal(r.cs.inputs.v[0].kind, KIND_NODES);
	assert_string_equal(r.cs.inputs.v[0].format, "describe-node");
	assert_int_equal(r.cs.nodes.n, 2);
	n = &r.cs.nodes.v[0];
	assert_string_equal(n->name, "cp-1");
	assert_loc(n->loc, 2, 21);
	assert_string_equal(n->status, "Ready");
	assert_int_equal(n->ready, TRI_TRUE);
	assert_true(n->schedulable);
	assert_int_equal(n->nroles, 1);
	assert_string_equal(n->roles[0], "control-plane");
	assert_string_equal(n->kubelet.text, "v1.28.4");
	assert_string_equal(n->kube_proxy, "v1.28.4");
	assert_string_equal(n->container_runtime, "containerd://1.7.2");
	assert_string_equal(n->os_image, "Ubuntu 22.04.3 LTS");
	assert_string_equal(n->internal_ip, "10.0.0.5");
	/* Ready Unknown, cordoned, no roles, an empty Kube-Proxy Version. */
	n = &r.cs.nodes.v[1];
	assert_string_equal(n->name, "worker-1");
	assert_loc(n->loc, 64, 21);
	assert_string_equal(n->status, "NotReady,SchedulingDisabled");
	assert_int_equal(n->ready, TRI_FALSE);
	assert_false(n->schedulable);
	assert_int_equal(n->nroles, 0);
	assert_string_equal(n->kubelet.text, "v1.27.9");
	assert_null(n->kube_proxy);
	assert_string_equal(n->internal_ip, "10.0.0.21");
	assert_int_equal(r.cs.skipped.n, 0);
	run_release(&r);
}

static void
describe_pods_gives_each_container_and_its_digest(void **state)
{
	struct run r;
	const struct image *im;

	(void)state;
	run_file(&r, "fixtures/describe/pods.txt", false);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(r.cs.inputs.v[0].kind, KIND_IMAGES);
	assert_string_equal(r.cs.inputs.v[0].format, "describe-pod");
	assert_int_equal(r.cs.images.n, 4);
	im = &r.cs.images.v[0];
	assert_string_equal(im->ref->image, "registry.k8s.io/etcd:3.5.9-0");
	assert_string_equal(im->ref->digest,
			    "sha256:e013d0d5e4e25d00c61a7ff839927a1f364796"
			    "78f11e49502b53a5e0b14f10c3");
	assert_string_equal(im->namespace_, "kube-system");
	assert_string_equal(im->pod, "etcd-cp-1");
	assert_string_equal(im->node, "cp-1");
	assert_string_equal(im->container, "etcd");
	assert_false(im->init);
	assert_loc(im->loc, 21, 20);
	/* An init container, marked; Image ID with the registry. */
	im = &r.cs.images.v[1];
	assert_string_equal(im->container, "install-cni");
	assert_true(im->init);
	assert_string_equal(im->node, "worker-1");
	assert_non_null(im->ref->digest);
	/* "calico/node" is docker.io/calico/node: the same repository. */
	im = &r.cs.images.v[2];
	assert_string_equal(im->ref->image, "calico/node:v3.26.1");
	assert_string_equal(im->ref->digest,
			    "sha256:8e34517775f319917a0be516ed3a373dbfca65"
			    "0d1ee8e72158087c24356f47fb");
	assert_false(im->init);
	/* Pulled from a mirror: its digest is not this image's. */
	im = &r.cs.images.v[3];
	assert_string_equal(im->container, "mirror-sidecar");
	assert_null(im->ref->digest);
	run_release(&r);
}

static void
describe_skips_what_it_cannot_read(void **state)
{
	struct run r;

	(void)state;
	run_file(&r, "fixtures/bad/describe/mixed.txt", false);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.cs.nodes.n, 1);
	assert_string_equal(r.cs.nodes.v[0].name, "cp-1");
	assert_int_equal(r.cs.skipped.n, 2);
	assert_loc(r.cs.skipped.v[0].loc, 1, 20);
	assert_string_equal(r.cs.skipped.v[0].reason,
			    "'web' is neither a node nor a pod: not read");
	assert_string_equal(r.cs.skipped.v[0].text, "Name:              web");
	assert_loc(r.cs.skipped.v[1].loc, 26, 21);
	assert_string_equal(r.cs.skipped.v[1].reason,
			    "invalid Unschedulable 'maybe'");
	run_release(&r);
	run_file(&r, "fixtures/bad/describe/mixed.txt", true);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.cs.nodes.n, 0);
	assert_int_equal(r.cs.skipped.n, 0);
	assert_non_null(strstr(r.err, "mixed.txt:30:20: error: unknown "
				      "condition status 'Sorta'"));
	run_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(describe_nodes_gives_every_node),
		cmocka_unit_test(describe_pods_gives_each_container_and_its_digest),
		cmocka_unit_test(describe_skips_what_it_cannot_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
