/* Unit tests for ingest/clean.c, ingest/sniff.c and base/yaml_walk.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../analyzer/ingest/internal.h"

static void
clean(const char *raw, bool first, struct text_line *l, struct buf *b,
      struct colmap *cm)
{
	clean_line(b, cm, raw, strlen(raw), first, l);
}

static void
noise_lines_are_classified(void **state)
{
	static const struct {
		const char *raw;
		enum noise noise;
		const char *text;	/* cleaned text, or command for prompts */
	} cases[] = {
		{"$ kubectl get no", NOISE_PROMPT, "kubectl get no"},
		{"root@cp-1:~# kubectl get nodes -o wide", NOISE_PROMPT,
		 "kubectl get nodes -o wide"},
		{"[root@dev-k8s-master ~]# kubectl get nodes", NOISE_PROMPT,
		 "kubectl get nodes"},
		{"sre@k8s-controller-01:~$ kubectl get nodes -o wide",
		 NOISE_PROMPT, "kubectl get nodes -o wide"},
		{"root@test-local ~ # apt-cache policy  kubeadm|grep -A1 1.12",
		 NOISE_PROMPT, "apt-cache policy  kubeadm|grep -A1 1.12"},
		{"```michael@Azure:~$ kubectl version", NOISE_PROMPT,
		 "kubectl version"},
		{"kubectl version -o json", NOISE_PROMPT,
		 "kubectl version -o json"},
		{"./kubectl version --short               ", NOISE_PROMPT,
		 "./kubectl version --short"},
		{"# kubectl get nodes", NOISE_PROMPT, "kubectl get nodes"},
		{"```", NOISE_FENCE, ""},
		{"```yaml", NOISE_FENCE, ""},
		{"<pre>", NOISE_BLANK, ""},
		{"WARNING: This version information is deprecated", NOISE_WARNING,
		 NULL},
		{"Warning: version difference between client (1.34) and server",
		 NOISE_WARNING, NULL},
		{"W0110 10:21:51.113548   10428 version.go:101] could not fetch",
		 NOISE_WARNING, NULL},
		{"Flag --short has been deprecated, and will be removed",
		 NOISE_WARNING, NULL},
		{"[upgrade/successful] SUCCESS! Your cluster was upgraded",
		 NOISE_WARNING, NULL},
		{"# \xeb\x98\x90\xeb\x8a\x94", NOISE_COMMENT, NULL},
		{"   \t  \r", NOISE_BLANK, ""},
		{"kubeadm version: &version.Info{Major:\"1\"}", NOISE_NONE,
		 "kubeadm version: &version.Info{Major:\"1\"}"},
		/* A note after a value is cut; the value stays. */
		{"pause@sha256:0d2d1f4d4a5d # pause", NOISE_NONE,
		 "pause@sha256:0d2d1f4d4a5d"},
		{"cp-1   Ready   v1.28.9   <---- this one", NOISE_NONE,
		 "cp-1   Ready   v1.28.9"},
		{"root@cp-1:~# kubectl get no  # all of them", NOISE_PROMPT,
		 "kubectl get no"},
		/* Elisions: content left out of a paste. */
		{"...", NOISE_ELISION, NULL},
		{"  [...]", NOISE_ELISION, NULL},
		{"<snip>", NOISE_ELISION, NULL},
		{"--- snip ---", NOISE_ELISION, NULL},
		{".   .   .   .", NOISE_ELISION, NULL},
		{"... (12 more lines)", NOISE_ELISION, NULL},
		{"\xe2\x80\xa6", NOISE_ELISION, NULL},
		{"cp-1...", NOISE_NONE, "cp-1..."},
		{"me@laptop ~ % kubectl version", NOISE_PROMPT,
		 "kubectl version"},
		{"node-1   Ready    control-plane   2d16h   v1.26.1", NOISE_NONE,
		 "node-1   Ready    control-plane   2d16h   v1.26.1"},
		{"   kubeadm |  1.26.3-00 | https://apt.kubernetes.io x", NOISE_NONE,
		 "   kubeadm |  1.26.3-00 | https://apt.kubernetes.io x"},
	};
	struct buf b = BUF_INIT;
	struct colmap cm = {NULL, 0, 0};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct text_line l;

		clean(cases[i].raw, false, &l, &b, &cm);
		if (l.noise != cases[i].noise)
			fail_msg("case %zu '%s': noise %d, want %d", i,
				 cases[i].raw, l.noise, cases[i].noise);
		if (!cases[i].text)
			continue;
		if (l.noise == NOISE_PROMPT) {
			assert_int_equal(l.command_len, strlen(cases[i].text));
			assert_memory_equal(l.command, cases[i].text,
					    l.command_len);
		} else if (l.noise == NOISE_NONE) {
			assert_int_equal(l.len, strlen(cases[i].text));
			assert_memory_equal(l.s, cases[i].text, l.len);
		}
	}
	buf_release(&b);
	vec_release(&cm);
}

/*
 * A leading command word is not a command: only a whole line of that
 * command's shape (or a prompt) is. Each data line here was dropped once.
 */
static void
command_words_alone_do_not_make_a_command(void **state)
{
	static const struct {
		const char *raw;
		enum noise noise;
	} cases[] = {
		{"docker-worker-1   Ready    <none>   9d    v1.26.1", NOISE_NONE},
		{"ssh-gw            Ready    <none>   9d    v1.26.1", NOISE_NONE},
		{"cat   Ready   <none>   9d   v1.26.1", NOISE_NONE},
		{"for   Ready   <none>   9d   v1.26.1", NOISE_NONE},
		{"grep   Ready   <none>   9d   v1.26.1", NOISE_NONE},
		{"docker   Ready   <none>   9d   v1.26.1", NOISE_NONE},
		{"docker.io/library/nginx:1.25", NOISE_NONE},
		{"docker.io/library/cat", NOISE_NONE},
		{"echo-server:1.0", NOISE_NONE},
		{"docker-registry-7d9c5b-x2kq   k8s.gcr.io/registry:2.8",
		 NOISE_NONE},
		{"cat   docker.io/library/nginx:1.25", NOISE_NONE},
		{"jq   docker.io/stedolan/jq:1.6", NOISE_NONE},
		{"grep   registry.k8s.io/pause:3.9", NOISE_NONE},
		{"watch-dog   quay.io/w/dog:1.0", NOISE_NONE},
		{"ls-agent   Ready   <none>   9d   v1.26.1", NOISE_NONE},
		{"echo   Ready   <none>   9d   v1.26.1", NOISE_NONE},
		{"cat /etc/apt/sources.list.d/kubernetes.list", NOISE_PROMPT},
		{"cat nodes.txt", NOISE_PROMPT},
		{"grep -h image: /etc/kubernetes/manifests/*.yaml", NOISE_PROMPT},
		{"egrep 'kube|etcd'", NOISE_PROMPT},
		{"docker images", NOISE_PROMPT},
		{"crictl images | grep pause", NOISE_PROMPT},
		{"sudo crictl ps", NOISE_PROMPT},
		{"yq .items[].spec.containers[0].image pods.yaml", NOISE_PROMPT},
		{"jq -r '.clientVersion.gitVersion'", NOISE_PROMPT},
		{"ssh cp-1 sudo kubeadm version", NOISE_PROMPT},
		{"ssh -i key root@cp-1 'kubelet --version'", NOISE_PROMPT},
		{"watch -n 5 kubectl get nodes", NOISE_PROMPT},
		{"for n in cp-1 w-1; do ssh $n kubelet --version; done",
		 NOISE_PROMPT},
		{"echo \"--- $n\"", NOISE_PROMPT},
		{"echo ---", NOISE_PROMPT},
		{"ls -l /etc/kubernetes/manifests", NOISE_PROMPT},
		{"/usr/local/bin/kubectl get no", NOISE_PROMPT},
	};
	struct buf b = BUF_INIT;
	struct colmap cm = {NULL, 0, 0};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct text_line l;

		clean(cases[i].raw, false, &l, &b, &cm);
		if (l.noise != cases[i].noise)
			fail_msg("case %zu '%s': noise %d, want %d", i,
				 cases[i].raw, l.noise, cases[i].noise);
		if (l.noise == NOISE_NONE)
			assert_int_equal(l.len, strlen(cases[i].raw));
	}
	buf_release(&b);
	vec_release(&cm);
}

static void
markup_is_stripped_and_columns_point_into_the_raw_line(void **state)
{
	struct buf b = BUF_INIT;
	struct colmap cm = {NULL, 0, 0};
	struct text_line l;
	const char *raw = "\xef\xbb\xbf\x1b[1;32mnode-1\x1b[0m   Ready\r";

	(void)state;
	clean(raw, true, &l, &b, &cm);
	assert_int_equal(l.noise, NOISE_NONE);
	assert_int_equal(l.len, 14);
	assert_memory_equal(l.s, "node-1   Ready", 14);
	/* 'R' of Ready is raw byte 24: BOM 3, ESC[1;32m 7, name 6, ESC[0m 4, 3 spaces. */
	assert_int_equal(cm.v[(size_t)(l.s - b.s) + 9], 24);

	clean("    <b>image: k8s.gcr.io/etcd:3.3.15-0</b>", false, &l, &b, &cm);
	assert_int_equal(l.noise, NOISE_NONE);
	assert_int_equal(l.len, 35);
	assert_memory_equal(l.s, "    image: k8s.gcr.io/etcd:3.3.15-0", 35);

	clean("`Server Version: version.Info{Major:\"1\"}`", false, &l, &b, &cm);
	assert_memory_equal(l.s, "Server Version: version.Info{Major:\"1\"}",
			    l.len);
	clean("node-2   NotReady   &lt;none&gt;", false, &l, &b, &cm);
	assert_memory_equal(l.s, "node-2   NotReady   <none>", l.len);
	buf_release(&b);
	vec_release(&cm);
}

static char *
write_tmp(const char *name, const char *content)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "build/test-tmp-%s", name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(content, fp);
	fclose(fp);
	return path;
}

static void
sniff_detects_kind_from_content(void **state)
{
	static const struct {
		const char *content;
		enum input_kind kind;
		enum fmt fmt;
		bool kubeadm;
	} cases[] = {
		{"$ k version\nWARNING: deprecated\nClient Version: version.Info{Major:\"1\"}\n",
		 KIND_VERSION, FMT_VERSION_TEXT, false},
		{"clientVersion:\n  major: \"1\"\n", KIND_VERSION,
		 FMT_VERSION_YAML, false},
		{"$ kubeadm version -o yaml\nclientVersion:\n  major: \"1\"\n",
		 KIND_VERSION, FMT_VERSION_YAML, true},
		{"kubectl version -o json\n{\n  \"clientVersion\": {\n",
		 KIND_VERSION, FMT_VERSION_JSON, false},
		{"NAME     STATUS   ROLES           AGE     VERSION\n",
		 KIND_NODES, FMT_NODES_TABLE, false},
		{"apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Node\n",
		 KIND_NODES, FMT_NODES_DOC, false},
		{"{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n            \"kind\": \"Pod\",\n",
		 KIND_IMAGES, FMT_IMAGES_DOC, false},
		{"registry.k8s.io/etcd:3.5.6-0\nregistry.k8s.io/kube-apiserver:v1.26.1 # kube-apiserver\n",
		 KIND_IMAGES, FMT_IMAGES_TEXT, false},
		{"   kubeadm |  1.26.3-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n",
		 KIND_PACKAGES, FMT_PACKAGES_TEXT, false},
		{"kubelet:\n  Installed: 1.11.2-00\n", KIND_PACKAGES,
		 FMT_PACKAGES_TEXT, false},
		{"kubeadm.x86_64   1.28.5-150500.1.1   kubernetes\n",
		 KIND_PACKAGES, FMT_PACKAGES_TEXT, false},
		{"hello world\n", KIND_UNKNOWN, FMT_UNKNOWN, false},
		/* Compact JSON (kubectl get --raw): its keys, not its lines. */
		{"{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"items\":[]}\n",
		 KIND_NODES, FMT_NODES_DOC, false},
		{"{\"apiVersion\":\"v1\",\"items\":[{\"metadata\":{\"ownerReferences\":"
		 "[{\"kind\":\"ReplicaSet\"}]},\"kind\":\"Pod\"}],\"kind\":\"List\"}\n",
		 KIND_IMAGES, FMT_IMAGES_DOC, false},
		{"{\"major\":\"1\",\"minor\":\"27\",\"gitVersion\":\"v1.27.3\"}\n",
		 KIND_VERSION, FMT_VERSION_JSON, false},
		{"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\"}\n",
		 KIND_UNKNOWN, FMT_UNKNOWN, false},
	};
	struct diag d;
	size_t i;

	(void)state;
	diag_init(&d);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sniff sn;
		const char *p = write_tmp("sniff", cases[i].content);

		assert_int_equal(sniff_file(p, &d, &sn), 0);
		if (sn.kind != cases[i].kind || sn.fmt != cases[i].fmt)
			fail_msg("case %zu: kind %d fmt %d, want %d %d", i,
				 sn.kind, sn.fmt, cases[i].kind, cases[i].fmt);
		assert_int_equal(sn.kubeadm, cases[i].kubeadm);
	}
	diag_release(&d);
}

/*
 * A one-line capture of 1 MB is sniffed from its first SNIFF_LINE_MAX
 * bytes: a "-a-a-a..." line (once quadratic in image_line_re) is unknown,
 * and an image list on one line is still an image list.
 */
static void
sniff_reads_a_bounded_prefix_of_a_long_line(void **state)
{
	static const char *const units[] = {"-a", "a-", "registry.k8s.io/pause:3.9 "};
	static const enum input_kind kinds[] = {KIND_UNKNOWN, KIND_UNKNOWN,
						KIND_IMAGES};
	struct diag d;
	size_t i, j;

	(void)state;
	diag_init(&d);
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		struct buf b = BUF_INIT;
		struct sniff sn;
		const char *p;

		for (j = 0; b.len < (1u << 20); j++)
			buf_adds(&b, units[i]);
		buf_addc(&b, '\n');
		assert_false(b.oom);
		p = write_tmp("longline", buf_cstr(&b));
		assert_int_equal(sniff_file(p, &d, &sn), 0);
		if (sn.kind != kinds[i])
			fail_msg("unit '%s': kind %d, want %d", units[i],
				 sn.kind, kinds[i]);
		buf_release(&b);
	}
	assert_int_equal(d.errors, 0);
	diag_release(&d);
}

/*
 * A pattern that hits its PCRE2 limit while a line is being read is an
 * error at that line, never a quiet "no match".
 */
static void
text_reader_reports_a_pattern_limit_at_its_line(void **state)
{
	static struct re exponential = {.pattern = "^(?:a|a)*\\d"};
	char subject[64];
	struct text_reader r;
	struct text_line l;
	struct diag d;
	FILE *devnull = fopen("/dev/null", "w");
	const char *p = write_tmp("limit", "first line\nsecond line\n");

	(void)state;
	assert_non_null(devnull);
	diag_init(&d);
	d.out = devnull;
	memset(subject, 'a', sizeof(subject) - 1);
	subject[sizeof(subject) - 1] = 'c';
	assert_int_equal(text_reader_open(&r, p, &d), 0);
	assert_int_equal(text_reader_next(&r, &l), 1);
	assert_int_equal(text_reader_next(&r, &l), 1);
	assert_false(re_match(&exponential, subject, sizeof(subject), NULL));
	assert_int_equal(text_reader_next(&r, &l), -1);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(buf_cstr(&d.last),
			       "build/test-tmp-limit:2: error: line too complex "
			       "to match: a pattern hit its match limit on 11 "
			       "bytes"));
	text_reader_close(&r);
	re_release(&exponential);
	diag_release(&d);
	fclose(devnull);
}

/*
 * A FIFO is opened once: the sniffer's head (1 MB at most) is replayed and
 * the parser goes on from the same stream, here 2 MB of node rows. What
 * was read past the head is not kept, so a second pass is refused.
 */
static void
a_fifo_is_sniffed_then_read_whole_from_one_stream(void **state)
{
	const char *path = "build/test-tmp-fifo";
	struct stream st;
	struct sniff sn;
	struct text_reader r;
	struct text_line l;
	struct diag d;
	FILE *devnull = fopen("/dev/null", "w");
	unsigned lines = 0;
	int status;
	pid_t pid;

	(void)state;
	assert_non_null(devnull);
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *fp = fopen(path, "w");
		unsigned i;

		if (!fp)
			_exit(1);
		fputs("NAME          STATUS   ROLES    AGE   VERSION\n", fp);
		for (i = 0; i < 40000; i++)
			fprintf(fp, "node-%05u    Ready    <none>   1d    v1.26.1\n",
				i);
		_exit(fclose(fp) == 0 ? 0 : 1);
	}
	diag_init(&d);
	d.out = devnull;
	assert_int_equal(stream_open(&st, path, &d), 0);
	assert_false(st.seekable);
	assert_int_equal(sniff_stream(&st, &d, &sn), 0);
	assert_int_equal(sn.kind, KIND_NODES);
	assert_int_equal(text_reader_open_stream(&r, &st, false, &d), 0);
	while (text_reader_next(&r, &l) == 1) {
		if (lines == 0)
			assert_memory_equal(l.s, "NAME ", 5);
		lines++;
	}
	assert_int_equal(lines, 40001);
	assert_memory_equal(l.s, "node-39999 ", 11);
	assert_int_equal(d.errors, 0);
	assert_int_equal(stream_rewind(&st, false), -1);
	assert_int_equal(d.errors, 1);
	text_reader_close(&r);
	stream_close(&st);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	unlink(path);
	diag_release(&d);
	fclose(devnull);
}

struct walk_log {
	struct buf b;
};

static int
log_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	   struct src_loc loc)
{
	struct walk_log *lg = ctx;

	buf_addf(&lg->b, "%s=%.*s@%u:%u\n", yaml_walk_path(w), (int)len, s,
		 (unsigned)loc.line, (unsigned)loc.col);
	return 0;
}

static void
yaml_walk_reports_paths_through_blanked_noise(void **state)
{
	const char *p = write_tmp("walk",
		"$ kubectl get po -o yaml\r\n"
		"apiVersion: v1\r\n"
		"items:\r\n"
		"- metadata:\r\n"
		"    name: etcd-cp-1\r\n"
		"  spec:\r\n"
		"    containers:\r\n"
		"    - image: registry.k8s.io/etcd:3.5.6-0\r\n"
		"      name: etcd\r\n"
		"kind: List\r\n"
		"WARNING: version difference between client and server\r\n");
	static const struct yaml_walk_ops ops = {log_scalar, NULL, NULL};
	struct walk_log lg = {BUF_INIT};
	struct yaml_walk w;
	struct yaml_src ys;
	struct diag d;

	(void)state;
	diag_init(&d);
	assert_int_equal(yaml_src_open(&ys, p, &d), 0);
	assert_int_equal(yaml_walk_run(&w, p, &d, yaml_src_read, &ys, &ops,
				       &lg), 0);
	yaml_src_close(&ys);
	assert_string_equal(buf_cstr(&lg.b),
		".apiVersion=v1@2:13\n"
		".items[].metadata.name=etcd-cp-1@5:11\n"
		".items[].spec.containers[].image=registry.k8s.io/etcd:3.5.6-0@8:14\n"
		".items[].spec.containers[].name=etcd@9:13\n"
		".kind=List@10:7\n");
	buf_release(&lg.b);
	diag_release(&d);
}

static int
skip_status(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	(void)ctx;
	(void)is_map;
	(void)loc;
	return !strcmp(yaml_walk_path(w), ".status") ? YAML_WALK_SKIP : 0;
}

static int
log_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct walk_log *lg = ctx;

	buf_addf(&lg->b, "close %s %s\n", yaml_walk_path(w),
		 is_map ? "map" : "seq");
	return 0;
}

static void
yaml_walk_skips_a_subtree_when_open_says_so(void **state)
{
	const char *p = write_tmp("skip",
		"metadata: {name: a}\n"
		"status:\n"
		"  conditions: [{type: Ready, status: \"True\"}]\n"
		"  nested: {deep: [1, [2, {x: 3}]]}\n"
		"spec: {nodeName: n1}\n");
	static const struct yaml_walk_ops ops = {log_scalar, skip_status,
						 log_close};
	struct walk_log lg = {BUF_INIT};
	struct yaml_walk w;
	struct yaml_src ys;
	struct diag d;

	(void)state;
	diag_init(&d);
	assert_int_equal(yaml_src_open(&ys, p, &d), 0);
	assert_int_equal(yaml_walk_run(&w, p, &d, yaml_src_read, &ys, &ops,
				       &lg), 0);
	yaml_src_close(&ys);
	assert_string_equal(buf_cstr(&lg.b),
		".metadata.name=a@1:18\n"
		"close .metadata map\n"
		".spec.nodeName=n1@5:18\n"
		"close .spec map\n"
		"close  map\n");
	buf_release(&lg.b);
	diag_release(&d);
}

static void
yaml_walk_refuses_deep_nesting_and_reports_syntax_errors(void **state)
{
	static const struct yaml_walk_ops ops = {NULL, NULL, NULL};
	struct buf deep = BUF_INIT;
	struct yaml_walk w;
	struct yaml_src ys;
	struct diag d;
	const char *p;
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		buf_addc(&deep, '[');
	p = write_tmp("deep", buf_cstr(&deep));
	diag_init(&d);
	d.out = tmpfile();
	assert_int_equal(yaml_src_open(&ys, p, &d), 0);
	assert_int_equal(yaml_walk_run(&w, p, &d, yaml_src_read, &ys, &ops,
				       NULL), -1);
	yaml_src_close(&ys);
	assert_non_null(strstr(buf_cstr(&d.last), ":1:65: error: nesting deeper than 64 levels"));

	p = write_tmp("bad", "a: [1, 2\nb: c\n");
	assert_int_equal(yaml_src_open(&ys, p, &d), 0);
	assert_int_equal(yaml_walk_run(&w, p, &d, yaml_src_read, &ys, &ops,
				       NULL), -1);
	yaml_src_close(&ys);
	assert_non_null(strstr(buf_cstr(&d.last), "error: invalid YAML/JSON"));
	fclose(d.out);
	diag_release(&d);
	buf_release(&deep);
}

static void
yaml_src_keeps_lines_longer_than_its_buffer(void **state)
{
	static const struct yaml_walk_ops ops = {log_scalar, NULL, NULL};
	struct walk_log lg = {BUF_INIT};
	struct buf big = BUF_INIT;
	struct yaml_walk w;
	struct yaml_src ys;
	struct diag d;
	const char *p;
	size_t i;

	(void)state;
	buf_adds(&big, "a: \"");
	for (i = 0; i < 300000; i++)
		buf_addc(&big, 'x');
	buf_adds(&big, "\"\nb: 2\n");
	p = write_tmp("long", buf_cstr(&big));
	diag_init(&d);
	assert_int_equal(yaml_src_open(&ys, p, &d), 0);
	assert_int_equal(yaml_walk_run(&w, p, &d, yaml_src_read, &ys, &ops,
				       &lg), 0);
	yaml_src_close(&ys);
	assert_non_null(strstr(buf_cstr(&lg.b), ".b=2@2:4\n"));
	buf_release(&lg.b);
	buf_release(&big);
	diag_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(noise_lines_are_classified),
		cmocka_unit_test(command_words_alone_do_not_make_a_command),
		cmocka_unit_test(markup_is_stripped_and_columns_point_into_the_raw_line),
		cmocka_unit_test(sniff_detects_kind_from_content),
		cmocka_unit_test(sniff_reads_a_bounded_prefix_of_a_long_line),
		cmocka_unit_test(text_reader_reports_a_pattern_limit_at_its_line),
		cmocka_unit_test(a_fifo_is_sniffed_then_read_whole_from_one_stream),
		cmocka_unit_test(yaml_walk_reports_paths_through_blanked_noise),
		cmocka_unit_test(yaml_walk_skips_a_subtree_when_open_says_so),
		cmocka_unit_test(yaml_walk_refuses_deep_nesting_and_reports_syntax_errors),
		cmocka_unit_test(yaml_src_keeps_lines_longer_than_its_buffer),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	re_release_all();
	return rc;
}
