// SPDX-License-Identifier: GPL-2.0
/*
 * Eva over the real refcount lookup (impl/pamt.c): a TDX memory map with a
 * hole, and every pfn of a window around it (split per 2M region, a large
 * slevel, ../shared/TOOLS.md §2).  INV-40: a lookup is either a valid
 * refcount of a populated region (the right one) or NULL, never a stray
 * access; Eva reports any out-of-bounds access as an alarm.
 */
#include <stdlib.h>
#include "__fc_builtin.h"
#include "pamt.h"

void *kzalloc(unsigned long size, gfp_t flags)
{
	return calloc(1, size);
}

void kfree(const void *p)
{
	free((void *)p);
}

/* 4 MiB, a 6 MiB hole, 2 MiB, then 2 MiB more right after */
static const struct tdx_memblock blocks[] = {
	{ 0x1000, 0x1400 }, { 0x2000, 0x2200 }, { 0x2200, 0x2400 },
};

int main(void)
{
	u64 region = Frama_C_interval_split(0x0, 0x14);	/* 2M regions 0..20 */
	u64 off = Frama_C_interval(0, 511);
	u64 pfn = (region << 9) + off;
	atomic_t *rc;
	int populated;

	if (tdx_pamt_init(blocks, 3))
		return 1;
	rc = tdx_find_pamt_refcount(pfn);
	populated = (region >= 8 && region < 10) || (region >= 16 && region < 18);
	//@ assert INV_40: rc != \null <==> populated;
	//@ assert INV_40: rc != \null ==> \valid(rc);
	return rc ? 0 : 2;
}
