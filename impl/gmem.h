/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest_memfd in-place shared <-> private conversion (GMEM §4; the v8
 * series "KVM: guest_memfd: in-place conversion", not merged): the
 * attribute map of a guest_memfd, KVM_SET_MEMORY_ATTRIBUTES2 on the gmem
 * fd, KVM_SET_MEMORY_ATTRIBUTES on the VM, populate and capability
 * queries, fallocate.  A conversion to shared zaps exactly its range of
 * the mirror (and the S-EPT) through kvm_zap_gfn_range().
 *
 * Upstream keeps the attributes in a maple tree; tdxmm keeps a sorted
 * array of ranges (struct kvm_attr_map, impl/kvm.h), rebuilt into a
 * preallocated array on every store (docs/DEVIATIONS.md).
 */
#ifndef TDXMM_GMEM_H
#define TDXMM_GMEM_H

#include "env.h"
#include "kvm.h"
#include "gmem_host.h"
#include "acsl/gmem.h"

/* ---- uAPI (include/uapi/linux/kvm.h and the v8 additions) ---- */
#ifndef KVMIO
#define KVMIO 0xAE
#endif

#define GUEST_MEMFD_FLAG_MMAP		(1ULL << 0)
#define GUEST_MEMFD_FLAG_INIT_SHARED	(1ULL << 1)

struct kvm_memory_attributes {
	u64 address;
	u64 size;
	u64 attributes;
	u64 flags;
};

struct kvm_memory_attributes2 {
	union {
		u64 address;	/* VM ioctl: a gpa */
		u64 offset;	/* gmem ioctl: a file offset */
	};
	u64 size;
	u64 attributes;
	u64 flags;
	u64 error_offset;
	u64 reserved[11];
};

struct kvm_create_guest_memfd {
	u64 size;
	u64 flags;
	u64 reserved[6];
};

#define KVM_SET_MEMORY_ATTRIBUTES \
	_IOW(KVMIO, 0xd2, struct kvm_memory_attributes)
#define KVM_SET_MEMORY_ATTRIBUTES2 \
	_IOWR(KVMIO, 0xd2, struct kvm_memory_attributes2)
#define KVM_CREATE_GUEST_MEMFD \
	_IOWR(KVMIO, 0xd4, struct kvm_create_guest_memfd)

#define KVM_CAP_MEMORY_ATTRIBUTES		233
#define KVM_CAP_GUEST_MEMFD			234
#define KVM_CAP_GUEST_MEMFD_FLAGS		244
/* Unmerged: the revisions used 245, 246, 248, 250.  Nothing may rely on it. */
#define KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES	250

/* fallocate(2) modes (include/uapi/linux/falloc.h) */
#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02

_Static_assert(sizeof(struct kvm_memory_attributes) == 32, "uAPI");
_Static_assert(sizeof(struct kvm_memory_attributes2) == 128, "uAPI");
_Static_assert(__builtin_offsetof(struct kvm_memory_attributes2, offset) == 0, "uAPI");
_Static_assert(__builtin_offsetof(struct kvm_memory_attributes2, size) == 8, "uAPI");
_Static_assert(__builtin_offsetof(struct kvm_memory_attributes2, attributes) == 16, "uAPI");
_Static_assert(__builtin_offsetof(struct kvm_memory_attributes2, flags) == 24, "uAPI");
_Static_assert(__builtin_offsetof(struct kvm_memory_attributes2, error_offset) == 32, "uAPI");
_Static_assert(__builtin_offsetof(struct kvm_memory_attributes2, reserved) == 40, "uAPI");
_Static_assert(sizeof(struct kvm_create_guest_memfd) == 64, "uAPI");
_Static_assert(KVM_SET_MEMORY_ATTRIBUTES == 0x4020AED2, "uAPI");
_Static_assert(KVM_SET_MEMORY_ATTRIBUTES2 == 0xC080AED2, "uAPI");
_Static_assert(KVM_CREATE_GUEST_MEMFD == 0xC040AED4, "uAPI");
_Static_assert(KVM_MEMORY_ATTRIBUTE_PRIVATE == 8, "uAPI");
_Static_assert(GUEST_MEMFD_FLAG_MMAP == 1 && GUEST_MEMFD_FLAG_INIT_SHARED == 2, "uAPI");

/* ---- state ---- */

/* Largest guest_memfd tdxmm accepts (docs/DEVIATIONS.md). */
#define GMEM_MAX_SIZE	(1ULL << 40)

/* The conversion mode (v8: a read-only module parameter). */
extern bool gmem_in_place_conversion;

/*
 * A guest_memfd: upstream's gmem_file, its inode's attribute maple tree,
 * invalidate_lock and page cache, and one binding to a memslot.
 */
struct kvm_gmem {
	struct kvm *kvm;
	u64 size;			/* i_size, bytes, a page multiple */
	u64 flags;			/* GUEST_MEMFD_FLAG_* */
	struct mutex invalidate_lock;	/* upstream: an rw_semaphore */
	struct kvm_attr_map attributes;	/* over page indices */
	struct gmem_pages *pages;	/* the page cache (model/gmem_host.h) */
	bool bound;			/* kvm_gmem_bind(): a memslot */
	gfn_t base_gfn;			/* the memslot's first gfn */
	u64 pgoff;			/* its first page in this file */
	u64 npages;			/* its size in pages */
	/* Observations for the checkers (GMEM-07, -09). */
	unsigned long invalidations, drains, safety_checks;
};

/* ---- the attribute map (proved: GMEM-01/02/03/06) ---- */

/*
 * Append range [s, e) of @a to a map under construction that ends at @s
 * (st, at: its arrays, @n ranges), merged into the last range if that has
 * @a.  Returns the number of ranges.
 */
/*@ requires n <= 0xfffffffe;
    requires \valid(st + (0 .. n)) && \valid(at + (0 .. n));
    requires \separated(st + (0 .. n), at + (0 .. n));
    requires gmem_prefix(st, at, n, s);
    requires s < e && gmem_attr_ok(a);
    assigns st[n], at[n];
    ensures n <= \result <= n + 1 && \result >= 1;
    ensures st[0] == 0 && st[\result - 1] < e;
    ensures \forall integer j; 0 <= j < \result - 1 ==> st[j] < st[j + 1];
    ensures \forall integer j, k; 0 <= j < k < \result ==> st[j] < st[k];
    ensures GMEM_02_canonical(at, \result);
    ensures GMEM_03_domain(at, \result);
    ensures at[\result - 1] == a && st[\result - 1] <= s;
    ensures \result == n + 1 ==> st[n] == s;
*/
u32 kvm_gmem_range_emit(u64 *st, u64 *at, u32 n, u64 s, u64 e, u64 a);

/*
 * @old (@nr ranges over [0, npages)) with [start, end) set to @attrs, into
 * @st/@at (room for nr + 2 ranges, a store splits at most one range in
 * three).  Returns the number of ranges.
 */
/*@ requires 1 <= nr <= 0xfffffffd;
    requires \valid_read(ost + (0 .. nr - 1)) && \valid_read(oat + (0 .. nr - 1));
    requires \valid(st + (0 .. nr + 1)) && \valid(at + (0 .. nr + 1));
    requires \separated(ost + (0 .. nr - 1), oat + (0 .. nr - 1),
			st + (0 .. nr + 1), at + (0 .. nr + 1));
    requires gmem_map_ok(ost, oat, nr, npages);
    requires start < end <= npages && gmem_attr_ok(attrs);
    assigns st[0 .. nr + 1], at[0 .. nr + 1];
    ensures 1 <= \result <= nr + 2;
    ensures GMEM_01: GMEM_01_coverage(st, \result, npages);
    ensures GMEM_02: GMEM_02_canonical(at, \result);
    ensures GMEM_03: GMEM_03_domain(at, \result);
    ensures GMEM_06: GMEM_06_post(st, at, \result, npages, start, end, attrs);
    ensures GMEM_06: GMEM_06_frame(st, at, \result, npages, ost, oat, nr,
				   start, end);
*/
u32 kvm_gmem_attrs_build(const u64 *ost, const u64 *oat, u32 nr, u64 npages,
			 u64 start, u64 end, u64 attrs, u64 *st, u64 *at);

/* The value at @index. */
/*@ requires \valid_read(map);
    requires \valid_read(map->start + (0 .. map->nr - 1));
    requires \valid_read(map->attrs + (0 .. map->nr - 1));
    requires gmem_map_ok(map->start, map->attrs, map->nr, map->npages);
    requires index < map->npages;
    assigns \nothing;
    ensures gmem_attr_ok(\result);
    ensures gmem_attr_is(map->start, map->attrs, map->nr, map->npages,
			 index, \result);
*/
u64 kvm_attr_map_get(const struct kvm_attr_map *map, u64 index);

/* Every index of [start, end) has @attrs (GMEM-07's idempotence test). */
/*@ requires \valid_read(map);
    requires \valid_read(map->start + (0 .. map->nr - 1));
    requires \valid_read(map->attrs + (0 .. map->nr - 1));
    assigns \nothing;
    ensures \result <==> gmem_range_is(map->start, map->attrs, map->nr,
				       map->npages, start, end, attrs);
*/
bool kvm_attr_map_range_has(const struct kvm_attr_map *map, u64 start,
			    u64 end, u64 attrs);

/*
 * One range [0, npages) of @attrs; -ENOMEM.  kvm_attr_map_preallocate():
 * the arrays a store will need (upstream's kvm_gmem_mas_preallocate), or
 * NULL; kvm_attr_map_store() then cannot fail.
 */
int kvm_attr_map_init(struct kvm_attr_map *map, u64 npages, u64 attrs);
void kvm_attr_map_destroy(struct kvm_attr_map *map);
u64 *kvm_attr_map_preallocate(const struct kvm_attr_map *map);

/*@ requires \valid(map) && 1 <= map->nr <= 0xfffffffd;
    requires \valid(map->start + (0 .. map->nr - 1));
    requires \valid(map->attrs + (0 .. map->nr - 1));
    requires \valid(prealloc + (0 .. 2 * (map->nr + 2) - 1));
    requires \separated(map, map->start + (0 .. map->nr - 1),
			map->attrs + (0 .. map->nr - 1),
			prealloc + (0 .. 2 * (map->nr + 2) - 1));
    requires gmem_map_ok(map->start, map->attrs, map->nr, map->npages);
    requires start < end <= map->npages && gmem_attr_ok(attrs);
    assigns map->start, map->attrs, map->nr,
	    prealloc[0 .. 2 * (\old(map->nr) + 2) - 1];
    ensures map->npages == \old(map->npages);
    ensures map->start == prealloc &&
	    map->attrs == prealloc + (\old(map->nr) + 2);
    ensures 1 <= map->nr <= \old(map->nr) + 2;
    ensures GMEM_01: GMEM_01_coverage(map->start, map->nr, map->npages);
    ensures GMEM_02: GMEM_02_canonical(map->attrs, map->nr);
    ensures GMEM_03: GMEM_03_domain(map->attrs, map->nr);
    ensures GMEM_06: GMEM_06_post(map->start, map->attrs, map->nr,
				  map->npages, start, end, attrs);
    ensures GMEM_06: GMEM_06_frame(map->start, map->attrs, map->nr,
				   map->npages, \old(map->start),
				   \old(map->attrs), \old(map->nr),
				   start, end);
*/
void kvm_attr_map_store(struct kvm_attr_map *map, u64 *prealloc, u64 start,
			u64 end, u64 attrs);

/* ---- validation (proved: GMEM-14) ---- */

/*
 * KVM_SET_MEMORY_ATTRIBUTES2's checks on the copied-in struct (§4b.3b),
 * before any lock.  0 or -EINVAL.
 */
/*@ requires \valid_read(a);
    assigns \nothing;
    ensures GMEM_14: \result == 0 || \result == -EINVAL;
    ensures GMEM_14: \result == 0 <==>
	a->flags == 0 &&
	(\forall integer k; 0 <= k < 11 ==> a->reserved[k] == 0) &&
	has_private &&
	(a->attributes & ~KVM_MEMORY_ATTRIBUTE_PRIVATE) == 0 &&
	a->size != 0 && a->offset + a->size <= 0xffffffffffffffff &&
	a->offset % PAGE_SIZE == 0 && a->size % PAGE_SIZE == 0 &&
	a->offset < i_size && a->offset + a->size <= i_size;
*/
int kvm_gmem_check_attributes2(const struct kvm_memory_attributes2 *a,
			       u64 i_size, bool has_private);

/* KVM_CREATE_GUEST_MEMFD's checks (§4b.1): 0 or -EINVAL. */
/*@ requires \valid_read(args);
    assigns \nothing;
    ensures GMEM_14: \result == 0 <==>
	(args->flags & ~(GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED)) == 0 &&
	(\forall integer k; 0 <= k < 6 ==> args->reserved[k] == 0) &&
	args->size != 0 && args->size % PAGE_SIZE == 0 &&
	args->size <= GMEM_MAX_SIZE;
    ensures \result == 0 || \result == -EINVAL;
*/
int kvm_gmem_check_create(const struct kvm_create_guest_memfd *args);

/* fallocate(2)'s checks (§4b.7): 0, -EOPNOTSUPP or -EINVAL. */
/*@ assigns \nothing;
    ensures \result == 0 <==>
	(mode & FALLOC_FL_KEEP_SIZE) != 0 &&
	(mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) == 0 &&
	offset % PAGE_SIZE == 0 && len % PAGE_SIZE == 0 && len != 0 &&
	((mode & FALLOC_FL_PUNCH_HOLE) != 0 || offset + len <= i_size);
    ensures \result == 0 || \result == -EOPNOTSUPP || \result == -EINVAL;
    ensures \result == -EOPNOTSUPP <==>
	!((mode & FALLOC_FL_KEEP_SIZE) != 0 &&
	  (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) == 0);
*/
int kvm_gmem_check_fallocate(int mode, u64 offset, u64 len, u64 i_size);

/* ---- the entry points (checked: model/gmem_check.c, harness/gmem) ---- */

/* Set once, before any guest_memfd exists; -EBUSY after. */
int kvm_gmem_set_mode(bool in_place);

/* KVM_CREATE_GUEST_MEMFD: *gmemp, 0, -EINVAL, -ENOMEM. */
int kvm_gmem_create(struct kvm *kvm, const struct kvm_create_guest_memfd *args,
		    struct kvm_gmem **gmemp);
void kvm_gmem_release(struct kvm_gmem *gmem);
/* A memslot of @npages at @base_gfn backed from page @pgoff: 0, -EINVAL. */
int kvm_gmem_bind(struct kvm_gmem *gmem, gfn_t base_gfn, u64 pgoff,
		  u64 npages);

/* An ioctl on the gmem fd; @uarg a user address.  -ENOTTY if unknown. */
long kvm_gmem_ioctl(struct kvm_gmem *gmem, unsigned int cmd, u64 uarg);
/* KVM_SET_MEMORY_ATTRIBUTES2 (§4b.3). */
long kvm_gmem_set_attributes(struct kvm_gmem *gmem, u64 uarg);

/* fallocate(2) on the gmem fd. */
long kvm_gmem_fallocate(struct kvm_gmem *gmem, int mode, u64 offset, u64 len);
/* A host (user mmap) fault at page @index: 0 or VM_FAULT_SIGBUS. */
int kvm_gmem_fault_user_mapping(struct kvm_gmem *gmem, u64 index);
/*
 * kvm_gmem_populate's check: every page of [index, index + npages) is
 * private; with in-place conversion a 0 source means "the page already in
 * place".  0 or -EINVAL.
 */
int kvm_gmem_populate_check(struct kvm_gmem *gmem, u64 index, u64 npages,
			    u64 src);
/*
 * A vCPU's private fault at @gfn (4K or 2M) on this file's memory: the
 * map's result (RET_PF_RETRY if a conversion overlapped it), -EFAULT if a
 * page is shared (upstream exits to user space), -EINVAL outside the
 * binding.
 */
int kvm_gmem_fault(struct kvm_vcpu *vcpu, struct kvm_gmem *gmem, gfn_t gfn,
		   kvm_pfn_t pfn, int level);
/* The attribute of page @index (0 or PRIVATE). */
u64 kvm_gmem_get_attributes(struct kvm_gmem *gmem, u64 index);

/* VM ioctls: KVM_SET_MEMORY_ATTRIBUTES (§4b.2) and KVM_CHECK_EXTENSION. */
int kvm_vm_init_mem_attributes(struct kvm *kvm, bool has_private_mem);
void kvm_vm_destroy_mem_attributes(struct kvm *kvm);
long kvm_vm_ioctl_set_mem_attributes(struct kvm *kvm, u64 uarg);
long kvm_vm_check_extension(struct kvm *kvm, long cap);
u64 kvm_get_memory_attributes(struct kvm *kvm, gfn_t gfn);

#endif /* TDXMM_GMEM_H */
