// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance tests as an outside user writes them: the public API to act
 * (tdx_vm_init, kvm_tdp_map_page, kvm_zap_gfn_range, kvm_split_huge_page,
 * tdx_pamt_get/put, tdx_vm_destroy) and only the observer API
 * (model/observe.h) to look: no struct field is read.  Creating the VM
 * stands in for kvm_create_vm() (zeroed struct kvm, its mmu_lock).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "env.h"
#include "external.h"
#include "kvm.h"
#include "observe.h"
#include "pamt.h"
#include "tdp_mmu.h"
#include "tdx.h"

static struct kvm kvm;
static struct kvm_vcpu vcpu;
static u64 gpfn;		/* 2M of guest memory, 2M aligned */

static int td_up(void **state)
{
	struct tdx_memblock mb;

	(void)state;
	tdx_pamt_exit();
	tdxmm_kmalloc_free_all();
	tdxsim_reset();
	tdx_bringup();
	tdxsim_set_quirk(true);
	tdxmm_pool_reset();
	tdxmm_env_reset_stats();
	tdxmm_warn_quiet = true;
	mb.start_pfn = tdxmm_virt_to_pfn(tdxmm_pool_base());
	mb.end_pfn = mb.start_pfn + tdxmm_pool_pages();
	assert_int_equal(tdx_pamt_init(&mb, 1), 0);
	tdxsim_set_dpamt(true);
	kvm_x86_ops.set_external_spte = tdx_sept_set_private_spte;
	kvm_x86_ops.reclaim_external_sp = tdx_sept_reclaim_private_sp;
	memset(&kvm, 0, sizeof(kvm));
	rwlock_init(&kvm.mmu_lock);
	gpfn = tdxmm_virt_to_pfn(tdxmm_alloc_pages(9));
	assert_int_equal(tdx_vm_init(&kvm, 4), 0);
	kvm_vcpu_init(&vcpu, &kvm);
	assert_int_equal(tdx_td_finalize(&kvm), 0);
	return 0;
}

static int td_down(void **state)
{
	(void)state;
	kvm_mmu_destroy(&vcpu);
	return 0;
}

/* ---- what the observer shows, collected ---- */

struct seen {
	int n, leaves, tables, frozen;
	struct tdxmm_spte_info e[64];
};

static int collect(const struct tdxmm_spte_info *e, void *arg)
{
	struct seen *s = arg;

	if (s->n < 64)
		s->e[s->n++] = *e;
	s->leaves += e->leaf;
	s->tables += !e->leaf;
	return 0;
}

static struct seen mirror(void)
{
	struct seen s = { 0 };

	assert_int_equal(tdxmm_walk_mirror(&kvm, collect, &s, &s.frozen), 0);
	return s;
}

struct sept_seen {
	int n;
	struct tdxmm_sept_info e[64];
};

static int collect_sept(const struct tdxmm_sept_info *e, void *arg)
{
	struct sept_seen *s = arg;

	if (s->n < 64)
		s->e[s->n++] = *e;
	return 0;
}

static struct sept_seen sept(void)
{
	struct sept_seen s = { 0 };

	assert_int_equal(tdxmm_walk_sept(&kvm, collect_sept, &s), 0);
	return s;
}

/* The S-EPT entry at (gpa, level), or NULL. */
static const struct tdxmm_sept_info *sept_at(const struct sept_seen *s, u64 gpa,
					     int level)
{
	for (int i = 0; i < s->n; i++)
		if (s->e[i].gpa == gpa && s->e[i].level == level)
			return &s->e[i];
	return NULL;
}

static struct tdxmm_counters counters(void)
{
	struct tdxmm_counters c;

	tdxmm_counters(&kvm, &c);
	return c;
}

/* Every table the mirror shows has its S-EPT page linked (INV-10/17). */
static void assert_tables_linked(const struct seen *m, const struct sept_seen *s)
{
	for (int i = 0; i < m->n; i++) {
		const struct tdxmm_sept_info *e;
		struct tdxmm_page_info p;

		if (m->e[i].leaf)
			continue;
		e = sept_at(s, m->e[i].gfn << 12, m->e[i].level);
		assert_non_null(e);
		assert_int_equal(e->state, SEPT_NL_MAPPED);
		assert_int_equal(e->pfn, m->e[i].external_pfn);
		tdxmm_page(e->pfn, &p);
		assert_int_equal(p.owner, TDX_PAGE_SEPT);
	}
}

/* A 4K fault links the tables down to level 1 and maps the page. */
static void sept_link_and_4k_map(void **state)
{
	struct tdxmm_pamt_holders h;
	struct tdxmm_page_info p;
	struct sept_seen s;
	struct seen m;

	(void)state;
	assert_int_equal(kvm_tdp_map_page(&vcpu, 0x1234, gpfn + 7, PG_LEVEL_4K),
			 RET_PF_FIXED);
	m = mirror();
	s = sept();
	assert_int_equal(m.tables, 3);		/* levels 4 -> 3 -> 2 -> 1 */
	assert_int_equal(m.leaves, 1);
	assert_int_equal(m.frozen, 0);
	assert_int_equal(m.e[3].gfn, 0x1234);
	assert_int_equal(m.e[3].level, PG_LEVEL_4K);
	assert_int_equal(m.e[3].pfn, gpfn + 7);
	assert_tables_linked(&m, &s);
	assert_int_equal(s.n, 4);
	assert_non_null(sept_at(&s, 0x1234ULL << 12, PG_LEVEL_4K));
	assert_int_equal(sept_at(&s, 0x1234ULL << 12, PG_LEVEL_4K)->pfn, gpfn + 7);
	tdxmm_page(gpfn + 7, &p);
	assert_int_equal(p.owner, TDX_PAGE_TD_PRIVATE);
	assert_true(p.keyid != 0);
	assert_int_equal(tdxmm_pamt_holders(gpfn + 7, &h), 0);
	assert_int_equal(h.node, PAMT_NODE_PAMT);
	assert_int_equal(h.guest_4k, 1);
	assert_int_equal(h.refcount, h.guest_4k + h.sept + h.control + h.unclean);
	assert_int_equal(h.others, 0);
	assert_int_equal(counters().pages_4k, 1);
	assert_int_equal(counters().warns, 0);
}

/* A 2M leaf holds no 4K reference; its split takes 512 (INV-37). */
static void map_2m_then_split(void **state)
{
	struct tdxmm_pamt_holders h;
	struct sept_seen s;
	struct seen m;

	(void)state;
	assert_int_equal(kvm_tdp_map_page(&vcpu, 512, gpfn, PG_LEVEL_2M), RET_PF_FIXED);
	m = mirror();
	assert_int_equal(m.leaves, 1);
	assert_int_equal(m.e[m.n - 1].level, PG_LEVEL_2M);
	assert_int_equal(tdxmm_pamt_node(gpfn), PAMT_NODE_2M);
	assert_int_equal(tdxmm_pamt_refcount(gpfn), 0);
	assert_int_equal(counters().pages_2m, 1);

	assert_int_equal(kvm_split_huge_page(&kvm, 512), 0);
	m = mirror();
	assert_int_equal(m.leaves, 512);
	assert_int_equal(counters().pages_4k, 512);
	assert_int_equal(counters().pages_2m, 0);
	assert_int_equal(tdxmm_pamt_holders(gpfn, &h), 0);
	assert_int_equal(h.node, PAMT_NODE_PAMT);
	assert_int_equal(h.guest_4k, 512);
	assert_int_equal(h.refcount, 512);
	s = sept();
	assert_tables_linked(&m, &s);
}

/* A zap removes exactly its range; the pages' references go with them. */
static void zap_exact_range(void **state)
{
	struct tdxmm_page_info p;
	struct sept_seen s;
	struct seen m;

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(kvm_tdp_map_page(&vcpu, i, gpfn + i, PG_LEVEL_4K),
				 RET_PF_FIXED);
	assert_int_equal(tdxmm_pamt_refcount(gpfn), 4);
	assert_int_equal(kvm_zap_gfn_range(&kvm, 1, 3), 2);
	m = mirror();
	s = sept();
	assert_int_equal(m.leaves, 2);
	assert_int_equal(m.e[3].gfn, 0);
	assert_int_equal(m.e[4].gfn, 3);
	assert_null(sept_at(&s, 1 << 12, PG_LEVEL_4K));
	assert_null(sept_at(&s, 2 << 12, PG_LEVEL_4K));
	assert_non_null(sept_at(&s, 3 << 12, PG_LEVEL_4K));
	for (int i = 1; i < 3; i++) {
		tdxmm_page(gpfn + i, &p);
		assert_int_equal(p.owner, TDX_PAGE_KERNEL);
		assert_false(p.unclean);	/* written back and reset */
	}
	assert_int_equal(tdxmm_pamt_refcount(gpfn), 2);
	assert_int_equal(counters().pages_4k, 2);
}

/* A caller's own reference: the pair comes and goes with it. */
static void get_put(void **state)
{
	struct tdxmm_pamt_holders h;
	u64 pfn = tdxmm_virt_to_pfn(tdxmm_alloc_pages(9)) + 3;

	(void)state;
	assert_int_equal(tdxmm_pamt_node(pfn), PAMT_NODE_NDA);
	assert_int_equal(tdx_topup_pamt_cache(&vcpu.pamt_cache, 1), 0);
	assert_int_equal(tdx_pamt_get(pfn, PG_LEVEL_4K, &vcpu.pamt_cache), 0);
	assert_int_equal(tdxmm_pamt_holders(pfn, &h), 0);
	assert_int_equal(h.node, PAMT_NODE_PAMT);
	assert_int_equal(h.refcount, 1);
	assert_int_equal(h.others, 1);		/* the caller's */
	assert_int_equal(tdx_pamt_get(pfn, PG_LEVEL_2M, &vcpu.pamt_cache), 0);
	assert_int_equal(tdxmm_pamt_refcount(pfn), 1);	/* 2M: no-op (INV-37) */
	tdx_pamt_put(pfn, PG_LEVEL_4K);
	assert_int_equal(tdxmm_pamt_refcount(pfn), 0);
	assert_int_equal(tdxmm_pamt_node(pfn), PAMT_NODE_NDA);
	assert_int_equal(tdxmm_pamt_refcount(0), -1);	/* outside TDX memory */
	assert_int_equal(counters().warns, 0);
}

/* Teardown: nothing left in the mirror or the module, nothing leaked. */
static void teardown_leaves_nothing(void **state)
{
	struct tdxmm_counters c;
	struct tdxmm_page_info p;

	(void)state;
	assert_int_equal(kvm_tdp_map_page(&vcpu, 0x1234, gpfn + 7, PG_LEVEL_4K),
			 RET_PF_FIXED);
	assert_int_equal(tdx_vm_destroy(&kvm), 0);
	assert_int_equal(mirror().n, 0);
	assert_int_equal(sept().n, 0);
	tdxmm_page(gpfn + 7, &p);
	assert_int_equal(p.owner, TDX_PAGE_KERNEL);
	assert_false(p.unclean);
	c = counters();
	assert_int_equal(c.leaked_pages, 0);
	assert_int_equal(c.leaked_pairs, 0);
	assert_int_equal(c.refused, 0);
	assert_int_equal(c.bugs, 0);
	assert_false(c.bugged);
	assert_int_equal(tdxmm_pamt_refcount(gpfn), 0);
}

/* A failed removal: the VM is bugged, the page leaked and counted. */
static void failed_remove_is_counted(void **state)
{
	struct tdxmm_counters c;
	struct tdxmm_page_info p;

	(void)state;
	assert_int_equal(kvm_tdp_map_page(&vcpu, 5, gpfn + 5, PG_LEVEL_4K), RET_PF_FIXED);
	assert_int_equal(tdxsim_inject(SC_MEM_PAGE_REMOVE, 0,
				       TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT), 0);
	assert_int_equal(kvm_zap_gfn_range(&kvm, 5, 6), -EIO);
	tdxsim_inject_clear();
	c = counters();
	assert_true(c.bugged);
	assert_true(c.warns > 0);
	assert_int_equal(mirror().leaves, 0);
	tdxmm_page(gpfn + 5, &p);
	assert_int_equal(p.owner, TDX_PAGE_TD_PRIVATE);	/* the module keeps it */
	assert_int_equal(tdxmm_pamt_refcount(gpfn + 5), 1);	/* and its reference */
	tdx_vm_destroy(&kvm);
	c = counters();
	assert_true(c.leaked_pages >= 1);
}

/* Fault injection by call and argument: only the matching call fails. */
static void fault_by_call_and_argument(void **state)
{
	struct tdxsim_fault f = {
		.sc = SC_MEM_PAGE_AUG, .match = TDXSIM_MATCH_GPA | TDXSIM_MATCH_LEVEL,
		.gpa = 2 << 12, .level = PG_LEVEL_4K, .nth = 1,
		.status = TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX,
	};

	(void)state;
	assert_int_equal(tdxsim_inject_at(&f), 0);
	assert_int_equal(kvm_tdp_map_page(&vcpu, 1, gpfn + 1, PG_LEVEL_4K), RET_PF_FIXED);
	assert_int_equal(kvm_tdp_map_page(&vcpu, 2, gpfn + 2, PG_LEVEL_4K), RET_PF_RETRY);
	assert_int_equal(mirror().leaves, 1);
	assert_int_equal(kvm_tdp_map_page(&vcpu, 2, gpfn + 2, PG_LEVEL_4K), RET_PF_FIXED);
	assert_int_equal(mirror().leaves, 2);
	/* a status the call never returns is refused, nothing armed */
	f.status = TDX_HKID_NOT_FREE;
	assert_int_equal(tdxsim_inject_at(&f), -1);
	assert_int_equal(kvm_tdp_map_page(&vcpu, 3, gpfn + 3, PG_LEVEL_4K), RET_PF_FIXED);
	assert_int_equal(counters().warns, 0);
	assert_false(counters().bugged);
}

/* The TD-setup SEAMCALLs fail on demand too; the failure leaves nothing. */
static void td_setup_fault_by_call(void **state)
{
	struct tdxsim_fault f = {
		.sc = SC_MNG_KEY_CONFIG, .nth = 1,
		.status = TDX_KEY_GENERATION_FAILED,
	};
	struct kvm k2;

	(void)state;
	memset(&k2, 0, sizeof(k2));
	rwlock_init(&k2.mmu_lock);
	assert_int_equal(tdxsim_inject_at(&f), 0);
	assert_true(tdx_vm_init(&k2, 4) != 0);
	tdxsim_inject_clear();
	assert_int_equal(tdxsim_calls(SC_MNG_KEY_CONFIG), 2);	/* ours and the setup's */
	assert_int_equal(counters().refused, 0);
}

/*
 * The module is safe to call from several CPUs: each call takes what it
 * locks (S-EPT entry, page, region, TD epoch, TD), and a call that meets
 * one held by a call in flight gets TDX_OPERAND_BUSY and changes nothing.
 * The call hook runs while the caller holds them: calls made from it are
 * another CPU inside the module at that moment.
 */
static struct tdx_td *hook_td;
static u64 hook_status[3];
static int hook_calls;

static void contending_hook(enum tdx_seamcall sc)
{
	u64 e1, e2;

	if (sc != SC_MEM_PAGE_AUG || hook_calls++)
		return;
	hook_status[0] = tdh_mem_page_aug(hook_td, 7 << 12, PG_LEVEL_4K, gpfn + 8,
					  &e1, &e2);	/* the same entry */
	hook_status[1] = tdh_mem_page_aug(hook_td, 9 << 12, PG_LEVEL_4K, gpfn + 7,
					  &e1, &e2);	/* the same page */
	hook_status[2] = tdh_mem_track(hook_td);	/* nothing shared */
}

static void module_busy_on_contention(void **state)
{
	struct tdxmm_page_info p;
	struct sept_seen s;

	(void)state;
	assert_int_equal(kvm_tdp_map_page(&vcpu, 1, gpfn + 1, PG_LEVEL_4K), RET_PF_FIXED);
	tdxmm_page(gpfn + 1, &p);
	hook_td = tdxsim_td_by_tdr(p.td_tdr);
	assert_non_null(hook_td);
	hook_calls = 0;
	tdxsim_set_call_hook(contending_hook);
	assert_int_equal(kvm_tdp_map_page(&vcpu, 7, gpfn + 7, PG_LEVEL_4K), RET_PF_FIXED);
	tdxsim_set_call_hook(NULL);
	assert_int_equal(hook_status[0], TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT);
	assert_int_equal(hook_status[1], TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX);
	assert_int_equal(hook_status[2], TDX_SUCCESS);
	assert_int_equal(counters().busy, 2);
	s = sept();
	assert_int_equal(sept_at(&s, 7 << 12, PG_LEVEL_4K)->pfn, gpfn + 7);
	assert_null(sept_at(&s, 9 << 12, PG_LEVEL_4K));
	assert_int_equal(counters().refused, 0);
	assert_int_equal(counters().warns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(sept_link_and_4k_map, td_up, td_down),
		cmocka_unit_test_setup_teardown(map_2m_then_split, td_up, td_down),
		cmocka_unit_test_setup_teardown(zap_exact_range, td_up, td_down),
		cmocka_unit_test_setup_teardown(get_put, td_up, td_down),
		cmocka_unit_test_setup_teardown(teardown_leaves_nothing, td_up, td_down),
		cmocka_unit_test_setup_teardown(failed_remove_is_counted, td_up, td_down),
		cmocka_unit_test_setup_teardown(fault_by_call_and_argument, td_up, td_down),
		cmocka_unit_test_setup_teardown(td_setup_fault_by_call, td_up, td_down),
		cmocka_unit_test_setup_teardown(module_busy_on_contention, td_up, td_down),
	};

	return cmocka_run_group_tests_name("observer", tests, NULL, NULL);
}
