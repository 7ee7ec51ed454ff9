/* libFuzzer target: the version parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_VERSION
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
