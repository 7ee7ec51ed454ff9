/* libFuzzer target: the manifests parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_MANIFESTS
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
