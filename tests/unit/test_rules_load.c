/*
 * test_rules_load.c - the rules loader: rules/ loads with the values the
 * checks depend on, and every kind of bad rule data is a path:line:col
 * error. Bad data is made by copying rules/ to a temporary directory and
 * changing one string; the expected location is found in the changed file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../analyzer/rules/rules.h"

static const char *const rule_files[] = {
	"rulesets.yaml", "data/releases.yaml", "data/skew.yaml",
	"data/kubeadm.yaml", "data/registries.yaml", "data/packages.yaml",
	"data/addons.yaml", "skew/skew.yaml", "support/support.yaml", "health/health.yaml",
	"images/images.yaml", "packages/packages.yaml", "plan/plan.yaml",
	"meta/meta.yaml", "data/apis.yaml", "apis/apis.yaml",
	"data/apis-addons.yaml",
	"addons/addons.yaml",
	"drain/drain.yaml",
	"data/nodes.yaml", "nodes/nodes.yaml",
};

static const char *const rule_dirs[] = {
	"data", "skew", "support", "health", "images", "packages", "plan",
	"meta", "apis", "addons", "drain", "nodes",
};

static char tmpdir[64];

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *s;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	if (len)
		*len = (size_t)n;
	return s;
}

static void
spit(const char *path, const char *s)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(s, 1, strlen(s), fp), strlen(s));
	assert_int_equal(fclose(fp), 0);
}

/* Copies rules/ into a fresh temporary directory. */
static int
copy_rules(void **state)
{
	char path[256], src[256];
	size_t i;
	char *s;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/skewplan-rules-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	for (i = 0; i < ARRAY_SIZE(rule_dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, rule_dirs[i]);
		if (mkdir(path, 0700) < 0)
			return -1;
	}
	for (i = 0; i < ARRAY_SIZE(rule_files); i++) {
		snprintf(src, sizeof(src), "rules/%s", rule_files[i]);
		snprintf(path, sizeof(path), "%s/%s", tmpdir, rule_files[i]);
		s = slurp(src, NULL);
		spit(path, s);
		free(s);
	}
	return 0;
}

static int
remove_rules(void **state)
{
	char path[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rule_files); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, rule_files[i]);
		unlink(path);
	}
	for (i = 0; i < ARRAY_SIZE(rule_dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, rule_dirs[i]);
		rmdir(path);
	}
	rmdir(tmpdir);
	re_release_all();
	return 0;
}

/* Loads dir; returns the load's status and everything diag printed. */
static int
load(const char *dir, char **out)
{
	struct arena a;
	struct rules_db db;
	struct diag d;
	int rc;
	long n;

	arena_init(&a);
	diag_init(&d);
	d.out = tmpfile();
	d.no_source = true;
	assert_non_null(d.out);
	rc = rules_load(&db, &a, &d, dir);
	if (rc == 0)
		rules_release(&db);
	n = ftell(d.out);
	rewind(d.out);
	*out = calloc(1, (size_t)n + 1);
	assert_non_null(*out);
	assert_int_equal(fread(*out, 1, (size_t)n, d.out), (size_t)n);
	fclose(d.out);
	diag_release(&d);
	arena_release(&a);
	return rc;
}

static const struct {
	unsigned minor, patch;
	const char *day;
} release_days[] = {
	{33, 10, "2026-03-19"}, {34, 6, "2026-03-19"}, {35, 3, "2026-03-19"},
	{34, 7, "2026-04-14"}, {35, 5, "2026-05-12"}, {36, 1, "2026-05-13"},
	{34, 9, "2026-06-09"}, {36, 2, "2026-06-09"}, {35, 7, "2026-07-14"},
	{36, 3, "2026-07-14"}, {35, 8, "2026-08-11"}, {36, 4, "2026-08-11"},
	{37, 0, "2026-08-26"}, {35, 9, "2026-09-15"}, {37, 1, "2026-09-15"},
};

static void
rules_directory_loads_with_the_values_checks_use(void **state)
{
	struct arena a;
	struct rules_db db;
	struct diag d;
	const struct release *r;
	const struct rule *ru;
	char s[11];
	size_t i;

	(void)state;
	arena_init(&a);
	diag_init(&d);
	assert_int_equal(rules_load(&db, &a, &d, "rules"), 0);
	assert_int_equal(d.errors, 0);
	date_format(db.compiled, s);
	assert_string_equal(s, "2026-11-25");
	r = rules_release_of(&db, 26);
	assert_non_null(r);
	date_format(r->eol, s);
	assert_string_equal(s, "2024-02-28");
	assert_int_equal(r->patches[3].patch, 3);
	date_format(r->patches[3].date, s);
	assert_string_equal(s, "2023-03-15");
	/* 2026 release days as kubernetes.io/releases gives them. */
	for (i = 0; i < ARRAY_SIZE(release_days); i++) {
		r = rules_release_of(&db, release_days[i].minor);
		assert_non_null(r);
		assert_true(release_days[i].patch < r->npatches);
		date_format(r->patches[release_days[i].patch].date, s);
		print_message("1.%u.%u\n", release_days[i].minor,
			      release_days[i].patch);
		assert_string_equal(s, release_days[i].day);
	}
	assert_int_equal(rules_release_of(&db, 36)->npatches, 5);
	date_format(db.patches_through, s);
	assert_string_equal(s, "2026-09-14");
	assert_string_equal(rules_kubeadm_etcd(&db, 26, 1), "3.5.6-0");
	assert_string_equal(rules_kubeadm_etcd(&db, 26, 10), "3.5.9-0");
	assert_null(rules_kubeadm_etcd(&db, 36, 0));
	ru = rules_find(&db, "kubelet-too-old");
	assert_non_null(ru);
	assert_int_equal(ru->check, CK_COMPONENT_SKEW);
	assert_int_equal(ru->bound, BOUND_OLDER);
	assert_string_equal(ru->components[0], "kubelet");
	assert_int_equal(rules_find(&db, "version-near-end-of-life")->days, 90);
	assert_int_equal(rules_find(&db, "rules-data-stale")->months, 6);
	rules_release(&db);
	diag_release(&d);
	arena_release(&a);
}

/* The default images at the patches where a back-port changes them. */
static const struct {
	unsigned minor, patch;
	const char *etcd, *coredns;
	bool etcd_unconfirmed;
	const char *etcd_source_end;	/* how etcd_source ends */
} image_bounds[] = {
	{28, 13, "3.5.12-0", "v1.10.1", false, "release-1.28/cmd/kubeadm/app/constants/constants.go"},
	{28, 14, "3.5.15-0", "v1.10.1", false, "pull/126399"},
	{29, 8, "3.5.12-0", "v1.11.1", false, "constants.go"},
	{29, 9, "3.5.15-0", "v1.11.1", false, "pull/126397"},
	{30, 4, "3.5.12-0", "v1.11.1", false, "constants.go"},
	{30, 5, "3.5.15-0", "v1.11.3", false, "pull/126395"},
	{31, 0, "3.5.15-0", "v1.11.1", false, "constants.go"},
	{31, 1, "3.5.15-0", "v1.11.3", false, "constants.go"},
	{31, 13, "3.5.15-0", "v1.11.3", false, "constants.go"},
	{31, 14, "3.5.24-0", "v1.11.3", false, "pull/135020"},
	{32, 9, "3.5.16-0", "v1.11.3", false, "constants.go"},
	{32, 10, "3.5.24-0", "v1.11.3", true, "pull/135019"},
	{33, 5, "3.5.21-0", "v1.12.0", false, "constants.go"},
	{33, 6, "3.5.24-0", "v1.12.0", false, "pull/135018"},
	{34, 2, "3.6.4-0", "v1.12.1", false, "constants.go"},
	{34, 3, "3.6.5-0", "v1.12.1", true, "release-1.34/cmd/kubeadm/app/constants/constants.go"},
};

static void
kubeadm_images_change_at_the_first_patch_of_each_back_port(void **state)
{
	struct kubeadm_images im;
	struct arena a;
	struct rules_db db;
	struct diag d;
	size_t i;

	(void)state;
	arena_init(&a);
	diag_init(&d);
	assert_int_equal(rules_load(&db, &a, &d, "rules"), 0);
	for (i = 0; i < ARRAY_SIZE(image_bounds); i++) {
		size_t n, m;

		print_message("1.%u.%u\n", image_bounds[i].minor,
			      image_bounds[i].patch);
		assert_int_equal(rules_kubeadm_images(&db, image_bounds[i].minor,
						      image_bounds[i].patch, &im),
				 0);
		assert_string_equal(im.etcd, image_bounds[i].etcd);
		assert_string_equal(im.coredns, image_bounds[i].coredns);
		assert_int_equal(im.etcd_unconfirmed,
				 image_bounds[i].etcd_unconfirmed);
		assert_false(im.coredns_unconfirmed);
		assert_string_equal(im.image_repository, "registry.k8s.io");
		assert_string_equal(im.coredns_image, "coredns/coredns");
		n = strlen(im.etcd_source);
		m = strlen(image_bounds[i].etcd_source_end);
		assert_true(n >= m);
		assert_string_equal(im.etcd_source + n - m,
				    image_bounds[i].etcd_source_end);
		assert_string_equal(rules_kubeadm_etcd(&db, image_bounds[i].minor,
						       image_bounds[i].patch),
				    image_bounds[i].etcd);
		assert_string_equal(rules_kubeadm_coredns(&db,
							  image_bounds[i].minor,
							  image_bounds[i].patch),
				    image_bounds[i].coredns);
	}
	/* The CoreDNS source follows the coredns_by_patch row. */
	assert_int_equal(rules_kubeadm_images(&db, 31, 1, &im), 0);
	assert_non_null(strstr(im.coredns_source, "pull/126796"));
	/* Before 1.22.17 the registry was k8s.gcr.io. */
	assert_int_equal(rules_kubeadm_images(&db, 22, 16, &im), 0);
	assert_string_equal(im.image_repository, "k8s.gcr.io");
	assert_int_equal(rules_kubeadm_images(&db, 22, 17, &im), 0);
	assert_string_equal(im.image_repository, "registry.k8s.io");
	/* A minor the data does not have. */
	assert_int_equal(rules_kubeadm_images(&db, 17, 0, &im), -1);
	assert_null(im.etcd);
	assert_null(rules_kubeadm_coredns(&db, 99, 0));
	rules_release(&db);
	diag_release(&d);
	arena_release(&a);
}

static long
day(const char *s)
{
	long d;

	assert_true(date_parse(s, strlen(s), &d));
	return d;
}

/* Which pkgs.k8s.io key a plan installs for 1.minor on a day. */
static const struct {
	unsigned minor;
	const char *day;
	int key;		/* 1, 2: the row of signing_keys; 0: none */
	unsigned fetch;		/* the minor whose key URL serves it */
} key_bounds[] = {
	{24, "2023-08-15", 1, 24},
	{27, "2024-11-01", 1, 27},
	{27, "2024-11-02", 2, 28},
	{24, "2025-06-01", 2, 28},
	{28, "2022-08-24", 0, 0},
	{28, "2022-08-25", 2, 28},
	{31, "2024-11-02", 2, 31},
	{36, "2026-12-28", 2, 36},
	{36, "2026-12-29", 0, 0},
	{25, "2026-12-29", 0, 0},
	{23, "2024-01-01", 0, 0},
};

static void
package_keys_follow_their_expiry_and_fall_back_to_a_newer_repository(
	void **state)
{
	const struct pkg_key *k, *k1, *k2;
	struct arena a;
	struct rules_db db;
	struct diag d;
	unsigned fetch;
	size_t i;

	(void)state;
	arena_init(&a);
	diag_init(&d);
	assert_int_equal(rules_load(&db, &a, &d, "rules"), 0);
	k1 = rules_pkg_key_served(&db, "pkgs.k8s.io", 27);
	k2 = rules_pkg_key_served(&db, "pkgs.k8s.io", 28);
	assert_non_null(k1);
	assert_non_null(k2);
	assert_ptr_not_equal(k1, k2);
	assert_ptr_equal(rules_pkg_key_served(&db, "pkgs.k8s.io", 24), k1);
	assert_ptr_equal(rules_pkg_key_served(&db, "pkgs.k8s.io", 37), k2);
	assert_null(rules_pkg_key_served(&db, "pkgs.k8s.io", 23));
	assert_null(rules_pkg_key_served(&db, "legacy", 27));
	assert_string_equal(k1->fingerprint,
			    "DE15B14486CD377B9E876E1A234654DA9A296436");
	/* The same key; v1.28+ serve it with the later expiry. */
	assert_string_equal(k2->fingerprint, k1->fingerprint);
	assert_false(k1->expires_unconfirmed);
	assert_false(k2->expires_unconfirmed);
	assert_string_equal(k1->deb_key_url,
			    "https://pkgs.k8s.io/core:/stable:/v{minor}/deb/"
			    "Release.key");
	assert_string_equal(k2->rpm_key_url,
			    "https://pkgs.k8s.io/core:/stable:/v{minor}/rpm/"
			    "repodata/repomd.xml.key");
	assert_true(rules_pkg_key_is_valid(k1, day("2024-11-01")));
	assert_false(rules_pkg_key_is_valid(k1, day("2024-11-02")));
	assert_false(rules_pkg_key_is_valid(NULL, day("2024-11-01")));
	for (i = 0; i < ARRAY_SIZE(key_bounds); i++) {
		print_message("1.%u on %s\n", key_bounds[i].minor,
			      key_bounds[i].day);
		fetch = 999;
		k = rules_pkg_key_for(&db, "pkgs.k8s.io", key_bounds[i].minor,
				      day(key_bounds[i].day), &fetch);
		if (key_bounds[i].key == 0) {
			assert_null(k);
			assert_int_equal(fetch, 999);
			continue;
		}
		assert_ptr_equal(k, key_bounds[i].key == 1 ? k1 : k2);
		assert_int_equal(fetch, key_bounds[i].fetch);
	}
	rules_release(&db);
	diag_release(&d);
	arena_release(&a);
}

/* Which CNI add-on a pod's image names (rules/data/addons.yaml). */
static const struct {
	const char *repository, *pod, *want;	/* want NULL: none */
} addon_cases[] = {
	{"docker.io/calico/node", "calico-node-x7k2p", "Calico"},
	{"calico/node", NULL, "Calico"},
	{"docker.io/calico/node", "canal-8hq2m", "Canal"},
	{"quay.io/calico/node-driver", "calico-node-x7k2p", NULL},
	{"docker.io/mycalico/node", "calico-node-x7k2p", NULL},
	{"quay.io/cilium/cilium", "cilium-4xw9d", "Cilium"},
	{"docker.io/rancher/mirrored-flannelcni-flannel", NULL, "Flannel"},
	{"quay.io/coreos/flannel", "kube-flannel-ds-abcde", "Flannel"},
	{"docker.io/antrea/antrea-ubuntu", NULL, "Antrea"},
	{"registry.k8s.io/kube-proxy", "kube-proxy-abcde", NULL},
};

static void
addons_are_found_by_image_with_the_pod_prefix_first(void **state)
{
	const struct addon *ad;
	struct arena a;
	struct rules_db db;
	struct diag d;
	size_t i;

	(void)state;
	arena_init(&a);
	diag_init(&d);
	assert_int_equal(rules_load(&db, &a, &d, "rules"), 0);
	for (i = 0; i < ARRAY_SIZE(addon_cases); i++) {
		print_message("%s in %s\n", addon_cases[i].repository,
			      addon_cases[i].pod ? addon_cases[i].pod : "-");
		ad = rules_addon_for_image(&db, "cni",
					   addon_cases[i].repository,
					   addon_cases[i].pod);
		if (!addon_cases[i].want) {
			assert_null(ad);
			continue;
		}
		assert_non_null(ad);
		assert_string_equal(ad->name, addon_cases[i].want);
	}
	assert_null(rules_addon_for_image(&db, "ingress",
					  "docker.io/calico/node", NULL));
	ad = rules_addon_for_image(&db, "cni", "weaveworks/weave-kube", NULL);
	assert_non_null(ad);
	assert_string_equal(ad->upgrade_url, "https://github.com/weaveworks/weave");
	assert_string_equal(ad->upgrade_note,
			    "archived in 2024: plan a move to a maintained plugin");
	assert_int_equal(ad->read, day("2026-12-07"));
	rules_release(&db);
	diag_release(&d);
	arena_release(&a);
}

struct bad_case {
	const char *file;	/* under the copy of rules/ */
	const char *old, *repl;	/* first occurrence of old becomes repl */
	const char *anchor;	/* its first occurrence is the error location */
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{"data/nodes.yaml", "minimum: \"1.6.0\"", "minimum: \"1.6\"",
	 "\"1.6\"", "'1.6' is not a version like 1.6.0"},
	{"data/nodes.yaml", "  - runtime: docker\n    since: \"1.24\"\n"
	 "    removed: true", "  - runtime: docker\n    since: \"1.24\"\n"
	 "    removed: true\n    minimum: \"20.10.0\"", "runtime: docker",
	 "a runtime limit needs exactly one of 'removed: true' and 'minimum'"},
	{"data/nodes.yaml", "runtime: containerd, minor: \"1.25\"",
	 "runtime: containerd, minor: \"1.23\"", "\"1.23\"",
	 "minor 1.23 after 1.24: the rows of a runtime must ascend"},
	{"data/nodes.yaml", "accepted: [\"4.19+\"]", "accepted: [\"4.19.1+\"]",
	 "\"4.19.1+\"", "'4.19.1+' is not a kernel like 4.19 or 4.19+"},
	{"data/nodes.yaml", "preflight: warning", "preflight: notice",
	 "notice", "unknown preflight 'notice' (want error or warning)"},
	{"data/nodes.yaml", "runtime: cri-o", "runtime: crio", "crio",
	 "unknown runtime 'crio' (want docker, containerd or cri-o)"},
	{"data/apis.yaml", "kinds: [CronJob]\n    deprecated_in: \"1.21\"",
	 "kinds: [CronJob]\n    deprecated_in: \"1.26\"", "\"1.26\"",
	 "deprecated_in 1.26 is after removed_in 1.25"},
	{"data/apis.yaml", "api: batch/v1beta1", "api: batch/v1beta1/x",
	 "batch/v1beta1/x", "api 'batch/v1beta1/x' is not a group/version"},
	{"data/apis.yaml", "kinds: [CronJob]", "kinds: [cronjob]", "cronjob]",
	 "kind 'cronjob' is not a Kubernetes kind name"},
	{"data/apis.yaml", "kinds: [CSIStorageCapacity]",
	 "kinds: [CSIStorageCapacity, CSIDriver]",
	 "[CSIStorageCapacity, CSIDriver]",
	 "storage.k8s.io/v1beta1 CSIDriver is listed twice"},
	{"data/apis.yaml", "replacement_since: \"1.29\"\n    sources:\n"
	 "      - https://kubernetes.io/docs/reference/using-api/deprecation-"
	 "guide/#flowcontrol-resources-v132",
	 "replacement_since: \"1.33\"\n    sources:\n"
	 "      - https://kubernetes.io/docs/reference/using-api/deprecation-"
	 "guide/#flowcontrol-resources-v132",
	 "\"1.33\"",
	 "replacement_since 1.33 is after removed_in 1.32: nothing could "
	 "migrate in time"},
	{"data/apis-addons.yaml", "removed_in: \"0.8\"",
	 "removed_in: \"0.08\"", "\"0.08\"",
	 "'0.08' is not a release of the project like \"1.6\""},
	{"data/apis-addons.yaml", "kinds: [ReferenceGrant]\n    deprecated_in: "
	 "\"0.8\"", "kinds: [ReferenceGrant]\n    deprecated_in: \"1.10\"",
	 "\"1.10\"", "deprecated_in Gateway API 1.10 is after removed_in "
	 "Gateway API 1.2"},
	{"data/apis-addons.yaml", "product: Istio", "produce: Istio",
	 "Istio\n    kinds: [ClusterRbacConfig", "unknown key 'produce' in api"},
	{"data/apis.yaml", "removed_in: \"1.27\"", "removed_in: \"1.x\"",
	 "\"1.x\"", "'1.x' is not a minor like \"1.28\""},
	{"data/skew.yaml",
	 "source: \"https://github.com/kubernetes/website/pull/11060\" }",
	 "source: \"https://github.com/kubernetes/website/pull/11060\", "
	 "sauce: x }",
	 "x }", "unknown key 'sauce' in skew row"},
	{"data/releases.yaml", "eol: 2024-02-28", "eol: 2024-02-30",
	 "2024-02-30", "'2024-02-30' is not a date YYYY-MM-DD"},
	{"data/releases.yaml", "{v: 1.26.2, date: 2023-02-22}",
	 "{v: 1.26.4, date: 2023-02-22}", "1.26.4, date: 2023-02-22",
	 "patch '1.26.4' out of order (want 1.26.2)"},
	{"data/releases.yaml", "compiled: 2026-11-25", "compiled: 2026-1-25",
	 "2026-1-25", "'2026-1-25' is not a date YYYY-MM-DD"},
	{"data/skew.yaml",
	 "older_if_component_below: { version: \"1.25\", older: 2 },\n"
	 "      since_apiserver: \"1.28\"",
	 "older_if_component_below: { version: \"1.25\", older: 2 },\n"
	 "      since_apiserver: \"1.27\"",
	 "{ component: kubelet, relative_to: kube-apiserver, newer: 0, older: 3",
	 "kubelet vs kube-apiserver era overlaps the era at line "},
	{"data/skew.yaml", "until_apiserver: \"1.27\"",
	 "until_apiserver: \"1.26\"",
	 "{ component: kubelet, relative_to: kube-apiserver, newer: 0, older: 3",
	 "kubelet vs kube-apiserver eras leave a gap before 1.28"},
	{"data/skew.yaml", "component: kube-proxy, relative_to: kubelet",
	 "component: kube-proxyy, relative_to: kubelet", "kube-proxyy",
	 "unknown component 'kube-proxyy'"},
	{"data/packages.yaml", "revision_pattern: \"^00$\"",
	 "revision_pattern: \"^(00$\"", "\"^(00$\"",
	 "revision_pattern does not compile: "},
	{"skew/skew.yaml", "check: apiserver-ha\n", "check: apiserver-hha\n",
	 "apiserver-hha", "unknown check kind 'apiserver-hha'"},
	{"images/images.yaml", "severity: info", "severity: notice", "notice",
	 "unknown severity 'notice' (want error, warning or info)"},
	{"health/health.yaml", "id: node-cordoned", "id: node-not-ready",
	 "node-not-ready\n    check: node-cordoned",
	 "duplicate rule id 'node-not-ready' (first at "},
	{"health/health.yaml", "is {status}", "is {stauts}", "\"node '{node}'",
	 "unknown placeholder '{stauts}' in message"},
	{"health/health.yaml", "is cordoned (SchedulingDisabled)",
	 "is cordoned ({image})", "\"node '{node}' is cordoned",
	 "check 'node-cordoned' does not provide '{image}' used in message"},
	{"health/health.yaml", "node '{node}' is {status}",
	 "node '{node}' is {status", "\"node '{node}'",
	 "literal '{' in message (placeholders are {name})"},
	{"skew/skew.yaml",
	 "check: kubectl-skew\n    title: kubectl must be within one minor "
	 "of kube-apiserver\n    severity: warning",
	 "check: kubectl-skew\n    title: kubectl must be within one minor "
	 "of kube-apiserver\n    severity: error",
	 "id: kubectl-skew",
	 "rule 'kubectl-skew' must have severity warning (a stable contract)"},
	{"support/support.yaml", "params: { days: 90 }",
	 "params: { days: 90, weeks: 2 }", "2 }",
	 "unknown key 'weeks' in params"},
	{"rulesets.yaml", "schema: skewplan.rules/v1",
	 "schema: skewplan.rules/v2", "skewplan.rules/v2",
	 "unknown schema 'skewplan.rules/v2' (want 'skewplan.rules/v1')"},
	/* A key given twice: the walk names both lines (issue 15). */
	{"health/health.yaml", "    severity: error\n",
	 "    severity: error\n    severity: info\n", "severity: info",
	 "duplicate key 'severity' (first on line 7)"},
	/* An alias is refused, not taken as an empty value. */
	{"health/health.yaml", "    severity: error\n",
	 "    severity: &sev error\n    title2: *sev\n", "*sev",
	 "YAML alias '*sev' is not supported"},
	/* A reader error is located on its own line, not at 1:1. */
	{"health/health.yaml", "every node must be Ready",
	 "every node must be \xffReady", "\xffReady",
	 "invalid leading UTF-8 octet"},
	/* Per-patch defaults: each row is a change, in order, after .0. */
	{"data/kubeadm.yaml", "{ since_patch: 1.30.5, coredns: v1.11.3,",
	 "{ since_patch: 1.30.5, coredns: v1.11.1,", "v1.11.1,\n",
	 "coredns 'v1.11.1' from 1.30.5 is no change"},
	{"data/kubeadm.yaml", "{ since_patch: 1.31.1, coredns: v1.11.3,",
	 "{ since_patch: 1.31.0, coredns: v1.11.3,", "1.31.0, coredns",
	 "since_patch '1.31.0' is the .0 release: give it as the row's "
	 "coredns"},
	{"data/kubeadm.yaml", "{ since_patch: 1.30.5, coredns: v1.11.3,",
	 "{ since_patch: 1.30.5, coredns: 1.11.3x,", "1.11.3x",
	 "'1.11.3x' is not a CoreDNS image tag like v1.11.3"},
	{"data/kubeadm.yaml", "{ since_patch: 1.28.14, etcd: 3.5.15-0,",
	 "{ since_patch: 1.28.14, etcd: 3.5.15,", "3.5.15,",
	 "'3.5.15' is not an etcd image tag like 3.5.15-0"},
	{"data/kubeadm.yaml", "{ since_patch: 1.28.14, etcd: 3.5.15-0,",
	 "{ since_patch: 1.28.7, etcd: 3.5.15-0,", "1.28.7, etcd",
	 "since_patch '1.28.7' is not ascending"},
	{"data/kubeadm.yaml", "{ since_patch: 1.34.3, etcd: 3.6.5-0,",
	 "{ since_patch: 1.34.30, etcd: 3.6.5-0,", "1.34.30",
	 "since_patch '1.34.30' is after 1.34.11, the newest patch in "
	 "releases.yaml"},
	{"data/kubeadm.yaml", "unconfirmed: true, source:",
	 "unconfirmed: maybe, source:", "maybe", "'maybe' is not true or "
	 "false"},
	/* Signing keys. */
	{"data/packages.yaml", "fingerprint: DE15B14486CD377B9E876E1A234654DA9A296436",
	 "fingerprint: de15b14486cd377b9e876e1a234654da9a296436",
	 "de15b", "fingerprint 'de15b14486cd377b9e876e1a234654da9a296436' is "
	 "not 40 upper-case hex digits"},
	{"data/packages.yaml",
	 "    until_minor: \"1.27\"\n    verifies_since_minor: \"1.24\"\n"
	 "    verifies_until_minor: \"1.27\"\n",
	 "    until_minor: \"1.28\"\n    verifies_since_minor: \"1.24\"\n"
	 "    verifies_until_minor: \"1.28\"\n",
	 "repository: pkgs.k8s.io\n    since_minor: \"1.28\"",
	 "signing keys of 'pkgs.k8s.io' overlap at 1.28"},
	{"data/packages.yaml", "    since_minor: \"1.28\"\n",
	 "    since_minor: \"1.29\"\n", "- repository: pkgs.k8s.io\n    since_minor: \"1.24\"",
	 "no signing key is served by the 'pkgs.k8s.io' repository of 1.28"},
	{"data/packages.yaml",
	 "    since_minor: \"1.28\"\n    verifies_since_minor: \"1.24\"",
	 "    since_minor: \"1.28\"\n    verifies_since_minor: \"1.30\"",
	 "\"1.30\"",
	 "the minors a key verifies (1.30 on) must include the minors that "
	 "serve it (1.28 on)"},
	{"data/packages.yaml", "    expires: 2024-11-02\n",
	 "    expires: 2022-08-25\n", "2022-08-25\n    deb",
	 "expires is not after valid_from"},
	{"data/packages.yaml",
	 "deb_key_url: \"https://pkgs.k8s.io/core:/stable:/v{minor}/deb/Release.key\"",
	 "deb_key_url: \"https://pkgs.k8s.io/core:/stable:/v{minor}/deb/Release.key;id\"",
	 "\"https://pkgs.k8s.io/core:/stable:/v{minor}/deb/Release.key;id\"",
	 "deb_key_url is not a plain https URL ending in /deb/Release.key (it "
	 "goes into the runbook's shell commands)"},
	{"data/packages.yaml", "  - repository: pkgs.k8s.io\n    since_minor: \"1.24\"",
	 "  - repository: legacy\n    since_minor: \"1.24\"", "legacy\n    since",
	 "repository 'legacy' is not a per-minor repository of this file"},
	/* Add-ons. */
	{"data/addons.yaml", "kind: cni\n    images: [ cilium/cilium ]",
	 "kind: cnii\n    images: [ cilium/cilium ]", "cnii",
	 "unknown add-on kind 'cnii' (want cni, ingress, metrics, certs, dns, "
	 "csi or other)"},
	/* Add-on support tables. */
	{"data/addons.yaml", "release: \"3.26\"", "release: \"3.26x\"",
	 "\"3.26x\"", "release '3.26x' is not a version like 3.26 or 1.9.6"},
	{"data/addons.yaml", "release: \"3.26\"", "release: \"03.26\"",
	 "\"03.26\"", "release '03.26' is not a version like 3.26 or 1.9.6"},
	{"data/addons.yaml", "release: \"3.24\", min: \"1.22\", max: \"1.25\"",
	 "release: \"3.24\", min: \"1.22\", max: \"1.21\"", "\"1.21\"",
	 "max 1.21 is below min 1.22"},
	{"data/addons.yaml", "release: \"3.24\", min: \"1.22\"",
	 "release: \"3.24\", min: \"v1.22\"", "\"v1.22\"",
	 "'v1.22' is not a minor like \"1.28\""},
	{"data/addons.yaml", "release: \"3.24\", min:",
	 "release: \"3.24\", k8s: \"1.2\", min:", "\"1.2\"",
	 "unknown key 'k8s' in add-on release"},
	{"data/addons.yaml", "{ release: \"3.25\", min: \"1.23\"",
	 "{ release: \"3.24\", min: \"1.23\"",
	 "{ release: \"3.24\", min: \"1.23\"",
	 "release '3.24' is listed twice (first on line "},
	{"data/addons.yaml", "{ release: \"0.5\", min: \"1.8\"",
	 "{ release: \"0.4.2\", min: \"1.8\"",
	 "{ release: \"0.4.2\"",
	 "release '0.4.2' and '0.4' (line "},
	{"data/addons.yaml", "    support_from: kubeadm", "    support_from: helm",
	 "helm", "unknown support_from 'helm' (want kubeadm)"},
	{"data/addons.yaml",
	 "    no_support_table: \"none found: the README read lists no "
	 "Kubernetes versions per release (an old copy; UNCONFIRMED for the "
	 "current docs)\"\n", "", "name: Flannel",
	 "add-on 'Flannel' needs exactly one of support, no_support_table and "
	 "support_from"},
	{"data/addons.yaml", "    support_from: kubeadm",
	 "    support_from: kubeadm\n    no_support_table: x", "name: CoreDNS",
	 "add-on 'CoreDNS' needs exactly one of support, no_support_table and "
	 "support_from"},
	{"data/addons.yaml", "source: https://cert-manager.io/docs/releases/ }",
	 "source: http://cert-manager.io/docs/releases/ }",
	 "http://cert-manager.io/docs/releases/ }",
	 "'http://cert-manager.io/docs/releases/' is not an https:// URL"},
	{"data/addons.yaml", "images: [ cilium/cilium ]",
	 "images: [ \"cilium/cilium;id\" ]", "\"cilium/cilium;id\"",
	 "image 'cilium/cilium;id' is not a repository path like calico/node"},
	{"data/addons.yaml", "images: [ cilium/cilium ]",
	 "images: [ /cilium ]", "/cilium ]",
	 "image '/cilium' is not a repository path like calico/node"},
	{"data/addons.yaml", "images: [ cilium/cilium ]", "images: [ ]", "[ ]",
	 "images must not be empty"},
	{"data/addons.yaml", "pod_prefix: canal-", "pod_prefix: Canal_",
	 "Canal_", "pod_prefix 'Canal_' is not a pod name prefix of [a-z0-9-]"},
	{"data/addons.yaml", "upgrade_url: https://docs.cilium.io",
	 "upgrade_url: http://docs.cilium.io", "http://docs.cilium.io",
	 "'http://docs.cilium.io/en/stable/operations/upgrade/' is not an "
	 "https:// URL"},
	{"data/addons.yaml", "  - name: Cilium\n", "  - name: Calico\n",
	 "Calico\n    kind: cni\n    images: [ cilium",
	 "add-on 'Calico' of kind cni is listed twice (first on line "},
	{"data/addons.yaml", "    read: 2026-12-07\n",
	 "    read: 2026-12-07\n    versions: [ \"1.30\" ]\n", "[ \"1.30\" ]",
	 "unknown key 'versions' in add-on"},
	{"data/addons.yaml", "schema: skewplan.addons/v1",
	 "schema: skewplan.addons/v2", "skewplan.addons/v2",
	 "unknown schema 'skewplan.addons/v2' (want 'skewplan.addons/v1')"},
	{"rulesets.yaml", "{ family: meta, file: meta/meta.yaml }",
	 "{ family: health, file: meta/meta.yaml }", "health, file: meta",
	 "family 'health' is listed twice"},
};

/* Line and column (1-based) of the first occurrence of needle in s. */
static void
locate(const char *s, const char *needle, unsigned *line, unsigned *col)
{
	const char *p = strstr(s, needle), *q;

	assert_non_null(p);
	*line = 1;
	*col = 1;
	for (q = s; q < p; q++) {
		if (*q == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static void
bad_rule_data_is_reported_at_its_location(void **state)
{
	char path[256], want[512];
	size_t i, len, pre;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *b = &bad_cases[i];
		char *orig, *patched, *at, *out;
		unsigned line, col;
		int rc;

		snprintf(path, sizeof(path), "%s/%s", tmpdir, b->file);
		orig = slurp(path, &len);
		at = strstr(orig, b->old);
		print_message("case %zu: %s\n", i, b->msg);
		assert_non_null(at);
		patched = calloc(1, len + strlen(b->repl) + 1);
		assert_non_null(patched);
		pre = (size_t)(at - orig);
		memcpy(patched, orig, pre);
		memcpy(patched + pre, b->repl, strlen(b->repl));
		memcpy(patched + pre + strlen(b->repl), at + strlen(b->old),
		       len - pre - strlen(b->old) + 1);
		spit(path, patched);
		locate(patched, b->anchor, &line, &col);
		rc = load(tmpdir, &out);
		spit(path, orig);
		snprintf(want, sizeof(want), "%s:%u:%u: error: %s", path, line,
			 col, b->msg);
		if (!strstr(out, want))
			print_error("want: %s\ngot:\n%s", want, out);
		assert_int_equal(rc, -1);
		assert_non_null(strstr(out, want));
		free(out);
		free(orig);
		free(patched);
	}
}

static const struct {
	const char *dir, *msg;
} bad_dirs[] = {
	{"fixtures/bad/rules/syntax",
	 "fixtures/bad/rules/syntax/rulesets.yaml:5:9: error: invalid "
	 "YAML/JSON: did not find expected ',' or ']' while parsing a flow "
	 "sequence\n"},
	{"fixtures/bad/rules/missing-file",
	 "fixtures/bad/rules/missing-file/data/releases.yaml: error: cannot "
	 "open: No such file or directory\n"},
	{"fixtures/bad/rules/bad-family",
	 "fixtures/bad/rules/bad-family/rulesets.yaml:11:15: error: unknown "
	 "family 'skews'\n"},
	{"fixtures/bad/rules/bad-family",
	 "fixtures/bad/rules/bad-family/rulesets.yaml:8:10: error: unknown key "
	 "'extra' in data\n"},
	{"fixtures/bad/rules/bad-family",
	 "fixtures/bad/rules/bad-family/rulesets.yaml:3:13: error: path "
	 "'../../../../rules/data/releases.yaml' must be relative, without "
	 "'..', and end in .yaml\n"},
	{"fixtures/bad/rules/no-such-dir",
	 "fixtures/bad/rules/no-such-dir/rulesets.yaml: error: cannot open: "
	 "No such file or directory\n"},
};

static void
bad_rule_directories_fail_with_every_error(void **state)
{
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_dirs); i++) {
		print_message("case %zu: %s\n", i, bad_dirs[i].dir);
		assert_int_equal(load(bad_dirs[i].dir, &out), -1);
		if (!strstr(out, bad_dirs[i].msg))
			print_error("got:\n%s", out);
		assert_non_null(strstr(out, bad_dirs[i].msg));
		free(out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_directory_loads_with_the_values_checks_use),
		cmocka_unit_test(kubeadm_images_change_at_the_first_patch_of_each_back_port),
		cmocka_unit_test(package_keys_follow_their_expiry_and_fall_back_to_a_newer_repository),
		cmocka_unit_test(addons_are_found_by_image_with_the_pod_prefix_first),
		cmocka_unit_test(bad_rule_data_is_reported_at_its_location),
		cmocka_unit_test(bad_rule_directories_fail_with_every_error),
	};

	return cmocka_run_group_tests(tests, copy_rules, remove_rules);
}
