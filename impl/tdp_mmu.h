/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDP MMU SPTE setters (upstream arch/x86/kvm/mmu/tdp_mmu.c).  Upstream
 * keeps them static; tdxmm exports them to its harnesses.
 */
#ifndef TDXMM_TDP_MMU_H
#define TDXMM_TDP_MMU_H

#include "env.h"
#include "kvm.h"
#include "tdp_iter.h"

int __tdp_mmu_set_spte_atomic(struct kvm *kvm, struct tdp_iter *iter,
			      u64 new_spte);
int tdp_mmu_set_spte_atomic(struct kvm *kvm, struct tdp_iter *iter,
			    u64 new_spte);
u64 tdp_mmu_set_spte(struct kvm *kvm, struct kvm_mmu_page *sp,
		     tdp_ptep_t sptep, u64 old_spte, u64 new_spte, gfn_t gfn,
		     int level);
void tdp_mmu_iter_set_spte(struct kvm *kvm, struct tdp_iter *iter,
			   u64 new_spte);

#endif /* TDXMM_TDP_MMU_H */
