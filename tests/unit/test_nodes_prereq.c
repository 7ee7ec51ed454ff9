/*
 * test_nodes_prereq.c - node prerequisites: the data of rules/data/
 * nodes.yaml against its sources, the runtime and kernel version parsers,
 * every rule at its boundary minors (dockershim 1.23/1.24, CRI v1 and
 * containerd 1.5/1.6 at 1.26, cgroup v1 at 1.30/1.31 and 1.34/1.35,
 * kernels at 1.31/1.32 and 1.33/1.34, swap at 1.29/1.30), the audit's
 * input-missing, and the configz and node-facts captures read through
 * ingest_file() so that sniffing is covered too.
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

struct fx {
	struct arena a;
	struct rules_db db;
	struct cluster_state cs;
	struct diag d;
	char dir[64];
	char tmp[96];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	arena_init(&f->a);
	diag_init(&f->d);
	f->d.out = tmpfile();
	f->d.no_source = true;
	cluster_state_init(&f->cs, &f->a);
	if (!f->d.out || rules_load(&f->db, &f->a, &f->d, "rules") < 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (f->tmp[0])
		unlink(f->tmp);
	if (f->dir[0])
		rmdir(f->dir);
	rules_release(&f->db);
	cluster_state_release(&f->cs);
	fclose(f->d.out);
	diag_release(&f->d);
	arena_release(&f->a);
	free(f);
	ingest_release();
	return 0;
}

/* ------------------------------------------------------------ data */

static void
node_data_matches_its_sources(void **state)
{
	struct fx *f = *state;
	const struct nodes_data *nd = &f->db.nodes;
	const struct runtime_limit *l;
	const struct runtime_rec *r;
	const struct kernel_row *k;
	size_t removed = 0, minimum = 0;

	assert_true(nd->loaded);
	vec_foreach(&nd->limits, l) {
		assert_true(l->nsources >= 1);
		assert_true(!strncmp(l->sources[0], "https://", 8));
		if (l->removed) {
			/* dockershim: KEP-2221, Kubernetes 1.24. */
			assert_string_equal(l->runtime, "docker");
			assert_int_equal(l->since, 24);
			assert_string_equal(l->unless_endpoint, "cri-dockerd");
			removed++;
		} else if (l->since == 26) {
			/* CRI v1alpha2 removed: containerd 1.6.0 or later. */
			assert_string_equal(l->runtime, "containerd");
			assert_string_equal(l->minimum_text, "1.6.0");
			assert_null(l->unconfirmed);
			minimum++;
		} else {
			assert_int_equal(l->since, 36);
			assert_non_null(l->unconfirmed);
		}
	}
	assert_int_equal(removed, 1);
	assert_int_equal(minimum, 1);
	/* RELEASES.md: 1.33 is 2.1.0+, 2.0.4+, 1.7.24+, 1.6.36+. */
	r = &nd->recommended.v[nd->recommended.n - 1];
	assert_int_equal(r->minor, 33);
	assert_int_equal(r->nversions, 4);
	assert_string_equal(r->texts[1], "2.0.4");
	assert_string_equal(r->texts[3], "1.6.36");
	assert_int_equal(nd->cgroup_v1_maintenance, 31);
	assert_int_equal(nd->cgroup_v1_refused, 35);
	assert_int_equal(nd->swap_unlimited_removed, 30);
	assert_string_equal(nd->kubeadm_cgroup_driver, "systemd");
	assert_int_equal(nd->kernels.n, 2);
	k = &nd->kernels.v[0];
	assert_int_equal(k->since, 32);
	assert_int_equal(k->until, 33);
	assert_true(k->error);
	assert_string_equal(k->accepted_text, "4.19+");
	k = &nd->kernels.v[1];
	assert_int_equal(k->since, 34);
	assert_false(k->error);
	assert_string_equal(k->accepted_text, "5.4, 5.10, 5.15, 6.0+");
}

static void
runtime_versions_are_parsed_as_the_kubelet_reports_them(void **state)
{
	static const struct {
		const char *s;
		bool ok, has_ver;
		const char *name;
		unsigned v[3];
	} cases[] = {
		{"containerd://1.6.20", true, true, "containerd", {1, 6, 20}},
		{"containerd://v1.7.27-1", true, true, "containerd", {1, 7, 27}},
		{"containerd://2.0.0-rc.6", true, true, "containerd", {2, 0, 0}},
		{"cri-o://1.29.1", true, true, "cri-o", {1, 29, 1}},
		{"docker://20.10.21", true, true, "docker", {20, 10, 21}},
		{"docker://27.3", true, true, "docker", {27, 3, 0}},
		{"containerd://", true, false, "containerd", {0, 0, 0}},
		{"containerd://7", true, false, "containerd", {0, 0, 0}},
		{"1.6.20", false, false, "", {0, 0, 0}},
		{"://1.6.20", false, false, "", {0, 0, 0}},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct node_runtime rt;
		bool ok = rules_runtime_parse(cases[i].s, &rt);

		print_message("%s\n", cases[i].s);
		assert_int_equal(ok, cases[i].ok);
		if (!ok)
			continue;
		assert_string_equal(rt.name, cases[i].name);
		assert_int_equal(rt.has_ver, cases[i].has_ver);
		assert_int_equal(rt.ver.v[0], cases[i].v[0]);
		assert_int_equal(rt.ver.v[1], cases[i].v[1]);
		assert_int_equal(rt.ver.v[2], cases[i].v[2]);
	}
}

/* ------------------------------------------------------------ rules */

/* A node as status.nodeInfo and the captures would describe it. */
struct ncase {
	const char *what;
	unsigned from, to;
	const char *runtime, *kernel;
	const char *cgroup;	/* "v1", "v2" or NULL: no node facts */
	const char *endpoint, *swap_behavior;	/* NULL: no configz */
	const char *want;	/* rule ids found, sorted, space-separated */
};

static const struct ncase cases[] = {
	/* dockershim: removed in 1.24. */
	{"docker crossing 1.24", 23, 24, "docker://20.10.21", "5.15.0-91-generic",
	 NULL, NULL, NULL, "runtime-dockershim-removed"},
	{"docker at 1.23", 22, 23, "docker://20.10.21", "5.15.0-91-generic",
	 NULL, NULL, NULL, ""},
	{"docker through cri-dockerd", 23, 24, "docker://20.10.21",
	 "5.15.0-91-generic", NULL, "unix:///var/run/cri-dockerd.sock", NULL,
	 ""},
	{"docker already past 1.24", 24, 25, "docker://24.0.7",
	 "5.15.0-91-generic", NULL, NULL, NULL, ""},
	/* CRI v1 from 1.26: containerd 1.6.0; RELEASES.md lists 1.6.15. */
	{"containerd 1.5.18 to 1.26", 25, 26, "containerd://1.5.18",
	 "5.15.0-91-generic", NULL, NULL, NULL,
	 "runtime-cri-too-old runtime-version-unsupported"},
	{"containerd 1.5.18 to 1.25", 24, 25, "containerd://1.5.18",
	 "5.15.0-91-generic", NULL, NULL, NULL, "runtime-version-unsupported"},
	{"containerd 1.6.0 to 1.26", 25, 26, "containerd://1.6.0",
	 "5.15.0-91-generic", NULL, NULL, NULL, "runtime-version-unsupported"},
	{"containerd 1.6.15 to 1.26", 25, 26, "containerd://1.6.15",
	 "5.15.0-91-generic", NULL, NULL, NULL, ""},
	{"containerd 1.7.0 to 1.26", 25, 26, "containerd://1.7.0",
	 "5.15.0-91-generic", NULL, NULL, NULL, ""},
	/* Past the last row (1.33): judged by it. */
	{"containerd 1.7.23 to 1.34", 33, 34, "containerd://1.7.23",
	 "6.8.0-48-generic", NULL, NULL, NULL, "runtime-version-unsupported"},
	{"containerd 2.2.0 to 1.34", 33, 34, "containerd://2.2.0",
	 "6.8.0-48-generic", NULL, NULL, NULL, ""},
	{"containerd 1.7.24 to 1.36", 35, 36, "containerd://1.7.24",
	 "6.8.0-48-generic", "v2", NULL, NULL, "runtime-cri-too-old"},
	/* CRI-O minors follow Kubernetes'. */
	{"cri-o 1.29 to 1.30", 29, 30, "cri-o://1.29.1", "5.14.0-427.el9",
	 NULL, NULL, NULL, "runtime-version-unsupported"},
	{"cri-o 1.30 to 1.30", 29, 30, "cri-o://1.30.0", "5.14.0-427.el9",
	 NULL, NULL, NULL, ""},
	/* cgroup v1: maintenance from 1.31, refused from 1.35. */
	{"cgroup v1 to 1.30", 29, 30, "containerd://2.1.0", "5.15.0-91-generic",
	 "v1", NULL, NULL, ""},
	{"cgroup v1 to 1.31", 30, 31, "containerd://2.1.0", "5.15.0-91-generic",
	 "v1", NULL, NULL, "cgroup-v1-maintenance"},
	{"cgroup v1 to 1.34", 33, 34, "containerd://2.1.0", "5.15.0-91-generic",
	 "v1", NULL, NULL, ""},
	{"cgroup v1 to 1.35", 34, 35, "containerd://2.1.0", "5.15.0-91-generic",
	 "v1", NULL, NULL, "cgroup-v1-refused"},
	{"cgroup v2 to 1.35", 34, 35, "containerd://2.1.0", "5.15.0-91-generic",
	 "v2", NULL, NULL, ""},
	/* Kernels: 4.19+ (error) for 1.32-1.33, a list (warning) from 1.34. */
	{"kernel 4.18 to 1.31", 30, 31, "containerd://2.1.0", "4.18.0-553.el8",
	 NULL, NULL, NULL, ""},
	{"kernel 4.18 to 1.32", 31, 32, "containerd://2.1.0", "4.18.0-553.el8",
	 NULL, NULL, NULL, "kernel-too-old"},
	{"kernel 4.19 to 1.32", 31, 32, "containerd://2.1.0", "4.19.0-27-amd64",
	 NULL, NULL, NULL, ""},
	{"kernel 4.18 to 1.34", 33, 34, "containerd://2.1.0", "4.18.0-553.el8",
	 NULL, NULL, NULL, "kernel-not-validated"},
	{"kernel 5.4 to 1.34", 33, 34, "containerd://2.1.0", "5.4.0-200-generic",
	 NULL, NULL, NULL, ""},
	{"kernel 5.8 to 1.34", 33, 34, "containerd://2.1.0", "5.8.0-63-generic",
	 NULL, NULL, NULL, "kernel-not-validated"},
	{"kernel 6.1 to 1.34", 33, 34, "containerd://2.1.0", "6.1.0-26-amd64",
	 NULL, NULL, NULL, ""},
	/* Swap: UnlimitedSwap, and LimitedSwap on cgroup v1, from 1.30. */
	{"UnlimitedSwap to 1.29", 28, 29, "containerd://1.7.11",
	 "5.15.0-91-generic", "v2", "unix:///run/containerd/containerd.sock",
	 "UnlimitedSwap", ""},
	{"UnlimitedSwap to 1.30", 29, 30, "containerd://1.7.13",
	 "5.15.0-91-generic", "v2", "unix:///run/containerd/containerd.sock",
	 "UnlimitedSwap", "swap-config-unsupported"},
	{"LimitedSwap on v1 to 1.30", 29, 30, "containerd://1.7.13",
	 "5.15.0-91-generic", "v1", "unix:///run/containerd/containerd.sock",
	 "LimitedSwap", "swap-config-unsupported"},
	{"LimitedSwap on v2 to 1.30", 29, 30, "containerd://1.7.13",
	 "5.15.0-91-generic", "v2", "unix:///run/containerd/containerd.sock",
	 "LimitedSwap", ""},
};

static int
id_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The rule ids of f, sorted and joined by spaces, into out. */
static const char *
ids(const struct findings *fs, char *out, size_t size)
{
	const char *v[32];
	size_t i, n = fs->n < 32 ? fs->n : 32, len = 0;

	for (i = 0; i < n; i++)
		v[i] = fs->v[i].rule->id;
	qsort(v, n, sizeof(*v), id_cmp);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					i ? " " : "", v[i]);
	return out;
}

/* Builds node w of c (and its configz and node facts) into f->cs. */
static const struct node *
make_node(struct fx *f, const struct ncase *c)
{
	struct node *n;
	const char *err, *ver = arena_printf(&f->a, "v1.%u.3", c->from);

	f->cs.nodes.n = f->cs.kubelet_configs.n = f->cs.node_facts.n = 0;
	n = vec_push(&f->cs.nodes);
	assert_non_null(n);
	memset(n, 0, sizeof(*n));
	n->name = "worker-1";
	n->status = "Ready";
	n->ready = TRI_TRUE;
	n->container_runtime = c->runtime;
	n->kernel_version = c->kernel;
	n->operating_system = "linux";
	n->loc = (struct src_loc){"nodes.yaml", 7, 11};
	assert_int_equal(kver_parse(&f->a, ver, strlen(ver), &n->kubelet, &err),
			 0);
	if (c->cgroup) {
		struct node_facts *nf = vec_push(&f->cs.node_facts);

		assert_non_null(nf);
		memset(nf, 0, sizeof(*nf));
		nf->node = "worker-1";
		nf->cgroup = !strcmp(c->cgroup, "v1") ? CGROUP_V1 : CGROUP_V2;
		nf->cgroup_loc = (struct src_loc){"node-facts.txt", 1, 10};
		nf->runtime_cgroup_driver = "systemd";
		nf->swap = TRI_UNKNOWN;
	}
	if (c->endpoint) {
		struct kubelet_config *k = vec_push(&f->cs.kubelet_configs);

		assert_non_null(k);
		memset(k, 0, sizeof(*k));
		k->node = "worker-1";
		k->cgroup_driver = "systemd";
		k->runtime_endpoint = c->endpoint;
		k->swap_behavior = c->swap_behavior;
		k->fail_swap_on = c->swap_behavior ? TRI_FALSE : TRI_TRUE;
		k->fail_cgroup_v1 = TRI_FALSE;
		k->loc = (struct src_loc){"configz-worker-1.json", 2, 18};
	}
	return n;
}

static void
node_rules_hold_at_their_boundary_minors(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct ncase *c = &cases[i];
		const struct node *n = make_node(f, c);
		struct findings fs = {0};
		char got[512];

		print_message("%s\n", c->what);
		assert_int_equal(rules_node_findings(&f->db, &f->cs, n, c->from,
						     c->to, &f->d, &fs),
				 0);
		assert_string_equal(ids(&fs, got, sizeof(got)), c->want);
		rules_findings_release(&fs);
	}
}

static void
a_finding_names_the_node_the_version_and_its_evidence(void **state)
{
	struct fx *f = *state;
	const struct node *n = make_node(f, &cases[4]);
	struct findings fs = {0};
	size_t i;

	assert_int_equal(rules_node_findings(&f->db, &f->cs, n, 25, 26, &f->d,
					     &fs),
			 0);
	rules_findings_sort(&fs);
	assert_int_equal(fs.n, 2);
	assert_string_equal(fs.v[0].rule->id, "runtime-cri-too-old");
	assert_int_equal(fs.v[0].severity, SEV_ERROR);
	assert_string_equal(fs.v[0].subject, "worker-1");
	assert_string_equal(fs.v[0].message,
			    "'worker-1' runs containerd://1.5.18; a kubelet of "
			    "1.26 or later needs 1.6.0 or later (target 1.26)");
	assert_int_equal(fs.v[0].nevidence, 1);
	assert_string_equal(fs.v[0].evidence[0].path, "nodes.yaml");
	assert_int_equal(fs.v[0].evidence[0].line, 7);
	assert_string_equal(fs.v[1].message,
			    "'worker-1' runs containerd://1.5.18; for Kubernetes "
			    "1.26 its project lists containerd 1.7.0, 1.6.15 "
			    "or later (target 1.26)");
	for (i = 0; i < fs.n; i++)
		assert_false(fs.v[i].suppressed);
	rules_findings_release(&fs);
}

/* The ids of the rules an audit's input-missing findings skipped. */
static const char *
audit_missing(struct fx *f, unsigned target, char *out, size_t size)
{
	struct rules_eval_options opt = {-1, target};
	struct findings fs = {0};
	size_t i, j, len = 0;

	assert_int_equal(rules_evaluate(&f->db, &f->cs, 0, &opt, &f->d, &fs), 0);
	out[0] = '\0';
	for (i = 0; i < fs.n; i++) {
		if (strcmp(fs.v[i].rule->id, "input-missing"))
			continue;
		for (j = 0; j < fs.v[i].nskipped_rules; j++) {
			const char *id = fs.v[i].skipped_rules[j];

			if (strncmp(id, "runtime-", 8) && strncmp(id, "cgroup-", 7) &&
			    strncmp(id, "kernel-", 7) && strncmp(id, "swap-", 5))
				continue;
			len += (size_t)snprintf(out + len, size - len, "%s%s",
						len ? " " : "", id);
		}
	}
	rules_findings_release(&fs);
	return out;
}

static void
an_audit_crossing_a_limit_without_its_fact_reports_input_missing(void **state)
{
	static const struct ncase bare = {"plain get nodes", 25, 0, NULL, NULL,
					  NULL, NULL, NULL, NULL};
	struct fx *f = *state;
	char got[512];

	make_node(f, &bare);
	/* 1.25 -> 1.26 crosses CRI v1: the runtime must be known. */
	assert_string_equal(audit_missing(f, 26, got, sizeof(got)),
			    "runtime-cri-too-old");
	/* 1.25 -> 1.25: nothing crossed, nothing asked for. */
	assert_string_equal(audit_missing(f, 25, got, sizeof(got)), "");
	/* 1.25 -> 1.35: every limit is crossed. */
	assert_string_equal(audit_missing(f, 35, got, sizeof(got)),
			    "runtime-cri-too-old cgroup-v1-maintenance "
			    "cgroup-v1-refused swap-config-unsupported "
			    "kernel-too-old kernel-not-validated");
}

/* ------------------------------------------------------------ ingest */

static const char *
write_tmp(struct fx *f, const char *name, const char *text)
{
	size_t n = strlen(text);
	FILE *fp;

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_nodes_prereq.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->tmp, sizeof(f->tmp), "%s/%s", f->dir, name);
	fp = fopen(f->tmp, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, n, fp), n);
	fclose(fp);
	return f->tmp;
}

static const char *
last_diag(struct fx *f, char *out, size_t size)
{
	size_t n;

	fflush(f->d.out);
	rewind(f->d.out);
	n = fread(out, 1, size - 1, f->d.out);
	out[n] = '\0';
	return out;
}

static void
configz_is_read_with_the_node_of_its_command(void **state)
{
	struct fx *f = *state;
	const char *p = write_tmp(
		f, "kubelet.json",
		"$ kubectl get --raw /api/v1/nodes/cp-1/proxy/configz\n"
		"{\"kubeletconfig\":{\"enableServer\":true,\"cgroupDriver\":"
		"\"systemd\",\"failSwapOn\":false,\"memorySwap\":{\"swapBehavior\":"
		"\"LimitedSwap\"},\"containerRuntimeEndpoint\":\"unix:///var/run/"
		"containerd/containerd.sock\",\"failCgroupV1\":true,"
		"\"evictionHard\":{\"memory.available\":\"100Mi\"}}}\n");
	const struct kubelet_config *k;

	assert_int_equal(ingest_file(&f->cs, &f->d, p, KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.inputs.v[0].kind, KIND_CONFIGZ);
	assert_non_null(k = model_kubelet_config(&f->cs, "cp-1"));
	assert_string_equal(k->cgroup_driver, "systemd");
	assert_int_equal(k->fail_swap_on, TRI_FALSE);
	assert_int_equal(k->fail_cgroup_v1, TRI_TRUE);
	assert_string_equal(k->swap_behavior, "LimitedSwap");
	assert_string_equal(k->runtime_endpoint,
			    "unix:///var/run/containerd/containerd.sock");
	assert_int_equal(k->loc.line, 2);
	assert_int_equal(k->loc.col, 18);
}

static void
configz_without_a_command_takes_the_node_from_its_file_name(void **state)
{
	struct fx *f = *state;
	const char *p = write_tmp(f, "configz-worker-7.json",
				  "{\"kubeletconfig\":{\"cgroupDriver\":"
				  "\"cgroupfs\"}}\n");
	const struct kubelet_config *k;

	assert_int_equal(ingest_file(&f->cs, &f->d, p, KIND_UNKNOWN, false), 0);
	assert_non_null(k = model_kubelet_config(&f->cs, "worker-7"));
	assert_string_equal(k->cgroup_driver, "cgroupfs");
	assert_int_equal(k->fail_swap_on, TRI_UNKNOWN);
}

static void
configz_of_no_known_node_is_an_error(void **state)
{
	struct fx *f = *state;
	const char *p = write_tmp(f, "kubelet.json",
				  "{\"kubeletconfig\":{\"failSwapOn\":true}}\n");
	char out[1024];

	assert_int_equal(ingest_file(&f->cs, &f->d, p, KIND_UNKNOWN, false), -1);
	assert_int_equal(f->cs.kubelet_configs.n, 0);
	assert_non_null(strstr(last_diag(f, out, sizeof(out)),
			       "kubelet.json:1:18: error: cannot tell which "
			       "node this kubelet configuration is of"));
}

static void
node_facts_lines_give_cgroup_driver_and_swap(void **state)
{
	struct fx *f = *state;
	const char *p = write_tmp(
		f, "facts.txt",
		"# skewplan node-facts\n"
		"cp-1 cgroup=cgroup2fs runtime-cgroup-driver=systemd swap=off\n"
		"worker-1 cgroup=tmpfs\n"
		"worker-1 swap=on   # swapon printed /swap.img\n");
	const struct node_facts *nf;

	assert_int_equal(ingest_file(&f->cs, &f->d, p, KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.inputs.v[0].kind, KIND_NODE_FACTS);
	assert_int_equal(f->cs.node_facts.n, 2);
	nf = model_node_facts(&f->cs, "cp-1");
	assert_int_equal(nf->cgroup, CGROUP_V2);
	assert_string_equal(nf->runtime_cgroup_driver, "systemd");
	assert_int_equal(nf->swap, TRI_FALSE);
	nf = model_node_facts(&f->cs, "worker-1");
	assert_int_equal(nf->cgroup, CGROUP_V1);
	assert_int_equal(nf->cgroup_loc.line, 3);
	assert_int_equal(nf->cgroup_loc.col, 10);
	assert_null(nf->runtime_cgroup_driver);
	assert_int_equal(nf->swap, TRI_TRUE);
	assert_int_equal(nf->swap_loc.line, 4);
}

static void
an_unknown_node_fact_is_an_error_at_its_column(void **state)
{
	struct fx *f = *state;
	const char *p = write_tmp(f, "facts.txt",
				  "cp-1 cgroup=v2\n"
				  "worker-1 cgroup=v2 cgroups=v1\n");
	char out[1024];

	assert_int_equal(ingest_file(&f->cs, &f->d, p, KIND_NODE_FACTS, false),
			 -1);
	assert_non_null(strstr(last_diag(f, out, sizeof(out)),
			       "facts.txt:2:20: error: unknown node fact "
			       "'cgroups' (want cgroup, runtime-cgroup-driver "
			       "or swap)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(node_data_matches_its_sources,
						setup, teardown),
		cmocka_unit_test(
			runtime_versions_are_parsed_as_the_kubelet_reports_them),
		cmocka_unit_test_setup_teardown(
			node_rules_hold_at_their_boundary_minors, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			a_finding_names_the_node_the_version_and_its_evidence,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			an_audit_crossing_a_limit_without_its_fact_reports_input_missing,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			configz_is_read_with_the_node_of_its_command, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			configz_without_a_command_takes_the_node_from_its_file_name,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			configz_of_no_known_node_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
			node_facts_lines_give_cgroup_driver_and_swap, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			an_unknown_node_fact_is_an_error_at_its_column, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
