/*
 * fuzz_common.h - one libFuzzer entry point per ingest parser. The parsers
 * read files (they stream them), so each input is written to a private
 * temporary file first, and read in both modes (see below). FUZZ_KIND selects the forced kind (KIND_UNKNOWN:
 * the sniffer decides).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../analyzer/ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct arena a;
	struct cluster_state cs;
	struct diag d;
	FILE *fp;
	int rc, strict;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/skewplan-fuzz-%ld.in",
			 (long)getpid());
	fp = fopen(path, "wb");
	if (!fp)
		return 0;
	if (size)
		fwrite(data, 1, size, fp);
	fclose(fp);
	/*
	 * Twice: the default reads what it can through the recovery path
	 * (records skipped, messages held back), --strict fails at the first
	 * bad record. Both must end clean, with nothing left held.
	 */
	for (strict = 0; strict < 2; strict++) {
		diag_init(&d);
		d.out = fopen("/dev/null", "w");
		d.no_source = true;
		arena_init(&a);
		cluster_state_init(&cs, &a);
		cs.strict = strict;
		rc = ingest_file(&cs, &d, path, FUZZ_KIND, FUZZ_KUBEADM);
		model_sort(&cs);
		/* A failed file leaves no skipped record behind. */
		if (d.held.n || d.holding || (rc < 0 && cs.skipped.n) ||
		    (strict && cs.skipped.n))
			abort();
		cluster_state_release(&cs);
		arena_release(&a);
		if (d.out)
			fclose(d.out);
		diag_release(&d);
	}
	unlink(path);
	return 0;
}
