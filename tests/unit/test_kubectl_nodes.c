/*
 * Unit tests for ingest/kubectl_nodes.c: `kubectl get nodes` tables and
 * Node/NodeList/List documents, through ingest_file() (so sniffing is
 * covered) and through the file's helpers, which are reached by including
 * the source with its entry point renamed.
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

/* The table reader's own helpers (line_content, header_parse) are static. */
#define nodes_parse_table nodes_parse_table_under_test
#include "../../analyzer/ingest/nodes_table.c"
#undef nodes_parse_table

#define REAL "fixtures/real"

struct fx {
	struct arena arena;
	struct cluster_state cs;
	struct diag d;
	char tmpdir[64];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	arena_init(&f->arena);
	cluster_state_init(&f->cs, &f->arena);
	f->cs.strict = true; /* as under --strict */
	diag_init(&f->d);
	f->d.out = tmpfile();
	f->d.no_source = true;
	snprintf(f->tmpdir, sizeof(f->tmpdir), "/tmp/skewplan-nodes-XXXXXX");
	if (!f->d.out || !mkdtemp(f->tmpdir))
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	cluster_state_release(&f->cs);
	arena_release(&f->arena);
	fclose(f->d.out);
	diag_release(&f->d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->tmpdir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Writes text to a file in the test's directory; returns its path. */
static const char *
write_tmp(struct fx *f, const char *name, const char *text)
{
	const char *path = arena_printf(&f->arena, "%s/%s", f->tmpdir, name);
	FILE *fp;

	assert_non_null(path);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
	return path;
}

/* Copies lines [from, to] (1-based) of src into a temporary file. */
static const char *
slice_tmp(struct fx *f, const char *name, const char *src, int from, int to)
{
	struct buf b = BUF_INIT;
	char line[4096];
	const char *path;
	FILE *fp = fopen(src, "rb");
	int n = 0;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp))
		if (++n >= from && n <= to)
			buf_adds(&b, line);
	fclose(fp);
	path = write_tmp(f, name, buf_cstr(&b));
	buf_release(&b);
	return path;
}

/* The first diagnostic of the given level printed so far. */
static const char *
first_diag(struct fx *f, const char *level)
{
	static char line[1024];
	char want[32];

	snprintf(want, sizeof(want), ": %s: ", level);
	fflush(f->d.out);
	rewind(f->d.out);
	while (fgets(line, sizeof(line), f->d.out)) {
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, want))
			return line;
	}
	return "";
}

static void
reset_diag(struct fx *f)
{
	fclose(f->d.out);
	diag_release(&f->d);
	diag_init(&f->d);
	f->d.out = tmpfile();
	f->d.no_source = true;
	assert_non_null(f->d.out);
}

static const char *
input_format(const struct fx *f, size_t i)
{
	assert_true(i < f->cs.inputs.n);
	return f->cs.inputs.v[i].format;
}

static const char *
roles_str(const struct node *n)
{
	static char out[256];
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < n->nroles; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s",
					i ? "," : "", n->roles[i]);
	return out;
}

struct want_node {
	const char *name;
	const char *status;
	enum tri ready;
	bool schedulable;
	const char *roles;	/* joined with ',', "" for none */
	const char *version;
	uint32_t line, col;
	const char *internal_ip;	/* NULL: not captured */
	const char *os_image;
	const char *runtime;
	const char *kube_proxy;
};

static void
check_node(const struct node *n, const struct want_node *w, const char *ctx)
{
	if (strcmp(n->name, w->name))
		fail_msg("%s: name '%s', want '%s'", ctx, n->name, w->name);
	assert_string_equal(n->status, w->status);
	assert_int_equal(n->ready, w->ready);
	assert_int_equal(n->schedulable, w->schedulable);
	assert_string_equal(roles_str(n), w->roles);
	assert_string_equal(n->kubelet.text, w->version);
	if (n->loc.line != w->line || n->loc.col != w->col)
		fail_msg("%s: '%s' at %u:%u, want %u:%u", ctx, n->name,
			 n->loc.line, n->loc.col, w->line, w->col);
#define OPT(field, want)                                                       \
	do {                                                                   \
		if ((want) == NULL)                                            \
			assert_null(n->field);                                 \
		else                                                           \
			assert_string_equal(n->field, (want));                 \
	} while (0)
	OPT(internal_ip, w->internal_ip);
	OPT(os_image, w->os_image);
	OPT(container_runtime, w->runtime);
	OPT(kube_proxy, w->kube_proxy);
#undef OPT
}

static void
check_nodes(const struct fx *f, size_t first, const struct want_node *w,
	    size_t n, const char *ctx)
{
	size_t i;

	if (f->cs.nodes.n != first + n)
		fail_msg("%s: %zu nodes, want %zu", ctx, f->cs.nodes.n - first,
			 n);
	for (i = 0; i < n; i++)
		check_node(&f->cs.nodes.v[first + i], &w[i], ctx);
}

#define T TRI_TRUE
#define F TRI_FALSE
#define U TRI_UNKNOWN

/* ------------------------------------------------------------ fixtures */

static const struct {
	const char *path;
	const char *format;
	unsigned warnings;
	size_t n;
	struct want_node nodes[5];
} fixture_cases[] = {
	{"fixtures/nodes/default.txt", "table-default", 0, 3, {
		{"cp-1", "Ready", T, true, "control-plane", "v1.27.6", 3, 1,
		 NULL, NULL, NULL, NULL},
		{"worker-1", "Ready", T, true, "", "v1.27.6", 4, 1,
		 NULL, NULL, NULL, NULL},
		{"worker-2", "Ready", T, true, "", "v1.27.6", 5, 1,
		 NULL, NULL, NULL, NULL},
	}},
	{"fixtures/nodes/wide.txt", "table-wide", 0, 3, {
		{"cp-a", "Ready", T, true, "control-plane", "v1.28.4", 3, 1,
		 "10.20.0.11", "Ubuntu 22.04.3 LTS", "containerd://1.7.2",
		 NULL},
		{"node-b", "Ready", T, true, "", "v1.28.4", 4, 1,
		 "10.20.0.21", "Debian GNU/Linux 11 (bullseye)",
		 "containerd://1.6.20", NULL},
		{"node-c", "Ready", T, true, "", "v1.28.4", 5, 1,
		 "10.20.0.22", "Ubuntu 22.04.3 LTS", "containerd://1.7.2",
		 NULL},
	}},
	{"fixtures/nodes/statuses.txt", "table-default", 0, 5, {
		{"cp-1", "Ready,SchedulingDisabled", T, false, "control-plane",
		 "v1.25.16", 2, 1, NULL, NULL, NULL, NULL},
		{"worker-1", "NotReady", F, true, "", "v1.25.16", 3, 1,
		 NULL, NULL, NULL, NULL},
		{"worker-2", "Unknown", U, true, "", "v1.24.17", 4, 1,
		 NULL, NULL, NULL, NULL},
		{"worker-3", "NotReady,SchedulingDisabled", F, false, "",
		 "v1.24.17", 5, 1, NULL, NULL, NULL, NULL},
		{"worker-4", "Unknown,SchedulingDisabled", U, false, "",
		 "v1.25.16", 6, 1, NULL, NULL, NULL, NULL},
	}},
	{"fixtures/nodes/control-plane-master.txt", "table-default", 0, 3, {
		{"k8s-m1", "Ready", T, true, "control-plane,master",
		 "v1.21.14", 3, 1, NULL, NULL, NULL, NULL},
		{"k8s-w1", "Ready", T, true, "worker", "v1.21.14", 4, 1,
		 NULL, NULL, NULL, NULL},
		{"k8s-w2", "Ready", T, true, "worker", "v1.21.14", 5, 1,
		 NULL, NULL, NULL, NULL},
	}},
	{"fixtures/nodes/k3s.txt", "table-default", 0, 3, {
		{"k3s-s1", "Ready", T, true, "control-plane,etcd,master",
		 "v1.28.5+k3s1", 2, 1, NULL, NULL, NULL, NULL},
		{"k3s-s2", "Ready", T, true, "control-plane,etcd,master",
		 "v1.28.5+k3s1", 3, 1, NULL, NULL, NULL, NULL},
		{"k3s-a1", "Ready", T, true, "", "v1.28.5+k3s1", 4, 1,
		 NULL, NULL, NULL, NULL},
	}},
	{"fixtures/nodes/eks-wide.txt", "table-wide", 0, 2, {
		{"ip-192-168-12-34.us-west-2.compute.internal", "Ready", T,
		 true, "", "v1.27.7-eks-e71965b", 2, 1, "192.168.12.34",
		 "Amazon Linux 2", "containerd://1.6.19", NULL},
		{"ip-192-168-77-5.us-west-2.compute.internal", "Ready", T,
		 true, "", "v1.26.10-eks-e71965b", 3, 1, "192.168.77.5",
		 "Amazon Linux 2", "containerd://1.6.19", NULL},
	}},
	{"fixtures/nodes/noisy.txt", "table-default", 0, 2, {
		{"kind-cp", "Ready", T, true, "control-plane", "v1.29.2",
		 3, 1, NULL, NULL, NULL, NULL},
		{"kind-w1", "NotReady", F, true, "", "v1.29.2", 4, 1,
		 NULL, NULL, NULL, NULL},
	}},
	{"fixtures/nodes/watch.txt", "table-default", 1, 2, {
		{"cp-1", "Ready", T, true, "control-plane", "v1.29.3", 7, 1,
		 NULL, NULL, NULL, NULL},
		{"worker-1", "Ready", T, true, "", "v1.28.8", 8, 1,
		 NULL, NULL, NULL, NULL},
	}},
	{"fixtures/nodes/headerless.txt", "table-headerless", 0, 2, {
		{"lab-cp", "Ready", T, true, "control-plane", "v1.30.2", 1, 1,
		 NULL, NULL, NULL, NULL},
		{"lab-w1", "NotReady", F, true, "", "v1.30.2", 2, 1,
		 NULL, NULL, NULL, NULL},
	}},
	{"fixtures/nodes/no-roles.txt", "table-default", 0, 2, {
		{"k-1", "Ready", T, true, "", "v1.7.16", 2, 1,
		 NULL, NULL, NULL, NULL},
		{"k-2", "Ready", T, true, "", "v1.7.16", 3, 1,
		 NULL, NULL, NULL, NULL},
	}},
	{"fixtures/nodes/ansible-json.txt", "table-default", 0, 2, {
		{"alpha", "Ready", T, true, "control-plane", "v1.29.1", 4, 10,
		 NULL, NULL, NULL, NULL},
		{"beta", "Ready", T, true, "", "v1.29.1", 5, 10,
		 NULL, NULL, NULL, NULL},
	}},
	{"fixtures/nodes/unaligned.txt", "table-wide", 0, 2, {
		{"w-1", "Ready", T, true, "", "v1.29.2", 2, 1, "10.0.0.5",
		 "Ubuntu 22.04.4 LTS", "containerd://1.7.7", NULL},
		{"w-2", "Ready", T, true, "", "v1.29.2", 3, 1, "10.0.0.6",
		 "Flatcar Container Linux by Kinvolk 3815.2.0 (Oklo)",
		 "containerd://1.7.7", NULL},
	}},
	{"fixtures/nodes/label-columns.txt", "table-default", 0, 3, {
		{"gke-pool-a-1", "Ready", T, true, "", "v1.29.4-gke.1043002",
		 3, 1, NULL, NULL, NULL, NULL},
		{"gke-pool-a-2", "Ready", T, true, "", "v1.29.4-gke.1043002",
		 4, 1, NULL, NULL, NULL, NULL},
		{"gke-pool-b-1", "Ready", T, true, "", "v1.29.4-gke.1043002",
		 5, 1, NULL, NULL, NULL, NULL},
	}},
	{"fixtures/nodes/nodelist.yaml", "yaml", 0, 3, {
		{"cp-1", "Ready,SchedulingDisabled", T, false, "control-plane",
		 "v1.28.7", 21, 11, "10.0.0.10", "Ubuntu 22.04.4 LTS",
		 "containerd://1.7.13", "v1.28.7"},
		{"worker-1", "NotReady", F, true, "worker", "v1.27.11", 72, 11,
		 "10.0.0.21", "Ubuntu 22.04.4 LTS", "containerd://1.7.13",
		 "v1.27.11"},
		{"worker-2", "Unknown", U, true, "worker", "v1.27.11", 96, 11,
		 "10.0.0.22", "Rocky Linux 9.3 (Blue Onyx)",
		 "cri-o://1.27.4", "v1.27.11"},
	}},
	{"fixtures/nodes/list.json", "json", 0, 2, {
		{"edge-1", "Ready", T, true, "control-plane,etcd,master",
		 "v1.28.6+k3s2", 15, 25, "172.16.0.2",
		 "SUSE Linux Enterprise Server 15 SP5",
		 "containerd://1.7.11-k3s2", "v1.28.6+k3s2"},
		{"edge-2", "NotReady,SchedulingDisabled", F, false, "",
		 "v1.28.6+k3s2", 55, 25, "172.16.0.3",
		 "SUSE Linux Enterprise Server 15 SP5",
		 "containerd://1.7.11-k3s2", "v1.28.6+k3s2"},
	}},
	{"fixtures/nodes/single-node.yaml", "yaml", 0, 1, {
		{"solo", "Ready", T, true, "control-plane,master", "v1.23.17",
		 9, 9, "192.168.56.10", "CentOS Linux 7 (Core)",
		 "docker://20.10.24", "v1.23.17"},
	}},
};

static void
fixture_captures_are_parsed_with_every_fact(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fixture_cases); i++) {
		size_t first = f->cs.nodes.n;
		unsigned warnings = f->d.warnings;

		if (ingest_file(&f->cs, &f->d, fixture_cases[i].path,
				KIND_UNKNOWN, false) != 0)
			fail_msg("%s: %s", fixture_cases[i].path,
				 buf_cstr(&f->d.last));
		assert_int_equal(f->cs.inputs.v[f->cs.inputs.n - 1].kind,
				 KIND_NODES);
		assert_string_equal(input_format(f, f->cs.inputs.n - 1),
				    fixture_cases[i].format);
		assert_int_equal(f->d.warnings - warnings,
				 fixture_cases[i].warnings);
		check_nodes(f, first, fixture_cases[i].nodes,
			    fixture_cases[i].n, fixture_cases[i].path);
		/* Each fixture names its own nodes; start afresh. */
		f->cs.nodes.n = 0;
	}
	assert_int_equal(f->d.errors, 0);
}

static void
several_tables_keep_the_last_and_warn(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ingest_file(&f->cs, &f->d, "fixtures/nodes/watch.txt",
				     KIND_UNKNOWN, false), 0);
	assert_string_equal(first_diag(f, "warning"),
			    "fixtures/nodes/watch.txt:6:1: warning: 2 node "
			    "tables in one file; using the last one, at "
			    "line 6");
	assert_int_equal(f->cs.nodes.n, 2);
	assert_string_equal(f->cs.nodes.v[0].status, "Ready");
}

/* ------------------------------------------------------------ bad input */

static const struct {
	const char *path;
	const char *first_error;
} bad_cases[] = {
	{"fixtures/bad/nodes/unknown-status.txt",
	 "fixtures/bad/nodes/unknown-status.txt:4:12: error: unknown node "
	 "status 'Redy'"},
	{"fixtures/bad/nodes/bad-version.txt",
	 "fixtures/bad/nodes/bad-version.txt:3:43: error: invalid kubelet "
	 "version '1.27.x': not a Kubernetes version (want "
	 "vMAJOR.MINOR.PATCH)"},
	{"fixtures/bad/nodes/duplicate-node.txt",
	 "fixtures/bad/nodes/duplicate-node.txt:4:1: error: duplicate node "
	 "'worker-1'"},
	{"fixtures/bad/nodes/too-few-columns.txt",
	 "fixtures/bad/nodes/too-few-columns.txt:3:40: error: node row has "
	 "4 cells, the header has 5 columns"},
	{"fixtures/bad/nodes/reboot-name.txt",
	 "fixtures/bad/nodes/reboot-name.txt:3:1: error: invalid node name "
	 "'$(reboot)'"},
	{"fixtures/bad/nodes/truncated.yaml",
	 "fixtures/bad/nodes/truncated.yaml:44:42: error: invalid YAML/JSON: "
	 "found unexpected end of stream while scanning a quoted scalar"},
};

static void
bad_fixtures_fail_with_the_exact_first_error(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		reset_diag(f);
		if (ingest_file(&f->cs, &f->d, bad_cases[i].path, KIND_UNKNOWN,
				false) != -1)
			fail_msg("%s: parsed", bad_cases[i].path);
		assert_string_equal(first_diag(f, "error"),
				    bad_cases[i].first_error);
		assert_int_equal(f->cs.inputs.n, 0);
	}
}

static void
duplicate_node_notes_where_it_was_first_listed(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ingest_file(&f->cs, &f->d,
				     "fixtures/bad/nodes/duplicate-node.txt",
				     KIND_UNKNOWN, false), -1);
	assert_string_equal(first_diag(f, "note"),
			    "fixtures/bad/nodes/duplicate-node.txt:3:1: note: "
			    "'worker-1' first listed here");
}

static const struct {
	const char *name;
	const char *text;
	const char *first_error;	/* without the "path:" prefix */
} bad_text_cases[] = {
	{"no-header.txt",
	 "NAME READY STATUS RESTARTS\nnode-1 Ready control-plane 2d\n",
	 "1:1: error: not a node table: no 'NAME STATUS ...' header"},
	{"empty-table.txt", "NAME   STATUS   ROLES   AGE   VERSION\n",
	 "1:1: error: node table has no rows"},
	{"no-version.txt", "NAME    STATUS   AGE\nn-1     Ready    1d\n",
	 "1:1: error: node table has no VERSION column"},
	{"bad-age.txt",
	 "NAME   STATUS   ROLES    AGE   VERSION\n"
	 "n-1    Ready    <none>   2x    v1.29.0\n",
	 "2:26: error: invalid node age '2x'"},
	{"bad-role.txt",
	 "NAME   STATUS   ROLES       AGE   VERSION\n"
	 "n-1    Ready    cp,,etcd    2d    v1.29.0\n",
	 "2:20: error: invalid node role ''"},
	{"status-suffix.txt",
	 "NAME   STATUS                 ROLES    AGE   VERSION\n"
	 "n-1    Ready,Cordoned         <none>   2d    v1.29.0\n",
	 "2:8: error: unknown node status 'Ready,Cordoned'"},
	{"bad-ip.txt",
	 "NAME   STATUS   ROLES    AGE   VERSION   INTERNAL-IP   "
	 "EXTERNAL-IP   OS-IMAGE   KERNEL-VERSION   CONTAINER-RUNTIME\n"
	 "n-1    Ready    <none>   2d    v1.29.0   10.0.0.256    "
	 "<none>        Ubuntu     6.1.0            containerd://1.7.0\n",
	 "2:42: error: invalid internal IP '10.0.0.256'"},
	{"too-many-cells.txt",
	 "NAME   STATUS   ROLES    AGE   VERSION\n"
	 "n-1 Ready <none> 2d v1.29.0 extra\n",
	 "2:29: error: node row has 6 cells, the header has 5 columns"},
	{"row-after-table.txt",
	 "NAME   STATUS   ROLES    AGE   VERSION\n"
	 "n-1    Ready    <none>   2d    v1.29.0\n"
	 "\n"
	 "n-2    Ready    <none>   2d    v1.29.0\n",
	 "4:1: error: node row after the end of the table"},
	{"empty-list.yaml", "apiVersion: v1\nkind: List\nitems: []\n",
	 "error: no nodes in the capture"},
	{"configmap-in-list.yaml",
	 "apiVersion: v1\nkind: List\nitems:\n- kind: Node\n"
	 "  metadata:\n    name: n-1\n  status:\n    nodeInfo:\n"
	 "      kubeletVersion: v1.29.0\n"
	 "- kind: ConfigMap\n  metadata:\n    name: kubeadm-config\n",
	 "10:9: error: list item is kind 'ConfigMap', not a Node"},
	{"no-kubelet.yaml",
	 "apiVersion: v1\nkind: Node\nmetadata:\n  name: n-1\nstatus:\n"
	 "  nodeInfo:\n    osImage: Ubuntu\n",
	 "4:9: error: node 'n-1' has no status.nodeInfo.kubeletVersion"},
	{"bad-name.yaml",
	 "apiVersion: v1\nkind: Node\nmetadata:\n  name: \"N_1\"\nstatus:\n"
	 "  nodeInfo:\n    kubeletVersion: v1.29.0\n",
	 "4:9: error: invalid node name 'N_1'"},
	{"bad-unschedulable.yaml",
	 "apiVersion: v1\nkind: Node\nmetadata:\n  name: n-1\nspec:\n"
	 "  unschedulable: maybe\nstatus:\n  nodeInfo:\n"
	 "    kubeletVersion: v1.29.0\n",
	 "6:18: error: invalid spec.unschedulable 'maybe'"},
	{"not-node.json",
	 "{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": "
	 "{\"name\": \"n-1\"}, \"status\": {\"nodeInfo\": "
	 "{\"kubeletVersion\": \"v1.29\"}, \"addresses\": [{\"type\": "
	 "\"InternalIP\", \"address\": \"not-an-ip\"}]}}\n",
	 "1:167: error: invalid internal IP 'not-an-ip'"},
};

static void
forced_bad_inputs_fail_with_the_exact_first_error(void **state)
{
	struct fx *f = *state;
	char want[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_text_cases); i++) {
		const char *path = write_tmp(f, bad_text_cases[i].name,
					     bad_text_cases[i].text);

		reset_diag(f);
		if (ingest_file(&f->cs, &f->d, path, KIND_NODES, false) != -1)
			fail_msg("%s: parsed", bad_text_cases[i].name);
		snprintf(want, sizeof(want), "%s%s%s", path,
			 bad_text_cases[i].first_error[0] == 'e' ? ": " : ":",
			 bad_text_cases[i].first_error);
		assert_string_equal(first_diag(f, "error"), want);
	}
}

static void
errors_stop_after_twenty_per_file(void **state)
{
	struct fx *f = *state;
	struct buf b = BUF_INIT;
	int i;

	buf_adds(&b, "NAME   STATUS   ROLES    AGE   VERSION\n");
	for (i = 0; i < 30; i++)
		buf_addf(&b, "n-%02d   Redy     <none>   2d    v1.29.0\n", i);
	assert_int_equal(ingest_file(&f->cs, &f->d,
				     write_tmp(f, "many.txt", buf_cstr(&b)),
				     KIND_NODES, false), -1);
	assert_int_equal(f->d.errors, 20);
	buf_release(&b);
}

/* ------------------------------------------------------------ merging */

static void
same_node_in_two_files_with_equal_facts_is_kept_once(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ingest_file(&f->cs, &f->d,
				     "fixtures/nodes/default.txt",
				     KIND_UNKNOWN, false), 0);
	assert_int_equal(ingest_file(&f->cs, &f->d,
				     "fixtures/nodes/noisy.txt",
				     KIND_UNKNOWN, false), 0);
	assert_int_equal(ingest_file(&f->cs, &f->d,
				     "fixtures/nodes/default.txt",
				     KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.nodes.n, 5);
	assert_int_equal(f->d.errors, 0);
}

static void
a_wide_table_fills_in_what_the_default_table_lacks(void **state)
{
	struct fx *f = *state;
	const char *path = write_tmp(
		f, "default.txt",
		"NAME     STATUS   ROLES           AGE    VERSION\n"
		"cp-a     Ready    control-plane   212d   v1.28.4\n"
		"node-b   Ready    <none>          212d   v1.28.4\n");

	assert_int_equal(ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN,
				     false), 0);
	assert_int_equal(ingest_file(&f->cs, &f->d, "fixtures/nodes/wide.txt",
				     KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.nodes.n, 3);
	assert_string_equal(f->cs.nodes.v[0].os_image, "Ubuntu 22.04.3 LTS");
	assert_string_equal(f->cs.nodes.v[1].internal_ip, "10.20.0.21");
	assert_int_equal(f->cs.nodes.v[0].loc.line, 2);
}

static void
same_node_in_two_files_with_different_facts_is_an_error(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ingest_file(&f->cs, &f->d,
				     "fixtures/nodes/default.txt",
				     KIND_UNKNOWN, false), 0);
	assert_int_equal(ingest_file(&f->cs, &f->d,
				     "fixtures/nodes/statuses.txt",
				     KIND_UNKNOWN, false), -1);
	assert_string_equal(first_diag(f, "error"),
			    "fixtures/nodes/statuses.txt:2:1: error: node "
			    "'cp-1' differs from the one at "
			    "fixtures/nodes/default.txt:3:1: status 'Ready' "
			    "there, 'Ready,SchedulingDisabled' here");
}

static void
yaml_and_table_of_one_cluster_agree(void **state)
{
	struct fx *f = *state;
	const char *path = write_tmp(
		f, "table.txt",
		"NAME       STATUS                     ROLES           AGE   "
		"VERSION\n"
		"cp-1       Ready,SchedulingDisabled   control-plane   54d   "
		"v1.28.7\n"
		"worker-1   NotReady                   worker          54d   "
		"v1.27.11\n"
		"worker-2   Unknown                    worker          54d   "
		"v1.27.11\n");

	assert_int_equal(ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN,
				     false), 0);
	assert_int_equal(ingest_file(&f->cs, &f->d,
				     "fixtures/nodes/nodelist.yaml",
				     KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.nodes.n, 3);
	assert_string_equal(f->cs.nodes.v[2].container_runtime,
			    "cri-o://1.27.4");
}

/* ------------------------------------------------------------ scale, OOM */

static void
five_thousand_node_list_is_streamed(void **state)
{
	struct fx *f = *state;
	const char *path = arena_printf(&f->arena, "%s/big.yaml", f->tmpdir);
	FILE *fp = fopen(path, "wb");
	int i;

	assert_non_null(fp);
	fputs("apiVersion: v1\nkind: List\nitems:\n", fp);
	for (i = 0; i < 5000; i++)
		fprintf(fp,
			"- apiVersion: v1\n  kind: Node\n  metadata:\n"
			"    labels:\n      kubernetes.io/hostname: n-%04d\n"
			"    name: n-%04d\n  spec:\n"
			"    podCIDR: 10.%d.%d.0/24\n"
			"  status:\n    addresses:\n    - address: 10.1.%d.%d\n"
			"      type: InternalIP\n    conditions:\n"
			"    - status: \"True\"\n      type: Ready\n"
			"    nodeInfo:\n      kubeletVersion: v1.29.%d\n",
			i, i, i / 256, i % 256, i / 256, i % 256, i % 3);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN,
				     false), 0);
	assert_int_equal(f->cs.nodes.n, 5000);
	assert_string_equal(f->cs.nodes.v[4999].name, "n-4999");
	assert_string_equal(f->cs.nodes.v[4999].internal_ip, "10.1.19.135");
	assert_string_equal(f->cs.nodes.v[4999].kubelet.text, "v1.29.1");
}

/*
 * Every allocation of a document parse fails in turn; each run must end
 * in a diagnostic and leak nothing. The parser is called directly: the
 * sniffer's text reader is not under test here.
 */
static void
allocation_failures_end_in_a_clean_error(void **state)
{
	static const struct {
		const char *path;
		bool json;
	} cases[] = {
		{"fixtures/nodes/nodelist.yaml", false},
		{"fixtures/nodes/list.json", true},
	};
	size_t i;
	unsigned long n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (n = 1; n < 100000; n++) {
			struct sniff sn = {KIND_NODES, FMT_NODES_DOC,
					   cases[i].json, false, "", 1};
			struct ingest_ctx c;
			struct stream in;
			struct arena a;
			struct cluster_state cs;
			struct diag d;
			int rc;

			arena_init(&a);
			cluster_state_init(&cs, &a);
			cs.strict = true; /* as under --strict */
			diag_init(&d);
			d.out = tmpfile();
			d.no_source = true;
			assert_non_null(d.out);
			memset(&c, 0, sizeof(c));
			c.cs = &cs;
			c.diag = &d;
			c.arena = &a;
			c.path = cases[i].path;
			c.sniff = &sn;
			assert_int_equal(stream_open(&in, cases[i].path, &d),
					 0);
			c.in = &in;
			base_fail_alloc_after(n);
			rc = ingest_nodes(&c);
			base_fail_alloc_after(0);
			stream_close(&in);
			if (rc < 0)
				assert_true(d.errors > 0);
			else
				assert_int_equal(cs.nodes.n,
						 cases[i].json ? 2 : 3);
			cluster_state_release(&cs);
			arena_release(&a);
			fclose(d.out);
			diag_release(&d);
			if (rc == 0)
				break;
		}
		assert_true(n > 1 && n < 100000);
	}
}

/* ------------------------------------------------------------ helpers */

static void
status_cells_parse_as_kubectl_prints_them(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		enum tri ready;
		bool schedulable;
	} cases[] = {
		{"Ready", true, T, true},
		{"NotReady", true, F, true},
		{"Unknown", true, U, true},
		{"Ready,SchedulingDisabled", true, T, false},
		{"NotReady,SchedulingDisabled", true, F, false},
		{"Unknown,SchedulingDisabled", true, U, false},
		{"Redy", false, U, true},
		{"ready", false, U, true},
		{"Ready,", false, T, false},
		{"Ready,SchedulingDisabled,X", false, T, false},
		{"", false, U, true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct node n;

		memset(&n, 0, sizeof(n));
		if (nodes_status_parse(cases[i].s, strlen(cases[i].s), &n) !=
		    cases[i].ok)
			fail_msg("'%s': ok %d", cases[i].s, !cases[i].ok);
		if (!cases[i].ok)
			continue;
		assert_int_equal(n.ready, cases[i].ready);
		assert_int_equal(n.schedulable, cases[i].schedulable);
	}
}

static void
ages_ips_and_roles_are_validated(void **state)
{
	static const struct {
		bool (*fn)(const char *, size_t);
		const char *s;
		bool ok;
	} cases[] = {
		{age_is_valid, "94d", true},
		{age_is_valid, "5m17s", true},
		{age_is_valid, "2y120d", true},
		{age_is_valid, "<invalid>", true},
		{age_is_valid, "2x", false},
		{age_is_valid, "d", false},
		{age_is_valid, "12", false},
		{nodes_ip_is_valid, "192.168.1.105", true},
		{nodes_ip_is_valid, "fd00::1", true},
		{nodes_ip_is_valid, "2001:db8:0:0:0:0:2:1", true},
		{nodes_ip_is_valid, "10.0.0.256", false},
		{nodes_ip_is_valid, "10.0.0", false},
		{nodes_ip_is_valid, "1.2.3.4.5", false},
		{nodes_ip_is_valid, "cp-1", false},
		{nodes_role_is_valid, "control-plane", true},
		{nodes_role_is_valid, "Node", true},
		{nodes_role_is_valid, "ingress_edge", true},
		{nodes_role_is_valid, "-x", false},
		{nodes_role_is_valid, "a b", false},
		{nodes_role_is_valid, "", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (cases[i].fn(cases[i].s, strlen(cases[i].s)) != cases[i].ok)
			fail_msg("case %zu '%s': want %d", i, cases[i].s,
				 cases[i].ok);
}

static void
wrapped_lines_are_unwrapped_keeping_offsets(void **state)
{
	static const struct {
		const char *line;
		const char *content;
		size_t off;
		unsigned wrap;
	} cases[] = {
		{"NAME   STATUS", "NAME   STATUS", 0, 0},
		{"  - NAME   STATUS", "NAME   STATUS", 4, WRAP_DASH},
		{"        \"NAME   STATUS\",", "NAME   STATUS", 9, WRAP_QUOTE},
		{"- \"n-1   Ready\"", "n-1   Ready", 3, WRAP_DASH | WRAP_QUOTE},
		{"`s-1   Ready", "s-1   Ready", 1, 0},
		{"s-6   v1.14.1`", "s-6   v1.14.1", 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct text_line l = {cases[i].line, strlen(cases[i].line), 1,
				      NOISE_NONE, NULL, 0};
		struct content ct;

		line_content(&l, &ct);
		assert_int_equal(ct.len, strlen(cases[i].content));
		assert_memory_equal(ct.s, cases[i].content, ct.len);
		assert_int_equal(ct.off, cases[i].off);
		assert_int_equal(ct.wrap, cases[i].wrap);
	}
}

static void
headers_are_recognised_with_their_offsets(void **state)
{
	static const char *const not_headers[] = {
		"NAME READY STATUS RESTARTS AGE",
		"STATUS NAME",
		"NAME STATUS ROLES AGE VERSION VERSION",
		"NAME STATUS roles AGE VERSION",
		"NAME",
	};
	const char *h = "NAME   STATUS   ROLES   AGE   VERSION   ZONE   "
			"OS-IMAGE";
	struct content ct = {h, 0, strlen(h), 0};
	struct table t;
	size_t i;

	(void)state;
	assert_true(header_parse(&ct, &t));
	assert_int_equal(t.ncols, 7);
	assert_int_equal(t.start[1], 7);
	assert_int_equal(t.id[4], COL_VERSION);
	assert_int_equal(t.id[5], COL_OTHER);
	assert_int_equal(t.spaced, 6);
	for (i = 0; i < ARRAY_SIZE(not_headers); i++) {
		struct content c2 = {not_headers[i], 0, strlen(not_headers[i]),
				     0};

		if (header_parse(&c2, &t))
			fail_msg("'%s' taken for a header", not_headers[i]);
	}
}

/* ------------------------------------------------- real-world shapes */

/*
 * fixtures/real/nodes-*: tables in the shapes users paste (no header and
 * inline backticks, Ansible's "  - " lines, -o wide with spaces in
 * OS-IMAGE, kubeadm's output before the table, several tables of one
 * rolling upgrade); the facts are those of each folder's case.yaml.
 */
static void
real_world_shapes_give_the_facts_of_their_case_files(void **state)
{
	static const struct {
		const char *path;
		const char *format;
		size_t n;
		struct want_node nodes[4];
	} cases[] = {
		{REAL "/nodes-headerless-inline-backticks/nodes.txt",
		 "table-headerless", 4, {
			{"wk-lon-01", "Ready", T, true, "Worker", "v1.15.12", 1, 2,
			 NULL, NULL, NULL, NULL},
			{"wk-lon-02", "Ready", T, true, "Worker", "v1.15.12", 2, 1,
			 NULL, NULL, NULL, NULL},
			{"wk-lon-03", "Ready", T, true, "Worker", "v1.15.12", 3, 1,
			 NULL, NULL, NULL, NULL},
			{"cp-lon-01", "NotReady,SchedulingDisabled", F, false,
			 "master", "v1.15.12", 4, 1, NULL, NULL, NULL, NULL},
		}},
		{REAL "/nodes-ansible-stdout-lines/nodes.txt",
		 "table-default", 3, {
			{"alder", "Ready", T, true, "control-plane,master",
			 "v1.21.9", 4, 5, NULL, NULL, NULL, NULL},
			{"birch", "Ready", T, true, "", "v1.21.9", 5, 5,
			 NULL, NULL, NULL, NULL},
			{"cedar", "Ready", T, true, "", "v1.21.9", 6, 5,
			 NULL, NULL, NULL, NULL},
		}},
		{REAL "/nodes-wide-os-image-spaces/nodes.txt", "table-wide", 1, {
			{"cp-a", "NotReady", F, true, "control-plane", "v1.29.6",
			 3, 1, "10.20.0.11", "Debian GNU/Linux 12 (bookworm)",
			 "containerd://1.6.33", NULL},
		}},
		{REAL "/nodes-after-kubeadm-apply-old-spacing/nodes.txt",
		 "table-default", 1, {
			{"pi-cluster-0", "Ready", T, true, "master", "v1.10.5",
			 6, 1, NULL, NULL, NULL, NULL},
		}},
		{REAL "/nodes-rolling-upgrade-tables/nodes.txt",
		 "table-default", 2, {
			{"cp-0", "Ready", T, true, "master", "v1.19.16", 15, 1,
			 NULL, NULL, NULL, NULL},
			{"wk-0", "Ready", T, true, "", "v1.19.16", 16, 1,
			 NULL, NULL, NULL, NULL},
		}},
	};
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (ingest_file(&f->cs, &f->d, cases[i].path, KIND_UNKNOWN,
				false) != 0)
			fail_msg("%s: %s", cases[i].path, buf_cstr(&f->d.last));
		assert_string_equal(input_format(f, f->cs.inputs.n - 1),
				    cases[i].format);
		check_nodes(f, 0, cases[i].nodes, cases[i].n, cases[i].path);
		f->cs.nodes.n = 0;
	}
	assert_int_equal(f->d.errors, 0);
	/* Four tables of a rolling upgrade; the last one is used. */
	assert_int_equal(f->d.warnings, 1);
	assert_string_equal(first_diag(f, "warning"),
			    REAL "/nodes-rolling-upgrade-tables/nodes.txt:14:1: "
				 "warning: 4 node tables in one file; using the "
				 "last one, at line 14");
}

/*
 * The rolling upgrade's earlier tables are snapshots too when cut out on
 * their own: table 1 (control plane cordoned, both v1.18.19) and table 3
 * (control plane upgraded, worker cordoned).
 */
static void
rolling_upgrade_tables_one_and_three_hold_the_case_file_facts(void **state)
{
	static const struct want_node table1[] = {
		{"cp-0", "Ready,SchedulingDisabled", T, false, "master",
		 "v1.18.19", 3, 1, NULL, NULL, NULL, NULL},
		{"wk-0", "Ready", T, true, "", "v1.18.19", 4, 1, NULL, NULL,
		 NULL, NULL},
	};
	static const struct want_node table3[] = {
		{"cp-0", "Ready", T, true, "master", "v1.19.16", 3, 1, NULL,
		 NULL, NULL, NULL},
		{"wk-0", "Ready,SchedulingDisabled", T, false, "", "v1.18.19",
		 4, 1, NULL, NULL, NULL, NULL},
	};
	const char *src = REAL "/nodes-rolling-upgrade-tables/nodes.txt";
	struct fx *f = *state;

	assert_int_equal(ingest_file(&f->cs, &f->d,
				     slice_tmp(f, "t1.txt", src, 1, 4),
				     KIND_UNKNOWN, false), 0);
	check_nodes(f, 0, table1, ARRAY_SIZE(table1), "table 1");
	f->cs.nodes.n = 0;
	assert_int_equal(ingest_file(&f->cs, &f->d,
				     slice_tmp(f, "t3.txt", src, 9, 12),
				     KIND_UNKNOWN, false), 0);
	check_nodes(f, 0, table3, ARRAY_SIZE(table3), "table 3");
	assert_int_equal(f->d.warnings, 0);
}

/*
 * Taken whole, the rolling upgrade's tables are not one snapshot: as
 * separate files they disagree, and the merge says where.
 */
static void
rolling_upgrade_tables_as_two_files_conflict(void **state)
{
	const char *src = REAL "/nodes-rolling-upgrade-tables/nodes.txt";
	struct fx *f = *state;
	const char *t1, *t4;
	char want[512];

	t1 = slice_tmp(f, "t1.txt", src, 1, 4);
	t4 = slice_tmp(f, "t4.txt", src, 13, 16);
	assert_int_equal(ingest_file(&f->cs, &f->d, t1, KIND_UNKNOWN, false),
			 0);
	assert_int_equal(ingest_file(&f->cs, &f->d, t4, KIND_UNKNOWN, false),
			 -1);
	snprintf(want, sizeof(want),
		 "%s:3:1: error: node 'cp-0' differs from the one at %s:3:1: "
		 "status 'Ready,SchedulingDisabled' there, 'Ready' here", t4,
		 t1);
	assert_string_equal(first_diag(f, "error"), want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		TEST(fixture_captures_are_parsed_with_every_fact),
		TEST(several_tables_keep_the_last_and_warn),
		TEST(bad_fixtures_fail_with_the_exact_first_error),
		TEST(duplicate_node_notes_where_it_was_first_listed),
		TEST(forced_bad_inputs_fail_with_the_exact_first_error),
		TEST(errors_stop_after_twenty_per_file),
		TEST(same_node_in_two_files_with_equal_facts_is_kept_once),
		TEST(a_wide_table_fills_in_what_the_default_table_lacks),
		TEST(same_node_in_two_files_with_different_facts_is_an_error),
		TEST(yaml_and_table_of_one_cluster_agree),
		TEST(five_thousand_node_list_is_streamed),
		TEST(allocation_failures_end_in_a_clean_error),
		TEST(status_cells_parse_as_kubectl_prints_them),
		TEST(ages_ips_and_roles_are_validated),
		TEST(wrapped_lines_are_unwrapped_keeping_offsets),
		TEST(headers_are_recognised_with_their_offsets),
		TEST(real_world_shapes_give_the_facts_of_their_case_files),
		TEST(rolling_upgrade_tables_one_and_three_hold_the_case_file_facts),
		TEST(rolling_upgrade_tables_as_two_files_conflict),
#undef TEST
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	ingest_release();
	return rc;
}
