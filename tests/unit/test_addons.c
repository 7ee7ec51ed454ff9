/*
 * test_addons.c - the add-on support tables of rules/data/addons.yaml:
 * image tags read as versions, each release judged at the bounds of the
 * Kubernetes minors its row lists, the add-ons a snapshot runs, and the
 * addon-* findings of an audit.
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

struct fx {
	struct arena arena;
	struct rules_db db;
	struct cluster_state cs;
	struct diag d;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	arena_init(&f->arena);
	diag_init(&f->d);
	cluster_state_init(&f->cs, &f->arena);
	if (rules_load(&f->db, &f->arena, &f->d, "rules") < 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	rules_release(&f->db);
	cluster_state_release(&f->cs);
	diag_release(&f->d);
	arena_release(&f->arena);
	free(f);
	return 0;
}

/* Adds an image used by pod in ns (initContainer when init). */
static void
add_image(struct fx *f, const char *image, const char *ns, const char *pod,
	  bool init)
{
	struct image *im = vec_push(&f->cs.images);
	const char *err = NULL;

	assert_non_null(im);
	im->ref = model_image_ref(&f->cs, image, strlen(image), &err);
	assert_non_null(im->ref);
	im->namespace_ = ns;
	im->pod = pod;
	im->init = init;
	im->loc.path = "workloads.yaml";
	im->loc.line = (uint32_t)f->cs.images.n;
	im->loc.col = 18;
}

/* ------------------------------------------------------------ tags */

static const struct {
	const char *tag;
	bool ok;
	unsigned major, minor, patch;
} tags[] = {
	{"v3.26.1", true, 3, 26, 1},
	{"3.26.1", true, 3, 26, 1},
	{"v3.26", true, 3, 26, 0},
	{"v1.9.4", true, 1, 9, 4},
	{"1.12.0-beta.0", true, 1, 12, 0},
	{"v3.26.1-amd64", true, 3, 26, 1},
	{"1.11.1+build.3", true, 1, 11, 1},
	{"v3", false, 0, 0, 0},
	{"3.", false, 0, 0, 0},
	{"v3.26.1.2", false, 0, 0, 0},
	{"v3.26.1x", false, 0, 0, 0},
	{"latest", false, 0, 0, 0},
	{"", false, 0, 0, 0},
	{"vv3.26.1", false, 0, 0, 0},
	{"3.100000.1", false, 0, 0, 0},
};

static void
tags_are_versions_only_when_they_are_release_numbers(void **state)
{
	unsigned ma, mi, pa;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		print_message("tag '%s'\n", tags[i].tag);
		ma = mi = pa = 777;
		assert_int_equal(rules_addon_tag_version(tags[i].tag, &ma, &mi,
							 &pa),
				 tags[i].ok);
		if (!tags[i].ok)
			continue;
		assert_int_equal(ma, tags[i].major);
		assert_int_equal(mi, tags[i].minor);
		assert_int_equal(pa, tags[i].patch);
	}
	assert_false(rules_addon_tag_version(NULL, &ma, &mi, &pa));
}

/* ------------------------------------------------------------ judge */

/*
 * Each case: the image, the hop (from -> target), the verdict, the row of
 * the running release and the first newer release that lists the target,
 * and the from minor too when one does (NULL: none; computed whatever the
 * verdict). The targets sit on both sides of each row's bounds.
 */
static const struct {
	const char *image;
	unsigned from, target;
	enum addon_verdict verdict;
	const char *row, *fix;
} judged[] = {
	/* Calico 3.26 lists 1.24 to 1.28. */
	{"docker.io/calico/node:v3.26.1", 27, 28, ADDON_LISTED,
	 "3.26", "3.27"},
	{"docker.io/calico/node:v3.26.1", 28, 29, ADDON_NOT_LISTED, "3.26",
	 "3.28"},
	{"docker.io/calico/node:v3.26.1", 23, 24, ADDON_LISTED, "3.26",
	 "3.27"},
	{"docker.io/calico/node:v3.26.1", 22, 23, ADDON_NOT_LISTED, "3.26",
	 NULL},
	/* 3.28 (1.27-1.30) lists both 1.29 and 1.30; 3.29 (1.29-1.31) too,
	 * but 3.28 is the first. */
	{"docker.io/calico/node:v3.27.3", 29, 30, ADDON_NOT_LISTED, "3.27",
	 "3.28"},
	/* 3.30 lists 1.31 to 1.33; from 1.33 to 1.34 the first release that
	 * lists both is 3.31, not 3.32 (1.34 to 1.36). */
	{"quay.io/calico/node:v3.30.2", 33, 34, ADDON_NOT_LISTED, "3.30",
	 "3.31"},
	{"quay.io/calico/node:v3.30.2", 32, 33, ADDON_LISTED, "3.30",
	 "3.31"},
	/* A release the data has no row for. */
	{"docker.io/calico/node:v3.23.5", 28, 29, ADDON_NO_ROW, NULL, "3.28"},
	{"docker.io/calico/node:v3.33.0", 35, 36, ADDON_NO_ROW, NULL, NULL},
	/* ingress-nginx: patch rows. 1.9.0 (1.25-1.28) holds to 1.9.5. */
	{"registry.k8s.io/ingress-nginx/controller:v1.9.4@sha256:"
	 "5b161f051d017e55d358435f295f5e9a297e66158f136321d9b04520ec6c48a3",
	 27, 28, ADDON_LISTED, "1.9.0", "1.9.6"},
	{"registry.k8s.io/ingress-nginx/controller:v1.9.4", 28, 29,
	 ADDON_NOT_LISTED, "1.9.0", "1.9.6"},
	{"registry.k8s.io/ingress-nginx/controller:v1.9.5", 28, 29,
	 ADDON_NOT_LISTED, "1.9.0", "1.9.6"},
	{"registry.k8s.io/ingress-nginx/controller:v1.9.6", 28, 29,
	 ADDON_LISTED, "1.9.6", "1.10.0"},
	{"registry.k8s.io/ingress-nginx/controller:v1.10.0", 29, 30,
	 ADDON_NOT_LISTED, "1.10.0", "1.10.1"},
	{"k8s.gcr.io/ingress-nginx/controller:v1.3.0", 23, 24, ADDON_NO_ROW,
	 NULL, "1.3.1"},
	/* metrics-server: "1.25+" has no upper bound. */
	{"registry.k8s.io/metrics-server/metrics-server:v0.6.4", 34, 35,
	 ADDON_LISTED, "0.6", "0.7"},
	{"registry.k8s.io/metrics-server/metrics-server:v0.6.4", 24, 25,
	 ADDON_LISTED, "0.6", NULL},
	{"registry.k8s.io/metrics-server/metrics-server:v0.6.4", 23, 24,
	 ADDON_NOT_LISTED, "0.6", NULL},
	{"k8s.gcr.io/metrics-server/metrics-server:v0.3.7", 21, 22,
	 ADDON_NOT_LISTED, "0.3", "0.4"},
	/* cert-manager 1.13 lists 1.21 to 1.27; 1.12 LTS (to 1.32) is older
	 * and is no fix. */
	{"quay.io/jetstack/cert-manager-controller:v1.13.2", 26, 27,
	 ADDON_LISTED, "1.13", "1.14"},
	{"quay.io/jetstack/cert-manager-controller:v1.13.2", 27, 28,
	 ADDON_NOT_LISTED, "1.13", "1.14"},
	{"quay.io/jetstack/cert-manager-controller:v1.13.2", 20, 21,
	 ADDON_LISTED, "1.13", NULL},
	/* No table, CoreDNS, no version. */
	{"docker.io/flannel/flannel:v0.22.0", 29, 30, ADDON_NO_TABLE, NULL,
	 NULL},
	{"registry.k8s.io/coredns/coredns:v1.11.1", 29, 30, ADDON_KUBEADM,
	 NULL, NULL},
	{"quay.io/cilium/cilium@sha256:"
	 "758ca0793f5995bb938a2fa219dcce63dc0b3fa7345f4e4bde2c7dce6f1cd947",
	 29, 30, ADDON_NO_VERSION, NULL, NULL},
	{"quay.io/cilium/cilium:latest", 29, 30, ADDON_NO_VERSION, NULL, NULL},
	{"quay.io/cilium/cilium:v1.18.4", 32, 33, ADDON_LISTED, "1.18",
	 "1.19"},
	{"quay.io/cilium/cilium:v1.18.4", 33, 34, ADDON_NOT_LISTED, "1.18",
	 "1.19"},
};

static void
releases_are_judged_at_the_bounds_of_their_rows(void **state)
{
	struct fx *f = *state;
	struct addon_run *runs;
	struct addon_judgement j;
	size_t i, n;

	for (i = 0; i < sizeof(judged) / sizeof(judged[0]); i++) {
		f->cs.images.n = 0;
		add_image(f, judged[i].image, "kube-system", "x-abcde", false);
		assert_int_equal(rules_addons_running(&f->db, &f->cs,
						      &f->arena, &runs, &n), 0);
		print_message("%s 1.%u -> 1.%u\n", judged[i].image,
			      judged[i].from, judged[i].target);
		assert_int_equal(n, 1);
		rules_addon_judge(&runs[0], judged[i].from, judged[i].target,
				  &j);
		assert_int_equal(j.verdict, judged[i].verdict);
		if (judged[i].row) {
			assert_non_null(j.row);
			assert_string_equal(j.row->text, judged[i].row);
		} else {
			assert_null(j.row);
		}
		if (judged[i].fix) {
			assert_non_null(j.fix);
			assert_string_equal(j.fix->text, judged[i].fix);
		} else {
			assert_null(j.fix);
		}
	}
}

static void
ranges_and_unknown_reasons_read_as_sentences(void **state)
{
	struct fx *f = *state;
	struct addon_run *runs;
	struct addon_judgement j;
	size_t n;

	add_image(f, "registry.k8s.io/metrics-server/metrics-server:v0.6.4",
		  "kube-system", "metrics-server-6db4d75b97-4hx9d", false);
	add_image(f, "docker.io/calico/node:v3.26.1", "kube-system",
		  "daemonset/calico-node", false);
	add_image(f, "quay.io/cilium/cilium:v1.16.5", "kube-system",
		  "cilium-2xk7p", false);
	add_image(f, "registry.k8s.io/ingress-nginx/controller@sha256:"
		  "5b161f051d017e55d358435f295f5e9a297e66158f136321d9b04520ec6c48a3",
		  "ingress-nginx", "ingress-nginx-controller-7d9f8b6c5d-q2lwx",
		  false);
	add_image(f, "quay.io/cilium/cilium:stable", "kube-system",
		  "cilium-x7k2p", false);
	assert_int_equal(rules_addons_running(&f->db, &f->cs, &f->arena,
					      &runs, &n), 0);
	assert_int_equal(n, 5);
	rules_addon_judge(&runs[0], 29, 30, &j);
	assert_string_equal(rules_addon_range(&f->arena, j.row),
			    "1.25 and later");
	assert_null(rules_addon_unknown_reason(&f->arena, &runs[0], &j));
	rules_addon_judge(&runs[1], 28, 29, &j);
	assert_string_equal(rules_addon_range(&f->arena, j.row),
			    "1.24 to 1.28");
	assert_string_equal(rules_addon_release_text(&f->arena, runs[1].addon,
						     j.row), "3.26");
	rules_addon_judge(&runs[2], 29, 30, &j);
	assert_string_equal(rules_addon_unknown_reason(&f->arena, &runs[2], &j),
			    "the rules data has no row for Cilium 1.16.5 in its "
			    "support table (rows: 1.15, 1.18, 1.19)");
	rules_addon_judge(&runs[3], 29, 30, &j);
	assert_string_equal(rules_addon_unknown_reason(&f->arena, &runs[3], &j),
			    "the image 'registry.k8s.io/ingress-nginx/controller"
			    "@sha256:5b161f051d017e55d358435f295f5e9a297e6615"
			    "8f136321d9b04520ec6c48a3' has no tag, only a "
			    "digest");
	rules_addon_judge(&runs[4], 29, 30, &j);
	assert_string_equal(rules_addon_unknown_reason(&f->arena, &runs[4], &j),
			    "the image 'quay.io/cilium/cilium:stable' has the "
			    "tag 'stable', not a release version like v3.26.1");
	/* Cilium 1.15 is read from docs.cilium.io/en/stable: UNCONFIRMED. */
	f->cs.images.n = 0;
	add_image(f, "quay.io/cilium/cilium:v1.15.1", "kube-system",
		  "cilium-2xk7p", false);
	assert_int_equal(rules_addons_running(&f->db, &f->cs, &f->arena,
					      &runs, &n), 0);
	rules_addon_judge(&runs[0], 28, 29, &j);
	assert_int_equal(j.verdict, ADDON_LISTED);
	assert_non_null(strstr(rules_addon_unknown_reason(&f->arena, &runs[0],
							  &j),
			       "the row of Cilium 1.15 is UNCONFIRMED: "));
}

/* Patch rows hold to the next row of their minor. */
static const struct {
	const char *image, *text;
} row_texts[] = {
	{"registry.k8s.io/ingress-nginx/controller:v1.9.4", "1.9.0 to 1.9.5"},
	{"registry.k8s.io/ingress-nginx/controller:v1.9.7", "1.9.6 and later "
							  "1.9 patches"},
	{"registry.k8s.io/ingress-nginx/controller:v1.10.0", "1.10.0"},
	{"registry.k8s.io/ingress-nginx/controller:v1.10.6", "1.10.1 and "
							   "later 1.10 patches"},
	{"quay.io/jetstack/cert-manager-controller:v1.13.2", "1.13"},
};

static void
patch_rows_name_the_patches_they_cover(void **state)
{
	struct fx *f = *state;
	struct addon_run *runs;
	struct addon_judgement j;
	size_t i, n;

	for (i = 0; i < sizeof(row_texts) / sizeof(row_texts[0]); i++) {
		f->cs.images.n = 0;
		add_image(f, row_texts[i].image, "ns", "x-abcde", false);
		assert_int_equal(rules_addons_running(&f->db, &f->cs,
						      &f->arena, &runs, &n), 0);
		rules_addon_judge(&runs[0], 28, 29, &j);
		assert_non_null(j.row);
		assert_string_equal(rules_addon_release_text(&f->arena,
							     runs[0].addon,
							     j.row),
				    row_texts[i].text);
	}
}

static void
running_addons_are_one_per_addon_and_tag(void **state)
{
	struct fx *f = *state;
	struct addon_run *runs;
	size_t n;

	/* A DaemonSet template, its pods, its initContainers, a rollout. */
	add_image(f, "docker.io/calico/node:v3.26.1", "kube-system",
		  "daemonset/calico-node", false);
	add_image(f, "docker.io/calico/cni:v3.26.1", "kube-system",
		  "daemonset/calico-node", true);
	add_image(f, "docker.io/calico/node:v3.26.1", "kube-system",
		  "calico-node-4kz8p", false);
	add_image(f, "docker.io/calico/node:v3.27.3", "kube-system",
		  "calico-node-h7t2m", false);
	add_image(f, "registry.k8s.io/kube-proxy:v1.28.15", "kube-system",
		  "kube-proxy-8w2qz", false);
	/* Canal's DaemonSet template is named canal, its pods canal-... */
	add_image(f, "docker.io/calico/node:v3.26.1", "kube-system",
		  "daemonset/canal", false);
	add_image(f, "registry.k8s.io/ingress-nginx/controller@sha256:"
		  "5b161f051d017e55d358435f295f5e9a297e66158f136321d9b04520ec6c48a3",
		  "ingress-nginx", "deployment/ingress-nginx-controller", false);
	add_image(f, "registry.k8s.io/ingress-nginx/controller@sha256:"
		  "5b161f051d017e55d358435f295f5e9a297e66158f136321d9b04520ec6c48a3",
		  "ingress-nginx", "ingress-nginx-controller-7d9f8b6c5d-q2lwx",
		  false);
	assert_int_equal(rules_addons_running(&f->db, &f->cs, &f->arena,
					      &runs, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(runs[0].addon->name, "Calico");
	assert_string_equal(runs[0].tag, "v3.26.1");
	assert_int_equal(runs[0].image->loc.line, 1);
	assert_string_equal(runs[1].addon->name, "Calico");
	assert_string_equal(runs[1].tag, "v3.27.3");
	assert_string_equal(runs[2].addon->name, "Canal");
	assert_string_equal(runs[3].addon->name, "ingress-nginx");
	assert_null(runs[3].tag);
	assert_false(runs[3].has_version);
}

/* ------------------------------------------------------------ audit */

static long
day_of(const char *s)
{
	long d;

	assert_true(date_parse(s, strlen(s), &d));
	return d;
}

static size_t
count_rule(const struct findings *out, const char *id, const char *subject)
{
	size_t i, n = 0;

	for (i = 0; i < out->n; i++)
		if (!strcmp(out->v[i].rule->id, id) &&
		    (!subject || !strcmp(out->v[i].subject, subject)))
			n++;
	return n;
}

static void
set_server(struct fx *f, const char *v)
{
	const char *err;

	assert_int_equal(kver_parse(&f->arena, v, strlen(v),
				    &f->cs.server.ver, &err), 0);
	f->cs.server.present = true;
	f->cs.server.loc.path = "version.txt";
	f->cs.server.loc.line = 4;
	f->cs.server.loc.col = 17;
}

static void
the_audit_judges_the_next_minor_or_the_target(void **state)
{
	struct fx *f = *state;
	struct rules_eval_options opt = {-1, 0};
	struct findings out = {NULL, 0, 0};
	const struct finding *fi = NULL;
	size_t i;

	set_server(f, "v1.28.15");
	add_image(f, "docker.io/calico/node:v3.26.1", "kube-system",
		  "daemonset/calico-node", false);
	add_image(f, "quay.io/jetstack/cert-manager-controller:v1.13.2",
		  "cert-manager", "deployment/cert-manager", false);
	add_image(f, "ghcr.io/example/coredns:1.11.1-dnstap", "kube-system",
		  "deployment/coredns", false);
	add_image(f, "docker.io/flannel/flannel:v0.22.0", "kube-flannel",
		  "daemonset/kube-flannel-ds", false);
	assert_int_equal(rules_evaluate(&f->db, &f->cs, day_of("2025-06-01"),
					&opt, &f->d, &out), 0);
	/* Calico 3.26 stops at 1.28, cert-manager 1.13 at 1.27. */
	assert_int_equal(count_rule(&out, "addon-unsupported-target", NULL), 2);
	for (i = 0; i < out.n; i++)
		if (!strcmp(out.v[i].subject, "Calico v3.26.1"))
			fi = &out.v[i];
	assert_non_null(fi);
	assert_string_equal(fi->rule->id, "addon-unsupported-target");
	assert_non_null(strstr(fi->message, "Calico v3.26.1 does not list "
			       "Kubernetes 1.29: release 3.26 lists 1.24 to "
			       "1.28 (https://github.com/tigera/docs/"));
	assert_non_null(strstr(fi->message, "the first newer release that "
			       "lists 1.29 is Calico 3.28"));
	assert_string_equal(fi->evidence[0].path, "workloads.yaml");
	assert_int_equal(fi->evidence[0].line, 1);
	assert_int_equal(count_rule(&out, "addon-support-unpublished",
				    "Flannel v0.22.0"), 1);
	assert_int_equal(count_rule(&out, "addon-coredns-replaced",
				    "CoreDNS 1.11.1-dnstap"), 1);
	assert_int_equal(count_rule(&out, "input-missing", "add-on images "
				    "(kubectl get daemonsets,deployments -A -o "
				    "yaml)"), 0);
	rules_findings_release(&out);

	/* --target 1.27: both rows list it. */
	opt.api_target = 27;
	assert_int_equal(rules_evaluate(&f->db, &f->cs, day_of("2025-06-01"),
					&opt, &f->d, &out), 0);
	assert_int_equal(count_rule(&out, "addon-unsupported-target", NULL), 0);
	rules_findings_release(&out);
	opt.api_target = 28;
	assert_int_equal(rules_evaluate(&f->db, &f->cs, day_of("2025-06-01"),
					&opt, &f->d, &out), 0);
	assert_int_equal(count_rule(&out, "addon-unsupported-target",
				    "cert-manager v1.13.2"), 1);
	assert_int_equal(count_rule(&out, "addon-unsupported-target",
				    "Calico v3.26.1"), 0);
	rules_findings_release(&out);
}

static void
an_audit_without_addon_images_reports_them_missing(void **state)
{
	struct fx *f = *state;
	struct rules_eval_options opt = {-1, 0};
	struct findings out = {NULL, 0, 0};
	size_t i;
	bool seen = false;

	set_server(f, "v1.28.15");
	add_image(f, "registry.k8s.io/kube-proxy:v1.28.15", "kube-system",
		  "kube-proxy-8w2qz", false);
	assert_int_equal(rules_evaluate(&f->db, &f->cs, day_of("2025-06-01"),
					&opt, &f->d, &out), 0);
	for (i = 0; i < out.n; i++) {
		const struct finding *fi = &out.v[i];

		assert_null(strstr(fi->rule->id, "addon-"));
		if (strcmp(fi->rule->id, "input-missing") ||
		    strcmp(fi->subject, "add-on images (kubectl get "
			   "daemonsets,deployments -A -o yaml)"))
			continue;
		seen = true;
		assert_int_equal(fi->nskipped_rules, 4);
		assert_string_equal(fi->skipped_rules[0],
				    "addon-unsupported-target");
	}
	assert_true(seen);
	rules_findings_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tags_are_versions_only_when_they_are_release_numbers),
		cmocka_unit_test_setup_teardown(releases_are_judged_at_the_bounds_of_their_rows,
						setup, teardown),
		cmocka_unit_test_setup_teardown(ranges_and_unknown_reasons_read_as_sentences,
						setup, teardown),
		cmocka_unit_test_setup_teardown(patch_rows_name_the_patches_they_cover,
						setup, teardown),
		cmocka_unit_test_setup_teardown(running_addons_are_one_per_addon_and_tag,
						setup, teardown),
		cmocka_unit_test_setup_teardown(the_audit_judges_the_next_minor_or_the_target,
						setup, teardown),
		cmocka_unit_test_setup_teardown(an_audit_without_addon_images_reports_them_missing,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
