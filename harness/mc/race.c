// SPDX-License-Identifier: GPL-2.0
/*
 * harness/mc/race.c: a happens-before data-race detector for harness/mc.
 *
 * impl/ is compiled with clang -fsanitize=thread but linked without TSan's
 * runtime: the __tsan_* calls the compiler puts at every load, store,
 * atomic operation and function entry/exit of impl/ land here.  Each
 * checked thread has a vector clock; locks (from the env seam's sync hook:
 * read and write sides apart, so two readers of mmu_lock stay unordered),
 * atomics with their memory orders (release/acquire, and consume taken as
 * acquire, as compilers do), fences, RCU (a grace period waits for the
 * read-side sections before it) and allocation order the threads.  Two
 * accesses to one byte, one of them a write, at least one plain (two
 * atomics never race), neither ordered before the other: a data race,
 * reported with both accesses and their call stacks.
 *
 * Plain accesses are not scheduling points: a vector clock finds a race
 * whatever the order of the two accesses between their threads' scheduling
 * points, and a run with no race is data-race free, so (DRF-SC) its plain
 * accesses behave as if sequentially consistent - interleaving them would
 * show nothing new.  Shadow state lives for one execution.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "race.h"

typedef uint32_t u32;
typedef struct { u32 c[RACE_MAXT]; } vc_t;

int race_tid = -1;
struct race_stats race_stats;

static u32 gen = 1;			/* this execution */
static bool on;
static int nthr;
static vc_t clk[RACE_MAXT];		/* each thread's vector clock */
static vc_t fence_rel[RACE_MAXT];	/* clock at its last release fence */
static vc_t acq_pend[RACE_MAXT];	/* releases seen by relaxed loads */
static vc_t rcu_gp;			/* every read-side section's end */

/* Detection on, and the running thread is one of the checked ones. */
static bool checked(void)
{
	return on && race_tid >= 0 && race_tid < nthr;
}

static void vc_join(vc_t *a, const vc_t *b)
{
	for (int i = 0; i < RACE_MAXT; i++)
		if (b->c[i] > a->c[i])
			a->c[i] = b->c[i];
}

/* ---- call stacks: interned (parent, pc) nodes, node 0 the root ---- */

#define NODES (1 << 16)
static struct node { u32 parent; uintptr_t pc; } nodes[NODES];
static u32 nnodes = 1;
static u32 node_hash[2 * NODES];	/* id + 1, 0 empty */
static u32 stack[RACE_MAXT];

static void nodes_reset(void)
{
	memset(node_hash, 0, sizeof(node_hash));
	nnodes = 1;
}

static u32 intern(u32 parent, uintptr_t pc)
{
	u32 h = (u32)((pc * 0x9E3779B97F4A7C15ull) >> 40) ^ (parent * 2654435761u);

	for (;; h++) {
		u32 *slot = &node_hash[h & (2 * NODES - 1)];

		if (!*slot) {
			if (nnodes == NODES)
				return parent;	/* full: the stack is cut here */
			nodes[nnodes] = (struct node){ parent, pc };
			*slot = ++nnodes;
			return nnodes - 1;
		}
		if (nodes[*slot - 1].parent == parent &&
		    nodes[*slot - 1].pc == pc)
			return *slot - 1;
	}
}

/* ---- shadow memory: one cell per byte, pages made on first touch ---- */

struct cell {
	u32 gen;
	signed char wt, awt;		/* last plain / atomic writer, -1 none */
	u32 wclk, awclk, wnode, awnode;
	u32 rclk[RACE_MAXT], rnode[RACE_MAXT];	 /* plain reads, 0 none */
	u32 arclk[RACE_MAXT], arnode[RACE_MAXT]; /* atomic reads */
};

#define SPAGE 4096
struct spage {
	uintptr_t base;
	u32 lo, hi;			/* cells touched: [lo, hi) */
	struct cell c[SPAGE];
};

#define MAXSPAGES 512
#define PMAP 2048
static struct spage *spages[MAXSPAGES];
static int nspages;
static struct { uintptr_t base; u32 gen; int idx; } pmap[PMAP];

static struct spage *spage_get(uintptr_t base, bool create)
{
	u32 h = (u32)((base >> 12) * 2654435761u);

	for (;; h++) {
		typeof(&pmap[0]) e = &pmap[h & (PMAP - 1)];

		if (e->gen == gen && e->base == base)
			return spages[e->idx];
		if (e->gen == gen)
			continue;
		if (!create || nspages == MAXSPAGES)
			return NULL;
		if (!spages[nspages]) {
			spages[nspages] = calloc(1, sizeof(struct spage));
			if (!spages[nspages]) {
				perror("mc: race detector shadow");
				exit(2);
			}
		}
		e->base = base;
		e->gen = gen;
		e->idx = nspages;
		spages[nspages]->base = base;
		spages[nspages]->lo = SPAGE;
		spages[nspages]->hi = 0;
		if (nspages + 1 > race_stats.max_pages)
			race_stats.max_pages = nspages + 1;
		return spages[nspages++];
	}
}

/* ---- the first race of the execution ---- */

static struct {
	bool found;
	uintptr_t addr;
	int t, pt;
	bool write, atomic, pwrite, patomic;
	unsigned size;
	u32 node, pnode;
	char what[256];
} first;

static void race(uintptr_t addr, unsigned size, int t, bool write,
		 bool atomic, u32 node, int pt, bool pwrite, bool patomic,
		 u32 pnode)
{
	race_stats.races++;
	if (first.found)
		return;
	first.found = true;
	first.addr = addr;
	first.size = size;
	first.t = t;
	first.write = write;
	first.atomic = atomic;
	first.node = node;
	first.pt = pt;
	first.pwrite = pwrite;
	first.patomic = patomic;
	first.pnode = pnode;
	snprintf(first.what, sizeof(first.what),
		 "data race on %#lx: %s%s by thread %d, %s%s by thread %d, neither ordered before the other",
		 (unsigned long)addr, atomic ? "atomic " : "",
		 write ? "write" : "read", t, patomic ? "atomic " : "",
		 pwrite ? "write" : "read", pt);
}

static void check_cell(struct cell *c, uintptr_t a, unsigned size, int t,
		       bool write, bool atomic, u32 node)
{
	const vc_t *v = &clk[t];

	if (c->gen != gen) {
		memset(c, 0, sizeof(*c));
		c->gen = gen;
		c->wt = c->awt = -1;
	}
	/* against the writes */
	if (c->wt >= 0 && c->wt != t && c->wclk > v->c[c->wt])
		race(a, size, t, write, atomic, node, c->wt, true, false,
		     c->wnode);
	else if (!atomic && c->awt >= 0 && c->awt != t &&
		 c->awclk > v->c[c->awt])
		race(a, size, t, write, atomic, node, c->awt, true, true,
		     c->awnode);
	/* a write against the reads */
	if (write) {
		for (int u = 0; u < nthr; u++) {
			if (u == t)
				continue;
			if (c->rclk[u] && c->rclk[u] > v->c[u])
				race(a, size, t, write, atomic, node, u, false,
				     false, c->rnode[u]);
			else if (!atomic && c->arclk[u] && c->arclk[u] > v->c[u])
				race(a, size, t, write, atomic, node, u, false,
				     true, c->arnode[u]);
		}
	}
	/* record it */
	if (write && !atomic) {
		/* ordered after every read (or reported): they are covered */
		c->wt = t;
		c->wclk = v->c[t];
		c->wnode = node;
		memset(c->rclk, 0, sizeof(c->rclk));
		memset(c->arclk, 0, sizeof(c->arclk));
	} else if (write) {
		c->awt = t;
		c->awclk = v->c[t];
		c->awnode = node;
	} else if (!atomic) {
		c->rclk[t] = v->c[t];
		c->rnode[t] = node;
	} else {
		c->arclk[t] = v->c[t];
		c->arnode[t] = node;
	}
}

static void access(const volatile void *p, unsigned size, bool write,
		   bool atomic, void *pc)
{
	uintptr_t a = (uintptr_t)p;
	int t = race_tid;
	u32 node;

	if (!checked())
		return;
	race_stats.accesses++;
	node = intern(stack[t], (uintptr_t)pc);
	for (uintptr_t b = a; b < a + size; ) {
		struct spage *sp = spage_get(b & ~(uintptr_t)(SPAGE - 1), true);
		u32 i = b & (SPAGE - 1);
		uintptr_t end = (b | (SPAGE - 1)) + 1;

		if (end > a + size)
			end = a + size;
		if (!sp) {
			fprintf(stderr, "mc: race detector: more than %d pages touched\n",
				MAXSPAGES);
			exit(2);
		}
		if (i < sp->lo)
			sp->lo = i;
		if (i + (end - b) > sp->hi)
			sp->hi = i + (end - b);
		for (; b < end; b++, i++)
			check_cell(&sp->c[i], a, size, t, write, atomic, node);
	}
}

/* ---- the compiler's hooks ---- */

void __tsan_init(void) {}

#define RW(n)								\
void __tsan_read##n(void *p) { access(p, n, false, false, __builtin_return_address(0)); } \
void __tsan_write##n(void *p) { access(p, n, true, false, __builtin_return_address(0)); } \
void __tsan_unaligned_read##n(void *p) { access(p, n, false, false, __builtin_return_address(0)); } \
void __tsan_unaligned_write##n(void *p) { access(p, n, true, false, __builtin_return_address(0)); } \
void __tsan_read##n##_pc(void *p, void *pc) { access(p, n, false, false, pc); } \
void __tsan_write##n##_pc(void *p, void *pc) { access(p, n, true, false, pc); }
RW(1) RW(2) RW(4) RW(8) RW(16)

void __tsan_read_range(void *p, unsigned long n)
{
	access(p, n, false, false, __builtin_return_address(0));
}

void __tsan_write_range(void *p, unsigned long n)
{
	access(p, n, true, false, __builtin_return_address(0));
}

void __tsan_func_entry(void *pc)
{
	if (checked())
		stack[race_tid] = intern(stack[race_tid], (uintptr_t)pc);
}

void __tsan_func_exit(void)
{
	if (checked())
		stack[race_tid] = nodes[stack[race_tid]].parent;
}

/* ---- atomics: the operation itself, then its ordering ---- */

enum { MO_RELAXED, MO_CONSUME, MO_ACQUIRE, MO_RELEASE, MO_ACQ_REL, MO_SEQ_CST };

#define SYNCS 4096
static struct sync {
	uintptr_t addr;
	u32 gen;
	vc_t w;		/* released by writers (atomics: by release stores) */
	vc_t r;		/* released by readers of a rwlock */
} syncs[SYNCS];

static int nsyncs;	/* sync objects of this execution */

static struct sync *sync_get(const volatile void *p)
{
	uintptr_t a = (uintptr_t)p;
	u32 h = (u32)((a >> 3) * 2654435761u);

	for (int n = 0; n < SYNCS; n++, h++) {
		struct sync *s = &syncs[h & (SYNCS - 1)];

		if (s->gen == gen && s->addr == a)
			return s;
		if (s->gen != gen) {
			memset(s, 0, sizeof(*s));
			s->addr = a;
			s->gen = gen;
			if (++nsyncs > race_stats.max_syncs)
				race_stats.max_syncs = nsyncs;
			return s;
		}
	}
	fprintf(stderr, "mc: race detector: more than %d sync objects\n", SYNCS);
	exit(2);
}

static bool acquires(int mo)
{
	return mo == MO_CONSUME || mo == MO_ACQUIRE || mo == MO_ACQ_REL ||
	       mo == MO_SEQ_CST;
}

static bool releases(int mo)
{
	return mo == MO_RELEASE || mo == MO_ACQ_REL || mo == MO_SEQ_CST;
}

static void a_load(const volatile void *p, unsigned size, int mo, void *pc)
{
	int t = race_tid;

	if (!checked())
		return;
	race_stats.atomics++;
	access(p, size, false, true, pc);
	if (acquires(mo))
		vc_join(&clk[t], &sync_get(p)->w);
	else
		vc_join(&acq_pend[t], &sync_get(p)->w);
}

static void a_store(const volatile void *p, unsigned size, int mo, void *pc)
{
	int t = race_tid;

	if (!checked())
		return;
	race_stats.atomics++;
	access(p, size, true, true, pc);
	/* a plain store starts a new release sequence: what it carries only */
	sync_get(p)->w = releases(mo) ? clk[t] : fence_rel[t];
	if (releases(mo))
		clk[t].c[t]++;
}

static void full_fence(int t)
{
	vc_join(&clk[t], &acq_pend[t]);
	fence_rel[t] = clk[t];
	clk[t].c[t]++;
}

/*
 * impl/ asks for seq_cst only where the kernel's operation is fully
 * ordered (value-returning RMWs, xchg, a successful cmpxchg): that is
 * smp_mb() before and after, so it also orders the plain and relaxed
 * accesses around it (a later WRITE_ONCE publishes what came before).
 */
static void a_rmw(const volatile void *p, unsigned size, int mo, void *pc)
{
	int t = race_tid;
	struct sync *s;

	if (!checked())
		return;
	race_stats.atomics++;
	if (mo == MO_SEQ_CST)
		full_fence(t);
	access(p, size, true, true, pc);
	s = sync_get(p);
	if (acquires(mo))
		vc_join(&clk[t], &s->w);
	else
		vc_join(&acq_pend[t], &s->w);
	/* an RMW continues the release sequence it reads from */
	vc_join(&s->w, releases(mo) ? &clk[t] : &fence_rel[t]);
	if (releases(mo))
		clk[t].c[t]++;
	if (mo == MO_SEQ_CST)
		full_fence(t);
}

/* One read-modify-write hook: the operation, after its ordering. */
#define RMW(n, T, name, builtin)					\
T __tsan_atomic##n##_##name(volatile T *a, T v, int mo)		\
{									\
	a_rmw(a, sizeof(T), mo, __builtin_return_address(0));		\
	return builtin(a, v, __ATOMIC_SEQ_CST);				\
}

#define ATOMICS(n, T)							\
T __tsan_atomic##n##_load(const volatile T *a, int mo)			\
{									\
	a_load(a, sizeof(T), mo, __builtin_return_address(0));		\
	return __atomic_load_n(a, __ATOMIC_SEQ_CST);			\
}									\
void __tsan_atomic##n##_store(volatile T *a, T v, int mo)		\
{									\
	a_store(a, sizeof(T), mo, __builtin_return_address(0));		\
	__atomic_store_n(a, v, __ATOMIC_SEQ_CST);			\
}									\
RMW(n, T, exchange, __atomic_exchange_n)				\
RMW(n, T, fetch_add, __atomic_fetch_add)				\
RMW(n, T, fetch_sub, __atomic_fetch_sub)				\
RMW(n, T, fetch_and, __atomic_fetch_and)				\
RMW(n, T, fetch_or, __atomic_fetch_or)					\
RMW(n, T, fetch_xor, __atomic_fetch_xor)				\
RMW(n, T, fetch_nand, __atomic_fetch_nand)				\
/* success: an RMW with @mo; failure: a load with @fmo */		\
int __tsan_atomic##n##_compare_exchange_strong(volatile T *a, T *c,	\
					       T v, int mo, int fmo)	\
{									\
	void *pc = __builtin_return_address(0);				\
	T old = __atomic_load_n(a, __ATOMIC_SEQ_CST);			\
									\
	if (old == *c)							\
		a_rmw(a, sizeof(T), mo, pc);				\
	else								\
		a_load(a, sizeof(T), fmo, pc);				\
	return __atomic_compare_exchange_n(a, c, v, false,		\
					   __ATOMIC_SEQ_CST,		\
					   __ATOMIC_SEQ_CST);		\
}									\
/* one thread runs at a time here: a weak one never fails spuriously */ \
int __tsan_atomic##n##_compare_exchange_weak(volatile T *a, T *c,	\
					     T v, int mo, int fmo)	\
{									\
	return __tsan_atomic##n##_compare_exchange_strong(a, c, v, mo,	\
							  fmo);		\
}									\
T __tsan_atomic##n##_compare_exchange_val(volatile T *a, T c, T v,	\
					  int mo, int fmo)		\
{									\
	__tsan_atomic##n##_compare_exchange_strong(a, &c, v, mo, fmo);	\
	return c;							\
}

ATOMICS(8, char)
ATOMICS(16, short)
ATOMICS(32, int)
ATOMICS(64, long long)

void __tsan_atomic_thread_fence(int mo)
{
	int t = race_tid;

	if (!checked())
		return;
	if (acquires(mo))
		vc_join(&clk[t], &acq_pend[t]);
	if (releases(mo)) {
		fence_rel[t] = clk[t];
		clk[t].c[t]++;
	}
}

void __tsan_atomic_signal_fence(int mo) { (void)mo; }

/* ---- synchronisation from the env seam ---- */

void race_acquire(const void *lock, bool shared)
{
	struct sync *s;

	if (!checked())
		return;
	race_stats.syncs++;
	s = sync_get(lock);
	vc_join(&clk[race_tid], &s->w);
	if (!shared)			/* a writer waits for the readers too */
		vc_join(&clk[race_tid], &s->r);
}

void race_release(const void *lock, bool shared)
{
	int t = race_tid;
	struct sync *s;

	if (!checked())
		return;
	race_stats.syncs++;
	s = sync_get(lock);
	if (shared)
		vc_join(&s->r, &clk[t]);
	else
		s->w = clk[t];
	clk[t].c[t]++;
}

void race_rcu_unlock(void)
{
	if (!checked())
		return;
	race_stats.syncs++;
	vc_join(&rcu_gp, &clk[race_tid]);
	clk[race_tid].c[race_tid]++;
}

/* harness/mc makes the caller wait until no other thread is in a section. */
void race_rcu_sync(void)
{
	if (checked())
		vc_join(&clk[race_tid], &rcu_gp);
}

static void forget(const void *p, unsigned long size, bool check)
{
	uintptr_t a = (uintptr_t)p, end = a + size;
	int t = race_tid;

	for (uintptr_t base = a & ~(uintptr_t)(SPAGE - 1); base < end;
	     base += SPAGE) {
		struct spage *sp = spage_get(base, false);
		uintptr_t lo, hi;

		if (!sp)
			continue;
		lo = base + sp->lo > a ? base + sp->lo : a;
		hi = base + sp->hi < end ? base + sp->hi : end;
		for (uintptr_t b = lo; b < hi; b++) {
			struct cell *c = &sp->c[b - base];

			if (c->gen != gen)
				continue;
			/* freeing is a write: a use the free is not ordered after races */
			if (check)
				check_cell(c, b, 1, t, true, false, stack[t]);
			c->gen = 0;
		}
	}
}

void race_alloc(const void *p, unsigned long size)
{
	if (checked())
		forget(p, size, false);
}

void race_free(const void *p, unsigned long size)
{
	if (checked())
		forget(p, size, true);
}

/* ---- executions ---- */

void race_begin(int n)
{
	if (n > RACE_MAXT) {
		fprintf(stderr, "mc: race detector: more than %d threads\n",
			RACE_MAXT);
		exit(2);
	}
	gen++;
	if (!gen)
		gen = 1;
	nspages = 0;
	nsyncs = 0;
	nthr = n;
	memset(clk, 0, sizeof(clk));
	memset(fence_rel, 0, sizeof(fence_rel));
	memset(acq_pend, 0, sizeof(acq_pend));
	memset(&rcu_gp, 0, sizeof(rcu_gp));
	for (int t = 0; t < n; t++) {
		clk[t].c[t] = 1;
		stack[t] = 0;
	}
	if (nnodes > NODES / 2)
		nodes_reset();
	first.found = false;
	on = true;
}

void race_end(void)
{
	on = false;
}

const char *race_found(void)
{
	return first.found ? first.what : NULL;
}

/* Symbolise one stack with addr2line (file:line and inlined frames). */
static void print_stack(const char *prefix, u32 node)
{
	char cmd[4096];
	int len;
	Dl_info info;
	FILE *f;
	char line[512];

	u32 any = node;

	while (any && !nodes[any].pc)
		any = nodes[any].parent;
	if (!any || !dladdr((void *)nodes[any].pc, &info) || !info.dli_fbase) {
		printf("%s    (no symbols)\n", prefix);
		return;
	}
	len = snprintf(cmd, sizeof(cmd), "addr2line -f -i -p -e %s",
		       info.dli_fname);
	for (u32 n = node; n && len < (int)sizeof(cmd) - 32; n = nodes[n].parent)
		if (nodes[n].pc)
			len += snprintf(cmd + len, sizeof(cmd) - len, " %#lx",
					(unsigned long)(nodes[n].pc - 1 -
							(uintptr_t)info.dli_fbase));
	f = popen(cmd, "r");
	if (!f) {
		printf("%s    (addr2line failed)\n", prefix);
		return;
	}
	while (fgets(line, sizeof(line), f))
		printf("%s    %s", prefix, line);
	pclose(f);
}

void race_print(const char *prefix)
{
	if (!first.found)
		return;
	printf("%s  %s%s of %u byte(s) at %#lx by thread %d:\n", prefix,
	       first.atomic ? "atomic " : "", first.write ? "write" : "read",
	       first.size, (unsigned long)first.addr, first.t);
	print_stack(prefix, first.node);
	printf("%s  earlier %s%s by thread %d, not ordered before it:\n", prefix,
	       first.patomic ? "atomic " : "", first.pwrite ? "write" : "read",
	       first.pt);
	print_stack(prefix, first.pnode);
}
