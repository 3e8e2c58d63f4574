/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slice of struct kvm / struct kvm_mmu_page that tdxmm needs.  Field
 * names follow upstream (include/linux/kvm_host.h, arch/x86/kvm/mmu/
 * mmu_internal.h); what upstream keeps in unions and bitfields is plain
 * here so that WP can reason about it.
 */
#ifndef TDXMM_KVM_H
#define TDXMM_KVM_H

#include "env.h"

#define PG_LEVEL_4K		1
#define PG_LEVEL_2M		2
#define PG_LEVEL_1G		3
#define PT64_ROOT_MAX_LEVEL	5
#define KVM_NR_PAGE_SIZES	3
#define SPTE_ENT_PER_PAGE	512
#define PAGE_SHIFT		12

/* 4K pages mapped by one SPTE at @level: 512^(level-1). */
#define KVM_HPAGE_GFN_SHIFT(level)	(((level) - 1) * 9)
#define KVM_PAGES_PER_HPAGE(level)	(1ULL << KVM_HPAGE_GFN_SHIFT(level))

typedef u64 __rcu *tdp_ptep_t;

struct kvm_stat {
	atomic64_t pages[KVM_NR_PAGE_SIZES];	/* leaf SPTEs per level */
};

struct kvm {
	rwlock_t mmu_lock;
	bool vm_bugged;		/* KVM_BUG_ON fired: the VM is dead */
	bool vm_dead;
	struct kvm_stat stat;
};

struct kvm_mmu_page_role {
	int level;		/* level of the SPTEs inside this table */
	bool is_mirror;		/* changes must reach the external S-EPT */
};

struct kvm_mmu_page {
	tdp_ptep_t spt;
	void *external_spt;	/* S-EPT page given to the TDX module */
	gfn_t gfn;
	struct kvm_mmu_page_role role;
};

/*@ requires \valid_read(sp);
    assigns \nothing;
    ensures \result <==> sp->role.is_mirror; */
static inline bool is_mirror_sp(const struct kvm_mmu_page *sp)
{
	return sp->role.is_mirror;
}

#endif /* TDXMM_KVM_H */
