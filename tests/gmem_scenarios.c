// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd attributes and conversion (impl/gmem.c), GMEM §4: every row
 * of docs/BAD-INPUTS.md's guest_memfd table and each invariant's case,
 * with the checkers of model/gmem_check.c after every call.  No TD here:
 * the conversions that zap the mirror are in tests/sept_scenarios.c.
 * Shared by cmocka and KUnit.
 */
#include "scenarios.h"
#include "gmem.h"
#include "gmem_host.h"
#include "gmem_check.h"

#define PRIV KVM_MEMORY_ATTRIBUTE_PRIVATE
#define P(n) ((u64)(n) << PAGE_SHIFT)

struct gmem_fixture {
	struct kvm kvm;
	struct kvm_gmem *gmem;
	struct kvm_memory_attributes2 arg;	/* "user memory" */
};

static struct gmem_fixture gf;

static void g_teardown(void);

static bool g_setup(u64 npages, u64 flags, bool in_place, bool has_private)
{
	static const struct gmem_fixture zero;
	struct kvm_create_guest_memfd c = { .size = P(npages), .flags = flags };

	g_teardown();		/* what a failed scenario left */
	gf = zero;
	gmem_user_unregister_all();
	/* a failed scenario may have left a file: the mode is then fixed */
	if (gmem_in_place_conversion != in_place && kvm_gmem_set_mode(in_place))
		return false;
	rwlock_init(&gf.kvm.mmu_lock);
	mutex_init(&gf.kvm.slots_lock);
	gf.kvm.arch.root_level = 4;
	if (kvm_vm_init_mem_attributes(&gf.kvm, has_private))
		return false;
	if (kvm_gmem_create(&gf.kvm, &c, &gf.gmem))
		return false;
	gmem_user_register(&gf.arg, sizeof(gf.arg), true);
	return true;
}

static void g_teardown(void)
{
	if (gf.gmem)
		kvm_gmem_release(gf.gmem);
	gf.gmem = NULL;
	if (gf.kvm.mem_attr_array.start)
		kvm_vm_destroy_mem_attributes(&gf.kvm);
	gmem_user_unregister_all();
}

/*
 * KVM_SET_MEMORY_ATTRIBUTES2 with @a through the gmem fd, then every
 * per-call checker; NULL, or what broke.  *ret: the ioctl's result.
 */
static const char *g_call(const struct kvm_memory_attributes2 *a, long *ret)
{
	static struct gmem_snap before, after;
	struct gmem_call c;
	const char *why = NULL;

	gf.arg = *a;
	gf.arg.error_offset = 0x5a5a5a5a;	/* "not written back" */
	gmem_snap(&before, gf.gmem);
	*ret = kvm_gmem_ioctl(gf.gmem, KVM_SET_MEMORY_ATTRIBUTES2,
			      gmem_user_addr(&gf.arg));
	gmem_snap(&after, gf.gmem);
	c = (struct gmem_call){ .offset = a->offset, .size = a->size,
				.attributes = a->attributes, .flags = a->flags,
				.validation_ok = gmem_request_valid(a, gf.gmem->size,
								   gf.kvm.has_private_mem), .ret = *ret,
				.error_offset = gf.arg.error_offset,
				.written_back = gf.arg.error_offset != 0x5a5a5a5a };
	if (!gmem_check_call(gf.gmem, &before, &after, &c, &why))
		return why;
	return NULL;
}

#define G_CALL(s, a, want)						\
do {									\
	long __r;							\
	const char *__why = g_call((a), &__r);				\
	if (__why) {							\
		scn_fail(s, __FILE__, __LINE__, __why, (u64)__r, 0);	\
		return;							\
	}								\
	SCN_EQ(s, __r, (want));						\
} while (0)

static struct kvm_memory_attributes2 req(u64 off, u64 size, u64 attrs)
{
	return (struct kvm_memory_attributes2){ .offset = off, .size = size,
						.attributes = attrs };
}

static u64 attr(u64 i)
{
	return kvm_gmem_get_attributes(gf.gmem, i);
}

static void GMEM_04_create_defaults_and_bad_create(struct scn *s)
{
	static struct gmem_snap sn;
	struct kvm_create_guest_memfd c = { .size = P(8) };
	struct kvm_gmem *g;
	const char *why = NULL;

	SCN_TRUE(s, g_setup(8, 0, true, true));
	gmem_snap(&sn, gf.gmem);
	SCN_TRUE(s, gmem_04_initial(&sn, 0, &why));
	g_teardown();
	SCN_TRUE(s, g_setup(8, GUEST_MEMFD_FLAG_INIT_SHARED, true, true));
	gmem_snap(&sn, gf.gmem);
	SCN_TRUE(s, gmem_04_initial(&sn, GUEST_MEMFD_FLAG_INIT_SHARED, &why));
	SCN_EQ(s, attr(7), 0);

	/* KVM_CREATE_GUEST_MEMFD's bad inputs: EINVAL, nothing created */
	c.flags = 1ULL << 2;
	SCN_EQ(s, kvm_gmem_create(&gf.kvm, &c, &g), -EINVAL);
	c.flags = 0;
	c.size = 0;
	SCN_EQ(s, kvm_gmem_create(&gf.kvm, &c, &g), -EINVAL);
	c.size = P(1) + 1;
	SCN_EQ(s, kvm_gmem_create(&gf.kvm, &c, &g), -EINVAL);
	c.size = GMEM_MAX_SIZE + PAGE_SIZE;
	SCN_EQ(s, kvm_gmem_create(&gf.kvm, &c, &g), -EINVAL);
	c.size = P(1);
	c.reserved[5] = 1;
	SCN_EQ(s, kvm_gmem_create(&gf.kvm, &c, &g), -EINVAL);
	g_teardown();
}

static void GMEM_14_bad_ranges_flags_attributes_einval(struct scn *s)
{
	struct kvm_memory_attributes2 a;

	SCN_TRUE(s, g_setup(8, 0, true, true));
	a = req(0, P(1), 0);
	a.flags = 1;				/* flags: none in v8 */
	G_CALL(s, &a, -EINVAL);
	a = req(0, P(1), 0);
	a.reserved[10] = 1;			/* reserved must be zero */
	G_CALL(s, &a, -EINVAL);
	a = req(0, P(1), 1ULL << 4);		/* unknown attribute bit */
	G_CALL(s, &a, -EINVAL);
	a = req(0, 0, 0);			/* size 0 */
	G_CALL(s, &a, -EINVAL);
	a = req(P(2), ~0ULL - P(1) + 1, 0);	/* offset + size wraps */
	G_CALL(s, &a, -EINVAL);
	a = req(1, P(1), 0);			/* unaligned offset */
	G_CALL(s, &a, -EINVAL);
	a = req(0, P(1) + 8, 0);		/* unaligned size */
	G_CALL(s, &a, -EINVAL);
	a = req(P(8), P(1), 0);			/* offset at i_size */
	G_CALL(s, &a, -EINVAL);
	a = req(P(6), P(3), 0);			/* past i_size */
	G_CALL(s, &a, -EINVAL);
	SCN_EQ(s, gf.gmem->invalidations, 0);
	g_teardown();

	/* a VM without private memory */
	SCN_TRUE(s, g_setup(8, 0, true, false));
	a = req(0, P(1), 0);
	G_CALL(s, &a, -EINVAL);
	g_teardown();
}

static void GMEM_14_bad_user_pointer_efault(struct scn *s)
{
	struct kvm_memory_attributes2 a = req(0, P(2), 0);
	long r;

	SCN_TRUE(s, g_setup(8, 0, true, true));
	/* copy-in faults: nothing done */
	SCN_EQ(s, kvm_gmem_ioctl(gf.gmem, KVM_SET_MEMORY_ATTRIBUTES2, 16), -EFAULT);
	SCN_EQ(s, attr(0), PRIV);
	/* a user buffer one byte too short faults too */
	gmem_user_unregister_all();
	gmem_user_register(&gf.arg, sizeof(gf.arg) - 1, true);
	gf.arg = a;
	SCN_EQ(s, kvm_gmem_ioctl(gf.gmem, KVM_SET_MEMORY_ATTRIBUTES2,
				 gmem_user_addr(&gf.arg)), -EFAULT);
	SCN_EQ(s, attr(0), PRIV);
	SCN_EQ(s, gf.gmem->invalidations, 0);
	/* write-back faults: the outcome (EAGAIN, nothing changed) stands */
	gmem_user_unregister_all();
	gmem_user_register(&gf.arg, sizeof(gf.arg), false);
	gf.arg = req(0, P(2), 0);
	SCN_EQ(s, kvm_gmem_ioctl(gf.gmem, KVM_SET_MEMORY_ATTRIBUTES2,
				 gmem_user_addr(&gf.arg)), 0);
	SCN_EQ(s, attr(1), 0);
	SCN_EQ(s, gmem_pages_allocate(gf.gmem->pages, 0, 2), 0);
	SCN_EQ(s, gmem_host_gup(gf.gmem->pages, 1), 0);
	gf.arg = req(0, P(2), PRIV);
	r = kvm_gmem_ioctl(gf.gmem, KVM_SET_MEMORY_ATTRIBUTES2,
			   gmem_user_addr(&gf.arg));
	SCN_EQ(s, r, -EFAULT);
	SCN_EQ(s, attr(0), 0);
	SCN_EQ(s, attr(1), 0);
	g_teardown();
}

static void GMEM_01_02_03_06_conversions_split_and_merge(struct scn *s)
{
	struct kvm_memory_attributes2 a;

	SCN_TRUE(s, g_setup(8, 0, true, true));
	a = req(P(2), P(3), 0);			/* [2, 5) shared: 3 ranges */
	G_CALL(s, &a, 0);
	SCN_EQ(s, gf.gmem->attributes.nr, 3);
	SCN_EQ(s, attr(1), PRIV);
	SCN_EQ(s, attr(2), 0);
	SCN_EQ(s, attr(4), 0);
	SCN_EQ(s, attr(5), PRIV);
	a = req(P(5), P(3), 0);			/* the tail joins: 2 ranges */
	G_CALL(s, &a, 0);
	SCN_EQ(s, gf.gmem->attributes.nr, 2);
	a = req(0, P(2), 0);			/* all shared: 1 range */
	G_CALL(s, &a, 0);
	SCN_EQ(s, gf.gmem->attributes.nr, 1);
	a = req(P(3), P(1), PRIV);		/* a hole in the middle */
	G_CALL(s, &a, 0);
	SCN_EQ(s, gf.gmem->attributes.nr, 3);
	a = req(0, P(8), PRIV);			/* everything back */
	G_CALL(s, &a, 0);
	SCN_EQ(s, gf.gmem->attributes.nr, 1);
	g_teardown();
}

static void GMEM_07_idempotent_call_changes_nothing(struct scn *s)
{
	struct kvm_memory_attributes2 a = req(P(1), P(4), PRIV);

	SCN_TRUE(s, g_setup(8, 0, true, true));
	SCN_EQ(s, gmem_pages_allocate(gf.gmem->pages, 0, 8), 0);
	SCN_EQ(s, gmem_host_gup(gf.gmem->pages, 2), 0);
	/* already private: 0, even with a reference held; nothing checked */
	G_CALL(s, &a, 0);
	SCN_EQ(s, gf.gmem->safety_checks, 0);
	SCN_EQ(s, gf.gmem->invalidations, 0);
	SCN_EQ(s, gf.gmem->pages->unmaps, 0);
	g_teardown();
}

static void GMEM_08_10_15_reference_held_eagain_error_offset(struct scn *s)
{
	struct kvm_memory_attributes2 a = req(0, P(8), 0);

	SCN_TRUE(s, g_setup(8, GUEST_MEMFD_FLAG_INIT_SHARED, true, true));
	SCN_EQ(s, gmem_pages_allocate(gf.gmem->pages, 0, 8), 0);
	SCN_EQ(s, gmem_host_gup(gf.gmem->pages, 5), 0);
	SCN_EQ(s, gmem_host_dma_pin(gf.gmem->pages, 3), 0);
	a = req(P(1), P(6), PRIV);
	G_CALL(s, &a, -EAGAIN);
	SCN_EQ(s, gf.arg.error_offset, P(3));		/* the first offender */
	SCN_EQ(s, attr(1), 0);				/* nothing converted */
	gmem_host_unpin(gf.gmem->pages, 3);
	G_CALL(s, &a, -EAGAIN);
	SCN_EQ(s, gf.arg.error_offset, P(5));
	gmem_host_unpin(gf.gmem->pages, 5);
	G_CALL(s, &a, 0);
	SCN_EQ(s, attr(1), PRIV);
	SCN_EQ(s, attr(6), PRIV);
	SCN_EQ(s, attr(7), 0);
	g_teardown();
}

static void GMEM_09_lru_batch_drained_once(struct scn *s)
{
	struct kvm_memory_attributes2 a = req(0, P(8), PRIV);

	SCN_TRUE(s, g_setup(8, GUEST_MEMFD_FLAG_INIT_SHARED, true, true));
	/* fresh small folios sit in lru_add batches: one drain for all */
	SCN_EQ(s, gmem_pages_allocate(gf.gmem->pages, 0, 8), 0);
	G_CALL(s, &a, 0);
	SCN_EQ(s, gf.gmem->drains, 1);
	/* a GUP reference the drain cannot drop: still one drain, EAGAIN */
	a = req(0, P(8), 0);
	G_CALL(s, &a, 0);
	SCN_EQ(s, gmem_host_lru_add(gf.gmem->pages, 1), 0);
	SCN_EQ(s, gmem_host_gup(gf.gmem->pages, 6), 0);
	a = req(0, P(8), PRIV);
	G_CALL(s, &a, -EAGAIN);
	SCN_EQ(s, gf.gmem->drains, 2);
	SCN_EQ(s, gf.arg.error_offset, P(6));
	g_teardown();
}

static void GMEM_11_to_shared_ignores_references(struct scn *s)
{
	struct kvm_memory_attributes2 a = req(0, P(4), 0);

	SCN_TRUE(s, g_setup(4, 0, true, true));
	SCN_EQ(s, gmem_pages_allocate(gf.gmem->pages, 0, 4), 0);
	SCN_EQ(s, gmem_host_dma_pin(gf.gmem->pages, 0), 0);
	G_CALL(s, &a, 0);
	SCN_EQ(s, gf.gmem->safety_checks, 0);
	g_teardown();
}

static void GMEM_13_private_memory_not_host_mappable(struct scn *s)
{
	struct kvm_memory_attributes2 a = req(0, P(4), PRIV);

	SCN_TRUE(s, g_setup(8, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED,
			    true, true));
	SCN_EQ(s, kvm_gmem_fault_user_mapping(gf.gmem, 2), 0);	/* shared */
	SCN_TRUE(s, gmem_pages_lookup(gf.gmem->pages, 2)->mapped);
	SCN_EQ(s, kvm_gmem_fault_user_mapping(gf.gmem, 8), VM_FAULT_SIGBUS);
	/* to private: the host mapping goes first, then the check passes */
	G_CALL(s, &a, 0);
	SCN_FALSE(s, gmem_pages_lookup(gf.gmem->pages, 2)->mapped);
	SCN_EQ(s, kvm_gmem_fault_user_mapping(gf.gmem, 2), VM_FAULT_SIGBUS);
	SCN_EQ(s, kvm_gmem_fault_user_mapping(gf.gmem, 5), 0);
	g_teardown();
	/* without MMAP no host fault succeeds */
	SCN_TRUE(s, g_setup(8, GUEST_MEMFD_FLAG_INIT_SHARED, true, true));
	SCN_EQ(s, kvm_gmem_fault_user_mapping(gf.gmem, 0), VM_FAULT_SIGBUS);
	g_teardown();
}

static void GMEM_05_10_allocation_failure_enomem(struct scn *s)
{
	struct kvm_memory_attributes2 a = req(P(2), P(2), 0);

	if (!scn_alloc_fail_supported())
		return;
	SCN_TRUE(s, g_setup(8, 0, true, true));
	scn_alloc_fail_nth(1);		/* the preallocation */
	G_CALL(s, &a, -ENOMEM);
	scn_alloc_fail_nth(0);
	SCN_EQ(s, gf.arg.error_offset, P(2));
	SCN_EQ(s, attr(2), PRIV);
	SCN_EQ(s, gf.gmem->invalidations, 0);
	G_CALL(s, &a, 0);
	g_teardown();
}

static void GMEM_12_mode_exclusivity(struct scn *s)
{
	struct kvm_memory_attributes vm = { .size = P(2), .attributes = PRIV };
	const char *why = NULL;

	SCN_TRUE(s, g_setup(8, 0, true, true));
	SCN_TRUE(s, gmem_12_mode(&gf.kvm, gf.gmem, &why));
	SCN_EQ(s, kvm_vm_check_extension(&gf.kvm, KVM_CAP_MEMORY_ATTRIBUTES), 0);
	SCN_EQ(s, kvm_vm_check_extension(&gf.kvm, KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES),
	       PRIV);
	SCN_EQ(s, kvm_gmem_ioctl(gf.gmem, 0x1234, 0), -ENOTTY);
	g_teardown();

	SCN_TRUE(s, g_setup(8, 0, false, true));
	SCN_TRUE(s, gmem_12_mode(&gf.kvm, gf.gmem, &why));
	SCN_EQ(s, kvm_vm_check_extension(&gf.kvm, KVM_CAP_MEMORY_ATTRIBUTES), PRIV);
	SCN_EQ(s, kvm_vm_check_extension(&gf.kvm, KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES), 0);
	/* the VM ioctl takes PRIVATE now */
	gmem_user_register(&vm, sizeof(vm), true);
	SCN_EQ(s, kvm_vm_ioctl_set_mem_attributes(&gf.kvm, gmem_user_addr(&vm)), 0);
	SCN_EQ(s, kvm_get_memory_attributes(&gf.kvm, 1), PRIV);
	SCN_EQ(s, kvm_get_memory_attributes(&gf.kvm, 2), 0);
	g_teardown();
	SCN_EQ(s, kvm_gmem_set_mode(true), 0);
}

static void GMEM_17_vm_ioctl_bad_inputs_and_enomem(struct scn *s)
{
	static struct gmem_snap a, b;
	struct kvm_memory_attributes vm = { .size = P(2), .attributes = PRIV };
	const char *why = NULL;
	u64 user;

	SCN_TRUE(s, g_setup(8, 0, false, true));
	gmem_user_register(&vm, sizeof(vm), true);
	user = gmem_user_addr(&vm);
	vm.flags = 1;
	SCN_EQ(s, kvm_vm_ioctl_set_mem_attributes(&gf.kvm, user), -EINVAL);
	vm.flags = 0;
	vm.attributes = 1ULL << 4;
	SCN_EQ(s, kvm_vm_ioctl_set_mem_attributes(&gf.kvm, user), -EINVAL);
	vm.attributes = PRIV;
	vm.size = 0;
	SCN_EQ(s, kvm_vm_ioctl_set_mem_attributes(&gf.kvm, user), -EINVAL);
	vm.size = 100;
	SCN_EQ(s, kvm_vm_ioctl_set_mem_attributes(&gf.kvm, user), -EINVAL);
	vm.size = P(1);
	vm.address = ~0ULL - P(1) + 1 - P(1);
	vm.address &= ~(PAGE_SIZE - 1);
	vm.size = P(4);
	SCN_EQ(s, kvm_vm_ioctl_set_mem_attributes(&gf.kvm, user), -EINVAL);
	vm.address = 0;
	vm.size = P(2);
	SCN_EQ(s, kvm_vm_ioctl_set_mem_attributes(&gf.kvm, 8), -EFAULT);
	if (scn_alloc_fail_supported()) {
		long r;

		gmem_snap_vm(&a, &gf.kvm);
		scn_alloc_fail_nth(1);
		r = kvm_vm_ioctl_set_mem_attributes(&gf.kvm, user);
		scn_alloc_fail_nth(0);
		gmem_snap_vm(&b, &gf.kvm);
		SCN_EQ(s, r, -ENOMEM);
		SCN_TRUE(s, gmem_17_vm_unchanged(&a, &b, r, &why));
	}
	SCN_EQ(s, kvm_vm_ioctl_set_mem_attributes(&gf.kvm, user), 0);
	SCN_EQ(s, kvm_get_memory_attributes(&gf.kvm, 0), PRIV);
	g_teardown();
	SCN_EQ(s, kvm_gmem_set_mode(true), 0);
}

static void GMEM_16_populate_private_only(struct scn *s)
{
	struct kvm_memory_attributes2 a = req(P(4), P(4), 0);
	const char *why = NULL;
	int r;

	SCN_TRUE(s, g_setup(8, 0, true, true));
	G_CALL(s, &a, 0);
	r = kvm_gmem_populate_check(gf.gmem, 0, 4, 0);	/* in place: src 0 ok */
	SCN_EQ(s, r, 0);
	SCN_TRUE(s, gmem_16_populate(gf.gmem, 0, 4, r, &why));
	r = kvm_gmem_populate_check(gf.gmem, 2, 4, 0x1000);
	SCN_EQ(s, r, -EINVAL);
	SCN_TRUE(s, gmem_16_populate(gf.gmem, 2, 4, r, &why));
	SCN_EQ(s, kvm_gmem_populate_check(gf.gmem, 7, 2, 0x1000), -EINVAL);
	SCN_EQ(s, kvm_gmem_populate_check(gf.gmem, 0, 0, 0x1000), -EINVAL);
	g_teardown();
	/* without in-place conversion: the VM's attributes, and a source */
	SCN_TRUE(s, g_setup(8, 0, false, true));
	SCN_EQ(s, kvm_gmem_bind(gf.gmem, 16, 0, 8), 0);
	SCN_EQ(s, kvm_gmem_populate_check(gf.gmem, 0, 1, 0x1000), -EINVAL);
	SCN_EQ(s, kvm_gmem_populate_check(gf.gmem, 0, 1, 0), -EINVAL);
	g_teardown();
	SCN_EQ(s, kvm_gmem_set_mode(true), 0);
}

static void GMEM_fallocate_rules(struct scn *s)
{
	struct gmem_pages *p;

	SCN_TRUE(s, g_setup(8, GUEST_MEMFD_FLAG_INIT_SHARED, true, true));
	p = gf.gmem->pages;
	SCN_EQ(s, kvm_gmem_fallocate(gf.gmem, 0, 0, P(1)), -EOPNOTSUPP);
	SCN_EQ(s, kvm_gmem_fallocate(gf.gmem, FALLOC_FL_KEEP_SIZE | 0x10, 0, P(1)),
	       -EOPNOTSUPP);
	SCN_EQ(s, kvm_gmem_fallocate(gf.gmem, FALLOC_FL_KEEP_SIZE, 1, P(1)), -EINVAL);
	SCN_EQ(s, kvm_gmem_fallocate(gf.gmem, FALLOC_FL_KEEP_SIZE, 0, 5), -EINVAL);
	SCN_EQ(s, kvm_gmem_fallocate(gf.gmem, FALLOC_FL_KEEP_SIZE, P(6), P(4)), -EINVAL);
	SCN_EQ(s, kvm_gmem_fallocate(gf.gmem, FALLOC_FL_KEEP_SIZE, 0, P(8)), 0);
	SCN_TRUE(s, gmem_pages_lookup(p, 7) != NULL);
	/* a hole may run past the end */
	SCN_EQ(s, kvm_gmem_fallocate(gf.gmem, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE,
				     P(6), P(4)), 0);
	SCN_TRUE(s, gmem_pages_lookup(p, 6) == NULL);
	SCN_TRUE(s, gmem_pages_lookup(p, 5) != NULL);
	g_teardown();
}

const struct scenario tdxmm_gmem_scenarios[] = {
	{ "GMEM_04_create_defaults_and_bad_create", GMEM_04_create_defaults_and_bad_create },
	{ "GMEM_14_bad_ranges_flags_attributes_einval", GMEM_14_bad_ranges_flags_attributes_einval },
	{ "GMEM_14_bad_user_pointer_efault", GMEM_14_bad_user_pointer_efault },
	{ "GMEM_01_02_03_06_conversions_split_and_merge", GMEM_01_02_03_06_conversions_split_and_merge },
	{ "GMEM_07_idempotent_call_changes_nothing", GMEM_07_idempotent_call_changes_nothing },
	{ "GMEM_08_10_15_reference_held_eagain_error_offset", GMEM_08_10_15_reference_held_eagain_error_offset },
	{ "GMEM_09_lru_batch_drained_once", GMEM_09_lru_batch_drained_once },
	{ "GMEM_11_to_shared_ignores_references", GMEM_11_to_shared_ignores_references },
	{ "GMEM_13_private_memory_not_host_mappable", GMEM_13_private_memory_not_host_mappable },
	{ "GMEM_05_10_allocation_failure_enomem", GMEM_05_10_allocation_failure_enomem },
	{ "GMEM_12_mode_exclusivity", GMEM_12_mode_exclusivity },
	{ "GMEM_17_vm_ioctl_bad_inputs_and_enomem", GMEM_17_vm_ioctl_bad_inputs_and_enomem },
	{ "GMEM_16_populate_private_only", GMEM_16_populate_private_only },
	{ "GMEM_fallocate_rules", GMEM_fallocate_rules },
};
const int tdxmm_nr_gmem_scenarios =
	sizeof(tdxmm_gmem_scenarios) / sizeof(tdxmm_gmem_scenarios[0]);
