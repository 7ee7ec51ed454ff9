/*
 * test_madison.c - the package listing parser: apt-cache madison,
 * apt-cache policy and yum/dnf list --showduplicates, driven through
 * ingest_file() so that sniffing and line cleaning are covered too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../analyzer/ingest/internal.h"

struct fx {
	struct arena arena;
	struct cluster_state cs;
	struct diag d;
	char tmp[64];	/* a temporary input file, "" if none */
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

static int
group_teardown(void **state)
{
	(void)state;
	ingest_release();
	return 0;
}

/* Writes text into a fresh temporary file and returns its path. */
static const char *
write_tmp(struct fx *f, const char *text)
{
	int fd;
	size_t n = strlen(text);

	snprintf(f->tmp, sizeof(f->tmp), "/tmp/test_madison.XXXXXX");
	fd = mkstemp(f->tmp);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return f->tmp;
}

/* The first line the diagnostics printed, without its newline. */
static const char *
first_diag(struct fx *f, char *out, size_t size)
{
	size_t n;

	out[0] = '\0';
	fflush(f->d.out);
	rewind(f->d.out);
	if (!fgets(out, (int)size, f->d.out))
		return out;
	n = strlen(out);
	if (n && out[n - 1] == '\n')
		out[n - 1] = '\0';
	return out;
}

static void
assert_str_or_null(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

struct row {
	const char *name, *version, *upstream, *revision, *repo;
	enum repo_kind kind;
	unsigned minor;
	const char *arch;
	enum tri installed;
	bool candidate;
	uint32_t line, col;
};

static void
assert_row(const struct package *p, const struct row *r, const char *path)
{
	assert_string_equal(p->name, r->name);
	assert_string_equal(p->version, r->version);
	assert_string_equal(p->upstream, r->upstream);
	assert_str_or_null(p->revision, r->revision);
	assert_str_or_null(p->repo, r->repo);
	assert_int_equal(p->repo_kind, r->kind);
	assert_int_equal(p->repo_minor, r->minor);
	assert_str_or_null(p->arch, r->arch);
	assert_int_equal(p->installed, r->installed);
	assert_int_equal(p->candidate, r->candidate);
	assert_string_equal(p->loc.path, path);
	if (r->line) {
		assert_int_equal(p->loc.line, r->line);
		assert_int_equal(p->loc.col, r->col);
	}
}

/* Ingests path (detected) and checks every row and the format name. */
static void
check_forced(struct fx *f, const char *path, enum input_kind forced,
	     const char *format, const char *pkg_format,
	     const struct row *rows, size_t n)
{
	size_t i;
	int rc = ingest_file(&f->cs, &f->d, path, forced, false);

	if (rc != 0)
		fail_msg("%s: %s", path, buf_cstr(&f->d.last));
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->cs.inputs.n, 1);
	assert_int_equal(f->cs.inputs.v[0].kind, KIND_PACKAGES);
	assert_string_equal(f->cs.inputs.v[0].format, format);
	assert_int_equal(f->cs.packages.n, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(f->cs.packages.v[i].format, pkg_format);
		assert_row(&f->cs.packages.v[i], &rows[i], path);
	}
}

#define LEGACY_APT "https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages"

static void
check_file(struct fx *f, const char *path, const char *format,
	   const char *pkg_format, const struct row *rows, size_t n)
{
	check_forced(f, path, KIND_UNKNOWN, format, pkg_format, rows, n);
}

/* ------------------------------------------------------------ madison */

static void
madison_legacy_blocks_with_prompts_are_parsed(void **state)
{
	static const struct row rows[] = {
		{"kubeadm", "1.27.4-00", "1.27.4", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 2, 15},
		{"kubeadm", "1.27.3-00", "1.27.3", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 3, 15},
		{"kubeadm", "1.26.7-00", "1.26.7", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 4, 15},
		{"kubelet", "1.27.4-00", "1.27.4", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 6, 15},
		{"kubelet", "1.27.3-00", "1.27.3", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 7, 15},
		{"kubelet", "1.26.7-00", "1.26.7", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 8, 15},
		{"kubectl", "1.27.4-00", "1.27.4", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 10, 15},
		{"kubectl", "1.27.3-00", "1.27.3", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 11, 15},
		{"kubectl", "1.26.7-00", "1.26.7", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 12, 15},
	};

	check_file(*state, "fixtures/packages/madison-legacy.txt", "madison",
		   "madison", rows, ARRAY_SIZE(rows));
}

#define PKGS_129 "https://pkgs.k8s.io/core:/stable:/v1.29/deb  Packages"

static void
madison_pkgs_k8s_io_keeps_revision_2_1(void **state)
{
	static const struct row rows[] = {
		{"kubeadm", "1.29.4-2.1", "1.29.4", "2.1", PKGS_129, REPO_PKGS, 29, NULL, TRI_UNKNOWN, false, 2, 14},
		{"kubeadm", "1.29.3-1.1", "1.29.3", "1.1", PKGS_129, REPO_PKGS, 29, NULL, TRI_UNKNOWN, false, 3, 14},
		{"kubeadm", "1.29.2-1.1", "1.29.2", "1.1", PKGS_129, REPO_PKGS, 29, NULL, TRI_UNKNOWN, false, 4, 14},
		{"kubeadm", "1.29.0-1.1", "1.29.0", "1.1", PKGS_129, REPO_PKGS, 29, NULL, TRI_UNKNOWN, false, 5, 14},
	};

	check_file(*state, "fixtures/packages/madison-pkgs-v1.29.txt",
		   "madison", "madison", rows, ARRAY_SIZE(rows));
}

static void
madison_mirror_rows_are_classified_as_mirrors(void **state)
{
	static const struct row rows[] = {
		{"kubelet", "1.28.2-00", "1.28.2", "00", "https://mirrors.aliyun.com/kubernetes/apt kubernetes-xenial/main amd64 Packages", REPO_MIRROR, 0, "amd64", TRI_UNKNOWN, false, 2, 15},
		{"kubelet", "1.28.1-00", "1.28.1", "00", "https://mirrors.aliyun.com/kubernetes/apt kubernetes-xenial/main amd64 Packages", REPO_MIRROR, 0, "amd64", TRI_UNKNOWN, false, 3, 15},
		{"kubelet", "1.28.6-1.1", "1.28.6", "1.1", "https://mirrors.tuna.tsinghua.edu.cn/kubernetes/core:/stable:/v1.28/deb  Packages", REPO_MIRROR, 28, NULL, TRI_UNKNOWN, false, 4, 11},
		{"kubelet", "1.28.5-1.1", "1.28.5", "1.1", "https://mirrors.tuna.tsinghua.edu.cn/kubernetes/core:/stable:/v1.28/deb  Packages", REPO_MIRROR, 28, NULL, TRI_UNKNOWN, false, 5, 11},
		{"kubelet", "1.28.2-00", "1.28.2", "00", "http://archive.example.org/ubuntu jammy/universe arm64 Packages", REPO_OTHER, 0, "arm64", TRI_UNKNOWN, false, 6, 14},
	};

	check_file(*state, "fixtures/packages/madison-mirror.txt", "madison",
		   "madison", rows, ARRAY_SIZE(rows));
}

#define PKGS_128 "https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages"

static void
madison_with_crlf_ansi_and_fence_is_parsed(void **state)
{
	static const struct row rows[] = {
		/* The version follows an ESC[1m: column 18 of the raw line. */
		{"kubeadm", "1.28.4-1.1", "1.28.4", "1.1", PKGS_128, REPO_PKGS, 28, NULL, TRI_UNKNOWN, false, 3, 18},
		{"kubeadm", "1.28.3-1.1", "1.28.3", "1.1", PKGS_128, REPO_PKGS, 28, NULL, TRI_UNKNOWN, false, 4, 14},
	};

	check_file(*state, "fixtures/packages/madison-crlf-ansi.txt",
		   "madison", "madison", rows, ARRAY_SIZE(rows));
}

static void
madison_duplicate_rows_are_kept_once(void **state)
{
	static const struct row rows[] = {
		{"kubeadm", "1.25.12-00", "1.25.12", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 2, 15},
		{"kubeadm", "1.25.11-00", "1.25.11", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_UNKNOWN, false, 3, 15},
	};

	check_file(*state, "fixtures/packages/madison-duplicate.txt",
		   "madison", "madison", rows, ARRAY_SIZE(rows));
}

/* ------------------------------------------------------------ policy */

static void
policy_marks_installed_row_and_candidate(void **state)
{
	static const struct row rows[] = {
		{"kubeadm", "1.27.4-00", "1.27.4", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_FALSE, true, 6, 6},
		{"kubeadm", "1.27.3-00", "1.27.3", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_TRUE, false, 8, 6},
		{"kubeadm", "1.27.3-00", "1.27.3", "00", "/var/lib/dpkg/status", REPO_LOCAL, 0, NULL, TRI_TRUE, false, 8, 6},
		{"kubeadm", "1.27.2-00", "1.27.2", "00", LEGACY_APT, REPO_LEGACY, 0, "amd64", TRI_FALSE, false, 11, 6},
	};

	check_file(*state, "fixtures/packages/policy-installed.txt",
		   "apt-cache-policy", "apt-cache-policy", rows,
		   ARRAY_SIZE(rows));
}

#define PKGS_130 "https://pkgs.k8s.io/core:/stable:/v1.30/deb  Packages"

static void
policy_with_installed_none_has_no_installed_row(void **state)
{
	static const struct row rows[] = {
		{"kubectl", "1.30.2-1.1", "1.30.2", "1.1", PKGS_130, REPO_PKGS, 30, NULL, TRI_FALSE, true, 6, 6},
		{"kubectl", "1.30.1-1.1", "1.30.1", "1.1", PKGS_130, REPO_PKGS, 30, NULL, TRI_FALSE, false, 8, 6},
	};

	check_file(*state, "fixtures/packages/policy-none.txt",
		   "apt-cache-policy", "apt-cache-policy", rows,
		   ARRAY_SIZE(rows));
}

#define LEGACY_HTTP "http://apt.kubernetes.io kubernetes-xenial/main amd64 Packages"

static void
policy_filtered_by_grep_takes_name_from_command(void **state)
{
	static const struct row rows[] = {
		{"kubelet", "1.26.9-00", "1.26.9", "00", LEGACY_HTTP, REPO_LEGACY, 0, "amd64", TRI_FALSE, false, 2, 6},
		{"kubelet", "1.26.8-00", "1.26.8", "00", LEGACY_HTTP, REPO_LEGACY, 0, "amd64", TRI_FALSE, false, 5, 6},
	};

	/*
	 * Only the prompt's command says this is a package listing; the
	 * sniffer does not read commands, so the kind is forced.
	 */
	check_forced(*state, "fixtures/packages/policy-grep.txt",
		     KIND_PACKAGES, "apt-cache-policy", "apt-cache-policy",
		     rows, ARRAY_SIZE(rows));
}

/* ------------------------------------------------------------ yum */

static void
yum_sections_decide_installed(void **state)
{
	static const struct row rows[] = {
		{"kubeadm", "1.28.5-150500.1.1", "1.28.5", "150500.1.1", "@kubernetes", REPO_LOCAL, 0, "x86_64", TRI_TRUE, false, 6, 38},
		{"kubeadm", "1.28.5-150500.1.1", "1.28.5", "150500.1.1", "kubernetes", REPO_PKGS, 28, "x86_64", TRI_FALSE, false, 8, 38},
		{"kubeadm", "1.28.6-150500.1.1", "1.28.6", "150500.1.1", "kubernetes", REPO_PKGS, 28, "x86_64", TRI_FALSE, false, 9, 38},
		/* yum wrapped this row: the version is on the next line. */
		{"kubernetes-cni", "1.3.0-150500.1.1", "1.3.0", "150500.1.1", "kubernetes", REPO_PKGS, 0, "x86_64", TRI_FALSE, false, 11, 38},
	};

	check_file(*state, "fixtures/packages/yum-sections.txt", "yum", "yum",
		   rows, ARRAY_SIZE(rows));
}

static void
dnf_metadata_expiration_line_is_skipped(void **state)
{
	static const struct row rows[] = {
		{"kubelet", "1.30.1-150500.1.1", "1.30.1", "150500.1.1", "kubernetes", REPO_PKGS, 30, "aarch64", TRI_FALSE, false, 4, 33},
		{"kubelet", "1.30.2-150500.1.1", "1.30.2", "150500.1.1", "kubernetes", REPO_PKGS, 30, "aarch64", TRI_FALSE, false, 5, 33},
	};

	check_file(*state, "fixtures/packages/dnf-metadata.txt", "yum", "yum",
		   rows, ARRAY_SIZE(rows));
}

/*
 * dnf prints a repository download line with a '|' before the listing
 * when its metadata was stale. The parser is called directly: the
 * sniffer reads that line as an image listing.
 */
static void
dnf_download_line_is_not_a_madison_row(void **state)
{
	struct fx *f = *state;
	struct sniff sn = {.kind = KIND_PACKAGES, .fmt = FMT_PACKAGES_TEXT};
	struct ingest_ctx c = {0};
	struct stream in;
	const char *path = write_tmp(
		f, "$ dnf list --showduplicates kubelet\n"
		   "Kubernetes                      9.1 kB/s | 9.4 kB     00:01    \n"
		   "Available Packages\n"
		   "kubelet.aarch64   1.30.1-150500.1.1   kubernetes\n");

	c.cs = &f->cs;
	c.diag = &f->d;
	c.arena = &f->arena;
	c.path = path;
	c.sniff = &sn;
	assert_int_equal(stream_open(&in, path, &f->d), 0);
	c.in = &in;
	assert_int_equal(ingest_packages(&c), 0);
	stream_close(&in);
	assert_string_equal(c.format, "yum");
	assert_int_equal(f->cs.packages.n, 1);
	assert_string_equal(f->cs.packages.v[0].version, "1.30.1-150500.1.1");
	assert_int_equal(f->cs.packages.v[0].installed, TRI_FALSE);
	assert_int_equal(f->cs.packages.v[0].loc.line, 4);
	assert_int_equal(f->cs.packages.v[0].loc.col, 19);
}

/* yum prints a repo id, not a URL: the RPM release tells the repository. */
static void
yum_repository_is_told_by_the_rpm_release(void **state)
{
	struct fx *f = *state;
	const char *path = write_tmp(
		f, "$ yum list --showduplicates kubeadm kubernetes-cni\n"
		   "kubeadm.x86_64          1.26.3-0            kubernetes\n"
		   "kubeadm.x86_64          1.28.5-150500.1.1   kubernetes\n"
		   "kubernetes-cni.x86_64   1.3.0-150500.1.1    kubernetes\n"
		   "kubeadm.x86_64          1.28.5-2.el9        epel\n");
	const struct package *p;

	assert_int_equal(ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN, false),
			 0);
	assert_int_equal(f->cs.packages.n, 4);
	p = f->cs.packages.v;
	assert_int_equal(p[0].repo_kind, REPO_LEGACY);
	assert_int_equal(p[0].repo_minor, 0);
	assert_int_equal(p[1].repo_kind, REPO_PKGS);
	assert_int_equal(p[1].repo_minor, 28);
	assert_int_equal(p[2].repo_kind, REPO_PKGS);
	assert_int_equal(p[2].repo_minor, 0);	/* not a Kubernetes version */
	assert_int_equal(p[3].repo_kind, REPO_OTHER);
}

/*
 * dnf5 is told by its command or by its lowercase section headers
 * ("Available packages"); dnf4 and yum write "Available Packages".
 */
static void
dnf5_listing_is_marked(void **state)
{
	static const struct {
		const char *text;
		bool dnf5;
	} t[] = {
		{"$ dnf5 list --showduplicates kubeadm\n"
		 "kubeadm.x86_64   1.33.2-150500.1.1   kubernetes\n", true},
		{"$ dnf list --showduplicates kubeadm\n"
		 "Available packages\n"
		 "kubeadm.x86_64   1.33.2-150500.1.1   kubernetes\n", true},
		{"$ dnf list --showduplicates kubeadm\n"
		 "Available Packages\n"
		 "kubeadm.x86_64   1.33.2-150500.1.1   kubernetes\n", false},
		{"$ yum list --showduplicates kubeadm\n"
		 "kubeadm.x86_64   1.33.2-150500.1.1   kubernetes\n", false},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct fx *f = *state;
		const char *path = write_tmp(f, t[i].text);

		assert_int_equal(ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN,
					     false), 0);
		assert_int_equal(f->cs.packages.n, i + 1);
		assert_int_equal(f->cs.packages.v[i].dnf5, t[i].dnf5);
		unlink(path);
	}
}

/* `apt list -a`: archive names instead of URLs, [installed] flags. */
static void
apt_list_rows_are_read(void **state)
{
	struct fx *f = *state;
	const struct package *p;

	assert_int_equal(ingest_file(&f->cs, &f->d, "fixtures/packages/apt-list.txt",
				     KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.packages.n, 3);
	p = f->cs.packages.v;
	assert_string_equal(p[0].name, "kubeadm");
	assert_string_equal(p[0].version, "1.28.4-1.1");
	assert_string_equal(p[0].upstream, "1.28.4");
	assert_string_equal(p[0].repo, "unknown");
	assert_int_equal(p[0].repo_kind, REPO_PKGS);
	assert_int_equal(p[0].repo_minor, 28);
	assert_string_equal(p[0].arch, "amd64");
	assert_int_equal(p[0].installed, TRI_FALSE);
	assert_int_equal(p[0].loc.line, 5);
	assert_int_equal(p[0].loc.col, 17);
	assert_int_equal(p[1].installed, TRI_TRUE);
	assert_string_equal(p[1].repo, "unknown,now");
	assert_int_equal(p[2].installed, TRI_FALSE);
}

/* rpm -qa and dpkg -l: installed packages, repository told by release. */
static void
installed_package_lists_are_read(void **state)
{
	struct fx *f = *state;
	const struct package *p;

	assert_int_equal(ingest_file(&f->cs, &f->d, "fixtures/packages/rpm-qa.txt",
				     KIND_UNKNOWN, false), 0);
	assert_int_equal(ingest_file(&f->cs, &f->d, "fixtures/packages/dpkg-l.txt",
				     KIND_UNKNOWN, false), 0);
	assert_int_equal(f->cs.packages.n, 7);
	p = f->cs.packages.v;
	assert_string_equal(p[0].name, "kubeadm");
	assert_string_equal(p[0].version, "1.28.3-150500.1.1");
	assert_string_equal(p[0].upstream, "1.28.3");
	assert_string_equal(p[0].arch, "x86_64");
	assert_string_equal(p[0].format, "rpm-qa");
	assert_null(p[0].repo);
	assert_int_equal(p[0].repo_kind, REPO_PKGS);
	assert_int_equal(p[0].repo_minor, 28);
	assert_int_equal(p[0].installed, TRI_TRUE);
	assert_int_equal(p[0].loc.line, 2);
	assert_int_equal(p[0].loc.col, 9);
	assert_string_equal(p[3].name, "kubernetes-cni");
	assert_int_equal(p[3].repo_minor, 0);
	assert_string_equal(p[4].name, "kubeadm");
	assert_string_equal(p[4].version, "1.29.3-1.1");
	assert_string_equal(p[4].format, "dpkg-l");
	assert_int_equal(p[4].repo_kind, REPO_PKGS);
	assert_int_equal(p[4].repo_minor, 29);
	assert_int_equal(p[4].installed, TRI_TRUE);
	assert_int_equal(p[4].loc.line, 7);
	assert_int_equal(p[4].loc.col, 20);
}

/* ------------------------------------------------------------ helpers */

/* Version splitting and repository classification, one madison row each. */
static void
madison_row_fields_are_derived(void **state)
{
	static const struct {
		const char *text;
		const char *version, *upstream, *revision;
		enum repo_kind kind;
		unsigned minor;
		const char *arch;
	} cases[] = {
		{"kubeadm | 1.26.3-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n",
		 "1.26.3-00", "1.26.3", "00", REPO_LEGACY, 0, "amd64"},
		{"kubeadm | 1.29.4-2.1 | https://pkgs.k8s.io/core:/stable:/v1.29/deb  Packages\n",
		 "1.29.4-2.1", "1.29.4", "2.1", REPO_PKGS, 29, NULL},
		{"kubeadm | 1:1.28.5-150500.1.1 | https://packages.cloud.google.com/apt kubernetes-xenial/main arm64 Packages\n",
		 "1:1.28.5-150500.1.1", "1.28.5", "150500.1.1", REPO_LEGACY, 0, "arm64"},
		{"kubeadm | 1.30.0 | https://pkgs.k8s.io/core:/stable:/v1.30/deb  Packages\n",
		 "1.30.0", "1.30.0", NULL, REPO_PKGS, 30, NULL},
		{"kubeadm | 1.28.1-1.1 | https://PKGS.K8S.IO/core:/stable:/v1.28/deb  Packages\n",
		 "1.28.1-1.1", "1.28.1", "1.1", REPO_PKGS, 28, NULL},
		{"kubeadm | 1.28.1-1.1 | https://prod-cdn.packages.k8s.io/repositories/isv:/kubernetes:/core:/stable:/v1.28/deb  Packages\n",
		 "1.28.1-1.1", "1.28.1", "1.1", REPO_PKGS, 28, NULL},
		{"kubeadm | 1.28.1-00 | https://mirrors.aliyun.com/kubernetes/apt kubernetes-xenial/main amd64 Packages\n",
		 "1.28.1-00", "1.28.1", "00", REPO_MIRROR, 0, "amd64"},
		{"kubeadm | 1.28.1-1.1 | https://mirrors.tuna.tsinghua.edu.cn/kubernetes/core:/stable:/v1.28/deb  Packages\n",
		 "1.28.1-1.1", "1.28.1", "1.1", REPO_MIRROR, 28, NULL},
		{"kubeadm | 1.28.1-00 | http://mirror.example.com/k8s kubernetes-xenial/main amd64 Packages\n",
		 "1.28.1-00", "1.28.1", "00", REPO_MIRROR, 0, "amd64"},
		{"kubeadm | 1.28.1-0ubuntu1 | http://archive.ubuntu.com/ubuntu jammy/universe amd64 Packages\n",
		 "1.28.1-0ubuntu1", "1.28.1", "0ubuntu1", REPO_OTHER, 0, "amd64"},
		{"kubeadm | 1.28.1-00 | file:/srv/repo ./ Packages\n",
		 "1.28.1-00", "1.28.1", "00", REPO_OTHER, 0, NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fx *f;
		const struct package *p;
		const char *path;

		assert_int_equal(setup((void **)&f), 0);
		path = write_tmp(f, cases[i].text);
		if (ingest_file(&f->cs, &f->d, path, KIND_PACKAGES, false) != 0)
			fail_msg("case %zu: %s", i, buf_cstr(&f->d.last));
		assert_int_equal(f->cs.packages.n, 1);
		p = &f->cs.packages.v[0];
		assert_string_equal(p->name, "kubeadm");
		assert_string_equal(p->version, cases[i].version);
		assert_string_equal(p->upstream, cases[i].upstream);
		assert_str_or_null(p->revision, cases[i].revision);
		if (p->repo_kind != cases[i].kind ||
		    p->repo_minor != cases[i].minor)
			fail_msg("case %zu: kind %d minor %u", i,
				 (int)p->repo_kind, p->repo_minor);
		assert_str_or_null(p->arch, cases[i].arch);
		assert_int_equal(p->loc.line, 1);
		assert_int_equal(p->loc.col, 11);
		teardown((void **)&f);
	}
}

/* ------------------------------------------------------------ errors */

static void
bad_fixtures_report_the_first_error_exactly(void **state)
{
	static const struct {
		const char *path;
		enum input_kind forced;
		const char *want;
	} cases[] = {
		{"fixtures/bad/packages/bad-version.txt", KIND_UNKNOWN,
		 "fixtures/bad/packages/bad-version.txt:3:14: error: invalid "
		 "package version '1.26.3;reboot'"},
		{"fixtures/bad/packages/two-fields.txt", KIND_UNKNOWN,
		 "fixtures/bad/packages/two-fields.txt:3:4: error: madison row "
		 "has 2 fields, expected 'package | version | repository'"},
		{"fixtures/bad/packages/no-repo.txt", KIND_UNKNOWN,
		 "fixtures/bad/packages/no-repo.txt:3:26: error: missing "
		 "repository in madison row"},
		{"fixtures/bad/packages/garbage.txt", KIND_UNKNOWN,
		 "fixtures/bad/packages/garbage.txt:3:1: error: unrecognized "
		 "madison line 'see the release notes for this version'"},
		{"fixtures/bad/packages/empty.txt", KIND_UNKNOWN,
		 "fixtures/bad/packages/empty.txt: error: empty capture: no "
		 "content lines"},
		{"fixtures/bad/packages/empty.txt", KIND_PACKAGES,
		 "fixtures/bad/packages/empty.txt: error: empty capture: no "
		 "content lines"},
		{"fixtures/bad/packages/not-found.txt", KIND_PACKAGES,
		 "fixtures/bad/packages/not-found.txt: error: no package rows "
		 "found (expected apt-cache madison, apt-cache policy or yum "
		 "list output)"},
	};
	size_t i;
	char line[512];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fx *f;

		assert_int_equal(setup((void **)&f), 0);
		assert_int_equal(ingest_file(&f->cs, &f->d, cases[i].path,
					     cases[i].forced, false),
				 -1);
		assert_string_equal(first_diag(f, line, sizeof(line)),
				    cases[i].want);
		assert_int_equal(f->cs.inputs.n, 0);
		teardown((void **)&f);
	}
}

/* Malformed rows of each sub-format, one small file each (forced kind). */
static void
malformed_rows_are_errors_at_their_column(void **state)
{
	static const struct {
		const char *text;
		const char *want;	/* after "PATH:" */
	} cases[] = {
		{"kubeadm | 1.26.3-00 | https://apt.kubernetes.io x | y\n",
		 "1:51: error: unexpected '|' in madison row"},
		{"KubeAdm | 1.26.3-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n",
		 "1:1: error: invalid package name 'KubeAdm'"},
		{" | 1.26.3-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n",
		 "1:2: error: missing package name in madison row"},
		{"kubeadm |  | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n",
		 "1:10: error: missing version in madison row"},
		{"kubeadm | v1.26.3 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n",
		 "1:11: error: invalid package version 'v1.26.3'"},
		{"kubeadm:\n  Installed: 1.26.3$(id)\n",
		 "2:14: error: invalid package version '1.26.3$(id)'"},
		{"kubeadm:\n  Candidate: 1.26.3-00 extra\n",
		 "2:24: error: unexpected text after version '1.26.3-00'"},
		{"  Version table:\n     1.26.3-00 500\n",
		 "2:6: error: no package name for policy version '1.26.3-00'"},
		{"kubeadm:\n  Version table:\n        500 http://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n",
		 "3:13: error: policy source 'http://apt.kubernetes.io' without a "
		 "version line"},
		{"Installed Packages\nkubeadm.x86_64   1.28.5-150500.1.1   @kubernetes\nkubeadm   1.28.5   kubernetes\n",
		 "3:1: error: unrecognized yum line 'kubeadm   1.28.5   kubernetes'"},
		{"Available Packages\nkubernetes-cni.x86_64\nkubeadm.x86_64   1.28.5-150500.1.1   kubernetes\n",
		 "2:1: error: yum row 'kubernetes-cni.x86_64' has no version"},
		{"Available Packages\nKubeadm.x86_64   1.28.5-150500.1.1   kubernetes\n",
		 "2:1: error: invalid package name 'Kubeadm'"},
		{"Available Packages\nkubeadm.x86_64   1.28.5;ls   kubernetes\n",
		 "2:18: error: invalid package version '1.28.5;ls'"},
	};
	size_t i;
	char line[512], want[512];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fx *f;
		const char *path;

		assert_int_equal(setup((void **)&f), 0);
		path = write_tmp(f, cases[i].text);
		assert_int_equal(ingest_file(&f->cs, &f->d, path,
					     KIND_PACKAGES, false),
				 -1);
		snprintf(want, sizeof(want), "%s:%s", path, cases[i].want);
		first_diag(f, line, sizeof(line));
		if (strcmp(line, want) != 0)
			fail_msg("case %zu:\n got: %s\nwant: %s", i, line, want);
		teardown((void **)&f);
	}
}

static void
errors_stop_after_twenty(void **state)
{
	struct fx *f = *state;
	struct buf b = BUF_INIT;
	const char *path;
	int i;

	buf_adds(&b, "$ apt-cache madison kubeadm\n");
	for (i = 0; i < 30; i++)
		buf_adds(&b, "kubeadm | 1.26.x;y | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n");
	path = write_tmp(f, buf_cstr(&b));
	buf_release(&b);
	assert_int_equal(ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN, false),
			 -1);
	assert_int_equal(f->d.errors, 20);
	assert_int_equal(f->cs.packages.n, 0);
}

static void
all_errors_of_a_file_are_reported(void **state)
{
	struct fx *f = *state;
	const char *path = write_tmp(
		f, "$ apt-cache madison kubeadm\n"
		   "kubeadm | 1.26.3-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n"
		   "kubeadm | bad | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n"
		   "kubeadm | 1.26.1-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n"
		   "kubeadm | 1.26.0-00\n");

	assert_int_equal(ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN, false),
			 -1);
	assert_int_equal(f->d.errors, 2);
	assert_int_equal(f->cs.inputs.n, 0);
}

static void
mixed_blocks_name_the_file_format_mixed(void **state)
{
	struct fx *f = *state;
	const char *path = write_tmp(
		f, "$ apt-cache madison kubeadm\n"
		   "   kubeadm |  1.26.3-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n"
		   "$ apt-cache policy kubelet\n"
		   "kubelet:\n"
		   "  Installed: 1.26.3-00\n"
		   "  Candidate: 1.26.3-00\n"
		   "  Version table:\n"
		   " *** 1.26.3-00 500\n"
		   "        500 https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n");

	assert_int_equal(ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN, false),
			 0);
	assert_int_equal(f->cs.packages.n, 2);
	assert_string_equal(f->cs.packages.v[0].format, "madison");
	assert_string_equal(f->cs.packages.v[1].format, "apt-cache-policy");
	assert_int_equal(f->cs.packages.v[1].installed, TRI_TRUE);
	assert_true(f->cs.packages.v[1].candidate);
	assert_string_equal(f->cs.inputs.v[0].format, "packages-mixed");
}

/*
 * Every failed allocation ends in a clean error and no leak. The input
 * mixes the three formats and keeps each line under 64 bytes, the first
 * size the line buffers grow to.
 */
static void
out_of_memory_at_any_allocation_is_a_clean_error(void **state)
{
	static const char text[] =
		"$ apt-cache policy kubeadm\n"
		"kubeadm:\n"
		"  Installed: 1.27.3-00\n"
		"  Candidate: 1.27.4-00\n"
		"  Version table:\n"
		"     1.27.4-00 500\n"
		"        500 https://pkgs.k8s.io/v1.27/deb Packages\n"
		" *** 1.27.3-00 500\n"
		"        100 /var/lib/dpkg/status\n"
		"$ apt-cache madison kubelet\n"
		"kubelet | 1.27.4-00 | https://apt.kubernetes.io x\n"
		"$ dnf list --showduplicates kubectl\n"
		"Installed Packages\n"
		"kubectl.x86_64  1.27.3-150500.1.1  @kubernetes\n";
	unsigned long n;
	int rc = -1;

	(void)state;
	for (n = 1; n < 5000 && rc != 0; n++) {
		struct fx *f;
		const char *path;

		assert_int_equal(setup((void **)&f), 0);
		path = write_tmp(f, text);
		base_fail_alloc_after(n);
		rc = ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN, false);
		base_fail_alloc_after(0);
		if (rc != 0)
			assert_true(f->d.errors > 0);
		else
			assert_int_equal(f->cs.packages.n, 4);
		teardown((void **)&f);
	}
	assert_int_equal(rc, 0);
}

/* ------------------------------------------------- real-world shapes */

struct capture_row {
	const char *file;	/* under fixtures/real/ */
	struct row r;
};

#define REAL_LEGACY "http://apt.kubernetes.io kubernetes-xenial/main amd64 Packages"
#define REAL_PKGS "https://pkgs.k8s.io/core:/stable:/v1.29/deb  Packages"
#define REAL_YUM(v) {"packages-yum-wide-padding/madison.txt", \
	{"kubelet", "1.27." #v "-150500.1.1", "1.27." #v, "150500.1.1", \
	 "kubernetes", REPO_PKGS, 27, "aarch64", TRI_UNKNOWN, false, v + 1, 82}}

/*
 * fixtures/real/packages-*: listings in the shapes users paste; the
 * expect: facts of each case.yaml, in the order of the rows.
 */
static const struct capture_row capture_rows[] = {
	/* `apt-cache policy kubelet | grep -A1 1.13`, Candidate kept. */
	{"packages-policy-grep-a1/madison.txt",
	 {"kubelet", "1.13.4-01", "1.13.4", "01", REAL_LEGACY, REPO_LEGACY, 0, "amd64", TRI_FALSE, true, 4, 6}},
	/* The same for 1.12: version table rows only. */
	{"packages-policy-grep-a1/madison.2.txt",
	 {"kubelet", "1.12.6-00", "1.12.6", "00", REAL_LEGACY, REPO_LEGACY, 0, "amd64", TRI_FALSE, false, 2, 6}},
	{"packages-policy-grep-a1/madison.2.txt",
	 {"kubelet", "1.12.5-00", "1.12.5", "00", REAL_LEGACY, REPO_LEGACY, 0, "amd64", TRI_FALSE, false, 4, 6}},
	{"packages-policy-grep-a1/madison.2.txt",
	 {"kubelet", "1.12.4-00", "1.12.4", "00", REAL_LEGACY, REPO_LEGACY, 0, "amd64", TRI_FALSE, false, 6, 6}},
	/* pkgs.k8s.io, revision 2.1, alignment lost. */
	{"packages-madison-pkgs-revision-2-1/madison.txt",
	 {"kubeadm", "1.29.4-2.1", "1.29.4", "2.1", REAL_PKGS, REPO_PKGS, 29, NULL, TRI_UNKNOWN, false, 1, 11}},
	{"packages-madison-pkgs-revision-2-1/madison.txt",
	 {"kubeadm", "1.29.2-1.1", "1.29.2", "1.1", REAL_PKGS, REPO_PKGS, 29, NULL, TRI_UNKNOWN, false, 2, 11}},
	/* yum, wide padding, no section header. */
	REAL_YUM(0), REAL_YUM(1), REAL_YUM(2), REAL_YUM(3), REAL_YUM(4),
	REAL_YUM(5),
	/* policy with *** and a truncated last entry. */
	{"packages-policy-installed-truncated/madison.txt",
	 {"kubeadm", "1.12.7-00", "1.12.7", "00", REAL_LEGACY, REPO_LEGACY, 0, "amd64", TRI_TRUE, true, 5, 6}},
	{"packages-policy-installed-truncated/madison.txt",
	 {"kubeadm", "1.12.7-00", "1.12.7", "00", "/var/lib/dpkg/status", REPO_LOCAL, 0, NULL, TRI_TRUE, true, 5, 6}},
	{"packages-policy-installed-truncated/madison.txt",
	 {"kubeadm", "1.12.6-00", "1.12.6", "00", REAL_LEGACY, REPO_LEGACY, 0, "amd64", TRI_FALSE, false, 8, 6}},
	/* Source line cut off by the poster: no repository. */
	{"packages-policy-installed-truncated/madison.txt",
	 {"kubeadm", "1.12.5-00", "1.12.5", "00", NULL, REPO_OTHER, 0, NULL, TRI_FALSE, false, 10, 6}},
};

static void
real_world_shapes_give_their_expected_rows(void **state)
{
	static const struct {
		const char *file, *format;
	} files[] = {
		{"packages-policy-grep-a1/madison.txt", "apt-cache-policy"},
		{"packages-policy-grep-a1/madison.2.txt", "apt-cache-policy"},
		{"packages-madison-pkgs-revision-2-1/madison.txt", "madison"},
		{"packages-yum-wide-padding/madison.txt", "yum"},
		{"packages-policy-installed-truncated/madison.txt", "apt-cache-policy"},
	};
	size_t i, j;
	char path[512];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		struct fx *f;
		size_t k = 0;

		snprintf(path, sizeof(path), "fixtures/real/%s", files[i].file);
		assert_int_equal(setup((void **)&f), 0);
		if (ingest_file(&f->cs, &f->d, path, KIND_UNKNOWN, false) != 0)
			fail_msg("%s: %s", path, buf_cstr(&f->d.last));
		assert_string_equal(f->cs.inputs.v[0].format, files[i].format);
		for (j = 0; j < ARRAY_SIZE(capture_rows); j++) {
			if (strcmp(capture_rows[j].file, files[i].file) != 0)
				continue;
			assert_true(k < f->cs.packages.n);
			assert_row(&f->cs.packages.v[k], &capture_rows[j].r,
				   path);
			k++;
		}
		assert_int_equal(f->cs.packages.n, k);
		teardown((void **)&f);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(madison_legacy_blocks_with_prompts_are_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(madison_pkgs_k8s_io_keeps_revision_2_1, setup, teardown),
		cmocka_unit_test_setup_teardown(madison_mirror_rows_are_classified_as_mirrors, setup, teardown),
		cmocka_unit_test_setup_teardown(madison_with_crlf_ansi_and_fence_is_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(madison_duplicate_rows_are_kept_once, setup, teardown),
		cmocka_unit_test_setup_teardown(policy_marks_installed_row_and_candidate, setup, teardown),
		cmocka_unit_test_setup_teardown(policy_with_installed_none_has_no_installed_row, setup, teardown),
		cmocka_unit_test_setup_teardown(policy_filtered_by_grep_takes_name_from_command, setup, teardown),
		cmocka_unit_test_setup_teardown(yum_sections_decide_installed, setup, teardown),
		cmocka_unit_test_setup_teardown(dnf_metadata_expiration_line_is_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(apt_list_rows_are_read, setup,
						teardown),
		cmocka_unit_test_setup_teardown(installed_package_lists_are_read,
						setup, teardown),
		cmocka_unit_test_setup_teardown(yum_repository_is_told_by_the_rpm_release,
						setup, teardown),
		cmocka_unit_test_setup_teardown(dnf_download_line_is_not_a_madison_row, setup, teardown),
		cmocka_unit_test_setup_teardown(dnf5_listing_is_marked, setup, teardown),
		cmocka_unit_test(madison_row_fields_are_derived),
		cmocka_unit_test(bad_fixtures_report_the_first_error_exactly),
		cmocka_unit_test(malformed_rows_are_errors_at_their_column),
		cmocka_unit_test_setup_teardown(errors_stop_after_twenty, setup, teardown),
		cmocka_unit_test_setup_teardown(all_errors_of_a_file_are_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(mixed_blocks_name_the_file_format_mixed, setup, teardown),
		cmocka_unit_test(out_of_memory_at_any_allocation_is_a_clean_error),
		cmocka_unit_test(real_world_shapes_give_their_expected_rows),
	};

	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
