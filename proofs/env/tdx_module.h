/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frama-C backend of the TDX module seam: under WP, impl/tdx.c's
 * #include "tdx_module.h" finds this file (-Iproofs/env comes before
 * -Imodel) instead of the simulator's header.  Each SEAMCALL is a contract
 * over the ghost state of model/acsl/external.h:
 *   - a failed call leaves the S-EPT as it was (the module is failure-
 *     atomic per call, table E);
 *   - the leaf-removal steps drive tdxmm_rm, and each step requires the one
 *     before it (INV-16).  The simulator checks the same order at run time.
 * Statuses are the simulator's (model/tdx_errno.h), shared, not restated.
 */
#ifndef TDXMM_MODEL_TDX_MODULE_H
#define TDXMM_MODEL_TDX_MODULE_H

#include "tdx_errno.h"
#include "tdx_sysinfo.h"
#include "acsl/pamt.h"

struct tdx_td;

/*@ requires \valid(td);
    assigns *td, tdxmm_sept; */
u64 tdh_mng_create(u64 tdr_pfn, u64 root_pfn, int root_level, u64 hkid,
		   struct tdx_td **td);
/*@ assigns tdxmm_sept; */
u64 tdh_mng_key_config(struct tdx_td *td);
/*@ assigns tdxmm_sept; */
u64 tdh_mr_finalize(struct tdx_td *td);
/*@ assigns tdxmm_sept; */
u64 tdh_mng_vpflushdone(struct tdx_td *td);
/*@ assigns tdxmm_sept; */
u64 tdh_phymem_cache_wb(bool resume);
/*@ assigns tdxmm_sept; */
u64 tdh_mng_key_freeid(struct tdx_td *td);

/*@ requires \valid(ext_err1) && \valid(ext_err2);
    assigns *ext_err1, *ext_err2, tdxmm_sept;
    ensures INV_12: \result != TDX_SUCCESS ==> tdxmm_sept == \old(tdxmm_sept);
*/
u64 tdh_mem_sept_add(struct tdx_td *td, u64 gpa, int level, u64 pfn,
		     u64 *ext_err1, u64 *ext_err2);

/*@ requires \valid(ext_err1) && \valid(ext_err2);
    assigns *ext_err1, *ext_err2, tdxmm_sept;
    ensures INV_12: \result != TDX_SUCCESS ==> tdxmm_sept == \old(tdxmm_sept);
*/
u64 tdh_mem_page_aug(struct tdx_td *td, u64 gpa, int level, u64 pfn,
		     u64 *ext_err1, u64 *ext_err2);

/*@ requires \valid(ext_err1) && \valid(ext_err2);
    assigns *ext_err1, *ext_err2, tdxmm_sept;
    ensures INV_12: \result != TDX_SUCCESS ==> tdxmm_sept == \old(tdxmm_sept);
*/
u64 tdh_mem_page_add(struct tdx_td *td, u64 gpa, u64 pfn, u64 src_pfn,
		     u64 *ext_err1, u64 *ext_err2);

/* BLOCK starts a removal or split; a refused BLOCK blocked nothing. */
/*@ requires \valid(ext_err1) && \valid(ext_err2);
    assigns *ext_err1, *ext_err2, tdxmm_sept, tdxmm_rm;
    ensures INV_16: \result == TDX_SUCCESS ==> tdxmm_rm == TDXMM_RM_BLOCKED;
    ensures INV_16: \result != TDX_SUCCESS ==> tdxmm_rm == TDXMM_RM_IDLE;
    ensures INV_12: \result != TDX_SUCCESS ==> tdxmm_sept == \old(tdxmm_sept);
*/
u64 tdh_mem_range_block(struct tdx_td *td, u64 gpa, int level,
			u64 *ext_err1, u64 *ext_err2);

/* A refused TRACK leaves the range blocked: it may be tried again. */
/*@ assigns tdxmm_rm;
    ensures INV_16: \result == TDX_SUCCESS &&
		    \old(tdxmm_rm) == TDXMM_RM_BLOCKED ==>
		    tdxmm_rm == TDXMM_RM_TRACKED;
    ensures INV_16: !(\result == TDX_SUCCESS &&
		      \old(tdxmm_rm) == TDXMM_RM_BLOCKED) ==>
		    tdxmm_rm == \old(tdxmm_rm);
*/
u64 tdh_mem_track(struct tdx_td *td);

/*@ requires INV_16: tdxmm_rm == TDXMM_RM_TRACKED;
    requires \valid(ext_err1) && \valid(ext_err2);
    assigns *ext_err1, *ext_err2, tdxmm_sept, tdxmm_rm;
    ensures INV_16: \result == TDX_SUCCESS ==> tdxmm_rm == TDXMM_RM_REMOVED;
    ensures INV_16: \result != TDX_SUCCESS ==> tdxmm_rm == \old(tdxmm_rm);
    ensures INV_12: \result != TDX_SUCCESS ==> tdxmm_sept == \old(tdxmm_sept);
*/
u64 tdh_mem_page_remove(struct tdx_td *td, u64 gpa, int level,
			u64 *ext_err1, u64 *ext_err2);

/*@ requires \valid(ext_err1) && \valid(ext_err2);
    assigns *ext_err1, *ext_err2, tdxmm_sept;
*/
u64 tdh_mem_sept_remove(struct tdx_td *td, u64 gpa, int level,
			u64 *ext_err1, u64 *ext_err2);

/*@ requires \valid(tdx_pt) && \valid(tdx_owner) && \valid(tdx_size);
    assigns *tdx_pt, *tdx_owner, *tdx_size, tdxmm_sept;
*/
u64 tdh_phymem_page_reclaim(u64 pfn, u64 *tdx_pt, u64 *tdx_owner,
			    u64 *tdx_size);

/* With the TD's key only for a page just removed (INV-16). */
/*@ requires INV_16: tdxmm_rm == TDXMM_RM_REMOVED;
    assigns \nothing;
*/
u64 tdh_phymem_page_wbinvd_hkid(u64 hkid, u64 pfn);
/* The TDR after its RECLAIM, with the global KeyID (SPEC 0.4.8). */
/*@ assigns \nothing; */
u64 tdh_phymem_page_wbinvd_tdr(struct tdx_td *td);
/* Upstream's kernel function (X86_BUG_TDX_PW_MCE): no module state. */
/*@ assigns \nothing; */
void tdx_quirk_reset_page(u64 pfn);

/*@ requires INV_16: tdxmm_rm == TDXMM_RM_TRACKED;
    requires \valid(ext_err1) && \valid(ext_err2);
    requires pamt_pa == \null || \valid_read(pamt_pa + (0 .. 1));
    requires R7: pamt_pa != \null ==> pamt_lock.held == LOCK_WRITE;
    assigns *ext_err1, *ext_err2, tdxmm_sept, tdxmm_rm, tdxmm_pamt;
    ensures INV_16: \result == TDX_SUCCESS ==> tdxmm_rm == TDXMM_RM_IDLE;
    ensures INV_16: \result != TDX_SUCCESS ==> tdxmm_rm == \old(tdxmm_rm);
    ensures INV_12: \result != TDX_SUCCESS ==> tdxmm_sept == \old(tdxmm_sept);
*/
u64 tdh_mem_page_demote(struct tdx_td *td, u64 gpa, int level,
			u64 new_sept_pfn, const u64 *pamt_pa, u64 *ext_err1,
			u64 *ext_err2);

#define TDX_DPAMT_ENTRY_PAGE_CNT	2

/*@ requires INV_33: INV_33_serialized(pamt_lock.held);
    requires \valid_read(pa + (0 .. 1));
    assigns tdxmm_pamt;
    ensures \result == TDX_SUCCESS ==> pamt_inst(tdxmm_pamt, pamt_rc(pfn));
    ensures \result != TDX_SUCCESS ==> tdxmm_pamt == \old(tdxmm_pamt);
*/
u64 tdh_phymem_pamt_add(u64 pfn, const u64 *pa);
/*@ requires INV_33: INV_33_serialized(pamt_lock.held);
    requires \valid(pa + (0 .. 1));
    assigns pa[0 .. 1], tdxmm_pamt;
    ensures \result == TDX_SUCCESS ==> !pamt_inst(tdxmm_pamt, pamt_rc(pfn));
    ensures \result != TDX_SUCCESS ==> tdxmm_pamt == \old(tdxmm_pamt);
*/
u64 tdh_phymem_pamt_remove(u64 pfn, u64 *pa);

#endif
