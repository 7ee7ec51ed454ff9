/*
 * check_apis.c - used API versions against the target of the audit: one
 * check function for the four api-* kinds. A use (struct api_use) comes
 * from the apiserver's metric, an audit event or a manifest; its row in
 * data/apis.yaml gives when the version goes and what replaces it.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Everything a finding about one use says. */
struct api_fact {
	const struct api_use *u;
	const struct api_row *row;	/* NULL: the apiserver's word only */
	const char *kind;	/* the row's kind, or the resource */
	unsigned removed;	/* 0 when unknown */
	unsigned current;	/* the cluster's minor; 0 when unknown */
	unsigned target;
};

/* "1.22" or "v1.22" of the apiserver's removed_release label. */
static unsigned
parse_release(const char *s)
{
	unsigned long major, minor;
	char *end;

	if (!s)
		return 0;
	if (*s == 'v')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	major = strtoul(s, &end, 10);
	if (major != 1 || *end != '.' || end[1] < '0' || end[1] > '9')
		return 0;
	minor = strtoul(end + 1, &end, 10);
	if ((*end && *end != '.') || minor == 0 || minor > 999)
		return 0;
	return (unsigned)minor;
}

static const char *
evidence_text(struct eval_ctx *c, const struct api_use *u)
{
	const char *since;

	switch (u->evidence) {
	case APIEV_METRIC:
		since = c->cs->apiserver_started >= 0
				? arena_printf(c->a, "since the apiserver "
					       "started on %s",
					       eval_date(c, (long)(c->cs->apiserver_started /
								   86400)))
				: "since the apiserver last started (its "
				  "start time was not captured)";
		return arena_printf(c->a, "apiserver_requested_deprecated_apis"
				    " counts %llu request%s %s%s%s; earlier "
				    "requests are not counted", u->count,
				    u->count == 1 ? "" : "s", since,
				    u->object ? ", " : "",
				    u->object ? u->object : "");
	case APIEV_AUDIT:
		return arena_printf(c->a, "%llu audit event%s by %s%s%s",
				    u->count, u->count == 1 ? "" : "s",
				    u->who ? u->who : "an unknown client",
				    u->object ? ", first on " : "",
				    u->object ? u->object : "");
	case APIEV_LIVE:
		return arena_printf(c->a, "%llu object%s read back from the "
				    "apiserver in this version%s%s", u->count,
				    u->count == 1 ? "" : "s",
				    u->object ? ", first " : "",
				    u->object ? u->object : "");
	case APIEV_MANIFEST:
	default:
		return arena_printf(c->a, "%llu object%s in this manifest%s%s",
				    u->count, u->count == 1 ? "" : "s",
				    u->object ? ", first " : "",
				    u->object ? u->object : "");
	}
}

static const char *
replacement_text(struct eval_ctx *c, const struct api_fact *f)
{
	if (!f->row)
		return "the replacement is not in the rules data (see the "
		       "Deprecated API Migration Guide)";
	if (!f->row->replacement)
		return arena_printf(c->a, "no API replaces it: %s",
				    f->row->note);
	if (f->row->product)
		return arena_printf(c->a, "%s %s (served since %s %s)",
				    f->row->replacement, f->kind,
				    f->row->product, f->row->since_text);
	return arena_printf(c->a, "%s %s (served since 1.%u)",
			    f->row->replacement, f->kind,
			    f->row->replacement_since);
}

/*
 * A version of an add-on's row is that project's release ("1.6"), of a
 * Kubernetes row "1.N"; what is unknown is said so.
 */
static const char *
row_version(struct eval_ctx *c, const struct api_row *row, unsigned k8s,
	    const char *text, const char *unknown)
{
	if (row && row->product)
		return text ? text : unknown;
	return row && k8s ? eval_minor(c, 1, k8s) : unknown;
}

static int
emit(struct eval_ctx *c, const struct rule *r, const struct api_fact *f)
{
	const struct api_use *u = f->u;
	struct fill fl[11];
	size_t n = 0;
	const char *subject = arena_printf(c->a, "%s %s", u->api, f->kind);

#define FILL(k, v) (fl[n].name = (k), fl[n].value = (v), n++)
	FILL("api", u->api);
	FILL("kind", f->kind);
	FILL("removed", f->row && f->row->product ? f->row->removed_text
			: f->removed ? eval_minor(c, 1, f->removed)
				     : "an unknown release");
	FILL("deprecated", row_version(c, f->row, f->row ? f->row->deprecated_in
							  : 0,
				       f->row ? f->row->deprecated_text : NULL,
				       "an earlier release"));
	FILL("replacement", replacement_text(c, f));
	FILL("since", row_version(c, f->row, f->row ? f->row->replacement_since
						     : 0,
				  f->row ? f->row->since_text : NULL, "?"));
	FILL("product", f->row && f->row->product ? f->row->product
						  : "Kubernetes");
	FILL("target", eval_minor(c, 1, f->target));
	FILL("cluster", f->current ? eval_minor(c, 1, f->current) : "unknown");
	FILL("evidence", evidence_text(c, u));
	FILL("input", u->evidence == APIEV_METRIC ? "apiserver metrics"
		      : u->evidence == APIEV_AUDIT ? "audit log"
		      : u->evidence == APIEV_LIVE ? "objects read back from "
						    "the apiserver"
						  : "manifests");
#undef FILL
	if (!subject)
		return diag_plain(c->d, DIAG_ERROR, "out of memory");
	return eval_emit(c, r, subject, fl, n, &u->loc, 1);
}

/*
 * Objects read back from the apiserver prove little: it writes them in the
 * version asked for. One finding per file that held only such objects of
 * no deprecated version, so a clean capture is not read as a clean bill.
 */
static int
check_converted(struct eval_ctx *c, const struct rule *r)
{
	const struct api_use *u, *v;
	size_t i, j;

	for (i = 0; i < c->cs->api_uses.n; i++) {
		struct fill fl[2];
		unsigned long long objects = 0;
		bool first = true, flagged = false;

		u = &c->cs->api_uses.v[i];
		if (u->evidence != APIEV_LIVE)
			continue;
		for (j = 0; j < c->cs->api_uses.n; j++) {
			v = &c->cs->api_uses.v[j];
			if (v->evidence != APIEV_LIVE && v->evidence != APIEV_MANIFEST)
				continue;
			if (strcmp(v->loc.path, u->loc.path))
				continue;
			if (j < i)
				first = false;
			objects += v->count;
			if (v->kind && rules_api_find(c->db, v->api, v->kind,
						      NULL, NULL))
				flagged = true;
		}
		if (!first || flagged)
			continue;
		fl[0].name = "file";
		fl[0].value = u->loc.path;
		fl[1].name = "count";
		fl[1].value = arena_printf(c->a, "%llu", objects);
		if (!fl[1].value)
			return diag_plain(c->d, DIAG_ERROR, "out of memory");
		if (eval_emit(c, r, u->loc.path, fl, 2,
			      &(struct src_loc){u->loc.path, 0, 0}, 1) < 0)
			return -1;
	}
	return 0;
}

int
check_apis(struct eval_ctx *c, const struct rule *r)
{
	const struct api_use *u;
	struct api_fact f;

	/*
	 * Without a capture of API use nothing was checked: say so, as for
	 * any other input, rather than pass.
	 */
	if (c->cs->api_uses.n == 0)
		return r->check == CK_API_CONVERTED ||
				       r->check == CK_API_ADDON_REMOVED
			       ? 0
			       : eval_missing(c, r, "API usage (apiserver "
					      "metrics, audit log or "
					      "manifests)");
	if (r->check == CK_API_CONVERTED)
		return check_converted(c, r);
	memset(&f, 0, sizeof(f));
	f.current = c->cluster ? c->cluster->minor : 0;
	f.target = c->api_target ? c->api_target
				 : f.current ? f.current + 1 : 0;
	if (c->cs->api_uses.n && !f.target && r->check != CK_API_ADDON_REMOVED)
		return eval_missing(c, r, "version");
	vec_foreach(&c->cs->api_uses, u) {
		bool removed, deprecated;

		f.u = u;
		f.kind = NULL;
		f.row = u->kind ? rules_api_find(c->db, u->api, u->kind, NULL,
						 NULL)
				: rules_api_find(c->db, u->api, NULL,
						 u->resource, &f.kind);
		if (u->kind)
			f.kind = u->kind;
		else if (!f.row)
			f.kind = u->resource;
		/* A manifest of a current version is no finding. */
		if (!f.row && u->evidence != APIEV_METRIC &&
		    u->evidence != APIEV_AUDIT)
			continue;
		/*
		 * An add-on's version goes with a release of the add-on,
		 * never with a Kubernetes minor: only api-addon-removed
		 * judges it, whatever the target.
		 */
		if ((f.row && f.row->product) !=
		    (r->check == CK_API_ADDON_REMOVED))
			continue;
		if (r->check == CK_API_ADDON_REMOVED) {
			if (emit(c, r, &f) < 0)
				return -1;
			continue;
		}
		f.removed = f.row ? f.row->removed_in
				  : parse_release(u->removed_release);
		removed = f.removed && f.removed <= f.target;
		/* The apiserver flags what it deprecates. */
		deprecated = !removed &&
			     (!f.row || !f.row->deprecated_in ||
			      f.row->deprecated_in <= f.target);
		switch (r->check) {
		case CK_API_REMOVED:
			if (removed && emit(c, r, &f) < 0)
				return -1;
			break;
		case CK_API_DEPRECATED:
			if (deprecated && emit(c, r, &f) < 0)
				return -1;
			break;
		case CK_API_REPLACEMENT:
			/*
			 * The replacement is not served yet: the migration
			 * must happen between hops (pluto's exit code 4).
			 */
			if ((removed || deprecated) && f.row &&
			    f.row->replacement && f.current &&
			    f.row->replacement_since > f.current &&
			    emit(c, r, &f) < 0)
				return -1;
			break;
		default:
			break;
		}
	}
	return 0;
}
