/*
 * common.c - what the writers share: UTF-8 repair (snapshot text is bytes;
 * JSON readers want UTF-8) and XML escaping, the artifact lookup,
 * the findings grouped by severity, and dates, locations, versions and the
 * audit trail as text.
 */
#include <string.h>

#include "internal.h"

void
report_add_utf8(struct buf *b, const char *s, size_t len)
{
	utf8_repair(b, s, len);
}

void
report_add_xml(struct buf *b, const char *s, size_t len, unsigned flags)
{
	esc_html(b, s, len, flags);
}

void
report_add_md_code(struct buf *b, const char *raw)
{
	struct buf t = BUF_INIT;
	const char *s;
	size_t run = 0, longest = 0, n, i;
	bool pad;

	esc_display(&t, raw, strlen(raw));
	if (t.oom)
		b->oom = true;
	s = buf_cstr(&t);
	n = t.oom ? 0 : t.len;	/* buf_cstr() is "" after a failed append */
	for (i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	pad = n == 0 || s[0] == '`' || s[n - 1] == '`' || s[0] == ' ';
	for (i = 0; i <= longest; i++)
		buf_addc(b, '`');
	if (pad)
		buf_addc(b, ' ');
	buf_add(b, s, n);
	if (pad)
		buf_addc(b, ' ');
	for (i = 0; i <= longest; i++)
		buf_addc(b, '`');
	buf_release(&t);
}

const struct report_artifact *
report_artifact_of(const struct report_input *in, const char *path)
{
	size_t i;

	if (!path)
		return NULL;
	for (i = 0; i < in->nartifacts; i++)
		if (in->artifacts[i].path == path ||
		    !strcmp(in->artifacts[i].path, path))
			return &in->artifacts[i];
	return NULL;
}

/* ---------------------------------------------------------- findings */

void
report_count(const struct findings *f, struct report_counts *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < f->n; i++) {
		if (f->v[i].suppressed)
			c->suppressed++;
		else
			c->sev[f->v[i].severity]++;
	}
}

const char *
report_baseline_name(const struct finding *f)
{
	return f->baseline == BASELINE_NEW	 ? "new"
	       : f->baseline == BASELINE_ABSENT ? "absent"
						 : "unchanged";
}

void
report_add_groups(struct buf *b, const struct findings *f,
		  const struct report_groups *g)
{
	static const char *const heads[] = {"Errors", "Warnings", "Info"};
	struct report_counts c;
	size_t i;
	int sev;

	report_count(f, &c);
	if (f->n == 0)
		buf_adds(b, g->none);
	for (sev = SEV_ERROR; sev <= SEV_INFO; sev++) {
		if (!c.sev[sev])
			continue;
		buf_addf(b, "%s%s (%zu)%s", g->head, heads[sev], c.sev[sev],
			 g->head_end);
		for (i = 0; i < f->n; i++)
			if (!f->v[i].suppressed &&
			    f->v[i].severity == (enum severity)sev)
				g->finding(b, &f->v[i]);
	}
	if (c.suppressed) {
		buf_addf(b, "%sSuppressed by waivers (%zu)%s", g->waived,
			 c.suppressed, g->waived_end);
		for (i = 0; i < f->n; i++)
			if (f->v[i].suppressed)
				g->finding(b, &f->v[i]);
		buf_adds(b, g->waived_close);
	}
}

void
report_add_evidence(struct buf *b, const struct finding *f,
		    const char *first, const char *sep, const char *none,
		    void (*loc)(struct buf *b, struct src_loc loc))
{
	size_t i;

	if (f->nevidence == 0)
		buf_adds(b, none);
	for (i = 0; i < f->nevidence; i++) {
		buf_adds(b, i ? sep : first);
		loc(b, f->evidence[i]);
	}
}

/* ---------------------------------------------------------- text */

void
report_add_date(struct buf *b, long days)
{
	char s[11];

	if (days == RULES_NO_DATE) {
		buf_adds(b, "unknown");
		return;
	}
	date_format(days, s);
	buf_adds(b, s);
}

void
report_add_loc(struct buf *b, struct src_loc loc)
{
	if (!loc.path)
		buf_adds(b, "-");
	else if (loc.line == 0)
		buf_adds(b, loc.path);
	else
		buf_addf(b, "%s:%u:%u", loc.path, (unsigned)loc.line,
			 (unsigned)(loc.col ? loc.col : 1));
}

void
report_add_loc_text(struct buf *b, struct src_loc loc)
{
	struct buf t = BUF_INIT;

	report_add_loc(&t, loc);
	if (t.oom)
		b->oom = true;
	else
		esc_display(b, buf_cstr(&t), t.len);
	buf_release(&t);
}

void
report_add_loc_xml(struct buf *b, struct src_loc loc)
{
	struct buf t = BUF_INIT;

	report_add_loc(&t, loc);
	if (t.oom)
		b->oom = true;
	else
		report_add_xml(b, buf_cstr(&t), t.len, 0);
	buf_release(&t);
}

const char *
report_ver_text(const struct version_info *vi, const char *absent)
{
	return vi->present ? vi->ver.text : absent;
}

void
report_add_inventory(struct buf *b, const struct cluster_state *cs)
{
	buf_addf(b, "%zu node%s, %zu image%s, %zu package row%s", cs->nodes.n,
		 cs->nodes.n == 1 ? "" : "s", cs->images.n,
		 cs->images.n == 1 ? "" : "s", cs->packages.n,
		 cs->packages.n == 1 ? "" : "s");
}

void
report_add_rules_dir(struct buf *b, const char *dir, const char *origin)
{
	if (!dir)
		return;
	esc_display(b, dir, strlen(dir));
	if (origin)
		buf_addf(b, " (%s)", origin);
}

void
report_add_trail(struct buf *b, const struct report_input *in,
		 const char *sep)
{
	buf_addf(b, "skewplan %s%srules data compiled ", SKEWPLAN_VERSION, sep);
	report_add_date(b, in->db->compiled);
	buf_addf(b, "%sas of ", sep);
	report_add_date(b, in->as_of);
}

void
report_add_plan_ver(struct buf *b, const struct plan_ver *v)
{
	if (v->set)
		buf_addf(b, "v%u.%u.%u", v->major, v->minor, v->patch);
	else
		buf_adds(b, "unknown");
}

void
report_add_plan_span(struct buf *b, const struct plan_ver *from,
		     const char *sep, const struct plan_ver *to)
{
	report_add_plan_ver(b, from);
	buf_adds(b, sep);
	report_add_plan_ver(b, to);
}

void
report_add_repo(struct buf *b, const struct plan *p, const struct plan_hop *h)
{
	if (h->repo_minor)
		buf_addf(b, "pkgs.k8s.io v1.%u", h->repo_minor);
	else
		buf_adds(b, "legacy repository");
	buf_adds(b, p->rpm ? " (yum)" : " (apt)");
}
