/* libFuzzer target: the metrics parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_METRICS
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
