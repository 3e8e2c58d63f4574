/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dynamic PAMT (SPEC A6, B11; upstream arch/x86/virt/vmx/tdx/tdx.c after
 * the "TDX: Dynamic PAMT" series, v6 design): a 2M region needs its page
 * pair installed while any 4K page in it is used by TDX.  One refcount per
 * region decides when to add and remove the pair.
 */
#ifndef TDXMM_PAMT_H
#define TDXMM_PAMT_H

#include "env.h"
#include "kvm.h"
#include "acsl/pamt.h"

/* Serializes PAMT.ADD/REMOVE and the 0 <-> 1 steps (INV-33). */
extern spinlock_t pamt_lock;
/* Pairs left to the module after a failed PAMT.REMOVE (R15). */
extern atomic64_t pamt_leaked_pairs;

/* A range of TDX memory [start_pfn, end_pfn), 2M aligned (a TDMR). */
struct tdx_memblock {
	u64 start_pfn, end_pfn;
};
#define TDX_MAX_MEMBLOCKS	16

/*
 * The refcounts exist only for TDX memory: one array per memblock, found
 * by binary search, so a hole in the memory map costs nothing (INV-40).
 * Returns 0, -EINVAL for unsorted/overlapping/misaligned blocks, -ENOMEM.
 */
int tdx_pamt_init(const struct tdx_memblock *blocks, int nr);
void tdx_pamt_exit(void);
/*@ assigns \nothing;
    ensures \result <==> dpamt_on; */
bool tdx_supports_dynamic_pamt(void);
/* The refcount of @pfn's region; NULL outside TDX memory. */
/*@ assigns \nothing;
    ensures INV_40: \result == pamt_rc(pfn);
    ensures \result == \null || \valid(\result); */
atomic_t *tdx_find_pamt_refcount(u64 pfn);
/* Bytes of refcount memory in use, and pairs leaked by a failed REMOVE. */
unsigned long tdx_pamt_refcount_bytes(void);
unsigned long tdx_pamt_leaked_pairs(void);
/* pamt_lock is held (an observer for the R7 test). */
bool tdx_pamt_locked(void);

/*
 * A reference on @pfn's region for a 4K use (levels above 4K: no-op, 0).
 * The first reference installs the pair, taken from @cache (NULL: allocate,
 * only where sleeping is allowed).  0, -ENOMEM (no pair), -EIO (the module
 * refused PAMT.ADD, warned), -EINVAL (pfn outside TDX memory, warned).
 */
/*@ requires cache == \null ||
	     (\valid(cache) && 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX &&
	      \separated(cache, pamt_rc(pfn)));
    requires INV_33: pamt_lock.held == LOCK_NONE;
    requires pamt_rc_bounded(pfn);
    assigns tdxmm_pamt, pamt_lock.held, pamt_rc(pfn)->counter,
	    cache->cnt, cache->pages[0 .. TDX_PAMT_CACHE_MAX - 1];
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures INV_36: INV_36_get_result(\result);
    ensures cache != \null ==> 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX;
    ensures INV_31: \old(INV_31_at(tdxmm_pamt, pfn)) ==>
		    INV_31_at(tdxmm_pamt, pfn);
    ensures INV_30: \result == 0 && !INV_37_no_reference(level) &&
		    pamt_rc(pfn) != \null && \old(pamt_rc(pfn)->counter) >= 0 ==>
		    INV_30_one_more{Pre, Post}(pamt_rc(pfn));
    ensures INV_30: \result != 0 && pamt_rc(pfn) != \null ==>
		    pamt_rc(pfn)->counter == \old(pamt_rc(pfn)->counter);
    ensures INV_37: INV_37_no_reference(level) ==> \result == 0 &&
		    tdxmm_pamt == \old(tdxmm_pamt);
*/
int tdx_pamt_get(u64 pfn, int level, struct tdx_pamt_cache *cache);
/* Drop it; the last one removes the pair.  Never fails visibly (INV-36). */
/*@ requires INV_33: pamt_lock.held == LOCK_NONE;
    assigns tdxmm_pamt, pamt_lock.held, pamt_rc(pfn)->counter,
	    pamt_leaked_pairs.counter;
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures INV_31: \old(INV_31_at(tdxmm_pamt, pfn)) ==>
		    INV_31_at(tdxmm_pamt, pfn);
    ensures INV_32: dpamt_on && level == PG_LEVEL_4K && pamt_rc(pfn) != \null &&
		    \old(pamt_rc(pfn)->counter) == 1 &&
		    \old(INV_31_at(tdxmm_pamt, pfn)) ==>
		    INV_32_no_stale_pair(tdxmm_pamt, pamt_rc(pfn));
    ensures INV_30: !INV_37_no_reference(level) && pamt_rc(pfn) != \null &&
		    \old(pamt_rc(pfn)->counter) > 1 ==>
		    INV_30_one_less{Pre, Post}(pamt_rc(pfn));
    ensures INV_30: pamt_rc(pfn) != \null &&
		    \old(pamt_rc(pfn)->counter) <= 0 ==>
		    pamt_rc(pfn)->counter == \old(pamt_rc(pfn)->counter);
*/
void tdx_pamt_put(u64 pfn, int level);

/* Fill @cache with pages for @npairs pairs while sleeping is allowed. */
int tdx_topup_pamt_cache(struct tdx_pamt_cache *cache, unsigned long npairs);
void tdx_free_pamt_cache(struct tdx_pamt_cache *cache);

/*
 * A page the module may own (TDR, TDCS, S-EPT page): allocated (may sleep)
 * with a reference on its region taken (B11.7), or NULL with nothing
 * changed.  Its pfn is known only after the allocation, so the frame is
 * every refcount of TDX memory.
 */
/*@ requires INV_33: pamt_lock.held == LOCK_NONE;
    requires INV_38: INV_38_may_sleep;
    requires \forall integer p; 0 <= p <= SPEC_PFN_MAX ==> pamt_rc_bounded(p);
    assigns tdxmm_pamt, pamt_lock.held,
	    { pamt_rc(p)->counter | integer p; 0 <= p <= SPEC_PFN_MAX };
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures INV_34: \let p = virt_pfn(\result);
		    \result != \null && dpamt_on && pamt_rc(p) != \null &&
		    \at(pamt_rc(p)->counter, Pre) >= 0 ==>
		    INV_30_one_more{Pre, Post}(pamt_rc(p));
    ensures INV_31: \let p = virt_pfn(\result); \result != \null ==>
		    (\at(INV_31_at(tdxmm_pamt, p), Pre) ==>
		     INV_31_at(tdxmm_pamt, p));
    ensures \result == \null || \valid((char *)\result + (0 .. PAGE_SIZE - 1));
*/
void *tdx_alloc_control_page(void);
/* Drop the page's reference (the last one removes the pair), free it. */
/*@ requires INV_33: pamt_lock.held == LOCK_NONE;
    assigns tdxmm_pamt, pamt_lock.held, pamt_rc(virt_pfn(page))->counter,
	    pamt_leaked_pairs.counter;
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures INV_31: page != \null ==>
		    (\old(INV_31_at(tdxmm_pamt, virt_pfn(page))) ==>
		     INV_31_at(tdxmm_pamt, virt_pfn(page)));
    ensures INV_30: \let rc = pamt_rc(virt_pfn(page));
		    page != \null && dpamt_on && rc != \null &&
		    \old(rc->counter) > 1 ==> INV_30_one_less{Pre, Post}(rc);
    ensures INV_32: \let rc = pamt_rc(virt_pfn(page));
		    page != \null && dpamt_on && rc != \null &&
		    \old(rc->counter) == 1 &&
		    \old(INV_31_at(tdxmm_pamt, virt_pfn(page))) ==>
		    INV_32_no_stale_pair(tdxmm_pamt, rc);
    ensures page == \null ==> tdxmm_pamt == \old(tdxmm_pamt);
*/
void tdx_free_control_page(void *page);

/*
 * DEMOTE of a 2M leaf installs a pair for its region (B11.9).  The pair is
 * taken from @cache before the split blocks anything (SPEC 0.4.9, -ENOMEM
 * with nothing changed) and given back if DEMOTE did not consume it.
 * begin/end bracket each DEMOTE call with pamt_lock, so no PAMT.ADD runs
 * meanwhile (R7) and no vCPU kick waits under it; end records a success
 * (refcount 0 -> 512, one per new 4K mapping).  Without DPAMT all four are
 * no-ops and DEMOTE gets no pair.
 */
/*@ requires \valid(cache) && \valid(pa + (0 .. 1));
    requires 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX;
    requires \separated(cache, pa + (0 .. 1));
    assigns pa[0 .. 1], cache->cnt, cache->pages[0 .. TDX_PAMT_CACHE_MAX - 1];
    ensures \result == 0 || \result == -ENOMEM;
    ensures 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX;
*/
int tdx_pamt_demote_prepare(struct tdx_pamt_cache *cache, u64 *pa);
/*@ requires \valid(cache) && \valid_read(pa + (0 .. 1));
    requires 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX;
    requires \separated(cache, pa + (0 .. 1));
    assigns cache->cnt, cache->pages[0 .. TDX_PAMT_CACHE_MAX - 1];
    ensures 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX;
*/
void tdx_pamt_demote_release(struct tdx_pamt_cache *cache, const u64 *pa);
/*@ requires INV_33: pamt_lock.held == LOCK_NONE;
    assigns pamt_lock.held;
    ensures R7: dpamt_on ==> pamt_lock.held == LOCK_WRITE;
    ensures !dpamt_on ==> pamt_lock.held == LOCK_NONE;
*/
void tdx_pamt_demote_begin(void);
/*@ requires R7: dpamt_on ==> pamt_lock.held == LOCK_WRITE;
    requires !dpamt_on ==> pamt_lock.held == LOCK_NONE;
    assigns pamt_lock.held, pamt_rc(pfn)->counter;
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures INV_30: \let rc = pamt_rc(pfn);
		    dpamt_on && success && rc != \null && \old(rc->counter) == 0 ==>
		    rc->counter == SPTE_ENT_PER_PAGE;
    ensures INV_37: \let rc = pamt_rc(pfn);
		    dpamt_on && success && rc != \null && \old(rc->counter) != 0 ==>
		    rc->counter == \old(rc->counter);
    ensures \let rc = pamt_rc(pfn); rc != \null && !(dpamt_on && success) ==>
		    rc->counter == \old(rc->counter);
*/
void tdx_pamt_demote_end(u64 pfn, bool success);

#endif /* TDXMM_PAMT_H */
