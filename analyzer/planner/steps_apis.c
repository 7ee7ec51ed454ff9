/*
 * steps_apis.c - the step before a hop's `kubeadm upgrade apply` that
 * lists the API versions in use which the hop's target no longer serves:
 * the objects and clients to change first (data/apis.yaml; the uses come
 * from the apiserver's metric, the audit log and manifests).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* "1.22" or "v1.22" of the apiserver's removed_release; 0 if not one. */
static unsigned
release_minor(const char *s)
{
	unsigned long minor;
	char *end;

	if (!s)
		return 0;
	if (*s == 'v')
		s++;
	if (strncmp(s, "1.", 2) || s[2] < '0' || s[2] > '9')
		return 0;
	minor = strtoul(s + 2, &end, 10);
	return (*end && *end != '.') || minor > 999 ? 0 : (unsigned)minor;
}

static const char *
use_text(struct arena *a, const struct api_use *u, const char *kind)
{
	const char *where = src_loc_str(a, u->loc);

	switch (u->evidence) {
	case APIEV_METRIC:
		return arena_printf(a, "%s %s: requested %llu time(s) since the "
				    "apiserver started (%s)", u->api, kind,
				    u->count, where);
	case APIEV_AUDIT:
		return arena_printf(a, "%s %s: called by %s%s%s (%s)", u->api,
				    kind, u->who ? u->who : "an unknown client",
				    u->object ? " on " : "",
				    u->object ? u->object : "", where);
	default:
		return arena_printf(a, "%s %s: %llu object(s) in %s%s%s", u->api,
				    kind, u->count, where,
				    u->object ? ", first " : "",
				    u->object ? u->object : "");
	}
}

/* What the api-removed-in-target finding says of one use. */
static const char *
evidence_text(struct arena *a, const struct api_use *u)
{
	switch (u->evidence) {
	case APIEV_METRIC:
		return arena_printf(a, "requested %llu time(s) since the "
				    "apiserver last started", u->count);
	case APIEV_AUDIT:
		return arena_printf(a, "called by %s%s%s",
				    u->who ? u->who : "an unknown client",
				    u->object ? " on " : "",
				    u->object ? u->object : "");
	default:
		return arena_printf(a, "%llu object(s) in a manifest%s%s",
				    u->count, u->object ? ", first " : "",
				    u->object ? u->object : "");
	}
}

int
plan_api_findings(struct plan_ctx *c)
{
	const struct rule *r = NULL;
	const struct api_use *u;
	size_t hn;

	for (hn = 0; hn < c->plan->hops.n; hn++) {
		const struct plan_hop *h = &c->plan->hops.v[hn];

		vec_foreach(&c->cs->api_uses, u) {
			const char *kind = NULL, *fill[12];
			const struct api_row *row =
				u->kind ? rules_api_find(c->db, u->api, u->kind,
							 NULL, &kind)
					: rules_api_find(c->db, u->api, NULL,
							 u->resource, &kind);
			unsigned removed = row ? row->removed_in
					       : release_minor(u->removed_release);

			if ((row && row->product) || !removed ||
			    removed > h->to.minor ||
			    removed <= h->from.minor ||
			    u->evidence == APIEV_LIVE)
				continue;
			if (!r && !(r = plan_rule(c, "api-removed-in-target")))
				return -1;
			fill[0] = "api";
			fill[1] = u->api;
			fill[2] = "kind";
			fill[3] = kind ? kind : u->kind ? u->kind : u->resource;
			fill[4] = "removed";
			fill[5] = arena_printf(c->a, "1.%u", removed);
			fill[6] = "target";
			fill[7] = arena_printf(c->a, "%u.%u", h->to.major,
					       h->to.minor);
			fill[8] = "evidence";
			fill[9] = evidence_text(c->a, u);
			fill[10] = "replacement";
			fill[11] = row && row->replacement
					   ? arena_printf(c->a, "%s %s (served "
							  "since 1.%u)",
							  row->replacement,
							  fill[3],
							  row->replacement_since)
				   : row ? arena_printf(c->a, "no API replaces "
							"it: %s", row->note)
					 : "see the Deprecated API Migration "
					   "Guide";
			if (!fill[5] || !fill[7] || !fill[9] || !fill[11] ||
			    plan_finding(c->plan, c->a, r,
					 arena_printf(c->a, "hop %zu", hn + 1),
					 fill, 6, &u->loc, 1) < 0)
				return -1;
		}
	}
	return 0;
}

void
plan_step_migrate_apis(struct plan_sb *b, unsigned hn,
		       const struct plan_hop *h)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	const struct api_use *u;
	struct buf list = BUF_INIT;
	const char *cmds[PLAN_MAX_COMMANDS];
	size_t ncmds = 0, nuses = 0, i;

	vec_foreach(&c->cs->api_uses, u) {
		const char *kind = NULL, *cmd;
		const struct api_row *r =
			u->kind ? rules_api_find(c->db, u->api, u->kind, NULL,
						 &kind)
				: rules_api_find(c->db, u->api, NULL,
						 u->resource, &kind);
		unsigned removed = r ? r->removed_in
				     : release_minor(u->removed_release);

		if (!kind)
			kind = u->kind ? u->kind : u->resource;
		/* An add-on's release removes it, not a Kubernetes hop. */
		if (r && r->product)
			continue;
		/* Only what this hop removes: earlier ones are gone already. */
		if (!removed || removed > h->to.minor || removed <= h->from.minor ||
		    u->evidence == APIEV_LIVE)
			continue;
		buf_addf(&list, "%s(%zu) %s; replacement: %s", nuses ? "; " : "",
			 nuses + 1, use_text(a, u, kind),
			 r && r->replacement
				 ? arena_printf(a, "%s %s", r->replacement, kind)
			 : r ? r->note
			     : "see the Deprecated API Migration Guide");
		nuses++;
		if (u->evidence != APIEV_MANIFEST || !r || !r->replacement ||
		    ncmds == PLAN_MAX_COMMANDS)
			continue;
		cmd = arena_printf(a, "kubectl-convert -f %s --output-version %s",
				   plan_shq(a, u->loc.path),
				   plan_shq(a, r->replacement));
		for (i = 0; i < ncmds && cmd && strcmp(cmds[i], cmd); i++)
			;
		if (cmd && i == ncmds)
			cmds[ncmds++] = cmd;
	}
	if (nuses == 0 || list.oom) {
		b->failed = b->failed || list.oom;
		buf_release(&list);
		return;
	}
	plan_sb_step(b, hn, -1, PA_MIGRATE_APIS, PLAN_KUBECTL,
		     arena_printf(a, "Migrate the API versions %u.%u no longer "
				  "serves", h->to.major, h->to.minor));
	plan_sb_note(b, arena_printf(a, "%u.%u stops serving API versions "
				     "still in use (api-removed-in-target): "
				     "change every manifest and client below "
				     "before 'kubeadm upgrade apply', or their "
				     "requests fail after it. Objects already "
				     "stored are served in the new version "
				     "without change.",
				     h->to.major, h->to.minor));
	plan_sb_note(b, arena_printf(a, "In use: %s.", buf_cstr(&list)));
	buf_release(&list);
	if (ncmds)
		plan_sb_note(b, "kubectl-convert prints each manifest in the "
			     "new version: save it over the file where it is "
			     "kept (Git, the chart) and apply it.");
	for (i = 0; i < ncmds; i++)
		plan_sb_cmd(b, cmds[i]);
	plan_sb_check(b, PM_MANUAL,
		      "kubectl get --raw /metrics | grep "
		      "apiserver_requested_deprecated_apis",
		      arena_printf(a, "no line with removed_release=\"%u.%u\" "
				   "once the clients have changed (the gauge "
				   "counts from the apiserver's last start)",
				   h->to.major, h->to.minor));
}
