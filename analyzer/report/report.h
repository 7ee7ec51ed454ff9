/*
 * report.h - every writer of the program's output. Writers append to a
 * struct buf; cli/ decides where the bytes go (stdout or an atomic file).
 */
#ifndef SKEWPLAN_REPORT_H
#define SKEWPLAN_REPORT_H

#include "../model/model.h"

/* `skewplan inspect`: what was understood, with provenance. */
/*
 * These stream to fp item by item (an inventory can hold hundreds of
 * thousands of images); they return -1 if a write fails.
 */
int report_inspect_text(FILE *fp, const struct cluster_state *cs);
int report_inspect_json(FILE *fp, const struct cluster_state *cs);

/*
 * `skewplan audit` (rules/rules.h): the findings f of cs checked against db
 * at the as-of date (days since the epoch), as a text report grouped by
 * severity or as the JSON contract of the README. f must be sorted.
 * Return 0, or -1 when out of memory.
 */
#include "../rules/rules.h"

int report_audit_text(struct buf *out, const struct rules_db *db,
		      const struct cluster_state *cs,
		      const struct findings *f, long as_of);
int report_audit_json(struct buf *out, const struct rules_db *db,
		      const struct cluster_state *cs,
		      const struct findings *f, long as_of);
/* `skewplan rules`: the catalogue, one rule a line (id, severity, title). */
int report_rules_text(struct buf *out, const struct rules_db *db);

/*
 * `skewplan plan` (planner/planner.h): the runbook of p as text or Markdown
 * (numbered steps, commands, expected results, the findings that shaped
 * the plan) or as the JSON contract of the README. A refused plan prints
 * its findings only, never steps. Return 0, or -1 when out of memory.
 */
struct plan;
int report_plan_text(struct buf *out, const struct plan *p);
int report_plan_markdown(struct buf *out, const struct plan *p);
int report_plan_json(struct buf *out, const struct plan *p);

/* ------------------------------------------------ CI and print reports */

/*
 * A file a report cites: every snapshot input and every other file named
 * as evidence (waivers, rules). cli/ fills these in: uri is the path
 * relative to --source-root (percent-encoded), or a file:// URI when the
 * file lies outside it; sha256 is set for snapshot inputs only.
 */
struct report_artifact {
	const char *path;	/* borrowed: as in src_loc.path */
	const char *uri;	/* borrowed: arena */
	char sha256[65];	/* lowercase hex; "" when not computed */
	bool snapshot;		/* one of cs->inputs */
};

/*
 * Everything one report is made of. For `audit`, findings are the sorted
 * audit findings and plan is NULL; for `plan`, plan is set and findings
 * is &plan->findings. All members are borrowed for the call.
 */
struct report_input {
	const char *command;	/* "audit" or "plan" */
	const char *cluster;	/* display name: the snapshot directory */
	const struct rules_db *db;
	const struct cluster_state *cs;
	const struct findings *findings;
	const struct plan *plan;	/* NULL for audit */
	long as_of;		/* days since the epoch */
	int fail_on;		/* lowest failing enum severity; -1: never */
	const struct report_artifact *artifacts;
	size_t nartifacts;
	/*
	 * audit --baseline FILE: baseline is FILE, absent the findings of
	 * FILE this run does not have (state BASELINE_ABSENT, as FILE had
	 * them) and absent_fingerprints theirs; NULL without --baseline.
	 */
	const char *baseline;
	const struct findings *absent;
	const char (*absent_fingerprints)[65];
};

/*
 * The audit text and JSON reports of in, with the baseline states of its
 * findings and the absent ones when in->baseline is set.
 */
int report_audit_text_input(struct buf *out, const struct report_input *in);
int report_audit_json_input(struct buf *out, const struct report_input *in);

/*
 * The writers. Each appends one whole document to out and returns 0, or
 * -1 when out of memory. Every string from the snapshot is escaped for the
 * format; output depends on in alone (no clock, no environment), so the
 * same inputs give byte-identical reports. Each names the skewplan
 * version, the date the rules data was compiled and the as-of date.
 *
 * report_sarif: SARIF 2.1.0, rules from the catalogue, one result per
 * finding, waived findings with an external suppression.
 * report_junit: JUnit XML, a testsuite per rule family, a testcase per rule
 * and subject; failure at or above fail_on, skipped when waived.
 * report_html: one self-contained printable page (inline CSS, no script).
 * report_markdown: a pull-request comment for audit; for plan the runbook
 * of report_plan_markdown() with the audit trail appended.
 */
int report_sarif(struct buf *out, const struct report_input *in);
int report_junit(struct buf *out, const struct report_input *in);
int report_html(struct buf *out, const struct report_input *in);
int report_markdown(struct buf *out, const struct report_input *in);
/*
 * report_codeclimate: the GitLab Code Quality report (a Code Climate
 * subset): one issue per unwaived finding with its fingerprint, severity
 * info, major or critical, and the file and line of its first evidence.
 */
int report_codeclimate(struct buf *out, const struct report_input *in);

/*
 * The fingerprint of a finding, stable across runs, machines and snapshot
 * directories: the SHA-256 of the rule id, the subject and nth, the
 * finding's rank among those with the same rule and subject (0 for the
 * first in report order), as 64 lowercase hex digits. Neither the file nor
 * the line is part of it, so a capture saved elsewhere or edited keeps it.
 */
void report_fingerprint(const char *rule, const char *subject, size_t nth,
			char hex[static 65]);
/*
 * The fingerprints of the sorted findings f into hex[0..f->n). Returns 0,
 * or -1 when out of memory.
 */
int report_fingerprints(const struct findings *f, char (*hex)[65]);

/* The artifact of path in in, or NULL. */
const struct report_artifact *report_artifact_of(const struct report_input *in,
						 const char *path);

/*
 * Appends s[0..len) with every invalid UTF-8 sequence replaced by U+FFFD,
 * so that JSON consumers accept it.
 */
void report_add_utf8(struct buf *b, const char *s, size_t len);
/*
 * Appends s escaped for XML and HTML text and attributes by esc_html():
 * unsafe characters and bytes that are not UTF-8 in their visible form,
 * newlines too unless flags has ESC_LINES.
 */
void report_add_xml(struct buf *b, const char *s, size_t len,
		    unsigned flags);

/*
 * Copies the text report text[0..len) to out with ANSI colour on the
 * severity words, the section headings and the summary line. Only for a
 * terminal; the words themselves are unchanged.
 */
void report_colorize(struct buf *out, const char *text, size_t len);

/* SHA-256 (FIPS 180-4), streaming. */
struct sha256 {
	uint32_t h[8];
	uint64_t total;		/* bytes so far */
	unsigned char buf[64];
	size_t used;
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* Writes the digest as 64 lowercase hex digits and a NUL. */
void sha256_final(struct sha256 *h, char hex[static 65]);

#endif
