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

const char *
rules_kubeadm_etcd(const struct rules_db *db, unsigned minor, unsigned patch)
{
	const struct kubeadm_default *df = rules_kubeadm_defaults(db, minor);
	const char *v;
	size_t j;

	if (!df)
		return NULL;
	v = df->etcd;
	for (j = 0; j < df->netcd_by_patch; j++)
		if (df->etcd_by_patch[j].since_patch <= patch)
			v = df->etcd_by_patch[j].value;
	return v;
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
