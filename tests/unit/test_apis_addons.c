/*
 * test_apis_addons.c - the add-on API versions (rules/data/apis-addons.yaml)
 * as their projects publish them, the api-addon-removed rule that judges
 * them by the add-on's release and never by a Kubernetes hop, the data
 * left out, and manifests=DIR read as a tree (order, hidden entries, chart
 * templates, symbolic link loops).
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

#include "../../analyzer/ingest/ingest.h"
#include "../../analyzer/rules/rules.h"

struct fx {
	struct arena a;
	struct rules_db db;
	struct cluster_state cs;
	struct diag d;
	char dir[64];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	arena_init(&f->a);
	cluster_state_init(&f->cs, &f->a);
	diag_init(&f->d);
	f->d.out = tmpfile();
	f->d.no_source = true;
	if (!f->d.out || rules_load(&f->db, &f->a, &f->d, "rules") < 0)
		return -1;
	*state = f;
	return 0;
}

static void
run(const char *cmd)
{
	assert_int_equal(system(cmd), 0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	if (f->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
		run(cmd);
	}
	rules_release(&f->db);
	cluster_state_release(&f->cs);
	arena_release(&f->a);
	fclose(f->d.out);
	diag_release(&f->d);
	free(f);
	ingest_release();
	return 0;
}

static const char *
diags(struct fx *f, char *out, size_t size)
{
	size_t n;

	fflush(f->d.out);
	rewind(f->d.out);
	n = fread(out, 1, size - 1, f->d.out);
	out[n] = '\0';
	return out;
}

/* ------------------------------------------------------------ data */

struct addon_want {
	const char *api, *kind, *product;
	const char *deprecated, *removed;	/* the project's releases */
	const char *replacement, *since;
};

static const struct addon_want addon_rows[] = {
	{"cert-manager.io/v1alpha2", "Certificate", "cert-manager", "1.4",
	 "1.6", "cert-manager.io/v1", "1.0"},
	{"cert-manager.io/v1beta1", "ClusterIssuer", "cert-manager", "1.4",
	 "1.6", "cert-manager.io/v1", "1.0"},
	{"acme.cert-manager.io/v1alpha3", "Challenge", "cert-manager", "1.4",
	 "1.6", "acme.cert-manager.io/v1", "1.0"},
	{"gateway.networking.k8s.io/v1alpha2", "HTTPRoute", "Gateway API",
	 "0.6", "0.8", "gateway.networking.k8s.io/v1beta1", "0.5"},
	{"gateway.networking.k8s.io/v1alpha2", "ReferenceGrant", "Gateway API",
	 "0.8", "1.2", "gateway.networking.k8s.io/v1beta1", "0.6"},
	{"gateway.networking.k8s.io/v1alpha2", "GRPCRoute", "Gateway API", NULL,
	 "1.2", "gateway.networking.k8s.io/v1", "1.1"},
	{"rbac.istio.io/v1alpha1", "ServiceRole", "Istio", "1.4", "1.6", NULL,
	 NULL},
	{"authentication.istio.io/v1alpha1", "MeshPolicy", "Istio", "1.4",
	 "1.6", NULL, NULL},
};

static void
addon_rows_give_the_projects_own_releases(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(addon_rows); i++) {
		const struct addon_want *w = &addon_rows[i];
		const struct api_row *r =
			rules_api_find(&f->db, w->api, w->kind, NULL, NULL);

		print_message("%s %s\n", w->api, w->kind);
		assert_non_null(r);
		assert_string_equal(r->product, w->product);
		if (w->deprecated)
			assert_string_equal(r->deprecated_text, w->deprecated);
		else
			assert_null(r->deprecated_text);
		assert_string_equal(r->removed_text, w->removed);
		if (w->replacement) {
			assert_string_equal(r->replacement, w->replacement);
			assert_string_equal(r->since_text, w->since);
		} else {
			assert_null(r->replacement);
			assert_non_null(r->note);
		}
	}
	/* Istio's networking v1alpha3 is still served: no row. */
	assert_null(rules_api_find(&f->db, "networking.istio.io/v1alpha3",
				   "VirtualService", NULL, NULL));
}

static void
every_addon_row_cites_its_project(void **state)
{
	static const char *const sites[] = {
		"https://cert-manager.io/docs/",
		"https://github.com/kubernetes-sigs/gateway-api/",
		"https://istio.io/latest/blog/",
	};
	struct fx *f = *state;
	const struct api_row *r;
	size_t rows = 0, i, j;

	vec_foreach(&f->db.apis, r) {
		if (!r->product)
			continue;
		rows++;
		assert_true(r->nsources >= 1);
		for (j = 0; j < r->nsources; j++) {
			for (i = 0; i < ARRAY_SIZE(sites); i++)
				if (!strncmp(r->sources[j], sites[i],
					     strlen(sites[i])))
					break;
			print_message("%s\n", r->sources[j]);
			assert_true(i < ARRAY_SIZE(sites));
		}
		/* Ordered as releases, not as strings: 0.8 < 1.2. */
		assert_true(!r->deprecated_in ||
			    r->deprecated_in <= r->removed_in);
		assert_non_null(r->removed_text);
		assert_true(!r->replacement ||
			    r->replacement_since <= r->removed_in);
	}
	assert_int_equal(rows, 11);
}

/* ------------------------------------------------------------ rules */

static const struct finding *
find(const struct findings *v, const char *id, const char *subject)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i].rule->id, id) &&
		    (!subject || !strcmp(v->v[i].subject, subject)))
			return &v->v[i];
	return NULL;
}

static void
ingest_gitops(struct fx *f)
{
	assert_int_equal(ingest_arg(&f->cs, &f->d, "fixtures/apis-1.24"), 0);
	assert_int_equal(ingest_arg(&f->cs, &f->d,
				    "manifests=fixtures/apis-gitops"), 0);
}

static void
an_addon_version_is_judged_by_the_addon_release_not_the_hop(void **state)
{
	struct fx *f = *state;
	struct rules_eval_options opt;
	struct findings out = {NULL, 0, 0};
	const struct finding *x;
	size_t i;

	ingest_gitops(f);
	memset(&opt, 0, sizeof(opt));
	opt.api_target = 37;	/* every Kubernetes removal is behind */
	assert_int_equal(rules_evaluate(&f->db, &f->cs, 19692, &opt, &f->d,
					&out), 0);
	x = find(&out, "api-addon-removed",
		 "cert-manager.io/v1alpha2 ClusterIssuer");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_WARNING);
	assert_string_equal(
		x->message,
		"cert-manager.io/v1alpha2 ClusterIssuer is not served by "
		"cert-manager 1.6 and later (deprecated in 1.4): 1 object in "
		"this manifest, first letsencrypt; replacement: "
		"cert-manager.io/v1 ClusterIssuer (served since cert-manager "
		"1.0)");
	assert_string_equal(x->evidence[0].path,
			    "fixtures/apis-gitops/infra/cert-manager/"
			    "issuers.yaml");
	assert_int_equal(x->evidence[0].line, 1);
	assert_int_equal(x->evidence[0].col, 13);
	assert_non_null(find(&out, "api-addon-removed",
			     "gateway.networking.k8s.io/v1alpha2 HTTPRoute"));
	assert_non_null(find(&out, "api-addon-removed",
			     "acme.cert-manager.io/v1alpha3 Order"));
	/* The current versions of the tree are no finding. */
	assert_null(find(&out, "api-addon-removed",
			 "cert-manager.io/v1 Certificate"));
	/* Never a Kubernetes hop's finding, whatever the target. */
	for (i = 0; i < out.n; i++) {
		if (!strcmp(out.v[i].rule->id, "api-addon-removed"))
			continue;
		assert_null(strstr(out.v[i].subject, "cert-manager"));
		assert_null(strstr(out.v[i].subject, "gateway.networking"));
	}
	rules_findings_release(&out);
}

static void
leaving_the_addon_data_out_drops_its_findings(void **state)
{
	struct fx *f = *state;
	struct rules_db db;
	struct rules_eval_options opt;
	struct findings out = {NULL, 0, 0};
	const struct api_row *r;
	char cmd[512];

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_apis_addons.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(cmd, sizeof(cmd),
		 "cp -R rules '%s/rules' && sed -i '/^  apis_addons:/d' "
		 "'%s/rules/rulesets.yaml'", f->dir, f->dir);
	run(cmd);
	snprintf(cmd, sizeof(cmd), "%s/rules", f->dir);
	assert_int_equal(rules_load(&db, &f->a, &f->d, cmd), 0);
	vec_foreach(&db.apis, r)
		assert_null(r->product);
	ingest_gitops(f);
	memset(&opt, 0, sizeof(opt));
	assert_int_equal(rules_evaluate(&db, &f->cs, 19692, &opt, &f->d, &out),
			 0);
	assert_null(find(&out, "api-addon-removed", NULL));
	/* The Kubernetes rows still judge the same tree. */
	assert_non_null(find(&out, "api-removed-in-target",
			     "extensions/v1beta1 Ingress"));
	rules_findings_release(&out);
	rules_release(&db);
}

/* ------------------------------------------------------------ tree */

static void
a_manifests_tree_is_read_depth_first_in_byte_order(void **state)
{
	static const char *const want[] = {
		"fixtures/apis-gitops/apps/shop/ingress.json",
		"fixtures/apis-gitops/apps/shop/kustomization.yaml",
		"fixtures/apis-gitops/infra/cert-manager/issuers.yaml",
		"fixtures/apis-gitops/infra/gateway/routes.yml",
	};
	struct fx *f = *state;
	char out[4096];
	size_t i;

	assert_int_equal(ingest_arg(&f->cs, &f->d,
				    "manifests=fixtures/apis-gitops"), 0);
	assert_int_equal(f->cs.inputs.n, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_string_equal(f->cs.inputs.v[i].path, want[i]);
		assert_int_equal(f->cs.inputs.v[i].kind, KIND_MANIFESTS);
	}
	assert_string_equal(f->cs.api_uses.v[0].api, "extensions/v1beta1");
	diags(f, out, sizeof(out));
	assert_string_equal(
		out,
		"fixtures/apis-gitops/apps/shop/values.yaml: warning: no "
		"Kubernetes objects (apiVersion and kind): passed over\n"
		"fixtures/apis-gitops/charts/shop/Chart.yaml: warning: no "
		"Kubernetes objects (apiVersion and kind): passed over\n"
		"fixtures/apis-gitops/charts/shop/templates: warning: Helm "
		"chart templates not read: render them with 'helm template' "
		"and pass the output\n");
}

static void
mkfile(const char *dir, const char *rel, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
hidden_dirs_are_skipped_and_a_link_loop_is_read_once(void **state)
{
	struct fx *f = *state;
	char cmd[512], out[4096], want[1024];

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_apis_addons.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && mkdir -p .git/refs b/c a && ln -s .. b/c/up && "
		 "ln -s ../b a/b-link", f->dir);
	run(cmd);
	/* Not YAML at all: read, it would fail the run. */
	mkfile(f->dir, ".git/refs/HEAD.yaml", "{ [ not yaml\n");
	mkfile(f->dir, ".hidden.yaml", "{ [ not yaml\n");
	mkfile(f->dir, "b/c/hpa.yaml",
	       "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\n"
	       "metadata: {name: web}\n");
	mkfile(f->dir, "a/notes.txt", "not a manifest\n");
	snprintf(cmd, sizeof(cmd), "manifests=%s", f->dir);
	assert_int_equal(ingest_arg(&f->cs, &f->d, cmd), 0);
	/* a/b-link reaches b first; b itself and b/c/up are then seen. */
	assert_int_equal(f->cs.inputs.n, 1);
	snprintf(want, sizeof(want), "%s/a/b-link/c/hpa.yaml", f->dir);
	assert_string_equal(f->cs.inputs.v[0].path, want);
	assert_int_equal(f->cs.api_uses.n, 1);
	assert_int_equal(f->cs.api_uses.v[0].count, 1);
	diags(f, out, sizeof(out));
	snprintf(want, sizeof(want),
		 "%s/a/b-link/c/up: warning: directory already read (a "
		 "symbolic link back into the tree): not read again\n"
		 "%s/b: warning: directory already read (a symbolic link back "
		 "into the tree): not read again\n",
		 f->dir, f->dir);
	assert_string_equal(out, want);
}

static void
a_dangling_link_in_a_tree_is_an_error(void **state)
{
	struct fx *f = *state;
	char cmd[512], out[1024], want[512];

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_apis_addons.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(cmd, sizeof(cmd), "ln -s missing.yaml '%s/gone.yaml'", f->dir);
	run(cmd);
	snprintf(cmd, sizeof(cmd), "manifests=%s", f->dir);
	assert_int_equal(ingest_arg(&f->cs, &f->d, cmd), -1);
	diags(f, out, sizeof(out));
	snprintf(want, sizeof(want),
		 "%s/gone.yaml: error: cannot read: No such file or "
		 "directory\n", f->dir);
	assert_string_equal(out, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			addon_rows_give_the_projects_own_releases, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			every_addon_row_cites_its_project, setup, teardown),
		cmocka_unit_test_setup_teardown(
			an_addon_version_is_judged_by_the_addon_release_not_the_hop,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			leaving_the_addon_data_out_drops_its_findings, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			a_manifests_tree_is_read_depth_first_in_byte_order,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			hidden_dirs_are_skipped_and_a_link_loop_is_read_once,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_dangling_link_in_a_tree_is_an_error, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
