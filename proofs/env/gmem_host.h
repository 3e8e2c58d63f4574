/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frama-C backend of the guest_memfd host seam (model/gmem_host.h): the
 * page cache and user memory are opaque state, gmem_host_state, that the
 * calls may change; nothing of impl/ is in their frame.  impl/gmem.c's
 * functions that call them are checked by harness/gmem, not WP
 * (proofs/wp-scope.txt).
 */
#ifndef TDXMM_MODEL_GMEM_HOST_H
#define TDXMM_MODEL_GMEM_HOST_H

struct gmem_folio;
struct gmem_pages;
extern int gmem_host_state;

/*@ assigns gmem_host_state; */
struct gmem_pages *gmem_pages_create(u64 npages, bool huge);
/*@ assigns gmem_host_state; */
void gmem_pages_destroy(struct gmem_pages *p);
/*@ requires \valid(index);
    assigns gmem_host_state, *index; */
struct gmem_folio *gmem_filemap_get_folio(struct gmem_pages *p, u64 *index,
					  u64 last);
/*@ assigns gmem_host_state; */
void gmem_folio_put(struct gmem_folio *f);
/*@ assigns \nothing; */
int gmem_folio_ref_count(const struct gmem_folio *f);
/*@ assigns \nothing; ensures 1 <= \result <= 512; */
u32 gmem_folio_nr_pages(const struct gmem_folio *f);
/*@ assigns \nothing; */
u64 gmem_folio_index(const struct gmem_folio *f);
/*@ assigns \nothing; */
bool gmem_folio_may_be_lru_cached(const struct gmem_folio *f);
/*@ assigns \nothing; */
bool gmem_folio_mapped(const struct gmem_folio *f);
/*@ assigns \nothing; */
bool gmem_folio_maybe_dma_pinned(const struct gmem_folio *f);
/*@ assigns gmem_host_state; */
void gmem_lru_add_drain_all(struct gmem_pages *p);
/*@ assigns gmem_host_state; */
void gmem_unmap_mapping_pages(struct gmem_pages *p, u64 start, u64 nr);
/*@ assigns gmem_host_state; */
int gmem_pages_allocate(struct gmem_pages *p, u64 start, u64 nr);
/*@ assigns gmem_host_state; */
void gmem_pages_punch(struct gmem_pages *p, u64 start, u64 nr);
/*@ assigns gmem_host_state; */
int gmem_pages_fault_in(struct gmem_pages *p, u64 index);

/*@ requires \valid((char *)to + (0 .. n - 1));
    assigns ((char *)to)[0 .. n - 1]; */
unsigned long gmem_copy_from_user(void *to, u64 from, unsigned long n);
/*@ requires \valid_read((char *)from + (0 .. n - 1));
    assigns gmem_host_state; */
unsigned long gmem_copy_to_user(u64 to, const void *from, unsigned long n);

#endif
