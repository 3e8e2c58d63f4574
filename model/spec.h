/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The specification's constants (SPEC.md part E), stated independently of
 * impl/ so that the model cannot inherit an implementation slip.
 * tests/test_conformance.c and the WP run check impl's values against these.
 */
#ifndef TDXMM_MODEL_SPEC_H
#define TDXMM_MODEL_SPEC_H

#define SPEC_SPTE_MMU_PRESENT_MASK	0x0000000000000800ULL	/* bit 11 */
#define SPEC_SHADOW_NONPRESENT_VALUE	0x8000000000000000ULL	/* bit 63 */
#define SPEC_FROZEN_SPTE		0x80000000000005A0ULL
#define SPEC_PT_PAGE_SIZE_MASK		0x0000000000000080ULL	/* bit 7 */
#define SPEC_VMX_EPT_RWX_MASK		0x0000000000000007ULL
#define SPEC_SPTE_BASE_ADDR_MASK	0x000FFFFFFFFFF000ULL	/* 51:12 */
#define SPEC_PFN_MAX			0x000000FFFFFFFFFFULL	/* 40 bits */
#define SPEC_PG_LEVEL_4K		1
#define SPEC_PG_LEVEL_2M		2
#define SPEC_PG_LEVEL_1G		3
#define SPEC_PT64_ROOT_MAX_LEVEL	5

#endif
