/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACSL view of the execution context (SPEC INV-38): what a primitive that
 * may sleep needs.  pamt_lock is the one global lock, so WP carries it;
 * mmu_lock (per VM) and RCU (per thread) are checked by the user and
 * kernel backends' might_sleep in their allocators (model/context_check.c).
 */
#ifndef TDXMM_ACSL_CONTEXT_H
#define TDXMM_ACSL_CONTEXT_H

/*@
  // INV-38: no sleeping allocation (nor any sleep) under pamt_lock.
  predicate INV_38_may_sleep = pamt_lock.held == LOCK_NONE;
*/

#endif
