/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Evidence: how many times this process evaluated each invariant's check
 * (model/'s checkers and the oracle's).  The harnesses write the counts
 * with their results (bmc's and mc's summaries), so the report can say
 * which checker evaluated an invariant in this run, and how often, rather
 * than which source file names it.
 */
#ifndef TDXMM_MODEL_EVIDENCE_H
#define TDXMM_MODEL_EVIDENCE_H

#include "model_types.h"

#define TDXMM_NR_INV	41	/* INV-01 .. INV-40; index 0 unused */

extern u64 tdxmm_inv_evaluated[TDXMM_NR_INV];

/* One evaluation of INV-@n's check (relaxed: checkers may run on threads). */
static inline void tdxmm_evidence(int n)
{
	__atomic_fetch_add(&tdxmm_inv_evaluated[n], 1, __ATOMIC_RELAXED);
}

/* @count evaluations at once (a checker that counts in its own terms). */
static inline void tdxmm_evidence_add(int n, u64 count)
{
	__atomic_fetch_add(&tdxmm_inv_evaluated[n], count, __ATOMIC_RELAXED);
}

/* GMEM-01 .. GMEM-18 (docs/SPEC-GMEM.md); index 0 unused. */
#define TDXMM_NR_GMEM	19
extern u64 tdxmm_gmem_evaluated[TDXMM_NR_GMEM];

static inline void tdxmm_gmem_evidence(int n)
{
	__atomic_fetch_add(&tdxmm_gmem_evaluated[n], 1, __ATOMIC_RELAXED);
}

void tdxmm_evidence_reset(void);

#endif
