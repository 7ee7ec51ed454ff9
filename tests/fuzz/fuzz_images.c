/* libFuzzer target: the images parser (see fuzz_common.h). */
#define FUZZ_KIND KIND_IMAGES
#define FUZZ_KUBEADM false
#include "fuzz_common.h"
