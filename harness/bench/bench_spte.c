// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: cost of the SPTE setters against their floor, in one run.
 *   mirror install (freeze, stubbed hook, store) vs two try_cmpxchg64
 *   non-mirror install (one cmpxchg)             vs one try_cmpxchg64
 * Prints ns/op and the ratio; never asserts on time.  Under
 * valgrind --tool=callgrind (scripts/bench.sh) the same binary gives
 * instruction counts, which do not depend on machine load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "env.h"
#include "kvm.h"
#include "spte.h"
#include "tdp_iter.h"
#include "tdp_mmu.h"

/* The hook stubbed to the bone: the bench measures the freeze, not TDX. */
int set_external_spte(struct kvm *kvm, gfn_t gfn, u64 old_spte, u64 new_spte,
		      int level)
{
	return 0;
}

/* Never called here (nothing is removed); the setters' file links to it. */
void reclaim_external_sp(struct kvm *kvm, gfn_t gfn, struct kvm_mmu_page *sp)
{
}

static struct kvm kvm;
static u64 pt[SPTE_ENT_PER_PAGE];
static struct kvm_mmu_page mirror = { .spt = pt, .role = { 1, true } };
static struct kvm_mmu_page direct = { .spt = pt, .role = { 1, false } };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Each op installs one SPTE and the loop resets it: same work per op.
 * One noinline function per kind, so callgrind counts each apart. */
static __always_inline void install(struct kvm_mmu_page *sp, int i)
{
	struct tdp_iter it = {
		.sptep = &pt[i], .old_spte = SHADOW_NONPRESENT_VALUE,
		.gfn = i, .level = PG_LEVEL_4K, .sp = sp,
	};

	if (__tdp_mmu_set_spte_atomic(&kvm, &it, make_leaf_spte(i, PG_LEVEL_4K)))
		abort();
}

__attribute__((noinline)) static void op_mirror(int i)
{
	install(&mirror, i);
}

__attribute__((noinline)) static void op_direct(int i)
{
	install(&direct, i);
}

__attribute__((noinline)) static void op_cmpxchg1(int i)
{
	u64 old = SHADOW_NONPRESENT_VALUE;

	if (!try_cmpxchg64(&pt[i], &old, make_leaf_spte(i, PG_LEVEL_4K)))
		abort();
}

__attribute__((noinline)) static void op_cmpxchg2(int i)
{
	u64 old = SHADOW_NONPRESENT_VALUE;

	if (!try_cmpxchg64(&pt[i], &old, FROZEN_SPTE))
		abort();
	old = FROZEN_SPTE;
	if (!try_cmpxchg64(&pt[i], &old, make_leaf_spte(i, PG_LEVEL_4K)))
		abort();
}

enum kind { MIRROR, DIRECT, CMPXCHG2, CMPXCHG1 };

static double run(enum kind k, long iters)
{
	double t0 = now();

	rcu_read_lock();
	for (long n = 0; n < iters; n++) {
		int i = n & (SPTE_ENT_PER_PAGE - 1);

		switch (k) {
		case MIRROR: op_mirror(i); break;
		case DIRECT: op_direct(i); break;
		case CMPXCHG2: op_cmpxchg2(i); break;
		case CMPXCHG1: op_cmpxchg1(i); break;
		}
		pt[i] = SHADOW_NONPRESENT_VALUE;
	}
	rcu_read_unlock();
	return (now() - t0) / iters;
}

#define ROUNDS 7

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 20000000;
	double best[4] = { 1e99, 1e99, 1e99, 1e99 }, rm[ROUNDS], rd[ROUNDS];

	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++)
		pt[i] = SHADOW_NONPRESENT_VALUE;
	/* Rounds interleaved, so drift hits all four alike. */
	for (int r = 0; r < ROUNDS; r++) {
		double t[4];

		for (int k = 0; k < 4; k++) {
			t[k] = run(k, iters);
			if (t[k] < best[k])
				best[k] = t[k];
		}
		rm[r] = t[MIRROR] / t[CMPXCHG2];
		rd[r] = t[DIRECT] / t[CMPXCHG1];
	}
	qsort(rm, ROUNDS, sizeof(rm[0]), cmp_double);
	qsort(rd, ROUNDS, sizeof(rd[0]), cmp_double);
	printf("bench: %ld ops x %d rounds, best round ns/op; ratio per round\n",
	       iters, ROUNDS);
	printf("bench: mirror freeze-install  %6.2f ns   two try_cmpxchg64 %6.2f ns   ratio min %.2f median %.2f max %.2f\n",
	       best[MIRROR], best[CMPXCHG2], rm[0], rm[ROUNDS / 2], rm[ROUNDS - 1]);
	printf("bench: non-mirror install     %6.2f ns   one try_cmpxchg64 %6.2f ns   ratio min %.2f median %.2f max %.2f\n",
	       best[DIRECT], best[CMPXCHG1], rd[0], rd[ROUNDS / 2], rd[ROUNDS - 1]);
	return 0;
}
