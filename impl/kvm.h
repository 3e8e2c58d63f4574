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

/* enum pg_level and PAGE_SHIFT are the kernel's (impl/env.h). */
#define PT64_ROOT_MAX_LEVEL	5
#define KVM_NR_PAGE_SIZES	3
#define SPTE_ENT_PER_PAGE	512

/* 4K pages mapped by one SPTE at @level: 512^(level-1). */
#define KVM_HPAGE_GFN_SHIFT(level)	(((level) - 1) * 9)
#define KVM_PAGES_PER_HPAGE(level)	(1ULL << KVM_HPAGE_GFN_SHIFT(level))

typedef u64 __rcu *tdp_ptep_t;

/* Page fault outcomes (arch/x86/kvm/mmu/mmu_internal.h). */
enum {
	RET_PF_CONTINUE = 0,
	RET_PF_RETRY,
	RET_PF_EMULATE,
	RET_PF_WRITE_PROTECTED,
	RET_PF_INVALID,
	RET_PF_FIXED,
	RET_PF_SPURIOUS,
};

struct kvm_stat {
	atomic64_t pages[KVM_NR_PAGE_SIZES];	/* leaf SPTEs per level */
	atomic64_t leaked_pages;	/* left to the TDX module on purpose (INV-18) */
	atomic64_t vcpu_kicks;		/* KVM_REQ_OUTSIDE_GUEST_MODE requests */
};

/* Objects filled while sleeping is allowed, taken under mmu_lock (B8). */
#define KVM_ARCH_NR_OBJS_PER_MEMORY_CACHE 40
struct kvm_mmu_memory_cache {
	unsigned long obj_size;		/* 0: whole zeroed pages */
	int nobjs;
	void *objects[KVM_ARCH_NR_OBJS_PER_MEMORY_CACHE];
};

/* Pages for PAMT page pairs, filled before any lock (B11.8, P21). */
#define TDX_PAMT_CACHE_MAX	16
struct tdx_pamt_cache {
	int cnt;
	void *pages[TDX_PAMT_CACHE_MAX];
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
	struct kvm_mmu_page *next_free;	/* unlinked, waiting for RCU */
};

struct tdx_td;			/* the TDX module's handle (model/) */

enum kvm_tdx_state {
	TD_STATE_UNINITIALIZED = 0,
	TD_STATE_INITIALIZED,	/* HKID assigned, initial memory via PAGE.ADD */
	TD_STATE_RUNNABLE,	/* finalized: faults map with PAGE.AUG */
	TD_STATE_TORN_DOWN,	/* every page reclaimed or counted as leaked */
};

/* Upstream's struct kvm_tdx (arch/x86/kvm/vmx/tdx.h), the part tdxmm uses. */
struct kvm_tdx {
	struct tdx_td *td;
	enum kvm_tdx_state state;
	int hkid;		/* > 0 while assigned (is_hkid_assigned) */
	bool wait_for_sept_zap;	/* INV-19: true only inside a no-vCPU retry */
	void *tdr_page;		/* control pages: the TDR and the S-EPT root */
	void *sept_root_page;
	/* PAGE.ADD source: set and used only under kvm->slots_lock */
	kvm_pfn_t page_add_src;
	bool page_add_src_set;
	/*
	 * SPEC 0.4.3 (Sean's rework of V5 P44): the per-VM caches a split
	 * without a vCPU draws from -- pamt_cache and kvm->arch.split_*_cache
	 * -- are filled and drained only under this mutex, taken before
	 * mmu_lock.
	 */
	struct mutex pamt_cache_lock;
	struct tdx_pamt_cache pamt_cache;	/* pairs for DEMOTE (split) */
};

struct kvm_arch {
	struct kvm_mmu_page *mirror_root;
	int root_level;
	/* set by finalize: faults may map (PAGE.AUG), no more PAGE.ADD */
	bool pre_fault_allowed;
	spinlock_t tdp_mmu_pages_lock;	/* protects free_list */
	struct kvm_mmu_page *free_list;	/* unlinked tables, freed in task context */
	/* Tables for splits under mmu_lock(write), filled before taking it,
	 * under kvm->tdx.pamt_cache_lock. */
	struct kvm_mmu_memory_cache split_page_header_cache;
	struct kvm_mmu_memory_cache split_shadow_page_cache;
	struct kvm_mmu_memory_cache split_external_spt_cache;
};

#define KVM_MAX_VCPUS		4
/* Requests (upstream kvm_host.h); only the one tdxmm acts on. */
#define KVM_REQ_VM_DEAD		1

/* include/uapi/linux/kvm.h */
#define KVM_MEMORY_ATTRIBUTE_PRIVATE	(1ULL << 3)

/*
 * Memory attributes over an index space [0, npages): ranges in order,
 * range j from start[j] to start[j + 1] (the last to npages), value
 * attrs[j]; adjacent ranges differ (GMEM-01..03).  One allocation holds
 * both arrays.  Upstream: a maple tree (guest_memfd), an xarray (the VM).
 */
struct kvm_attr_map {
	u64 *start;
	u64 *attrs;
	u32 nr;
	u64 npages;
};

struct kvm {
	rwlock_t mmu_lock;
	struct mutex slots_lock;	/* memslots; serialises init_mem_region */
	bool vm_bugged;		/* KVM_BUG_ON fired: the VM is dead */
	bool vm_dead;		/* every ioctl returns -EIO (kvm_vm_ioctl) */
	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS];
	int online_vcpus;
	struct kvm_stat stat;
	struct kvm_arch arch;
	struct kvm_tdx tdx;	/* upstream: container_of(kvm, struct kvm_tdx, kvm) */
	/* The MMU invalidation window: a fault that overlaps it retries. */
#define INVALID_GPA	(~(gpa_t)0)	/* upstream's "no range added yet" */
	unsigned long mmu_invalidate_seq;
	long mmu_invalidate_in_progress;
	gfn_t mmu_invalidate_range_start, mmu_invalidate_range_end;
	/* KVM_SET_MEMORY_ATTRIBUTES, over gfns (in-place conversion off) */
	struct kvm_attr_map mem_attr_array;
	bool has_private_mem;
};

struct kvm_vcpu {
	struct kvm *kvm;
	unsigned long requests;	/* KVM_REQ_* bits */
	struct kvm_mmu_memory_cache mmu_page_header_cache;
	struct kvm_mmu_memory_cache mmu_shadow_page_cache;
	struct kvm_mmu_memory_cache mmu_external_spt_cache;
	struct tdx_pamt_cache pamt_cache;	/* a pair for the mapped 4K leaf */
};

struct kvm_page_fault {
	gfn_t gfn;
	kvm_pfn_t pfn;
	int goal_level;
};

/* include/linux/kvm_host.h */
static inline void kvm_make_request(int req, struct kvm_vcpu *vcpu)
{
	set_bit(req, &vcpu->requests);
}

static inline bool kvm_test_request(int req, struct kvm_vcpu *vcpu)
{
	return test_bit(req, &vcpu->requests);
}

static inline void kvm_make_all_cpus_request(struct kvm *kvm, int req)
{
	for (int i = 0; i < READ_ONCE(kvm->online_vcpus); i++)
		kvm_make_request(req, kvm->vcpus[i]);
}

static inline void kvm_vm_dead(struct kvm *kvm)
{
	WRITE_ONCE(kvm->vm_dead, true);
	kvm_make_all_cpus_request(kvm, KVM_REQ_VM_DEAD);
}

static inline void kvm_vm_bugged(struct kvm *kvm)
{
	WRITE_ONCE(kvm->vm_bugged, true);
	kvm_vm_dead(kvm);
}

/*
 * Upstream's KVM_BUG_ON: warn only for the first bug of a VM, then mark it
 * bugged and dead.  WP sees the sequential effect (proofs/env/env_frama.h).
 */
#ifndef KVM_BUG_ON
#define KVM_BUG_ON(cond, kvm)						\
({									\
	bool __ret = !!(cond);						\
									\
	if (WARN_ON_ONCE(__ret && !(kvm)->vm_bugged))			\
		kvm_vm_bugged(kvm);					\
	unlikely(__ret);						\
})
#endif

/*@ requires \valid_read(sp);
    assigns \nothing;
    ensures \result <==> sp->role.is_mirror; */
static inline bool is_mirror_sp(const struct kvm_mmu_page *sp)
{
	return sp->role.is_mirror;
}

#endif /* TDXMM_KVM_H */
