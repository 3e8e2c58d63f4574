// SPDX-License-Identifier: GPL-2.0
/* The shared fixture (tests/scenarios.h); no libc, KUnit links it too. */
#include "scenarios.h"

void fixture_init(struct fixture *f)
{
	static const struct fixture zero;

	*f = zero;
	rwlock_init(&f->kvm.mmu_lock);
	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++)
		f->mirror_pt[i] = f->direct_pt[i] = SHADOW_NONPRESENT_VALUE;
	f->mirror_sp.spt = f->mirror_pt;
	f->mirror_sp.role.level = PG_LEVEL_4K;
	f->mirror_sp.role.is_mirror = true;
	f->direct_sp.spt = f->direct_pt;
	f->direct_sp.role.level = PG_LEVEL_4K;
	stub_external_reset();
}

struct tdp_iter iter_at(struct kvm_mmu_page *sp, int idx)
{
	struct tdp_iter it = {
		.sptep = &sp->spt[idx],
		.old_spte = READ_ONCE(sp->spt[idx]),
		.gfn = sp->gfn + (gfn_t)idx * KVM_PAGES_PER_HPAGE(sp->role.level),
		.level = sp->role.level,
		.sp = sp,
	};
	return it;
}

s64 leaf_pages(struct kvm *kvm, int level)
{
	return atomic64_read(&kvm->stat.pages[level - 1]);
}

void mmu_read_lock(struct kvm *kvm)
{
	read_lock(&kvm->mmu_lock);
	rcu_read_lock();
}

void mmu_read_unlock(struct kvm *kvm)
{
	rcu_read_unlock();
	read_unlock(&kvm->mmu_lock);
}

void mmu_write_lock(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);
	rcu_read_lock();
}

void mmu_write_unlock(struct kvm *kvm)
{
	rcu_read_unlock();
	write_unlock(&kvm->mmu_lock);
}
