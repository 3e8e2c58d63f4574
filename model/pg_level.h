/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch/x86/include/asm/pgtable_types.h's page-table levels, for the
 * environments that lack them (user, Frama-C, UML); x86 kernels use the
 * kernel's own (impl/env.h).
 */
#ifndef TDXMM_MODEL_PG_LEVEL_H
#define TDXMM_MODEL_PG_LEVEL_H

enum pg_level {
	PG_LEVEL_NONE,
	PG_LEVEL_4K,
	PG_LEVEL_2M,
	PG_LEVEL_1G,
	PG_LEVEL_512G,
	PG_LEVEL_NUM
};

#endif
