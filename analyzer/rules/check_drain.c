/*
 * check_drain.c - the drain-* rules of the audit: what drain.c predicts
 * for every node, one finding per node and object, with the pod and
 * PodDisruptionBudget locations as evidence.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int
check_drain(struct eval_ctx *c, const struct rule *r)
{
	const struct drain_blocker *b;
	struct finding *fi;

	if (c->cs->pods.n == 0)
		return eval_missing(c, r,
				    "pods (kubectl get pods,pdb,deploy,sts,rs "
				    "-A -o yaml)");
	if (!c->drain) {
		if (!(c->drain = calloc(1, sizeof(*c->drain))))
			return diag_plain(c->d, DIAG_ERROR, "out of memory");
		if (rules_drain_analyze(c->db, c->cs, c->a, c->d, c->drain) < 0)
			return -1;
	}
	vec_foreach(&c->drain->blockers, b) {
		if (b->rule->check != r->check)
			continue;
		if (!(fi = vec_push(c->out)))
			return diag_plain(c->d, DIAG_ERROR, "out of memory");
		fi->rule = r;
		fi->severity = r->severity;
		fi->subject = b->subject;
		fi->message = b->message;
		fi->remediation = b->remediation;
		fi->nevidence = b->nevidence;
		fi->evidence = arena_alloc(c->a, b->nevidence *
						 sizeof(*fi->evidence) + 1);
		if (!fi->evidence)
			return diag_plain(c->d, DIAG_ERROR, "out of memory");
		memcpy(fi->evidence, b->evidence,
		       b->nevidence * sizeof(*fi->evidence));
	}
	return 0;
}

void
check_drain_release(struct eval_ctx *c)
{
	rules_drain_release(c->drain);
	free(c->drain);
	c->drain = NULL;
}
