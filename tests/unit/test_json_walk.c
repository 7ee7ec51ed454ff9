/*
 * test_json_walk.c - a JSON List read item by item (base/json_walk.c)
 * gives every yaml_walk consumer what libyaml gives it: the same opens,
 * scalars and closes, with the same paths, values, styles and file:line:col,
 * and the same diagnostics. Each case is walked both ways
 * (SKEWPLAN_NO_JSON_ITEMS selects libyaml) in several chunkings, and the
 * two logs must be equal byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "../../analyzer/base/base.h"

/* Every callback as one line; skip: the path whose open() skips. */
struct log {
	struct buf b;
	const char *skip;
};

static int
log_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	   struct src_loc loc)
{
	struct log *lg = ctx;

	buf_addf(&lg->b, "S %s%s%s @%u:%u =", yaml_walk_path(w),
		 w->plain ? " plain" : "", w->is_null ? " null" : "",
		 (unsigned)loc.line, (unsigned)loc.col);
	buf_add(&lg->b, s, len);
	buf_addc(&lg->b, '\n');
	return 0;
}

static int
log_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct log *lg = ctx;

	buf_addf(&lg->b, "O%c %s @%u:%u\n", is_map ? 'm' : 's',
		 yaml_walk_path(w), (unsigned)loc.line, (unsigned)loc.col);
	return lg->skip && !strcmp(yaml_walk_path(w), lg->skip) ? YAML_WALK_SKIP
								 : 0;
}

static int
log_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct log *lg = ctx;

	buf_addf(&lg->b, "C%c %s\n", is_map ? 'm' : 's', yaml_walk_path(w));
	return 0;
}

static const struct yaml_walk_ops log_ops = {log_scalar, log_open,
					     log_close};

/* Allocation number that fails in the walk (0: none); see the OOM test. */
static unsigned long fail_n;
/* Lines of the file before the text walked (yaml_walk_run_at). */
static uint32_t line_base;

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

/*
 * Walks text[0..len) one way into out: every line diag printed and the
 * result, then, when the walk succeeded, the callbacks (before an error
 * they differ: libyaml scans a few tokens ahead of its events, so it may
 * fail before the callbacks of an element that the JSON path walked).
 * Returns the number of libyaml events: 0 when the JSON path read it all.
 */
static unsigned long
walk(const char *text, size_t len, size_t chunk, const char *skip,
     bool libyaml, struct buf *out)
{
	struct slow s = {{text, len, 0}, chunk ? chunk : SIZE_MAX};
	struct log lg = {BUF_INIT, skip};
	struct yaml_walk w;
	struct diag d;
	char tmp[4096];
	size_t n;
	int rc;

	if (libyaml)
		setenv("SKEWPLAN_NO_JSON_ITEMS", "1", 1);
	else
		unsetenv("SKEWPLAN_NO_JSON_ITEMS");
	diag_init(&d);
	d.out = tmpfile();
	assert_non_null(d.out);
	d.no_source = true;
	base_fail_alloc_after(fail_n);
	rc = yaml_walk_run_at(&w, "in.json", line_base, &d, slow_read, &s,
			      &log_ops, &lg);
	base_fail_alloc_after(0);
	assert_int_equal(rc < 0, d.errors > 0);
	if (lg.b.oom)
		buf_adds(out, "log out of memory\n");
	rewind(d.out);
	while ((n = fread(tmp, 1, sizeof(tmp), d.out)) > 0)
		buf_add(out, tmp, n);
	buf_addf(out, "rc %d\n", rc);
	if (rc == 0)
		buf_add(out, lg.b.s ? lg.b.s : "", lg.b.len);
	fclose(d.out);
	diag_release(&d);
	buf_release(&lg.b);
	unsetenv("SKEWPLAN_NO_JSON_ITEMS");
	return w.events;
}

/*
 * text walks the same both ways in every chunking; fast: the JSON path
 * reads it without libyaml (1), with libyaml (0), either (-1).
 */
static void
same_both_ways(const char *text, size_t len, const char *skip, int fast)
{
	static const size_t chunks[] = {0, 1, 2, 7, 64, 4096};
	struct buf want = BUF_INIT;
	size_t i;

	walk(text, len, 0, skip, true, &want);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		struct buf got = BUF_INIT;
		unsigned long events = walk(text, len, chunks[i], skip, false,
					    &got);

		if (got.len != want.len || memcmp(got.s, want.s, got.len)) {
			print_error("chunk %zu:\n--- libyaml\n%s--- json\n%s",
				    chunks[i], buf_cstr(&want),
				    buf_cstr(&got));
			buf_release(&got);
			buf_release(&want);
			fail();
		}
		if (fast >= 0 && (events == 0) != (fast == 1)) {
			print_error("chunk %zu: %lu libyaml events in:\n%s\n",
				    chunks[i], events, text);
			buf_release(&got);
			buf_release(&want);
			fail();
		}
		buf_release(&got);
	}
	buf_release(&want);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *s;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return s;
}

static const char *const fixtures[] = {
	"fixtures/nodes/list.json",
	"fixtures/images/podlist.json",
	"fixtures/apis-manifests/flowcontrol.json",
};

static void
kubectl_lists_walk_as_libyaml_walks_them(void **state)
{
	static const char *const skips[] = {
		NULL, ".items", ".items[].status", ".items[].metadata", "",
		".metadata",
	};
	size_t i, k, len;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		char *s = slurp(fixtures[i], &len);

		for (k = 0; k < sizeof(skips) / sizeof(skips[0]); k++)
			same_both_ways(s, len, skips[k], 1);
		free(s);
	}
}

static void
shapes_walk_as_libyaml_walks_them(void **state)
{
	static const struct {
		const char *doc;
		int fast;
	} cases[] = {
		/* kubectl's layout, and the same on one line. */
		{"{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"
		 "        {\n            \"a\": 1,\n            \"b\": [true, "
		 "false, null, -1.5e3, \"x\"]\n        }\n    ],\n"
		 "    \"kind\": \"List\",\n    \"metadata\": {\n"
		 "        \"resourceVersion\": \"\"\n    }\n}\n", 1},
		{"{\"apiVersion\":\"v1\",\"items\":[{\"a\":{\"b\":[1,2]}},{}],"
		 "\"kind\":\"List\"}", 1},
		/* Characters, not bytes, make columns. */
		{"{\"items\": [{\"ä\": \"ö\", \"b\": \"€\"}, {\"c\": 1}]}", 1},
		{"{\"items\": [\"x\\u00e9\\n\\\"\", 1, [], {}, null]}", 1},
		{"{\"items\": []}", 1},
		{"{\"items\": [1, 2, ]}", 1},
		{"{\"items\": [1], }", 1},
		{"\n\n  {\"items\": [1]}\n\n", 1},
		/* What cJSON reads unlike libyaml goes to libyaml. */
		{"{\"items\": [{\"a\": \"tab\there\"}]}", -1},
		{"{\"items\": [{\"a\": \"line\nbreak\"}, 2]}", -1},
		{"{\"items\": [\"\\u0000x\", \"\\ud83d\\ude00\"]}", -1},
		{"{\"items\": [{\"a\": \"\xc2\x85\"}, {\"b\": 1}]}", -1},
		{"{\"items\": [{\"a\": \"\xe2\x80\xa8\"}]}", -1},
		{"{\"items\": [{\"a\": \"\xff\"}]}", -1},
		{"{\"items\": [{\"a\": \"\xef\xbf\xbe\"}]}", -1},
		{"{\"items\": [{a: b, 'c': [d]}, {\"e\": yes}]}", -1},
		{"{\"items\": [{\"a\": \"\\x41\"}]}", -1},
		{"{\"items\": [{\"a\": 1, \"a\": 2}]}", 1},
		{"{\"items\": [1], \"kind\": \"List\", \"items\": 2}", 1},
		{"{\"items\": [{\"a\": *x}]}", -1},
		{"{\"items\": [1], \"kind\": 'List'}", -1},
		/* Errors in an element: libyaml's words. */
		{"{\"items\": [{\"a\" 1}]}", -1},
		{"{\"items\": [{\"a\": [1}]}", -1},
		{"{\"items\": [{\"a\": \"x\x01\"}]}", -1},
		{"{\"items\": [{\"a\": 1", -1},
		{"{\"items\": [{\"a\": \"x", -1},
		{"{\"items\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		 "[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
		 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", -1},
		/* Not a List, or not JSON before items: libyaml reads it. */
		{"{\"kind\": \"Node\", \"status\": {\"items\": [1]}}", 0},
		{"{\"items\": 1}", 0},
		{"{kind: List, \"items\": [1]}", 0},
		{"\xef\xbb\xbf{\"items\": [1]}", 0},
		{"[{\"items\": [1]}]", 0},
		{"kind: List\nitems: [1]\n", 0},
		{"{\"a\": \"\\u00e9\", \"items\": [1]}", 0},
		{"\t\n  {\"items\": [1]}\n", 0},
		{"{\"a\": 1,\r\"items\": [1]}", 0},
		{"{\"items\": [1]}\n\t\n", -1},
		{"{\"items\": [1],\r\"a\": 2}", -1},
		{"{\"items\": [1]}\n---\n{}\n", -1},
		{"{\"items\": [1]} # a comment\n", -1},
		/* Between elements: the scanner's words are libyaml's. */
		{"{\"items\": [1 2, a\n b]}", -1},
		{"{\"items\": [1], \"x\": [1 2]}", -1},
		{"{\"items\": [{} {}]}", -1},
		{"{\"items\": [{},, {}]}", -1},
		{"{\"items\": [{}]} x", -1},
		{"{\"items\": [{}]}\n{}", -1},
		{"{\"items\": [{}], \"a\": \x01}", -1},
		{"{\"items\": [{}], \"a\": 1", -1},
		{"{\"items\": [{}]", -1},
		{"{\"items\": [{}], \"a\": \"", -1},
	};
	size_t i;

	(void)state;
	/* Alone, and as a part of a file from its line 8 on (a session). */
	for (line_base = 0; line_base < 14; line_base += 7)
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			same_both_ways(cases[i].doc, strlen(cases[i].doc),
				       NULL, cases[i].fast);
	line_base = 0;
}

/* Whether text walks the same both ways (chunk 0 and 7); no assertion. */
static bool
walks_the_same(const char *text, size_t len, struct buf *why)
{
	static const size_t chunks[] = {0, 7};
	struct buf want = BUF_INIT;
	bool same = true;
	size_t i;

	walk(text, len, 0, NULL, true, &want);
	for (i = 0; same && i < 2; i++) {
		struct buf got = BUF_INIT;

		walk(text, len, chunks[i], NULL, false, &got);
		if (got.len != want.len || memcmp(got.s, want.s, got.len)) {
			same = false;
			buf_reset(why);
			buf_add(why, text, len);
			buf_addf(why, "\n--- libyaml\n%s--- json\n%s",
				 buf_cstr(&want), buf_cstr(&got));
		}
		buf_release(&got);
	}
	buf_release(&want);
	return same;
}

/*
 * A small List with what kubectl writes (escapes, non-ASCII, numbers,
 * nesting, members after items), cut at every byte and with every byte
 * replaced by each of a set of troublemakers: each walks, or fails with
 * the same words at the same place, both ways.
 */
static void
every_cut_and_byte_change_walks_as_libyaml_walks_it(void **state)
{
	static const char doc[] =
		"{\n  \"apiVersion\": \"v1\",\n  \"items\": [\n    {\n"
		"      \"a\": \"x\\\"y\\u00e9\",\n      \"ü\": [1, -2.5e1, "
		"true, null],\n      \"m\": {\"k\": {}}\n    },\n    \"s\","
		"\n    7\n  ],\n  \"kind\": \"List\",\n  \"metadata\": {"
		"\"r\": \"\"}\n}\n";
	static const char repl[] = "\"{}[],:\\ x\n\t\x01\xc3\x85-0";
	size_t len = sizeof(doc) - 1, i, k, bad = 0;
	struct buf why = BUF_INIT;
	char *t = malloc(len + 1);

	(void)state;
	assert_non_null(t);
	for (i = 0; i <= len; i++)
		if (!walks_the_same(doc, i, &why) && bad++ < (getenv("SHOWN") ? (size_t)atoi(getenv("SHOWN")) : 1))
			print_error("cut at %zu: %s\n", i, buf_cstr(&why));
	for (i = 0; i < len; i++)
		for (k = 0; k < sizeof(repl) - 1; k++) {
			memcpy(t, doc, len + 1);
			t[i] = repl[k];
			if (!walks_the_same(t, len, &why) && bad++ < (getenv("SHOWN") ? (size_t)atoi(getenv("SHOWN")) : 1))
				print_error("byte %zu as 0x%02x: %s\n", i,
					    (unsigned char)repl[k],
					    buf_cstr(&why));
		}
	free(t);
	buf_release(&why);
	if (bad)
		print_error("%zu cases differ\n", bad);
	assert_int_equal(bad, 0);
}

/*
 * Every allocation failure on the JSON path (the scanner's buffers, the
 * cJSON tree, the walker's keys, the hand-over to libyaml) ends in a
 * clean error or a walk as good as libyaml's, and leaks nothing (ASan).
 */
static void
json_path_survives_every_allocation_failure(void **state)
{
	struct buf want = BUF_INIT;
	unsigned long n, clean = 0;
	size_t len;
	char *s = slurp(fixtures[1], &len);

	(void)state;
	cJSON_InitHooks(&(cJSON_Hooks){base_malloc, free});
	walk(s, len, 0, NULL, true, &want);
	for (n = 1; n < 100000; n++) {
		struct buf got = BUF_INIT;
		bool done;

		fail_n = n;
		walk(s, len, 64, NULL, false, &got);
		fail_n = 0;
		done = !strncmp(buf_cstr(&got), "rc 0", 4) &&
		       !strstr(buf_cstr(&got), "log out of memory");
		if (done)
			assert_string_equal(buf_cstr(&got), buf_cstr(&want));
		else if (strncmp(buf_cstr(&got), "rc 0", 4))
			assert_non_null(strstr(buf_cstr(&got),
					       "out of memory"));
		buf_release(&got);
		/*
		 * An early failure may leave the rest to libyaml, which
		 * then walks clean: go on until n is past every allocation.
		 */
		clean = done ? clean + 1 : 0;
		if (clean == 50)
			break;
	}
	assert_true(n < 100000);
	assert_true(n > 50);
	cJSON_InitHooks(NULL);
	buf_release(&want);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kubectl_lists_walk_as_libyaml_walks_them),
		cmocka_unit_test(shapes_walk_as_libyaml_walks_them),
		cmocka_unit_test(
			every_cut_and_byte_change_walks_as_libyaml_walks_it),
		cmocka_unit_test(json_path_survives_every_allocation_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
