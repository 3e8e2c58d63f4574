// SPDX-License-Identifier: GPL-2.0
/* The one definition of the ghost state of model/acsl/external.h. */
#include "env.h"

/*@ ghost u64 tdxmm_sept; */
/*@ ghost int tdxmm_rm; */
/*@ ghost int tdxmm_unlinked; */
/*@ ghost u64 tdxmm_pamt; */
struct kvm_vcpu *tdxmm_running_vcpu;
int gmem_host_state;
