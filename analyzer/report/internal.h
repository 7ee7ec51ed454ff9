/*
 * internal.h - what the writers of report/ share: finding counts and the
 * findings grouped by severity, dates, locations, versions and the audit
 * trail as text (common.c), and the cJSON helpers (json.c). Only the
 * files of report/ include it; report.h is the stage's interface.
 */
#ifndef SKEWPLAN_REPORT_INTERNAL_H
#define SKEWPLAN_REPORT_INTERNAL_H

#include <cJSON.h>

#include "../planner/planner.h"
#include "report.h"

/* ------------------------------------------------------------ findings */

/* The findings of a report counted by severity; waived ones apart. */
struct report_counts {
	size_t sev[3];		/* unwaived, by enum severity */
	size_t suppressed;
};

void report_count(const struct findings *f, struct report_counts *c);

/* "new", "unchanged" or "absent": SARIF's baselineState of f. */
const char *report_baseline_name(const struct finding *f);

/*
 * How a writer lays out findings grouped by severity: each group a heading
 * "Errors (N)" between head and head_end, then its findings; the waived
 * findings last under "Suppressed by waivers (N)" between waived and
 * waived_end, closed by waived_close. All strings are literal markup.
 */
struct report_groups {
	const char *none;	/* instead, when there is no finding */
	const char *head, *head_end;
	const char *waived, *waived_end, *waived_close;
	void (*finding)(struct buf *b, const struct finding *f);
};

/* Appends the findings f (sorted) grouped as g says. */
void report_add_groups(struct buf *b, const struct findings *f,
		       const struct report_groups *g);

/*
 * Appends the evidence of f, each location written by loc: first before
 * the first, sep between two; none instead when f has no evidence (an
 * input-missing finding).
 */
void report_add_evidence(struct buf *b, const struct finding *f,
			 const char *first, const char *sep, const char *none,
			 void (*loc)(struct buf *b, struct src_loc loc));

/* ------------------------------------------------------------ text */

/*
 * Appends a Markdown code span holding raw as esc_display() shows it,
 * fenced with more backticks than it holds, so nothing closes it early.
 */
void report_add_md_code(struct buf *b, const char *raw);

/* Appends days as YYYY-MM-DD, or "unknown" for RULES_NO_DATE. */
void report_add_date(struct buf *b, long days);

/*
 * Appends loc as "path:line:col" (column 1 when unknown), "path" for a
 * whole file, or "-" without a file. The path is as read: for JSON.
 */
void report_add_loc(struct buf *b, struct src_loc loc);
/* The same with unsafe characters escaped (esc_display), for text. */
void report_add_loc_text(struct buf *b, struct src_loc loc);
/* The same, escaped for XML and HTML. */
void report_add_loc_xml(struct buf *b, struct src_loc loc);

/* The text of a captured version, else absent. */
const char *report_ver_text(const struct version_info *vi,
			    const char *absent);

/* Appends "N nodes, N images, N package rows" of cs. */
void report_add_inventory(struct buf *b, const struct cluster_state *cs);

/*
 * Appends "skewplan VERSION, rules data compiled DATE, as of DATE" with
 * sep in place of each ", ": the audit trail every print report ends with.
 */
/*
 * Appends "DIR (ORIGIN)", where the rules data was read and why, DIR made
 * control-byte safe (esc_display); nothing when dir is NULL.
 */
void report_add_rules_dir(struct buf *b, const char *dir, const char *origin);
void report_add_trail(struct buf *b, const struct report_input *in,
		      const char *sep);

/* Appends v as "vM.N.P", or "unknown" when not set. */
void report_add_plan_ver(struct buf *b, const struct plan_ver *v);
/* The words that introduce a check's expected output, by its match kind. */
const char *report_match_intro(enum plan_match m);
/* Appends from, sep and to: "v1.26.3 -> v1.27.16". */
void report_add_plan_span(struct buf *b, const struct plan_ver *from,
			  const char *sep, const struct plan_ver *to);
/*
 * Appends where hop h of p gets its packages: "pkgs.k8s.io v1.N" or
 * "legacy repository", then " (apt)" or " (yum)".
 */
void report_add_repo(struct buf *b, const struct plan *p,
		     const struct plan_hop *h);

/* ------------------------------------------------------------ JSON */

/*
 * Adds item to obj under key, or appends it to arr. Return false, with
 * item freed, when item, obj or arr is NULL or cJSON runs out of memory,
 * so that calls chain with &&.
 */
bool report_jadd(cJSON *obj, const char *key, cJSON *item);
bool report_jpush(cJSON *arr, cJSON *item);
/* Returns o when ok; otherwise deletes o and returns NULL. */
cJSON *report_jdone(cJSON *o, bool ok);

/* A JSON string of s (invalid UTF-8 repaired), or null for NULL. */
cJSON *report_jstr(const char *s);
/* A JSON string "YYYY-MM-DD", or null for RULES_NO_DATE. */
cJSON *report_jdate(long days);
/*
 * A JSON string of the text in b (invalid UTF-8 repaired); releases b.
 * NULL when b or cJSON ran out of memory.
 */
cJSON *report_jtake(struct buf *b);

/*
 * Appends root, printed and followed by a newline, to out when ok, and
 * deletes root. Returns 0, or -1 when not ok or out of memory.
 */
int report_jprint(struct buf *out, cJSON *root, bool ok);

/*
 * Streaming: a writer prints the frame of a document by hand and each
 * element with these, flushing out (buf_flush) between elements, so that
 * 100,000 findings are never one tree in memory. The bytes are those
 * cJSON_Print would give for the whole tree: depth is the nesting depth of
 * the object the member belongs to (1 for the root's members), and an
 * element of an array that is a member at depth d is put at depth d + 1.
 */
/* Appends depth tabs and "key":<tab> (key is a literal: not escaped). */
void report_jkey(struct buf *out, int depth, const char *key);
/* Appends item as printed at depth and deletes it; -1 when NULL or OOM. */
int report_jput(struct buf *out, cJSON *item, int depth);
/* report_jkey, report_jput, then ",\n" (or "\n" when last). */
int report_jmember(struct buf *out, int depth, const char *key, cJSON *item,
		   bool last);

#endif
