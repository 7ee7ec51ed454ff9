/*
 * yaml_walk.c - libyaml's event loop with the current path, shared by the
 * ingest parsers (YAML and kubectl's JSON alike) and the rules loader.
 */
#include <string.h>
#include <yaml.h>

#include "base.h"

int
yaml_mem_read(void *data, unsigned char *out, size_t size, size_t *size_read)
{
	struct yaml_mem *m = data;
	size_t n = m->len - m->off;

	if (n > size)
		n = size;
	memcpy(out, m->s + m->off, n);
	m->off += n;
	*size_read = n;
	return 1;
}

const char *
yaml_walk_path(const struct yaml_walk *w)
{
	return buf_cstr(&w->path);
}

bool
yaml_walk_last_key_is(const struct yaml_walk *w, const char *const *names,
		      size_t n)
{
	const char *path = buf_cstr(&w->path), *end = path + w->path.len;
	const char *last = end;
	size_t i, len;

	while (last > path && last[-1] != '.')
		last--;
	len = (size_t)(end - last);
	if (len == 0 || last == path)
		return false;
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && !memcmp(last, names[i], len))
			return true;
	return false;
}

size_t
yaml_walk_path_len_at(const struct yaml_walk *w, int i)
{
	if (i < 0 || i >= w->depth)
		return w->path.len;
	return w->stack[i].path_len;
}

static struct src_loc
mark_loc(const struct yaml_walk *w, yaml_mark_t m)
{
	struct src_loc loc = {w->path_name, (uint32_t)m.line + 1,
			      (uint32_t)m.column + 1};
	return loc;
}

static void
buf_truncate_path(struct yaml_walk *w, size_t len)
{
	w->path.len = len;
	if (w->path.s)
		w->path.s[len] = '\0';
}

/* A value is about to start in the top frame: extend the path. */
static void
enter_value(struct yaml_walk *w)
{
	struct yaml_walk_frame *f;

	if (w->depth == 0)
		return;
	f = &w->stack[w->depth - 1];
	if (!f->is_map) {
		buf_truncate_path(w, f->path_len);
		buf_add(&w->path, "[]", 2);
		f->index++;
	}
}

/* A value in the top frame is complete: drop it from the path. */
static void
leave_value(struct yaml_walk *w)
{
	struct yaml_walk_frame *f;

	if (w->depth == 0)
		return;
	f = &w->stack[w->depth - 1];
	w->path.len = f->path_len;
	if (w->path.s)
		w->path.s[w->path.len] = '\0';
	if (f->is_map)
		f->want_key = true;
}

static bool
is_plain_null(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return n == 0 || (n == 1 && v[0] == '~') ||
	       (n == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) ||
			   !memcmp(v, "NULL", 4)));
}

static int
on_scalar(struct yaml_walk *w, const yaml_event_t *ev,
	  const struct yaml_walk_ops *ops, void *ctx)
{
	struct yaml_walk_frame *f = w->depth ? &w->stack[w->depth - 1] : NULL;
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	int rc = 0;

	if (f && f->is_map && f->want_key) {
		/* Keys become path elements; only short keys matter to us. */
		buf_addc(&w->path, '.');
		buf_add(&w->path, v, n > 256 ? 256 : n);
		f->want_key = false;
		if (w->path.oom)
			return diag_error(w->diag, mark_loc(w, ev->start_mark),
					  "out of memory");
		return 0;
	}
	enter_value(w);
	w->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	w->is_null = is_plain_null(ev);
	if (ops->scalar)
		rc = ops->scalar(ctx, w, v, n, mark_loc(w, ev->start_mark));
	leave_value(w);
	return rc;
}

static int
on_open(struct yaml_walk *w, const yaml_event_t *ev, bool is_map,
	const struct yaml_walk_ops *ops, void *ctx)
{
	struct yaml_walk_frame *f;

	if (w->depth == LIMIT_DEPTH)
		return diag_error(w->diag, mark_loc(w, ev->start_mark),
				  "nesting deeper than %d levels",
				  LIMIT_DEPTH);
	enter_value(w);
	f = &w->stack[w->depth++];
	f->is_map = is_map;
	f->want_key = is_map;
	f->path_len = w->path.len;
	f->index = 0;
	if (w->path.oom)
		return diag_error(w->diag, mark_loc(w, ev->start_mark),
				  "out of memory");
	if (ops->open) {
		int rc = ops->open(ctx, w, is_map, mark_loc(w, ev->start_mark));

		if (rc == YAML_WALK_SKIP) {
			w->skipping = true;
			w->skip_nest = 0;
			return 0;
		}
		return rc;
	}
	return 0;
}

/*
 * Inside a skipped node only the nesting is followed. Returns true if the
 * event was consumed; the skipped node's own end is not, so that it pops
 * its frame (without a close() call).
 */
static bool
skip_event(struct yaml_walk *w, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (++w->skip_nest > 1000000u)
			w->skip_nest = 1000000u;
		return true;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		if (w->skip_nest == 0) {
			w->skipping = false;
			return false;
		}
		w->skip_nest--;
		return true;
	case YAML_SCALAR_EVENT:
	case YAML_ALIAS_EVENT:
		return true;
	default:
		return false;
	}
}

static int
on_close(struct yaml_walk *w, bool is_map, const struct yaml_walk_ops *ops,
	 void *ctx, bool skipped)
{
	int rc = 0;

	if (ops->close && !skipped)
		rc = ops->close(ctx, w, is_map);
	w->depth--;
	leave_value(w);
	return rc;
}

int
yaml_walk_run(struct yaml_walk *w, const char *path_name, struct diag *d,
	      yaml_read_fn read, void *read_data,
	      const struct yaml_walk_ops *ops, void *ctx)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0;
	bool done = false, was_skipping;

	memset(w, 0, sizeof(*w));
	w->path_name = path_name;
	w->diag = d;
	if (!yaml_parser_initialize(&parser))
		return diag_error(d, (struct src_loc){path_name, 0, 0},
				  "out of memory");
	yaml_parser_set_input(&parser, read, read_data);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			struct src_loc loc = mark_loc(w, parser.problem_mark);

			if (parser.error == YAML_MEMORY_ERROR)
				rc = diag_error(d, loc, "out of memory");
			else if (parser.error == YAML_READER_ERROR)
				rc = diag_error(d, loc, "%s",
						parser.problem ? parser.problem
							       : "read error");
			else
				rc = diag_error(d, loc, "invalid YAML/JSON: %s%s%s",
						parser.problem ? parser.problem
							       : "syntax error",
						parser.context ? " " : "",
						parser.context ? parser.context
							       : "");
			break;
		}
		w->events++;
		was_skipping = w->skipping;
		if (w->skipping && skip_event(w, &ev)) {
			yaml_event_delete(&ev);
			continue;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			w->documents++;
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_open(w, &ev, true, ops, ctx);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_open(w, &ev, false, ops, ctx);
			break;
		case YAML_MAPPING_END_EVENT:
			rc = on_close(w, true, ops, ctx, was_skipping);
			break;
		case YAML_SEQUENCE_END_EVENT:
			rc = on_close(w, false, ops, ctx, was_skipping);
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(w, &ev, ops, ctx);
			break;
		case YAML_ALIAS_EVENT:
			/*
			 * An alias stands for a node seen before. It is never
			 * expanded (no billion laughs); as a key or value it
			 * just takes its slot.
			 */
			if (w->depth && w->stack[w->depth - 1].is_map &&
			    w->stack[w->depth - 1].want_key) {
				buf_adds(&w->path, ".*");
				w->stack[w->depth - 1].want_key = false;
			} else {
				enter_value(w);
				leave_value(w);
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	buf_release(&w->path);
	return rc;
}
