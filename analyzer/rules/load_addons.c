/*
 * load_addons.c - the cluster add-ons kubeadm does not upgrade
 * (data/addons.yaml), and the lookup of an add-on by a pod's image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const addon_kinds[] = {
	"cni", "ingress", "csi", "dns", "other",
};

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

static int
load_addon_row(struct lctx *c, const struct ynode *r, struct addon *ad)
{
	static const struct field row[] = {
		{"name", T_STR, true}, {"kind", T_STR, true},
		{"images", T_STRLIST, true}, {"pod_prefix", T_STR, false},
		{"upgrade_url", T_URL, true}, {"upgrade_note", T_STR, false},
		{"read", T_DATE, true}, {"source", T_URL, true},
	};
	const struct ynode *l, *e;
	int rc = 0;

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
	ad->loc = r->loc;
	if (!load_in_list(ad->kind, addon_kinds, ARRAY_SIZE(addon_kinds)))
		rc = diag_error(c->d, ynode_get(r, "kind")->loc,
				"unknown add-on kind '%s' (want cni, ingress, "
				"csi, dns or other)", ad->kind);
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

		if (strcmp(ad->kind, kind))
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
		if (pod && !strncmp(pod, ad->pod_prefix,
				    strlen(ad->pod_prefix)))
			return ad;
	}
	return first;
}
