/*
 * test_yaml_walk.c - base/yaml_walk.c on hostile shapes (issue 15): nesting
 * inside skipped nodes, aliases, merge and complex keys, repeated keys,
 * and where a reader error (invalid UTF-8) is reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../analyzer/base/base.h"

/* Every scalar as "path=value@line:col", one a line. */
struct log {
	struct buf b;
	const char *skip;	/* path whose node open() skips, or NULL */
};

static int
log_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	   struct src_loc loc)
{
	struct log *lg = ctx;

	buf_addf(&lg->b, "%s=%.*s@%u:%u\n", yaml_walk_path(w), (int)len, s,
		 (unsigned)loc.line, (unsigned)loc.col);
	return 0;
}

static int
log_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct log *lg = ctx;

	(void)is_map;
	(void)loc;
	return lg->skip && !strcmp(yaml_walk_path(w), lg->skip) ? YAML_WALK_SKIP
								 : 0;
}

static const struct yaml_walk_ops log_ops = {log_scalar, log_open, NULL};

/* A yaml_read_fn that hands out at most chunk bytes at a time. */
struct slow {
	struct yaml_mem m;
	size_t chunk;
};

static int
slow_read(void *data, unsigned char *out, size_t size, size_t *size_read)
{
	struct slow *s = data;

	return yaml_mem_read(&s->m, out, size < s->chunk ? size : s->chunk,
			     size_read);
}

/* Walks text[0..len), chunk bytes per read (0: as many as asked). */
static int
walk_chunked(const char *text, size_t len, size_t chunk, struct log *lg,
	     struct diag *d)
{
	struct slow s = {{text, len, 0}, chunk ? chunk : SIZE_MAX};
	struct yaml_walk w;

	return yaml_walk_run(&w, "in.yaml", d, slow_read, &s, &log_ops, lg);
}

/*
 * Walks text (chunk bytes per read, 0 for as much as libyaml asks) with
 * lg's skip. Returns the walk's result; first is the first line diag
 * printed ("" if none), without the "in.yaml:" prefix.
 */
static int
walk_first(const char *text, size_t len, size_t chunk, struct log *lg,
	   char first[256])
{
	struct diag d;
	size_t n;
	char *nl;
	int rc;

	diag_init(&d);
	d.out = tmpfile();
	assert_non_null(d.out);
	d.no_source = true;
	rc = walk_chunked(text, len, chunk, lg, &d);
	rewind(d.out);
	n = fread(first, 1, 255, d.out);
	first[n] = '\0';
	if ((nl = strchr(first, '\n')))
		*nl = '\0';
	if (!strncmp(first, "in.yaml:", 8))
		memmove(first, first + 8, strlen(first + 8) + 1);
	assert_int_equal(rc < 0, d.errors > 0);
	fclose(d.out);
	diag_release(&d);
	return rc;
}

/* The walk of text fails with first error want, or succeeds (want NULL). */
static void
check(const char *text, size_t len, size_t chunk, struct log *lg,
      const char *want)
{
	char first[256];
	int rc = walk_first(text, len, chunk, lg, first);

	if (!want) {
		assert_string_equal(first, "");
		assert_int_equal(rc, 0);
		return;
	}
	assert_int_equal(rc, -1);
	assert_string_equal(first, want);
}

static void
yaml_walk_limits_nesting_inside_a_skipped_node(void **state)
{
	struct buf b = BUF_INIT;
	struct log lg = {BUF_INIT, ".metadata.labels"};
	size_t i;

	(void)state;
	/*
	 * Block nesting, 200 deep, under a node open() skips. The root map,
	 * metadata, labels and a's list come first: the 65th level is the
	 * 62nd '-' (column 7 + 2 * 61).
	 */
	buf_adds(&b, "metadata:\n  labels:\n    a:\n      ");
	for (i = 0; i < 200; i++)
		buf_adds(&b, "- ");
	buf_adds(&b, "x\nspec: {nodeName: n1}\n");
	check(b.s, b.len, 0, &lg, "4:129: error: nesting deeper than 64 levels");
	/* Flow nesting: the 65th level is the 63rd '['. */
	buf_reset(&b);
	buf_adds(&b, "metadata:\n  labels: ");
	for (i = 0; i < 200; i++)
		buf_addc(&b, '[');
	for (i = 0; i < 200; i++)
		buf_addc(&b, ']');
	buf_adds(&b, "\nspec: {nodeName: n1}\n");
	check(b.s, b.len, 0, &lg, "2:73: error: nesting deeper than 64 levels");
	/* 64 levels in all are fine. */
	buf_reset(&b);
	buf_adds(&b, "metadata:\n  labels: ");
	for (i = 0; i < 62; i++)
		buf_addc(&b, '[');
	for (i = 0; i < 62; i++)
		buf_addc(&b, ']');
	buf_adds(&b, "\nspec: {nodeName: n1}\n");
	check(b.s, b.len, 0, &lg, NULL);
	assert_string_equal(buf_cstr(&lg.b), ".spec.nodeName=n1@3:18\n");
	buf_release(&b);
	buf_release(&lg.b);
}

static void
yaml_walk_refuses_an_alias_where_values_are_read(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"clientVersion: &cv {gitVersion: v1.27.3}\n"
		 "serverVersion: *cv\n",
		 "2:16: error: YAML alias '*cv' is not supported"},
		{"spec:\n  nodeName: &n node-1\nx:\n  nodeName: *n\n",
		 "4:13: error: YAML alias '*n' is not supported"},
		{"spec:\n  containers:\n  - &c {name: a, image: nginx}\n"
		 "  - *c\n",
		 "4:5: error: YAML alias '*c' is not supported"},
		{"a: &k b\n*k : c\n",
		 "2:1: error: YAML alias '*k' is not supported"},
		{"{\"a\": 1, \"<<\": 2}\n", NULL},
		{"<<: {a: 1}\n",
		 "1:1: error: YAML merge key '<<' is not supported"},
		{"? [a, b]\n: c\n",
		 "1:3: error: a sequence as a mapping key is not supported"},
		{"{{a: 1}: c}\n",
		 "1:2: error: a mapping as a mapping key is not supported"},
	};
	struct log lg = {BUF_INIT, NULL};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check(cases[i].text, strlen(cases[i].text), 0, &lg,
		      cases[i].msg);
	buf_release(&lg.b);
}

static void
yaml_walk_accepts_aliases_inside_a_skipped_node(void **state)
{
	static const char text[] = "status:\n  a: &x [1, 2]\n  b: [*x, *x]\n"
				   "spec: {nodeName: n1}\n";
	struct log lg = {BUF_INIT, ".status"};

	(void)state;
	check(text, strlen(text), 0, &lg, NULL);
	assert_string_equal(buf_cstr(&lg.b), ".spec.nodeName=n1@4:18\n");
	buf_release(&lg.b);
}

static void
yaml_walk_refuses_a_key_given_twice_naming_both_lines(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"a: 1\nm:\n  x: 1\n  y: 2\n  x: 3\n",
		 "5:3: error: duplicate key 'x' (first on line 3)"},
		{"{\"gitVersion\": \"v1.27.3\",\n \"gitVersion\": \"v1.28.0\"}\n",
		 "2:2: error: duplicate key 'gitVersion' (first on line 1)"},
		/* Keys compare as text, whatever their quoting. */
		{"a: 1\n\"a\": 2\n",
		 "2:1: error: duplicate key 'a' (first on line 1)"},
		{"items:\n- {name: a}\n- {name: b, kind: x, name: c}\n",
		 "3:22: error: duplicate key 'name' (first on line 3)"},
		/* The same key at several depths and in siblings is fine. */
		{"name: a\nspec: {name: b, spec: {name: c}}\n"
		 "items: [{name: d}, {name: e}]\nkind: x\n", NULL},
		{"\"\": 1\nb: 2\n'': 3\n",
		 "3:1: error: duplicate key '' (first on line 1)"},
		/* Control bytes in a key are shown escaped. */
		{"\"a\\tb\\u0001\": 1\n\"a\\tb\\u0001\": 2\n",
		 "2:1: error: duplicate key 'a\\x09b\\x01' (first on line 1)"},
	};
	struct log lg = {BUF_INIT, NULL};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check(cases[i].text, strlen(cases[i].text), 0, &lg,
		      cases[i].msg);
	buf_release(&lg.b);
}

/*
 * Many mappings open and close (their keys leave the hash set), keys in
 * scrambled orders and nested maps reusing them; a repeat is still found
 * in the last, large one.
 */
static void
yaml_walk_finds_a_repeated_key_after_many_mappings_closed(void **state)
{
	struct buf b = BUF_INIT;
	struct log lg = {BUF_INIT, NULL};
	unsigned i, j, line = 1, dup = (1234u * 7919u) % 20000u;
	char want[96];

	(void)state;
	buf_adds(&b, "items:\n");
	line++;
	for (i = 0; i < 300; i++) {
		buf_adds(&b, "- ");
		for (j = 0; j < 40; j++) {
			unsigned k = (j * 17 + i) % 40;

			buf_addf(&b, "%sk%u: v\n", j ? "  " : "", k);
			line++;
			if (j == 7) {
				buf_addf(&b, "  n%u: {k%u: 1, y: 2, x: 3}\n",
					 i, k);
				line++;
			}
		}
	}
	check(b.s, b.len, 0, &lg, NULL);
	buf_adds(&b, "big:\n");
	line++;
	/* line is now that of the first key of big. */
	for (i = 0; i < 20000; i++)
		buf_addf(&b, "  key%u: v\n", (i * 7919u) % 20000u);
	buf_addf(&b, "  key%u: again\n", dup);
	snprintf(want, sizeof(want),
		 "%u:3: error: duplicate key 'key%u' (first on line %u)",
		 line + 20000, dup, line + 1234);
	check(b.s, b.len, 0, &lg, want);
	buf_release(&b);
	buf_release(&lg.b);
}

/*
 * libyaml locates a reader error only by byte offset; the walker turns it
 * into the line and column (in characters), however the input is read.
 */
static void
yaml_walk_locates_invalid_utf8_on_its_own_line(void **state)
{
	static const size_t chunks[] = {0, 1, 3, 7, 4096, 16383};
	struct buf b = BUF_INIT;
	struct log lg = {BUF_INIT, NULL};
	size_t i, c;

	(void)state;
	buf_adds(&b, "items:\n");
	for (i = 0; i < 1001; i++)
		buf_adds(&b, "- kind: Pod\n  x: y\n");
	/* Line 2004: "café " then a byte that starts no UTF-8 sequence. */
	buf_adds(&b, "  name: \"caf\xc3\xa9 \xff\"\n");
	for (c = 0; c < ARRAY_SIZE(chunks); c++)
		check(b.s, b.len, chunks[c], &lg,
		      "2004:15: error: invalid leading UTF-8 octet");
	/* A sequence cut short by a newline, across any read boundary. */
	buf_reset(&b);
	buf_adds(&b, "a: 1\nb: \xe2\x82\nc: 2\n");
	for (c = 0; c < ARRAY_SIZE(chunks); c++)
		check(b.s, b.len, chunks[c], &lg,
		      "2:5: error: invalid trailing UTF-8 octet");
	/* A control byte on line 3. */
	check("a: 1\nb: 2\nc: x\x01y\n", 16, 0, &lg,
	      "3:5: error: control characters are not allowed");
	buf_release(&b);
	buf_release(&lg.b);
}

static void
yaml_walk_reads_json_as_before(void **state)
{
	static const char text[] =
		"{\"items\": [{\"metadata\": {\"name\": \"n1\"},\n"
		" \"spec\": {\"x\": [1, {\"name\": 2}]}}], \"name\": \"list\"}\n";
	struct log lg = {BUF_INIT, NULL};

	(void)state;
	check(text, strlen(text), 0, &lg, NULL);
	assert_string_equal(buf_cstr(&lg.b),
			    ".items[].metadata.name=n1@1:34\n"
			    ".items[].spec.x[]=1@2:17\n"
			    ".items[].spec.x[].name=2@2:29\n"
			    ".name=list@2:45\n");
	buf_release(&lg.b);
}

/* Every open and close too, for the tee: "+path" and "-path". */
static int
tee_log_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct log *lg = ctx;
	const char *path = yaml_walk_path(w), *at;
	size_t n = strlen(path);

	(void)is_map;
	(void)loc;
	buf_addf(&lg->b, "+%s\n", path);
	/* skip is "|.b|.d|": a path between bars. */
	at = n ? strstr(lg->skip, path) : NULL;
	return at && at[-1] == '|' && at[n] == '|' ? YAML_WALK_SKIP : 0;
}

static int
tee_log_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct log *lg = ctx;

	(void)is_map;
	buf_addf(&lg->b, "-%s\n", yaml_walk_path(w));
	return 0;
}

static void
yaml_tee_gives_each_consumer_its_own_skips(void **state)
{
	static const struct yaml_walk_ops ops = {log_scalar, tee_log_open,
						 tee_log_close};
	static const char text[] = "b: {x: 1}\nc: {y: 2}\nd: {z: 3}\n";
	/* a skips .b and .d, b skips .c and .d: the walker skips .d. */
	struct log a = {BUF_INIT, "|.b|.d|"}, b = {BUF_INIT, "|.c|.d|"};
	struct yaml_tee tee = {{&ops, &ops}, {&a, &b}, {0, 0}, 0, 2};
	struct yaml_mem m = {text, sizeof(text) - 1, 0};
	struct yaml_walk w;
	struct diag d;

	(void)state;
	diag_init(&d);
	assert_int_equal(yaml_walk_run(&w, "in.yaml", &d, yaml_mem_read, &m,
				       &yaml_tee_ops, &tee),
			 0);
	/* The root's path is "": "+" and "-" alone. */
	assert_string_equal(buf_cstr(&a.b), "+\n+.b\n+.c\n.c.y=2@2:8\n-.c\n"
					    "+.d\n-\n");
	assert_string_equal(buf_cstr(&b.b), "+\n+.b\n.b.x=1@1:8\n-.b\n+.c\n"
					    "+.d\n-\n");
	assert_int_equal(tee.depth, 0);
	buf_release(&a.b);
	buf_release(&b.b);
	diag_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(yaml_walk_limits_nesting_inside_a_skipped_node),
		cmocka_unit_test(yaml_walk_refuses_an_alias_where_values_are_read),
		cmocka_unit_test(yaml_walk_accepts_aliases_inside_a_skipped_node),
		cmocka_unit_test(yaml_walk_refuses_a_key_given_twice_naming_both_lines),
		cmocka_unit_test(yaml_walk_finds_a_repeated_key_after_many_mappings_closed),
		cmocka_unit_test(yaml_walk_locates_invalid_utf8_on_its_own_line),
		cmocka_unit_test(yaml_walk_reads_json_as_before),
		cmocka_unit_test(yaml_tee_gives_each_consumer_its_own_skips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
