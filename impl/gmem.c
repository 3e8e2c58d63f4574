// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd attributes and in-place conversion (impl/gmem.h): upstream
 * virt/kvm/guest_memfd.c and kvm_main.c as the v8 series has them.
 */
#include "env.h"
#include "kvm.h"
#include "tdp_mmu.h"
#include "gmem_host.h"
#include "gmem.h"

/* v8: !CONFIG_KVM_VM_MEMORY_ATTRIBUTES; tdxmm's TDs default to in-place. */
bool gmem_in_place_conversion = true;
/* guest_memfds and VM attribute arrays alive: the mode is fixed while any. */
static atomic64_t gmem_users;

/* ---- the attribute map ---- */

u32 kvm_gmem_range_emit(u64 *st, u64 *at, u32 n, u64 s, u64 e, u64 a)
{
	/* An equal left neighbour just grows: the map stays canonical. */
	if (n && at[n - 1] == a)
		return n;
	/*@ assert \forall integer j; 0 <= j < n ==> st[j] < s; */
	st[n] = s;
	at[n] = a;
	return n + 1;
}

u32 kvm_gmem_attrs_build(const u64 *ost, const u64 *oat, u32 nr, u64 npages,
			 u64 start, u64 end, u64 attrs, u64 *st, u64 *at)
{
	u32 n = 0, k;
	/*@ ghost u64 pos = 0; */	/* where the new map ends so far */

	/*@ loop invariant 0 <= k <= nr;
	    loop invariant pos == gmem_build_pos(ost, nr, npages, k, start, end);
	    loop invariant pos <= start ==> n <= k;
	    loop invariant n <= k + 2;
	    loop invariant gmem_prefix(st, at, n, pos);
	    loop invariant GMEM_06_post(st, at, n, pos, start, end, attrs);
	    loop invariant GMEM_06_frame(st, at, n, pos, ost, oat, nr, start, end);
	    loop assigns k, n, pos, st[0 .. nr + 1], at[0 .. nr + 1];
	    loop variant nr - k;
	*/
	for (k = 0; k < nr; k++) {
		u64 s = ost[k], a = oat[k];
		u64 e = k + 1 < nr ? ost[k + 1] : npages;

		if (s < start) {
			n = kvm_gmem_range_emit(st, at, n, s, e < start ? e : start, a);
			/*@ ghost pos = e < start ? e : start; */
		}
		if (s <= start && start < e) {
			n = kvm_gmem_range_emit(st, at, n, start, end, attrs);
			/*@ ghost pos = end; */
		}
		if (e > end) {
			n = kvm_gmem_range_emit(st, at, n, s > end ? s : end, e, a);
			/*@ ghost pos = e; */
		}
	}
	return n;
}

u64 kvm_attr_map_get(const struct kvm_attr_map *map, u64 index)
{
	u32 j;

	/*@ loop invariant 0 <= j < map->nr;
	    loop invariant \forall integer k; 0 <= k <= j ==>
		map->start[k] <= index;
	    loop assigns j;
	    loop variant map->nr - j;
	*/
	for (j = 0; j + 1 < map->nr && map->start[j + 1] <= index; j++)
		;
	return map->attrs[j];
}

bool kvm_attr_map_range_has(const struct kvm_attr_map *map, u64 start,
			    u64 end, u64 attrs)
{
	u32 j;

	/*@ loop invariant 0 <= j <= map->nr;
	    loop invariant \forall integer k; 0 <= k < j &&
		map->start[k] < end &&
		start < gmem_end(map->start, map->nr, map->npages, k) ==>
		map->attrs[k] == attrs;
	    loop assigns j;
	    loop variant map->nr - j;
	*/
	for (j = 0; j < map->nr; j++) {
		u64 e = j + 1 < map->nr ? map->start[j + 1] : map->npages;

		if (map->start[j] < end && start < e && map->attrs[j] != attrs)
			return false;
	}
	return true;
}

int kvm_attr_map_init(struct kvm_attr_map *map, u64 npages, u64 attrs)
{
	u64 *buf = kvzalloc(2 * sizeof(u64), GFP_KERNEL_ACCOUNT);

	if (!buf)
		return -ENOMEM;
	map->start = buf;
	map->attrs = buf + 1;
	map->start[0] = 0;
	map->attrs[0] = attrs;
	map->nr = 1;
	map->npages = npages;
	return 0;
}

void kvm_attr_map_destroy(struct kvm_attr_map *map)
{
	kvfree(map->start);
	map->start = NULL;
	map->attrs = NULL;
	map->nr = 0;
}

u64 *kvm_attr_map_preallocate(const struct kvm_attr_map *map)
{
	/* A store splits at most one range into three. */
	return kvzalloc(2 * sizeof(u64) * ((unsigned long)map->nr + 2),
			GFP_KERNEL_ACCOUNT);
}

void kvm_attr_map_store(struct kvm_attr_map *map, u64 *prealloc, u64 start,
			u64 end, u64 attrs)
{
	u64 *old = map->start;
	u32 cap = map->nr + 2;

	map->nr = kvm_gmem_attrs_build(map->start, map->attrs, map->nr,
				       map->npages, start, end, attrs,
				       prealloc, prealloc + cap);
	map->start = prealloc;
	map->attrs = prealloc + cap;
	kvfree(old);
}

/* ---- validation ---- */

int kvm_gmem_check_attributes2(const struct kvm_memory_attributes2 *a,
			       u64 i_size, bool has_private)
{
	int k;

	if (a->flags)
		return -EINVAL;
	/*@ loop invariant 0 <= k <= 11;
	    loop invariant \forall integer j; 0 <= j < k ==> a->reserved[j] == 0;
	    loop assigns k;
	    loop variant 11 - k;
	*/
	for (k = 0; k < 11; k++) {
		if (a->reserved[k])
			return -EINVAL;
	}
	if (!has_private)
		return -EINVAL;
	if (a->attributes & ~KVM_MEMORY_ATTRIBUTE_PRIVATE)
		return -EINVAL;
	if (!a->size || a->offset > ~0ULL - a->size)
		return -EINVAL;
	if (a->offset % PAGE_SIZE || a->size % PAGE_SIZE)
		return -EINVAL;
	if (a->offset >= i_size || a->offset + a->size > i_size)
		return -EINVAL;
	return 0;
}

int kvm_gmem_check_create(const struct kvm_create_guest_memfd *args)
{
	int k;

	if (args->flags & ~(GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED))
		return -EINVAL;
	/*@ loop invariant 0 <= k <= 6;
	    loop invariant \forall integer j; 0 <= j < k ==> args->reserved[j] == 0;
	    loop assigns k;
	    loop variant 6 - k;
	*/
	for (k = 0; k < 6; k++) {
		if (args->reserved[k])
			return -EINVAL;
	}
	if (!args->size || args->size % PAGE_SIZE || args->size > GMEM_MAX_SIZE)
		return -EINVAL;
	return 0;
}

int kvm_gmem_check_fallocate(int mode, u64 offset, u64 len, u64 i_size)
{
	if (!(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (offset % PAGE_SIZE || len % PAGE_SIZE || !len)
		return -EINVAL;
	/* Allocation stays inside the file; a hole may run past its end. */
	if (!(mode & FALLOC_FL_PUNCH_HOLE) &&
	    (len > i_size || offset > i_size - len))
		return -EINVAL;
	return 0;
}

/* ---- guest_memfd files ---- */

int kvm_gmem_set_mode(bool in_place)
{
	if (atomic64_read(&gmem_users))
		return -EBUSY;
	gmem_in_place_conversion = in_place;
	return 0;
}

int kvm_gmem_create(struct kvm *kvm, const struct kvm_create_guest_memfd *args,
		    struct kvm_gmem **gmemp)
{
	struct kvm_gmem *gmem;
	u64 npages, init;
	int r;

	r = kvm_gmem_check_create(args);
	if (r)
		return r;
	npages = args->size >> PAGE_SHIFT;
	gmem = kzalloc(sizeof(*gmem), GFP_KERNEL_ACCOUNT);
	if (!gmem)
		return -ENOMEM;
	/* GMEM-04: private unless created shared. */
	init = args->flags & GUEST_MEMFD_FLAG_INIT_SHARED ?
	       0 : KVM_MEMORY_ATTRIBUTE_PRIVATE;
	r = kvm_attr_map_init(&gmem->attributes, npages, init);
	if (r)
		goto free_gmem;
	gmem->pages = gmem_pages_create(npages, false);
	if (!gmem->pages) {
		r = -ENOMEM;
		goto free_map;
	}
	gmem->kvm = kvm;
	gmem->size = args->size;
	gmem->flags = args->flags;
	mutex_init(&gmem->invalidate_lock);
	atomic64_add(1, &gmem_users);
	*gmemp = gmem;
	return 0;

free_map:
	kvm_attr_map_destroy(&gmem->attributes);
free_gmem:
	kfree(gmem);
	return r;
}

void kvm_gmem_release(struct kvm_gmem *gmem)
{
	gmem_pages_destroy(gmem->pages);
	kvm_attr_map_destroy(&gmem->attributes);
	kfree(gmem);
	atomic64_add(-1, &gmem_users);
}

int kvm_gmem_bind(struct kvm_gmem *gmem, gfn_t base_gfn, u64 pgoff,
		  u64 npages)
{
	u64 file_pages = gmem->size >> PAGE_SHIFT;

	if (gmem->bound || !npages || pgoff >= file_pages ||
	    npages > file_pages - pgoff ||
	    base_gfn >= kvm_tdp_mmu_max_gfn(gmem->kvm) ||
	    npages > kvm_tdp_mmu_max_gfn(gmem->kvm) - base_gfn)
		return -EINVAL;
	gmem->base_gfn = base_gfn;
	gmem->pgoff = pgoff;
	gmem->npages = npages;
	gmem->bound = true;
	return 0;
}

u64 kvm_gmem_get_attributes(struct kvm_gmem *gmem, u64 index)
{
	return kvm_attr_map_get(&gmem->attributes, index);
}

/* The gfns the binding gives [start, end) of the file; false if none. */
static bool kvm_gmem_to_gfns(struct kvm_gmem *gmem, u64 start, u64 end,
			     gfn_t *gstart, gfn_t *gend)
{
	u64 lo, hi;

	if (!gmem->bound)
		return false;
	lo = start > gmem->pgoff ? start : gmem->pgoff;
	hi = end < gmem->pgoff + gmem->npages ? end : gmem->pgoff + gmem->npages;
	if (lo >= hi)
		return false;
	*gstart = gmem->base_gfn + (lo - gmem->pgoff);
	*gend = gmem->base_gfn + (hi - gmem->pgoff);
	return true;
}

/* ---- the MMU invalidation window (virt/kvm/kvm_main.c) ---- */

static void kvm_mmu_invalidate_begin(struct kvm *kvm)
{
	lockdep_assert_held_write(&kvm->mmu_lock);
	kvm->mmu_invalidate_in_progress++;
	if (kvm->mmu_invalidate_in_progress == 1) {
		kvm->mmu_invalidate_range_start = INVALID_GPA;
		kvm->mmu_invalidate_range_end = INVALID_GPA;
	}
}

static void kvm_mmu_invalidate_range_add(struct kvm *kvm, gfn_t start,
					 gfn_t end)
{
	lockdep_assert_held_write(&kvm->mmu_lock);
	WARN_ON_ONCE(!kvm->mmu_invalidate_in_progress);
	if (kvm->mmu_invalidate_range_start == INVALID_GPA) {
		kvm->mmu_invalidate_range_start = start;
		kvm->mmu_invalidate_range_end = end;
	} else {
		if (start < kvm->mmu_invalidate_range_start)
			kvm->mmu_invalidate_range_start = start;
		if (end > kvm->mmu_invalidate_range_end)
			kvm->mmu_invalidate_range_end = end;
	}
}

/*
 * Where the attributes of gfns [base, base + npages) live: @map, from
 * index @pgoff (a guest_memfd's binding, or the VM's own array).
 */
struct kvm_attr_view {
	const struct kvm_attr_map *map;
	gfn_t base;
	u64 pgoff, npages;
};

/* The 2M range at @hstart lies in @v with one attribute throughout. */
static bool kvm_hugepage_uniform(const struct kvm_attr_view *v, gfn_t hstart)
{
	u64 n = KVM_PAGES_PER_HPAGE(PG_LEVEL_2M), index;

	if (hstart < v->base || hstart - v->base >= v->npages ||
	    n > v->npages - (hstart - v->base))
		return false;
	index = v->pgoff + (hstart - v->base);
	return kvm_attr_map_range_has(v->map, index, index + n, 0) ||
	       kvm_attr_map_range_has(v->map, index, index + n,
				      KVM_MEMORY_ATTRIBUTE_PRIVATE);
}

/*
 * Upstream kvm_arch_pre_set_memory_attributes: the 2M ranges at the head
 * and tail that the conversion covers in part join the invalidation, so
 * that a fault on a gfn whose attribute is not changing cannot map a 2M
 * leaf over one that is (found by harness/mc, GMEM-2m-fault-meets-to-shared).
 * A range with mixed attributes needs none: no 2M leaf can map it.
 */
static void kvm_invalidate_hugepages(struct kvm *kvm,
				     const struct kvm_attr_view *v,
				     gfn_t gstart, gfn_t gend)
{
	u64 n = KVM_PAGES_PER_HPAGE(PG_LEVEL_2M);
	gfn_t head = gstart & ~(n - 1), tail = (gend - 1) & ~(n - 1);

	if ((head != gstart || head + n > gend) && kvm_hugepage_uniform(v, head))
		kvm_mmu_invalidate_range_add(kvm, head, head + n);
	if (tail != head && tail + n > gend && kvm_hugepage_uniform(v, tail))
		kvm_mmu_invalidate_range_add(kvm, tail, tail + n);
}

static void kvm_mmu_invalidate_end(struct kvm *kvm)
{
	lockdep_assert_held_write(&kvm->mmu_lock);
	/* A fault that read the old sequence number retries. */
	WRITE_ONCE(kvm->mmu_invalidate_seq, kvm->mmu_invalidate_seq + 1);
	smp_wmb();
	kvm->mmu_invalidate_in_progress--;
	KVM_BUG_ON(kvm->mmu_invalidate_in_progress < 0, kvm);
}

static void kvm_gmem_invalidate_end(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_end(kvm);
	write_unlock(&kvm->mmu_lock);
}

/*
 * Begin invalidating [gstart, gend) and zap what @private_only selects:
 * to shared, the private leaves (the mirror and the S-EPT, exactly the
 * range: kvm_zap_gfn_range splits a 2M leaf at the head and tail); to
 * private, shared mappings, which live in the direct root tdxmm does not
 * model.  Upstream takes mmu_lock once around begin and the zap; here the
 * zap takes it itself, after in_progress is raised, so a fault in between
 * already retries.  0, or the zap's error (the window is closed again).
 */
static int kvm_gmem_invalidate_begin(struct kvm *kvm, gfn_t gstart,
				     gfn_t gend, bool private_only,
				     const struct kvm_attr_view *attrs)
{
	int r = 0;

	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_begin(kvm);
	kvm_mmu_invalidate_range_add(kvm, gstart, gend);
	if (attrs)	/* an attribute change, not a hole */
		kvm_invalidate_hugepages(kvm, attrs, gstart, gend);
	write_unlock(&kvm->mmu_lock);

	/* A VM without a mirror yet (or any more) has nothing mapped. */
	if (private_only && READ_ONCE(kvm->arch.mirror_root)) {
		r = kvm_zap_gfn_range(kvm, gstart, gend);
		if (r == -ENOENT || r > 0)
			r = 0;
	}
	if (r)
		kvm_gmem_invalidate_end(kvm);
	return r;
}

/*
 * A vCPU's private fault on @gmem's memory (upstream kvm_mmu_faultin_pfn
 * with kvm_gmem_get_pfn): the sequence number first, then the attribute
 * under invalidate_lock; a page that is shared is not mapped private (the
 * exit to user space, -EFAULT), and a conversion that ran in between makes
 * the map retry (kvm_tdp_map_page_seq).  A 2M map needs all 512 private.
 */
int kvm_gmem_fault(struct kvm_vcpu *vcpu, struct kvm_gmem *gmem, gfn_t gfn,
		   kvm_pfn_t pfn, int level)
{
	u64 n = level == PG_LEVEL_2M ? KVM_PAGES_PER_HPAGE(PG_LEVEL_2M) : 1;
	unsigned long mmu_seq;
	bool private;
	u64 index;

	if (!gmem->bound || (level != PG_LEVEL_4K && level != PG_LEVEL_2M) ||
	    gfn < gmem->base_gfn || gfn - gmem->base_gfn >= gmem->npages ||
	    n > gmem->npages - (gfn - gmem->base_gfn))
		return -EINVAL;
	index = gmem->pgoff + (gfn - gmem->base_gfn);

	mmu_seq = READ_ONCE(vcpu->kvm->mmu_invalidate_seq);
	smp_rmb();
	mutex_lock(&gmem->invalidate_lock);
	private = kvm_attr_map_range_has(&gmem->attributes, index, index + n,
					 KVM_MEMORY_ATTRIBUTE_PRIVATE);
	mutex_unlock(&gmem->invalidate_lock);
	if (!private)
		return -EFAULT;
	return kvm_tdp_map_page_seq(vcpu, gfn, pfn, level, mmu_seq);
}

/* ---- KVM_SET_MEMORY_ATTRIBUTES2 ---- */

/*
 * To private: every folio of the range must hold only the page cache's
 * references and the lookup's (GMEM-08).  A folio that may sit in a
 * per-CPU lru_add batch gets one drain of all CPUs per request (GMEM-09).
 */
static bool kvm_gmem_is_safe_for_conversion(struct kvm_gmem *gmem, u64 start,
					    u64 nr_pages, u64 *err_index)
{
	const int filemap_get_folios_refcount = 1;
	u64 index = start, last = start + nr_pages - 1;
	struct gmem_folio *folio;
	bool lru_drained = false;
	bool safe = true;

	gmem->safety_checks++;
	while (safe && (folio = gmem_filemap_get_folio(gmem->pages, &index, last))) {
		for (;;) {
			safe = gmem_folio_ref_count(folio) ==
			       (int)gmem_folio_nr_pages(folio) +
			       filemap_get_folios_refcount &&
			       !gmem_folio_mapped(folio) &&
			       !gmem_folio_maybe_dma_pinned(folio);
			if (safe)
				break;
			if (gmem_folio_may_be_lru_cached(folio) && !lru_drained) {
				gmem_lru_add_drain_all(gmem->pages);
				gmem->drains++;
				lru_drained = true;
				continue;
			}
			*err_index = gmem_folio_index(folio) > start ?
				     gmem_folio_index(folio) : start;
			break;
		}
		gmem_folio_put(folio);
	}
	return safe;
}

static int __kvm_gmem_set_attributes(struct kvm_gmem *gmem, u64 start,
				     u64 nr_pages, u64 attrs, u64 *err_index)
{
	bool to_private = attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE;
	u64 end = start + nr_pages;
	u64 *prealloc;
	gfn_t gstart, gend;
	bool bound;
	int r = 0;

	mutex_lock(&gmem->invalidate_lock);
	/* GMEM-07: nothing to do, nothing invalidated or checked. */
	if (kvm_attr_map_range_has(&gmem->attributes, start, end, attrs))
		goto out;

	prealloc = kvm_attr_map_preallocate(&gmem->attributes);
	if (!prealloc) {
		*err_index = start;
		r = -ENOMEM;
		goto out;
	}

	if (to_private) {
		gmem_unmap_mapping_pages(gmem->pages, start, nr_pages);
		if (!kvm_gmem_is_safe_for_conversion(gmem, start, nr_pages,
						     err_index)) {
			r = -EAGAIN;
			goto free;
		}
	}

	gmem->invalidations++;
	bound = kvm_gmem_to_gfns(gmem, start, end, &gstart, &gend);
	if (bound) {
		struct kvm_attr_view v = {
			.map = &gmem->attributes, .base = gmem->base_gfn,
			.pgoff = gmem->pgoff, .npages = gmem->npages,
		};

		r = kvm_gmem_invalidate_begin(gmem->kvm, gstart, gend,
					      !to_private, &v);
		if (r) {
			/* Leaves zapped so far are merely refaulted. */
			*err_index = start;
			goto free;
		}
	}
	/* Point of no return. */
	kvm_attr_map_store(&gmem->attributes, prealloc, start, end, attrs);
	if (bound)
		kvm_gmem_invalidate_end(gmem->kvm);
	goto out;

free:
	kvfree(prealloc);
out:
	mutex_unlock(&gmem->invalidate_lock);
	return r;
}

long kvm_gmem_set_attributes(struct kvm_gmem *gmem, u64 uarg)
{
	struct kvm_memory_attributes2 attrs;
	u64 err_index = 0;
	int r;

	if (gmem_copy_from_user(&attrs, uarg, sizeof(attrs)))
		return -EFAULT;
	r = kvm_gmem_check_attributes2(&attrs, gmem->size,
				       gmem->kvm->has_private_mem);
	if (r)
		return r;

	r = __kvm_gmem_set_attributes(gmem, attrs.offset >> PAGE_SHIFT,
				      attrs.size >> PAGE_SHIFT,
				      attrs.attributes, &err_index);
	if (r) {
		/* GMEM-10: where to retry from. */
		attrs.error_offset = err_index << PAGE_SHIFT;
		if (gmem_copy_to_user(uarg, &attrs, sizeof(attrs)))
			return -EFAULT;
	}
	return r;
}

long kvm_gmem_ioctl(struct kvm_gmem *gmem, unsigned int cmd, u64 uarg)
{
	/* GMEM-12: without in-place conversion the fd has no ioctls. */
	if (!gmem_in_place_conversion)
		return -ENOTTY;
	switch (cmd) {
	case KVM_SET_MEMORY_ATTRIBUTES2:
		return kvm_gmem_set_attributes(gmem, uarg);
	default:
		return -ENOTTY;
	}
}

/* ---- fallocate, host faults, populate ---- */

long kvm_gmem_fallocate(struct kvm_gmem *gmem, int mode, u64 offset, u64 len)
{
	u64 npages = gmem->size >> PAGE_SHIFT, start, end;
	gfn_t gstart, gend;
	int r;

	r = kvm_gmem_check_fallocate(mode, offset, len, gmem->size);
	if (r)
		return r;
	start = offset >> PAGE_SHIFT;
	if (start >= npages)
		return 0;
	end = len >> PAGE_SHIFT > npages - start ? npages : start + (len >> PAGE_SHIFT);

	mutex_lock(&gmem->invalidate_lock);
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		/* The guest loses these pages: zap both kinds of mapping. */
		if (kvm_gmem_to_gfns(gmem, start, end, &gstart, &gend)) {
			r = kvm_gmem_invalidate_begin(gmem->kvm, gstart, gend,
						      true, NULL);
			if (!r) {
				gmem_unmap_mapping_pages(gmem->pages, start, end - start);
				gmem_pages_punch(gmem->pages, start, end - start);
				kvm_gmem_invalidate_end(gmem->kvm);
			}
		} else {
			gmem_unmap_mapping_pages(gmem->pages, start, end - start);
			gmem_pages_punch(gmem->pages, start, end - start);
		}
	} else {
		r = gmem_pages_allocate(gmem->pages, start, end - start);
	}
	mutex_unlock(&gmem->invalidate_lock);
	return r;
}

int kvm_gmem_fault_user_mapping(struct kvm_gmem *gmem, u64 index)
{
	int ret = 0;

	if (!(gmem->flags & GUEST_MEMFD_FLAG_MMAP) ||
	    index >= gmem->size >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	/* Upstream: invalidate_lock shared; a conversion holds it exclusive. */
	mutex_lock(&gmem->invalidate_lock);
	/* GMEM-13: private memory is never mapped to the host (-EACCES). */
	if (kvm_attr_map_get(&gmem->attributes, index) & KVM_MEMORY_ATTRIBUTE_PRIVATE)
		ret = VM_FAULT_SIGBUS;
	else if (gmem_pages_fault_in(gmem->pages, index))
		ret = VM_FAULT_SIGBUS;
	mutex_unlock(&gmem->invalidate_lock);
	return ret;
}

int kvm_gmem_populate_check(struct kvm_gmem *gmem, u64 index, u64 npages,
			    u64 src)
{
	u64 file_pages = gmem->size >> PAGE_SHIFT;
	struct kvm *kvm = gmem->kvm;
	int r = 0;
	u64 i;

	if (!npages || index >= file_pages || npages > file_pages - index)
		return -EINVAL;
	/* Only in-place conversion has a page already in place to use. */
	if (!src && !gmem_in_place_conversion)
		return -EINVAL;
	mutex_lock(&gmem->invalidate_lock);
	for (i = index; i < index + npages && !r; i++) {
		u64 attrs;

		/* GMEM-16: populate only what is private. */
		if (gmem_in_place_conversion)
			attrs = kvm_attr_map_get(&gmem->attributes, i);
		else if (gmem->bound && i >= gmem->pgoff &&
			 i - gmem->pgoff < gmem->npages)
			attrs = kvm_get_memory_attributes(kvm, gmem->base_gfn +
							  (i - gmem->pgoff));
		else
			attrs = 0;
		if (!(attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE))
			r = -EINVAL;
	}
	mutex_unlock(&gmem->invalidate_lock);
	return r;
}

/* ---- VM ioctls ---- */

int kvm_vm_init_mem_attributes(struct kvm *kvm, bool has_private_mem)
{
	int r = kvm_attr_map_init(&kvm->mem_attr_array,
				  kvm_tdp_mmu_max_gfn(kvm), 0);

	if (r)
		return r;
	kvm->has_private_mem = has_private_mem;
	atomic64_add(1, &gmem_users);
	return 0;
}

void kvm_vm_destroy_mem_attributes(struct kvm *kvm)
{
	if (!kvm->mem_attr_array.start)
		return;
	kvm_attr_map_destroy(&kvm->mem_attr_array);
	atomic64_add(-1, &gmem_users);
}

static u64 kvm_supported_mem_attributes(struct kvm *kvm)
{
	/* GMEM-12: with in-place conversion, PRIVATE lives in guest_memfd. */
	if (gmem_in_place_conversion || !kvm->has_private_mem)
		return 0;
	return KVM_MEMORY_ATTRIBUTE_PRIVATE;
}

u64 kvm_get_memory_attributes(struct kvm *kvm, gfn_t gfn)
{
	if (!kvm->mem_attr_array.start || gfn >= kvm->mem_attr_array.npages)
		return 0;
	return kvm_attr_map_get(&kvm->mem_attr_array, gfn);
}

static int kvm_vm_set_mem_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
				     u64 attributes)
{
	struct kvm_attr_view v = {
		.map = &kvm->mem_attr_array, .npages = kvm->mem_attr_array.npages,
	};
	u64 *prealloc;
	int r = 0;

	mutex_lock(&kvm->slots_lock);
	if (kvm_attr_map_range_has(&kvm->mem_attr_array, start, end, attributes))
		goto out;
	/* GMEM-17: reserve before anything changes. */
	prealloc = kvm_attr_map_preallocate(&kvm->mem_attr_array);
	if (!prealloc) {
		r = -ENOMEM;
		goto out;
	}
	/* To shared: the private leaves go (kvm_arch_pre_set_memory_attributes). */
	r = kvm_gmem_invalidate_begin(kvm, start, end,
				      !(attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE),
				      &v);
	if (r) {
		kvfree(prealloc);
		goto out;
	}
	kvm_attr_map_store(&kvm->mem_attr_array, prealloc, start, end, attributes);
	kvm_gmem_invalidate_end(kvm);
out:
	mutex_unlock(&kvm->slots_lock);
	return r;
}

long kvm_vm_ioctl_set_mem_attributes(struct kvm *kvm, u64 uarg)
{
	struct kvm_memory_attributes attrs;
	gfn_t start, end;

	if (gmem_copy_from_user(&attrs, uarg, sizeof(attrs)))
		return -EFAULT;
	if (attrs.flags)
		return -EINVAL;
	if (attrs.attributes & ~kvm_supported_mem_attributes(kvm))
		return -EINVAL;
	if (!attrs.size || attrs.address > ~0ULL - attrs.size)
		return -EINVAL;
	if (attrs.address % PAGE_SIZE || attrs.size % PAGE_SIZE)
		return -EINVAL;
	start = attrs.address >> PAGE_SHIFT;
	end = (attrs.address + attrs.size) >> PAGE_SHIFT;
	/* Upstream's xarray spans every gfn; this array the mirror's. */
	if (!kvm->mem_attr_array.start || end > kvm->mem_attr_array.npages)
		return -EINVAL;
	return kvm_vm_set_mem_attributes(kvm, start, end, attrs.attributes);
}

long kvm_vm_check_extension(struct kvm *kvm, long cap)
{
	switch (cap) {
	case KVM_CAP_MEMORY_ATTRIBUTES:
		return kvm_supported_mem_attributes(kvm);
	case KVM_CAP_GUEST_MEMFD:
		return 1;
	case KVM_CAP_GUEST_MEMFD_FLAGS:
		return GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED;
	case KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES:
		return gmem_in_place_conversion && kvm->has_private_mem ?
		       KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
	default:
		return 0;
	}
}
