// SPDX-License-Identifier: GPL-2.0
/* SPTE constants and predicates on boundary values (SPEC A1, INV-01). */
#include "common.h"

static const u64 pfns[] = { 0, 1, 0x1ff, 0x200, 0x3ffff, 0x40000,
			    SPTE_PFN_MAX - 0x1ff, SPTE_PFN_MAX };

static void test_constants_conform_to_spec(void **state)
{
	(void)state;
	assert_int_equal(SPTE_MMU_PRESENT_MASK, SPEC_SPTE_MMU_PRESENT_MASK);
	assert_int_equal(SHADOW_NONPRESENT_VALUE, SPEC_SHADOW_NONPRESENT_VALUE);
	assert_int_equal(FROZEN_SPTE, SPEC_FROZEN_SPTE);
	assert_int_equal(FROZEN_SPTE, 0x80000000000005A0ULL);
	assert_int_equal(PT_PAGE_SIZE_MASK, SPEC_PT_PAGE_SIZE_MASK);
	assert_int_equal(VMX_EPT_RWX_MASK, SPEC_VMX_EPT_RWX_MASK);
	assert_int_equal(SPTE_BASE_ADDR_MASK, SPEC_SPTE_BASE_ADDR_MASK);
	assert_int_equal(SPTE_PFN_MAX, SPEC_PFN_MAX);
}

/* INV-01 */
static void test_INV_01_frozen_is_nonpresent(void **state)
{
	(void)state;
	assert_false(is_shadow_present_pte(FROZEN_SPTE));
	assert_int_equal(FROZEN_SPTE & VMX_EPT_RWX_MASK, 0);
	assert_int_equal(FROZEN_SPTE & SPTE_BASE_ADDR_MASK, 0);
	assert_int_equal(spte_to_pfn(FROZEN_SPTE), 0);
	assert_true(FROZEN_SPTE != SHADOW_NONPRESENT_VALUE);
	assert_false(is_frozen_spte(SHADOW_NONPRESENT_VALUE));
}

/* is_frozen_spte is exact equality, not a mask test. */
static void test_is_frozen_exact(void **state)
{
	(void)state;
	assert_true(is_frozen_spte(FROZEN_SPTE));
	for (int b = 0; b < 64; b++)
		assert_false(is_frozen_spte(FROZEN_SPTE ^ BIT_ULL(b)));
	assert_false(is_frozen_spte(FROZEN_SPTE | SPTE_MMU_PRESENT_MASK));
	assert_false(is_frozen_spte(0));
}

static void test_present_is_bit_11_only(void **state)
{
	(void)state;
	assert_true(is_shadow_present_pte(SPTE_MMU_PRESENT_MASK));
	assert_false(is_shadow_present_pte(~SPTE_MMU_PRESENT_MASK));
	assert_false(is_shadow_present_pte(0));
	assert_false(is_shadow_present_pte(SHADOW_NONPRESENT_VALUE));
	assert_true(is_shadow_present_pte(~0ULL));
}

static void test_large_and_last(void **state)
{
	(void)state;
	assert_true(is_large_pte(PT_PAGE_SIZE_MASK));
	assert_false(is_large_pte(~PT_PAGE_SIZE_MASK));
	/* At 4K every SPTE is last; above, only large ones. */
	assert_true(is_last_spte(0, PG_LEVEL_4K));
	assert_false(is_last_spte(SPTE_MMU_PRESENT_MASK, PG_LEVEL_2M));
	assert_true(is_last_spte(PT_PAGE_SIZE_MASK, PG_LEVEL_2M));
	assert_false(is_last_spte(make_nonleaf_spte(5), PG_LEVEL_1G));
}

/*
 * FROZEN_SPTE has bit 7 set, so ungated is_last_spte() calls it a leaf.
 * The setters gate with presence: freezing an SPTE must not count as
 * removing a 2M leaf.
 */
static void test_last_spte_never_ungated(void **state)
{
	struct fixture f;
	struct tdp_iter it;

	(void)state;
	assert_true(is_last_spte(FROZEN_SPTE, PG_LEVEL_2M));

	fixture_init(&f);
	f.direct_sp.role.level = PG_LEVEL_2M;
	it = iter_at(&f.direct_sp, 0);
	read_lock(&f.kvm.mmu_lock);
	assert_int_equal(tdp_mmu_set_spte_atomic(&f.kvm, &it, FROZEN_SPTE), 0);
	read_unlock(&f.kvm.mmu_lock);
	assert_int_equal(leaf_pages(&f.kvm, PG_LEVEL_2M), 0);
	assert_int_equal(tdxmm_env_stats.warns, 0);
}

static void test_make_leaf_spte(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(pfns) / sizeof(pfns[0]); i++) {
		for (int level = PG_LEVEL_4K; level <= PG_LEVEL_1G; level++) {
			u64 pfn = pfns[i] & ~(KVM_PAGES_PER_HPAGE(level) - 1);
			u64 s = make_leaf_spte(pfn, level);

			assert_true(is_shadow_present_pte(s));
			assert_true(is_last_spte(s, level));
			assert_int_equal(is_large_pte(s), level > PG_LEVEL_4K);
			assert_int_equal(s & VMX_EPT_RWX_MASK, VMX_EPT_RWX_MASK);
			assert_int_equal(spte_to_pfn(s), pfn);
			assert_false(is_frozen_spte(s));
		}
	}
}

static void test_make_nonleaf_spte(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(pfns) / sizeof(pfns[0]); i++) {
		u64 s = make_nonleaf_spte(pfns[i]);

		assert_true(is_shadow_present_pte(s));
		assert_false(is_large_pte(s));
		assert_false(is_last_spte(s, PG_LEVEL_2M));
		assert_int_equal(s & VMX_EPT_RWX_MASK, VMX_EPT_RWX_MASK);
		assert_int_equal(spte_to_pfn(s), pfns[i]);
		assert_false(is_frozen_spte(s));
	}
}

/* The INV-01 checker accepts the real value and catches planted bad ones. */
static void test_INV_01_checker(void **state)
{
	u64 made[3] = { make_leaf_spte(1, PG_LEVEL_4K),
			make_leaf_spte(0x200, PG_LEVEL_2M),
			make_nonleaf_spte(7) };

	(void)state;
	assert_true(inv_01_frozen_spte(FROZEN_SPTE, made, 3));
	assert_false(inv_01_frozen_spte(FROZEN_SPTE | SPTE_MMU_PRESENT_MASK, made, 3));
	assert_false(inv_01_frozen_spte(FROZEN_SPTE | 0x1000, made, 3));
	assert_false(inv_01_frozen_spte(FROZEN_SPTE | 1, made, 3));
	assert_false(inv_01_frozen_spte(SHADOW_NONPRESENT_VALUE, made, 3));
	made[1] = FROZEN_SPTE;
	assert_false(inv_01_frozen_spte(FROZEN_SPTE, made, 3));
}

/* INV-06 / INV-07 checkers against the spec's own predicates. */
static void test_INV_06_07_checkers(void **state)
{
	u64 a = make_leaf_spte(1, PG_LEVEL_4K), b = make_leaf_spte(2, PG_LEVEL_4K);
	u64 nl = make_nonleaf_spte(9), huge = make_leaf_spte(0x200, PG_LEVEL_2M);

	(void)state;
	assert_false(inv_06_no_retarget(a, b, PG_LEVEL_4K));
	assert_true(inv_06_no_retarget(a, a | BIT_ULL(8), PG_LEVEL_4K));
	assert_true(inv_06_no_retarget(a, SHADOW_NONPRESENT_VALUE, PG_LEVEL_4K));
	assert_true(inv_06_no_retarget(SHADOW_NONPRESENT_VALUE, b, PG_LEVEL_4K));
	assert_false(inv_07_no_promotion(nl, huge, PG_LEVEL_2M, true));
	assert_true(inv_07_no_promotion(nl, huge, PG_LEVEL_2M, false));
	assert_true(inv_07_no_promotion(huge, nl, PG_LEVEL_2M, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants_conform_to_spec),
		cmocka_unit_test(test_INV_01_frozen_is_nonpresent),
		cmocka_unit_test(test_is_frozen_exact),
		cmocka_unit_test(test_present_is_bit_11_only),
		cmocka_unit_test(test_large_and_last),
		cmocka_unit_test(test_last_spte_never_ungated),
		cmocka_unit_test(test_make_leaf_spte),
		cmocka_unit_test(test_make_nonleaf_spte),
		cmocka_unit_test(test_INV_01_checker),
		cmocka_unit_test(test_INV_06_07_checkers),
	};

	install_test_hooks();
	return cmocka_run_group_tests_name("spte", tests, NULL, NULL);
}
