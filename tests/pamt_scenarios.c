// SPDX-License-Identifier: GPL-2.0
/*
 * Dynamic PAMT scenarios (SPEC B11, INV-30..40, R4, R5, R7), shared by
 * cmocka and KUnit: impl/pamt.c against the simulator's PAMT nodes.  Each
 * ends with the module's nodes and the refcounts in agreement
 * (model/pamt_check.c) and every page back where it came from.
 */
#include "pamt_check.h"
#include "scenarios.h"

#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define EQ_REGIONS 24

static struct {
	struct tdx_memblock blocks[TDX_MAX_MEMBLOCKS];
	int nr;
	long pool_before;
	struct tdx_pamt_cache cache;
} pf;

static bool pamt_setup(void)
{
	static const struct tdx_pamt_cache empty;

	tdxsim_reset();
	tdxsim_inject_clear();
	tdxsim_set_call_hook(NULL);
	tdx_pamt_exit();
	pf.nr = scn_tdx_memblocks(pf.blocks);
	if (tdx_pamt_init(pf.blocks, pf.nr))
		return false;
	tdxsim_set_dpamt(true);
	scn_pool_reset();
	pf.pool_before = scn_pool_used();
	pf.cache = empty;
	return true;
}

/* A fresh set-up and one 4K page of TDX memory to take references on. */
#define PAMT_SETUP_PAGE(s, page, pfn)					\
do {									\
	SCN_TRUE(s, pamt_setup());					\
	(page) = tdxmm_alloc_page();					\
	SCN_TRUE(s, (page) != NULL);					\
	(pfn) = tdxmm_virt_to_pfn(page);				\
} while (0)

static int rc_of(void *page)
{
	return atomic_read(tdx_find_pamt_refcount(tdxmm_virt_to_pfn(page)));
}

static enum tdx_pamt_node node_of(void *page)
{
	return tdxsim_pamt_node(tdxmm_virt_to_pfn(page));
}

static const char *pamt_finish(void)
{
	tdx_free_pamt_cache(&pf.cache);
	for (int i = 0; i < pf.nr; i++) {
		const char *why = check_pamt(pf.blocks[i].start_pfn,
					     pf.blocks[i].end_pfn);

		if (why)
			return why;
	}
	if (tdxsim_rejections())
		return tdxsim_last_rejection(NULL);
	if (pf.pool_before >= 0 && scn_pool_used() != pf.pool_before)
		return "a page was lost";
	return NULL;
}

#define PAMT_FINISH(s)							\
do {									\
	const char *__why = pamt_finish();				\
	if (__why) {							\
		scn_fail(s, __FILE__, __LINE__, __why, 0, 0);		\
		return;							\
	}								\
} while (0)

/* 0 -> 1 (PAMT.ADD), 1 -> 2 (fast path), 2 -> 1, 1 -> 0 (PAMT.REMOVE). */
static void INV_30_every_transition(struct scn *s)
{
	void *page;
	u64 pfn;

	PAMT_SETUP_PAGE(s, page, pfn);
	SCN_EQ(s, tdx_topup_pamt_cache(&pf.cache, 1), 0);
	SCN_EQ(s, pf.cache.cnt, TDX_DPAMT_ENTRY_PAGE_CNT);

	SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, &pf.cache), 0);
	SCN_EQ(s, rc_of(page), 1);
	SCN_EQ(s, node_of(page), PAMT_NODE_PAMT);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_ADD), 1);
	SCN_EQ(s, pf.cache.cnt, 0);		/* the pair went to the module */

	SCN_EQ(s, tdx_pamt_get(pfn + 1, PG_LEVEL_4K, &pf.cache), 0);
	SCN_EQ(s, rc_of(page), 2);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_ADD), 1);

	tdx_pamt_put(pfn + 1, PG_LEVEL_4K);
	SCN_EQ(s, rc_of(page), 1);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_REMOVE), 0);

	tdx_pamt_put(pfn, PG_LEVEL_4K);
	SCN_EQ(s, rc_of(page), 0);
	SCN_EQ(s, node_of(page), PAMT_NODE_NDA);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_REMOVE), 1);
	tdxmm_free_page(page);
	PAMT_FINISH(s);
}

/*
 * INV-36/37: a get or put of 2M and 1G is a no-op (0, no count, no PAMT
 * call, no WARN), even with the region's 4K count held; an empty cache is
 * -ENOMEM, no change.
 */
static void INV_37_levels_and_empty_cache(struct scn *s)
{
	void *page;
	long warns;
	u64 pfn;

	PAMT_SETUP_PAGE(s, page, pfn);
	warns = scn_warns();
	SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_2M, &pf.cache), 0);
	SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_1G, &pf.cache), 0);
	tdx_pamt_put(pfn, PG_LEVEL_2M);
	SCN_EQ(s, rc_of(page), 0);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_ADD), 0);
	/* with a 4K reference held: a 2M or 1G put does not drop it */
	SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, NULL), 0);
	SCN_EQ(s, rc_of(page), 1);
	tdx_pamt_put(pfn, PG_LEVEL_2M);
	tdx_pamt_put(pfn, PG_LEVEL_1G);
	SCN_EQ(s, rc_of(page), 1);
	SCN_EQ(s, node_of(page), PAMT_NODE_PAMT);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_REMOVE), 0);
	if (warns >= 0)		/* the kernel keeps no WARN count */
		SCN_EQ(s, scn_warns(), warns);
	tdx_pamt_put(pfn, PG_LEVEL_4K);
	SCN_EQ(s, rc_of(page), 0);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_REMOVE), 1);

	/* empty, then half a pair: no further PAMT.ADD */
	SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, &pf.cache), -ENOMEM);
	pf.cache.pages[pf.cache.cnt++] = tdxmm_alloc_page();
	SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, &pf.cache), -ENOMEM);
	SCN_EQ(s, pf.cache.cnt, 1);
	SCN_EQ(s, rc_of(page), 0);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_ADD), 1);
	/* a top-up beyond the cache's capacity is refused */
	SCN_EQ(s, tdx_topup_pamt_cache(&pf.cache, TDX_PAMT_CACHE_MAX), -EINVAL);
	tdxmm_free_page(page);
	PAMT_FINISH(s);
}

/*
 * Each status PAMT.ADD can return: -EIO with a WARN, rc 0, the pair back
 * in the cache (or freed, without one).
 */
static void INV_31_pamt_add_failure_changes_nothing(struct scn *s)
{
	int nr;
	const u64 *st = tdxsim_statuses(SC_PHYMEM_PAMT_ADD, &nr);

	for (int k = 0; k < nr; k++) {
		void *page;
		long warns;
		u64 pfn;

		PAMT_SETUP_PAGE(s, page, pfn);
		SCN_EQ(s, tdx_topup_pamt_cache(&pf.cache, 1), 0);
		SCN_EQ(s, tdxsim_inject(SC_PHYMEM_PAMT_ADD, 1, st[k]), 0);
		warns = scn_warns();
		SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, &pf.cache), -EIO);
		if (warns >= 0)		/* the kernel keeps no WARN count */
			SCN_EQ(s, scn_warns() - warns, 1);
		SCN_EQ(s, rc_of(page), 0);
		SCN_EQ(s, node_of(page), PAMT_NODE_NDA);
		SCN_EQ(s, pf.cache.cnt, TDX_DPAMT_ENTRY_PAGE_CNT);
		/* without a cache the pair is allocated and freed again */
		SCN_EQ(s, tdxsim_inject(SC_PHYMEM_PAMT_ADD, 1, st[k]), 0);
		SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, NULL), -EIO);
		if (warns >= 0)
			SCN_EQ(s, scn_warns() - warns, 2);
		SCN_EQ(s, rc_of(page), 0);
		SCN_EQ(s, node_of(page), PAMT_NODE_NDA);
		/* a later get succeeds */
		SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, &pf.cache), 0);
		tdx_pamt_put(pfn, PG_LEVEL_4K);
		tdxmm_free_page(page);
		PAMT_FINISH(s);
	}
}

/*
 * Each status PAMT.REMOVE can return: a WARN, rc back to 1, the pair
 * leaked (R15).
 */
static void INV_32_pamt_remove_failure_keeps_the_pair(struct scn *s)
{
	int nr;
	const u64 *st = tdxsim_statuses(SC_PHYMEM_PAMT_REMOVE, &nr);

	for (int k = 0; k < nr; k++) {
		void *page;
		long warns;
		u64 pfn;

		PAMT_SETUP_PAGE(s, page, pfn);
		SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, NULL), 0);
		SCN_EQ(s, tdxsim_inject(SC_PHYMEM_PAMT_REMOVE, 1, st[k]), 0);
		warns = scn_warns();
		tdx_pamt_put(pfn, PG_LEVEL_4K);
		if (warns >= 0)		/* the kernel keeps no WARN count */
			SCN_EQ(s, scn_warns() - warns, 1);
		SCN_EQ(s, rc_of(page), 1);
		SCN_EQ(s, node_of(page), PAMT_NODE_PAMT);
		SCN_EQ(s, tdx_pamt_leaked_pairs(), 1);
		/* the next put tries again and succeeds */
		tdx_pamt_put(pfn, PG_LEVEL_4K);
		SCN_EQ(s, rc_of(page), 0);
		SCN_EQ(s, node_of(page), PAMT_NODE_NDA);
		tdxmm_free_page(page);
		PAMT_FINISH(s);
	}
}

/* A put without a get, and a double put: warned, nothing changes. */
static void INV_30_put_without_get(struct scn *s)
{
	void *page;
	long warns;
	u64 pfn;

	PAMT_SETUP_PAGE(s, page, pfn);
	warns = scn_warns();
	tdx_pamt_put(pfn, PG_LEVEL_4K);
	if (warns >= 0)		/* the kernel keeps no WARN count */
		SCN_EQ(s, scn_warns() - warns, 1);
	SCN_EQ(s, rc_of(page), 0);
	SCN_EQ(s, node_of(page), PAMT_NODE_NDA);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_REMOVE), 0);
	SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, NULL), 0);
	tdx_pamt_put(pfn, PG_LEVEL_4K);
	if (warns >= 0)
		SCN_EQ(s, scn_warns() - warns, 1);
	tdx_pamt_put(pfn, PG_LEVEL_4K);
	if (warns >= 0)
		SCN_EQ(s, scn_warns() - warns, 2);
	SCN_EQ(s, rc_of(page), 0);
	SCN_EQ(s, node_of(page), PAMT_NODE_NDA);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_REMOVE), 1);
	tdxmm_free_page(page);
	PAMT_FINISH(s);
}

/*
 * docs/DEVIATIONS.md, sparse refcount storage: tdxmm's sparse refcounts and DPAMT v6's
 * dense table (one counter per 2M over [0, max_pfn), index pfn >> 9) give
 * every pfn the same counter.  Exhaustively over every pfn of a map with
 * holes and adjacent blocks: the sparse lookup is NULL exactly outside TDX
 * memory, one counter per region (constant within it, distinct across),
 * and gets and puts through it leave the same count per pfn as the same
 * operations on a dense array.
 */
static void INV_40_sparse_equals_dense_per_pfn(struct scn *s)
{
	static const struct tdx_memblock b[] = {
		{ 2 * 512, 4 * 512 }, { 7 * 512, 8 * 512 }, { 8 * 512, 9 * 512 },
		{ 20 * 512, 23 * 512 },
	};
	static atomic_t *ptr[EQ_REGIONS];
	static int dense[EQ_REGIONS];
	int checked = 0;

	SCN_TRUE(s, pamt_setup());
	tdx_pamt_exit();
	SCN_EQ(s, tdx_pamt_init(b, ARRAY_LEN(b)), 0);
	for (int r = 0; r < EQ_REGIONS; r++) {
		ptr[r] = tdx_find_pamt_refcount((u64)r << 9);
		dense[r] = 0;
	}
	for (u64 pfn = 0; pfn < EQ_REGIONS * 512ULL; pfn++) {
		bool in = false;

		for (int i = 0; i < ARRAY_LEN(b); i++)
			in |= pfn >= b[i].start_pfn && pfn < b[i].end_pfn;
		SCN_EQ(s, tdx_find_pamt_refcount(pfn) != NULL, in);
		SCN_TRUE(s, tdx_find_pamt_refcount(pfn) == ptr[pfn >> 9]);
		checked++;
	}
	for (int r = 0; r < EQ_REGIONS; r++)
		for (int q = r + 1; q < EQ_REGIONS; q++)
			SCN_TRUE(s, !ptr[r] || ptr[r] != ptr[q]);
	/* the counts themselves, with DPAMT off (no module calls) */
	tdxsim_set_dpamt(false);
	for (u64 pfn = 0; pfn < EQ_REGIONS * 512ULL; pfn += 37) {
		atomic_t *rc = tdx_find_pamt_refcount(pfn);

		if (!rc)
			continue;
		atomic_inc(rc);
		dense[pfn >> 9]++;
		if (pfn % 3 == 0) {
			atomic_dec(rc);
			dense[pfn >> 9]--;
		}
	}
	for (u64 pfn = 0; pfn < EQ_REGIONS * 512ULL; pfn++) {
		atomic_t *rc = tdx_find_pamt_refcount(pfn);

		SCN_EQ(s, rc ? atomic_read(rc) : 0, dense[pfn >> 9]);
	}
	for (int r = 0; r < EQ_REGIONS; r++)
		if (ptr[r])
			atomic_set(ptr[r], 0);
	SCN_EQ(s, checked, EQ_REGIONS * 512);
	SCN_TRUE(s, pamt_setup());
	PAMT_FINISH(s);
}

/* INV-40: refcounts exist only for TDX memory; outside it, -EINVAL. */
static void INV_40_sparse_lookup(struct scn *s)
{
	struct tdx_memblock b[2];
	u64 start, hole;
	long warns;

	SCN_TRUE(s, pamt_setup());
	start = pf.blocks[0].start_pfn;
	hole = start + (1ULL << 28);	/* 1 TiB above */
	SCN_TRUE(s, tdx_find_pamt_refcount(start) != NULL);
	SCN_TRUE(s, tdx_find_pamt_refcount(start - 1) == NULL ||
		 pf.blocks[0].start_pfn == 0);
	SCN_TRUE(s, tdx_find_pamt_refcount(pf.blocks[pf.nr - 1].end_pfn) == NULL);
	SCN_EQ(s, tdx_pamt_get(pf.blocks[pf.nr - 1].end_pfn, PG_LEVEL_4K,
			       NULL), -EINVAL);
	tdx_pamt_put(pf.blocks[pf.nr - 1].end_pfn, PG_LEVEL_4K);

	/* two blocks with a 1 TiB hole: the hole costs no refcount memory */
	tdx_pamt_exit();
	b[0].start_pfn = start;
	b[0].end_pfn = start + 1024;
	b[1].start_pfn = hole;
	b[1].end_pfn = hole + 512;
	SCN_EQ(s, tdx_pamt_init(b, 2), 0);
	SCN_EQ(s, tdx_pamt_refcount_bytes(), 3 * sizeof(atomic_t));
	SCN_TRUE(s, tdx_find_pamt_refcount(start + 1023) != NULL);
	SCN_TRUE(s, tdx_find_pamt_refcount(start + 1024) == NULL);
	SCN_TRUE(s, tdx_find_pamt_refcount(hole - 1) == NULL);
	SCN_TRUE(s, tdx_find_pamt_refcount(hole + 511) != NULL);
	SCN_TRUE(s, tdx_find_pamt_refcount(hole + 512) == NULL);
	SCN_TRUE(s, tdx_find_pamt_refcount(start + 511) !=
		 tdx_find_pamt_refcount(start + 512));
	/* a get and a put inside the hole: -EINVAL and a WARN each, no count */
	warns = scn_warns();
	SCN_EQ(s, tdx_pamt_get(hole - 512, PG_LEVEL_4K, NULL), -EINVAL);
	tdx_pamt_put(hole - 512, PG_LEVEL_4K);
	if (warns >= 0)		/* the kernel keeps no WARN count */
		SCN_EQ(s, scn_warns() - warns, 2);
	SCN_EQ(s, atomic_read(tdx_find_pamt_refcount(start + 1023)), 0);
	SCN_EQ(s, atomic_read(tdx_find_pamt_refcount(hole)), 0);
	/* bad maps are refused */
	tdx_pamt_exit();
	b[1].start_pfn = start + 512;		/* overlaps */
	SCN_EQ(s, tdx_pamt_init(b, 2), -EINVAL);
	b[1].start_pfn = hole + 1;		/* misaligned */
	SCN_EQ(s, tdx_pamt_init(b, 2), -EINVAL);
	SCN_EQ(s, tdx_pamt_init(b, 0), -EINVAL);
	SCN_TRUE(s, pamt_setup());
	PAMT_FINISH(s);
}

/* B11.7: a control page holds a reference from allocation to free. */
static void INV_34_control_page_round_trip(struct scn *s)
{
	void *a, *b;

	SCN_TRUE(s, pamt_setup());
	a = tdx_alloc_control_page();
	SCN_TRUE(s, a != NULL);
	SCN_EQ(s, rc_of(a), 1);
	SCN_EQ(s, node_of(a), PAMT_NODE_PAMT);
	b = tdx_alloc_control_page();
	SCN_TRUE(s, b != NULL);
	tdx_free_control_page(a);
	tdx_free_control_page(b);
	tdx_free_control_page(NULL);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_ADD),
	       tdxsim_calls(SC_PHYMEM_PAMT_REMOVE));
	/* PAMT.ADD refused: no page */
	SCN_EQ(s, tdxsim_inject(SC_PHYMEM_PAMT_ADD, 0,
				TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX), 0);
	SCN_TRUE(s, tdx_alloc_control_page() == NULL);
	tdxsim_inject_clear();
	PAMT_FINISH(s);
}

/*
 * R4/R5 as ordered steps: while a put removes the pair (under pamt_lock,
 * rc already 0), a getter's fast path fails, so it cannot borrow the pair
 * being removed; it installs a new one afterwards.
 */
static atomic_t *r5_rc;
static int r5_fast_path_won = -1;

static void r5_hook(enum tdx_seamcall sc)
{
	if (sc == SC_PHYMEM_PAMT_REMOVE && r5_rc)
		r5_fast_path_won = atomic_inc_not_zero(r5_rc);
}

static void R5_get_cannot_borrow_a_pair_being_removed(struct scn *s)
{
	void *page;
	u64 pfn;

	PAMT_SETUP_PAGE(s, page, pfn);
	SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, NULL), 0);
	r5_rc = tdx_find_pamt_refcount(pfn);
	tdxsim_set_call_hook(r5_hook);
	tdx_pamt_put(pfn, PG_LEVEL_4K);
	tdxsim_set_call_hook(NULL);
	r5_rc = NULL;
	SCN_EQ(s, r5_fast_path_won, 0);
	SCN_EQ(s, rc_of(page), 0);
	SCN_EQ(s, node_of(page), PAMT_NODE_NDA);
	SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, NULL), 0);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAMT_ADD), 2);
	tdx_pamt_put(pfn, PG_LEVEL_4K);
	tdxmm_free_page(page);
	PAMT_FINISH(s);
}

/*
 * R7, SPEC 0.4.9: the pair comes from the cache before anything is locked
 * (-ENOMEM from an empty cache, no lock); the bracket holds pamt_lock
 * around DEMOTE only (R6_sept_map_split_zap_2m sees it held inside the
 * real DEMOTE and free at the kick); a pair DEMOTE did not take goes back.
 */
static void R7_demote_bracket(struct scn *s)
{
	u64 pa[TDX_DPAMT_ENTRY_PAGE_CNT];

	SCN_TRUE(s, pamt_setup());
	SCN_FALSE(s, tdx_pamt_locked());
	/* empty cache: no pair, no lock */
	SCN_EQ(s, tdx_pamt_demote_prepare(&pf.cache, pa), -ENOMEM);
	SCN_FALSE(s, tdx_pamt_locked());
	SCN_EQ(s, tdx_topup_pamt_cache(&pf.cache, 1), 0);
	SCN_EQ(s, tdx_pamt_demote_prepare(&pf.cache, pa), 0);
	SCN_FALSE(s, tdx_pamt_locked());
	SCN_EQ(s, pf.cache.cnt, 0);
	tdx_pamt_demote_begin();
	SCN_TRUE(s, tdx_pamt_locked());
	/* a failed DEMOTE: the count stays, the lock goes */
	tdx_pamt_demote_end(pf.blocks[0].start_pfn, false);
	SCN_FALSE(s, tdx_pamt_locked());
	SCN_EQ(s, atomic_read(tdx_find_pamt_refcount(pf.blocks[0].start_pfn)), 0);
	/* and its pair goes back to the cache */
	tdx_pamt_demote_release(&pf.cache, pa);
	SCN_EQ(s, pf.cache.cnt, TDX_DPAMT_ENTRY_PAGE_CNT);
	PAMT_FINISH(s);
}

/*
 * INV-35: an installed region holds exactly TDX_DPAMT_ENTRY_PAGE_CNT pair
 * pages, the module's from PAMT.ADD until PAMT.REMOVE gives them back.
 */
static void INV_35_pair_pages_belong_to_the_module(struct scn *s)
{
	long used;
	void *page;
	u64 pfn;

	PAMT_SETUP_PAGE(s, page, pfn);
	used = scn_pool_used();
	SCN_EQ(s, tdxsim_pamt_pair_pages(), 0);
	SCN_EQ(s, tdx_pamt_get(pfn, PG_LEVEL_4K, NULL), 0);
	SCN_EQ(s, tdxsim_pamt_pair_pages(), TDX_DPAMT_ENTRY_PAGE_CNT);
	if (used >= 0)
		SCN_EQ(s, scn_pool_used(), used + TDX_DPAMT_ENTRY_PAGE_CNT);
	tdx_pamt_put(pfn, PG_LEVEL_4K);
	SCN_EQ(s, tdxsim_pamt_pair_pages(), 0);
	if (used >= 0)
		SCN_EQ(s, scn_pool_used(), used);
	tdxmm_free_page(page);
	PAMT_FINISH(s);
}

/* INV-33: PAMT.ADD and PAMT.REMOVE run only with pamt_lock held. */
static int pamt_calls, pamt_calls_locked;

static void lock_hook(enum tdx_seamcall sc)
{
	if (sc != SC_PHYMEM_PAMT_ADD && sc != SC_PHYMEM_PAMT_REMOVE)
		return;
	pamt_calls++;
	pamt_calls_locked += tdx_pamt_locked();
}

static void INV_33_pamt_calls_under_the_lock(struct scn *s)
{
	void *a, *b;

	SCN_TRUE(s, pamt_setup());
	pamt_calls = pamt_calls_locked = 0;
	tdxsim_set_call_hook(lock_hook);
	a = tdx_alloc_control_page();
	b = tdx_alloc_control_page();
	tdx_free_control_page(a);
	tdx_free_control_page(b);
	tdxsim_set_call_hook(NULL);
	SCN_TRUE(s, a != NULL && b != NULL);
	SCN_TRUE(s, pamt_calls >= 2);
	SCN_EQ(s, pamt_calls_locked, pamt_calls);
	SCN_FALSE(s, tdx_pamt_locked());
	PAMT_FINISH(s);
}

#define SCENARIO(fn) { #fn, fn }
const struct scenario tdxmm_pamt_scenarios[] = {
	SCENARIO(INV_30_every_transition),
	SCENARIO(INV_37_levels_and_empty_cache),
	SCENARIO(INV_31_pamt_add_failure_changes_nothing),
	SCENARIO(INV_32_pamt_remove_failure_keeps_the_pair),
	SCENARIO(INV_30_put_without_get),
	SCENARIO(INV_40_sparse_lookup),
	SCENARIO(INV_40_sparse_equals_dense_per_pfn),
	SCENARIO(INV_34_control_page_round_trip),
	SCENARIO(R5_get_cannot_borrow_a_pair_being_removed),
	SCENARIO(R7_demote_bracket),
	SCENARIO(INV_33_pamt_calls_under_the_lock),
	SCENARIO(INV_35_pair_pages_belong_to_the_module),
};
const int tdxmm_nr_pamt_scenarios = ARRAY_LEN(tdxmm_pamt_scenarios);
