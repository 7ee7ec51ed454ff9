/* libFuzzer target: the audit parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_AUDIT_LOG
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
