// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "spte_model.h"
#include "trace_model.h"

#define MAX_EV 4096
static struct spte_event evs[MAX_EV];
static int nr_ev;
static const void *traced;
static struct kvm *traced_kvm;
static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
__thread int trace_tid;

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
			.tid = trace_tid, .kind = kind[ev], .old = old, .new = new,
			.lock = h == TDXMM_HELD_WRITE ? SPTE_LOCK_WRITE :
				h == TDXMM_HELD_READ ? SPTE_LOCK_READ : SPTE_LOCK_NONE,
		};
	pthread_mutex_unlock(&ev_lock);
}

void trace_start(struct kvm *kvm, u64 *sptep)
{
	nr_ev = 0;
	traced = sptep;
	traced_kvm = kvm;
	tdxmm_mem_trace = trace;
}

void trace_check(u64 initial, u64 final, bool reachable)
{
	struct spte_slot s;

	tdxmm_mem_trace = NULL;
	assert_true(nr_ev > 0 && nr_ev < MAX_EV);
	spte_slot_init(&s, initial);
	for (int i = 0; i < nr_ev; i++)
		if (!spte_slot_apply(&s, &evs[i]))
			fail_msg("INV-%02d violated at access %d: %s", s.violated, i, s.why);
	assert_true(inv_02_freeze_owner(&s));
	assert_true(inv_03_unfrozen_at_rest(&s, reachable));
	assert_int_equal(s.val, final);
}
