/*
 * libFuzzer target: the JSON path of yaml_walk (base/json_walk.c: the
 * items scanner, cJSON per element, the replay, the hand-over to libyaml)
 * against libyaml's own walk of the same bytes. The first byte picks the
 * chunk size both read the rest in. Whatever the input, both walks must
 * end clean with the same result, and when the walk succeeds with the
 * same callbacks (paths, values, styles, file:line:col) and the same
 * warnings. When it fails, the first error may differ where the input has
 * several close together: libyaml scans a few tokens ahead of its events
 * and decodes UTF-8 a read at a time, so which one it meets first depends
 * on what came before and where reads end (the unit tests hold the
 * messages of single errors equal: tests/unit/test_json_walk.c). Nodes
 * whose last key is "s" are skipped, so that skipping is fuzzed too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
log_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	   struct src_loc loc)
{
	struct buf *b = ctx;

	buf_addf(b, "S %s %d%d @%u:%u =", yaml_walk_path(w), w->plain,
		 w->is_null, (unsigned)loc.line, (unsigned)loc.col);
	buf_add(b, s, len);
	buf_addc(b, '\n');
	return 0;
}

static int
log_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	static const char *const skip[] = {"s"};
	struct buf *b = ctx;

	buf_addf(b, "O%d %s @%u:%u\n", is_map, yaml_walk_path(w),
		 (unsigned)loc.line, (unsigned)loc.col);
	return yaml_walk_last_key_is(w, skip, 1) ? YAML_WALK_SKIP : 0;
}

static int
log_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct buf *b = ctx;

	buf_addf(b, "C%d %s\n", is_map, yaml_walk_path(w));
	return 0;
}

static const struct yaml_walk_ops ops = {log_scalar, log_open, log_close};

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

/* One walk into out: the result, the diagnostics, then the callbacks. */
static void
walk(const uint8_t *data, size_t size, size_t chunk, bool libyaml,
     struct buf *out)
{
	struct slow s = {{(const char *)data, size, 0}, chunk};
	struct buf log = BUF_INIT;
	struct yaml_walk w;
	struct diag d;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (libyaml)
		setenv("SKEWPLAN_NO_JSON_ITEMS", "1", 1);
	else
		unsetenv("SKEWPLAN_NO_JSON_ITEMS");
	diag_init(&d);
	d.no_source = true;
	d.out = open_memstream(&text, &len);
	if (!d.out)
		abort();
	rc = yaml_walk_run(&w, "in.json", &d, slow_read, &s, &ops, &log);
	fclose(d.out);
	if ((rc < 0) != (d.errors > 0) || d.held.n || d.holding)
		abort();
	buf_addf(out, "rc %d\n", rc);
	buf_add(out, text, len);
	if (rc == 0)
		buf_add(out, log.s ? log.s : "", log.len);
	free(text);
	buf_release(&log);
	diag_release(&d);
	unsetenv("SKEWPLAN_NO_JSON_ITEMS");
}

/* The first line of a walk's record: "rc N". */
static const char *
result(const struct buf *b)
{
	return buf_cstr(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	size_t chunk;

	if (size == 0)
		return 0;
	chunk = data[0] >= 0xf0 ? SIZE_MAX : (size_t)data[0] % 67 + 1;
	walk(data + 1, size - 1, chunk, true, &a);
	walk(data + 1, size - 1, chunk, false, &b);
	if (a.oom || b.oom)
		abort();
	if (strncmp(result(&a), result(&b), 5) ||
	    (!strncmp(result(&a), "rc 0", 4) &&
	     (a.len != b.len || memcmp(a.s, b.s, a.len)))) {
		fprintf(stderr, "--- libyaml\n%s--- json\n%s", buf_cstr(&a),
			buf_cstr(&b));
		abort();
	}
	buf_release(&a);
	buf_release(&b);
	return 0;
}
