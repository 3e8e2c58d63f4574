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

/*
 * INV-16 as a state machine: where the leaf removal in flight stands.
 * mmu_lock(write) serializes removals, so one cell suffices.  The SEAMCALL
 * contracts (proofs/env/tdx_module.h) move it and REMOVE, WBINVD(hkid) and
 * DEMOTE require the step before them.
 */
#define TDXMM_RM_IDLE		0
#define TDXMM_RM_BLOCKED	1
#define TDXMM_RM_TRACKED	2
#define TDXMM_RM_REMOVED	3
/*@ ghost extern int tdxmm_rm; */

/*
 * What handle_removed_pt() does to the subtree it takes apart (frozen
 * children, the deferred-free list): memory no longer reachable from the
 * root (INV-03), abstracted as one ghost cell.
 */
/*@ ghost extern int tdxmm_unlinked; */

/* The module's PAMT nodes and the kernel's refcounts, abstracted. */
/*@ ghost extern u64 tdxmm_pamt; */

/*
 * Everything one external hook call may change that the TDP MMU can see
 * (B9, B10): the frame of the abstract hook in impl/external.h.
 */
#define SEPT_HOOK_ASSIGNS(kvm)						\
	(kvm)->vm_bugged, (kvm)->vm_dead, tdxmm_sept, tdxmm_rm,		\
	(kvm)->stat.leaked_pages.counter, (kvm)->stat.vcpu_kicks.counter, \
	(kvm)->tdx.wait_for_sept_zap

/*
 * The TDX side also moves Dynamic PAMT state: the module's nodes, the pair
 * caches, pamt_lock (taken and released inside) and the leak count.  That
 * memory is disjoint from the mirror, so the abstract hook's frame leaves
 * it out; the refcounts a call touches are named per function.
 */
#define TDX_HOOK_ASSIGNS(kvm)						\
	SEPT_HOOK_ASSIGNS(kvm), tdxmm_pamt,				\
	PAMT_CACHE((kvm)->tdx.pamt_cache),				\
	PAMT_CACHE(tdxmm_running_vcpu->pamt_cache), pamt_lock.held,	\
	pamt_leaked_pairs.counter
#define PAMT_CACHE(c) (c).cnt, (c).pages[0 .. TDX_PAMT_CACHE_MAX - 1]
/* Every refcount of TDX memory: the frame when the page is found at run time. */
#define PAMT_RC_ALL { pamt_rc(p)->counter | integer p; 0 <= p <= SPEC_PFN_MAX }

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
