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

#endif
