// SPDX-License-Identifier: GPL-2.0
/*
 * The kvm_x86_ops binding of the external hooks (upstream: static calls
 * set up by vt_hardware_setup()).  Every backend links this file; tests
 * that exercise the TDP MMU alone swap in a stub (tests/stub_external.c).
 */
#include "external.h"
#include "tdx.h"

struct kvm_x86_ops kvm_x86_ops = {
	.set_external_spte = tdx_sept_set_private_spte,
	.reclaim_external_sp = tdx_sept_reclaim_private_sp,
};

int set_external_spte(struct kvm *kvm, gfn_t gfn, u64 old_spte, u64 new_spte,
		      int level)
{
	return kvm_x86_ops.set_external_spte(kvm, gfn, old_spte, new_spte,
					     level);
}

void reclaim_external_sp(struct kvm *kvm, gfn_t gfn, struct kvm_mmu_page *sp)
{
	kvm_x86_ops.reclaim_external_sp(kvm, gfn, sp);
}
