/* libFuzzer target: the nodes parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_NODES
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
