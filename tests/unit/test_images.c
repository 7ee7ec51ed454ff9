/*
 * Unit tests for model/image_ref.c (the reference grammar and interning)
 * and ingest/images.c (image listings and Pod/workload documents).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>


#include "../../analyzer/ingest/internal.h"

#define SHA_A "4bcb707da9898d2625f5d4edc6d0c96519a24f16db914fc673aa8f97e41dbabf"

static void
assert_str_or_null(const char *got, const char *want, const char *what,
		   const char *subject)
{
	if (!got && !want)
		return;
	if (!got || !want || strcmp(got, want))
		fail_msg("%s of '%s': got '%s', want '%s'", what, subject,
			 got ? got : "(null)", want ? want : "(null)");
}

/* ------------------------------------------------------------ grammar */

static void
valid_references_are_split_into_their_parts(void **state)
{
	static const struct {
		const char *in, *registry, *repository, *tag, *digest,
			*component;
	} cases[] = {
		{"registry.k8s.io/kube-apiserver:v1.27.4", "registry.k8s.io",
		 "kube-apiserver", "v1.27.4", NULL, "kube-apiserver"},
		{"my.repo.com:9999/kube-apiserver:v1.16.4", "my.repo.com:9999",
		 "kube-apiserver", "v1.16.4", NULL, "kube-apiserver"},
		{"localhost/team/app", "localhost", "team/app", NULL, NULL,
		 NULL},
		{"localhost:5000/app:1.0", "localhost:5000", "app", "1.0", NULL,
		 NULL},
		{"[::1]:5000/app:v1", "[::1]:5000", "app", "v1", NULL, NULL},
		{"nginx", "docker.io", "library/nginx", NULL, NULL, NULL},
		{"nginx:1.25.2", "docker.io", "library/nginx", "1.25.2", NULL,
		 NULL},
		{"calico/node:v3.26.1", "docker.io", "calico/node", "v3.26.1",
		 NULL, NULL},
		{"docker.io/busybox", "docker.io", "library/busybox", NULL,
		 NULL, NULL},
		{"index.docker.io/library/busybox:1.36", "docker.io",
		 "library/busybox", "1.36", NULL, NULL},
		{"pause", "docker.io", "library/pause", NULL, NULL, "pause"},
		{"k8s.gcr.io/kube-apiserver-amd64:v1.11.2", "k8s.gcr.io",
		 "kube-apiserver-amd64", "v1.11.2", NULL, "kube-apiserver"},
		{"k8s.gcr.io/etcd-amd64:3.2.18", "k8s.gcr.io", "etcd-amd64",
		 "3.2.18", NULL, "etcd"},
		{"registry.k8s.io/kube-proxy-arm64:v1.12.0", "registry.k8s.io",
		 "kube-proxy-arm64", "v1.12.0", NULL, "kube-proxy"},
		{"registry.k8s.io/coredns/coredns:v1.10.1", "registry.k8s.io",
		 "coredns/coredns", "v1.10.1", NULL, "coredns"},
		{"k8s.gcr.io/pause:3.1", "k8s.gcr.io", "pause", "3.1", NULL,
		 "pause"},
		{"gcr.io/k8s-staging/cloud-controller-manager:v1.28.0",
		 "gcr.io", "k8s-staging/cloud-controller-manager", "v1.28.0",
		 NULL, "cloud-controller-manager"},
		{"registry.k8s.io/kube-apiserver-extra:v1", "registry.k8s.io",
		 "kube-apiserver-extra", "v1", NULL, NULL},
		{"quay.io/prometheus/node-exporter:v1.6.1", "quay.io",
		 "prometheus/node-exporter", "v1.6.1", NULL, NULL},
		{"registry.k8s.io/pause@sha256:" SHA_A, "registry.k8s.io",
		 "pause", NULL, "sha256:" SHA_A, "pause"},
		{"registry.k8s.io/kube-proxy:v1.27.4@sha256:" SHA_A,
		 "registry.k8s.io", "kube-proxy", "v1.27.4", "sha256:" SHA_A,
		 "kube-proxy"},
		{"a__b/c-----d.e_f:TAG_1.x-y", "docker.io", "a__b/c-----d.e_f",
		 "TAG_1.x-y", NULL, NULL},
		{"Registry.Example.COM/team/app:v2", "Registry.Example.COM",
		 "team/app", "v2", NULL, NULL},
	};
	struct arena a;
	size_t i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct image_ref r;
		const char *err = NULL;

		if (model_parse_image_ref(&a, cases[i].in, strlen(cases[i].in),
					  &r, &err) < 0)
			fail_msg("'%s' rejected: %s", cases[i].in, err);
		assert_str_or_null(r.image, cases[i].in, "image", cases[i].in);
		assert_str_or_null(r.registry, cases[i].registry, "registry",
				   cases[i].in);
		assert_str_or_null(r.repository, cases[i].repository,
				   "repository", cases[i].in);
		assert_str_or_null(r.tag, cases[i].tag, "tag", cases[i].in);
		assert_str_or_null(r.digest, cases[i].digest, "digest",
				   cases[i].in);
		assert_str_or_null(r.component, cases[i].component,
				   "component", cases[i].in);
	}
	arena_release(&a);
	re_release_all();
}

static void
invalid_references_are_rejected_with_a_reason(void **state)
{
	static const struct {
		const char *in, *err;
	} cases[] = {
		{"", "empty image reference"},
		{"registry.k8s.io/Kube-Apiserver:v1.27.4",
		 "repository name must be lowercase"},
		{"NGINX", "repository name must be lowercase"},
		{"registry.k8s.io/pause:", "missing tag after ':'"},
		{"my.repo.com:9999/pause:", "missing tag after ':'"},
		{"registry.k8s.io/pause@", "missing digest after '@'"},
		{"registry.k8s.io/pause@sha256:7031c1b2835", "invalid digest"},
		{"registry.k8s.io/pause@sha256:"
		 "4bcb707da9898d2625f5d4edc6d0c96519"
		 "a24f16db914fc673aa8f97e41dbab",
		 "invalid digest"},
		{"registry.k8s.io/pause@sha256:"
		 "4BCB707DA9898D2625F5D4EDC6D0C96519"
		 "A24F16DB914FC673AA8F97E41DBABF",
		 "invalid digest"},
		{"registry.k8s.io/pause@md5:0123456789abcdef0123456789abcdef",
		 "unsupported digest algorithm"},
		{"registry.k8s.io/pause:-3.9", "invalid tag"},
		{"registry.k8s.io/pause:3.9!", "invalid tag"},
		{"registry.k8s.io//pause", "invalid reference format"},
		{"/pause", "invalid reference format"},
		{"-pause", "invalid reference format"},
		{"pause..x", "invalid reference format"},
		{"http://registry.k8s.io/pause", "invalid reference format"},
		{":v1", "missing repository name"},
		{"!!!", "invalid reference format"},
		{"pause -v", "contains white space or a control character"},
		{"registry.k8s.io/pause:3.9\n",
		 "contains white space or a control character"},
		{SHA_A,
		 "repository name cannot be a 64-byte hexadecimal string"},
	};
	struct arena a;
	char longtag[160], longname[300];
	size_t i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct image_ref r;
		const char *err = NULL;

		if (model_parse_image_ref(&a, cases[i].in, strlen(cases[i].in),
					  &r, &err) == 0)
			fail_msg("'%s' accepted", cases[i].in);
		assert_str_or_null(err, cases[i].err, "error", cases[i].in);
	}
	/* A tag has at most 128 characters, a name at most 255. */
	memset(longtag, 'a', sizeof(longtag));
	memcpy(longtag, "pause:", 6);
	{
		struct image_ref r;
		const char *err = NULL;

		assert_int_equal(model_parse_image_ref(&a, longtag, 6 + 128, &r,
						       &err), 0);
		assert_int_equal(model_parse_image_ref(&a, longtag, 6 + 129, &r,
						       &err), -1);
		assert_string_equal(err, "invalid tag");
		memset(longname, 'a', sizeof(longname));
		assert_int_equal(model_parse_image_ref(&a, longname, 255, &r,
						       &err), 0);
		assert_int_equal(model_parse_image_ref(&a, longname, 256, &r,
						       &err), -1);
		assert_string_equal(
			err, "repository name longer than 255 characters");
	}
	arena_release(&a);
	re_release_all();
}

static void
repeated_references_are_interned_once(void **state)
{
	struct arena a;
	struct cluster_state cs;
	const struct image_ref *x, *y, *z;
	const struct image_ref *seen[600];
	const char *err = NULL;
	char name[64];
	size_t i;

	(void)state;
	arena_init(&a);
	cluster_state_init(&cs, &a);
	cs.strict = true; /* as under --strict */
	x = model_image_ref(&cs, "registry.k8s.io/kube-proxy:v1.27.4", 34,
			    &err);
	y = model_image_ref(&cs, "registry.k8s.io/kube-proxy:v1.27.4xx", 34,
			    &err);
	z = model_image_ref(&cs, "registry.k8s.io/kube-proxy:v1.27.5", 34,
			    &err);
	assert_non_null(x);
	assert_ptr_equal(x, y);
	assert_ptr_not_equal(x, z);
	assert_string_equal(z->tag, "v1.27.5");
	assert_null(model_image_ref(&cs, "Bad", 3, &err));
	assert_string_equal(err, "repository name must be lowercase");
	/* Growing the table keeps every earlier entry. */
	for (i = 0; i < ARRAY_SIZE(seen); i++) {
		int n = snprintf(name, sizeof(name), "example.com/app-%zu:v1",
				 i);

		seen[i] = model_image_ref(&cs, name, (size_t)n, &err);
		assert_non_null(seen[i]);
	}
	for (i = 0; i < ARRAY_SIZE(seen); i++) {
		int n = snprintf(name, sizeof(name), "example.com/app-%zu:v1",
				 i);

		assert_ptr_equal(model_image_ref(&cs, name, (size_t)n, &err),
				 seen[i]);
	}
	assert_ptr_equal(model_image_ref(&cs,
					 "registry.k8s.io/kube-proxy:v1.27.4",
					 34, &err), x);
	cluster_state_release(&cs);
	assert_null(cs.intern.slots);
	cluster_state_release(&cs);
	arena_release(&a);
	re_release_all();
}

static void
interning_out_of_memory_fails_cleanly(void **state)
{
	unsigned long n;

	(void)state;
	for (n = 1; n < 100; n++) {
		struct arena a;
		struct cluster_state cs;
		const struct image_ref *r;
		const char *err = NULL;

		arena_init(&a);
		cluster_state_init(&cs, &a);
		cs.strict = true; /* as under --strict */
		base_fail_alloc_after(n);
		r = model_image_ref(&cs, "registry.k8s.io/etcd:3.5.7-0", 28,
				    &err);
		base_fail_alloc_after(0);
		if (!r)
			assert_string_equal(err, "out of memory");
		cluster_state_release(&cs);
		arena_release(&a);
		if (r)
			break;
	}
	assert_true(n < 100);
	re_release_all();
}

/* ------------------------------------------------------------ files */

struct run {
	struct arena a;
	struct cluster_state cs;
	struct diag d;
	FILE *out;
	int rc;
	const char *format;	/* static: the format the parser named */
	char first[512];	/* first diagnostic line */
};

static void
run_done(struct run *r)
{
	char *nl;

	r->first[0] = '\0';
	rewind(r->out);
	if (fgets(r->first, sizeof(r->first), r->out) &&
	    (nl = strchr(r->first, '\n')))
		*nl = '\0';
}

static void
run_file(struct run *r, const char *path)
{
	arena_init(&r->a);
	cluster_state_init(&r->cs, &r->a);
	r->cs.strict = true; /* as under --strict */
	diag_init(&r->d);
	r->out = tmpfile();
	assert_non_null(r->out);
	r->d.out = r->out;
	r->rc = ingest_file(&r->cs, &r->d, path, KIND_UNKNOWN, false);
	r->format = r->cs.inputs.n == 1 ? r->cs.inputs.v[0].format : NULL;
	run_done(r);
}

/* Calls the parser directly with a fixed format, bypassing the sniffer. */
static void
run_parser(struct run *r, const char *path, enum fmt fmt, bool json)
{
	struct sniff sn;
	struct ingest_ctx c;
	struct stream in;

	arena_init(&r->a);
	cluster_state_init(&r->cs, &r->a);
	r->cs.strict = true; /* as under --strict */
	diag_init(&r->d);
	r->out = tmpfile();
	assert_non_null(r->out);
	r->d.out = r->out;
	memset(&sn, 0, sizeof(sn));
	sn.kind = KIND_IMAGES;
	sn.fmt = fmt;
	sn.json = json;
	memset(&c, 0, sizeof(c));
	c.cs = &r->cs;
	c.diag = &r->d;
	c.arena = &r->a;
	c.path = path;
	c.sniff = &sn;
	assert_int_equal(stream_open(&in, path, &r->d), 0);
	c.in = &in;
	r->rc = ingest_images(&c);
	stream_close(&in);
	r->format = c.format;
	run_done(r);
}

static void
run_release(struct run *r)
{
	fclose(r->out);
	cluster_state_release(&r->cs);
	diag_release(&r->d);
	arena_release(&r->a);
	re_release_all();
}

static void
assert_ok(struct run *r, const char *path, const char *format, size_t n)
{
	if (r->rc != 0)
		fail_msg("%s: failed: %s", path, r->first);
	assert_int_equal(r->d.errors, 0);
	assert_non_null(r->format);
	assert_string_equal(r->format, format);
	if (r->cs.images.n != n)
		fail_msg("%s: %zu images, want %zu", path, r->cs.images.n, n);
}

/* One expected image: its text, where it was read, and its context. */
struct want {
	const char *image;
	uint32_t line, col;
	const char *ns, *pod, *node, *container;
	bool init;
};

static void
assert_images(const struct run *r, const struct want *w, size_t n)
{
	size_t i;

	assert_int_equal(r->cs.images.n, n);
	for (i = 0; i < n; i++) {
		const struct image *im = &r->cs.images.v[i];
		const char *subject = w[i].image;

		assert_str_or_null(im->ref->image, w[i].image, "image",
				   subject);
		if (im->loc.line != w[i].line || im->loc.col != w[i].col)
			fail_msg("image %zu '%s' at %u:%u, want %u:%u", i,
				 subject, im->loc.line, im->loc.col, w[i].line,
				 w[i].col);
		assert_str_or_null(im->namespace_, w[i].ns, "namespace",
				   subject);
		assert_str_or_null(im->pod, w[i].pod, "pod", subject);
		assert_str_or_null(im->node, w[i].node, "node", subject);
		assert_str_or_null(im->container, w[i].container, "container",
				   subject);
		if (im->init != w[i].init)
			fail_msg("image %zu '%s': init %d", i, subject,
				 im->init);
	}
}

static void
text_listings_are_read_in_every_format(void **state)
{
	static const struct {
		const char *path, *format;
		size_t n;
		struct want first, last;
	} cases[] = {
		{"fixtures/images/yq-list.txt", "image-list", 4,
		 {"registry.k8s.io/etcd:3.5.7-0", 2, 1, NULL, NULL, NULL, NULL,
		  false},
		 {"registry.k8s.io/kube-scheduler:v1.27.4", 5, 1, NULL, NULL,
		  NULL, NULL, false}},
		{"fixtures/images/yq-multi-doc.txt", "image-list", 2,
		 {"registry.k8s.io/etcd:3.5.7-0", 2, 1, NULL, NULL, NULL, NULL,
		  false},
		 {"registry.k8s.io/kube-apiserver:v1.27.4", 4, 1, NULL, NULL,
		  NULL, NULL, false}},
		{"fixtures/images/yaml-items.txt", "yaml-list", 4,
		 {"registry.k8s.io/kube-proxy:v1.27.4", 2, 3, NULL, NULL, NULL,
		  NULL, false},
		 {"docker.io/calico/kube-controllers:v3.26.1", 5, 3, NULL, NULL,
		  NULL, NULL, false}},
		{"fixtures/images/quoted.txt", "image-list", 4,
		 {"registry.k8s.io/etcd:3.5.7-0", 3, 2, NULL, NULL, NULL, NULL,
		  false},
		 {"nginx", 6, 2, NULL, NULL, NULL, NULL, false}},
		{"fixtures/images/kubeadm-images-list.txt",
		 "kubeadm-config-images-list", 7,
		 {"registry.k8s.io/kube-apiserver:v1.28.2", 4, 1, NULL, NULL,
		  NULL, NULL, false},
		 {"registry.k8s.io/coredns/coredns:v1.10.1", 10, 1, NULL, NULL,
		  NULL, NULL, false}},
		{"fixtures/images/bom-ansi-kubeadm.txt",
		 "kubeadm-config-images-list", 2,
		 {"registry.k8s.io/kube-apiserver:v1.27.4", 2, 5, NULL, NULL,
		  NULL, NULL, false},
		 {"registry.k8s.io/pause:3.9", 3, 2, NULL, NULL, NULL, NULL,
		  false}},
		{"fixtures/images/jsonpath.txt", "jsonpath", 5,
		 {"registry.k8s.io/coredns/coredns:v1.10.1", 2, 1, NULL, NULL,
		  NULL, NULL, false},
		 {"registry.k8s.io/kube-proxy:v1.27.4@sha256:" SHA_A, 2, 149,
		  NULL, NULL, NULL, NULL, false}},
		{"fixtures/images/custom-columns.txt", "custom-columns", 7,
		 {"registry.k8s.io/coredns/coredns:v1.10.1", 3, 61,
		  "kube-system", "coredns-5d78c9869d-8xk2p", "cp-1", NULL,
		  false},
		 {"busybox:1.36", 8, 61, "default", "pending-job-5kz7w", NULL,
		  NULL, false}},
		{"fixtures/images/describe-image-lines.txt",
		 "manifest-image-lines", 1,
		 {"registry.k8s.io/kube-apiserver:v1.26.1", 2, 20, NULL, NULL,
		  NULL, NULL, false},
		 {"registry.k8s.io/kube-apiserver:v1.26.1", 2, 20, NULL, NULL,
		  NULL, NULL, false}},
		{"fixtures/images/jsonpath-range.txt", "jsonpath", 4,
		 {"registry.k8s.io/etcd:3.5.9-0", 2, 11, NULL, "etcd-cp-1",
		  NULL, NULL, false},
		 {"quay.io/cilium/operator:v1.14.2", 4, 41, NULL, "cilium-x2",
		  NULL, NULL, false}},
		{"fixtures/images/jsonpath-range-namespace.txt", "jsonpath", 3,
		 {"registry.k8s.io/etcd:3.5.9-0", 2, 23, "kube-system",
		  "etcd-cp-1", NULL, NULL, false},
		 {"docker.io/library/busybox:1.36", 3, 29, "default",
		  "web-7d9f", NULL, NULL, false}},
		/* {..image} alone: an untagged first image stays an image. */
		{"fixtures/images/jsonpath-untagged-first.txt", "jsonpath", 3,
		 {"nginx", 2, 1, NULL, NULL, NULL, NULL, false},
		 {"registry.k8s.io/etcd:3.5.9-0", 2, 33, NULL, NULL, NULL, NULL,
		  false}},
		{"fixtures/images/crictl-images.txt", "runtime-images", 4,
		 {"registry.k8s.io/coredns/coredns:v1.10.1", 3, 1, NULL, NULL,
		  NULL, NULL, false},
		 {"registry.k8s.io/pause:3.9", 6, 1, NULL, NULL, NULL, NULL,
		  false}},
		{"fixtures/images/docker-images.txt", "runtime-images", 2,
		 {"registry.k8s.io/kube-apiserver:v1.28.4", 3, 1, NULL, NULL,
		  NULL, NULL, false},
		 {"registry.k8s.io/etcd:3.5.9-0", 4, 1, NULL, NULL, NULL, NULL,
		  false}},
		{"fixtures/images/pod-image-pairs.txt", "pod-image-pairs", 2,
		 {"registry.k8s.io/kube-apiserver:v1.28.2", 1, 50, NULL,
		  "kube-apiserver-kinder-regular-control-plane-1", NULL, NULL,
		  false},
		 {"registry.k8s.io/kube-apiserver:v1.27.4", 2, 50, NULL,
		  "kube-apiserver-kinder-regular-control-plane-2", NULL, NULL,
		  false}},
		{"fixtures/images/k8s-gcr-io-manifests.txt",
		 "manifest-image-lines", 4,
		 {"k8s.gcr.io/etcd-amd64:3.2.24", 3, 12, NULL, NULL, NULL, NULL,
		  false},
		 {"k8s.gcr.io/kube-scheduler-amd64:v1.12.10", 6, 12, NULL, NULL,
		  NULL, NULL, false}},
		{"fixtures/seed-v1.26.1/images.txt", "image-list", 4,
		 {"registry.k8s.io/etcd:3.5.6-0", 2, 1, NULL, NULL, NULL, NULL,
		  false},
		 {"registry.k8s.io/kube-scheduler:v1.26.1", 5, 1, NULL, NULL,
		  NULL, NULL, false}},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct run r;

		run_file(&r, cases[i].path);
		assert_ok(&r, cases[i].path, cases[i].format, cases[i].n);
		{
			struct run view = r;

			/* Compare the first and the last image. */
			view.cs.images.n = 1;
			assert_images(&view, &cases[i].first, 1);
			view.cs.images.v = r.cs.images.v + r.cs.images.n - 1;
			assert_images(&view, &cases[i].last, 1);
		}
		run_release(&r);
	}
}

static void
custom_columns_cells_with_several_images_are_split(void **state)
{
	static const struct want w[] = {
		{"registry.k8s.io/coredns/coredns:v1.10.1", 3, 61,
		 "kube-system", "coredns-5d78c9869d-8xk2p", "cp-1", NULL,
		 false},
		{"registry.k8s.io/etcd:3.5.7-0", 4, 61, "kube-system",
		 "etcd-cp-1", "cp-1", NULL, false},
		{"registry.k8s.io/kube-apiserver:v1.27.4", 5, 61, "kube-system",
		 "kube-apiserver-cp-1", "cp-1", NULL, false},
		{"registry.k8s.io/kube-proxy:v1.27.4", 6, 61, "kube-system",
		 "kube-proxy-7fz9q", "node-1", NULL, false},
		{"quay.io/prometheus/node-exporter:v1.6.1", 7, 61, "monitoring",
		 "node-exporter-x2d4l", "node-1", NULL, false},
		{"quay.io/brancz/kube-rbac-proxy:v0.14.2", 7, 101, "monitoring",
		 "node-exporter-x2d4l", "node-1", NULL, false},
		{"busybox:1.36", 8, 61, "default", "pending-job-5kz7w", NULL,
		 NULL, false},
	};
	struct run r;

	(void)state;
	run_file(&r, "fixtures/images/custom-columns.txt");
	assert_ok(&r, "custom-columns.txt", "custom-columns", ARRAY_SIZE(w));
	assert_images(&r, w, ARRAY_SIZE(w));
	/* Namespaces and nodes are shared strings. */
	assert_ptr_equal(r.cs.images.v[0].namespace_,
			 r.cs.images.v[3].namespace_);
	assert_ptr_equal(r.cs.images.v[3].node, r.cs.images.v[4].node);
	assert_string_equal(r.cs.images.v[4].ref->registry, "quay.io");
	run_release(&r);
}

static void
custom_columns_pair_container_names_with_images(void **state)
{
	static const struct want w[] = {
		{"quay.io/cilium/cilium:v1.14.2", 3, 50, NULL, "cilium-8d2kq",
		 NULL, "cilium-agent", false},
		{"quay.io/cilium/cilium:v1.14.2", 3, 126, NULL, "cilium-8d2kq",
		 NULL, NULL, true},
		{"quay.io/cilium/cilium:v1.14.2", 3, 156, NULL, "cilium-8d2kq",
		 NULL, NULL, true},
		{"registry.k8s.io/kube-proxy:v1.27.4", 4, 50, NULL,
		 "kube-proxy-4xq7d", NULL, "kube-proxy", false},
		{"registry.k8s.io/metrics-server/metrics-server:v0.6.4", 5, 50,
		 NULL, "metrics-server-7d9", NULL, "metrics-server", false},
		{"docker.io/busybox:1.36", 5, 103, NULL, "metrics-server-7d9",
		 NULL, "sidecar", false},
	};
	const char *path = "fixtures/images/custom-columns-containers.txt";
	struct run r;

	(void)state;
	run_file(&r, path);
	assert_ok(&r, path, "custom-columns", ARRAY_SIZE(w));
	assert_images(&r, w, ARRAY_SIZE(w));
	run_release(&r);
}

static void
a_row_with_the_wrong_column_count_is_an_error(void **state)
{
	static const char text[] =
		"NAMESPACE     NAME        IMAGES\n"
		"kube-system   etcd-cp-1   registry.k8s.io/etcd:3.5.7-0 extra\n"
		"kube-system   registry.k8s.io/pause:3.9\n";
	char path[] = "/tmp/skewplan-images-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;
	struct run r;

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	run_parser(&r, path, FMT_IMAGES_TEXT, false);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.d.errors, 2);
	assert_non_null(strstr(r.first, ":2:56: error: row has 4 columns, "
					"the header has 3"));
	assert_non_null(strstr(buf_cstr(&r.d.last),
			       ":3:40: error: row has 2 columns, the header "
			       "has 3"));
	run_release(&r);
	remove(path);
}

static void
errors_stop_after_twenty(void **state)
{
	char path[] = "/tmp/skewplan-images-XXXXXX";
	int fd = mkstemp(path), i;
	FILE *fp;
	struct run r;

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	for (i = 0; i < 50; i++)
		fprintf(fp, "registry.k8s.io/Pause:3.%d\n", i);
	fclose(fp);
	run_parser(&r, path, FMT_IMAGES_TEXT, false);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.d.errors, 20);
	assert_non_null(strstr(buf_cstr(&r.d.last), ":20:1: error: "));
	run_release(&r);
	remove(path);
}

static void
control_plane_podlist_yaml_gives_every_container(void **state)
{
	static const struct want w[] = {
		{"registry.k8s.io/etcd:3.5.7-0", 26, 14, "kube-system",
		 "etcd-cp-1", "cp-1", "etcd", false},
		{"registry.k8s.io/kube-apiserver:v1.27.4", 66, 14,
		 "kube-system", "kube-apiserver-cp-1", "cp-1", "kube-apiserver",
		 false},
		{"registry.k8s.io/kube-controller-manager:v1.27.4", 106, 14,
		 "kube-system", "kube-controller-manager-cp-1", "cp-1",
		 "kube-controller-manager", false},
		{"registry.k8s.io/kube-scheduler:v1.27.4", 146, 14,
		 "kube-system", "kube-scheduler-cp-1", "cp-1", "kube-scheduler",
		 false},
		{"registry.k8s.io/etcd:3.5.6-0", 186, 14, "kube-system",
		 "etcd-cp-2", "cp-2", "etcd", false},
		{"registry.k8s.io/kube-apiserver:v1.26.7", 226, 14,
		 "kube-system", "kube-apiserver-cp-2", "cp-2", "kube-apiserver",
		 false},
		{"registry.k8s.io/kube-controller-manager:v1.26.7", 266, 14,
		 "kube-system", "kube-controller-manager-cp-2", "cp-2",
		 "kube-controller-manager", false},
		{"registry.k8s.io/kube-scheduler:v1.26.7", 306, 14,
		 "kube-system", "kube-scheduler-cp-2", "cp-2", "kube-scheduler",
		 false},
		{"registry.k8s.io/kube-proxy:v1.27.4", 350, 14, "kube-system",
		 "kube-proxy-4xq7d", "cp-1", "kube-proxy", false},
		{"registry.k8s.io/kube-proxy:v1.26.7", 387, 14, "kube-system",
		 "kube-proxy-k9w2m", "cp-2", "kube-proxy", false},
	};
	const char *path = "fixtures/images/podlist-control-plane.yaml";
	struct run r;

	(void)state;
	run_parser(&r, path, FMT_IMAGES_DOC, false);
	assert_ok(&r, path, "yaml", ARRAY_SIZE(w));
	assert_images(&r, w, ARRAY_SIZE(w));
	assert_string_equal(r.cs.images.v[1].ref->component, "kube-apiserver");
	/* status.containerStatuses[].image is not a second copy. */
	assert_ptr_equal(r.cs.images.v[8].ref->component,
			 r.cs.images.v[9].ref->component);
	run_release(&r);
}

static void
podlist_yaml_is_detected_by_content(void **state)
{
	const char *path = "fixtures/images/podlist-control-plane.yaml";
	struct run r;

	(void)state;
	run_file(&r, path);
	assert_ok(&r, path, "yaml", 10);
	run_release(&r);
}

static void
podlist_json_includes_init_containers(void **state)
{
	static const struct want w[] = {
		{"docker.io/calico/node:v3.26.1", 23, 34, "calico-system",
		 "calico-node-2jx8p", "node-1", "calico-node", false},
		{"docker.io/calico/cni:v3.26.1", 34, 34, "calico-system",
		 "calico-node-2jx8p", "node-1", "upgrade-ipam", true},
		{"docker.io/calico/cni:v3.26.1", 41, 34, "calico-system",
		 "calico-node-2jx8p", "node-1", "install-cni", true},
		{"registry.k8s.io/coredns/coredns:v1.10.1", 80, 34,
		 "kube-system", "coredns-5d78c9869d-8xk2p", "cp-1", "coredns",
		 false},
	};
	const char *path = "fixtures/images/podlist.json";
	struct run r;

	(void)state;
	run_file(&r, path);
	assert_ok(&r, path, "json", ARRAY_SIZE(w));
	assert_images(&r, w, ARRAY_SIZE(w));
	/* One image_ref for both uses of calico/cni. */
	assert_ptr_equal(r.cs.images.v[1].ref, r.cs.images.v[2].ref);
	run_release(&r);
}

static void
workload_templates_are_named_by_kind_and_name(void **state)
{
	static const struct {
		const char *path, *format;
		struct want w;
	} cases[] = {
		{"fixtures/images/daemonset.yaml", "yaml",
		 {"registry.k8s.io/kube-proxy:v1.27.4", 24, 16, "kube-system",
		  "daemonset/kube-proxy", NULL, "kube-proxy", false}},
		{"fixtures/images/deployment.json", "json",
		 {"registry.k8s.io/coredns/coredns:v1.10.1@sha256:"
		  "a0ead06651cf580044aeb0a0feba6359"
		  "1858fb2e43ade8c9dea45a6a89ae7e5e",
		  31, 34, "kube-system", "deployment/coredns", NULL, "coredns",
		  false}},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct run r;

		run_file(&r, cases[i].path);
		assert_ok(&r, cases[i].path, cases[i].format, 1);
		assert_images(&r, &cases[i].w, 1);
		run_release(&r);
	}
}

static void
mixed_list_takes_images_from_any_key_order(void **state)
{
	static const struct want w[] = {
		{"registry.k8s.io/metrics-server/metrics-server:v0.6.4", 23, 18,
		 "kube-system", "deployment/metrics-server", NULL,
		 "metrics-server", false},
		{"busybox:1.36", 42, 18, "default", "statefulset/web", NULL,
		 "init-perms", true},
		{"nginx:1.25.2", 45, 18, "default", "statefulset/web", NULL,
		 "nginx", false},
		{"registry.k8s.io/etcd:3.5.7-0", 57, 22, "kube-system",
		 "cronjob/etcd-backup", NULL, "backup", false},
		{"localhost:5000/team/app:2023.09.1", 66, 14, "default",
		 "app-6b7c", "node-2", "app", false},
	};
	const char *path = "fixtures/images/list-mixed.yaml";
	struct run r;

	(void)state;
	run_parser(&r, path, FMT_IMAGES_DOC, false);
	assert_ok(&r, path, "yaml", ARRAY_SIZE(w));
	assert_images(&r, w, ARRAY_SIZE(w));
	assert_string_equal(r.cs.images.v[4].ref->registry, "localhost:5000");
	run_release(&r);
}

static void
concatenated_static_pod_manifests_are_read(void **state)
{
	static const struct want w[] = {
		{"registry.k8s.io/kube-apiserver:v1.27.4", 15, 12,
		 "kube-system", "kube-apiserver", NULL, "kube-apiserver",
		 false},
		{"registry.k8s.io/kube-scheduler:v1.27.4", 31, 12,
		 "kube-system", "kube-scheduler", NULL, "kube-scheduler",
		 false},
	};
	const char *path = "fixtures/images/static-pods.yaml";
	struct run r;

	(void)state;
	run_file(&r, path);
	assert_ok(&r, path, "yaml", ARRAY_SIZE(w));
	assert_images(&r, w, ARRAY_SIZE(w));
	run_release(&r);
}

static void
bad_listings_fail_at_the_first_bad_token(void **state)
{
	static const struct {
		const char *path, *first;
		unsigned errors;
	} cases[] = {
		{"fixtures/bad/images/uppercase-repo.txt",
		 "fixtures/bad/images/uppercase-repo.txt:3:1: error: invalid "
		 "image reference 'registry.k8s.io/Kube-Scheduler:v1.27.4': "
		 "repository name must be lowercase", 1},
		{"fixtures/bad/images/empty-image-value.txt",
		 "fixtures/bad/images/empty-image-value.txt:3:11: error: empty "
		 "image value", 1},
		{"fixtures/bad/images/empty-image.yaml",
		 "fixtures/bad/images/empty-image.yaml:9:12: error: empty "
		 "image value", 1},
		{"fixtures/bad/images/invalid-digest.txt",
		 "fixtures/bad/images/invalid-digest.txt:2:1: error: invalid "
		 "image reference 'registry.k8s.io/pause@sha256:7031c1b2835': "
		 "invalid digest", 1},
		{"fixtures/bad/images/garbage-line.txt",
		 "fixtures/bad/images/garbage-line.txt:3:1: error: invalid "
		 "image reference '!!!': invalid reference format", 2},
		{"fixtures/bad/images/trailing-colon.txt",
		 "fixtures/bad/images/trailing-colon.txt:2:3: error: invalid "
		 "image reference 'registry.k8s.io/kube-proxy:': missing tag "
		 "after ':'", 1},
		{"fixtures/bad/images/truncated.yaml",
		 "fixtures/bad/images/truncated.yaml:66:50: error: invalid "
		 "YAML/JSON: found unexpected end of stream while scanning a "
		 "quoted scalar", 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct run r;

		run_file(&r, cases[i].path);
		assert_int_equal(r.rc, -1);
		assert_string_equal(r.first, cases[i].first);
		if (r.d.errors != cases[i].errors)
			fail_msg("%s: %u errors, want %u", cases[i].path,
				 r.d.errors, cases[i].errors);
		assert_int_equal(r.cs.inputs.n, 0);
		run_release(&r);
	}
}

static void
truncated_yaml_fails_at_the_cut_without_the_sniffer(void **state)
{
	const char *path = "fixtures/bad/images/truncated.yaml";
	struct run r;

	(void)state;
	run_parser(&r, path, FMT_IMAGES_DOC, false);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.first,
			    "fixtures/bad/images/truncated.yaml:66:50: error: "
			    "invalid YAML/JSON: found unexpected end of stream "
			    "while scanning a quoted scalar");
	run_release(&r);
}

static void
a_listing_without_images_is_an_error(void **state)
{
	static const char *const texts[] = {
		"NAMESPACE   NAME   IMAGES\n",
		"apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n",
	};
	static const enum fmt fmts[] = {FMT_IMAGES_TEXT, FMT_IMAGES_DOC};
	char path[] = "/tmp/skewplan-images-XXXXXX";
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		struct run r;
		int fd = mkstemp(path);
		FILE *fp;

		assert_true(fd >= 0);
		fp = fdopen(fd, "w");
		assert_non_null(fp);
		fputs(texts[i], fp);
		fclose(fp);
		run_parser(&r, path, fmts[i], false);
		assert_int_equal(r.rc, -1);
		assert_non_null(strstr(r.first, ": error: no container images "
						"found"));
		run_release(&r);
		remove(path);
		memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	}
}

/*
 * Fails allocation 1, 2, ... until the parse succeeds; each failure must
 * be a clean error without a leak (ASan checks).
 */
static void
parser_out_of_memory_fails_cleanly(void **state)
{
	static const struct {
		const char *path;
		enum fmt fmt;
		bool json;
	} cases[] = {
		{"fixtures/images/podlist.json", FMT_IMAGES_DOC, true},
		{"fixtures/images/list-mixed.yaml", FMT_IMAGES_DOC, false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long n;
		int rc = -1;

		for (n = 1; n < 10000 && rc < 0; n++) {
			struct run r;

			base_fail_alloc_after(n);
			run_parser(&r, cases[i].path, cases[i].fmt,
				   cases[i].json);
			base_fail_alloc_after(0);
			rc = r.rc;
			/* diag's own buffer may fail too: count, not text. */
			if (rc < 0 && r.d.errors == 0)
				fail_msg("%s, allocation %lu: no error",
					 cases[i].path, n);
			run_release(&r);
		}
		assert_int_equal(rc, 0);
	}
}

/* ------------------------------------------------- real-world shapes */

struct cap_image {
	const char *pod, *registry, *repository, *tag, *component;
};

/*
 * fixtures/real/images-*: listings in the shapes users paste (klog
 * warnings before the list, -arm64 names, <pre> and <b> markup around a
 * registry with a port, "pod << image, " pairs); the facts are those of
 * each folder's case.yaml.
 */
static void
real_world_shapes_give_the_expected_images(void **state)
{
	static const struct cap_image klog[] = {
		{NULL, "k8s.gcr.io", "kube-apiserver", "v1.17.3",
		 "kube-apiserver"},
		{NULL, "k8s.gcr.io", "kube-controller-manager", "v1.17.3",
		 "kube-controller-manager"},
		{NULL, "k8s.gcr.io", "kube-scheduler", "v1.17.3",
		 "kube-scheduler"},
		{NULL, "k8s.gcr.io", "kube-proxy", "v1.17.3", "kube-proxy"},
		{NULL, "k8s.gcr.io", "pause", "3.1", "pause"},
		{NULL, "k8s.gcr.io", "etcd", "3.4.3-0", "etcd"},
		{NULL, "k8s.gcr.io", "coredns", "1.6.5", "coredns"},
	};
	static const struct cap_image arch[] = {
		{NULL, "k8s.gcr.io", "kube-apiserver-arm64", "v1.11.10",
		 "kube-apiserver"},
		{NULL, "k8s.gcr.io", "kube-controller-manager-arm64", "v1.11.10",
		 "kube-controller-manager"},
		{NULL, "k8s.gcr.io", "kube-scheduler-arm64", "v1.11.10",
		 "kube-scheduler"},
		{NULL, "k8s.gcr.io", "kube-proxy-arm64", "v1.11.10",
		 "kube-proxy"},
		{NULL, "k8s.gcr.io", "pause", "3.1", "pause"},
		{NULL, "k8s.gcr.io", "etcd-arm64", "3.2.18", "etcd"},
		{NULL, "k8s.gcr.io", "coredns", "1.1.3", "coredns"},
	};
	static const struct cap_image port[] = {
		{NULL, "registry.lab.internal:5000", "kube-apiserver", "v1.17.9",
		 "kube-apiserver"},
		{NULL, "registry.lab.internal:5000", "kube-controller-manager",
		 "v1.17.9", "kube-controller-manager"},
		{NULL, "registry.lab.internal:5000", "kube-scheduler", "v1.17.9",
		 "kube-scheduler"},
		{NULL, "k8s.gcr.io", "etcd", "3.4.3-0", "etcd"},
	};
	static const struct cap_image arrow[] = {
		{"etcd-ci-upgrade-control-plane-1", "k8s.gcr.io", "etcd",
		 "3.4.13-0", "etcd"},
		{"etcd-ci-upgrade-control-plane-2", "k8s.gcr.io", "etcd",
		 "3.4.3-0", "etcd"},
		{"etcd-ci-upgrade-control-plane-3", "k8s.gcr.io", "etcd",
		 "3.4.3-0", "etcd"},
	};
	static const struct {
		const char *path, *format;
		const struct cap_image *want;
		size_t n;
	} cases[] = {
		{"fixtures/real/images-klog-warnings/images.txt",
		 "kubeadm-config-images-list", klog, ARRAY_SIZE(klog)},
		{"fixtures/real/images-arch-suffix/images.txt",
		 "kubeadm-config-images-list", arch, ARRAY_SIZE(arch)},
		{"fixtures/real/images-grep-html-pre-registry-port/images.txt",
		 "manifest-image-lines", port, ARRAY_SIZE(port)},
		{"fixtures/real/images-pod-arrow-pairs/images.txt",
		 "pod-image-pairs", arrow, ARRAY_SIZE(arrow)},
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct run r;

		run_file(&r, cases[i].path);
		assert_ok(&r, cases[i].path, cases[i].format, cases[i].n);
		for (j = 0; j < cases[i].n; j++) {
			const struct image *im = &r.cs.images.v[j];
			const struct cap_image *w = &cases[i].want[j];

			assert_str_or_null(im->pod, w->pod, "pod",
					   im->ref->image);
			assert_str_or_null(im->ref->registry, w->registry,
					   "registry", im->ref->image);
			assert_str_or_null(im->ref->repository, w->repository,
					   "repository", im->ref->image);
			assert_str_or_null(im->ref->tag, w->tag, "tag",
					   im->ref->image);
			assert_str_or_null(im->ref->component, w->component,
					   "component", im->ref->image);
		}
		run_release(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_references_are_split_into_their_parts),
		cmocka_unit_test(invalid_references_are_rejected_with_a_reason),
		cmocka_unit_test(repeated_references_are_interned_once),
		cmocka_unit_test(interning_out_of_memory_fails_cleanly),
		cmocka_unit_test(text_listings_are_read_in_every_format),
		cmocka_unit_test(
			custom_columns_cells_with_several_images_are_split),
		cmocka_unit_test(
			custom_columns_pair_container_names_with_images),
		cmocka_unit_test(a_row_with_the_wrong_column_count_is_an_error),
		cmocka_unit_test(errors_stop_after_twenty),
		cmocka_unit_test(
			control_plane_podlist_yaml_gives_every_container),
		cmocka_unit_test(podlist_yaml_is_detected_by_content),
		cmocka_unit_test(podlist_json_includes_init_containers),
		cmocka_unit_test(workload_templates_are_named_by_kind_and_name),
		cmocka_unit_test(
			mixed_list_takes_images_from_any_key_order),
		cmocka_unit_test(concatenated_static_pod_manifests_are_read),
		cmocka_unit_test(bad_listings_fail_at_the_first_bad_token),
		cmocka_unit_test(
			truncated_yaml_fails_at_the_cut_without_the_sniffer),
		cmocka_unit_test(a_listing_without_images_is_an_error),
		cmocka_unit_test(parser_out_of_memory_fails_cleanly),
		cmocka_unit_test(real_world_shapes_give_the_expected_images),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
