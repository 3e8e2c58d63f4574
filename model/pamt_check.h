/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dynamic PAMT at a quiescent point (no get/put in flight): the kernel's
 * refcounts against the module's PAMT nodes, region by region.
 */
#ifndef TDXMM_MODEL_PAMT_CHECK_H
#define TDXMM_MODEL_PAMT_CHECK_H

#include "env.h"

/* NULL if every 2M region of [start_pfn, end_pfn) agrees, else why not. */
const char *check_pamt(u64 start_pfn, u64 end_pfn);
/*
 * With the users a harness counted for one region (4K pages the module
 * holds, S-EPT and control pages the kernel holds, other references):
 * INV-34 every user holds a reference; INV-30 no more than one reference
 * without a user, the one a failed PAMT.REMOVE leaves.
 */
const char *check_pamt_users(int rc, int users);
/*
 * Over all regions: INV-30 the references without a user are exactly the
 * leaked pairs; INV-35 two pair pages per installed region.
 */
const char *check_pamt_pairs(long excess, s64 leaked_pairs,
			     unsigned long pair_pages, unsigned long installed);

#endif
