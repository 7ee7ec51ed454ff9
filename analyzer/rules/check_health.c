/*
 * check_health.c - node conditions that block kubeadm upgrade apply or a
 * drain: not Ready (or Unknown), and already cordoned.
 */
#include "internal.h"

int
check_node_ready(struct eval_ctx *c, const struct rule *r)
{
	const struct node *n;

	if (c->cs->nodes.n == 0)
		return eval_missing(c, r, "nodes");
	vec_foreach(&c->cs->nodes, n) {
		struct fill f[2];

		if (n->ready == TRI_TRUE)
			continue;
		f[0].name = "node";
		f[0].value = n->name;
		f[1].name = "status";
		f[1].value = n->status ? n->status : "not Ready";
		if (eval_emit(c, r, n->name, f, ARRAY_SIZE(f), &n->loc, 1) < 0)
			return -1;
	}
	return 0;
}

int
check_node_cordoned(struct eval_ctx *c, const struct rule *r)
{
	const struct node *n;

	if (c->cs->nodes.n == 0)
		return eval_missing(c, r, "nodes");
	vec_foreach(&c->cs->nodes, n) {
		struct fill f[1];

		if (n->schedulable)
			continue;
		f[0].name = "node";
		f[0].value = n->name;
		if (eval_emit(c, r, n->name, f, ARRAY_SIZE(f), &n->loc, 1) < 0)
			return -1;
	}
	return 0;
}
