/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One scenario table for every harness: cmocka (tests/test_scenarios.c)
 * and KUnit (harness/kernel/tdxmm_kunit.c) run the same list, so the two
 * suites cannot drift.  Scenario code uses no libc and nothing
 * backend-specific; a harness supplies struct scn and the hooks below.
 */
#ifndef TDXMM_SCENARIOS_H
#define TDXMM_SCENARIOS_H

#include "env.h"
#include "kvm.h"
#include "spte.h"
#include "spte_model.h"
#include "stub_external.h"
#include "tdx_module.h"
#include "tdp_iter.h"
#include "tdp_mmu.h"
#include "pamt.h"

struct scn;	/* the harness's context (a struct kunit *, or nothing) */

/* Report a failed check; the scenario then returns. */
void scn_fail(struct scn *s, const char *file, int line, const char *what,
	      u64 a, u64 b);
/*
 * Optional observation: the user harness traces every access to @sptep
 * and replays it through model/spte_model.c at scn_trace_end(); KUnit has
 * no trace hook and does nothing.
 */
void scn_trace_begin(struct scn *s, struct kvm *kvm, u64 *sptep);
void scn_trace_end(struct scn *s, u64 initial, u64 final);

#define SCN_EQ(s, a, b)							\
do {									\
	u64 __a = (u64)(a), __b = (u64)(b);				\
	if (__a != __b) {						\
		scn_fail(s, __FILE__, __LINE__, #a " == " #b, __a, __b);\
		return;							\
	}								\
} while (0)
#define SCN_TRUE(s, c) SCN_EQ(s, !!(c), 1)
#define SCN_FALSE(s, c) SCN_EQ(s, !!(c), 0)

struct scenario {
	const char *name;	/* INV_NN_... when it checks an invariant */
	void (*run)(struct scn *s);
};

extern const struct scenario tdxmm_scenarios[];
extern const int tdxmm_nr_scenarios;
/* The S-EPT life cycle against the simulator (tests/sept_scenarios.c). */
extern const struct scenario tdxmm_sept_scenarios[];
extern const int tdxmm_nr_sept_scenarios;
extern int tdxmm_sept_triples;
/* Dynamic PAMT against the simulator (tests/pamt_scenarios.c). */
extern const struct scenario tdxmm_pamt_scenarios[];
extern const int tdxmm_nr_pamt_scenarios;
/* guest_memfd attributes and conversion (tests/gmem_scenarios.c). */
extern const struct scenario tdxmm_gmem_scenarios[];
extern const int tdxmm_nr_gmem_scenarios;

/*
 * Page accounting, from the harness: pool pages in use (-1 if the backend
 * has no pool), and NULL if every page is free, the test's guest region,
 * or counted in kvm->stat.leaked_pages, with no free page still the
 * module's (INV-18); else what is wrong.
 */
long scn_pool_used(void);
/* Forget the previous test's pages (its TD is gone from the simulator). */
void scn_pool_reset(void);
const char *scn_pages_accounted(const struct kvm *kvm, void *guest,
				unsigned int guest_order, long pool_before);
/* TDX memory for Dynamic PAMT: fills @b, returns how many blocks. */
int scn_tdx_memblocks(struct tdx_memblock *b);
/*
 * Run fn(a) and fn(b) on two threads at once (pthreads, or kthreads in the
 * kernel) and wait for both; 0, or -errno if a thread could not start.
 */
int scn_run_pair(int (*fn)(void *), void *a, void *b);
/*
 * A trace (docs/TRACE-FORMAT.md) of what runs between start and stop: the
 * user harness writes build/tests/trace-@name.jsonl; the kernel enables
 * tdxmm's trace events and dumps the trace buffer to the log at stop
 * (kernel-check.sh turns it into build/kernel/trace-MODE.jsonl).  scn_op()
 * and scn_ret() record an entry point's call and result (@args: its JSON
 * members, or "").
 */
void scn_trace_start(struct scn *s, const char *name);
void scn_trace_stop(struct scn *s);
void scn_op(const char *op, const char *args);
/* snprintf of the harness's libc or kernel (tests/ include neither). */
int scn_fmt(char *buf, int len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void scn_ret(const char *op, long ret, bool bugged);
/* Let another thread run (a busy wait on UML's single CPU needs it). */
void scn_yield(void);
/* WARN_ON_ONCE conditions hit so far (both backends count them). */
long scn_warns(void);
/* A line of information in the test's output. */
void scn_info(struct scn *s, const char *fmt, ...);
/* Make allocation @nth from now fail, where the backend can (0: disarm). */
void scn_alloc_fail_nth(unsigned int nth);
bool scn_alloc_fail_supported(void);
/*
 * Run @fn once, on this thread, just before the next attempt to take
 * @lock: an interleaving made deterministic (the user backend's
 * scheduling hook).  False where the backend has no such hook (KUnit);
 * the scenario then skips that interleaving.
 */
bool scn_before_lock(const void *lock, void (*fn)(void));
/*
 * Run @fn once, on this thread, at its @nth scheduling point (an atomic
 * access or a lock operation of the env seam) at which it holds no lock
 * and is outside RCU: every such point in turn, one run each, explores
 * every place another operation can slip in.  0 disarms.
 * scn_point_fired(): whether @fn ran.  False where there is no hook.
 */
bool scn_at_quiet_point(unsigned int nth, void (*fn)(void));
/* The same at points where the thread holds at most @max_held locks. */
bool scn_at_point(unsigned int nth, int max_held, void (*fn)(void));
bool scn_point_fired(void);

/* A VM with one mirror and one direct table of 512 SPTEs. */
struct fixture {
	struct kvm kvm;
	u64 mirror_pt[SPTE_ENT_PER_PAGE];
	u64 direct_pt[SPTE_ENT_PER_PAGE];
	struct kvm_mmu_page mirror_sp, direct_sp;
};

void fixture_init(struct fixture *f);
/* mmu_lock plus RCU, as the TDP MMU's walkers hold them upstream. */
void mmu_read_lock(struct kvm *kvm);
void mmu_read_unlock(struct kvm *kvm);
void mmu_write_lock(struct kvm *kvm);
void mmu_write_unlock(struct kvm *kvm);
struct tdp_iter iter_at(struct kvm_mmu_page *sp, int idx);
s64 leaf_pages(struct kvm *kvm, int level);

#endif
