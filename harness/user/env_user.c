// SPDX-License-Identifier: GPL-2.0
/*
 * User backend of the env seam: lock ownership tracking (lockdep), RCU
 * read-side depth, WARN/BUG accounting and the memory-access trace hook.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "env_user.h"
#include "context_check.h"
#include "tdx_module.h"

#define MAX_HELD 16

struct held_lock {
	const struct tdxmm_lockdep_map *map;
	enum tdxmm_held how;
};

static __thread struct held_lock held[MAX_HELD];
static __thread int nr_held;
static __thread int rcu_depth;
static __thread int softirq_depth;

struct tdxmm_env_stats tdxmm_env_stats;
tdxmm_mem_trace_fn tdxmm_mem_trace;
void (*tdxmm_lockdep_fail_hook)(const char *msg);
void (*tdxmm_bug_hook)(const char *file, int line);
bool tdxmm_warn_quiet;
void (*tdxmm_sched_hook)(enum tdxmm_sched_ev ev, const void *obj);
void (*tdxmm_sync_hook)(enum tdxmm_sync_ev ev, const void *obj,
			 unsigned long arg);

#define tdxmm_sync(ev, obj, arg)					\
do {									\
	if (tdxmm_sync_hook)						\
		tdxmm_sync_hook((ev), (obj), (arg));			\
} while (0)

char tdxmm_last_printk[256];

void tdxmm_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tdxmm_last_printk, sizeof(tdxmm_last_printk), fmt, ap);
	va_end(ap);
	if (!tdxmm_warn_quiet)
		fputs(tdxmm_last_printk, stderr);
}

void tdxmm_env_reset_stats(void)
{
	tdxmm_env_stats = (struct tdxmm_env_stats){ 0 };
}

void tdxmm_lockdep_reset_thread(void)
{
	nr_held = 0;
	rcu_depth = 0;
	softirq_depth = 0;
}

void tdxmm_lockdep_fail(const char *file, int line, const char *what,
			const char *lock)
{
	char msg[256];

	__atomic_fetch_add(&tdxmm_env_stats.lockdep_failures, 1,
			   __ATOMIC_RELAXED);
	snprintf(msg, sizeof(msg), "%s:%d: lockdep: %s not %s", file, line,
		 lock ? lock : "lock", what);
	if (tdxmm_lockdep_fail_hook) {
		tdxmm_lockdep_fail_hook(msg);
		return;
	}
	fprintf(stderr, "%s\n", msg);
	abort();
}

void tdxmm_lock_acquired(struct tdxmm_lockdep_map *map, enum tdxmm_held how)
{
	if (tdxmm_lock_held(map) != TDXMM_HELD_NONE)
		tdxmm_lockdep_fail(__FILE__, __LINE__,
				   "acquired recursively (deadlock), so",
				   map->name);
	if (nr_held == MAX_HELD) {
		fprintf(stderr, "lockdep: more than %d locks held\n", MAX_HELD);
		abort();
	}
	held[nr_held++] = (struct held_lock){ map, how };
	tdxmm_sync(TDXMM_SYNC_ACQUIRE, map, how);
	/* lockdep's usage rule (readers record concurrently: atomic or) */
	if (check_lock_usage(__atomic_or_fetch(&map->usage,
					       lock_usage_bit(softirq_depth,
							      softirq_depth),
					       __ATOMIC_RELAXED)))
		tdxmm_lockdep_fail(__FILE__, __LINE__,
				   "taken with one softirq discipline (INV-39: taken in softirq and with softirqs on), so",
				   map->name);
}

bool tdxmm_lock_released(struct tdxmm_lockdep_map *map)
{
	for (int i = nr_held - 1; i >= 0; i--) {
		if (held[i].map == map) {
			tdxmm_sync(TDXMM_SYNC_RELEASE, map, held[i].how);
			held[i] = held[--nr_held];
			return true;
		}
	}
	tdxmm_lockdep_fail(__FILE__, __LINE__, "held at unlock (bad unlock balance), so",
			   map->name);
	return false;
}

enum tdxmm_held tdxmm_lock_held(const struct tdxmm_lockdep_map *map)
{
	for (int i = 0; i < nr_held; i++)
		if (held[i].map == map)
			return held[i].how;
	return TDXMM_HELD_NONE;
}

enum tdxmm_held tdxmm_lock_asserted(struct tdxmm_lockdep_map *map, bool write)
{
	if (write)
		__atomic_fetch_add(&map->write_asserts, 1, __ATOMIC_RELAXED);
	return tdxmm_lock_held(map);
}

void tdxmm_spin_lock_init(spinlock_t *l, const char *name)
{
	pthread_mutex_init(&l->m, NULL);
	l->dep_map.usage = 0;
	if (!l->dep_map.name)
		l->dep_map.name = name;
}

/*
 * Under the deterministic scheduler only one thread runs: a lock that is
 * not free makes the caller BLOCKED (it yields) instead of sleeping.
 */
#define sched_acquire(l, trylock, lock)					\
do {									\
	if (tdxmm_sched_hook) {						\
		tdxmm_sched_hook(TDXMM_SCHED_LOCK, (l));		\
		while (trylock)						\
			tdxmm_sched_hook(TDXMM_SCHED_BLOCKED, (l));	\
	} else {							\
		lock;							\
	}								\
} while (0)

void spin_lock(spinlock_t *l)
{
	sched_acquire(l, pthread_mutex_trylock(&l->m), pthread_mutex_lock(&l->m));
	tdxmm_lock_acquired(&l->dep_map, TDXMM_HELD_WRITE);
}

void spin_unlock(spinlock_t *l)
{
	/* a bad unlock is reported, and the lock left alone (not UB) */
	if (!tdxmm_lock_released(&l->dep_map))
		return;
	pthread_mutex_unlock(&l->m);
	tdxmm_sched(TDXMM_SCHED_UNLOCK, l);
}

void tdxmm_mutex_init(struct mutex *l, const char *name)
{
	pthread_mutex_init(&l->m, NULL);
	l->dep_map.usage = 0;
	l->dep_map.may_sleep = true;
	if (!l->dep_map.name)
		l->dep_map.name = name;
}

void mutex_lock(struct mutex *l)
{
	might_sleep();
	sched_acquire(l, pthread_mutex_trylock(&l->m), pthread_mutex_lock(&l->m));
	tdxmm_lock_acquired(&l->dep_map, TDXMM_HELD_WRITE);
}

void mutex_unlock(struct mutex *l)
{
	if (!tdxmm_lock_released(&l->dep_map))
		return;
	pthread_mutex_unlock(&l->m);
	tdxmm_sched(TDXMM_SCHED_UNLOCK, l);
}

bool mutex_is_locked(struct mutex *l)
{
	if (pthread_mutex_trylock(&l->m))
		return true;
	pthread_mutex_unlock(&l->m);
	return false;
}

/* Held by anyone: try it (a held mutex refuses). */
bool spin_is_locked(spinlock_t *l)
{
	if (pthread_mutex_trylock(&l->m))
		return true;
	pthread_mutex_unlock(&l->m);
	return false;
}

void tdxmm_rwlock_init(rwlock_t *l, const char *name)
{
	pthread_rwlock_init(&l->rw, NULL);
	l->dep_map.usage = 0;
	if (!l->dep_map.name)
		l->dep_map.name = name;
}

void read_lock(rwlock_t *l)
{
	sched_acquire(l, pthread_rwlock_tryrdlock(&l->rw),
		      pthread_rwlock_rdlock(&l->rw));
	tdxmm_lock_acquired(&l->dep_map, TDXMM_HELD_READ);
}

void read_unlock(rwlock_t *l)
{
	/* a bad unlock is reported, and the lock left alone (not UB) */
	if (!tdxmm_lock_released(&l->dep_map))
		return;
	pthread_rwlock_unlock(&l->rw);
	tdxmm_sched(TDXMM_SCHED_UNLOCK, l);
}

void write_lock(rwlock_t *l)
{
	sched_acquire(l, pthread_rwlock_trywrlock(&l->rw),
		      pthread_rwlock_wrlock(&l->rw));
	tdxmm_lock_acquired(&l->dep_map, TDXMM_HELD_WRITE);
}

void write_unlock(rwlock_t *l)
{
	/* a bad unlock is reported, and the lock left alone (not UB) */
	if (!tdxmm_lock_released(&l->dep_map))
		return;
	pthread_rwlock_unlock(&l->rw);
	tdxmm_sched(TDXMM_SCHED_UNLOCK, l);
}

bool atomic_dec_and_lock(atomic_t *v, spinlock_t *lock)
{
	/* Lockless unless this decrement would reach zero. */
	if (atomic_add_unless(v, -1, 1))
		return false;
	spin_lock(lock);
	if (atomic_dec_and_test(v))
		return true;
	spin_unlock(lock);
	return false;
}

void rcu_read_lock(void)
{
	if (rcu_depth++ == 0)
		tdxmm_sync(TDXMM_SYNC_RCU_LOCK, NULL, 1);
}

void rcu_read_unlock(void)
{
	if (rcu_depth == 0)
		tdxmm_lockdep_fail(__FILE__, __LINE__, "held at unlock, so",
				   "rcu_read_lock");
	else if (--rcu_depth == 0)
		tdxmm_sync(TDXMM_SYNC_RCU_UNLOCK, NULL, 0);
}

bool rcu_read_lock_held(void)
{
	return rcu_depth > 0;
}

char tdxmm_last_warn[160];

void tdxmm_warn(const char *file, int line, const char *cond, bool first)
{
	__atomic_fetch_add(&tdxmm_env_stats.warns, 1, __ATOMIC_RELAXED);
	snprintf(tdxmm_last_warn, sizeof(tdxmm_last_warn), "%s:%d: %s", file,
		 line, cond);
	if (first && !tdxmm_warn_quiet)
		fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
}

_Noreturn void tdxmm_bug(const char *file, int line)
{
	__atomic_fetch_add(&tdxmm_env_stats.bugs, 1, __ATOMIC_RELAXED);
	if (tdxmm_bug_hook)
		tdxmm_bug_hook(file, line);
	fprintf(stderr, "kernel BUG at %s:%d!\n", file, line);
	abort();
}

/* ---- memory ---- */

#define POOL_PAGES (4 * 512)		/* four 2 MiB regions */

/*
 * 2 MiB-aligned by hand: a loader need not honour a large section
 * alignment (valgrind's does not), and DPAMT needs real 2M regions.
 */
static unsigned char (*pool)[PAGE_SIZE];

__attribute__((constructor)) static void pool_map(void)
{
	unsigned long align = 2UL << 20;
	unsigned char *raw = mmap(NULL, POOL_PAGES * PAGE_SIZE + align,
				  PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (raw == MAP_FAILED) {
		perror("tdxmm: page pool");
		abort();
	}
	pool = (void *)(((unsigned long)raw + align - 1) & ~(align - 1));
}
static void *pool_private[POOL_PAGES];
static unsigned char pool_taken[POOL_PAGES];
static unsigned long pool_used, kmalloc_live;
static unsigned int alloc_fail_nth;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

static long pool_index(const void *addr)
{
	unsigned long off = (unsigned long)addr - (unsigned long)pool;

	if ((const unsigned char *)addr < pool[0] ||
	    off >= POOL_PAGES * PAGE_SIZE || off % PAGE_SIZE)
		return -1;
	return (long)(off / PAGE_SIZE);
}

static void bad_mem(const char *what, const void *addr)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "memory: %s %p", what, addr);
	if (tdxmm_lockdep_fail_hook) {
		tdxmm_lockdep_fail_hook(msg);
		return;
	}
	fprintf(stderr, "%s\n", msg);
	abort();
}

/* Injected allocation failure: true if this allocation must fail. */
static bool alloc_fails(void)
{
	if (!alloc_fail_nth)
		return false;
	return --alloc_fail_nth == 0;
}

void tdxmm_alloc_fail_nth(unsigned int nth)
{
	alloc_fail_nth = nth;
}

static void *alloc_pages(unsigned int order, bool zero)
{
	unsigned long n = 1UL << order;
	void *p = NULL;

	pthread_mutex_lock(&pool_lock);
	if (order <= TDXMM_POOL_ORDER_MAX && !alloc_fails()) {
		/* Lowest fit first: deterministic pfns for tests. */
		for (unsigned long i = 0; i + n <= POOL_PAGES && !p; i += n) {
			unsigned long j = 0;

			while (j < n && !pool_taken[i + j])
				j++;
			if (j < n)
				continue;
			for (j = 0; j < n; j++) {
				pool_taken[i + j] = 1;
				pool_private[i + j] = NULL;
			}
			if (zero)
				memset(pool[i], 0, n * PAGE_SIZE);
			pool_used += n;
			p = pool[i];
		}
	}
	pthread_mutex_unlock(&pool_lock);
	if (p)
		tdxmm_sync(TDXMM_SYNC_ALLOC, p, n * PAGE_SIZE);
	return p;
}

/* Every allocation here is GFP_KERNEL: it may sleep (INV-38). */
void *tdxmm_alloc_pages(unsigned int order)
{
	might_sleep();
	return alloc_pages(order, true);
}

void *tdxmm_alloc_pages_uninit(unsigned int order)
{
	might_sleep();
	return alloc_pages(order, false);
}

void tdxmm_free_pages(void *addr, unsigned int order)
{
	long i = pool_index(addr);
	unsigned long n = 1UL << order;

	if (!addr)
		return;
	pthread_mutex_lock(&pool_lock);
	if (i < 0 || (unsigned long)i + n > POOL_PAGES) {
		pthread_mutex_unlock(&pool_lock);
		bad_mem("free of a page not from the pool:", addr);
		return;
	}
	for (unsigned long j = 0; j < n; j++) {
		if (!pool_taken[i + j]) {
			pthread_mutex_unlock(&pool_lock);
			bad_mem("double free of page", pool[i + j]);
			return;
		}
	}
	tdxmm_sync(TDXMM_SYNC_FREE, addr, n * PAGE_SIZE);
	for (unsigned long j = 0; j < n; j++)
		pool_taken[i + j] = 0;
	pool_used -= n;
	pthread_mutex_unlock(&pool_lock);
}

u64 tdxmm_virt_to_pfn(const void *addr)
{
	return (u64)(unsigned long)addr >> 12;
}

void *tdxmm_pfn_to_virt(u64 pfn)
{
	return tdxmm_pfn_valid(pfn) ? (void *)(unsigned long)(pfn << 12) : NULL;
}

bool tdxmm_pfn_valid(u64 pfn)
{
	return pool_index((void *)(unsigned long)(pfn << 12)) >= 0;
}

void tdxmm_set_page_private(void *addr, void *priv)
{
	long i = pool_index(addr);

	if (i < 0)
		bad_mem("page_private of a page not from the pool:", addr);
	else
		pool_private[i] = priv;
}

void *tdxmm_page_private(const void *addr)
{
	long i = pool_index(addr);

	return i < 0 ? NULL : pool_private[i];
}

unsigned long tdxmm_pool_used(void)
{
	return __atomic_load_n(&pool_used, __ATOMIC_RELAXED);
}

bool tdxmm_pfn_taken(u64 pfn)
{
	long i = pool_index((void *)(unsigned long)(pfn << 12));

	return i >= 0 && pool_taken[i];
}

const unsigned char *tdxmm_pool_taken(void)
{
	return pool_taken;
}

void tdxmm_pool_reset(void)
{
	pthread_mutex_lock(&pool_lock);
	memset(pool_taken, 0, sizeof(pool_taken));
	memset(pool_private, 0, sizeof(pool_private));
	pool_used = 0;
	alloc_fail_nth = 0;
	pthread_mutex_unlock(&pool_lock);
}

unsigned long tdxmm_pool_pages(void)
{
	return POOL_PAGES;
}

void *tdxmm_pool_base(void)
{
	return pool;
}

__thread struct kvm_vcpu *tdxmm_running_vcpu;

/*
 * Every live object is on one list, so a harness that restarts its world
 * many times (harness/bmc) can drop them all at once.
 */
struct kmalloc_hdr {
	struct kmalloc_hdr *prev, *next;
	unsigned long size;	/* for the race detector's free */
	long long pad;		/* keeps the object 16-byte aligned */
};
static struct kmalloc_hdr kmalloc_list = {
	.prev = &kmalloc_list, .next = &kmalloc_list,
};

void *kzalloc(unsigned long size, gfp_t gfp)
{
	struct kmalloc_hdr *h = NULL;

	(void)gfp;
	might_sleep();
	pthread_mutex_lock(&pool_lock);
	if (!alloc_fails())
		h = calloc(1, sizeof(*h) + size);
	if (h) {
		h->size = size;
		kmalloc_live++;
		h->next = &kmalloc_list;
		h->prev = kmalloc_list.prev;
		h->prev->next = h;
		kmalloc_list.prev = h;
	}
	pthread_mutex_unlock(&pool_lock);
	if (h)
		tdxmm_sync(TDXMM_SYNC_ALLOC, h + 1, size);
	return h ? h + 1 : NULL;
}

void kfree(const void *p)
{
	struct kmalloc_hdr *h;

	if (!p)
		return;
	h = (struct kmalloc_hdr *)p - 1;
	tdxmm_sync(TDXMM_SYNC_FREE, p, h->size);
	pthread_mutex_lock(&pool_lock);
	kmalloc_live--;
	h->prev->next = h->next;
	h->next->prev = h->prev;
	pthread_mutex_unlock(&pool_lock);
	free(h);
}

void tdxmm_kmalloc_free_all(void)
{
	pthread_mutex_lock(&pool_lock);
	while (kmalloc_list.next != &kmalloc_list) {
		struct kmalloc_hdr *h = kmalloc_list.next;

		kmalloc_list.next = h->next;
		free(h);
	}
	kmalloc_list.prev = &kmalloc_list;
	kmalloc_live = 0;
	pthread_mutex_unlock(&pool_lock);
}

unsigned long tdxmm_kmalloc_live(void)
{
	return __atomic_load_n(&kmalloc_live, __ATOMIC_RELAXED);
}

void synchronize_rcu(void)
{
	if (rcu_depth)
		tdxmm_lockdep_fail(__FILE__, __LINE__,
				   "released (synchronize_rcu in a read-side section), so",
				   "rcu_read_lock");
	tdxmm_sync(TDXMM_SYNC_RCU_SYNC, NULL, 0);
}

int tdxmm_thread_locks_held(void)
{
	return nr_held + rcu_depth;
}

void tdxmm_might_sleep(const char *file, int line)
{
	const char *atomic_lock = NULL;
	int nr_atomic = 0;

	/* Sleeping with a spinlock/rwlock held, in RCU or a softirq: INV-38. */
	for (int i = 0; i < nr_held; i++) {
		if (held[i].map->may_sleep)
			continue;
		nr_atomic++;
		atomic_lock = held[i].map->name;
	}
	if (check_may_sleep(nr_atomic, rcu_depth, softirq_depth))
		tdxmm_lockdep_fail(file, line,
				   "released before sleeping (INV-38: might_sleep), so",
				   atomic_lock ? atomic_lock :
				   rcu_depth ? "rcu_read_lock" : "softirq context");
}

void tdxmm_softirq_enter(void)
{
	softirq_depth++;
}

void tdxmm_softirq_exit(void)
{
	softirq_depth--;
}

/* ---- trace events (docs/TRACE-FORMAT.md) ---- */

bool tdxmm_tracing;
static FILE *trace_f;
static pthread_mutex_t trace_m = PTHREAD_MUTEX_INITIALIZER;
static u64 trace_ts;		/* a logical clock: the order of the lines */
static int trace_cpus;
static __thread int trace_cpu = -1;

/* Lock, and the line's common members; trace_end() ends it. */
static void trace_begin(const char *ev)
{
	pthread_mutex_lock(&trace_m);
	if (trace_cpu < 0)
		trace_cpu = trace_cpus++;
	fprintf(trace_f, "{\"ev\": \"%s\", \"cpu\": %d, \"ts\": %llu", ev,
		trace_cpu, (unsigned long long)++trace_ts);
}

static void trace_end(void)
{
	fputs("}\n", trace_f);
	pthread_mutex_unlock(&trace_m);
}

static void trace_seamcall(const struct tdxsim_call *c)
{
	if (!tdxmm_tracing)
		return;
	if (c->sc == TDXSIM_MODULE_RESET) {
		trace_begin("reset");
		trace_end();
		return;
	}
	if (c->sc == TDXSIM_QUIRK_RESET) {
		trace_begin("page_reset");
		fprintf(trace_f, ", \"pfn\": \"0x%llx\", \"status\": \"0x%llx\"",
			(unsigned long long)c->pfn, (unsigned long long)c->status);
		trace_end();
		return;
	}
	trace_begin("seamcall");
	fprintf(trace_f, ", \"seq\": %llu, \"leaf\": \"%s\", \"td\": \"0x%llx\", \"gpa\": \"0x%llx\", \"level\": %d, \"pfn\": \"0x%llx\", \"arg\": [\"0x%llx\", \"0x%llx\"], \"status\": \"0x%llx\", \"out\": [\"0x%llx\", \"0x%llx\", \"0x%llx\"]",
		(unsigned long long)c->seq, tdxsim_call_name(c->sc),
		(unsigned long long)c->td, (unsigned long long)c->gpa,
		c->level, (unsigned long long)c->pfn,
		(unsigned long long)c->arg[0], (unsigned long long)c->arg[1],
		(unsigned long long)c->status, (unsigned long long)c->out[0],
		(unsigned long long)c->out[1], (unsigned long long)c->out[2]);
	trace_end();
}

int tdxmm_trace_open(const char *path, const char *producer)
{
	tdxmm_trace_close();
	trace_f = fopen(path, "w");
	if (!trace_f)
		return -1;
	trace_ts = 0;
	trace_cpus = 0;
	trace_cpu = -1;
	fprintf(trace_f, "{\"tdxmm_trace\": 1, \"producer\": \"%s\", \"dpamt\": true, \"quirk_pw_mce\": true, \"clock\": \"logical\"}\n",
		producer);
	tdxsim_set_trace_hook(trace_seamcall);
	tdxmm_tracing = true;
	return 0;
}

void tdxmm_trace_close(void)
{
	if (!trace_f)
		return;
	tdxmm_tracing = false;
	tdxsim_set_trace_hook(NULL);
	fclose(trace_f);
	trace_f = NULL;
}

void tdxmm_trace_spte_changed(int as_id, u64 gfn, int level, u64 old, u64 new)
{
	trace_begin("spte");
	fprintf(trace_f, ", \"as_id\": %d, \"gfn\": \"0x%llx\", \"level\": %d, \"old_spte\": \"0x%llx\", \"new_spte\": \"0x%llx\"",
		as_id, (unsigned long long)gfn, level, (unsigned long long)old,
		(unsigned long long)new);
	trace_end();
}

void tdxmm_trace_pamt_refcount(u64 pfn, int delta)
{
	trace_begin("pamt_ref");
	fprintf(trace_f, ", \"pfn\": \"0x%llx\", \"delta\": %d",
		(unsigned long long)pfn, delta);
	trace_end();
}

void tdxmm_trace_op(const char *op, const char *args)
{
	if (!tdxmm_tracing)
		return;
	trace_begin("op");
	fprintf(trace_f, ", \"op\": \"%s\"%s%s", op, *args ? ", " : "", args);
	trace_end();
}

void tdxmm_trace_ret(const char *op, long ret, const char *extra)
{
	if (!tdxmm_tracing)
		return;
	trace_begin("ret");
	fprintf(trace_f, ", \"op\": \"%s\", \"ret\": %ld%s%s", op, ret,
		*extra ? ", " : "", extra);
	trace_end();
}
