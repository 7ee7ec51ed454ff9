/*
 * inspect.c - `skewplan inspect` as text and as the JSON contract in the
 * README.
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

static cJSON *
ver_json(const struct version_info *vi)
{
	cJSON *o;

	if (!vi->present)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddItemToObject(o, "gitVersion", cJSON_CreateString(vi->ver.text));
	cJSON_AddItemToObject(o, "major", cJSON_CreateNumber(vi->ver.major));
	cJSON_AddItemToObject(o, "minor", cJSON_CreateNumber(vi->ver.minor));
	cJSON_AddItemToObject(o, "patch", cJSON_CreateNumber(vi->ver.patch));
	cJSON_AddItemToObject(o, "source", loc_json(vi->loc));
	return o;
}

static cJSON *
node_json(const struct node *n)
{
	cJSON *o = cJSON_CreateObject(), *roles = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n->nroles; i++)
		cJSON_AddItemToArray(roles, cJSON_CreateString(n->roles[i]));
	cJSON_AddItemToObject(o, "name", cJSON_CreateString(n->name));
	cJSON_AddItemToObject(o, "status", cJSON_CreateString(n->status));
	cJSON_AddItemToObject(o, "ready", tri_json(n->ready));
	cJSON_AddItemToObject(o, "schedulable", cJSON_CreateBool(n->schedulable));
	cJSON_AddItemToObject(o, "roles", roles);
	cJSON_AddItemToObject(o, "kubeletVersion", report_jstr(n->kubelet.text));
	cJSON_AddItemToObject(o, "kubeProxyVersion", report_jstr(n->kube_proxy));
	cJSON_AddItemToObject(o, "containerRuntime",
			      report_jstr(n->container_runtime));
	cJSON_AddItemToObject(o, "osImage", report_jstr(n->os_image));
	cJSON_AddItemToObject(o, "internalIP", report_jstr(n->internal_ip));
	cJSON_AddItemToObject(o, "source", loc_json(n->loc));
	return o;
}

static cJSON *
image_json(const struct image *im)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "image", cJSON_CreateString(im->ref->image));
	cJSON_AddItemToObject(o, "registry", report_jstr(im->ref->registry));
	cJSON_AddItemToObject(o, "repository", report_jstr(im->ref->repository));
	cJSON_AddItemToObject(o, "tag", report_jstr(im->ref->tag));
	cJSON_AddItemToObject(o, "digest", report_jstr(im->ref->digest));
	cJSON_AddItemToObject(o, "component", report_jstr(im->ref->component));
	cJSON_AddItemToObject(o, "namespace", report_jstr(im->namespace_));
	cJSON_AddItemToObject(o, "pod", report_jstr(im->pod));
	cJSON_AddItemToObject(o, "node", report_jstr(im->node));
	cJSON_AddItemToObject(o, "container", report_jstr(im->container));
	cJSON_AddItemToObject(o, "source", loc_json(im->loc));
	return o;
}

static cJSON *
package_json(const struct package *p)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "name", cJSON_CreateString(p->name));
	cJSON_AddItemToObject(o, "version", cJSON_CreateString(p->version));
	cJSON_AddItemToObject(o, "upstreamVersion", report_jstr(p->upstream));
	cJSON_AddItemToObject(o, "repo", report_jstr(p->repo));
	cJSON_AddItemToObject(o, "repoKind",
			      cJSON_CreateString(model_repo_kind_name(p->repo_kind)));
	if (p->repo_minor)
		cJSON_AddItemToObject(o, "repoMinor",
				      cJSON_CreateNumber(p->repo_minor));
	else
		cJSON_AddItemToObject(o, "repoMinor", cJSON_CreateNull());
	cJSON_AddItemToObject(o, "installed", tri_json(p->installed));
	cJSON_AddItemToObject(o, "source", loc_json(p->loc));
	return o;
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
	text = cJSON_PrintUnformatted(item);
	cJSON_Delete(item);
	if (!text)
		return -1;
	rc = fprintf(out, "%s%s", prefix, text) < 0 ? -1 : 0;
	free(text);
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
	cJSON *v;
	bool first;
	int rc = 0;

	if (fputs("{\n  \"inputs\": [", out) < 0)
		return -1;
	first = true;
	vec_foreach(&cs->inputs, in)
	{
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToObject(o, "path", cJSON_CreateString(in->path));
		cJSON_AddItemToObject(o, "kind",
				      cJSON_CreateString(model_kind_name(in->kind)));
		cJSON_AddItemToObject(o, "format", cJSON_CreateString(in->format));
		rc |= put_item(out, o, &first);
	}
	rc |= put_array_end(out, first);
	if (fputs(",\n  \"versions\": ", out) < 0)
		return -1;
	v = cJSON_CreateObject();
	cJSON_AddItemToObject(v, "client", ver_json(&cs->client));
	cJSON_AddItemToObject(v, "server", ver_json(&cs->server));
	cJSON_AddItemToObject(v, "kustomize", report_jstr(cs->kustomize));
	cJSON_AddItemToObject(v, "kubeadm", ver_json(&cs->kubeadm));
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
	if (fputs("\n}\n", out) < 0)
		return -1;
	return rc ? -1 : 0;
}

static void
ver_text(struct buf *b, const char *label, const struct version_info *vi)
{
	buf_addf(b, "  %-10s ", label);
	if (!vi->present) {
		buf_adds(b, "(not captured)\n");
		return;
	}
	buf_addf(b, "%-24s ", vi->ver.text);
	loc_text(b, vi->loc);
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
	size_t i;

	buf_addf(out, "Inputs (%zu)\n", cs->inputs.n);
	vec_foreach(&cs->inputs, in)
		buf_addf(out, "  %-8s %-24s %s\n", model_kind_name(in->kind),
			 in->format, in->path);
	buf_adds(out, "\nVersions\n");
	ver_text(out, "client", &cs->client);
	ver_text(out, "server", &cs->server);
	ver_text(out, "kubeadm", &cs->kubeadm);
	buf_addf(out, "  %-10s %s\n", "kustomize",
		 cs->kustomize ? cs->kustomize : "(not captured)");
	buf_addf(out, "\nNodes (%zu)\n", cs->nodes.n);
	vec_foreach(&cs->nodes, n)
	{
		struct buf roles = BUF_INIT;

		for (i = 0; i < n->nroles; i++)
			buf_addf(&roles, "%s%s", i ? "," : "", n->roles[i]);
		buf_addf(out, "  %-24s %-28s %-22s %-20s ", n->name, n->status,
			 n->nroles ? buf_cstr(&roles) : "<none>",
			 n->kubelet.text ? n->kubelet.text : "?");
		loc_text(out, n->loc);
		buf_addc(out, '\n');
		buf_release(&roles);
		rc |= flush_buf(fp, out);
	}
	buf_addf(out, "\nImages (%zu)\n", cs->images.n);
	vec_foreach(&cs->images, im)
	{
		buf_addf(out, "  %-56s %-24s ", im->ref->image,
			 im->ref->component ? im->ref->component : "-");
		if (im->pod)
			buf_addf(out, "%s/%s ",
				 im->namespace_ ? im->namespace_ : "-", im->pod);
		loc_text(out, im->loc);
		buf_addc(out, '\n');
		rc |= flush_buf(fp, out);
	}
	buf_addf(out, "\nPackages (%zu)\n", cs->packages.n);
	vec_foreach(&cs->packages, p)
	{
		buf_addf(out, "  %-8s %-22s %-12s %-4s ", p->name, p->version,
			 model_repo_kind_name(p->repo_kind),
			 p->installed == TRI_TRUE ? "inst" : "");
		loc_text(out, p->loc);
		buf_addc(out, '\n');
		rc |= flush_buf(fp, out);
	}
	rc |= flush_buf(fp, out);
	buf_release(&line);
	return rc ? -1 : 0;
}
