/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TDX side of private memory (upstream arch/x86/kvm/vmx/tdx.c): the
 * S-EPT hooks KVM's TDP MMU calls, and the TD life cycle around them.
 */
#ifndef TDXMM_TDX_H
#define TDXMM_TDX_H

#include "env.h"
#include "kvm.h"

int tdx_sept_set_private_spte(struct kvm *kvm, gfn_t gfn, u64 old_spte,
			      u64 new_spte, int level);
void tdx_sept_reclaim_private_sp(struct kvm *kvm, gfn_t gfn,
				 struct kvm_mmu_page *sp);

/*
 * Life cycle.  tdx_vm_init: a TD with a mirror root of @root_level (3..5),
 * HKID assigned, not finalized.  tdx_init_mem_region: initial memory,
 * PAGE.ADD of @src_pfn's contents at @gfn.  tdx_vm_destroy: remove every
 * leaf, release the HKID, prune the tables, reclaim every S-EPT and control
 * page; what the module may still own is leaked and counted (INV-18).
 * Each returns 0 or -errno (-EINVAL for a call in the wrong state).
 */
int tdx_vm_init(struct kvm *kvm, int root_level);
int tdx_td_finalize(struct kvm *kvm);
int tdx_init_mem_region(struct kvm_vcpu *vcpu, gfn_t gfn, kvm_pfn_t pfn,
			kvm_pfn_t src_pfn);
int tdx_vm_destroy(struct kvm *kvm);

/*@ requires \valid_read(kvm);
    assigns \nothing;
    ensures \result <==> kvm->tdx.hkid_assigned; */
static inline bool is_hkid_assigned(const struct kvm *kvm)
{
	return kvm->tdx.hkid_assigned;
}

#endif /* TDXMM_TDX_H */
