/*
 * floor - the "libyaml floor": how fast can a YAML file be read at all?
 *
 * usage: floor FILE
 *
 * Runs the bare libyaml event loop over FILE, yaml_parser_parse() and
 * yaml_event_delete() until the end of the stream, keeping nothing, and
 * prints the number of events. No parser built on libyaml events can be
 * faster than this, so skewplan's time divided by this one is the cost
 * of everything skewplan does beyond parsing. JSON is YAML too, so the
 * same loop gives a floor for the JSON files.
 *
 * Build: cc -std=c11 -O2 floor.c $(pkg-config --cflags --libs yaml-0.1)
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#define IN_BUFSIZE	(1u << 20)

int
main(int argc, char **argv)
{
	yaml_parser_t parser;
	yaml_event_t event;
	unsigned long long events = 0;
	FILE *fp;
	int done = 0;

	if (argc != 2) {
		fputs("usage: floor FILE\n", stderr);
		return 2;
	}
	fp = fopen(argv[1], "rb");
	if (fp == NULL) {
		fprintf(stderr, "floor: error: open %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	if (setvbuf(fp, NULL, _IOFBF, IN_BUFSIZE) != 0) {
		fputs("floor: error: setvbuf failed\n", stderr);
		return 1;
	}
	if (!yaml_parser_initialize(&parser)) {
		fputs("floor: error: out of memory\n", stderr);
		return 1;
	}
	yaml_parser_set_input_file(&parser, fp);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "floor: error: %s:%lu:%lu: %s\n",
			    argv[1],
			    (unsigned long)parser.problem_mark.line + 1,
			    (unsigned long)parser.problem_mark.column + 1,
			    parser.problem != NULL ? parser.problem :
			    "parse error");
			yaml_parser_delete(&parser);
			fclose(fp);
			return 1;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		events++;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	if (ferror(fp)) {
		fprintf(stderr, "floor: error: read %s failed\n", argv[1]);
		fclose(fp);
		return 1;
	}
	fclose(fp);
	printf("%llu\n", events);
	return 0;
}
