/*
 * test_kubectl_version.c - kubectl and kubeadm version captures, through
 * the public ingest_file() (so sniffing is covered too) and through
 * ingest_version() with a hand-made sniff.
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

#define FIX "fixtures/version/"
#define BAD "fixtures/bad/version/"
#define REAL "fixtures/real/"

/* One run: an arena, an inventory and a diag writing to a temp file. */
struct run {
	struct arena a;
	struct cluster_state cs;
	struct diag d;
	char out[8192];
};

static void
run_init(struct run *r)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->a);
	cluster_state_init(&r->cs, &r->a);
	r->cs.strict = true; /* as under --strict */
	diag_init(&r->d);
	r->d.out = tmpfile();
	assert_non_null(r->d.out);
}

/* Everything diag printed so far. */
static const char *
run_output(struct run *r)
{
	size_t n;

	fflush(r->d.out);
	rewind(r->d.out);
	n = fread(r->out, 1, sizeof(r->out) - 1, r->d.out);
	r->out[n] = '\0';
	return r->out;
}

/* The first line diag printed. */
static const char *
run_first_line(struct run *r)
{
	char *nl;

	run_output(r);
	if ((nl = strchr(r->out, '\n')) != NULL)
		*nl = '\0';
	return r->out;
}

static void
run_release(struct run *r)
{
	fclose(r->d.out);
	cluster_state_release(&r->cs);
	arena_release(&r->a);
	diag_release(&r->d);
}

static int
run_file(struct run *r, const char *path)
{
	return ingest_file(&r->cs, &r->d, path, KIND_UNKNOWN, false);
}

/* ------------------------------------------------------------ tables */

struct want_ver {
	const char *git; /* NULL: the binary must be absent */
	const char *minor_raw;
	const char *platform;
	uint32_t line, col;
};

struct good_case {
	const char *path;
	const char *format;
	struct want_ver client, server, kubeadm;
	const char *kustomize;
	uint32_t kustomize_line, kustomize_col;
	const char *warnings; /* kinds in order: D(eprecation) S(kew) O(ther) */
};

static void
check_ver(const char *path, const char *what, const struct version_info *vi,
	  const struct want_ver *w)
{
	if (!w->git) {
		if (vi->present)
			fail_msg("%s: unexpected %s version '%s'", path, what,
				 vi->ver.text);
		return;
	}
	if (!vi->present)
		fail_msg("%s: no %s version", path, what);
	assert_string_equal(vi->ver.text, w->git);
	if (w->minor_raw)
		assert_string_equal(vi->minor_raw, w->minor_raw);
	else
		assert_null(vi->minor_raw);
	if (w->platform)
		assert_string_equal(vi->platform, w->platform);
	else
		assert_null(vi->platform);
	assert_string_equal(vi->loc.path, path);
	assert_int_equal(vi->loc.line, w->line);
	assert_int_equal(vi->loc.col, w->col);
}

static char
warning_letter(enum capture_warning_kind k)
{
	return k == CW_DEPRECATION ? 'D' : k == CW_SKEW ? 'S' : 'O';
}

static void
check_warnings(const struct cluster_state *cs, const char *want)
{
	char got[32];
	size_t i;

	for (i = 0; i < cs->warnings.n && i < sizeof(got) - 1; i++)
		got[i] = warning_letter(cs->warnings.v[i].kind);
	got[i] = '\0';
	assert_string_equal(got, want);
}

static const struct good_case good_cases[] = {
    /* kubectl get --raw /version: the apiserver's own document. */
    {FIX "raw-version.json",
     "json",
     {NULL, NULL, NULL, 0, 0},
     {"v1.27.3", "27", "linux/amd64", 5, 17},
     {NULL, NULL, NULL, 0, 0},
     NULL,
     0,
     0,
     ""},
    /* oc version: OpenShift's own versions are left out. */
    {FIX "oc-version.txt",
     "default",
     {NULL, NULL, NULL, 0, 0},
     {"v1.27.6+f67aeb3", NULL, NULL, 5, 21},
     {NULL, NULL, NULL, 0, 0},
     "v5.0.1",
     3,
     20,
     ""},
    {FIX "yaml-1.34-emulation.yaml",
     "yaml",
     {"v1.34.3", "34", "linux/amd64", 7, 15},
     {"v1.34.3", "34", "linux/amd64", 20, 15},
     {NULL, NULL, NULL, 0, 0},
     "v5.7.1",
     12,
     19,
     ""},
    {FIX "json-1.29.json",
     "json",
     {"v1.29.4", "29", "darwin/arm64", 6, 19},
     {"v1.28.9", "28", "linux/amd64", 18, 19},
     {NULL, NULL, NULL, 0, 0},
     "v5.0.4-0.20230601165947-6ce0bf390ce3",
     14,
     23,
     ""},
    {FIX "json-skew-warning.json",
     "json",
     {"v1.30.2", "30", "linux/amd64", 6, 19},
     {"v1.27.13", "27", "linux/amd64", 18, 19},
     {NULL, NULL, NULL, 0, 0},
     "v5.0.4-0.20230601165947-6ce0bf390ce3",
     14,
     23,
     "S"},
    {FIX "json-alpha-prerelease.json",
     "json",
     {"v1.31.0-alpha.3.170+4d1a9b5c6e7f80", "31+", "linux/amd64", 5, 19},
     {NULL, NULL, NULL, 0, 0},
     {NULL, NULL, NULL, 0, 0},
     "v5.4.2",
     13,
     23,
     ""},
    {FIX "default-1.28.txt",
     "default",
     {"v1.28.4", NULL, NULL, 2, 17},
     {"v1.28.3", NULL, NULL, 4, 17},
     {NULL, NULL, NULL, 0, 0},
     "v5.0.4-0.20230601165947-6ce0bf390ce3",
     3,
     20,
     ""},
    {FIX "short-deprecated-flag.txt",
     "short",
     {"v1.27.4", NULL, NULL, 3, 17},
     {"v1.27.3", NULL, NULL, 5, 17},
     {NULL, NULL, NULL, 0, 0},
     "v5.0.1",
     4,
     20,
     "D"},
    {FIX "legacy-warning-kustomize.txt",
     "legacy-version-info",
     {"v1.26.4", "26", "linux/amd64", 3, 64},
     {"v1.25.9", "25", "linux/amd64", 5, 64},
     {NULL, NULL, NULL, 0, 0},
     "v4.5.7",
     4,
     20,
     "D"},
    {FIX "client-only.txt",
     "default",
     {"v1.29.2", NULL, NULL, 2, 17},
     {NULL, NULL, NULL, 0, 0},
     {NULL, NULL, NULL, 0, 0},
     "v5.0.4-0.20230601165947-6ce0bf390ce3",
     3,
     20,
     "O"},
    {FIX "eks-legacy.txt",
     "legacy-version-info",
     {"v1.27.1", "27", "darwin/amd64", 3, 64},
     {"v1.27.3-eks-2d98532", "27+", "linux/amd64", 5, 65},
     {NULL, NULL, NULL, 0, 0},
     "v5.0.1",
     4,
     20,
     "D"},
    {FIX "gke-dispatcher.yaml",
     "yaml",
     {"v1.27.9-dispatcher", "27", "linux/amd64", 7, 15},
     {"v1.26.5-gke.1200", "26", "linux/amd64", 18, 15},
     {NULL, NULL, NULL, 0, 0},
     "v5.0.1",
     12,
     19,
     ""},
    {FIX "k3s-default.txt",
     "default",
     {"v1.30.4+k3s1", NULL, NULL, 2, 17},
     {"v1.30.4+k3s1", NULL, NULL, 4, 17},
     {NULL, NULL, NULL, 0, 0},
     "v5.0.4-0.20230601165947-6ce0bf390ce3",
     3,
     20,
     ""},
    {FIX "kubeadm-legacy.txt",
     "kubeadm-version-info",
     {NULL, NULL, NULL, 0, 0},
     {NULL, NULL, NULL, 0, 0},
     {"v1.26.3", "26", "linux/amd64", 2, 66},
     NULL,
     0,
     0,
     ""},
    {FIX "kubeadm-1.33-emulation.txt",
     "kubeadm-version-info",
     {NULL, NULL, NULL, 0, 0},
     {NULL, NULL, NULL, 0, 0},
     {"v1.33.2", "33", "linux/arm64", 2, 156},
     NULL,
     0,
     0,
     ""},
    {FIX "kubeadm-short.txt",
     "kubeadm-short",
     {NULL, NULL, NULL, 0, 0},
     {NULL, NULL, NULL, 0, 0},
     {"v1.29.6", NULL, NULL, 2, 1},
     NULL,
     0,
     0,
     ""},
    {FIX "kubeadm-yaml.yaml",
     "yaml",
     {NULL, NULL, NULL, 0, 0},
     {NULL, NULL, NULL, 0, 0},
     {"v1.30.2", "30", "linux/arm64", 7, 15},
     NULL,
     0,
     0,
     ""},
    {FIX "bare-yq-server.txt",
     "bare-version",
     {NULL, NULL, NULL, 0, 0},
     {"v1.26.1", NULL, NULL, 2, 1},
     {NULL, NULL, NULL, 0, 0},
     NULL,
     0,
     0,
     ""},
    {FIX "bare-jq-client.txt",
     "bare-version",
     {"v1.29.1", NULL, NULL, 2, 1},
     {NULL, NULL, NULL, 0, 0},
     {NULL, NULL, NULL, 0, 0},
     NULL,
     0,
     0,
     ""},
    {FIX "crlf-bom-ansi.txt",
     "legacy-version-info",
     {"v1.25.4", "25", "linux/amd64", 3, 81},
     {"v1.24.8", "24", "linux/amd64", 5, 81},
     {NULL, NULL, NULL, 0, 0},
     "v4.5.7",
     4,
     37,
     "D"},
};

/*
 * Captures of a client whose server could not be reached: --strict
 * refuses them (connection_refused_line_is_recorded_without_a_server), so
 * they are read in the default mode.
 */
static bool
is_unreachable_capture(const char *path)
{
	return !strcmp(path, FIX "client-only.txt") ||
	       !strcmp(path,
		       REAL "version-json-client-only-refused/version.json");
}

static void
check_good(const struct good_case *gc)
{
	struct run r;
	int rc;

	run_init(&r);
	r.cs.strict = !is_unreachable_capture(gc->path);
	rc = run_file(&r, gc->path);
	if (rc != 0)
		fail_msg("%s: %s", gc->path, run_output(&r));
	assert_int_equal(r.d.errors, 0);
	assert_int_equal(r.cs.inputs.n, 1);
	assert_int_equal(r.cs.inputs.v[0].kind, KIND_VERSION);
	assert_string_equal(r.cs.inputs.v[0].format, gc->format);
	check_ver(gc->path, "client", &r.cs.client, &gc->client);
	check_ver(gc->path, "server", &r.cs.server, &gc->server);
	check_ver(gc->path, "kubeadm", &r.cs.kubeadm, &gc->kubeadm);
	if (gc->kustomize) {
		assert_string_equal(r.cs.kustomize, gc->kustomize);
		assert_int_equal(r.cs.kustomize_loc.line, gc->kustomize_line);
		assert_int_equal(r.cs.kustomize_loc.col, gc->kustomize_col);
	} else {
		assert_null(r.cs.kustomize);
	}
	check_warnings(&r.cs, gc->warnings);
	run_release(&r);
}

static void
every_good_fixture_parses_with_exact_facts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good_cases); i++)
		check_good(&good_cases[i]);
}

/* ------------------------------------------------------- exact values */

static void
prerelease_and_build_metadata_are_kept(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	assert_int_equal(run_file(&r, FIX "json-alpha-prerelease.json"), 0);
	assert_int_equal(r.cs.client.ver.major, 1);
	assert_int_equal(r.cs.client.ver.minor, 31);
	assert_int_equal(r.cs.client.ver.patch, 0);
	assert_string_equal(r.cs.client.ver.pre, "alpha.3.170");
	assert_string_equal(r.cs.client.ver.build, "4d1a9b5c6e7f80");
	run_release(&r);
}

static void
eks_minor_plus_is_kept_raw_and_parsed(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	assert_int_equal(run_file(&r, FIX "eks-legacy.txt"), 0);
	assert_int_equal(r.cs.server.ver.minor, 27);
	assert_int_equal(r.cs.server.ver.patch, 3);
	assert_string_equal(r.cs.server.ver.pre, "eks-2d98532");
	assert_null(r.cs.server.ver.build);
	run_release(&r);
}

static void
warning_text_and_location_are_recorded(void **state)
{
	struct run r;
	const struct capture_warning *w;

	(void)state;
	run_init(&r);
	assert_int_equal(run_file(&r, FIX "json-skew-warning.json"), 0);
	assert_int_equal(r.cs.warnings.n, 1);
	w = &r.cs.warnings.v[0];
	assert_int_equal(w->kind, CW_SKEW);
	assert_string_equal(w->text,
			    "WARNING: version difference between client "
			    "(1.30) and server (1.27) exceeds the supported "
			    "minor version skew of +/-1");
	assert_int_equal(w->loc.line, 27);
	assert_int_equal(w->loc.col, 1);
	run_release(&r);
}

static void
ansi_coloured_warning_points_past_the_escape(void **state)
{
	struct run r;
	const struct capture_warning *w;

	(void)state;
	run_init(&r);
	assert_int_equal(run_file(&r, FIX "crlf-bom-ansi.txt"), 0);
	assert_int_equal(r.cs.warnings.n, 1);
	w = &r.cs.warnings.v[0];
	assert_int_equal(w->kind, CW_DEPRECATION);
	assert_int_equal(w->loc.line, 2);
	assert_int_equal(w->loc.col, 12);
	assert_true(strncmp(w->text, "WARNING: This version", 21) == 0);
	run_release(&r);
}

static void
connection_refused_line_is_recorded_without_a_server(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	r.cs.strict = false;
	assert_int_equal(run_file(&r, FIX "client-only.txt"), 0);
	assert_false(r.cs.server.present);
	assert_int_equal(r.cs.warnings.n, 1);
	assert_int_equal(r.cs.warnings.v[0].kind, CW_OTHER);
	assert_int_equal(r.cs.warnings.v[0].loc.line, 4);
	assert_true(strncmp(r.cs.warnings.v[0].text,
			    "The connection to the server localhost:8080",
			    43) == 0);
	/* A note says why the server is missing; no error. */
	assert_string_equal(run_first_line(&r),
			    FIX "client-only.txt:4:1: note: the server could "
			    "not be reached: only the client version is read");
	assert_int_equal(r.d.errors, 0);
	run_release(&r);
	/* --strict refuses a capture without the server it was run for. */
	run_init(&r);
	r.cs.strict = true;
	assert_int_equal(run_file(&r, FIX "client-only.txt"), -1);
	assert_int_equal(r.cs.inputs.n, 0);
	assert_string_equal(run_first_line(&r),
			    FIX "client-only.txt:4:1: error: the server could "
			    "not be reached: the capture has no server version");
	run_release(&r);
}

/* ------------------------------------------------------------ forcing */

static void
forced_kubeadm_sends_a_bare_version_to_kubeadm(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	assert_int_equal(ingest_file(&r.cs, &r.d, BAD "bare-no-command.txt",
				     KIND_VERSION, true),
			 0);
	assert_true(r.cs.kubeadm.present);
	assert_string_equal(r.cs.kubeadm.ver.text, "v1.26.1");
	assert_false(r.cs.client.present);
	assert_false(r.cs.server.present);
	assert_string_equal(r.cs.inputs.v[0].format, "kubeadm-short");
	run_release(&r);
}

static void
forced_kubeadm_sends_client_version_yaml_to_kubeadm(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	assert_int_equal(ingest_file(&r.cs, &r.d,
				     FIX "json-alpha-prerelease.json",
				     KIND_VERSION, true),
			 0);
	assert_true(r.cs.kubeadm.present);
	assert_false(r.cs.client.present);
	run_release(&r);
}

/* Drives ingest_version() with a sniff made by hand. */
static int
run_version(struct run *r, const char *path, enum fmt fmt, bool kubeadm,
	    const char *command)
{
	struct sniff sn;
	struct ingest_ctx c;
	struct stream in;
	int rc;

	memset(&sn, 0, sizeof(sn));
	sn.kind = KIND_VERSION;
	sn.fmt = fmt;
	sn.kubeadm = kubeadm;
	snprintf(sn.command, sizeof(sn.command), "%s", command);
	memset(&c, 0, sizeof(c));
	c.cs = &r->cs;
	c.diag = &r->d;
	c.arena = &r->a;
	c.path = path;
	c.sniff = &sn;
	if (stream_open(&in, path, &r->d) < 0)
		return -1;
	c.in = &in;
	rc = ingest_version(&c);
	stream_close(&in);
	return rc;
}

static void
bare_version_goes_where_the_sniffed_command_says(void **state)
{
	static const struct {
		const char *command;
		char slot; /* c(lient) s(erver) k(ubeadm) */
	} cases[] = {
	    {"kubectl version -o json | jq -r .serverVersion.gitVersion", 's'},
	    {"k version -oyaml | yq .clientVersion.gitVersion", 'c'},
	    {"kubeadm version -o yaml | yq .clientVersion.gitVersion", 'k'},
	    {"sudo /usr/bin/kubeadm version -o short", 'k'},
	    {"kubectl get --raw /version | jq -r .gitVersion", 's'},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct run r;
		const struct version_info *want, *other1, *other2;

		run_init(&r);
		assert_int_equal(run_version(&r, BAD "bare-no-command.txt",
					     FMT_VERSION_TEXT, false,
					     cases[i].command),
				 0);
		want = cases[i].slot == 'c'   ? &r.cs.client
		       : cases[i].slot == 's' ? &r.cs.server
					      : &r.cs.kubeadm;
		other1 = cases[i].slot == 'c' ? &r.cs.server : &r.cs.client;
		other2 = cases[i].slot == 'k' ? &r.cs.server : &r.cs.kubeadm;
		assert_true(want->present);
		assert_string_equal(want->ver.text, "v1.26.1");
		assert_false(other1->present);
		assert_false(other2->present);
		run_release(&r);
	}
}

static void
yaml_sniffed_as_kubeadm_sends_client_version_to_kubeadm(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	assert_int_equal(run_version(&r, FIX "yaml-1.34-emulation.yaml",
				     FMT_VERSION_YAML, true, ""),
			 0);
	assert_string_equal(r.cs.kubeadm.ver.text, "v1.34.3");
	assert_false(r.cs.client.present);
	assert_string_equal(r.cs.server.ver.text, "v1.34.3");
	run_release(&r);
}

/* ------------------------------------------------------------ merging */

static void
same_version_from_two_files_is_accepted(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	assert_int_equal(run_file(&r, FIX "json-1.29.json"), 0);
	assert_int_equal(run_file(&r, FIX "json-1.29.json"), 0);
	assert_int_equal(r.d.errors, 0);
	assert_int_equal(r.cs.client.loc.line, 6);
	run_release(&r);
}

static void
differing_versions_of_one_binary_name_both_locations(void **state)
{
	struct run r;
	const char *out;

	(void)state;
	run_init(&r);
	r.d.no_source = true;
	assert_int_equal(run_file(&r, FIX "legacy-warning-kustomize.txt"), 0);
	assert_int_equal(run_file(&r, FIX "eks-legacy.txt"), -1);
	out = run_output(&r);
	assert_string_equal(
	    out,
	    FIX "eks-legacy.txt:3:64: error: kubectl version 'v1.27.1' "
		"differs from 'v1.26.4' read before\n" FIX
		"legacy-warning-kustomize.txt:3:64: note: kubectl version "
		"'v1.26.4' was read here\n" FIX
		"eks-legacy.txt:4:20: error: kustomize version 'v5.0.1' "
		"differs from 'v4.5.7' read before\n" FIX
		"legacy-warning-kustomize.txt:4:20: note: kustomize "
		"version 'v4.5.7' was read here\n" FIX
		"eks-legacy.txt:5:65: error: server version "
		"'v1.27.3-eks-2d98532' differs from 'v1.25.9' read before\n" FIX
		"legacy-warning-kustomize.txt:5:64: note: server version "
		"'v1.25.9' was read here\n");
	/* The first sighting stays. */
	assert_string_equal(r.cs.client.ver.text, "v1.26.4");
	run_release(&r);
}

/* ---------------------------------------------------------- bad input */

static const struct bad_case {
	const char *path;
	const char *first_line;
} bad_cases[] = {
    {BAD "truncated.json",
     BAD "truncated.json:18:26: error: truncated JSON document"},
    {BAD "info-missing-gitversion.txt",
     BAD "info-missing-gitversion.txt:2:17: error: version.Info has no "
	 "GitVersion field"},
    {BAD "gitversion-no-patch.yaml",
     BAD "gitversion-no-patch.yaml:7:15: error: gitVersion 'v1.29' has "
	 "no patch number"},
    {BAD "gitversion-placeholder.json",
     BAD "gitversion-placeholder.json:6:19: error: invalid gitVersion "
	 "'vX.Y': not a Kubernetes version (want vMAJOR.MINOR.PATCH)"},
    {BAD "minor-disagrees.txt",
     BAD "minor-disagrees.txt:3:47: error: Minor '27' disagrees with "
	 "GitVersion 'v1.26.3'"},
    {BAD "minor-disagrees.json",
     BAD "minor-disagrees.json:4:14: error: minor '29' disagrees with "
	 "gitVersion 'v1.28.4'"},
    {BAD "bare-no-command.txt",
     BAD "bare-no-command.txt:1:1: error: bare version 'v1.26.1' does "
	 "not say which binary printed it"},
    {BAD "garbage-line.txt",
     BAD "garbage-line.txt:3:25: error: unexpected text '(eks)' after "
	 "the version in 'Server Version'"},
    {BAD "json-trailing-text.json",
     BAD "json-trailing-text.json:9:1: error: unexpected text 'Client "
	 "Version: v1.29.4' after the JSON document"},
};

static void
every_bad_fixture_fails_with_an_exact_diagnostic(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		struct run r;

		run_init(&r);
		if (run_file(&r, bad_cases[i].path) != -1)
			fail_msg("%s: parsed", bad_cases[i].path);
		assert_string_equal(run_first_line(&r),
				    bad_cases[i].first_line);
		assert_true(r.d.errors >= 1);
		assert_int_equal(r.cs.inputs.n, 0);
		run_release(&r);
	}
}

static void
bare_version_error_has_a_capture_hint(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	r.d.no_source = true;
	assert_int_equal(run_file(&r, BAD "bare-no-command.txt"), -1);
	assert_string_equal(
	    run_output(&r),
	    BAD "bare-no-command.txt:1:1: error: bare version 'v1.26.1' "
		"does not say which binary printed it\n" BAD
		"bare-no-command.txt:1:1: note: capture it with 'kubectl "
		"version -o yaml' or 'kubeadm version -o yaml', or keep the "
		"command line ('$ kubeadm version -o short') above it\n");
	run_release(&r);
}

static void
error_quotes_the_source_line_with_a_caret(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	assert_int_equal(run_file(&r, BAD "garbage-line.txt"), -1);
	assert_string_equal(run_output(&r),
			    BAD "garbage-line.txt:3:25: error: unexpected "
				"text '(eks)' after the version in 'Server "
				"Version'\n"
				" Server Version: v1.28.3 (eks)\n"
				"                         ^\n");
	run_release(&r);
}

static void
kustomize_only_document_has_no_version(void **state)
{
	struct run r;
	char path[] = "/tmp/skewplan-kv-XXXXXX";
	int fd;
	FILE *fp;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs("kustomizeVersion: v5.0.1\n", fp);
	fclose(fp);
	run_init(&r);
	r.d.no_source = true;
	assert_int_equal(run_file(&r, path), -1);
	run_first_line(&r);
	assert_true(strstr(r.out, ": error: no kubectl or kubeadm version "
				  "found") != NULL);
	assert_int_equal(r.cs.inputs.n, 0);
	remove(path);
	run_release(&r);
}

static void
many_bad_lines_stop_at_twenty_errors(void **state)
{
	struct run r;
	char path[] = "/tmp/skewplan-kv-XXXXXX";
	int fd, i;
	FILE *fp;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs("Client Version: v1.29.2\n", fp);
	for (i = 0; i < 50; i++)
		fputs("Server Version: vX.Y\n", fp);
	fclose(fp);
	run_init(&r);
	r.d.no_source = true;
	assert_int_equal(run_file(&r, path), -1);
	assert_int_equal(r.d.errors, 20);
	remove(path);
	run_release(&r);
}

/*
 * Every allocation failure ends in a clean error, never a crash or leak.
 * This drives ingest_version() directly on the YAML and JSON paths, which
 * never grow a buffer inside clean_line(); see the report about the text
 * reader under allocation failure.
 */
static void
allocation_failures_end_cleanly(void **state)
{
	static const struct {
		const char *path;
		enum fmt fmt;
	} cases[] = {
	    {FIX "json-skew-warning.json", FMT_VERSION_JSON},
	    {FIX "yaml-1.34-emulation.yaml", FMT_VERSION_YAML},
	    {BAD "truncated.json", FMT_VERSION_JSON},
	};
	size_t i;
	unsigned long n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool bad = strstr(cases[i].path, "/bad/") != NULL;

		for (n = 1; n < 100000; n++) {
			struct run r;
			int rc;

			run_init(&r);
			r.d.no_source = true;
			/* Room for the messages, so that diag needs no memory.
			 */
			buf_addf(&r.d.last, "%2048s", "");
			buf_reset(&r.d.last);
			base_fail_alloc_after(n);
			rc = run_version(&r, cases[i].path, cases[i].fmt, false,
					 "");
			base_fail_alloc_after(0);
			assert_true(rc == 0 || r.d.errors > 0);
			if (rc == 0 ||
			    (bad && !strstr(run_output(&r), "out of memory"))) {
				run_release(&r);
				break;
			}
			run_release(&r);
		}
		assert_true(n < 100000);
		assert_true(n > 1);
	}
}

/* ------------------------------------------------- real-world shapes */

/*
 * fixtures/real/version-*: version output in the shapes users paste
 * (warnings before and after, Kustomize between, prompts on a code fence,
 * inline backticks, JSON after its command line, an error after the JSON,
 * Windows line ends); the facts are those of each folder's case.yaml.
 */
struct capture_case {
	const char *dir, *file, *format;
	const char *client, *client_minor_raw, *client_platform;
	const char *server, *server_minor_raw, *server_platform;
	const char *kustomize;
	const char *warnings;
};

static const struct capture_case captures[] = {
    {"version-legacy-kustomize-two-warnings", "version.txt",
     "legacy-version-info", "v1.27.4", "27", "linux/arm64", "v1.24.12", "24",
     "linux/amd64", "v5.0.1", "DS"},
    {"version-short-k3s-skew-warning", "version.txt", "short", "v1.22.17",
     NULL, NULL, "v1.18.20+k3s1", NULL, NULL, NULL, "S"},
    {"version-json-alpha-minor-plus", "version.json", "json",
     "v1.12.0-alpha.0.2210+0d4ab6e8a2f1c3", "12+", "linux/amd64",
     "v1.12.0-alpha.0.2210+0d4ab6e8a2f1c3", "12+", "linux/amd64", NULL, ""},
    {"version-json-client-only-refused", "version.json", "json", "v1.24.3",
     "24", "linux/arm64", NULL, NULL, NULL, "v4.5.4", "O"},
    {"version-prompt-on-fence-line", "version.txt", "legacy-version-info",
     "v1.13.4", "13", "linux/amd64", "v1.10.11", "10", "linux/amd64", NULL,
     ""},
    {"version-short-kustomize-second-line-crlf", "version.txt", "short",
     "v1.26.4", NULL, NULL, "v1.25.9", NULL, NULL, "v4.5.7", ""},
    {"version-inline-backtick-server-only", "version.txt",
     "legacy-version-info", NULL, NULL, NULL, "v1.22.17", "22", "linux/amd64",
     NULL, ""},
    {"version-warning-first-go-no-patch", "version.txt",
     "legacy-version-info", "v1.26.0", "26", "linux/amd64", "v1.26.0", "26",
     "linux/amd64", "v4.5.7", "D"},
};

static void
check_capture_ver(const char *path, const struct version_info *vi,
		  const char *git, const char *minor_raw, const char *platform)
{
	if (!git) {
		if (vi->present)
			fail_msg("%s: unexpected version '%s'", path,
				 vi->ver.text);
		return;
	}
	if (!vi->present)
		fail_msg("%s: no version", path);
	assert_string_equal(vi->ver.text, git);
	if (minor_raw)
		assert_string_equal(vi->minor_raw, minor_raw);
	else
		assert_null(vi->minor_raw);
	if (platform)
		assert_string_equal(vi->platform, platform);
	else
		assert_null(vi->platform);
}

static void
real_world_shapes_parse_with_the_facts_in_their_case_files(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(captures); i++) {
		const struct capture_case *cc = &captures[i];
		char path[512];
		struct run r;

		snprintf(path, sizeof(path), REAL "%s/%s", cc->dir, cc->file);
		run_init(&r);
		r.cs.strict = !is_unreachable_capture(path);
		if (run_file(&r, path) != 0)
			fail_msg("%s: %s", path, run_output(&r));
		assert_string_equal(r.cs.inputs.v[0].format, cc->format);
		check_capture_ver(path, &r.cs.client, cc->client,
				  cc->client_minor_raw, cc->client_platform);
		check_capture_ver(path, &r.cs.server, cc->server,
				  cc->server_minor_raw, cc->server_platform);
		assert_false(r.cs.kubeadm.present);
		if (cc->kustomize)
			assert_string_equal(r.cs.kustomize, cc->kustomize);
		else
			assert_null(r.cs.kustomize);
		check_warnings(&r.cs, cc->warnings);
		run_release(&r);
	}
}

static void
real_world_skew_facts_match_their_case_files(void **state)
{
	static const struct {
		const char *dir;
		int skew;
	} cases[] = {
	    {"version-legacy-kustomize-two-warnings/version.txt", 3},
	    {"version-prompt-on-fence-line/version.txt", 3},
	    {"version-short-k3s-skew-warning/version.txt", 4},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char path[512];
		struct run r;

		snprintf(path, sizeof(path), REAL "%s", cases[i].dir);
		run_init(&r);
		assert_int_equal(run_file(&r, path), 0);
		assert_int_equal(
		    kver_minor_diff(&r.cs.client.ver, &r.cs.server.ver),
		    cases[i].skew);
		run_release(&r);
	}
}

static int
teardown_all(void **state)
{
	(void)state;
	ingest_release();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_good_fixture_parses_with_exact_facts),
	    cmocka_unit_test(prerelease_and_build_metadata_are_kept),
	    cmocka_unit_test(eks_minor_plus_is_kept_raw_and_parsed),
	    cmocka_unit_test(warning_text_and_location_are_recorded),
	    cmocka_unit_test(ansi_coloured_warning_points_past_the_escape),
	    cmocka_unit_test(
		connection_refused_line_is_recorded_without_a_server),
	    cmocka_unit_test(forced_kubeadm_sends_a_bare_version_to_kubeadm),
	    cmocka_unit_test(
		forced_kubeadm_sends_client_version_yaml_to_kubeadm),
	    cmocka_unit_test(bare_version_goes_where_the_sniffed_command_says),
	    cmocka_unit_test(
		yaml_sniffed_as_kubeadm_sends_client_version_to_kubeadm),
	    cmocka_unit_test(same_version_from_two_files_is_accepted),
	    cmocka_unit_test(
		differing_versions_of_one_binary_name_both_locations),
	    cmocka_unit_test(every_bad_fixture_fails_with_an_exact_diagnostic),
	    cmocka_unit_test(bare_version_error_has_a_capture_hint),
	    cmocka_unit_test(error_quotes_the_source_line_with_a_caret),
	    cmocka_unit_test(kustomize_only_document_has_no_version),
	    cmocka_unit_test(many_bad_lines_stop_at_twenty_errors),
	    cmocka_unit_test(allocation_failures_end_cleanly),
	    cmocka_unit_test(
		real_world_shapes_parse_with_the_facts_in_their_case_files),
	    cmocka_unit_test(real_world_skew_facts_match_their_case_files),
	};

	return cmocka_run_group_tests(tests, NULL, teardown_all);
}
