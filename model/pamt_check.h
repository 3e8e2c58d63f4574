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

#endif
