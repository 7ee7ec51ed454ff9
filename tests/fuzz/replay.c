/*
 * replay.c - runs one fuzz target over every file of a corpus directory
 * without libFuzzer, so `make test` replays the seeds and every crasher
 * ever found under the sanitizers (SQLite's fuzzcheck).
 */
#include <dirent.h>
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

int
main(int argc, char **argv)
{
	int i, count = 0;

	for (i = 1; i < argc; i++) {
		DIR *dp = opendir(argv[i]);
		struct dirent *de;
		char path[4096];

		if (!dp) {
			if (replay_file(argv[i]) == 0)
				count++;
			continue;
		}
		while ((de = readdir(dp)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (replay_file(path) == 0)
				count++;
		}
		closedir(dp);
	}
	printf("replayed %d inputs\n", count);
	return 0;
}
