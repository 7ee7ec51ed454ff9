/*
 * images.c - container image listings: what the text reader
 * (images_text.c) and the document reader (images_doc.c) share: parsing
 * and interning a reference, adding an image, interning names, counting
 * errors, and the entry point.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_ERRORS 20		/* errors in one file before giving up */

/* ------------------------------------------------------------ strings */

/*
 * Namespace, node and container names repeat across thousands of pods; a
 * string map hands out one arena copy of each (open addressing, at
 * most half full). It lives for one file.
 */
/* Returns the one arena copy of s[0..len), or NULL when out of memory. */
static const char *
strset_get(struct strmap *t, struct arena *a, const char *s, size_t len)
{
	const char *p = strmap_get(t, s, len);
	char *q;

	if (p)
		return p;
	if (!(q = arena_strndup(a, s, len)) || strmap_put(t, q, len, q) < 0)
		return NULL;
	return q;
}

/* ------------------------------------------------------------ common */

/* Counts an error already reported; -1 means stop reading the file. */
int
images_counted(struct images_parse *p)
{
	return ++p->errors >= MAX_ERRORS ? -1 : 0;
}

int
images_oom(struct images_parse *p, struct src_loc loc)
{
	diag_error(p->c->diag, loc, "out of memory");
	p->errors++;
	return -1;
}

/* Appends s for a message: control bytes escaped, at most 128 bytes. */
const char *
images_shown(struct buf *b, const char *s, size_t len)
{
	buf_reset(b);
	if (len > 128) {
		esc_display(b, s, 128);
		buf_adds(b, "...");
	} else {
		esc_display(b, s, len);
	}
	return buf_cstr(b);
}

/*
 * Parses and interns one reference; on a bad one reports it at loc and
 * returns NULL with *stop set when the file must be given up.
 */
const struct image_ref *
images_image_at(struct images_parse *p, const char *s, size_t len,
	 struct src_loc loc, bool *stop)
{
	const struct image_ref *ref;
	const char *err;
	struct buf b = BUF_INIT;

	*stop = false;
	ref = model_image_ref(p->c->cs, s, len, &err);
	if (ref)
		return ref;
	if (!strcmp(err, "out of memory")) {
		*stop = true;
		images_oom(p, loc);
		return NULL;
	}
	diag_error(p->c->diag, loc, "invalid image reference '%s': %s",
		   images_shown(&b, s, len), err);
	buf_release(&b);
	*stop = images_counted(p) < 0;
	return NULL;
}

int
images_add(struct images_parse *p, const struct image_ref *ref,
	  const char *ns, const char *pod, const char *node,
	  const char *container, bool init, struct src_loc loc)
{
	struct cluster_state *cs = p->c->cs;
	struct image *im;

	if (cs->images.n >= LIMIT_ITEMS) {
		diag_error(p->c->diag, loc, "more than %u images",
			   LIMIT_ITEMS);
		p->errors++;
		return -1;
	}
	if (!(im = vec_push(&cs->images)))
		return images_oom(p, loc);
	im->ref = ref;
	im->namespace_ = ns;
	im->pod = pod;
	im->node = node;
	im->container = container;
	im->init = init;
	im->loc = loc;
	return 0;
}

/* Interns a name, or NULL for none; -1 when out of memory. */
int
images_name_of(struct images_parse *p, const char *s, size_t len, bool have,
	const char **out)
{
	*out = NULL;
	if (!have || len == 0 || (len == 6 && !memcmp(s, "<none>", 6)))
		return 0;
	*out = strset_get(&p->names, p->c->arena, s, len);
	return *out ? 0 : -1;
}

/* ------------------------------------------------------------ entry */

int
ingest_images(struct ingest_ctx *c)
{
	struct images_parse p;
	size_t n0;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	n0 = c->cs->images.n;
	recover_file_begin(c);
	if (c->sniff->fmt == FMT_IMAGES_DOC)
		rc = images_parse_doc(&p);
	else
		rc = images_parse_text(&p);
	strmap_release(&p.names);
	if (rc < 0 || p.errors) {
		recover_file_end(c, true);
		return -1;
	}
	/* A capture of PDBs or workloads alone has no image and is read. */
	if (c->cs->images.n == n0 && p.workloads == 0) {
		recover_give_up(c);
		diag_error(c->diag, (struct src_loc){c->path, 0, 0},
			   "no container images found");
		recover_file_end(c, true);
		return -1;
	}
	recover_file_end(c, false);
	return 0;
}
