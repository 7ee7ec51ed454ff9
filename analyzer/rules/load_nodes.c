/*
 * load_nodes.c - the node prerequisites (data/nodes.yaml): container
 * runtime limits and recommendations, cgroup v1, the cgroup driver, swap
 * and the kernels kubeadm's preflight accepts; and the parsing of the
 * runtime and kernel versions nodes report.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const runtimes[] = {"docker", "containerd", "cri-o"};

/* "1.6.20", "v2.0.0", "1.7.27-1": MAJOR.MINOR[.PATCH], then anything. */
static bool
parse_rt_ver(const char *s, size_t len, struct rt_ver *out, size_t *used)
{
	size_t i = 0, k, start;

	memset(out, 0, sizeof(*out));
	if (i < len && s[i] == 'v')
		i++;
	for (k = 0; k < 3; k++) {
		unsigned long v = 0;

		start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (i - start >= 6)
				return false;
			v = v * 10 + (unsigned long)(s[i++] - '0');
		}
		if (i == start)
			return false;
		out->v[k] = (unsigned)v;
		if (k == 2)
			break;
		if (i + 1 < len && s[i] == '.' && s[i + 1] >= '0' &&
		    s[i + 1] <= '9') {
			i++;
			continue;
		}
		/* MAJOR.MINOR alone (PATCH 0); a bare MAJOR is not one. */
		if (k == 0)
			return false;
		break;
	}
	if (used)
		*used = i;
	return true;
}

int
rules_rt_ver_cmp(const struct rt_ver *a, const struct rt_ver *b)
{
	size_t k;

	for (k = 0; k < 3; k++)
		if (a->v[k] != b->v[k])
			return a->v[k] < b->v[k] ? -1 : 1;
	return 0;
}

bool
rules_runtime_parse(const char *s, struct node_runtime *out)
{
	const char *sep;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!s || !(sep = strstr(s, "://")))
		return false;
	n = (size_t)(sep - s);
	if (n == 0 || n >= sizeof(out->name))
		return false;
	memcpy(out->name, s, n);
	out->name[n] = '\0';
	out->has_ver = parse_rt_ver(sep + 3, strlen(sep + 3), &out->ver, NULL);
	if (!out->has_ver)
		memset(&out->ver, 0, sizeof(out->ver));
	return true;
}

bool
rules_kernel_parse(const char *s, unsigned *major, unsigned *minor)
{
	struct rt_ver v;

	if (!s || !parse_rt_ver(s, strlen(s), &v, NULL))
		return false;
	*major = v.v[0];
	*minor = v.v[1];
	return true;
}

/* ---------------------------------------------------------- loader */

static int
load_policy(struct lctx *c, const struct ynode *m, struct node_policy *p)
{
	size_t n;
	const char **src = load_get_strlist(c, m, "sources", &n);

	p->read = load_get_date(m, "read");
	p->source = n ? src[0] : NULL;
	p->loc = m->loc;
	if (!n)
		return diag_error(c->d, m->loc, "sources must not be empty");
	return 0;
}

static int
check_runtime(struct lctx *c, const struct ynode *r)
{
	const char *rt = load_get_str(r, "runtime");

	if (!load_in_list(rt, runtimes, ARRAY_SIZE(runtimes)))
		return diag_error(c->d, ynode_get(r, "runtime")->loc,
				  "unknown runtime '%s' (want docker, "
				  "containerd or cri-o)", rt);
	return 0;
}

static int
version_field(struct lctx *c, const struct ynode *n, struct rt_ver *out)
{
	const char *dot = memchr(n->s, '.', n->len);
	size_t used;

	/* Exactly MAJOR.MINOR.PATCH: two dots, digits only. */
	if (!parse_rt_ver(n->s, n->len, out, &used) || used != n->len ||
	    n->s[0] == 'v' || !dot || !memchr(dot + 1, '.', n->len -
						     (size_t)(dot + 1 - n->s)))
		return diag_error(c->d, n->loc, "'%s' is not a version like "
				  "1.6.0", n->s);
	return 0;
}

static int
load_limits(struct lctx *c, const struct ynode *l)
{
	static const struct field row[] = {
		{"runtime", T_STR, true}, {"since", T_MINOR, true},
		{"removed", T_BOOL, false}, {"minimum", T_STR, false},
		{"unless_endpoint", T_STR, false},
		{"unconfirmed", T_STR, false},
		{"read", T_DATE, true}, {"sources", T_URLLIST, true},
	};
	const struct ynode *r, *mn;
	struct runtime_limit *lim;
	int rc = 0;

	for (r = l->child; r; r = r->next) {
		if (load_check_fields(c, r, row, ARRAY_SIZE(row),
				      "runtime limit") < 0) {
			rc = -1;
			continue;
		}
		if (!(lim = vec_push(&c->db->nodes.limits)))
			return load_oom(c, r->loc);
		memset(lim, 0, sizeof(*lim));
		lim->runtime = load_get_str(r, "runtime");
		lim->since = load_get_minor(r, "since");
		lim->removed = (mn = ynode_get(r, "removed")) &&
			       !strcmp(mn->s, "true");
		lim->unless_endpoint = load_get_str(r, "unless_endpoint");
		lim->unconfirmed = load_get_str(r, "unconfirmed");
		lim->read = load_get_date(r, "read");
		lim->sources = load_get_strlist(c, r, "sources", &lim->nsources);
		lim->loc = r->loc;
		if (check_runtime(c, r) < 0)
			rc = -1;
		mn = ynode_get(r, "minimum");
		if (lim->removed == (mn != NULL))
			rc = diag_error(c->d, r->loc, "a runtime limit needs "
					"exactly one of 'removed: true' and "
					"'minimum'");
		else if (mn && version_field(c, mn, &lim->minimum) < 0)
			rc = -1;
		lim->minimum_text = mn ? mn->s : NULL;
		if (lim->nsources == 0)
			rc = diag_error(c->d, r->loc, "sources must not be empty");
	}
	return rc;
}

static int
load_recommended(struct lctx *c, const struct ynode *l)
{
	static const struct field row[] = {
		{"runtime", T_STR, true}, {"minor", T_MINOR, true},
		{"versions", T_STRLIST, true},
		{"read", T_DATE, true}, {"sources", T_URLLIST, true},
	};
	const struct ynode *r, *e;
	struct runtime_rec *rec;
	size_t i;
	int rc = 0;

	for (r = l->child; r; r = r->next) {
		if (load_check_fields(c, r, row, ARRAY_SIZE(row),
				      "recommendation") < 0) {
			rc = -1;
			continue;
		}
		if (!(rec = vec_push(&c->db->nodes.recommended)))
			return load_oom(c, r->loc);
		memset(rec, 0, sizeof(*rec));
		rec->runtime = load_get_str(r, "runtime");
		rec->minor = load_get_minor(r, "minor");
		rec->texts = load_get_strlist(c, r, "versions", &rec->nversions);
		rec->read = load_get_date(r, "read");
		rec->sources = load_get_strlist(c, r, "sources", &rec->nsources);
		rec->loc = r->loc;
		if (check_runtime(c, r) < 0)
			rc = -1;
		if (rec->nversions == 0 || rec->nsources == 0) {
			rc = diag_error(c->d, r->loc, "versions and sources "
					"must not be empty");
			continue;
		}
		if (!(rec->versions = arena_alloc(c->a, rec->nversions *
							 sizeof(*rec->versions))))
			return load_oom(c, r->loc);
		for (i = 0, e = ynode_get(r, "versions")->child; e;
		     e = e->next, i++)
			if (version_field(c, e, &rec->versions[i]) < 0)
				rc = -1;
		/* Ascending minors per runtime: the lookup takes the last <=. */
		if (c->db->nodes.recommended.n > 1) {
			const struct runtime_rec *prev = rec - 1;

			if (!strcmp(prev->runtime, rec->runtime) &&
			    prev->minor >= rec->minor)
				rc = diag_error(c->d, ynode_get(r, "minor")->loc,
						"minor 1.%u after 1.%u: the rows "
						"of a runtime must ascend",
						rec->minor, prev->minor);
		}
	}
	return rc;
}

static int
load_matched(struct lctx *c, const struct ynode *l)
{
	static const struct field row[] = {
		{"runtime", T_STR, true},
		{"read", T_DATE, true}, {"sources", T_URLLIST, true},
	};
	const struct ynode *r;
	struct runtime_matched *m;
	int rc = 0;

	for (r = l->child; r; r = r->next) {
		if (load_check_fields(c, r, row, ARRAY_SIZE(row),
				      "matched runtime") < 0) {
			rc = -1;
			continue;
		}
		if (!(m = vec_push(&c->db->nodes.matched)))
			return load_oom(c, r->loc);
		m->runtime = load_get_str(r, "runtime");
		m->read = load_get_date(r, "read");
		m->sources = load_get_strlist(c, r, "sources", &m->nsources);
		m->loc = r->loc;
		if (check_runtime(c, r) < 0 || m->nsources == 0)
			rc = -1;
	}
	return rc;
}

/* "4.19+" or "5.4": kernel major.minor, or that and later. */
static int
parse_accept(struct lctx *c, const struct ynode *n, struct kernel_accept *k)
{
	struct rt_ver v;
	size_t used, len = n->len;

	k->or_later = len > 0 && n->s[len - 1] == '+';
	if (k->or_later)
		len--;
	if (!parse_rt_ver(n->s, len, &v, &used) || used != len ||
	    n->s[0] == 'v' || memchr(n->s, '.', len) != strrchr(n->s, '.'))
		return diag_error(c->d, n->loc, "'%s' is not a kernel like "
				  "4.19 or 4.19+", n->s);
	k->major = v.v[0];
	k->minor = v.v[1];
	return 0;
}

static int
load_kernels(struct lctx *c, const struct ynode *l)
{
	static const struct field row[] = {
		{"since", T_MINOR, true}, {"until", T_MINOR, false},
		{"accepted", T_STRLIST, true}, {"preflight", T_STR, true},
		{"read", T_DATE, true}, {"sources", T_URLLIST, true},
	};
	const struct ynode *r, *e, *p;
	struct kernel_row *k;
	struct buf text = BUF_INIT;
	size_t i;
	int rc = 0;

	for (r = l->child; r; r = r->next) {
		if (load_check_fields(c, r, row, ARRAY_SIZE(row),
				      "kernel row") < 0) {
			rc = -1;
			continue;
		}
		if (!(k = vec_push(&c->db->nodes.kernels)))
			return load_oom(c, r->loc);
		memset(k, 0, sizeof(*k));
		k->since = load_get_minor(r, "since");
		k->until = ynode_get(r, "until") ? load_get_minor(r, "until")
						 : RULES_OPEN;
		k->read = load_get_date(r, "read");
		k->sources = load_get_strlist(c, r, "sources", &k->nsources);
		k->loc = r->loc;
		p = ynode_get(r, "preflight");
		if (strcmp(p->s, "error") && strcmp(p->s, "warning"))
			rc = diag_error(c->d, p->loc, "unknown preflight '%s' "
					"(want error or warning)", p->s);
		k->error = !strcmp(p->s, "error");
		if (k->until != RULES_OPEN && k->until < k->since)
			rc = diag_error(c->d, ynode_get(r, "until")->loc,
					"until 1.%u is before since 1.%u",
					k->until, k->since);
		e = ynode_get(r, "accepted");
		k->naccepted = e->n;
		if (!e->n || !k->nsources) {
			rc = diag_error(c->d, r->loc, "accepted and sources "
					"must not be empty");
			continue;
		}
		if (!(k->accepted = arena_alloc(c->a, e->n * sizeof(*k->accepted))))
			return load_oom(c, r->loc);
		buf_reset(&text);
		for (i = 0, e = e->child; e; e = e->next, i++) {
			if (parse_accept(c, e, &k->accepted[i]) < 0)
				rc = -1;
			buf_addf(&text, "%s%s", i ? ", " : "", e->s);
		}
		if (text.oom || !(k->accepted_text = arena_strdup(c->a,
								  buf_cstr(&text)))) {
			buf_release(&text);
			return load_oom(c, r->loc);
		}
		/* Rows do not overlap: one preflight per kubeadm minor. */
		if (c->db->nodes.kernels.n > 1) {
			const struct kernel_row *prev = k - 1;

			if (prev->until == RULES_OPEN || prev->until >= k->since)
				rc = diag_error(c->d, ynode_get(r, "since")->loc,
						"kernel row since 1.%u overlaps "
						"the row before", k->since);
		}
	}
	buf_release(&text);
	return rc;
}

int
load_nodes(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"runtimes", T_SEQ, true},
		{"recommended", T_SEQ, true}, {"matched_minor", T_SEQ, true},
		{"cgroup_v1", T_MAP, true}, {"cgroup_driver", T_MAP, true},
		{"swap", T_MAP, true}, {"kernels", T_SEQ, true},
	};
	static const struct field cg[] = {
		{"maintenance_since", T_MINOR, true},
		{"refused_since", T_MINOR, true},
		{"read", T_DATE, true}, {"sources", T_URLLIST, true},
	};
	static const struct field drv[] = {
		{"kubeadm_default", T_STR, true},
		{"kubeadm_default_since", T_MINOR, true},
		{"from_cri_since", T_MINOR, true},
		{"read", T_DATE, true}, {"sources", T_URLLIST, true},
	};
	static const struct field swp[] = {
		{"unlimited_removed_in", T_MINOR, true},
		{"limited_needs_cgroup_v2_since", T_MINOR, true},
		{"read", T_DATE, true}, {"sources", T_URLLIST, true},
	};
	struct nodes_data *nd = &c->db->nodes;
	const struct ynode *m;
	int rc;

	rc = load_check_fields(c, root, top, ARRAY_SIZE(top), "nodes data");
	if (load_check_schema(c, root, "skewplan.nodes/v1") < 0 || rc < 0)
		return -1;
	if (load_limits(c, ynode_get(root, "runtimes")) < 0)
		rc = -1;
	if (load_recommended(c, ynode_get(root, "recommended")) < 0)
		rc = -1;
	if (load_matched(c, ynode_get(root, "matched_minor")) < 0)
		rc = -1;
	if (load_kernels(c, ynode_get(root, "kernels")) < 0)
		rc = -1;
	m = ynode_get(root, "cgroup_v1");
	if (load_check_fields(c, m, cg, ARRAY_SIZE(cg), "cgroup_v1") < 0 ||
	    load_policy(c, m, &nd->cgroup_v1) < 0) {
		rc = -1;
	} else {
		nd->cgroup_v1_maintenance = load_get_minor(m, "maintenance_since");
		nd->cgroup_v1_refused = load_get_minor(m, "refused_since");
		if (nd->cgroup_v1_refused < nd->cgroup_v1_maintenance)
			rc = diag_error(c->d, m->loc, "refused_since is before "
					"maintenance_since");
	}
	m = ynode_get(root, "cgroup_driver");
	if (load_check_fields(c, m, drv, ARRAY_SIZE(drv), "cgroup_driver") < 0 ||
	    load_policy(c, m, &nd->cgroup_driver) < 0) {
		rc = -1;
	} else {
		nd->kubeadm_cgroup_driver = load_get_str(m, "kubeadm_default");
		nd->kubeadm_driver_since = load_get_minor(m, "kubeadm_default_since");
		nd->driver_from_cri_since = load_get_minor(m, "from_cri_since");
		if (strcmp(nd->kubeadm_cgroup_driver, "systemd") &&
		    strcmp(nd->kubeadm_cgroup_driver, "cgroupfs"))
			rc = diag_error(c->d, ynode_get(m, "kubeadm_default")->loc,
					"unknown cgroup driver '%s' (want "
					"systemd or cgroupfs)",
					nd->kubeadm_cgroup_driver);
	}
	m = ynode_get(root, "swap");
	if (load_check_fields(c, m, swp, ARRAY_SIZE(swp), "swap") < 0 ||
	    load_policy(c, m, &nd->swap) < 0) {
		rc = -1;
	} else {
		nd->swap_unlimited_removed = load_get_minor(m, "unlimited_removed_in");
		nd->swap_limited_needs_v2 =
			load_get_minor(m, "limited_needs_cgroup_v2_since");
	}
	nd->loaded = rc == 0;
	return rc;
}
