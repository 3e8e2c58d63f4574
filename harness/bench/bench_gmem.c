// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: the cost of a guest_memfd conversion to shared (impl/gmem.c)
 * per 4 KiB and per 2 MiB, in SEAMCALLs and wall time, against the zap of
 * the same range alone (kvm_zap_gfn_range), its floor, in the same run.
 * A TD on the simulator; each round maps the region again first (not
 * timed).  Figures, not assertions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "env.h"
#include "kvm.h"
#include "external.h"
#include "gmem.h"
#include "gmem_host.h"
#include "pamt.h"
#include "tdp_mmu.h"
#include "tdx.h"
#include "tdx_module.h"

#define ORDER 9

static struct kvm kvm;
static struct kvm_vcpu vcpu;
static struct kvm_gmem *gmem;
static kvm_pfn_t gpfn;
static struct kvm_memory_attributes2 arg;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned long seamcalls(void)
{
	unsigned long n = 0;

	for (int sc = 0; sc < SC_NR; sc++)
		n += tdxsim_calls(sc);
	return n;
}

static void td_up(void)
{
	static const struct kvm zero_kvm;
	static const struct kvm_vcpu zero_vcpu;
	struct kvm_create_guest_memfd c = { .size = 1024ULL << PAGE_SHIFT };
	struct tdx_memblock b = {
		.start_pfn = tdxmm_virt_to_pfn(tdxmm_pool_base()),
		.end_pfn = tdxmm_virt_to_pfn(tdxmm_pool_base()) + tdxmm_pool_pages() };
	void *guest;

	tdxsim_reset();
	tdx_bringup();
	tdxsim_set_single_threaded(true);
	tdx_pamt_exit();
	if (tdx_pamt_init(&b, 1))
		exit(2);
	tdxsim_set_dpamt(true);
	tdxmm_pool_reset();
	kvm_x86_ops.set_external_spte = tdx_sept_set_private_spte;
	kvm_x86_ops.reclaim_external_sp = tdx_sept_reclaim_private_sp;
	kvm = zero_kvm;
	vcpu = zero_vcpu;
	rwlock_init(&kvm.mmu_lock);
	guest = tdxmm_alloc_pages(ORDER);
	if (!guest || tdx_vm_init(&kvm, 4))
		exit(2);
	gpfn = tdxmm_virt_to_pfn(guest);
	kvm_vcpu_init(&vcpu, &kvm);
	if (tdx_td_finalize(&kvm))
		exit(2);
	kvm.has_private_mem = true;
	if (kvm_gmem_create(&kvm, &c, &gmem) || kvm_gmem_bind(gmem, 0, 0, 1024))
		exit(2);
	gmem_user_register(&arg, sizeof(arg), true);
}

static long convert(u64 first, u64 n, u64 attrs)
{
	arg = (struct kvm_memory_attributes2){ .offset = first << PAGE_SHIFT,
					       .size = n << PAGE_SHIFT,
					       .attributes = attrs };
	return kvm_gmem_ioctl(gmem, KVM_SET_MEMORY_ATTRIBUTES2, gmem_user_addr(&arg));
}

/* Map [512, 1024) again: one 2M leaf, or 512 4K leaves. */
static void map_back(bool huge)
{
	if (convert(512, 512, KVM_MEMORY_ATTRIBUTE_PRIVATE))
		exit(3);
	if (huge) {
		if (kvm_gmem_fault(&vcpu, gmem, 512, gpfn, PG_LEVEL_2M) != RET_PF_FIXED)
			exit(3);
		return;
	}
	for (int i = 0; i < 512; i++)
		if (kvm_gmem_fault(&vcpu, gmem, 512 + i, gpfn + i, PG_LEVEL_4K) !=
		    RET_PF_FIXED)
			exit(3);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20;
	double t_conv4 = 0, t_zap4 = 0, t_conv2 = 0, t_zap2 = 0, t;
	unsigned long s_conv4 = 0, s_zap4 = 0, s_conv2 = 0, s_zap2 = 0, s;

	tdxmm_warn_quiet = true;
	td_up();
	for (int r = 0; r < rounds; r++) {
		/* per 4 KiB: 512 single-page conversions of 4K leaves */
		map_back(false);
		s = seamcalls();
		t = now();
		for (int i = 0; i < 512; i++)
			if (convert(512 + i, 1, 0))
				exit(4);
		t_conv4 += now() - t;
		s_conv4 += seamcalls() - s;
		/* the floor: the same zaps alone */
		map_back(false);
		s = seamcalls();
		t = now();
		for (int i = 0; i < 512; i++)
			if (kvm_zap_gfn_range(&kvm, 512 + i, 513 + i) != 1)
				exit(4);
		t_zap4 += now() - t;
		s_zap4 += seamcalls() - s;
		/* per 2 MiB: one conversion of a 2M leaf */
		map_back(true);
		s = seamcalls();
		t = now();
		if (convert(512, 512, 0))
			exit(4);
		t_conv2 += now() - t;
		s_conv2 += seamcalls() - s;
		map_back(true);
		s = seamcalls();
		t = now();
		if (kvm_zap_gfn_range(&kvm, 512, 1024) != 1)
			exit(4);
		t_zap2 += now() - t;
		s_zap2 += seamcalls() - s;
		/* leave the range private and unmapped for the next round */
		if (convert(512, 512, 0))
			exit(4);
	}
	printf("bench: gmem conversion to shared, %d rounds: per 4 KiB %.2f us, %.1f SEAMCALLs "
	       "(zap alone %.2f us, %.1f SEAMCALLs; ratio %.2f); per 2 MiB %.2f us, %.1f SEAMCALLs "
	       "(zap alone %.2f us, %.1f SEAMCALLs; ratio %.2f)\n", rounds,
	       t_conv4 / (rounds * 512.0) * 1e6, s_conv4 / (rounds * 512.0),
	       t_zap4 / (rounds * 512.0) * 1e6, s_zap4 / (rounds * 512.0),
	       t_conv4 / t_zap4,
	       t_conv2 / rounds * 1e6, (double)s_conv2 / rounds,
	       t_zap2 / rounds * 1e6, (double)s_zap2 / rounds, t_conv2 / t_zap2);
	return 0;
}
