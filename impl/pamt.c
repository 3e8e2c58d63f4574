// SPDX-License-Identifier: GPL-2.0
/*
 * Dynamic PAMT refcounting (SPEC B11, v6 design): atomic_inc_not_zero fast
 * path; the 0 -> 1 and 1 -> 0 steps and every PAMT.ADD/REMOVE happen under
 * pamt_lock (INV-31..33); pairs come from caches filled before any lock
 * (INV-38).  pamt_lock is only taken in task context: S-EPT pages are freed
 * from task context (R3), so plain spin_lock suffices (INV-39).
 */
#include "env.h"
#include "kvm.h"
#include "pamt.h"
#include "tdx_module.h"

/*
 * The contracts of this file's static functions (ACSL), on their
 * prototypes, so that the bodies below read like upstream's.
 */
/*@ requires \valid(pa + (0 .. 1));
    requires cache == \null ||
	     (\valid(cache) && 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX &&
	      \separated(cache, pa + (0 .. 1)));
    requires INV_38: cache == \null ==> INV_38_may_sleep;
    assigns pa[0 .. 1], cache->cnt, cache->pages[0 .. TDX_PAMT_CACHE_MAX - 1];
    ensures \result == 0 || \result == -ENOMEM;
    behavior allocate:
      assumes cache == \null;
      assigns pa[0 .. 1];
    behavior from_cache:
      assumes cache != \null;
      assigns pa[0 .. 1], cache->cnt,
	      cache->pages[0 .. TDX_PAMT_CACHE_MAX - 1];
      ensures 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX;
    complete behaviors;
    disjoint behaviors;
*/
static int alloc_pamt_array(u64 *pa, struct tdx_pamt_cache *cache);

/*@ requires \valid_read(pa + (0 .. 1));
    assigns \nothing; */
static void free_pamt_pages(const u64 *pa);

/*@ requires \valid_read(pa + (0 .. 1));
    requires cache == \null ||
	     (\valid(cache) && 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX &&
	      \separated(cache, pa + (0 .. 1)));
    assigns cache->cnt, cache->pages[0 .. TDX_PAMT_CACHE_MAX - 1];
    behavior free:
      assumes cache == \null;
      assigns \nothing;
    behavior to_cache:
      assumes cache != \null;
      assigns cache->cnt, cache->pages[0 .. TDX_PAMT_CACHE_MAX - 1];
      ensures 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX;
    complete behaviors;
    disjoint behaviors;
*/
static void free_pamt_array(const u64 *pa, struct tdx_pamt_cache *cache);

struct tdx_pamt_range {
	u64 start_pfn, end_pfn;
	atomic_t *refcount;		/* one per 2M region of the range */
};

static struct {
	bool enabled;
	int nr;
	struct tdx_pamt_range ranges[TDX_MAX_MEMBLOCKS];
} pamt;

spinlock_t pamt_lock;
atomic64_t pamt_leaked_pairs;

#define PAMT_REGION_SHIFT	9	/* 4K pages per 2M region: 512 */

bool tdx_supports_dynamic_pamt(void)
{
	return pamt.enabled;
}

int tdx_pamt_init(const struct tdx_memblock *blocks, int nr)
{
	if (pamt.enabled || nr < 1 || nr > TDX_MAX_MEMBLOCKS)
		return -EINVAL;
	for (int i = 0; i < nr; i++) {
		const struct tdx_memblock *b = &blocks[i];

		if (b->start_pfn >= b->end_pfn ||
		    (b->start_pfn | b->end_pfn) & ((1ULL << PAMT_REGION_SHIFT) - 1) ||
		    (i && b->start_pfn < blocks[i - 1].end_pfn))
			return -EINVAL;
	}
	for (int i = 0; i < nr; i++) {
		u64 n = (blocks[i].end_pfn - blocks[i].start_pfn) >>
			PAMT_REGION_SHIFT;

		pamt.ranges[i].refcount = kvzalloc(n * sizeof(atomic_t),
						   GFP_KERNEL);
		if (!pamt.ranges[i].refcount) {
			pamt.nr = i;
			tdx_pamt_exit();
			return -ENOMEM;
		}
		pamt.ranges[i].start_pfn = blocks[i].start_pfn;
		pamt.ranges[i].end_pfn = blocks[i].end_pfn;
	}
	pamt.nr = nr;
	atomic64_set(&pamt_leaked_pairs, 0);
	spin_lock_init(&pamt_lock);
	pamt.enabled = true;
	return 0;
}

void tdx_pamt_exit(void)
{
	for (int i = 0; i < pamt.nr; i++) {
		kvfree(pamt.ranges[i].refcount);
		pamt.ranges[i].refcount = NULL;
	}
	pamt.nr = 0;
	pamt.enabled = false;
}

atomic_t *tdx_find_pamt_refcount(u64 pfn)
{
	int lo = 0, hi = pamt.nr;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		struct tdx_pamt_range *r = &pamt.ranges[mid];

		if (pfn < r->start_pfn)
			hi = mid;
		else if (pfn >= r->end_pfn)
			lo = mid + 1;
		else
			return &r->refcount[(pfn - r->start_pfn) >>
					    PAMT_REGION_SHIFT];
	}
	return NULL;
}

unsigned long tdx_pamt_refcount_bytes(void)
{
	unsigned long bytes = 0;

	for (int i = 0; i < pamt.nr; i++)
		bytes += ((pamt.ranges[i].end_pfn - pamt.ranges[i].start_pfn) >>
			  PAMT_REGION_SHIFT) * sizeof(atomic_t);
	return bytes;
}

bool tdx_pamt_locked(void)
{
	return spin_is_locked(&pamt_lock);
}

unsigned long tdx_pamt_leaked_pairs(void)
{
	return atomic64_read(&pamt_leaked_pairs);
}

/* ---- page pairs ---- */

int tdx_topup_pamt_cache(struct tdx_pamt_cache *cache, unsigned long npairs)
{
	unsigned long target = npairs * TDX_DPAMT_ENTRY_PAGE_CNT;

	might_sleep();
	if (!tdx_supports_dynamic_pamt())
		return 0;
	if (target > TDX_PAMT_CACHE_MAX)
		return -EINVAL;
	while ((unsigned long)cache->cnt < target) {
		void *page = tdxmm_alloc_page();

		if (!page)
			return -ENOMEM;
		cache->pages[cache->cnt++] = page;
	}
	return 0;
}

void tdx_free_pamt_cache(struct tdx_pamt_cache *cache)
{
	while (cache->cnt)
		tdxmm_free_page(cache->pages[--cache->cnt]);
}

/* A pair from @cache, or freshly allocated if @cache is NULL (may sleep). */
static int alloc_pamt_array(u64 *pa, struct tdx_pamt_cache *cache)
{
	void *pages[TDX_DPAMT_ENTRY_PAGE_CNT];

	if (cache) {
		if (cache->cnt < TDX_DPAMT_ENTRY_PAGE_CNT)
			return -ENOMEM;
		/*@ loop invariant 0 <= i <= TDX_DPAMT_ENTRY_PAGE_CNT;
		    loop invariant cache->cnt == \at(cache->cnt, Pre) - i;
		    loop assigns i, pa[0 .. 1], cache->cnt;
		    loop variant TDX_DPAMT_ENTRY_PAGE_CNT - i; */
		for (int i = 0; i < TDX_DPAMT_ENTRY_PAGE_CNT; i++)
			pa[i] = tdxmm_virt_to_pfn(cache->pages[--cache->cnt]);
		return 0;
	}
	might_sleep();
	/*@ loop invariant 0 <= i <= TDX_DPAMT_ENTRY_PAGE_CNT;
	    loop assigns i, pages[0 .. 1];
	    loop variant TDX_DPAMT_ENTRY_PAGE_CNT - i; */
	for (int i = 0; i < TDX_DPAMT_ENTRY_PAGE_CNT; i++) {
		pages[i] = tdxmm_alloc_page();
		if (!pages[i]) {
			/*@ loop invariant 0 <= i <= TDX_DPAMT_ENTRY_PAGE_CNT;
			    loop assigns i;
			    loop variant i; */
			while (i--)
				tdxmm_free_page(pages[i]);
			return -ENOMEM;
		}
	}
	/*@ loop invariant 0 <= i <= TDX_DPAMT_ENTRY_PAGE_CNT;
	    loop assigns i, pa[0 .. 1];
	    loop variant TDX_DPAMT_ENTRY_PAGE_CNT - i; */
	for (int i = 0; i < TDX_DPAMT_ENTRY_PAGE_CNT; i++)
		pa[i] = tdxmm_virt_to_pfn(pages[i]);
	return 0;
}

/* A pair the module gave back (or never took). */
static void free_pamt_pages(const u64 *pa)
{
	/*@ loop invariant 0 <= i <= TDX_DPAMT_ENTRY_PAGE_CNT;
	    loop assigns i;
	    loop variant TDX_DPAMT_ENTRY_PAGE_CNT - i; */
	for (int i = 0; i < TDX_DPAMT_ENTRY_PAGE_CNT; i++)
		tdxmm_free_page(tdxmm_pfn_to_virt(pa[i]));
}

/* An unused pair goes back where it came from. */
static void free_pamt_array(const u64 *pa, struct tdx_pamt_cache *cache)
{
	if (!cache) {
		free_pamt_pages(pa);
		return;
	}
	/*@ loop invariant 0 <= i <= TDX_DPAMT_ENTRY_PAGE_CNT;
	    loop invariant 0 <= cache->cnt <= TDX_PAMT_CACHE_MAX;
	    loop assigns i, cache->cnt,
			 cache->pages[0 .. TDX_PAMT_CACHE_MAX - 1];
	    loop variant TDX_DPAMT_ENTRY_PAGE_CNT - i; */
	for (int i = 0; i < TDX_DPAMT_ENTRY_PAGE_CNT; i++) {
		void *page = tdxmm_pfn_to_virt(pa[i]);

		if (cache->cnt < TDX_PAMT_CACHE_MAX)
			cache->pages[cache->cnt++] = page;
		else
			tdxmm_free_page(page);
	}
}

/* ---- get / put ---- */

int tdx_pamt_get(u64 pfn, int level, struct tdx_pamt_cache *cache)
{
	u64 pa[TDX_DPAMT_ENTRY_PAGE_CNT], err;
	atomic_t *rc;
	int ret = 0;

	/* 2M and 1G mappings use the static PAMT entries (P29, INV-37). */
	if (!tdx_supports_dynamic_pamt() || level != PG_LEVEL_4K)
		return 0;

	rc = tdx_find_pamt_refcount(pfn);
	if (WARN_ON_ONCE(!rc))
		return -EINVAL;

	/* The pair is installed while rc > 0: just take a reference. */
	if (atomic_inc_not_zero(rc)) {
		trace_tdx_pamt_refcount(pfn, 1);
		return 0;
	}

	if (alloc_pamt_array(pa, cache))
		return -ENOMEM;

	spin_lock(&pamt_lock);
	/*
	 * Another getter installed it meanwhile: losing is not an error.
	 * (WP: concurrent-only, dead in a sequential run.)
	 */
	if (atomic_read(rc)) {
		atomic_inc(rc);
		trace_tdx_pamt_refcount(pfn, 1);
		goto out_free;
	}
	err = tdh_phymem_pamt_add(pfn, pa);
	if (WARN_ON_ONCE(err != TDX_SUCCESS)) {
		ret = -EIO;
		goto out_free;
	}
	/* 0 -> 1 only here, under the lock, after ADD succeeded (INV-31). */
	atomic_set(rc, 1);
	trace_tdx_pamt_refcount(pfn, 1);
	spin_unlock(&pamt_lock);
	return 0;

out_free:
	spin_unlock(&pamt_lock);
	free_pamt_array(pa, cache);
	return ret;
}

void tdx_pamt_put(u64 pfn, int level)
{
	u64 pa[TDX_DPAMT_ENTRY_PAGE_CNT], err;
	atomic_t *rc;

	if (!tdx_supports_dynamic_pamt() || level != PG_LEVEL_4K)
		return;

	rc = tdx_find_pamt_refcount(pfn);
	if (WARN_ON_ONCE(!rc))
		return;
	/* A put without a get: warn, change nothing, never underflow. */
	if (WARN_ON_ONCE(atomic_read(rc) <= 0))
		return;

	/* 1 -> 0 only with the lock held, so no getter sees a stale pair. */
	if (!atomic_dec_and_lock(rc, &pamt_lock)) {
		trace_tdx_pamt_refcount(pfn, -1);
		return;
	}
	trace_tdx_pamt_refcount(pfn, -1);

	err = tdh_phymem_pamt_remove(pfn, pa);
	if (WARN_ON_ONCE(err != TDX_SUCCESS)) {
		/* The module may still use the pair: keep it, leak it (R15). */
		atomic_set(rc, 1);
		trace_tdx_pamt_refcount(pfn, 1);
		atomic64_add(1, &pamt_leaked_pairs);
		spin_unlock(&pamt_lock);
		return;
	}
	spin_unlock(&pamt_lock);
	free_pamt_pages(pa);
}

/* ---- control pages (B11.7) ---- */

void *tdx_alloc_control_page(void)
{
	void *page = tdxmm_alloc_page();

	if (!page)
		return NULL;
	if (tdx_pamt_get(tdxmm_virt_to_pfn(page), PG_LEVEL_4K, NULL)) {
		tdxmm_free_page(page);
		return NULL;
	}
	return page;
}

void tdx_free_control_page(void *page)
{
	if (!page)
		return;
	tdx_pamt_put(tdxmm_virt_to_pfn(page), PG_LEVEL_4K);
	tdxmm_free_page(page);
}

/* ---- DEMOTE (B11.9, R7) ---- */

int tdx_pamt_demote_prepare(struct tdx_pamt_cache *cache, u64 *pa)
{
	if (!tdx_supports_dynamic_pamt())
		return 0;
	return alloc_pamt_array(pa, cache) ? -ENOMEM : 0;
}

void tdx_pamt_demote_release(struct tdx_pamt_cache *cache, const u64 *pa)
{
	if (tdx_supports_dynamic_pamt())
		free_pamt_array(pa, cache);
}

/* R7: DEMOTE and the 0 -> 512 step under the lock; never across a kick. */
void tdx_pamt_demote_begin(void)
{
	if (tdx_supports_dynamic_pamt())
		spin_lock(&pamt_lock);
}

void tdx_pamt_demote_end(u64 pfn, bool success)
{
	atomic_t *rc;

	if (!tdx_supports_dynamic_pamt())
		return;
	lockdep_assert_held(&pamt_lock);
	rc = tdx_find_pamt_refcount(pfn);
	/* The region was one 2M leaf: no 4K user, so rc was 0 (INV-37). */
	if (success && !WARN_ON_ONCE(!rc) &&
	    !WARN_ON_ONCE(atomic_cmpxchg(rc, 0, SPTE_ENT_PER_PAGE) != 0))
		trace_tdx_pamt_refcount(pfn, SPTE_ENT_PER_PAGE);
	spin_unlock(&pamt_lock);
}
