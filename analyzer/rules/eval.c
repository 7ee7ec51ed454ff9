/*
 * eval.c - runs every rule of the catalogue against a cluster inventory:
 * derives the kube-apiserver instances, dispatches on the check kind,
 * renders messages and collects what could not be checked into
 * input-missing findings. Also the finding order and counts.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *
eval_render(struct arena *a, const char *tmpl, const struct fill *f,
	    size_t nf)
{
	struct buf b = BUF_INIT;
	const char *s, *e, *out;
	size_t i, len;

	for (s = tmpl; *s; s++) {
		if (*s != '{' || !(e = strchr(s + 1, '}'))) {
			buf_addc(&b, *s);
			continue;
		}
		len = (size_t)(e - s - 1);
		for (i = 0; i < nf; i++)
			if (f[i].value && strlen(f[i].name) == len &&
			    !memcmp(f[i].name, s + 1, len))
				break;
		if (i == nf) {
			buf_addc(&b, *s);
			continue;
		}
		buf_adds(&b, f[i].value);
		s = e;
	}
	out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

static int
src_loc_cmp(const void *p, const void *q)
{
	const struct src_loc *x = p, *y = q;
	int r = strcmp(x->path ? x->path : "", y->path ? y->path : "");

	if (r)
		return r;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

int
eval_emit(struct eval_ctx *c, const struct rule *r, const char *subject,
	  const struct fill *f, size_t nf, const struct src_loc *ev,
	  size_t nev)
{
	struct finding *fi;

	if (!(fi = vec_push(c->out)))
		goto oom;
	fi->rule = r;
	fi->severity = r->severity;
	fi->subject = arena_strdup(c->a, subject ? subject : "cluster");
	fi->message = eval_render(c->a, r->message, f, nf);
	fi->remediation = eval_render(c->a, r->remediation, f, nf);
	if (!fi->subject || !fi->message || !fi->remediation)
		goto oom;
	if (nev) {
		if (!(fi->evidence = arena_alloc(c->a, nev * sizeof(*ev))))
			goto oom;
		memcpy(fi->evidence, ev, nev * sizeof(*ev));
		fi->nevidence = nev;
		/* The first location is the finding's own; sort the rest. */
		if (nev > 2)
			qsort(fi->evidence + 1, nev - 1, sizeof(*ev), src_loc_cmp);
	}
	return 0;
oom:
	c->oom = true;
	return diag_plain(c->d, DIAG_ERROR, "out of memory");
}

int
eval_missing(struct eval_ctx *c, const struct rule *r, const char *input)
{
	struct missing *m;
	const struct rule **slot;
	size_t i;

	for (i = 0; i < c->missing.n; i++)
		if (!strcmp(c->missing.v[i].input, input))
			break;
	if (i < c->missing.n) {
		m = &c->missing.v[i];
		/* A rule may miss one input twice; it is listed once. */
		if (m->rules.n && m->rules.v[m->rules.n - 1] == r)
			return 0;
	} else {
		if (!(m = vec_push(&c->missing)))
			goto oom;
		m->input = input;
	}
	if (!(slot = vec_push(&m->rules)))
		goto oom;
	*slot = r;
	return 0;
oom:
	c->oom = true;
	return diag_plain(c->d, DIAG_ERROR, "out of memory");
}

/*
 * The input-missing finding (rule im) of m: its message names the rules
 * skipped, and skipped_rules lists them for the reports.
 */
static int
emit_missing(struct eval_ctx *c, const struct rule *im,
	     const struct missing *m)
{
	struct fill f[] = {{"input", m->input}, {"rule", NULL}};
	struct buf list = BUF_INIT;
	const char **ids;
	struct finding *fi;
	size_t i;
	int rc;

	if (!(ids = arena_alloc(c->a, m->rules.n * sizeof(*ids))))
		goto oom;
	for (i = 0; i < m->rules.n; i++) {
		ids[i] = m->rules.v[i]->id;
		buf_addf(&list, "%s%s", i ? ", " : "", ids[i]);
	}
	if (list.oom) {
		buf_release(&list);
		goto oom;
	}
	f[1].value = buf_cstr(&list);
	rc = eval_emit(c, im, m->input, f, ARRAY_SIZE(f), NULL, 0);
	buf_release(&list);
	if (rc < 0)
		return -1;
	fi = &c->out->v[c->out->n - 1];
	fi->skipped_rules = ids;
	fi->nskipped_rules = m->rules.n;
	return 0;
oom:
	c->oom = true;
	return diag_plain(c->d, DIAG_ERROR, "out of memory");
}

const char *
eval_ver(struct eval_ctx *c, const struct kver *v)
{
	return arena_printf(c->a, "%u.%u.%u", v->major, v->minor, v->patch);
}

const char *
eval_minor(struct eval_ctx *c, unsigned major, unsigned minor)
{
	return arena_printf(c->a, "%u.%u", major, minor);
}

const char *
eval_date(struct eval_ctx *c, long days)
{
	char s[11];

	date_format(days, s);
	return arena_strdup(c->a, s);
}

const char *
eval_int(struct eval_ctx *c, long n)
{
	return arena_printf(c->a, "%ld", n);
}

bool
eval_tag_version(struct eval_ctx *c, const struct image *im, struct kver *out)
{
	const char *err;

	if (!im->ref || !im->ref->tag)
		return false;
	return kver_parse(c->a, im->ref->tag, strlen(im->ref->tag), out,
			  &err) == 0;
}

int
eval_minor_diff(unsigned x, unsigned y)
{
	return (int)x - (int)y;
}

const struct skew_row *
rules_skew_window(const struct rules_db *db, const char *component,
		  const char *relative_to, unsigned api_minor,
		  unsigned comp_minor, int *newer, int *older)
{
	const struct skew_row *s;
	size_t i;

	for (i = 0; i < db->skew.n; i++) {
		s = &db->skew.v[i];
		if (strcmp(s->component, component) ||
		    strcmp(s->relative_to, relative_to))
			continue;
		if (s->since_apiserver != RULES_OPEN &&
		    api_minor < s->since_apiserver)
			continue;
		if (s->until_apiserver != RULES_OPEN &&
		    api_minor > s->until_apiserver)
			continue;
		*newer = s->newer;
		*older = s->older;
		if (s->newer_below && comp_minor < s->newer_below)
			*newer = s->newer_if_below;
		if (s->older_below && comp_minor < s->older_below)
			*older = s->older_if_below;
		return s;
	}
	return NULL;
}

int
rules_skew_excess(const struct rules_db *db, const char *component,
		  const char *relative_to, unsigned era_minor,
		  unsigned comp_minor, unsigned other_minor,
		  enum skew_bound bound, bool *newer, int *limit,
		  const struct skew_row **row)
{
	int up, down, diff = (int)comp_minor - (int)other_minor;
	bool both = bound == BOUND_NONE || bound == BOUND_ANY;

	*row = rules_skew_window(db, component, relative_to, era_minor,
				 comp_minor, &up, &down);
	if (!*row)
		return -1;
	*newer = diff > 0;
	*limit = diff > 0 ? up : down;
	if (diff > 0 && (both || bound == BOUND_NEWER) && diff > up)
		return diff - up;
	if (diff < 0 && (both || bound == BOUND_OLDER) && -diff > down)
		return -diff - down;
	return 0;
}

static int
api_cmp(const void *x, const void *y)
{
	const struct api_instance *a = x, *b = y;
	int r = kver_cmp(&a->ver, &b->ver);

	if (r)
		return r;
	return strcmp(a->node ? a->node : "", b->node ? b->node : "");
}

/*
 * The kube-apiserver instances: the kube-apiserver image of each node when
 * the images carry node names, else the server version.
 */
static int
find_apiservers(struct eval_ctx *c)
{
	const struct cluster_state *cs = c->cs;
	const struct image *im;
	struct kver v;
	size_t n = 0;

	vec_foreach(&cs->images, im)
		if (im->node && im->ref && im->ref->component &&
		    !strcmp(im->ref->component, "kube-apiserver"))
			n++;
	if (n == 0 && !cs->server.present)
		return 0;
	if (!(c->apis = calloc(n ? n : 1, sizeof(*c->apis))))
		return diag_plain(c->d, DIAG_ERROR, "out of memory");
	if (n) {
		vec_foreach(&cs->images, im) {
			if (!im->node || !im->ref || !im->ref->component ||
			    strcmp(im->ref->component, "kube-apiserver") ||
			    !eval_tag_version(c, im, &v))
				continue;
			c->apis[c->napis].ver = v;
			c->apis[c->napis].node = im->node;
			c->apis[c->napis].loc = im->loc;
			c->napis++;
		}
	}
	if (c->napis == 0 && cs->server.present) {
		c->apis[0].ver = cs->server.ver;
		c->apis[0].loc = cs->server.loc;
		c->napis = 1;
	}
	qsort(c->apis, c->napis, sizeof(*c->apis), api_cmp);
	if (cs->server.present) {
		c->cluster = &cs->server.ver;
		c->cluster_loc = cs->server.loc;
	} else if (c->napis) {
		c->cluster = &c->apis[0].ver;
		c->cluster_loc = c->apis[0].loc;
	}
	return 0;
}

static int
run_rule(struct eval_ctx *c, const struct rule *r)
{
	switch (r->check) {
	case CK_APISERVER_HA:
		return check_apiserver_ha(c, r);
	case CK_COMPONENT_SKEW:
		return check_component_skew(c, r);
	case CK_KUBECTL_SKEW:
		return check_kubectl_skew(c, r);
	case CK_EOL:
		return check_eol(c, r);
	case CK_NEAR_EOL:
		return check_near_eol(c, r);
	case CK_SUPPORT_WINDOW:
		return check_support_window(c, r);
	case CK_PATCH_BEHIND:
		return check_patch_behind(c, r);
	case CK_VERSION_UNKNOWN:
		return check_version_unknown(c, r);
	case CK_DATA_STALE:
		return check_data_stale(c, r);
	case CK_NODE_READY:
		return check_node_ready(c, r);
	case CK_NODE_CORDONED:
		return check_node_cordoned(c, r);
	case CK_FROZEN_REGISTRY:
		return check_frozen_registry(c, r);
	case CK_CP_IMAGE_MISMATCH:
		return check_cp_image_mismatch(c, r);
	case CK_ETCD_DEFAULT:
		return check_etcd_default(c, r);
	case CK_REPO_LEGACY:
		return check_repo_legacy(c, r);
	case CK_REPO_MINOR_PINNED:
		return check_repo_minor_pinned(c, r);
	case CK_INPUT_SKIPPED:
		return check_input_skipped(c, r);
	case CK_INPUT_CONFLICT:
		return check_input_conflict(c, r);
	case CK_VERSION_NOT_RELEASE:
		return check_version_not_release(c, r);
	case CK_VERSION_MINOR_MISMATCH:
		return check_version_minor_mismatch(c, r);
	case CK_NODE_MASKED:
		return check_node_masked(c, r);
	case CK_API_REMOVED:
	case CK_API_DEPRECATED:
	case CK_API_REPLACEMENT:
	case CK_API_CONVERTED:
	case CK_API_ADDON_REMOVED:
		return check_apis(c, r);
	case CK_INPUT_MISSING:
	case CK_WAIVER_EXPIRED:
	case CK_PLAN:
	case CK_COUNT:
		break;
	}
	return 0;
}

int
rules_evaluate(const struct rules_db *db, const struct cluster_state *cs,
	       long as_of, const struct rules_eval_options *opt,
	       struct diag *d, struct findings *out)
{
	struct eval_ctx c;
	const struct rule *im;
	size_t i;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.db = db;
	c.cs = cs;
	c.as_of = as_of;
	c.near_eol_days = opt ? opt->near_eol_days : -1;
	c.api_target = opt ? opt->api_target : 0;
	c.a = db->arena;
	c.d = d;
	c.out = out;
	if (find_apiservers(&c) < 0)
		return -1;
	for (i = 0; i < db->rules.n && rc == 0; i++)
		rc = run_rule(&c, &db->rules.v[i]);
	if (rc == 0 && c.missing.n && (im = rules_find(db, "input-missing")))
		for (i = 0; i < c.missing.n && rc == 0; i++)
			rc = emit_missing(&c, im, &c.missing.v[i]);
	free(c.apis);
	for (i = 0; i < c.missing.n; i++)
		vec_release(&c.missing.v[i].rules);
	vec_release(&c.missing);
	return rc < 0 || c.oom ? -1 : 0;
}

/* ---------------------------------------------------------- findings */

void
rules_findings_release(struct findings *f)
{
	if (!f)
		return;
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

static int
loc_cmp(const struct finding *a, const struct finding *b)
{
	const struct src_loc *x = a->nevidence ? &a->evidence[0] : NULL;
	const struct src_loc *y = b->nevidence ? &b->evidence[0] : NULL;
	int r;

	if (!x || !y)
		return (x != NULL) - (y != NULL);
	if ((r = strcmp(x->path ? x->path : "", y->path ? y->path : "")))
		return r;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

static int
finding_cmp(const void *p, const void *q)
{
	const struct finding *a = p, *b = q;
	int r;

	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	if ((r = strcmp(a->rule->id, b->rule->id)))
		return r;
	if ((r = loc_cmp(a, b)))
		return r;
	if ((r = strcmp(a->subject, b->subject)))
		return r;
	return strcmp(a->message, b->message);
}

void
rules_findings_sort(struct findings *f)
{
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), finding_cmp);
}

size_t
rules_findings_count(const struct findings *f, enum severity min)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		if (!f->v[i].suppressed && f->v[i].severity <= min)
			n++;
	return n;
}
