/*
 * steps_addons.c - the add-ons kubeadm does not upgrade (data/addons.yaml)
 * against each hop: the upgrade-addons step before a hop's `kubeadm
 * upgrade apply` when an add-on's release does not list the hop's target,
 * the plan findings that say so, and the note of the CNI step.
 *
 * The order follows the kubeadm upgrade guide ("Upgrade the CNI provider
 * plugin": its vendor's instructions) and the projects' own tables: a
 * release that does not list the new minor is upgraded while the cluster
 * still runs the minor it lists, so the step comes first in the hop.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int
plan_addons_init(struct plan_ctx *c)
{
	struct addon_run *runs;
	size_t n, i;

	if (rules_addons_running(c->db, c->cs, c->a, &runs, &n) < 0)
		return -1;
	c->naddons = 0;
	if (!n)
		return 0;
	if (!(c->addons = arena_alloc(c->a, n * sizeof(*c->addons))))
		return -1;
	memset(c->addons, 0, n * sizeof(*c->addons));
	for (i = 0; i < n; i++) {
		c->addons[i].run = runs[i];
		c->addons[i].captured = &runs[i];
	}
	c->naddons = n;
	return 0;
}

/* "YYYY-MM-DD" of days since the epoch (arena). */
static const char *
date_str(struct arena *a, long days)
{
	char s[11];

	date_format(days, s);
	return arena_strdup(a, s);
}

/* The release text of a plan add-on now: "v3.27.3" or "3.28". */
static const char *
now_text(const struct plan_addon *pa)
{
	if (pa->moved_to)
		return pa->moved_to->text;
	if (pa->run.tag)
		return pa->run.tag;
	return pa->run.image->ref->digest ? "(digest only)" : "(no tag)";
}

/* "daemonset/calico-node in kube-system", "pod x in y" (arena). */
static const char *
where_text(struct arena *a, const struct image *im)
{
	const char *kind = im->pod && strchr(im->pod, '/') ? "" : "pod ";

	if (!im->pod)
		return arena_printf(a, "image %s", im->ref->image);
	return arena_printf(a, "%s%s%s%s", kind, im->pod,
			    im->namespace_ ? " in " : "",
			    im->namespace_ ? im->namespace_ : "");
}

/* The plan finding of rule id about pa for target; fills as the audit's. */
static void
finding(struct plan_sb *b, const char *id, const struct plan_addon *pa,
	const struct addon_judgement *j, unsigned target, const char *reason)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	const struct addon *ad = pa->run.addon;
	const struct rule *r = rules_find(c->db, id);
	const char *fill[22];
	size_t n = 0;

	if (!r)
		return;
#define FILL(k, v) (fill[n++] = (k), fill[n++] = (v))
	FILL("name", ad->name);
	FILL("version", now_text(pa));
	FILL("image", pa->run.image->ref->image);
	FILL("target", arena_printf(a, "1.%u", target));
	FILL("release", j->row ? rules_addon_release_text(a, ad, j->row)
			       : "?");
	FILL("supported", j->row ? rules_addon_range(a, j->row) : "?");
	FILL("source", j->row ? j->row->source : ad->source);
	FILL("date", date_str(a, j->row ? j->row->read : ad->read));
	FILL("fix", j->fix ? arena_printf(a, "%s %s", ad->name, j->fix->text)
			   : arena_printf(a, "a release of %s that lists it "
					  "(none in the rules data)",
					  ad->name));
	FILL("url", ad->upgrade_url);
	FILL("reason", reason ? reason : "");
#undef FILL
	if (plan_finding(c->plan, a, r, arena_printf(a, "%s %s", ad->name,
						    now_text(pa)),
			 fill, n / 2, &pa->run.image->loc, 1) < 0)
		b->failed = true;
}

/* Moves pa to release r (the upgrade-addons step of hop hn). */
static void
move_to(struct plan_addon *pa, const struct addon_release *r, unsigned hn)
{
	pa->moved_from = now_text(pa);
	pa->run.major = r->major;
	pa->run.minor = r->minor;
	pa->run.patch = r->patch;
	pa->run.has_version = true;
	pa->moved_to = r;
	pa->moved_hop = hn;
}

void
plan_step_upgrade_addons(struct plan_sb *b, unsigned hn,
			 const struct plan_hop *h)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	struct addon_judgement j;
	const struct plan_addon *first = NULL;
	const struct addon_release *first_fix = NULL;
	size_t i, nout = 0, nnotes = 0;

	if (h->from.minor >= h->to.minor)
		return;
	for (i = 0; i < c->naddons; i++) {
		struct plan_addon *pa = &c->addons[i];
		const char *why;

		rules_addon_judge(&pa->run, h->from.minor, h->to.minor, &j);
		if (j.verdict == ADDON_NO_TABLE && !pa->reported) {
			pa->reported = true;
			finding(b, "addon-support-unpublished", pa, &j,
				h->to.minor, pa->run.addon->no_support_table);
		} else if (!pa->reported &&
			   (why = rules_addon_unknown_reason(a, &pa->run, &j))) {
			pa->reported = true;
			finding(b, "addon-support-unknown", pa, &j, h->to.minor,
				why);
		}
		if (j.verdict != ADDON_NOT_LISTED)
			continue;
		finding(b, "addon-unsupported-target", pa, &j, h->to.minor,
			j.row->unconfirmed
				? arena_printf(a, "; the row is UNCONFIRMED: "
					       "%s", j.row->unconfirmed)
				: NULL);
		if (nout++ == 0) {
			first = pa;
			first_fix = j.fix;
		}
	}
	if (nout == 0)
		return;
	plan_sb_step(b, hn, -1, PA_UPGRADE_ADDONS, PLAN_KUBECTL,
		     nout == 1 && first_fix
			     ? arena_printf(a, "Upgrade %s to %s before the hop "
					    "to %u.%u", first->run.addon->name,
					    first_fix->text, h->to.major,
					    h->to.minor)
			     : arena_printf(a, "Upgrade the add-ons that do not "
					    "list %u.%u before the hop",
					    h->to.major, h->to.minor));
	plan_sb_note(b, arena_printf(a, "kubeadm does not upgrade these "
				     "add-ons, and the releases running do "
				     "not list Kubernetes %u.%u in their "
				     "projects' tables (addon-unsupported-"
				     "target): upgrade each to a release that "
				     "lists both %u.%u and %u.%u while the "
				     "cluster still runs %u.%u, then "
				     "continue with this hop.",
				     h->to.major, h->to.minor, h->from.major,
				     h->from.minor, h->to.major, h->to.minor,
				     h->from.major, h->from.minor));
	nnotes = 1;
	for (i = 0; i < c->naddons; i++) {
		struct plan_addon *pa = &c->addons[i];
		const struct addon *ad = pa->run.addon;
		const char *fix;

		rules_addon_judge(&pa->run, h->from.minor, h->to.minor, &j);
		if (j.verdict != ADDON_NOT_LISTED)
			continue;
		fix = !j.fix ? arena_printf(a, "no newer release in the rules "
					    "data lists %u.%u: check %s",
					    h->to.major, h->to.minor,
					    ad->source)
		      : arena_printf(a, "%s %s lists %s%s, the first newer "
				     "release that lists %u.%u%s",
				     ad->name, j.fix->text,
				     rules_addon_range(a, j.fix),
				     j.fix->unconfirmed ? " (UNCONFIRMED)"
							: "",
				     h->to.major, h->to.minor,
				     j.fix->k8s_min <= h->from.minor
					     ? arena_printf(a, " and %u.%u",
							    h->from.major,
							    h->from.minor)
					     : "");
		if (nnotes < PLAN_MAX_NOTES)
			plan_sb_note(b, arena_printf(a, "%s %s (%s): release %s "
						     "lists %s (%s, read %s); "
						     "%s. Upgrade guide: "
						     "%s%s%s%s.",
						     ad->name, now_text(pa),
						     where_text(a, pa->run.image),
						     rules_addon_release_text(a, ad,
									      j.row),
						     rules_addon_range(a, j.row),
						     j.row->source,
						     date_str(a, j.row->read),
						     fix, ad->upgrade_url,
						     ad->upgrade_note ? " ("
								      : "",
						     ad->upgrade_note
							     ? ad->upgrade_note
							     : "",
						     ad->upgrade_note ? ")"
								      : ""));
		nnotes++;
		if (j.fix)
			move_to(pa, j.fix, hn);
	}
	if (nnotes > PLAN_MAX_NOTES)
		plan_sb_note(b, arena_printf(a, "... and %zu more add-on(s): "
					     "see the plan's findings.",
					     nnotes - PLAN_MAX_NOTES + 1));
	plan_sb_check(b, PM_MANUAL,
		      "kubectl get daemonsets,deployments -A -o jsonpath="
		      "'{range .items[*]}{.metadata.namespace}/{.metadata.name}"
		      "{\"\\t\"}{.spec.template.spec.containers[*].image}"
		      "{\"\\n\"}{end}'",
		      arena_printf(a, "each add-on above at the release named "
				   "or later, rolled out, before 'kubeadm "
				   "upgrade apply %s'", plan_vtext(a, &h->to)));
}

const char *
plan_addon_support_note(struct plan_ctx *c, const struct addon *ad,
			unsigned hn, const struct plan_hop *h)
{
	struct arena *a = c->a;
	struct addon_judgement j;
	const struct plan_addon *pa = NULL;
	const char *why;
	size_t i;

	for (i = 0; i < c->naddons && !pa; i++)
		if (c->addons[i].run.addon == ad)
			pa = &c->addons[i];
	if (!pa)
		return NULL;
	if (pa->moved_hop == hn)
		return arena_printf(a, "%s %s does not list %u.%u; the "
				    "upgrade-addons step of this hop moved it "
				    "to %s, which lists %s (%s).", ad->name,
				    pa->moved_from,
				    h->to.major, h->to.minor,
				    pa->moved_to->text,
				    rules_addon_range(a, pa->moved_to),
				    pa->moved_to->source);
	rules_addon_judge(&pa->run, h->from.minor, h->to.minor, &j);
	switch (j.verdict) {
	case ADDON_LISTED:
		return arena_printf(a, "%s %s: release %s lists %s (%s, read "
				    "%s)%s.", ad->name, now_text(pa),
				    rules_addon_release_text(a, ad, j.row),
				    rules_addon_range(a, j.row),
				    j.row->source, date_str(a, j.row->read),
				    j.row->unconfirmed ? "; the row is "
							 "UNCONFIRMED" : "");
	case ADDON_NOT_LISTED:
		return arena_printf(a, "%s %s: release %s lists %s, not %u.%u, "
				    "and the rules data names no newer release "
				    "that does (%s).", ad->name, now_text(pa),
				    rules_addon_release_text(a, ad, j.row),
				    rules_addon_range(a, j.row),
				    h->to.major, h->to.minor, j.row->source);
	case ADDON_NO_TABLE:
		return arena_printf(a, "%s %s: no published support table (%s); "
				    "whether it supports %u.%u is not known.",
				    ad->name, now_text(pa),
				    ad->no_support_table, h->to.major,
				    h->to.minor);
	default:
		why = rules_addon_unknown_reason(a, &pa->run, &j);
		return arena_printf(a, "%s %s: whether it supports %u.%u is "
				    "not known%s%s.", ad->name, now_text(pa),
				    h->to.major, h->to.minor, why ? ": " : "",
				    why ? why : "");
	}
}

const char *
plan_addon_now(struct plan_ctx *c, const struct addon *ad)
{
	size_t i;

	for (i = 0; i < c->naddons; i++)
		if (c->addons[i].run.addon == ad)
			return now_text(&c->addons[i]);
	return NULL;
}
