// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit runner: the shared scenario table of tests/scenarios.c (the same
 * one cmocka runs), one parameterised case per scenario, plus a race of two
 * kthreads installing the same mirror SPTEs (real CPUs under kernel-check-smp).
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/trace_events.h>
#include <linux/kernel.h>

#include "scenarios.h"
#include "evidence.h"

DEFINE_PER_CPU(struct kvm_vcpu *, tdxmm_running_vcpu);

struct scn {
	struct kunit *test;
};

/* Two kthreads at once (real CPUs in the SMP run, KCSAN watching). */
struct pair_kthread {
	int (*fn)(void *);
	void *arg;
	struct completion done;
};

static int pair_kthread_fn(void *p)
{
	struct pair_kthread *k = p;

	k->fn(k->arg);
	complete(&k->done);
	return 0;
}

int scn_run_pair(int (*fn)(void *), void *a, void *b)
{
	struct pair_kthread k[2] = { { fn, a }, { fn, b } };

	for (int i = 0; i < 2; i++) {
		struct task_struct *t;

		init_completion(&k[i].done);
		t = kthread_run(pair_kthread_fn, &k[i], "tdxmm-pair/%d", i);
		if (IS_ERR(t)) {
			if (i)
				wait_for_completion(&k[0].done);
			return PTR_ERR(t);
		}
	}
	wait_for_completion(&k[0].done);
	wait_for_completion(&k[1].done);
	return 0;
}

/* ---- traces (docs/TRACE-FORMAT.md): tdxmm's trace events, dumped ---- */

static void kunit_trace_call(const struct tdxsim_call *c)
{
	if (c->sc == TDXSIM_MODULE_RESET)
		trace_tdx_module_reset(c->seq);
	else if (c->sc == TDXSIM_QUIRK_RESET)
		trace_tdx_page_reset(c->pfn, c->status);
	else
		trace_tdx_seamcall(tdxsim_call_name(c->sc), c->seq, c->td, c->gpa,
				   c->level, c->pfn, c->arg[0], c->arg[1],
				   c->status, c->out[0], c->out[1], c->out[2]);
}

/*
 * kernel/trace/trace.h's, not exported: the buffer is one page per CPU until
 * something first enables an event through tracefs; this kernel has no
 * user space to do it, and tdxmm is built in.  trace_buf_size= sizes it.
 */
int tracing_update_buffers(void);

static bool tracing_scn;	/* a scenario's trace is being recorded */

void scn_trace_start(struct scn *s, const char *name)
{
	if (tracing_update_buffers())
		KUNIT_FAIL(s->test, "cannot size the trace buffer");
	tdxsim_set_trace_hook(kunit_trace_call);
	tracing_on();
	if (trace_set_clr_event("tdxmm", NULL, 1))
		KUNIT_FAIL(s->test, "cannot enable the tdxmm trace events");
	tracing_scn = true;
	pr_info("tdxmm: trace %s\n", name);
}

/* The buffer goes to the console; kernel-check.sh reads it from the log. */
void scn_trace_stop(struct scn *s)
{
	if (!tracing_scn)
		return;
	tracing_scn = false;
	trace_set_clr_event("tdxmm", NULL, 0);
	tdxsim_set_trace_hook(NULL);
	ftrace_dump(DUMP_ALL);
	pr_info("tdxmm: trace dumped\n");
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
	trace_tdxmm_op(op, args);
}

void scn_ret(const char *op, long ret, bool bugged)
{
	trace_tdxmm_ret(op, ret, bugged);
}

/* impl/env.h's counting WARN_ON_ONCE. */
atomic_long_t tdxmm_warns = ATOMIC_LONG_INIT(0);

long scn_warns(void)
{
	return (long)tdxmm_warn_count();
}

void scn_yield(void)
{
	yield();
}

void scn_info(struct scn *s, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	kunit_info(s->test, "%pV\n", &vaf);
	va_end(ap);
}

void scn_fail(struct scn *s, const char *file, int line, const char *what,
	      u64 a, u64 b)
{
	KUNIT_FAIL(s->test, "%s:%d: %s (0x%llx != 0x%llx)", file, line, what,
		   a, b);
}

/* No memory-access trace in the kernel: the cmocka run judges it. */
void scn_trace_begin(struct scn *s, struct kvm *kvm, u64 *sptep)
{
}

void scn_trace_end(struct scn *s, u64 initial, u64 final)
{
}

/*
 * Page accounting.  The kernel's page allocator is not ours to scan, so the
 * kernel side checks what it can: every page the module still holds is
 * counted as leaked (INV-18).  The user harness, which owns its pool, also
 * checks that no freed page is the module's and that nothing else is lost.
 */
long scn_pool_used(void)
{
	return -1;
}

void scn_pool_reset(void)
{
}

const char *scn_pages_accounted(const struct kvm *kvm, void *guest,
				unsigned int guest_order, long pool_before)
{
	u64 first = tdxmm_virt_to_pfn(guest), held = 0;

	if (tdxsim_pages_held() - tdxsim_pamt_pair_pages() >
	    (u64)atomic64_read(&kvm->stat.leaked_pages))
		return "the module holds a page not counted as leaked";
	for (u64 pfn = first; pfn < first + (1ULL << guest_order); pfn++)
		held += tdxsim_page_owner(pfn, NULL) != TDX_PAGE_KERNEL ||
			tdxsim_page_unclean(pfn);
	if (!held)
		tdxmm_free_pages(guest, guest_order);
	return NULL;
}

/* All RAM is TDX memory: refcounts for the first TiB (2 MiB of them). */
int scn_tdx_memblocks(struct tdx_memblock *b)
{
	b[0].start_pfn = 0;
	b[0].end_pfn = 1ULL << (40 - PAGE_SHIFT);
	return 1;
}

/* The page allocator has no fault injection we control per call here. */
void scn_alloc_fail_nth(unsigned int nth)
{
}

/* No scheduling hook in the kernel: the scenario skips the interleaving. */
bool scn_before_lock(const void *lock, void (*fn)(void))
{
	return false;
}

bool scn_at_quiet_point(unsigned int nth, void (*fn)(void))
{
	return false;
}

bool scn_at_point(unsigned int nth, int max_held, void (*fn)(void))
{
	return false;
}

bool scn_point_fired(void)
{
	return false;
}

bool scn_alloc_fail_supported(void)
{
	return false;
}

static const void *table_gen(const struct scenario *table, int nr,
			     const void *prev, char *desc)
{
	const struct scenario *sc = prev;

	sc = sc ? sc + 1 : &table[0];
	if (sc >= &table[nr])
		return NULL;
	strscpy(desc, sc->name, KUNIT_PARAM_DESC_SIZE);
	return sc;
}

static const void *scenario_gen(const void *prev, char *desc)
{
	return table_gen(tdxmm_scenarios, tdxmm_nr_scenarios, prev, desc);
}

static const void *pamt_scenario_gen(const void *prev, char *desc)
{
	return table_gen(tdxmm_pamt_scenarios, tdxmm_nr_pamt_scenarios, prev,
			 desc);
}

static const void *sept_scenario_gen(const void *prev, char *desc)
{
	return table_gen(tdxmm_sept_scenarios, tdxmm_nr_sept_scenarios, prev,
			 desc);
}

static const void *gmem_scenario_gen(const void *prev, char *desc)
{
	return table_gen(tdxmm_gmem_scenarios, tdxmm_nr_gmem_scenarios, prev,
			 desc);
}

static void tdxmm_scenario(struct kunit *test)
{
	const struct scenario *sc = test->param_value;
	struct scn s = { .test = test };

	sc->run(&s);
	scn_trace_stop(&s);	/* a failed scenario's trace ends too */
}

/* The S-EPT life cycle against the simulator (tests/sept_scenarios.c). */
static void tdxmm_sept_scenario(struct kunit *test)
{
	tdxmm_scenario(test);
}

/* guest_memfd conversion over the host model (tests/gmem_scenarios.c). */
static void tdxmm_gmem_scenario(struct kunit *test)
{
	tdxmm_scenario(test);
}

/* Dynamic PAMT against the simulator (tests/pamt_scenarios.c). */
static void tdxmm_pamt_scenario(struct kunit *test)
{
	tdxmm_scenario(test);
}

/* ---- R2: two kthreads race to install each of 512 mirror SPTEs ---- */
#define RACERS 2
static struct fixture race_fx;
static atomic_t arrived;

struct racer {
	int id, wins, busy, other;
	struct completion done;
};

static void barrier_wait(int round)
{
	atomic_inc(&arrived);
	while (atomic_read(&arrived) < RACERS * (round + 1))
		yield();	/* UML is uniprocessor: let the other run */
}

static int race_fn(void *arg)
{
	struct racer *r = arg;

	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {
		struct tdp_iter it;
		int ret;

		barrier_wait(i);
		it = iter_at(&race_fx.mirror_sp, i);
		it.old_spte = SHADOW_NONPRESENT_VALUE;
		mmu_read_lock(&race_fx.kvm);
		ret = tdp_mmu_set_spte_atomic(&race_fx.kvm, &it,
				make_leaf_spte(r->id * 0x1000 + i, PG_LEVEL_4K));
		mmu_read_unlock(&race_fx.kvm);
		if (!ret)
			r->wins++;
		else if (ret == -EBUSY)
			r->busy++;
		else
			r->other++;
	}
	complete(&r->done);
	return 0;
}

static void tdxmm_race_install(struct kunit *test)
{
	struct racer r[RACERS];
	int wins = 0, busy = 0;

	fixture_init(&race_fx);
	atomic_set(&arrived, 0);
	for (int i = 0; i < RACERS; i++) {
		struct task_struct *t;

		r[i] = (struct racer){ .id = i + 1 };
		init_completion(&r[i].done);
		t = kthread_run(race_fn, &r[i], "tdxmm-race/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	for (int i = 0; i < RACERS; i++) {
		wait_for_completion(&r[i].done);
		wins += r[i].wins;
		busy += r[i].busy;
		KUNIT_EXPECT_EQ(test, r[i].other, 0);
	}
	/* One winner per SPTE, one hook call per winner, the rest lost. */
	KUNIT_EXPECT_EQ(test, wins, SPTE_ENT_PER_PAGE);
	KUNIT_EXPECT_EQ(test, busy, (RACERS - 1) * SPTE_ENT_PER_PAGE);
	KUNIT_EXPECT_EQ(test, stub_ext.nr_calls, SPTE_ENT_PER_PAGE);
	KUNIT_EXPECT_FALSE(test, race_fx.kvm.vm_bugged);
	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++)
		KUNIT_EXPECT_TRUE(test, is_shadow_present_pte(race_fx.mirror_pt[i]));
	kunit_info(test, "R2: %d installs, wins %d/%d, cpus online %u\n",
		   SPTE_ENT_PER_PAGE, r[0].wins, r[1].wins, num_online_cpus());
}

/*
 * Self-test of kernel-check's splat detector: booted with
 * tdxmm_kunit.planted=1, this case dereferences an SPTE outside RCU, which
 * PROVE_RCU reports without failing any KUnit test.  kernel-check must
 * still fail.  Skipped otherwise.
 */
static bool planted;
module_param(planted, bool, 0444);

static void tdxmm_planted_splat(struct kunit *test)
{
	struct tdp_iter it;

	if (!planted)
		kunit_skip(test, "boot with tdxmm_kunit.planted=1 to plant an RCU misuse");
	fixture_init(&race_fx);
	it = iter_at(&race_fx.direct_sp, 0);
	read_lock(&race_fx.kvm.mmu_lock);		/* no rcu_read_lock() */
	KUNIT_EXPECT_EQ(test, tdp_mmu_set_spte_atomic(&race_fx.kvm, &it,
				make_leaf_spte(1, PG_LEVEL_4K)), 0);
	read_unlock(&race_fx.kvm.mmu_lock);
}

/*
 * Self-test of the KCSAN check (kernel-check.sh smp-selftest): booted with
 * tdxmm_kunit.planted_race=1, two kthreads increment a plain counter; the
 * SMP run's KCSAN must report it in tdxmm.  Skipped otherwise.
 */
static bool planted_race;
module_param(planted_race, bool, 0444);
static unsigned long planted_race_counter;
static atomic_t planted_race_arrived;

static noinline int planted_race_fn(void *arg)
{
	atomic_inc(&planted_race_arrived);
	while (atomic_read(&planted_race_arrived) < 2)
		cpu_relax();
	for (int i = 0; i < 200000; i++) {
		planted_race_counter++;	/* plain, racing: the planted bug */
		barrier();		/* one load and store per iteration */
		if (!(i % 1024))
			cond_resched();
	}
	return 0;
}

static void tdxmm_planted_race(struct kunit *test)
{
	if (!planted_race)
		kunit_skip(test, "boot with tdxmm_kunit.planted_race=1 to plant a data race");
	atomic_set(&planted_race_arrived, 0);
	KUNIT_EXPECT_EQ(test, scn_run_pair(planted_race_fn, NULL, NULL), 0);
}

static struct kunit_case tdxmm_cases[] = {
	KUNIT_CASE_PARAM(tdxmm_scenario, scenario_gen),
	KUNIT_CASE_PARAM(tdxmm_sept_scenario, sept_scenario_gen),
	KUNIT_CASE_PARAM(tdxmm_pamt_scenario, pamt_scenario_gen),
	KUNIT_CASE_PARAM(tdxmm_gmem_scenario, gmem_scenario_gen),
	KUNIT_CASE(tdxmm_race_install),
	KUNIT_CASE(tdxmm_planted_splat),
	KUNIT_CASE(tdxmm_planted_race),
	{}
};

/*
 * After the last case: how often model/'s checkers ran in this kernel
 * (model/evidence.h), one line that kernel-check.sh keeps for the report.
 */
static void tdxmm_suite_exit(struct kunit_suite *suite)
{
	char line[1024] = "";
	int n = 0;

	for (int i = 1; i < TDXMM_NR_INV; i++)
		if (tdxmm_inv_evaluated[i])
			n += scnprintf(line + n, sizeof(line) - n, " INV-%02d=%llu",
				       i, (unsigned long long)tdxmm_inv_evaluated[i]);
	for (int i = 1; i < TDXMM_NR_GMEM; i++)
		if (tdxmm_gmem_evaluated[i])
			n += scnprintf(line + n, sizeof(line) - n, " GMEM-%02d=%llu",
				       i, (unsigned long long)tdxmm_gmem_evaluated[i]);
	pr_info("tdxmm: evidence (checks evaluated):%s\n", line);
}

static struct kunit_suite tdxmm_suite = {
	.name = "tdxmm",
	.test_cases = tdxmm_cases,
	.suite_exit = tdxmm_suite_exit,
};
kunit_test_suite(tdxmm_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tdxmm: unchanged impl/ under KUnit");
