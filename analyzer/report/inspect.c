/*
 * inspect.c - `skewplan inspect` as text and as the JSON contract in the
 * README. The text shows every snapshot string through esc_display(); the
 * JSON holds them as read, with unsafe characters as \u escapes.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void
loc_text(struct buf *b, struct src_loc loc)
{
	buf_addf(b, "%s:%u:%u", loc.path ? loc.path : "-", (unsigned)loc.line,
		 (unsigned)(loc.col ? loc.col : 1));
}

/* loc_text() with unsafe characters escaped, for the text listing. */
static void
loc_shown(struct buf *b, struct src_loc loc)
{
	struct buf t = BUF_INIT;

	loc_text(&t, loc);
	esc_display(b, buf_cstr(&t), t.len);
	if (t.oom)
		b->oom = true;
	buf_release(&t);
}

/*
 * Appends s escaped ("-" for NULL), then spaces up to width columns (one
 * a character), then sep: a column of the text listing.
 */
static void
cell(struct buf *b, const char *s, int width, const char *sep)
{
	size_t start = b->len, cols = 0;

	if (!s)
		s = "-";
	esc_display(b, s, strlen(s));
	for (; start < b->len; start++)
		cols += ((unsigned char)b->s[start] & 0xc0) != 0x80;
	for (; cols < (size_t)width; cols++)
		buf_addc(b, ' ');
	buf_adds(b, sep);
}

static cJSON *
loc_json(struct src_loc loc)
{
	struct buf b = BUF_INIT;

	loc_text(&b, loc);
	return report_jtake(&b);
}

static cJSON *
tri_json(enum tri t)
{
	return t == TRI_UNKNOWN ? cJSON_CreateNull() : cJSON_CreateBool(t);
}

/*
 * Each item is built whole or not at all: under memory pressure a writer
 * must fail, never print an object with fields missing.
 */
static cJSON *
ver_json(const struct version_info *vi)
{
	cJSON *o;

	if (!vi->present && !vi->not_release)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	return report_jdone(
		o, report_jadd(o, "gitVersion", report_jstr(vi->ver.text)) &&
			   report_jadd(o, "major",
				       cJSON_CreateNumber(vi->ver.major)) &&
			   report_jadd(o, "minor",
				       cJSON_CreateNumber(vi->ver.minor)) &&
			   report_jadd(o, "patch",
				       cJSON_CreateNumber(vi->ver.patch)) &&
			   report_jadd(o, "source", loc_json(vi->loc)) &&
			   report_jadd(o, "release",
				       cJSON_CreateBool(!vi->not_release)) &&
			   report_jadd(o, "minorField",
				       report_jstr(vi->minor_disagrees)));
}

static cJSON *
node_json(const struct node *n)
{
	cJSON *o = cJSON_CreateObject(), *roles = cJSON_CreateArray();
	bool ok = roles != NULL;
	size_t i;

	for (i = 0; ok && i < n->nroles; i++)
		ok = report_jpush(roles, report_jstr(n->roles[i]));
	ok = ok && report_jadd(o, "name", report_jstr(n->name)) &&
	     report_jadd(o, "status", report_jstr(n->status)) &&
	     report_jadd(o, "ready", tri_json(n->ready)) &&
	     report_jadd(o, "schedulable", cJSON_CreateBool(n->schedulable));
	if (ok) {
		/* report_jadd takes roles either way. */
		ok = report_jadd(o, "roles", roles);
		roles = NULL;
	}
	cJSON_Delete(roles);
	ok = ok && report_jadd(o, "kubeletVersion", report_jstr(n->kubelet.text)) &&
	     report_jadd(o, "kubeProxyVersion", report_jstr(n->kube_proxy)) &&
	     report_jadd(o, "containerRuntime",
			 report_jstr(n->container_runtime)) &&
	     report_jadd(o, "osImage", report_jstr(n->os_image)) &&
	     report_jadd(o, "internalIP", report_jstr(n->internal_ip)) &&
	     report_jadd(o, "masked", cJSON_CreateBool(n->masked)) &&
	     report_jadd(o, "source", loc_json(n->loc));
	return report_jdone(o, ok);
}

static cJSON *
image_json(const struct image *im)
{
	const struct image_ref *r = im->ref;
	cJSON *o = cJSON_CreateObject();

	return report_jdone(
		o, report_jadd(o, "image", report_jstr(r->image)) &&
			   report_jadd(o, "registry", report_jstr(r->registry)) &&
			   report_jadd(o, "repository",
				       report_jstr(r->repository)) &&
			   report_jadd(o, "tag", report_jstr(r->tag)) &&
			   report_jadd(o, "digest", report_jstr(r->digest)) &&
			   report_jadd(o, "component",
				       report_jstr(r->component)) &&
			   report_jadd(o, "namespace",
				       report_jstr(im->namespace_)) &&
			   report_jadd(o, "pod", report_jstr(im->pod)) &&
			   report_jadd(o, "node", report_jstr(im->node)) &&
			   report_jadd(o, "container",
				       report_jstr(im->container)) &&
			   report_jadd(o, "source", loc_json(im->loc)));
}

static cJSON *
package_json(const struct package *p)
{
	cJSON *o = cJSON_CreateObject();

	return report_jdone(
		o,
		report_jadd(o, "name", report_jstr(p->name)) &&
			report_jadd(o, "version", report_jstr(p->version)) &&
			report_jadd(o, "upstreamVersion",
				    report_jstr(p->upstream)) &&
			report_jadd(o, "repo", report_jstr(p->repo)) &&
			report_jadd(o, "repoKind",
				    report_jstr(model_repo_kind_name(
					    p->repo_kind))) &&
			report_jadd(o, "repoMinor",
				    p->repo_minor
					    ? cJSON_CreateNumber(p->repo_minor)
					    : cJSON_CreateNull()) &&
			report_jadd(o, "installed", tri_json(p->installed)) &&
			report_jadd(o, "source", loc_json(p->loc)));
}

static cJSON *
skipped_json(const struct skipped *sk)
{
	cJSON *o = cJSON_CreateObject();

	return report_jdone(
		o, report_jadd(o, "source", loc_json(sk->loc)) &&
			   report_jadd(o, "text", report_jstr(sk->text)) &&
			   report_jadd(o, "reason", report_jstr(sk->reason)));
}

/* How a use was seen: the "evidence" of inspect's apis. */
static const char *
evidence_name(enum api_evidence e)
{
	switch (e) {
	case APIEV_METRIC: return "metric";
	case APIEV_AUDIT: return "audit";
	case APIEV_LIVE: return "live";
	case APIEV_MANIFEST:
	default: return "manifest";
	}
}

static cJSON *
api_json(const struct api_use *u)
{
	cJSON *o = cJSON_CreateObject();

	return report_jdone(
		o,
		report_jadd(o, "api", report_jstr(u->api)) &&
			report_jadd(o, "kind", report_jstr(u->kind)) &&
			report_jadd(o, "resource", report_jstr(u->resource)) &&
			report_jadd(o, "evidence",
				    report_jstr(evidence_name(u->evidence))) &&
			report_jadd(o, "count",
				    cJSON_CreateNumber((double)u->count)) &&
			report_jadd(o, "object", report_jstr(u->object)) &&
			report_jadd(o, "who", report_jstr(u->who)) &&
			report_jadd(o, "removedRelease",
				    report_jstr(u->removed_release)) &&
			report_jadd(o, "source", loc_json(u->loc)));
}

/*
 * Prints one item on its own line. A snapshot of 150,000 pods has hundreds
 * of thousands of images: the document is streamed item by item, never
 * built whole, so memory stays flat whatever the input size.
 */
static int
put_json(FILE *out, const char *prefix, cJSON *item)
{
	char *text;
	int rc;

	if (!item)
		return -1;
	struct buf shown = BUF_INIT;

	text = cJSON_PrintUnformatted(item);
	cJSON_Delete(item);
	if (!text)
		return -1;
	esc_json_text(&shown, text, strlen(text));
	free(text);
	rc = shown.oom || fprintf(out, "%s%s", prefix, buf_cstr(&shown)) < 0
		     ? -1 : 0;
	buf_release(&shown);
	return rc;
}

static int
put_item(FILE *out, cJSON *item, bool *first)
{
	int rc = put_json(out, *first ? "\n    " : ",\n    ", item);

	*first = false;
	return rc;
}

static int
put_array_end(FILE *out, bool empty)
{
	return fputs(empty ? "]" : "\n  ]", out) < 0 ? -1 : 0;
}

int
report_inspect_json(FILE *out, const struct cluster_state *cs)
{
	const struct input *in;
	const struct node *n;
	const struct image *im;
	const struct package *p;
	const struct skipped *sk;
	const struct api_use *u;
	cJSON *v;
	bool first;
	int rc = 0;

	if (fputs("{\n  \"inputs\": [", out) < 0)
		return -1;
	first = true;
	vec_foreach(&cs->inputs, in)
	{
		cJSON *o = cJSON_CreateObject();

		o = report_jdone(
			o, report_jadd(o, "path", report_jstr(in->path)) &&
				   report_jadd(o, "kind",
					       report_jstr(model_kind_name(
						       in->kind))) &&
				   report_jadd(o, "format",
					       report_jstr(in->format)));
		rc |= put_item(out, o, &first);
	}
	rc |= put_array_end(out, first);
	if (fputs(",\n  \"versions\": ", out) < 0)
		return -1;
	v = cJSON_CreateObject();
	v = report_jdone(
		v, report_jadd(v, "client", ver_json(&cs->client)) &&
			   report_jadd(v, "server", ver_json(&cs->server)) &&
			   report_jadd(v, "kustomize",
				       report_jstr(cs->kustomize)) &&
			   report_jadd(v, "kubeadm", ver_json(&cs->kubeadm)));
	rc |= put_json(out, "", v);
	if (fputs(",\n  \"nodes\": [", out) < 0)
		return -1;
	first = true;
	vec_foreach(&cs->nodes, n) rc |= put_item(out, node_json(n), &first);
	rc |= put_array_end(out, first);
	if (fputs(",\n  \"images\": [", out) < 0)
		return -1;
	first = true;
	vec_foreach(&cs->images, im)
		rc |= put_item(out, image_json(im), &first);
	rc |= put_array_end(out, first);
	if (fputs(",\n  \"packages\": [", out) < 0)
		return -1;
	first = true;
	vec_foreach(&cs->packages, p)
		rc |= put_item(out, package_json(p), &first);
	rc |= put_array_end(out, first);
	if (fputs(",\n  \"skipped\": [", out) < 0)
		return -1;
	first = true;
	vec_foreach(&cs->skipped, sk)
		rc |= put_item(out, skipped_json(sk), &first);
	rc |= put_array_end(out, first);
	if (fputs(",\n  \"apis\": [", out) < 0)
		return -1;
	first = true;
	vec_foreach(&cs->api_uses, u)
		rc |= put_item(out, api_json(u), &first);
	rc |= put_array_end(out, first);
	if (fputs("\n}\n", out) < 0)
		return -1;
	return rc ? -1 : 0;
}

static void
ver_text(struct buf *b, const char *label, const struct version_info *vi)
{
	buf_addf(b, "  %-10s ", label);
	if (!vi->present && !vi->not_release) {
		buf_adds(b, "(not captured)\n");
		return;
	}
	cell(b, vi->ver.text, 24, " ");
	loc_shown(b, vi->loc);
	if (vi->not_release)
		buf_addf(b, " (not a release: %s)", vi->not_release);
	if (vi->minor_disagrees) {
		buf_adds(b, " (minor field '");
		esc_display(b, vi->minor_disagrees,
			    strlen(vi->minor_disagrees));
		buf_adds(b, "' disagrees; gitVersion used)");
	}
	buf_addc(b, '\n');
}

/* Writes b out and empties it; -1 on a failed write or lost memory. */
static int
flush_buf(FILE *fp, struct buf *b)
{
	int rc = 0;

	if (b->oom || fwrite(buf_cstr(b), 1, b->len, fp) != b->len)
		rc = -1;
	buf_reset(b);
	return rc;
}

int
report_inspect_text(FILE *fp, const struct cluster_state *cs)
{
	struct buf line = BUF_INIT, *out = &line;
	int rc = 0;
	const struct input *in;
	const struct node *n;
	const struct image *im;
	const struct package *p;
	const struct skipped *sk;
	const struct api_use *u;
	size_t i;

	buf_addf(out, "Inputs (%zu)\n", cs->inputs.n);
	vec_foreach(&cs->inputs, in)
	{
		buf_addf(out, "  %-8s ", model_kind_name(in->kind));
		cell(out, in->format, 24, " ");
		cell(out, in->path, 0, "\n");
	}
	buf_adds(out, "\nVersions\n");
	ver_text(out, "client", &cs->client);
	ver_text(out, "server", &cs->server);
	ver_text(out, "kubeadm", &cs->kubeadm);
	buf_addf(out, "  %-10s ", "kustomize");
	cell(out, cs->kustomize ? cs->kustomize : "(not captured)", 0, "\n");
	buf_addf(out, "\nNodes (%zu)\n", cs->nodes.n);
	vec_foreach(&cs->nodes, n)
	{
		struct buf roles = BUF_INIT;

		for (i = 0; i < n->nroles; i++)
			buf_addf(&roles, "%s%s", i ? "," : "", n->roles[i]);
		buf_adds(out, "  ");
		cell(out, n->name, 24, " ");
		cell(out, n->status, 28, " ");
		cell(out, n->nroles ? buf_cstr(&roles) : "<none>", 22, " ");
		cell(out, n->kubelet.text ? n->kubelet.text : "?", 20, " ");
		loc_shown(out, n->loc);
		buf_addc(out, '\n');
		buf_release(&roles);
		rc |= flush_buf(fp, out);
	}
	buf_addf(out, "\nImages (%zu)\n", cs->images.n);
	vec_foreach(&cs->images, im)
	{
		buf_adds(out, "  ");
		cell(out, im->ref->image, 56, " ");
		cell(out, im->ref->component ? im->ref->component : "-", 24,
		     " ");
		if (im->pod) {
			cell(out, im->namespace_ ? im->namespace_ : "-", 0,
			     "/");
			cell(out, im->pod, 0, " ");
		}
		loc_shown(out, im->loc);
		buf_addc(out, '\n');
		rc |= flush_buf(fp, out);
	}
	buf_addf(out, "\nPackages (%zu)\n", cs->packages.n);
	vec_foreach(&cs->packages, p)
	{
		buf_adds(out, "  ");
		cell(out, p->name, 8, " ");
		cell(out, p->version, 22, " ");
		buf_addf(out, "%-12s %-4s ", model_repo_kind_name(p->repo_kind),
			 p->installed == TRI_TRUE ? "inst" : "");
		loc_shown(out, p->loc);
		buf_addc(out, '\n');
		rc |= flush_buf(fp, out);
	}
	/*
	 * API versions in use, as read (the rules judge them): shown when a
	 * metrics, audit log or manifests capture was given.
	 */
	if (cs->api_uses.n)
		buf_addf(out, "\nAPIs in use (%zu)\n", cs->api_uses.n);
	vec_foreach(&cs->api_uses, u)
	{
		buf_adds(out, "  ");
		cell(out, u->api, 36, " ");
		cell(out, u->kind ? u->kind : u->resource, 28, " ");
		cell(out, evidence_name(u->evidence), 8, " ");
		buf_addf(out, "x%-5llu ", u->count);
		if (u->who)
			cell(out, u->who, 0, " ");
		if (u->object) {
			buf_adds(out, u->who ? "on " : "");
			cell(out, u->object, 0, " ");
		}
		loc_shown(out, u->loc);
		buf_addc(out, '\n');
		rc |= flush_buf(fp, out);
	}
	/* Only when there is something: --strict runs print what they did. */
	if (cs->skipped.n)
		buf_addf(out, "\nSkipped (%zu): not read, see --strict\n",
			 cs->skipped.n);
	vec_foreach(&cs->skipped, sk)
	{
		buf_adds(out, "  ");
		loc_shown(out, sk->loc);
		buf_adds(out, ": ");
		cell(out, sk->reason, 0, "\n    | ");
		cell(out, sk->text, 0, "\n");
		rc |= flush_buf(fp, out);
	}
	rc |= flush_buf(fp, out);
	buf_release(&line);
	return rc ? -1 : 0;
}
