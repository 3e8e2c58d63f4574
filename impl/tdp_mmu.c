// SPDX-License-Identifier: GPL-2.0
/*
 * SPTE freeze/cmpxchg and write-lock setters of the TDP MMU, in the form of
 * the "TDX: Dynamic PAMT + S-EPT Hugepage" series v5 with P02 (SPEC B2-B5).
 */
#include "env.h"
#include "external.h"
#include "kvm.h"
#include "spte.h"
#include "tdp_iter.h"
#include "tdp_mmu.h"

/*@ requires \valid(kvm);
    assigns kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter; */
static void kvm_update_page_stats(struct kvm *kvm, int level, int count)
{
	/* Only leafs are counted, and leafs exist only up to 1G. */
	if (WARN_ON_ONCE(level < PG_LEVEL_4K || level > KVM_NR_PAGE_SIZES))
		return;
	atomic64_add(count, &kvm->stat.pages[level - 1]);
}

/*
 * Bookkeeping for an SPTE change that has already been made (B5).
 *
 * Mirror leaf changes (remove, split) go to the S-EPT from here, exactly
 * once; installs were propagated under the freeze by the atomic setter, so
 * old is non-present there and nothing is forwarded twice (R6).  Page stats
 * move only after the external update succeeded (R8).
 */
/*@ requires \valid(kvm) && \valid_read(sp);
    requires \separated(kvm, sp);
    requires valid_level(level);
    requires INV_06: INV_06_no_retarget(old_spte, new_spte, level);
    assigns kvm->vm_bugged, kvm->vm_dead, tdxmm_sept,
	    kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures INV_12: !(sp->role.is_mirror && spte_leaf(old_spte, level)) ==>
		    tdxmm_sept == \old(tdxmm_sept);
    ensures INV_07: sp->role.is_mirror &&
		    !INV_07_no_promotion(old_spte, new_spte, level) ==>
		    kvm->vm_bugged;

    behavior unchanged:
      assumes old_spte == new_spte;
      assigns \nothing;
    behavior nonpresent:
      assumes old_spte != new_spte;
      assumes !spte_present(old_spte) && !spte_present(new_spte);
      assigns \nothing;
    behavior table_removed:
      assumes old_spte != new_spte && spte_nonleaf(old_spte, level);
      assumes spte_leaf(new_spte, level) || !spte_present(new_spte) ||
	      spte_pfn(old_spte) != spte_pfn(new_spte);
      assigns kvm->vm_bugged, kvm->vm_dead;
      ensures kvm->vm_bugged;
    behavior mirror_leaf:
      assumes old_spte != new_spte && spte_leaf(old_spte, level);
      assumes sp->role.is_mirror;
      ensures INV_10: tdxmm_sept == sept_apply(\old(tdxmm_sept), gfn,
					       old_spte, new_spte, level) ||
		      (kvm->vm_bugged && tdxmm_sept == \old(tdxmm_sept));
    behavior local:
      assumes old_spte != new_spte;
      assumes spte_present(old_spte) || spte_present(new_spte);
      assumes !(spte_nonleaf(old_spte, level) &&
		(spte_leaf(new_spte, level) || !spte_present(new_spte) ||
		 spte_pfn(old_spte) != spte_pfn(new_spte)));
      assumes !(spte_leaf(old_spte, level) && sp->role.is_mirror);
      assigns kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter;
    complete behaviors;
    disjoint behaviors;
*/
static void handle_changed_spte(struct kvm *kvm, struct kvm_mmu_page *sp,
				gfn_t gfn, u64 old_spte, u64 new_spte,
				int level, bool shared)
{
	bool was_present = is_shadow_present_pte(old_spte);
	bool is_present = is_shadow_present_pte(new_spte);
	bool was_leaf = was_present && is_last_spte(old_spte, level);
	bool is_leaf = is_present && is_last_spte(new_spte, level);
	bool pfn_changed = spte_to_pfn(old_spte) != spte_to_pfn(new_spte);

	WARN_ON_ONCE(gfn % KVM_PAGES_PER_HPAGE(level));

	/* INV-06: retargeting a present leaf in place would corrupt the guest. */
	if (was_leaf && is_leaf && pfn_changed)
		BUG();

	if (old_spte == new_spte)
		return;

	/* tdxmm has no MMIO SPTEs: only freezing may go nonpresent->nonpresent. */
	if (!was_present && !is_present) {
		WARN_ON_ONCE(!is_frozen_spte(new_spte));
		return;
	}

	if (was_present && !was_leaf &&
	    (is_leaf || !is_present || WARN_ON_ONCE(pfn_changed))) {
		/*
		 * INV-07 forbids promotion on mirror roots.  Freeing the
		 * unlinked table (handle_removed_pt()) belongs to the S-EPT
		 * lifecycle; until it lands, dropping a table is refused
		 * loudly rather than leaking it silently.
		 */
		KVM_BUG_ON(true, kvm);
		return;
	}

	if (was_leaf && is_mirror_sp(sp)) {
		/*
		 * Only the write-lock setter gets here: the atomic one refuses a
		 * present mirror SPTE before changing it (INV-13).
		 */
		if (KVM_BUG_ON(set_external_spte(kvm, gfn, old_spte, new_spte,
						 level), kvm))
			return;
	}

	if (is_leaf != was_leaf)
		kvm_update_page_stats(kvm, level, is_leaf ? 1 : -1);
}

/*
 * B2, V5 + P02.  Mirror: freeze, propagate, then store new (success) or
 * restore old (failure) -- the S-EPT entry cannot gain children before its
 * parent is linked, and no other thread touches a frozen SPTE (INV-02).
 * Non-mirror: one cmpxchg.  A failed cmpxchg refreshes iter->old_spte, so
 * callers that retry make progress (R1).
 */
/*@ requires \valid(kvm) && \valid(iter) && \valid(iter->sptep) &&
	     \valid_read(iter->sp);
    requires \separated(iter, iter->sptep, kvm, iter->sp);
    requires valid_level(iter->level);
    assigns *iter->sptep, iter->old_spte, kvm->vm_bugged, kvm->vm_dead,
	    tdxmm_sept;
    ensures INV_02: INV_02_not_owner_unchanged(\old(*iter->sptep),
					       *iter->sptep);
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures snapshot_kept: \result == 0 ==>
			   iter->old_spte == \old(iter->old_spte);
    ensures INV_07: iter->sp->role.is_mirror && !\old(iter->yielded) &&
		    !INV_07_no_promotion(\old(iter->old_spte), new_spte,
					 iter->level) ==>
		    \result == -EIO && *iter->sptep == \old(*iter->sptep);

    behavior refused:
      assumes iter->yielded || spte_frozen(iter->old_spte);
      assigns \nothing;
      ensures \result == -EBUSY;
    behavior mirror_bug:
      assumes !iter->yielded && !spte_frozen(iter->old_spte);
      assumes iter->sp->role.is_mirror && !spte_frozen(new_spte);
      assumes spte_present(iter->old_spte) || !spte_present(new_spte);
      assigns kvm->vm_bugged, kvm->vm_dead;
      ensures \result == -EIO && kvm->vm_bugged && kvm->vm_dead;
    behavior lost_race:
      assumes !iter->yielded && !spte_frozen(iter->old_spte);
      assumes !(iter->sp->role.is_mirror && !spte_frozen(new_spte) &&
		(spte_present(iter->old_spte) || !spte_present(new_spte)));
      assumes *iter->sptep != iter->old_spte;
      assigns *iter->sptep, iter->old_spte;
      ensures \result == -EBUSY;
      ensures unchanged: *iter->sptep == \old(*iter->sptep);
      ensures INV_05: INV_05_refreshed(iter->old_spte, \old(*iter->sptep));
    behavior mirror_install:
      assumes !iter->yielded && !spte_frozen(iter->old_spte);
      assumes iter->sp->role.is_mirror && !spte_frozen(new_spte);
      assumes !spte_present(iter->old_spte) && spte_present(new_spte);
      assumes *iter->sptep == iter->old_spte;
      assigns *iter->sptep, iter->old_spte, kvm->vm_bugged, kvm->vm_dead,
	      tdxmm_sept;
      ensures snapshot: iter->old_spte == \old(iter->old_spte);
      ensures errno: \result == 0 || \result == -EBUSY || \result == -EIO ||
		     \result == -ENOMEM || \result == -EINVAL;
      ensures INV_10: \result == 0 ==> *iter->sptep == new_spte &&
	INV_10_propagated(tdxmm_sept, \old(tdxmm_sept), iter->gfn,
			  iter->old_spte, new_spte, iter->level);
      ensures INV_12: \result != 0 ==> *iter->sptep == iter->old_spte &&
	INV_12_unchanged(tdxmm_sept, \old(tdxmm_sept));
      ensures INV_03: INV_03_unfrozen(*iter->sptep);
    behavior plain:
      assumes !iter->yielded && !spte_frozen(iter->old_spte);
      assumes !(iter->sp->role.is_mirror && !spte_frozen(new_spte));
      assumes *iter->sptep == iter->old_spte;
      assigns *iter->sptep, iter->old_spte;
      ensures \result == 0 && *iter->sptep == new_spte;
      ensures iter->old_spte == \old(iter->old_spte);
    complete behaviors;
    disjoint behaviors;
*/
int __tdp_mmu_set_spte_atomic(struct kvm *kvm, struct tdp_iter *iter,
			      u64 new_spte)
{
	u64 *sptep = rcu_dereference(iter->sptep);
	int ret;

	/*
	 * Upstream WARNs and carries on; a cmpxchg against a FROZEN snapshot
	 * could then steal another thread's freeze, so refuse instead.
	 */
	if (WARN_ON_ONCE(iter->yielded || is_frozen_spte(iter->old_spte)))
		return -EBUSY;

	if (!is_mirror_sp(iter->sp) || is_frozen_spte(new_spte)) {
		if (!try_cmpxchg64(sptep, &iter->old_spte, new_spte))
			return -EBUSY;
		return 0;
	}

	/*
	 * Under the shared lock a mirror SPTE may only go non-present ->
	 * present; anything else needs mmu_lock for write (INV-13).
	 */
	if (KVM_BUG_ON(is_shadow_present_pte(iter->old_spte), kvm) ||
	    KVM_BUG_ON(!is_shadow_present_pte(new_spte), kvm))
		return -EIO;

	if (!try_cmpxchg64(sptep, &iter->old_spte, FROZEN_SPTE))
		return -EBUSY;

	ret = set_external_spte(kvm, iter->gfn, iter->old_spte, new_spte,
				iter->level);
	if (ret)
		__kvm_tdp_mmu_write_spte(sptep, iter->old_spte);
	else
		__kvm_tdp_mmu_write_spte(sptep, new_spte);
	return ret;
}

/*
 * B3: mmu_lock held for read.  On failure the only side effect is the
 * refreshed iter->old_spte (and, for a mirror, a freeze already undone).
 */
/*@ requires \valid(kvm) && \valid(iter) && \valid(iter->sptep) &&
	     \valid_read(iter->sp);
    requires \separated(iter, iter->sptep, kvm, iter->sp);
    requires valid_level(iter->level);
    requires INV_05: kvm->mmu_lock.held == LOCK_READ;
    requires INV_06: INV_06_no_retarget(iter->old_spte, new_spte, iter->level);
    assigns *iter->sptep, iter->old_spte, kvm->vm_bugged, kvm->vm_dead,
	    tdxmm_sept, kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter;
    ensures INV_02: INV_02_not_owner_unchanged(\old(*iter->sptep),
					       *iter->sptep);
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures set: \result == 0 ==> *iter->sptep == new_spte;
    ensures INV_05: \result == -EBUSY && !\old(iter->yielded) &&
		    !spte_frozen(\old(iter->old_spte)) ==>
		    INV_05_refreshed(iter->old_spte, *iter->sptep);
*/
int tdp_mmu_set_spte_atomic(struct kvm *kvm, struct tdp_iter *iter,
			    u64 new_spte)
{
	int ret;

	lockdep_assert_held_read(&kvm->mmu_lock);

	ret = __tdp_mmu_set_spte_atomic(kvm, iter, new_spte);
	if (ret)
		return ret;

	handle_changed_spte(kvm, iter->sp, iter->gfn, iter->old_spte, new_spte,
			    iter->level, true);
	return 0;
}

/*
 * B4: mmu_lock held for write, so nobody else stores to the SPTE (only
 * hardware may set A/D bits, which kvm_tdp_mmu_write_spte() preserves by
 * exchanging).  Mirror leaf changes reach the S-EPT through
 * handle_changed_spte() (V5 P36).  Returns the value replaced.
 */
/*@ requires \valid(kvm) && \valid(sptep) && \valid_read(sp);
    requires \separated(kvm, sptep, sp);
    requires valid_level(level);
    requires INV_04: kvm->mmu_lock.held == LOCK_WRITE;
    requires INV_04: INV_04_plain_store(old_spte, new_spte);
    requires snapshot: *sptep == old_spte;
    requires INV_06: INV_06_no_retarget(old_spte, new_spte, level);
    assigns *sptep, kvm->vm_bugged, kvm->vm_dead, tdxmm_sept,
	    kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter;
    ensures set: *sptep == new_spte && \result == old_spte;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures INV_10: sp->role.is_mirror && spte_leaf(old_spte, level) &&
		    old_spte != new_spte ==>
	tdxmm_sept == sept_apply(\old(tdxmm_sept), gfn, old_spte, new_spte,
				 level) ||
	(kvm->vm_bugged && tdxmm_sept == \old(tdxmm_sept));
    ensures INV_12: !(sp->role.is_mirror && spte_leaf(old_spte, level)) ==>
		    tdxmm_sept == \old(tdxmm_sept);
    ensures INV_07: sp->role.is_mirror &&
		    !INV_07_no_promotion(old_spte, new_spte, level) ==>
		    kvm->vm_bugged;
*/
u64 tdp_mmu_set_spte(struct kvm *kvm, struct kvm_mmu_page *sp,
		     tdp_ptep_t sptep, u64 old_spte, u64 new_spte, gfn_t gfn,
		     int level)
{
	lockdep_assert_held_write(&kvm->mmu_lock);

	/* Freezing belongs to the shared-lock paths (INV-04). */
	WARN_ON_ONCE(is_frozen_spte(old_spte) || is_frozen_spte(new_spte));

	old_spte = kvm_tdp_mmu_write_spte(sptep, old_spte, new_spte, level);

	handle_changed_spte(kvm, sp, gfn, old_spte, new_spte, level, false);
	return old_spte;
}

/*@ requires \valid(kvm) && \valid(iter) && \valid(iter->sptep) &&
	     \valid_read(iter->sp);
    requires \separated(iter, iter->sptep, kvm, iter->sp);
    requires valid_level(iter->level);
    requires INV_04: kvm->mmu_lock.held == LOCK_WRITE;
    requires INV_04: INV_04_plain_store(iter->old_spte, new_spte);
    requires snapshot: *iter->sptep == iter->old_spte;
    requires INV_06: INV_06_no_retarget(iter->old_spte, new_spte, iter->level);
    assigns *iter->sptep, iter->old_spte, kvm->vm_bugged, kvm->vm_dead,
	    tdxmm_sept, kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter;
    ensures set: *iter->sptep == new_spte;
    ensures snapshot: iter->old_spte == \old(iter->old_spte);
*/
void tdp_mmu_iter_set_spte(struct kvm *kvm, struct tdp_iter *iter,
			   u64 new_spte)
{
	WARN_ON_ONCE(iter->yielded);
	iter->old_spte = tdp_mmu_set_spte(kvm, iter->sp, iter->sptep,
					  iter->old_spte, new_spte, iter->gfn,
					  iter->level);
}
