/* libFuzzer target: the kubelet configz parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_CONFIGZ
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
