/*
 * floor - the "libyaml floor": how fast can a YAML file be read at all?
 *
 * usage: floor [-l] FILE...
 *
 * Runs the bare libyaml event loop over FILE, yaml_parser_parse() and
 * yaml_event_delete() until the end of the stream, keeping nothing, and
 * prints the number of events. No parser built on libyaml events can be
 * faster than this, so skewplan's time divided by this one is the cost
 * of everything skewplan does beyond parsing. JSON is YAML too, so the
 * same loop gives a floor for the JSON files. Several files are read one
 * after the other (a directory of manifests). With -l it reads lines
 * instead, with getline(): the floor of a JSON-lines audit log.
 *
 * Build: cc -std=c11 -O2 floor.c $(pkg-config --cflags --libs yaml-0.1)
 */

#define _POSIX_C_SOURCE 200809L /* getline */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#define IN_BUFSIZE	(1u << 20)

/* The bare libyaml event loop over one file: its event count, or -1. */
static long long
yaml_floor(const char *path)
{
	yaml_parser_t parser;
	yaml_event_t event;
	long long events = 0;
	FILE *fp;
	int done = 0;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		fprintf(stderr, "floor: error: open %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	if (setvbuf(fp, NULL, _IOFBF, IN_BUFSIZE) != 0 ||
	    !yaml_parser_initialize(&parser)) {
		fputs("floor: error: out of memory\n", stderr);
		fclose(fp);
		return -1;
	}
	yaml_parser_set_input_file(&parser, fp);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "floor: error: %s:%lu:%lu: %s\n",
			    path,
			    (unsigned long)parser.problem_mark.line + 1,
			    (unsigned long)parser.problem_mark.column + 1,
			    parser.problem != NULL ? parser.problem :
			    "parse error");
			events = -1;
			break;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		events++;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	if (events >= 0 && ferror(fp)) {
		fprintf(stderr, "floor: error: read %s failed\n", path);
		events = -1;
	}
	fclose(fp);
	return events;
}

/*
 * The bare line read (-l): getline() over the file, keeping nothing; the
 * floor of any reader of a JSON-lines log such as the audit log.
 */
static long long
line_floor(const char *path)
{
	char *line = NULL;
	size_t cap = 0;
	long long lines = 0;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL || setvbuf(fp, NULL, _IOFBF, IN_BUFSIZE) != 0) {
		fprintf(stderr, "floor: error: open %s: %s\n", path,
		    strerror(errno));
		if (fp)
			fclose(fp);
		return -1;
	}
	while (getline(&line, &cap, fp) >= 0)
		lines++;
	free(line);
	if (ferror(fp)) {
		fprintf(stderr, "floor: error: read %s failed\n", path);
		lines = -1;
	}
	fclose(fp);
	return lines;
}

int
main(int argc, char **argv)
{
	long long total = 0, n;
	int i = 1, lines = 0;

	if (argc > 1 && !strcmp(argv[1], "-l")) {
		lines = 1;
		i++;
	}
	if (i >= argc) {
		fputs("usage: floor [-l] FILE...\n", stderr);
		return 2;
	}
	for (; i < argc; i++) {
		n = lines ? line_floor(argv[i]) : yaml_floor(argv[i]);
		if (n < 0)
			return 1;
		total += n;
	}
	printf("%lld\n", total);
	return 0;
}
