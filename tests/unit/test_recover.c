/*
 * test_recover.c - the one recovery path of the parsers (ingest/recover.c):
 * by default a record that cannot be read is skipped with its location,
 * text and reason, and the rest of the file is read; under --strict it is
 * the located error it always was; a file that yields nothing fails in
 * both modes. Driven through ingest_file() on the bad fixtures.
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
	char err[4096];	/* everything printed on the diagnostic stream */
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
	/* Nothing stays held once a file is done. */
	assert_int_equal(r->d.held.n, 0);
	assert_false(r->d.holding);
}

static void
run_release(struct run *r)
{
	fclose(r->d.out);
	diag_release(&r->d);
	cluster_state_release(&r->cs);
	arena_release(&r->a);
}

static const struct skip_case {
	const char *path;
	size_t facts;		/* nodes, images, packages or versions read */
	size_t nskipped;
	const char *where;	/* the skipped record: path:line:col */
	const char *text;
	const char *reason;
} skip_cases[] = {
	{"fixtures/bad/nodes/unknown-status.txt", 1, 1,
	 "fixtures/bad/nodes/unknown-status.txt:4:12",
	 "worker-1   Redy     <none>          41d   v1.27.6",
	 "unknown node status 'Redy'"},
	{"fixtures/bad/nodes/reboot-name.txt", 1, 1,
	 "fixtures/bad/nodes/reboot-name.txt:3:1", NULL,
	 "invalid node name '$(reboot)'"},
	/* Ready, then NotReady: which is true is a guess, so neither. */
	{"fixtures/bad/nodes/duplicate-node.txt", 1, 2,
	 "fixtures/bad/nodes/duplicate-node.txt:4:1",
	 "worker-1   NotReady   <none>          41d   v1.27.6",
	 "duplicate node 'worker-1'"},
	{"fixtures/bad/images/garbage-line.txt", 2, 1,
	 "fixtures/bad/images/garbage-line.txt:3:1",
	 "!!! output truncated !!!",
	 "invalid image reference '!!!': invalid reference format"},
	{"fixtures/bad/packages/two-fields.txt", 1, 1,
	 "fixtures/bad/packages/two-fields.txt:3:4", "   kubelet |  1.26.3-00",
	 "madison row has 2 fields, expected 'package | version | "
	 "repository'"},
	{"fixtures/bad/version/garbage-line.txt", 1, 1,
	 "fixtures/bad/version/garbage-line.txt:3:25",
	 "Server Version: v1.28.3 (eks)",
	 "unexpected text '(eks)' after the version in 'Server Version'"},
};

static size_t
facts(const struct cluster_state *cs)
{
	return cs->nodes.n + cs->images.n + cs->packages.n +
	       cs->client.present + cs->server.present + cs->kubeadm.present;
}

static void
bad_records_are_skipped_and_the_rest_is_read(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(skip_cases) / sizeof(skip_cases[0]); i++) {
		const struct skip_case *c = &skip_cases[i];
		struct run r;
		const struct skipped *sk;
		const char *where;

		run_file(&r, c->path, false);
		assert_int_equal(r.rc, 0);
		assert_string_equal(r.err, "");
		assert_int_equal(facts(&r.cs), c->facts);
		assert_int_equal(r.cs.skipped.n, c->nskipped);
		sk = &r.cs.skipped.v[0];
		where = src_loc_str(&r.a, sk->loc);
		assert_non_null(where);
		assert_string_equal(where, c->where);
		if (c->text)
			assert_string_equal(sk->text, c->text);
		assert_string_equal(sk->reason, c->reason);
		run_release(&r);
	}
}

static void
strict_makes_each_skipped_record_the_error_it_was(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(skip_cases) / sizeof(skip_cases[0]); i++) {
		const struct skip_case *c = &skip_cases[i];
		struct run r;
		char want[512];

		run_file(&r, c->path, true);
		assert_int_equal(r.rc, -1);
		assert_int_equal(r.cs.skipped.n, 0);
		snprintf(want, sizeof(want), "%s: error: %s\n", c->where,
			 c->reason);
		assert_true(!strncmp(r.err, want, strlen(want)));
		run_release(&r);
	}
}

/* The images before a line's bad token are not kept: no half a record. */
static void
a_skipped_line_keeps_none_of_its_images(void **state)
{
	struct run r;
	size_t i;

	(void)state;
	run_file(&r, "fixtures/bad/images/garbage-line.txt", false);
	assert_int_equal(r.rc, 0);
	for (i = 0; i < r.cs.images.n; i++)
		assert_int_not_equal(r.cs.images.v[i].loc.line, 3);
	run_release(&r);
}

static void
a_file_with_no_fact_fails_in_both_modes_with_its_reasons(void **state)
{
	static const char *const paths[] = {
		"fixtures/bad/version/gitversion-no-patch.yaml",
		"fixtures/bad/images/empty-image.yaml",
		"fixtures/bad/packages/not-found.txt",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct run r, s;

		run_file(&r, paths[i], false);
		run_file(&s, paths[i], true);
		assert_int_equal(r.rc, -1);
		assert_int_equal(s.rc, -1);
		assert_int_equal(r.cs.skipped.n, 0);
		assert_true(r.d.errors > 0);
		/* The strict errors come first, then the file's own. */
		assert_true(!strncmp(r.err, s.err, strlen(s.err)));
		run_release(&s);
		run_release(&r);
	}
}

/*
 * A Minor field that disagrees with gitVersion: gitVersion is used, as in
 * kubectl's own skew warning, and the field is kept for the finding.
 */
static void
gitversion_wins_over_a_disagreeing_minor(void **state)
{
	struct run r;

	(void)state;
	run_file(&r, "fixtures/bad/version/minor-disagrees.txt", false);
	assert_int_equal(r.rc, 0);
	assert_true(r.cs.server.present);
	assert_string_equal(r.cs.server.ver.text, "v1.26.3");
	assert_int_equal(r.cs.server.ver.minor, 26);
	assert_string_equal(r.cs.server.minor_disagrees, "27");
	assert_int_equal(r.cs.server.minor_loc.line, 3);
	assert_null(r.cs.client.minor_disagrees);
	assert_int_equal(r.cs.skipped.n, 0);
	run_release(&r);
	run_file(&r, "fixtures/bad/version/minor-disagrees.txt", true);
	assert_int_equal(r.rc, -1);
	assert_false(r.cs.server.present);
	run_release(&r);
}

/*
 * A development build and a server without the 'v' are recorded as seen,
 * not as versions the rules read.
 */
static void
versions_that_are_not_releases_are_recorded_not_used(void **state)
{
	struct run r;

	(void)state;
	run_file(&r, "fixtures/version/dev-build-client.txt", false);
	assert_int_equal(r.rc, 0);
	assert_false(r.cs.client.present);
	assert_string_equal(r.cs.client.ver.text, "v0.0.0-master+$Format:%H$");
	assert_string_equal(r.cs.client.not_release,
			    "a development build (no release tag)");
	assert_int_equal(r.cs.client.loc.line, 2);
	assert_int_equal(r.cs.client.loc.col, 61);
	assert_true(r.cs.server.present);
	assert_null(r.cs.server.not_release);
	assert_string_equal(r.cs.server.ver.text, "v1.29.6");
	assert_int_equal(r.cs.skipped.n, 0);
	run_release(&r);
	run_file(&r, "fixtures/version/server-without-v.json", false);
	assert_int_equal(r.rc, 0);
	assert_true(r.cs.client.present);
	assert_false(r.cs.server.present);
	assert_string_equal(r.cs.server.ver.text, "1.30.0");
	assert_int_equal(r.cs.server.ver.minor, 30);
	assert_non_null(r.cs.server.not_release);
	assert_int_equal(r.cs.server.loc.line, 16);
	run_release(&r);
}

/* An elision is content left out: each is a skipped record at its line. */
static void
elisions_are_skipped_records_and_notes_are_cut(void **state)
{
	static const struct {
		const char *path;
		size_t facts;
		unsigned lines[2];	/* of the two elisions */
		const char *text[2];
	} cases[] = {
		{"fixtures/pastes/nodes-elided.txt", 3, {5, 7}, {"...", "[...]"}},
		{"fixtures/pastes/madison-snipped.txt", 3, {4, 6},
		 {"<snip>", "\u2026"}},
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;

		run_file(&r, cases[i].path, false);
		assert_int_equal(r.rc, 0);
		assert_int_equal(facts(&r.cs), cases[i].facts);
		assert_int_equal(r.cs.skipped.n, 2);
		for (k = 0; k < 2; k++) {
			assert_int_equal(r.cs.skipped.v[k].loc.line,
					 cases[i].lines[k]);
			assert_int_equal(r.cs.skipped.v[k].loc.col, 1);
			assert_string_equal(r.cs.skipped.v[k].text,
					    cases[i].text[k]);
		}
		run_release(&r);
		run_file(&r, cases[i].path, true);
		assert_int_equal(r.rc, -1);
		run_release(&r);
	}
}

/*
 * In YAML and JSON too: an elision line is blanked and is a skipped
 * record at its own line; a "<---- note" after a value is cut; the
 * documents are read around them (under --strict, refused).
 */
static void
elisions_inside_documents_are_skipped_records(void **state)
{
	static const struct {
		const char *path;
		size_t facts;
		size_t nskipped;
		unsigned line, col;	/* of the first elision */
		const char *text;
	} cases[] = {
		{"fixtures/elided/nodes.yaml", 2, 3, 15, 7, "..."},
		{"fixtures/elided/pods.json", 2, 2, 21, 9, "{...},"},
		{"fixtures/elided/version.yaml", 2, 1, 6, 1, "  ..."},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;

		run_file(&r, cases[i].path, false);
		if (r.rc != 0)
			fail_msg("%s: %s", cases[i].path, r.err);
		assert_int_equal(facts(&r.cs), cases[i].facts);
		assert_int_equal(r.cs.skipped.n, cases[i].nskipped);
		assert_int_equal(r.cs.skipped.v[0].loc.line, cases[i].line);
		assert_int_equal(r.cs.skipped.v[0].loc.col, cases[i].col);
		assert_string_equal(r.cs.skipped.v[0].text, cases[i].text);
		assert_string_equal(r.cs.skipped.v[0].reason,
				    "the paste leaves content out here: what "
				    "it held is not in this run");
		run_release(&r);
		run_file(&r, cases[i].path, true);
		assert_int_equal(r.rc, -1);
		assert_int_equal(r.cs.skipped.n, 0);
		run_release(&r);
	}
	/* The note after the value is not part of it. */
	{
		struct run r;

		run_file(&r, "fixtures/elided/nodes.yaml", false);
		assert_string_equal(r.cs.nodes.v[0].kubelet.text, "v1.28.4");
		run_release(&r);
		run_file(&r, "fixtures/elided/pods.json", false);
		assert_string_equal(r.cs.images.v[1].ref->image,
				    "registry.k8s.io/kube-proxy:v1.28.4");
		run_release(&r);
	}
}

/* "<---- note" and "# note" after a row: the values before them stay. */
static void
notes_after_values_are_not_read_as_values(void **state)
{
	struct run r;
	size_t i;

	(void)state;
	run_file(&r, "fixtures/pastes/nodes-elided.txt", false);
	for (i = 0; i < r.cs.nodes.n; i++) {
		const struct node *n = &r.cs.nodes.v[i];

		assert_string_equal(n->container_runtime,
				    "containerd://1.7.13");
		if (!strcmp(n->name, "worker-7"))
			assert_string_equal(n->kubelet.text, "v1.27.13");
	}
	run_release(&r);
	run_file(&r, "fixtures/pastes/madison-snipped.txt", false);
	assert_string_equal(r.cs.packages.v[0].version, "1.29.6-1.1");
	assert_int_equal(r.cs.packages.v[0].repo_minor, 29);
	run_release(&r);
}

/* klog lines of kubectl -v=8 around the output are not content. */
static void
verbose_kubectl_lines_around_the_output_are_noise(void **state)
{
	struct run r;

	(void)state;
	run_file(&r, "fixtures/pastes/version-verbose.txt", true);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.cs.client.ver.text, "v1.28.10");
	assert_int_equal(r.cs.client.loc.line, 8);
	assert_string_equal(r.cs.server.ver.text, "v1.28.9");
	assert_int_equal(r.cs.server.loc.line, 10);
	assert_int_equal(r.cs.skipped.n, 0);
	run_release(&r);
}

/*
 * apt-cache policy whose version table was cut off (or is empty: the
 * repository is gone, "Candidate: (none)"): the Installed: version is a
 * row of its own, installed, with no repository.
 */
static void
policy_without_version_table_keeps_installed_version(void **state)
{
	struct run r;
	const struct package *k = NULL;
	size_t i, kubelet = 0;

	(void)state;
	run_file(&r, "fixtures/pastes/policy-installed-only.txt", true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.cs.packages.n, 3);
	for (i = 0; i < r.cs.packages.n; i++)
		if (!strcmp(r.cs.packages.v[i].name, "kubelet")) {
			k = &r.cs.packages.v[i];
			kubelet++;
		}
	assert_int_equal(kubelet, 1);
	assert_non_null(k);
	assert_string_equal(k->version, "1.28.9-1.1");
	assert_int_equal(k->installed, TRI_TRUE);
	assert_false(k->candidate);
	assert_null(k->repo);
	assert_int_equal(k->loc.line, 3);
	assert_int_equal(k->loc.col, 14);
	run_release(&r);
}

/*
 * Masked names: each row is a node of its own (two "****" rows are two
 * nodes, not a duplicate), flagged, its version and status still read.
 */
static void
masked_names_are_opaque_distinct_nodes(void **state)
{
	static const struct {
		const char *name;
		bool masked;
		const char *status, *kubelet;
		unsigned line;
	} want[] = {
		{"<control-plane-1>", true, "Ready", "v1.27.13", 2},
		{"****", true, "Ready", "v1.27.13", 3},
		{"****", true, "Ready,SchedulingDisabled", "v1.26.15", 4},
		{"worker-xxx", false, "NotReady", "v1.27.13", 5},
	};
	struct run r;
	size_t i;

	(void)state;
	run_file(&r, "fixtures/pastes/nodes-masked.txt", true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.cs.nodes.n, 4);
	for (i = 0; i < 4; i++) {
		const struct node *n = &r.cs.nodes.v[i];

		assert_string_equal(n->name, want[i].name);
		assert_int_equal(n->masked, want[i].masked);
		assert_string_equal(n->status, want[i].status);
		assert_string_equal(n->kubelet.text, want[i].kubelet);
		assert_int_equal(n->loc.line, want[i].line);
	}
	run_release(&r);
	run_file(&r, "fixtures/pastes/nodes-masked-x.txt", true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.cs.nodes.n, 2);
	assert_true(r.cs.nodes.v[0].masked);
	assert_true(r.cs.nodes.v[1].masked);
	run_release(&r);
}

/*
 * A legacy version.Info hard-wrapped over lines, once inside a value: the
 * lines are joined (directly inside quotes) and the locations stay the
 * file's.
 */
static void
wrapped_version_info_is_joined(void **state)
{
	struct run r;

	(void)state;
	run_file(&r, "fixtures/pastes/version-wrapped.txt", true);
	assert_int_equal(r.rc, 0);
	assert_true(r.cs.client.present);
	assert_string_equal(r.cs.client.ver.text, "v1.26.1");
	assert_string_equal(r.cs.client.platform, "linux/amd64");
	assert_int_equal(r.cs.client.loc.line, 2);
	assert_int_equal(r.cs.client.loc.col, 64);
	assert_true(r.cs.server.present);
	assert_string_equal(r.cs.server.ver.text, "v1.26.1");
	assert_string_equal(r.cs.server.platform, "linux/amd64");
	assert_int_equal(r.cs.server.loc.line, 6);
	assert_int_equal(r.cs.server.loc.col, 64);
	assert_string_equal(r.cs.kustomize, "v4.5.7");
	assert_int_equal(r.cs.skipped.n, 0);
	run_release(&r);
}

/*
 * A -o wide row wrapped by a terminal: the indented rest on the next line
 * completes it; OS-IMAGE keeps its spaces, the row its location.
 */
static void
wrapped_table_row_is_joined(void **state)
{
	struct run r;
	const struct node *n;

	(void)state;
	run_file(&r, "fixtures/pastes/nodes-wrapped-row.txt", true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.cs.nodes.n, 3);
	n = &r.cs.nodes.v[1];
	assert_string_equal(n->name, "worker-1");
	assert_string_equal(n->os_image, "Ubuntu 22.04.4 LTS");
	assert_string_equal(n->container_runtime, "containerd://1.7.13");
	assert_string_equal(n->internal_ip, "10.0.1.11");
	assert_int_equal(n->loc.line, 3);
	assert_int_equal(n->loc.col, 1);
	assert_string_equal(r.cs.nodes.v[2].name, "worker-2");
	assert_int_equal(r.cs.nodes.v[2].loc.line, 5);
	assert_int_equal(r.cs.skipped.n, 0);
	run_release(&r);
}

static void
held_messages_print_only_when_replayed(void **state)
{
	struct diag d;
	char buf[256];
	size_t n;

	(void)state;
	diag_init(&d);
	d.out = tmpfile();
	assert_non_null(d.out);
	diag_hold(&d);
	diag_error(&d, (struct src_loc){"f", 2, 3}, "bad '%s'", "x");
	diag_note(&d, (struct src_loc){"f", 1, 0}, "here");
	diag_unhold(&d);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.held.n, 2);
	assert_int_equal(ftell(d.out), 0);
	diag_replay(&d, 0);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.held.n, 0);
	rewind(d.out);
	n = fread(buf, 1, sizeof(buf) - 1, d.out);
	buf[n] = '\0';
	assert_string_equal(buf, "f:2:3: error: bad 'x'\nf:1: note: here\n");
	diag_hold(&d);
	diag_warning(&d, (struct src_loc){"f", 1, 1}, "dropped");
	diag_drop(&d, 0);
	assert_int_equal(d.warnings, 0);
	assert_int_equal(d.held.n, 0);
	fclose(d.out);
	diag_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_records_are_skipped_and_the_rest_is_read),
		cmocka_unit_test(strict_makes_each_skipped_record_the_error_it_was),
		cmocka_unit_test(a_skipped_line_keeps_none_of_its_images),
		cmocka_unit_test(a_file_with_no_fact_fails_in_both_modes_with_its_reasons),
		cmocka_unit_test(gitversion_wins_over_a_disagreeing_minor),
		cmocka_unit_test(versions_that_are_not_releases_are_recorded_not_used),
		cmocka_unit_test(elisions_are_skipped_records_and_notes_are_cut),
		cmocka_unit_test(notes_after_values_are_not_read_as_values),
		cmocka_unit_test(verbose_kubectl_lines_around_the_output_are_noise),
		cmocka_unit_test(policy_without_version_table_keeps_installed_version),
		cmocka_unit_test(masked_names_are_opaque_distinct_nodes),
		cmocka_unit_test(wrapped_version_info_is_joined),
		cmocka_unit_test(wrapped_table_row_is_joined),
		cmocka_unit_test(held_messages_print_only_when_replayed),
		cmocka_unit_test(elisions_inside_documents_are_skipped_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
