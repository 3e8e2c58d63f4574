/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDP MMU (upstream arch/x86/kvm/mmu/tdp_mmu.c): SPTE setters and the
 * walkers of the mirror.  Upstream keeps most of them static; tdxmm
 * exports them to its harnesses.
 */
#ifndef TDXMM_TDP_MMU_H
#define TDXMM_TDP_MMU_H

#include "env.h"
#include "kvm.h"
#include "spte.h"
#include "tdp_iter.h"

/*@ requires \valid(kvm) && \valid(iter) && \valid(iter->sptep) &&
	     \valid_read(iter->sp);
    requires \separated(iter, iter->sptep, kvm, iter->sp);
    requires valid_level(iter->level);
    assigns *iter->sptep, iter->old_spte, SEPT_HOOK_ASSIGNS(kvm);
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
      assigns *iter->sptep, iter->old_spte, SEPT_HOOK_ASSIGNS(kvm);
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
int __must_check __tdp_mmu_set_spte_atomic(struct kvm *kvm,
					   struct tdp_iter *iter,
					   u64 new_spte);
/*@ requires \valid(kvm) && \valid(iter) && \valid(iter->sptep) &&
	     \valid_read(iter->sp);
    requires \separated(iter, iter->sptep, kvm, iter->sp);
    requires valid_level(iter->level);
    requires INV_05: kvm->mmu_lock.held == LOCK_READ;
    requires INV_06: INV_06_no_retarget(iter->old_spte, new_spte, iter->level);
    requires INV_13: iter->sp->role.is_mirror ==>
		     !spte_present(iter->old_spte);
    assigns *iter->sptep, iter->old_spte, SEPT_HOOK_ASSIGNS(kvm),
	    tdxmm_unlinked, kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter;
    ensures INV_02: INV_02_not_owner_unchanged(\old(*iter->sptep),
					       *iter->sptep);
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures set: \result == 0 ==> *iter->sptep == new_spte;
    ensures INV_05: \result == -EBUSY && !\old(iter->yielded) &&
		    !spte_frozen(\old(iter->old_spte)) ==>
		    INV_05_refreshed(iter->old_spte, *iter->sptep);
*/
int __must_check tdp_mmu_set_spte_atomic(struct kvm *kvm, struct tdp_iter *iter,
					 u64 new_spte);
/*@ requires \valid(kvm) && \valid(sptep) && \valid_read(sp);
    requires \separated(kvm, sptep, sp);
    requires valid_level(level);
    requires INV_04: kvm->mmu_lock.held == LOCK_WRITE;
    requires INV_04: INV_04_plain_store(old_spte, new_spte);
    requires snapshot: *sptep == old_spte;
    requires INV_06: INV_06_no_retarget(old_spte, new_spte, level);
    assigns *sptep, SEPT_HOOK_ASSIGNS(kvm), tdxmm_unlinked,
	    kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter;
    ensures set: *sptep == new_spte && \result == old_spte;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures INV_10: sp->role.is_mirror && spte_leaf(old_spte, level) &&
		    old_spte != new_spte ==>
	tdxmm_sept == sept_apply(\old(tdxmm_sept), gfn, old_spte, new_spte,
				 level) || kvm->vm_bugged;
    ensures INV_12: !spte_present(old_spte) ==>
		    tdxmm_sept == \old(tdxmm_sept);
    ensures INV_07: sp->role.is_mirror &&
		    !INV_07_no_promotion(old_spte, new_spte, level) ==>
		    kvm->vm_bugged;
*/
u64 tdp_mmu_set_spte(struct kvm *kvm, struct kvm_mmu_page *sp,
		     tdp_ptep_t sptep, u64 old_spte, u64 new_spte, gfn_t gfn,
		     int level);
/*@ requires \valid(kvm) && \valid(iter) && \valid(iter->sptep) &&
	     \valid_read(iter->sp);
    requires \separated(iter, iter->sptep, kvm, iter->sp);
    requires valid_level(iter->level);
    requires INV_04: kvm->mmu_lock.held == LOCK_WRITE;
    requires INV_04: INV_04_plain_store(iter->old_spte, new_spte);
    requires snapshot: *iter->sptep == iter->old_spte;
    requires INV_06: INV_06_no_retarget(iter->old_spte, new_spte, iter->level);
    assigns *iter->sptep, iter->old_spte, SEPT_HOOK_ASSIGNS(kvm),
	    tdxmm_unlinked, kvm->stat.pages[0 .. KVM_NR_PAGE_SIZES - 1].counter;
    ensures set: *iter->sptep == new_spte;
    ensures snapshot: iter->old_spte == \old(iter->old_spte);
*/
void tdp_mmu_iter_set_spte(struct kvm *kvm, struct tdp_iter *iter,
			   u64 new_spte);

/* The table a non-leaf SPTE points to, and its header (page_private). */
/*@ assigns \nothing; */
static inline tdp_ptep_t spte_to_child_pt(u64 spte)
{
	return (tdp_ptep_t)tdxmm_pfn_to_virt(spte_to_pfn(spte));
}

/*@ assigns \nothing;
    ensures \result == \null || \valid(\result); */
static inline struct kvm_mmu_page *spte_to_child_sp(u64 spte)
{
	tdp_ptep_t pt = spte_to_child_pt(spte);

	return pt ? (struct kvm_mmu_page *)tdxmm_page_private(pt) : NULL;
}

/* gfns the mirror root covers: [0, kvm_tdp_mmu_max_gfn). */
gfn_t kvm_tdp_mmu_max_gfn(const struct kvm *kvm);

/* Tables: allocation from caches, and the deferred free (R3). */
int kvm_tdp_mmu_alloc_mirror_root(struct kvm *kvm, int root_level);
void kvm_tdp_mmu_free_mirror_root(struct kvm *kvm);
void tdp_mmu_free_deferred(struct kvm *kvm);

/* Walkers; mmu_lock held (read for map, write for zap and split). */
int kvm_tdp_mmu_map(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault);
int kvm_tdp_mmu_zap_leafs(struct kvm *kvm, gfn_t start, gfn_t end);
int kvm_tdp_mmu_split_huge_page(struct kvm *kvm, gfn_t gfn);

/*
 * The API (SPEC 0.1), taking the locks themselves.  Bad input is -EINVAL,
 * a dead VM -EIO, no memory for tables -ENOMEM.
 *
 * kvm_tdp_map_page: a vCPU's fault: map @pfn at @gfn (4K or 2M), linking
 * missing tables; returns RET_PF_FIXED/SPURIOUS/RETRY, -EEXIST if @gfn maps
 * another pfn, -EOPNOTSUPP before finalization (pre_fault_allowed).
 * kvm_tdp_mmu_map_private_pfn: the same for the initial image, 4K, with
 * kvm->slots_lock held (tdx_init_mem_region).
 * kvm_zap_gfn_range: remove every leaf in [start, end); the number removed,
 * or -ENOENT if there was none.  kvm_split_huge_page: the 2M leaf at @gfn
 * into 512 4K leaves (-EINVAL if there is none).
 */
int kvm_tdp_map_page(struct kvm_vcpu *vcpu, gfn_t gfn, kvm_pfn_t pfn,
		     int level);
int kvm_zap_gfn_range(struct kvm *kvm, gfn_t start, gfn_t end);
int kvm_split_huge_page(struct kvm *kvm, gfn_t gfn);
/*
 * kvm_tdp_map_page_seq: the same, for a pfn looked up after reading
 * @mmu_seq (kvm->mmu_invalidate_seq): RET_PF_RETRY if an invalidation of
 * @gfn is in progress or ended since (is_page_fault_stale).
 */
int kvm_tdp_map_page_seq(struct kvm_vcpu *vcpu, gfn_t gfn, kvm_pfn_t pfn,
			 int level, unsigned long mmu_seq);
int kvm_mmu_topup_split_caches(struct kvm *kvm, int nr);
int kvm_tdp_mmu_map_private_pfn(struct kvm_vcpu *vcpu, gfn_t gfn,
				kvm_pfn_t pfn);

/* vCPU page caches (B8), filled outside mmu_lock. */
void kvm_vcpu_init(struct kvm_vcpu *vcpu, struct kvm *kvm);
int mmu_topup_memory_caches(struct kvm_vcpu *vcpu);
void kvm_mmu_destroy(struct kvm_vcpu *vcpu);
void kvm_mmu_init_vm(struct kvm *kvm);		/* split caches */
void kvm_mmu_uninit_vm(struct kvm *kvm);

/* virt/kvm/kvm_main.c */
int kvm_mmu_topup_memory_cache(struct kvm_mmu_memory_cache *mc, int min);
void *kvm_mmu_memory_cache_alloc(struct kvm_mmu_memory_cache *mc);
void kvm_mmu_free_memory_cache(struct kvm_mmu_memory_cache *mc);

#endif /* TDXMM_TDP_MMU_H */
