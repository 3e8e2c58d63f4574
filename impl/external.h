/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The external (S-EPT) hook.  Upstream calls it through a static call
 * (kvm_x86_set_external_spte); here it is a direct call, which WP can
 * verify (TOOLS.md s10).  The TDX side defines it; test binaries may link
 * a recording stub instead.
 */
#ifndef TDXMM_EXTERNAL_H
#define TDXMM_EXTERNAL_H

#include "env.h"
#include "kvm.h"

/*
 * Propagate a mirror SPTE change (old -> new) at (gfn, level) to the
 * S-EPT: link a table, map or remove a leaf, or split a huge leaf (B9).
 * Failure-atomic: on error the S-EPT is as before.
 */
/*@ requires \valid(kvm);
    requires valid_level(level);
    requires INV_20: spte_present(old_spte) || spte_present(new_spte);
    assigns kvm->vm_bugged, kvm->vm_dead, tdxmm_sept;
    ensures errno: \result == 0 || \result == -EBUSY || \result == -EIO ||
		   \result == -ENOMEM || \result == -EINVAL;
    ensures INV_10: \result == 0 ==> INV_10_propagated(tdxmm_sept,
			\old(tdxmm_sept), gfn, old_spte, new_spte, level);
    ensures INV_12: \result != 0 ==>
			INV_12_unchanged(tdxmm_sept, \old(tdxmm_sept));
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
*/
int set_external_spte(struct kvm *kvm, gfn_t gfn, u64 old_spte, u64 new_spte,
		      int level);

#endif /* TDXMM_EXTERNAL_H */
