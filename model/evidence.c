// SPDX-License-Identifier: GPL-2.0
/* Evidence counters (model/evidence.h). */
#include "evidence.h"

u64 tdxmm_inv_evaluated[TDXMM_NR_INV];
u64 tdxmm_gmem_evaluated[TDXMM_NR_GMEM];

void tdxmm_evidence_reset(void)
{
	for (int n = 0; n < TDXMM_NR_INV; n++)
		__atomic_store_n(&tdxmm_inv_evaluated[n], 0, __ATOMIC_RELAXED);
	for (int n = 0; n < TDXMM_NR_GMEM; n++)
		__atomic_store_n(&tdxmm_gmem_evaluated[n], 0, __ATOMIC_RELAXED);
}
