/*
 * lookup.c - lookups into a loaded rules_db: rules by id, releases,
 * kubeadm defaults and eras.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"


const struct rule *
rules_find(const struct rules_db *db, const char *id)
{
	size_t i;

	for (i = 0; i < db->rules.n; i++)
		if (!strcmp(db->rules.v[i].id, id))
			return &db->rules.v[i];
	return NULL;
}

const struct release *
rules_release_of(const struct rules_db *db, unsigned minor)
{
	size_t i;

	for (i = 0; i < db->releases.n; i++)
		if (db->releases.v[i].minor == minor)
			return &db->releases.v[i];
	return NULL;
}

const struct kubeadm_default *
rules_kubeadm_defaults(const struct rules_db *db, unsigned minor)
{
	size_t i;

	for (i = 0; i < db->kubeadm.defaults.n; i++)
		if (db->kubeadm.defaults.v[i].minor == minor)
			return &db->kubeadm.defaults.v[i];
	return NULL;
}

/* The row of list in force at patch, or NULL (the minor's own value). */
static const struct by_patch *
by_patch_at(const struct by_patch *list, size_t n, unsigned patch)
{
	const struct by_patch *at = NULL;
	size_t j;

	for (j = 0; j < n; j++)
		if (list[j].since_patch <= patch)
			at = &list[j];
	return at;
}

int
rules_kubeadm_images(const struct rules_db *db, unsigned minor,
		     unsigned patch, struct kubeadm_images *out)
{
	const struct kubeadm_default *df = rules_kubeadm_defaults(db, minor);
	const struct by_patch *bp;

	memset(out, 0, sizeof(*out));
	if (!df)
		return -1;
	out->etcd = df->etcd;
	out->etcd_source = out->coredns_source = df->source;
	out->coredns = df->coredns;
	out->pause = df->pause;
	out->image_repository = df->image_repository;
	out->coredns_image = df->coredns_image;
	if ((bp = by_patch_at(df->etcd_by_patch, df->netcd_by_patch, patch))) {
		out->etcd = bp->value;
		out->etcd_unconfirmed = bp->unconfirmed;
		if (bp->source)
			out->etcd_source = bp->source;
	}
	if ((bp = by_patch_at(df->coredns_by_patch, df->ncoredns_by_patch,
			      patch))) {
		out->coredns = bp->value;
		out->coredns_unconfirmed = bp->unconfirmed;
		if (bp->source)
			out->coredns_source = bp->source;
	}
	if ((bp = by_patch_at(df->repo_by_patch, df->nrepo_by_patch, patch)))
		out->image_repository = bp->value;
	return 0;
}

const char *
rules_kubeadm_etcd(const struct rules_db *db, unsigned minor, unsigned patch)
{
	struct kubeadm_images im;

	return rules_kubeadm_images(db, minor, patch, &im) < 0 ? NULL
								: im.etcd;
}

const char *
rules_kubeadm_coredns(const struct rules_db *db, unsigned minor,
		      unsigned patch)
{
	struct kubeadm_images im;

	return rules_kubeadm_images(db, minor, patch, &im) < 0 ? NULL
								: im.coredns;
}

const struct pkg_key *
rules_pkg_key_served(const struct rules_db *db, const char *repo_id,
		     unsigned minor)
{
	size_t i;

	for (i = 0; i < db->keys.n; i++) {
		const struct pkg_key *k = &db->keys.v[i];

		if (!strcmp(k->repository, repo_id) && minor >= k->since_minor &&
		    (k->until_minor == RULES_OPEN || minor <= k->until_minor))
			return k;
	}
	return NULL;
}

bool
rules_pkg_key_is_valid(const struct pkg_key *k, long day)
{
	return k && k->valid_from <= day && day < k->expires;
}

const struct pkg_key *
rules_pkg_key_for(const struct rules_db *db, const char *repo_id,
		  unsigned minor, long day, unsigned *fetch_minor)
{
	const struct pkg_key *k = rules_pkg_key_served(db, repo_id, minor);
	const struct pkg_key *best = NULL;
	size_t i;

	if (rules_pkg_key_is_valid(k, day)) {
		*fetch_minor = minor;
		return k;
	}
	for (i = 0; i < db->keys.n; i++) {
		k = &db->keys.v[i];
		if (strcmp(k->repository, repo_id) ||
		    !rules_pkg_key_is_valid(k, day) ||
		    minor < k->verifies_since ||
		    (k->verifies_until != RULES_OPEN &&
		     minor > k->verifies_until))
			continue;
		if (!best || k->since_minor < best->since_minor)
			best = k;
	}
	if (best)
		*fetch_minor = best->since_minor;
	return best;
}

int
rules_kubeadm_kubelet_skew(const struct rules_db *db, unsigned minor,
			   struct src_loc *loc)
{
	size_t i;

	for (i = 0; i < db->kubeadm.eras.n; i++) {
		const struct kubeadm_era *e = &db->kubeadm.eras.v[i];

		if ((e->since_kubeadm == RULES_OPEN || minor >= e->since_kubeadm) &&
		    (e->until_kubeadm == RULES_OPEN || minor <= e->until_kubeadm)) {
			*loc = e->loc;
			return e->kubelet_skew;
		}
	}
	return -1;
}
