/*
 * markdown.c - an audit as a pull-request comment: a summary table, the
 * findings grouped by severity with their evidence, waived findings folded
 * away. For a plan, the runbook of report_plan_markdown() (plan.c) with
 * the audit trail appended, so there is one Markdown runbook writer.
 *
 * Snapshot text goes through esc_md() outside code spans; code spans are
 * fenced with more backticks than the text holds, so no string can close
 * them early. '@' is escaped too, so a snapshot cannot mention a user.
 */
#include <string.h>

#include "../planner/planner.h"
#include "report.h"

static const char *const heads[] = {"Errors", "Warnings", "Info"};

/* Markdown inline text: esc_md(), plus '@' (GitHub mentions). */
static void
md_text(struct buf *b, const char *s)
{
	struct buf t = BUF_INIT;
	const char *at;

	report_add_utf8(&t, s, strlen(s));
	s = buf_cstr(&t);
	while ((at = strchr(s, '@'))) {
		esc_md(b, s, (size_t)(at - s));
		buf_adds(b, "\\@");
		s = at + 1;
	}
	esc_md(b, s, strlen(s));
	if (t.oom)
		b->oom = true;
	buf_release(&t);
}

/* A code span holding s verbatim (newlines become spaces). */
static void
md_code(struct buf *b, const char *s)
{
	size_t run = 0, longest = 0, n = strlen(s), i;
	bool pad;

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
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n' || c == '\r' || c == '\t')
			buf_addc(b, ' ');
		else if (c < 0x20 || c == 0x7f)
			buf_addf(b, "\\x%02x", c);
		else
			buf_addc(b, (char)c);
	}
	if (pad)
		buf_addc(b, ' ');
	for (i = 0; i <= longest; i++)
		buf_addc(b, '`');
}

static void
md_loc(struct buf *b, struct src_loc loc)
{
	struct buf t = BUF_INIT;

	if (!loc.path)
		buf_adds(&t, "-");
	else if (loc.line == 0)
		buf_adds(&t, loc.path);
	else
		buf_addf(&t, "%s:%u:%u", loc.path, (unsigned)loc.line,
			 (unsigned)(loc.col ? loc.col : 1));
	md_code(b, buf_cstr(&t));
	if (t.oom)
		b->oom = true;
	buf_release(&t);
}

/* A reference from the rules data: an autolink when it can be one. */
static void
md_link(struct buf *b, const char *url)
{
	if (!strncmp(url, "https://", 8) && !strpbrk(url, " <>\n\t\"`"))
		buf_addf(b, "<%s>", url);
	else
		md_text(b, url);
}

static void
md_finding(struct buf *b, const struct finding *f)
{
	char date[11];
	size_t i;

	buf_addf(b, "- **`%s`** ", f->rule->id);
	md_text(b, f->subject);
	buf_adds(b, ": ");
	md_text(b, f->message);
	buf_adds(b, "\n  - evidence: ");
	for (i = 0; i < f->nevidence; i++) {
		if (i)
			buf_adds(b, ", ");
		md_loc(b, f->evidence[i]);
	}
	if (f->nevidence == 0)
		buf_adds(b, "none: the input is absent");
	buf_adds(b, "\n  - fix: ");
	md_text(b, f->remediation);
	for (i = 0; i < f->rule->nreferences; i++) {
		buf_adds(b, i ? ", " : "\n  - references: ");
		md_link(b, f->rule->references[i]);
	}
	if (f->waiver) {
		date_format(f->waiver->expires, date);
		buf_adds(b, "\n  - waiver: ");
		md_text(b, f->waiver->owner);
		buf_addf(b, ", %s %s: ", f->waiver_expired ? "expired" : "until",
			 date);
		md_text(b, f->waiver->reason);
	}
	buf_addc(b, '\n');
}

/* The audit trail line every report ends with. */
static void
md_trail(struct buf *b, const struct report_input *in)
{
	char asof[11], compiled[11];

	date_format(in->as_of, asof);
	if (in->db->compiled == RULES_NO_DATE)
		memcpy(compiled, "unknown", 8);
	else
		date_format(in->db->compiled, compiled);
	buf_addf(b, "\n---\n\n<sub>skewplan %s · rules data compiled %s · "
		 "as of %s", SKEWPLAN_VERSION, compiled, asof);
	if (in->cluster) {
		buf_adds(b, " · snapshot ");
		md_code(b, in->cluster);
	}
	buf_adds(b, "</sub>\n");
}

static const char *
ver_text(const struct version_info *vi)
{
	return vi->present ? vi->ver.text : "not captured";
}

static int
audit_markdown(struct buf *b, const struct report_input *in)
{
	const struct findings *f = in->findings;
	size_t counts[3] = {0, 0, 0}, suppressed = 0, i;
	int sev;

	for (i = 0; i < f->n; i++) {
		if (f->v[i].suppressed)
			suppressed++;
		else
			counts[f->v[i].severity]++;
	}
	buf_addf(b, "## skewplan audit: %zu error%s, %zu warning%s\n\n",
		 counts[0], counts[0] == 1 ? "" : "s", counts[1],
		 counts[1] == 1 ? "" : "s");
	buf_adds(b, "| Errors | Warnings | Info | Suppressed |\n"
		 "|---:|---:|---:|---:|\n");
	buf_addf(b, "| %zu | %zu | %zu | %zu |\n\n", counts[0], counts[1],
		 counts[2], suppressed);
	buf_adds(b, "Cluster: kube-apiserver ");
	md_code(b, ver_text(&in->cs->server));
	buf_adds(b, ", kubectl ");
	md_code(b, ver_text(&in->cs->client));
	buf_addf(b, ", %zu node%s, %zu image%s, %zu package row%s.",
		 in->cs->nodes.n, in->cs->nodes.n == 1 ? "" : "s",
		 in->cs->images.n, in->cs->images.n == 1 ? "" : "s",
		 in->cs->packages.n, in->cs->packages.n == 1 ? "" : "s");
	if (in->fail_on >= 0)
		buf_addf(b, " Fails on: %s and above.\n",
			 rules_severity_name((enum severity)in->fail_on));
	else
		buf_adds(b, " Fails on: never.\n");
	if (f->n == 0)
		buf_adds(b, "\nNo findings.\n");
	for (sev = SEV_ERROR; sev <= SEV_INFO; sev++) {
		if (!counts[sev])
			continue;
		buf_addf(b, "\n### %s (%zu)\n\n", heads[sev], counts[sev]);
		for (i = 0; i < f->n; i++)
			if (!f->v[i].suppressed &&
			    f->v[i].severity == (enum severity)sev)
				md_finding(b, &f->v[i]);
	}
	if (suppressed) {
		buf_addf(b, "\n<details>\n<summary>Suppressed by waivers (%zu)"
			 "</summary>\n\n", suppressed);
		for (i = 0; i < f->n; i++)
			if (f->v[i].suppressed)
				md_finding(b, &f->v[i]);
		buf_adds(b, "\n</details>\n");
	}
	md_trail(b, in);
	return b->oom ? -1 : 0;
}

int
report_markdown(struct buf *out, const struct report_input *in)
{
	if (!in->plan)
		return audit_markdown(out, in);
	if (report_plan_markdown(out, in->plan) < 0)
		return -1;
	md_trail(out, in);
	return out->oom ? -1 : 0;
}
