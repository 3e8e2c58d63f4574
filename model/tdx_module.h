/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TDX module, executable: a simulator of the module's side of the
 * SEAMCALLs KVM uses for private memory (SPEC.md A5, B9-B10, E).
 *
 * The SEAMCALL functions carry upstream's wrapper names and arguments
 * (arch/x86/virt/vmx/tdx/tdx.c), with pfns for struct page and KVM page
 * levels (PG_LEVEL_4K = 1) as after V5 P01.  Each checks what the real
 * module checks and answers with the real status codes.  A call the real
 * module would reject is an implementation bug: it changes nothing, returns
 * the module's status, and is counted in tdxsim_rejections() for harnesses
 * to assert on.  Injected faults (tdxsim_inject) are not rejections.
 *
 * Plain C, no libc: the kernel backend links this file unchanged.
 */
#ifndef TDXMM_MODEL_TDX_MODULE_H
#define TDXMM_MODEL_TDX_MODULE_H

#include "model_types.h"
#include "tdx_errno.h"
#include "tdx_sysinfo.h"

/* S-EPT entry states (A5), with the module's public values. */
enum tdx_sept_state {
	SEPT_FREE = 0x00,
	SEPT_BLOCKED = 0x01,
	SEPT_PENDING = 0x02,
	SEPT_PENDING_BLOCKED = 0x03,
	SEPT_MAPPED = 0x04,
	SEPT_NL_BLOCKED = 0x81,
	SEPT_NL_MAPPED = 0x84,
};

/* Who owns a 4K physical page, as the module's PAMT would say. */
enum tdx_page_owner {
	TDX_PAGE_KERNEL = 0,	/* PT_NDA: not the module's */
	TDX_PAGE_TD_PRIVATE,	/* guest memory of a TD */
	TDX_PAGE_SEPT,		/* an S-EPT page of a TD */
	TDX_PAGE_CONTROL,	/* TDR / TDCS / TDVPR / TDCX */
	TDX_PAGE_PAMT_PAIR,	/* DPAMT backing of some 2M region */
};

/* A 2M region's PAMT node (A6). */
enum tdx_pamt_node {
	PAMT_NODE_NDA = 0,	/* no 4K backing: 4K pages cannot be used */
	PAMT_NODE_PAMT,		/* page pair installed: 4K pages can be used */
	PAMT_NODE_2M,		/* the region is one 2M TD page */
};

/* Pages per PAMT page pair (tdx_dpamt_entry_pages()). */
#define TDX_DPAMT_ENTRY_PAGE_CNT	2

/* TD life cycle as far as memory management sees it. */
enum tdx_td_state {
	TDX_TD_CONFIGURED,	/* HKID assigned, not finalized: PAGE.ADD */
	TDX_TD_RUNNABLE,	/* finalized: PAGE.AUG, vCPUs may run */
	TDX_TD_TEARDOWN,	/* HKID released: only RECLAIM */
};

/* The SEAMCALLs, for fault injection and call counters. */
enum tdx_seamcall {
	SC_MEM_SEPT_ADD,
	SC_MEM_PAGE_AUG,
	SC_MEM_PAGE_ADD,
	SC_MEM_RANGE_BLOCK,
	SC_MEM_TRACK,
	SC_MEM_PAGE_REMOVE,
	SC_MEM_SEPT_REMOVE,
	SC_PHYMEM_PAGE_RECLAIM,
	SC_PHYMEM_PAGE_WBINVD,
	SC_MEM_PAGE_DEMOTE,
	SC_PHYMEM_PAMT_ADD,
	SC_PHYMEM_PAMT_REMOVE,
	/* TD life cycle (SPEC 0.4.7) */
	SC_MNG_CREATE,
	SC_MNG_KEY_CONFIG,
	SC_MR_FINALIZE,
	SC_MNG_VPFLUSHDONE,
	SC_PHYMEM_CACHE_WB,
	SC_MNG_KEY_FREEID,
	SC_NR,
};

struct tdx_td;		/* one simulated TD; opaque to callers */

/* ---- module management (not SEAMCALLs) ---- */
void tdxsim_reset(void);
/*
 * A TD whose TDR is @tdr_pfn, with root S-EPT (a TDCS page) @root_pfn for a
 * mirror of @root_level (3..5).  HKID assigned, not finalized.  NULL if the
 * pages are not the kernel's or no TD slot is free.
 */
struct tdx_td *tdxsim_td_create(u64 tdr_pfn, u64 root_pfn, int root_level);
void tdxsim_td_finalize(struct tdx_td *td);		/* -> RUNNABLE */
void tdxsim_td_release_hkid(struct tdx_td *td);		/* -> TEARDOWN */
enum tdx_td_state tdxsim_td_state(const struct tdx_td *td);
u64 tdxsim_td_hkid(const struct tdx_td *td);

/*
 * The TD life-cycle SEAMCALLs as impl/ calls them, with fault injection.
 * Only their effect on memory management and keys is simulated.  HKID
 * release is VPFLUSHDONE, CACHE.WB, KEY.FREEID, in that order (SPEC 0.4.7).
 */
u64 tdh_mng_create(u64 tdr_pfn, u64 root_pfn, int root_level, u64 hkid,
		   struct tdx_td **td);
u64 tdh_mng_key_config(struct tdx_td *td);
u64 tdh_mr_finalize(struct tdx_td *td);
u64 tdh_mng_vpflushdone(struct tdx_td *td);
u64 tdh_phymem_cache_wb(bool resume);
u64 tdh_mng_key_freeid(struct tdx_td *td);

/* ---- the SEAMCALLs ---- */
u64 tdh_mem_sept_add(struct tdx_td *td, u64 gpa, int level, u64 pfn,
		     u64 *ext_err1, u64 *ext_err2);
u64 tdh_mem_page_aug(struct tdx_td *td, u64 gpa, int level, u64 pfn,
		     u64 *ext_err1, u64 *ext_err2);
u64 tdh_mem_page_add(struct tdx_td *td, u64 gpa, u64 pfn, u64 src_pfn,
		     u64 *ext_err1, u64 *ext_err2);
u64 tdh_mem_range_block(struct tdx_td *td, u64 gpa, int level,
			u64 *ext_err1, u64 *ext_err2);
u64 tdh_mem_track(struct tdx_td *td);
u64 tdh_mem_page_remove(struct tdx_td *td, u64 gpa, int level,
			u64 *ext_err1, u64 *ext_err2);
u64 tdh_mem_sept_remove(struct tdx_td *td, u64 gpa, int level,
			u64 *ext_err1, u64 *ext_err2);
u64 tdh_phymem_page_reclaim(u64 pfn, u64 *tdx_pt, u64 *tdx_owner,
			    u64 *tdx_size);
/* A write-back with another KeyID than the page's lines' is refused. */
u64 tdh_phymem_page_wbinvd_hkid(u64 hkid, u64 pfn);
/* The TDR, with the global KeyID (upstream's wrapper picks the key). */
u64 tdh_phymem_page_wbinvd_tdr(struct tdx_td *td);
/*
 * The kernel's tdx_quirk_reset_page() (X86_BUG_TDX_PW_MCE): after WBINVD or
 * RECLAIM, before the kernel reuses the page.  tdxsim_set_quirk(true) makes
 * the simulator require it (SPEC 0.4.8); resetting a page the module still
 * owns or whose lines are not written back is refused.
 */
void tdx_quirk_reset_page(u64 pfn);
void tdxsim_set_quirk(bool on);
/* With Dynamic PAMT, @pamt_pa is the pair DEMOTE installs for the region. */
u64 tdh_mem_page_demote(struct tdx_td *td, u64 gpa, int level,
			u64 new_sept_pfn, const u64 *pamt_pa, u64 *ext_err1,
			u64 *ext_err2);
/*
 * Dynamic PAMT (B11.1, B11.2): install the pair @pa for @pfn's 2M region,
 * or remove it (the pair is returned in @pa).
 */
u64 tdh_phymem_pamt_add(u64 pfn, const u64 *pa);
u64 tdh_phymem_pamt_remove(u64 pfn, u64 *pa);

/*
 * Dynamic PAMT on: from now on a 4K page can become a TD page, an S-EPT
 * page or a control page only while its region's node is PAMT.
 */
void tdxsim_set_dpamt(bool on);
enum tdx_pamt_node tdxsim_pamt_node(u64 pfn);

/* ---- fault injection: deterministic, only statuses the call can return ---- */
/*
 * Make call number @nth (1-based, counted from now) of kind @sc fail with
 * @status, or every call if @nth is 0.  Returns 0, or -1 if @sc cannot
 * really return @status (nothing is armed then).
 */
int tdxsim_inject(enum tdx_seamcall sc, unsigned int nth, u64 status);
void tdxsim_inject_clear(void);
bool tdxsim_can_return(enum tdx_seamcall sc, u64 status);
/* The statuses @sc can return besides success; count in *@nr. */
const u64 *tdxsim_statuses(enum tdx_seamcall sc, int *nr);

/*
 * Fault injection by call and argument: the @nth call of kind @sc (0:
 * every one) whose arguments match (@match: TDXSIM_MATCH_* bits) fails
 * with @status.  Up to TDXSIM_MAX_RULES rules, checked before the
 * per-kind injection of tdxsim_inject().  -1 (nothing armed) if @sc
 * cannot return @status or the rules are full.
 */
#define TDXSIM_MATCH_GPA	0x1
#define TDXSIM_MATCH_LEVEL	0x2
#define TDXSIM_MATCH_PFN	0x4
#define TDXSIM_MATCH_TDR	0x8
#define TDXSIM_MAX_RULES	8
struct tdxsim_fault {
	enum tdx_seamcall sc;
	unsigned int match;
	u64 gpa, pfn, tdr;
	int level;
	unsigned int nth;
	u64 status;
};
int tdxsim_inject_at(const struct tdxsim_fault *f);

/*
 * One SEAMCALL as the module saw it, for traces (docs/TRACE-FORMAT.md)
 * and checkers.  @td is the TD's TDR pfn (0: no TD argument).  The
 * arguments a call does not take are 0; @arg holds the others (PAGE.ADD:
 * the source pfn; WBINVD: the KeyID; DEMOTE, PAMT.ADD: the pair;
 * MNG.CREATE: root pfn, root level in @level, HKID in @arg[1]; CACHE.WB:
 * resume).  @out: ext_err1/2, RECLAIM's page type/owner/size, the pair
 * PAMT.REMOVE returns.  @seq orders the calls module-wide.
 */
#define TDXSIM_QUIRK_RESET	SC_NR	/* tdx_quirk_reset_page(), in traces */
#define TDXSIM_MODULE_RESET	(SC_NR + 1)	/* tdxsim_reset(), in traces */
struct tdxsim_call {
	unsigned int sc;	/* enum tdx_seamcall, or TDXSIM_QUIRK_RESET */
	u64 seq;
	u64 td, gpa, pfn;
	int level;
	u64 arg[2];
	u64 status;
	u64 out[3];
	bool injected;		/* the status came from an injected fault */
	u64 contended;		/* BUSY: a resource was held by a call in flight */
	int nheld;		/* resources taken (the simulator's) */
	bool rejected;		/* the module refused the call (tdxsim_rejections) */
};

/*
 * Call @fn at the end of every SEAMCALL, inside the module's lock, so the
 * calls reach it in the order they took effect (NULL: none).
 */
void tdxsim_set_trace_hook(void (*fn)(const struct tdxsim_call *c));
/*
 * The harness calls the module from one thread only: its lock is not
 * taken (bmc's workers spend a tenth of their time on it otherwise).
 * Resources are still taken, so a call from the call hook still meets them.
 */
void tdxsim_set_single_threaded(bool on);
/* "TDH.MEM.SEPT.ADD", ... ("QUIRK.RESET" for TDXSIM_QUIRK_RESET); -1 if unknown. */
const char *tdxsim_call_name(unsigned int sc);
int tdxsim_call_by_name(const char *name);

/*
 * The whole simulator state, for a checker that must try a call and undo
 * it (tdxmm-conform): tdxsim_state_size() bytes.
 */
unsigned long tdxsim_state_size(void);
void tdxsim_state_save(void *buf);
void tdxsim_state_load(const void *buf);
/* The TD whose TDR is @tdr_pfn, or NULL. */
struct tdx_td *tdxsim_td_by_tdr(u64 tdr_pfn);
u64 tdxsim_td_tdr(const struct tdx_td *td);

/*
 * Call @fn at the start of every SEAMCALL (NULL: none): lets a test run
 * another thread's step at the exact point where a caller is inside the
 * module, e.g. holding a freeze (R2).
 */
void tdxsim_set_call_hook(void (*fn)(enum tdx_seamcall sc));

/* ---- observers ---- */
unsigned long tdxsim_calls(enum tdx_seamcall sc);
unsigned long tdxsim_rejections(void);
/*
 * Calls that found a resource (S-EPT entry, page, region, TD epoch, TD)
 * held by another call in flight and returned TDX_OPERAND_BUSY.
 */
unsigned long tdxsim_contentions(void);
/* Why the last refused call was refused, and (if @sc) which call it was. */
const char *tdxsim_last_rejection(enum tdx_seamcall *sc);
enum tdx_sept_state tdxsim_sept_entry(const struct tdx_td *td, u64 gpa,
				      int level, u64 *pfn);
enum tdx_page_owner tdxsim_page_owner(u64 pfn, const struct tdx_td **td);
/*
 * Iterate @td's non-FREE S-EPT entries: start with *@cursor = 0; returns
 * false when there are no more.
 */
bool tdxsim_next_entry(const struct tdx_td *td, unsigned int *cursor,
		       u64 *gpa, int *level, enum tdx_sept_state *state,
		       u64 *pfn);
/*
 * Owner and unclean (tdxsim_page_unclean) of the @n pages from @first, in
 * one pass over the records (bounded checkers read every page after every
 * step).
 */
void tdxsim_page_infos(u64 first, unsigned long n, u8 *owner,
		       bool *needs_wbinvd);
/* A page removed from a TD keeps its HKID's cache lines until WBINVD. */
bool tdxsim_page_needs_wbinvd(u64 pfn);
/* ... or is not clean for the kernel yet: lines to write back, or a reset. */
bool tdxsim_page_unclean(u64 pfn);
/* ... and was given back by a 2M/1G leaf's removal (held no 4K reference). */
bool tdxsim_page_unclean_from_huge(u64 pfn);
/*
 * Pages the kernel may not reuse: owned by the module (any TD, any kind)
 * or still holding a TD key's cache lines.
 */
unsigned long tdxsim_pages_held(void);
/* Of those, pages of installed PAMT pairs. */
unsigned long tdxsim_pamt_pair_pages(void);
/* Pages the module owns for @td (all kinds): 0 once the TD is reclaimed. */
unsigned long tdxsim_td_pages(const struct tdx_td *td);
/*
 * INV-14 as the module sees it: S-EPT pages reclaimed while a child S-EPT
 * page below them was still the module's (child-before-parent broken).
 */
unsigned long tdxsim_order_violations(void);
/* The simulator ran out of its bounded tables: a harness error. */
bool tdxsim_overflowed(void);

#endif /* TDXMM_MODEL_TDX_MODULE_H */
