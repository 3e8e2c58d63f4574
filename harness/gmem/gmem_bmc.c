// SPDX-License-Identifier: GPL-2.0
/*
 * Exhaustive check of guest_memfd conversion (impl/gmem.c) over a small
 * file, GMEM §4g's minimal scope: for every file size npages <= N, every
 * attribute map (2^npages), every range, both values, every folio state
 * of every page (absent, clean, in an LRU-add batch, host-mapped, a GUP
 * reference, a DMA pin: all combinations up to 4 pages, one odd page on a
 * uniform background above) and every fault (the preallocation, the
 * copy-in, the write-back), one KVM_SET_MEMORY_ATTRIBUTES2 call, then
 * GMEM-01..17's checkers (model/gmem_check.c).  Also every invalid request
 * kind on every map, the VM ioctl's (GMEM-17), populate (GMEM-16) and the
 * mode (GMEM-12).
 *
 *   gmem_bmc [--max-pages N] [--json FILE]
 * exit 0: no violation; 1: a violation (printed, with the run); 2: usage.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "env.h"
#include "evidence.h"
#include "gmem.h"
#include "gmem_check.h"
#include "gmem_host.h"

#define PRIV KVM_MEMORY_ATTRIBUTE_PRIVATE
#define NSTATES 6
enum { F_ABSENT, F_CLEAN, F_LRU, F_MAPPED, F_GUP, F_PINNED };
static const char *const fstate_name[NSTATES] = {
	"absent", "clean", "lru", "mapped", "gup", "pinned" };
enum { FAULT_NONE, FAULT_ALLOC, FAULT_COPY_IN, FAULT_WRITE_BACK, NFAULTS };
static const char *const fault_name[NFAULTS] = {
	"none", "prealloc", "copy-in", "write-back" };

static struct kvm kvm;
static struct kvm_memory_attributes2 arg;
static unsigned long runs, violations;
static volatile unsigned long calls_started, calls_seen;
static const char *in_call;

/*
 * A call that never returns is a violation too (a drain loop that does not
 * end, say): every 2 s, if no call started since the last tick, stop.
 */
static void watchdog(int sig)
{
	static const char msg[] = "gmem_bmc: VIOLATION GMEM-09: a call did not return within 2 s (a drain or lookup loop that does not end)\n";

	(void)sig;
	if (calls_started == calls_seen && in_call) {
		if (write(1, msg, sizeof(msg) - 1) < 0)
			_exit(1);
		_exit(1);
	}
	calls_seen = calls_started;
}

static struct kvm_gmem *make(u64 npages, unsigned int pattern)
{
	struct kvm_create_guest_memfd c = {
		.size = npages << PAGE_SHIFT,
		.flags = GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED };
	struct kvm_gmem *g;
	static struct gmem_snap s;
	const char *why;

	if (kvm_gmem_create(&kvm, &c, &g))
		return NULL;
	gmem_snap(&s, g);
	if (!gmem_04_initial(&s, c.flags, &why)) {
		printf("gmem_bmc: VIOLATION %s (create, %llu pages)\n", why,
		       (unsigned long long)npages);
		exit(1);
	}
	/* The map: each maximal run of private pages, converted. */
	for (u64 i = 0; i < npages; ) {
		u64 j = i;

		if (!(pattern >> i & 1)) {
			i++;
			continue;
		}
		while (j < npages && (pattern >> j & 1))
			j++;
		arg = (struct kvm_memory_attributes2){ .offset = i << PAGE_SHIFT,
			.size = (j - i) << PAGE_SHIFT, .attributes = PRIV };
		if (kvm_gmem_ioctl(g, KVM_SET_MEMORY_ATTRIBUTES2,
				   gmem_user_addr(&arg)))
			return NULL;
		i = j;
	}
	return g;
}

/* Folio state @st for page @i (F_MAPPED only on a shared page). */
static bool set_state(struct kvm_gmem *g, u64 i, int st)
{
	struct gmem_pages *p = g->pages;

	if (st == F_ABSENT)
		return true;
	if (st == F_MAPPED && (kvm_gmem_get_attributes(g, i) & PRIV))
		return false;	/* GMEM-13: not a reachable state */
	if (gmem_pages_allocate(p, i, 1))
		return false;
	switch (st) {
	case F_LRU:
		return !gmem_host_lru_add(p, i);
	case F_MAPPED:
		return !gmem_pages_fault_in(p, i);
	case F_GUP:
		return !gmem_host_gup(p, i);
	case F_PINNED:
		return !gmem_host_dma_pin(p, i);
	}
	return true;
}

static void report(const char *why, u64 npages, unsigned int pattern,
		   const int *st, int fault, const struct kvm_memory_attributes2 *a,
		   long ret)
{
	violations++;
	if (violations > 5)
		return;
	printf("gmem_bmc: VIOLATION %s\n", why);
	printf("gmem_bmc:   %llu pages, private map 0x%x, folios",
	       (unsigned long long)npages, pattern);
	for (u64 i = 0; i < npages; i++)
		printf(" %s", fstate_name[st[i]]);
	printf(", fault %s\n", fault_name[fault]);
	printf("gmem_bmc:   SET_MEMORY_ATTRIBUTES2 offset 0x%llx size 0x%llx attributes 0x%llx flags 0x%llx -> %ld, error_offset 0x%llx\n",
	       (unsigned long long)a->offset, (unsigned long long)a->size,
	       (unsigned long long)a->attributes, (unsigned long long)a->flags,
	       ret, (unsigned long long)arg.error_offset);
}

static void one(u64 npages, unsigned int pattern, const int *st, int fault,
		const struct kvm_memory_attributes2 *req)
{
	static struct gmem_snap before, after;
	struct kvm_gmem *g = make(npages, pattern);
	struct gmem_call c;
	const char *why = "";
	long ret;

	if (!g) {
		report("setup failed", npages, pattern, st, fault, req, 0);
		return;
	}
	for (u64 i = 0; i < npages; i++) {
		if (!set_state(g, i, st[i])) {
			kvm_gmem_release(g);
			return;		/* unreachable combination */
		}
	}
	runs++;
	arg = *req;
	arg.error_offset = 0x5a5a5a5a;
	gmem_snap(&before, g);
	if (fault == FAULT_ALLOC)
		tdxmm_alloc_fail_nth(1);
	else if (fault == FAULT_COPY_IN)
		gmem_user_fail_nth(1);
	else if (fault == FAULT_WRITE_BACK)
		gmem_user_fail_nth(2);
	calls_started++;
	in_call = "SET_MEMORY_ATTRIBUTES2";
	ret = kvm_gmem_ioctl(g, KVM_SET_MEMORY_ATTRIBUTES2, gmem_user_addr(&arg));
	in_call = NULL;
	tdxmm_alloc_fail_nth(0);
	gmem_user_fail_nth(0);
	gmem_snap(&after, g);

	if (fault == FAULT_COPY_IN) {
		/* GMEM §4d: nothing done */
		if (ret != -EFAULT || after.nr != before.nr ||
		    after.invalidations != before.invalidations)
			report("GMEM-05: a copy-in fault did something", npages,
			       pattern, st, fault, req, ret);
		goto out;
	}
	c = (struct gmem_call){ .offset = req->offset, .size = req->size,
		.attributes = req->attributes, .flags = req->flags,
		.validation_ok = gmem_request_valid(req, g->size,
							   kvm.has_private_mem), .ret = ret,
		.error_offset = arg.error_offset,
		.written_back = arg.error_offset != 0x5a5a5a5a };
	if (fault == FAULT_WRITE_BACK) {
		/* The outcome stands; only its report is lost (GMEM §4d). */
		if (ret == -EFAULT)
			c.ret = -EAGAIN;	/* or -ENOMEM: as decided */
		if (ret == -EFAULT && !gmem_05_all_or_nothing(&before, &after, &c, &why))
			report(why, npages, pattern, st, fault, req, ret);
		goto out;
	}
	if (!gmem_check_call(g, &before, &after, &c, &why))
		report(why, npages, pattern, st, fault, req, ret);
	/* GMEM-16 on the map the call left */
	for (u64 i = 0; i < npages; i++) {
		for (u64 n = 1; i + n <= npages; n++) {
			int r = kvm_gmem_populate_check(g, i, n, 0);

			if (!gmem_16_populate(g, i, n, r, &why))
				report(why, npages, pattern, st, fault, req, ret);
		}
	}
out:
	kvm_gmem_release(g);
}

static void states_for(u64 npages, int *st, unsigned long code)
{
	for (u64 i = 0; i < npages; i++) {
		st[i] = code % NSTATES;
		code /= NSTATES;
	}
}

static void every_folio_state(u64 npages, unsigned int pattern,
			      const struct kvm_memory_attributes2 *req)
{
	int st[8];

	if (npages <= 4) {
		unsigned long combos = 1;

		for (u64 i = 0; i < npages; i++)
			combos *= NSTATES;
		for (unsigned long code = 0; code < combos; code++) {
			states_for(npages, st, code);
			for (int f = 0; f < NFAULTS; f++)
				one(npages, pattern, st, f, req);
		}
		return;
	}
	/* uniform, and one odd page on a clean background */
	for (int u = 0; u < NSTATES; u++) {
		for (u64 i = 0; i < npages; i++)
			st[i] = u;
		for (int f = 0; f < NFAULTS; f++)
			one(npages, pattern, st, f, req);
	}
	for (u64 odd = 0; odd < npages; odd++) {
		for (int u = 0; u < NSTATES; u++) {
			for (u64 i = 0; i < npages; i++)
				st[i] = i == odd ? u : F_CLEAN;
			for (int f = 0; f < NFAULTS; f++)
				one(npages, pattern, st, f, req);
		}
	}
}

/* Every invalid kind of request (GMEM-14), on a map with folios held. */
static void invalid_requests(u64 npages, unsigned int pattern)
{
	static const int st[8] = { F_GUP, F_LRU, F_CLEAN, F_PINNED, F_GUP,
				   F_CLEAN, F_LRU, F_GUP };
	u64 sz = npages << PAGE_SHIFT;
	struct kvm_memory_attributes2 bad[] = {
		{ .offset = 0, .size = PAGE_SIZE, .flags = 1 },
		{ .offset = 0, .size = PAGE_SIZE, .attributes = 1ULL << 4 },
		{ .offset = 0, .size = 0 },
		{ .offset = PAGE_SIZE, .size = ~0ULL - PAGE_SIZE + 1 },
		{ .offset = 1, .size = PAGE_SIZE },
		{ .offset = 0, .size = PAGE_SIZE + 1 },
		{ .offset = sz, .size = PAGE_SIZE },
		{ .offset = 0, .size = sz + PAGE_SIZE },
		{ .offset = 0, .size = PAGE_SIZE, .reserved = { [3] = 1 } },
	};

	for (unsigned int k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		for (u64 v = 0; v <= PRIV; v += PRIV) {
			bad[k].attributes |= v;
			one(npages, pattern, st, FAULT_NONE, &bad[k]);
		}
}

static int mode_and_vm_ioctl(void)
{
	static struct gmem_snap a, b;
	static struct kvm_memory_attributes vm;
	struct kvm_gmem *g;
	const char *why;
	long r;

	gmem_user_register(&vm, sizeof(vm), false);
	for (int in_place = 0; in_place <= 1; in_place++) {
		/* The mode is fixed while a VM or a file exists: start over. */
		kvm_vm_destroy_mem_attributes(&kvm);
		if (kvm_gmem_set_mode(in_place) ||
		    kvm_vm_init_mem_attributes(&kvm, true))
			return -1;
		g = make(4, 0);
		if (!g)
			return -1;
		if (!gmem_12_mode(&kvm, g, &why)) {
			report(why, 4, 0, (int[8]){ 0 }, 0, &arg, 0);
			return 1;
		}
		kvm_gmem_release(g);
		/* GMEM-17: every VM request on every 4-gfn map, with ENOMEM */
		for (u64 first = 0; first < 4; first++)
			for (u64 last = first + 1; last <= 4; last++)
				for (u64 v = 0; v <= PRIV; v += PRIV)
					for (int f = 0; f < 2; f++) {
						vm = (struct kvm_memory_attributes){
							.address = first << PAGE_SHIFT,
							.size = (last - first) << PAGE_SHIFT,
							.attributes = v };
						gmem_snap_vm(&a, &kvm);
						tdxmm_alloc_fail_nth(f);
						r = kvm_vm_ioctl_set_mem_attributes(&kvm, gmem_user_addr(&vm));
						tdxmm_alloc_fail_nth(0);
						gmem_snap_vm(&b, &kvm);
						why = NULL;
						if (!gmem_17_vm_unchanged(&a, &b, r, &why) ||
						    !gmem_01_coverage(&kvm.mem_attr_array, &why) ||
						    !gmem_02_canonical(&kvm.mem_attr_array, &why))
							;
						else if (in_place && v && r != -EINVAL)
							why = "GMEM-12: in-place on, yet the VM ioctl took PRIVATE";
						else if ((!in_place || !v) && !f && r)
							why = "GMEM-17: a valid VM request failed";
						else
							why = NULL;
						if (why) {
							report(why, 4, 0, (int[8]){ 0 }, f, &arg, r);
							return 1;
						}
						runs++;
					}
	}
	kvm_vm_destroy_mem_attributes(&kvm);
	return kvm_gmem_set_mode(true);
}

int main(int argc, char **argv)
{
	u64 max_pages = 8;
	const char *json = NULL;
	struct timespec t0, t1;
	double secs;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--max-pages") && i + 1 < argc) {
			char *end;

			max_pages = strtoull(argv[++i], &end, 10);
			if (*end || max_pages < 1 || max_pages > 8) {
				fprintf(stderr, "gmem_bmc: --max-pages takes 1..8\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			json = argv[++i];
		} else {
			fprintf(stderr, "usage: gmem_bmc [--max-pages N] [--json FILE]\n");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	signal(SIGALRM, watchdog);
	setitimer(ITIMER_REAL, &(struct itimerval){ { 2, 0 }, { 2, 0 } }, NULL);
	tdxmm_warn_quiet = true;
	rwlock_init(&kvm.mmu_lock);
	mutex_init(&kvm.slots_lock);
	kvm.arch.root_level = 4;
	if (kvm_vm_init_mem_attributes(&kvm, true)) {
		fprintf(stderr, "gmem_bmc: no memory\n");
		return 2;
	}
	gmem_user_register(&arg, sizeof(arg), true);
	for (u64 n = 1; n <= max_pages; n++) {
		for (unsigned int pattern = 0; pattern < 1U << n; pattern++) {
			for (u64 first = 0; first < n; first++)
				for (u64 last = first + 1; last <= n; last++)
					for (u64 v = 0; v <= PRIV; v += PRIV) {
						struct kvm_memory_attributes2 r = {
							.offset = first << PAGE_SHIFT,
							.size = (last - first) << PAGE_SHIFT,
							.attributes = v };

						every_folio_state(n, pattern, &r);
					}
			invalid_requests(n, pattern);
		}
		printf("gmem_bmc: npages %llu done, %lu runs so far\n",
		       (unsigned long long)n, runs);
		fflush(stdout);
	}
	if (mode_and_vm_ioctl() < 0)
		fprintf(stderr, "gmem_bmc: mode setup failed\n"), violations++;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("gmem_bmc: %lu runs over npages <= %llu in %.1f s (%.0f runs/s), %lu violation(s)\n",
	       runs, (unsigned long long)max_pages, secs, runs / secs, violations);
	/* GMEM-18 needs a TD: harness/bmc and harness/mc evaluate it */
	printf("gmem_bmc: evidence");
	for (int k = 1; k < TDXMM_NR_GMEM; k++)
		if (tdxmm_gmem_evaluated[k])
			printf(" GMEM-%02d=%llu", k,
			       (unsigned long long)tdxmm_gmem_evaluated[k]);
	printf("\n");
	if (json) {
		FILE *f = fopen(json, "w");

		if (!f) {
			perror(json);
			return 2;
		}
		fprintf(f, "{\"depth\": %llu, \"root\": \"-\", \"fixpoint\": false, "
			"\"faults\": \"preallocation, copy-in, write-back\", "
			"\"ops\": \"KVM_SET_MEMORY_ATTRIBUTES2 on every map, range, value and folio state of a file of up to %llu pages; invalid requests; the VM ioctl; populate\", "
			"\"runs\": %lu, \"seconds\": %.1f, \"violations\": %lu, \"evidence\": {",
			(unsigned long long)max_pages, (unsigned long long)max_pages,
			runs, secs, violations);
		for (int k = 1, n = 0; k < TDXMM_NR_GMEM; k++)
			if (tdxmm_gmem_evaluated[k])
				fprintf(f, "%s\"GMEM-%02d\": %llu", n++ ? ", " : "", k,
					(unsigned long long)tdxmm_gmem_evaluated[k]);
		fprintf(f, "}}\n");
		fclose(f);
	}
	return violations ? 1 : 0;
}
