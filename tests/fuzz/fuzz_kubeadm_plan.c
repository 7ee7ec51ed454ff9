/* libFuzzer target: the kubeadm upgrade plan parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_KUBEADM_PLAN
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
