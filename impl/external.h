/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The external (S-EPT) hooks.  Upstream calls them through static calls
 * (kvm_x86_call(set_external_spte)); impl/ calls the two functions below,
 * which WP treats as direct calls with the contracts here (TOOLS.md s10).
 * The backend binds them to kvm_x86_ops (harness/x86_ops.c), whose
 * default is the TDX side (impl/tdx.c); a test may swap in a stub.
 */
#ifndef TDXMM_EXTERNAL_H
#define TDXMM_EXTERNAL_H

#include "env.h"
#include "kvm.h"

/*
 * Propagate a mirror SPTE change (old -> new) at (gfn, level) to the
 * S-EPT: link a table, map or remove a leaf, or split a huge leaf (B9).
 * An install is failure-atomic (the S-EPT is as before); a failed removal
 * or split leaves the VM bugged and the page to the module.  The binding to
 * tdx_sept_set_private_spte() goes through kvm_x86_ops, outside WP: its
 * refinement of this contract is checked by model/sept_check.c.
 */
/*@ requires \valid(kvm);
    requires valid_level(level);
    requires INV_20: spte_present(old_spte) || spte_present(new_spte);
    requires INV_13: spte_present(old_spte) ==>
		     kvm->mmu_lock.held == LOCK_WRITE;
    assigns SEPT_HOOK_ASSIGNS(kvm);
    ensures errno: \result == 0 || \result == -EBUSY || \result == -EIO ||
		   \result == -ENOMEM || \result == -EINVAL;
    ensures INV_10: \result == 0 ==> INV_10_propagated(tdxmm_sept,
			\old(tdxmm_sept), gfn, old_spte, new_spte, level);
    ensures INV_12: \result != 0 && !spte_present(old_spte) ==>
			INV_12_unchanged(tdxmm_sept, \old(tdxmm_sept));
    ensures INV_18: \result != 0 && spte_present(old_spte) ==> kvm->vm_bugged;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
*/
int set_external_spte(struct kvm *kvm, gfn_t gfn, u64 old_spte, u64 new_spte,
		      int level);

/*
 * B10.3: the S-EPT page of an unlinked mirror table (all its children
 * already handled, INV-14) goes back to the kernel, or, if the module may
 * still own it, is leaked: sp->external_spt = NULL, counted (INV-18).
 */
/*@ requires \valid(kvm) && \valid(sp);
    requires \separated(kvm, sp);
    assigns SEPT_HOOK_ASSIGNS(kvm), sp->external_spt;
    ensures INV_18: sp->external_spt == \old(sp->external_spt) ||
		    sp->external_spt == \null;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
*/
void reclaim_external_sp(struct kvm *kvm, gfn_t gfn, struct kvm_mmu_page *sp);

/* upstream kvm_x86_ops, the two members tdxmm propagates through */
struct kvm_x86_ops {
	int (*set_external_spte)(struct kvm *kvm, gfn_t gfn, u64 old_spte,
				 u64 new_spte, int level);
	void (*reclaim_external_sp)(struct kvm *kvm, gfn_t gfn,
				    struct kvm_mmu_page *sp);
};
extern struct kvm_x86_ops kvm_x86_ops;

#endif /* TDXMM_EXTERNAL_H */
