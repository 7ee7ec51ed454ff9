/*
 * tree.c - manifests=DIR: a GitOps repository or a directory of rendered
 * charts, read file by file at any depth in a fixed order.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct tree {
	struct cluster_state *cs;
	struct diag *d;
	VEC(struct dir_id) seen;	/* owned: directories entered */
	struct buf path;
	int rc;
};

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_manifest_name(const char *name)
{
	static const char *const exts[] = {".yaml", ".yml", ".json"};
	size_t n = strlen(name), i, k;

	for (i = 0; i < ARRAY_SIZE(exts); i++) {
		k = strlen(exts[i]);
		if (n > k && !strcmp(name + n - k, exts[i]))
			return true;
	}
	return false;
}

/* The names in dir, sorted; NULL (and t->rc = -1) after an error. */
static char **
read_names(struct tree *t, const char *dir, size_t *n)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	VEC(char *) names = {NULL, 0, 0};
	char **slot;

	*n = 0;
	if (!dp) {
		t->rc = diag_error(t->d, (struct src_loc){dir, 0, 0},
				   "cannot open directory: %s",
				   strerror(errno));
		return NULL;
	}
	while ((de = readdir(dp)) != NULL) {
		/* ., .., .git, .github and every other hidden entry. */
		if (de->d_name[0] == '.')
			continue;
		if (!(slot = vec_push(&names)) ||
		    !(*slot = strdup(de->d_name))) {
			if (slot)
				names.n--;
			t->rc = diag_error(t->d, (struct src_loc){dir, 0, 0},
					   "out of memory");
			break;
		}
	}
	closedir(dp);
	if (names.n > 1)
		qsort(names.v, names.n, sizeof(*names.v), cmp_names);
	*n = names.n;
	return names.v;
}

static bool
has_name(char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

static void
walk(struct tree *t, unsigned depth)
{
	/* Diagnostics may be held: they get the arena's copies. */
	const char *dir = arena_strdup(t->cs->arena, buf_cstr(&t->path));
	struct src_loc loc = {dir, 0, 0};
	struct stat st;
	struct dir_id *id;
	char **names;
	size_t n, i, len = t->path.len;
	bool chart;

	if (!dir) {
		t->rc = diag_error(t->d, (struct src_loc){"-", 0, 0},
				   "out of memory");
		return;
	}
	if (stat(dir, &st) != 0) {
		t->rc = diag_error(t->d, loc, "cannot read: %s",
				   strerror(errno));
		return;
	}
	vec_foreach(&t->seen, id)
		if (id->dev == st.st_dev && id->ino == st.st_ino) {
			diag_warning(t->d, loc, "directory already read (a "
				     "symbolic link back into the tree): "
				     "not read again");
			return;
		}
	if (depth > LIMIT_DEPTH) {
		t->rc = diag_error(t->d, loc, "directories nested deeper "
				   "than %u levels", LIMIT_DEPTH);
		return;
	}
	if (!(id = vec_push(&t->seen))) {
		t->rc = diag_error(t->d, loc, "out of memory");
		return;
	}
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	if (!(names = read_names(t, dir, &n)))
		return;
	chart = has_name(names, n, "Chart.yaml");
	for (i = 0; i < n; i++) {
		t->path.len = len;
		buf_addf(&t->path, "%s%s", len && t->path.s[len - 1] == '/'
						   ? "" : "/", names[i]);
		if (t->path.oom || !(loc.path = arena_strdup(
						  t->cs->arena,
						  buf_cstr(&t->path)))) {
			loc.path = dir;
			t->rc = diag_error(t->d, loc, "out of memory");
			break;
		}
		if (stat(loc.path, &st) != 0) {
			/* Dangling or looping links fail as in a snapshot. */
			t->rc = diag_error(t->d, loc, "cannot read: %s",
					   strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			if (chart && !strcmp(names[i], "templates"))
				diag_warning(t->d, loc, "Helm chart templates "
					     "not read: render them with "
					     "'helm template' and pass the "
					     "output");
			else
				walk(t, depth + 1);
		} else if (S_ISREG(st.st_mode) && is_manifest_name(names[i])) {
			if (ingest_tree_file(t->cs, t->d, loc.path) < 0)
				t->rc = -1;
		}
		loc.path = dir;
	}
	t->path.len = len;
	if (t->path.s)
		t->path.s[len] = '\0';
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
ingest_tree(struct cluster_state *cs, struct diag *d, const char *dir)
{
	struct tree t;

	memset(&t, 0, sizeof(t));
	t.cs = cs;
	t.d = d;
	buf_init(&t.path);
	buf_adds(&t.path, dir);
	if (t.path.oom)
		return diag_error(d, (struct src_loc){dir, 0, 0},
				  "out of memory");
	walk(&t, 0);
	vec_release(&t.seen);
	buf_release(&t.path);
	return t.rc;
}
