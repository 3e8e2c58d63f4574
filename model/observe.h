/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The observer API: what an outside user (a conformance test, a reviewer's
 * experiment, the checkers) may read of a TD without touching a struct
 * field.  Read-only; call it with no entry point in flight on that VM (the
 * walks take no lock).  Plain C, no libc: the kernel backend links it.
 *
 *   the mirror        tdxmm_walk_mirror(): each present SPTE, tables first
 *   the module        tdxmm_walk_sept(): each S-EPT entry not FREE;
 *                     tdxmm_page(): owner, TD, KeyID, cache lines of a page;
 *                     tdxmm_pamt_node(): a region's PAMT node
 *   Dynamic PAMT      tdxmm_pamt_refcount(): a region's count (a value);
 *                     tdxmm_pamt_holders(): who holds its references
 *   counters          tdxmm_counters(): leaks, WARNs, bugs, the bugged flag
 */
#ifndef TDXMM_MODEL_OBSERVE_H
#define TDXMM_MODEL_OBSERVE_H

#include "kvm.h"
#include "tdx_module.h"

struct tdxmm_spte_info {
	gfn_t gfn;		/* first gfn the entry covers */
	int level;		/* 1 = 4K */
	u64 spte;
	bool leaf;
	kvm_pfn_t pfn;		/* leaf: the first page; table: the table's page */
	u64 external_pfn;	/* table: its S-EPT page (0 if none) */
};

/*
 * Call @fn on each present SPTE of @kvm's mirror, a table before its
 * children, in gfn order; stop when @fn returns non-zero and return that.
 * FROZEN_SPTEs are not present: *@frozen (if not NULL) counts those
 * reachable (INV-03: none at rest).
 */
int tdxmm_walk_mirror(const struct kvm *kvm,
		      int (*fn)(const struct tdxmm_spte_info *e, void *arg),
		      void *arg, int *frozen);

struct tdxmm_sept_info {
	u64 gpa;
	int level;
	enum tdx_sept_state state;
	u64 pfn;		/* leaf: the page; table: the S-EPT page */
};

/* Each S-EPT entry of @kvm's TD that is not FREE (the simulator's view). */
int tdxmm_walk_sept(const struct kvm *kvm,
		    int (*fn)(const struct tdxmm_sept_info *e, void *arg),
		    void *arg);

struct tdxmm_page_info {
	enum tdx_page_owner owner;
	u64 td_tdr;		/* the owning TD's TDR pfn, 0 if none */
	u64 keyid;		/* the owning TD's HKID, 0 if none */
	bool unclean;		/* lines to write back or a reset to do */
};

void tdxmm_page(u64 pfn, struct tdxmm_page_info *p);
enum tdx_pamt_node tdxmm_pamt_node(u64 pfn);

/* @pfn's region's DPAMT refcount, or -1 outside TDX memory. */
int tdxmm_pamt_refcount(u64 pfn);

/*
 * Who holds the references of @pfn's region: the 4K pages the module holds
 * there by kind (each holds one reference, INV-34), 4K pages removed whose
 * lines or reset are still due (they keep theirs until the put; a 2M
 * leaf's pages never had one), and the
 * rest: the API's callers (control pages, direct gets) and a pair leaked
 * by a failed PAMT.REMOVE.  refcount == sum of all (INV-30).
 */
struct tdxmm_pamt_holders {
	int refcount;
	int guest_4k, sept, control;	/* pages the module holds */
	int unclean;			/* 4K pages removed, not yet written back and reset */
	int others;			/* refcount minus all of the above */
	enum tdx_pamt_node node;
};

int tdxmm_pamt_holders(u64 pfn, struct tdxmm_pamt_holders *h);

struct tdxmm_counters {
	s64 leaked_pages;		/* kvm->stat.leaked_pages (INV-18) */
	unsigned long leaked_pairs;	/* PAMT pairs a failed REMOVE left */
	unsigned long warns;		/* WARN_ON_ONCE conditions hit, every backend */
	unsigned long bugs;		/* BUG()s hit (user backend; fatal in the kernel) */
	unsigned long refused;		/* SEAMCALLs the module refused */
	unsigned long busy;		/* SEAMCALLs that met a held resource: BUSY */
	bool bugged;			/* KVM_BUG_ON fired on this VM */
	s64 pages_4k, pages_2m;		/* leaves mapped, as the VM's stats say */
};

void tdxmm_counters(const struct kvm *kvm, struct tdxmm_counters *c);

#endif
