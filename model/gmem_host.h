/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of a guest_memfd (GMEM §4a), as the simulator is the TDX
 * module's: a page cache of folios with their reference counts, host user
 * mappings, DMA pins and per-CPU LRU-add batches, and user memory for the
 * ioctls' structs (copy_from_user / copy_to_user may fault).  impl/gmem.c
 * reaches it only through these calls; the kernel backend links this very
 * file (KUnit has no user space and no guest_memfd inode of its own).
 *
 * Reference counts follow mm: a folio in the page cache holds nr_pages,
 * each host user mapping one, each lookup (filemap_get_folios) one until
 * folio_put, a folio in an LRU-add batch one until the batch drains, GUP
 * or a DMA pin one each.
 */
#ifndef TDXMM_MODEL_GMEM_HOST_H
#define TDXMM_MODEL_GMEM_HOST_H

#include "env.h"

#define GMEM_HOST_MAX_FOLIOS	64

struct gmem_folio {
	u64 index;		/* first page index */
	u32 nr_pages;		/* 1 or 512 */
	int refcount;
	bool present;		/* in the page cache */
	bool mapped;		/* mapped to host user space (one ref) */
	bool in_lru_batch;	/* in a per-CPU lru_add batch (one ref) */
	int gup_refs;		/* transient references (GUP) */
	int dma_pins;		/* long-term pins (folio_maybe_dma_pinned) */
	bool private_used;	/* handed to the guest as private (populate) */
};

struct gmem_pages {
	struct gmem_folio folios[GMEM_HOST_MAX_FOLIOS];
	u64 npages;
	bool huge;		/* allocate 2M folios where aligned */
	/* counts, for the checkers */
	unsigned long drains, unmaps, lookups, puts;
};

/* A page cache for a file of @npages pages; NULL if no memory. */
struct gmem_pages *gmem_pages_create(u64 npages, bool huge);
void gmem_pages_destroy(struct gmem_pages *p);

/*
 * filemap_get_folios() for one folio: the first present folio that holds a
 * page of [*index, last], with a reference taken (put it with
 * gmem_folio_put); *index moves past it.  NULL if none.
 */
struct gmem_folio *gmem_filemap_get_folio(struct gmem_pages *p, u64 *index,
					  u64 last);
void gmem_folio_put(struct gmem_folio *f);
int gmem_folio_ref_count(const struct gmem_folio *f);
u32 gmem_folio_nr_pages(const struct gmem_folio *f);
u64 gmem_folio_index(const struct gmem_folio *f);
bool gmem_folio_may_be_lru_cached(const struct gmem_folio *f);
bool gmem_folio_mapped(const struct gmem_folio *f);
bool gmem_folio_maybe_dma_pinned(const struct gmem_folio *f);
/* lru_add_drain_all(): every CPU's batch, every folio. */
void gmem_lru_add_drain_all(struct gmem_pages *p);
/* unmap_mapping_pages(): host user mappings of [start, start + nr). */
void gmem_unmap_mapping_pages(struct gmem_pages *p, u64 start, u64 nr);

/* fallocate: allocate (zeroed) or punch [start, start + nr); -ENOMEM. */
int gmem_pages_allocate(struct gmem_pages *p, u64 start, u64 nr);
void gmem_pages_punch(struct gmem_pages *p, u64 start, u64 nr);
/* A host user fault at @index: allocate if needed, map. -ENOMEM. */
int gmem_pages_fault_in(struct gmem_pages *p, u64 index);
/* The folio holding @index, or NULL (no reference taken). */
struct gmem_folio *gmem_pages_lookup(struct gmem_pages *p, u64 index);

/* Host events the harnesses inject (not called by impl/). */
int gmem_host_gup(struct gmem_pages *p, u64 index);	/* +1 transient */
void gmem_host_unpin(struct gmem_pages *p, u64 index);	/* -1 transient */
int gmem_host_dma_pin(struct gmem_pages *p, u64 index);	/* +1 long-term */
int gmem_host_lru_add(struct gmem_pages *p, u64 index);	/* into a batch */

/* ---- user memory ---- */
/*
 * copy_from_user / copy_to_user on a user address: the number of bytes not
 * copied.  A user address is a pointer into memory the harness registered
 * (gmem_user_register); anything else faults, and so does access number
 * @nth after gmem_user_fail_nth(nth).
 */
unsigned long gmem_copy_from_user(void *to, u64 from, unsigned long n);
unsigned long gmem_copy_to_user(u64 to, const void *from, unsigned long n);
void gmem_user_register(void *buf, unsigned long n, bool writable);
void gmem_user_unregister(const void *buf);
void gmem_user_unregister_all(void);
void gmem_user_fail_nth(unsigned int nth);
u64 gmem_user_addr(const void *buf);

#endif
