// SPDX-License-Identifier: GPL-2.0
/*
 * The SPTE setters (SPEC B2-B5): every outcome of __tdp_mmu_set_spte_atomic,
 * tdp_mmu_set_spte_atomic and tdp_mmu_set_spte, the R1 regression, and each
 * run judged by the slot model of model/spte_model.c (INV-02..INV-05).
 */
#include <pthread.h>

#include "common.h"

/* ---- memory trace -> slot model ---- */
#define MAX_EV 4096
static struct spte_event evs[MAX_EV];
static int nr_ev;
static const void *traced;
static struct kvm *traced_kvm;
static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int my_tid;

static void trace(enum tdxmm_mem_ev ev, const void *addr, u64 old, u64 new)
{
	static const enum spte_access kind[] = {
		[TDXMM_EV_STORE] = SPTE_STORE,
		[TDXMM_EV_CMPXCHG_OK] = SPTE_CMPXCHG_OK,
		[TDXMM_EV_CMPXCHG_FAIL] = SPTE_CMPXCHG_FAIL,
		[TDXMM_EV_XCHG] = SPTE_XCHG,
	};
	enum tdxmm_held h;

	if (addr != traced)
		return;
	h = tdxmm_lock_held(&traced_kvm->mmu_lock.dep_map);
	pthread_mutex_lock(&ev_lock);
	if (nr_ev < MAX_EV)
		evs[nr_ev++] = (struct spte_event){
			.tid = my_tid, .kind = kind[ev], .old = old, .new = new,
			.lock = h == TDXMM_HELD_WRITE ? SPTE_LOCK_WRITE :
				h == TDXMM_HELD_READ ? SPTE_LOCK_READ : SPTE_LOCK_NONE,
		};
	pthread_mutex_unlock(&ev_lock);
}

static void trace_start(struct fixture *f, u64 *sptep)
{
	nr_ev = 0;
	traced = sptep;
	traced_kvm = &f->kvm;
	tdxmm_mem_trace = trace;
}

/* Replay the trace into the model; the SPTE must end where the model says. */
static void trace_check(u64 initial, u64 final, bool reachable)
{
	struct spte_slot s;

	tdxmm_mem_trace = NULL;
	spte_slot_init(&s, initial);
	for (int i = 0; i < nr_ev; i++) {
		if (!spte_slot_apply(&s, &evs[i]))
			fail_msg("INV-%02d violated at access %d: %s", s.violated, i, s.why);
	}
	assert_true(inv_02_freeze_owner(&s));
	assert_true(inv_03_unfrozen_at_rest(&s, reachable));
	assert_int_equal(s.val, final);
}

#define NP SHADOW_NONPRESENT_VALUE

/* ---- non-mirror: one cmpxchg ---- */
static void test_direct_install(void **state)
{
	struct fixture f;
	u64 leaf = make_leaf_spte(42, PG_LEVEL_4K);
	struct tdp_iter it;

	(void)state;
	fixture_init(&f);
	it = iter_at(&f.direct_sp, 3);
	trace_start(&f, it.sptep);
	read_lock(&f.kvm.mmu_lock);
	assert_int_equal(tdp_mmu_set_spte_atomic(&f.kvm, &it, leaf), 0);
	read_unlock(&f.kvm.mmu_lock);
	trace_check(NP, leaf, true);
	assert_int_equal(f.direct_pt[3], leaf);
	assert_int_equal(it.old_spte, NP);
	assert_int_equal(stub_ext.nr_calls, 0);
	assert_int_equal(leaf_pages(&f.kvm, PG_LEVEL_4K), 1);
}

/* INV-05: a lost race refreshes the snapshot with what was observed. */
static void test_INV_05_direct_lost_race(void **state)
{
	struct fixture f;
	u64 theirs = make_leaf_spte(7, PG_LEVEL_4K);
	struct tdp_iter it;

	(void)state;
	fixture_init(&f);
	it = iter_at(&f.direct_sp, 3);
	f.direct_pt[3] = theirs;		/* another vCPU won */
	read_lock(&f.kvm.mmu_lock);
	assert_int_equal(tdp_mmu_set_spte_atomic(&f.kvm, &it,
				make_leaf_spte(7, PG_LEVEL_4K)), -EBUSY);
	read_unlock(&f.kvm.mmu_lock);
	assert_true(inv_05_refreshed(it.old_spte, theirs));
	assert_int_equal(f.direct_pt[3], theirs);
	assert_int_equal(leaf_pages(&f.kvm, PG_LEVEL_4K), 0);
}

/* ---- mirror: freeze, hook, store/restore ---- */
static void test_mirror_install_freezes_around_hook(void **state)
{
	struct fixture f;
	u64 leaf = make_leaf_spte(0x1234, PG_LEVEL_4K);
	struct tdp_iter it;

	(void)state;
	fixture_init(&f);
	it = iter_at(&f.mirror_sp, 5);
	stub_ext.watch = it.sptep;
	trace_start(&f, it.sptep);
	read_lock(&f.kvm.mmu_lock);
	assert_int_equal(tdp_mmu_set_spte_atomic(&f.kvm, &it, leaf), 0);
	read_unlock(&f.kvm.mmu_lock);
	trace_check(NP, leaf, true);

	assert_int_equal(stub_ext.nr_calls, 1);	/* exactly once (R6) */
	assert_int_equal(stub_ext.calls[0].watched, FROZEN_SPTE);
	assert_int_equal(stub_ext.calls[0].gfn, 5);
	assert_int_equal(stub_ext.calls[0].old_spte, NP);
	assert_int_equal(stub_ext.calls[0].new_spte, leaf);
	assert_int_equal(stub_ext.calls[0].level, PG_LEVEL_4K);
	assert_int_equal(f.mirror_pt[5], leaf);
	assert_int_equal(leaf_pages(&f.kvm, PG_LEVEL_4K), 1);
	assert_false(f.kvm.vm_bugged);
}

/* INV-12: every hook failure restores the old value; stats untouched (R8). */
static void test_INV_12_mirror_hook_failure_restores(void **state)
{
	static const int errs[] = { -EBUSY, -ENOMEM, -EINVAL, -EIO };

	(void)state;
	for (unsigned i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		struct fixture f;
		struct tdp_iter it;

		fixture_init(&f);
		it = iter_at(&f.mirror_sp, 9);
		stub_ext.fail_nth = 1;
		stub_ext.fail_ret = errs[i];
		stub_ext.watch = it.sptep;
		trace_start(&f, it.sptep);
		read_lock(&f.kvm.mmu_lock);
		assert_int_equal(tdp_mmu_set_spte_atomic(&f.kvm, &it,
				make_leaf_spte(3, PG_LEVEL_4K)), errs[i]);
		read_unlock(&f.kvm.mmu_lock);
		trace_check(NP, NP, true);
		assert_int_equal(stub_ext.calls[0].watched, FROZEN_SPTE);
		assert_int_equal(f.mirror_pt[9], NP);
		assert_int_equal(it.old_spte, NP);
		assert_int_equal(leaf_pages(&f.kvm, PG_LEVEL_4K), 0);
	}
}

/* A lost freeze race never reaches the hook, and refreshes old_spte (P02). */
static void test_INV_05_mirror_lost_freeze(void **state)
{
	struct fixture f;
	u64 theirs = make_leaf_spte(8, PG_LEVEL_4K);
	struct tdp_iter it;

	(void)state;
	fixture_init(&f);
	it = iter_at(&f.mirror_sp, 1);
	f.mirror_pt[1] = theirs;
	read_lock(&f.kvm.mmu_lock);
	assert_int_equal(__tdp_mmu_set_spte_atomic(&f.kvm, &it,
				make_leaf_spte(8, PG_LEVEL_4K)), -EBUSY);
	read_unlock(&f.kvm.mmu_lock);
	assert_int_equal(stub_ext.nr_calls, 0);
	assert_int_equal(it.old_spte, theirs);
	assert_int_equal(f.mirror_pt[1], theirs);
}

/* Present old or non-present new on a mirror: VM bugged, -EIO, no write. */
static void test_mirror_bug_paths(void **state)
{
	struct fixture f;
	u64 leaf = make_leaf_spte(1, PG_LEVEL_4K);
	struct tdp_iter it;

	(void)state;
	fixture_init(&f);
	f.mirror_pt[2] = leaf;
	it = iter_at(&f.mirror_sp, 2);
	read_lock(&f.kvm.mmu_lock);
	assert_int_equal(tdp_mmu_set_spte_atomic(&f.kvm, &it,
				make_leaf_spte(1, PG_LEVEL_4K) | BIT_ULL(8)), -EIO);
	read_unlock(&f.kvm.mmu_lock);
	assert_true(f.kvm.vm_bugged);
	assert_true(f.kvm.vm_dead);
	assert_int_equal(f.mirror_pt[2], leaf);
	assert_int_equal(stub_ext.nr_calls, 0);
	assert_int_equal(tdxmm_env_stats.warns, 1);

	fixture_init(&f);
	it = iter_at(&f.mirror_sp, 2);
	read_lock(&f.kvm.mmu_lock);
	assert_int_equal(tdp_mmu_set_spte_atomic(&f.kvm, &it, 0), -EIO);
	read_unlock(&f.kvm.mmu_lock);
	assert_true(f.kvm.vm_bugged);
	assert_int_equal(f.mirror_pt[2], NP);
	assert_int_equal(stub_ext.nr_calls, 0);
}

/* Freezing a mirror SPTE through the API is a plain cmpxchg: no hook. */
static void test_mirror_freeze_via_api_is_plain(void **state)
{
	struct fixture f;
	struct tdp_iter it;

	(void)state;
	fixture_init(&f);
	it = iter_at(&f.mirror_sp, 0);
	read_lock(&f.kvm.mmu_lock);
	assert_int_equal(__tdp_mmu_set_spte_atomic(&f.kvm, &it, FROZEN_SPTE), 0);
	read_unlock(&f.kvm.mmu_lock);
	assert_int_equal(f.mirror_pt[0], FROZEN_SPTE);
	assert_int_equal(stub_ext.nr_calls, 0);
	assert_false(f.kvm.vm_bugged);
}

/* INV-02: a frozen snapshot or a yielded iterator is refused, not used. */
static void test_INV_02_refuses_frozen_or_yielded(void **state)
{
	struct fixture f;
	struct tdp_iter it;

	(void)state;
	fixture_init(&f);
	f.mirror_pt[4] = FROZEN_SPTE;		/* owned by someone else */
	it = iter_at(&f.mirror_sp, 4);
	read_lock(&f.kvm.mmu_lock);
	assert_int_equal(tdp_mmu_set_spte_atomic(&f.kvm, &it,
				make_leaf_spte(1, PG_LEVEL_4K)), -EBUSY);
	assert_int_equal(f.mirror_pt[4], FROZEN_SPTE);
	assert_int_equal(tdxmm_env_stats.warns, 1);

	it = iter_at(&f.direct_sp, 4);
	it.yielded = true;
	assert_int_equal(tdp_mmu_set_spte_atomic(&f.kvm, &it,
				make_leaf_spte(1, PG_LEVEL_4K)), -EBUSY);
	read_unlock(&f.kvm.mmu_lock);
	assert_int_equal(f.direct_pt[4], NP);
	assert_int_equal(stub_ext.nr_calls, 0);
	assert_int_equal(tdxmm_env_stats.warns, 2);
}

/*
 * R1.  A shared zap loop retries its cmpxchg without re-reading memory.
 * With P02 the failed freeze refreshes old_spte and the loop ends; the
 * pre-P02 helper froze a by-value copy, so the snapshot stayed stale and
 * the loop spun.  Both are run here: with P02 the loop sees the new value
 * after one attempt; the
 * modelled old helper must hit the bound.
 */
static int pre_p02_freeze(u64 *sptep, u64 old_spte /* by value: the bug */)
{
	if (!try_cmpxchg64(sptep, &old_spte, FROZEN_SPTE))
		return -EBUSY;
	return 0;
}

static void test_R1_failed_freeze_refreshes_and_loop_ends(void **state)
{
	struct fixture f;
	struct tdp_iter it;
	u64 current = make_leaf_spte(77, PG_LEVEL_4K);
	u64 stale;
	int tries = 0, ret;

	(void)state;
	fixture_init(&f);
	it = iter_at(&f.mirror_sp, 6);
	f.mirror_pt[6] = current;		/* changed behind our back */
	read_lock(&f.kvm.mmu_lock);
	do {
		ret = __tdp_mmu_set_spte_atomic(&f.kvm, &it,
				make_leaf_spte(77, PG_LEVEL_4K));
		tries++;
		/* a zap loop skips what is already present in this model */
		if (ret == -EBUSY && is_shadow_present_pte(it.old_spte))
			break;
	} while (ret == -EBUSY && tries < 1000);
	read_unlock(&f.kvm.mmu_lock);
	assert_int_equal(tries, 1);
	assert_int_equal(it.old_spte, current);

	/* The pre-P02 variant: the caller's snapshot never changes. */
	stale = NP;
	tries = 0;
	do {
		ret = pre_p02_freeze(&f.mirror_pt[6], stale);
		tries++;
	} while (ret == -EBUSY && !is_shadow_present_pte(stale) && tries < 1000);
	assert_int_equal(tries, 1000);		/* would spin forever */
	assert_false(inv_05_refreshed(stale, f.mirror_pt[6]));
}

/* ---- write-lock setter ---- */
static void test_write_zap_direct_leaf(void **state)
{
	struct fixture f;
	u64 leaf = make_leaf_spte(5, PG_LEVEL_4K);

	(void)state;
	fixture_init(&f);
	atomic64_set(&f.kvm.stat.pages[0], 1);
	f.direct_pt[7] = leaf;
	trace_start(&f, &f.direct_pt[7]);
	write_lock(&f.kvm.mmu_lock);
	assert_int_equal(tdp_mmu_set_spte(&f.kvm, &f.direct_sp, &f.direct_pt[7],
					  leaf, NP, 7, PG_LEVEL_4K), leaf);
	write_unlock(&f.kvm.mmu_lock);
	trace_check(leaf, NP, true);
	assert_int_equal(f.direct_pt[7], NP);
	assert_int_equal(leaf_pages(&f.kvm, PG_LEVEL_4K), 0);
	assert_int_equal(stub_ext.nr_calls, 0);
}

/* Mirror leaf removal is forwarded once with (old, new) (V5 P34/P36). */
static void test_write_zap_mirror_leaf_forwards(void **state)
{
	struct fixture f;
	u64 leaf = make_leaf_spte(5, PG_LEVEL_4K);
	struct tdp_iter it;

	(void)state;
	fixture_init(&f);
	atomic64_set(&f.kvm.stat.pages[0], 1);
	f.mirror_pt[8] = leaf;
	it = iter_at(&f.mirror_sp, 8);
	write_lock(&f.kvm.mmu_lock);
	tdp_mmu_iter_set_spte(&f.kvm, &it, NP);
	write_unlock(&f.kvm.mmu_lock);
	assert_int_equal(f.mirror_pt[8], NP);
	assert_int_equal(stub_ext.nr_calls, 1);
	assert_int_equal(stub_ext.calls[0].old_spte, leaf);
	assert_int_equal(stub_ext.calls[0].new_spte, NP);
	assert_int_equal(stub_ext.calls[0].gfn, 8);
	assert_int_equal(leaf_pages(&f.kvm, PG_LEVEL_4K), 0);
	assert_false(f.kvm.vm_bugged);
}

/* A failed removal hook bugs the VM and leaves the stats alone (R8). */
static void test_write_zap_mirror_hook_failure_bugs_vm(void **state)
{
	struct fixture f;
	u64 leaf = make_leaf_spte(5, PG_LEVEL_4K);

	(void)state;
	fixture_init(&f);
	atomic64_set(&f.kvm.stat.pages[0], 1);
	f.mirror_pt[8] = leaf;
	stub_ext.fail_nth = -1;
	stub_ext.fail_ret = -EIO;
	write_lock(&f.kvm.mmu_lock);
	tdp_mmu_set_spte(&f.kvm, &f.mirror_sp, &f.mirror_pt[8], leaf, NP, 8,
			 PG_LEVEL_4K);
	write_unlock(&f.kvm.mmu_lock);
	assert_true(f.kvm.vm_bugged);
	assert_int_equal(leaf_pages(&f.kvm, PG_LEVEL_4K), 1);
}

/* INV-07, and table removal before handle_removed_pt exists: VM bugged. */
static void test_INV_07_mirror_promotion_bugs_vm(void **state)
{
	struct fixture f;
	u64 nl = make_nonleaf_spte(0x99), huge = make_leaf_spte(0x200, PG_LEVEL_2M);

	(void)state;
	fixture_init(&f);
	f.mirror_sp.role.level = PG_LEVEL_2M;
	f.mirror_pt[0] = nl;
	write_lock(&f.kvm.mmu_lock);
	tdp_mmu_set_spte(&f.kvm, &f.mirror_sp, &f.mirror_pt[0], nl, huge, 0,
			 PG_LEVEL_2M);
	write_unlock(&f.kvm.mmu_lock);
	assert_false(inv_07_no_promotion(nl, huge, PG_LEVEL_2M, true));
	assert_true(f.kvm.vm_bugged);
	assert_int_equal(stub_ext.nr_calls, 0);
}

/* INV-06: retargeting a present leaf in place is BUG(). */
static void test_INV_06_retarget_is_BUG(void **state)
{
	struct fixture f;
	u64 a = make_leaf_spte(1, PG_LEVEL_4K), b = make_leaf_spte(2, PG_LEVEL_4K);

	(void)state;
	fixture_init(&f);
	f.direct_pt[0] = a;
	write_lock(&f.kvm.mmu_lock);
	bug_armed = true;
	if (setjmp(bug_jmp) == 0) {
		tdp_mmu_set_spte(&f.kvm, &f.direct_sp, &f.direct_pt[0], a, b, 0,
				 PG_LEVEL_4K);
		fail_msg("BUG() did not fire");
	}
	write_unlock(&f.kvm.mmu_lock);
	assert_int_equal(tdxmm_env_stats.bugs, 1);
}

/* INV-04: a plain store of FROZEN warns. */
static void test_INV_04_plain_store_of_frozen_warns(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	write_lock(&f.kvm.mmu_lock);
	tdp_mmu_set_spte(&f.kvm, &f.direct_sp, &f.direct_pt[0], NP, FROZEN_SPTE,
			 0, PG_LEVEL_4K);
	write_unlock(&f.kvm.mmu_lock);
	assert_int_equal(tdxmm_env_stats.warns, 1);
	assert_false(inv_04_plain_store(NP, FROZEN_SPTE, SPTE_LOCK_WRITE));
}

/* ---- lockdep of the user backend really checks the calling thread ---- */
static void test_lockdep_assertions_fire(void **state)
{
	struct fixture f;
	struct tdp_iter it;
	spinlock_t sl = { .dep_map = { "pamt_lock" } };

	(void)state;
	fixture_init(&f);
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

	/* The setters assert their lock mode. */
	it = iter_at(&f.direct_sp, 0);
	tdp_mmu_set_spte_atomic(&f.kvm, &it, make_leaf_spte(1, PG_LEVEL_4K));
	assert_int_equal(lockdep_hits, 4);
	tdp_mmu_set_spte(&f.kvm, &f.direct_sp, &f.direct_pt[0], f.direct_pt[0],
			 NP, 0, PG_LEVEL_4K);
	assert_int_equal(lockdep_hits, 5);

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

	my_tid = r->tid;
	for (int i = 0; i < RACE_ROUNDS; i++) {
		struct tdp_iter it;
		int ret;

		pthread_barrier_wait(r->bar);
		read_lock(&r->f->kvm.mmu_lock);
		it = iter_at(&r->f->mirror_sp, 0);
		it.old_spte = NP;
		ret = tdp_mmu_set_spte_atomic(&r->f->kvm, &it,
				make_leaf_spte(r->tid, PG_LEVEL_4K));
		read_unlock(&r->f->kvm.mmu_lock);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_install),
		cmocka_unit_test(test_INV_05_direct_lost_race),
		cmocka_unit_test(test_mirror_install_freezes_around_hook),
		cmocka_unit_test(test_INV_12_mirror_hook_failure_restores),
		cmocka_unit_test(test_INV_05_mirror_lost_freeze),
		cmocka_unit_test(test_mirror_bug_paths),
		cmocka_unit_test(test_mirror_freeze_via_api_is_plain),
		cmocka_unit_test(test_INV_02_refuses_frozen_or_yielded),
		cmocka_unit_test(test_R1_failed_freeze_refreshes_and_loop_ends),
		cmocka_unit_test(test_write_zap_direct_leaf),
		cmocka_unit_test(test_write_zap_mirror_leaf_forwards),
		cmocka_unit_test(test_write_zap_mirror_hook_failure_bugs_vm),
		cmocka_unit_test(test_INV_07_mirror_promotion_bugs_vm),
		cmocka_unit_test(test_INV_06_retarget_is_BUG),
		cmocka_unit_test(test_INV_04_plain_store_of_frozen_warns),
		cmocka_unit_test(test_lockdep_assertions_fire),
		cmocka_unit_test(test_lockdep_is_per_thread),
		cmocka_unit_test(test_slot_model_catches_planted_bugs),
		cmocka_unit_test(test_R2_racing_installers),
	};

	install_test_hooks();
	return cmocka_run_group_tests_name("tdp_mmu", tests, NULL, NULL);
}
