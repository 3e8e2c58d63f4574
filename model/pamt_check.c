// SPDX-License-Identifier: GPL-2.0
#include "pamt_check.h"
#include "pamt.h"
#include "tdx_module.h"

/*
 * INV-30: rc >= 0.  INV-31: rc > 0 => the pair is installed.  INV-32: once
 * every put returned, no pair is installed with rc == 0.  INV-40: no pair
 * outside TDX memory.
 */
const char *check_pamt(u64 start_pfn, u64 end_pfn)
{
	for (u64 pfn = start_pfn & ~511ULL; pfn < end_pfn; pfn += 512) {
		enum tdx_pamt_node node = tdxsim_pamt_node(pfn);
		atomic_t *rc = tdx_find_pamt_refcount(pfn);
		int n;

		if (!rc) {
			if (node == PAMT_NODE_PAMT)
				return "INV-40: a pair outside TDX memory";
			continue;
		}
		n = atomic_read(rc);
		if (n < 0)
			return "INV-30: refcount below zero";
		if (n > 0 && node != PAMT_NODE_PAMT)
			return "INV-31: refcount held without a pair";
		if (n == 0 && node == PAMT_NODE_PAMT)
			return "INV-32: a pair installed with refcount 0";
	}
	return NULL;
}
