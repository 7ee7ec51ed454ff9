/*
 * fuzz_rules.c - libFuzzer target for the rules loader. A private copy of
 * rules/ is made once; each input replaces one of its files (the first
 * byte picks which) and the whole directory is loaded and validated.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../analyzer/rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {
	"rulesets.yaml",	 "data/releases.yaml",	 "data/skew.yaml",
	"data/kubeadm.yaml",	 "data/registries.yaml", "data/packages.yaml",
	"skew/skew.yaml",	 "support/support.yaml", "meta/meta.yaml",
};

static char dir[64];

static void
cleanup(void)
{
	char cmd[128];

	if (dir[0] && snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) <
			      (int)sizeof(cmd))
		(void)system(cmd);
}

static int
setup(void)
{
	const char *src = getenv("FUZZ_RULES_DIR");
	char cmd[4096];

	snprintf(dir, sizeof(dir), "/tmp/skewplan-fuzz-rules-%ld",
		 (long)getpid());
	if (snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s'", dir,
		     src ? src : "rules", dir) >= (int)sizeof(cmd) ||
	    system(cmd) != 0)
		return -1;
	atexit(cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char path[256], orig[300], cmd[700];
	struct rules_db db;
	struct arena a;
	struct diag d;
	size_t k;
	FILE *fp;

	if (!ready)
		ready = setup() == 0 ? 1 : -1;
	if (ready < 0 || size == 0)
		return 0;
	k = data[0] % (sizeof(files) / sizeof(files[0]));
	snprintf(path, sizeof(path), "%s/%s", dir, files[k]);
	snprintf(orig, sizeof(orig), "%s.orig", path);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", path, orig);
	if (system(cmd) != 0 || !(fp = fopen(path, "wb")))
		return 0;
	fwrite(data + 1, 1, size - 1, fp);
	fclose(fp);
	diag_init(&d);
	d.out = fopen("/dev/null", "w");
	d.no_source = true;
	arena_init(&a);
	memset(&db, 0, sizeof(db));
	if (rules_load(&db, &a, &d, dir) == 0)
		rules_release(&db);
	arena_release(&a);
	if (d.out)
		fclose(d.out);
	diag_release(&d);
	re_release_all();
	rename(orig, path);
	return 0;
}
