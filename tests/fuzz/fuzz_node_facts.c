/* libFuzzer target: the node-facts parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_NODE_FACTS
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
