/*
 * replay.c - runs one fuzz target over every file of a corpus directory
 * without libFuzzer, so `make test` replays the seeds and every crasher
 * ever found under the sanitizers (SQLite's fuzzcheck).
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;
	uint8_t chunk[65536];

	if (!fp)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (len + n > cap) {
			uint8_t *p;

			cap = (len + n) * 2;
			p = realloc(data, cap);
			if (!p) {
				free(data);
				fclose(fp);
				return -1;
			}
			data = p;
		}
		memcpy(data + len, chunk, n);
		len += n;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data ? data : (const uint8_t *)"", len);
	free(data);
	return 0;
}

/*
 * Replays one path: a file, or every file below a directory (recursively,
 * dot files excepted). A path that cannot be read is an error, never a
 * silent skip: a seed the target never sees proves nothing.
 */
static int
replay_path(const char *path, int *count)
{
	struct stat st;
	DIR *dp;
	struct dirent *de;
	int rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (replay_file(path) != 0) {
			fprintf(stderr, "replay: %s: cannot read\n", path);
			return -1;
		}
		(*count)++;
		return 0;
	}
	if (!(dp = opendir(path))) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >=
		    (int)sizeof(sub)) {
			fprintf(stderr, "replay: %s/%s: path too long\n", path,
				de->d_name);
			rc = -1;
			continue;
		}
		if (replay_path(sub, count) != 0)
			rc = -1;
	}
	closedir(dp);
	return rc;
}

int
main(int argc, char **argv)
{
	int i, count = 0, rc = 0;

	for (i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) != 0)
			rc = 1;
	printf("replayed %d inputs\n", count);
	if (count == 0) {
		fprintf(stderr, "replay: no inputs\n");
		rc = 1;
	}
	return rc;
}
