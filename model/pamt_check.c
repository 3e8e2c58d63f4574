// SPDX-License-Identifier: GPL-2.0
#include "evidence.h"
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
			tdxmm_evidence(40);
			if (node == PAMT_NODE_PAMT)
				return "INV-40: a pair outside TDX memory";
			continue;
		}
		n = atomic_read(rc);
		tdxmm_evidence(30);
		tdxmm_evidence(31);
		tdxmm_evidence(32);
		if (n < 0)
			return "INV-30: refcount below zero";
		if (n > 0 && node != PAMT_NODE_PAMT)
			return "INV-31: refcount held without a pair";
		if (n == 0 && node == PAMT_NODE_PAMT)
			return "INV-32: a pair installed with refcount 0";
	}
	return NULL;
}

const char *check_pamt_users(int rc, int users)
{
	tdxmm_evidence(34);
	tdxmm_evidence(30);
	if (rc < users)
		return "INV-34: a page the module holds has no reference";
	if (rc > users + 1)
		return "INV-30: references without users";
	return NULL;
}

const char *check_pamt_pairs(long excess, s64 leaked_pairs,
			     unsigned long pair_pages, unsigned long installed)
{
	tdxmm_evidence(30);
	tdxmm_evidence(35);
	if (excess != leaked_pairs)
		return "INV-30: references without users besides leaked pairs";
	if (pair_pages != installed * TDX_DPAMT_ENTRY_PAGE_CNT)
		return "INV-35: not two pair pages per installed region";
	return NULL;
}
