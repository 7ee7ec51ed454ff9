/* libFuzzer target: the kubectl describe parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_UNKNOWN
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
