// SPDX-License-Identifier: GPL-2.0
/* INV-10/11/17/19 checkers (sept_check.h). */
#include "evidence.h"
#include "sept_check.h"
#include "spte.h"
#include "tdp_mmu.h"
#include "tdx_module.h"

static int violation(struct sept_violation *v, const char *inv,
		     const char *what, u64 gfn, int level, u64 spte, int state)
{
	*v = (struct sept_violation){ .inv = inv, .what = what, .gfn = gfn,
				      .level = level, .mirror_spte = spte,
				      .sept_state = state };
	return -1;
}

/* One mirror table and everything below it. */
static int check_table(const struct kvm *kvm, const struct kvm_mmu_page *sp,
		       struct sept_violation *v)
{
	const struct tdx_td *td = kvm->tdx.td;
	int level = sp->role.level;
	bool dead = kvm->vm_bugged;

	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {
		u64 spte = sp->spt[i];
		gfn_t gfn = sp->gfn + (gfn_t)i * KVM_PAGES_PER_HPAGE(level);
		u64 pfn;
		enum tdx_sept_state st;
		const struct kvm_mmu_page *child;

		tdxmm_evidence(3);
		if (is_frozen_spte(spte))
			return violation(v, "INV-03", "frozen SPTE in a live table",
					 gfn, level, spte, 0);
		/*
		 * A non-present SPTE whose S-EPT entry is not FREE is found
		 * by the walk over the module's entries below (INV-11): one
		 * lookup per entry the module holds, not per empty slot.
		 */
		if (!is_shadow_present_pte(spte))
			continue;
		st = tdxsim_sept_entry(td, gfn << PAGE_SHIFT, level, &pfn);
		if (is_last_spte(spte, level)) {
			if (dead)
				continue;
			tdxmm_evidence(10);
			if (st != SEPT_PENDING && st != SEPT_MAPPED)
				return violation(v, "INV-10",
						 "mirror leaf, S-EPT entry not PENDING/MAPPED",
						 gfn, level, spte, st);
			if (pfn != spte_to_pfn(spte))
				return violation(v, "INV-10",
						 "mirror leaf and S-EPT map different pages",
						 gfn, level, spte, st);
			continue;
		}
		child = spte_to_child_sp(spte);
		tdxmm_evidence(17);
		if (!child || child->role.level != level - 1 ||
		    child->gfn != gfn || !child->external_spt ||
		    !child->role.is_mirror)
			return violation(v, "INV-17", "linked table inconsistent",
					 gfn, level, spte, st);
		if (!dead)
			tdxmm_evidence(10);
		if (!dead && (st != SEPT_NL_MAPPED ||
			      pfn != tdxmm_virt_to_pfn(child->external_spt)))
			return violation(v, "INV-10",
					 "mirror table not linked to its S-EPT page",
					 gfn, level, spte, st);
		if (check_table(kvm, child, v))
			return -1;
	}
	return 0;
}

/* The mirror SPTE at exactly (gfn, level), or 0 if the walk cannot get there. */
static u64 mirror_spte_at(const struct kvm *kvm, gfn_t gfn, int level)
{
	const struct kvm_mmu_page *sp = kvm->arch.mirror_root;

	for (int l = kvm->arch.root_level; sp; l--) {
		u64 spte = sp->spt[(gfn >> KVM_HPAGE_GFN_SHIFT(l)) &
				   (SPTE_ENT_PER_PAGE - 1)];

		if (l == level)
			return spte;
		if (!is_shadow_present_pte(spte) || is_last_spte(spte, l))
			return 0;
		sp = spte_to_child_sp(spte);
	}
	return 0;
}

int check_mirror_sept(const struct kvm *kvm, struct sept_violation *v)
{
	unsigned int cursor = 0;
	enum tdx_sept_state st;
	u64 gpa, pfn;
	int level;

	tdxmm_evidence(19);
	if (READ_ONCE(kvm->tdx.wait_for_sept_zap))
		return violation(v, "INV-19", "wait_for_sept_zap left set",
				 0, 0, 0, 0);
	/* the module saw a release before a child's (it counts them) */
	tdxmm_evidence(14);
	if (tdxsim_order_violations())
		return violation(v, "INV-14",
				 "S-EPT page released before its child",
				 0, 0, 0, 0);
	if (!kvm->arch.mirror_root || !kvm->tdx.td)
		return 0;
	if (check_table(kvm, kvm->arch.mirror_root, v))
		return -1;
	if (kvm->vm_bugged)
		return 0;
	/* The other direction: every entry the module holds is mirrored. */
	while (tdxsim_next_entry(kvm->tdx.td, &cursor, &gpa, &level, &st, &pfn)) {
		u64 spte = mirror_spte_at(kvm, gpa >> PAGE_SHIFT, level);

		tdxmm_evidence(11);
		if (!is_shadow_present_pte(spte))
			return violation(v, "INV-11",
					 "S-EPT entry without a mirror SPTE",
					 gpa >> PAGE_SHIFT, level, spte, st);
	}
	return 0;
}
