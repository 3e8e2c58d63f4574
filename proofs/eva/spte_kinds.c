// SPDX-License-Identifier: GPL-2.0
/*
 * Eva over the real SPTE helpers (impl/spte.h, impl/spte.c), every input
 * split (Frama_C_interval_split + a large slevel, ../shared/TOOLS.md §2):
 * each kind of value the TDP MMU stores, at each level, against the
 * predicates and the set_external_spte dispatcher's classification (B9:
 * (present old, present new, leaf new) -> link / map / remove / split).
 * The pfn takes its boundary values and a sample of bit patterns: the
 * helpers are bitwise, so each pfn bit is exercised by some value.
 */
#include "__fc_builtin.h"
#include "spte.h"

enum kind { K_NONPRESENT, K_FROZEN, K_LEAF, K_NONLEAF, K_NR };
enum hook { H_NONE, H_LINK, H_MAP, H_REMOVE, H_SPLIT, H_BUG };

static const u64 pfns[] = {
	0, 1, 0x155555555ULL, 0x2aaaaaaaaaULL, SPTE_PFN_MAX - 1, SPTE_PFN_MAX,
	0xfffffULL, 0x8000000000ULL,
};

static u64 make(int kind, u64 pfn, int level)
{
	switch (kind) {
	case K_NONPRESENT:
		return SHADOW_NONPRESENT_VALUE;
	case K_FROZEN:
		return FROZEN_SPTE;
	case K_LEAF:
		return make_leaf_spte(pfn, level);
	default:
		return make_nonleaf_spte(pfn);
	}
}

/* tdx_sept_set_private_spte()'s dispatch, as B9 and INV-20 state it. */
static int classify(u64 old, u64 new, int level)
{
	if (is_shadow_present_pte(old) && is_shadow_present_pte(new))
		return H_SPLIT;
	if (is_shadow_present_pte(old))
		return H_REMOVE;
	if (!is_shadow_present_pte(new))
		return H_BUG;
	if (!is_last_spte(new, level))
		return H_LINK;
	return H_MAP;
}

int main(void)
{
	int level = Frama_C_interval_split(PG_LEVEL_4K, PG_LEVEL_2M);
	int ko = Frama_C_interval_split(0, K_NR - 1);
	int kn = Frama_C_interval_split(0, K_NR - 1);
	int pi = Frama_C_interval_split(0, (int)(sizeof(pfns) / sizeof(pfns[0])) - 1);
	u64 pfn = pfns[pi] & ~(KVM_PAGES_PER_HPAGE(level) - 1);
	u64 old = make(ko, pfn, level), new = make(kn, pfn, level);
	bool frozen_present = is_shadow_present_pte(FROZEN_SPTE);
	bool op = is_shadow_present_pte(old), np = is_shadow_present_pte(new);
	bool ol = is_last_spte(old, level);
	u64 opfn = spte_to_pfn(old);
	int h = classify(old, new, level);

	/* INV-01: FROZEN_SPTE is non-present and no helper makes it */
	//@ assert INV_01: !frozen_present;
	//@ assert INV_01: ko != K_FROZEN ==> old != FROZEN_SPTE;
	/* what the helpers make is what the predicates say */
	//@ assert leaf: ko == K_LEAF ==> op && ol && opfn == pfn;
	//@ assert nonleaf: ko == K_NONLEAF && level > PG_LEVEL_4K ==> op && !ol && opfn == pfn;
	/* INV-20: the hook sees at least one present side; (p, p) only as split */
	//@ assert INV_20: h == H_BUG <==> !op && !np;
	//@ assert INV_20: h == H_SPLIT ==> (ko == K_LEAF || ko == K_NONLEAF) && (kn == K_LEAF || kn == K_NONLEAF);
	//@ assert B9: ko == K_NONPRESENT && kn == K_LEAF ==> h == H_MAP;
	//@ assert B9: ko == K_NONPRESENT && kn == K_NONLEAF && level > PG_LEVEL_4K ==> h == H_LINK;
	//@ assert B9: ko == K_LEAF && (kn == K_NONPRESENT || kn == K_FROZEN) ==> h == H_REMOVE;
	//@ assert B9: ko == K_FROZEN && kn == K_LEAF ==> h == H_MAP;
	return h;
}
