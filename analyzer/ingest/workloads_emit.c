/*
 * workloads_emit.c - a Pod, PodDisruptionBudget or workload read by
 * workloads_doc.c becomes a model object: vectors copied into the arena,
 * defaults applied as the API server applies them; or, with a bad value,
 * a skipped record.
 */
#include <string.h>

#include "internal.h"

/* Copies a vector of n elements of size sz into the arena (NULL for 0). */
static void *
arena_copy(struct workloads_parse *p, const void *v, size_t n, size_t sz,
	   bool *failed)
{
	void *out;

	if (n == 0)
		return NULL;
	if (!(out = arena_alloc(p->c->arena, n * sz))) {
		*failed = true;
		return NULL;
	}
	memcpy(out, v, n * sz);
	return out;
}

static int
emit_selector(struct workloads_parse *p, const struct wl_obj *o,
	      struct label_selector *out)
{
	bool failed = false;

	out->present = o->sel.present;
	out->nmatch_labels = o->sel.labels.n;
	out->match_labels = arena_copy(p, o->sel.labels.v, o->sel.labels.n,
				       sizeof(*o->sel.labels.v), &failed);
	out->nexprs = o->sel.reqs.n;
	out->exprs = arena_copy(p, o->sel.reqs.v, o->sel.reqs.n,
				sizeof(*o->sel.reqs.v), &failed);
	return failed ? -1 : 0;
}

static int
emit_pod(struct workloads_parse *p, const struct wl_obj *o, const char *ns)
{
	struct cluster_state *cs = p->c->cs;
	const struct owner_ref *ctl;
	struct pod *d;
	bool failed = false;

	if (cs->pods.n >= LIMIT_ITEMS)
		return diag_error(p->c->diag, o->open, "more than %u pods",
				  LIMIT_ITEMS);
	if (!(d = vec_push(&cs->pods)))
		return workloads_oom(p, o->open);
	d->namespace_ = ns;
	d->name = o->name;
	d->node = o->node;
	d->nlabels = o->labels.n;
	d->labels = arena_copy(p, o->labels.v, o->labels.n,
			       sizeof(*o->labels.v), &failed);
	d->nowners = o->owners.n;
	d->owners = arena_copy(p, o->owners.v, o->owners.n,
			       sizeof(*o->owners.v), &failed);
	d->nempty_dirs = o->empty_dirs.n;
	d->empty_dirs = arena_copy(p, o->empty_dirs.v, o->empty_dirs.n,
				   sizeof(*o->empty_dirs.v), &failed);
	d->nhost_paths = o->host_paths.n;
	d->host_paths = arena_copy(p, o->host_paths.v, o->host_paths.n,
				   sizeof(*o->host_paths.v), &failed);
	d->npvcs = o->pvcs.n;
	d->pvcs = arena_copy(p, o->pvcs.v, o->pvcs.n, sizeof(*o->pvcs.v),
			     &failed);
	if (o->host_selector)
		d->pinned_to = o->host_selector;
	else if (o->terms && o->terms_pinned == o->terms &&
		 !o->terms_disagree)
		d->pinned_to = o->term_host;
	d->ready = o->ready;
	d->phase = o->phase;
	d->deleting = o->deleting;
	d->mirror = o->mirror;
	ctl = pod_controller(d);
	d->daemonset = ctl && !strcmp(ctl->kind, "DaemonSet");
	d->loc = o->open;
	return failed ? workloads_oom(p, o->open) : 0;
}

static int
emit_pdb(struct workloads_parse *p, struct wl_obj *o, const char *ns)
{
	struct cluster_state *cs = p->c->cs;
	struct pdb *d;

	if (o->min_avail.set && o->max_unavail.set)
		return workloads_bad(p, o, o->max_unavail.loc,
			   "minAvailable and maxUnavailable are both set");
	if (cs->pdbs.n >= LIMIT_ITEMS)
		return diag_error(p->c->diag, o->open, "more than %u PDBs",
				  LIMIT_ITEMS);
	if (!(d = vec_push(&cs->pdbs)))
		return workloads_oom(p, o->open);
	d->namespace_ = ns;
	d->name = o->name;
	d->api = o->api ? o->api : "policy/v1";
	d->min_available = o->min_avail;
	d->max_unavailable = o->max_unavail;
	d->unhealthy_always_allow = o->always_allow;
	d->disruptions_allowed = o->st[0];
	d->current_healthy = o->st[1];
	d->desired_healthy = o->st[2];
	d->expected_pods = o->st[3];
	d->loc = o->open;
	d->status_loc = o->st_loc;
	return emit_selector(p, o, &d->selector) < 0 ? workloads_oom(p, o->open) : 0;
}

static int
emit_workload(struct workloads_parse *p, const struct wl_obj *o, const char *ns)
{
	struct cluster_state *cs = p->c->cs;
	struct workload *d;
	size_t i;

	if (cs->workloads.n >= LIMIT_ITEMS)
		return diag_error(p->c->diag, o->open,
				  "more than %u workloads", LIMIT_ITEMS);
	if (!(d = vec_push(&cs->workloads)))
		return workloads_oom(p, o->open);
	d->kind = o->kind;
	d->namespace_ = ns;
	d->name = o->name;
	/* apps/v1 defaults replicas to 1 (SetDefaults_Deployment, ...). */
	d->replicas = o->replicas >= 0 ? o->replicas : 1;
	d->ready_replicas = o->ready_replicas >= 0 ? o->ready_replicas : 0;
	d->has_status = o->has_status;
	for (i = 0; i < o->owners.n; i++)
		if (o->owners.v[i].controller) {
			d->owner = o->owners.v[i];
			break;
		}
	d->loc = o->open;
	return emit_selector(p, o, &d->selector) < 0 ? workloads_oom(p, o->open) : 0;
}

static enum wl_kind
kind_of(const char *kind)
{
	if (!kind)
		return WK_OTHER;
	if (!strcmp(kind, "Pod"))
		return WK_POD;
	if (!strcmp(kind, "PodDisruptionBudget"))
		return WK_PDB;
	if (!strcmp(kind, "Deployment") || !strcmp(kind, "StatefulSet") ||
	    !strcmp(kind, "ReplicaSet"))
		return WK_WORKLOAD;
	return WK_OTHER;
}

int
workloads_obj_close(struct workloads_parse *p, struct wl_obj *o)
{
	enum wl_kind k = kind_of(o->kind);
	const char *ns = o->ns ? o->ns : "default";
	int rc;

	if (k == WK_OTHER)
		return 0;
	/*
	 * The image reader skipped a record of this object (a bad image): the
	 * object is not read either, as a skipped line keeps none of its
	 * facts. The skipped record says why.
	 */
	if (!o->err && p->c->cs->skipped.n > o->skipped0)
		return 0;
	if (!o->err && !o->name)
		workloads_bad(p, o, o->open, "%s without metadata.name", o->kind);
	if (!o->err) {
		if (k == WK_POD)
			rc = emit_pod(p, o, ns);
		else if (k == WK_PDB)
			rc = emit_pdb(p, o, ns);
		else
			rc = emit_workload(p, o, ns);
		if (rc < 0)
			return -1;
	}
	if (o->err) {
		char *text = arena_printf(p->c->arena, "%s %s/%s", o->kind, ns,
					  o->name ? o->name : "?");

		if (!text)
			return workloads_oom(p, o->open);
		return recover_skip(p->c, o->err_loc, text, strlen(text), "%s",
				    o->err);
	}
	p->found++;
	return 0;
}
