/*
 * load_addons.c - the cluster add-ons kubeadm does not upgrade
 * (data/addons.yaml) with the Kubernetes minors each release supports,
 * and the lookup of an add-on by a pod's image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const addon_kinds[] = {
	"cni", "ingress", "metrics", "certs", "dns", "csi", "other",
};

/* The largest number in a release, as load_parse_version bounds minors. */
#define RELEASE_MAX 999u

/*
 * An image repository suffix: path components of [a-z0-9._-], the first
 * character of each a letter or digit, separated by single '/'.
 */
static bool
is_repo_suffix(const char *s)
{
	bool start = true;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s == '/') {
			if (start)
				return false;
			start = true;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      (!start && (*s == '.' || *s == '_' || *s == '-'))))
			return false;
		start = false;
	}
	return !start;
}

/* A pod name prefix: lowercase letters, digits and '-', not empty. */
static bool
is_pod_prefix(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return false;
	return true;
}

/* One number of a release: digits, no leading zero, at most 999. */
static bool
release_number(const char **s, unsigned *out)
{
	unsigned long v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (unsigned long)(*p - '0')) > RELEASE_MAX)
			return false;
	*out = (unsigned)v;
	*s = p;
	return true;
}

/* "X.Y" or "X.Y.Z": a release of the add-on's own numbering. */
static bool
parse_release(const char *s, struct addon_release *r)
{
	if (!release_number(&s, &r->major) || *s++ != '.' ||
	    !release_number(&s, &r->minor))
		return false;
	r->has_patch = *s == '.';
	r->patch = 0;
	if (r->has_patch && (s++, !release_number(&s, &r->patch)))
		return false;
	return *s == '\0';
}

static int
load_release_row(struct lctx *c, const struct ynode *r,
		 struct addon_release *out)
{
	static const struct field row[] = {
		{"release", T_STR, true}, {"min", T_MINOR, true},
		{"max", T_MINOR, false}, {"unconfirmed", T_STR, false},
		{"source", T_URL, true}, {"read", T_DATE, true},
	};
	int rc = 0;

	if (load_check_fields(c, r, row, ARRAY_SIZE(row),
			      "add-on release") < 0)
		return -1;
	out->text = load_get_str(r, "release");
	if (!parse_release(out->text, out))
		rc = diag_error(c->d, ynode_get(r, "release")->loc,
				"release '%s' is not a version like 3.26 or "
				"1.9.6", out->text);
	out->k8s_min = load_get_minor(r, "min");
	out->k8s_max = ynode_get(r, "max") ? load_get_minor(r, "max")
					   : RULES_OPEN;
	if (out->k8s_max != RULES_OPEN && out->k8s_max < out->k8s_min)
		rc = diag_error(c->d, ynode_get(r, "max")->loc,
				"max 1.%u is below min 1.%u", out->k8s_max,
				out->k8s_min);
	out->unconfirmed = load_get_str(r, "unconfirmed");
	out->source = load_get_str(r, "source");
	out->read = load_get_date(r, "read");
	out->loc = r->loc;
	return rc;
}

/*
 * The support: rows. A release is listed once; a line X.Y is given either
 * as one row or by patches, never both (a version would match twice).
 */
static int
load_support(struct lctx *c, const struct ynode *l, struct addon *ad)
{
	const struct ynode *e;
	size_t i;
	int rc = 0;

	if (l->n == 0)
		return diag_error(c->d, l->loc, "support must not be empty "
				  "(use no_support_table: when the project "
				  "publishes none)");
	if (!(ad->support = arena_alloc(c->a, l->n * sizeof(*ad->support))))
		return load_oom(c, l->loc);
	for (e = l->child; e; e = e->next) {
		struct addon_release *r = &ad->support[ad->nsupport];

		memset(r, 0, sizeof(*r));
		if (load_release_row(c, e, r) < 0) {
			rc = -1;
			continue;
		}
		for (i = 0; i < ad->nsupport; i++) {
			const struct addon_release *o = &ad->support[i];

			if (o->major != r->major || o->minor != r->minor)
				continue;
			if (o->has_patch == r->has_patch &&
			    (!r->has_patch || o->patch == r->patch)) {
				rc = diag_error(c->d, e->loc, "release '%s' "
						"is listed twice (first on "
						"line %u)", r->text,
						o->loc.line);
				break;
			}
			if (o->has_patch != r->has_patch) {
				rc = diag_error(c->d, e->loc, "release '%s' "
						"and '%s' (line %u) overlap: "
						"list %u.%u as one row or by "
						"patches", r->text, o->text,
						o->loc.line, r->major,
						r->minor);
				break;
			}
		}
		if (i == ad->nsupport)
			ad->nsupport++;
		else
			rc = -1;
	}
	return rc;
}

static int
load_addon_row(struct lctx *c, const struct ynode *r, struct addon *ad)
{
	static const struct field row[] = {
		{"name", T_STR, true}, {"kind", T_STR, true},
		{"images", T_STRLIST, true}, {"pod_prefix", T_STR, false},
		{"upgrade_url", T_URL, true}, {"upgrade_note", T_STR, false},
		{"read", T_DATE, true}, {"source", T_URL, true},
		{"support", T_SEQ, false}, {"no_support_table", T_STR, false},
		{"support_from", T_STR, false},
	};
	const struct ynode *l, *e, *from;
	int rc = 0, ways;

	if (load_check_fields(c, r, row, ARRAY_SIZE(row), "add-on") < 0)
		return -1;
	ad->name = load_get_str(r, "name");
	ad->kind = load_get_str(r, "kind");
	ad->images = load_get_strlist(c, r, "images", &ad->nimages);
	ad->pod_prefix = load_get_str(r, "pod_prefix");
	ad->upgrade_url = load_get_str(r, "upgrade_url");
	ad->upgrade_note = load_get_str(r, "upgrade_note");
	ad->read = load_get_date(r, "read");
	ad->source = load_get_str(r, "source");
	ad->no_support_table = load_get_str(r, "no_support_table");
	ad->loc = r->loc;
	if (!load_in_list(ad->kind, addon_kinds, ARRAY_SIZE(addon_kinds)))
		rc = diag_error(c->d, ynode_get(r, "kind")->loc,
				"unknown add-on kind '%s' (want cni, ingress, "
				"metrics, certs, dns, csi or other)", ad->kind);
	l = ynode_get(r, "images");
	if (ad->nimages == 0)
		rc = diag_error(c->d, l->loc, "images must not be empty");
	for (e = l->child; e; e = e->next)
		if (!is_repo_suffix(e->s))
			rc = diag_error(c->d, e->loc, "image '%s' is not a "
					"repository path like calico/node",
					e->s);
	if (ad->pod_prefix && !is_pod_prefix(ad->pod_prefix))
		rc = diag_error(c->d, ynode_get(r, "pod_prefix")->loc,
				"pod_prefix '%s' is not a pod name prefix of "
				"[a-z0-9-]", ad->pod_prefix);
	if ((from = ynode_get(r, "support_from"))) {
		if (strcmp(from->s, "kubeadm"))
			rc = diag_error(c->d, from->loc, "unknown support_from "
					"'%s' (want kubeadm)", from->s);
		ad->support_from_kubeadm = true;
	}
	/* Never silence: each add-on says where its support comes from. */
	ways = !!ynode_get(r, "support") + !!ad->no_support_table + !!from;
	if (ways != 1)
		rc = diag_error(c->d, r->loc, "add-on '%s' needs exactly one "
				"of support, no_support_table and "
				"support_from", ad->name);
	if ((l = ynode_get(r, "support")) && load_support(c, l, ad) < 0)
		rc = -1;
	return rc;
}

int
load_addons(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"addons", T_SEQ, true},
	};
	const struct ynode *l, *r;
	size_t i;
	int rc;

	rc = load_check_fields(c, root, top, ARRAY_SIZE(top), "add-ons data");
	if (load_check_schema(c, root, "skewplan.addons/v1") < 0)
		rc = -1;
	l = ynode_get(root, "addons");
	if (rc < 0 || !l || l->kind != YN_SEQ)
		return -1;
	if (l->n == 0)
		return diag_error(c->d, l->loc, "no add-ons");
	for (r = l->child; r; r = r->next) {
		struct addon *ad;

		if (!(ad = vec_push(&c->db->addons)))
			return load_oom(c, r->loc);
		memset(ad, 0, sizeof(*ad));
		if (load_addon_row(c, r, ad) < 0) {
			c->db->addons.n--;
			rc = -1;
			continue;
		}
		for (i = 0; i + 1 < c->db->addons.n; i++)
			if (!strcmp(c->db->addons.v[i].kind, ad->kind) &&
			    !strcmp(c->db->addons.v[i].name, ad->name)) {
				rc = diag_error(c->d, ynode_get(r, "name")->loc,
						"add-on '%s' of kind %s is "
						"listed twice (first on line "
						"%u)", ad->name, ad->kind,
						c->db->addons.v[i].loc.line);
				break;
			}
	}
	return rc;
}

/* Does repository end with suffix at a path boundary? */
static bool
repo_ends_with(const char *repository, const char *suffix)
{
	size_t n = strlen(repository), m = strlen(suffix);

	return n >= m && !strcmp(repository + n - m, suffix) &&
	       (n == m || repository[n - m - 1] == '/');
}

/*
 * Does the pod's name start with prefix? A workload template is named
 * "kind/name" (images_doc.c) and its pods "name-...": "daemonset/canal"
 * has the prefix "canal-".
 */
static bool
pod_has_prefix(const char *pod, const char *prefix)
{
	const char *slash;
	size_t n = strlen(prefix), m;

	if (!pod)
		return false;
	if (!strncmp(pod, prefix, n))
		return true;
	if (!(slash = strchr(pod, '/')))
		return false;
	pod = slash + 1;
	m = strlen(pod);
	return !strncmp(pod, prefix, n) ||
	       (m + 1 == n && !strncmp(pod, prefix, m) && prefix[m] == '-');
}

const struct addon *
rules_addon_for_image(const struct rules_db *db, const char *kind,
		      const char *repository, const char *pod)
{
	const struct addon *first = NULL;
	size_t i, j;

	if (!repository)
		return NULL;
	for (i = 0; i < db->addons.n; i++) {
		const struct addon *ad = &db->addons.v[i];

		if (kind && strcmp(ad->kind, kind))
			continue;
		for (j = 0; j < ad->nimages; j++)
			if (repo_ends_with(repository, ad->images[j]))
				break;
		if (j == ad->nimages)
			continue;
		if (!ad->pod_prefix) {
			if (!first)
				first = ad;
			continue;
		}
		if (pod_has_prefix(pod, ad->pod_prefix))
			return ad;
	}
	return first;
}
