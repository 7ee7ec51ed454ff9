/*
 * steps_nodes.c - node prerequisites per hop (data/nodes.yaml): what each
 * node's container runtime, cgroups, swap and kernel must be before the
 * kubelet and kubeadm of the hop's target run there. The findings go into
 * the plan (plan --fail-on error refuses one with an error among them),
 * and the hop starts with a step that lists them.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The snapshot's node of a plan node (same name); NULL if none. */
static const struct node *
cs_node(struct plan_ctx *c, const char *name)
{
	const struct node *n;

	vec_foreach(&c->cs->nodes, n)
		if (!strcmp(n->name, name))
			return n;
	return NULL;
}

/* The findings of hop h about every node, appended to out. 0 or -1. */
static int
hop_findings(struct plan_ctx *c, const struct plan_hop *h,
	     struct findings *out)
{
	const struct node *n;
	size_t i;

	if (!h->apply || h->to.minor <= h->from.minor)
		return 0;
	for (i = 0; i < c->plan->nnodes; i++) {
		if (!(n = cs_node(c, c->plan->nodes[i].name)))
			continue;
		if (rules_node_findings(c->db, c->cs, n, h->from.minor,
					h->to.minor, c->d, out) < 0)
			return -1;
	}
	return 0;
}

int
plan_node_findings(struct plan_ctx *c)
{
	size_t i;

	for (i = 0; i < c->plan->hops.n; i++)
		if (hop_findings(c, &c->plan->hops.v[i], &c->plan->findings) < 0)
			return -1;
	return 0;
}

void
plan_step_node_prereqs(struct plan_sb *b, unsigned hn,
		       const struct plan_hop *h)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	struct findings f = {0};
	struct buf must = BUF_INIT, should = BUF_INIT;
	size_t i, nmust = 0, nshould = 0;

	if (hop_findings(c, h, &f) < 0) {
		b->failed = true;
		rules_findings_release(&f);
		return;
	}
	if (f.n == 0) {
		rules_findings_release(&f);
		return;
	}
	rules_findings_sort(&f);
	for (i = 0; i < f.n; i++) {
		const struct finding *fi = &f.v[i];
		bool err = fi->severity == SEV_ERROR;
		struct buf *l = err ? &must : &should;
		size_t *k = err ? &nmust : &nshould;

		buf_addf(l, "%s(%zu) [%s] %s. %s", *k ? " " : "", *k + 1,
			 fi->rule->id, fi->message, fi->remediation);
		(*k)++;
	}
	plan_sb_step(b, hn, -1, PA_NODE_PREREQS,
		     "on each node named below, as root",
		     arena_printf(a, "Meet the node prerequisites of %u.%u",
				  h->to.major, h->to.minor));
	if (nmust)
		plan_sb_note(b, arena_printf(a, "Before the hop to %u.%u, on "
					     "every node listed (its kubelet or "
					     "kubeadm's preflight of %u.%u "
					     "fails otherwise): %s",
					     h->to.major, h->to.minor,
					     h->to.major, h->to.minor,
					     buf_cstr(&must)));
	if (nshould)
		plan_sb_note(b, arena_printf(a, "Advised before the hop to "
					     "%u.%u: %s", h->to.major,
					     h->to.minor, buf_cstr(&should)));
	plan_sb_note(b, "Then capture the nodes again (tools/capture.sh) and "
		     "run skewplan plan once more: the step is gone when the "
		     "nodes meet them.");
	plan_sb_check(b, PM_MANUAL,
		      "kubectl get nodes -o wide",
		      arena_printf(a, "every node's CONTAINER-RUNTIME and "
				   "KERNEL-VERSION as the prerequisites of "
				   "%u.%u above ask, and skewplan plan reports "
				   "no node prerequisite for this hop",
				   h->to.major, h->to.minor));
	if (must.oom || should.oom)
		b->failed = true;
	buf_release(&must);
	buf_release(&should);
	rules_findings_release(&f);
}
