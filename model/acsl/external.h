/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ghost view of the external (S-EPT) state for WP: one abstract value that
 * the set_external_spte hook transforms.  Lets contracts say "the S-EPT was
 * updated exactly once with (old, new)" or "left unchanged" (INV-10, INV-12)
 * without modelling the TDX module in logic; model/ simulates it in C.
 */
#ifndef TDXMM_ACSL_EXTERNAL_H
#define TDXMM_ACSL_EXTERNAL_H

/*@ ghost extern u64 tdxmm_sept; */

/*@ axiomatic ExternalSept {
  logic u64 sept_apply(u64 st, integer gfn, u64 old, u64 new, integer level);
} */

/*@
  // INV-10 (install atomicity), at the hook: a successful external update
  // applied exactly this change, once.
  predicate INV_10_propagated(u64 after, u64 before, integer gfn, u64 old,
			      u64 new, integer level) =
	after == sept_apply(before, gfn, old, new, level);

  // INV-12 (failure atomicity): a failed external update left the S-EPT as
  // it was.
  predicate INV_12_unchanged(u64 after, u64 before) = after == before;
*/

#endif
