/*
 * ingest.h - reads captured files into the cluster inventory.
 *
 * Each file's kind and format are found from its content, never its name.
 * Only cli/ includes this header.
 */
#ifndef SKEWPLAN_INGEST_H
#define SKEWPLAN_INGEST_H

#include "../model/model.h"

/*
 * Ingests one command-line argument: a file, a directory (every regular
 * file in it, in name order) or KIND=PATH with KIND one of version, nodes,
 * images, packages (or kubeadm, a version capture of the kubeadm binary),
 * which forces the kind. Facts are added to cs; problems are reported to
 * d. Returns 0, or -1 if any file had an error.
 */
int ingest_arg(struct cluster_state *cs, struct diag *d, const char *arg);

/* Ingests one file whose kind may be forced (KIND_UNKNOWN: detect). */
int ingest_file(struct cluster_state *cs, struct diag *d, const char *path,
		enum input_kind forced, bool forced_kubeadm);

/*
 * Called once every argument is read: checks what one capture says of
 * another's facts (the kubelet versions of a kubeadm upgrade plan against
 * the node list). Returns 0, or -1 after an error (under --strict).
 */
int ingest_finish(struct cluster_state *cs, struct diag *d);

/* Frees the compiled patterns of every parser. */
void ingest_release(void);

#endif
