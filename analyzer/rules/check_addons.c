/*
 * check_addons.c - the add-ons a snapshot runs (CNI, ingress-nginx,
 * metrics-server, cert-manager, CoreDNS), recognised by their images, and
 * their releases against the Kubernetes minors their projects list
 * (data/addons.yaml). The audit judges the target of --target or the next
 * minor; the planner asks rules_addon_judge() once per hop.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The input an add-on check skips without: the workloads capture. */
#define ADDON_INPUT                                                            \
	"add-on images (kubectl get daemonsets,deployments -A -o yaml)"

bool
rules_addon_tag_version(const char *tag, unsigned *major, unsigned *minor,
			unsigned *patch)
{
	unsigned long v[3] = {0, 0, 0};
	const char *p = tag;
	char *end;
	int i;

	if (!p)
		return false;
	if (*p == 'v')
		p++;
	for (i = 0; i < 3; i++) {
		if (*p < '0' || *p > '9')
			return false;
		v[i] = strtoul(p, &end, 10);
		if (v[i] > 99999)
			return false;
		p = end;
		if (*p != '.')
			break;
		p++;
	}
	/* "3.26" is a version; "3." and "3" are not. */
	if (i == 0 || i == 3 || (*p && *p != '-' && *p != '+'))
		return false;
	*major = (unsigned)v[0];
	*minor = (unsigned)v[1];
	*patch = (unsigned)v[2];
	return true;
}

int
rules_addons_running(const struct rules_db *db, const struct cluster_state *cs,
		     struct arena *a, struct addon_run **out, size_t *n)
{
	VEC(struct addon_run) runs = {NULL, 0, 0};
	const struct image *im;
	const struct addon *ad;
	struct addon_run *r;
	size_t i;

	*out = NULL;
	*n = 0;
	vec_foreach(&cs->images, im) {
		const char *tag;

		if (im->init || !im->ref ||
		    !(ad = rules_addon_for_image(db, NULL, im->ref->repository,
						 im->pod)))
			continue;
		tag = im->ref->tag;
		for (i = 0; i < runs.n; i++)
			if (runs.v[i].addon == ad &&
			    (tag ? runs.v[i].tag && !strcmp(runs.v[i].tag, tag)
				 : !runs.v[i].tag))
				break;
		if (i < runs.n)
			continue;
		if (!(r = vec_push(&runs)))
			goto oom;
		memset(r, 0, sizeof(*r));
		r->addon = ad;
		r->image = im;
		r->tag = tag;
		r->has_version = rules_addon_tag_version(tag, &r->major,
							 &r->minor, &r->patch);
	}
	if (runs.n) {
		if (!(*out = arena_alloc(a, runs.n * sizeof(**out))))
			goto oom;
		memcpy(*out, runs.v, runs.n * sizeof(**out));
		*n = runs.n;
	}
	vec_release(&runs);
	return 0;
oom:
	vec_release(&runs);
	return -1;
}

static bool
row_lists(const struct addon_release *r, unsigned minor)
{
	return minor >= r->k8s_min &&
	       (r->k8s_max == RULES_OPEN || minor <= r->k8s_max);
}

/* x against the running version: <0, 0, >0. */
static int
row_cmp_run(const struct addon_release *x, const struct addon_run *run)
{
	if (x->major != run->major)
		return x->major < run->major ? -1 : 1;
	if (x->minor != run->minor)
		return x->minor < run->minor ? -1 : 1;
	if (x->patch != run->patch)
		return x->patch < run->patch ? -1 : 1;
	return 0;
}

static int
row_cmp(const struct addon_release *x, const struct addon_release *y)
{
	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	if (x->patch != y->patch)
		return x->patch < y->patch ? -1 : 1;
	return 0;
}

/*
 * The row of the running release: the X.Y row, or the patch row of X.Y
 * with the highest patch at or below the running one.
 */
static const struct addon_release *
find_row(const struct addon *ad, const struct addon_run *run)
{
	const struct addon_release *best = NULL;
	size_t i;

	for (i = 0; i < ad->nsupport; i++) {
		const struct addon_release *r = &ad->support[i];

		if (r->major != run->major || r->minor != run->minor)
			continue;
		if (!r->has_patch)
			return r;
		if (r->patch <= run->patch && (!best || r->patch > best->patch))
			best = r;
	}
	return best;
}

/* The oldest release newer than the running one that lists target. */
static const struct addon_release *
find_fix(const struct addon *ad, const struct addon_run *run, unsigned from,
	 unsigned target)
{
	const struct addon_release *both = NULL, *any = NULL;
	size_t i;

	for (i = 0; i < ad->nsupport; i++) {
		const struct addon_release *r = &ad->support[i];

		if (row_cmp_run(r, run) <= 0 || !row_lists(r, target))
			continue;
		if (!any || row_cmp(r, any) < 0)
			any = r;
		if (from && row_lists(r, from) && (!both || row_cmp(r, both) < 0))
			both = r;
	}
	return both ? both : any;
}

void
rules_addon_judge(const struct addon_run *run, unsigned from, unsigned target,
		  struct addon_judgement *out)
{
	const struct addon *ad = run->addon;

	memset(out, 0, sizeof(*out));
	if (ad->support_from_kubeadm) {
		out->verdict = ADDON_KUBEADM;
		return;
	}
	if (ad->no_support_table) {
		out->verdict = ADDON_NO_TABLE;
		return;
	}
	if (!run->has_version) {
		out->verdict = ADDON_NO_VERSION;
		return;
	}
	out->fix = find_fix(ad, run, from, target);
	if (!(out->row = find_row(ad, run))) {
		out->verdict = ADDON_NO_ROW;
		return;
	}
	out->verdict = row_lists(out->row, target) ? ADDON_LISTED
						   : ADDON_NOT_LISTED;
}

const char *
rules_addon_release_text(struct arena *a, const struct addon *ad,
			 const struct addon_release *r)
{
	const struct addon_release *next = NULL;
	size_t i;

	if (!r->has_patch)
		return r->text;
	for (i = 0; i < ad->nsupport; i++) {
		const struct addon_release *o = &ad->support[i];

		if (o->major == r->major && o->minor == r->minor &&
		    o->patch > r->patch && (!next || o->patch < next->patch))
			next = o;
	}
	if (!next)
		return arena_printf(a, "%s and later %u.%u patches", r->text,
				    r->major, r->minor);
	if (next->patch == r->patch + 1)
		return r->text;
	return arena_printf(a, "%s to %u.%u.%u", r->text, r->major, r->minor,
			    next->patch - 1);
}

const char *
rules_addon_range(struct arena *a, const struct addon_release *r)
{
	if (r->k8s_max == RULES_OPEN)
		return arena_printf(a, "1.%u and later", r->k8s_min);
	if (r->k8s_max == r->k8s_min)
		return arena_printf(a, "1.%u only", r->k8s_min);
	return arena_printf(a, "1.%u to 1.%u", r->k8s_min, r->k8s_max);
}

/* ---------------------------------------------------------- the checks */

struct addon_fact {
	const struct addon_run *run;
	struct addon_judgement j;
	unsigned target;
	const char *reason;	/* arena; the kind's own explanation */
};

static const char *
version_text(const struct addon_run *run)
{
	if (run->tag)
		return run->tag;
	return run->image->ref->digest ? "(digest only)" : "(no tag)";
}

static int
emit(struct eval_ctx *c, const struct rule *r, const struct addon_fact *f)
{
	const struct addon_run *run = f->run;
	const struct addon *ad = run->addon;
	const struct addon_release *row = f->j.row;
	struct fill fl[11];
	size_t n = 0;
	const char *subject = arena_printf(c->a, "%s %s", ad->name,
					   version_text(run));

#define FILL(k, v) (fl[n].name = (k), fl[n].value = (v), n++)
	FILL("name", ad->name);
	FILL("version", version_text(run));
	FILL("image", run->image->ref->image);
	FILL("target", eval_minor(c, 1, f->target));
	FILL("release", row ? rules_addon_release_text(c->a, ad, row) : "?");
	FILL("supported", row ? rules_addon_range(c->a, row) : "?");
	FILL("source", row ? row->source : ad->source);
	FILL("date", eval_date(c, row ? row->read : ad->read));
	FILL("fix", f->j.fix ? arena_printf(c->a, "%s %s", ad->name,
					    f->j.fix->text)
			     : arena_printf(c->a, "a release of %s that "
					    "lists it (none in the rules "
					    "data)", ad->name));
	FILL("url", ad->upgrade_url);
	FILL("reason", f->reason ? f->reason : "");
#undef FILL
	if (!subject)
		return diag_plain(c->d, DIAG_ERROR, "out of memory");
	return eval_emit(c, r, subject, fl, n, &run->image->loc, 1);
}

const char *
rules_addon_unknown_reason(struct arena *a, const struct addon_run *run,
			   const struct addon_judgement *j)
{
	const struct addon *ad = run->addon;
	struct buf b = BUF_INIT;
	const char *out;
	size_t i;

	switch (j->verdict) {
	case ADDON_NO_VERSION:
		if (run->tag)
			return arena_printf(a, "the image '%s' has the tag '%s', "
					    "not a release version like "
					    "v3.26.1", run->image->ref->image,
					    run->tag);
		return arena_printf(a, "the image '%s' has no tag%s",
				    run->image->ref->image,
				    run->image->ref->digest ? ", only a digest"
							    : "");
	case ADDON_NO_ROW:
		for (i = 0; i < ad->nsupport; i++)
			buf_addf(&b, "%s%s", i ? ", " : "",
				 ad->support[i].text);
		out = b.oom ? NULL
			    : arena_printf(a, "the rules data has no row for "
					   "%s %u.%u.%u in its support table "
					   "(rows: %s)", ad->name, run->major,
					   run->minor, run->patch,
					   buf_cstr(&b));
		buf_release(&b);
		return out;
	case ADDON_LISTED:
		if (!j->row->unconfirmed)
			return NULL;
		return arena_printf(a, "the row of %s %s is UNCONFIRMED: %s",
				    ad->name, j->row->text,
				    j->row->unconfirmed);
	default:
		return NULL;
	}
}

/*
 * CoreDNS: kubeadm deploys and upgrades it (cmd/kubeadm/app/phases/
 * addons/dns). `kubeadm upgrade apply` writes its own Deployment with the
 * image of the target unless a CoreDNS pod runs an image whose digest is
 * not a released CoreDNS; then it keeps the Deployment and the Corefile
 * ("The existing CoreDNS Corefile configuration and deployment has been
 * retained"). Returns the reason of an info finding, or NULL.
 */
static const char *
coredns_reason(struct eval_ctx *c, const struct addon_run *run,
	       unsigned target)
{
	const struct release *rel = rules_release_of(c->db, target);
	const struct image_ref *ref = run->image->ref;
	struct kubeadm_images k;
	unsigned ma, mi, pa, dma, dmi, dpa;
	size_t n, m;
	const char *want;

	if (rules_kubeadm_images(c->db, target, rel && rel->npatches
				 ? rel->patches[rel->npatches - 1].patch : 0,
				 &k) < 0 || !k.coredns)
		return arena_printf(c->a, "the rules data has no kubeadm "
				    "CoreDNS default for 1.%u, so what "
				    "'kubeadm upgrade apply' does to it is "
				    "not known here", target);
	want = arena_printf(c->a, "%s/%s:%s", k.image_repository,
			    k.coredns_image, k.coredns);
	n = strlen(ref->repository);
	m = strlen(k.coredns_image);
	if (n < m || strcmp(ref->repository + n - m, k.coredns_image) ||
	    (n > m && ref->repository[n - m - 1] != '/'))
		return arena_printf(c->a, "not kubeadm's image (%s): 'kubeadm "
				    "upgrade apply' to 1.%u replaces the "
				    "coredns Deployment with %s when the "
				    "running build is a released CoreDNS (it "
				    "checks the pods' image digests), and "
				    "keeps the Deployment and its Corefile "
				    "unchanged otherwise; its preflight "
				    "checks CoreDNSUnsupportedPlugins and "
				    "CoreDNSMigration judge the Corefile "
				    "first", want, target, want);
	if (rules_addon_tag_version(run->tag, &ma, &mi, &pa) &&
	    rules_addon_tag_version(k.coredns, &dma, &dmi, &dpa) &&
	    (ma > dma || (ma == dma && (mi > dmi || (mi == dmi && pa > dpa)))))
		return arena_printf(c->a, "newer than kubeadm's default for "
				    "1.%u: 'kubeadm upgrade apply' sets the "
				    "coredns Deployment to %s", target, want);
	return NULL;
}

int
check_addons(struct eval_ctx *c, const struct rule *r)
{
	struct addon_run *runs;
	struct addon_fact f;
	unsigned current;
	size_t n, i;

	if (rules_addons_running(c->db, c->cs, c->a, &runs, &n) < 0)
		return diag_plain(c->d, DIAG_ERROR, "out of memory");
	/*
	 * kubeadm clusters run CoreDNS: a snapshot without any add-on did not
	 * capture the workloads, which is no pass.
	 */
	if (n == 0)
		return eval_missing(c, r, ADDON_INPUT);
	current = c->cluster ? c->cluster->minor : 0;
	memset(&f, 0, sizeof(f));
	f.target = c->api_target ? c->api_target : current ? current + 1 : 0;
	if (!f.target)
		return eval_missing(c, r, "version");
	for (i = 0; i < n; i++) {
		bool hit = false;

		f.run = &runs[i];
		rules_addon_judge(f.run, current, f.target, &f.j);
		f.reason = NULL;
		switch (r->check) {
		case CK_ADDON_UNSUPPORTED:
			hit = f.j.verdict == ADDON_NOT_LISTED;
			if (hit && f.j.row->unconfirmed)
				f.reason = arena_printf(c->a, "; the row is "
							"UNCONFIRMED: %s",
							f.j.row->unconfirmed);
			break;
		case CK_ADDON_SUPPORT_UNKNOWN:
			hit = (f.reason = rules_addon_unknown_reason(
					c->a, f.run, &f.j)) != NULL;
			break;
		case CK_ADDON_UNPUBLISHED:
			hit = f.j.verdict == ADDON_NO_TABLE;
			f.reason = f.run->addon->no_support_table;
			break;
		case CK_ADDON_COREDNS:
			hit = f.j.verdict == ADDON_KUBEADM &&
			      (f.reason = coredns_reason(c, f.run,
							 f.target)) != NULL;
			break;
		default:
			break;
		}
		if (hit && emit(c, r, &f) < 0)
			return -1;
	}
	return 0;
}
