/*
 * ingest.c - arguments to files, files to parsers.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static const struct {
	const char *name;
	enum input_kind kind;
	bool kubeadm;
} forced_kinds[] = {
	{"version", KIND_VERSION, false}, {"kubeadm", KIND_VERSION, true},
	{"nodes", KIND_NODES, false},	  {"images", KIND_IMAGES, false},
	{"packages", KIND_PACKAGES, false},
	{"metrics", KIND_METRICS, false}, {"audit", KIND_AUDIT_LOG, false},
	{"manifests", KIND_MANIFESTS, false},
	{"kubeadm-plan", KIND_KUBEADM_PLAN, false},
};

static enum fmt
default_fmt(enum input_kind k, bool json)
{
	switch (k) {
	case KIND_VERSION: return json ? FMT_VERSION_JSON : FMT_VERSION_TEXT;
	case KIND_NODES: return json ? FMT_NODES_DOC : FMT_NODES_TABLE;
	case KIND_IMAGES: return json ? FMT_IMAGES_DOC : FMT_IMAGES_TEXT;
	case KIND_PACKAGES: return FMT_PACKAGES_TEXT;
	case KIND_METRICS: return FMT_METRICS_TEXT;
	case KIND_AUDIT_LOG: return FMT_AUDIT_JSONL;
	case KIND_MANIFESTS: return FMT_MANIFESTS_DOC;
	case KIND_KUBEADM_PLAN: return FMT_KUBEADM_PLAN;
	default: return FMT_UNKNOWN;
	}
}

static int
read_stream(struct cluster_state *cs, struct diag *d, struct stream *st,
	    enum input_kind forced, bool forced_kubeadm, bool in_tree)
{
	/* Parsers keep locations: they all borrow the arena's copy. */
	const char *path = arena_strdup(cs->arena, st->path);
	struct ingest_ctx c;
	struct sniff sn;
	struct input *in;
	unsigned errors = d->errors;
	unsigned long re_hits = re_limit_hits();
	int rc;

	if (!path)
		return diag_error(d, (struct src_loc){st->path, 0, 0},
				  "out of memory");
	st->path = path;
	if (sniff_stream(st, d, &sn) < 0)
		return -1;
	if (sn.first_line == 0 && sn.kind == KIND_UNKNOWN && in_tree) {
		diag_warning(d, (struct src_loc){path, 0, 0},
			     "empty file: passed over");
		return 0;
	}
	if (sn.first_line == 0 && sn.kind == KIND_UNKNOWN)
		return diag_error(d, (struct src_loc){path, 0, 0},
				  "empty capture: no content lines");
	if (forced != KIND_UNKNOWN) {
		/* Any Kubernetes object is a manifest. */
		if (forced == KIND_MANIFESTS &&
		    (sn.kind == KIND_NODES || sn.kind == KIND_IMAGES)) {
			sn.kind = KIND_MANIFESTS;
			sn.fmt = FMT_MANIFESTS_DOC;
		}
		if (sn.kind != KIND_UNKNOWN && sn.kind != forced) {
			diag_error(d, (struct src_loc){path, sn.first_line, 1},
				   "expected a %s capture, found a %s capture",
				   model_kind_name(forced),
				   model_kind_name(sn.kind));
			return -1;
		}
		if (sn.kind == KIND_UNKNOWN) {
			sn.kind = forced;
			sn.fmt = default_fmt(forced, sn.json);
		}
		if (forced_kubeadm)
			sn.kubeadm = true;
	}
	if (sn.kind == KIND_UNKNOWN) {
		diag_error(d, (struct src_loc){path, sn.first_line, 1},
			   "unknown capture kind");
		diag_note(d, (struct src_loc){path, sn.first_line, 0},
			  "expected kubectl version, kubectl get nodes, an image "
			  "listing, apt-cache/yum output, apiserver metrics, an "
			  "audit log or manifests; force one with version=, "
			  "nodes=, images=, packages=, kubeadm=, metrics=, "
			  "audit= or manifests=");
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.cs = cs;
	c.diag = d;
	c.arena = cs->arena;
	c.path = path;
	c.in = st;
	c.sniff = &sn;
	c.forced = forced != KIND_UNKNOWN;
	c.in_tree = in_tree;
	switch (sn.kind) {
	case KIND_VERSION: rc = ingest_version(&c); break;
	case KIND_NODES:
	case KIND_IMAGES:
		/* kubectl describe gives nodes and images alike. */
		rc = sn.fmt == FMT_DESCRIBE ? ingest_describe(&c)
		     : sn.kind == KIND_NODES ? ingest_nodes(&c)
					     : ingest_images(&c);
		break;
	case KIND_METRICS: rc = ingest_metrics(&c); break;
	case KIND_AUDIT_LOG: rc = ingest_audit_log(&c); break;
	case KIND_MANIFESTS: rc = ingest_manifests(&c); break;
	case KIND_KUBEADM_PLAN: rc = ingest_kubeadm_plan(&c); break;
	default: rc = ingest_packages(&c); break;
	}
	if (rc == 0 && d->errors == errors && re_limit_hits() != re_hits)
		rc = diag_error(d, (struct src_loc){path, 0, 0},
				"input too complex to match: a pattern hit "
				"its %s", re_limit_reason());
	if (rc < 0 || d->errors > errors) {
		/* A file that fails adds no skipped records either. */
		cs->skipped.n = c.skipped0;
		return -1;
	}
	if (c.passed_over)
		return 0;
	in = vec_push(&cs->inputs);
	if (!in)
		return diag_error(d, (struct src_loc){path, 0, 0},
				  "out of memory");
	in->path = c.path;
	in->kind = sn.kind;
	in->format = c.format ? c.format : "unknown";
	return 0;
}

int
ingest_stream(struct cluster_state *cs, struct diag *d, struct stream *st,
	      enum input_kind forced, bool forced_kubeadm)
{
	return read_stream(cs, d, st, forced, forced_kubeadm, false);
}

int
ingest_tree_file(struct cluster_state *cs, struct diag *d, const char *path)
{
	struct stream st;
	int rc;

	if (stream_open(&st, path, d) < 0)
		return -1;
	rc = read_stream(cs, d, &st, KIND_MANIFESTS, false, true);
	stream_close(&st);
	return rc;
}

int
ingest_finish(struct cluster_state *cs, struct diag *d)
{
	return kubeadm_plan_finish(cs, d);
}

int
ingest_file(struct cluster_state *cs, struct diag *d, const char *path,
	    enum input_kind forced, bool forced_kubeadm)
{
	struct stream st;
	int rc;

	if (stream_open(&st, path, d) < 0)
		return -1;
	rc = forced == KIND_UNKNOWN ? session_ingest(cs, d, &st) : 0;
	if (rc == 0)
		rc = ingest_stream(cs, d, &st, forced, forced_kubeadm);
	else if (rc > 0)
		rc = 0;
	stream_close(&st);
	return rc;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Whether the directory entry at path is a capture to read: 1, 0 to pass
 * it over, -1 after an error. A dangling or looping symbolic link is an
 * error (a capture the snapshot names but cannot give must not pass an
 * audit as merely missing), and so is a FIFO, socket or device, which is
 * never opened (a FIFO would wait for a writer). A subdirectory is not
 * read: a warning says so.
 */
static int
dir_entry_is_capture(struct diag *d, const char *path, const char *name)
{
	struct src_loc loc = {path, 0, 0};
	struct stat st, lst;
	char target[4096];
	ssize_t n;

	if (!strcmp(name, "README.md"))
		return 0;
	if (stat(path, &st) != 0) {
		int err = errno;

		if (err == ELOOP)
			return diag_error(d, loc, "symbolic link loop");
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
		    (n = readlink(path, target, sizeof(target) - 1)) >= 0) {
			target[n] = '\0';
			diag_error(d, loc, "dangling symbolic link to '%s'",
				   target);
			diag_note(d, loc, "restore the capture it names, or "
				  "remove the link");
			return -1;
		}
		return diag_error(d, loc, "cannot read: %s", strerror(err));
	}
	if (S_ISREG(st.st_mode))
		return 1;
	if (S_ISDIR(st.st_mode)) {
		diag_warning(d, loc, "subdirectory not read (name it as an "
			     "argument to read it)");
		return 0;
	}
	return diag_error(d, loc, "not a regular file (%s): not read",
			  S_ISFIFO(st.st_mode)	 ? "a FIFO"
			  : S_ISSOCK(st.st_mode) ? "a socket"
			  : S_ISCHR(st.st_mode)	 ? "a character device"
			  : S_ISBLK(st.st_mode)	 ? "a block device"
						 : "a special file");
}

static int
ingest_dir(struct cluster_state *cs, struct diag *d, const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	VEC(char *) names = {NULL, 0, 0};
	struct buf p = BUF_INIT;
	size_t i;
	int rc = 0;

	if (!dp)
		return diag_error(d, (struct src_loc){dir, 0, 0},
				  "cannot open directory: %s", strerror(errno));
	while ((de = readdir(dp)) != NULL) {
		char **slot;

		if (de->d_name[0] == '.')
			continue;
		slot = vec_push(&names);
		if (!slot || !(*slot = strdup(de->d_name))) {
			rc = diag_error(d, (struct src_loc){dir, 0, 0},
					"out of memory");
			break;
		}
	}
	closedir(dp);
	if (names.n > 1)
		qsort(names.v, names.n, sizeof(*names.v), cmp_names);
	for (i = 0; i < names.n; i++) {
		int is_capture;

		if (rc == 0 || !names.v[i]) {
			buf_reset(&p);
			buf_addf(&p, "%s%s%s", dir,
				 dir[strlen(dir) - 1] == '/' ? "" : "/",
				 names.v[i] ? names.v[i] : "");
			is_capture = names.v[i] ? dir_entry_is_capture(
							  d, buf_cstr(&p),
							  names.v[i])
						: 0;
			if (is_capture < 0 ||
			    (is_capture > 0 &&
			     ingest_file(cs, d, buf_cstr(&p), KIND_UNKNOWN,
					 false) < 0))
				rc = -1;
		}
		free(names.v[i]);
	}
	vec_release(&names);
	buf_release(&p);
	return rc;
}

int
ingest_arg(struct cluster_state *cs, struct diag *d, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct stat st;
	size_t i;

	if (eq) {
		for (i = 0; i < ARRAY_SIZE(forced_kinds); i++) {
			size_t n = strlen(forced_kinds[i].name);

			if ((size_t)(eq - arg) != n ||
			    memcmp(arg, forced_kinds[i].name, n))
				continue;
			/* A GitOps tree: every manifest at any depth. */
			if (forced_kinds[i].kind == KIND_MANIFESTS &&
			    stat(eq + 1, &st) == 0 && S_ISDIR(st.st_mode))
				return ingest_tree(cs, d, eq + 1);
			return ingest_file(cs, d, eq + 1,
						   forced_kinds[i].kind,
						   forced_kinds[i].kubeadm);
		}
		if (stat(arg, &st) != 0)
			return diag_plain(d, DIAG_ERROR,
					  "unknown capture kind '%.*s' in '%s' "
					  "(want version, kubeadm, nodes, images, "
					  "packages, metrics, audit or manifests)",
					  (int)(eq - arg), arg, arg);
	}
	if (!strcmp(arg, "-"))
		return ingest_file(cs, d, arg, KIND_UNKNOWN, false);
	if (stat(arg, &st) != 0)
		return diag_error(d, (struct src_loc){arg, 0, 0},
				  "cannot open: %s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return ingest_dir(cs, d, arg);
	return ingest_file(cs, d, arg, KIND_UNKNOWN, false);
}

void
ingest_release(void)
{
	re_release_all();
}
