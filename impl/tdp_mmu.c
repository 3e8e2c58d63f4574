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
#include "pamt.h"

/*
 * The contracts of this file's static functions (ACSL), on their
 * prototypes, so that the bodies below read like upstream's.
 */
/*@ requires \valid(kvm);
    assigns kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter; */
static void kvm_update_page_stats(struct kvm *kvm, int level, int count);

/*@ requires \valid(kvm) && \valid_read(sp);
    requires \separated(kvm, sp);
    requires valid_level(level);
    requires INV_06: INV_06_no_retarget(old_spte, new_spte, level);
    requires INV_13: sp->role.is_mirror && spte_present(old_spte) ==>
		     kvm->mmu_lock.held == LOCK_WRITE;
    assigns SEPT_HOOK_ASSIGNS(kvm), tdxmm_unlinked,
	    kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures INV_12: !spte_present(old_spte) ==>
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
    behavior mirror_leaf:
      assumes old_spte != new_spte && spte_leaf(old_spte, level);
      assumes sp->role.is_mirror;
      ensures INV_10: tdxmm_sept == sept_apply(\old(tdxmm_sept), gfn,
					       old_spte, new_spte, level) ||
		      kvm->vm_bugged;
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
				int level);

static void kvm_update_page_stats(struct kvm *kvm, int level, int count)
{
	/* Only leafs are counted, and leafs exist only up to 1G. */
	if (WARN_ON_ONCE(level < PG_LEVEL_4K || level > KVM_NR_PAGE_SIZES))
		return;
	atomic64_add(count, &kvm->stat.pages[level - 1]);
}

/*
 * B6, below.  Its effect on the unlinked subtree (child SPTEs frozen,
 * deeper tables, the deferred-free list) is abstracted as the ghost
 * tdxmm_unlinked: that memory is unreachable once the parent SPTE changed
 * (INV-03).  Out of WP scope (proofs/wp-scope.txt): this contract is
 * assumed, and checked by the tests and the bounded checker.
 */
/*@ requires \valid(kvm);
    assigns SEPT_HOOK_ASSIGNS(kvm), tdxmm_unlinked,
	    kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
*/
static void handle_removed_pt(struct kvm *kvm, tdp_ptep_t pt);

/*
 * Bookkeeping for an SPTE change that has already been made (B5).
 *
 * Mirror leaf changes (remove, split) go to the S-EPT from here, exactly
 * once; installs were propagated under the freeze by the atomic setter, so
 * old is non-present there and nothing is forwarded twice (R6).  Page stats
 * move only after the external update succeeded (R8).
 */
static void handle_changed_spte(struct kvm *kvm, struct kvm_mmu_page *sp,
				gfn_t gfn, u64 old_spte, u64 new_spte,
				int level)
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

	/* One address space (tdp_iter.h): as_id 0. */
	trace_kvm_tdp_mmu_spte_changed(0, gfn, level, old_spte, new_spte);

	/* tdxmm has no MMIO SPTEs: only freezing may go nonpresent->nonpresent. */
	if (!was_present && !is_present) {
		WARN_ON_ONCE(!is_frozen_spte(new_spte));
		return;
	}

	if (was_present && !was_leaf &&
	    (is_leaf || !is_present || WARN_ON_ONCE(pfn_changed))) {
		/*
		 * INV-07: a huge leaf over a mirror table would skip the S-EPT.
		 * The table is unlinked all the same: take it apart (SPEC 0.4.10).
		 */
		KVM_BUG_ON(is_mirror_sp(sp) && is_leaf, kvm);
		handle_removed_pt(kvm, spte_to_child_pt(old_spte));
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
int tdp_mmu_set_spte_atomic(struct kvm *kvm, struct tdp_iter *iter,
			    u64 new_spte)
{
	int ret;

	lockdep_assert_held_read(&kvm->mmu_lock);

	ret = __tdp_mmu_set_spte_atomic(kvm, iter, new_spte);
	if (ret)
		return ret;

	handle_changed_spte(kvm, iter->sp, iter->gfn, iter->old_spte, new_spte,
			    iter->level);
	return 0;
}

/*
 * B4: mmu_lock held for write, so nobody else stores to the SPTE (only
 * hardware may set A/D bits, which kvm_tdp_mmu_write_spte() preserves by
 * exchanging).  Mirror leaf changes reach the S-EPT through
 * handle_changed_spte() (V5 P36).  Returns the value replaced.
 */
u64 tdp_mmu_set_spte(struct kvm *kvm, struct kvm_mmu_page *sp,
		     tdp_ptep_t sptep, u64 old_spte, u64 new_spte, gfn_t gfn,
		     int level)
{
	lockdep_assert_held_write(&kvm->mmu_lock);

	/* Freezing belongs to the shared-lock paths (INV-04). */
	WARN_ON_ONCE(is_frozen_spte(old_spte) || is_frozen_spte(new_spte));

	old_spte = kvm_tdp_mmu_write_spte(sptep, old_spte, new_spte, level);

	handle_changed_spte(kvm, sp, gfn, old_spte, new_spte, level);
	return old_spte;
}

void tdp_mmu_iter_set_spte(struct kvm *kvm, struct tdp_iter *iter,
			   u64 new_spte)
{
	WARN_ON_ONCE(iter->yielded);
	iter->old_spte = tdp_mmu_set_spte(kvm, iter->sp, iter->sptep,
					  iter->old_spte, new_spte, iter->gfn,
					  iter->level);
}

/* ---------------- tables ---------------- */

/* The three objects of a table, all from caches filled before the lock. */
static struct kvm_mmu_page *
tdp_mmu_alloc_sp(struct kvm_mmu_memory_cache *header_cache,
		 struct kvm_mmu_memory_cache *shadow_page_cache,
		 struct kvm_mmu_memory_cache *external_spt_cache)
{
	struct kvm_mmu_page *sp;

	if (!header_cache->nobjs || !shadow_page_cache->nobjs ||
	    (external_spt_cache && !external_spt_cache->nobjs))
		return NULL;
	sp = kvm_mmu_memory_cache_alloc(header_cache);
	sp->spt = kvm_mmu_memory_cache_alloc(shadow_page_cache);
	if (external_spt_cache)
		sp->external_spt = kvm_mmu_memory_cache_alloc(external_spt_cache);
	tdxmm_set_page_private(sp->spt, sp);
	return sp;
}

static void tdp_mmu_init_sp(struct kvm_mmu_page *sp, gfn_t gfn, int level,
			    bool is_mirror)
{
	sp->gfn = gfn;
	sp->role.level = level;
	sp->role.is_mirror = is_mirror;
	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++)
		sp->spt[i] = SHADOW_NONPRESENT_VALUE;
}

/*
 * A table whose S-EPT page the module never saw (lost race, failed link:
 * no PAMT reference, v6) or already gave back: reclaim_external_sp()
 * freed or leaked that page and cleared external_spt (INV-18, INV-34).
 */
static void tdp_mmu_free_sp(struct kvm_mmu_page *sp)
{
	if (sp->external_spt)
		tdxmm_free_page(sp->external_spt);
	tdxmm_set_page_private(sp->spt, NULL);
	tdxmm_free_page(sp->spt);
	kfree(sp);
}

/*
 * Upstream frees unlinked tables from an RCU callback.  tdxmm queues them
 * and frees them from task context after a grace period, so no PAMT put
 * ever runs in softirq (R3).
 */
static void tdp_mmu_free_sp_deferred(struct kvm *kvm, struct kvm_mmu_page *sp)
{
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);
	sp->next_free = kvm->arch.free_list;
	kvm->arch.free_list = sp;
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

void tdp_mmu_free_deferred(struct kvm *kvm)
{
	struct kvm_mmu_page *sp;

	might_sleep();
	synchronize_rcu();
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);
	sp = kvm->arch.free_list;
	kvm->arch.free_list = NULL;
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);

	while (sp) {
		struct kvm_mmu_page *next = sp->next_free;

		tdp_mmu_free_sp(sp);
		sp = next;
	}
}

/*
 * B6: @pt was unlinked by the caller.  Freeze every child, let
 * handle_changed_spte() propagate its removal (recursing into tables),
 * and only then release the table's own S-EPT page: children before parent
 * (INV-14).  The children stay FROZEN: the table is garbage.
 *
 * tdxmm has only the mirror root, and a mirror table goes only with
 * mmu_lock held for write (INV-13): upstream's shared-lock branch, which
 * waits out other threads' freezes in a direct root's table, cannot run
 * here and is not carried (docs/DEVIATIONS.md); the lock is asserted.
 */
static void handle_removed_pt(struct kvm *kvm, tdp_ptep_t pt)
{
	struct kvm_mmu_page *sp = tdxmm_page_private(pt);
	int level = sp->role.level;
	gfn_t base_gfn = sp->gfn;

	lockdep_assert_held_write(&kvm->mmu_lock);

	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {
		tdp_ptep_t sptep = pt + i;
		gfn_t gfn = base_gfn + (gfn_t)i * KVM_PAGES_PER_HPAGE(level);
		u64 old_spte;

		old_spte = kvm_tdp_mmu_read_spte(sptep);
		if (!is_shadow_present_pte(old_spte))
			continue;
		old_spte = kvm_tdp_mmu_write_spte(sptep, old_spte, FROZEN_SPTE,
						  level);
		handle_changed_spte(kvm, sp, gfn, old_spte, FROZEN_SPTE, level);
	}

	if (is_mirror_sp(sp))
		reclaim_external_sp(kvm, base_gfn, sp);

	tdp_mmu_free_sp_deferred(kvm, sp);
}

int kvm_tdp_mmu_alloc_mirror_root(struct kvm *kvm, int root_level)
{
	struct kvm_mmu_page *sp = kzalloc(sizeof(*sp), GFP_KERNEL_ACCOUNT);

	if (!sp)
		return -ENOMEM;
	sp->spt = tdxmm_alloc_page();
	if (!sp->spt) {
		kfree(sp);
		return -ENOMEM;
	}
	/* The S-EPT root is a TDCS page of the TD, not an external_spt. */
	tdxmm_set_page_private(sp->spt, sp);
	tdp_mmu_init_sp(sp, 0, root_level, true);
	spin_lock_init(&kvm->arch.tdp_mmu_pages_lock);
	kvm->arch.root_level = root_level;
	kvm->arch.mirror_root = sp;
	return 0;
}

/*
 * Teardown: unlink every table below the root, children first (B6), then
 * the root itself.  Leaves are gone already (INV-15).
 */
void kvm_tdp_mmu_free_mirror_root(struct kvm *kvm)
{
	struct kvm_mmu_page *root = kvm->arch.mirror_root;
	int level = kvm->arch.root_level;

	if (!root)
		return;
	lockdep_assert_held_write(&kvm->mmu_lock);

	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {
		u64 old_spte = kvm_tdp_mmu_read_spte(root->spt + i);

		if (!is_shadow_present_pte(old_spte))
			continue;
		tdp_mmu_set_spte(kvm, root, root->spt + i, old_spte,
				 SHADOW_NONPRESENT_VALUE,
				 (gfn_t)i * KVM_PAGES_PER_HPAGE(level), level);
	}
	kvm->arch.mirror_root = NULL;
	tdp_mmu_free_sp_deferred(kvm, root);
}

/* ---------------- walkers ---------------- */

gfn_t kvm_tdp_mmu_max_gfn(const struct kvm *kvm)
{
	return 1ULL << (9 * kvm->arch.root_level);
}

/*
 * Walk @gfn from the mirror root, stopping at @min_level or at the first
 * SPTE that is not a present table (non-present, frozen, or a leaf).
 */
static void tdp_mmu_walk(struct kvm *kvm, gfn_t gfn, int min_level,
			 struct tdp_iter *iter)
{
	struct kvm_mmu_page *sp = kvm->arch.mirror_root;

	for (int level = sp->role.level;; level--) {
		int idx = (gfn >> KVM_HPAGE_GFN_SHIFT(level)) &
			  (SPTE_ENT_PER_PAGE - 1);

		iter->sptep = sp->spt + idx;
		iter->old_spte = kvm_tdp_mmu_read_spte(iter->sptep);
		iter->gfn = gfn & ~(KVM_PAGES_PER_HPAGE(level) - 1);
		iter->level = level;
		iter->sp = sp;
		iter->yielded = false;
		if (level == min_level ||
		    !is_shadow_present_pte(iter->old_spte) ||
		    is_last_spte(iter->old_spte, level))
			return;
		sp = spte_to_child_sp(iter->old_spte);
	}
}

/* Link @sp below the non-present SPTE at @iter (B7): through the freeze. */
static int tdp_mmu_link_sp(struct kvm *kvm, struct tdp_iter *iter,
			   struct kvm_mmu_page *sp)
{
	u64 spte = make_nonleaf_spte(tdxmm_virt_to_pfn(sp->spt));

	return tdp_mmu_set_spte_atomic(kvm, iter, spte);
}

static int tdp_mmu_map_handle_target_level(struct kvm *kvm,
					   struct kvm_page_fault *fault,
					   struct tdp_iter *iter)
{
	u64 new_spte = make_leaf_spte(fault->pfn, iter->level);

	/* Another vCPU mapped it first, or the gfn maps another page. */
	if (is_shadow_present_pte(iter->old_spte))
		return spte_to_pfn(iter->old_spte) == fault->pfn ?
		       RET_PF_SPURIOUS : -EEXIST;

	if (tdp_mmu_set_spte_atomic(kvm, iter, new_spte))
		return RET_PF_RETRY;
	return RET_PF_FIXED;
}

/*
 * B7, mmu_lock held for read.  A frozen SPTE or a lost race means another
 * vCPU is installing here: RET_PF_RETRY, and the vCPU faults again (R2).
 */
int kvm_tdp_mmu_map(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_mmu_page *sp;
	struct tdp_iter iter;

	lockdep_assert_held_read(&kvm->mmu_lock);

	for (;;) {
		tdp_mmu_walk(kvm, fault->gfn, fault->goal_level, &iter);

		if (is_frozen_spte(iter.old_spte))
			return RET_PF_RETRY;

		if (iter.level == fault->goal_level) {
			/* No promotion of a table on a mirror root (P31). */
			if (is_shadow_present_pte(iter.old_spte) &&
			    !is_last_spte(iter.old_spte, iter.level)) {
				fault->goal_level = PG_LEVEL_4K;
				continue;
			}
			return tdp_mmu_map_handle_target_level(kvm, fault, &iter);
		}

		/* A huge leaf above the goal already maps the gfn. */
		if (is_shadow_present_pte(iter.old_spte))
			return spte_to_pfn(iter.old_spte) +
			       (fault->gfn - iter.gfn) == fault->pfn ?
			       RET_PF_SPURIOUS : -EEXIST;

		sp = tdp_mmu_alloc_sp(&vcpu->mmu_page_header_cache,
				      &vcpu->mmu_shadow_page_cache,
				      &vcpu->mmu_external_spt_cache);
		if (!sp)
			return -ENOMEM;
		tdp_mmu_init_sp(sp, iter.gfn, iter.level - 1, true);
		if (tdp_mmu_link_sp(kvm, &iter, sp)) {
			/* The module never saw it: free it directly. */
			tdp_mmu_free_sp(sp);
			return RET_PF_RETRY;
		}
	}
}

/* The 2M leaf mapping @gfn, if the mirror has one there. */
static bool tdp_mmu_huge_leaf_at(struct kvm *kvm, gfn_t gfn)
{
	struct tdp_iter iter;

	tdp_mmu_walk(kvm, gfn, PG_LEVEL_2M, &iter);
	return iter.level == PG_LEVEL_2M &&
	       is_shadow_present_pte(iter.old_spte) &&
	       is_last_spte(iter.old_spte, iter.level);
}

/*
 * SPEC 0.4.5 (V5 P44): a private 2M leaf that [start, end) covers in part
 * is split first, at the head and at the tail, so that only the range's
 * 4K leaves go.  The caller holds pamt_cache_lock with the split caches
 * filled.  A failed split fails the zap before anything is removed.
 */
static int tdp_mmu_split_cross_boundary_leafs(struct kvm *kvm, gfn_t start,
					      gfn_t end)
{
	gfn_t head = start & ~(KVM_PAGES_PER_HPAGE(PG_LEVEL_2M) - 1);
	gfn_t tail = (end - 1) & ~(KVM_PAGES_PER_HPAGE(PG_LEVEL_2M) - 1);
	int r;

	if ((head != start || (head == tail &&
			       end - head < KVM_PAGES_PER_HPAGE(PG_LEVEL_2M))) &&
	    tdp_mmu_huge_leaf_at(kvm, head)) {
		r = kvm_tdp_mmu_split_huge_page(kvm, head);
		if (r)
			return r;
	}
	if (tail != head &&
	    end - tail < KVM_PAGES_PER_HPAGE(PG_LEVEL_2M) &&
	    tdp_mmu_huge_leaf_at(kvm, tail))
		return kvm_tdp_mmu_split_huge_page(kvm, tail);
	return 0;
}

/*
 * mmu_lock held for write: remove every leaf in [start, end), splitting a
 * 2M leaf the range covers in part first.  Returns how many were removed,
 * or the split's error.
 */
int kvm_tdp_mmu_zap_leafs(struct kvm *kvm, gfn_t start, gfn_t end)
{
	struct tdp_iter iter;
	gfn_t gfn = start;
	int nr = 0, r;

	lockdep_assert_held_write(&kvm->mmu_lock);

	r = tdp_mmu_split_cross_boundary_leafs(kvm, start, end);
	if (r)
		return r;

	while (gfn < end) {
		tdp_mmu_walk(kvm, gfn, PG_LEVEL_4K, &iter);
		gfn = iter.gfn + KVM_PAGES_PER_HPAGE(iter.level);
		if (!is_shadow_present_pte(iter.old_spte) ||
		    !is_last_spte(iter.old_spte, iter.level))
			continue;
		/* SPEC 0.4.5: never past the range (the splits saw to that) */
		if (WARN_ON_ONCE(iter.gfn < start || gfn > end))
			return -EIO;
		tdp_mmu_iter_set_spte(kvm, &iter, SHADOW_NONPRESENT_VALUE);
		nr++;
	}
	return nr;
}

/*
 * mmu_lock held for write: replace the 2M leaf at @gfn by a table of 512
 * 4K leaves of the same pages; the S-EPT follows through one hook call
 * (BLOCK, TRACK, DEMOTE; R6).
 */
int kvm_tdp_mmu_split_huge_page(struct kvm *kvm, gfn_t gfn)
{
	struct kvm_mmu_page *sp;
	struct tdp_iter iter;
	kvm_pfn_t pfn;

	lockdep_assert_held_write(&kvm->mmu_lock);
	lockdep_assert_held(&kvm->tdx.pamt_cache_lock);

	tdp_mmu_walk(kvm, gfn, PG_LEVEL_2M, &iter);
	if (iter.level != PG_LEVEL_2M ||
	    !is_shadow_present_pte(iter.old_spte) ||
	    !is_last_spte(iter.old_spte, iter.level))
		return -EINVAL;

	sp = tdp_mmu_alloc_sp(&kvm->arch.split_page_header_cache,
			      &kvm->arch.split_shadow_page_cache,
			      &kvm->arch.split_external_spt_cache);
	if (!sp)
		return -ENOMEM;
	tdp_mmu_init_sp(sp, iter.gfn, PG_LEVEL_4K, true);
	pfn = spte_to_pfn(iter.old_spte);
	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++)
		sp->spt[i] = make_leaf_spte(pfn + i, PG_LEVEL_4K);

	tdp_mmu_iter_set_spte(kvm, &iter,
			      make_nonleaf_spte(tdxmm_virt_to_pfn(sp->spt)));
	if (kvm->vm_bugged)
		return -EIO;
	kvm_update_page_stats(kvm, PG_LEVEL_4K, SPTE_ENT_PER_PAGE);
	return 0;
}
