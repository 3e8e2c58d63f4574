/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACSL logic for SPTEs (SPEC.md A1).  The Logic folder of the proofs, in
 * the manner of acsl-by-example: shared predicates, named after the spec.
 */
#ifndef TDXMM_ACSL_SPTE_H
#define TDXMM_ACSL_SPTE_H

#include "../spec.h"

/*@
  predicate spte_present(u64 s) = (s & SPEC_SPTE_MMU_PRESENT_MASK) != 0;
  predicate spte_large(u64 s) = (s & SPEC_PT_PAGE_SIZE_MASK) != 0;
  predicate spte_last(u64 s, integer level) =
	level == SPEC_PG_LEVEL_4K || spte_large(s);
  predicate spte_frozen(u64 s) = s == SPEC_FROZEN_SPTE;
  predicate spte_leaf(u64 s, integer level) =
	spte_present(s) && spte_last(s, level);
  predicate spte_nonleaf(u64 s, integer level) =
	spte_present(s) && !spte_last(s, level);
  logic integer spte_pfn(u64 s) = (s & SPEC_SPTE_BASE_ADDR_MASK) >> 12;
  predicate valid_level(integer level) =
	SPEC_PG_LEVEL_4K <= level <= SPEC_PT64_ROOT_MAX_LEVEL;
*/

/*
 * Bit-vector facts WP cannot prove over its integer encoding of & | << >>
 * (TOOLS.md s1).  Each axiom is also an SMT-LIB QF_BV query in
 * proofs/bitfacts/<name>.smt2, proved by z3 and cvc4 in `make proofs`;
 * scripts/bitfacts.sh fails if an axiom here has no query or a query is
 * not unsat.  Smoke tests catch an inconsistent set.
 */
/*@ axiomatic BitFacts {
  axiom shl12_bound:
	\forall u64 pfn; pfn <= SPEC_PFN_MAX ==> (pfn << 12) <= 0x000FFFFFFFFFF000;
  // INV-01's consequence the setters' proofs use: nothing present is
  // frozen.  (The provers cannot evaluate & on constants under \forall.)
  axiom present_not_frozen:
	\forall u64 s; spte_present(s) ==> !spte_frozen(s);
  axiom pfn_of_page:
	\forall u64 pfn, low; pfn <= SPEC_PFN_MAX && low <= 0xFFF ==>
		((((pfn << 12) | low) & SPEC_SPTE_BASE_ADDR_MASK) >> 12) == pfn;
  // An SPTE's pfn fits the 40-bit frame field: pfn + 511 cannot wrap.
  axiom pfn_bound:
	\forall u64 s; ((s & SPEC_SPTE_BASE_ADDR_MASK) >> 12) <= SPEC_PFN_MAX;
  // KVM_PAGES_PER_HPAGE(level) for levels 1..5: at most 2^36 pages.
  axiom hpage_bound:
	\forall integer k; 0 <= k <= 36 ==> 1 <= (1 << k) <= 0x1000000000;
} */

#endif
