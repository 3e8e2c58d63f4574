/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User backend of the env seam (see impl/env.h): GCC __atomic builtins,
 * pthread locks, and lockdep-style assertions that check the calling
 * thread really holds the lock.  Observation and failure hooks for tests
 * live in env_user.c (tdxmm_env_* below), after the pattern of the
 * kernel's tools/testing/shared harness.
 */
#ifndef TDXMM_ENV_USER_H
#define TDXMM_ENV_USER_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/ioctl.h>	/* _IOW, _IOWR: the uAPI numbers */

#define VM_FAULT_SIGBUS	0x0002	/* include/linux/mm_types.h: vm_fault_t */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
typedef u64 gfn_t;
typedef u64 kvm_pfn_t;
typedef u64 gpa_t;

#define __rcu
#define __must_check __attribute__((warn_unused_result))
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

/* ---- scheduling points (harness/mc's deterministic scheduler) ---- */
/*
 * When set, called before every atomic access and lock operation of the
 * env seam (and, from the simulator's call hook, every SEAMCALL), by the
 * one thread the scheduler lets run.  BLOCKED: a lock was not free; the
 * thread may not run again before an UNLOCK.
 */
enum tdxmm_sched_ev {
	TDXMM_SCHED_ACCESS, TDXMM_SCHED_LOCK, TDXMM_SCHED_BLOCKED,
	TDXMM_SCHED_UNLOCK,
};
extern void (*tdxmm_sched_hook)(enum tdxmm_sched_ev ev, const void *obj);
#define tdxmm_sched(ev, obj)						\
do {									\
	if (unlikely(tdxmm_sched_hook))					\
		tdxmm_sched_hook((ev), (obj));				\
} while (0)

/*
 * When set, told of every synchronisation the env seam performs, for
 * harness/mc's happens-before race detector: a lock acquired or released
 * (@obj the lock's lockdep map, @arg its enum tdxmm_held), an outermost
 * RCU read-side section entered or left, a grace period waited for,
 * memory allocated or freed (@obj, @arg its size).
 */
enum tdxmm_sync_ev {
	TDXMM_SYNC_ACQUIRE, TDXMM_SYNC_RELEASE,
	TDXMM_SYNC_RCU_LOCK, TDXMM_SYNC_RCU_UNLOCK, TDXMM_SYNC_RCU_SYNC,
	TDXMM_SYNC_ALLOC, TDXMM_SYNC_FREE,
};
extern void (*tdxmm_sync_hook)(enum tdxmm_sync_ev ev, const void *obj,
			       unsigned long arg);

/* ---- memory access trace (observed by model/ checkers in tests) ---- */
enum tdxmm_mem_ev {
	TDXMM_EV_STORE,		/* WRITE_ONCE of a u64 */
	TDXMM_EV_CMPXCHG_OK,	/* try_cmpxchg64 succeeded */
	TDXMM_EV_CMPXCHG_FAIL,	/* try_cmpxchg64 failed: 'old' observed */
	TDXMM_EV_XCHG,		/* xchg of a u64 */
};
typedef void (*tdxmm_mem_trace_fn)(enum tdxmm_mem_ev ev, const void *addr,
				   u64 old, u64 new);
extern tdxmm_mem_trace_fn tdxmm_mem_trace;

/*
 * Orders as the kernel's memory model gives them, so that harness/mc's race
 * detector (harness/mc/race.c) sees no more ordering than the kernel has:
 * READ_ONCE carries address dependencies (consume); value-returning atomic
 * RMWs are fully ordered on success, a failed cmpxchg orders nothing beyond
 * the dependencies of the value it read; the non-value-returning ones
 * (atomic_inc, atomic_dec, atomic64_add, set_bit, clear_bit) are relaxed.
 */
#define READ_ONCE(x)							\
({									\
	tdxmm_sched(TDXMM_SCHED_ACCESS, &(x));				\
	__atomic_load_n(&(x), __ATOMIC_CONSUME);			\
})
#define WRITE_ONCE(x, val)						\
do {									\
	__typeof__(x) __v = (val);					\
	tdxmm_sched(TDXMM_SCHED_ACCESS, &(x));				\
	__atomic_store_n(&(x), __v, __ATOMIC_RELAXED);			\
	if (sizeof(x) == 8 && tdxmm_mem_trace)				\
		tdxmm_mem_trace(TDXMM_EV_STORE, &(x), 0, (u64)__v);	\
} while (0)

static inline bool try_cmpxchg64(u64 *ptr, u64 *oldp, u64 new)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, ptr);
	u64 expected = *oldp;
	bool ok = __atomic_compare_exchange_n(ptr, oldp, new, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_CONSUME);
	if (tdxmm_mem_trace)
		tdxmm_mem_trace(ok ? TDXMM_EV_CMPXCHG_OK : TDXMM_EV_CMPXCHG_FAIL,
				ptr, ok ? expected : *oldp, new);
	return ok;
}

static inline u64 tdxmm_xchg64(u64 *ptr, u64 new)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, ptr);
	u64 old = __atomic_exchange_n(ptr, new, __ATOMIC_SEQ_CST);

	if (tdxmm_mem_trace)
		tdxmm_mem_trace(TDXMM_EV_XCHG, ptr, old, new);
	return old;
}
/* impl/ only exchanges SPTEs; a wider xchg would need _Generic here. */
#define xchg(ptr, new) tdxmm_xchg64((ptr), (new))

static inline void cpu_relax(void)
{
	__builtin_ia32_pause();
}

/* ---- atomic_t / atomic64_t ---- */
typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
#define ATOMIC_INIT(i) { (i) }

static inline int atomic_read(const atomic_t *v)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}
static inline void atomic_set(atomic_t *v, int i)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}
static inline void atomic_inc(atomic_t *v)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	__atomic_fetch_add(&v->counter, 1, __ATOMIC_RELAXED);
}
static inline void atomic_dec(atomic_t *v)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	__atomic_fetch_sub(&v->counter, 1, __ATOMIC_RELAXED);
}
static inline bool atomic_dec_and_test(atomic_t *v)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == 0;
}
/* Add @a unless the value is @u; true if added (kernel semantics). */
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int c = atomic_read(v);

	do {
		if (c == u)
			return false;
		tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	} while (!__atomic_compare_exchange_n(&v->counter, &c, c + a, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return true;
}
static inline bool atomic_inc_not_zero(atomic_t *v)
{
	return atomic_add_unless(v, 1, 0);
}
static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	__atomic_compare_exchange_n(&v->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	return old;
}
static inline bool atomic_try_cmpxchg(atomic_t *v, int *old, int new)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	return __atomic_compare_exchange_n(&v->counter, old, new, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}
static inline s64 atomic64_read(const atomic64_t *v)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}
static inline void atomic64_set(atomic64_t *v, s64 i)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}
static inline void atomic64_add(s64 i, atomic64_t *v)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, v);
	__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);
}

#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

static inline void set_bit(long nr, unsigned long *addr)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, addr);
	__atomic_fetch_or(addr, 1UL << nr, __ATOMIC_RELAXED);
}
static inline bool test_and_set_bit(long nr, unsigned long *addr)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, addr);
	return (__atomic_fetch_or(addr, 1UL << nr, __ATOMIC_SEQ_CST) >> nr) & 1;
}
static inline void clear_bit(long nr, unsigned long *addr)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, addr);
	__atomic_fetch_and(addr, ~(1UL << nr), __ATOMIC_RELAXED);
}
static inline bool test_bit(long nr, const unsigned long *addr)
{
	tdxmm_sched(TDXMM_SCHED_ACCESS, addr);
	return (__atomic_load_n(addr, __ATOMIC_RELAXED) >> nr) & 1;
}

/* ---- locks with lockdep-style ownership tracking ---- */
enum tdxmm_held { TDXMM_HELD_NONE, TDXMM_HELD_READ, TDXMM_HELD_WRITE };
struct tdxmm_lockdep_map {
	const char *name;
	bool may_sleep;	/* a mutex: holding it does not forbid sleeping */
	u8 usage;	/* LOCK_USED_* (model/context_check.h): INV-39 */
	u64 write_asserts;	/* lockdep_assert_held_write()s evaluated */
};

typedef struct {
	struct tdxmm_lockdep_map dep_map;
	pthread_mutex_t m;
} spinlock_t;

typedef struct {
	struct tdxmm_lockdep_map dep_map;
	pthread_rwlock_t rw;
} rwlock_t;

/* A sleeping lock (kernel struct mutex): might_sleep() before taking it. */
struct mutex {
	struct tdxmm_lockdep_map dep_map;
	pthread_mutex_t m;
};

void tdxmm_lock_acquired(struct tdxmm_lockdep_map *map, enum tdxmm_held how);
bool tdxmm_lock_released(struct tdxmm_lockdep_map *map);
enum tdxmm_held tdxmm_lock_held(const struct tdxmm_lockdep_map *map);
/* tdxmm_lock_held() for a lockdep assertion, counted (evidence, INV-13) */
enum tdxmm_held tdxmm_lock_asserted(struct tdxmm_lockdep_map *map, bool write);
void tdxmm_lockdep_fail(const char *file, int line, const char *what,
			const char *lock);

/* Named after the lock's expression, as lockdep names a class. */
void tdxmm_spin_lock_init(spinlock_t *l, const char *name);
#define spin_lock_init(l) tdxmm_spin_lock_init((l), #l)
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_is_locked(spinlock_t *l);
void tdxmm_rwlock_init(rwlock_t *l, const char *name);
#define rwlock_init(l) tdxmm_rwlock_init((l), #l)
void read_lock(rwlock_t *l);
void read_unlock(rwlock_t *l);
void write_lock(rwlock_t *l);
void write_unlock(rwlock_t *l);
void tdxmm_mutex_init(struct mutex *l, const char *name);
#define mutex_init(l) tdxmm_mutex_init((l), #l)
void mutex_lock(struct mutex *l);
void mutex_unlock(struct mutex *l);
bool mutex_is_locked(struct mutex *l);
/* true with @lock held iff the count dropped to 0 (kernel semantics) */
bool atomic_dec_and_lock(atomic_t *v, spinlock_t *lock);

#define __tdxmm_lockdep_check(l, ok, what, wr)				\
do {									\
	enum tdxmm_held __h = tdxmm_lock_asserted(&(l)->dep_map, (wr));	\
	if (!(ok))							\
		tdxmm_lockdep_fail(__FILE__, __LINE__, what,		\
				   (l)->dep_map.name);			\
} while (0)
#define lockdep_assert_held(l)						\
	__tdxmm_lockdep_check(l, __h != TDXMM_HELD_NONE, "held", 0)
#define lockdep_assert_held_read(l)					\
	__tdxmm_lockdep_check(l, __h == TDXMM_HELD_READ, "held for read", 0)
#define lockdep_assert_held_write(l)					\
	__tdxmm_lockdep_check(l, __h == TDXMM_HELD_WRITE, "held for write", 1)

/* ---- RCU: a per-thread read-side depth, so misuse is detectable ---- */
void rcu_read_lock(void);
void rcu_read_unlock(void);
bool rcu_read_lock_held(void);
/* As PROVE_RCU: dereferencing outside a read-side section is reported. */
#define rcu_dereference(p)						\
({									\
	if (!rcu_read_lock_held())					\
		tdxmm_lockdep_fail(__FILE__, __LINE__,			\
				   "held (suspicious RCU usage)", "rcu_read_lock"); \
	(p);								\
})

/* ---- WARN / BUG (KVM_BUG_ON is impl/kvm.h's) ---- */
void tdxmm_warn(const char *file, int line, const char *cond, bool first);
_Noreturn void tdxmm_bug(const char *file, int line);

#define WARN_ON_ONCE(cond)						\
({									\
	static bool __warned;						\
	bool __c = !!(cond);						\
	if (unlikely(__c)) {						\
		tdxmm_warn(__FILE__, __LINE__, #cond, !__warned);	\
		__warned = true;					\
	}								\
	__c;								\
})
#define WARN_ON(cond)							\
({									\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		tdxmm_warn(__FILE__, __LINE__, #cond, true);		\
	__c;								\
})
/* printk: stderr unless quiet; the last line is kept for tests. */
void tdxmm_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define pr_err(fmt, ...) tdxmm_printk(fmt, ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...) tdxmm_printk(fmt, ##__VA_ARGS__)
#define BUG() tdxmm_bug(__FILE__, __LINE__)
#define BUG_ON(cond) do { if (unlikely(cond)) BUG(); } while (0)

/* ---- memory: a page pool standing in for the buddy allocator ---- */
/*
 * Pages come from one 2 MiB-aligned pool, so pfns are real addresses >> 12,
 * 2 MiB regions are real regions, and every page is either free or
 * accounted to its taker (tdxmm_pool_used()).  page_private mirrors struct
 * page's private field, which upstream uses to find an SPT's kvm_mmu_page.
 */
#define PAGE_SHIFT 12
#define PAGE_SIZE 4096UL
#include "pg_level.h"	/* enum pg_level */
typedef unsigned int gfp_t;
#define GFP_KERNEL 0u
#define GFP_KERNEL_ACCOUNT 0u
#define TDXMM_POOL_ORDER_MAX 9

void *tdxmm_alloc_pages(unsigned int order);	/* zeroed; NULL if none */
void tdxmm_free_pages(void *addr, unsigned int order);
#define tdxmm_alloc_page() tdxmm_alloc_pages(0)
#define tdxmm_free_page(p) tdxmm_free_pages((p), 0)
u64 tdxmm_virt_to_pfn(const void *addr);
void *tdxmm_pfn_to_virt(u64 pfn);		/* NULL outside the pool */
bool tdxmm_pfn_valid(u64 pfn);
void tdxmm_set_page_private(void *addr, void *priv);
void *tdxmm_page_private(const void *addr);
void *kzalloc(unsigned long size, gfp_t gfp);
#define kvzalloc(size, gfp) kzalloc((size), (gfp))
#define kvfree(p) kfree(p)

/* kvm_get_running_vcpu(): the vCPU this thread runs (vcpu_load), if any. */
struct kvm_vcpu;
extern __thread struct kvm_vcpu *tdxmm_running_vcpu;
#define kvm_get_running_vcpu() tdxmm_running_vcpu
#define tdxmm_set_running_vcpu(v) (tdxmm_running_vcpu = (v))
void kfree(const void *p);
/* RCU readers are this thread's only: waiting means none is active. */
void synchronize_rcu(void);
#define might_sleep() tdxmm_might_sleep(__FILE__, __LINE__)
void tdxmm_might_sleep(const char *file, int line);
/*
 * Run what follows as a softirq would (an RCU callback, say): harnesses
 * use it to show INV-38/INV-39 are enforced; impl/ never runs there (R3).
 */
void tdxmm_softirq_enter(void);
void tdxmm_softirq_exit(void);

/* ---- test hooks (not used by impl/) ---- */
struct tdxmm_env_stats {
	unsigned long warns;		/* every WARN hit, not just the first */
	unsigned long lockdep_failures;
	unsigned long bugs;
};
extern struct tdxmm_env_stats tdxmm_env_stats;
/* WARN_ON_ONCE conditions hit so far (the observer API's, every backend). */
static inline unsigned long tdxmm_warn_count(void)
{
	return __atomic_load_n(&tdxmm_env_stats.warns, __ATOMIC_RELAXED);
}
/* BUG()s hit (a harness's hook returned from them). */
static inline unsigned long tdxmm_bug_count(void)
{
	return __atomic_load_n(&tdxmm_env_stats.bugs, __ATOMIC_RELAXED);
}
/* Called on a lockdep failure / BUG(); default prints and aborts. */
extern void (*tdxmm_lockdep_fail_hook)(const char *msg);
/* A test may longjmp out of tdxmm_bug_hook; if it returns, we abort. */
extern void (*tdxmm_bug_hook)(const char *file, int line);
extern bool tdxmm_warn_quiet;
/* the last pr_err() line */
extern char tdxmm_last_printk[256];
/* "file:line: condition" of the last WARN hit */
extern char tdxmm_last_warn[160];
void tdxmm_env_reset_stats(void);
/* Pages taken from the pool and kzalloc'ed objects not yet freed. */
unsigned long tdxmm_pool_used(void);
unsigned long tdxmm_kmalloc_live(void);
/* Free every live kzalloc() object (a harness restarting its world). */
void tdxmm_kmalloc_free_all(void);
/* Make allocation number @nth from now fail (1-based; 0 disarms). */
void tdxmm_alloc_fail_nth(unsigned int nth);
unsigned long tdxmm_pool_pages(void);
void *tdxmm_pool_base(void);
bool tdxmm_pfn_taken(u64 pfn);
/* The same for every pool page at once, indexed from tdxmm_pool_base(). */
const unsigned char *tdxmm_pool_taken(void);
/* Between tests: every pool page free again, counters zero. */
void tdxmm_pool_reset(void);
/* Guest memory for a harness: pool pages, not zeroed (impl/ never reads them). */
void *tdxmm_alloc_pages_uninit(unsigned int order);

/* Locks this thread holds plus its RCU read-side depth (test hooks). */
int tdxmm_thread_locks_held(void);
/* Forget this thread's held locks and RCU depth (between tests only). */
void tdxmm_lockdep_reset_thread(void);


/* ---- trace events (docs/TRACE-FORMAT.md), written by env_user.c ---- */
/*
 * From tdxmm_trace_open() on, every SPTE change, PAMT refcount change and
 * SEAMCALL (the simulator's trace hook) is a line of the JSON Lines trace
 * at @path, and so is each entry point a harness reports with
 * tdxmm_trace_op()/tdxmm_trace_ret().  0, or -1 with errno.
 */
extern bool tdxmm_tracing;
int tdxmm_trace_open(const char *path, const char *producer);
void tdxmm_trace_close(void);
void tdxmm_trace_spte_changed(int as_id, u64 gfn, int level, u64 old, u64 new);
void tdxmm_trace_pamt_refcount(u64 pfn, int delta);
/* @args: the operation's own JSON members, e.g. "\"gfn\": 0" (or ""). */
void tdxmm_trace_op(const char *op, const char *args);
void tdxmm_trace_ret(const char *op, long ret, const char *extra);
/* Upstream's tracepoint (arch/x86/kvm/mmu/mmutrace.h) and tdxmm's own. */
#define trace_kvm_tdp_mmu_spte_changed(as_id, gfn, level, old, new)	\
do {									\
	if (tdxmm_tracing)						\
		tdxmm_trace_spte_changed(as_id, gfn, level, old, new);	\
} while (0)
#define trace_tdx_pamt_refcount(pfn, delta)				\
do {									\
	if (tdxmm_tracing)						\
		tdxmm_trace_pamt_refcount(pfn, delta);			\
} while (0)

#endif /* TDXMM_ENV_USER_H */
