/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/env.h - the env seam: the only door from impl/ to its environment.
 *
 * impl/ is written against the kernel's own names (u64, READ_ONCE,
 * try_cmpxchg64, atomic_t, rwlock_t, lockdep_assert_held_*, WARN_ON_ONCE,
 * KVM_BUG_ON...).  Exactly one backend supplies them:
 *
 *   __KERNEL__   the real kernel headers           (harness/kernel, Kbuild)
 *   __FRAMAC__   sequential ACSL contracts         (proofs/env/env_frama.h)
 *   TDXMM_ENV_MC the interleaving explorer         (harness/mc/env_mc.h)
 *   otherwise    userspace: GCC atomics, pthreads  (harness/user/env_user.h)
 *
 * Backend switches live here and nowhere else in impl/.
 */
#ifndef TDXMM_ENV_H
#define TDXMM_ENV_H

#if defined(__KERNEL__)

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/bitops.h>
#include <linux/lockdep.h>
#include <linux/rcupdate.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/ioctl.h>
#include <linux/slab.h>
#include <linux/percpu.h>
#include <asm/cmpxchg.h>
#include <asm/processor.h>

#if defined(CONFIG_X86) && !defined(CONFIG_UML)
#include <asm/pgtable_types.h>	/* enum pg_level */
#else
#include "pg_level.h"	/* UML: arch/x86's enum pg_level */
#endif

/* Not <linux/kvm_types.h>: our struct kvm is tdxmm's own (see below). */
typedef u64 gfn_t;
typedef u64 kvm_pfn_t;
typedef u64 gpa_t;

/* Pages for page tables and tests; page_private finds an SPT's header. */
#define tdxmm_alloc_pages(order)					\
	((void *)__get_free_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO, (order)))
#define tdxmm_free_pages(p, order) free_pages((unsigned long)(p), (order))
#define tdxmm_alloc_page() tdxmm_alloc_pages(0)
#define tdxmm_free_page(p) tdxmm_free_pages((p), 0)
#define tdxmm_virt_to_pfn(p) ((u64)page_to_pfn(virt_to_page(p)))
#define tdxmm_pfn_to_virt(pfn) page_address(pfn_to_page(pfn))
#define tdxmm_pfn_valid(pfn) pfn_valid(pfn)
#define tdxmm_set_page_private(p, v)					\
	set_page_private(virt_to_page(p), (unsigned long)(v))
#define tdxmm_page_private(p) ((void *)page_private(virt_to_page(p)))

/*
 * Upstream's kvm_get_running_vcpu() is set by vcpu_load(); tdxmm's struct
 * kvm_vcpu is its own, so the backend keeps the per-CPU pointer (defined in
 * harness/kernel).  Set only with mmu_lock held, i.e. preemption off.
 */
struct kvm_vcpu;
DECLARE_PER_CPU(struct kvm_vcpu *, tdxmm_running_vcpu);
#define kvm_get_running_vcpu() __this_cpu_read(tdxmm_running_vcpu)
#define tdxmm_set_running_vcpu(v) __this_cpu_write(tdxmm_running_vcpu, (v))

/*
 * WARN_ON_ONCE that counts every hit, as the user backend's does, so that
 * tests and the observer API (tdxmm_counters) see WARNs in the kernel too;
 * the kernel still reports each site once.  harness/kernel defines it.
 */
extern atomic_long_t tdxmm_warns;
#undef WARN_ON_ONCE
#define WARN_ON_ONCE(condition) ({					\
	static bool __section(".data.once") __tdxmm_warned;		\
	int __tdxmm_hit = !!(condition);				\
									\
	if (unlikely(__tdxmm_hit)) {					\
		atomic_long_inc(&tdxmm_warns);				\
		if (!__tdxmm_warned) {					\
			__tdxmm_warned = true;				\
			WARN_ON(1);					\
		}							\
	}								\
	unlikely(__tdxmm_hit);						\
})
#define tdxmm_warn_count() ((unsigned long)atomic_long_read(&tdxmm_warns))
/* A BUG() in the kernel does not return: none was hit if we can ask. */
#define tdxmm_bug_count() 0UL

/* Trace events: upstream's kvm_tdp_mmu_spte_changed and tdxmm's own. */
#include "tdxmm_trace.h"

#elif defined(__FRAMAC__)
#include "env_frama.h"
#elif defined(TDXMM_ENV_MC)
#include "env_mc.h"
#else
#include "env_user.h"
#endif

#endif /* TDXMM_ENV_H */
