/*
 * test_apis.c - the deprecated-API data (rules/data/apis.yaml) against the
 * Deprecated API Migration Guide, the lookup by kind and by resource, and
 * the three capture kinds of API use read through ingest_file() so that
 * sniffing is covered too: apiserver metrics, audit log lines, manifests.
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
#include "../../analyzer/rules/rules.h"

#define GUIDE "https://kubernetes.io/docs/reference/using-api/deprecation-guide/"

/* ------------------------------------------------------------ data */

struct api_want {
	const char *api, *kind;
	unsigned deprecated_in, removed_in;
	const char *replacement;	/* NULL: none */
	unsigned replacement_since;
};

/* Rows as the guide states them (removed_in, replacement, since). */
static const struct api_want api_rows[] = {
	{"policy/v1beta1", "PodSecurityPolicy", 21, 25, NULL, 0},
	{"policy/v1beta1", "PodDisruptionBudget", 21, 25, "policy/v1", 21},
	{"flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 29, 32,
	 "flowcontrol.apiserver.k8s.io/v1", 29},
	{"flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration",
	 29, 32, "flowcontrol.apiserver.k8s.io/v1", 29},
	{"flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", 26, 29,
	 "flowcontrol.apiserver.k8s.io/v1", 29},
	{"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 23, 26,
	 "flowcontrol.apiserver.k8s.io/v1beta2", 23},
	{"autoscaling/v2beta2", "HorizontalPodAutoscaler", 23, 26,
	 "autoscaling/v2", 23},
	{"autoscaling/v2beta1", "HorizontalPodAutoscaler", 22, 25,
	 "autoscaling/v2", 23},
	{"extensions/v1beta1", "Ingress", 14, 22, "networking.k8s.io/v1", 19},
	{"networking.k8s.io/v1beta1", "IngressClass", 19, 22,
	 "networking.k8s.io/v1", 19},
	{"batch/v1beta1", "CronJob", 21, 25, "batch/v1", 21},
	{"storage.k8s.io/v1beta1", "CSIStorageCapacity", 24, 27,
	 "storage.k8s.io/v1", 24},
	{"storage.k8s.io/v1beta1", "CSINode", 17, 22, "storage.k8s.io/v1", 17},
	{"extensions/v1beta1", "Deployment", 9, 16, "apps/v1", 9},
	{"apps/v1beta2", "StatefulSet", 9, 16, "apps/v1", 9},
	{"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", 17, 22,
	 "rbac.authorization.k8s.io/v1", 8},
	/* deprecated_in from the types' prerelease-lifecycle-gen tags. */
	{"apiregistration.k8s.io/v1beta1", "APIService", 19, 22,
	 "apiregistration.k8s.io/v1", 10},
	{"authentication.k8s.io/v1beta1", "TokenReview", 19, 22,
	 "authentication.k8s.io/v1", 6},
	{"authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", 19, 22,
	 "authorization.k8s.io/v1", 6},
	{"certificates.k8s.io/v1beta1", "CertificateSigningRequest", 19, 22,
	 "certificates.k8s.io/v1", 19},
	{"coordination.k8s.io/v1beta1", "Lease", 19, 22,
	 "coordination.k8s.io/v1", 14},
	{"storage.k8s.io/v1beta1", "StorageClass", 19, 22, "storage.k8s.io/v1",
	 6},
	{"storage.k8s.io/v1beta1", "VolumeAttachment", 19, 22,
	 "storage.k8s.io/v1", 13},
	{"storage.k8s.io/v1beta1", "CSIDriver", 19, 22, "storage.k8s.io/v1",
	 19},
};

struct dbfx {
	struct arena a;
	struct rules_db db;
	struct diag d;
};

static int
db_setup(void **state)
{
	struct dbfx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	arena_init(&f->a);
	diag_init(&f->d);
	if (rules_load(&f->db, &f->a, &f->d, "rules") < 0)
		return -1;
	*state = f;
	return 0;
}

static int
db_teardown(void **state)
{
	struct dbfx *f = *state;

	rules_release(&f->db);
	diag_release(&f->d);
	arena_release(&f->a);
	free(f);
	ingest_release();
	return 0;
}

static void
removed_apis_match_the_migration_guide(void **state)
{
	struct dbfx *f = *state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(api_rows); i++) {
		const struct api_want *w = &api_rows[i];
		const char *kind = NULL;
		const struct api_row *r =
			rules_api_find(&f->db, w->api, w->kind, NULL, &kind);

		print_message("%s %s\n", w->api, w->kind);
		assert_non_null(r);
		assert_null(r->product);
		assert_string_equal(kind, w->kind);
		assert_int_equal(r->deprecated_in, w->deprecated_in);
		assert_int_equal(r->removed_in, w->removed_in);
		if (w->replacement)
			assert_string_equal(r->replacement, w->replacement);
		else
			assert_null(r->replacement);
		assert_int_equal(r->replacement_since, w->replacement_since);
	}
}

static void
every_api_row_is_sourced_from_the_guide_or_a_release_post(void **state)
{
	struct dbfx *f = *state;
	const struct api_row *r;

	assert_true(f->db.apis.n >= 30);
	vec_foreach(&f->db.apis, r) {
		/* data/apis-addons.yaml: test_apis_addons.c. */
		if (r->product)
			continue;
		assert_true(r->nsources >= 1);
		assert_true(!strncmp(r->sources[0], GUIDE, strlen(GUIDE)) ||
			    !strncmp(r->sources[0], "https://kubernetes.io/blog/",
				     27));
		assert_true(r->removed_in >= 16);
		/* The replacement is served before the old version goes. */
		if (r->replacement)
			assert_true(r->replacement_since <= r->removed_in);
		else
			assert_non_null(r->note);
	}
}

static void
apis_are_found_by_the_resource_the_apiserver_names(void **state)
{
	static const struct {
		const char *api, *resource, *kind;
	} cases[] = {
		{"policy/v1beta1", "podsecuritypolicies", "PodSecurityPolicy"},
		{"extensions/v1beta1", "ingresses", "Ingress"},
		{"extensions/v1beta1", "networkpolicies", "NetworkPolicy"},
		{"storage.k8s.io/v1beta1", "csistoragecapacities",
		 "CSIStorageCapacity"},
		{"node.k8s.io/v1beta1", "runtimeclasses", "RuntimeClass"},
		{"flowcontrol.apiserver.k8s.io/v1beta3",
		 "prioritylevelconfigurations", "PriorityLevelConfiguration"},
		{"discovery.k8s.io/v1beta1", "endpointslices", "EndpointSlice"},
		{"apps/v1", "deployments", NULL},
		{"extensions/v1beta1", "ingress", NULL},
	};
	struct dbfx *f = *state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *kind = NULL;
		const struct api_row *r = rules_api_find(
			&f->db, cases[i].api, NULL, cases[i].resource, &kind);

		print_message("%s %s\n", cases[i].api, cases[i].resource);
		if (!cases[i].kind) {
			assert_null(r);
			continue;
		}
		assert_non_null(r);
		assert_string_equal(kind, cases[i].kind);
	}
	assert_string_equal(rules_api_resource(&f->a, "NetworkPolicy"),
			    "networkpolicies");
	assert_string_equal(rules_api_resource(&f->a, "Ingress"), "ingresses");
	assert_string_equal(rules_api_resource(&f->a, "Gateway"), "gateways");
}

/* ------------------------------------------------------------ ingest */

struct fx {
	struct arena arena;
	struct cluster_state cs;
	struct diag d;
	char tmp[64];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	arena_init(&f->arena);
	cluster_state_init(&f->cs, &f->arena);
	diag_init(&f->d);
	f->d.out = tmpfile();
	f->d.no_source = true;
	if (!f->d.out) {
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

	if (f->tmp[0])
		unlink(f->tmp);
	cluster_state_release(&f->cs);
	arena_release(&f->arena);
	fclose(f->d.out);
	diag_release(&f->d);
	free(f);
	return 0;
}

static const char *
write_tmp(struct fx *f, const char *text)
{
	size_t n = strlen(text);
	int fd;

	snprintf(f->tmp, sizeof(f->tmp), "/tmp/test_apis.XXXXXX");
	fd = mkstemp(f->tmp);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return f->tmp;
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

static void
assert_use(const struct api_use *u, enum api_evidence ev, const char *api,
	   const char *kind, const char *resource, unsigned long long count,
	   uint32_t line, uint32_t col)
{
	assert_int_equal(u->evidence, ev);
	assert_string_equal(u->api, api);
	if (kind)
		assert_string_equal(u->kind, kind);
	else
		assert_null(u->kind);
	if (resource)
		assert_string_equal(u->resource, resource);
	else
		assert_null(u->resource);
	assert_int_equal(u->count, count);
	assert_int_equal(u->loc.line, line);
	assert_int_equal(u->loc.col, col);
}

static void
metrics_lines_give_the_apis_requested_since_the_start(void **state)
{
	struct fx *f = *state;
	const char *p = write_tmp(
		f,
		"# HELP apiserver_requested_deprecated_apis [STABLE] Gauge\n"
		"# TYPE apiserver_requested_deprecated_apis gauge\n"
		"apiserver_requested_deprecated_apis{group=\"extensions\","
		"removed_release=\"1.22\",resource=\"ingresses\","
		"subresource=\"\",version=\"v1beta1\"} 1\n"
		"apiserver_request_total{code=\"200\"} 12345\n"
		"apiserver_requested_deprecated_apis{group=\"\","
		"removed_release=\"\",resource=\"componentstatuses\","
		"subresource=\"\",version=\"v1\"} 3\n"
		"process_start_time_seconds 1.70107648012e+09\n");

	assert_int_equal(ingest_file(&f->cs, &f->d, p, KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.inputs.n, 1);
	assert_int_equal(f->cs.inputs.v[0].kind, KIND_METRICS);
	assert_int_equal(f->cs.api_uses.n, 2);
	assert_use(&f->cs.api_uses.v[0], APIEV_METRIC, "extensions/v1beta1",
		   NULL, "ingresses", 1, 3, 1);
	assert_string_equal(f->cs.api_uses.v[0].removed_release, "1.22");
	assert_use(&f->cs.api_uses.v[1], APIEV_METRIC, "v1", NULL,
		   "componentstatuses", 3, 5, 1);
	assert_null(f->cs.api_uses.v[1].removed_release);
	assert_int_equal(f->cs.apiserver_started, 1701076480);
	assert_int_equal(f->cs.apiserver_started_loc.line, 6);
}

static void
a_metrics_line_with_a_bad_label_is_an_error_at_its_column(void **state)
{
	struct fx *f = *state;
	char out[1024];
	const char *p = write_tmp(
		f, "apiserver_requested_deprecated_apis{group=\"batch\","
		   "resource=\"cronjobs,version=\"v1beta1\"} 1\n");

	assert_int_equal(ingest_file(&f->cs, &f->d, p, KIND_METRICS, false),
			 -1);
	diags(f, out, sizeof(out));
	assert_non_null(strstr(out, ":1:79: error: expected ',' or '}' "
				    "after a label"));
}

/* One audit event: id, username, user agent, annotations. */
#define EV                                                                    \
	"{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\","             \
	"\"auditID\":\"%d\",\"stage\":\"ResponseComplete\","                 \
	"\"verb\":\"get\",\"user\":{\"username\":\"%s\"},"                 \
	"\"userAgent\":\"%s\",\"objectRef\":{\"resource\":"                  \
	"\"cronjobs\",\"namespace\":\"ops\",\"name\":\"backup\","           \
	"\"apiGroup\":\"batch\",\"apiVersion\":\"v1beta1\"},"                \
	"\"annotations\":{%s}}\n"

static void
audit_events_are_counted_per_api_and_client(void **state)
{
	struct fx *f = *state;
	const char *dep = "\"k8s.io/deprecated\":\"true\","
			  "\"k8s.io/removed-release\":\"1.25\"";
	char text[4096];
	size_t n = 0;
	const struct api_use *u;

	n += (size_t)snprintf(text + n, sizeof(text) - n, EV, 1, "bob",
			      "kubectl/v1.24.0", dep);
	n += (size_t)snprintf(text + n, sizeof(text) - n, EV, 2, "bob",
			      "kubectl/v1.24.0", dep);
	n += (size_t)snprintf(text + n, sizeof(text) - n, EV, 3, "ci",
			      "Helm/3.8.2", dep);
	n += (size_t)snprintf(text + n, sizeof(text) - n, EV, 4, "bob",
			      "kubectl/v1.24.0", "");
	assert_true(n < sizeof(text));
	assert_int_equal(ingest_file(&f->cs, &f->d, write_tmp(f, text),
				     KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.inputs.v[0].kind, KIND_AUDIT_LOG);
	assert_int_equal(f->cs.api_uses.n, 2);
	u = &f->cs.api_uses.v[0];
	assert_use(u, APIEV_AUDIT, "batch/v1beta1", NULL, "cronjobs", 2, 1, 1);
	assert_string_equal(u->who, "bob (kubectl/v1.24.0)");
	assert_string_equal(u->object, "ops/backup");
	assert_string_equal(u->removed_release, "1.25");
	u = &f->cs.api_uses.v[1];
	assert_use(u, APIEV_AUDIT, "batch/v1beta1", NULL, "cronjobs", 1, 3, 1);
	assert_string_equal(u->who, "ci (Helm/3.8.2)");
}

static void
only_audit_lines_naming_deprecated_are_parsed(void **state)
{
	struct fx *f = *state;
	char text[4096], out[1024];
	size_t n = 0;
	const char *dep = "\"k8s.io/deprecated\":\"true\","
			  "\"k8s.io/removed-release\":\"1.25\"";

	/* An event shaped line without the word: counted, not parsed. */
	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "{\"kind\":\"Event\", not json at all}\r\n");
	/* grep -H prefix and CRLF: parsed, located after the prefix. */
	n += (size_t)snprintf(text + n, sizeof(text) - n, "audit.log:");
	n += (size_t)snprintf(text + n, sizeof(text) - n, EV, 2, "ci",
			      "Helm/3.8.2", dep);
	n += (size_t)snprintf(text + n, sizeof(text) - n, EV, 3, "ci",
			      "Helm/3.8.2", dep);
	assert_true(n < sizeof(text));
	assert_int_equal(ingest_file(&f->cs, &f->d, write_tmp(f, text),
				     KIND_AUDIT_LOG, false), 0);
	assert_int_equal(f->cs.api_uses.n, 1);
	assert_use(&f->cs.api_uses.v[0], APIEV_AUDIT, "batch/v1beta1", NULL,
		   "cronjobs", 2, 2, 11);
	/* A broken line that names it is parsed and reported. */
	n = (size_t)snprintf(text, sizeof(text), EV, 4, "ci", "Helm/3.8.2",
			     dep);
	memcpy(text + n - 3, "]}\n", 4);
	teardown(state);
	assert_int_equal(setup(state), 0);
	f = *state;
	assert_int_equal(ingest_file(&f->cs, &f->d, write_tmp(f, text),
				     KIND_AUDIT_LOG, false), -1);
	diags(f, out, sizeof(out));
	assert_non_null(strstr(out, ":1:"));
	assert_non_null(strstr(out, "error: audit event is not valid JSON"));
}

/*
 * The text reader reads 64 KB at a time and searches each read for the
 * word: one annotated event has the word cut by the end of the first
 * read, and the next ones come after thousands of lines without it. Each
 * is found at its own line and column.
 */
static void
audit_events_across_reads_are_found_at_their_line(void **state)
{
	enum { READ = 64 << 10, PLAIN = 2000 };
	struct fx *f = *state;
	const char *dep = "\"k8s.io/deprecated\":\"true\","
			  "\"k8s.io/removed-release\":\"1.25\"";
	static char text[2u << 20];
	char ev[1024], out[1024], want[64];
	size_t n = 0, cap = sizeof(text), plain_len, at, i;
	unsigned line = 0, cut_line, prefixed_line, broken_line;

	/* Where the word falls in its line: cut after its fourth byte. */
	snprintf(ev, sizeof(ev), EV, 1, "cut", "kubectl", dep);
	at = (size_t)(strstr(ev, "deprecated") - ev);
	plain_len = (size_t)snprintf(ev, sizeof(ev), EV, 0, "bob", "kubectl",
				     "");
	while (n + 2 * plain_len < READ - 4 - at) {
		memcpy(text + n, ev, plain_len);
		n += plain_len;
		line++;
	}
	/* An event shaped pad line brings the word to the cut. */
	i = READ - 4 - at - n;
	text[n] = '{';
	memset(text + n + 1, 'x', i - 3);
	memcpy(text + n + i - 2, "}\n", 2);
	n += i;
	line++;
	n += (size_t)snprintf(text + n, cap - n, EV, 1, "cut", "kubectl", dep);
	assert_memory_equal(text + READ - 4, "deprecated", 10);
	/* With CRLF. */
	memcpy(text + n - 1, "\r\n", 3);
	n++;
	cut_line = ++line;
	for (i = 0; i < PLAIN; i++, line++)
		n += (size_t)snprintf(text + n, cap - n, EV, 2, "bob", "kubectl",
				      "");
	/* grep -H: the event is located after the prefix. */
	n += (size_t)snprintf(text + n, cap - n, "audit.log:");
	n += (size_t)snprintf(text + n, cap - n, EV, 3, "pre", "kubectl", dep);
	prefixed_line = ++line;
	for (i = 0; i < PLAIN; i++, line++)
		n += (size_t)snprintf(text + n, cap - n, EV, 4, "bob", "kubectl",
				      "");
	/* A broken event that names it: an error at its line. */
	n += (size_t)snprintf(text + n, cap - n,
			      "{\"k8s.io/deprecated\": tru}\n");
	broken_line = ++line;
	assert_true(n < cap && n > 3 * READ);
	text[n] = '\0';
	assert_int_equal(ingest_file(&f->cs, &f->d, write_tmp(f, text),
				     KIND_AUDIT_LOG, false), -1);
	assert_int_equal(f->cs.api_uses.n, 2);
	assert_use(&f->cs.api_uses.v[0], APIEV_AUDIT, "batch/v1beta1", NULL,
		   "cronjobs", 1, cut_line, 1);
	assert_string_equal(f->cs.api_uses.v[0].who, "cut (kubectl)");
	assert_use(&f->cs.api_uses.v[1], APIEV_AUDIT, "batch/v1beta1", NULL,
		   "cronjobs", 1, prefixed_line, 11);
	assert_string_equal(f->cs.api_uses.v[1].who, "pre (kubectl)");
	diags(f, out, sizeof(out));
	snprintf(want, sizeof(want), ":%u:23: error: audit event is not valid "
		 "JSON", broken_line);
	assert_non_null(strstr(out, want));
}

static void
helm_output_is_read_as_manifests_with_the_apiversion_location(void **state)
{
	struct fx *f = *state;
	const char *p = write_tmp(
		f, "---\n"
		   "# Source: shop/templates/pdb.yaml\n"
		   "apiVersion: policy/v1beta1\n"
		   "kind: PodDisruptionBudget\n"
		   "metadata: {name: web, namespace: shop}\n"
		   "---\n"
		   "# Source: shop/templates/deployment.yaml\n"
		   "apiVersion: apps/v1\n"
		   "kind: Deployment\n"
		   "metadata:\n"
		   "  name: web\n"
		   "spec:\n"
		   "  template: {spec: {containers: [{name: w, image: x:1}]}}\n"
		   "---\n"
		   "kind: PodDisruptionBudget\n"
		   "apiVersion:   policy/v1beta1\n"
		   "metadata: {name: api}\n");

	assert_int_equal(ingest_file(&f->cs, &f->d, p, KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.inputs.v[0].kind, KIND_MANIFESTS);
	assert_int_equal(f->cs.api_uses.n, 2);
	assert_use(&f->cs.api_uses.v[0], APIEV_MANIFEST, "policy/v1beta1",
		   "PodDisruptionBudget", NULL, 2, 3, 13);
	assert_string_equal(f->cs.api_uses.v[0].object, "shop/web");
	assert_use(&f->cs.api_uses.v[1], APIEV_MANIFEST, "apps/v1",
		   "Deployment", NULL, 1, 8, 13);
}

static void
objects_read_back_from_the_apiserver_are_marked_live(void **state)
{
	struct fx *f = *state;
	const char *p = write_tmp(
		f, "apiVersion: v1\n"
		   "items:\n"
		   "- apiVersion: networking.k8s.io/v1\n"
		   "  kind: Ingress\n"
		   "  metadata:\n"
		   "    name: web\n"
		   "    resourceVersion: \"48211\"\n"
		   "    uid: 5b1d2b62-7a7e-4b8e-9d8a-3e0f6f1c9a10\n"
		   "kind: List\n"
		   "metadata:\n"
		   "  resourceVersion: \"\"\n");

	assert_int_equal(ingest_file(&f->cs, &f->d, p, KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.inputs.v[0].kind, KIND_MANIFESTS);
	assert_int_equal(f->cs.api_uses.n, 1);
	assert_use(&f->cs.api_uses.v[0], APIEV_LIVE, "networking.k8s.io/v1",
		   "Ingress", NULL, 1, 3, 15);
}

static void
a_deployment_manifest_is_forced_into_manifests(void **state)
{
	struct fx *f = *state;
	const char *p = write_tmp(
		f, "apiVersion: extensions/v1beta1\n"
		   "kind: Deployment\n"
		   "metadata: {name: old}\n"
		   "spec: {template: {spec: {containers: [{name: a, "
		   "image: nginx:1}]}}}\n");

	assert_int_equal(ingest_file(&f->cs, &f->d, p, KIND_MANIFESTS, false),
			 0);
	assert_int_equal(f->cs.api_uses.n, 1);
	assert_use(&f->cs.api_uses.v[0], APIEV_MANIFEST, "extensions/v1beta1",
		   "Deployment", NULL, 1, 1, 13);
	assert_int_equal(f->cs.images.n, 0);
}

int
main(void)
{
	const struct CMUnitTest data[] = {
		cmocka_unit_test(removed_apis_match_the_migration_guide),
		cmocka_unit_test(
			every_api_row_is_sourced_from_the_guide_or_a_release_post),
		cmocka_unit_test(
			apis_are_found_by_the_resource_the_apiserver_names),
	};
	const struct CMUnitTest ingest[] = {
		cmocka_unit_test_setup_teardown(
			metrics_lines_give_the_apis_requested_since_the_start,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_metrics_line_with_a_bad_label_is_an_error_at_its_column,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			audit_events_are_counted_per_api_and_client, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			only_audit_lines_naming_deprecated_are_parsed, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			audit_events_across_reads_are_found_at_their_line, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			helm_output_is_read_as_manifests_with_the_apiversion_location,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			objects_read_back_from_the_apiserver_are_marked_live,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_deployment_manifest_is_forced_into_manifests, setup,
			teardown),
	};
	int rc = cmocka_run_group_tests(data, db_setup, db_teardown);

	return rc | cmocka_run_group_tests(ingest, NULL, NULL);
}
