// SPDX-License-Identifier: GPL-2.0
/*
 * The lock-step oracle (oracle.h): the universe of SPEC 0.3, one step on
 * impl/ + simulator and on model/td_model.c, and every checker after it.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "oracle.h"
#include "external.h"
#include "gmem.h"
#include "gmem_check.h"
#include "gmem_host.h"
#include "kvm.h"
#include "observe.h"
#include "pamt.h"
#include "pamt_check.h"
#include "sept_check.h"
#include "spte.h"
#include "tdp_mmu.h"
#include "tdx.h"
#include "tdx_module.h"

#define CTRL_MAX	1
#define NR_REGIONS	4	/* the user pool: four 2M regions */

enum pfn_sel { PFN_GMEM, PFN_ALT };

/* The last gfn of the mirror: index 511 at every level (root's included). */
#define GFN_LAST ((gfn_t)-1)

static const struct uop {
	const char *name;
	enum tdm_op op;
	gfn_t gfn;
	u64 n;			/* zap length in gfns; 0: the whole range */
	int idx;		/* direct pfn of pamt get/put */
	enum pfn_sel pfn;
	bool extra;		/* not in the default universe (harness/mc's) */
} uops[] = {
	{ .name = "map4k:0", .op = TDM_MAP4K, .gfn = 0 },
	{ .name = "map4k:1", .op = TDM_MAP4K, .gfn = 1 },
	{ .name = "map4k:511", .op = TDM_MAP4K, .gfn = 511 },
	{ .name = "map4k:512", .op = TDM_MAP4K, .gfn = 512 },
	{ .name = "map4k:262144", .op = TDM_MAP4K, .gfn = 262144 },
	{ .name = "map4k:last", .op = TDM_MAP4K, .gfn = GFN_LAST },
	{ .name = "map4k-other-pfn:0", .op = TDM_MAP4K, .gfn = 0, .pfn = PFN_ALT },
	{ .name = "map2m:0", .op = TDM_MAP2M, .gfn = 0 },
	{ .name = "map2m:512", .op = TDM_MAP2M, .gfn = 512 },
	{ .name = "zap:0", .op = TDM_ZAP, .gfn = 0, .n = 1 },
	{ .name = "zap:1", .op = TDM_ZAP, .gfn = 1, .n = 1 },
	{ .name = "zap:511", .op = TDM_ZAP, .gfn = 511, .n = 1 },
	{ .name = "zap:512", .op = TDM_ZAP, .gfn = 512, .n = 1 },
	{ .name = "zap:262144", .op = TDM_ZAP, .gfn = 262144, .n = 1 },
	{ .name = "zap:last", .op = TDM_ZAP, .gfn = GFN_LAST, .n = 1 },
	{ .name = "zap-all", .op = TDM_ZAP, .gfn = 0, .n = 0 },
	{ .name = "split:0", .op = TDM_SPLIT, .gfn = 0 },
	{ .name = "split:512", .op = TDM_SPLIT, .gfn = 512 },
	{ .name = "pamt-get:0", .op = TDM_PAMT_GET, .idx = 0 },
	{ .name = "pamt-get:1", .op = TDM_PAMT_GET, .idx = 1 },
	{ .name = "pamt-put:0", .op = TDM_PAMT_PUT, .idx = 0 },
	{ .name = "pamt-put:1", .op = TDM_PAMT_PUT, .idx = 1 },
	{ .name = "ctrl-alloc", .op = TDM_CTRL_ALLOC },
	{ .name = "ctrl-free", .op = TDM_CTRL_FREE },
	{ .name = "teardown", .op = TDM_TEARDOWN },
	/* three more pages of region 3, for DPAMT races (harness/mc) */
	{ .name = "pamt-get:2", .op = TDM_PAMT_GET, .idx = 2, .extra = true },
	{ .name = "pamt-get:3", .op = TDM_PAMT_GET, .idx = 3, .extra = true },
	{ .name = "pamt-put:2", .op = TDM_PAMT_PUT, .idx = 2, .extra = true },
	{ .name = "pamt-put:3", .op = TDM_PAMT_PUT, .idx = 3, .extra = true },
	/*
	 * guest_memfd, bound at gfn 0 (blocks 0 and 1): a vCPU's private
	 * fault, and KVM_SET_MEMORY_ATTRIBUTES2 on one page, a whole 2M
	 * block, two pages across the blocks' boundary
	 */
	{ .name = "gfault4k:0", .op = TDM_GMEM_FAULT4K, .gfn = 0, .extra = true },
	{ .name = "gfault4k:1", .op = TDM_GMEM_FAULT4K, .gfn = 1, .extra = true },
	{ .name = "gfault4k:512", .op = TDM_GMEM_FAULT4K, .gfn = 512, .extra = true },
	{ .name = "gfault2m:0", .op = TDM_GMEM_FAULT2M, .gfn = 0, .extra = true },
	{ .name = "gfault2m:512", .op = TDM_GMEM_FAULT2M, .gfn = 512, .extra = true },
	{ .name = "to-shared:1", .op = TDM_TO_SHARED, .gfn = 1, .n = 1, .extra = true },
	{ .name = "to-private:1", .op = TDM_TO_PRIVATE, .gfn = 1, .n = 1, .extra = true },
	{ .name = "to-shared:0+512", .op = TDM_TO_SHARED, .gfn = 0, .n = 512, .extra = true },
	{ .name = "to-private:0+512", .op = TDM_TO_PRIVATE, .gfn = 0, .n = 512, .extra = true },
	{ .name = "to-shared:511+2", .op = TDM_TO_SHARED, .gfn = 511, .n = 2, .extra = true },
	{ .name = "to-private:511+2", .op = TDM_TO_PRIVATE, .gfn = 511, .n = 2, .extra = true },
	/* the host maps a shared page and holds a GUP reference on it */
	{ .name = "host-gup:1", .op = TDM_HOST_GUP, .gfn = 1, .extra = true },
	{ .name = "host-unpin:1", .op = TDM_HOST_UNPIN, .gfn = 1, .extra = true },
};
#define NR_UOPS ((int)(sizeof(uops) / sizeof(uops[0])))

static const char *const sc_names[SC_NR] = {
	[SC_MEM_SEPT_ADD] = "SEPT_ADD", [SC_MEM_PAGE_AUG] = "PAGE_AUG",
	[SC_MEM_PAGE_ADD] = "PAGE_ADD", [SC_MEM_RANGE_BLOCK] = "RANGE_BLOCK",
	[SC_MEM_TRACK] = "TRACK", [SC_MEM_PAGE_REMOVE] = "PAGE_REMOVE",
	[SC_MEM_SEPT_REMOVE] = "SEPT_REMOVE",
	[SC_PHYMEM_PAGE_RECLAIM] = "PAGE_RECLAIM",
	[SC_PHYMEM_PAGE_WBINVD] = "PAGE_WBINVD",
	[SC_MEM_PAGE_DEMOTE] = "PAGE_DEMOTE", [SC_PHYMEM_PAMT_ADD] = "PAMT_ADD",
	[SC_PHYMEM_PAMT_REMOVE] = "PAMT_REMOVE",
	[SC_MNG_CREATE] = "MNG_CREATE", [SC_MNG_KEY_CONFIG] = "KEY_CONFIG",
	[SC_MR_FINALIZE] = "MR_FINALIZE", [SC_MNG_VPFLUSHDONE] = "VPFLUSHDONE",
	[SC_PHYMEM_CACHE_WB] = "CACHE_WB", [SC_MNG_KEY_FREEID] = "KEY_FREEID",
};

static struct world {
	struct bmc_cfg cfg;
	struct kvm kvm;
	struct kvm_vcpu vcpu[ORACLE_VCPUS];
	void *p0, *p1, *p2, *a, *b, *c;	/* guest memory and direct-get pages */
	u64 block_pfn[TDM_BLOCKS], direct_pfn[TDM_PFNS], alt_pfn;
	void *ctrl[CTRL_MAX];
	int nctrl;
	struct td_model m;
	/* the step in progress */
	const struct bmc_choice *fault;
	unsigned int calls[SC_NR];
	struct tdm_fault tf;
	u64 huge_regions[TDM_BLOCKS];	/* 2M-mapped before the step */
	bool huge_dirty[TDM_BLOCKS];	/* a removed 2M leaf not yet flushed */
	int held[TDM_PFNS];		/* direct references the harness holds */
	char lockdep[160];
	bool lockdep_hit;
	jmp_buf bug_jmp;
	bool bug_armed;
	bool step_failed_conversion;	/* GMEM-05 rather than -06 */
} w;

/*
 * The TD's guest_memfd: 1024 pages bound at gfn 0, private (GMEM-04);
 * each vCPU's KVM_SET_MEMORY_ATTRIBUTES2 argument in registered user
 * memory.  Outside w: released before the next reset frees its memory.
 */
#define GMEM_PAGES	1024
static struct kvm_gmem *gmem;
static struct kvm_memory_attributes2 uattr[ORACLE_VCPUS];

/* Per pool page (the user backend's four 2M regions, checked at reset). */
#define POOL_MAX (NR_REGIONS * 512)
static u8 marks[POOL_MAX];	/* where the kernel holds it */
static u8 kref[POOL_MAX];	/* holds a PAMT reference for the kernel */
/* The module's view of every pool page, read once per checked step. */
static u8 owner[POOL_MAX];
static bool needs_wb[POOL_MAX], owners_fresh;

/* The operations in play: the default universe, or a subset (--ops). */
static int sel[NR_UOPS], nsel = -1;
static bool sel_gmem;	/* a guest_memfd op is in play: check its attributes */

static bool gmem_op(enum tdm_op op)
{
	return op >= TDM_GMEM_FAULT4K;
}

static void select_default(void)
{
	nsel = 0;
	sel_gmem = false;
	for (int i = 0; i < NR_UOPS; i++)
		if (!uops[i].extra)
			sel[nsel++] = i;
}

int oracle_nr_ops(void)
{
	if (nsel < 0)
		select_default();
	return nsel;
}

static const struct uop *uop(int op)
{
	if (nsel < 0)
		select_default();
	return &uops[sel[op]];
}

const char *oracle_op_name(int op)
{
	return op >= 0 && op < oracle_nr_ops() ? uop(op)->name : "?";
}

int oracle_op_by_name(const char *name)
{
	for (int i = 0; i < oracle_nr_ops(); i++)
		if (!strcmp(uop(i)->name, name))
			return i;
	return -1;
}

int oracle_select_ops(const char *list)
{
	char buf[1024], *save, *tok;

	snprintf(buf, sizeof(buf), "%s", list);
	nsel = 0;
	sel_gmem = false;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int i;

		for (i = 0; i < NR_UOPS && strcmp(uops[i].name, tok); i++)
			;
		if (i == NR_UOPS || nsel == NR_UOPS)
			return -1;
		sel_gmem |= gmem_op(uops[i].op);
		sel[nsel++] = i;
	}
	return nsel ? 0 : -1;
}

const char *oracle_sc_name(int sc)
{
	return sc >= 0 && sc < SC_NR ? sc_names[sc] : "?";
}

int oracle_sc_by_name(const char *name)
{
	for (int i = 0; i < SC_NR; i++)
		if (!strcmp(sc_names[i], name))
			return i;
	return -1;
}

static void on_lockdep(const char *msg)
{
	if (w.lockdep_hit)	/* the first one says what went wrong */
		return;
	w.lockdep_hit = true;
	snprintf(w.lockdep, sizeof(w.lockdep), "%s", msg);
}

static void on_bug(const char *file, int line)
{
	snprintf(w.lockdep, sizeof(w.lockdep), "BUG() at %s:%d", file, line);
	if (w.bug_armed)
		longjmp(w.bug_jmp, 1);
}

/* Counts the step's SEAMCALLs and arms the fault at its call. */
static void on_call(enum tdx_seamcall sc)
{
	const struct bmc_choice *f = w.fault;

	w.calls[sc]++;
	if (!f || !f->armed || f->sc != sc || w.calls[sc] != f->nth)
		return;
	for (int k = 0; k < SC_NR; k++)
		w.tf.before[k] = w.calls[k] - (k == (int)sc);
	tdxsim_inject(sc, f->always ? 0 : 1,
		      tdxsim_statuses(sc, &(int){ 0 })[f->st]);
}

const char *oracle_reset_why;

static int setup_failed(const char *why)
{
	oracle_reset_why = why;
	return -1;
}

int oracle_reset(const struct bmc_cfg *cfg)
{
	/* the last block ends at the mirror's last gfn (index 511 everywhere) */
	const gfn_t block_gfn[TDM_BLOCKS] = {
		0, 512, 262144, (1ULL << (9 * cfg->root_level)) - 512
	};
	struct tdx_memblock mb = {
		.start_pfn = tdxmm_virt_to_pfn(tdxmm_pool_base()),
	};
	struct kvm_create_guest_memfd gc = {
		.size = GMEM_PAGES << PAGE_SHIFT, .flags = GUEST_MEMFD_FLAG_MMAP,
	};
	int r;

	if (gmem)
		kvm_gmem_release(gmem);
	gmem = NULL;
	tdx_pamt_exit();
	tdxmm_kmalloc_free_all();
	tdxsim_reset();
	tdx_bringup();
	/* a platform with X86_BUG_TDX_PW_MCE: every reset is checked */
	tdxsim_set_quirk(true);
	tdxsim_inject_clear();
	tdxmm_pool_reset();
	tdxmm_lockdep_reset_thread();
	tdxmm_set_running_vcpu(NULL);
	atomic64_set(&pamt_leaked_pairs, 0);
	tdxmm_warn_quiet = true;
	tdxmm_lockdep_fail_hook = on_lockdep;
	tdxmm_bug_hook = on_bug;
	tdxsim_set_call_hook(on_call);

	/* the per-page arrays below cover the user backend's pool */
	if (tdxmm_pool_pages() > POOL_MAX)
		return setup_failed("the page pool outgrew the oracle's page arrays");
	memset(&w.kvm, 0, sizeof(w) - offsetof(struct world, kvm));
	owners_fresh = false;
	w.cfg = *cfg;
	mb.end_pfn = mb.start_pfn + tdxmm_pool_pages();
	if (tdx_pamt_init(&mb, 1))
		return setup_failed("tdx_pamt_init failed");
	tdxsim_set_dpamt(true);
	kvm_x86_ops.set_external_spte = tdx_sept_set_private_spte;
	kvm_x86_ops.reclaim_external_sp = tdx_sept_reclaim_private_sp;
	rwlock_init(&w.kvm.mmu_lock);

	/* Lowest fit: p0, p1 in region 0 with the TD's own pages; a, b, c. */
	w.p0 = tdxmm_alloc_pages_uninit(0);
	w.p1 = tdxmm_alloc_pages_uninit(0);
	w.p2 = tdxmm_alloc_pages_uninit(0);
	w.a = tdxmm_alloc_pages_uninit(9);
	w.b = tdxmm_alloc_pages_uninit(9);
	w.c = tdxmm_alloc_pages_uninit(9);
	if (!w.p0 || !w.p1 || !w.p2 || !w.a || !w.b || !w.c)
		return setup_failed("the pool has no room for the guest memory");
	w.block_pfn[0] = tdxmm_virt_to_pfn(w.a);
	w.block_pfn[1] = tdxmm_virt_to_pfn(w.b);
	w.block_pfn[2] = tdxmm_virt_to_pfn(w.p0);
	/* only its last gfn is mapped (4K): that one maps p2 */
	w.block_pfn[3] = tdxmm_virt_to_pfn(w.p2) - 511;
	w.direct_pfn[0] = tdxmm_virt_to_pfn(w.p1);
	w.direct_pfn[1] = tdxmm_virt_to_pfn(w.c) + 7;
	w.direct_pfn[2] = tdxmm_virt_to_pfn(w.c) + 8;
	w.direct_pfn[3] = tdxmm_virt_to_pfn(w.c) + 9;
	w.alt_pfn = tdxmm_virt_to_pfn(w.c) + 5;

	tdxmm_trace_op("vm_init", "");
	r = tdx_vm_init(&w.kvm, cfg->root_level);
	tdxmm_trace_ret("vm_init", r, "\"bugged\": false");
	if (r)
		return setup_failed("tdx_vm_init failed");
	for (int v = 0; v < ORACLE_VCPUS; v++)
		kvm_vcpu_init(&w.vcpu[v], &w.kvm);
	tdxmm_trace_op("finalize", "");
	r = tdx_td_finalize(&w.kvm);
	tdxmm_trace_ret("finalize", r, "\"bugged\": false");
	if (r)
		return setup_failed("tdx_td_finalize failed");
	w.kvm.has_private_mem = true;
	if (kvm_gmem_set_mode(true) || kvm_gmem_create(&w.kvm, &gc, &gmem))
		return setup_failed("no in-place guest_memfd (another file is open?)");
	if (kvm_gmem_bind(gmem, 0, 0, GMEM_PAGES))
		return setup_failed("kvm_gmem_bind failed");
	gmem_user_unregister_all();
	for (int v = 0; v < ORACLE_VCPUS; v++)
		gmem_user_register(&uattr[v], sizeof(uattr[v]), true);
	tdm_init(&w.m, cfg->root_level, block_gfn, w.block_pfn, CTRL_MAX);
	tdxsim_inject_clear();
	return 0;
}

static u64 block_pfn_of(gfn_t gfn)
{
	for (int b = 0; b < TDM_BLOCKS; b++)
		if (gfn >= w.m.blk[b].gfn && gfn < w.m.blk[b].gfn + 512)
			return w.block_pfn[b] + (gfn - w.m.blk[b].gfn);
	return 0;
}

static gfn_t op_gfn(const struct uop *u)
{
	return u->gfn == GFN_LAST ? (1ULL << (9 * w.cfg.root_level)) - 1 : u->gfn;
}

static u64 op_pfn(const struct uop *u)
{
	return u->pfn == PFN_ALT ? w.alt_pfn : block_pfn_of(op_gfn(u));
}

static int run_op_untraced(const struct uop *u, int vcpu);

/* Each entry point, as docs/TRACE-FORMAT.md's "op" and "ret" lines. */
static int run_op(const struct uop *u, int vcpu)
{
	static const char *const names[] = {
		[TDM_MAP4K] = "map", [TDM_MAP2M] = "map", [TDM_ZAP] = "zap",
		[TDM_SPLIT] = "split", [TDM_PAMT_GET] = "pamt_get",
		[TDM_PAMT_PUT] = "pamt_put", [TDM_CTRL_ALLOC] = "ctrl_alloc",
		[TDM_CTRL_FREE] = "ctrl_free", [TDM_TEARDOWN] = "teardown",
		[TDM_GMEM_FAULT4K] = "gmem_fault", [TDM_GMEM_FAULT2M] = "gmem_fault",
		[TDM_TO_SHARED] = "set_memory_attributes2",
		[TDM_TO_PRIVATE] = "set_memory_attributes2",
		[TDM_HOST_GUP] = "host_gup", [TDM_HOST_UNPIN] = "host_unpin",
	};
	char args[160] = "", extra[80];
	const char *name = names[u->op];
	gfn_t g = op_gfn(u);
	int r;

	/* what the harness itself refuses never reaches the API */
	if (!tdxmm_tracing ||
	    (u->op == TDM_PAMT_GET && w.held[u->idx] == TDM_DIRECT_MAX) ||
	    (u->op == TDM_PAMT_PUT && !w.held[u->idx]) ||
	    (u->op == TDM_CTRL_ALLOC && w.nctrl == CTRL_MAX) ||
	    (u->op == TDM_CTRL_FREE && !w.nctrl))
		return run_op_untraced(u, vcpu);
	switch (u->op) {
	case TDM_MAP4K:
	case TDM_MAP2M:
	case TDM_GMEM_FAULT4K:
	case TDM_GMEM_FAULT2M:
		snprintf(args, sizeof(args), "\"gfn\": \"0x%llx\", \"pfn\": \"0x%llx\", \"level\": %d",
			 (unsigned long long)g, (unsigned long long)op_pfn(u),
			 u->op == TDM_MAP4K || u->op == TDM_GMEM_FAULT4K ?
			 PG_LEVEL_4K : PG_LEVEL_2M);
		break;
	case TDM_TO_SHARED:
	case TDM_TO_PRIVATE:
		snprintf(args, sizeof(args), "\"start\": \"0x%llx\", \"end\": \"0x%llx\", \"attributes\": %d",
			 (unsigned long long)g, (unsigned long long)(g + u->n),
			 u->op == TDM_TO_PRIVATE ? (int)KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
		break;
	case TDM_ZAP:
		snprintf(args, sizeof(args), "\"start\": \"0x%llx\", \"end\": \"0x%llx\"",
			 (unsigned long long)g, (unsigned long long)
			 (u->n ? g + u->n : kvm_tdp_mmu_max_gfn(&w.kvm)));
		break;
	case TDM_SPLIT:
		snprintf(args, sizeof(args), "\"gfn\": \"0x%llx\"", (unsigned long long)g);
		break;
	case TDM_PAMT_GET:
	case TDM_PAMT_PUT:
		snprintf(args, sizeof(args), "\"pfn\": \"0x%llx\", \"level\": 1",
			 (unsigned long long)w.direct_pfn[u->idx]);
		break;
	case TDM_CTRL_FREE:
		snprintf(args, sizeof(args), "\"pfn\": \"0x%llx\"",
			 (unsigned long long)tdxmm_virt_to_pfn(w.ctrl[w.nctrl - 1]));
		break;
	default:
		break;
	}
	tdxmm_trace_op(name, args);
	r = run_op_untraced(u, vcpu);
	if (u->op == TDM_CTRL_ALLOC && !r)
		snprintf(extra, sizeof(extra), "\"pfn\": \"0x%llx\", ",
			 (unsigned long long)tdxmm_virt_to_pfn(w.ctrl[w.nctrl - 1]));
	else
		extra[0] = 0;
	snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
		 "\"bugged\": %s", w.kvm.vm_bugged ? "true" : "false");
	tdxmm_trace_ret(name, r, extra);
	return r;
}

/* KVM_SET_MEMORY_ATTRIBUTES2 on the gmem fd, from vCPU @vcpu's thread. */
static int convert(const struct uop *u, int vcpu)
{
	uattr[vcpu] = (struct kvm_memory_attributes2){
		.offset = op_gfn(u) << PAGE_SHIFT,
		.size = u->n << PAGE_SHIFT,
		.attributes = u->op == TDM_TO_PRIVATE ?
			      KVM_MEMORY_ATTRIBUTE_PRIVATE : 0,
	};
	return kvm_gmem_ioctl(gmem, KVM_SET_MEMORY_ATTRIBUTES2,
			      gmem_user_addr(&uattr[vcpu]));
}

static int run_op_untraced(const struct uop *u, int vcpu)
{
	void *p;
	int r;

	switch (u->op) {
	case TDM_GMEM_FAULT4K:
	case TDM_GMEM_FAULT2M:
		return kvm_gmem_fault(&w.vcpu[vcpu], gmem, op_gfn(u), op_pfn(u),
				      u->op == TDM_GMEM_FAULT4K ? PG_LEVEL_4K :
				      PG_LEVEL_2M);
	case TDM_TO_SHARED:
	case TDM_TO_PRIVATE:
		return convert(u, vcpu);
	case TDM_HOST_GUP:
		if (tdm_pinned(&w.m, op_gfn(u)))
			return -ENOSPC;
		r = kvm_gmem_fault_user_mapping(gmem, op_gfn(u));
		return r ? r : gmem_host_gup(gmem->pages, op_gfn(u));
	case TDM_HOST_UNPIN:
		if (!tdm_pinned(&w.m, op_gfn(u)))
			return -ENOENT;
		gmem_host_unpin(gmem->pages, op_gfn(u));
		return 0;
	case TDM_MAP4K:
		return kvm_tdp_map_page(&w.vcpu[vcpu], op_gfn(u), op_pfn(u),
					PG_LEVEL_4K);
	case TDM_MAP2M:
		return kvm_tdp_map_page(&w.vcpu[vcpu], op_gfn(u), op_pfn(u),
					PG_LEVEL_2M);
	case TDM_ZAP:
		return kvm_zap_gfn_range(&w.kvm, op_gfn(u), u->n ? op_gfn(u) + u->n :
					 kvm_tdp_mmu_max_gfn(&w.kvm));
	case TDM_SPLIT:
		return kvm_split_huge_page(&w.kvm, op_gfn(u));
	case TDM_PAMT_GET:
		if (w.held[u->idx] == TDM_DIRECT_MAX)
			return -ENOSPC;
		/* the caller's own cache: harness/mc runs gets side by side */
		if (tdx_topup_pamt_cache(&w.vcpu[vcpu].pamt_cache, 1))
			return -ENOMEM;
		r = tdx_pamt_get(w.direct_pfn[u->idx], PG_LEVEL_4K,
				 &w.vcpu[vcpu].pamt_cache);
		w.held[u->idx] += !r;
		return r;
	case TDM_PAMT_PUT:
		if (!w.held[u->idx])
			return -ENOENT;
		w.held[u->idx]--;
		tdx_pamt_put(w.direct_pfn[u->idx], PG_LEVEL_4K);
		return 0;
	case TDM_CTRL_ALLOC:
		if (w.nctrl == CTRL_MAX)
			return -ENOSPC;
		p = tdx_alloc_control_page();
		if (!p)
			return -ENOMEM;
		w.ctrl[w.nctrl++] = p;
		return 0;
	case TDM_CTRL_FREE:
		if (!w.nctrl)
			return -ENOENT;
		tdx_free_control_page(w.ctrl[--w.nctrl]);
		return 0;
	default:
		r = tdx_vm_destroy(&w.kvm);
		if (r != -EINVAL)
			for (int v = 0; v < ORACLE_VCPUS; v++)
				kvm_mmu_destroy(&w.vcpu[v]);
		return r;
	}
}

/* ---- observing impl/: the mirror ---- */

struct leaf { gfn_t gfn; int level; u64 pfn; };

static struct walk {
	struct leaf leaf[TDM_BLOCKS * 512];
	int nleaf;
	u64 tables;		/* order-independent hash of (level, gfn) */
	int ntables;
	int frozen;		/* FROZEN_SPTE reachable (INV-03) */
	u64 table_pfn[64][2];	/* each table's mirror and S-EPT page */
	int npfn;
} wk;

/* The mirror through the observer API (model/observe.h). */
static int walk_fn(const struct tdxmm_spte_info *e, void *unused)
{
	if (e->leaf) {
		if (wk.nleaf < TDM_BLOCKS * 512)
			wk.leaf[wk.nleaf++] = (struct leaf){ e->gfn, e->level, e->pfn };
		return 0;
	}
	wk.ntables++;
	wk.tables += ((u64)(e->level - 1) << 60 ^ e->gfn) * 0x9e3779b97f4a7c15ULL;
	if (wk.npfn < 64) {
		wk.table_pfn[wk.npfn][0] = e->pfn;
		wk.table_pfn[wk.npfn++][1] = e->external_pfn;
	}
	return 0;
}

static void walk_mirror(void)
{
	wk.nleaf = wk.ntables = wk.npfn = 0;
	wk.tables = 0;
	tdxmm_walk_mirror(&w.kvm, walk_fn, NULL, &wk.frozen);
}

/* The model's leaves in the same order as the walk. */
/*
 * R8: the per-level page stats count exactly the leaves the model says are
 * mapped (updated only once the external update succeeded).
 */
static const char *compare_page_stats(char *why, int len)
{
	s64 want[2] = { 0, 0 };

	for (int b = 0; b < TDM_BLOCKS; b++) {
		if (w.m.blk[b].huge) {
			want[1]++;
			continue;
		}
		for (int k = 0; k < 8; k++)
			want[0] += __builtin_popcountll(w.m.blk[b].map[k]);
	}
	for (int l = 0; l < 2; l++) {
		s64 got = atomic64_read(&w.kvm.stat.pages[l]);

		if (got != want[l]) {
			snprintf(why, len, "page stats: %lld %s leaves counted, %lld mapped",
				 (long long)got, l ? "2M" : "4K", (long long)want[l]);
			return "R8";
		}
	}
	return NULL;
}

static const char *compare_mirror(char *why, int len)
{
	int i = 0, nt = 0;
	u64 t = 0;

	/* each leaf against the model (INV-06, INV-10), the tables (INV-07) */
	tdxmm_evidence(6);
	tdxmm_evidence(10);
	tdxmm_evidence(7);

	for (int b = 0; b < TDM_BLOCKS; b++) {
		const struct tdm_block *blk = &w.m.blk[b];

		for (u64 off = 0; off < 512; off++) {
			int level;
			u64 pfn;

			/* 64 absent 4K leaves at a time (tdm_lookup: level 0) */
			if (!blk->huge && !(blk->map[off / 64] >> (off % 64))) {
				off |= 63;
				continue;
			}
			pfn = tdm_lookup(&w.m, blk->gfn + off, &level);

			if (!level || (level == PG_LEVEL_2M && off))
				continue;
			if (i >= wk.nleaf || wk.leaf[i].gfn != blk->gfn + off ||
			    wk.leaf[i].level != level || wk.leaf[i].pfn != pfn) {
				snprintf(why, len,
					 "model maps gfn 0x%llx at level %d to pfn 0x%llx; the mirror's leaf #%d is %s",
					 (unsigned long long)(blk->gfn + off), level,
					 (unsigned long long)pfn, i,
					 i < wk.nleaf ? "elsewhere" : "missing");
				return "INV-06";
			}
			i++;
		}
	}
	if (i != wk.nleaf) {
		snprintf(why, len, "the mirror has %d leaves, the model %d (first extra: gfn 0x%llx level %d)",
			 wk.nleaf, i, (unsigned long long)wk.leaf[i].gfn,
			 wk.leaf[i].level);
		return "INV-10";
	}
	for (int k = 0; k < w.m.nr_tbl; k++)
		if (w.m.tbl[k].linked) {
			nt++;
			t += ((u64)w.m.tbl[k].level << 60 ^ w.m.tbl[k].gfn) *
			     0x9e3779b97f4a7c15ULL;
		}
	if (!w.m.torn_down && (nt != wk.ntables || t != wk.tables)) {
		snprintf(why, len, "the mirror links %d tables, the model %d (or other ones)",
			 wk.ntables, nt);
		return "INV-07";
	}
	return NULL;
}

/* ---- observing impl/: pages ---- */

static void mark(const void *p, unsigned long n)
{
	u64 first = tdxmm_virt_to_pfn(tdxmm_pool_base());
	u64 pfn = p ? tdxmm_virt_to_pfn(p) : 0;

	for (unsigned long i = 0; p && i < n; i++)
		if (pfn + i >= first && pfn + i < first + tdxmm_pool_pages())
			marks[pfn + i - first]++;
}

static void mark_cache(const struct kvm_mmu_memory_cache *mc)
{
	for (int i = 0; i < mc->nobjs; i++)
		if (!mc->obj_size)
			mark(mc->objects[i], 1);
}

static void mark_pamt_cache(const struct tdx_pamt_cache *c)
{
	for (int i = 0; i < c->cnt; i++)
		mark(c->pages[i], 1);
}

/* The module's view of every pool page, read once per checked step. */

static void read_owners(void)
{
	u64 first = tdxmm_virt_to_pfn(tdxmm_pool_base());

	if (owners_fresh)
		return;
	tdxsim_page_infos(first, tdxmm_pool_pages(), owner, needs_wb);
	owners_fresh = true;
}

/*
 * Pages whose PAMT reference the kernel holds whether or not the module
 * owns them: S-EPT pages (cached, or attached to a table), the TD's
 * control pages, the harness's own control pages.
 */
static void kref_page(const void *p)
{
	u64 first = tdxmm_virt_to_pfn(tdxmm_pool_base());
	u64 pfn = p ? tdxmm_virt_to_pfn(p) : 0;

	if (p && pfn >= first && pfn < first + tdxmm_pool_pages())
		kref[pfn - first] = 1;
}

/*
 * Pages holding a PAMT reference for the kernel besides what the module
 * owns: the control pages.  S-EPT pages hold theirs only while the module
 * has them (v6, SPEC 0.4.1): cached, unlinked or given back, none.
 */
static void kref_pages(void)
{
	memset(kref, 0, sizeof(kref));
	kref_page(w.kvm.tdx.tdr_page);
	kref_page(w.kvm.tdx.sept_root_page);
	for (int i = 0; i < w.nctrl; i++)
		kref_page(w.ctrl[i]);
}

static int direct_refs(u64 region)
{
	int n = 0;

	for (int i = 0; i < TDM_PFNS; i++)
		n += (w.direct_pfn[i] >> 9 == region) * w.m.direct[i];
	return n;
}

/*
 * INV-18/INV-35 and no page lost: every pool page is free and not the
 * module's, or in exactly one known place, or the module's and counted as
 * leaked on purpose.  INV-30 (exact) and INV-34: a region's count is its
 * 4K pages the module holds plus the kernel's own references, plus 1 where
 * a failed PAMT.REMOVE left the pair (counted in pamt_leaked_pairs).
 */
static const char *check_pages(char *why, int len)
{
	u64 first = tdxmm_virt_to_pfn(tdxmm_pool_base());
	const unsigned char *taken = tdxmm_pool_taken();
	unsigned long npages = tdxmm_pool_pages(), unref = 0, unref_owned = 0;
	unsigned long pairs = 0;
	const char *inv;
	long excess = 0;
	int pamt_regions = 0;

	read_owners();
	memset(marks, 0, sizeof(marks));
	mark(w.p0, 1);
	mark(w.p1, 1);
	mark(w.p2, 1);
	mark(w.a, 512);
	mark(w.b, 512);
	mark(w.c, 512);
	if (w.kvm.arch.mirror_root) {
		mark(w.kvm.arch.mirror_root->spt, 1);
		mark(w.kvm.arch.mirror_root->external_spt, 1);
	}
	for (int i = 0; i < wk.npfn; i++)
		for (int k = 0; k < 2; k++)
			if (wk.table_pfn[i][k])
				mark(tdxmm_pfn_to_virt(wk.table_pfn[i][k]), 1);
	for (const struct kvm_mmu_page *sp = w.kvm.arch.free_list; sp;
	     sp = sp->next_free) {
		mark(sp->spt, 1);
		mark(sp->external_spt, 1);
	}
	if (w.kvm.arch.mirror_root && !w.kvm.arch.mirror_root->external_spt)
		mark(w.kvm.tdx.sept_root_page, 1);
	mark(w.kvm.tdx.tdr_page, 1);
	for (int v = 0; v < ORACLE_VCPUS; v++) {
		mark_cache(&w.vcpu[v].mmu_shadow_page_cache);
		mark_cache(&w.vcpu[v].mmu_external_spt_cache);
		mark_pamt_cache(&w.vcpu[v].pamt_cache);
	}
	mark_cache(&w.kvm.arch.split_shadow_page_cache);
	mark_cache(&w.kvm.arch.split_external_spt_cache);
	mark_pamt_cache(&w.kvm.tdx.pamt_cache);
	for (int i = 0; i < w.nctrl; i++)
		mark(w.ctrl[i], 1);

	tdxmm_evidence(18);
	for (unsigned long i = 0; i < npages; i++) {
		u64 pfn = first + i;
		bool owned = owner[i] != TDX_PAGE_KERNEL || needs_wb[i];
		bool pair = owner[i] == TDX_PAGE_PAMT_PAIR;

		pairs += pair;
		if (!taken[i]) {
			if (owned) {
				snprintf(why, len, "free page pfn 0x%llx is still the module's",
					 (unsigned long long)pfn);
				return "INV-18";
			}
			continue;
		}
		if (marks[i] > 1 || (marks[i] && pair)) {
			snprintf(why, len, "pfn 0x%llx is in %d places",
				 (unsigned long long)pfn, marks[i] + pair);
			return "INV-18";
		}
		if (marks[i] || pair)
			continue;
		/*
		 * Referenced by nobody: leaked on purpose, which must be
		 * counted.  Not always the module's: a RECLAIM that fails
		 * leaves the kernel unable to know, so it leaks either way
		 * (an S-EPT page a failed split never handed over, say).
		 */
		unref++;
		unref_owned += owned;
	}
	if (unref > (unsigned long)atomic64_read(&w.kvm.stat.leaked_pages)) {
		snprintf(why, len, "%lu pages referenced by nobody (%lu of them the module's), %lld counted as leaked: %s",
			 unref, unref_owned,
			 (long long)atomic64_read(&w.kvm.stat.leaked_pages),
			 unref > unref_owned ? "a page was lost" : "uncounted leak");
		return "INV-18";
	}

	/*
	 * A page leaked on purpose keeps its PAMT reference only while the
	 * module may own it, and then its owner or its cache lines make it a
	 * user: an S-EPT page a failed split never handed over has none (v6,
	 * SPEC 0.4.1).
	 */
	kref_pages();
	for (u64 r = first >> 9; r < (first + npages) >> 9; r++) {
		enum tdx_pamt_node node = tdxsim_pamt_node(r << 9);
		int users = direct_refs(r), rc;

		pamt_regions += node == PAMT_NODE_PAMT;
		bool was_2m = false;

		/*
		 * A 2M page removed but left unflushed held no 4K references:
		 * the region's dirty pages are not users while the region was
		 * 2M before this step, or was before an earlier step that left
		 * it dirty (sticky until the last flush).
		 */
		for (int b = 0; b < TDM_BLOCKS; b++) {
			bool dirty = false;

			if (w.block_pfn[b] >> 9 != r)
				continue;
			for (u64 pfn = r << 9; pfn < (r + 1) << 9; pfn++)
				dirty |= needs_wb[pfn - first];
			/*
			 * the 2M leaf's removal; a zap that split the leaf
			 * first (SPEC 0.4.5) leaves the region PAMT-backed,
			 * and its dirty 4K pages hold their references
			 */
			if (!dirty)
				w.huge_dirty[b] = false;
			else if (w.huge_regions[b] == r && node != PAMT_NODE_PAMT)
				w.huge_dirty[b] = true;
			was_2m |= w.huge_dirty[b];
		}
		for (u64 pfn = r << 9; pfn < (r + 1) << 9; pfn++) {
			enum tdx_page_owner o = owner[pfn - first];

			if (o == TDX_PAGE_TD_PRIVATE && node == PAMT_NODE_2M)
				tdxmm_evidence(37);	/* 2M-mapped: no user */
			if ((o == TDX_PAGE_TD_PRIVATE && node != PAMT_NODE_2M) ||
			    o == TDX_PAGE_SEPT || o == TDX_PAGE_CONTROL ||
			    (needs_wb[pfn - first] && !was_2m) ||
			    kref[pfn - first])
				users++;
		}
		rc = atomic_read(tdx_find_pamt_refcount(r << 9));
		inv = check_pamt_users(rc, users);
		if (inv) {
			snprintf(why, len, "%s (region 0x%llx: refcount %d, users %d)",
				 inv, (unsigned long long)r, rc, users);
			return rc < users ? "INV-34" : "INV-30";
		}
		excess += rc - users;
	}
	inv = check_pamt_pairs(excess, atomic64_read(&pamt_leaked_pairs), pairs,
			       pamt_regions);
	if (inv) {
		snprintf(why, len, "%s (%ld references without a user, %lld pairs leaked, %lu pair pages, %d regions installed)",
			 inv, excess, (long long)atomic64_read(&pamt_leaked_pairs),
			 pairs, pamt_regions);
		return strncmp(inv, "INV-35", 6) ? "INV-30" : "INV-35";
	}
	return NULL;
}

/*
 * After every step: the result and the bugged flag against the model
 * (a DPAMT get fails only with -ENOMEM or -EIO, never for a lost race or
 * a 2M level: INV-36, INV-37),
 * WARNs, locks (INV-13, INV-33), INV-19, INV-14, INV-03, the mirror
 * against the model (INV-06, INV-07, INV-10; after a failed install,
 * INV-12) and against the module (check_mirror_sept: INV-10, INV-11,
 * INV-17), no call the module refuses (it checks the removal order and
 * the HKID: INV-15, INV-16), the DPAMT nodes (check_pamt: INV-30, INV-31,
 * INV-32, INV-40), and the pages (check_pages: INV-18, INV-30, INV-34,
 * INV-35).
 */
static const char *check_state(char *why, int len);

static const char *check_all(const struct tdm_expect *e, int ret,
			     unsigned long warns, char *why, int len)
{
	static u64 write_asserts;	/* mmu_lock's, counted at the last check */
	u64 n = w.kvm.mmu_lock.dep_map.write_asserts;
	bool ok = false;

	/* each removal's lockdep_assert_held_write(mmu_lock) held: INV-13 */
	tdxmm_evidence_add(13, n >= write_asserts ? n - write_asserts : n);
	write_asserts = n;
	if (w.lockdep_hit) {
		snprintf(why, len, "%s", w.lockdep);
		return oracle_lockdep_inv();
	}
	for (int i = 0; i < e->nr; i++)
		ok |= ret == e->ret[i];
	if (!ok) {
		int n = snprintf(why, len, "returned %d, the model allows", ret);

		for (int i = 0; i < e->nr && n < len; i++)
			n += snprintf(why + n, len - n, " %d", e->ret[i]);
		return "RESULT";
	}
	if (w.kvm.vm_bugged != e->bugged) {
		snprintf(why, len, "VM %sbugged, the model says %sbugged",
			 w.kvm.vm_bugged ? "" : "not ", e->bugged ? "" : "not ");
		return "KVM_BUG_ON";
	}
	if (warns && !e->warn_ok) {
		snprintf(why, len, "%lu WARN(s) on a step that should not warn, last: %s",
			 warns, tdxmm_last_warn);
		return "WARN";
	}
	return check_state(why, len);
}

/*
 * The guest_memfd's attributes against the model's (GMEM-05 after a
 * failed conversion, GMEM-06 after any other step), and GMEM-18: no
 * private leaf of a shared page, no invalidation window left open.
 */
static const char *check_gmem(char *why, int len)
{
	const char *what = NULL;

	for (u64 i = 0; i < GMEM_PAGES; i++) {
		bool shared = !(kvm_gmem_get_attributes(gmem, i) &
				KVM_MEMORY_ATTRIBUTE_PRIVATE);

		/* bound at gfn 0: page i is gfn i */
		if (shared != tdm_shared(&w.m, i)) {
			snprintf(why, len, "page %llu of the guest_memfd is %s, the model says %s",
				 (unsigned long long)i, shared ? "shared" : "private",
				 shared ? "private" : "shared");
			return w.step_failed_conversion ? "GMEM-05" : "GMEM-06";
		}
	}
	if (!gmem_18_no_private_leaf_of_shared(&w.kvm, gmem, &what)) {
		snprintf(why, len, "%s", what);
		return "GMEM-18";
	}
	return NULL;
}

/* The state at a quiescent point, against the model's state. */
static const char *check_state(char *why, int len)
{
	struct sept_violation v;
	const char *inv;

	if (sel_gmem) {
		inv = check_gmem(why, len);
		if (inv)
			return inv;
	}
	tdxmm_evidence(33);
	tdxmm_evidence(19);
	tdxmm_evidence(14);
	tdxmm_evidence(3);
	if (spin_is_locked(&pamt_lock) || rcu_read_lock_held() ||
	    tdxmm_lock_held(&w.kvm.mmu_lock.dep_map) != TDXMM_HELD_NONE) {
		snprintf(why, len, "a lock is still held after the step");
		return "INV-33";
	}
	if (w.kvm.tdx.wait_for_sept_zap) {
		snprintf(why, len, "wait_for_sept_zap left set");
		return "INV-19";
	}
	if (tdxsim_order_violations()) {
		snprintf(why, len, "an S-EPT page was released before its child");
		return "INV-14";
	}
	if (tdxsim_rejections() && !w.kvm.vm_bugged &&
	    !atomic64_read(&w.kvm.stat.leaked_pages)) {
		snprintf(why, len, "the module refused a call: %s",
			 tdxsim_last_rejection(NULL));
		return "TDX-MODULE";
	}
	walk_mirror();
	if (wk.frozen) {
		snprintf(why, len, "%d FROZEN_SPTE(s) reachable at a quiescent point",
			 wk.frozen);
		return "INV-03";
	}
	if (!w.kvm.vm_bugged) {
		inv = compare_mirror(why, len);
		if (inv)
			return inv;
		inv = compare_page_stats(why, len);
		if (inv)
			return inv;
		if (!w.m.torn_down && check_mirror_sept(&w.kvm, &v)) {
			snprintf(why, len, "%s at gfn 0x%llx level %d (S-EPT state 0x%x)",
				 v.what, (unsigned long long)v.gfn, v.level,
				 v.sept_state);
			return v.inv;
		}
	}
	inv = check_pamt(tdxmm_virt_to_pfn(tdxmm_pool_base()),
			 tdxmm_virt_to_pfn(tdxmm_pool_base()) + tdxmm_pool_pages());
	if (inv) {
		snprintf(why, len, "%s", inv);
		return "INV-3x";
	}
	return check_pages(why, len);
}

static void step(const struct bmc_choice *c, struct bmc_result *r,
		 volatile bool check);
static void count_step_evidence(const struct uop *u, int ret);
static const char *probe_bugged_vm(char *why, int len);

void oracle_step(const struct bmc_choice *c, struct bmc_result *r)
{
	step(c, r, true);
}

void oracle_replay_step(const struct bmc_choice *c)
{
	struct bmc_result r;

	step(c, &r, false);
}

static void step(const struct bmc_choice *c, struct bmc_result *r,
		 volatile bool check)
{
	const struct uop *u = uop(c->op);
	unsigned long warns = tdxmm_env_stats.warns;
	struct tdm_expect e;
	const char *inv;

	memset(r, 0, sizeof(*r));
	memset(w.calls, 0, sizeof(w.calls));
	owners_fresh = false;
	for (int b = 0; b < TDM_BLOCKS; b++)
		w.huge_regions[b] = w.m.blk[b].huge ? w.block_pfn[b] >> 9 : ~0ULL;
	memset(&w.tf, 0, sizeof(w.tf));
	w.fault = c;
	w.lockdep_hit = false;
	w.bug_armed = true;
	if (setjmp(w.bug_jmp)) {
		w.bug_armed = false;
		w.fault = NULL;
		tdxsim_inject_clear();
		r->inv = "BUG";
		r->terminal = true;
		snprintf(r->why, sizeof(r->why), "%s", w.lockdep);
		return;
	}
	r->ret = run_op(u, 0);
	w.bug_armed = false;
	w.fault = NULL;
	tdxsim_inject_clear();
	memcpy(r->calls, w.calls, sizeof(r->calls));

	if (c->armed && w.calls[c->sc] < c->nth) {
		/*
		 * The fault's call did not happen.  bmc derives faults from
		 * the step's own calls, so there it means nondeterminism; a
		 * fuzzer's guess just ran without a fault.
		 */
		if (w.cfg.strict_faults) {
			r->inv = "CHOICE";
			snprintf(r->why, sizeof(r->why), "no call #%u of %s in this step",
				 c->nth, sc_names[c->sc]);
			return;
		}
		r->fault_void = true;
	}
	w.tf.armed = c->armed && !r->fault_void;
	w.tf.sc = c->sc;
	w.tf.nth = c->nth;
	w.tf.always = c->always;
	if (w.tf.armed)
		w.tf.status = tdxsim_statuses(c->sc, &(int){ 0 })[c->st];
	tdm_step(&w.m, u->op, op_gfn(u), op_pfn(u), u->n ? u->n : ~0ULL >> 2,
		 u->idx, &w.tf, &e);
	if (!check)
		return;
	w.step_failed_conversion = r->ret &&
		(u->op == TDM_TO_SHARED || u->op == TDM_TO_PRIVATE);
	inv = check_all(&e, r->ret, tdxmm_env_stats.warns - warns, r->why,
			sizeof(r->why));
	if (!inv && w.kvm.vm_bugged && u->op != TDM_TEARDOWN)
		inv = probe_bugged_vm(r->why, sizeof(r->why));
	if (!inv)
		count_step_evidence(u, r->ret);
	r->inv = inv;
	r->terminal = w.kvm.vm_bugged || inv;
}

/* What a step's checks evaluated beyond the state checkers' own counts. */
static void count_step_evidence(const struct uop *u, int ret)
{
	/* the attributes against the model's, the result (never EAGAIN) */
	if (u->op == TDM_TO_SHARED || u->op == TDM_TO_PRIVATE)
		tdxmm_gmem_evidence(ret ? 5 : 6);
	if (u->op == TDM_TO_SHARED)
		tdxmm_gmem_evidence(11);
	/* to private: -EAGAIN exactly while the host holds a reference */
	if (u->op == TDM_TO_PRIVATE)
		tdxmm_gmem_evidence(8);
	/* the host's fault on a private page: VM_FAULT_SIGBUS */
	if (u->op == TDM_HOST_GUP)
		tdxmm_gmem_evidence(13);
	if (u->op != TDM_MAP4K && u->op != TDM_MAP2M && u->op != TDM_SPLIT &&
	    u->op != TDM_GMEM_FAULT4K && u->op != TDM_GMEM_FAULT2M)
		return;
	/* the result against the model's: DPAMT get errs only as INV-36 says */
	tdxmm_evidence(36);
	/* a failed install: mirror, S-EPT and references as before it */
	if (w.tf.armed && ret && !w.kvm.vm_bugged)
		tdxmm_evidence(12);
}

/*
 * SPEC 0.4.6: once the VM is bugged, every page-table entry point answers
 * -EIO and issues no SEAMCALL.  bmc does not expand a bugged state, so
 * each one is tried here, on each vCPU's path, where the VM got bugged.
 */
static const char *probe_bugged_vm(char *why, int len)
{
	static const struct uop probes[] = {
		{ .name = "map4k:0", .op = TDM_MAP4K, .gfn = 0 },
		{ .name = "map2m:512", .op = TDM_MAP2M, .gfn = 512 },
		{ .name = "zap:0", .op = TDM_ZAP, .gfn = 0, .n = 1 },
		{ .name = "zap-all", .op = TDM_ZAP, .gfn = 0, .n = 0 },
		{ .name = "split:0", .op = TDM_SPLIT, .gfn = 0 },
	};

	for (unsigned int i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		unsigned int n = 0;
		int ret;

		memset(w.calls, 0, sizeof(w.calls));
		ret = run_op(&probes[i], 1);
		for (int k = 0; k < SC_NR; k++)
			n += w.calls[k];
		if (ret != -EIO || n) {
			snprintf(why, len, "%s on the bugged VM returned %d and issued %u SEAMCALL(s)",
				 probes[i].name, ret, n);
			return "SPEC-0.4.6";
		}
	}
	return NULL;
}

void oracle_check_initial(struct bmc_result *r)
{
	struct tdm_expect e = { .nr = 1 };

	memset(r, 0, sizeof(*r));
	r->inv = check_all(&e, 0, 0, r->why, sizeof(r->why));
}

/* ---- for harness/mc: concurrent steps, then a sequential explanation ---- */

void oracle_begin_concurrent(void)
{
	for (int b = 0; b < TDM_BLOCKS; b++)
		w.huge_regions[b] = w.m.blk[b].huge ? w.block_pfn[b] >> 9 : ~0ULL;
	w.lockdep_hit = false;
	owners_fresh = false;
	tdxsim_set_call_hook(NULL);
}

bool oracle_op_is_fault(int op)
{
	enum tdm_op o = uop(op)->op;

	return o == TDM_MAP4K || o == TDM_MAP2M || o == TDM_GMEM_FAULT4K ||
	       o == TDM_GMEM_FAULT2M;
}

int oracle_run(int op, int vcpu)
{
	return run_op(uop(op), vcpu);
}

const char *oracle_lockdep(void)
{
	return w.lockdep_hit ? w.lockdep : NULL;
}

/*
 * The invariant a lockdep report breaks: a sleeping allocation in atomic
 * context (INV-38), a lock's softirq discipline (INV-39), pamt_lock
 * (INV-33), mmu_lock (INV-13).
 */
const char *oracle_lockdep_inv(void)
{
	if (!w.lockdep_hit)
		return NULL;
	return strstr(w.lockdep, "INV-38") ? "INV-38" :
	       strstr(w.lockdep, "INV-39") ? "INV-39" :
	       strstr(w.lockdep, "pamt") ? "INV-33" :
	       strstr(w.lockdep, "mmu_lock") ? "INV-13" : "LOCKDEP";
}

void oracle_model_get(struct td_model *m)
{
	*m = w.m;
}

void oracle_model_set(const struct td_model *m)
{
	w.m = *m;
}

bool oracle_model_step(int op, int ret)
{
	const struct uop *u = uop(op);
	struct tdm_fault none = { 0 };
	struct tdm_expect e;

	tdm_step(&w.m, u->op, op_gfn(u), op_pfn(u), u->n ? u->n : ~0ULL >> 2,
		 u->idx, &none, &e);
	for (int i = 0; i < e.nr; i++)
		if (ret == e.ret[i])
			return !e.bugged;
	return false;
}

const char *oracle_check_model_state(char *why, int len)
{
	owners_fresh = false;
	w.step_failed_conversion = false;
	return check_state(why, len);
}

/* ---- state hashing ---- */

static u64 mix(u64 h, u64 v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

u64 oracle_hash(void)
{
	u64 first = tdxmm_virt_to_pfn(tdxmm_pool_base());
	u64 h = tdm_hash(&w.m, w.cfg.root_level);

	read_owners();

	/* the mirror equals the model (checked); what the model abstracts: */
	for (unsigned long i = 0; i < tdxmm_pool_pages(); i++)
		if (tdxmm_pool_taken()[i])
			h = mix(h, i << 4 | owner[i]);
	for (u64 r = first >> 9; r < (first + tdxmm_pool_pages()) >> 9; r++) {
		h = mix(h, (u64)atomic_read(tdx_find_pamt_refcount(r << 9)));
		h = mix(h, tdxsim_pamt_node(r << 9));
	}
	h = mix(h, (u64)atomic64_read(&pamt_leaked_pairs));
	h = mix(h, (u64)atomic64_read(&w.kvm.stat.leaked_pages));
	for (int v = 0; v < ORACLE_VCPUS; v++)
		h = mix(h, (u64)w.vcpu[v].mmu_page_header_cache.nobjs << 24 |
			   (u64)w.vcpu[v].mmu_shadow_page_cache.nobjs << 16 |
			   (u64)w.vcpu[v].mmu_external_spt_cache.nobjs << 8 |
			   (u64)w.vcpu[v].pamt_cache.cnt);
	h = mix(h, (u64)w.kvm.tdx.pamt_cache.cnt);
	h = mix(h, (u64)w.kvm.arch.split_page_header_cache.nobjs << 16 |
		   (u64)w.kvm.arch.split_shadow_page_cache.nobjs << 8 |
		   (u64)w.kvm.arch.split_external_spt_cache.nobjs);
	h = mix(h, (u64)w.kvm.tdx.state << 1 | is_hkid_assigned(&w.kvm));
	/* the guest_memfd's page cache: what the model abstracts from it */
	for (int i = 0; sel_gmem && i < GMEM_HOST_MAX_FOLIOS; i++) {
		const struct gmem_folio *f = &gmem->pages->folios[i];

		if (f->present)
			h = mix(h, f->index << 24 | (u64)f->refcount << 8 |
				   (u64)f->mapped << 2 | (u64)f->in_lru_batch << 1 |
				   (u64)!!f->gup_refs);
	}
	return h;
}

/* ---- fault choices ---- */

static bool retried(int sc)
{
	return sc == SC_MEM_RANGE_BLOCK || sc == SC_MEM_TRACK ||
	       sc == SC_MEM_PAGE_REMOVE || sc == SC_MEM_PAGE_DEMOTE;
}

static bool is_busy(u64 st)
{
	return (st & TDX_STATUS_MASK) == TDX_OPERAND_BUSY;
}

int oracle_faults(const struct bmc_cfg *cfg, int op,
		  const unsigned int *calls, struct bmc_choice *out, int max)
{
	int n = 0;

	if (cfg->faults == BMC_FAULTS_NONE)
		return 0;
	for (int sc = 0; sc < SC_NR; sc++) {
		unsigned int nths[3] = { 1, 2, calls[sc] };
		int nr;
		const u64 *st = tdxsim_statuses(sc, &nr);

		for (int k = 0; k < 3; k++) {
			unsigned int nth = nths[k];
			bool seen_busy = false, seen_other = false;

			if (nth > calls[sc] || (k == 2 && nth <= 2))
				continue;
			for (int s = 0; s < nr; s++) {
				bool b = is_busy(st[s]);

				if (cfg->faults == BMC_FAULTS_CLASSES &&
				    (b ? seen_busy : seen_other))
					continue;
				seen_busy |= b;
				seen_other |= !b;
				for (int always = 0; always <= (b && retried(sc));
				     always++) {
					if (n == max)
						return n;
					out[n++] = (struct bmc_choice){
						.op = op, .armed = 1,
						.always = always, .sc = sc,
						.st = s, .nth = nth };
				}
			}
		}
	}
	return n;
}

/* ---- trace lines ---- */

void oracle_format(const struct bmc_choice *c, char *buf, int len)
{
	int n = snprintf(buf, len, "%s", oracle_op_name(c->op));

	if (c->armed && n < len)
		snprintf(buf + n, len - n, " fault=%s#%u:%d%s",
			 sc_names[c->sc], c->nth, c->st,
			 c->always ? ":always" : "");
}

int oracle_parse(const char *line, struct bmc_choice *c)
{
	char op[64], sc[32], always[16] = "";
	unsigned int nth;
	int st, n;

	memset(c, 0, sizeof(*c));
	n = sscanf(line, "%63s fault=%31[A-Z_]#%u:%d:%15s", op, sc, &nth, &st,
		   always);
	if (n < 1 || oracle_op_by_name(op) < 0)
		return -1;
	c->op = oracle_op_by_name(op);
	if (n == 1)
		return 0;
	if (n < 4 || oracle_sc_by_name(sc) < 0)
		return -1;
	c->armed = 1;
	c->sc = oracle_sc_by_name(sc);
	c->nth = nth;
	c->st = st;
	c->always = !strcmp(always, "always");
	return 0;
}

static int replay_file(const char *path, void *logp, struct bmc_result *r)
{
	FILE *f = fopen(path, "r"), *log = logp;
	struct bmc_cfg cfg = { .root_level = 4, .faults = BMC_FAULTS_ALL };
	char line[256];
	int steps = 0, lineno = 0;
	bool started = false;

	memset(r, 0, sizeof(*r));
	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		return -1;
	}
	/*
	 * Strict: comments, blank lines, "root N" and "ops LIST" (the
	 * universe, as bmc --ops) before the steps, steps.
	 */
	while (fgets(line, sizeof(line), f)) {
		struct bmc_choice c;
		char buf[128], extra;
		int root;

		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		if (sscanf(line, "root %d %c", &root, &extra) == 1) {
			if (started || root < 3 || root > 5) {
				fprintf(stderr, "%s:%d: %s\n", path, lineno, started ?
					"root after the first step" : "root level not 3, 4 or 5");
				fclose(f);
				return -1;
			}
			cfg.root_level = root;
			continue;
		}
		if (!strncmp(line, "ops ", 4)) {
			if (started || oracle_select_ops(line + 4)) {
				fprintf(stderr, "%s:%d: %s\n", path, lineno, started ?
					"ops after the first step" : "unknown operation in the ops line");
				fclose(f);
				return -1;
			}
			continue;
		}
		if (strncmp(line, "step ", 5) || oracle_parse(line + 5, &c)) {
			fprintf(stderr, "%s:%d: not a step of this universe: %s\n",
				path, lineno, line);
			fclose(f);
			return -1;
		}
		if (!started && oracle_reset(&cfg)) {
			fclose(f);
			return -1;
		}
		started = true;
		oracle_step(&c, r);
		steps++;
		oracle_format(&c, buf, sizeof(buf));
		if (log)
			fprintf(log, "%3d  %-44s -> %d%s%s%s\n", steps, buf,
				r->ret, r->inv ? "   VIOLATION " : "",
				r->inv ? r->inv : "", r->inv ? ": " : "");
		if (r->inv) {
			if (log)
				fprintf(log, "     %s\n", r->why);
			break;
		}
	}
	fclose(f);
	if (!steps) {
		fprintf(stderr, "%s: no step to replay\n", path);
		return -1;
	}
	return steps;
}

/* A trace's "ops" line holds for that trace only. */
int oracle_replay_file(const char *path, void *logp, struct bmc_result *r)
{
	int saved[NR_UOPS], nsaved = oracle_nr_ops(), ret;
	bool saved_gmem = sel_gmem;

	memcpy(saved, sel, sizeof(saved));
	ret = replay_file(path, logp, r);
	memcpy(sel, saved, sizeof(saved));
	nsel = nsaved;
	sel_gmem = saved_gmem;
	return ret;
}
