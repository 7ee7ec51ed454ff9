/*
 * kubeadm_plan.c - the output of `kubeadm upgrade plan`, as text and as
 * `-o json|yaml` (output.kubeadm.k8s.io/v1alpha2 and v1alpha3 UpgradePlan).
 *
 * The shapes are kubeadm's (cmd/kubeadm/app/cmd/upgrade/plan.go and
 * cmd/kubeadm/app/apis/output/v1alpha2|v1alpha3/types.go):
 *   - "[upgrade/versions] Cluster version: v1.28.4" and "kubeadm version:"
 *     lines before the tables;
 *   - the table of "Components that must be upgraded manually after you
 *     have upgraded the control plane with 'kubeadm upgrade apply':" and
 *     the control plane table after "Upgrade to the latest ...:", laid out
 *     by a tabwriter: COMPONENT NODE CURRENT TARGET from 1.30 (kubernetes
 *     PR 123578: a kubelet row per node, kube-apiserver, controller-manager,
 *     scheduler and etcd per control-plane node), COMPONENT CURRENT TARGET
 *     before (kubelets counted per version: "2 x v1.28.4"), and COMPONENT
 *     CURRENT AVAILABLE in the oldest releases ("Kubelet", "API Server");
 *   - the structured plan: v1alpha2 "components" (name, currentVersion,
 *     newVersion), v1alpha3 "availableUpgrades[].components" with a
 *     nodeName, and a "kubeadm" component with kubeadm's own version.
 *
 * What the model holds of it: the server version (the Cluster version
 * line, else the kube-apiserver rows when they agree), kubeadm's version,
 * and each named node's kubelet version, which ingest_finish() checks
 * against the node list once every input is read: a different version
 * there is kept and this one is an input-conflict, unless the plan is the
 * later output of one session, which is then the node's state. etcd, CoreDNS,
 * kube-proxy, the controller-manager and scheduler and the targets are
 * read (a row that cannot be is a skipped record) and not kept.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PLAN_MAX_ERRORS 20
#define PLAN_MAX_COLS 4

/* What a row's component is, by the names of every layout. */
enum comp { COMP_OTHER, COMP_KUBELET, COMP_APISERVER, COMP_KUBEADM };

struct plan_parse {
	struct ingest_ctx *c;
	struct vstate vs;	/* for version_merge() */
	struct text_reader r;
	/* The table being read: its columns' offsets, from its header. */
	size_t col[PLAN_MAX_COLS];
	size_t ncol;
	bool has_node;		/* a NODE column: 1.30 and later */
	bool in_table;
	bool prev_kubelet;	/* an old layout's kubelet rows go on blank */
	/* The kube-apiserver versions, for the server when no Cluster line. */
	const char *apiserver;	/* arena: the first */
	struct src_loc apiserver_loc;
	bool apiserver_differs;
	bool cluster_line;	/* the server came from the Cluster version */
	unsigned errors;
	unsigned facts;		/* anything read */
	bool fatal;
	/* The structured plan: the component being read. */
	struct {
		struct buf name, current, node;
		struct src_loc loc, current_loc, node_loc;
	} k;
	bool doc_is_plan;
};

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool
has_prefix(const char *s, size_t n, const char *z)
{
	return n >= strlen(z) && !memcmp(s, z, strlen(z));
}

static bool
span_is(const char *s, size_t n, const char *z)
{
	return strlen(z) == n && !memcmp(s, z, n);
}

static enum comp
comp_of(const char *s, size_t n)
{
	if (span_is(s, n, "kubelet") || span_is(s, n, "Kubelet"))
		return COMP_KUBELET;
	if (span_is(s, n, "kube-apiserver") || span_is(s, n, "API Server"))
		return COMP_APISERVER;
	if (span_is(s, n, "kubeadm"))
		return COMP_KUBEADM;
	return COMP_OTHER;
}

static int
plan_oom(struct plan_parse *p, struct src_loc loc)
{
	p->fatal = true;
	return diag_error(p->c->diag, loc, "out of memory");
}

/* A version a row or field gives: checked; *out an arena kver. */
static int
parse_ver(struct plan_parse *p, const char *what, const char *s, size_t n,
	  struct src_loc loc, struct kver *out)
{
	const char *err;

	if (kver_parse(p->c->arena, s, n, out, &err) < 0) {
		if (!strcmp(err, "out of memory"))
			return plan_oom(p, loc);
		return diag_error(p->c->diag, loc, "invalid %s version '%s': %s",
				  what, version_show(&p->vs, s, n), err);
	}
	if (!out->has_patch)
		return diag_error(p->c->diag, loc,
				  "%s version '%s' has no patch number", what,
				  version_show(&p->vs, s, n));
	return 0;
}

/* A binary's version, merged as every capture's (version_merge). */
static int
add_binary(struct plan_parse *p, enum binary b, const char *s, size_t n,
	   struct src_loc loc)
{
	struct version_info vi;

	memset(&vi, 0, sizeof(vi));
	if (parse_ver(p, b == BIN_SERVER ? "cluster" : "kubeadm", s, n, loc,
		      &vi.ver) < 0)
		return -1;
	vi.loc = loc;
	p->facts++;
	return version_merge(&p->vs, b, &vi);
}

/* A node's kubelet version, checked against the node list at the end. */
static int
add_kubelet(struct plan_parse *p, const char *node, size_t nn,
	    struct src_loc node_loc, const char *v, size_t vn,
	    struct src_loc vloc)
{
	struct cluster_state *cs = p->c->cs;
	struct kubelet_sighting *ks;
	struct kver ver;

	if (!safe_is_dns_subdomain(node, nn))
		return diag_error(p->c->diag, node_loc,
				  "invalid node name '%s'",
				  version_show(&p->vs, node, nn));
	if (parse_ver(p, "kubelet", v, vn, vloc, &ver) < 0)
		return -1;
	if (cs->kubelet_sightings.n >= LIMIT_ITEMS)
		return diag_error(p->c->diag, node_loc, "more than %u nodes",
				  LIMIT_ITEMS);
	if (!(ks = vec_push(&cs->kubelet_sightings)))
		return plan_oom(p, node_loc);
	ks->node = arena_strndup(p->c->arena, node, nn);
	ks->kubelet = ver;
	ks->loc = vloc;
	ks->node_loc = node_loc;
	if (!ks->node) {
		cs->kubelet_sightings.n--;
		return plan_oom(p, node_loc);
	}
	p->facts++;
	return 0;
}

/* A kube-apiserver's current version: the server's when they all agree. */
static int
add_apiserver(struct plan_parse *p, const char *v, size_t vn,
	      struct src_loc loc)
{
	struct kver ver;

	if (parse_ver(p, "kube-apiserver", v, vn, loc, &ver) < 0)
		return -1;
	p->facts++;
	if (!p->apiserver) {
		p->apiserver = ver.text;
		p->apiserver_loc = loc;
	} else if (strcmp(p->apiserver, ver.text)) {
		p->apiserver_differs = true;
	}
	return 0;
}

/* ------------------------------------------------------------ text */

/* A header "COMPONENT [NODE] CURRENT TARGET|AVAILABLE": its columns. */
static bool
table_header(struct plan_parse *p, const char *s, size_t n)
{
	static const char *const want[][PLAN_MAX_COLS] = {
		{"COMPONENT", "NODE", "CURRENT", "TARGET"},
		{"COMPONENT", "CURRENT", "TARGET", NULL},
		{"COMPONENT", "CURRENT", "AVAILABLE", NULL},
	};
	size_t off[PLAN_MAX_COLS + 1], nw = 0, i = 0, k, start;

	while (i < n) {
		while (i < n && is_blank(s[i]))
			i++;
		if (i == n)
			break;
		if (nw == PLAN_MAX_COLS)
			return false;
		start = i;
		while (i < n && !is_blank(s[i]))
			i++;
		off[nw++] = start;
	}
	off[nw] = n;
	for (k = 0; k < ARRAY_SIZE(want); k++) {
		size_t m = want[k][3] ? 4 : 3;

		if (nw != m || off[0] != 0)
			continue;
		for (i = 0; i < m; i++)
			if (!span_is(s + off[i], (i + 1 < m ? off[i + 1] : n) -
							 off[i],
				     want[k][i]) &&
			    !(i + 1 < m &&
			      has_prefix(s + off[i], n - off[i], want[k][i]) &&
			      is_blank(s[off[i] + strlen(want[k][i])])))
				break;
		if (i < m)
			continue;
		memcpy(p->col, off, m * sizeof(off[0]));
		p->ncol = m;
		p->has_node = m == 4;
		p->in_table = true;
		p->prev_kubelet = false;
		return true;
	}
	return false;
}

struct cell {
	size_t off, len;
};

/* Cuts a row at its header's columns; false if it does not line up. */
static bool
row_cells(const struct plan_parse *p, const char *s, size_t n,
	  struct cell *cells)
{
	size_t k, b, e;

	for (k = 0; k < p->ncol; k++) {
		b = p->col[k];
		e = k + 1 < p->ncol ? p->col[k + 1] : n;
		if (b > n)
			return false;
		if (e > n)
			e = n;
		/* A cell starts at its column, after a blank. */
		if (k > 0 && b > 0 && !is_blank(s[b - 1]))
			return false;
		while (b < e && is_blank(s[b]))
			b++;
		while (e > b && is_blank(s[e - 1]))
			e--;
		cells[k].off = b;
		cells[k].len = e - b;
	}
	/* Only the component of an old layout's further kubelet rows and
	 * the node of kube-proxy and CoreDNS may be empty. */
	for (k = 1; k < p->ncol; k++)
		if (!cells[k].len && !(p->has_node && k == 1))
			return false;
	return true;
}

static int
table_row(struct plan_parse *p, const struct text_line *l)
{
	struct cell c[PLAN_MAX_COLS];
	const char *s = l->s;
	size_t cur, nd;
	enum comp comp;

	if (!row_cells(p, s, l->len, c))
		return diag_error(p->c->diag, text_loc(&p->r, l, 0),
				  "row does not line up with its table's "
				  "header");
	comp = comp_of(s + c[0].off, c[0].len);
	if (!c[0].len) {
		if (p->has_node || !p->prev_kubelet)
			return diag_error(p->c->diag, text_loc(&p->r, l, 0),
					  "row has no component");
		comp = COMP_KUBELET;
	}
	p->prev_kubelet = comp == COMP_KUBELET;
	cur = p->has_node ? 2 : 1;
	nd = 1;
	if (comp == COMP_KUBELET && p->has_node)
		return add_kubelet(p, s + c[nd].off, c[nd].len,
				   text_loc(&p->r, l, c[nd].off),
				   s + c[cur].off, c[cur].len,
				   text_loc(&p->r, l, c[cur].off));
	if (comp == COMP_KUBELET) {
		/* "2 x v1.28.4": how many nodes, not which. */
		const char *v = memchr(s + c[cur].off, 'x', c[cur].len);
		size_t skip = v ? (size_t)(v - (s + c[cur].off)) + 1 : 0;
		struct kver ver;

		while (skip < c[cur].len && is_blank(s[c[cur].off + skip]))
			skip++;
		if (!v || skip == c[cur].len)
			return diag_error(p->c->diag,
					  text_loc(&p->r, l, c[cur].off),
					  "invalid kubelet count '%s'",
					  version_show(&p->vs, s + c[cur].off,
						       c[cur].len));
		p->facts++;
		return parse_ver(p, "kubelet", s + c[cur].off + skip,
				 c[cur].len - skip,
				 text_loc(&p->r, l, c[cur].off + skip), &ver);
	}
	if (comp == COMP_APISERVER)
		return add_apiserver(p, s + c[cur].off, c[cur].len,
				     text_loc(&p->r, l, c[cur].off));
	/* etcd, CoreDNS, kube-proxy...: read, not kept. */
	p->facts++;
	return 0;
}

/* "[upgrade/versions] Cluster version: v1.28.4", "kubeadm version:". */
static int
versions_line(struct plan_parse *p, const struct text_line *l)
{
	static const char pre[] = "[upgrade/versions] ";
	const char *s = l->s + strlen(pre);
	size_t n = l->len - strlen(pre), v;
	enum binary b;

	if (has_prefix(s, n, "Cluster version:"))
		b = BIN_SERVER, v = strlen("Cluster version:");
	else if (has_prefix(s, n, "kubeadm version:"))
		b = BIN_KUBEADM, v = strlen("kubeadm version:");
	else
		return 0;
	while (v < n && is_blank(s[v]))
		v++;
	if (b == BIN_SERVER)
		p->cluster_line = true;
	return add_binary(p, b, s + v, n - v,
			  text_loc(&p->r, l, strlen(pre) + v));
}

/* The record's end: -1 stops reading the file. */
static int
plan_end(struct plan_parse *p, int rc, const struct text_line *l)
{
	rc = recover_end(p->c, rc, l->s, l->len);
	if (rc < 0)
		p->errors++;
	return p->fatal || p->errors >= PLAN_MAX_ERRORS ? -1 : 0;
}

/* ------------------------------------------------------------ document */

static const char *
rel_tail(const char *path, const char *tail)
{
	size_t n = strlen(path), t = strlen(tail);

	return n >= t && !strcmp(path + n - t, tail) ? path + n - t : NULL;
}

/* A component of a v1alpha2 or v1alpha3 plan: its map opens or closes. */
static bool
is_component(const char *path)
{
	return !strcmp(path, ".components[]") ||
	       !strcmp(path, ".availableUpgrades[].components[]");
}

static int
doc_open(void *ctx, struct yaml_walk *w, bool is_map, struct src_loc loc)
{
	struct plan_parse *p = ctx;

	if (is_map && is_component(yaml_walk_path(w))) {
		buf_reset(&p->k.name);
		buf_reset(&p->k.current);
		buf_reset(&p->k.node);
		p->k.loc = p->k.current_loc = p->k.node_loc = loc;
		recover_begin(p->c);
	}
	return 0;
}

static int
doc_scalar(void *ctx, struct yaml_walk *w, const char *s, size_t len,
	   struct src_loc loc)
{
	struct plan_parse *p = ctx;
	const char *path = yaml_walk_path(w);

	if (!strcmp(path, ".apiVersion")) {
		if (!span_is(s, len, "output.kubeadm.k8s.io/v1alpha2") &&
		    !span_is(s, len, "output.kubeadm.k8s.io/v1alpha3"))
			return diag_error(p->c->diag, loc,
					  "unknown apiVersion '%s' of a kubeadm "
					  "upgrade plan",
					  version_show(&p->vs, s, len));
		p->doc_is_plan = true;
		return 0;
	}
	if (!strcmp(path, ".kind") && !span_is(s, len, "UpgradePlan"))
		return diag_error(p->c->diag, loc,
				  "kind '%s' is not UpgradePlan",
				  version_show(&p->vs, s, len));
	if (rel_tail(path, ".components[].name")) {
		buf_add(&p->k.name, s, len);
		p->k.loc = loc;
	} else if (rel_tail(path, ".components[].currentVersion")) {
		buf_add(&p->k.current, s, len);
		p->k.current_loc = loc;
	} else if (rel_tail(path, ".components[].nodeName")) {
		buf_add(&p->k.node, s, len);
		p->k.node_loc = loc;
	}
	return 0;
}

static int
component_done(struct plan_parse *p)
{
	const char *cur = buf_cstr(&p->k.current);
	size_t n = p->k.current.len;
	enum comp comp = comp_of(buf_cstr(&p->k.name), p->k.name.len);

	if (p->k.name.oom || p->k.current.oom || p->k.node.oom)
		return plan_oom(p, p->k.loc);
	if (!p->k.name.len)
		return diag_error(p->c->diag, p->k.loc,
				  "upgrade plan component has no name");
	switch (comp) {
	case COMP_KUBELET:
		if (p->k.node.len)
			return add_kubelet(p, buf_cstr(&p->k.node),
					   p->k.node.len, p->k.node_loc, cur, n,
					   p->k.current_loc);
		p->facts++;	/* v1alpha2: "2 x v1.28.4", no node */
		return 0;
	case COMP_APISERVER:
		return add_apiserver(p, cur, n, p->k.current_loc);
	case COMP_KUBEADM:
		return add_binary(p, BIN_KUBEADM, cur, n, p->k.current_loc);
	case COMP_OTHER:
		break;
	}
	p->facts++;
	return 0;
}

static int
doc_close(void *ctx, struct yaml_walk *w, bool is_map)
{
	struct plan_parse *p = ctx;
	int rc;

	if (!is_map || !is_component(yaml_walk_path(w)))
		return 0;
	rc = recover_end(p->c, component_done(p), buf_cstr(&p->k.name),
			 p->k.name.len);
	if (rc < 0)
		p->errors++;
	return p->fatal || p->errors >= PLAN_MAX_ERRORS ? -1 : 0;
}

/* Reads the structured plan in doc (its first line is line base + 1). */
static int
parse_doc(struct plan_parse *p, const struct buf *doc, uint32_t base)
{
	static const struct yaml_walk_ops ops = {doc_scalar, doc_open,
						 doc_close};
	struct yaml_walk w;
	struct yaml_mem m = {doc->s, doc->len, 0};
	int rc;

	rc = yaml_walk_run_at(&w, p->c->path, base, p->c->diag, yaml_mem_read,
			      &m, &ops, p);
	if (p->c->in_record)
		recover_end(p->c, -1, NULL, 0);
	if (rc == 0 && !p->doc_is_plan)
		rc = diag_error(p->c->diag, (struct src_loc){p->c->path,
							      base + 1, 1},
				"no apiVersion output.kubeadm.k8s.io/v1alpha2 "
				"or v1alpha3 in the upgrade plan");
	return rc;
}

static bool
starts_doc(const char *s, size_t n)
{
	return (n && s[0] == '{') || has_prefix(s, n, "apiVersion:") ||
	       has_prefix(s, n, "kind:") ||
	       has_prefix(s, n, "availableUpgrades:") ||
	       has_prefix(s, n, "components:");
}

/* ------------------------------------------------------------ entry */

static int
plan_lines(struct plan_parse *p, struct buf *doc, uint32_t *base)
{
	struct text_line l;
	bool in_doc = false;
	int rc;

	while ((rc = text_reader_next(&p->r, &l)) > 0) {
		if (in_doc) {
			/* Noise lines stay, blank, so lines keep their number. */
			if (l.noise == NOISE_NONE || l.noise == NOISE_COMMENT)
				buf_add(doc, l.s, l.len);
			buf_addc(doc, '\n');
			continue;
		}
		/* kubeadm's "[phase] ..." lines are progress to the cleaner. */
		if (l.noise == NOISE_WARNING &&
		    has_prefix(l.s, l.len, "[upgrade/versions] ")) {
			recover_begin(p->c);
			if (plan_end(p, versions_line(p, &l), &l) < 0)
				return -1;
			continue;
		}
		if (l.noise != NOISE_NONE) {
			if (l.noise == NOISE_BLANK)
				p->in_table = false;
			continue;
		}
		if (starts_doc(l.s, l.len)) {
			in_doc = true;
			*base = l.lineno - 1;
			buf_add(doc, l.s, l.len);
			buf_addc(doc, '\n');
			continue;
		}
		if (table_header(p, l.s, l.len))
			continue;
		if (!p->in_table || (l.len && !is_blank(l.s[0]) &&
				     l.s[l.len - 1] == ':'))
			continue;
		recover_begin(p->c);
		if (plan_end(p, table_row(p, &l), &l) < 0)
			return -1;
	}
	return rc;
}

int
ingest_kubeadm_plan(struct ingest_ctx *c)
{
	struct plan_parse p;
	struct buf doc = BUF_INIT;
	uint32_t base = 0;
	unsigned errors0 = c->diag->errors;
	size_t seen0 = c->cs->kubelet_sightings.n;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.vs.c = c;
	p.vs.errors_before = errors0;
	recover_file_begin(c);
	if (text_reader_open_stream(&p.r, c->in, false, c->diag) < 0) {
		text_reader_close(&p.r);
		recover_file_end(c, true);
		return -1;
	}
	p.r.warn_utf8 = true;
	p.r.recover = c;
	rc = plan_lines(&p, &doc, &base);
	if (c->in_record)
		recover_end(c, -1, NULL, 0);
	text_reader_close(&p.r);
	c->format = "kubeadm-upgrade-plan";
	if (rc == 0 && doc.oom)
		rc = plan_oom(&p, (struct src_loc){c->path, 0, 0});
	if (rc == 0 && doc.len) {
		c->format = "kubeadm-upgrade-plan-doc";
		rc = parse_doc(&p, &doc, base);
	}
	/* The kube-apiserver rows give the server when nothing else does. */
	if (rc == 0 && p.apiserver && !p.cluster_line) {
		if (p.apiserver_differs)
			diag_note(c->diag, p.apiserver_loc,
				  "the kube-apiserver versions differ from node "
				  "to node: no server version is read from them");
		else {
			recover_begin(c);
			if (recover_end(c, add_binary(&p, BIN_SERVER,
						      p.apiserver,
						      strlen(p.apiserver),
						      p.apiserver_loc),
					p.apiserver, strlen(p.apiserver)) < 0)
				rc = -1;
		}
	}
	if (p.errors >= PLAN_MAX_ERRORS)
		diag_note(c->diag, (struct src_loc){c->path, 0, 0},
			  "stopped reading after %d errors", PLAN_MAX_ERRORS);
	if (c->diag->errors != errors0)
		rc = -1;
	if (rc == 0 && !p.facts) {
		recover_give_up(c);
		rc = diag_error(c->diag, (struct src_loc){c->path, 0, 0},
				"no version in the kubeadm upgrade plan");
	}
	if (rc < 0)
		c->cs->kubelet_sightings.n = seen0;
	recover_file_end(c, rc < 0);
	buf_release(&doc);
	buf_release(&p.k.name);
	buf_release(&p.k.current);
	buf_release(&p.k.node);
	return rc;
}

/* ------------------------------------------------------------ finish */

int
kubeadm_plan_finish(struct cluster_state *cs, struct diag *d)
{
	struct strmap index;
	struct ingest_ctx c;
	const struct kubelet_sighting *ks;
	size_t i, unused = 0;
	const char *where;
	int rc = 0;

	if (!cs->kubelet_sightings.n)
		return 0;
	memset(&index, 0, sizeof(index));
	memset(&c, 0, sizeof(c));
	c.cs = cs;
	c.diag = d;
	c.arena = cs->arena;
	c.path = cs->kubelet_sightings.v[0].loc.path;
	recover_file_begin(&c);
	for (i = 0; i < cs->nodes.n; i++)
		if (!cs->nodes.v[i].masked &&
		    strmap_put(&index, cs->nodes.v[i].name,
			       strlen(cs->nodes.v[i].name),
			       (void *)(uintptr_t)(i + 1)) < 0) {
			strmap_release(&index);
			return diag_error(d, (struct src_loc){c.path, 0, 0},
					  "out of memory");
		}
	vec_foreach(&cs->kubelet_sightings, ks) {
		uintptr_t v = (uintptr_t)strmap_get(&index, ks->node,
						     strlen(ks->node));
		struct node *n = v ? &cs->nodes.v[v - 1] : NULL;

		if (!n) {
			unused++;
			continue;
		}
		if (!strcmp(n->kubelet.text, ks->kubelet.text))
			continue;
		/* Later in the same session: the plan is the node's state. */
		if (!strcmp(n->loc.path, ks->loc.path) &&
		    n->loc.line < ks->loc.line) {
			if (recover_skip(&c, n->loc, n->name, strlen(n->name),
					 "kubelet of node '%s' superseded by "
					 "line %u: '%s' there, '%s' later",
					 n->name, (unsigned)ks->loc.line,
					 n->kubelet.text,
					 ks->kubelet.text) < 0) {
				rc = -1;
				break;
			}
			n->kubelet = ks->kubelet;
			continue;
		}
		if (!(where = src_loc_str(cs->arena, n->loc))) {
			rc = diag_error(d, ks->loc, "out of memory");
			break;
		}
		if (recover_conflict(&c, ks->loc, n->loc, ks->node,
				     strlen(ks->node),
				     "kubelet of node '%s' is '%s' here, '%s' "
				     "in the node list at %s",
				     ks->node, ks->kubelet.text,
				     n->kubelet.text, where) < 0)
			rc = -1;
	}
	if (unused && rc == 0)
		diag_note(d, cs->kubelet_sightings.v[0].node_loc,
			  "kubelet versions of %zu node%s read but not used: "
			  "no node list names %s (capture kubectl get nodes)",
			  unused, unused > 1 ? "s" : "",
			  unused > 1 ? "them" : "it");
	strmap_release(&index);
	return rc;
}
