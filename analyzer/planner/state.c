/*
 * state.c - the cluster state of the simulation, kept incrementally (issue
 * 11): a step records what it changed and a summary of each component's
 * oldest and newest version, from counts of nodes per version; full copies
 * of every node are kept at hop boundaries only. Any step's full state is
 * replayed from the boundary before it (plan_step_nodes).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const comp_names[PC_COUNT] = {
	"apiserver", "controllerManager", "scheduler", "kubelet", "kubeadm",
	"kubectl", "kubeletPackage", "cordoned",
};

const char *
plan_comp_name(enum plan_comp c)
{
	return (unsigned)c < PC_COUNT ? comp_names[c] : NULL;
}

bool
plan_ver_same(const struct plan_ver *x, const struct plan_ver *y)
{
	return x->set == y->set && (!x->set || plan_ver_cmp(x, y) == 0);
}

/* The version of comp on a node; NULL for kubectl and cordoned. */
static struct plan_ver *
node_ver(struct plan_node_state *ns, enum plan_comp comp)
{
	switch (comp) {
	case PC_APISERVER:
		return &ns->apiserver;
	case PC_CONTROLLER_MANAGER:
		return &ns->controller_manager;
	case PC_SCHEDULER:
		return &ns->scheduler;
	case PC_KUBELET:
		return &ns->kubelet;
	case PC_KUBEADM:
		return &ns->kubeadm;
	case PC_KUBELET_PKG:
		return &ns->kubelet_pkg;
	default:
		return NULL;
	}
}

/* Adds d (+1 or -1) nodes at v to the counts of comp. */
static int
count(struct plan_counts *c, unsigned comp, const struct plan_ver *v, int d)
{
	struct plan_count *a = c->v[comp];
	size_t lo = 0, hi = c->n[comp], mid;

	if (!v->set)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (plan_ver_cmp(&a[mid].v, v) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->n[comp] && plan_ver_cmp(&a[lo].v, v) == 0) {
		if (d > 0)
			a[lo].n++;
		else if (--a[lo].n == 0)
			memmove(&a[lo], &a[lo + 1],
				(--c->n[comp] - lo) * sizeof(*a));
		return 0;
	}
	if (d < 0)
		return 0;
	if (c->n[comp] == c->cap[comp]) {
		size_t cap = c->cap[comp] ? 2 * c->cap[comp] : 8;

		if (!(a = realloc(a, cap * sizeof(*a))))
			return -1;
		c->v[comp] = a;
		c->cap[comp] = cap;
	}
	memmove(&a[lo + 1], &a[lo], (c->n[comp] - lo) * sizeof(*a));
	a[lo].v = *v;
	a[lo].n = 1;
	c->n[comp]++;
	return 0;
}

int
plan_counts_init(struct plan_counts *c, const struct plan *p,
		 const struct plan_node_state *nodes)
{
	size_t i;
	unsigned k;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < p->nnodes; i++) {
		struct plan_node_state ns = nodes[i];

		for (k = 0; k < PC_NODE_VERSIONS; k++)
			if (count(c, k, node_ver(&ns, k), 1) < 0)
				return -1;
	}
	return 0;
}

void
plan_counts_release(struct plan_counts *c)
{
	unsigned k;

	if (!c)
		return;
	for (k = 0; k < PC_NODE_VERSIONS; k++)
		free(c->v[k]);
	memset(c, 0, sizeof(*c));
}

int
plan_step_record(struct arena *a, struct plan_counts *c,
		 struct plan_step *step, const struct plan_node_state *was,
		 const struct plan_ver *kubectl, const struct plan_state *st)
{
	struct plan_change ch[PC_COUNT], *out;
	struct plan_node_state before, *now;
	size_t n = 0;
	unsigned k;

	if (step->node >= 0) {
		before = *was;
		now = &st->nodes[step->node];
		for (k = 0; k < PC_COUNT; k++) {
			const struct plan_ver *x = node_ver(&before, k);
			const struct plan_ver *y = node_ver(now, k);

			if (!x || plan_ver_same(x, y))
				continue;
			ch[n++] = (struct plan_change){step->node, k, *x, *y};
			if (k < PC_NODE_VERSIONS &&
			    (count(c, k, x, -1) < 0 || count(c, k, y, 1) < 0))
				return -1;
		}
		if (before.cordoned != now->cordoned)
			ch[n++] = (struct plan_change){step->node, PC_CORDONED,
				{0, 0, 0, before.cordoned},
				{0, 0, 0, now->cordoned}};
	}
	if (!plan_ver_same(kubectl, &st->kubectl))
		ch[n++] = (struct plan_change){-1, PC_KUBECTL, *kubectl,
					       st->kubectl};
	step->changes = NULL;
	step->nchanges = n;
	if (n) {
		if (!(out = arena_alloc(a, n * sizeof(*out))))
			return -1;
		memcpy(out, ch, n * sizeof(*out));
		step->changes = out;
	}
	for (k = 0; k < PC_NODE_VERSIONS; k++) {
		struct plan_range *r = &step->summary[k];

		memset(r, 0, sizeof(*r));
		if (c->n[k]) {
			r->min = c->v[k][0].v;
			r->max = c->v[k][c->n[k] - 1].v;
		}
	}
	return 0;
}

void
plan_change_apply(const struct plan_change *c, struct plan_node_state *nodes,
		  struct plan_state *st)
{
	struct plan_ver *v;

	if (c->comp == PC_KUBECTL) {
		st->kubectl = c->to;
		return;
	}
	if (c->node < 0)
		return;
	if (c->comp == PC_CORDONED)
		nodes[c->node].cordoned = c->to.set;
	else if ((v = node_ver(&nodes[c->node], c->comp)) != NULL)
		*v = c->to;
}

void
plan_step_nodes(const struct plan *p, size_t i, struct plan_node_state *nodes)
{
	const struct plan_node_state *base = p->initial.nodes;
	struct plan_state st;
	size_t j = i + 1, k;

	memset(&st, 0, sizeof(st));
	while (j > 0 && !p->steps.v[j - 1].state.nodes)
		j--;
	if (j > 0)
		base = p->steps.v[j - 1].state.nodes;
	memcpy(nodes, base, p->nnodes * sizeof(*nodes));
	for (; j <= i; j++)
		for (k = 0; k < p->steps.v[j].nchanges; k++)
			plan_change_apply(&p->steps.v[j].changes[k], nodes, &st);
}
