// SPDX-License-Identifier: GPL-2.0
/*
 * cmocka runner of the shared scenario table (tests/scenarios.c); KUnit
 * runs the same table in harness/kernel.  Here each scenario's SPTE
 * accesses are also traced and judged by the slot model (INV-02..05).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "scenarios.h"
#include "trace_model.h"

struct scn { int unused; };

struct pair_arg {
	int (*fn)(void *);
	void *arg;
};

static void *pair_start(void *p)
{
	struct pair_arg *a = p;

	a->fn(a->arg);
	return NULL;
}

int scn_run_pair(int (*fn)(void *), void *a, void *b)
{
	struct pair_arg pa[2] = { { fn, a }, { fn, b } };
	pthread_t t[2];

	if (pthread_create(&t[0], NULL, pair_start, &pa[0]))
		return -EAGAIN;
	if (pthread_create(&t[1], NULL, pair_start, &pa[1])) {
		pthread_join(t[0], NULL);
		return -EAGAIN;
	}
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	return 0;
}

void scn_trace_start(struct scn *s, const char *name)
{
	const char *dir = getenv("TDXMM_TRACE_DIR");
	char path[512];

	snprintf(path, sizeof(path), "%s/trace-%s.jsonl", dir ? dir : "build/tests",
		 name);
	if (tdxmm_trace_open(path, "tdxmm-user test_scenarios"))
		fail_msg("cannot write the trace %s", path);
}

void scn_trace_stop(struct scn *s)
{
	tdxmm_trace_close();
}

int scn_fmt(char *buf, int len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

void scn_op(const char *op, const char *args)
{
	tdxmm_trace_op(op, args);
}

void scn_ret(const char *op, long ret, bool bugged)
{
	tdxmm_trace_ret(op, ret, bugged ? "\"bugged\": true" : "\"bugged\": false");
}

long scn_warns(void)
{
	return (long)tdxmm_env_stats.warns;
}

void scn_yield(void)
{
	sched_yield();
}

void scn_info(struct scn *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void scn_fail(struct scn *s, const char *file, int line, const char *what,
	      u64 a, u64 b)
{
	fail_msg("%s:%d: %s (0x%llx != 0x%llx)", file, line, what,
		 (unsigned long long)a, (unsigned long long)b);
}

void scn_trace_begin(struct scn *s, struct kvm *kvm, u64 *sptep)
{
	trace_start(kvm, sptep);
}

void scn_trace_end(struct scn *s, u64 initial, u64 final)
{
	trace_check(initial, final, true);
}

long scn_pool_used(void)
{
	return (long)tdxmm_pool_used();
}

/* A failed test may leave objects behind: judge each test by its own. */
static unsigned long kmalloc_base;

void scn_pool_reset(void)
{
	tdxmm_pool_reset();
	kmalloc_base = tdxmm_kmalloc_live();
}

int scn_tdx_memblocks(struct tdx_memblock *b)
{
	u64 first = tdxmm_virt_to_pfn(tdxmm_pool_base());

	b[0].start_pfn = first;
	b[0].end_pfn = first + tdxmm_pool_pages();
	return 1;
}

void scn_alloc_fail_nth(unsigned int nth)
{
	tdxmm_alloc_fail_nth(nth);
}

static const void *before_lock;
static void (*before_fn)(void);

static void before_lock_hook(enum tdxmm_sched_ev ev, const void *obj)
{
	void (*fn)(void) = before_fn;

	if (ev != TDXMM_SCHED_LOCK || obj != before_lock || !fn)
		return;
	before_fn = NULL;	/* once; @fn may take the lock itself */
	tdxmm_sched_hook = NULL;
	fn();
}

bool scn_before_lock(const void *lock, void (*fn)(void))
{
	before_lock = lock;
	before_fn = fn;
	tdxmm_sched_hook = before_lock_hook;
	return true;
}

static unsigned int quiet_nth, quiet_seen;
static int quiet_max_held;
static void (*quiet_fn)(void);
static bool quiet_fired;

static void quiet_point_hook(enum tdxmm_sched_ev ev, const void *obj)
{
	void (*fn)(void) = quiet_fn;

	if (!fn || ev == TDXMM_SCHED_BLOCKED ||
	    tdxmm_thread_locks_held() > quiet_max_held)
		return;
	if (++quiet_seen != quiet_nth)
		return;
	quiet_fn = NULL;
	tdxmm_sched_hook = NULL;
	quiet_fired = true;
	fn();
}

bool scn_at_quiet_point(unsigned int nth, void (*fn)(void))
{
	return scn_at_point(nth, 0, fn);
}

bool scn_at_point(unsigned int nth, int max_held, void (*fn)(void))
{
	quiet_max_held = max_held;
	quiet_nth = nth;
	quiet_seen = 0;
	quiet_fired = false;
	quiet_fn = nth ? fn : NULL;
	tdxmm_sched_hook = nth ? quiet_point_hook : NULL;
	return true;
}

bool scn_point_fired(void)
{
	return quiet_fired;
}

bool scn_alloc_fail_supported(void)
{
	return true;
}

static bool module_may_own(u64 pfn)
{
	return tdxsim_page_owner(pfn, NULL) != TDX_PAGE_KERNEL ||
	       tdxsim_page_unclean(pfn);
}

const char *scn_pages_accounted(const struct kvm *kvm, void *guest,
				unsigned int guest_order, long pool_before)
{
	u64 first = tdxmm_virt_to_pfn(tdxmm_pool_base());
	u64 gfirst = tdxmm_virt_to_pfn(guest);
	u64 gend = gfirst + (1ULL << guest_order);
	long taken = 0, guest_held = 0;

	for (u64 pfn = gfirst; pfn < gend; pfn++)
		guest_held += module_may_own(pfn);
	for (u64 pfn = first; pfn < first + tdxmm_pool_pages(); pfn++) {
		if (pfn >= gfirst && pfn < gend)
			continue;
		if (tdxmm_pfn_taken(pfn))
			taken++;
		else if (module_may_own(pfn))
			return "INV-18: a page the module may still own was freed";
	}
	/* Installed pairs stay while a leaked page holds their region. */
	if (taken - pool_before + guest_held !=
	    atomic64_read(&kvm->stat.leaked_pages) +
	    (long)tdxsim_pamt_pair_pages())
		return "a page is neither free nor counted as leaked";
	/*
	 * Leaking is conservative: a page the module never got (the table of
	 * a failed split) may be counted too, so held <= leaked.
	 */
	if (tdxsim_pages_held() - tdxsim_pamt_pair_pages() >
	    (u64)atomic64_read(&kvm->stat.leaked_pages)) {
		static char why[96];

		snprintf(why, sizeof(why),
			 "the module holds %lu pages, %lld counted as leaked",
			 tdxsim_pages_held(),
			 (long long)atomic64_read(&kvm->stat.leaked_pages));
		return why;
	}
	if (tdxmm_kmalloc_live() != kmalloc_base)
		return "kzalloc'ed objects left after teardown";
	if (!guest_held)
		tdxmm_free_pages(guest, guest_order);
	return NULL;
}

/* A scenario that failed inside its trace leaves it closed all the same. */
static int stop_trace(void **state)
{
	scn_trace_stop(NULL);
	return 0;
}

static void run(void **state)
{
	const struct scenario *sc = *state;
	struct scn s;

	tdxmm_env_reset_stats();
	tdxmm_lockdep_reset_thread();
	sc->run(&s);
}

int main(void)
{
	int n = tdxmm_nr_scenarios + tdxmm_nr_sept_scenarios +
		tdxmm_nr_pamt_scenarios + tdxmm_nr_gmem_scenarios;
	struct CMUnitTest *t = calloc(n, sizeof(*t));
	int rc;

	tdxmm_warn_quiet = true;
	for (int i = 0; i < n; i++) {
		int j = i - tdxmm_nr_scenarios - tdxmm_nr_sept_scenarios;
		int g = j - tdxmm_nr_pamt_scenarios;
		const struct scenario *sc = i < tdxmm_nr_scenarios ?
			&tdxmm_scenarios[i] : j < 0 ?
			&tdxmm_sept_scenarios[i - tdxmm_nr_scenarios] : g < 0 ?
			&tdxmm_pamt_scenarios[j] : &tdxmm_gmem_scenarios[g];

		t[i].name = sc->name;
		t[i].test_func = run;
		t[i].teardown_func = stop_trace;
		t[i].initial_state = (void *)sc;
	}
	rc = _cmocka_run_group_tests("scenarios", t, n, NULL, NULL);
	printf("fault injection: %d (SEAMCALL, status, call site) runs\n",
	       tdxmm_sept_triples);
	free(t);
	return rc;
}
