// SPDX-License-Identifier: GPL-2.0
/*
 * The entry points around the TDP MMU walkers: page caches (upstream
 * virt/kvm/kvm_main.c, B8), and the API of SPEC 0.1, which checks its
 * input, fills caches while sleeping is allowed, and takes mmu_lock.
 */
#include "env.h"
#include "kvm.h"
#include "spte.h"
#include "tdp_mmu.h"
#include "pamt.h"

int kvm_mmu_topup_memory_cache(struct kvm_mmu_memory_cache *mc, int min)
{
	might_sleep();
	if (min > KVM_ARCH_NR_OBJS_PER_MEMORY_CACHE)
		return -EINVAL;
	while (mc->nobjs < min) {
		void *obj = mc->obj_size ? kzalloc(mc->obj_size, GFP_KERNEL_ACCOUNT) :
			    tdxmm_alloc_page();

		if (!obj)
			return -ENOMEM;
		mc->objects[mc->nobjs++] = obj;
	}
	return 0;
}

/* Upstream BUGs on an empty cache; callers here check nobjs first. */
void *kvm_mmu_memory_cache_alloc(struct kvm_mmu_memory_cache *mc)
{
	if (WARN_ON_ONCE(!mc->nobjs))
		return NULL;
	return mc->objects[--mc->nobjs];
}

void kvm_mmu_free_memory_cache(struct kvm_mmu_memory_cache *mc)
{
	while (mc->nobjs) {
		void *obj = mc->objects[--mc->nobjs];

		if (mc->obj_size)
			kfree(obj);
		else
			tdxmm_free_page(obj);
	}
}

static void init_sp_caches(struct kvm_mmu_memory_cache *header,
			   struct kvm_mmu_memory_cache *shadow,
			   struct kvm_mmu_memory_cache *external)
{
	header->obj_size = sizeof(struct kvm_mmu_page);
	shadow->obj_size = 0;
	/* v6: plain pages; the PAMT reference comes at SEPT.ADD/DEMOTE. */
	external->obj_size = 0;
}

void kvm_vcpu_init(struct kvm_vcpu *vcpu, struct kvm *kvm)
{
	vcpu->kvm = kvm;
	vcpu->requests = 0;
	/* kvm_vm_ioctl_create_vcpu(): kvm_make_all_cpus_request() finds it. */
	if (!WARN_ON_ONCE(kvm->online_vcpus >= KVM_MAX_VCPUS))
		kvm->vcpus[kvm->online_vcpus++] = vcpu;
	init_sp_caches(&vcpu->mmu_page_header_cache,
		       &vcpu->mmu_shadow_page_cache,
		       &vcpu->mmu_external_spt_cache);
}

void kvm_mmu_init_vm(struct kvm *kvm)
{
	init_sp_caches(&kvm->arch.split_page_header_cache,
		       &kvm->arch.split_shadow_page_cache,
		       &kvm->arch.split_external_spt_cache);
}

void kvm_mmu_uninit_vm(struct kvm *kvm)
{
	kvm_mmu_free_memory_cache(&kvm->arch.split_page_header_cache);
	kvm_mmu_free_memory_cache(&kvm->arch.split_shadow_page_cache);
	kvm_mmu_free_memory_cache(&kvm->arch.split_external_spt_cache);
}

/* Enough for a fault that links every table below the root. */
int mmu_topup_memory_caches(struct kvm_vcpu *vcpu)
{
	int r;

	r = kvm_mmu_topup_memory_cache(&vcpu->mmu_page_header_cache,
				       PT64_ROOT_MAX_LEVEL);
	if (r)
		return r;
	r = kvm_mmu_topup_memory_cache(&vcpu->mmu_shadow_page_cache,
				       PT64_ROOT_MAX_LEVEL);
	if (r)
		return r;
	r = kvm_mmu_topup_memory_cache(&vcpu->mmu_external_spt_cache,
				       PT64_ROOT_MAX_LEVEL);
	if (r)
		return r;
	/*
	 * v6 tdx_topup_external_pamt_cache(): a pair for each S-EPT page but
	 * the root, and one for a 4K leaf (R12, SPEC 0.4.1).
	 */
	return tdx_topup_pamt_cache(&vcpu->pamt_cache, PT64_ROOT_MAX_LEVEL);
}

void kvm_mmu_destroy(struct kvm_vcpu *vcpu)
{
	kvm_mmu_free_memory_cache(&vcpu->mmu_page_header_cache);
	kvm_mmu_free_memory_cache(&vcpu->mmu_shadow_page_cache);
	kvm_mmu_free_memory_cache(&vcpu->mmu_external_spt_cache);
	tdx_free_pamt_cache(&vcpu->pamt_cache);
}

/*
 * A TD that can take page-table changes: has a root, is not dead.  A dead
 * VM answers -EIO before anything else, as kvm_vm_ioctl() does (SPEC 0.4.6).
 */
static int kvm_mmu_check_vm(struct kvm *kvm)
{
	if (READ_ONCE(kvm->vm_dead))
		return -EIO;
	if (kvm->tdx.state != TD_STATE_INITIALIZED &&
	    kvm->tdx.state != TD_STATE_RUNNABLE)
		return -EINVAL;
	return 0;
}

/* The API's checks of a mapping request: -EINVAL for what cannot be. */
static int kvm_tdp_check_map(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn,
			     int level)
{
	if (level < PG_LEVEL_4K || level > PG_LEVEL_2M ||
	    gfn >= kvm_tdp_mmu_max_gfn(kvm) ||
	    gfn & (KVM_PAGES_PER_HPAGE(level) - 1) ||
	    pfn & (KVM_PAGES_PER_HPAGE(level) - 1) ||
	    !tdxmm_pfn_valid(pfn) ||
	    !tdxmm_pfn_valid(pfn + KVM_PAGES_PER_HPAGE(level) - 1))
		return -EINVAL;
	return 0;
}

/* One fault: caches filled while sleeping is allowed, then mmu_lock (B7). */
/*
 * include/linux/kvm_host.h: a fault whose pfn was looked up before an
 * invalidation of @gfn ended, or while one is in progress, is stale.
 */
static bool mmu_invalidate_retry_gfn(struct kvm *kvm, unsigned long mmu_seq,
				     gfn_t gfn)
{
	lockdep_assert_held(&kvm->mmu_lock);
	if (unlikely(kvm->mmu_invalidate_in_progress)) {
		/* begin() and the first range_add() share one mmu_lock hold */
		if (WARN_ON_ONCE(kvm->mmu_invalidate_range_start == INVALID_GPA ||
				 kvm->mmu_invalidate_range_end == INVALID_GPA))
			return true;
		if (gfn >= kvm->mmu_invalidate_range_start &&
		    gfn < kvm->mmu_invalidate_range_end)
			return true;
	}
	return READ_ONCE(kvm->mmu_invalidate_seq) != mmu_seq;
}

/* @mmu_seq: NULL, or the sequence number read before the pfn was. */
static int kvm_tdp_mmu_fault(struct kvm_vcpu *vcpu, gfn_t gfn, kvm_pfn_t pfn,
			     int level, const unsigned long *mmu_seq)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_page_fault fault = {
		.gfn = gfn, .pfn = pfn, .goal_level = level,
	};
	int r;

	r = mmu_topup_memory_caches(vcpu);
	if (r)
		return r;

	read_lock(&kvm->mmu_lock);
	/* is_page_fault_stale() */
	if (mmu_seq && mmu_invalidate_retry_gfn(kvm, *mmu_seq, gfn)) {
		read_unlock(&kvm->mmu_lock);
		return RET_PF_RETRY;
	}
	rcu_read_lock();
	/* vcpu_load(): the S-EPT hook finds the vCPU's PAMT cache. */
	tdxmm_set_running_vcpu(vcpu);
	r = kvm_tdp_mmu_map(vcpu, &fault);
	tdxmm_set_running_vcpu(NULL);
	rcu_read_unlock();
	read_unlock(&kvm->mmu_lock);

	/* Tables unlinked meanwhile cannot exist under the read lock. */
	return kvm->vm_bugged ? -EIO : r;
}

/*
 * A vCPU's fault or pre-fault (kvm_arch_vcpu_pre_fault_memory): only once
 * the initial image is finalized (pre_fault_allowed); before that only
 * tdx_init_mem_region() maps, with PAGE.ADD (SPEC 0.4.4).
 */
static int __kvm_tdp_map_page(struct kvm_vcpu *vcpu, gfn_t gfn, kvm_pfn_t pfn,
			      int level, const unsigned long *mmu_seq)
{
	struct kvm *kvm = vcpu->kvm;
	int r = kvm_mmu_check_vm(kvm);

	if (r)
		return r;
	if (kvm_test_request(KVM_REQ_VM_DEAD, vcpu))
		return -EIO;
	if (!READ_ONCE(kvm->arch.pre_fault_allowed))
		return -EOPNOTSUPP;
	r = kvm_tdp_check_map(kvm, gfn, pfn, level);
	if (r)
		return r;
	return kvm_tdp_mmu_fault(vcpu, gfn, pfn, level, mmu_seq);
}

int kvm_tdp_map_page(struct kvm_vcpu *vcpu, gfn_t gfn, kvm_pfn_t pfn,
		     int level)
{
	return __kvm_tdp_map_page(vcpu, gfn, pfn, level, NULL);
}

int kvm_tdp_map_page_seq(struct kvm_vcpu *vcpu, gfn_t gfn, kvm_pfn_t pfn,
			 int level, unsigned long mmu_seq)
{
	return __kvm_tdp_map_page(vcpu, gfn, pfn, level, &mmu_seq);
}

/* Upstream's name: map the initial image's page, slots_lock held. */
int kvm_tdp_mmu_map_private_pfn(struct kvm_vcpu *vcpu, gfn_t gfn,
				kvm_pfn_t pfn)
{
	struct kvm *kvm = vcpu->kvm;
	int r = kvm_mmu_check_vm(kvm);

	lockdep_assert_held(&kvm->slots_lock);
	if (r)
		return r;
	if (kvm_test_request(KVM_REQ_VM_DEAD, vcpu))
		return -EIO;
	r = kvm_tdp_check_map(kvm, gfn, pfn, PG_LEVEL_4K);
	if (r)
		return r;
	return kvm_tdp_mmu_fault(vcpu, gfn, pfn, PG_LEVEL_4K, NULL);
}

int kvm_zap_gfn_range(struct kvm *kvm, gfn_t start, gfn_t end)
{
	int r = kvm_mmu_check_vm(kvm);
	int splits;

	if (r)
		return r;
	if (start >= end || end > kvm_tdp_mmu_max_gfn(kvm))
		return -EINVAL;

	/* SPEC 0.4.5: a head and a tail split may be needed (no overzap). */
	splits = !!(start & (KVM_PAGES_PER_HPAGE(PG_LEVEL_2M) - 1)) +
		 !!(end & (KVM_PAGES_PER_HPAGE(PG_LEVEL_2M) - 1));
	mutex_lock(&kvm->tdx.pamt_cache_lock);
	r = splits ? kvm_mmu_topup_split_caches(kvm, splits) : 0;
	if (!r) {
		write_lock(&kvm->mmu_lock);
		rcu_read_lock();
		r = kvm_tdp_mmu_zap_leafs(kvm, start, end);
		rcu_read_unlock();
		write_unlock(&kvm->mmu_lock);
	}
	mutex_unlock(&kvm->tdx.pamt_cache_lock);

	if (kvm->vm_bugged)
		return -EIO;
	return r ? r : -ENOENT;
}

/*
 * Tables and DEMOTE pairs for @nr splits without a vCPU, filled before
 * mmu_lock (INV-38), under pamt_cache_lock (SPEC 0.4.3).
 */
int kvm_mmu_topup_split_caches(struct kvm *kvm, int nr)
{
	int r;

	lockdep_assert_held(&kvm->tdx.pamt_cache_lock);
	r = kvm_mmu_topup_memory_cache(&kvm->arch.split_page_header_cache, nr);
	if (!r)
		r = kvm_mmu_topup_memory_cache(&kvm->arch.split_shadow_page_cache, nr);
	if (!r)
		r = kvm_mmu_topup_memory_cache(&kvm->arch.split_external_spt_cache, nr);
	/*
	 * Per split: a pair for the new S-EPT page's region (v6) and the pair
	 * DEMOTE installs for the split region (B11.9).
	 */
	if (!r)
		r = tdx_topup_pamt_cache(&kvm->tdx.pamt_cache, 2 * nr);
	return r;
}

int kvm_split_huge_page(struct kvm *kvm, gfn_t gfn)
{
	int r = kvm_mmu_check_vm(kvm);

	if (r)
		return r;
	if (gfn >= kvm_tdp_mmu_max_gfn(kvm))
		return -EINVAL;

	/* SPEC 0.4.3: the per-VM caches are filled and drained under it. */
	mutex_lock(&kvm->tdx.pamt_cache_lock);
	r = kvm_mmu_topup_split_caches(kvm, 1);
	if (!r) {
		write_lock(&kvm->mmu_lock);
		rcu_read_lock();
		r = kvm_tdp_mmu_split_huge_page(kvm, gfn);
		rcu_read_unlock();
		write_unlock(&kvm->mmu_lock);
	}
	mutex_unlock(&kvm->tdx.pamt_cache_lock);
	return r;
}
