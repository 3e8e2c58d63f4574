/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACSL view of Dynamic PAMT (SPEC A6, INV-30..33): the refcount of a pfn's
 * 2M region and whether the module has the region's pair installed, over
 * the ghost module state tdxmm_pamt.  The SEAMCALL contracts
 * (proofs/env/tdx_module.h) move it; impl/pamt.c's contracts keep INV-31.
 */
#ifndef TDXMM_ACSL_PAMT_H
#define TDXMM_ACSL_PAMT_H

/*@ axiomatic Pamt {
  // The refcount of pfn's region (tdx_find_pamt_refcount), if any.
  logic atomic_t *pamt_rc(integer pfn);
  // The module has a pair installed for the region counted by rc.
  predicate pamt_inst(u64 st, atomic_t *rc);
  // Dynamic PAMT is enabled (tdx_supports_dynamic_pamt()).
  predicate dpamt_on;
  // Refcounts live in their own arrays (kvzalloc), not in pamt_lock.
  axiom rc_not_lock: \forall integer p; \separated(pamt_rc(p), &pamt_lock);
} */

/*@
  // INV-31: a region with references has its pair installed.
  predicate INV_31_rc_implies_pair(u64 st, atomic_t *rc) =
	rc->counter > 0 ==> pamt_inst(st, rc);
  // INV-32: once a put returned, a region without references has no pair.
  predicate INV_32_no_stale_pair(u64 st, atomic_t *rc) =
	rc->counter == 0 ==> !pamt_inst(st, rc);
  // INV-31 at pfn's region (none outside TDX memory, INV-40).
  predicate INV_31_at(u64 st, integer pfn) =
	pamt_rc(pfn) != \null ==> INV_31_rc_implies_pair(st, pamt_rc(pfn));
  // INV-30: a get adds exactly one reference, a put drops exactly one.
  predicate INV_30_one_more{L1, L2}(atomic_t *rc) =
	\at(rc->counter, L2) == \at(rc->counter, L1) + 1;
  predicate INV_30_one_less{L1, L2}(atomic_t *rc) =
	\at(rc->counter, L2) == \at(rc->counter, L1) - 1;
  // INV-33: PAMT.ADD/REMOVE only under pamt_lock.
  predicate INV_33_serialized(integer held) = held == LOCK_WRITE;
  // INV-36: get fails only for want of memory or a module refusal (and
  // for a pfn outside TDX memory); losing a race is no error.
  predicate INV_36_get_result(integer r) =
	r == 0 || r == -ENOMEM || r == -EIO || r == -EINVAL;
  // INV-37: references are for 4K uses only.
  predicate INV_37_no_reference(integer level) =
	level != SPEC_PG_LEVEL_4K || !dpamt_on;
  // A 4K reference on pfn's region can be counted without wrapping.
  predicate pamt_rc_bounded(integer pfn) =
	pamt_rc(pfn) != \null ==> pamt_rc(pfn)->counter < 2147483647;
*/

#endif
