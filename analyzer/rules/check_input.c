/*
 * check_input.c - findings about the captures themselves: content that was
 * skipped because it could not be read (ingest's recovery path), versions
 * that are not releases, and Minor fields that disagree with gitVersion.
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

/*
 * One input-skipped finding per skipped record. The subject is its
 * "path:line:col", so a waiver can name one line or glob a whole file
 * ("captures/nodes.txt:*").
 */
int
check_input_skipped(struct eval_ctx *c, const struct rule *r)
{
	const struct skipped *sk;

	vec_foreach(&c->cs->skipped, sk) {
		const char *where = src_loc_str(c->a, sk->loc);
		struct fill f[] = {
			{"path", where}, {"text", sk->text},
			{"reason", sk->reason},
		};

		if (sk->kept.line)
			continue;	/* an input-conflict */
		if (!where) {
			c->oom = true;
			return diag_plain(c->d, DIAG_ERROR, "out of memory");
		}
		if (eval_emit(c, r, where, f, ARRAY_SIZE(f), &sk->loc, 1) < 0)
			return -1;
	}
	return 0;
}

/*
 * One input-conflict finding per fact two captures disagree about: the
 * subject is this capture's "path:line:col", the evidence both places.
 */
int
check_input_conflict(struct eval_ctx *c, const struct rule *r)
{
	const struct skipped *sk;

	vec_foreach(&c->cs->skipped, sk) {
		const char *where, *kept;
		struct src_loc ev[2];

		if (!sk->kept.line)
			continue;
		where = src_loc_str(c->a, sk->loc);
		kept = src_loc_str(c->a, sk->kept);
		if (!where || !kept) {
			c->oom = true;
			return diag_plain(c->d, DIAG_ERROR, "out of memory");
		}
		{
			struct fill f[] = {
				{"path", where}, {"text", sk->text},
				{"reason", sk->reason}, {"kept", kept},
			};

			ev[0] = sk->loc;
			ev[1] = sk->kept;
			if (eval_emit(c, r, where, f, ARRAY_SIZE(f), ev, 2) < 0)
				return -1;
		}
	}
	return 0;
}

static const struct {
	const char *component;
	size_t off;
} binaries[] = {
	{"kubectl", offsetof(struct cluster_state, client)},
	{"kube-apiserver", offsetof(struct cluster_state, server)},
	{"kubeadm", offsetof(struct cluster_state, kubeadm)},
};

static const struct version_info *
binary_version(const struct cluster_state *cs, size_t i)
{
	return (const struct version_info *)((const char *)cs +
					     binaries[i].off);
}

/*
 * A version recorded but not a release (a development build, a server
 * without the 'v'): the version rules do not read it, this says why.
 */
int
check_version_not_release(struct eval_ctx *c, const struct rule *r)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(binaries); i++) {
		const struct version_info *vi = binary_version(c->cs, i);
		struct fill f[] = {
			{"component", binaries[i].component},
			{"version", vi->ver.text},
			{"reason", vi->not_release},
		};

		if (!vi->not_release || vi->present)
			continue;
		if (eval_emit(c, r, binaries[i].component, f, ARRAY_SIZE(f),
			      &vi->loc, 1) < 0)
			return -1;
	}
	return 0;
}

/* A Minor field that disagrees with gitVersion, which was used. */
int
check_version_minor_mismatch(struct eval_ctx *c, const struct rule *r)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(binaries); i++) {
		const struct version_info *vi = binary_version(c->cs, i);
		struct fill f[] = {
			{"component", binaries[i].component},
			{"version", vi->ver.text},
			{"minor", vi->minor_disagrees},
		};
		struct src_loc ev[2];

		if (!vi->minor_disagrees)
			continue;
		ev[0] = vi->minor_loc;
		ev[1] = vi->loc;
		if (eval_emit(c, r, binaries[i].component, f, ARRAY_SIZE(f),
			      ev, 2) < 0)
			return -1;
	}
	return 0;
}

/*
 * A node whose name was masked in the paste: read, checked by the other
 * rules under its mask, and flagged, since no command can name it.
 */
int
check_node_masked(struct eval_ctx *c, const struct rule *r)
{
	const struct node *n;

	vec_foreach(&c->cs->nodes, n) {
		const char *where = src_loc_str(c->a, n->loc);
		struct fill f[] = {{"node", n->name}, {"path", where}};

		if (!n->masked)
			continue;
		if (!where) {
			c->oom = true;
			return diag_plain(c->d, DIAG_ERROR, "out of memory");
		}
		if (eval_emit(c, r, where, f, ARRAY_SIZE(f), &n->loc, 1) < 0)
			return -1;
	}
	return 0;
}

int
rules_input_findings(const struct rules_db *db,
		     const struct cluster_state *cs, struct diag *d,
		     struct findings *out)
{
	struct eval_ctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.db = db;
	c.cs = cs;
	c.a = db->arena;
	c.d = d;
	c.out = out;
	for (i = 0; i < db->rules.n; i++)
		if ((db->rules.v[i].check == CK_INPUT_SKIPPED &&
		     check_input_skipped(&c, &db->rules.v[i]) < 0) ||
		    (db->rules.v[i].check == CK_INPUT_CONFLICT &&
		     check_input_conflict(&c, &db->rules.v[i]) < 0) ||
		    (db->rules.v[i].check == CK_VERSION_NOT_RELEASE &&
		     check_version_not_release(&c, &db->rules.v[i]) < 0) ||
		    (db->rules.v[i].check == CK_VERSION_MINOR_MISMATCH &&
		     check_version_minor_mismatch(&c, &db->rules.v[i]) < 0) ||
		    (db->rules.v[i].check == CK_NODE_MASKED &&
		     check_node_masked(&c, &db->rules.v[i]) < 0))
			return -1;
	return 0;
}
