/*
 * describe.c - the output of `kubectl describe node` and `kubectl describe
 * pod`, one object or several after one another (`kubectl describe nodes`
 * prints every node so).
 *
 * The shapes are kubectl's (staging/src/k8s.io/kubectl/pkg/describe/
 * describe.go: describeNode, describePod, describeContainers): a field at
 * column 0 is "Key:" and its value after white space, a section is a key
 * without a value whose lines are indented below it. Every object starts
 * with its "Name:" line. What is read of a node: Name, Roles,
 * Unschedulable, the Ready row of the Conditions table, the InternalIP of
 * Addresses, and Kubelet Version, Kube-Proxy Version, Container Runtime
 * Version and OS Image of System Info. Of a pod: Name, Namespace, Node
 * ("cp-1/10.0.0.5") and, under Init Containers, Containers and Ephemeral
 * Containers, each container's Image and Image ID. Everything else
 * (labels, events, the pods table of a node) is passed over; an object of
 * another kind is one skipped record.
 *
 * Each object is one record of the recovery path (recover.c), each
 * container of a pod one more: a bad value skips that much.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Errors in one file before it is given up. */
#define DESCRIBE_MAX_ERRORS 20

enum obj_kind { OBJ_NONE, OBJ_NODE, OBJ_POD, OBJ_OTHER };

enum section {
	SEC_NONE,
	SEC_CONDITIONS,
	SEC_ADDRESSES,
	SEC_SYSTEM_INFO,
	SEC_INIT_CONTAINERS,
	SEC_CONTAINERS,
	SEC_OTHER,
};

/* A container of a pod, until the next one or the end of its section. */
struct dcont {
	bool open;
	bool init;
	const char *name;	/* arena */
	struct src_loc loc;	/* its "  name:" line */
	struct buf line;	/* that line, for a skipped record */
	struct buf image;	/* Image: value */
	struct src_loc image_loc;
	struct buf id;		/* Image ID: value */
	struct src_loc id_loc;
};

struct dparse {
	struct ingest_ctx *c;
	struct text_reader r;
	struct nodes_state nodes;
	struct images_parse images;
	enum obj_kind kind;
	enum section sec;
	struct buf name_line;	/* the object's Name: line */
	struct src_loc name_loc;
	const char *name;	/* arena */
	/* Node fields. */
	struct node n;
	const char *kubelet;	/* arena */
	struct src_loc kubelet_loc;
	bool unschedulable;
	/* Pod fields (images_name_of strings). */
	const char *ns, *pod, *node;
	struct dcont cont;
	unsigned errors;
	size_t images0;
	bool obj_record;	/* the object's own record is open */
	bool saw_containers;	/* a pod's Containers: section */
	bool fatal;
};

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Leading white space of s, tabs counted as one column. */
static size_t
indent_of(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && is_blank(s[i]))
		i++;
	return i;
}

/*
 * Splits "Key:   value" at s[from..len) into the key (without ':') and
 * the value (trimmed; offset *voff). False if the line has no "Key:"
 * (a key is letters, digits, spaces, '-', '_', '.', '/').
 */
static bool
split_field(const char *s, size_t len, size_t from, size_t *klen,
	    size_t *voff, size_t *vlen)
{
	size_t i = from, e;

	for (; i < len && s[i] != ':'; i++)
		if (!(s[i] == ' ' || s[i] == '-' || s[i] == '_' ||
		      s[i] == '.' || s[i] == '/' ||
		      (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	if (i == len || i == from)
		return false;
	/* "Key:value" is no field of describe's (an IPv6 address is). */
	if (i + 1 < len && !is_blank(s[i + 1]))
		return false;
	*klen = i - from;
	for (i++; i < len && is_blank(s[i]); i++)
		;
	for (e = len; e > i && is_blank(s[e - 1]); e--)
		;
	*voff = i;
	*vlen = e - i;
	return true;
}

static bool
key_is(const char *s, size_t len, const char *z)
{
	return strlen(z) == len && !memcmp(s, z, len);
}

static int
dp_oom(struct dparse *p, struct src_loc loc)
{
	p->fatal = true;
	return diag_error(p->c->diag, loc, "out of memory");
}

static const char *
dp_strndup(struct dparse *p, const char *s, size_t len, struct src_loc loc)
{
	const char *q = arena_strndup(p->c->arena, s, len);

	if (!q)
		dp_oom(p, loc);
	return q;
}

/* A record's end: counts an error; -1 stops reading the file. */
static int
dp_end(struct dparse *p, int rc, const char *text, size_t len)
{
	rc = recover_end(p->c, rc, text, len);
	if (rc < 0)
		p->errors++;
	if (p->fatal || p->errors >= DESCRIBE_MAX_ERRORS)
		return -1;
	return 0;
}

/* Whether the open record has had an error (it will be skipped). */
static bool
record_has_error(const struct dparse *p)
{
	const struct diag *d = p->c->diag;
	size_t i;

	for (i = p->c->rec_start; p->c->in_record && i < d->held.n; i++)
		if (d->held.v[i].lvl == DIAG_ERROR)
			return true;
	return false;
}

/* Ends the object's own record (a pod's, at its first container). */
static int
object_record_end(struct dparse *p, int rc)
{
	if (!p->obj_record)
		return 0;
	p->obj_record = false;
	return dp_end(p, rc, p->name_line.s, p->name_line.len);
}

/* ------------------------------------------------------------ pods */

/*
 * The repository an Image ID names, for comparison: the runtime's
 * scheme ("docker-pullable://") cut, and an ID of no repository (a bare
 * "sha256:...", what Docker prints for a local image) none.
 */
static bool
id_digest(struct dparse *p, const struct image_ref *ref, const char *id,
	  size_t len, const char **digest)
{
	struct image_ref idref;
	const char *sep, *err;

	*digest = NULL;
	for (sep = id; sep + 3 <= id + len; sep++)
		if (!memcmp(sep, "://", 3)) {
			len -= (size_t)(sep + 3 - id);
			id = sep + 3;
			break;
		}
	if (!memchr(id, '@', len))
		return true;
	if (model_parse_image_ref(p->c->arena, id, len, &idref, &err) < 0)
		return !strcmp(err, "out of memory") ? false : true;
	/* Another repository (a mirror): its digest is not this image's. */
	if (idref.digest && !strcmp(idref.registry, ref->registry) &&
	    !strcmp(idref.repository, ref->repository))
		*digest = idref.digest;
	return true;
}

static int
container_flush(struct dparse *p)
{
	struct dcont *k = &p->cont;
	const struct image_ref *ref;
	struct image_ref *withd;
	const char *digest;
	bool stop;
	int rc = 0;

	if (!k->open)
		return 0;
	k->open = false;
	if (!k->image.len) {
		rc = diag_error(p->c->diag, k->loc,
				"container '%s' has no Image: line", k->name);
	} else if (!(ref = images_image_at(&p->images, k->image.s,
					   k->image.len, k->image_loc,
					   &stop))) {
		rc = -1;
		p->fatal = p->fatal || stop;
	} else if (!id_digest(p, ref, buf_cstr(&k->id), k->id.len, &digest)) {
		rc = dp_oom(p, k->id_loc);
	} else {
		if (digest && !ref->digest) {
			/* Image as written; the digest the node resolved. */
			if (!(withd = arena_alloc(p->c->arena,
						  sizeof(*withd))))
				return dp_end(p, dp_oom(p, k->id_loc), NULL, 0);
			*withd = *ref;
			withd->digest = digest;
			ref = withd;
		}
		rc = images_add(&p->images, ref, p->ns, p->pod, p->node,
				k->name, k->init, k->image_loc);
		if (rc < 0)
			p->fatal = true;
	}
	return dp_end(p, rc, k->line.s, k->line.len);
}

static int
container_open(struct dparse *p, const struct text_line *l, size_t ind,
	       size_t klen)
{
	struct dcont *k = &p->cont;
	struct src_loc loc = text_loc(&p->r, l, ind);

	if (container_flush(p) < 0 || object_record_end(p, 0) < 0)
		return -1;
	recover_begin(p->c);
	k->open = true;
	k->init = p->sec == SEC_INIT_CONTAINERS;
	k->loc = loc;
	k->image_loc = k->id_loc = loc;
	buf_reset(&k->line);
	buf_reset(&k->image);
	buf_reset(&k->id);
	buf_add(&k->line, l->s, l->len);
	if (images_name_of(&p->images, l->s + ind, klen, true, &k->name) < 0)
		return dp_oom(p, loc);
	if (!k->name)
		k->name = "";
	return 0;
}

/* A line of a pod. */
static int
pod_line(struct dparse *p, const struct text_line *l, size_t ind, bool field,
	 size_t klen, size_t voff, size_t vlen)
{
	const char *k = l->s + ind, *v = l->s + voff;
	struct src_loc loc = text_loc(&p->r, l, voff);
	const char *slash;
	size_t n;

	if (ind == 0) {
		if (key_is(k, klen, "Namespace"))
			return images_name_of(&p->images, v, vlen, vlen > 0,
					      &p->ns) < 0
				       ? dp_oom(p, loc)
				       : 0;
		if (key_is(k, klen, "Node")) {
			/* "cp-1/10.0.0.5"; "<none>" before it is scheduled */
			slash = memchr(v, '/', vlen);
			n = slash ? (size_t)(slash - v) : vlen;
			return images_name_of(&p->images, v, n, n > 0,
					      &p->node) < 0
				       ? dp_oom(p, loc)
				       : 0;
		}
		return 0;
	}
	if (p->sec != SEC_INIT_CONTAINERS && p->sec != SEC_CONTAINERS)
		return 0;
	if (ind == 2 && field && vlen == 0)
		return container_open(p, l, ind, klen);
	if (ind != 4 || !field || !p->cont.open)
		return 0;
	if (key_is(k, klen, "Image")) {
		buf_reset(&p->cont.image);
		buf_add(&p->cont.image, v, vlen);
		p->cont.image_loc = loc;
	} else if (key_is(k, klen, "Image ID")) {
		buf_reset(&p->cont.id);
		buf_add(&p->cont.id, v, vlen);
		p->cont.id_loc = loc;
	}
	return 0;
}

/* ------------------------------------------------------------ nodes */

static int
node_value(struct dparse *p, const char **out, const char *v, size_t vlen,
	   struct src_loc loc)
{
	/* A field kubectl prints empty (Kube-Proxy Version since 1.31). */
	if (vlen == 0)
		return 0;
	return (*out = dp_strndup(p, v, vlen, loc)) ? 0 : -1;
}

static int
node_roles(struct dparse *p, const char *v, size_t vlen, struct src_loc loc)
{
	const char *roles[64];
	size_t n = 0, i = 0, e;

	if (key_is(v, vlen, "<none>") || vlen == 0)
		return 0;
	while (i <= vlen) {
		for (e = i; e < vlen && v[e] != ','; e++)
			;
		if (!nodes_role_is_valid(v + i, e - i)) {
			loc.col += (uint32_t)i;
			return diag_error(p->c->diag, loc, "invalid role '%s'",
					  nodes_show(&p->nodes, v + i, e - i));
		}
		if (n == ARRAY_SIZE(roles))
			return diag_error(p->c->diag, loc,
					  "more than %zu roles",
					  ARRAY_SIZE(roles));
		if (!(roles[n++] = dp_strndup(p, v + i, e - i, loc)))
			return -1;
		i = e + 1;
	}
	n = nodes_roles_sort(roles, n);
	p->n.roles = arena_alloc(p->c->arena, n * sizeof(*roles));
	if (!p->n.roles)
		return dp_oom(p, loc);
	memcpy(p->n.roles, roles, n * sizeof(*roles));
	p->n.nroles = n;
	return 0;
}

/* The Ready row of the Conditions table: its second column. */
static int
node_condition(struct dparse *p, const struct text_line *l, size_t ind)
{
	const char *s = l->s + ind, *st;
	size_t n = l->len - ind, i = 0, sl;

	while (i < n && !is_blank(s[i]))
		i++;
	if (!key_is(s, i, "Ready"))
		return 0;
	while (i < n && is_blank(s[i]))
		i++;
	st = s + i;
	for (sl = 0; i + sl < n && !is_blank(st[sl]); sl++)
		;
	if (key_is(st, sl, "True"))
		p->n.ready = TRI_TRUE;
	else if (key_is(st, sl, "False") || key_is(st, sl, "Unknown"))
		p->n.ready = TRI_FALSE; /* kubectl get nodes: NotReady */
	else
		return diag_error(p->c->diag, text_loc(&p->r, l, ind + i),
				  "unknown condition status '%s'",
				  nodes_show(&p->nodes, st, sl));
	return 0;
}

static int
node_line(struct dparse *p, const struct text_line *l, size_t ind, bool field,
	  size_t klen, size_t voff, size_t vlen)
{
	const char *k = l->s + ind, *v = l->s + voff;
	struct src_loc loc = text_loc(&p->r, l, voff);

	if (ind == 0) {
		if (key_is(k, klen, "Roles"))
			return node_roles(p, v, vlen, loc);
		if (key_is(k, klen, "Unschedulable")) {
			if (key_is(v, vlen, "true") || key_is(v, vlen, "false")) {
				p->unschedulable = v[0] == 't';
				return 0;
			}
			return diag_error(p->c->diag, loc,
					  "invalid Unschedulable '%s'",
					  nodes_show(&p->nodes, v, vlen));
		}
		return 0;
	}
	if (p->sec == SEC_CONDITIONS)
		return node_condition(p, l, ind);
	if (!field)
		return 0;
	if (p->sec == SEC_ADDRESSES && key_is(k, klen, "InternalIP") &&
	    !p->n.internal_ip) {
		if (!nodes_ip_is_valid(v, vlen))
			return diag_error(p->c->diag, loc,
					  "invalid internal IP '%s'",
					  nodes_show(&p->nodes, v, vlen));
		return node_value(p, &p->n.internal_ip, v, vlen, loc);
	}
	if (p->sec != SEC_SYSTEM_INFO)
		return 0;
	if (key_is(k, klen, "Kubelet Version")) {
		p->kubelet_loc = loc;
		return node_value(p, &p->kubelet, v, vlen, loc);
	}
	if (key_is(k, klen, "Kube-Proxy Version"))
		return node_value(p, &p->n.kube_proxy, v, vlen, loc);
	if (key_is(k, klen, "Container Runtime Version"))
		return node_value(p, &p->n.container_runtime, v, vlen, loc);
	if (key_is(k, klen, "OS Image"))
		return node_value(p, &p->n.os_image, v, vlen, loc);
	return 0;
}

static int
node_finish(struct dparse *p)
{
	struct ingest_ctx *c = p->c;
	const char *err;
	int rc;

	if (record_has_error(p))
		return -1;
	if (!p->kubelet)
		return diag_error(c->diag, p->name_loc,
				  "node '%s' has no Kubelet Version", p->name);
	if (kver_parse(c->arena, p->kubelet, strlen(p->kubelet),
		       &p->n.kubelet, &err) < 0)
		return diag_error(c->diag, p->kubelet_loc,
				  "invalid kubelet version '%s': %s",
				  nodes_show(&p->nodes, p->kubelet,
					     strlen(p->kubelet)),
				  err);
	p->n.name = p->name;
	p->n.loc = p->name_loc;
	p->n.schedulable = !p->unschedulable;
	p->n.status = arena_printf(c->arena, "%s%s",
				   p->n.ready == TRI_TRUE    ? "Ready"
				   : p->n.ready == TRI_FALSE ? "NotReady"
							     : "Unknown",
				   p->unschedulable ? ",SchedulingDisabled"
						    : "");
	if (!p->n.status)
		return dp_oom(p, p->name_loc);
	rc = nodes_add(&p->nodes, &p->n);
	return rc;
}

/* ------------------------------------------------------------ objects */

/* Ends the current object: its record, and a pod's last container. */
static int
object_end(struct dparse *p)
{
	int rc = 0;

	if (container_flush(p) < 0)
		return -1;
	if (p->kind == OBJ_NODE)
		rc = node_finish(p);
	else if (p->kind == OBJ_OTHER ||
		 (p->kind == OBJ_POD && !p->saw_containers))
		rc = diag_error(p->c->diag, p->name_loc,
				"'%s' is neither a node nor a pod: not read",
				p->name ? p->name : "");
	p->kind = OBJ_NONE;
	return object_record_end(p, rc);
}

static int
object_start(struct dparse *p, const struct text_line *l, size_t voff,
	     size_t vlen)
{
	struct src_loc loc = text_loc(&p->r, l, voff);

	if (object_end(p) < 0)
		return -1;
	recover_begin(p->c);
	p->obj_record = true;
	p->saw_containers = false;
	memset(&p->n, 0, sizeof(p->n));
	p->n.ready = TRI_UNKNOWN;
	p->kind = OBJ_NONE;
	p->sec = SEC_NONE;
	p->kubelet = NULL;
	p->unschedulable = false;
	p->ns = p->pod = p->node = NULL;
	p->name_loc = loc;
	buf_reset(&p->name_line);
	buf_add(&p->name_line, l->s, l->len);
	p->name = dp_strndup(p, l->s + voff, vlen, loc);
	/* The kind is told by the object's second field. */
	p->kind = OBJ_OTHER;
	return p->name ? 0 : -1;
}

/* The second field of an object says its kind. */
static int
object_kind(struct dparse *p, const char *k, size_t klen)
{
	if (key_is(k, klen, "Roles")) {
		p->kind = OBJ_NODE;
		if (nodes_name_is_masked(p->name, strlen(p->name)))
			p->n.masked = true;
		else if (!safe_is_dns_subdomain(p->name, strlen(p->name)))
			return nodes_name_error(&p->nodes, p->name_loc,
						p->name, strlen(p->name));
	} else if (key_is(k, klen, "Namespace")) {
		p->kind = OBJ_POD;
		if (images_name_of(&p->images, p->name, strlen(p->name), true,
				   &p->pod) < 0)
			return dp_oom(p, p->name_loc);
	}
	return 0;
}

static enum section
section_of(const char *k, size_t klen)
{
	if (key_is(k, klen, "Conditions"))
		return SEC_CONDITIONS;
	if (key_is(k, klen, "Addresses"))
		return SEC_ADDRESSES;
	if (key_is(k, klen, "System Info"))
		return SEC_SYSTEM_INFO;
	if (key_is(k, klen, "Init Containers"))
		return SEC_INIT_CONTAINERS;
	if (key_is(k, klen, "Containers") ||
	    key_is(k, klen, "Ephemeral Containers"))
		return SEC_CONTAINERS;
	return SEC_OTHER;
}

static int
describe_line(struct dparse *p, const struct text_line *l, bool *second)
{
	size_t ind = indent_of(l->s, l->len), klen = 0, voff = 0, vlen = 0;
	bool field = split_field(l->s, l->len, ind, &klen, &voff, &vlen);
	const char *k = l->s + ind;
	int rc;

	if (ind == 0 && field && key_is(k, klen, "Name")) {
		*second = true;
		return object_start(p, l, voff, vlen);
	}
	if (p->kind == OBJ_NONE) {
		/* Before the first object: a line that is not describe's. */
		recover_begin(p->c);
		rc = diag_error(p->c->diag, text_loc(&p->r, l, 0),
				"not part of a described object");
		return dp_end(p, rc, l->s, l->len);
	}
	if (ind == 0) {
		if (container_flush(p) < 0)
			return -1;
		if (*second && field)
			rc = object_kind(p, k, klen);
		else
			rc = 0;
		*second = false;
		if (rc < 0)
			return 0; /* held: the object's record is skipped */
		p->sec = field && vlen == 0 ? section_of(k, klen) : SEC_NONE;
		if (p->sec == SEC_CONTAINERS || p->sec == SEC_INIT_CONTAINERS)
			p->saw_containers = true;
	}
	if (p->kind == OBJ_NODE)
		return node_line(p, l, ind, field, klen, voff, vlen) < 0 &&
				       p->fatal
			       ? -1
			       : 0;
	if (p->kind == OBJ_POD)
		return pod_line(p, l, ind, field, klen, voff, vlen) < 0 &&
				       p->fatal
			       ? -1
			       : 0;
	return 0;
}

static int
describe_parse(struct dparse *p)
{
	struct ingest_ctx *c = p->c;
	struct text_line l;
	bool second = false;
	int rc;

	if (text_reader_open_stream(&p->r, c->in, false, c->diag) < 0)
		return -1;
	p->r.warn_utf8 = true;
	p->r.recover = c;
	while ((rc = text_reader_next(&p->r, &l)) > 0) {
		if (l.noise != NOISE_NONE)
			continue;
		if (describe_line(p, &l, &second) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && object_end(p) < 0)
		rc = -1;
	if (rc < 0 && c->in_record)
		recover_end(c, -1, NULL, 0);
	text_reader_close(&p->r);
	return rc;
}

int
ingest_describe(struct ingest_ctx *c)
{
	struct dparse p;
	unsigned errors0 = c->diag->errors;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.images.c = c;
	p.images0 = c->cs->images.n;
	c->format = c->sniff->kind == KIND_NODES ? "describe-node"
						 : "describe-pod";
	recover_file_begin(c);
	if (nodes_state_init(&p.nodes, c) < 0) {
		nodes_state_release(&p.nodes);
		return -1;
	}
	rc = describe_parse(&p);
	if (rc == 0 && p.nodes.conflicts.n &&
	    nodes_drop_conflicts(&p.nodes) < 0)
		rc = -1;
	if (p.errors >= DESCRIBE_MAX_ERRORS)
		diag_note(c->diag, (struct src_loc){c->path, 0, 0},
			  "stopped reading after %d errors",
			  DESCRIBE_MAX_ERRORS);
	if (c->diag->errors != errors0)
		rc = -1;
	if (rc == 0 && !p.nodes.added && c->cs->images.n == p.images0) {
		recover_give_up(c);
		rc = diag_error(c->diag, (struct src_loc){c->path, 0, 0},
				"no node or container image in the described "
				"objects");
	}
	if (rc < 0) {
		c->cs->nodes.n = p.nodes.first_new;
		c->cs->images.n = p.images0;
	}
	recover_file_end(c, rc < 0);
	nodes_state_release(&p.nodes);
	strmap_release(&p.images.names);
	buf_release(&p.name_line);
	buf_release(&p.cont.line);
	buf_release(&p.cont.image);
	buf_release(&p.cont.id);
	return rc;
}
