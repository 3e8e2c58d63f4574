// SPDX-License-Identifier: GPL-2.0
/*
 * What only the user backend can show: BUG() and WARN accounting, lockdep
 * that checks the calling thread, the slot model's own self-test, and real
 * threads racing.  The functional scenarios live in tests/scenarios.c and
 * run here (test_scenarios) and in KUnit alike.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "tdx.h"
#include "external.h"
#include "pamt.h"
#include "context_check.h"
#include "trace_model.h"

#define NP SHADOW_NONPRESENT_VALUE

/* Each test starts with zeroed WARN/BUG/lockdep counters. */
static int reset_env(void **state)
{
	(void)state;
	tdxmm_env_reset_stats();
	tdxmm_warn_quiet = true;
	/* Outside the lockdep tests a lockdep failure aborts the suite. */
	tdxmm_lockdep_fail_hook = NULL;
	/* A failed assert longjmps out of a lock section; forget its locks. */
	tdxmm_lockdep_reset_thread();
	return 0;
}

/* INV-02: refusing a frozen snapshot or a yielded iterator WARNs, once each. */
static void test_INV_02_refusal_warns(void **state)
{
	struct fixture f;
	struct tdp_iter it, it2;
	int ret, ret2;

	(void)state;
	fixture_init(&f);
	tdxmm_env_reset_stats();
	f.mirror_pt[4] = FROZEN_SPTE;
	it = iter_at(&f.mirror_sp, 4);
	it2 = iter_at(&f.direct_sp, 4);
	it2.yielded = true;
	mmu_read_lock(&f.kvm);
	ret = tdp_mmu_set_spte_atomic(&f.kvm, &it, make_leaf_spte(1, PG_LEVEL_4K));
	ret2 = tdp_mmu_set_spte_atomic(&f.kvm, &it2, make_leaf_spte(1, PG_LEVEL_4K));
	mmu_read_unlock(&f.kvm);
	assert_int_equal(ret, -EBUSY);
	assert_int_equal(ret2, -EBUSY);
	assert_int_equal(tdxmm_env_stats.warns, 2);
}

/* The mirror bug path WARNs (KVM_BUG_ON) exactly once. */
static void test_mirror_bug_warns_once(void **state)
{
	struct fixture f;
	struct tdp_iter it;
	int ret;

	(void)state;
	fixture_init(&f);
	tdxmm_env_reset_stats();
	f.mirror_pt[2] = make_leaf_spte(1, PG_LEVEL_4K);
	it = iter_at(&f.mirror_sp, 2);
	mmu_read_lock(&f.kvm);
	ret = tdp_mmu_set_spte_atomic(&f.kvm, &it, make_leaf_spte(1, PG_LEVEL_4K));
	mmu_read_unlock(&f.kvm);
	assert_int_equal(ret, -EIO);
	assert_int_equal(tdxmm_env_stats.warns, 1);
	assert_true(f.kvm.vm_bugged);
}

/*
 * SPEC 0.4.6, upstream KVM_BUG_ON: only the first bug of a VM warns; a
 * later one on the bugged VM is silent but still true, and the VM dead.
 */
static void test_KVM_BUG_ON_warns_once_per_vm(void **state)
{
	struct kvm kvm = { 0 }, other = { 0 };
	struct kvm_vcpu vcpu = { 0 };

	(void)state;
	kvm.vcpus[kvm.online_vcpus++] = &vcpu;
	assert_false(KVM_BUG_ON(0, &kvm));
	assert_int_equal(tdxmm_env_stats.warns, 0);
	assert_true(KVM_BUG_ON(1, &kvm));
	assert_true(kvm.vm_bugged && kvm.vm_dead);
	assert_true(kvm_test_request(KVM_REQ_VM_DEAD, &vcpu));
	assert_int_equal(tdxmm_env_stats.warns, 1);
	assert_true(KVM_BUG_ON(1, &kvm));
	assert_int_equal(tdxmm_env_stats.warns, 1);
	/* another VM's first bug warns again, from the same call site */
	for (int i = 0; i < 2; i++)
		assert_true(KVM_BUG_ON(1, i ? &other : &kvm));
	assert_int_equal(tdxmm_env_stats.warns, 2);
	assert_true(other.vm_bugged && other.vm_dead);
}

/* INV-06: retargeting a present leaf in place is BUG(). */
static void test_INV_06_retarget_is_BUG(void **state)
{
	struct fixture f;
	u64 a = make_leaf_spte(1, PG_LEVEL_4K), b = make_leaf_spte(2, PG_LEVEL_4K);

	(void)state;
	fixture_init(&f);
	f.direct_pt[0] = a;
	mmu_write_lock(&f.kvm);
	bug_armed = true;
	if (setjmp(bug_jmp) == 0) {
		tdp_mmu_set_spte(&f.kvm, &f.direct_sp, &f.direct_pt[0], a, b, 0,
				 PG_LEVEL_4K);
		fail_msg("BUG() did not fire");
	}
	mmu_write_unlock(&f.kvm);
	assert_int_equal(tdxmm_env_stats.bugs, 1);
}

/* INV-04: a plain store of FROZEN warns. */
static void test_INV_04_plain_store_of_frozen_warns(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	mmu_write_lock(&f.kvm);
	tdp_mmu_set_spte(&f.kvm, &f.direct_sp, &f.direct_pt[0], NP, FROZEN_SPTE,
			 0, PG_LEVEL_4K);
	mmu_write_unlock(&f.kvm);
	assert_int_equal(tdxmm_env_stats.warns, 1);
	assert_false(inv_04_plain_store(NP, FROZEN_SPTE, SPTE_LOCK_WRITE));
}

/*
 * INV-13: the TDX side removes an S-EPT leaf only with mmu_lock held for
 * write; lockdep says so when it is not (the VM has no HKID here, so the
 * removal then stops before any SEAMCALL).
 */
static void test_INV_13_removal_needs_the_write_lock(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.kvm.mmu_lock.dep_map.name = "mmu_lock";
	install_test_hooks();
	mmu_read_lock(&f.kvm);
	assert_int_equal(tdx_sept_set_private_spte(&f.kvm, 0,
			 make_leaf_spte(1, PG_LEVEL_4K), SHADOW_NONPRESENT_VALUE,
			 PG_LEVEL_4K), -EIO);
	mmu_read_unlock(&f.kvm);
	assert_int_equal(lockdep_hits, 1);
	assert_non_null(strstr(lockdep_msg, "mmu_lock not held for write"));
	assert_true(f.kvm.vm_bugged);
}

/* ---- lockdep of the user backend really checks the calling thread ---- */
static void test_lockdep_assertions_fire(void **state)
{
	struct fixture f;
	struct tdp_iter it;
	spinlock_t sl = { .dep_map = { "pamt_lock" } };

	(void)state;
	fixture_init(&f);
	f.kvm.mmu_lock.dep_map.name = "mmu_lock";
	install_test_hooks();

	lockdep_assert_held_read(&f.kvm.mmu_lock);
	assert_int_equal(lockdep_hits, 1);
	assert_non_null(strstr(lockdep_msg, "mmu_lock not held for read"));

	write_lock(&f.kvm.mmu_lock);
	lockdep_assert_held_read(&f.kvm.mmu_lock);	/* write is not read */
	assert_int_equal(lockdep_hits, 2);
	lockdep_assert_held_write(&f.kvm.mmu_lock);
	lockdep_assert_held(&f.kvm.mmu_lock);
	assert_int_equal(lockdep_hits, 2);
	write_unlock(&f.kvm.mmu_lock);

	read_lock(&f.kvm.mmu_lock);
	lockdep_assert_held_write(&f.kvm.mmu_lock);
	assert_int_equal(lockdep_hits, 3);
	read_unlock(&f.kvm.mmu_lock);

	/* The setters assert their lock mode (RCU held, mmu_lock not). */
	it = iter_at(&f.direct_sp, 0);
	rcu_read_lock();
	(void)!tdp_mmu_set_spte_atomic(&f.kvm, &it, make_leaf_spte(1, PG_LEVEL_4K));
	assert_int_equal(lockdep_hits, 4);
	tdp_mmu_set_spte(&f.kvm, &f.direct_sp, &f.direct_pt[0], f.direct_pt[0],
			 NP, 0, PG_LEVEL_4K);
	assert_int_equal(lockdep_hits, 5);
	rcu_read_unlock();

	/* mmu_lock held, RCU not: the SPTE dereference is reported (PROVE_RCU). */
	it = iter_at(&f.direct_sp, 1);
	read_lock(&f.kvm.mmu_lock);
	(void)!tdp_mmu_set_spte_atomic(&f.kvm, &it, make_leaf_spte(2, PG_LEVEL_4K));
	read_unlock(&f.kvm.mmu_lock);
	assert_int_equal(lockdep_hits, 6);
	assert_non_null(strstr(lockdep_msg, "suspicious RCU usage"));
	lockdep_hits = 5;

	spin_lock_init(&sl);
	lockdep_assert_held(&sl);
	assert_int_equal(lockdep_hits, 6);
	spin_lock(&sl);
	lockdep_assert_held(&sl);
	assert_int_equal(lockdep_hits, 6);
	spin_unlock(&sl);
	spin_unlock(&sl);			/* bad unlock balance */
	assert_int_equal(lockdep_hits, 7);
}

/* Held by another thread is not held by this one. */
static void *hold_write(void *arg)
{
	struct fixture *f = arg;

	write_lock(&f->kvm.mmu_lock);
	lockdep_assert_held_write(&f->kvm.mmu_lock);
	write_unlock(&f->kvm.mmu_lock);
	return NULL;
}

static void test_lockdep_is_per_thread(void **state)
{
	struct fixture f;
	pthread_t t;

	(void)state;
	fixture_init(&f);
	install_test_hooks();
	read_lock(&f.kvm.mmu_lock);
	pthread_create(&t, NULL, hold_write, &f);	/* blocks on our read */
	lockdep_assert_held_read(&f.kvm.mmu_lock);
	assert_int_equal(lockdep_hits, 0);
	read_unlock(&f.kvm.mmu_lock);
	pthread_join(t, NULL);
	assert_int_equal(lockdep_hits, 0);
	lockdep_assert_held(&f.kvm.mmu_lock);
	assert_int_equal(lockdep_hits, 1);
}

/* The slot model's self-test: planted protocol bugs are caught. */
static void test_slot_model_catches_planted_bugs(void **state)
{
	struct spte_slot s;
	struct spte_event steal[] = {
		{ 1, SPTE_CMPXCHG_OK, NP, FROZEN_SPTE, SPTE_LOCK_READ },
		{ 2, SPTE_STORE, 0, make_leaf_spte(1, 1), SPTE_LOCK_READ },
	};
	struct spte_event unlocked = { 1, SPTE_STORE, 0, make_leaf_spte(1, 1),
				       SPTE_LOCK_READ };
	struct spte_event stale = { 1, SPTE_CMPXCHG_FAIL, 123, 0, SPTE_LOCK_READ };

	(void)state;
	spte_slot_init(&s, NP);
	assert_true(spte_slot_apply(&s, &steal[0]));
	assert_false(spte_slot_apply(&s, &steal[1]));
	assert_int_equal(s.violated, 2);

	spte_slot_init(&s, NP);
	assert_false(spte_slot_apply(&s, &unlocked));
	assert_int_equal(s.violated, 4);

	spte_slot_init(&s, NP);
	assert_false(spte_slot_apply(&s, &stale));
	assert_int_equal(s.violated, 5);

	spte_slot_init(&s, NP);
	assert_true(spte_slot_apply(&s, &steal[0]));
	assert_false(inv_03_unfrozen_at_rest(&s, true));
}

/* ---- real threads: racing installers on one mirror SPTE (R2) ---- */
#define RACE_ROUNDS 2000
struct racer {
	struct fixture *f;
	pthread_barrier_t *bar;
	int tid, wins, busy;
};

static void *race(void *arg)
{
	struct racer *r = arg;

	trace_tid = r->tid;
	for (int i = 0; i < RACE_ROUNDS; i++) {
		struct tdp_iter it;
		int ret;

		pthread_barrier_wait(r->bar);
		mmu_read_lock(&r->f->kvm);
		it = iter_at(&r->f->mirror_sp, 0);
		it.old_spte = NP;
		ret = tdp_mmu_set_spte_atomic(&r->f->kvm, &it,
				make_leaf_spte(r->tid, PG_LEVEL_4K));
		mmu_read_unlock(&r->f->kvm);
		if (ret == 0)
			r->wins++;
		else if (ret == -EBUSY)
			r->busy++;
		pthread_barrier_wait(r->bar);
		if (r->tid == 1) {		/* reset for the next round */
			r->f->mirror_pt[0] = NP;
		}
		pthread_barrier_wait(r->bar);
	}
	return NULL;
}

static void test_R2_racing_installers(void **state)
{
	static struct fixture f;
	pthread_barrier_t bar;
	struct racer r[2];
	pthread_t t[2];

	(void)state;
	fixture_init(&f);
	pthread_barrier_init(&bar, NULL, 2);
	for (int i = 0; i < 2; i++) {
		r[i] = (struct racer){ .f = &f, .bar = &bar, .tid = i + 1 };
		pthread_create(&t[i], NULL, race, &r[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	/* Exactly one winner per round, one hook call per winner. */
	assert_int_equal(r[0].wins + r[1].wins, RACE_ROUNDS);
	assert_int_equal(r[0].busy + r[1].busy, RACE_ROUNDS);
	assert_int_equal(stub_ext.nr_calls, RACE_ROUNDS);
	assert_false(f.kvm.vm_bugged);
	print_message("R2: %d rounds, wins %d/%d\n", RACE_ROUNDS, r[0].wins, r[1].wins);
}

/* INV-38: a sleeping allocation under a lock, in RCU or in softirq is reported. */
static void test_INV_38_sleeping_allocation_in_atomic_context_is_caught(void **state)
{
	spinlock_t sl = { .dep_map = { "pamt_lock" } };
	rwlock_t rw = { .dep_map = { "mmu_lock" } };
	struct tdx_pamt_cache cache = { 0 };
	void *p;

	(void)state;
	spin_lock_init(&sl);
	rwlock_init(&rw);
	install_test_hooks();

	p = tdxmm_alloc_page();			/* task context, no lock: fine */
	assert_int_equal(lockdep_hits, 0);
	tdxmm_free_page(p);

	spin_lock(&sl);
	p = tdxmm_alloc_page();
	spin_unlock(&sl);
	assert_int_equal(lockdep_hits, 1);
	assert_non_null(strstr(lockdep_msg, "INV-38"));
	assert_non_null(strstr(lockdep_msg, "pamt_lock"));
	tdxmm_free_page(p);

	read_lock(&rw);
	kfree(kzalloc(64, GFP_KERNEL));
	read_unlock(&rw);
	assert_int_equal(lockdep_hits, 2);
	assert_non_null(strstr(lockdep_msg, "mmu_lock"));

	rcu_read_lock();
	might_sleep();
	rcu_read_unlock();
	assert_int_equal(lockdep_hits, 3);
	assert_non_null(strstr(lockdep_msg, "rcu_read_lock"));

	tdxmm_softirq_enter();
	tdxmm_free_page(tdxmm_alloc_page());
	tdxmm_softirq_exit();
	assert_int_equal(lockdep_hits, 4);
	assert_non_null(strstr(lockdep_msg, "softirq"));

	/* impl/: topping up the pair cache is for outside the locks only */
	write_lock(&rw);
	tdx_topup_pamt_cache(&cache, 1);
	write_unlock(&rw);
	assert_true(lockdep_hits >= 5);
	assert_non_null(strstr(lockdep_msg, "INV-38"));
	tdx_free_pamt_cache(&cache);
	assert_null(check_may_sleep(0, 0, 0));
}

/*
 * INV-39 (R3): upstream frees S-EPT pages from an RCU callback, so a PAMT
 * put could take pamt_lock in softirq while task context takes it with
 * softirqs on.  tdxmm frees from task context; doing it the upstream way
 * is reported.
 */
static void test_INV_39_pamt_put_from_softirq_is_caught(void **state)
{
	u64 first = tdxmm_virt_to_pfn(tdxmm_pool_base());
	struct tdx_memblock mb = { first, first + tdxmm_pool_pages() };
	void *page;
	u64 pfn;

	(void)state;
	tdxsim_reset();
	tdx_pamt_exit();
	assert_int_equal(tdx_pamt_init(&mb, 1), 0);
	tdxsim_set_dpamt(true);
	install_test_hooks();
	page = tdxmm_alloc_page();
	assert_non_null(page);
	pfn = tdxmm_virt_to_pfn(page);

	assert_int_equal(tdx_pamt_get(pfn, PG_LEVEL_4K, NULL), 0);
	assert_int_equal(pamt_lock.dep_map.usage, LOCK_USED_SOFTIRQ_ON);
	assert_int_equal(lockdep_hits, 0);

	tdxmm_softirq_enter();			/* an RCU callback */
	tdx_pamt_put(pfn, PG_LEVEL_4K);		/* 1 -> 0 takes pamt_lock */
	tdxmm_softirq_exit();
	assert_int_equal(lockdep_hits, 1);
	assert_non_null(strstr(lockdep_msg, "INV-39"));
	assert_non_null(strstr(lockdep_msg, "pamt_lock"));
	assert_int_equal(atomic_read(tdx_find_pamt_refcount(pfn)), 0);

	tdxmm_free_page(page);
	tdx_pamt_exit();
	tdxsim_set_dpamt(false);
	tdxsim_reset();
}

/* ---- a TD with two vCPUs, for the tests with real threads ---- */
static struct kvm ukvm;
static struct kvm_vcpu uvcpu[2];
static u64 ugpfn[2];	/* two 2 MiB regions of guest memory */

static void user_td_setup(bool finalize)
{
	u64 first = tdxmm_virt_to_pfn(tdxmm_pool_base());
	struct tdx_memblock mb = { first, first + tdxmm_pool_pages() };
	static const struct kvm zero;

	tdxsim_reset();
	tdx_bringup();
	tdxsim_inject_clear();
	/* a platform with X86_BUG_TDX_PW_MCE: every reset is checked */
	tdxsim_set_quirk(true);
	tdxsim_set_call_hook(NULL);
	tdx_pamt_exit();
	assert_int_equal(tdx_pamt_init(&mb, 1), 0);
	tdxsim_set_dpamt(true);
	kvm_x86_ops.set_external_spte = tdx_sept_set_private_spte;
	kvm_x86_ops.reclaim_external_sp = tdx_sept_reclaim_private_sp;
	ukvm = zero;
	rwlock_init(&ukvm.mmu_lock);
	for (int i = 0; i < 2; i++) {
		void *guest = tdxmm_alloc_pages_uninit(9);

		assert_non_null(guest);
		ugpfn[i] = tdxmm_virt_to_pfn(guest);
	}
	assert_int_equal(tdx_vm_init(&ukvm, 4), 0);
	kvm_vcpu_init(&uvcpu[0], &ukvm);
	kvm_vcpu_init(&uvcpu[1], &ukvm);
	if (finalize)
		assert_int_equal(tdx_td_finalize(&ukvm), 0);
}

static void user_td_teardown(void)
{
	assert_int_equal(tdx_vm_destroy(&ukvm), ukvm.vm_bugged ? -EIO : 0);
	kvm_mmu_destroy(&uvcpu[0]);
	kvm_mmu_destroy(&uvcpu[1]);
	tdxsim_set_call_hook(NULL);
	for (int i = 0; i < 2; i++)
		tdxmm_free_pages(tdxmm_pfn_to_virt(ugpfn[i]), 9);
	tdx_pamt_exit();
	tdxsim_set_dpamt(false);
	tdxsim_reset();
}

/* Run @fn on another thread; wait for it at most @ms (true if it ended). */
struct side_thread {
	pthread_t t;
	void *(*fn)(void *);
	volatile bool done;
	int ret;
};

static void *side_main(void *arg)
{
	struct side_thread *st = arg;

	st->fn(st);
	__atomic_store_n(&st->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static bool side_run(struct side_thread *st, void *(*fn)(void *), int ms)
{
	st->fn = fn;
	st->done = false;
	assert_int_equal(pthread_create(&st->t, NULL, side_main, st), 0);
	for (int i = 0; i < ms && !__atomic_load_n(&st->done, __ATOMIC_ACQUIRE); i++)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	return __atomic_load_n(&st->done, __ATOMIC_ACQUIRE);
}

static struct side_thread side_init, side_fault;
static bool side_started;

static void *other_init_mem_region(void *arg)
{
	struct side_thread *st = arg;

	tdxmm_lockdep_reset_thread();
	st->ret = tdx_init_mem_region(&uvcpu[1], 1ULL << 18, ugpfn[1],
				      ugpfn[1] + 100);
	return NULL;
}

static void *other_fault(void *arg)
{
	struct side_thread *st = arg;

	tdxmm_lockdep_reset_thread();
	st->ret = kvm_tdp_map_page(&uvcpu[1], 1ULL << 19, ugpfn[1] + 200,
				   PG_LEVEL_4K);
	return NULL;
}

/* Inside the first caller's first SEPT.ADD: the other threads' steps. */
static bool side_init_ended;

static void race_in_sept_add(enum tdx_seamcall sc)
{
	if (sc != SC_MEM_SEPT_ADD || side_started)
		return;
	side_started = true;
	/* the fault is refused at once, nothing to wait for */
	assert_true(side_run(&side_fault, other_fault, 2000));
	/*
	 * The other init waits for slots_lock, which this thread holds until
	 * the hook returns: it cannot have ended after 200 ms.
	 */
	side_init_ended = side_run(&side_init, other_init_mem_region, 200);
}

/*
 * While the first caller links its tables (inside its first SEPT.ADD), a
 * second init_mem_region and a fault run on other threads.  Neither may
 * use or clear the first caller's source page: the fault is refused before
 * finalization, the second init waits for slots_lock (SPEC 0.4.4), then
 * adds its own page.
 */
static void test_SPEC_0_4_4_page_add_src_is_serialised(void **state)
{
	(void)state;
	user_td_setup(false);
	side_started = false;
	side_init_ended = true;
	tdxsim_set_call_hook(race_in_sept_add);
	assert_int_equal(tdx_init_mem_region(&uvcpu[0], 0, ugpfn[0],
					     ugpfn[0] + 100), 0);
	assert_true(side_started);
	/* the second init was still waiting for slots_lock */
	assert_false(side_init_ended);
	pthread_join(side_fault.t, NULL);
	pthread_join(side_init.t, NULL);
	tdxsim_set_call_hook(NULL);
	assert_int_equal(side_fault.ret, -EOPNOTSUPP);
	assert_int_equal(side_init.ret, 0);
	/* one PAGE.ADD per init_mem_region, none for the fault */
	assert_int_equal(tdxsim_calls(SC_MEM_PAGE_ADD), 2);
	assert_false(ukvm.vm_bugged);
	assert_false(ukvm.tdx.page_add_src_set);
	assert_int_equal(tdxsim_rejections(), 0);
	user_td_teardown();
}

/*
 * SPEC 0.4.3: splits without a vCPU draw from per-VM caches.  Two splits
 * at once (real threads, run under TSan by make verify) must neither race
 * on the caches nor lose a page: every round's pages come back.
 */
static void *split_thread(void *arg)
{
	struct side_thread *st = arg;
	gfn_t gfn = st == &side_init ? 0 : 512;

	tdxmm_lockdep_reset_thread();
	st->ret = kvm_split_huge_page(&ukvm, gfn);
	return NULL;
}

static void test_SPEC_0_4_3_concurrent_splits(void **state)
{
	(void)state;
	for (int round = 0; round < 50; round++) {
		long before;

		user_td_setup(true);
		before = (long)tdxmm_pool_used();
		for (int i = 0; i < 2; i++)
			assert_int_equal(kvm_tdp_map_page(&uvcpu[0], 512 * i,
							  ugpfn[i], PG_LEVEL_2M),
					 RET_PF_FIXED);
		side_init.fn = side_fault.fn = split_thread;
		assert_int_equal(pthread_create(&side_init.t, NULL, side_main,
						&side_init), 0);
		assert_int_equal(pthread_create(&side_fault.t, NULL, side_main,
						&side_fault), 0);
		pthread_join(side_init.t, NULL);
		pthread_join(side_fault.t, NULL);
		assert_int_equal(side_init.ret, 0);
		assert_int_equal(side_fault.ret, 0);
		assert_int_equal(kvm_zap_gfn_range(&ukvm, 0, 1024), 1024);
		assert_false(ukvm.vm_bugged);
		assert_true((long)tdxmm_pool_used() >= before);
		user_td_teardown();
		/* every page back: the teardown freed what the splits took */
		assert_int_equal(tdxsim_pages_held(), 0);
	}
}

/*
 * SPEC 0.4.9: the split takes what it needs (the new S-EPT page's PAMT
 * reference, the DEMOTE pair) before RANGE.BLOCK, holds pamt_lock around
 * each DEMOTE call (R7) and never across the vCPU kick of a BUSY retry.
 */
static int cnt_at_block = -1, cnt_at_demote = -1, demote_calls;
static bool locked_at_demote = true, locked_at_kick;
static int kicks_seen;

static void split_order_call_hook(enum tdx_seamcall sc)
{
	if (sc == SC_MEM_RANGE_BLOCK)
		cnt_at_block = ukvm.tdx.pamt_cache.cnt;
	if (sc == SC_MEM_PAGE_DEMOTE) {
		if (!demote_calls++)
			cnt_at_demote = ukvm.tdx.pamt_cache.cnt;
		locked_at_demote &= tdx_pamt_locked();
	}
}

static void split_order_sched_hook(enum tdxmm_sched_ev ev, const void *obj)
{
	if (ev == TDXMM_SCHED_ACCESS && obj == &ukvm.stat.vcpu_kicks) {
		kicks_seen++;
		locked_at_kick |= tdx_pamt_locked();
	}
}

static void test_SPEC_0_4_9_split_order_and_lock_scope(void **state)
{
	(void)state;
	user_td_setup(true);
	assert_int_equal(kvm_tdp_map_page(&uvcpu[0], 0, ugpfn[0], PG_LEVEL_2M),
			 RET_PF_FIXED);
	assert_int_equal(tdxsim_inject(SC_MEM_PAGE_DEMOTE, 1,
				       TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT), 0);
	tdxsim_set_call_hook(split_order_call_hook);
	tdxmm_sched_hook = split_order_sched_hook;
	assert_int_equal(kvm_split_huge_page(&ukvm, 0), 0);
	tdxmm_sched_hook = NULL;
	tdxsim_set_call_hook(NULL);
	assert_int_equal(demote_calls, 2);		/* BUSY, kick, retry */
	assert_true(locked_at_demote);
	assert_true(kicks_seen > 0);
	assert_false(locked_at_kick);
	/* nothing taken from the cache between BLOCK and DEMOTE */
	assert_true(cnt_at_block >= 0);
	assert_int_equal(cnt_at_block, cnt_at_demote);
	assert_false(ukvm.vm_bugged);
	user_td_teardown();
}

/* TDX_BUG_ON logs the SEAMCALL, its status and outputs, once per VM. */
static void test_TDX_BUG_ON_diagnostics(void **state)
{
	(void)state;
	user_td_setup(true);
	tdxmm_last_printk[0] = 0;
	assert_int_equal(tdxsim_inject(SC_MEM_PAGE_AUG, 1, TDX_OPERAND_INVALID), 0);
	assert_int_equal(kvm_tdp_map_page(&uvcpu[0], 0, ugpfn[0], PG_LEVEL_4K),
			 -EIO);
	assert_true(ukvm.vm_bugged);
	assert_non_null(strstr(tdxmm_last_printk,
			       "SEAMCALL TDH_MEM_PAGE_AUG failed: 0xc000010000000000"));
	assert_non_null(strstr(tdxmm_last_printk, "entry 0x"));
	assert_non_null(strstr(tdxmm_last_printk, "level_state 0x"));
	/* the next failure on the bugged VM is not logged again */
	tdxmm_last_printk[0] = 0;
	user_td_teardown();
	assert_null(strstr(tdxmm_last_printk, "TDH_MEM_PAGE_AUG"));

	/* PAGE.ADD's failure is logged as PAGE.ADD */
	user_td_setup(false);
	tdxmm_last_printk[0] = 0;
	assert_int_equal(tdxsim_inject(SC_MEM_PAGE_ADD, 1, TDX_OPERAND_INVALID), 0);
	assert_int_equal(tdx_init_mem_region(&uvcpu[0], 0, ugpfn[0],
					     ugpfn[0] + 100), -EIO);
	assert_non_null(strstr(tdxmm_last_printk,
			       "SEAMCALL TDH_MEM_PAGE_ADD failed: 0xc000010000000000"));
	user_td_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_INV_02_refusal_warns, reset_env),
		cmocka_unit_test_setup(test_mirror_bug_warns_once, reset_env),
		cmocka_unit_test_setup(test_KVM_BUG_ON_warns_once_per_vm, reset_env),
		cmocka_unit_test_setup(test_INV_06_retarget_is_BUG, reset_env),
		cmocka_unit_test_setup(test_INV_04_plain_store_of_frozen_warns, reset_env),
		cmocka_unit_test_setup(test_lockdep_assertions_fire, reset_env),
		cmocka_unit_test_setup(test_INV_13_removal_needs_the_write_lock,
				       reset_env),
		cmocka_unit_test_setup(test_lockdep_is_per_thread, reset_env),
		cmocka_unit_test_setup(test_slot_model_catches_planted_bugs, reset_env),
		cmocka_unit_test_setup(test_R2_racing_installers, reset_env),
		cmocka_unit_test_setup(test_INV_38_sleeping_allocation_in_atomic_context_is_caught,
				       reset_env),
		cmocka_unit_test_setup(test_INV_39_pamt_put_from_softirq_is_caught,
				       reset_env),
		cmocka_unit_test_setup(test_SPEC_0_4_4_page_add_src_is_serialised,
				       reset_env),
		cmocka_unit_test_setup(test_SPEC_0_4_3_concurrent_splits, reset_env),
		cmocka_unit_test_setup(test_TDX_BUG_ON_diagnostics, reset_env),
		cmocka_unit_test_setup(test_SPEC_0_4_9_split_order_and_lock_scope,
				       reset_env),
	};

	install_test_hooks();
	return cmocka_run_group_tests_name("user_backend", tests, NULL, NULL);
}
