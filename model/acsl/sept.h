/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACSL statements of the mirror <-> S-EPT invariants the TDX side's
 * contracts carry (SPEC.md INV-13..20).  Included by impl/tdx.c after
 * kvm.h: the predicates read struct kvm and struct kvm_mmu_page.  Only
 * comments to a C compiler.
 */
#ifndef TDXMM_ACSL_SEPT_H
#define TDXMM_ACSL_SEPT_H

/*@
  // INV-13: removing, blocking or splitting an S-EPT entry needs
  // mmu_lock held for write.
  predicate INV_13_write_locked(struct kvm *kvm, u64 old_spte) =
	spte_present(old_spte) ==> kvm->mmu_lock.held == LOCK_WRITE;

  // INV-15: PAGE.REMOVE only while the HKID is assigned; an S-EPT page is
  // reclaimed only after it was released (else it is leaked).
  predicate INV_15_hkid_assigned(struct kvm *kvm) = kvm->tdx.hkid > 0;

  // INV-16: a leaf removal reached REMOVE through BLOCK and TRACK.
  predicate INV_16_removed(integer rm) = rm == TDXMM_RM_REMOVED;

  // INV-17: the child table linked below (gfn, level).
  predicate INV_17_linked_child(struct kvm_mmu_page *sp, integer gfn,
				integer level) =
	sp != \null && sp->external_spt != \null &&
	sp->role.level == level - 1 && sp->gfn == gfn;

  // INV-18: a page the module may still own is forgotten, never freed.
  predicate INV_18_leak_not_reuse(void *before, void *after) =
	after == before || after == \null;

  // INV-19: tdh_do_no_vcpus never leaves wait_for_sept_zap set.
  predicate INV_19_not_left_set{L1, L2}(struct kvm *kvm) =
	\at(kvm->tdx.wait_for_sept_zap, L2) ==>
	\at(kvm->tdx.wait_for_sept_zap, L1);

  // The faulting vCPU, if any: its PAMT cache is usable, and apart from
  // the VM and from the refcount of the page being mapped.
  predicate running_vcpu_ok(struct kvm *kvm, integer pfn) =
	tdxmm_running_vcpu == \null ||
	(\valid(tdxmm_running_vcpu) && \separated(kvm, tdxmm_running_vcpu) &&
	 \separated(&tdxmm_running_vcpu->pamt_cache, pamt_rc(pfn)) &&
	 0 <= tdxmm_running_vcpu->pamt_cache.cnt <= TDX_PAMT_CACHE_MAX);

  // The same for a page known only at run time (an S-EPT page, found
  // through page_private): apart from every refcount of TDX memory.
  predicate running_vcpu_ok_all(struct kvm *kvm) =
	tdxmm_running_vcpu == \null ||
	(\valid(tdxmm_running_vcpu) && \separated(kvm, tdxmm_running_vcpu) &&
	 (\forall integer p; 0 <= p <= SPEC_PFN_MAX ==>
	  \separated(&tdxmm_running_vcpu->pamt_cache, pamt_rc(p))) &&
	 0 <= tdxmm_running_vcpu->pamt_cache.cnt <= TDX_PAMT_CACHE_MAX);
  // The VM's split cache (SPEC 0.4.3): usable, apart from every refcount.
  predicate vm_pamt_cache_ok(struct kvm *kvm) =
	0 <= kvm->tdx.pamt_cache.cnt <= TDX_PAMT_CACHE_MAX &&
	(\forall integer p; 0 <= p <= SPEC_PFN_MAX ==>
	 \separated(&kvm->tdx.pamt_cache, pamt_rc(p)));
  // The VM is apart from every refcount of TDX memory.
  predicate vm_apart_from_refcounts(struct kvm *kvm) =
	\forall integer p; 0 <= p <= SPEC_PFN_MAX ==> \separated(kvm, pamt_rc(p));
  // Every refcount can take one more reference.
  predicate pamt_all_bounded =
	\forall integer p; 0 <= p <= SPEC_PFN_MAX ==> pamt_rc_bounded(p);

  // INV-20: the hook sees a present SPTE on one side at least; both only
  // for huge leaf -> table (split).
  predicate INV_20_some_present(u64 old_spte, u64 new_spte) =
	spte_present(old_spte) || spte_present(new_spte);
  predicate INV_20_split(u64 old_spte, u64 new_spte, integer level) =
	level == SPEC_PG_LEVEL_2M && spte_leaf(old_spte, level) &&
	spte_nonleaf(new_spte, level);
*/

#endif
