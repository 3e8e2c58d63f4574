// SPDX-License-Identifier: GPL-2.0
/*
 * The S-EPT side of a TD's private memory (SPEC B9, B10), in the shape of
 * upstream arch/x86/kvm/vmx/tdx.c (kvm-x86) with DPAMT v6 and, for huge
 * pages, the V5 series; departures are in docs/DEVIATIONS.md.  The
 * SEAMCALL wrappers are the TDX module's (tdx_module.h): on hardware the
 * module, here its simulator in model/.
 *
 * Error convention (table E): TDX_OPERAND_BUSY from an install is -EBUSY
 * and the fault is retried; any other failure is a KVM bug (-EIO, VM
 * bugged).  Removal runs under mmu_lock(write), where BUSY can only come
 * from vCPUs in the guest: kick them out and retry once (B9.5).
 *
 * Dynamic PAMT references (v6, SPEC 0.4.1): control pages hold one from
 * allocation to free; S-EPT pages and 4K guest pages from right before
 * the SEAMCALL that hands them to the module until it gave them back
 * (RECLAIM; REMOVE + WBINVD + reset); pages the module may still own keep
 * theirs, leaked.  DEMOTE moves its region's count 0 -> 512.
 */
#include "env.h"
#include "kvm.h"
#include "spte.h"
#include "tdp_mmu.h"
#include "tdx.h"
#include "tdx_module.h"
#include "pamt.h"
#include "acsl/sept.h"

/*
 * The contracts of this file's static functions (ACSL), on their
 * prototypes, so that the bodies below read like upstream's.
 */
/*@ assigns \nothing;
    ensures \result <==> (err & TDX_STATUS_MASK) == TDX_OPERAND_BUSY; */
static inline bool tdx_operand_busy(u64 err);

/*@ requires gfn <= SPEC_PFN_MAX;
    assigns \nothing; */
static inline gpa_t gfn_to_gpa(gfn_t gfn);

/*@ requires \valid(kvm);
    assigns kvm->stat.vcpu_kicks.counter; */
static void tdx_kick_vcpus(struct kvm *kvm);

/*@ requires \valid(kvm);
    requires INV_13: kvm->mmu_lock.held == LOCK_WRITE;
    assigns SEPT_HOOK_ASSIGNS(kvm);
    ensures errno: \result == 0 || \result == -EIO;
    ensures bugged: \result != 0 ==> kvm->vm_bugged;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures INV_16: \result == 0 && \old(tdxmm_rm) == TDXMM_RM_BLOCKED ==>
		    tdxmm_rm == TDXMM_RM_TRACKED;
    ensures INV_16: \old(tdxmm_rm) != TDXMM_RM_BLOCKED ==>
		    tdxmm_rm == \old(tdxmm_rm);
    ensures INV_19: INV_19_not_left_set{Pre, Post}(kvm);
*/
static int tdx_track(struct kvm *kvm);

/*@ requires \valid(kvm) && (sp == \null || \valid_read(sp));
    requires valid_level(level);
    assigns kvm->vm_bugged, kvm->vm_dead;
    ensures INV_17: \result == 0 <==> INV_17_linked_child(sp, gfn, level);
    ensures \result == 0 || \result == -EIO;
    ensures \result != 0 ==> kvm->vm_bugged;
    ensures \result == 0 ==> kvm->vm_bugged == \old(kvm->vm_bugged);
*/
static int tdx_check_child_sp(struct kvm *kvm, gfn_t gfn,
			      const struct kvm_mmu_page *sp, int level);

/*@ requires \valid(kvm);
    requires valid_level(level);
    assigns kvm->vm_bugged, kvm->vm_dead;
    ensures INV_17: \result != \null ==> \valid(\result) &&
		    INV_17_linked_child(\result, gfn, level);
    ensures \result == \null ==> kvm->vm_bugged;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
*/
static struct kvm_mmu_page *tdx_spte_to_child_sp(struct kvm *kvm, gfn_t gfn,
						 u64 new_spte, int level);

/*@ requires \valid(kvm);
    requires gpaw: gfn <= SPEC_PFN_MAX;
    requires valid_level(level);
    requires vcpu: running_vcpu_ok_all(kvm);
    requires INV_33: pamt_lock.held == LOCK_NONE;
    requires pamt_all_bounded;
    assigns kvm->vm_bugged, kvm->vm_dead, tdxmm_sept, tdxmm_pamt,
	    PAMT_CACHE(tdxmm_running_vcpu->pamt_cache), pamt_lock.held,
	    pamt_leaked_pairs.counter, PAMT_RC_ALL;
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures errno: \result == 0 || \result == -EBUSY || \result == -EIO ||
		   \result == -ENOMEM || \result == -EINVAL;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures INV_12: \result != 0 ==> tdxmm_sept == \old(tdxmm_sept);
*/
static int tdx_sept_link_private_spt(struct kvm *kvm, gfn_t gfn, u64 new_spte,
				     int level);

/*@ requires \valid(kvm);
    requires gpaw: gfn <= SPEC_PFN_MAX;
    requires valid_level(level);
    requires vcpu: running_vcpu_ok(kvm, spte_pfn(new_spte));
    requires INV_33: pamt_lock.held == LOCK_NONE;
    requires pamt_rc_bounded(spte_pfn(new_spte));
    requires slots: kvm->tdx.state != TD_STATE_RUNNABLE ==>
		    kvm->slots_lock.held != LOCK_NONE;
    requires \separated(kvm, &pamt_lock);
    requires \separated(kvm, pamt_rc(spte_pfn(new_spte)));
    assigns kvm->vm_bugged, kvm->vm_dead, tdxmm_sept, tdxmm_pamt,
	    PAMT_CACHE(tdxmm_running_vcpu->pamt_cache), pamt_lock.held,
	    pamt_leaked_pairs.counter, pamt_rc(spte_pfn(new_spte))->counter;
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures INV_31: \old(INV_31_at(tdxmm_pamt, spte_pfn(new_spte))) ==>
		    INV_31_at(tdxmm_pamt, spte_pfn(new_spte));
    ensures errno: \result == 0 || \result == -EBUSY || \result == -EIO ||
		   \result == -ENOMEM || \result == -EINVAL;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures INV_12: \result != 0 ==> tdxmm_sept == \old(tdxmm_sept);
*/
static int tdx_sept_map_leaf_spte(struct kvm *kvm, gfn_t gfn, u64 new_spte,
				  int level);

/*@ requires \valid(kvm);
    assigns kvm->stat.leaked_pages.counter; */
static void tdx_leak_pages(struct kvm *kvm, u64 nr);

/*@ requires \valid(kvm);
    requires gpaw: gfn <= SPEC_PFN_MAX;
    requires valid_level(level);
    requires INV_13: kvm->mmu_lock.held == LOCK_WRITE;
    requires INV_33: pamt_lock.held == LOCK_NONE;
    requires \separated(kvm, pamt_rc(spte_pfn(old_spte)));
    assigns TDX_HOOK_ASSIGNS(kvm), pamt_rc(spte_pfn(old_spte))->counter;
    ensures errno: \result == 0 || \result == -EIO;
    ensures INV_18: \result != 0 ==> kvm->vm_bugged;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures INV_19: INV_19_not_left_set{Pre, Post}(kvm);
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures INV_31: \old(INV_31_at(tdxmm_pamt, spte_pfn(old_spte))) ==>
		    INV_31_at(tdxmm_pamt, spte_pfn(old_spte));
    ensures INV_15: \result == 0 ==> INV_15_hkid_assigned(kvm);
    ensures INV_16: \result == 0 ==> INV_16_removed(tdxmm_rm);
*/
static int tdx_sept_remove_private_spte(struct kvm *kvm, gfn_t gfn, int level,
					u64 old_spte);

/*@ requires \valid(kvm) && \valid(entry) && \valid(level_state);
    requires \valid_read(pa + (0 .. 1));
    requires INV_16: tdxmm_rm == TDXMM_RM_TRACKED;
    requires INV_33: pamt_lock.held == LOCK_NONE;
    assigns *entry, *level_state, tdxmm_sept, tdxmm_rm, tdxmm_pamt,
	    pamt_lock.held, pamt_rc(pfn)->counter;
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures INV_16: \result == TDX_SUCCESS ==> tdxmm_rm == TDXMM_RM_IDLE;
    ensures INV_16: \result != TDX_SUCCESS ==> tdxmm_rm == \old(tdxmm_rm);
    ensures INV_12: \result != TDX_SUCCESS ==> tdxmm_sept == \old(tdxmm_sept);
*/
static u64 tdx_demote(struct kvm *kvm, gpa_t gpa, int level, kvm_pfn_t sept_pfn,
		      kvm_pfn_t pfn, const u64 *pa, u64 *entry,
		      u64 *level_state);

/*@ requires \valid(kvm);
    requires gpaw: gfn <= SPEC_PFN_MAX;
    requires valid_level(level);
    requires INV_13: kvm->mmu_lock.held == LOCK_WRITE;
    requires R12: kvm->tdx.pamt_cache_lock.held != LOCK_NONE;
    requires INV_33: pamt_lock.held == LOCK_NONE;
    requires \separated(kvm, &pamt_lock);
    requires vm_apart_from_refcounts(kvm);
    requires INV_20: spte_present(old_spte) && spte_present(new_spte);
    requires vm_pamt_cache_ok(kvm);
    requires pamt_all_bounded;
    assigns TDX_HOOK_ASSIGNS(kvm), PAMT_RC_ALL,
	    pamt_rc(spte_pfn(old_spte))->counter;
    ensures errno: \result == 0 || \result == -EIO;
    ensures INV_18: \result != 0 ==> kvm->vm_bugged;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures INV_19: INV_19_not_left_set{Pre, Post}(kvm);
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures INV_20: \result == 0 ==> INV_20_split(old_spte, new_spte, level);
*/
static int tdx_sept_split_private_spte(struct kvm *kvm, gfn_t gfn,
				       u64 old_spte, u64 new_spte, int level);

/*@ assigns tdxmm_sept;
    ensures \result == 0 || \result == -EIO; */
static int __tdx_reclaim_page(kvm_pfn_t pfn);

/*@ assigns tdxmm_sept;
    ensures \result == 0 || \result == -EIO; */
static int tdx_reclaim_page(kvm_pfn_t pfn);

static inline bool tdx_operand_busy(u64 err)
{
	return (err & TDX_STATUS_MASK) == TDX_OPERAND_BUSY;
}

static inline gpa_t gfn_to_gpa(gfn_t gfn)
{
	return gfn << PAGE_SHIFT;
}

/*
 * kvm_make_all_cpus_request(kvm, KVM_REQ_OUTSIDE_GUEST_MODE): returns once
 * no vCPU runs in the guest.  tdxmm has no vCPUs in guest mode, so this is
 * where upstream waits; the count lets tests see that it happened.
 */
static void tdx_kick_vcpus(struct kvm *kvm)
{
	atomic64_add(1, &kvm->stat.vcpu_kicks);
}

/*
 * B9.5: with mmu_lock held for write the only BUSY contenders are vCPUs in
 * the guest (TDH.VP.ENTER, guest TDCALLs).  Kick them out and try once more;
 * a second BUSY is a bug.  wait_for_sept_zap keeps vCPUs from re-entering
 * meanwhile (INV-19: set only across the retry).
 */
#define tdh_do_no_vcpus(tdh_func, kvm, args...)				\
({									\
	u64 __err;							\
									\
	lockdep_assert_held_write(&(kvm)->mmu_lock);			\
	__err = tdh_func(args);						\
	if (unlikely(tdx_operand_busy(__err))) {			\
		WRITE_ONCE((kvm)->tdx.wait_for_sept_zap, true);		\
		tdx_kick_vcpus(kvm);					\
		__err = tdh_func(args);					\
		WRITE_ONCE((kvm)->tdx.wait_for_sept_zap, false);	\
	}								\
	__err;								\
})

/*
 * B9.6: make the vCPUs drop TLB entries of blocked ranges.  Before
 * finalization no vCPU has run, so there is nothing to track.  Upstream
 * returns void and lets the next SEAMCALL fail; tdxmm stops the removal
 * here, so that no step runs after a failed one (INV-16).
 */
static int tdx_track(struct kvm *kvm)
{
	u64 err;

	if (unlikely(kvm->tdx.state != TD_STATE_RUNNABLE)) {
		/* No vCPU has run: the module needs no epoch (TRACK) yet. */
		/*@ ghost
		  if (tdxmm_rm == TDXMM_RM_BLOCKED)
			tdxmm_rm = TDXMM_RM_TRACKED;
		*/
		return 0;
	}

	lockdep_assert_held_write(&kvm->mmu_lock);

	err = tdh_do_no_vcpus(tdh_mem_track, kvm, kvm->tdx.td);
	if (TDX_BUG_ON(err, TDH_MEM_TRACK, kvm))
		return -EIO;

	tdx_kick_vcpus(kvm);
	return 0;
}

/*
 * B9.1: the three checks on the table being linked below (gfn, level).
 * A mismatch means the TDP MMU handed over the wrong table: VM bugged, no
 * SEAMCALL.
 */
static int tdx_check_child_sp(struct kvm *kvm, gfn_t gfn,
			      const struct kvm_mmu_page *sp, int level)
{
	if (KVM_BUG_ON(!sp, kvm) ||
	    KVM_BUG_ON(!sp->external_spt, kvm) ||
	    KVM_BUG_ON(sp->role.level != level - 1, kvm) ||
	    KVM_BUG_ON(sp->gfn != gfn, kvm))
		return -EIO;
	return 0;
}

static struct kvm_mmu_page *tdx_spte_to_child_sp(struct kvm *kvm, gfn_t gfn,
						 u64 new_spte, int level)
{
	struct kvm_mmu_page *sp = spte_to_child_sp(new_spte);

	return tdx_check_child_sp(kvm, gfn, sp, level) ? NULL : sp;
}

/*
 * B9.1: TDH.MEM.SEPT.ADD of the child table's S-EPT page.  v6 (SPEC 0.4.1):
 * the page's PAMT reference is taken right before the module gets it, with
 * the faulting vCPU's pair cache, and dropped if SEPT.ADD fails.
 */
static int tdx_sept_link_private_spt(struct kvm *kvm, gfn_t gfn, u64 new_spte,
				     int level)
{
	struct kvm_vcpu *vcpu = kvm_get_running_vcpu();
	struct kvm_mmu_page *sp;
	u64 err, entry, level_state;
	kvm_pfn_t sept_pfn;
	int ret;

	if (KVM_BUG_ON(!vcpu, kvm))
		return -EIO;

	sp = tdx_spte_to_child_sp(kvm, gfn, new_spte, level);
	if (!sp)
		return -EIO;
	sept_pfn = tdxmm_virt_to_pfn(sp->external_spt);

	ret = tdx_pamt_get(sept_pfn, PG_LEVEL_4K, &vcpu->pamt_cache);
	if (ret)
		return ret;

	err = tdh_mem_sept_add(kvm->tdx.td, gfn_to_gpa(gfn), level, sept_pfn,
			       &entry, &level_state);
	if (err != TDX_SUCCESS)
		tdx_pamt_put(sept_pfn, PG_LEVEL_4K);
	if (unlikely(tdx_operand_busy(err)))
		return -EBUSY;
	if (TDX_BUG_ON_2(err, TDH_MEM_SEPT_ADD, entry, level_state, kvm))
		return -EIO;
	return 0;
}

/*
 * B9.2: map a leaf.  Before finalization only initial memory is mapped,
 * by PAGE.ADD from the source page tdx_init_mem_region() set; after it,
 * PAGE.AUG (the guest accepts the page later).  Huge leaves only in a
 * runnable TD (P45); 1 GiB leaves are not supported.
 */
static int tdx_sept_map_leaf_spte(struct kvm *kvm, gfn_t gfn, u64 new_spte,
				  int level)
{
	struct kvm_tdx *kvm_tdx = &kvm->tdx;
	struct kvm_vcpu *vcpu = kvm_get_running_vcpu();
	kvm_pfn_t pfn = spte_to_pfn(new_spte);
	gpa_t gpa = gfn_to_gpa(gfn);
	u64 err, entry, level_state;
	int ret;

	if (KVM_BUG_ON(level > PG_LEVEL_2M, kvm) ||
	    KVM_BUG_ON(level != PG_LEVEL_4K &&
		       kvm_tdx->state != TD_STATE_RUNNABLE, kvm))
		return -EIO;
	WARN_ON_ONCE((new_spte & VMX_EPT_RWX_MASK) != VMX_EPT_RWX_MASK);

	/*
	 * Read the state after pre_fault_allowed was: a fault is allowed
	 * only once finalize set both.  Pairs with the smp_wmb() in
	 * tdx_td_finalize().
	 */
	smp_rmb();

	/* Faults come from a vCPU, whose cache holds the PAMT pair. */
	if (KVM_BUG_ON(!vcpu, kvm))
		return -EIO;
	ret = tdx_pamt_get(pfn, level, &vcpu->pamt_cache);
	if (ret)
		return ret;

	if (likely(kvm_tdx->state == TD_STATE_RUNNABLE)) {
		err = tdh_mem_page_aug(kvm_tdx->td, gpa, level, pfn, &entry,
				       &level_state);
		if (!tdx_operand_busy(err))
			TDX_BUG_ON_2(err, TDH_MEM_PAGE_AUG, entry, level_state,
				     kvm);
	} else {
		/* upstream tdx_mem_page_add(): tdx_init_mem_region() only */
		lockdep_assert_held(&kvm->slots_lock);
		if (KVM_BUG_ON(kvm->arch.pre_fault_allowed, kvm) ||
		    KVM_BUG_ON(!kvm_tdx->page_add_src_set, kvm)) {
			tdx_pamt_put(pfn, level);
			return -EIO;
		}
		err = tdh_mem_page_add(kvm_tdx->td, gpa, pfn,
				       kvm_tdx->page_add_src, &entry,
				       &level_state);
		if (!tdx_operand_busy(err))
			TDX_BUG_ON_2(err, TDH_MEM_PAGE_ADD, entry, level_state,
				     kvm);
	}
	if (err != TDX_SUCCESS)
		tdx_pamt_put(pfn, level);
	if (unlikely(tdx_operand_busy(err)))
		return -EBUSY;
	return err != TDX_SUCCESS ? -EIO : 0;
}

/* The module may still own these pages: never free or reuse them. */
static void tdx_leak_pages(struct kvm *kvm, u64 nr)
{
	atomic64_add((s64)nr, &kvm->stat.leaked_pages);
}

/*
 * B9.4: remove a leaf, in the only order the module accepts: BLOCK, TRACK
 * (+ kick), REMOVE, WBINVD of each 4K page with the TD's key, reset, PAMT
 * put (INV-16).  The mirror SPTE is already gone; any failure leaves the
 * page to the module, leaked and counted, and the VM bugged (INV-18).
 */
static int tdx_sept_remove_private_spte(struct kvm *kvm, gfn_t gfn, int level,
					u64 old_spte)
{
	struct kvm_tdx *kvm_tdx = &kvm->tdx;
	kvm_pfn_t pfn = spte_to_pfn(old_spte);
	gpa_t gpa = gfn_to_gpa(gfn);
	u64 err, entry, level_state, i;

	lockdep_assert_held_write(&kvm->mmu_lock);

	/* INV-15: PAGE.REMOVE needs the HKID. */
	if (KVM_BUG_ON(!is_hkid_assigned(kvm), kvm) ||
	    KVM_BUG_ON(level > PG_LEVEL_2M, kvm))
		goto leak;

	err = tdh_do_no_vcpus(tdh_mem_range_block, kvm, kvm_tdx->td, gpa,
			      level, &entry, &level_state);
	if (TDX_BUG_ON_2(err, TDH_MEM_RANGE_BLOCK, entry, level_state, kvm))
		goto leak;

	if (tdx_track(kvm))
		goto leak;

	err = tdh_do_no_vcpus(tdh_mem_page_remove, kvm, kvm_tdx->td, gpa,
			      level, &entry, &level_state);
	if (TDX_BUG_ON_2(err, TDH_MEM_PAGE_REMOVE, entry, level_state, kvm))
		goto leak;

	/*@ loop invariant 0 <= i <= KVM_PAGES_PER_HPAGE(level);
	    loop invariant INV_16: tdxmm_rm == TDXMM_RM_REMOVED;
	    loop invariant kvm->tdx.wait_for_sept_zap ==
			   \at(kvm->tdx.wait_for_sept_zap, LoopEntry);
	    loop invariant \at(kvm->vm_bugged, Pre) ==> kvm->vm_bugged;
	    loop assigns i, err, kvm->vm_bugged, kvm->vm_dead;
	    loop variant KVM_PAGES_PER_HPAGE(level) - i; */
	for (i = 0; i < KVM_PAGES_PER_HPAGE(level); i++) {
		err = tdh_phymem_page_wbinvd_hkid(kvm_tdx->hkid, pfn + i);
		if (TDX_BUG_ON(err, TDH_PHYMEM_PAGE_WBINVD, kvm))
			goto leak;
		tdx_quirk_reset_page(pfn + i);
	}

	tdx_pamt_put(pfn, level);
	return 0;
leak:
	tdx_leak_pages(kvm, KVM_PAGES_PER_HPAGE(level));
	return -EIO;
}

/*
 * R7, SPEC 0.4.9: DEMOTE and its 0 -> 512 refcount step under pamt_lock,
 * taken around this call only, so no vCPU kick (tdh_do_no_vcpus) ever
 * waits with it held.
 */
static u64 tdx_demote(struct kvm *kvm, gpa_t gpa, int level, kvm_pfn_t sept_pfn,
		      kvm_pfn_t pfn, const u64 *pa, u64 *entry,
		      u64 *level_state)
{
	u64 err;

	tdx_pamt_demote_begin();
	err = tdh_mem_page_demote(kvm->tdx.td, gpa, level, sept_pfn,
				  tdx_supports_dynamic_pamt() ? pa : NULL,
				  entry, level_state);
	tdx_pamt_demote_end(pfn, err == TDX_SUCCESS);
	return err;
}

/*
 * B9.3: split a huge leaf into the table @new_spte points to: BLOCK, TRACK,
 * DEMOTE (which installs the table with 512 leaves; no UNBLOCK after it).
 * SPEC 0.4.9: what the split needs -- the new S-EPT page's PAMT reference
 * (v6: taken right before the module gets the page) and the DEMOTE pair --
 * comes from the VM's cache before BLOCK.  kvm_split_huge_page() filled it
 * under pamt_cache_lock, which the caller still holds, so both are there:
 * a failure here is a KVM bug.  After a failed step the pair goes back to
 * the cache and the reference is dropped (DEMOTE is failure-atomic).
 */
static int tdx_sept_split_private_spte(struct kvm *kvm, gfn_t gfn,
				       u64 old_spte, u64 new_spte, int level)
{
	struct kvm_tdx *kvm_tdx = &kvm->tdx;
	gpa_t gpa = gfn_to_gpa(gfn);
	u64 err, entry, level_state;
	u64 pa[TDX_DPAMT_ENTRY_PAGE_CNT];
	struct kvm_mmu_page *sp;
	kvm_pfn_t sept_pfn;

	lockdep_assert_held_write(&kvm->mmu_lock);
	lockdep_assert_held(&kvm_tdx->pamt_cache_lock);

	/* INV-20: (present, present) is only ever huge leaf -> table. */
	if (KVM_BUG_ON(level != PG_LEVEL_2M ||
		       !is_last_spte(old_spte, level) ||
		       is_last_spte(new_spte, level), kvm))
		return -EIO;

	sp = tdx_spte_to_child_sp(kvm, gfn, new_spte, level);
	if (!sp)
		return -EIO;
	sept_pfn = tdxmm_virt_to_pfn(sp->external_spt);

	if (KVM_BUG_ON(tdx_pamt_get(sept_pfn, PG_LEVEL_4K, &kvm_tdx->pamt_cache),
		       kvm))
		return -EIO;
	if (KVM_BUG_ON(tdx_pamt_demote_prepare(&kvm_tdx->pamt_cache, pa), kvm))
		goto put;

	err = tdh_do_no_vcpus(tdh_mem_range_block, kvm, kvm_tdx->td, gpa,
			      level, &entry, &level_state);
	if (TDX_BUG_ON_2(err, TDH_MEM_RANGE_BLOCK, entry, level_state, kvm))
		goto release;

	if (tdx_track(kvm))
		goto release;

	err = tdh_do_no_vcpus(tdx_demote, kvm, kvm, gpa, level, sept_pfn,
			      spte_to_pfn(old_spte), pa, &entry, &level_state);
	if (TDX_BUG_ON_2(err, TDH_MEM_PAGE_DEMOTE, entry, level_state, kvm))
		goto release;
	return 0;

release:
	tdx_pamt_demote_release(&kvm_tdx->pamt_cache, pa);
put:
	tdx_pamt_put(sept_pfn, PG_LEVEL_4K);
	return -EIO;
}

/*
 * B9: the one external hook, dispatching on (present old, present new,
 * leaf new).  Non-leaf -> anything never comes here: handle_removed_pt()
 * takes a table apart child by child (INV-20).
 */
int tdx_sept_set_private_spte(struct kvm *kvm, gfn_t gfn, u64 old_spte,
			      u64 new_spte, int level)
{
	lockdep_assert_held(&kvm->mmu_lock);

	if (is_shadow_present_pte(old_spte) && is_shadow_present_pte(new_spte))
		return tdx_sept_split_private_spte(kvm, gfn, old_spte, new_spte,
						   level);
	else if (is_shadow_present_pte(old_spte))
		return tdx_sept_remove_private_spte(kvm, gfn, level, old_spte);

	if (KVM_BUG_ON(!is_shadow_present_pte(new_spte), kvm))
		return -EIO;

	if (!is_last_spte(new_spte, level))
		return tdx_sept_link_private_spt(kvm, gfn, new_spte, level);

	return tdx_sept_map_leaf_spte(kvm, gfn, new_spte, level);
}

/*
 * B10.1: TDH.PHYMEM.PAGE.RECLAIM.  Only legal after the HKID is released,
 * when nothing contends, so no BUSY retry.  Upstream passes kvm = NULL to
 * TDX_BUG_ON_3 here: a warning with the outputs, no VM to bug.
 */
static int __tdx_reclaim_page(kvm_pfn_t pfn)
{
	u64 err, tdx_pt, tdx_owner, tdx_size;

	err = tdh_phymem_page_reclaim(pfn, &tdx_pt, &tdx_owner, &tdx_size);
	if (WARN_ON_ONCE(err != TDX_SUCCESS)) {
		pr_err("SEAMCALL TDH_PHYMEM_PAGE_RECLAIM failed: 0x%llx, rcx 0x%llx, rdx 0x%llx, r8 0x%llx\n",
		       (unsigned long long)err, (unsigned long long)tdx_pt,
		       (unsigned long long)tdx_owner,
		       (unsigned long long)tdx_size);
		return -EIO;
	}
	return 0;
}

/* Upstream tdx_reclaim_page(): RECLAIM, then the quirk reset (SPEC 0.4.8). */
static int tdx_reclaim_page(kvm_pfn_t pfn)
{
	int r = __tdx_reclaim_page(pfn);

	if (!r)
		tdx_quirk_reset_page(pfn);
	return r;
}

/*
 * B10.3: give an unlinked table's S-EPT page back to the kernel.  Its
 * children are gone already (handle_removed_pt() runs first, INV-14).
 * Reclaimed, the page and its PAMT reference go at once (v6: RECLAIM
 * leaves no reader, and the PAMT side may not run from an RCU callback).
 * If the HKID is still assigned or the reclaim fails the module may still
 * own the page: leak it with its reference, and count it.  Either way
 * external_spt = NULL: nothing else frees it.
 */
void tdx_sept_reclaim_private_sp(struct kvm *kvm, gfn_t gfn,
				 struct kvm_mmu_page *sp)
{
	void *sept_pt = sp->external_spt;

	if (WARN_ON_ONCE(!sept_pt))
		return;

	/* INV-15: S-EPT pages are reclaimed only after the HKID release. */
	if (KVM_BUG_ON(is_hkid_assigned(kvm), kvm) ||
	    tdx_reclaim_page(tdxmm_virt_to_pfn(sept_pt)))
		tdx_leak_pages(kvm, 1);
	else
		tdx_free_control_page(sept_pt);
	sp->external_spt = NULL;
}

/* B10.2: a control page goes back to the kernel only once reclaimed. */
static void tdx_reclaim_control_page(struct kvm *kvm, void **pagep)
{
	if (!*pagep)
		return;
	if (tdx_reclaim_page(tdxmm_virt_to_pfn(*pagep)))
		tdx_leak_pages(kvm, 1);
	else
		tdx_free_control_page(*pagep);
	*pagep = NULL;
}

/* The module may own every control page still set: leak and count them. */
static void tdx_leak_control_pages(struct kvm *kvm)
{
	struct kvm_tdx *kvm_tdx = &kvm->tdx;

	if (kvm_tdx->sept_root_page)
		tdx_leak_pages(kvm, 1);
	if (kvm_tdx->tdr_page)
		tdx_leak_pages(kvm, 1);
	kvm_tdx->sept_root_page = kvm_tdx->tdr_page = NULL;
}

/*
 * Upstream tdx_reclaim_td_control_pages().  With the HKID still assigned
 * (its release failed, the VM is bugged) the module keeps every page:
 * give up, as upstream does, and count them.  The TDR goes last (the
 * module refuses it while the TD owns pages); after RECLAIM its cache
 * lines, under the global KeyID, are written back (SPEC 0.4.8).
 */
static void tdx_reclaim_td_control_pages(struct kvm *kvm)
{
	struct kvm_tdx *kvm_tdx = &kvm->tdx;
	u64 err;

	if (is_hkid_assigned(kvm)) {
		tdx_leak_control_pages(kvm);
		return;
	}

	tdx_reclaim_control_page(kvm, &kvm_tdx->sept_root_page);
	if (!kvm_tdx->tdr_page)
		return;
	if (__tdx_reclaim_page(tdxmm_virt_to_pfn(kvm_tdx->tdr_page)))
		goto leak;
	err = tdh_phymem_page_wbinvd_tdr(kvm_tdx->td);
	if (TDX_BUG_ON(err, TDH_PHYMEM_PAGE_WBINVD, kvm))
		goto leak;
	tdx_quirk_reset_page(tdxmm_virt_to_pfn(kvm_tdx->tdr_page));
	tdx_free_control_page(kvm_tdx->tdr_page);
	kvm_tdx->tdr_page = NULL;
	return;
leak:
	tdx_leak_pages(kvm, 1);
	kvm_tdx->tdr_page = NULL;
}

/* ---- HKIDs: upstream's tdx_guest_keyid_pool (an IDA) ---- */

static unsigned long tdx_guest_keyid_pool;	/* bit i: KeyID start + i */
static struct mutex tdx_lock;

void tdx_bringup(void)
{
	WRITE_ONCE(tdx_guest_keyid_pool, 0);
	mutex_init(&tdx_lock);
}

static int tdx_hkid_alloc(void)
{
	for (int i = 0; i < TDX_NR_GUEST_KEYIDS; i++)
		if (!test_and_set_bit(i, &tdx_guest_keyid_pool))
			return TDX_GUEST_KEYID_START + i;
	return -ENOSPC;
}

static void tdx_hkid_free(struct kvm_tdx *kvm_tdx)
{
	clear_bit(kvm_tdx->hkid - TDX_GUEST_KEYID_START, &tdx_guest_keyid_pool);
	kvm_tdx->hkid = -1;
}

/*
 * CACHE.WB may stop early and say so (resumable).  An error only warns:
 * the KEY.FREEID that follows then fails and bugs the VM.
 */
static void smp_func_do_phymem_cache_wb(void)
{
	u64 err = 0;
	bool resume;

	for (int i = TDX_SEAMCALL_RETRIES; i > 0; i--) {
		resume = !!err;
		err = tdh_phymem_cache_wb(resume);
		if (err != TDX_INTERRUPTED_RESUMABLE)
			break;
	}
	if (WARN_ON_ONCE(err != TDX_SUCCESS))
		pr_err("SEAMCALL TDH_PHYMEM_CACHE_WB failed: 0x%llx\n",
		       (unsigned long long)err);
}

/*
 * Upstream tdx_mmu_release_hkid(), on one package: no vCPU associated any
 * more (VPFLUSHDONE; tdxmm's vCPUs have no TDVPR, so no VP.FLUSH comes
 * first), the caches written back, then the HKID freed.  If a step fails
 * the HKID stays assigned (leaked), and pages the TD owns can never be
 * reclaimed.  tdx_lock serialises teardowns: CACHE.WB takes the module's
 * global lock and would meet BUSY.
 */
void tdx_mmu_release_hkid(struct kvm *kvm)
{
	struct kvm_tdx *kvm_tdx = &kvm->tdx;
	u64 err;

	if (!is_hkid_assigned(kvm))
		return;

	mutex_lock(&tdx_lock);
	err = tdh_mng_vpflushdone(kvm_tdx->td);
	if (err == TDX_FLUSHVP_NOT_DONE)
		goto out;
	if (TDX_BUG_ON(err, TDH_MNG_VPFLUSHDONE, kvm)) {
		pr_err("tdh_mng_vpflushdone() failed. HKID %d is leaked.\n",
		       kvm_tdx->hkid);
		goto out;
	}

	smp_func_do_phymem_cache_wb();

	err = tdh_mng_key_freeid(kvm_tdx->td);
	if (TDX_BUG_ON(err, TDH_MNG_KEY_FREEID, kvm))
		pr_err("tdh_mng_key_freeid() failed. HKID %d is leaked.\n",
		       kvm_tdx->hkid);
	else
		tdx_hkid_free(kvm_tdx);
out:
	mutex_unlock(&tdx_lock);
}

/*
 * The mirror's tables, children first (B6), each S-EPT page reclaimed or
 * leaked; kvm_tdp_mmu_free_mirror_root() asserts the locks its callers
 * hold.  Then the split caches.
 */
static void tdx_free_mirror(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);
	rcu_read_lock();
	kvm_tdp_mmu_free_mirror_root(kvm);
	rcu_read_unlock();
	write_unlock(&kvm->mmu_lock);
	tdp_mmu_free_deferred(kvm);
	kvm_mmu_uninit_vm(kvm);
}

/*
 * Upstream __tdx_td_init(), the memory-management part: HKID, control
 * pages, TDH.MNG.CREATE, TDH.MNG.KEY.CONFIG.  Before MNG.CREATE succeeds
 * nothing is the module's and everything is freed; after it, the HKID is
 * released and the control pages reclaimed (or leaked) as at teardown.
 */
int tdx_vm_init(struct kvm *kvm, int root_level)
{
	struct kvm_tdx *kvm_tdx = &kvm->tdx;
	int ret;
	u64 err;

	if (kvm_tdx->state != TD_STATE_UNINITIALIZED ||
	    root_level < PG_LEVEL_1G || root_level > PT64_ROOT_MAX_LEVEL)
		return -EINVAL;

	/* kvm_create_vm() and tdx_vm_init() upstream; tdxmm has no former. */
	mutex_init(&kvm->slots_lock);
	mutex_init(&kvm_tdx->pamt_cache_lock);

	ret = tdx_hkid_alloc();
	if (ret < 0)
		return ret;
	kvm_tdx->hkid = ret;

	kvm_tdx->tdr_page = tdx_alloc_control_page();
	kvm_tdx->sept_root_page = tdx_alloc_control_page();
	ret = -ENOMEM;
	if (!kvm_tdx->tdr_page || !kvm_tdx->sept_root_page)
		goto free_pages;

	ret = kvm_tdp_mmu_alloc_mirror_root(kvm, root_level);
	if (ret)
		goto free_pages;
	kvm_mmu_init_vm(kvm);

	/* tdx_lock: MNG.CREATE meets BUSY on a racing teardown's CACHE.WB. */
	mutex_lock(&tdx_lock);
	err = tdh_mng_create(tdxmm_virt_to_pfn(kvm_tdx->tdr_page),
			     tdxmm_virt_to_pfn(kvm_tdx->sept_root_page),
			     root_level, kvm_tdx->hkid, &kvm_tdx->td);
	mutex_unlock(&tdx_lock);
	if (err == TDX_RND_NO_ENTROPY) {
		ret = -EAGAIN;
		goto free_root;
	}
	if (TDX_BUG_ON(err, TDH_MNG_CREATE, kvm)) {
		ret = -EIO;
		goto free_root;
	}

	/* One package; TDX_RND_NO_ENTROPY is retried by sc_retry(). */
	err = tdh_mng_key_config(kvm_tdx->td);
	if (TDX_BUG_ON(err, TDH_MNG_KEY_CONFIG, kvm)) {
		ret = -EIO;
		goto teardown;
	}
	kvm_tdx->state = TD_STATE_INITIALIZED;
	return 0;

teardown:
	/* The module owns the TDR and the root now: release, then reclaim. */
	tdx_mmu_release_hkid(kvm);
	tdx_free_mirror(kvm);
	tdx_reclaim_td_control_pages(kvm);
	return ret;
free_root:
	tdx_free_mirror(kvm);
free_pages:
	tdx_free_control_page(kvm_tdx->tdr_page);
	tdx_free_control_page(kvm_tdx->sept_root_page);
	kvm_tdx->tdr_page = kvm_tdx->sept_root_page = NULL;
	tdx_hkid_free(kvm_tdx);
	return ret;
}

/* Under slots_lock, as upstream's KVM_TDX_FINALIZE_VM ioctl. */
int tdx_td_finalize(struct kvm *kvm)
{
	int ret = 0;
	u64 err;

	if (READ_ONCE(kvm->vm_dead))
		return -EIO;
	mutex_lock(&kvm->slots_lock);
	if (kvm->tdx.state != TD_STATE_INITIALIZED) {
		ret = -EINVAL;
		goto out;
	}
	err = tdh_mr_finalize(kvm->tdx.td);
	if (tdx_operand_busy(err)) {
		ret = -EAGAIN;
		goto out;
	}
	if (TDX_BUG_ON(err, TDH_MR_FINALIZE, kvm)) {
		ret = -EIO;
		goto out;
	}
	kvm->tdx.state = TD_STATE_RUNNABLE;
	/* RUNNABLE before pre_fault_allowed: pairs with the smp_rmb() above. */
	smp_wmb();
	WRITE_ONCE(kvm->arch.pre_fault_allowed, true);
out:
	mutex_unlock(&kvm->slots_lock);
	return ret;
}

int tdx_init_mem_region(struct kvm_vcpu *vcpu, gfn_t gfn, kvm_pfn_t pfn,
			kvm_pfn_t src_pfn)
{
	struct kvm_tdx *kvm_tdx = &vcpu->kvm->tdx;
	int ret;

	if (READ_ONCE(vcpu->kvm->vm_dead))
		return -EIO;
	if (!tdxmm_pfn_valid(src_pfn))
		return -EINVAL;

	/* SPEC 0.4.4: one caller at a time sets and uses the source. */
	mutex_lock(&vcpu->kvm->slots_lock);
	if (kvm_tdx->state != TD_STATE_INITIALIZED) {
		mutex_unlock(&vcpu->kvm->slots_lock);
		return -EINVAL;
	}
	kvm_tdx->page_add_src = src_pfn;
	kvm_tdx->page_add_src_set = true;
	ret = kvm_tdp_mmu_map_private_pfn(vcpu, gfn, pfn);
	kvm_tdx->page_add_src_set = false;
	mutex_unlock(&vcpu->kvm->slots_lock);
	/*
	 * Upstream (kvm_tdp_mmu_map_private_pfn) retries RET_PF_RETRY until a
	 * signal; tdxmm has none and returns -EAGAIN for the ioctl's caller
	 * to retry (docs/DEVIATIONS.md).  Anything but FIXED is -EIO.
	 */
	if (ret < 0)
		return ret;
	if (ret == RET_PF_RETRY)
		return -EAGAIN;
	return ret == RET_PF_FIXED ? 0 : -EIO;
}

int tdx_vm_destroy(struct kvm *kvm)
{
	struct kvm_tdx *kvm_tdx = &kvm->tdx;

	if (kvm_tdx->state == TD_STATE_UNINITIALIZED ||
	    kvm_tdx->state == TD_STATE_TORN_DOWN)
		return -EINVAL;

	/* Leaves go while the HKID is assigned (INV-15)... */
	write_lock(&kvm->mmu_lock);
	rcu_read_lock();
	kvm_tdp_mmu_zap_leafs(kvm, 0, kvm_tdp_mmu_max_gfn(kvm));
	rcu_read_unlock();
	write_unlock(&kvm->mmu_lock);

	/* ...then the HKID (after the module flushed the TD's caches)... */
	tdx_mmu_release_hkid(kvm);

	/* ...then the tables, children first, each S-EPT page reclaimed... */
	tdx_free_mirror(kvm);
	tdx_free_pamt_cache(&kvm_tdx->pamt_cache);

	/* ...and last the control pages, the TDR at the very end. */
	tdx_reclaim_td_control_pages(kvm);
	kvm_tdx->state = TD_STATE_TORN_DOWN;
	return kvm->vm_bugged ? -EIO : 0;
}
