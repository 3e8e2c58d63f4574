// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of a guest_memfd (model/gmem_host.h): page cache, folio
 * references, LRU-add batches, user mappings, pins, and user memory.
 * Not thread-safe: impl/gmem.c calls it under the file's invalidate_lock,
 * the harnesses' injected events run between its calls.
 */
#include "env.h"
#include "gmem_host.h"

struct gmem_pages *gmem_pages_create(u64 npages, bool huge)
{
	struct gmem_pages *p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);

	if (!p)
		return NULL;
	p->npages = npages;
	p->huge = huge;
	return p;
}

void gmem_pages_destroy(struct gmem_pages *p)
{
	kfree(p);
}

static bool folio_has(const struct gmem_folio *f, u64 index)
{
	return f->present && index >= f->index && index - f->index < f->nr_pages;
}

struct gmem_folio *gmem_pages_lookup(struct gmem_pages *p, u64 index)
{
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++)
		if (folio_has(&p->folios[i], index))
			return &p->folios[i];
	return NULL;
}

struct gmem_folio *gmem_filemap_get_folio(struct gmem_pages *p, u64 *index,
					  u64 last)
{
	struct gmem_folio *best = NULL;

	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++) {
		struct gmem_folio *f = &p->folios[i];

		if (!f->present || f->index > last ||
		    f->index + f->nr_pages <= *index)
			continue;
		if (!best || f->index < best->index)
			best = f;
	}
	if (!best)
		return NULL;
	best->refcount++;
	p->lookups++;
	*index = best->index + best->nr_pages;
	return best;
}

void gmem_folio_put(struct gmem_folio *f)
{
	f->refcount--;
}

int gmem_folio_ref_count(const struct gmem_folio *f)
{
	return f->refcount;
}

u32 gmem_folio_nr_pages(const struct gmem_folio *f)
{
	return f->nr_pages;
}

u64 gmem_folio_index(const struct gmem_folio *f)
{
	return f->index;
}

/* mm's folio_may_be_lru_cached(): only small folios wait in a batch. */
bool gmem_folio_may_be_lru_cached(const struct gmem_folio *f)
{
	return f->nr_pages == 1;
}

bool gmem_folio_mapped(const struct gmem_folio *f)
{
	return f->mapped;
}

bool gmem_folio_maybe_dma_pinned(const struct gmem_folio *f)
{
	return f->dma_pins > 0;
}

void gmem_lru_add_drain_all(struct gmem_pages *p)
{
	p->drains++;
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++) {
		struct gmem_folio *f = &p->folios[i];

		if (f->in_lru_batch) {
			f->in_lru_batch = false;
			f->refcount--;
		}
	}
}

void gmem_unmap_mapping_pages(struct gmem_pages *p, u64 start, u64 nr)
{
	p->unmaps++;
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++) {
		struct gmem_folio *f = &p->folios[i];

		if (f->present && f->mapped && f->index < start + nr &&
		    start < f->index + f->nr_pages) {
			f->mapped = false;
			f->refcount--;
		}
	}
}

static struct gmem_folio *folio_new(struct gmem_pages *p, u64 index,
				    u32 nr_pages)
{
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++) {
		struct gmem_folio *f = &p->folios[i];

		/* A slot is reusable once nobody holds the folio any more. */
		if (f->present || f->refcount)
			continue;
		*f = (struct gmem_folio){ .index = index, .nr_pages = nr_pages,
					  .present = true };
		/* The page cache's references; a small folio joins a batch. */
		f->refcount = nr_pages;
		if (nr_pages == 1) {
			f->in_lru_batch = true;
			f->refcount++;
		}
		return f;
	}
	return NULL;
}

static bool range_empty(struct gmem_pages *p, u64 start, u64 nr)
{
	for (u64 i = start; i < start + nr; i++)
		if (gmem_pages_lookup(p, i))
			return false;
	return true;
}

int gmem_pages_allocate(struct gmem_pages *p, u64 start, u64 nr)
{
	for (u64 i = start; i < start + nr && i < p->npages; ) {
		if (gmem_pages_lookup(p, i)) {
			i++;
			continue;
		}
		if (p->huge && !(i % 512) && i + 512 <= p->npages &&
		    range_empty(p, i, 512)) {
			if (!folio_new(p, i, 512))
				return -ENOMEM;
			i += 512;
			continue;
		}
		if (!folio_new(p, i, 1))
			return -ENOMEM;
		i++;
	}
	return 0;
}

void gmem_pages_punch(struct gmem_pages *p, u64 start, u64 nr)
{
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++) {
		struct gmem_folio *f = &p->folios[i];

		/* A huge folio the hole covers in part stays (zeroed there). */
		if (!f->present || f->index < start ||
		    f->index + f->nr_pages > start + nr)
			continue;
		f->present = false;
		f->refcount -= f->nr_pages;
		if (f->in_lru_batch) {
			f->in_lru_batch = false;
			f->refcount--;
		}
	}
}

int gmem_pages_fault_in(struct gmem_pages *p, u64 index)
{
	struct gmem_folio *f = gmem_pages_lookup(p, index);

	if (!f) {
		if (gmem_pages_allocate(p, index, 1))
			return -ENOMEM;
		f = gmem_pages_lookup(p, index);
		if (!f)
			return -ENOMEM;
	}
	if (!f->mapped) {
		f->mapped = true;
		f->refcount++;
	}
	return 0;
}

int gmem_host_gup(struct gmem_pages *p, u64 index)
{
	struct gmem_folio *f = gmem_pages_lookup(p, index);

	if (!f)
		return -ENOENT;
	f->gup_refs++;
	f->refcount++;
	return 0;
}

void gmem_host_unpin(struct gmem_pages *p, u64 index)
{
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++) {
		struct gmem_folio *f = &p->folios[i];

		if (index >= f->index && index - f->index < f->nr_pages &&
		    (f->gup_refs || f->dma_pins)) {
			if (f->gup_refs)
				f->gup_refs--;
			else
				f->dma_pins--;
			f->refcount--;
			return;
		}
	}
}

int gmem_host_dma_pin(struct gmem_pages *p, u64 index)
{
	struct gmem_folio *f = gmem_pages_lookup(p, index);

	if (!f)
		return -ENOENT;
	f->dma_pins++;
	f->refcount++;
	return 0;
}

int gmem_host_lru_add(struct gmem_pages *p, u64 index)
{
	struct gmem_folio *f = gmem_pages_lookup(p, index);

	if (!f || f->nr_pages != 1 || f->in_lru_batch)
		return -EINVAL;
	f->in_lru_batch = true;
	f->refcount++;
	return 0;
}

/* ---- user memory ---- */

#define GMEM_USER_BUFS	8

static struct {
	const char *buf;
	unsigned long n;
	bool writable;
} gmem_user[GMEM_USER_BUFS];
static unsigned int gmem_user_fail_at, gmem_user_accesses;

void gmem_user_register(void *buf, unsigned long n, bool writable)
{
	for (int i = 0; i < GMEM_USER_BUFS; i++) {
		if (!gmem_user[i].buf) {
			gmem_user[i].buf = buf;
			gmem_user[i].n = n;
			gmem_user[i].writable = writable;
			return;
		}
	}
	WARN_ON_ONCE(1);
}

void gmem_user_unregister(const void *buf)
{
	for (int i = 0; i < GMEM_USER_BUFS; i++)
		if (gmem_user[i].buf == buf)
			gmem_user[i].buf = NULL;
}

void gmem_user_unregister_all(void)
{
	for (int i = 0; i < GMEM_USER_BUFS; i++)
		gmem_user[i].buf = NULL;
	gmem_user_fail_at = 0;
	gmem_user_accesses = 0;
}

void gmem_user_fail_nth(unsigned int nth)
{
	gmem_user_fail_at = nth;
	gmem_user_accesses = 0;
}

u64 gmem_user_addr(const void *buf)
{
	return (u64)(unsigned long)buf;
}

/* The registered buffer that holds [addr, addr + n), or NULL. */
static char *user_range(u64 addr, unsigned long n, bool write)
{
	if (gmem_user_fail_at && ++gmem_user_accesses == gmem_user_fail_at)
		return NULL;
	for (int i = 0; i < GMEM_USER_BUFS; i++) {
		u64 b = (u64)(unsigned long)gmem_user[i].buf;

		if (b && addr >= b && addr - b <= gmem_user[i].n &&
		    n <= gmem_user[i].n - (addr - b) &&
		    (!write || gmem_user[i].writable))
			return (char *)(unsigned long)addr;
	}
	return NULL;
}

unsigned long gmem_copy_from_user(void *to, u64 from, unsigned long n)
{
	const char *src = user_range(from, n, false);

	if (!src)
		return n;
	for (unsigned long i = 0; i < n; i++)
		((char *)to)[i] = src[i];
	return 0;
}

unsigned long gmem_copy_to_user(u64 to, const void *from, unsigned long n)
{
	char *dst = user_range(to, n, true);

	if (!dst)
		return n;
	for (unsigned long i = 0; i < n; i++)
		dst[i] = ((const char *)from)[i];
	return 0;
}
