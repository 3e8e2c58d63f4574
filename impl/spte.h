/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPTE encoding and predicates (upstream arch/x86/kvm/mmu/spte.h, SPEC A1).
 * Pure functions of the 64-bit value; contracts tie each one to the ACSL
 * logic in model/acsl/spte.h.
 */
#ifndef TDXMM_SPTE_H
#define TDXMM_SPTE_H

#include "env.h"
#include "kvm.h"

#define SPTE_MMU_PRESENT_MASK		BIT_ULL(11)
#define SHADOW_NONPRESENT_VALUE		BIT_ULL(63)
#define PT_PAGE_SIZE_MASK		BIT_ULL(7)
#define VMX_EPT_RWX_MASK		0x7ULL
#define VMX_EPT_MT_WB			(6ULL << 3)	/* EPT memtype WB */
#define SPTE_BASE_ADDR_MASK		0x000FFFFFFFFFF000ULL	/* 51:12 */
#define SPTE_PFN_MAX			(SPTE_BASE_ADDR_MASK >> PAGE_SHIFT)

/*
 * A frozen SPTE is owned by the thread that installed it (INV-02).  Bits
 * 5,7,8,10 and 63: not MMU-present (bit 11 clear), no RWX so hardware sees
 * it as not-present, no PFN bits so it is no L1TF gadget (INV-01).
 */
#define FROZEN_SPTE			(SHADOW_NONPRESENT_VALUE | 0x5a0ULL)

/* The SPTE bits every leaf/non-leaf of ours carries besides the PFN. */
#define SPTE_NONLEAF_BITS	(SPTE_MMU_PRESENT_MASK | VMX_EPT_RWX_MASK)
#define SPTE_LEAF_BITS		(SPTE_MMU_PRESENT_MASK | VMX_EPT_RWX_MASK | \
				 VMX_EPT_MT_WB)

/*@ assigns \nothing;
    ensures \result <==> spte_present(spte); */
static inline bool is_shadow_present_pte(u64 spte)
{
	return !!(spte & SPTE_MMU_PRESENT_MASK);
}

/*@ assigns \nothing;
    ensures \result <==> spte_large(spte); */
static inline bool is_large_pte(u64 spte)
{
	return !!(spte & PT_PAGE_SIZE_MASK);
}

/*
 * Meaningful for present SPTEs only: FROZEN_SPTE has bit 7 set, so callers
 * gate with is_shadow_present_pte() (was_leaf = was_present && last).
 */
/*@ assigns \nothing;
    ensures \result <==> spte_last(spte, level); */
static inline bool is_last_spte(u64 spte, int level)
{
	return level == PG_LEVEL_4K || is_large_pte(spte);
}

/*@ assigns \nothing;
    ensures \result <==> spte_frozen(spte); */
static inline bool is_frozen_spte(u64 spte)
{
	return spte == FROZEN_SPTE;
}

/*@ assigns \nothing;
    ensures \result == spte_pfn(spte);
    ensures bound: \result <= SPEC_PFN_MAX; */
static inline kvm_pfn_t spte_to_pfn(u64 spte)
{
	return (spte & SPTE_BASE_ADDR_MASK) >> PAGE_SHIFT;
}

/*@ requires pfn <= SPEC_PFN_MAX;
    assigns \nothing;
    ensures INV_01: \result != SPEC_FROZEN_SPTE;
    ensures present: (\result & SPEC_SPTE_MMU_PRESENT_MASK) != 0;
    ensures nonleaf: (\result & SPEC_PT_PAGE_SIZE_MASK) == 0;
    ensures rwx: (\result & 1) != 0 && (\result & 2) != 0 && (\result & 4) != 0;
    ensures pfn: spte_pfn(\result) == pfn; */
u64 make_nonleaf_spte(kvm_pfn_t pfn);

/*@ requires pfn <= SPEC_PFN_MAX;
    requires PG_LEVEL_4K <= level <= PG_LEVEL_1G;
    requires aligned: pfn % (1 << ((level - 1) * 9)) == 0;
    assigns \nothing;
    ensures INV_01: \result != SPEC_FROZEN_SPTE;
    ensures present: (\result & SPEC_SPTE_MMU_PRESENT_MASK) != 0;
    ensures large: level > PG_LEVEL_4K ==> (\result & SPEC_PT_PAGE_SIZE_MASK) != 0;
    ensures small: level == PG_LEVEL_4K ==> (\result & SPEC_PT_PAGE_SIZE_MASK) == 0;
    ensures rwx: (\result & 1) != 0 && (\result & 2) != 0 && (\result & 4) != 0;
    ensures pfn: spte_pfn(\result) == pfn; */
u64 make_leaf_spte(kvm_pfn_t pfn, int level);

#endif /* TDXMM_SPTE_H */
