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

#endif
