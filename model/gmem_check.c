// SPDX-License-Identifier: GPL-2.0
/* GMEM-01..17 checkers (gmem_check.h), written from GMEM §4c, not impl/. */
#include "env.h"
#include "evidence.h"
#include "gmem_check.h"
#include "observe.h"

#define PRIV KVM_MEMORY_ATTRIBUTE_PRIVATE

static bool fail(const char **why, const char *what)
{
	*why = what;
	return false;
}

bool gmem_request_valid(const struct kvm_memory_attributes2 *a, u64 i_size,
			bool has_private)
{
	for (int k = 0; k < 11; k++)
		if (a->reserved[k])
			return false;
	return !a->flags && has_private && !(a->attributes & ~PRIV) &&
	       a->size && a->offset + a->size >= a->offset &&
	       !(a->offset % PAGE_SIZE) && !(a->size % PAGE_SIZE) &&
	       a->offset < i_size && a->offset + a->size <= i_size;
}

static void snap_map(struct gmem_snap *s, const struct kvm_attr_map *m)
{
	s->npages = m->npages;
	s->nr = m->nr;
	for (u32 j = 0; j < m->nr && j < GMEM_SNAP_PAGES + 2; j++) {
		s->start[j] = m->start[j];
		s->attrs[j] = m->attrs[j];
	}
	/* Per page, by the ranges' own definition (not kvm_attr_map_get). */
	for (u64 i = 0; i < m->npages && i < GMEM_SNAP_PAGES; i++) {
		s->attr[i] = ~0ULL;
		for (u32 j = 0; j < m->nr; j++) {
			u64 end = j + 1 < m->nr ? m->start[j + 1] : m->npages;

			if (m->start[j] <= i && i < end)
				s->attr[i] = m->attrs[j];
		}
	}
}

void gmem_snap(struct gmem_snap *s, struct kvm_gmem *gmem)
{
	*s = (struct gmem_snap){ 0 };
	snap_map(s, &gmem->attributes);
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++)
		s->folios[i] = gmem->pages->folios[i];
	s->invalidations = gmem->invalidations;
	s->drains = gmem->drains;
	s->safety_checks = gmem->safety_checks;
	s->unmaps = gmem->pages->unmaps;
	s->mmu_invalidate_seq = gmem->kvm->mmu_invalidate_seq;
	s->mmu_invalidate_in_progress = gmem->kvm->mmu_invalidate_in_progress;
}

void gmem_snap_vm(struct gmem_snap *s, struct kvm *kvm)
{
	struct kvm_attr_map m = kvm->mem_attr_array;

	*s = (struct gmem_snap){ 0 };
	if (m.npages > GMEM_SNAP_PAGES)
		m.npages = GMEM_SNAP_PAGES;
	snap_map(s, &m);
	s->npages = kvm->mem_attr_array.npages;
	s->mmu_invalidate_seq = kvm->mmu_invalidate_seq;
}

bool gmem_01_coverage(const struct kvm_attr_map *m, const char **why)
{
	tdxmm_gmem_evidence(1);
	if (m->nr < 1 || m->start[0] != 0)
		return fail(why, "GMEM-01: no range at index 0");
	for (u32 j = 0; j + 1 < m->nr; j++)
		if (m->start[j] >= m->start[j + 1])
			return fail(why, "GMEM-01: ranges overlap or one is empty");
	if (m->start[m->nr - 1] >= m->npages)
		return fail(why, "GMEM-01: an empty or outside last range");
	return true;
}

bool gmem_02_canonical(const struct kvm_attr_map *m, const char **why)
{
	tdxmm_gmem_evidence(2);
	for (u32 j = 0; j + 1 < m->nr; j++)
		if (m->attrs[j] == m->attrs[j + 1])
			return fail(why, "GMEM-02: adjacent ranges hold the same value");
	return true;
}

bool gmem_03_domain(const struct kvm_attr_map *m, const char **why)
{
	tdxmm_gmem_evidence(3);
	for (u32 j = 0; j < m->nr; j++)
		if (m->attrs[j] != 0 && m->attrs[j] != PRIV)
			return fail(why, "GMEM-03: a value outside {0, PRIVATE}");
	return true;
}

bool gmem_04_initial(const struct gmem_snap *s, u64 flags, const char **why)
{
	u64 want = flags & GUEST_MEMFD_FLAG_INIT_SHARED ? 0 : PRIV;

	tdxmm_gmem_evidence(4);
	for (u64 i = 0; i < s->npages && i < GMEM_SNAP_PAGES; i++)
		if (s->attr[i] != want)
			return fail(why, "GMEM-04: a new file is not uniformly its default");
	return s->nr == 1 || fail(why, "GMEM-04: a new file's map is not one range");
}

static bool same_attrs(const struct gmem_snap *a, const struct gmem_snap *b)
{
	if (a->nr != b->nr)
		return false;
	for (u32 j = 0; j < a->nr; j++)
		if (a->start[j] != b->start[j] || a->attrs[j] != b->attrs[j])
			return false;
	for (u64 i = 0; i < a->npages && i < GMEM_SNAP_PAGES; i++)
		if (a->attr[i] != b->attr[i])
			return false;
	return true;
}

bool gmem_05_all_or_nothing(const struct gmem_snap *a, const struct gmem_snap *b,
			    const struct gmem_call *c, const char **why)
{
	tdxmm_gmem_evidence(5);
	if (c->ret && !same_attrs(a, b))
		return fail(why, "GMEM-05: a failed call changed the attribute map");
	return true;
}

bool gmem_06_post_frame(const struct gmem_snap *a, const struct gmem_snap *b,
			const struct gmem_call *c, const char **why)
{
	u64 first = c->offset >> PAGE_SHIFT, last = first + (c->size >> PAGE_SHIFT);

	tdxmm_gmem_evidence(6);
	if (c->ret)
		return true;
	for (u64 i = 0; i < a->npages && i < GMEM_SNAP_PAGES; i++) {
		if (i >= first && i < last && b->attr[i] != c->attributes)
			return fail(why, "GMEM-06: a page of the range lacks the new value");
		if ((i < first || i >= last) && b->attr[i] != a->attr[i])
			return fail(why, "GMEM-06: a page outside the range changed");
	}
	return true;
}

static bool range_has(const struct gmem_snap *a, const struct gmem_call *c)
{
	u64 first = c->offset >> PAGE_SHIFT, last = first + (c->size >> PAGE_SHIFT);

	for (u64 i = first; i < last && i < GMEM_SNAP_PAGES; i++)
		if (a->attr[i] != c->attributes)
			return false;
	return true;
}

bool gmem_07_idempotent(const struct gmem_snap *a, const struct gmem_snap *b,
			const struct gmem_call *c, const char **why)
{
	tdxmm_gmem_evidence(7);
	if (!c->validation_ok || !range_has(a, c))
		return true;
	if (c->ret)
		return fail(why, "GMEM-07: a call with nothing to change failed");
	if (b->invalidations != a->invalidations || b->unmaps != a->unmaps ||
	    b->safety_checks != a->safety_checks ||
	    b->mmu_invalidate_seq != a->mmu_invalidate_seq)
		return fail(why, "GMEM-07: a call with nothing to change invalidated, unmapped or checked");
	return true;
}

static bool folio_in(const struct gmem_folio *f, const struct gmem_call *c)
{
	u64 first = c->offset >> PAGE_SHIFT, last = first + (c->size >> PAGE_SHIFT);

	return f->present && f->index < last && first < f->index + f->nr_pages;
}

static bool range_has(const struct gmem_snap *a, const struct gmem_call *c);

bool gmem_08_safety(const struct gmem_snap *a, const struct gmem_snap *b,
		    const struct gmem_call *c, const char **why)
{
	tdxmm_gmem_evidence(8);
	/* A call that changes nothing checks nothing (GMEM-07). */
	if (c->ret || !(c->attributes & PRIV) || range_has(a, c))
		return true;
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++) {
		const struct gmem_folio *f = &b->folios[i];

		if (!folio_in(f, c))
			continue;
		if (f->mapped)
			return fail(why, "GMEM-08: converted to private while mapped to the host");
		if (f->refcount != (int)f->nr_pages)
			return fail(why, "GMEM-08: converted to private with another reference held");
	}
	return true;
}

bool gmem_09_one_drain(const struct gmem_snap *a, const struct gmem_snap *b,
		       const struct gmem_call *c, const char **why)
{
	bool small_extra = false;

	tdxmm_gmem_evidence(9);
	if (b->drains > a->drains + 1)
		return fail(why, "GMEM-09: more than one drain in a request");
	if (b->drains == a->drains)
		return true;
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++) {
		const struct gmem_folio *f = &a->folios[i];
		int mapped = f->mapped ? 1 : 0;

		if (folio_in(f, c) && f->nr_pages == 1 &&
		    f->refcount - mapped != (int)f->nr_pages)
			small_extra = true;
	}
	return small_extra ||
	       fail(why, "GMEM-09: a drain without a small folio holding an extra reference");
}

/* The first folio of the range (by index) that stays unsafe after the
 * unmap and one drain: it holds a GUP reference or a DMA pin. */
static bool first_unsafe(const struct gmem_snap *a, const struct gmem_call *c,
			 u64 *index)
{
	bool found = false;

	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++) {
		const struct gmem_folio *f = &a->folios[i];

		if (!folio_in(f, c) || (!f->gup_refs && !f->dma_pins))
			continue;
		if (!found || f->index < *index)
			*index = f->index;
		found = true;
	}
	return found;
}

bool gmem_10_error_offset(const struct gmem_snap *a, const struct gmem_call *c,
			  const char **why)
{
	u64 want = 0;

	tdxmm_gmem_evidence(10);
	if (c->ret != -EAGAIN && c->ret != -ENOMEM)
		return true;
	if (!c->written_back)
		return fail(why, "GMEM-10: an EAGAIN/ENOMEM without error_offset written back");
	if (c->ret == -ENOMEM)
		return c->error_offset == c->offset ||
		       fail(why, "GMEM-10: ENOMEM's error_offset is not the start");
	if (c->error_offset % PAGE_SIZE || c->error_offset < c->offset ||
	    c->error_offset >= c->offset + c->size)
		return fail(why, "GMEM-10: EAGAIN's error_offset is outside the range or unaligned");
	if (!first_unsafe(a, c, &want))
		return fail(why, "GMEM-10: EAGAIN with no folio holding a reference");
	want = want << PAGE_SHIFT;
	if (want < c->offset)
		want = c->offset;
	return c->error_offset == want ||
	       fail(why, "GMEM-10: error_offset is not the first offending folio's start");
}

bool gmem_11_to_shared_no_eagain(const struct gmem_call *c, const char **why)
{
	tdxmm_gmem_evidence(11);
	if (!(c->attributes & PRIV) && c->ret == -EAGAIN)
		return fail(why, "GMEM-11: a conversion to shared failed with EAGAIN");
	return true;
}

bool gmem_13_no_host_mapping(struct kvm_gmem *gmem, const struct gmem_snap *b,
			     const struct gmem_call *c, const char **why)
{
	u64 first = c->offset >> PAGE_SHIFT, last = first + (c->size >> PAGE_SHIFT);

	tdxmm_gmem_evidence(13);
	if (c->ret || !(c->attributes & PRIV))
		return true;
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++)
		if (folio_in(&b->folios[i], c) && b->folios[i].mapped)
			return fail(why, "GMEM-13: a host mapping of private memory");
	/* A host fault there must fail; probe the first and the last page. */
	if ((gmem->flags & GUEST_MEMFD_FLAG_MMAP) &&
	    (kvm_gmem_fault_user_mapping(gmem, first) != VM_FAULT_SIGBUS ||
	     kvm_gmem_fault_user_mapping(gmem, last - 1) != VM_FAULT_SIGBUS))
		return fail(why, "GMEM-13: a host fault on private memory succeeded");
	return true;
}

bool gmem_14_validation(const struct gmem_snap *a, const struct gmem_snap *b,
			const struct gmem_call *c, const char **why)
{
	tdxmm_gmem_evidence(14);
	if (c->validation_ok) {
		if (c->ret == -EINVAL)
			return fail(why, "GMEM-14: a valid request failed with EINVAL");
		return true;
	}
	if (c->ret != -EINVAL)
		return fail(why, "GMEM-14: an invalid request did not fail with EINVAL");
	if (!same_attrs(a, b) || b->invalidations != a->invalidations ||
	    b->safety_checks != a->safety_checks || b->unmaps != a->unmaps ||
	    c->written_back)
		return fail(why, "GMEM-14: an invalid request touched state");
	return true;
}

bool gmem_15_refs_dropped(const struct gmem_snap *a, const struct gmem_snap *b,
			  const struct gmem_call *c, const char **why)
{
	bool drained = b->drains != a->drains, unmapped = b->unmaps != a->unmaps;

	tdxmm_gmem_evidence(15);
	for (int i = 0; i < GMEM_HOST_MAX_FOLIOS; i++) {
		const struct gmem_folio *f = &a->folios[i];
		int want = f->refcount;

		if (!f->present)
			continue;
		if (unmapped && f->mapped && folio_in(f, c))
			want--;
		if (drained && f->in_lru_batch)
			want--;
		if (b->folios[i].refcount != want)
			return fail(why, "GMEM-15: a reference the check took was not dropped");
	}
	return true;
}

static bool gmem_12_probe(struct kvm *kvm, struct kvm_gmem *gmem,
			  struct kvm_memory_attributes *vm,
			  struct kvm_memory_attributes2 *g, const char **why)
{
	long r = kvm_vm_ioctl_set_mem_attributes(kvm, gmem_user_addr(vm));

	if (gmem_in_place_conversion && r != -EINVAL)
		return fail(why, "GMEM-12: in-place on, yet the VM ioctl took PRIVATE");
	/* size 0: EINVAL if the ioctl exists, ENOTTY if it does not. */
	r = kvm_gmem_ioctl(gmem, KVM_SET_MEMORY_ATTRIBUTES2, gmem_user_addr(g));
	if (gmem_in_place_conversion && r == -ENOTTY)
		return fail(why, "GMEM-12: in-place on, yet the gmem ioctl is missing");
	if (!gmem_in_place_conversion && r != -ENOTTY)
		return fail(why, "GMEM-12: in-place off, yet the gmem ioctl answered");
	if (kvm_gmem_set_mode(!gmem_in_place_conversion) != -EBUSY)
		return fail(why, "GMEM-12: the mode changed while a file exists");
	return true;
}

bool gmem_12_mode(struct kvm *kvm, struct kvm_gmem *gmem, const char **why)
{
	/* PRIVATE through the VM: only probed where it must be refused */
	struct kvm_memory_attributes vm = { .address = 0, .size = PAGE_SIZE,
					    .attributes = PRIV };
	struct kvm_memory_attributes2 g = { .offset = 0, .size = 0 };
	bool ok;

	tdxmm_gmem_evidence(12);
	if (!gmem_in_place_conversion)
		vm.size = 0;	/* EINVAL either way: nothing changes */
	gmem_user_register(&vm, sizeof(vm), true);
	gmem_user_register(&g, sizeof(g), true);
	ok = gmem_12_probe(kvm, gmem, &vm, &g, why);
	gmem_user_unregister(&vm);
	gmem_user_unregister(&g);
	return ok;
}

bool gmem_16_populate(struct kvm_gmem *gmem, u64 index, u64 npages, int ret,
		      const char **why)
{
	tdxmm_gmem_evidence(16);
	if (ret)
		return true;
	for (u64 i = index; i < index + npages; i++) {
		u64 attrs = gmem_in_place_conversion ?
			    kvm_gmem_get_attributes(gmem, i) :
			    kvm_get_memory_attributes(gmem->kvm, gmem->base_gfn +
						      (i - gmem->pgoff));

		if (!(attrs & PRIV))
			return fail(why, "GMEM-16: populate accepted a shared page");
	}
	return true;
}

bool gmem_17_vm_unchanged(const struct gmem_snap *a, const struct gmem_snap *b,
			  long ret, const char **why)
{
	tdxmm_gmem_evidence(17);
	if (ret && !same_attrs(a, b))
		return fail(why, "GMEM-17: a failed VM ioctl changed the VM's attributes");
	return true;
}

bool gmem_check_call(struct kvm_gmem *gmem, const struct gmem_snap *a,
		     const struct gmem_snap *b, const struct gmem_call *c,
		     const char **why)
{
	const struct kvm_attr_map *m = &gmem->attributes;

	return gmem_01_coverage(m, why) && gmem_02_canonical(m, why) &&
	       gmem_03_domain(m, why) && gmem_05_all_or_nothing(a, b, c, why) &&
	       gmem_06_post_frame(a, b, c, why) &&
	       gmem_07_idempotent(a, b, c, why) && gmem_08_safety(a, b, c, why) &&
	       gmem_09_one_drain(a, b, c, why) &&
	       gmem_10_error_offset(a, c, why) &&
	       gmem_11_to_shared_no_eagain(c, why) &&
	       gmem_14_validation(a, b, c, why) &&
	       gmem_15_refs_dropped(a, b, c, why) &&
	       gmem_13_no_host_mapping(gmem, b, c, why);
}

struct gmem_18_walk {
	struct kvm_gmem *gmem;
	bool bad;
};

static int gmem_18_leaf(const struct tdxmm_spte_info *e, void *arg)
{
	struct gmem_18_walk *w = arg;
	struct kvm_gmem *g = w->gmem;
	u64 n = KVM_PAGES_PER_HPAGE(e->level);

	if (!e->leaf)
		return 0;
	for (gfn_t gfn = e->gfn; gfn < e->gfn + n; gfn++) {
		if (gfn < g->base_gfn || gfn - g->base_gfn >= g->npages)
			continue;
		if (!(kvm_gmem_get_attributes(g, g->pgoff + (gfn - g->base_gfn)) &
		      PRIV)) {
			w->bad = true;
			return 1;
		}
	}
	return 0;
}

bool gmem_18_no_private_leaf_of_shared(struct kvm *kvm, struct kvm_gmem *gmem,
				       const char **why)
{
	struct gmem_18_walk w = { .gmem = gmem };
	int frozen = 0;

	tdxmm_gmem_evidence(18);
	if (READ_ONCE(kvm->mmu_invalidate_in_progress))
		return fail(why, "GMEM-18: an MMU invalidation window is still open");
	if (!gmem->bound || !kvm->arch.mirror_root)
		return true;
	tdxmm_walk_mirror(kvm, gmem_18_leaf, &w, &frozen);
	if (w.bad)
		return fail(why, "GMEM-18: a private leaf maps a page whose attribute is shared");
	return true;
}
