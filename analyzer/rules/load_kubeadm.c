/*
 * load_kubeadm.c - kubeadm policy and image defaults (data/kubeadm.yaml)
 * and the image registries (data/registries.yaml).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* ---------------------------------------------------------- kubeadm */

/* The image tag forms kubeadm writes, checked by tag_is_valid(). */
enum tag_form { TAG_ETCD, TAG_COREDNS, TAG_ANY };

/* "N.N.N" digits and dots, with n dots; returns the end or NULL. */
static const char *
skip_dotted(const char *s, int dots)
{
	int i;

	for (i = 0; i <= dots; i++) {
		if (i > 0 && *s++ != '.')
			return NULL;
		if (*s < '0' || *s > '9')
			return NULL;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return s;
}

/*
 * etcd tags are "3.5.15-0" (the etcd version and the image revision);
 * CoreDNS tags "v1.11.3", or "1.7.0" before kubeadm 1.21.
 */
static bool
tag_is_valid(const char *s, enum tag_form form)
{
	const char *e;

	switch (form) {
	case TAG_ETCD:
		e = skip_dotted(s, 2);
		return e && *e == '-' && (e = skip_dotted(e + 1, 0)) && !*e;
	case TAG_COREDNS:
		e = skip_dotted(s + (*s == 'v'), 2);
		return e && !*e;
	default:
		return true;
	}
}

static int
check_tag(struct lctx *c, const struct ynode *n, enum tag_form form)
{
	if (!n || n->kind != YN_SCALAR || n->is_null || tag_is_valid(n->s, form))
		return 0;
	return diag_error(c->d, n->loc, "'%s' is not %s", n->s,
			  form == TAG_ETCD ? "an etcd image tag like 3.5.15-0"
					   : "a CoreDNS image tag like v1.11.3");
}

/*
 * A list of {since_patch, VKEY, unconfirmed?, source?}: from since_patch on,
 * kubeadm of this minor defaults to VKEY. Each row must be a change from
 * the value before it (base, then the previous row), after 1.N.0 and no
 * later than the newest patch releases.yaml knows.
 */
static int
load_by_patch(struct lctx *c, const struct ynode *row, const char *key,
	      const char *vkey, unsigned minor, enum tag_form form,
	      struct by_patch **out, size_t *nout)
{
	const struct ynode *l = ynode_get(row, key), *e;
	const struct field f[] = {
		{"since_patch", T_VERSION, true}, {vkey, T_STR, true},
		{"unconfirmed", T_BOOL, false}, {"source", T_URL, false},
	};
	const struct release *rel = rules_release_of(c->db, minor);
	const char *prev = load_get_str(row, vkey);
	size_t i = 0;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	if (!l || l->n == 0)
		return 0;
	if (!(*out = arena_alloc(c->a, l->n * sizeof(**out))))
		return load_oom(c, l->loc);
	for (e = l->child; e; e = e->next) {
		const struct ynode *v;
		struct by_patch *bp;
		unsigned mi, pa;

		if (load_check_fields(c, e, f, ARRAY_SIZE(f), key) < 0) {
			rc = -1;
			continue;
		}
		v = ynode_get(e, "since_patch");
		load_parse_version(v->s, v->len, true, &mi, &pa);
		bp = &(*out)[i];
		bp->since_patch = pa;
		bp->value = load_get_str(e, vkey);
		bp->unconfirmed = ynode_get(e, "unconfirmed") &&
				  !strcmp(load_get_str(e, "unconfirmed"),
					  "true");
		bp->source = load_get_str(e, "source");
		if (mi != minor)
			rc = diag_error(c->d, v->loc,
					"since_patch '%s' is not in 1.%u", v->s,
					minor);
		else if (pa == 0)
			rc = diag_error(c->d, v->loc,
					"since_patch '%s' is the .0 release: "
					"give it as the row's %s", v->s, vkey);
		else if (i > 0 && pa <= (*out)[i - 1].since_patch)
			rc = diag_error(c->d, v->loc,
					"since_patch '%s' is not ascending",
					v->s);
		else if (rel && rel->npatches && pa >= rel->npatches)
			rc = diag_error(c->d, v->loc,
					"since_patch '%s' is after 1.%u.%zu, the "
					"newest patch in releases.yaml", v->s,
					minor, rel->npatches - 1);
		if (prev && !strcmp(prev, bp->value))
			rc = diag_error(c->d, ynode_get(e, vkey)->loc,
					"%s '%s' from %s is no change", vkey,
					bp->value, v->s);
		if (check_tag(c, ynode_get(e, vkey), form) < 0)
			rc = -1;
		prev = bp->value;
		i++;
	}
	*nout = i;
	return rc;
}

int
load_kubeadm(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true},
		{"upgrade_minor_skew", T_INT, true},
		{"downgrade_minor_skew", T_INT, true},
		{"control_plane_skew", T_INT, true},
		{"upgrade_source", T_URL, true},
		{"kubelet_skew", T_SEQ, true},
		{"defaults", T_SEQ, true},
	};
	static const struct field era_row[] = {
		{"since_kubeadm", T_MINOR, false},
		{"until_kubeadm", T_MINOR, false},
		{"kubelet_skew", T_INT, true}, {"source", T_URL, true},
	};
	static const struct field def_row[] = {
		{"minor", T_MINOR, true}, {"etcd", T_STR_NULL, true},
		{"coredns", T_STR_NULL, true}, {"pause", T_STR_NULL, true},
		{"image_repository", T_STR, true},
		{"coredns_image", T_STR, true},
		{"etcd_by_patch", T_SEQ, false},
		{"coredns_by_patch", T_SEQ, false},
		{"image_repository_by_patch", T_SEQ, false},
		{"source", T_URL, true},
	};
	struct kubeadm_data *k = &c->db->kubeadm;
	const struct ynode *l, *r;
	struct era *eras;
	size_t i = 0;
	int rc;

	rc = load_check_fields(c, root, top, ARRAY_SIZE(top), "kubeadm data");
	if (load_check_schema(c, root, "skewplan.kubeadm/v1") < 0)
		rc = -1;
	if (rc < 0)
		return rc;
	k->upgrade_minor_skew = (int)load_get_int(root, "upgrade_minor_skew", 1);
	k->downgrade_minor_skew = (int)load_get_int(root, "downgrade_minor_skew", 1);
	k->control_plane_skew = (int)load_get_int(root, "control_plane_skew", 1);
	k->upgrade_source = load_get_str(root, "upgrade_source");
	l = ynode_get(root, "kubelet_skew");
	if (!(eras = arena_alloc(c->a, (l->n + 1) * sizeof(*eras))))
		return load_oom(c, l->loc);
	for (r = l->child; r; r = r->next) {
		struct kubeadm_era *e;

		if (load_check_fields(c, r, era_row, ARRAY_SIZE(era_row),
				      "kubelet_skew row") < 0) {
			rc = -1;
			continue;
		}
		if (!(e = vec_push(&k->eras)))
			return load_oom(c, r->loc);
		e->since_kubeadm = load_get_minor(r, "since_kubeadm");
		e->until_kubeadm = load_get_minor(r, "until_kubeadm");
		e->kubelet_skew = (int)load_get_int(r, "kubelet_skew", 0);
		e->source = load_get_str(r, "source");
		e->loc = r->loc;
		eras[i].lo = e->since_kubeadm;
		eras[i].hi = e->until_kubeadm ? e->until_kubeadm : ERA_MAX;
		eras[i].loc = r->loc;
		if (e->until_kubeadm && e->since_kubeadm > e->until_kubeadm)
			rc = diag_error(c->d, r->loc,
					"until_kubeadm is before since_kubeadm");
		i++;
	}
	if (rc == 0 && load_check_eras(c, eras, i, "kubeadm kubelet_skew") < 0)
		rc = -1;
	l = ynode_get(root, "defaults");
	i = 0;
	for (r = l->child; r; r = r->next, i++) {
		struct kubeadm_default *df;
		const char *ci;

		if (load_check_fields(c, r, def_row, ARRAY_SIZE(def_row),
				      "kubeadm defaults row") < 0) {
			rc = -1;
			continue;
		}
		if (!(df = vec_push(&k->defaults)))
			return load_oom(c, r->loc);
		df->minor = load_get_minor(r, "minor");
		df->etcd = load_get_str(r, "etcd");
		df->coredns = load_get_str(r, "coredns");
		df->pause = load_get_str(r, "pause");
		df->image_repository = load_get_str(r, "image_repository");
		df->coredns_image = ci = load_get_str(r, "coredns_image");
		df->source = load_get_str(r, "source");
		df->loc = r->loc;
		if (strcmp(ci, "coredns") && strcmp(ci, "coredns/coredns"))
			rc = diag_error(c->d, ynode_get(r, "coredns_image")->loc,
					"coredns_image '%s' is not coredns or "
					"coredns/coredns", ci);
		if (c->db->releases.n &&
		    (i >= c->db->releases.n ||
		     c->db->releases.v[i].minor != df->minor))
			rc = diag_error(c->d, ynode_get(r, "minor")->loc,
					"defaults row 1.%u does not match the "
					"release minors of releases.yaml",
					df->minor);
		if (check_tag(c, ynode_get(r, "etcd"), TAG_ETCD) < 0 ||
		    check_tag(c, ynode_get(r, "coredns"), TAG_COREDNS) < 0)
			rc = -1;
		if (load_by_patch(c, r, "etcd_by_patch", "etcd", df->minor,
				  TAG_ETCD, &df->etcd_by_patch,
				  &df->netcd_by_patch) < 0 ||
		    load_by_patch(c, r, "coredns_by_patch", "coredns",
				  df->minor, TAG_COREDNS, &df->coredns_by_patch,
				  &df->ncoredns_by_patch) < 0 ||
		    load_by_patch(c, r, "image_repository_by_patch",
				  "image_repository", df->minor, TAG_ANY,
				  &df->repo_by_patch, &df->nrepo_by_patch) < 0)
			rc = -1;
	}
	if (rc == 0 && c->db->releases.n &&
	    k->defaults.n != c->db->releases.n)
		rc = diag_error(c->d, l->loc,
				"defaults has %zu rows but releases.yaml has %zu "
				"minors", k->defaults.n, c->db->releases.n);
	return rc;
}

/* ---------------------------------------------------------- registries */

int
load_registries(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"frozen", T_SEQ, true},
		{"known_good", T_SEQ, true},
	};
	static const struct field frow[] = {
		{"host", T_STR, true}, {"redirected", T_DATE, false},
		{"frozen", T_DATE, true}, {"replacement", T_STR, true},
		{"last_patches", T_VERLIST, false},
		{"sources", T_URLLIST, true},
	};
	static const struct field grow[] = {
		{"host", T_STR, true}, {"since", T_DATE, true},
		{"sources", T_URLLIST, true},
	};
	const struct ynode *r;
	struct registry *g;
	int rc, pass;
	size_t i;

	rc = load_check_fields(c, root, top, ARRAY_SIZE(top), "registries data");
	if (load_check_schema(c, root, "skewplan.registries/v1") < 0)
		rc = -1;
	if (rc < 0)
		return rc;
	for (pass = 0; pass < 2; pass++) {
		const struct ynode *l = ynode_get(root, pass ? "known_good"
							     : "frozen");

		for (r = l->child; r; r = r->next) {
			if (load_check_fields(c, r, pass ? grow : frow,
					      pass ? ARRAY_SIZE(grow)
					      : ARRAY_SIZE(frow),
					      "registry") < 0) {
				rc = -1;
				continue;
			}
			if (!(g = vec_push(&c->db->registries)))
				return load_oom(c, r->loc);
			g->host = load_get_str(r, "host");
			g->frozen = !pass;
			g->redirected = load_get_date(r, "redirected");
			g->frozen_date = load_get_date(r, "frozen");
			g->since = load_get_date(r, "since");
			g->replacement = load_get_str(r, "replacement");
			g->sources = load_get_strlist(c, r, "sources", &g->nsources);
			g->loc = r->loc;
			if (g->nsources == 0)
				rc = diag_error(c->d, ynode_get(r, "sources")->loc,
						"sources must not be empty");
			for (i = 0; i + 1 < c->db->registries.n; i++)
				if (!strcasecmp(c->db->registries.v[i].host,
						g->host))
					rc = diag_error(c->d,
							ynode_get(r, "host")->loc,
							"registry '%s' is listed twice",
							g->host);
		}
	}
	return rc;
}
