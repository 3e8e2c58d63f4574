/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API's executable specification for the bounded checkers: an abstract
 * TD (which gfn maps which pfn at which level, which page tables exist, the
 * life cycle, the bugged flag, references taken through the DPAMT API) and,
 * for each operation and injected SEAMCALL fault, the results SPEC.md B7-B11
 * allow and the abstract state afterwards.  harness/bmc runs it in
 * lock-step with impl/ and compares.  Physical placement (which pool page
 * became which S-EPT page) is not modelled: the invariant checkers judge it.
 *
 * Plain C, no libc.
 */
#ifndef TDXMM_MODEL_TD_MODEL_H
#define TDXMM_MODEL_TD_MODEL_H

#include "env.h"
#include "tdx_module.h"

#define TDM_BLOCKS	4	/* 2M blocks: gfn 0, 512, 262144, the last one */
#define TDM_TABLES	12	/* page tables below the root the universe can link */
#define TDM_PFNS	4	/* pfns the DPAMT API ops use directly */
#define TDM_DIRECT_MAX	1	/* references per such pfn (bounds the universe) */

enum tdm_op {
	TDM_MAP4K,	/* gfn, pfn */
	TDM_MAP2M,	/* gfn, pfn (2M aligned) */
	TDM_ZAP,	/* [gfn, gfn + n) */
	TDM_SPLIT,	/* gfn */
	TDM_PAMT_GET,	/* direct pfn index */
	TDM_PAMT_PUT,	/* direct pfn index */
	TDM_CTRL_ALLOC,
	TDM_CTRL_FREE,
	TDM_TEARDOWN,
	/* guest_memfd bound at gfn 0 (docs/SPEC-GMEM.md, impl/gmem.c) */
	TDM_GMEM_FAULT4K,	/* gfn, pfn: kvm_gmem_fault() */
	TDM_GMEM_FAULT2M,	/* gfn, pfn (2M aligned) */
	TDM_TO_SHARED,		/* [gfn, gfn + n): KVM_SET_MEMORY_ATTRIBUTES2 */
	TDM_TO_PRIVATE,		/* [gfn, gfn + n) */
	TDM_HOST_GUP,		/* gfn: the host maps it and takes a GUP reference */
	TDM_HOST_UNPIN,		/* gfn: that reference dropped */
};

/* One injected fault, placed in the fault-free call sequence of the step. */
struct tdm_fault {
	bool armed;
	enum tdx_seamcall sc;
	unsigned int nth;	/* which call of kind sc (1-based) */
	u64 status;
	bool always;		/* every call of kind sc from the nth on */
	/* calls of each kind the fault-free step makes before the fault */
	unsigned int before[SC_NR];
};

struct tdm_block {
	gfn_t gfn;		/* 2M-aligned first gfn */
	u64 pfn;		/* pfn of the first gfn (gmem-like: pfn + offset) */
	bool huge;		/* mapped by one 2M leaf */
	u64 map[8];		/* 4K leaves present, one bit per gfn offset */
	u64 alt_pfn;		/* gfn offset 0 maps this pfn instead, if set */
	u64 shared[8];		/* guest_memfd attribute not PRIVATE, per offset */
	u64 pinned[8];		/* a host GUP reference held, per offset */
};

struct td_model {
	int root_level;
	bool created, runnable, torn_down, bugged;
	struct tdm_block blk[TDM_BLOCKS];
	/* tables below the root: (level, first gfn) and whether linked */
	struct { int level; gfn_t gfn; bool linked; } tbl[TDM_TABLES];
	int nr_tbl;
	int direct[TDM_PFNS];	/* references taken by TDM_PAMT_GET */
	int ctrl;		/* pages from TDM_CTRL_ALLOC, not freed */
	int ctrl_max;
};

/* Result codes a step may return (besides >= 0 counts, given exactly). */
struct tdm_expect {
	int nr;
	int ret[4];		/* any of these */
	bool bugged;		/* the VM is bugged afterwards */
	bool warn_ok;		/* a WARN is allowed (a fault or a bad input) */
};

void tdm_init(struct td_model *m, int root_level, const gfn_t *block_gfn,
	      const u64 *block_pfn, int ctrl_max);
/* gfn's 4K leaf: its pfn, or 0 if not mapped (level in *level, 0 if none). */
u64 tdm_lookup(const struct td_model *m, gfn_t gfn, int *level);
/* gfn's guest_memfd page: shared (not PRIVATE); a host GUP reference on it. */
bool tdm_shared(const struct td_model *m, gfn_t gfn);
bool tdm_pinned(const struct td_model *m, gfn_t gfn);
/*
 * Apply one operation: fills @e with the allowed results and updates @m to
 * the state after it.  @pfn is the pfn argument of map ops, @n the length of
 * a zap (gfns), @idx the direct pfn of a get/put.
 */
void tdm_step(struct td_model *m, enum tdm_op op, gfn_t gfn, u64 pfn, u64 n,
	      int idx, const struct tdm_fault *f, struct tdm_expect *e);
/* Abstract-state hash input: the model's own bytes that matter. */
u64 tdm_hash(const struct td_model *m, u64 h);

#endif
