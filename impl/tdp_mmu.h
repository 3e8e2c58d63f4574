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

int __must_check __tdp_mmu_set_spte_atomic(struct kvm *kvm,
					   struct tdp_iter *iter,
					   u64 new_spte);
int __must_check tdp_mmu_set_spte_atomic(struct kvm *kvm, struct tdp_iter *iter,
					 u64 new_spte);
u64 tdp_mmu_set_spte(struct kvm *kvm, struct kvm_mmu_page *sp,
		     tdp_ptep_t sptep, u64 old_spte, u64 new_spte, gfn_t gfn,
		     int level);
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
