// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios of the S-EPT life cycle (SPEC B5-B10): the real TDP MMU and
 * TDX side against the TDX-module simulator, shared by cmocka and KUnit.
 * After every operation the mirror and the module are compared
 * (model/sept_check.c), and at the end every page is accounted for.
 */
#include "external.h"
#include "scenarios.h"
#include "pamt_check.h"
#include "sept_check.h"
#include "tdx.h"
#include "gmem.h"
#include "gmem_host.h"
#include "gmem_check.h"

#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define GUEST_ORDER 9		/* one 2M region of guest memory ("gmem") */

struct td_fixture {
	struct kvm kvm;
	struct kvm_vcpu vcpu;
	struct kvm_vcpu vcpu2;	/* a second vCPU, for the concurrent pairs */
	void *guest;
	kvm_pfn_t gpfn;		/* first guest pfn, 2M aligned */
	long pool_before;	/* pool pages in use before the TD */
	bool destroyed;
};

static struct td_fixture tf;	/* too big for a kernel stack */
int tdxmm_sept_triples;		/* (SEAMCALL, status, call site) injected */

/* A TD with a root of @root_level and one vCPU; runnable if @finalize. */
static bool td_setup_root(struct td_fixture *f, bool finalize, int root_level)
{
	static const struct td_fixture zero;
	struct tdx_memblock blocks[TDX_MAX_MEMBLOCKS];
	int r;

	tdxsim_reset();
	tdx_bringup();
	tdxsim_inject_clear();
	/* a platform with X86_BUG_TDX_PW_MCE: every reset is checked */
	tdxsim_set_quirk(true);
	/* Dynamic PAMT on, fresh refcounts (the previous TD is gone). */
	tdx_pamt_exit();
	if (tdx_pamt_init(blocks, scn_tdx_memblocks(blocks)))
		return false;
	tdxsim_set_dpamt(true);
	scn_pool_reset();
	kvm_x86_ops.set_external_spte = tdx_sept_set_private_spte;
	kvm_x86_ops.reclaim_external_sp = tdx_sept_reclaim_private_sp;
	*f = zero;
	f->pool_before = scn_pool_used();
	rwlock_init(&f->kvm.mmu_lock);
	f->guest = tdxmm_alloc_pages(GUEST_ORDER);
	if (!f->guest)
		return false;
	f->gpfn = tdxmm_virt_to_pfn(f->guest);
	scn_op("vm_init", "");
	r = tdx_vm_init(&f->kvm, root_level);
	scn_ret("vm_init", r, f->kvm.vm_bugged);
	if (r)
		return false;
	kvm_vcpu_init(&f->vcpu, &f->kvm);
	kvm_vcpu_init(&f->vcpu2, &f->kvm);
	if (!finalize)
		return true;
	scn_op("finalize", "");
	r = tdx_td_finalize(&f->kvm);
	scn_ret("finalize", r, f->kvm.vm_bugged);
	return !r;
}

static bool td_setup(struct td_fixture *f, bool finalize)
{
	return td_setup_root(f, finalize, 4);
}

/* ---------------- entry points, as a trace records them ---------------- */

static int t_map(struct kvm_vcpu *v, gfn_t gfn, kvm_pfn_t pfn, int level)
{
	char a[96];
	int r;

	scn_fmt(a, sizeof(a), "\"gfn\": \"0x%llx\", \"pfn\": \"0x%llx\", \"level\": %d",
		 (unsigned long long)gfn, (unsigned long long)pfn, level);
	scn_op("map", a);
	r = kvm_tdp_map_page(v, gfn, pfn, level);
	scn_ret("map", r, v->kvm->vm_bugged);
	return r;
}

static int t_zap(struct kvm *kvm, gfn_t start, gfn_t end)
{
	char a[96];
	int r;

	scn_fmt(a, sizeof(a), "\"start\": \"0x%llx\", \"end\": \"0x%llx\"",
		 (unsigned long long)start, (unsigned long long)end);
	scn_op("zap", a);
	r = kvm_zap_gfn_range(kvm, start, end);
	scn_ret("zap", r, kvm->vm_bugged);
	return r;
}

static int t_split(struct kvm *kvm, gfn_t gfn)
{
	char a[48];
	int r;

	scn_fmt(a, sizeof(a), "\"gfn\": \"0x%llx\"", (unsigned long long)gfn);
	scn_op("split", a);
	r = kvm_split_huge_page(kvm, gfn);
	scn_ret("split", r, kvm->vm_bugged);
	return r;
}

static int t_get(struct kvm_vcpu *v, u64 pfn)
{
	char a[64];
	int r;

	if (tdx_topup_pamt_cache(&v->pamt_cache, 1))
		return -ENOMEM;
	scn_fmt(a, sizeof(a), "\"pfn\": \"0x%llx\", \"level\": 1",
		 (unsigned long long)pfn);
	scn_op("pamt_get", a);
	r = tdx_pamt_get(pfn, PG_LEVEL_4K, &v->pamt_cache);
	scn_ret("pamt_get", r, v->kvm->vm_bugged);
	return r;
}

static void t_put(struct kvm *kvm, u64 pfn)
{
	char a[64];

	scn_fmt(a, sizeof(a), "\"pfn\": \"0x%llx\", \"level\": 1",
		 (unsigned long long)pfn);
	scn_op("pamt_put", a);
	tdx_pamt_put(pfn, PG_LEVEL_4K);
	scn_ret("pamt_put", 0, kvm->vm_bugged);
}

static int t_init_mem(struct kvm_vcpu *v, gfn_t gfn, kvm_pfn_t pfn, kvm_pfn_t src)
{
	char a[128];
	int r;

	scn_fmt(a, sizeof(a), "\"gfn\": \"0x%llx\", \"pfn\": \"0x%llx\", \"src\": \"0x%llx\"",
		(unsigned long long)gfn, (unsigned long long)pfn,
		(unsigned long long)src);
	scn_op("init_mem_region", a);
	r = tdx_init_mem_region(v, gfn, pfn, src);
	scn_ret("init_mem_region", r, v->kvm->vm_bugged);
	return r;
}

static int t_destroy(struct td_fixture *f)
{
	int r;

	scn_op("teardown", "");
	r = tdx_vm_destroy(&f->kvm);
	scn_ret("teardown", r, f->kvm.vm_bugged);
	f->destroyed = true;
	return r;
}


/* INV-10/11/17/19 between the mirror and the module, now. */
#define SCN_SEPT_OK(s, f)						\
do {									\
	struct sept_violation __v;					\
	if (check_mirror_sept(&(f)->kvm, &__v)) {			\
		scn_fail(s, __FILE__, __LINE__, __v.inv, __v.gfn,	\
			 (u64)__v.sept_state);				\
		return;							\
	}								\
} while (0)

static const char *pamt_consistent(void)
{
	struct tdx_memblock b[TDX_MAX_MEMBLOCKS];
	int nr = scn_tdx_memblocks(b);

	for (int i = 0; i < nr; i++) {
		const char *why = check_pamt(b[i].start_pfn, b[i].end_pfn);

		if (why)
			return why;
	}
	return NULL;
}

/*
 * Tear down and account: the TD is gone from the module except what was
 * leaked on purpose, the module saw children before parents, and every
 * page is free, the test's, or counted as leaked (INV-18).
 */
static const char *td_finish(struct td_fixture *f)
{
	const char *why;

	if (!f->destroyed)
		t_destroy(f);
	kvm_mmu_destroy(&f->vcpu);
	kvm_mmu_destroy(&f->vcpu2);
	/*
	 * A call the module refuses, or a reclaim before a child's, is a KVM
	 * bug, except in a VM already bugged or leaking: teardown then
	 * reclaims what it can around what the module keeps.
	 */
	if (tdxsim_order_violations() && !f->kvm.vm_bugged)
		return "INV-14: S-EPT page reclaimed before its child";
	if (tdxsim_rejections() && !f->kvm.vm_bugged &&
	    !atomic64_read(&f->kvm.stat.leaked_pages))
		return tdxsim_last_rejection(NULL);
	why = pamt_consistent();
	if (why)
		return why;
	/* SPEC 0.4.7: only a failed release (VM bugged) keeps the HKID. */
	if (is_hkid_assigned(&f->kvm) && !f->kvm.vm_bugged)
		return "HKID still assigned after teardown";
	why = scn_pages_accounted(&f->kvm, f->guest, GUEST_ORDER,
				  f->pool_before);
	if (why)
		return why;
	return NULL;
}

#define SCN_FINISH(s, f)						\
do {									\
	const char *__why = td_finish(f);				\
	if (__why) {							\
		scn_fail(s, __FILE__, __LINE__, __why, 0, 0);		\
		return;							\
	}								\
} while (0)

static s64 stat(atomic64_t *v)
{
	return atomic64_read(v);
}

/* Every SEAMCALL the simulator has seen, of any leaf. */
static unsigned long seamcalls(void)
{
	unsigned long n = 0;

	for (int sc = 0; sc < SC_NR; sc++)
		n += tdxsim_calls(sc);
	return n;
}

/* ---------------- round trips ---------------- */

/*
 * Map 4K: three tables linked by SEPT.ADD, one AUG; the same mapping again
 * is spurious, another pfn is refused and the leaf keeps its pfn (INV-06);
 * zap: one each of BLOCK, TRACK, REMOVE, WBINVD (B9.4; their order is
 * INV_16_removal_order's).
 */
static void sept_map_zap_4k_round_trip(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	u64 pfn;

	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0x1234, tf.gpfn + 3, PG_LEVEL_4K),
	       RET_PF_FIXED);
	SCN_EQ(s, tdxsim_calls(SC_MEM_SEPT_ADD), 3);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_AUG), 1);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 0x1234ULL << 12, 1, &pfn),
	       SEPT_PENDING);
	SCN_EQ(s, pfn, tf.gpfn + 3);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 1);
	SCN_SEPT_OK(s, &tf);

	/* The same mapping again is spurious; another page is refused. */
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0x1234, tf.gpfn + 3, PG_LEVEL_4K),
	       RET_PF_SPURIOUS);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0x1234, tf.gpfn + 4, PG_LEVEL_4K),
	       -EEXIST);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_AUG), 1);
	/* the leaf still maps the first pfn, in the mirror and the module */
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 0x1234ULL << 12, 1, &pfn),
	       SEPT_PENDING);
	SCN_EQ(s, pfn, tf.gpfn + 3);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 1);
	SCN_SEPT_OK(s, &tf);

	SCN_EQ(s, kvm_zap_gfn_range(kvm, 0x1234, 0x1235), 1);
	SCN_EQ(s, tdxsim_calls(SC_MEM_RANGE_BLOCK), 1);
	SCN_EQ(s, tdxsim_calls(SC_MEM_TRACK), 1);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_REMOVE), 1);
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAGE_WBINVD), 1);
	SCN_FALSE(s, tdxsim_page_needs_wbinvd(tf.gpfn + 3));
	SCN_EQ(s, tdxsim_page_owner(tf.gpfn + 3, NULL), TDX_PAGE_KERNEL);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 0);
	SCN_SEPT_OK(s, &tf);

	SCN_EQ(s, tdx_vm_destroy(kvm), 0);
	tf.destroyed = true;
	/* Three S-EPT pages, the S-EPT root and the TDR. */
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAGE_RECLAIM), 5);
	SCN_EQ(s, stat(&kvm->stat.leaked_pages), 0);
	SCN_EQ(s, tdxsim_rejections(), 0);
	SCN_FINISH(s, &tf);
}

/* Map 2M, split it (R6: one hook call, BLOCK+TRACK+DEMOTE), zap the 4Ks. */
/* R7: no PAMT.ADD may run beside DEMOTE: pamt_lock is held across it. */
static int demote_saw_pamt_lock = -1;

static void demote_hook(enum tdx_seamcall sc)
{
	if (sc == SC_MEM_PAGE_DEMOTE)
		demote_saw_pamt_lock = tdx_pamt_locked();
}

static void R6_sept_map_split_zap_2m(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	u64 pfn;

	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M),
	       RET_PF_FIXED);
	SCN_EQ(s, tdxsim_calls(SC_MEM_SEPT_ADD), 2);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 512ULL << 12, 2, &pfn),
	       SEPT_PENDING);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_2M), 1);
	/* INV-37: a 2M mapping takes no PAMT reference. */
	SCN_EQ(s, atomic_read(tdx_find_pamt_refcount(tf.gpfn)), 0);
	SCN_EQ(s, tdxsim_pamt_node(tf.gpfn), PAMT_NODE_2M);
	SCN_SEPT_OK(s, &tf);
	/* A 4K fault inside the huge page is spurious. */
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 513, tf.gpfn + 1, PG_LEVEL_4K),
	       RET_PF_SPURIOUS);

	tdxsim_set_call_hook(demote_hook);
	SCN_EQ(s, kvm_split_huge_page(kvm, 700), 0);
	tdxsim_set_call_hook(NULL);
	SCN_EQ(s, demote_saw_pamt_lock, 1);
	SCN_EQ(s, tdxsim_calls(SC_MEM_RANGE_BLOCK), 1);
	SCN_EQ(s, tdxsim_calls(SC_MEM_TRACK), 1);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_DEMOTE), 1);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 700ULL << 12, 1, &pfn),
	       SEPT_PENDING);
	SCN_EQ(s, pfn, tf.gpfn + 700 - 512);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_2M), 0);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 512);
	/* DEMOTE installed the region's pair: one reference per 4K leaf (R7). */
	SCN_EQ(s, atomic_read(tdx_find_pamt_refcount(tf.gpfn)), 512);
	SCN_EQ(s, tdxsim_pamt_node(tf.gpfn), PAMT_NODE_PAMT);
	SCN_SEPT_OK(s, &tf);
	/* Splitting again: no huge leaf there any more. */
	SCN_EQ(s, kvm_split_huge_page(kvm, 700), -EINVAL);

	SCN_EQ(s, kvm_zap_gfn_range(kvm, 512, 1024), 512);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_REMOVE), 512);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 0);
	/* The 512th put removed the pair. */
	SCN_EQ(s, atomic_read(tdx_find_pamt_refcount(tf.gpfn)), 0);
	SCN_EQ(s, tdxsim_pamt_node(tf.gpfn), PAMT_NODE_NDA);
	SCN_SEPT_OK(s, &tf);
	SCN_EQ(s, tdxsim_rejections(), 0);
	SCN_FINISH(s, &tf);
}

/* A TD with a 4K leaf in each of two 512 GiB subtrees (three tables each). */
static bool td_two_subtrees(void)
{
	return td_setup(&tf, true) &&
	       kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K) == RET_PF_FIXED &&
	       kvm_tdp_map_page(&tf.vcpu, 1ULL << 27, tf.gpfn + 1,
				PG_LEVEL_4K) == RET_PF_FIXED;
}

/*
 * Teardown with leaves still mapped: removed under the HKID, then pruned.
 * A second teardown and every MMU operation after it are -EINVAL and issue
 * no SEAMCALL.
 */
static void INV_15_teardown_removes_leaves_before_hkid_release(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	unsigned long calls;

	SCN_TRUE(s, td_two_subtrees());
	SCN_SEPT_OK(s, &tf);
	SCN_EQ(s, tdx_vm_destroy(kvm), 0);
	tf.destroyed = true;
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_REMOVE), 2);
	SCN_EQ(s, tdxsim_td_pages(kvm->tdx.td), 0);
	SCN_EQ(s, tdxsim_rejections(), 0);
	/* Teardown twice is refused, and so is everything after it. */
	calls = seamcalls();
	SCN_EQ(s, tdx_vm_destroy(kvm), -EINVAL);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K), -EINVAL);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 0, 512), -EINVAL);
	SCN_EQ(s, kvm_split_huge_page(kvm, 0), -EINVAL);
	SCN_EQ(s, seamcalls(), calls);	/* nothing more */
	SCN_FINISH(s, &tf);
}

/*
 * INV-11: a mirror SPTE that is not present has a FREE S-EPT entry: after
 * an install whose AUG met BUSY (the vCPU re-faults), after a zap, and
 * after a link that failed half-way down the walk.
 */
static void INV_11_nonpresent_mirror_means_free_sept(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	u64 pfn;

	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, tdxsim_inject(SC_MEM_PAGE_AUG, 1,
				TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX), 0);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 5, tf.gpfn + 5, PG_LEVEL_4K),
	       RET_PF_RETRY);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 5ULL << 12, 1, &pfn), SEPT_FREE);
	SCN_SEPT_OK(s, &tf);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 5, tf.gpfn + 5, PG_LEVEL_4K),
	       RET_PF_FIXED);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 5, 6), 1);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 5ULL << 12, 1, &pfn), SEPT_FREE);
	SCN_SEPT_OK(s, &tf);
	/* the second of three links fails: the first table stays, linked */
	SCN_EQ(s, tdxsim_inject(SC_MEM_SEPT_ADD, 2,
				TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT), 0);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 1ULL << 27, tf.gpfn + 6,
				   PG_LEVEL_4K), RET_PF_RETRY);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 1ULL << 39, 2, &pfn), SEPT_FREE);
	SCN_SEPT_OK(s, &tf);
	SCN_FINISH(s, &tf);
}

/*
 * INV-14: teardown releases every S-EPT page after its children (the
 * module counts any RECLAIM of a page whose child is still live), and
 * the counter itself catches a parent reclaimed first.
 */
static void INV_14_teardown_reclaims_children_first(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;

	SCN_TRUE(s, td_two_subtrees());
	SCN_EQ(s, tdx_vm_destroy(kvm), 0);
	tf.destroyed = true;
	SCN_EQ(s, tdxsim_order_violations(), 0);
	/* six S-EPT pages (two subtrees of three), the root, the TDR */
	SCN_EQ(s, tdxsim_calls(SC_PHYMEM_PAGE_RECLAIM), 8);
	SCN_FINISH(s, &tf);

	/* The check can fail: a parent reclaimed while its child lives. */
	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K), RET_PF_FIXED);
	tdxsim_td_release_hkid(kvm->tdx.td);
	{
		struct kvm_mmu_page *top =
			spte_to_child_sp(kvm->arch.mirror_root->spt[0]);
		u64 pt, owner, size;

		tdh_phymem_page_reclaim(tdxmm_virt_to_pfn(top->external_spt),
					&pt, &owner, &size);
	}
	SCN_EQ(s, tdxsim_order_violations(), 1);
	/* this TD is beyond repair; the next scenario starts afresh */
}

/* R14: initial memory by PAGE.ADD is in the S-EPT as soon as it is mirrored. */
static void R14_init_mem_region_no_premap(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	u64 pfn;

	SCN_TRUE(s, td_setup(&tf, false));
	/* Before finalization no fault or pre-fault maps (SPEC 0.4.4). */
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 8, tf.gpfn, PG_LEVEL_4K),
	       -EOPNOTSUPP);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_ADD), 0);
	/* 0 or -errno, as the ioctl (SPEC 0.4 item 10) */
	SCN_EQ(s, tdx_init_mem_region(&tf.vcpu, 8, tf.gpfn, tf.gpfn + 100), 0);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_ADD), 1);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 8ULL << 12, 1, &pfn),
	       SEPT_MAPPED);
	SCN_SEPT_OK(s, &tf);
	SCN_EQ(s, tdx_td_finalize(kvm), 0);
	SCN_EQ(s, tdx_td_finalize(kvm), -EINVAL);
	SCN_EQ(s, tdx_init_mem_region(&tf.vcpu, 9, tf.gpfn + 1, tf.gpfn + 100),
	       -EINVAL);
	/* The zap finds an entry in the state REMOVE expects (no premap). */
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 8, 9), 1);
	SCN_EQ(s, tdxsim_rejections(), 0);
	SCN_FALSE(s, kvm->vm_bugged);
	SCN_SEPT_OK(s, &tf);
	SCN_FINISH(s, &tf);
}

/*
 * SPEC 0.4.6: once KVM_BUG_ON fired, every entry point answers -EIO, as
 * kvm_vm_ioctl() does for a dead VM, and issues no SEAMCALL; the vCPUs have
 * KVM_REQ_VM_DEAD.  Teardown still runs and accounts every page.
 */
static void bugged_vm_entry_points_eio_no_seamcall(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	unsigned long calls;

	SCN_TRUE(s, td_setup(&tf, false));
	SCN_EQ(s, tdxsim_inject(SC_MEM_PAGE_ADD, 1, TDX_OPERAND_INVALID), 0);
	SCN_EQ(s, tdx_init_mem_region(&tf.vcpu, 8, tf.gpfn, tf.gpfn + 100), -EIO);
	tdxsim_inject_clear();
	SCN_TRUE(s, kvm->vm_bugged);
	SCN_TRUE(s, kvm->vm_dead);
	SCN_TRUE(s, kvm_test_request(KVM_REQ_VM_DEAD, &tf.vcpu));
	SCN_TRUE(s, kvm_test_request(KVM_REQ_VM_DEAD, &tf.vcpu2));
	calls = seamcalls();
	/* still TD_STATE_INITIALIZED: -EIO wins over the state checks */
	SCN_EQ(s, tdx_init_mem_region(&tf.vcpu, 9, tf.gpfn + 1, tf.gpfn + 100),
	       -EIO);
	SCN_EQ(s, tdx_td_finalize(kvm), -EIO);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 10, tf.gpfn + 2, PG_LEVEL_4K), -EIO);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 0, 512), -EIO);
	SCN_EQ(s, kvm_split_huge_page(kvm, 0), -EIO);
	SCN_EQ(s, seamcalls(), calls);
	SCN_EQ(s, tdx_vm_destroy(kvm), -EIO);
	tf.destroyed = true;
	SCN_FINISH(s, &tf);
}

/*
 * INV-07 + SPEC 0.4.10: a mirror table replaced by a huge leaf under the
 * write lock bugs the VM, and the unlinked table still goes through
 * handle_removed_pt(): its leaf is removed from the S-EPT and no page of
 * the subtree is lost (SCN_FINISH accounts every one).
 */
static void INV_07_promotion_still_reclaims_the_table(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	struct kvm_mmu_page *l3, *l2;
	u64 nl;

	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
	       RET_PF_FIXED);
	l3 = spte_to_child_sp(kvm->arch.mirror_root->spt[0]);
	SCN_TRUE(s, l3 != NULL);
	l2 = spte_to_child_sp(l3->spt[0]);
	SCN_TRUE(s, l2 != NULL);
	nl = l2->spt[0];
	SCN_TRUE(s, is_shadow_present_pte(nl) && !is_last_spte(nl, PG_LEVEL_2M));
	mmu_write_lock(kvm);
	tdp_mmu_set_spte(kvm, l2, &l2->spt[0], nl,
			 make_leaf_spte(tf.gpfn, PG_LEVEL_2M), 0, PG_LEVEL_2M);
	mmu_write_unlock(kvm);
	SCN_TRUE(s, kvm->vm_bugged);
	/* the 4K leaf below went through BLOCK/TRACK/REMOVE/WBINVD */
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_REMOVE), 1);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 0, PG_LEVEL_4K, NULL), SEPT_FREE);
	SCN_FALSE(s, tdxsim_page_needs_wbinvd(tf.gpfn));
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 0);
	/* the table: its S-EPT page left to the module and counted (HKID
	 * assigned), its mirror page and header queued for freeing */
	SCN_EQ(s, stat(&kvm->stat.leaked_pages), 1);
	SCN_TRUE(s, kvm->arch.free_list != NULL);
	/*
	 * No SCN_FINISH: the mirror now holds a 2M leaf the module never saw,
	 * whose failed removal at teardown leaks (and counts) 512 guest pages
	 * the module does not own; the exact accounting cannot hold.
	 */
	tf.destroyed = true;
	SCN_EQ(s, tdx_vm_destroy(kvm), -EIO);
}

/*
 * SPEC 0.4.7 and issue item 3: each status MNG.CREATE and KEY.CONFIG can
 * return.  Before CREATE succeeds nothing is the module's: every page and
 * the HKID come back.  After it (KEY.CONFIG failed) the HKID is released
 * and the control pages reclaimed.  -EAGAIN for RND_NO_ENTROPY, else the
 * VM is bugged (TDX_BUG_ON) and -EIO.  The unwinding frees the mirror root
 * with mmu_lock held for write, as the callee asserts.
 */
static void td_creation_seamcall_failures(struct scn *s)
{
	static const enum tdx_seamcall scs[] = { SC_MNG_CREATE, SC_MNG_KEY_CONFIG };
	static struct kvm k;
	int runs = 0;

	for (int c = 0; c < ARRAY_LEN(scs); c++) {
		int nr;
		const u64 *st = tdxsim_statuses(scs[c], &nr);

		for (int i = 0; i < nr; i++) {
			static const struct kvm zero;
			long before;
			int ret;

			SCN_TRUE(s, td_setup(&tf, true));
			SCN_EQ(s, tf.kvm.tdx.hkid, TDX_GUEST_KEYID_START);
			before = scn_pool_used();
			k = zero;
			rwlock_init(&k.mmu_lock);
			SCN_EQ(s, tdxsim_inject(scs[c], 1, st[i]), 0);
			ret = tdx_vm_init(&k, 4);
			tdxsim_inject_clear();
			SCN_EQ(s, ret, st[i] == TDX_RND_NO_ENTROPY ? -EAGAIN : -EIO);
			SCN_EQ(s, k.vm_bugged, ret == -EIO);
			SCN_FALSE(s, is_hkid_assigned(&k));
			SCN_EQ(s, k.tdx.state, TD_STATE_UNINITIALIZED);
			SCN_EQ(s, scn_pool_used(), before);
			SCN_EQ(s, tdxsim_rejections(), 0);
			/* the HKID went back: the next TD gets it */
			k = zero;
			rwlock_init(&k.mmu_lock);
			SCN_EQ(s, tdx_vm_init(&k, 4), 0);
			SCN_EQ(s, k.tdx.hkid, TDX_GUEST_KEYID_START + 1);
			SCN_EQ(s, tdx_vm_destroy(&k), 0);
			SCN_EQ(s, scn_pool_used(), before);
			SCN_FINISH(s, &tf);
			runs++;
		}
	}
	SCN_EQ(s, runs, 6);
}

/*
 * SPEC 0.4.7: the HKID pool is finite and HKIDs are freed: TDs created and
 * destroyed over and over never run out; holding them all gives -ENOSPC.
 */
static void hkids_are_allocated_and_freed(struct scn *s)
{
	static struct kvm ks[TDX_NR_GUEST_KEYIDS];
	static const struct kvm zero;
	long before;

	SCN_TRUE(s, td_setup(&tf, true));
	before = scn_pool_used();
	for (int round = 0; round < 3 * TDX_NR_GUEST_KEYIDS; round++) {
		ks[0] = zero;
		rwlock_init(&ks[0].mmu_lock);
		SCN_EQ(s, tdx_vm_init(&ks[0], 4), 0);
		SCN_EQ(s, ks[0].tdx.hkid, TDX_GUEST_KEYID_START + 1);
		SCN_EQ(s, tdx_vm_destroy(&ks[0]), 0);
		SCN_EQ(s, ks[0].tdx.hkid, -1);
	}
	/* tf holds one HKID: three more TDs take the rest of the pool */
	for (int i = 0; i < TDX_NR_GUEST_KEYIDS - 1; i++) {
		ks[i] = zero;
		rwlock_init(&ks[i].mmu_lock);
		SCN_EQ(s, tdx_vm_init(&ks[i], 4), 0);
	}
	ks[TDX_NR_GUEST_KEYIDS - 1] = zero;
	rwlock_init(&ks[TDX_NR_GUEST_KEYIDS - 1].mmu_lock);
	SCN_EQ(s, tdx_vm_init(&ks[TDX_NR_GUEST_KEYIDS - 1], 4), -ENOSPC);
	for (int i = 1; i < TDX_NR_GUEST_KEYIDS - 1; i++)
		SCN_EQ(s, tdx_vm_destroy(&ks[i]), 0);
	SCN_EQ(s, tdx_vm_destroy(&ks[0]), 0);
	SCN_EQ(s, scn_pool_used(), before);
	SCN_FINISH(s, &tf);
}

/* Every PAMT reference of TDX memory, summed over the regions. */
static long pamt_refs(void)
{
	struct tdx_memblock b[TDX_MAX_MEMBLOCKS];
	int nr = scn_tdx_memblocks(b);
	long sum = 0;

	for (int i = 0; i < nr; i++)
		for (u64 pfn = b[i].start_pfn; pfn < b[i].end_pfn; pfn += 512)
			sum += atomic_read(tdx_find_pamt_refcount(pfn));
	return sum;
}

/*
 * SPEC 0.4.1 (DPAMT v6 rolled back V5 P20): filling the vCPU's S-EPT page
 * cache takes no PAMT reference; a link takes one right before SEPT.ADD
 * and drops it if SEPT.ADD fails; a reclaimed S-EPT page gives it back.
 */
static void SPEC_0_4_1_sept_pages_referenced_only_while_the_module_has_them(struct scn *s)
{
	long refs;

	SCN_TRUE(s, td_setup(&tf, true));
	refs = pamt_refs();
	SCN_EQ(s, mmu_topup_memory_caches(&tf.vcpu), 0);
	SCN_TRUE(s, tf.vcpu.mmu_external_spt_cache.nobjs > 0);
	SCN_EQ(s, pamt_refs(), refs);
	/* three S-EPT pages linked and a 4K leaf: four references */
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
	       RET_PF_FIXED);
	SCN_EQ(s, pamt_refs(), refs + 4);
	/* a SEPT.ADD the module refuses as busy: no reference stays */
	SCN_EQ(s, tdxsim_inject(SC_MEM_SEPT_ADD, 1,
				TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT), 0);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 1ULL << 18, tf.gpfn + 1,
				   PG_LEVEL_4K), RET_PF_RETRY);
	tdxsim_inject_clear();
	SCN_EQ(s, pamt_refs(), refs + 4);
	/* removal and teardown give every reference back (SCN_FINISH) */
	SCN_EQ(s, kvm_zap_gfn_range(&tf.kvm, 0, 1), 1);
	SCN_EQ(s, pamt_refs(), refs + 3);
	SCN_FINISH(s, &tf);
}

/*
 * SPEC 0.4.5 (V5 P44): a zap that covers part of a private 2M leaf splits
 * it at the head and the tail first and removes only the range's 4K
 * leaves; guest data outside the range stays mapped.  A failed split fails
 * the zap (VM bugged) before anything is removed.
 */
static void SPEC_0_4_5_zap_does_not_overzap(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	u64 pfn;

	/* inside one 2M leaf: head and tail in the same block */
	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M),
	       RET_PF_FIXED);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 513, 515), 2);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_2M), 0);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 510);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_DEMOTE), 1);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_REMOVE), 2);
	/* AUG'd, not yet accepted by the guest: PENDING, as the 2M was */
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 512ULL << 12, PG_LEVEL_4K, &pfn),
	       SEPT_PENDING);
	SCN_EQ(s, pfn, tf.gpfn);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 513ULL << 12, PG_LEVEL_4K, NULL),
	       SEPT_FREE);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 515ULL << 12, PG_LEVEL_4K, &pfn),
	       SEPT_PENDING);
	SCN_EQ(s, pfn, tf.gpfn + 3);
	SCN_SEPT_OK(s, &tf);
	SCN_FINISH(s, &tf);

	/* a range whose tail ends inside the leaf */
	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M),
	       RET_PF_FIXED);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn + 600, PG_LEVEL_4K),
	       RET_PF_FIXED);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 0, 600), 1 + 88);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 512 - 88);
	SCN_SEPT_OK(s, &tf);
	SCN_FINISH(s, &tf);

	/* the whole leaf: no split, one 2M removal */
	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M),
	       RET_PF_FIXED);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 0, 2048), 1);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_DEMOTE), 0);
	SCN_FINISH(s, &tf);

	/* the split fails: the zap fails before removing anything */
	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M),
	       RET_PF_FIXED);
	SCN_EQ(s, tdxsim_inject(SC_MEM_PAGE_DEMOTE, 1, TDX_OPERAND_INVALID), 0);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 513, 514), -EIO);
	tdxsim_inject_clear();
	SCN_TRUE(s, kvm->vm_bugged);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_REMOVE), 0);
	/* the 2M leaf is still the module's, blocked (no UNBLOCK, B9.3) */
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 512ULL << 12, PG_LEVEL_2M, NULL),
	       SEPT_PENDING_BLOCKED);
	SCN_FINISH(s, &tf);
}

/*
 * guest_memfd conversion joined to the mirror (GMEM §4b.3f): to shared,
 * exactly the range leaves the mirror and the S-EPT (a 2M leaf the range
 * covers in part is split at its head and tail, SPEC 0.4.5), inside an
 * invalidation window; a zap that fails leaves the attributes as they were.
 */
static long g_convert(struct kvm_gmem *g, u64 first, u64 npages, u64 attrs)
{
	static struct kvm_memory_attributes2 a;

	gmem_user_unregister_all();
	gmem_user_register(&a, sizeof(a), true);
	a = (struct kvm_memory_attributes2){ .offset = first << PAGE_SHIFT,
					     .size = npages << PAGE_SHIFT,
					     .attributes = attrs };
	return kvm_gmem_ioctl(g, KVM_SET_MEMORY_ATTRIBUTES2, gmem_user_addr(&a));
}

static struct kvm_gmem *race_gmem;

/* The race's file released, then the TD's end-of-scenario checks. */
#define G_FINISH(s)							\
do {									\
	kvm_gmem_release(race_gmem);					\
	race_gmem = NULL;						\
	SCN_FINISH(s, &tf);						\
} while (0)

static struct kvm_gmem *g_bound(struct kvm *kvm, u64 npages)
{
	struct kvm_create_guest_memfd c = { .size = npages << PAGE_SHIFT };
	struct kvm_gmem *g;

	/* what a failed scenario left (its file would fix the mode) */
	if (race_gmem)
		kvm_gmem_release(race_gmem);
	race_gmem = NULL;

	kvm->has_private_mem = true;
	if (kvm_gmem_create(kvm, &c, &g))
		return NULL;
	if (kvm_gmem_bind(g, 0, 0, npages)) {
		kvm_gmem_release(g);
		return NULL;
	}
	race_gmem = g;		/* released by the next g_bound if left */
	return g;
}

static void GMEM_05_06_to_shared_zaps_exactly_its_range(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	struct kvm_gmem *g;
	u64 pfn, seq;

	gmem_user_unregister_all();
	SCN_TRUE(s, td_setup(&tf, true));
	g = g_bound(kvm, 1024);
	SCN_TRUE(s, g != NULL);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M),
	       RET_PF_FIXED);
	seq = kvm->mmu_invalidate_seq;
	SCN_EQ(s, g_convert(g, 513, 2, 0), 0);
	SCN_EQ(s, kvm->mmu_invalidate_seq, seq + 1);
	SCN_EQ(s, kvm->mmu_invalidate_in_progress, 0);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_2M), 0);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 510);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_DEMOTE), 1);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_REMOVE), 2);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 512ULL << 12, PG_LEVEL_4K, &pfn),
	       SEPT_PENDING);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 513ULL << 12, PG_LEVEL_4K, NULL),
	       SEPT_FREE);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 515ULL << 12, PG_LEVEL_4K, &pfn),
	       SEPT_PENDING);
	SCN_EQ(s, kvm_gmem_get_attributes(g, 512), KVM_MEMORY_ATTRIBUTE_PRIVATE);
	SCN_EQ(s, kvm_gmem_get_attributes(g, 513), 0);
	SCN_EQ(s, kvm_gmem_get_attributes(g, 515), KVM_MEMORY_ATTRIBUTE_PRIVATE);
	/* back to private: nothing of the mirror is touched */
	SCN_EQ(s, g_convert(g, 513, 2, KVM_MEMORY_ATTRIBUTE_PRIVATE), 0);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 510);
	SCN_EQ(s, kvm->mmu_invalidate_seq, seq + 2);
	SCN_SEPT_OK(s, &tf);
	kvm_gmem_release(g);
	race_gmem = NULL;
	SCN_FINISH(s, &tf);

	/* the split fails: the conversion fails, the attributes stay */
	SCN_TRUE(s, td_setup(&tf, true));
	g = g_bound(kvm, 1024);
	SCN_TRUE(s, g != NULL);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M),
	       RET_PF_FIXED);
	SCN_EQ(s, tdxsim_inject(SC_MEM_PAGE_DEMOTE, 1, TDX_OPERAND_INVALID), 0);
	SCN_EQ(s, g_convert(g, 513, 1, 0), -EIO);
	tdxsim_inject_clear();
	SCN_EQ(s, kvm_gmem_get_attributes(g, 513), KVM_MEMORY_ATTRIBUTE_PRIVATE);
	SCN_EQ(s, kvm->mmu_invalidate_in_progress, 0);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_REMOVE), 0);
	kvm_gmem_release(g);
	race_gmem = NULL;
	SCN_FINISH(s, &tf);
	gmem_user_unregister_all();
}

/*
 * A conversion to shared that runs between a private fault's lookup (the
 * sequence number and the attribute read, still private) and its map
 * under mmu_lock: the fault must retry, and then see the page shared; a
 * conversion that runs while the fault waits... the same.  Never a private
 * mapping of a shared page (GMEM §4b.3f, upstream is_page_fault_stale).
 */
static long race_ret;

static void race_convert_513(void)
{
	race_ret = g_convert(race_gmem, 513, 1, 0);
}

static void GMEM_18_conversion_between_fault_lookup_and_map(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	const char *why = NULL;

	SCN_TRUE(s, td_setup(&tf, true));
	race_gmem = g_bound(kvm, 1024);
	SCN_TRUE(s, race_gmem != NULL);
	SCN_EQ(s, kvm_gmem_fault(&tf.vcpu, race_gmem, 1024, tf.gpfn, PG_LEVEL_4K),
	       -EINVAL);				/* outside the binding */
	SCN_EQ(s, kvm_gmem_fault(&tf.vcpu, race_gmem, 512, tf.gpfn, PG_LEVEL_2M),
	       RET_PF_FIXED);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 512, 1024), 1);
	if (scn_before_lock(&kvm->mmu_lock, race_convert_513)) {
		race_ret = -1;
		SCN_EQ(s, kvm_gmem_fault(&tf.vcpu, race_gmem, 513, tf.gpfn + 1,
					 PG_LEVEL_4K), RET_PF_RETRY);
		SCN_EQ(s, race_ret, 0);
		SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 0);
		/* the retry sees the page shared: no private mapping */
		SCN_EQ(s, kvm_gmem_fault(&tf.vcpu, race_gmem, 513, tf.gpfn + 1,
					 PG_LEVEL_4K), -EFAULT);
		SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 0);
		/* a 2M fault over a range with a shared page: refused */
		SCN_EQ(s, kvm_gmem_fault(&tf.vcpu, race_gmem, 512, tf.gpfn,
					 PG_LEVEL_2M), -EFAULT);
	}
	SCN_EQ(s, kvm_gmem_fault(&tf.vcpu, race_gmem, 514, tf.gpfn + 2, PG_LEVEL_4K),
	       RET_PF_FIXED);
	SCN_TRUE(s, gmem_18_no_private_leaf_of_shared(kvm, race_gmem, &why));
	SCN_SEPT_OK(s, &tf);
	G_FINISH(s);
	gmem_user_unregister_all();
}

/*
 * The conversion of gfn 513 to shared at every point of a private fault
 * where the fault holds no lock, the fault a 4K one on 513 or a 2M one on
 * [512, 1024): whatever the point, the fault ends mapped only if its pages
 * are still private (a later conversion zaps it), refused if one is
 * shared, never a private mapping of a shared page (GMEM-18; the 2M fault
 * needs the conversion's hugepage invalidation, upstream
 * kvm_arch_pre_set_memory_attributes).
 */
static unsigned long race_seq;
static int race_map_ret;

/* The map of a 2M fault on [512, 1024) whose lookup read race_seq. */
static void race_map_512_2m(void)
{
	race_map_ret = kvm_tdp_map_page_seq(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M,
					    race_seq);
}

static void GMEM_18_conversion_at_every_point_of_a_fault(struct scn *s)
{
	static const struct { gfn_t gfn; int level; } faults[] = {
		{ 513, PG_LEVEL_4K }, { 512, PG_LEVEL_2M },
	};
	struct kvm *kvm = &tf.kvm;
	unsigned int nth, fired = 0;
	const char *why = NULL;
	int r, tries;

	for (unsigned int f = 0; f < ARRAY_LEN(faults); f++) {
		gfn_t gfn = faults[f].gfn;
		int level = faults[f].level;

		fired = 0;
		for (nth = 1; nth < 1000; nth++) {
			SCN_TRUE(s, td_setup(&tf, true));
			race_gmem = g_bound(kvm, 1024);
			SCN_TRUE(s, race_gmem != NULL);
			if (!scn_at_quiet_point(nth, race_convert_513)) {
				G_FINISH(s);
				return;		/* no scheduling hook: KUnit */
			}
			race_ret = -1;
			r = kvm_gmem_fault(&tf.vcpu, race_gmem, gfn,
					   tf.gpfn + (gfn - 512), level);
			for (tries = 0; r == RET_PF_RETRY && tries < 4; tries++)
				r = kvm_gmem_fault(&tf.vcpu, race_gmem, gfn,
						   tf.gpfn + (gfn - 512), level);
			if (scn_point_fired()) {
				fired++;
				SCN_EQ(s, race_ret, 0);
				SCN_TRUE(s, r == RET_PF_FIXED || r == -EFAULT);
			} else {
				SCN_EQ(s, r, RET_PF_FIXED);
			}
			scn_at_quiet_point(0, NULL);
			SCN_TRUE(s, gmem_18_no_private_leaf_of_shared(kvm, race_gmem, &why));
			/* shared => not in the mirror, not in the S-EPT */
			if (!(kvm_gmem_get_attributes(race_gmem, 513) &
			      KVM_MEMORY_ATTRIBUTE_PRIVATE))
				SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 513ULL << 12,
							    PG_LEVEL_4K, NULL), SEPT_FREE);
			SCN_SEPT_OK(s, &tf);
			G_FINISH(s);
			if (!fired || fired < nth)
				break;		/* past the fault's last point */
		}
		SCN_TRUE(s, fired >= 3);
		scn_info(s, "conversion at each of %u points of a %s fault", fired,
			 level == PG_LEVEL_2M ? "2M" : "4K");
	}

	/*
	 * The other way round: a 2M fault whose lookup (sequence number, all
	 * 512 pages private) ran before the conversion of 513, its map at
	 * every point of the conversion where that holds at most its
	 * invalidate_lock.  513 is not the fault's gfn: only the hugepage
	 * range the conversion adds to the invalidation makes the map retry.
	 */
	fired = 0;
	for (nth = 1; nth < 1000; nth++) {
		bool hit;

		SCN_TRUE(s, td_setup(&tf, true));
		race_gmem = g_bound(kvm, 1024);
		SCN_TRUE(s, race_gmem != NULL);
		race_seq = READ_ONCE(kvm->mmu_invalidate_seq);
		if (!scn_at_point(nth, 1, race_map_512_2m)) {
			G_FINISH(s);
			return;
		}
		race_map_ret = -1;
		SCN_EQ(s, g_convert(race_gmem, 513, 1, 0), 0);
		hit = scn_point_fired();
		scn_at_quiet_point(0, NULL);
		fired += hit;
		if (!hit)		/* after the conversion: stale */
			race_map_512_2m();
		SCN_TRUE(s, race_map_ret == RET_PF_FIXED || race_map_ret == RET_PF_RETRY);
		SCN_TRUE(s, hit || race_map_ret == RET_PF_RETRY);
		SCN_TRUE(s, gmem_18_no_private_leaf_of_shared(kvm, race_gmem, &why));
		SCN_SEPT_OK(s, &tf);
		G_FINISH(s);
		if (!hit)
			break;		/* past the conversion's last point */
	}
	SCN_TRUE(s, fired >= 2);
	scn_info(s, "a 2M map at each of %u points of a conversion", fired);
	gmem_user_unregister_all();
}

/*
 * A split of the 2M leaf at 512 at every point of a conversion of
 * [513, 515) to shared where the conversion holds at most its
 * invalidate_lock, and the conversion at every lock-free point of that
 * split: either order leaves exactly 510 4K leaves, the two converted
 * pages in neither the mirror nor the S-EPT (no overzap, no leak).
 */
static long race_split_ret;

static void race_split_512(void)
{
	race_split_ret = kvm_split_huge_page(&tf.kvm, 512);
}

static void race_convert_513_514(void)
{
	race_ret = g_convert(race_gmem, 513, 2, 0);
}

static void GMEM_05_06_conversion_and_split_in_every_order(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	unsigned int fired[2] = { 0, 0 };

	for (int dir = 0; dir < 2; dir++) {
		for (unsigned int nth = 1; nth < 1000; nth++) {
			bool hit;
			long r;

			SCN_TRUE(s, td_setup(&tf, true));
			race_gmem = g_bound(kvm, 1024);
			SCN_TRUE(s, race_gmem != NULL);
			SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M),
			       RET_PF_FIXED);
			race_ret = race_split_ret = -1;
			if (dir == 0) {
				if (!scn_at_point(nth, 1, race_split_512))
					goto skip;
				r = g_convert(race_gmem, 513, 2, 0);
				race_ret = r;
			} else {
				if (!scn_at_quiet_point(nth, race_convert_513_514))
					goto skip;
				r = kvm_split_huge_page(kvm, 512);
				race_split_ret = r;
			}
			hit = scn_point_fired();
			scn_at_quiet_point(0, NULL);
			fired[dir] += hit;
			if (dir == 1 && !hit)	/* past the split: one after the other */
				race_ret = g_convert(race_gmem, 513, 2, 0);
			SCN_EQ(s, race_ret, 0);
			/* the split finds the 2M leaf, or the zap split it already */
			SCN_TRUE(s, !hit || race_split_ret == 0 || race_split_ret == -EINVAL);
			SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_2M), 0);
			SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 510);
			SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 513ULL << 12,
						    PG_LEVEL_4K, NULL), SEPT_FREE);
			SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 514ULL << 12,
						    PG_LEVEL_4K, NULL), SEPT_FREE);
			SCN_SEPT_OK(s, &tf);
			G_FINISH(s);
			if (!hit)
				break;		/* past the last point */
			continue;
skip:			/* no scheduling hook: KUnit */
			G_FINISH(s);
			return;
		}
	}
	gmem_user_unregister_all();
	SCN_TRUE(s, fired[0] >= 2 && fired[1] >= 1);
	scn_info(s, "a split at %u points of a conversion, a conversion at %u of a split",
		 fired[0], fired[1]);
}

/*
 * Root levels 3 and 5 (SPEC 0.1): a round trip at the lowest and the
 * highest gfn of the root's range, so that every level links a child at
 * index 0 and at index 511.
 */
static void root_levels_3_and_5_round_trip(struct scn *s)
{
	for (int root = 3; root <= 5; root += 2) {
		gfn_t last;

		SCN_TRUE(s, td_setup_root(&tf, true, root));
		last = kvm_tdp_mmu_max_gfn(&tf.kvm) - 1;
		SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
		       RET_PF_FIXED);
		SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, last, tf.gpfn + 1,
					   PG_LEVEL_4K), RET_PF_FIXED);
		SCN_SEPT_OK(s, &tf);
		SCN_EQ(s, kvm_zap_gfn_range(&tf.kvm, last, last + 1), 1);
		SCN_EQ(s, kvm_zap_gfn_range(&tf.kvm, 0, 1), 1);
		SCN_SEPT_OK(s, &tf);
		SCN_FINISH(s, &tf);
	}
}

/* ---------------- races as ordered steps ---------------- */

static struct kvm_page_fault r2_fault;
static int r2_inner_ret = -1;

/* Runs inside the first fault's SEPT.ADD, i.e. while it holds the freeze. */
static void r2_second_fault(enum tdx_seamcall sc)
{
	if (sc != SC_MEM_SEPT_ADD || r2_inner_ret != -1)
		return;
	r2_inner_ret = kvm_tdp_mmu_map(&tf.vcpu, &r2_fault);
}

/*
 * R2: a second fault on the same gfn meets the first one's frozen SPTE:
 * RET_PF_RETRY, no second SEPT.ADD, nothing allocated for good.
 */
static void R2_fault_meets_frozen_link(struct scn *s)
{
	SCN_TRUE(s, td_setup(&tf, true));
	r2_fault = (struct kvm_page_fault){ .gfn = 5, .pfn = tf.gpfn + 5,
					    .goal_level = PG_LEVEL_4K };
	r2_inner_ret = -1;
	tdxsim_set_call_hook(r2_second_fault);
	SCN_EQ(s, mmu_topup_memory_caches(&tf.vcpu), 0);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 5, tf.gpfn + 5, PG_LEVEL_4K),
	       RET_PF_FIXED);
	tdxsim_set_call_hook(NULL);
	SCN_EQ(s, r2_inner_ret, RET_PF_RETRY);
	SCN_EQ(s, tdxsim_calls(SC_MEM_SEPT_ADD), 3);
	SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_AUG), 1);
	SCN_EQ(s, tdxsim_rejections(), 0);
	SCN_SEPT_OK(s, &tf);
	SCN_FINISH(s, &tf);
}

/* ---------------- bad input ---------------- */

/*
 * docs/BAD-INPUTS.md: a map with a misaligned gfn or pfn, a level that is
 * not 4K or 2M, or a gfn at or beyond the root's range; a zap of an empty
 * range, beyond the root or of nothing mapped; a split beyond the root, of
 * nothing or of a 4K leaf: each a defined error, with no SEAMCALL and no
 * leaf changed.  A 2M map where a 4K table exists maps 4K instead (P31: no
 * promotion over a mirror table): spurious over the 4K leaf, else a new
 * 4K leaf.
 */
static void bad_input_gets_defined_errors(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	gfn_t max;
	unsigned long calls;
	u64 pfn;

	SCN_TRUE(s, td_setup(&tf, true));
	max = kvm_tdp_mmu_max_gfn(kvm);
	calls = seamcalls();
	/* misaligned gfn or pfn for 2M; level 0, 3 (1G), 6 */
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 1, tf.gpfn, PG_LEVEL_2M), -EINVAL);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn + 1, PG_LEVEL_2M),
	       -EINVAL);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, 0), -EINVAL);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_1G), -EINVAL);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, 6), -EINVAL);
	/* gfn beyond what the root maps */
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, max, tf.gpfn, PG_LEVEL_4K),
	       -EINVAL);
	/* zap: empty range, beyond the root, nothing mapped */
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 5, 5), -EINVAL);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 0, max + 1), -EINVAL);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, max, max + 1), -EINVAL);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 0, 512), -ENOENT);
	/* split beyond the root, and of nothing */
	SCN_EQ(s, kvm_split_huge_page(kvm, max), -EINVAL);
	SCN_EQ(s, kvm_split_huge_page(kvm, 0), -EINVAL);
	SCN_EQ(s, seamcalls(), calls);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 0);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_2M), 0);
	/* split of a 4K leaf */
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
	       RET_PF_FIXED);
	calls = seamcalls();
	SCN_EQ(s, kvm_split_huge_page(kvm, 0), -EINVAL);
	/* A 2M map over a 4K table maps 4K instead (P31: no promotion). */
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_2M),
	       RET_PF_SPURIOUS);
	SCN_EQ(s, seamcalls(), calls);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 1);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_2M), 0);
	/* the table without its leaf: a 4K leaf, not a 2M one */
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 0, 1), 1);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_2M),
	       RET_PF_FIXED);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 1);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_2M), 0);
	SCN_EQ(s, tdxsim_sept_entry(kvm->tdx.td, 0, PG_LEVEL_4K, &pfn),
	       SEPT_PENDING);
	SCN_EQ(s, pfn, tf.gpfn);
	SCN_EQ(s, tdxsim_rejections(), 0);
	SCN_FALSE(s, kvm->vm_bugged);
	SCN_SEPT_OK(s, &tf);
	SCN_FINISH(s, &tf);
}

/*
 * A pfn outside the memory map (asserted first, in both backends): a 4K
 * and a 2M map are -EINVAL, with no SEAMCALL and no leaf.
 */
static void bad_pfn_is_refused(struct scn *s)
{
	/* a pfn no backend has: 2^51 bytes up (user: far outside the pool) */
	const kvm_pfn_t bad = 1ULL << 39;
	unsigned long calls;

	SCN_TRUE(s, td_setup(&tf, true));
	SCN_FALSE(s, tdxmm_pfn_valid(bad));
	calls = seamcalls();
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, bad, PG_LEVEL_4K), -EINVAL);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, bad & ~511ULL, PG_LEVEL_2M),
	       -EINVAL);
	SCN_EQ(s, seamcalls(), calls);
	SCN_EQ(s, leaf_pages(&tf.kvm, PG_LEVEL_4K), 0);
	SCN_EQ(s, leaf_pages(&tf.kvm, PG_LEVEL_2M), 0);
	SCN_FINISH(s, &tf);
}

/*
 * INV-17, B9.1: the link hook checks the table it is handed.  A child of
 * another gfn, of another level, or without its external S-EPT page, and
 * a link to a non-present SPTE, each bug the VM (-EIO) with no SEAMCALL.
 * The hook runs with the vCPU set as a fault sets it (vcpu_load), so that
 * it gets past KVM_BUG_ON(!vcpu) to the checks of the child table.
 */
static void INV_17_link_checks_bug_the_vm(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	struct kvm_mmu_page *sp;
	unsigned long calls;
	void *ext;
	u64 spte;
	int ret;

	for (int c = 0; c < 4; c++) {
		SCN_TRUE(s, td_setup(&tf, true));
		/* a fault links tables down to 4K at gfn 0 */
		SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
		       RET_PF_FIXED);
		spte = kvm->arch.mirror_root->spt[0];
		sp = spte_to_child_sp(spte);
		SCN_TRUE(s, sp != NULL);
		ext = sp->external_spt;
		SCN_TRUE(s, ext != NULL);
		calls = seamcalls();
		write_lock(&kvm->mmu_lock);
		tdxmm_set_running_vcpu(&tf.vcpu);
		if (c == 0) {		/* another gfn */
			ret = tdx_sept_set_private_spte(kvm, 1ULL << 27,
				SHADOW_NONPRESENT_VALUE, spte, 4);
		} else if (c == 1) {	/* another level */
			ret = tdx_sept_set_private_spte(kvm, 0,
				SHADOW_NONPRESENT_VALUE, spte, 3);
		} else if (c == 2) {	/* no S-EPT page */
			sp->external_spt = NULL;
			ret = tdx_sept_set_private_spte(kvm, 0,
				SHADOW_NONPRESENT_VALUE, spte, 4);
			sp->external_spt = ext;	/* teardown reclaims it */
		} else {		/* non-present -> non-present */
			ret = tdx_sept_set_private_spte(kvm, 0,
				SHADOW_NONPRESENT_VALUE, FROZEN_SPTE, 4);
		}
		tdxmm_set_running_vcpu(NULL);
		write_unlock(&kvm->mmu_lock);
		SCN_EQ(s, ret, -EIO);
		SCN_TRUE(s, kvm->vm_bugged);
		SCN_EQ(s, seamcalls(), calls);
		/* A dead VM refuses everything. */
		SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 7, tf.gpfn, PG_LEVEL_4K), -EIO);
		SCN_EQ(s, kvm_zap_gfn_range(kvm, 0, 1), -EIO);
		SCN_EQ(s, kvm_split_huge_page(kvm, 0), -EIO);
		SCN_EQ(s, seamcalls(), calls);
		SCN_SEPT_OK(s, &tf);
		SCN_FINISH(s, &tf);
	}
}

/* Allocation failure at each site of a fault: -ENOMEM, nothing changed. */
static void fault_allocation_failure(struct scn *s)
{
	for (unsigned int nth = 1; nth <= 3 * PT64_ROOT_MAX_LEVEL; nth++) {
		SCN_TRUE(s, td_setup(&tf, true));
		scn_alloc_fail_nth(nth);
		SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
		       scn_alloc_fail_supported() ? -ENOMEM : RET_PF_FIXED);
		scn_alloc_fail_nth(0);
		SCN_SEPT_OK(s, &tf);
		SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
		       scn_alloc_fail_supported() ? RET_PF_FIXED : RET_PF_SPURIOUS);
		SCN_FINISH(s, &tf);
	}
}

/*
 * docs/BAD-INPUTS.md: after a KVM_BUG_ON every MMU operation fails with
 * -EIO, issues no SEAMCALL and changes nothing; teardown still runs, frees
 * what the module cannot hold and leaks what it may hold (warned and
 * counted); allocation failure at each allocation site of a split and of
 * TD creation is -ENOMEM with nothing lost.
 */
static void bad_input_after_bug_and_allocation_failures(struct scn *s)
{
	struct kvm *kvm = &tf.kvm;
	unsigned long calls, td_pages;
	long pool, warns;
	s64 leaked;

	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M), RET_PF_FIXED);
	SCN_EQ(s, tdxsim_inject(SC_MEM_PAGE_AUG, 1, TDX_OPERAND_INVALID), 0);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn + 512, PG_LEVEL_4K), -EIO);
	tdxsim_inject_clear();
	SCN_TRUE(s, kvm->vm_bugged);
	/* the mirror (its pages), the leaves and the module's pages stay */
	calls = seamcalls();
	pool = scn_pool_used();
	td_pages = tdxsim_td_pages(kvm->tdx.td);
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 1, tf.gpfn + 513, PG_LEVEL_4K), -EIO);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 512, 1024), -EIO);
	SCN_EQ(s, kvm_split_huge_page(kvm, 512), -EIO);
	SCN_EQ(s, seamcalls(), calls);
	SCN_EQ(s, scn_pool_used(), pool);
	SCN_EQ(s, tdxsim_td_pages(kvm->tdx.td), td_pages);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_4K), 0);
	SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_2M), 1);
	SCN_SEPT_OK(s, &tf);
	/* teardown: the module holds nothing it may keep, nothing leaks */
	SCN_EQ(s, tdx_vm_destroy(kvm), -EIO);
	tf.destroyed = true;
	SCN_EQ(s, stat(&kvm->stat.leaked_pages), 0);
	SCN_EQ(s, tdx_vm_destroy(kvm), -EINVAL);
	SCN_FINISH(s, &tf);

	/*
	 * Bugged by a REMOVE that stays BUSY (its page leaked): teardown
	 * leaks what the module may still hold, with a WARN, and counts it
	 * (tests/bmc/teardown-of-a-bugged-vm-leaks-with-a-warning.trace).
	 */
	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
	       RET_PF_FIXED);
	SCN_EQ(s, tdxsim_inject(SC_MEM_PAGE_REMOVE, 0,
				TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT), 0);
	SCN_EQ(s, kvm_zap_gfn_range(kvm, 0, 1), -EIO);
	tdxsim_inject_clear();
	SCN_TRUE(s, kvm->vm_bugged);
	leaked = stat(&kvm->stat.leaked_pages);
	warns = scn_warns();
	SCN_EQ(s, tdx_vm_destroy(kvm), -EIO);
	tf.destroyed = true;
	SCN_TRUE(s, stat(&kvm->stat.leaked_pages) > leaked);
	if (warns >= 0)		/* the kernel keeps no WARN count */
		SCN_TRUE(s, scn_warns() > warns);
	SCN_EQ(s, tdx_vm_destroy(kvm), -EINVAL);
	SCN_FINISH(s, &tf);

	if (!scn_alloc_fail_supported())
		return;
	/* a split: the four caches it fills before taking the lock */
	for (unsigned int nth = 1; nth <= 4; nth++) {
		SCN_TRUE(s, td_setup(&tf, true));
		SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, tf.gpfn, PG_LEVEL_2M),
		       RET_PF_FIXED);
		scn_alloc_fail_nth(nth);
		SCN_EQ(s, kvm_split_huge_page(kvm, 512), -ENOMEM);
		scn_alloc_fail_nth(0);
		SCN_EQ(s, leaf_pages(kvm, PG_LEVEL_2M), 1);
		SCN_SEPT_OK(s, &tf);
		SCN_EQ(s, kvm_split_huge_page(kvm, 512), 0);
		SCN_FINISH(s, &tf);
	}
	/* TD creation: the TDR, the S-EPT root, the mirror root's pages */
	for (unsigned int nth = 1; nth <= 4; nth++) {
		struct kvm k = { 0 };
		long before;

		SCN_TRUE(s, td_setup(&tf, true));
		before = scn_pool_used();
		rwlock_init(&k.mmu_lock);
		scn_alloc_fail_nth(nth);
		SCN_EQ(s, tdx_vm_init(&k, 4), -ENOMEM);
		scn_alloc_fail_nth(0);
		SCN_EQ(s, scn_pool_used(), before);
		SCN_FINISH(s, &tf);
	}
}

/* ---------------- every SEAMCALL failing at every call site ---------------- */

enum site {
	SITE_FAULT_LINK,	/* tdx_sept_link_private_spt */
	SITE_FAULT_AUG,		/* tdx_sept_map_leaf_spte, runnable */
	SITE_INIT_ADD,		/* tdx_sept_map_leaf_spte, PAGE.ADD */
	SITE_ZAP,		/* tdx_sept_remove_private_spte */
	SITE_SPLIT,		/* tdx_sept_split_private_spte */
	SITE_TEARDOWN,		/* zap + reclaim in tdx_vm_destroy */
	SITE_NR,
};

static const struct {
	enum site site;
	enum tdx_seamcall sc;
	unsigned int nth;	/* which call of the operation fails */
	bool retried;		/* inside tdh_do_no_vcpus (B9.5) */
} sites[] = {
	{ SITE_FAULT_LINK, SC_MEM_SEPT_ADD, 2, false },
	{ SITE_FAULT_AUG, SC_MEM_PAGE_AUG, 1, false },
	{ SITE_INIT_ADD, SC_MEM_PAGE_ADD, 1, false },
	{ SITE_ZAP, SC_MEM_RANGE_BLOCK, 1, true },
	{ SITE_ZAP, SC_MEM_TRACK, 1, true },
	{ SITE_ZAP, SC_MEM_PAGE_REMOVE, 1, true },
	{ SITE_ZAP, SC_PHYMEM_PAGE_WBINVD, 1, false },
	{ SITE_SPLIT, SC_MEM_RANGE_BLOCK, 1, true },
	{ SITE_SPLIT, SC_MEM_TRACK, 1, true },
	{ SITE_SPLIT, SC_MEM_PAGE_DEMOTE, 1, true },
	{ SITE_TEARDOWN, SC_MEM_RANGE_BLOCK, 1, true },
	{ SITE_TEARDOWN, SC_MEM_PAGE_REMOVE, 1, true },
	{ SITE_TEARDOWN, SC_PHYMEM_PAGE_RECLAIM, 1, false },	/* deepest S-EPT */
	{ SITE_TEARDOWN, SC_PHYMEM_PAGE_RECLAIM, 3, false },	/* top S-EPT */
	{ SITE_TEARDOWN, SC_PHYMEM_PAGE_RECLAIM, 4, false },	/* S-EPT root */
	{ SITE_TEARDOWN, SC_PHYMEM_PAGE_RECLAIM, 5, false },	/* TDR */
	{ SITE_TEARDOWN, SC_PHYMEM_PAGE_WBINVD, 2, false },	/* TDR's flush */
	/* HKID release (SPEC 0.4.7): the HKID and every TD page leak */
	{ SITE_TEARDOWN, SC_MNG_VPFLUSHDONE, 1, false },
	{ SITE_TEARDOWN, SC_PHYMEM_CACHE_WB, 1, false },
	{ SITE_TEARDOWN, SC_MNG_KEY_FREEID, 1, false },
};

/* The SEAMCALLs of the HKID release (SPEC 0.4.7). */
static bool hkid_release(enum tdx_seamcall sc)
{
	return sc == SC_MNG_VPFLUSHDONE || sc == SC_PHYMEM_CACHE_WB ||
	       sc == SC_MNG_KEY_FREEID;
}

/* Bring the TD to the point where the operation of @site can run. */
static bool site_prepare(enum site site)
{
	if (!td_setup(&tf, site != SITE_INIT_ADD))
		return false;
	switch (site) {
	case SITE_FAULT_AUG:	/* tables present: only AUG is left */
		return t_map(&tf.vcpu, 1, tf.gpfn + 1, PG_LEVEL_4K) == RET_PF_FIXED;
	case SITE_ZAP:
	case SITE_TEARDOWN:
		return t_map(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K) == RET_PF_FIXED;
	case SITE_SPLIT:
		return t_map(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_2M) == RET_PF_FIXED;
	default:
		return true;
	}
}

/* The operation; its result in upstream's terms. */
static int site_run(enum site site)
{
	switch (site) {
	case SITE_FAULT_LINK:
	case SITE_FAULT_AUG:
		return t_map(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K);
	case SITE_INIT_ADD:
		return t_init_mem(&tf.vcpu, 0, tf.gpfn, tf.gpfn + 9);
	case SITE_ZAP:
		return t_zap(&tf.kvm, 0, 1);
	case SITE_SPLIT:
		return t_split(&tf.kvm, 0);
	default:
		return t_destroy(&tf);
	}
}

static int site_success(enum site site)
{
	switch (site) {
	case SITE_FAULT_LINK:
	case SITE_FAULT_AUG:
		return RET_PF_FIXED;
	case SITE_ZAP:
		return 1;
	default:
		return 0;
	}
}

/*
 * Each (SEAMCALL, status, call site): an install that meets BUSY is retried
 * by the vCPU (RET_PF_RETRY, nothing changed); a removal meeting BUSY once
 * kicks the vCPUs and succeeds, BUSY twice bugs the VM; anything else bugs
 * the VM (-EIO), and a failed removal leaks its page.  A failed HKID
 * release keeps the HKID and leaks the TD's pages; a failed reclaim leaks
 * its page with a WARN.  Teardown goes on past failures, leaking what the
 * module may still own.  Invariants hold after each, and every page is
 * accounted.
 */
static void INV_12_every_seamcall_failure_at_every_site(struct scn *s)
{
	/* the runs are one trace too: tdxmm-conform judges each failure path */
	scn_trace_start(s, "seamcall-failures");
	tdxmm_sept_triples = 0;
	for (int i = 0; i < ARRAY_LEN(sites); i++) {
		int nr;
		const u64 *st = tdxsim_statuses(sites[i].sc, &nr);

		for (int k = 0; k < nr; k++) {
			bool busy = (st[k] & TDX_STATUS_MASK) == TDX_OPERAND_BUSY;
			/* a retried BUSY: once (recovers), and always (bugs) */
			for (int always = 0; always <= (busy && sites[i].retried);
			     always++) {
				enum site site = sites[i].site;
				bool install = site == SITE_FAULT_LINK ||
					       site == SITE_FAULT_AUG ||
					       site == SITE_INIT_ADD;
				bool recovers = busy && (sites[i].retried ? !always :
							 install);
				/* a zap's steps, teardown's BLOCK and REMOVE */
				bool removal = site == SITE_ZAP ||
					       (site == SITE_TEARDOWN &&
						sites[i].retried);
				bool release = hkid_release(sites[i].sc);
				long warns;
				int ret;

				SCN_TRUE(s, site_prepare(site));
				SCN_EQ(s, tdxsim_inject(sites[i].sc,
					      always ? 0 : sites[i].nth, st[k]), 0);
				warns = scn_warns();
				ret = site_run(site);
				tdxsim_inject_clear();
				tdxmm_sept_triples++;

				if (st[k] == TDX_INTERRUPTED_RESUMABLE) {
					/* CACHE.WB: resumed until done */
					SCN_EQ(s, ret, site_success(site));
					SCN_FALSE(s, tf.kvm.vm_bugged);
				} else if (recovers && sites[i].retried) {
					SCN_EQ(s, ret, site_success(site));
					SCN_EQ(s, stat(&tf.kvm.stat.vcpu_kicks) > 0, 1);
				} else if (recovers) {
					/* an install: the vCPU faults again */
					SCN_EQ(s, ret, site == SITE_INIT_ADD ?
						       -EAGAIN : RET_PF_RETRY);
					SCN_SEPT_OK(s, &tf);
					SCN_EQ(s, site_run(site), site_success(site));
				} else if (site == SITE_TEARDOWN &&
					   sites[i].sc == SC_PHYMEM_PAGE_RECLAIM) {
					/* reclaim: a leak, warned, no VM to bug */
					SCN_EQ(s, ret, 0);
					SCN_FALSE(s, tf.kvm.vm_bugged);
					SCN_TRUE(s, stat(&tf.kvm.stat.leaked_pages) > 0);
					if (warns >= 0)	/* the kernel: no count */
						SCN_TRUE(s, scn_warns() > warns);
				} else {
					SCN_EQ(s, ret, -EIO);
					SCN_TRUE(s, tf.kvm.vm_bugged);
					/*
					 * A removal leaks its page; a failed
					 * HKID release keeps the HKID and
					 * leaks the TD's pages.
					 */
					if (removal || release)
						SCN_TRUE(s, stat(&tf.kvm.stat.leaked_pages) > 0);
					if (release)
						SCN_TRUE(s, is_hkid_assigned(&tf.kvm));
				}
				SCN_FALSE(s, tf.kvm.tdx.wait_for_sept_zap);
				SCN_SEPT_OK(s, &tf);
				SCN_FINISH(s, &tf);
			}
		}
	}
	/* docs/BAD-INPUTS.md states this number of runs */
	SCN_EQ(s, tdxmm_sept_triples, 113);
}

/*
 * Dynamic PAMT on the S-EPT paths: every status PAMT.ADD can return when a
 * fault maps the first 4K page of a region is a defined error (retry or
 * -ENOMEM) with a WARN, not a bug, and changes nothing; every status of
 * PAMT.REMOVE when the zap drops the region's last reference is warned and
 * leaves the pair installed and leaked, with its count back at 1 (INV-32,
 * R15).
 */
static void INV_36_pamt_failures_on_the_sept_paths(struct scn *s)
{
	int nr;
	const u64 *st = tdxsim_statuses(SC_PHYMEM_PAMT_ADD, &nr);

	for (int k = 0; k < nr; k++) {
		long warns;
		int ret;

		SCN_TRUE(s, td_setup(&tf, true));
		SCN_EQ(s, tdxsim_inject(SC_PHYMEM_PAMT_ADD, 0, st[k]), 0);
		warns = scn_warns();
		ret = kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K);
		tdxsim_inject_clear();
		SCN_TRUE(s, ret == RET_PF_RETRY || ret == -ENOMEM);
		/* the failed PAMT.ADD is warned, once: nothing bugs the VM */
		if (warns >= 0)		/* the kernel keeps no WARN count */
			SCN_EQ(s, scn_warns() - warns, 1);
		SCN_FALSE(s, tf.kvm.vm_bugged);
		SCN_EQ(s, atomic_read(tdx_find_pamt_refcount(tf.gpfn)), 0);
		SCN_SEPT_OK(s, &tf);
		SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
		       RET_PF_FIXED);
		SCN_EQ(s, atomic_read(tdx_find_pamt_refcount(tf.gpfn)), 1);
		SCN_FINISH(s, &tf);
	}
	st = tdxsim_statuses(SC_PHYMEM_PAMT_REMOVE, &nr);
	for (int k = 0; k < nr; k++) {
		unsigned long leaked;
		long warns;

		SCN_TRUE(s, td_setup(&tf, true));
		leaked = tdx_pamt_leaked_pairs();
		SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
		       RET_PF_FIXED);
		SCN_EQ(s, tdxsim_inject(SC_PHYMEM_PAMT_REMOVE, 1, st[k]), 0);
		warns = scn_warns();
		SCN_EQ(s, kvm_zap_gfn_range(&tf.kvm, 0, 1), 1);
		tdxsim_inject_clear();
		if (warns >= 0)		/* the kernel keeps no WARN count */
			SCN_EQ(s, scn_warns() - warns, 1);
		SCN_FALSE(s, tf.kvm.vm_bugged);
		SCN_EQ(s, atomic_read(tdx_find_pamt_refcount(tf.gpfn)), 1);
		SCN_EQ(s, tdxsim_pamt_node(tf.gpfn), PAMT_NODE_PAMT);
		SCN_EQ(s, tdx_pamt_leaked_pairs(), leaked + 1);
		SCN_SEPT_OK(s, &tf);
		SCN_FINISH(s, &tf);
	}
}

/* INV-16: a 4K zap issues BLOCK, TRACK, REMOVE, WBINVD, in that order. */
static enum tdx_seamcall order[8];
static int norder;

static void order_hook(enum tdx_seamcall sc)
{
	if (norder < ARRAY_LEN(order))
		order[norder++] = sc;
}

static void INV_16_removal_order(struct scn *s)
{
	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
	       RET_PF_FIXED);
	norder = 0;
	tdxsim_set_call_hook(order_hook);
	SCN_EQ(s, kvm_zap_gfn_range(&tf.kvm, 0, 1), 1);
	tdxsim_set_call_hook(NULL);
	/* the last put also removes the region's pair */
	SCN_EQ(s, norder, 5);
	SCN_EQ(s, order[0], SC_MEM_RANGE_BLOCK);
	SCN_EQ(s, order[1], SC_MEM_TRACK);
	SCN_EQ(s, order[2], SC_MEM_PAGE_REMOVE);
	SCN_EQ(s, order[3], SC_PHYMEM_PAGE_WBINVD);
	SCN_EQ(s, order[4], SC_PHYMEM_PAMT_REMOVE);
	/* a failed TRACK stops it there: no REMOVE, the page leaked */
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
	       RET_PF_FIXED);
	SCN_EQ(s, tdxsim_inject(SC_MEM_TRACK, 0, TDX_PREVIOUS_TLB_EPOCH_BUSY), 0);
	norder = 0;
	tdxsim_set_call_hook(order_hook);
	SCN_EQ(s, kvm_zap_gfn_range(&tf.kvm, 0, 1), -EIO);
	tdxsim_set_call_hook(NULL);
	tdxsim_inject_clear();
	SCN_EQ(s, norder, 2);
	SCN_EQ(s, stat(&tf.kvm.stat.leaked_pages), 1);
	SCN_FINISH(s, &tf);
}

/* INV-19: BUSY once kicks the vCPUs and retries; wait_for_sept_zap is clear after. */
static void INV_19_busy_retry_once(struct scn *s)
{
	for (int always = 0; always <= 1; always++) {
		SCN_TRUE(s, td_setup(&tf, true));
		SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
		       RET_PF_FIXED);
		SCN_EQ(s, tdxsim_inject(SC_MEM_PAGE_REMOVE, always ? 0 : 1,
					TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT), 0);
		SCN_EQ(s, kvm_zap_gfn_range(&tf.kvm, 0, 1), always ? -EIO : 1);
		tdxsim_inject_clear();
		/* at most one retry: two REMOVE calls either way */
		SCN_EQ(s, tdxsim_calls(SC_MEM_PAGE_REMOVE), 2);
		SCN_TRUE(s, stat(&tf.kvm.stat.vcpu_kicks) > 0);
		SCN_FALSE(s, tf.kvm.tdx.wait_for_sept_zap);
		SCN_EQ(s, tf.kvm.vm_bugged, always);
		SCN_FINISH(s, &tf);
	}
}

/* INV-18: a failed reclaim leaves the S-EPT page to the module, counted. */
static void INV_18_failed_reclaim_leaks(struct scn *s)
{
	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
	       RET_PF_FIXED);
	SCN_EQ(s, kvm_zap_gfn_range(&tf.kvm, 0, 1), 1);
	/* the first RECLAIM is the deepest S-EPT page */
	SCN_EQ(s, tdxsim_inject(SC_PHYMEM_PAGE_RECLAIM, 1,
				TDX_PAGE_METADATA_INCORRECT), 0);
	tf.destroyed = true;
	SCN_EQ(s, tdx_vm_destroy(&tf.kvm), 0);
	tdxsim_inject_clear();
	/* the page, and the TDR the module then keeps with it */
	SCN_TRUE(s, stat(&tf.kvm.stat.leaked_pages) >= 1);
	SCN_FINISH(s, &tf);
}

/* INV-20: both SPTEs present is only ever a 2M leaf becoming a table. */
static void INV_20_present_pair_is_only_a_split(struct scn *s)
{
	SCN_TRUE(s, td_setup(&tf, true));
	/* the locks a split holds (SPEC 0.4.3) */
	mutex_lock(&tf.kvm.tdx.pamt_cache_lock);
	write_lock(&tf.kvm.mmu_lock);
	SCN_EQ(s, tdx_sept_set_private_spte(&tf.kvm, 0,
			make_leaf_spte(tf.gpfn, PG_LEVEL_4K),
			make_leaf_spte(tf.gpfn + 1, PG_LEVEL_4K), PG_LEVEL_4K),
	       -EIO);
	write_unlock(&tf.kvm.mmu_lock);
	mutex_unlock(&tf.kvm.tdx.pamt_cache_lock);
	SCN_TRUE(s, tf.kvm.vm_bugged);
	SCN_EQ(s, tdxsim_calls(SC_MEM_RANGE_BLOCK), 0);
	SCN_FINISH(s, &tf);
}

/* R8: a failed removal leaves the page stats as they were. */
static void R8_stats_follow_the_external_update(struct scn *s)
{
	SCN_TRUE(s, td_setup(&tf, true));
	SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K),
	       RET_PF_FIXED);
	SCN_EQ(s, leaf_pages(&tf.kvm, PG_LEVEL_4K), 1);
	SCN_EQ(s, tdxsim_inject(SC_MEM_PAGE_REMOVE, 0, TDX_EPT_WALK_FAILED), 0);
	SCN_EQ(s, kvm_zap_gfn_range(&tf.kvm, 0, 1), -EIO);
	tdxsim_inject_clear();
	SCN_EQ(s, leaf_pages(&tf.kvm, PG_LEVEL_4K), 1);
	SCN_EQ(s, stat(&tf.kvm.stat.leaked_pages), 1);
	SCN_FINISH(s, &tf);
}

/* ---------------- concurrent pairs (docs/CONCURRENCY.md) ---------------- */

/*
 * The allowed pairs on two threads at once (the harness's scn_run_pair:
 * pthreads in cmocka, run under TSan by make verify; kthreads in KUnit, on
 * real CPUs and under KCSAN in the SMP run).  Many rounds; after each, the
 * mappings are exactly the expected ones, nothing warned or was refused,
 * and the teardown accounts for every page.  Each pair reports how many of
 * its operations began while the other thread was inside its own.
 */
#define PAIR_GFNS	32
#define PAIR_ROUNDS	10

enum pair_op { PAIR_FAULTS, PAIR_SPLIT, PAIR_ZAPS, PAIR_GET_PUT };

struct pair_side {
	enum pair_op op;
	struct kvm_vcpu *vcpu;
	kvm_pfn_t gpfn, gpfn2;	/* guest memory: 4K faults, the 2M leaf */
	int errors, overlap;
};

static atomic_t pair_arrived, pair_active, pair_progress;

static void pair_note(struct pair_side *p)
{
	p->overlap += atomic_read(&pair_active) == 2;
}

/* A short operation starts in the middle of the other side's faults. */
static void pair_wait_for_faults(void)
{
	while (atomic_read(&pair_progress) < PAIR_GFNS / 2)
		scn_yield();
}

static int pair_fn(void *arg)
{
	struct pair_side *p = arg;

	/* both running before either starts (UML has one CPU: yield) */
	atomic_inc(&pair_arrived);
	while (atomic_read(&pair_arrived) < 2)
		scn_yield();
	atomic_inc(&pair_active);
	switch (p->op) {
	case PAIR_FAULTS:	/* the same gfns from both vCPUs: R2 */
		for (int i = 0; i < 4 * PAIR_GFNS; i++) {
			gfn_t g = i % PAIR_GFNS;
			int r;

			pair_note(p);
			atomic_inc(&pair_progress);
			while ((r = t_map(p->vcpu, g, p->gpfn + g,
					  PG_LEVEL_4K)) == RET_PF_RETRY)
				;
			p->errors += r != RET_PF_FIXED && r != RET_PF_SPURIOUS;
		}
		break;
	case PAIR_SPLIT:
		pair_wait_for_faults();
		pair_note(p);
		p->errors += kvm_split_huge_page(p->vcpu->kvm, 512) != 0;
		break;
	case PAIR_ZAPS:
		pair_wait_for_faults();
		for (int i = 0; i < PAIR_GFNS; i++) {
			int r;

			pair_note(p);
			r = kvm_zap_gfn_range(p->vcpu->kvm, 0, PAIR_GFNS);
			p->errors += r < 0 && r != -ENOENT;
		}
		break;
	case PAIR_GET_PUT: {	/* pages of the second region, own cache */
		for (int i = 0; i < 200; i++) {
			u64 pfn = p->gpfn2 + 100 + (p->vcpu == &tf.vcpu2) * 8 + i % 8;

			pair_note(p);
			if (t_get(p->vcpu, pfn)) {
				p->errors++;
				continue;
			}
			t_put(p->vcpu->kvm, pfn);
		}
		break;
	}
	}
	atomic_dec(&pair_active);
	return 0;
}

static void run_pair(struct scn *s, enum pair_op a, enum pair_op b,
		     int want_zapped)
{
	struct pair_side p[2];
	int overlap = 0;
	void *guest2;

	for (int round = 0; round < PAIR_ROUNDS; round++) {
		SCN_TRUE(s, td_setup(&tf, true));
		guest2 = tdxmm_alloc_pages(GUEST_ORDER);
		SCN_TRUE(s, guest2 != NULL);
		p[0] = (struct pair_side){ .op = a, .vcpu = &tf.vcpu };
		p[1] = (struct pair_side){ .op = b, .vcpu = &tf.vcpu2 };
		for (int i = 0; i < 2; i++) {
			p[i].gpfn = tf.gpfn;
			p[i].gpfn2 = tdxmm_virt_to_pfn(guest2);
		}
		if (a == PAIR_SPLIT || b == PAIR_SPLIT)
			SCN_EQ(s, kvm_tdp_map_page(&tf.vcpu, 512, p[0].gpfn2,
						   PG_LEVEL_2M), RET_PF_FIXED);
		atomic_set(&pair_arrived, 0);
		atomic_set(&pair_active, 0);
		atomic_set(&pair_progress, 0);
		SCN_EQ(s, scn_run_pair(pair_fn, &p[0], &p[1]), 0);
		SCN_EQ(s, p[0].errors + p[1].errors, 0);
		overlap += p[0].overlap + p[1].overlap;
		SCN_FALSE(s, tf.kvm.vm_bugged);
		SCN_EQ(s, tdxsim_rejections(), 0);
		SCN_SEPT_OK(s, &tf);
		if (want_zapped != -1)
			SCN_EQ(s, kvm_zap_gfn_range(&tf.kvm, 0, 1024), want_zapped);
		/* get/put: the region's count is back to 0 */
		if (a == PAIR_GET_PUT)
			SCN_EQ(s, atomic_read(tdx_find_pamt_refcount(p[0].gpfn2)), 0);
		tdx_vm_destroy(&tf.kvm);
		tf.destroyed = true;
		tdxmm_free_pages(guest2, GUEST_ORDER);
		SCN_FINISH(s, &tf);
	}
	scn_info(s, "pair %d/%d: %d rounds, %d operations begun while the other thread ran",
		 a, b, PAIR_ROUNDS, overlap);
}

/*
 * A TD's life as a trace (docs/TRACE-FORMAT.md): every entry point, then
 * two vCPUs faulting the same gfns and two get/put loops at once, then
 * teardown.  tdxmm-conform checks the trace in make verify (both backends).
 */
static void trace_records_a_td_life(struct scn *s)
{
	struct pair_side p[2];
	void *guest2;
	u64 g2;

	scn_trace_start(s, "td-life");
	SCN_TRUE(s, td_setup(&tf, true));
	guest2 = tdxmm_alloc_pages(GUEST_ORDER);
	SCN_TRUE(s, guest2 != NULL);
	g2 = tdxmm_virt_to_pfn(guest2);
	SCN_EQ(s, t_map(&tf.vcpu, 0, tf.gpfn, PG_LEVEL_4K), RET_PF_FIXED);
	SCN_EQ(s, t_map(&tf.vcpu, 1, tf.gpfn + 1, PG_LEVEL_4K), RET_PF_FIXED);
	SCN_EQ(s, t_map(&tf.vcpu, 512, g2, PG_LEVEL_2M), RET_PF_FIXED);
	SCN_EQ(s, t_get(&tf.vcpu, tf.gpfn + 300), 0);
	SCN_EQ(s, t_split(&tf.kvm, 512), 0);
	SCN_EQ(s, t_zap(&tf.kvm, 1, 2), 1);
	SCN_EQ(s, t_zap(&tf.kvm, 512, 513), 1);
	t_put(&tf.kvm, tf.gpfn + 300);
	for (int k = 0; k < 2; k++) {
		enum pair_op op = k ? PAIR_GET_PUT : PAIR_FAULTS;

		p[0] = (struct pair_side){ .op = op, .vcpu = &tf.vcpu,
					   .gpfn = tf.gpfn, .gpfn2 = g2 };
		p[1] = p[0];
		p[1].vcpu = &tf.vcpu2;
		atomic_set(&pair_arrived, 0);
		atomic_set(&pair_active, 0);
		atomic_set(&pair_progress, 0);
		SCN_EQ(s, scn_run_pair(pair_fn, &p[0], &p[1]), 0);
		SCN_EQ(s, p[0].errors + p[1].errors, 0);
	}
	SCN_EQ(s, t_zap(&tf.kvm, 0, 1024), PAIR_GFNS + 511);
	SCN_EQ(s, t_map(&tf.vcpu, 511, tf.gpfn + 511, PG_LEVEL_4K), RET_PF_FIXED);
	SCN_EQ(s, t_destroy(&tf), 0);
	scn_trace_stop(s);
	SCN_EQ(s, tdxsim_rejections(), 0);
	tdxmm_free_pages(guest2, GUEST_ORDER);
	SCN_FINISH(s, &tf);
}

static void concurrent_pair_fault_fault(struct scn *s)
{
	run_pair(s, PAIR_FAULTS, PAIR_FAULTS, PAIR_GFNS);
}

static void concurrent_pair_fault_split(struct scn *s)
{
	run_pair(s, PAIR_FAULTS, PAIR_SPLIT, PAIR_GFNS + 512);
}

static void concurrent_pair_fault_zap(struct scn *s)
{
	run_pair(s, PAIR_FAULTS, PAIR_ZAPS, -1);	/* any split of the work */
}

static void concurrent_pair_get_put(struct scn *s)
{
	run_pair(s, PAIR_GET_PUT, PAIR_GET_PUT, -ENOENT);	/* nothing mapped */
}

#define SCENARIO(fn) { #fn, fn }
const struct scenario tdxmm_sept_scenarios[] = {
	SCENARIO(sept_map_zap_4k_round_trip),
	SCENARIO(R6_sept_map_split_zap_2m),
	SCENARIO(INV_15_teardown_removes_leaves_before_hkid_release),
	SCENARIO(INV_11_nonpresent_mirror_means_free_sept),
	SCENARIO(INV_14_teardown_reclaims_children_first),
	SCENARIO(R14_init_mem_region_no_premap),
	SCENARIO(R2_fault_meets_frozen_link),
	SCENARIO(bad_input_gets_defined_errors),
	SCENARIO(bad_pfn_is_refused),
	SCENARIO(bad_input_after_bug_and_allocation_failures),
	SCENARIO(bugged_vm_entry_points_eio_no_seamcall),
	SCENARIO(INV_07_promotion_still_reclaims_the_table),
	SCENARIO(td_creation_seamcall_failures),
	SCENARIO(SPEC_0_4_5_zap_does_not_overzap),
	SCENARIO(GMEM_05_06_to_shared_zaps_exactly_its_range),
	SCENARIO(GMEM_18_conversion_between_fault_lookup_and_map),
	SCENARIO(GMEM_18_conversion_at_every_point_of_a_fault),
	SCENARIO(GMEM_05_06_conversion_and_split_in_every_order),
	SCENARIO(root_levels_3_and_5_round_trip),
	SCENARIO(SPEC_0_4_1_sept_pages_referenced_only_while_the_module_has_them),
	SCENARIO(hkids_are_allocated_and_freed),
	SCENARIO(INV_17_link_checks_bug_the_vm),
	SCENARIO(fault_allocation_failure),
	SCENARIO(INV_12_every_seamcall_failure_at_every_site),
	SCENARIO(R8_stats_follow_the_external_update),
	SCENARIO(INV_36_pamt_failures_on_the_sept_paths),
	SCENARIO(INV_16_removal_order),
	SCENARIO(INV_19_busy_retry_once),
	SCENARIO(INV_18_failed_reclaim_leaks),
	SCENARIO(INV_20_present_pair_is_only_a_split),
	SCENARIO(concurrent_pair_fault_fault),
	SCENARIO(concurrent_pair_fault_split),
	SCENARIO(concurrent_pair_fault_zap),
	SCENARIO(concurrent_pair_get_put),
	SCENARIO(trace_records_a_td_life),
};
const int tdxmm_nr_sept_scenarios = ARRAY_LEN(tdxmm_sept_scenarios);
