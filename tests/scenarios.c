// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios of the SPTE slice (SPEC A1, B2-B5), shared by cmocka and KUnit.
 * Each checks outcomes only through the API and the stub's record; checks
 * run outside lock sections so a failing one never leaves a lock held.
 */
#include "scenarios.h"

#define NP SHADOW_NONPRESENT_VALUE
#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

static struct fixture fx;	/* too big for a kernel stack */

/* ---------------- SPTE encoding (A1, INV-01) ---------------- */

static void constants_conform_to_spec(struct scn *s)
{
	SCN_EQ(s, SPTE_MMU_PRESENT_MASK, SPEC_SPTE_MMU_PRESENT_MASK);
	SCN_EQ(s, SHADOW_NONPRESENT_VALUE, SPEC_SHADOW_NONPRESENT_VALUE);
	SCN_EQ(s, FROZEN_SPTE, SPEC_FROZEN_SPTE);
	SCN_EQ(s, FROZEN_SPTE, 0x80000000000005A0ULL);
	SCN_EQ(s, PT_PAGE_SIZE_MASK, SPEC_PT_PAGE_SIZE_MASK);
	SCN_EQ(s, VMX_EPT_RWX_MASK, SPEC_VMX_EPT_RWX_MASK);
	SCN_EQ(s, SPTE_BASE_ADDR_MASK, SPEC_SPTE_BASE_ADDR_MASK);
	SCN_EQ(s, SPTE_PFN_MAX, SPEC_PFN_MAX);
}

static void INV_01_frozen_is_nonpresent(struct scn *s)
{
	SCN_FALSE(s, is_shadow_present_pte(FROZEN_SPTE));
	SCN_EQ(s, FROZEN_SPTE & VMX_EPT_RWX_MASK, 0);
	SCN_EQ(s, FROZEN_SPTE & SPTE_BASE_ADDR_MASK, 0);
	SCN_EQ(s, spte_to_pfn(FROZEN_SPTE), 0);
	SCN_TRUE(s, FROZEN_SPTE != SHADOW_NONPRESENT_VALUE);
	SCN_FALSE(s, is_frozen_spte(SHADOW_NONPRESENT_VALUE));
}

/* is_frozen_spte is exact equality, not a mask test. */
static void is_frozen_is_exact(struct scn *s)
{
	SCN_TRUE(s, is_frozen_spte(FROZEN_SPTE));
	for (int b = 0; b < 64; b++)
		SCN_FALSE(s, is_frozen_spte(FROZEN_SPTE ^ BIT_ULL(b)));
	SCN_FALSE(s, is_frozen_spte(0));
}

static void present_is_bit_11_only(struct scn *s)
{
	SCN_TRUE(s, is_shadow_present_pte(SPTE_MMU_PRESENT_MASK));
	SCN_FALSE(s, is_shadow_present_pte(~SPTE_MMU_PRESENT_MASK));
	SCN_FALSE(s, is_shadow_present_pte(0));
	SCN_FALSE(s, is_shadow_present_pte(SHADOW_NONPRESENT_VALUE));
	SCN_TRUE(s, is_shadow_present_pte(~0ULL));
}

static void large_and_last(struct scn *s)
{
	SCN_TRUE(s, is_large_pte(PT_PAGE_SIZE_MASK));
	SCN_FALSE(s, is_large_pte(~PT_PAGE_SIZE_MASK));
	SCN_TRUE(s, is_last_spte(0, PG_LEVEL_4K));
	SCN_FALSE(s, is_last_spte(SPTE_MMU_PRESENT_MASK, PG_LEVEL_2M));
	SCN_TRUE(s, is_last_spte(PT_PAGE_SIZE_MASK, PG_LEVEL_2M));
	SCN_FALSE(s, is_last_spte(make_nonleaf_spte(5), PG_LEVEL_1G));
}

/*
 * FROZEN_SPTE has bit 7 set, so ungated is_last_spte() calls it a leaf.
 * The setters gate with presence: freezing an SPTE must not count as
 * removing a 2M leaf.
 */
static void last_spte_never_ungated(struct scn *s)
{
	struct tdp_iter it;
	int ret;

	SCN_TRUE(s, is_last_spte(FROZEN_SPTE, PG_LEVEL_2M));
	fixture_init(&fx);
	fx.direct_sp.role.level = PG_LEVEL_2M;
	it = iter_at(&fx.direct_sp, 0);
	mmu_read_lock(&fx.kvm);
	ret = tdp_mmu_set_spte_atomic(&fx.kvm, &it, FROZEN_SPTE);
	mmu_read_unlock(&fx.kvm);
	SCN_EQ(s, ret, 0);
	SCN_EQ(s, leaf_pages(&fx.kvm, PG_LEVEL_2M), 0);
}

static const u64 pfns[] = { 0, 1, 0x1ff, 0x200, 0x3ffff, 0x40000,
			    SPTE_PFN_MAX - 0x1ff, SPTE_PFN_MAX };

static void INV_01_make_leaf_spte(struct scn *s)
{
	for (int i = 0; i < ARRAY_LEN(pfns); i++) {
		for (int level = PG_LEVEL_4K; level <= PG_LEVEL_1G; level++) {
			u64 pfn = pfns[i] & ~(KVM_PAGES_PER_HPAGE(level) - 1);
			u64 spte = make_leaf_spte(pfn, level);

			SCN_TRUE(s, is_shadow_present_pte(spte));
			SCN_TRUE(s, is_last_spte(spte, level));
			SCN_EQ(s, is_large_pte(spte), level > PG_LEVEL_4K);
			SCN_EQ(s, spte & VMX_EPT_RWX_MASK, VMX_EPT_RWX_MASK);
			SCN_EQ(s, spte_to_pfn(spte), pfn);
			SCN_FALSE(s, is_frozen_spte(spte));
		}
	}
}

static void INV_01_make_nonleaf_spte(struct scn *s)
{
	for (int i = 0; i < ARRAY_LEN(pfns); i++) {
		u64 spte = make_nonleaf_spte(pfns[i]);

		SCN_TRUE(s, is_shadow_present_pte(spte));
		SCN_FALSE(s, is_large_pte(spte));
		SCN_FALSE(s, is_last_spte(spte, PG_LEVEL_2M));
		SCN_EQ(s, spte & VMX_EPT_RWX_MASK, VMX_EPT_RWX_MASK);
		SCN_EQ(s, spte_to_pfn(spte), pfns[i]);
		SCN_FALSE(s, is_frozen_spte(spte));
	}
}

/* The INV-01 checker accepts the real value and catches planted bad ones. */
static void INV_01_checker_self_test(struct scn *s)
{
	u64 made[3] = { make_leaf_spte(1, PG_LEVEL_4K),
			make_leaf_spte(0x200, PG_LEVEL_2M), make_nonleaf_spte(7) };

	SCN_TRUE(s, inv_01_frozen_spte(FROZEN_SPTE, made, 3));
	SCN_FALSE(s, inv_01_frozen_spte(FROZEN_SPTE | SPTE_MMU_PRESENT_MASK, made, 3));
	SCN_FALSE(s, inv_01_frozen_spte(FROZEN_SPTE | 0x1000, made, 3));
	SCN_FALSE(s, inv_01_frozen_spte(FROZEN_SPTE | 1, made, 3));
	SCN_FALSE(s, inv_01_frozen_spte(SHADOW_NONPRESENT_VALUE, made, 3));
	made[1] = FROZEN_SPTE;
	SCN_FALSE(s, inv_01_frozen_spte(FROZEN_SPTE, made, 3));
}

static void INV_06_07_checkers(struct scn *s)
{
	u64 a = make_leaf_spte(1, PG_LEVEL_4K), b = make_leaf_spte(2, PG_LEVEL_4K);
	u64 nl = make_nonleaf_spte(9), huge = make_leaf_spte(0x200, PG_LEVEL_2M);

	SCN_FALSE(s, inv_06_no_retarget(a, b, PG_LEVEL_4K));
	SCN_TRUE(s, inv_06_no_retarget(a, a | BIT_ULL(8), PG_LEVEL_4K));
	SCN_TRUE(s, inv_06_no_retarget(a, NP, PG_LEVEL_4K));
	SCN_TRUE(s, inv_06_no_retarget(NP, b, PG_LEVEL_4K));
	SCN_FALSE(s, inv_07_no_promotion(nl, huge, PG_LEVEL_2M, true));
	SCN_TRUE(s, inv_07_no_promotion(nl, huge, PG_LEVEL_2M, false));
	SCN_TRUE(s, inv_07_no_promotion(huge, nl, PG_LEVEL_2M, true));
}

/* ---------------- atomic setters (B2, B3) ---------------- */

static void direct_install(struct scn *s)
{
	u64 leaf = make_leaf_spte(42, PG_LEVEL_4K);
	struct tdp_iter it;
	int ret;

	fixture_init(&fx);
	it = iter_at(&fx.direct_sp, 3);
	scn_trace_begin(s, &fx.kvm, it.sptep);
	mmu_read_lock(&fx.kvm);
	ret = tdp_mmu_set_spte_atomic(&fx.kvm, &it, leaf);
	mmu_read_unlock(&fx.kvm);
	scn_trace_end(s, NP, leaf);
	SCN_EQ(s, ret, 0);
	SCN_EQ(s, fx.direct_pt[3], leaf);
	SCN_EQ(s, it.old_spte, NP);
	SCN_EQ(s, stub_ext.nr_calls, 0);
	SCN_EQ(s, leaf_pages(&fx.kvm, PG_LEVEL_4K), 1);
}

/* INV-05: a lost race refreshes the snapshot with what was observed. */
static void INV_05_direct_lost_race(struct scn *s)
{
	u64 theirs = make_leaf_spte(7, PG_LEVEL_4K);
	struct tdp_iter it;
	int ret;

	fixture_init(&fx);
	it = iter_at(&fx.direct_sp, 3);
	fx.direct_pt[3] = theirs;		/* another vCPU won */
	mmu_read_lock(&fx.kvm);
	ret = tdp_mmu_set_spte_atomic(&fx.kvm, &it, make_leaf_spte(7, PG_LEVEL_4K));
	mmu_read_unlock(&fx.kvm);
	SCN_EQ(s, ret, -EBUSY);
	SCN_TRUE(s, inv_05_refreshed(it.old_spte, theirs));
	SCN_EQ(s, fx.direct_pt[3], theirs);
	SCN_EQ(s, leaf_pages(&fx.kvm, PG_LEVEL_4K), 0);
}

/* INV-03: the freeze is held across the hook and gone on return. */
static void INV_03_mirror_install_freezes_around_hook(struct scn *s)
{
	u64 leaf = make_leaf_spte(0x1234, PG_LEVEL_4K);
	struct tdp_iter it;
	int ret;

	fixture_init(&fx);
	it = iter_at(&fx.mirror_sp, 5);
	stub_ext.watch = it.sptep;
	scn_trace_begin(s, &fx.kvm, it.sptep);
	mmu_read_lock(&fx.kvm);
	ret = tdp_mmu_set_spte_atomic(&fx.kvm, &it, leaf);
	mmu_read_unlock(&fx.kvm);
	scn_trace_end(s, NP, leaf);
	SCN_EQ(s, ret, 0);
	SCN_EQ(s, stub_ext.nr_calls, 1);		/* exactly once (R6) */
	SCN_EQ(s, stub_ext.calls[0].watched, FROZEN_SPTE);
	SCN_EQ(s, stub_ext.calls[0].gfn, 5);
	SCN_EQ(s, stub_ext.calls[0].old_spte, NP);
	SCN_EQ(s, stub_ext.calls[0].new_spte, leaf);
	SCN_EQ(s, stub_ext.calls[0].level, PG_LEVEL_4K);
	SCN_EQ(s, fx.mirror_pt[5], leaf);
	SCN_EQ(s, leaf_pages(&fx.kvm, PG_LEVEL_4K), 1);
	SCN_FALSE(s, fx.kvm.vm_bugged);
}

/* INV-12: every hook failure restores the old value; stats untouched (R8). */
static void INV_12_mirror_hook_failure_restores(struct scn *s)
{
	static const int errs[] = { -EBUSY, -ENOMEM, -EINVAL, -EIO };

	for (int i = 0; i < ARRAY_LEN(errs); i++) {
		struct tdp_iter it;
		int ret;

		fixture_init(&fx);
		it = iter_at(&fx.mirror_sp, 9);
		stub_ext.fail_nth = 1;
		stub_ext.fail_ret = errs[i];
		stub_ext.watch = it.sptep;
		scn_trace_begin(s, &fx.kvm, it.sptep);
		mmu_read_lock(&fx.kvm);
		ret = tdp_mmu_set_spte_atomic(&fx.kvm, &it, make_leaf_spte(3, PG_LEVEL_4K));
		mmu_read_unlock(&fx.kvm);
		scn_trace_end(s, NP, NP);
		SCN_EQ(s, ret, errs[i]);
		SCN_EQ(s, stub_ext.calls[0].watched, FROZEN_SPTE);
		SCN_EQ(s, fx.mirror_pt[9], NP);
		SCN_EQ(s, it.old_spte, NP);
		SCN_EQ(s, leaf_pages(&fx.kvm, PG_LEVEL_4K), 0);
	}
}

/* A lost freeze race never reaches the hook, and refreshes old_spte (P02). */
static void INV_05_mirror_lost_freeze(struct scn *s)
{
	u64 theirs = make_leaf_spte(8, PG_LEVEL_4K);
	struct tdp_iter it;
	int ret;

	fixture_init(&fx);
	it = iter_at(&fx.mirror_sp, 1);
	fx.mirror_pt[1] = theirs;
	mmu_read_lock(&fx.kvm);
	ret = __tdp_mmu_set_spte_atomic(&fx.kvm, &it, make_leaf_spte(8, PG_LEVEL_4K));
	mmu_read_unlock(&fx.kvm);
	SCN_EQ(s, ret, -EBUSY);
	SCN_EQ(s, stub_ext.nr_calls, 0);
	SCN_EQ(s, it.old_spte, theirs);
	SCN_EQ(s, fx.mirror_pt[1], theirs);
}

/* Present old or non-present new on a mirror: VM bugged, -EIO, no write. */
static void mirror_bug_paths(struct scn *s)
{
	u64 leaf = make_leaf_spte(1, PG_LEVEL_4K);
	struct tdp_iter it;
	int ret;

	fixture_init(&fx);
	fx.mirror_pt[2] = leaf;
	it = iter_at(&fx.mirror_sp, 2);
	mmu_read_lock(&fx.kvm);
	ret = tdp_mmu_set_spte_atomic(&fx.kvm, &it, leaf | BIT_ULL(8));
	mmu_read_unlock(&fx.kvm);
	SCN_EQ(s, ret, -EIO);
	SCN_TRUE(s, fx.kvm.vm_bugged);
	SCN_TRUE(s, fx.kvm.vm_dead);
	SCN_EQ(s, fx.mirror_pt[2], leaf);
	SCN_EQ(s, stub_ext.nr_calls, 0);

	fixture_init(&fx);
	it = iter_at(&fx.mirror_sp, 2);
	mmu_read_lock(&fx.kvm);
	ret = tdp_mmu_set_spte_atomic(&fx.kvm, &it, 0);
	mmu_read_unlock(&fx.kvm);
	SCN_EQ(s, ret, -EIO);
	SCN_TRUE(s, fx.kvm.vm_bugged);
	SCN_EQ(s, fx.mirror_pt[2], NP);
	SCN_EQ(s, stub_ext.nr_calls, 0);
}

/* Freezing a mirror SPTE through the API is a plain cmpxchg: no hook. */
static void mirror_freeze_via_api_is_plain(struct scn *s)
{
	struct tdp_iter it;
	int ret;

	fixture_init(&fx);
	it = iter_at(&fx.mirror_sp, 0);
	mmu_read_lock(&fx.kvm);
	ret = __tdp_mmu_set_spte_atomic(&fx.kvm, &it, FROZEN_SPTE);
	mmu_read_unlock(&fx.kvm);
	SCN_EQ(s, ret, 0);
	SCN_EQ(s, fx.mirror_pt[0], FROZEN_SPTE);
	SCN_EQ(s, stub_ext.nr_calls, 0);
	SCN_FALSE(s, fx.kvm.vm_bugged);
}

/* INV-02: a frozen snapshot or a yielded iterator is refused, not used. */
static void INV_02_refuses_frozen_or_yielded(struct scn *s)
{
	struct tdp_iter it, it2;
	int ret, ret2;

	fixture_init(&fx);
	fx.mirror_pt[4] = FROZEN_SPTE;		/* owned by someone else */
	it = iter_at(&fx.mirror_sp, 4);
	it2 = iter_at(&fx.direct_sp, 4);
	it2.yielded = true;
	mmu_read_lock(&fx.kvm);
	ret = tdp_mmu_set_spte_atomic(&fx.kvm, &it, make_leaf_spte(1, PG_LEVEL_4K));
	ret2 = tdp_mmu_set_spte_atomic(&fx.kvm, &it2, make_leaf_spte(1, PG_LEVEL_4K));
	mmu_read_unlock(&fx.kvm);
	SCN_EQ(s, ret, -EBUSY);
	SCN_EQ(s, fx.mirror_pt[4], FROZEN_SPTE);
	SCN_EQ(s, ret2, -EBUSY);
	SCN_EQ(s, fx.direct_pt[4], NP);
	SCN_EQ(s, stub_ext.nr_calls, 0);
}

/*
 * R1.  A shared zap loop retries its cmpxchg without re-reading memory.
 * With P02 the failed freeze refreshes old_spte, so the loop sees the new
 * value after one attempt.  The pre-P02 helper froze a by-value copy: the
 * snapshot stayed stale and the loop spun; modelled here, it hits the bound.
 */
static int pre_p02_freeze(u64 *sptep, u64 old_spte /* by value: the bug */)
{
	if (!try_cmpxchg64(sptep, &old_spte, FROZEN_SPTE))
		return -EBUSY;
	return 0;
}

static void INV_05_R1_failed_freeze_ends_retry_loop(struct scn *s)
{
	u64 now_spte = make_leaf_spte(77, PG_LEVEL_4K);
	struct tdp_iter it;
	u64 stale = NP;
	int tries = 0, ret;

	fixture_init(&fx);
	it = iter_at(&fx.mirror_sp, 6);
	fx.mirror_pt[6] = now_spte;		/* changed behind our back */
	mmu_read_lock(&fx.kvm);
	do {
		ret = __tdp_mmu_set_spte_atomic(&fx.kvm, &it,
						make_leaf_spte(77, PG_LEVEL_4K));
		tries++;
		/* like __tdp_mmu_zap_root: what is present now is handled */
	} while (ret == -EBUSY && !is_shadow_present_pte(it.old_spte) &&
		 tries < 1000);
	mmu_read_unlock(&fx.kvm);
	SCN_EQ(s, tries, 1);
	SCN_EQ(s, it.old_spte, now_spte);

	tries = 0;
	do {
		ret = pre_p02_freeze(&fx.mirror_pt[6], stale);
		tries++;
	} while (ret == -EBUSY && !is_shadow_present_pte(stale) && tries < 1000);
	SCN_EQ(s, tries, 1000);			/* would spin forever */
	SCN_FALSE(s, inv_05_refreshed(stale, fx.mirror_pt[6]));
}

/* ---------------- write-lock setter (B4, B5) ---------------- */

static void write_zap_direct_leaf(struct scn *s)
{
	u64 leaf = make_leaf_spte(5, PG_LEVEL_4K);
	u64 prev;

	fixture_init(&fx);
	atomic64_set(&fx.kvm.stat.pages[0], 1);
	fx.direct_pt[7] = leaf;
	scn_trace_begin(s, &fx.kvm, &fx.direct_pt[7]);
	mmu_write_lock(&fx.kvm);
	prev = tdp_mmu_set_spte(&fx.kvm, &fx.direct_sp, &fx.direct_pt[7], leaf,
				NP, 7, PG_LEVEL_4K);
	mmu_write_unlock(&fx.kvm);
	scn_trace_end(s, leaf, NP);
	SCN_EQ(s, prev, leaf);
	SCN_EQ(s, fx.direct_pt[7], NP);
	SCN_EQ(s, leaf_pages(&fx.kvm, PG_LEVEL_4K), 0);
	SCN_EQ(s, stub_ext.nr_calls, 0);
}

/* Mirror leaf removal is forwarded once with (old, new) (V5 P34/P36). */
static void INV_10_write_zap_mirror_leaf_forwards(struct scn *s)
{
	u64 leaf = make_leaf_spte(5, PG_LEVEL_4K);
	struct tdp_iter it;

	fixture_init(&fx);
	atomic64_set(&fx.kvm.stat.pages[0], 1);
	fx.mirror_pt[8] = leaf;
	it = iter_at(&fx.mirror_sp, 8);
	mmu_write_lock(&fx.kvm);
	tdp_mmu_iter_set_spte(&fx.kvm, &it, NP);
	mmu_write_unlock(&fx.kvm);
	SCN_EQ(s, fx.mirror_pt[8], NP);
	SCN_EQ(s, stub_ext.nr_calls, 1);
	SCN_EQ(s, stub_ext.calls[0].old_spte, leaf);
	SCN_EQ(s, stub_ext.calls[0].new_spte, NP);
	SCN_EQ(s, stub_ext.calls[0].gfn, 8);
	SCN_EQ(s, leaf_pages(&fx.kvm, PG_LEVEL_4K), 0);
	SCN_FALSE(s, fx.kvm.vm_bugged);
}

/* A failed removal hook bugs the VM and leaves the stats alone (R8). */
static void write_zap_mirror_hook_failure_bugs_vm(struct scn *s)
{
	u64 leaf = make_leaf_spte(5, PG_LEVEL_4K);

	fixture_init(&fx);
	atomic64_set(&fx.kvm.stat.pages[0], 1);
	fx.mirror_pt[8] = leaf;
	stub_ext.fail_nth = -1;
	stub_ext.fail_ret = -EIO;
	mmu_write_lock(&fx.kvm);
	tdp_mmu_set_spte(&fx.kvm, &fx.mirror_sp, &fx.mirror_pt[8], leaf, NP, 8,
			 PG_LEVEL_4K);
	mmu_write_unlock(&fx.kvm);
	SCN_TRUE(s, fx.kvm.vm_bugged);
	SCN_EQ(s, leaf_pages(&fx.kvm, PG_LEVEL_4K), 1);
}

/*
 * INV-07: promotion on a mirror root bugs the VM.  The atomic path refuses
 * before anything is written; the write-lock path is
 * INV_07_promotion_still_reclaims_the_table (tests/sept_scenarios.c).
 */
static void INV_07_mirror_promotion_bugs_vm(struct scn *s)
{
	u64 nl = make_nonleaf_spte(0x99), huge = make_leaf_spte(0x200, PG_LEVEL_2M);
	struct tdp_iter it;
	int ret;

	/* and through the atomic path: refused before anything is written */
	fixture_init(&fx);
	fx.mirror_sp.role.level = PG_LEVEL_2M;
	fx.mirror_pt[1] = nl;
	it = iter_at(&fx.mirror_sp, 1);
	mmu_read_lock(&fx.kvm);
	ret = tdp_mmu_set_spte_atomic(&fx.kvm, &it, huge);
	mmu_read_unlock(&fx.kvm);
	SCN_EQ(s, ret, -EIO);
	SCN_EQ(s, fx.mirror_pt[1], nl);
	SCN_TRUE(s, fx.kvm.vm_bugged);
}

/* ---------------- the TDX-module simulator (model/tdx_module.c) ---------------- */

/* Page numbers of the simulator scenarios: TDR, root, three S-EPT pages. */
enum { TDR = 100, ROOT = 101, SEPT4 = 102, SEPT3 = 103, SEPT2 = 104,
       GUEST = 200, HUGE = 0x400, SEPT_DEMOTE = 105 };

/* A runnable TD, root level 4, with the tables down to 4K linked at gpa 0. */
static struct tdx_td *sim_td_linked(struct scn *s, bool *ok)
{
	struct tdx_td *td;

	*ok = false;
	tdxsim_reset();
	td = tdxsim_td_create(TDR, ROOT, 4);
	if (!td)
		return NULL;
	tdxsim_td_finalize(td);
	if (tdh_mem_sept_add(td, 0, 4, SEPT4, NULL, NULL) ||
	    tdh_mem_sept_add(td, 0, 3, SEPT3, NULL, NULL) ||
	    tdh_mem_sept_add(td, 0, 2, SEPT2, NULL, NULL))
		return td;
	*ok = true;
	return td;
}

/* AUG, BLOCK, TRACK, REMOVE, WBINVD, HKID release, RECLAIM children first. */
static void sim_lifecycle_round_trip(struct scn *s)
{
	u64 pfn, pt;
	bool ok;
	struct tdx_td *td = sim_td_linked(s, &ok);

	SCN_TRUE(s, ok);
	SCN_EQ(s, tdxsim_td_pages(td), 5);
	SCN_EQ(s, tdh_mem_page_aug(td, 0, 1, GUEST, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdxsim_sept_entry(td, 0, 1, &pfn), SEPT_PENDING);
	SCN_EQ(s, pfn, GUEST);
	SCN_EQ(s, tdxsim_page_owner(GUEST, NULL), TDX_PAGE_TD_PRIVATE);

	SCN_EQ(s, tdh_mem_range_block(td, 0, 1, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdxsim_sept_entry(td, 0, 1, NULL), SEPT_PENDING_BLOCKED);
	/* REMOVE before TRACK: the module refuses, and that is counted. */
	SCN_EQ(s, tdh_mem_page_remove(td, 0, 1, NULL, NULL), TDX_TLB_TRACKING_NOT_DONE);
	SCN_EQ(s, tdxsim_rejections(), 1);
	SCN_EQ(s, tdh_mem_track(td), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_page_remove(td, 0, 1, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdxsim_sept_entry(td, 0, 1, NULL), SEPT_FREE);
	SCN_EQ(s, tdxsim_page_owner(GUEST, NULL), TDX_PAGE_KERNEL);
	SCN_TRUE(s, tdxsim_page_needs_wbinvd(GUEST));
	SCN_EQ(s, tdh_phymem_page_wbinvd_hkid(tdxsim_td_hkid(td), GUEST), TDX_SUCCESS);
	SCN_FALSE(s, tdxsim_page_needs_wbinvd(GUEST));

	/* S-EPT pages come back only after the HKID is released. */
	SCN_EQ(s, tdh_phymem_page_reclaim(SEPT2, NULL, NULL, NULL),
	       TDX_LIFECYCLE_STATE_INCORRECT);
	tdxsim_td_release_hkid(td);
	SCN_EQ(s, tdh_phymem_page_reclaim(SEPT2, &pt, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, pt, TDX_PAGE_SEPT);
	SCN_EQ(s, tdh_phymem_page_reclaim(SEPT3, NULL, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdh_phymem_page_reclaim(SEPT4, NULL, NULL, NULL), TDX_SUCCESS);
	/* The TDR goes last. */
	SCN_EQ(s, tdh_phymem_page_reclaim(TDR, NULL, NULL, NULL),
	       TDX_TD_ASSOCIATED_PAGES_EXIST);
	SCN_EQ(s, tdh_phymem_page_reclaim(ROOT, NULL, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdh_phymem_page_reclaim(TDR, NULL, NULL, NULL), TDX_SUCCESS);
	SCN_TRUE(s, tdxsim_page_needs_wbinvd(TDR));
	SCN_EQ(s, tdxsim_page_owner(SEPT4, NULL), TDX_PAGE_KERNEL);
	/* REMOVE before TRACK, RECLAIM before HKID release, TDR too early */
	SCN_EQ(s, tdxsim_rejections(), 3);
	SCN_FALSE(s, tdxsim_overflowed());
}

/* Each precondition the module checks gives its status and changes nothing. */
static void sim_rejects_what_the_module_rejects(struct scn *s)
{
	struct tdx_td *td;
	bool ok;

	tdxsim_reset();
	td = tdxsim_td_create(TDR, ROOT, 4);
	SCN_TRUE(s, td != NULL);
	SCN_TRUE(s, tdxsim_td_create(TDR, 300, 4) == NULL);	/* TDR in use */
	/* PAGE.AUG before finalization; PAGE.ADD after it. */
	SCN_EQ(s, tdh_mem_page_aug(td, 0, 1, GUEST, NULL, NULL),
	       TDX_LIFECYCLE_STATE_INCORRECT);
	/* A 4K leaf with no tables above it. */
	SCN_EQ(s, tdh_mem_page_add(td, 0, GUEST, 0, NULL, NULL), TDX_EPT_WALK_FAILED);
	SCN_EQ(s, tdxsim_page_owner(GUEST, NULL), TDX_PAGE_KERNEL);

	td = sim_td_linked(s, &ok);
	SCN_TRUE(s, ok);
	SCN_EQ(s, tdh_mem_page_add(td, 0, GUEST, 0, NULL, NULL),
	       TDX_LIFECYCLE_STATE_INCORRECT);
	SCN_EQ(s, tdh_mem_sept_add(td, 0, 2, 106, NULL, NULL),
	       TDX_EPT_ENTRY_STATE_INCORRECT);			/* already linked */
	SCN_EQ(s, tdh_mem_sept_add(td, 1 << 21, 2, SEPT3, NULL, NULL),
	       TDX_PAGE_METADATA_INCORRECT);			/* page in use */
	SCN_EQ(s, tdh_mem_sept_add(td, 4096, 2, 106, NULL, NULL),
	       TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);	/* misaligned */
	SCN_EQ(s, tdh_mem_page_aug(td, 0, 2, GUEST, NULL, NULL),
	       TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);	/* pfn not 2M */
	SCN_EQ(s, tdh_mem_range_block(td, 4096, 1, NULL, NULL),
	       TDX_EPT_ENTRY_STATE_INCORRECT);			/* FREE */
	SCN_EQ(s, tdh_mem_page_aug(td, 0, 1, GUEST, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_page_remove(td, 0, 1, NULL, NULL),
	       TDX_GPA_RANGE_NOT_BLOCKED);
	SCN_EQ(s, tdh_mem_range_block(td, 0, 1, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_range_block(td, 0, 1, NULL, NULL),
	       TDX_GPA_RANGE_ALREADY_BLOCKED);
	/* A table with a live child cannot go. */
	SCN_EQ(s, tdh_mem_range_block(td, 0, 2, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_track(td), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_sept_remove(td, 0, 2, NULL, NULL), TDX_EPT_PAGE_NOT_FREE);
	SCN_EQ(s, tdh_mem_page_remove(td, 0, 1, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_sept_remove(td, 0, 2, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdxsim_page_owner(SEPT2, NULL), TDX_PAGE_KERNEL);
	SCN_EQ(s, tdh_phymem_page_reclaim(GUEST, NULL, NULL, NULL),
	       TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX);	/* kernel's */
	/* one per refused call since sim_td_linked() reset the module */
	SCN_EQ(s, tdxsim_rejections(), 10);
}

/* Fault injection: the Nth call, or every call, fails as the module can. */
static void sim_fault_injection(struct scn *s)
{
	struct tdx_td *td;
	int nr;

	tdxsim_reset();
	td = tdxsim_td_create(TDR, ROOT, 4);
	tdxsim_td_finalize(td);
	SCN_EQ(s, tdxsim_inject(SC_MEM_SEPT_ADD, 2,
				TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT), 0);
	SCN_EQ(s, tdh_mem_sept_add(td, 0, 4, SEPT4, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_sept_add(td, 0, 3, SEPT3, NULL, NULL),
	       TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT);
	/* The failed call changed nothing; the retry succeeds. */
	SCN_EQ(s, tdxsim_sept_entry(td, 0, 3, NULL), SEPT_FREE);
	SCN_EQ(s, tdxsim_page_owner(SEPT3, NULL), TDX_PAGE_KERNEL);
	SCN_EQ(s, tdh_mem_sept_add(td, 0, 3, SEPT3, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdxsim_calls(SC_MEM_SEPT_ADD), 3);
	/* Only what the call can really return may be injected. */
	SCN_EQ(s, tdxsim_inject(SC_MEM_TRACK, 0, TDX_EPT_PAGE_NOT_FREE), -1);
	SCN_EQ(s, tdxsim_inject(SC_MEM_TRACK, 0, TDX_PREVIOUS_TLB_EPOCH_BUSY), 0);
	SCN_EQ(s, tdh_mem_track(td), TDX_PREVIOUS_TLB_EPOCH_BUSY);
	SCN_EQ(s, tdh_mem_track(td), TDX_PREVIOUS_TLB_EPOCH_BUSY);
	tdxsim_inject_clear();
	SCN_EQ(s, tdh_mem_track(td), TDX_SUCCESS);
	SCN_EQ(s, tdxsim_rejections(), 0);
	/* Every call of the S-EPT path has statuses to inject, BUSY first. */
	for (int sc = SC_MEM_SEPT_ADD; sc <= SC_MEM_PAGE_DEMOTE; sc++) {
		const u64 *st = tdxsim_statuses(sc, &nr);

		SCN_TRUE(s, nr > 0);
		SCN_EQ(s, tdx_status(st[0]), TDX_OPERAND_BUSY & TDX_STATUS_MASK);
	}
}

/* DEMOTE: a blocked, tracked 2M leaf becomes a table of 512 4K leaves. */
static void sim_demote_2m(struct scn *s)
{
	u64 pfn;
	bool ok;
	struct tdx_td *td = sim_td_linked(s, &ok);

	SCN_TRUE(s, ok);
	SCN_EQ(s, tdh_mem_page_aug(td, 1 << 21, 2, HUGE, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdxsim_page_owner(HUGE + 511, NULL), TDX_PAGE_TD_PRIVATE);
	SCN_EQ(s, tdh_mem_page_demote(td, 1 << 21, 2, SEPT_DEMOTE, NULL, NULL, NULL),
	       TDX_GPA_RANGE_NOT_BLOCKED);
	SCN_EQ(s, tdh_mem_range_block(td, 1 << 21, 2, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_track(td), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_page_demote(td, 1 << 21, 2, SEPT_DEMOTE, NULL, NULL, NULL),
	       TDX_SUCCESS);
	SCN_EQ(s, tdxsim_sept_entry(td, 1 << 21, 2, &pfn), SEPT_NL_MAPPED);
	SCN_EQ(s, pfn, SEPT_DEMOTE);
	SCN_EQ(s, tdxsim_sept_entry(td, (1 << 21) + 511 * 4096, 1, &pfn), SEPT_PENDING);
	SCN_EQ(s, pfn, HUGE + 511);
	SCN_EQ(s, tdxsim_page_owner(SEPT_DEMOTE, NULL), TDX_PAGE_SEPT);
	/* One 4K of it can now be removed on its own. */
	SCN_EQ(s, tdh_mem_range_block(td, (1 << 21) + 4096, 1, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_track(td), TDX_SUCCESS);
	SCN_EQ(s, tdh_mem_page_remove(td, (1 << 21) + 4096, 1, NULL, NULL), TDX_SUCCESS);
	SCN_EQ(s, tdxsim_page_owner(HUGE + 1, NULL), TDX_PAGE_KERNEL);
	SCN_EQ(s, tdxsim_page_owner(HUGE + 2, NULL), TDX_PAGE_TD_PRIVATE);
	SCN_EQ(s, tdxsim_rejections(), 1);
}

/*
 * Every (SEAMCALL, status) pair the simulator can inject: prepare a state in
 * which the call would succeed, inject the status, and require that the call
 * returns exactly it, changes nothing observable, and then succeeds.
 */
struct sim_obs {
	enum tdx_sept_state leaf, huge, table;
	enum tdx_page_owner guest, huge_page, sept, tdr;
	unsigned long pages;
	bool dirty;
};

static void sim_observe(struct tdx_td *td, struct sim_obs *o)
{
	o->leaf = tdxsim_sept_entry(td, 0, 1, NULL);
	o->huge = tdxsim_sept_entry(td, 1 << 21, 2, NULL);
	o->table = tdxsim_sept_entry(td, 0, 2, NULL);
	o->guest = tdxsim_page_owner(GUEST, NULL);
	o->huge_page = tdxsim_page_owner(HUGE, NULL);
	o->sept = tdxsim_page_owner(SEPT_DEMOTE, NULL);
	o->tdr = tdxsim_page_owner(TDR, NULL);
	o->pages = tdxsim_td_pages(td);
	o->dirty = tdxsim_page_needs_wbinvd(GUEST);
}

/* Bring the TD to where @sc succeeds; returns false if setup failed. */
static struct tdx_td *sim_ready_for(struct scn *s, enum tdx_seamcall sc, bool *ok)
{
	struct tdx_td *td = sim_td_linked(s, ok);

	if (!*ok)
		return td;
	switch (sc) {
	case SC_MEM_PAGE_ADD:		/* needs a TD not yet finalized */
		tdxsim_reset();
		td = tdxsim_td_create(TDR, ROOT, 4);
		*ok = td && !tdh_mem_sept_add(td, 0, 4, SEPT4, NULL, NULL) &&
		      !tdh_mem_sept_add(td, 0, 3, SEPT3, NULL, NULL) &&
		      !tdh_mem_sept_add(td, 0, 2, SEPT2, NULL, NULL);
		break;
	case SC_MEM_RANGE_BLOCK:
		*ok = !tdh_mem_page_aug(td, 0, 1, GUEST, NULL, NULL);
		break;
	case SC_MEM_PAGE_REMOVE:
	case SC_MEM_PAGE_DEMOTE:
		*ok = !tdh_mem_page_aug(td, 0, 1, GUEST, NULL, NULL) &&
		      !tdh_mem_range_block(td, 0, 1, NULL, NULL) &&
		      !tdh_mem_page_aug(td, 1 << 21, 2, HUGE, NULL, NULL) &&
		      !tdh_mem_range_block(td, 1 << 21, 2, NULL, NULL) &&
		      !tdh_mem_track(td);
		break;
	case SC_MEM_SEPT_REMOVE:
		*ok = !tdh_mem_range_block(td, 0, 2, NULL, NULL) && !tdh_mem_track(td);
		break;
	case SC_PHYMEM_PAGE_WBINVD:
		*ok = !tdh_mem_page_aug(td, 0, 1, GUEST, NULL, NULL) &&
		      !tdh_mem_range_block(td, 0, 1, NULL, NULL) &&
		      !tdh_mem_track(td) && !tdh_mem_page_remove(td, 0, 1, NULL, NULL);
		break;
	case SC_PHYMEM_PAGE_RECLAIM:
		tdxsim_td_release_hkid(td);
		break;
	default:
		break;
	}
	return td;
}

static u64 sim_call(struct tdx_td *td, enum tdx_seamcall sc)
{
	switch (sc) {
	case SC_MEM_SEPT_ADD: return tdh_mem_sept_add(td, 1ULL << 30, 3, 106, NULL, NULL);
	case SC_MEM_PAGE_AUG: return tdh_mem_page_aug(td, 0, 1, GUEST, NULL, NULL);
	case SC_MEM_PAGE_ADD: return tdh_mem_page_add(td, 0, GUEST, 0, NULL, NULL);
	case SC_MEM_RANGE_BLOCK: return tdh_mem_range_block(td, 0, 1, NULL, NULL);
	case SC_MEM_TRACK: return tdh_mem_track(td);
	case SC_MEM_PAGE_REMOVE: return tdh_mem_page_remove(td, 0, 1, NULL, NULL);
	case SC_MEM_SEPT_REMOVE: return tdh_mem_sept_remove(td, 0, 2, NULL, NULL);
	case SC_PHYMEM_PAGE_RECLAIM: return tdh_phymem_page_reclaim(SEPT2, NULL, NULL, NULL);
	case SC_PHYMEM_PAGE_WBINVD:
		return tdh_phymem_page_wbinvd_hkid(tdxsim_td_hkid(td), GUEST);
	case SC_MEM_PAGE_DEMOTE:
		return tdh_mem_page_demote(td, 1 << 21, 2, SEPT_DEMOTE, NULL, NULL, NULL);
	default: return TDX_OPERAND_INVALID;
	}
}

static void sim_every_injected_status_is_atomic(struct scn *s)
{
	int pairs = 0;

	for (int sc = SC_MEM_SEPT_ADD; sc <= SC_MEM_PAGE_DEMOTE; sc++) {
		int nr;
		const u64 *st = tdxsim_statuses(sc, &nr);

		for (int i = 0; i < nr; i++) {
			struct sim_obs before, after;
			struct tdx_td *td;
			bool ok;

			td = sim_ready_for(s, sc, &ok);
			SCN_TRUE(s, ok);
			sim_observe(td, &before);
			SCN_EQ(s, tdxsim_inject(sc, 1, st[i]), 0);
			SCN_EQ(s, sim_call(td, sc), st[i]);
			sim_observe(td, &after);
			SCN_EQ(s, after.leaf, before.leaf);
			SCN_EQ(s, after.huge, before.huge);
			SCN_EQ(s, after.table, before.table);
			SCN_EQ(s, after.guest, before.guest);
			SCN_EQ(s, after.huge_page, before.huge_page);
			SCN_EQ(s, after.sept, before.sept);
			SCN_EQ(s, after.tdr, before.tdr);
			SCN_EQ(s, after.pages, before.pages);
			SCN_EQ(s, after.dirty, before.dirty);
			SCN_EQ(s, sim_call(td, sc), TDX_SUCCESS);	/* retry */
			SCN_EQ(s, tdxsim_rejections(), 0);
			pairs++;
		}
	}
	SCN_EQ(s, pairs, 63);		/* the size of the status tables */
}

#define SCENARIO(fn) { #fn, fn }
const struct scenario tdxmm_scenarios[] = {
	SCENARIO(constants_conform_to_spec),
	SCENARIO(INV_01_frozen_is_nonpresent),
	SCENARIO(is_frozen_is_exact),
	SCENARIO(present_is_bit_11_only),
	SCENARIO(large_and_last),
	SCENARIO(last_spte_never_ungated),
	SCENARIO(INV_01_make_leaf_spte),
	SCENARIO(INV_01_make_nonleaf_spte),
	SCENARIO(INV_01_checker_self_test),
	SCENARIO(INV_06_07_checkers),
	SCENARIO(direct_install),
	SCENARIO(INV_05_direct_lost_race),
	SCENARIO(INV_03_mirror_install_freezes_around_hook),
	SCENARIO(INV_12_mirror_hook_failure_restores),
	SCENARIO(INV_05_mirror_lost_freeze),
	SCENARIO(mirror_bug_paths),
	SCENARIO(mirror_freeze_via_api_is_plain),
	SCENARIO(INV_02_refuses_frozen_or_yielded),
	SCENARIO(INV_05_R1_failed_freeze_ends_retry_loop),
	SCENARIO(write_zap_direct_leaf),
	SCENARIO(INV_10_write_zap_mirror_leaf_forwards),
	SCENARIO(write_zap_mirror_hook_failure_bugs_vm),
	SCENARIO(INV_07_mirror_promotion_bugs_vm),
	SCENARIO(sim_lifecycle_round_trip),
	SCENARIO(sim_rejects_what_the_module_rejects),
	SCENARIO(sim_fault_injection),
	SCENARIO(sim_demote_2m),
	SCENARIO(sim_every_injected_status_is_atomic),
};
const int tdxmm_nr_scenarios = ARRAY_LEN(tdxmm_scenarios);
