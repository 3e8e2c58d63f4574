/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TDX side of private memory (upstream arch/x86/kvm/vmx/tdx.c): the
 * S-EPT hooks KVM's TDP MMU calls, and the TD life cycle around them.
 */
#ifndef TDXMM_TDX_H
#define TDXMM_TDX_H

#include "env.h"
#include "kvm.h"
#include "pamt.h"
#include "acsl/sept.h"

/*@ requires \valid(kvm);
    requires gpaw: gfn <= SPEC_PFN_MAX;
    requires valid_level(level);
    requires INV_20: INV_20_some_present(old_spte, new_spte);
    requires INV_13: INV_13_write_locked(kvm, old_spte);
    requires INV_05: kvm->mmu_lock.held != LOCK_NONE;
    requires vcpu: running_vcpu_ok(kvm, spte_pfn(new_spte));
    requires vcpu: running_vcpu_ok_all(kvm);
    requires INV_33: pamt_lock.held == LOCK_NONE;
    requires vm_pamt_cache_ok(kvm);
    requires pamt_rc_bounded(spte_pfn(new_spte));
    requires pamt_all_bounded;
    requires R12: spte_present(old_spte) && spte_present(new_spte) ==>
		  kvm->tdx.pamt_cache_lock.held != LOCK_NONE;
    requires slots: !spte_present(old_spte) &&
		    kvm->tdx.state != TD_STATE_RUNNABLE ==>
		    kvm->slots_lock.held != LOCK_NONE;
    requires \separated(kvm, &pamt_lock);
    requires vm_apart_from_refcounts(kvm);
    requires \separated(kvm, pamt_rc(spte_pfn(old_spte)));
    requires \separated(kvm, pamt_rc(spte_pfn(new_spte)));
    assigns TDX_HOOK_ASSIGNS(kvm), PAMT_RC_ALL,
	    pamt_rc(spte_pfn(old_spte))->counter,
	    pamt_rc(spte_pfn(new_spte))->counter;
    ensures errno: \result == 0 || \result == -EBUSY || \result == -EIO ||
		   \result == -ENOMEM || \result == -EINVAL;
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
    ensures INV_33: pamt_lock.held == LOCK_NONE;
    ensures INV_19: INV_19_not_left_set{Pre, Post}(kvm);
    behavior install:
      assumes !spte_present(old_spte);
      ensures INV_12: \result != 0 ==> tdxmm_sept == \old(tdxmm_sept);
    behavior remove:
      assumes spte_present(old_spte) && !spte_present(new_spte);
      ensures INV_16: \result == 0 ==> INV_16_removed(tdxmm_rm);
      ensures INV_18: \result != 0 ==> kvm->vm_bugged;
    behavior split:
      assumes spte_present(old_spte) && spte_present(new_spte);
      ensures INV_20: \result == 0 ==> INV_20_split(old_spte, new_spte, level);
      ensures INV_18: \result != 0 ==> kvm->vm_bugged;
    complete behaviors;
    disjoint behaviors;
*/
int tdx_sept_set_private_spte(struct kvm *kvm, gfn_t gfn, u64 old_spte,
			      u64 new_spte, int level);
/*@ requires \valid(kvm) && \valid(sp);
    requires \separated(kvm, sp);
    requires INV_33: pamt_lock.held == LOCK_NONE;
    assigns TDX_HOOK_ASSIGNS(kvm), sp->external_spt,
	    pamt_rc(virt_pfn(sp->external_spt))->counter;
    ensures INV_18: sp->external_spt == \null;
    ensures INV_15: \old(INV_15_hkid_assigned(kvm)) ==>
		    pamt_rc(virt_pfn(\old(sp->external_spt)))->counter ==
		    \old(pamt_rc(virt_pfn(sp->external_spt))->counter);
    ensures bugged_sticks: \old(kvm->vm_bugged) ==> kvm->vm_bugged;
*/
void tdx_sept_reclaim_private_sp(struct kvm *kvm, gfn_t gfn,
				 struct kvm_mmu_page *sp);

/*
 * Life cycle.  tdx_vm_init: a TD with a mirror root of @root_level (3..5),
 * HKID assigned, not finalized.  tdx_init_mem_region: initial memory,
 * PAGE.ADD of @src_pfn's contents at @gfn.  tdx_vm_destroy: remove every
 * leaf, release the HKID, prune the tables, reclaim every S-EPT and control
 * page; what the module may still own is leaked and counted (INV-18).
 * Each returns 0 or -errno (-EINVAL for a call in the wrong state, -EIO
 * once the VM is dead).
 */
int tdx_vm_init(struct kvm *kvm, int root_level);
int tdx_td_finalize(struct kvm *kvm);
int tdx_init_mem_region(struct kvm_vcpu *vcpu, gfn_t gfn, kvm_pfn_t pfn,
			kvm_pfn_t src_pfn);
int tdx_vm_destroy(struct kvm *kvm);

/*
 * Upstream's TDX_BUG_ON (arch/x86/kvm/vmx/tdx.c): KVM_BUG_ON with the
 * SEAMCALL's name, status and output registers logged once per VM.  WP
 * sees KVM_BUG_ON's sequential effect (proofs/env/env_frama.h).
 */
#ifndef __TDX_BUG_ON
#define __TDX_BUG_ON(__err, __f, __kvm, __fmt, __args...)		\
({									\
	struct kvm *_kvm = (__kvm);					\
	bool __ret = !!(__err);						\
									\
	if (WARN_ON_ONCE(__ret && (!_kvm || !_kvm->vm_bugged))) {	\
		if (_kvm)						\
			kvm_vm_bugged(_kvm);				\
		pr_err_ratelimited("SEAMCALL " __f " failed: 0x%llx"	\
				   __fmt "\n", (unsigned long long)(__err), \
				   __args);				\
	}								\
	unlikely(__ret);						\
})
#endif

#define TDX_BUG_ON(__err, __fn, __kvm)					\
	__TDX_BUG_ON(__err, #__fn, __kvm, "%s", "")
#define TDX_BUG_ON_2(__err, __fn, __a1, __a2, __kvm)			\
	__TDX_BUG_ON(__err, #__fn, __kvm, ", " #__a1 " 0x%llx, " #__a2	\
		     " 0x%llx", (unsigned long long)(__a1),		\
		     (unsigned long long)(__a2))
#define TDX_BUG_ON_3(__err, __fn, __a1, __a2, __a3, __kvm)		\
	__TDX_BUG_ON(__err, #__fn, __kvm, ", " #__a1 " 0x%llx, " #__a2	\
		     " 0x%llx, " #__a3 " 0x%llx",			\
		     (unsigned long long)(__a1), (unsigned long long)(__a2), \
		     (unsigned long long)(__a3))

/*@ requires \valid_read(kvm);
    assigns \nothing;
    ensures \result <==> kvm->tdx.hkid > 0; */
static inline bool is_hkid_assigned(const struct kvm *kvm)
{
	return kvm->tdx.hkid > 0;
}

/*
 * Module load (upstream tdx_bringup()): the guest KeyID pool starts empty.
 * Harnesses that restart the TDX module (tdxsim_reset()) call it too.
 */
void tdx_bringup(void);
/*
 * SPEC 0.4.7, upstream order: VPFLUSHDONE, CACHE.WB, KEY.FREEID.  A failed
 * step bugs the VM and leaves the HKID assigned (and leaked).
 */
void tdx_mmu_release_hkid(struct kvm *kvm);

#endif /* TDXMM_TDX_H */
