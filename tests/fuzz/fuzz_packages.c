/* libFuzzer target: the packages parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_PACKAGES
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
