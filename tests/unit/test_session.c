/*
 * test_session.c - a file of several commands (ingest/session.c): a
 * terminal log or a Markdown walkthrough is read command by command; the
 * state is the one the session ends in, at the file's own lines and
 * columns; outputs a later one supersedes and outputs of commands skewplan
 * does not read are skipped records (errors under --strict); a file of one
 * kind is read whole, as before.
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
assert_skipped(const struct skipped *sk, uint32_t line, const char *text,
	       const char *reason)
{
	assert_loc(sk->loc, line, 1);
	assert_string_equal(sk->text, text);
	assert_string_equal(sk->reason, reason);
}

static void
markdown_walkthrough_ends_in_its_last_state(void **state)
{
	struct run r;
	const struct skipped *sk;

	(void)state;
	run_file(&r, "fixtures/session/walkthrough.md", false);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	/* The server the yq line after the upgrade names; the client of the
	 * first `kubectl version`, which nothing later gives. */
	assert_string_equal(r.cs.server.ver.text, "v1.27.4");
	assert_loc(r.cs.server.loc, 44, 1);
	assert_string_equal(r.cs.client.ver.text, "v1.27.4");
	assert_loc(r.cs.client.loc, 7, 17);
	assert_string_equal(r.cs.kustomize, "v5.0.1");
	/* The last node table. */
	assert_int_equal(r.cs.nodes.n, 2);
	assert_string_equal(r.cs.nodes.v[0].name, "lab-cp");
	assert_string_equal(r.cs.nodes.v[0].kubelet.text, "v1.27.4");
	assert_loc(r.cs.nodes.v[0].loc, 47, 1);
	assert_string_equal(r.cs.nodes.v[1].kubelet.text, "v1.26.7");
	assert_int_equal(r.cs.packages.n, 2);
	assert_loc(r.cs.packages.v[0].loc, 20, 14);
	assert_int_equal(r.cs.inputs.n, 4);
	assert_int_equal(r.cs.skipped.n, 5);
	sk = r.cs.skipped.v;
	assert_skipped(&sk[0], 6, "kubectl version",
		       "its server version superseded by line 43");
	assert_skipped(&sk[1], 12,
		       "kubectl version -o yaml | yq .serverVersion.gitVersion",
		       "superseded by line 43");
	assert_skipped(&sk[2], 22, "helm version --short",
		       "output of a command skewplan does not read");
	assert_skipped(&sk[3], 29, "kubectl get no", "superseded by line 45");
	assert_skipped(&sk[4], 41, "kubelet --version",
		       "output of a command skewplan does not read");
	run_release(&r);
}

static void
terminal_log_is_split_at_prompts(void **state)
{
	struct run r;

	(void)state;
	run_file(&r, "fixtures/session/terminal.log", false);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_string_equal(r.cs.server.ver.text, "v1.28.4");
	assert_loc(r.cs.server.loc, 16, 17);
	assert_int_equal(r.cs.nodes.n, 2);
	assert_loc(r.cs.nodes.v[0].loc, 6, 1);
	/* The second madison listing: the first is superseded. */
	assert_int_equal(r.cs.packages.n, 2);
	assert_string_equal(r.cs.packages.v[0].version, "1.29.1-1.1");
	assert_loc(r.cs.packages.v[0].loc, 11, 14);
	/* `script` banners and `exit` are nothing; `uname -r` is skipped. */
	assert_int_equal(r.cs.skipped.n, 2);
	assert_skipped(&r.cs.skipped.v[0], 2, "uname -r",
		       "output of a command skewplan does not read");
	assert_skipped(&r.cs.skipped.v[1], 8, "apt-cache madison kubelet",
		       "superseded by line 10");
	run_release(&r);
}

static void
strict_refuses_what_a_session_skips(void **state)
{
	struct run r;

	(void)state;
	run_file(&r, "fixtures/session/walkthrough.md", true);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.cs.skipped.n, 0);
	assert_non_null(strstr(r.err, "fixtures/session/walkthrough.md:22:1: "
				      "error: output of a command skewplan "
				      "does not read"));
	assert_non_null(strstr(r.err, "fixtures/session/walkthrough.md:29:1: "
				      "error: superseded by line 45"));
	run_release(&r);
}

static void
one_kind_is_read_whole_as_before(void **state)
{
	struct run r;

	(void)state;
	/* Two `kubectl get nodes`: the nodes parser takes the last table. */
	run_file(&r, "fixtures/nodes/watch.txt", true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.cs.skipped.n, 0);
	assert_int_equal(r.cs.inputs.n, 1);
	assert_int_equal(r.cs.nodes.n, 2);
	assert_loc(r.cs.nodes.v[0].loc, 7, 1);
	run_release(&r);
	/* Two madison listings of kubeadm merge. */
	run_file(&r, "fixtures/packages/madison-duplicate.txt", true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.cs.skipped.n, 0);
	assert_int_equal(r.cs.packages.n, 2);
	run_release(&r);
}

static void
commands_say_what_their_output_is(void **state)
{
	struct run r;
	const struct skipped *sk;
	size_t i, manifest = 0, metric = 0, audit = 0;

	(void)state;
	run_file(&r, "fixtures/session/commands.log", false);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	/* helm template and helm get manifest: manifests, not images. */
	assert_int_equal(r.cs.inputs.n, 6);
	assert_int_equal(r.cs.inputs.v[1].kind, KIND_MANIFESTS);
	assert_int_equal(r.cs.inputs.v[2].kind, KIND_MANIFESTS);
	assert_int_equal(r.cs.inputs.v[3].kind, KIND_METRICS);
	assert_int_equal(r.cs.inputs.v[4].kind, KIND_AUDIT_LOG);
	assert_int_equal(r.cs.images.n, 0);
	for (i = 0; i < r.cs.api_uses.n; i++) {
		const struct api_use *u = &r.cs.api_uses.v[i];

		if (u->evidence == APIEV_MANIFEST)
			manifest++;
		else if (u->evidence == APIEV_METRIC)
			metric++;
		else if (u->evidence == APIEV_AUDIT)
			audit++;
	}
	assert_int_equal(manifest, 3);
	assert_int_equal(metric, 1);
	assert_int_equal(audit, 1);
	/* The last server version; the first output's client. */
	assert_string_equal(r.cs.server.ver.text, "v1.28.3");
	assert_loc(r.cs.server.loc, 44, 1);
	assert_string_equal(r.cs.client.ver.text, "v1.29.2");
	/*
	 * The skew warning and the bad line of the superseded output are
	 * not the cluster's: they are told under its supersede record.
	 */
	assert_int_equal(r.cs.warnings.n, 0);
	assert_int_equal(r.cs.skipped.n, 3);
	sk = r.cs.skipped.v;
	assert_skipped(&sk[0], 1, "kubectl version",
		       "its server version superseded by line 43, and the 1 "
		       "warning printed with it");
	assert_loc(sk[1].loc, 5, 17);
	assert_string_equal(sk[1].text, "Server Version: 1.26.x");
	assert_string_equal(sk[1].reason,
			    "in an output superseded by line 43: invalid "
			    "version '1.26.x': not a Kubernetes version (want "
			    "vMAJOR.MINOR.PATCH)");
	assert_skipped(&sk[2], 40, "helm list -A",
		       "output of a command skewplan does not read");
	run_release(&r);
}

static void
describe_outputs_of_other_objects_are_all_read(void **state)
{
	struct run r;

	(void)state;
	run_file(&r, "fixtures/session/describe.log", false);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	/* Two describe node commands name two nodes: neither supersedes. */
	assert_int_equal(r.cs.inputs.n, 4);
	assert_int_equal(r.cs.nodes.n, 2);
	assert_loc(r.cs.nodes.v[0].loc, 2, 21);
	assert_loc(r.cs.nodes.v[1].loc, 64, 21);
	assert_int_equal(r.cs.images.n, 1);
	assert_loc(r.cs.images.v[0].loc, 112, 20);
	assert_int_equal(r.cs.skipped.n, 0);
	run_release(&r);
}

static void
in_a_session_the_later_capture_of_a_node_wins(void **state)
{
	struct run r;

	(void)state;
	run_file(&r, "fixtures/session/later-wins.log", false);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	/* The table, then describe after the upgrade: describe is cp-1. */
	assert_int_equal(r.cs.nodes.n, 2);
	assert_string_equal(r.cs.nodes.v[0].name, "cp-1");
	assert_string_equal(r.cs.nodes.v[0].kubelet.text, "v1.29.0");
	assert_loc(r.cs.nodes.v[0].loc, 8, 21);
	assert_string_equal(r.cs.nodes.v[0].kube_proxy, "v1.29.0");
	assert_string_equal(r.cs.nodes.v[1].kubelet.text, "v1.28.4");
	assert_int_equal(r.cs.skipped.n, 2);
	assert_skipped(&r.cs.skipped.v[0], 3, "cp-1",
		       "node 'cp-1' superseded by line 8: kubelet version "
		       "'v1.28.4' there, 'v1.29.0' later");
	assert_int_equal(r.cs.skipped.v[0].kept.line, 0);
	run_release(&r);
	/* Under --strict a superseded fact is an error, as every one is. */
	run_file(&r, "fixtures/session/later-wins.log", true);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.err, "later-wins.log:3:1: error: node 'cp-1' "
				      "superseded by line 8"));
	run_release(&r);
}

/*
 * A session of 1,000 commands: each output is read from its own lines,
 * starting at its line of the file, and every location is still the
 * file's (the last YAML node, the last version, an error past line 5,000).
 */
static void
write_long_session(const char *path, bool bad_last)
{
	FILE *f = fopen(path, "w");
	unsigned i;

	assert_non_null(f);
	for (i = 0; i < 1000; i++) {
		switch (i % 3) {
		case 0:
			fprintf(f, "$ kubectl version -o yaml\n"
				   "clientVersion:\n"
				   "  gitVersion: v1.28.%u\n"
				   "  major: \"1\"\n"
				   "  minor: \"28\"\n"
				   "serverVersion:\n"
				   "  gitVersion: v1.28.%u\n"
				   "  major: \"1\"\n"
				   "  minor: \"28\"\n",
				i % 16, i % 16);
			break;
		case 1:
			fprintf(f, "$ kubectl get node cp-1 -o yaml\n"
				   "apiVersion: v1\n"
				   "kind: Node\n"
				   "metadata:\n"
				   "  name: cp-1\n"
				   "status:\n"
				   "  nodeInfo:\n"
				   "    kubeletVersion: v1.28.%u\n",
				i % 16);
			if (bad_last && i == 997)
				fprintf(f, "  conditions: [\n");
			break;
		default:
			fprintf(f, "$ uname -a\n"
				   "Linux cp-1 6.1.0-13-amd64 x86_64 GNU/Linux\n");
			break;
		}
	}
	assert_int_equal(fclose(f), 0);
}

static void
long_session_keeps_the_files_lines(void **state)
{
	char path[] = "/tmp/test_session_XXXXXX";
	struct run r;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	/*
	 * Segment i starts at line 1 + 19 * (i / 3) + {0, 9, 17}[i % 3]:
	 * the last version (i = 999) at 6328, the last node (i = 997) at
	 * 6318, whose name is on its fifth line.
	 */
	write_long_session(path, false);
	run_file(&r, path, false);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_string_equal(r.cs.server.ver.text, "v1.28.7");
	assert_loc(r.cs.server.loc, 6334, 15);
	assert_string_equal(r.cs.client.ver.text, "v1.28.7");
	assert_loc(r.cs.client.loc, 6330, 15);
	assert_int_equal(r.cs.nodes.n, 1);
	assert_string_equal(r.cs.nodes.v[0].kubelet.text, "v1.28.5");
	assert_loc(r.cs.nodes.v[0].loc, 6322, 9);
	/* 333 outputs of uname; 333 versions and 332 nodes superseded. */
	assert_int_equal(r.cs.skipped.n, 998);
	assert_skipped(&r.cs.skipped.v[0], 1, "kubectl version -o yaml",
		       "superseded by line 6328");
	assert_skipped(&r.cs.skipped.v[997], 6326, "uname -a",
		       "output of a command skewplan does not read");
	run_release(&r);
	/* An unclosed '[' on line 6326: the error is where its output ends. */
	write_long_session(path, true);
	run_file(&r, path, false);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.err, ":6327:1: error: invalid YAML/JSON: "
				      "did not find expected node content"));
	run_release(&r);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(markdown_walkthrough_ends_in_its_last_state),
		cmocka_unit_test(terminal_log_is_split_at_prompts),
		cmocka_unit_test(strict_refuses_what_a_session_skips),
		cmocka_unit_test(one_kind_is_read_whole_as_before),
		cmocka_unit_test(long_session_keeps_the_files_lines),
		cmocka_unit_test(commands_say_what_their_output_is),
		cmocka_unit_test(describe_outputs_of_other_objects_are_all_read),
		cmocka_unit_test(in_a_session_the_later_capture_of_a_node_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
