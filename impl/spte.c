// SPDX-License-Identifier: GPL-2.0
/*
 * SPTE constructors (upstream make_nonleaf_spte() / make_spte(), reduced
 * to what a TDX mirror needs: full RWX, WB memtype on leafs).
 */
#include "env.h"
#include "spte.h"

/* INV-01, at compile time in every backend. */
_Static_assert(!(FROZEN_SPTE & SPTE_MMU_PRESENT_MASK), "INV-01: frozen is present");
_Static_assert(!(FROZEN_SPTE & VMX_EPT_RWX_MASK), "INV-01: frozen has RWX");
_Static_assert(!(FROZEN_SPTE & SPTE_BASE_ADDR_MASK), "INV-01: frozen has PFN bits");
_Static_assert(FROZEN_SPTE != SHADOW_NONPRESENT_VALUE, "INV-01: frozen is plain nonpresent");

u64 make_nonleaf_spte(kvm_pfn_t pfn)
{
	return (pfn << PAGE_SHIFT) | SPTE_NONLEAF_BITS;
}

u64 make_leaf_spte(kvm_pfn_t pfn, int level)
{
	/* One constant per path: keeps the bit facts within WP's reach. */
	if (level > PG_LEVEL_4K)
		return (pfn << PAGE_SHIFT) | (SPTE_LEAF_BITS | PT_PAGE_SIZE_MASK);
	return (pfn << PAGE_SHIFT) | SPTE_LEAF_BITS;
}
