/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invariants of SPEC.md part C as ACSL predicates.  Each carries its ID;
 * contracts in impl/ name their clauses after it (ensures INV_05: ...), and
 * model/inv_spte.c holds the C checker of the same ID.
 */
#ifndef TDXMM_ACSL_INVARIANTS_H
#define TDXMM_ACSL_INVARIANTS_H

#include "spte.h"

/*@
  // INV-02: only the freeze owner stores to a frozen SPTE.  Sequentially:
  // a setter that does not own the freeze leaves a frozen SPTE unchanged.
  predicate INV_02_not_owner_unchanged(u64 before, u64 after) =
	spte_frozen(before) ==> after == before;

  // INV-03: an installer leaves the SPTE unfrozen when it returns.
  predicate INV_03_unfrozen(u64 s) = !spte_frozen(s);

  // INV-04: a non-atomic store needs mmu_lock for write and no FROZEN value.
  predicate INV_04_plain_store(u64 old, u64 new) =
	!spte_frozen(old) && !spte_frozen(new);

  // INV-05: after a failed atomic attempt the iterator's snapshot equals
  // the value the cmpxchg observed.
  predicate INV_05_refreshed(u64 snapshot, u64 observed) =
	snapshot == observed;

  // INV-06: a present leaf is never replaced in place by a present leaf
  // with another PFN.
  predicate INV_06_no_retarget(u64 old, u64 new, integer level) =
	!(spte_leaf(old, level) && spte_leaf(new, level) &&
	  spte_pfn(old) != spte_pfn(new));

  // INV-07: no hugepage promotion (non-leaf -> leaf) on a mirror root.
  predicate INV_07_no_promotion(u64 old, u64 new, integer level) =
	!(spte_nonleaf(old, level) && spte_leaf(new, level));

  // INV-01: FROZEN_SPTE is non-present, has no RWX and no PFN bits, and
  // differs from SHADOW_NONPRESENT_VALUE; make_*_spte() results differ from
  // it (their contracts, ensures INV_01).  Written out rather than as a
  // predicate: Qed evaluates constant masks only when it sees them.
  lemma INV_01:
	(SPEC_FROZEN_SPTE & SPEC_SPTE_MMU_PRESENT_MASK) == 0 &&
	(SPEC_FROZEN_SPTE & SPEC_VMX_EPT_RWX_MASK) == 0 &&
	(SPEC_FROZEN_SPTE & SPEC_SPTE_BASE_ADDR_MASK) == 0 &&
	SPEC_FROZEN_SPTE != SPEC_SHADOW_NONPRESENT_VALUE;
*/

#endif
