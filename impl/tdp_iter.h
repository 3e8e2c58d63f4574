/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal tdp_iter and the SPTE write helpers of upstream
 * arch/x86/kvm/mmu/tdp_iter.h.
 */
#ifndef TDXMM_TDP_ITER_H
#define TDXMM_TDP_ITER_H

#include "env.h"
#include "kvm.h"
#include "spte.h"

/*
 * Upstream derives the owning page from sptep (is_mirror_sptep());
 * we carry it: mirror-ness is fixed per root, and reading it needs no RCU
 * (the R9 lesson).  TDX has one address space, so no as_id.
 */
struct tdp_iter {
	tdp_ptep_t sptep;	/* the entry being looked at */
	u64 old_spte;		/* snapshot: the value last observed at sptep */
	gfn_t gfn;
	int level;
	bool yielded;
	struct kvm_mmu_page *sp;	/* the table holding sptep */
};

/*@ requires \valid_read(sptep);
    assigns \nothing;
    ensures \result == *sptep; */
static inline u64 kvm_tdp_mmu_read_spte(tdp_ptep_t sptep)
{
	return READ_ONCE(*rcu_dereference(sptep));
}

/*@ requires \valid(sptep);
    assigns *sptep;
    ensures *sptep == new_spte; */
static inline void __kvm_tdp_mmu_write_spte(tdp_ptep_t sptep, u64 new_spte)
{
	WRITE_ONCE(*rcu_dereference(sptep), new_spte);
}

/*@ requires \valid(sptep);
    assigns *sptep;
    ensures *sptep == new_spte && \result == \old(*sptep); */
static inline u64 kvm_tdp_mmu_write_spte_atomic(tdp_ptep_t sptep, u64 new_spte)
{
	return xchg(rcu_dereference(sptep), new_spte);
}

/*
 * Upstream xchg()s only present leafs whose A/D or W bits hardware or the
 * fast-PF path may set outside mmu_lock.  We cannot tell those bits apart
 * in this reduced encoding, so every present leaf is exchanged atomically:
 * never wrong, only slower.
 */
/*@ assigns \nothing;
    ensures \result <==> spte_leaf(old_spte, level); */
static inline bool spte_needs_atomic_update(u64 old_spte, int level)
{
	return is_shadow_present_pte(old_spte) && is_last_spte(old_spte, level);
}

/*@ requires \valid(sptep) && *sptep == old_spte;
    assigns *sptep;
    ensures *sptep == new_spte && \result == old_spte; */
static inline u64 kvm_tdp_mmu_write_spte(tdp_ptep_t sptep, u64 old_spte,
					 u64 new_spte, int level)
{
	if (spte_needs_atomic_update(old_spte, level))
		return kvm_tdp_mmu_write_spte_atomic(sptep, new_spte);

	__kvm_tdp_mmu_write_spte(sptep, new_spte);
	return old_spte;
}

#endif /* TDXMM_TDP_ITER_H */
