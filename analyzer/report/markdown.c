/*
 * markdown.c - an audit as a pull-request comment: a summary table, the
 * findings grouped by severity with their evidence, waived findings folded
 * away. For a plan, the runbook of report_plan_markdown() (plan.c) with
 * the audit trail appended, so there is one Markdown runbook writer.
 *
 * Snapshot text goes through esc_md() outside code spans; code spans are
 * fenced with more backticks than the text holds, so no string can close
 * them early. '@' is escaped too, so a snapshot cannot mention a user.
 * Unsafe characters (esc_text) read as \x1b or \u202e in both.
 */
#include <string.h>

#include "internal.h"

/*
 * Markdown inline text: esc_md(), plus '@' (GitHub mentions). flags is
 * ESC_LINES for text whose newlines are only line breaks (remediation).
 */
static void
md_text(struct buf *b, const char *s, unsigned flags)
{
	const char *at;

	while ((at = strchr(s, '@'))) {
		esc_md(b, s, (size_t)(at - s), flags);
		buf_adds(b, "\\@");
		s = at + 1;
	}
	esc_md(b, s, strlen(s), flags);
}

static void
md_loc(struct buf *b, struct src_loc loc)
{
	struct buf t = BUF_INIT;

	report_add_loc(&t, loc);
	report_add_md_code(b, buf_cstr(&t));
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
		md_text(b, url, 0);
}

static void
md_finding(struct buf *b, const struct finding *f)
{
	size_t i;

	buf_addf(b, "- **`%s`** ", f->rule->id);
	md_text(b, f->subject, 0);
	buf_adds(b, ": ");
	md_text(b, f->message, 0);
	buf_adds(b, "\n  - evidence: ");
	report_add_evidence(b, f, "", ", ", "none: the input is absent",
			    md_loc);
	buf_adds(b, "\n  - fix: ");
	md_text(b, f->remediation, ESC_LINES);
	for (i = 0; i < f->rule->nreferences; i++) {
		buf_adds(b, i ? ", " : "\n  - references: ");
		md_link(b, f->rule->references[i]);
	}
	if (f->waiver) {
		buf_adds(b, "\n  - waiver: ");
		md_text(b, f->waiver->owner, 0);
		buf_adds(b, f->waiver_expired ? ", expired " : ", until ");
		report_add_date(b, f->waiver->expires);
		buf_adds(b, ": ");
		md_text(b, f->waiver->reason, 0);
	}
	buf_addc(b, '\n');
}

/* The audit trail line every report ends with. */
static void
md_trail(struct buf *b, const struct report_input *in)
{
	buf_adds(b, "\n---\n\n<sub>");
	report_add_trail(b, in, " · ");
	if (in->db->dir) {
		buf_adds(b, " · rules ");
		report_add_md_code(b, in->db->dir);
		if (in->db->origin)
			buf_addf(b, " (%s)", in->db->origin);
	}
	if (in->cluster) {
		buf_adds(b, " · snapshot ");
		report_add_md_code(b, in->cluster);
	}
	buf_adds(b, "</sub>\n");
}

static int
audit_markdown(struct buf *b, const struct report_input *in)
{
	static const struct report_groups groups = {
		"\nNo findings.\n", "\n### ", "\n\n",
		"\n<details>\n<summary>", "</summary>\n\n", "\n</details>\n",
		md_finding,
	};
	const struct cluster_state *cs = in->cs;
	struct report_counts c;

	report_count(in->findings, &c);
	buf_addf(b, "## skewplan audit: %zu error%s, %zu warning%s\n\n",
		 c.sev[SEV_ERROR], c.sev[SEV_ERROR] == 1 ? "" : "s",
		 c.sev[SEV_WARNING], c.sev[SEV_WARNING] == 1 ? "" : "s");
	buf_adds(b, "| Errors | Warnings | Info | Suppressed |\n"
		 "|---:|---:|---:|---:|\n");
	buf_addf(b, "| %zu | %zu | %zu | %zu |\n\n", c.sev[SEV_ERROR],
		 c.sev[SEV_WARNING], c.sev[SEV_INFO], c.suppressed);
	buf_adds(b, "Cluster: kube-apiserver ");
	report_add_md_code(b, report_ver_text(&cs->server, "not captured"));
	buf_adds(b, ", kubectl ");
	report_add_md_code(b, report_ver_text(&cs->client, "not captured"));
	buf_adds(b, ", ");
	report_add_inventory(b, cs);
	if (in->fail_on >= 0)
		buf_addf(b, ". Fails on: %s and above.\n",
			 rules_severity_name((enum severity)in->fail_on));
	else
		buf_adds(b, ". Fails on: never.\n");
	report_add_groups(b, in->findings, &groups);
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
