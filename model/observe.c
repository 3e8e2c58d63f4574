// SPDX-License-Identifier: GPL-2.0
/* The observer API (observe.h): reads of impl/ and of the simulator. */
#include "observe.h"
#include "pamt.h"
#include "spte.h"
#include "tdp_mmu.h"

static int walk(const struct kvm_mmu_page *sp,
		int (*fn)(const struct tdxmm_spte_info *e, void *arg),
		void *arg, int *frozen)
{
	int level = sp->role.level, r;

	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {
		u64 spte = sp->spt[i];
		struct tdxmm_spte_info e = {
			.gfn = sp->gfn + (gfn_t)i * KVM_PAGES_PER_HPAGE(level),
			.level = level, .spte = spte,
		};

		if (is_frozen_spte(spte) && frozen)
			(*frozen)++;
		if (!is_shadow_present_pte(spte))
			continue;
		e.leaf = is_last_spte(spte, level);
		e.pfn = spte_to_pfn(spte);
		if (!e.leaf && spte_to_child_sp(spte)->external_spt)
			e.external_pfn = tdxmm_virt_to_pfn(spte_to_child_sp(spte)->external_spt);
		r = fn(&e, arg);
		if (r)
			return r;
		if (!e.leaf) {
			r = walk(spte_to_child_sp(spte), fn, arg, frozen);
			if (r)
				return r;
		}
	}
	return 0;
}

int tdxmm_walk_mirror(const struct kvm *kvm,
		      int (*fn)(const struct tdxmm_spte_info *e, void *arg),
		      void *arg, int *frozen)
{
	if (frozen)
		*frozen = 0;
	return kvm->arch.mirror_root ? walk(kvm->arch.mirror_root, fn, arg, frozen) : 0;
}

int tdxmm_walk_sept(const struct kvm *kvm,
		    int (*fn)(const struct tdxmm_sept_info *e, void *arg),
		    void *arg)
{
	struct tdxmm_sept_info e;
	unsigned int cur = 0;
	int r;

	while (kvm->tdx.td &&
	       tdxsim_next_entry(kvm->tdx.td, &cur, &e.gpa, &e.level, &e.state, &e.pfn)) {
		r = fn(&e, arg);
		if (r)
			return r;
	}
	return 0;
}

void tdxmm_page(u64 pfn, struct tdxmm_page_info *p)
{
	const struct tdx_td *td = NULL;

	p->owner = tdxsim_page_owner(pfn, &td);
	p->td_tdr = td ? tdxsim_td_tdr(td) : 0;
	p->keyid = td ? tdxsim_td_hkid(td) : 0;
	p->unclean = tdxsim_page_unclean(pfn);
}

enum tdx_pamt_node tdxmm_pamt_node(u64 pfn)
{
	return tdxsim_pamt_node(pfn);
}

int tdxmm_pamt_refcount(u64 pfn)
{
	atomic_t *rc = tdx_find_pamt_refcount(pfn);

	return rc ? atomic_read(rc) : -1;
}

int tdxmm_pamt_holders(u64 pfn, struct tdxmm_pamt_holders *h)
{
	u64 base = pfn & ~(u64)(SPTE_ENT_PER_PAGE - 1);

	*h = (struct tdxmm_pamt_holders){ .refcount = tdxmm_pamt_refcount(pfn),
					   .node = tdxsim_pamt_node(pfn) };
	if (h->refcount < 0)
		return -1;
	for (u64 p = base; p < base + SPTE_ENT_PER_PAGE; p++) {
		enum tdx_page_owner o = tdxsim_page_owner(p, NULL);

		if (o == TDX_PAGE_TD_PRIVATE && h->node != PAMT_NODE_2M)
			h->guest_4k++;
		else if (o == TDX_PAGE_SEPT)
			h->sept++;
		else if (o == TDX_PAGE_CONTROL)
			h->control++;
		else if (o == TDX_PAGE_KERNEL && tdxsim_page_unclean(p) &&
			 !tdxsim_page_unclean_from_huge(p))
			h->unclean++;
	}
	h->others = h->refcount - h->guest_4k - h->sept - h->control - h->unclean;
	return 0;
}

void tdxmm_counters(const struct kvm *kvm, struct tdxmm_counters *c)
{
	c->leaked_pages = atomic64_read(&kvm->stat.leaked_pages);
	c->leaked_pairs = tdx_pamt_leaked_pairs();
	c->warns = tdxmm_warn_count();
	c->bugs = tdxmm_bug_count();
	c->refused = tdxsim_rejections();
	c->busy = tdxsim_contentions();
	c->bugged = READ_ONCE(kvm->vm_bugged);
	c->pages_4k = atomic64_read(&kvm->stat.pages[0]);
	c->pages_2m = atomic64_read(&kvm->stat.pages[1]);
}
