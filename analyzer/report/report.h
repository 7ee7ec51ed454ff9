/*
 * report.h - every writer of the program's output. Writers append to a
 * struct buf; cli/ decides where the bytes go (stdout or an atomic file).
 */
#ifndef SKEWPLAN_REPORT_H
#define SKEWPLAN_REPORT_H

#include "../model/model.h"

/* `skewplan inspect`: what was understood, with provenance. */
int report_inspect_text(struct buf *out, const struct cluster_state *cs);
int report_inspect_json(struct buf *out, const struct cluster_state *cs);

#endif
