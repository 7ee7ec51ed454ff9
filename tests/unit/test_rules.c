/*
 * test_rules.c - the audit rules at and around each boundary, on cluster
 * inventories built by hand and the rules data of rules/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../analyzer/rules/rules.h"

static struct arena arena;
static struct rules_db db;
static struct diag diag;
static struct cluster_state cs;
static struct findings found;

static long
day(const char *s)
{
	long d = 0;

	assert_true(date_parse(s, strlen(s), &d));
	return d;
}

static struct kver
ver(const char *s)
{
	struct kver v;
	const char *err;

	assert_int_equal(kver_parse(&arena, s, strlen(s), &v, &err), 0);
	return v;
}

static int
setup(void **state)
{
	(void)state;
	arena_init(&arena);
	diag_init(&diag);
	diag.out = tmpfile();
	if (rules_load(&db, &arena, &diag, "rules") < 0) {
		fprintf(stderr, "rules/ does not load: %s\n",
			buf_cstr(&diag.last));
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rules_release(&db);
	if (diag.out)
		fclose(diag.out);
	diag_release(&diag);
	arena_release(&arena);
	re_release_all();
	return 0;
}

static int
cs_setup(void **state)
{
	(void)state;
	cluster_state_init(&cs, &arena);
	memset(&found, 0, sizeof(found));
	return 0;
}

static int
cs_teardown(void **state)
{
	(void)state;
	rules_findings_release(&found);
	cluster_state_release(&cs);
	return 0;
}

static void
set_server(const char *v)
{
	cs.server.present = true;
	cs.server.ver = ver(v);
	cs.server.loc = (struct src_loc){"version.txt", 5, 64};
}

static void
set_client(const char *v)
{
	cs.client.present = true;
	cs.client.ver = ver(v);
	cs.client.loc = (struct src_loc){"version.txt", 3, 64};
}

static struct node *
add_node(const char *name, const char *kubelet, uint32_t line)
{
	struct node *n = vec_push(&cs.nodes);

	assert_non_null(n);
	n->name = name;
	n->status = "Ready";
	n->ready = TRI_TRUE;
	n->schedulable = true;
	n->kubelet = ver(kubelet);
	n->loc = (struct src_loc){"nodes.txt", line, 1};
	return n;
}

static struct image *
add_image(const char *image, const char *node, uint32_t line)
{
	struct image *im = vec_push(&cs.images);
	const char *err = NULL;

	assert_non_null(im);
	im->ref = model_image_ref(&cs, image, strlen(image), &err);
	assert_non_null(im->ref);
	im->node = node;
	im->loc = (struct src_loc){"images.yaml", line, 14};
	return im;
}

static struct package *
add_package(const char *name, const char *version, const char *repo,
	    enum repo_kind kind, unsigned repo_minor, uint32_t line)
{
	struct package *p = vec_push(&cs.packages);
	const char *dash = strrchr(version, '-');

	assert_non_null(p);
	p->name = name;
	p->version = version;
	p->upstream = arena_strndup(&arena, version,
				    dash ? (size_t)(dash - version)
					 : strlen(version));
	p->repo = repo;
	p->repo_kind = kind;
	p->repo_minor = repo_minor;
	p->format = "madison";
	p->installed = TRI_UNKNOWN;
	p->loc = (struct src_loc){"madison.txt", line, 15};
	return p;
}

static void
audit(const char *as_of)
{
	rules_findings_release(&found);
	assert_int_equal(rules_evaluate(&db, &cs, day(as_of), NULL, &diag,
					&found), 0);
	rules_findings_sort(&found);
}

static size_t
count(const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < found.n; i++)
		if (!strcmp(found.v[i].rule->id, rule))
			n++;
	return n;
}

static const struct finding *
find(const char *rule, const char *subject)
{
	size_t i;

	for (i = 0; i < found.n; i++)
		if (!strcmp(found.v[i].rule->id, rule) &&
		    (!subject || !strcmp(found.v[i].subject, subject)))
			return &found.v[i];
	return NULL;
}

static void
reset_cluster(void)
{
	rules_findings_release(&found);
	cluster_state_release(&cs);
	cluster_state_init(&cs, &arena);
}

/* ---------------------------------------------------------- kubelet */

static const struct {
	const char *apiserver, *kubelet;
	unsigned newer, too_old, at_limit;
} kubelet_cases[] = {
	/* n-3 era from 1.28, but a kubelet below 1.25 gets only two. */
	{"v1.28.4", "v1.28.4", 0, 0, 0},
	{"v1.28.4", "v1.26.0", 0, 0, 0},
	{"v1.28.4", "v1.25.16", 0, 0, 1},
	{"v1.28.4", "v1.24.17", 0, 1, 0},
	{"v1.28.4", "v1.29.0", 1, 0, 0},
	/* n-2 era up to 1.27; 1.27 -> 1.28 widens the window to three. */
	{"v1.27.3", "v1.25.0", 0, 0, 0},
	{"v1.27.3", "v1.24.9", 0, 1, 0},
	{"v1.26.1", "v1.24.9", 0, 0, 1},
	{"v1.29.0", "v1.26.5", 0, 0, 1},
	{"v1.29.0", "v1.25.5", 0, 1, 0},
};

static void
kubelet_skew_follows_the_era_windows(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(kubelet_cases); i++) {
		reset_cluster();
		set_server(kubelet_cases[i].apiserver);
		add_node("worker-1", kubelet_cases[i].kubelet, 3);
		audit("2024-01-10");
		print_message("case %zu: apiserver %s kubelet %s\n", i,
			      kubelet_cases[i].apiserver,
			      kubelet_cases[i].kubelet);
		assert_int_equal(count("kubelet-newer-than-apiserver"),
				 kubelet_cases[i].newer);
		assert_int_equal(count("kubelet-too-old"),
				 kubelet_cases[i].too_old);
		assert_int_equal(count("kubelet-at-skew-limit"),
				 kubelet_cases[i].at_limit);
	}
}

static void
kubelet_too_old_names_node_limit_and_evidence(void **state)
{
	const struct finding *f;

	(void)state;
	set_server("v1.28.4");
	add_node("worker-7", "v1.24.17", 9);
	audit("2024-01-10");
	f = find("kubelet-too-old", "worker-7");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_ERROR);
	assert_string_equal(f->message,
			    "kubelet on 'worker-7' is 1.24.17, more than 2 "
			    "minors older than kube-apiserver 1.28.4");
	assert_int_equal(f->nevidence, 2);
	assert_string_equal(f->evidence[0].path, "nodes.txt");
	assert_int_equal(f->evidence[0].line, 9);
	assert_int_equal(f->evidence[0].col, 1);
	assert_string_equal(f->evidence[1].path, "version.txt");
	assert_int_equal(f->evidence[1].line, 5);
	assert_int_equal(f->evidence[1].col, 64);
}

static void
kubelet_at_limit_warns_before_the_next_upgrade(void **state)
{
	const struct finding *f;

	(void)state;
	set_server("v1.28.4");
	add_node("worker-2", "v1.25.16", 4);
	audit("2024-01-10");
	f = find("kubelet-at-skew-limit", "worker-2");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_string_equal(f->message,
			    "kubelet on 'worker-2' is 1.25.16, already 3 minors "
			    "behind kube-apiserver 1.28.4");
}

/* ---------------------------------------------------------- HA */

static void
ha_apiservers_two_minors_apart_are_an_error(void **state)
{
	const struct finding *f;

	(void)state;
	set_server("v1.28.2");
	add_image("registry.k8s.io/kube-apiserver:v1.28.2", "cp-1", 10);
	add_image("registry.k8s.io/kube-apiserver:v1.26.9", "cp-2", 20);
	audit("2024-01-10");
	f = find("apiserver-ha-skew", "cluster");
	assert_non_null(f);
	assert_string_equal(f->message, "kube-apiserver instances span 1.26.9 "
			    "to 1.28.2, more than 1 minor apart");
	assert_int_equal(f->nevidence, 2);
	assert_int_equal(f->evidence[0].line, 20);
	assert_int_equal(f->evidence[1].line, 10);
}

static void
ha_apiservers_one_minor_apart_pass_and_narrow_the_kubelet(void **state)
{
	const struct finding *f;

	(void)state;
	set_server("v1.28.2");
	add_image("registry.k8s.io/kube-apiserver:v1.28.2", "cp-1", 10);
	add_image("registry.k8s.io/kube-apiserver:v1.27.6", "cp-2", 20);
	add_node("cp-1", "v1.28.2", 3);
	audit("2024-01-10");
	assert_int_equal(count("apiserver-ha-skew"), 0);
	/* A 1.28 kubelet is newer than the 1.27 instance. */
	f = find("kubelet-newer-than-apiserver", "cp-1");
	assert_non_null(f);
	assert_string_equal(f->message, "kubelet on 'cp-1' is 1.28.2, newer "
			    "than kube-apiserver 1.27.6");
}

/* ---------------------------------------------------------- kube-proxy */

static void
kube_proxy_is_checked_against_its_kubelet(void **state)
{
	const struct finding *f;
	struct node *n;

	(void)state;
	set_server("v1.28.4");
	n = add_node("worker-1", "v1.24.17", 3);
	n->kube_proxy = "v1.28.4";
	n = add_node("worker-2", "v1.27.0", 4);
	n->kube_proxy = "v1.28.4";
	audit("2024-01-10");
	assert_int_equal(count("kube-proxy-skew"), 1);
	f = find("kube-proxy-skew", "worker-1");
	assert_non_null(f);
	assert_string_equal(f->message, "kube-proxy on 'worker-1' is 1.28.4, "
			    "outside the supported skew against kubelet 1.24.17");
}

static void
kube_proxy_older_than_its_window_is_an_error(void **state)
{
	const struct finding *f;

	(void)state;
	set_server("v1.27.3");
	add_node("worker-1", "v1.27.3", 3);
	add_image("registry.k8s.io/kube-proxy:v1.24.9", "worker-1", 30);
	audit("2024-01-10");
	f = find("kube-proxy-skew", "worker-1");
	assert_non_null(f);
	assert_string_equal(f->message, "kube-proxy on 'worker-1' is 1.24.9, "
			    "outside the supported skew against kube-apiserver "
			    "1.27.3");
	assert_int_equal(f->evidence[0].line, 30);
}

static void
kube_proxy_without_a_version_is_input_missing(void **state)
{
	const struct finding *f;

	(void)state;
	set_server("v1.28.4");
	add_node("worker-1", "v1.28.4", 3);
	audit("2024-01-10");
	f = find("input-missing", "kube-proxy version");
	assert_non_null(f);
	assert_string_equal(f->message, "no kube-proxy version captured; "
			    "skipped: kube-proxy-skew");
}

/* ---------------------------------------------------------- control plane */

static const struct {
	const char *kcm;
	unsigned skew, mismatch;
} cp_cases[] = {
	{"v1.28.4", 0, 0},
	{"v1.27.9", 0, 1},
	{"v1.26.9", 1, 1},
	{"v1.29.0", 1, 1},
};

static void
controller_manager_may_be_one_minor_older_never_newer(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cp_cases); i++) {
		char image[128];

		reset_cluster();
		set_server("v1.28.4");
		snprintf(image, sizeof(image),
			 "registry.k8s.io/kube-controller-manager:%s",
			 cp_cases[i].kcm);
		add_image("registry.k8s.io/kube-apiserver:v1.28.4", "cp-1", 2);
		add_image(image, "cp-1", 3);
		add_image("registry.k8s.io/kube-scheduler:v1.28.4", "cp-1", 4);
		audit("2024-01-10");
		print_message("case %zu: kcm %s\n", i, cp_cases[i].kcm);
		assert_int_equal(count("control-plane-component-skew"),
				 cp_cases[i].skew);
		assert_int_equal(count("control-plane-image-mismatch"),
				 cp_cases[i].mismatch);
	}
}

/* ---------------------------------------------------------- kubectl */

static const struct {
	const char *client;
	unsigned skew;
} kubectl_cases[] = {
	{"v1.26.0", 1}, {"v1.27.1", 0}, {"v1.28.4", 0}, {"v1.29.0", 0},
	{"v1.30.0", 1},
};

static void
kubectl_skew_agrees_with_kubectls_own_warning(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(kubectl_cases); i++) {
		reset_cluster();
		set_server("v1.28.4");
		set_client(kubectl_cases[i].client);
		audit("2024-01-10");
		print_message("case %zu: kubectl %s\n", i,
			      kubectl_cases[i].client);
		assert_int_equal(count("kubectl-skew"), kubectl_cases[i].skew);
	}
}

/* ---------------------------------------------------------- support */

static const struct {
	const char *as_of;
	unsigned eol, near;
	const char *near_msg;
} eol_cases[] = {
	/* 1.26 reached end of life on 2024-02-28. */
	{"2023-11-29", 0, 0, NULL},
	{"2023-11-30", 0, 1, "kube-apiserver 1.26.15 runs minor 1.26, which "
	 "reaches end of life on 2024-02-28, in 90 days"},
	{"2024-02-27", 0, 1, "kube-apiserver 1.26.15 runs minor 1.26, which "
	 "reaches end of life on 2024-02-28, in 1 days"},
	{"2024-02-28", 0, 1, "kube-apiserver 1.26.15 runs minor 1.26, which "
	 "reaches end of life on 2024-02-28, in 0 days"},
	{"2024-02-29", 1, 0, NULL},
};

static void
end_of_life_is_checked_on_the_day_before_of_and_after(void **state)
{
	const struct finding *f;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(eol_cases); i++) {
		reset_cluster();
		set_server("v1.26.15");
		audit(eol_cases[i].as_of);
		print_message("case %zu: as of %s\n", i, eol_cases[i].as_of);
		assert_int_equal(count("version-end-of-life"),
				 eol_cases[i].eol);
		assert_int_equal(count("version-near-end-of-life"),
				 eol_cases[i].near);
		if (eol_cases[i].near_msg) {
			f = find("version-near-end-of-life", "cluster");
			assert_string_equal(f->message, eol_cases[i].near_msg);
		}
	}
	f = find("version-end-of-life", "cluster");
	assert_non_null(f);
	assert_string_equal(f->message, "kube-apiserver 1.26.15 runs minor "
			    "1.26, which reached end of life on 2024-02-28");
}

static void
support_window_is_the_newest_three_released_minors(void **state)
{
	const struct finding *f;

	(void)state;
	set_server("v1.26.11");
	/* 1.29 went GA on 2023-12-13. */
	audit("2023-12-12");
	assert_int_equal(count("version-outside-support-window"), 0);
	audit("2023-12-13");
	f = find("version-outside-support-window", "cluster");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_string_equal(f->message,
			    "kube-apiserver 1.26.11 runs minor 1.26, not one of "
			    "the 3 newest minors (1.27, 1.28, 1.29); it gets "
			    "patches until 2024-02-28 only");
	/* Past its end of life only version-end-of-life speaks. */
	audit("2024-02-29");
	assert_int_equal(count("version-outside-support-window"), 0);
	assert_int_equal(count("version-end-of-life"), 1);
}

/*
 * One consistent answer per date (README "Supported versions"): an error
 * only past end of life; before it, at most warnings. 1.27 was still
 * patched until 2024-07-16 while 1.28, 1.29 and 1.30 were the newest three.
 */
static void
support_rules_agree_on_one_definition(void **state)
{
	static const struct {
		const char *server, *as_of;
		size_t eol, near, window, errors;
	} t[] = {
		{"v1.27.13", "2024-04-16", 0, 0, 0, 0},	/* 1.30 not out */
		{"v1.27.13", "2024-04-17", 0, 1, 1, 0},	/* 90 days left */
		{"v1.27.13", "2024-06-01", 0, 1, 1, 0},
		{"v1.27.13", "2024-07-16", 0, 1, 1, 0},	/* its last day */
		{"v1.27.13", "2024-07-17", 1, 0, 0, 1},
		{"v1.29.4", "2024-06-01", 0, 0, 0, 0},
	};
	size_t i, k, errors;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		set_server(t[i].server);
		audit(t[i].as_of);
		assert_int_equal(count("version-end-of-life"), t[i].eol);
		assert_int_equal(count("version-near-end-of-life"), t[i].near);
		assert_int_equal(count("version-outside-support-window"),
				 t[i].window);
		for (k = 0, errors = 0; k < found.n; k++)
			errors += !strncmp(found.v[k].rule->id, "version-", 8) &&
				  found.v[k].severity == SEV_ERROR;
		assert_int_equal(errors, t[i].errors);
	}
}

static void
patch_behind_uses_release_dates_and_madison(void **state)
{
	const struct finding *f;

	(void)state;
	set_server("v1.26.1");
	/* 1.26.2 was tagged 2023-02-22. */
	audit("2023-02-21");
	assert_int_equal(count("patch-behind"), 0);
	audit("2023-03-20");
	f = find("patch-behind", "cluster");
	assert_non_null(f);
	assert_string_equal(f->message, "kube-apiserver 1.26.1 is behind "
			    "1.26.3, the newest 1.26 patch (released "
			    "2023-03-15)");
	/* A listing that offers a newer patch is evidence too. */
	add_package("kubeadm", "1.26.2-00", "https://apt.kubernetes.io "
		    "kubernetes-xenial/main amd64 Packages", REPO_LEGACY, 0, 3);
	audit("2023-02-21");
	f = find("patch-behind", "cluster");
	assert_non_null(f);
	assert_int_equal(f->nevidence, 2);
	assert_string_equal(f->evidence[1].path, "madison.txt");
	assert_int_equal(f->evidence[1].line, 3);
	assert_string_equal(f->message, "kube-apiserver 1.26.1 is behind "
			    "1.26.2, the newest 1.26 patch (released "
			    "2023-02-22)");
}

static void
rules_data_goes_stale_six_months_after_compiled(void **state)
{
	(void)state;
	set_server("v1.35.0");
	/* compiled 2026-11-25: stale after 2027-05-25. */
	audit("2027-05-25");
	assert_int_equal(count("rules-data-stale"), 0);
	audit("2027-05-26");
	assert_int_equal(count("rules-data-stale"), 1);
}

/* ---------------------------------------------------------- health */

static void
not_ready_unknown_and_cordoned_nodes_are_reported(void **state)
{
	struct node *n;

	(void)state;
	set_server("v1.28.4");
	add_node("cp-1", "v1.28.4", 2);
	n = add_node("worker-1", "v1.28.4", 3);
	n->ready = TRI_FALSE;
	n->status = "NotReady";
	n = add_node("worker-2", "v1.28.4", 4);
	n->ready = TRI_UNKNOWN;
	n->status = "Unknown";
	n = add_node("worker-3", "v1.28.4", 5);
	n->schedulable = false;
	n->status = "Ready,SchedulingDisabled";
	audit("2024-01-10");
	assert_int_equal(count("node-not-ready"), 2);
	assert_string_equal(find("node-not-ready", "worker-1")->message,
			    "node 'worker-1' is NotReady");
	assert_string_equal(find("node-not-ready", "worker-2")->message,
			    "node 'worker-2' is Unknown");
	assert_int_equal(count("node-cordoned"), 1);
	assert_non_null(find("node-cordoned", "worker-3"));
}

/* ---------------------------------------------------------- images */

static void
frozen_registry_counts_from_the_freeze_date(void **state)
{
	const struct finding *f;

	(void)state;
	set_server("v1.26.1");
	add_image("k8s.gcr.io/kube-apiserver:v1.26.1", "cp-1", 2);
	add_image("registry.k8s.io/etcd:3.5.6-0", "cp-1", 3);
	audit("2023-04-02");
	assert_int_equal(count("image-frozen-registry"), 0);
	audit("2023-04-03");
	assert_int_equal(count("image-frozen-registry"), 1);
	f = find("image-frozen-registry", "k8s.gcr.io/kube-apiserver:v1.26.1");
	assert_non_null(f);
	assert_string_equal(f->message, "'k8s.gcr.io/kube-apiserver:v1.26.1' "
			    "comes from k8s.gcr.io, frozen since 2023-04-03");
}

static const struct {
	const char *server, *etcd;
	unsigned info;
} etcd_cases[] = {
	{"v1.26.1", "3.5.6-0", 0},
	{"v1.26.1", "3.5.5-0", 1},
	{"v1.26.1", "3.5.9-0", 0},
	{"v1.26.10", "3.5.6-0", 1},	/* 1.26.10 moved the default to 3.5.9-0 */
	{"v1.36.0", "3.5.0-0", 0},	/* unknown default: skipped */
};

static void
etcd_older_than_the_kubeadm_default_is_info(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(etcd_cases); i++) {
		char image[128];

		reset_cluster();
		set_server(etcd_cases[i].server);
		snprintf(image, sizeof(image), "registry.k8s.io/etcd:%s",
			 etcd_cases[i].etcd);
		add_image(image, "cp-1", 2);
		audit("2024-01-10");
		print_message("case %zu\n", i);
		assert_int_equal(count("etcd-behind-kubeadm-default"),
				 etcd_cases[i].info);
	}
	reset_cluster();
	set_server("v1.26.10");
	add_image("registry.k8s.io/etcd:3.5.6-0", "cp-1", 2);
	audit("2024-01-10");
	assert_string_equal(find("etcd-behind-kubeadm-default", "cp-1")->message,
			    "etcd on 'cp-1' is 3.5.6-0; kubeadm 1.26 deploys "
			    "3.5.9-0 by default");
}

/* ---------------------------------------------------------- packages */

static void
legacy_repository_is_an_error_once_frozen(void **state)
{
	const char *repo = "https://apt.kubernetes.io kubernetes-xenial/main "
			   "amd64 Packages";
	const struct finding *f;

	(void)state;
	set_server("v1.26.1");
	add_package("kubeadm", "1.26.3-00", repo, REPO_LEGACY, 0, 2);
	add_package("kubeadm", "1.26.2-00", repo, REPO_LEGACY, 0, 3);
	add_package("kubelet", "1.26.3-00", repo, REPO_LEGACY, 0, 7);
	audit("2023-09-12");
	assert_int_equal(count("package-repo-legacy"), 0);
	audit("2023-09-13");
	assert_int_equal(count("package-repo-legacy"), 1);
	f = find("package-repo-legacy", repo);
	assert_non_null(f);
	assert_int_equal(f->nevidence, 2);	/* one row per package */
	assert_int_equal(f->evidence[0].line, 2);
	assert_int_equal(f->evidence[1].line, 7);
	assert_string_equal(f->message, "'/etc/apt/sources.list.d/"
			    "kubernetes.list' uses the legacy repository "
			    "https://apt.kubernetes.io kubernetes-xenial/main "
			    "amd64 Packages (frozen 2023-09-13, removed "
			    "2024-03-04)");
}

static void
pkgs_repository_pinned_to_a_minor_is_info(void **state)
{
	const struct finding *f;

	(void)state;
	set_server("v1.29.3");
	add_package("kubeadm", "1.29.3-1.1",
		    "https://pkgs.k8s.io/core:/stable:/v1.29/deb  Packages",
		    REPO_PKGS, 29, 2);
	audit("2024-04-01");
	f = find("package-repo-minor-pinned", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_INFO);
	assert_string_equal(f->message, "'/etc/apt/sources.list.d/"
			    "kubernetes.list' uses the pkgs.k8s.io repository "
			    "for v1.29, which has no packages for 1.30");
}

/* ---------------------------------------------------------- input-missing */

static void
empty_snapshot_passes_nothing_silently(void **state)
{
	static const char *const skipped[] = {
		"kubelet-newer-than-apiserver", "kubelet-too-old",
		"kubelet-at-skew-limit", "node-not-ready", "node-cordoned",
	};
	const struct finding *f;
	size_t i;

	(void)state;
	audit("2024-01-10");
	/* Only input-missing (and nothing that pretends to pass). */
	assert_int_equal(found.n, count("input-missing"));
	f = find("input-missing", "version");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "version-end-of-life"));
	assert_non_null(strstr(f->message, "apiserver-ha-skew"));
	f = find("input-missing", "nodes");
	assert_non_null(f);
	assert_string_equal(f->message, "no nodes captured; skipped: "
			    "kubelet-newer-than-apiserver, kubelet-too-old, "
			    "kubelet-at-skew-limit, node-not-ready, "
			    "node-cordoned");
	/* The reports read the rules skipped from the list, not the text. */
	assert_int_equal(f->nskipped_rules, ARRAY_SIZE(skipped));
	for (i = 0; i < ARRAY_SIZE(skipped); i++)
		assert_string_equal(f->skipped_rules[i], skipped[i]);
	assert_non_null(find("input-missing", "images"));
	assert_non_null(find("input-missing", "packages"));
	assert_int_equal(f->nevidence, 0);
}

/* ---------------------------------------------------------- waivers */

static void
unexpired_waiver_suppresses_and_glob_matches(void **state)
{
	struct waivers w;
	struct node *n;

	(void)state;
	set_server("v1.28.4");
	add_node("cp-1", "v1.28.4", 2);
	n = add_node("worker-3", "v1.28.4", 3);
	n->ready = TRI_FALSE;
	n->status = "NotReady";
	assert_int_equal(rules_waivers_load(&db, &diag,
					    "fixtures/waivers/valid.yaml", &w),
			 0);
	assert_int_equal(w.n, 2);
	audit("2024-01-10");
	assert_int_equal(rules_findings_count(&found, SEV_ERROR), 1);
	assert_int_equal(rules_waivers_apply(&db, &w, day("2024-01-10"), &diag,
					     &found), 0);
	assert_true(find("node-not-ready", "worker-3")->suppressed);
	assert_string_equal(find("node-not-ready", "worker-3")->waiver->owner,
			    "platform-team");
	assert_int_equal(rules_findings_count(&found, SEV_ERROR), 0);
	assert_int_equal(count("waiver-expired"), 0);
	rules_waivers_release(&w);
}

static void
expired_waiver_counts_again_and_warns(void **state)
{
	const struct finding *f;
	struct waivers w;
	struct node *n;

	(void)state;
	set_server("v1.28.4");
	n = add_node("worker-3", "v1.28.4", 3);
	n->ready = TRI_FALSE;
	n->status = "NotReady";
	assert_int_equal(rules_waivers_load(&db, &diag,
					    "fixtures/waivers/expired.yaml",
					    &w), 0);
	/* The expiry day itself is still covered. */
	audit("2024-03-31");
	assert_int_equal(rules_waivers_apply(&db, &w, day("2024-03-31"), &diag,
					     &found), 0);
	assert_true(find("node-not-ready", "worker-3")->suppressed);
	audit("2024-04-01");
	assert_int_equal(rules_waivers_apply(&db, &w, day("2024-04-01"), &diag,
					     &found), 0);
	rules_findings_sort(&found);
	f = find("node-not-ready", "worker-3");
	assert_false(f->suppressed);
	assert_true(f->waiver_expired);
	assert_int_equal(rules_findings_count(&found, SEV_ERROR), 1);
	f = find("waiver-expired", "worker-3");
	assert_non_null(f);
	assert_string_equal(f->message, "waiver for 'node-not-ready' expired "
			    "on 2024-03-31; the finding is reported again");
	assert_string_equal(f->evidence[0].path, "fixtures/waivers/expired.yaml");
	assert_int_equal(f->evidence[0].line, 1);
	assert_int_equal(f->evidence[0].col, 3);
	rules_waivers_release(&w);
}

static const struct {
	const char *file, *msg;
} bad_waivers[] = {
	{"fixtures/waivers/unknown-rule.yaml",
	 "fixtures/waivers/unknown-rule.yaml:6:9: error: waiver names unknown "
	 "rule 'kubelet-too-olde'"},
	{"fixtures/waivers/missing-key.yaml",
	 "fixtures/waivers/missing-key.yaml:1:3: error: missing key 'owner' in "
	 "waiver"},
	{"fixtures/waivers/bad-date.yaml",
	 "fixtures/waivers/bad-date.yaml:5:12: error: '2030-02-30' is not a "
	 "date YYYY-MM-DD"},
	{"fixtures/waivers/not-a-list.yaml",
	 "fixtures/waivers/not-a-list.yaml:1:1: error: a waivers file is a "
	 "list of waivers"},
};

static void
bad_waiver_files_are_rules_errors_with_locations(void **state)
{
	struct waivers w;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_waivers); i++) {
		assert_int_equal(rules_waivers_load(&db, &diag,
						    bad_waivers[i].file, &w),
				 -1);
		assert_string_equal(buf_cstr(&diag.last), bad_waivers[i].msg);
		rules_waivers_release(&w);
	}
}

/* ---------------------------------------------------------- order */

static void
findings_sort_by_severity_rule_and_location(void **state)
{
	size_t i;
	struct node *n;

	(void)state;
	set_server("v1.28.4");
	n = add_node("b", "v1.24.0", 7);
	n->schedulable = false;
	add_node("a", "v1.24.0", 3);
	n = add_node("c", "v1.28.4", 5);
	n->ready = TRI_FALSE;
	audit("2024-01-10");
	for (i = 1; i < found.n; i++) {
		const struct finding *x = &found.v[i - 1], *y = &found.v[i];

		assert_true(x->severity <= y->severity);
		if (x->severity == y->severity)
			assert_true(strcmp(x->rule->id, y->rule->id) <= 0);
	}
	assert_string_equal(find("kubelet-too-old", NULL)->subject, "a");
}

#define T(f) cmocka_unit_test_setup_teardown(f, cs_setup, cs_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(kubelet_skew_follows_the_era_windows),
		T(kubelet_too_old_names_node_limit_and_evidence),
		T(kubelet_at_limit_warns_before_the_next_upgrade),
		T(ha_apiservers_two_minors_apart_are_an_error),
		T(ha_apiservers_one_minor_apart_pass_and_narrow_the_kubelet),
		T(kube_proxy_is_checked_against_its_kubelet),
		T(kube_proxy_older_than_its_window_is_an_error),
		T(kube_proxy_without_a_version_is_input_missing),
		T(controller_manager_may_be_one_minor_older_never_newer),
		T(kubectl_skew_agrees_with_kubectls_own_warning),
		T(end_of_life_is_checked_on_the_day_before_of_and_after),
		T(support_window_is_the_newest_three_released_minors),
		T(support_rules_agree_on_one_definition),
		T(patch_behind_uses_release_dates_and_madison),
		T(rules_data_goes_stale_six_months_after_compiled),
		T(not_ready_unknown_and_cordoned_nodes_are_reported),
		T(frozen_registry_counts_from_the_freeze_date),
		T(etcd_older_than_the_kubeadm_default_is_info),
		T(legacy_repository_is_an_error_once_frozen),
		T(pkgs_repository_pinned_to_a_minor_is_info),
		T(empty_snapshot_passes_nothing_silently),
		T(unexpired_waiver_suppresses_and_glob_matches),
		T(expired_waiver_counts_again_and_warns),
		T(bad_waiver_files_are_rules_errors_with_locations),
		T(findings_sort_by_severity_rule_and_location),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
