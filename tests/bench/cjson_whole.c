/*
 * cjson_whole - the "cJSON floor" for a JSON file: the whole document
 * parsed at once with cJSON, as a program that does not stream must.
 *
 * usage: cjson_whole FILE
 *
 * Reads FILE into memory, cJSON_ParseWithLength() over all of it, prints
 * the number of elements of the root's "items" and frees the tree. Its
 * time is what skewplan's item-by-item JSON path (analyzer/base/
 * json_walk.c) is measured against, and its memory (the file plus the
 * tree, about 3x the file) what streaming saves (issue 11).
 *
 * Build: cc -std=c11 -O2 cjson_whole.c $(pkg-config --cflags --libs libcjson)
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

int
main(int argc, char **argv)
{
	FILE *fp;
	char *buf;
	long n;
	cJSON *root;

	if (argc != 2) {
		fputs("usage: cjson_whole FILE\n", stderr);
		return 2;
	}
	fp = fopen(argv[1], "rb");
	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		fprintf(stderr, "cjson_whole: error: %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "cjson_whole: error: cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(fp);
	root = cJSON_ParseWithLength(buf, (size_t)n);
	if (root == NULL) {
		fprintf(stderr, "cjson_whole: error: %s: not JSON\n", argv[1]);
		return 1;
	}
	printf("%d\n", cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root,
	    "items")));
	cJSON_Delete(root);
	free(buf);
	return 0;
}
