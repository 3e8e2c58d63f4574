/* SPDX-License-Identifier: GPL-2.0 */
/* Shared fixtures for the cmocka suites. */
#ifndef TDXMM_TESTS_COMMON_H
#define TDXMM_TESTS_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "env.h"
#include "kvm.h"
#include "spte.h"
#include "spte_model.h"
#include "stub_external.h"
#include "tdp_iter.h"
#include "tdp_mmu.h"

/* A VM with one mirror and one direct table of 512 SPTEs. */
struct fixture {
	struct kvm kvm;
	u64 mirror_pt[SPTE_ENT_PER_PAGE];
	u64 direct_pt[SPTE_ENT_PER_PAGE];
	struct kvm_mmu_page mirror_sp, direct_sp;
};

static inline void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->kvm.mmu_lock.dep_map.name = "mmu_lock";
	rwlock_init(&f->kvm.mmu_lock);
	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++)
		f->mirror_pt[i] = f->direct_pt[i] = SHADOW_NONPRESENT_VALUE;
	f->mirror_sp = (struct kvm_mmu_page){
		.spt = f->mirror_pt, .role = { .level = PG_LEVEL_4K, .is_mirror = true },
	};
	f->direct_sp = (struct kvm_mmu_page){
		.spt = f->direct_pt, .role = { .level = PG_LEVEL_4K, .is_mirror = false },
	};
	stub_external_reset();
	tdxmm_env_reset_stats();
	tdxmm_warn_quiet = true;
}

static inline struct tdp_iter iter_at(struct kvm_mmu_page *sp, int idx)
{
	return (struct tdp_iter){
		.sptep = &sp->spt[idx],
		.old_spte = sp->spt[idx],
		.gfn = sp->gfn + (gfn_t)idx * KVM_PAGES_PER_HPAGE(sp->role.level),
		.level = sp->role.level,
		.sp = sp,
	};
}

static inline s64 leaf_pages(struct kvm *kvm, int level)
{
	return atomic64_read(&kvm->stat.pages[level - 1]);
}

/* Lockdep failures and BUG()s are caught, not fatal, inside the suites. */
extern int lockdep_hits;
extern char lockdep_msg[256];
extern jmp_buf bug_jmp;
extern bool bug_armed;
void install_test_hooks(void);

#endif
