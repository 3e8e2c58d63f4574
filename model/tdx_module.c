// SPDX-License-Identifier: GPL-2.0
/*
 * The TDX module simulator.  Read top to bottom: state, helpers, one
 * function per SEAMCALL (checks in the module's order, then the effect),
 * fault injection, observers.
 *
 * Simplifications, each an [UNCONF] of SPEC.md or outside KVM's use:
 * - the vCPU side of TLB tracking is not modelled: TRACK always advances
 *   the epoch, and an entry counts as tracked once a TRACK followed its
 *   BLOCK (PREVIOUS_TLB_EPOCH_BUSY only by injection);
 * - DEMOTE leaves the 512 children MAPPED (or PENDING if the huge leaf was
 *   PENDING) and unblocked;
 * - operand ids: BUSY carries the operand a contended lock belongs to
 *   (SEPT for the tree, RCX for the page, TD_EPOCH for TRACK);
 * - Dynamic PAMT: a region is NDA, has a pair (PAMT) or is one 2M TD page;
 *   the node lock and the shared locks DEMOTE takes on the pair pages'
 *   nodes are not modelled (R7's BUSY only by injection);
 * - among independent preconditions the module's order is not confirmed:
 *   here HKID, then gpa/level, then the walk (check_reach), then the
 *   call's own checks.  It decides only which status wins when several
 *   preconditions fail at once.
 */
#include "tdx_module.h"
#include "evidence.h"

/* More TDs than HKIDs: the kernel's pool is what runs out. */
#define TDXSIM_MAX_TDS		(TDX_NR_GUEST_KEYIDS + 1)
#define TDXSIM_SLOTS		8192	/* per table; bounded checks stay far below */
/* 0 outside 1..5: a call's level is checked after these are computed. */
#define PAGES_PER_LEVEL(l)	((l) >= 1 && (l) <= 5 ? 1ULL << (9 * ((l) - 1)) : 0)
#define BYTES_PER_LEVEL(l)	(PAGES_PER_LEVEL(l) << 12)

struct tdx_td {
	bool used;
	enum tdx_td_state state;
	int root_level;
	u64 tdr_pfn, root_pfn;
	u64 hkid;
	bool keys_configured;	/* TDH.MNG.KEY.CONFIG done */
	bool vp_flushed;	/* TDH.MNG.VPFLUSHDONE done: no vCPU associated */
	bool cache_wb;		/* TDH.PHYMEM.CACHE.WB done since VPFLUSHDONE */
	u64 epoch;		/* TLB epoch, advanced by TRACK */
	unsigned long pages;	/* pages the module owns for this TD */
};

struct page_rec {		/* one 4K page; absent == kernel's */
	bool used;
	u64 pfn;
	u8 owner;		/* enum tdx_page_owner */
	bool dirty;		/* holds cache lines under KeyID keyid */
	u16 keyid;
	bool needs_reset;	/* given back, quirk reset not yet done */
	bool reclaim_tried;	/* RECLAIM was called on it (INV-14 check) */
	bool from_huge;		/* given back by a 2M/1G leaf's removal */
	struct tdx_td *td;
};

struct sept_rec {		/* one S-EPT entry; absent == FREE */
	bool used;
	struct tdx_td *td;
	u64 gpa;
	int level;
	u8 state;		/* enum tdx_sept_state */
	u64 pfn;		/* leaf: first page; non-leaf: the S-EPT page */
	u64 block_epoch;
};

struct region_rec {		/* one 2M region; absent == NDA */
	bool used;
	u64 base;		/* first pfn, 512-aligned */
	u8 node;		/* enum tdx_pamt_node */
	u64 pair[TDX_DPAMT_ENTRY_PAGE_CNT];
};

struct injection {
	bool armed;
	unsigned int nth;	/* 0: every call */
	unsigned long seen;
	u64 status;
};

struct rule {
	struct tdxsim_fault f;
	bool armed;
	unsigned long seen;
};

struct sim_res {
	u8 kind;
	u64 a, b;
};
#define TDXSIM_MAX_HELD	32	/* resources of the calls in flight */

static struct {
	struct tdx_td tds[TDXSIM_MAX_TDS];
	struct rule rules[TDXSIM_MAX_RULES];
	int nrules;
	u64 seq;			/* calls so far (tdxsim_call.seq) */
	struct sim_res held[TDXSIM_MAX_HELD];	/* by the calls in flight */
	int nheld;
	unsigned long contentions;	/* calls that met a resource held */
	struct tdxsim_call *cur;	/* the call in progress, lock held */
	bool dpamt;
	struct injection inj[SC_NR];
	unsigned long calls[SC_NR];
	unsigned long rejections;
	unsigned long order_violations;
	const char *last_rejection;
	enum tdx_seamcall current_call, rejected_call;
	bool overflow;
	u64 next_hkid;
	/* the tables last: a reset clears only the slots in use */
	struct page_rec pages[TDXSIM_SLOTS];
	struct sept_rec sept[TDXSIM_SLOTS];
	struct region_rec regions[TDXSIM_SLOTS];
} sim;

/*
 * Slots taken since the last reset, per table (pages, sept, regions):
 * exactly the used ones (a slot stays used until the reset), so scans go
 * over these lists, not over whole tables.
 */
static unsigned short taken[3][TDXSIM_SLOTS];
static unsigned int ntaken[3];

static void take_slot(int table, unsigned int i)
{
	taken[table][ntaken[table]++] = (unsigned short)i;
}

/*
 * X86_BUG_TDX_PW_MCE (SPEC 0.4.8): on such a platform a page the module
 * gives back must be reset (tdx_quirk_reset_page) before the kernel reuses
 * it.  Off after tdxsim_reset(); harnesses turn it on.
 */
static bool quirk_pw_mce;

static int sim_busy;	/* one SEAMCALL at a time (sim_enter) */

static void (*trace_hook)(const struct tdxsim_call *c);

void tdxsim_reset(void)
{
	static const struct page_rec no_page;
	static const struct sept_rec no_sept;
	static const struct region_rec no_region;

	/* not held across a reset, even by a call a harness jumped out of */
	__atomic_store_n(&sim_busy, 0, __ATOMIC_RELEASE);

	/* Harnesses reset thousands of times a second: clear what was used. */
	for (unsigned int k = 0; k < ntaken[0]; k++)
		sim.pages[taken[0][k]] = no_page;
	for (unsigned int k = 0; k < ntaken[1]; k++)
		sim.sept[taken[1][k]] = no_sept;
	for (unsigned int k = 0; k < ntaken[2]; k++)
		sim.regions[taken[2][k]] = no_region;
	ntaken[0] = ntaken[1] = ntaken[2] = 0;
	/* A compiler builtin, not libc. */
	__builtin_memset(&sim, 0, __builtin_offsetof(typeof(sim), pages));
	sim.next_hkid = TDX_GUEST_KEYID_START;
	quirk_pw_mce = false;
	/* a trace starts over here (docs/TRACE-FORMAT.md: "reset") */
	if (trace_hook) {
		static struct tdxsim_call c = { .sc = TDXSIM_MODULE_RESET };

		trace_hook(&c);
	}
}

/* ---------------- helpers ---------------- */

static unsigned int hash(u64 a, u64 b)
{
	return (unsigned int)(((a ^ (b * 0x9E3779B97F4A7C15ULL)) *
			       0xBF58476D1CE4E5B9ULL) >> 51) % TDXSIM_SLOTS;
}

/* The record of @pfn; created if @create, else NULL when the kernel's. */
static struct page_rec *page(u64 pfn, bool create)
{
	unsigned int i = hash(pfn, 0);

	for (unsigned int n = 0; n < TDXSIM_SLOTS; n++, i = (i + 1) % TDXSIM_SLOTS) {
		struct page_rec *p = &sim.pages[i];

		if (p->used && p->pfn == pfn)
			return p;
		if (!p->used) {
			if (!create)
				return NULL;
			take_slot(0, i);
			p->used = true;
			p->pfn = pfn;
			return p;
		}
	}
	sim.overflow = true;
	return NULL;
}

static enum tdx_page_owner owner_of(u64 pfn)
{
	struct page_rec *p = page(pfn, false);

	return p ? p->owner : TDX_PAGE_KERNEL;
}

/* @keyid: the KeyID of the cache lines left behind, 0 if none. */
static void set_owner(u64 pfn, enum tdx_page_owner owner, struct tdx_td *td,
		      u64 keyid)
{
	struct page_rec *p = page(pfn, true);

	if (!p)
		return;
	p->owner = owner;
	p->reclaim_tried = false;
	p->td = owner == TDX_PAGE_KERNEL ? NULL : td;
	p->dirty = keyid != 0;
	p->keyid = (u16)keyid;
	p->needs_reset = false;
}


void tdxsim_set_quirk(bool on)
{
	quirk_pw_mce = on;
}

/* A TD's page back to the kernel, its lines under @keyid (0: none). */
static void give_back(u64 pfn, u64 keyid, bool huge)
{
	struct page_rec *p;

	set_owner(pfn, TDX_PAGE_KERNEL, NULL, keyid);
	p = page(pfn, false);
	if (p) {
		p->needs_reset = quirk_pw_mce;
		p->from_huge = huge;
	}
}


static struct region_rec *region(u64 pfn, bool create)
{
	u64 base = pfn & ~511ULL;
	unsigned int i = hash(base, 1);

	for (unsigned int n = 0; n < TDXSIM_SLOTS; n++, i = (i + 1) % TDXSIM_SLOTS) {
		struct region_rec *r = &sim.regions[i];

		if (r->used && r->base == base)
			return r;
		if (!r->used) {
			if (!create)
				return NULL;
			take_slot(2, i);
			r->used = true;
			r->base = base;
			return r;
		}
	}
	sim.overflow = true;
	return NULL;
}

static enum tdx_pamt_node node_of(u64 pfn)
{
	struct region_rec *r = region(pfn, false);

	return r ? r->node : PAMT_NODE_NDA;
}

static void set_node(u64 pfn, enum tdx_pamt_node node)
{
	struct region_rec *r = region(pfn, true);

	if (r)
		r->node = node;
}

static u64 check_pair(const u64 *pa);
static void install_pair(u64 pfn, const u64 *pa);

/* A 4K page can be handed to the module only with its 4K PAMT entry. */
static bool pamt_4k_ok(u64 pfn)
{
	return !sim.dpamt || node_of(pfn) == PAMT_NODE_PAMT;
}

static struct sept_rec *entry(struct tdx_td *td, u64 gpa, int level, bool create)
{
	unsigned int i = hash(gpa, (u64)level * 64 + (u64)(td - sim.tds));

	for (unsigned int n = 0; n < TDXSIM_SLOTS; n++, i = (i + 1) % TDXSIM_SLOTS) {
		struct sept_rec *e = &sim.sept[i];

		if (e->used && e->td == td && e->gpa == gpa && e->level == level)
			return e;
		if (!e->used) {
			if (!create)
				return NULL;
			take_slot(1, i);
			*e = (struct sept_rec){ .used = true, .td = td,
						.gpa = gpa, .level = level };
			return e;
		}
	}
	sim.overflow = true;
	return NULL;
}

static enum tdx_sept_state state_of(struct tdx_td *td, u64 gpa, int level)
{
	struct sept_rec *e = entry(td, gpa, level, false);

	return e ? e->state : SEPT_FREE;
}

static bool is_leaf_state(u8 s)
{
	return s == SEPT_MAPPED || s == SEPT_PENDING || s == SEPT_BLOCKED ||
	       s == SEPT_PENDING_BLOCKED;
}

static bool is_blocked_state(u8 s)
{
	return s == SEPT_BLOCKED || s == SEPT_PENDING_BLOCKED ||
	       s == SEPT_NL_BLOCKED;
}

static u64 align_down(u64 gpa, int level)
{
	return gpa & ~(BYTES_PER_LEVEL(level) - 1);
}

/* Every table above (gpa, level) must be linked, else the walk fails. */
static bool walk_ok(struct tdx_td *td, u64 gpa, int level)
{
	for (int l = td->root_level; l > level; l--) {
		u8 s = state_of(td, align_down(gpa, l), l);

		if (s != SEPT_NL_MAPPED && s != SEPT_NL_BLOCKED)
			return false;
	}
	return true;
}

static bool td_ok(const struct tdx_td *td)
{
	return td >= sim.tds && td < sim.tds + TDXSIM_MAX_TDS && td->used;
}

static bool gpa_ok(const struct tdx_td *td, u64 gpa, int level, int min, int max)
{
	return level >= min && level <= max && level <= td->root_level &&
	       !(gpa & (BYTES_PER_LEVEL(level) - 1));
}

/* A call the real module rejects: nothing changes, and it is counted. */
static u64 reject(u64 status, const char *why)
{
	sim.rejections++;
	sim.last_rejection = why;
	sim.rejected_call = sim.current_call;
	if (sim.cur)
		sim.cur->rejected = true;
	return status;
}

static void (*call_hook)(enum tdx_seamcall sc);

void tdxsim_set_call_hook(void (*fn)(enum tdx_seamcall sc))
{
	call_hook = fn;
}

/*
 * Each SEAMCALL is atomic, as the module's own locking makes it for the
 * resources it touches: one call at a time runs the simulator (a spin
 * lock, so model/ stays free of the kernel's and libc's primitives).  The
 * hook (harness/mc's scheduling point, the oracle's fault arming) runs
 * first, outside it; the trace hook last, inside it.  wbinvd_tdr is the
 * kernel's wrapper of another call.
 */
void tdxsim_set_trace_hook(void (*fn)(const struct tdxsim_call *c))
{
	trace_hook = fn;
}

/* A harness that calls from one thread only (bmc's workers, the fuzzer). */
static bool single_threaded;

void tdxsim_set_single_threaded(bool on)
{
	single_threaded = on;
}

static void sim_lock(void)
{
	if (single_threaded)
		return;
	while (__atomic_exchange_n(&sim_busy, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
}

static void sim_unlock(void)
{
	if (!single_threaded)
		__atomic_store_n(&sim_busy, 0, __ATOMIC_RELEASE);
}

/*
 * The resources a call locks in the module, as the module does: the S-EPT
 * entry it operates on, the page it takes or gives, a region's PAMT entry,
 * the TD's epoch, the TD.  A call finding one held by a call in flight
 * fails with TDX_OPERAND_BUSY (the operand's ID) and changes nothing.
 */
enum res_kind { RES_ENTRY = 1, RES_PAGE, RES_REGION, RES_EPOCH, RES_TD };

static int resources_of(const struct tdxsim_call *c, struct sim_res *r)
{
	int n = 0;

	switch (c->sc) {
	case SC_MEM_SEPT_ADD:
	case SC_MEM_PAGE_AUG:
	case SC_MEM_PAGE_ADD:
	case SC_MEM_PAGE_DEMOTE:
		r[n++] = (struct sim_res){ RES_ENTRY, c->td, c->gpa | c->level };
		r[n++] = (struct sim_res){ RES_PAGE, c->pfn, 0 };
		break;
	case SC_MEM_RANGE_BLOCK:
	case SC_MEM_PAGE_REMOVE:
	case SC_MEM_SEPT_REMOVE:
		r[n++] = (struct sim_res){ RES_ENTRY, c->td, c->gpa | c->level };
		break;
	case SC_MEM_TRACK:
		r[n++] = (struct sim_res){ RES_EPOCH, c->td, 0 };
		break;
	case SC_PHYMEM_PAGE_RECLAIM:
	case SC_PHYMEM_PAGE_WBINVD:
		r[n++] = (struct sim_res){ RES_PAGE, c->pfn, 0 };
		break;
	case SC_PHYMEM_PAMT_ADD:
	case SC_PHYMEM_PAMT_REMOVE:
		r[n++] = (struct sim_res){ RES_REGION, c->pfn >> 9, 0 };
		break;
	case SC_MNG_CREATE:
		r[n++] = (struct sim_res){ RES_TD, c->pfn, 0 };
		break;
	case SC_MNG_KEY_CONFIG:
	case SC_MR_FINALIZE:
	case SC_MNG_VPFLUSHDONE:
	case SC_MNG_KEY_FREEID:
		r[n++] = (struct sim_res){ RES_TD, c->td, 0 };
		break;
	default:
		break;
	}
	return n;
}

static u64 busy_status(u8 kind)
{
	return TDX_OPERAND_BUSY | (kind == RES_ENTRY ? TDX_OPERAND_ID_SEPT :
				   kind == RES_EPOCH ? TDX_OPERAND_ID_TD_EPOCH :
				   TDX_OPERAND_ID_RCX);
}

/* Lock held: take all of @c's resources, or none and note the contention. */
static void take_resources(struct tdxsim_call *c)
{
	struct sim_res r[2];
	int n = resources_of(c, r);

	for (int i = 0; i < n; i++)
		for (int k = 0; k < sim.nheld; k++)
			if (sim.held[k].kind == r[i].kind && sim.held[k].a == r[i].a &&
			    sim.held[k].b == r[i].b) {
				c->contended = busy_status(r[i].kind);
				sim.contentions++;
				return;
			}
	if (sim.nheld + n > TDXSIM_MAX_HELD) {
		sim.overflow = true;
		return;
	}
	for (int i = 0; i < n; i++)
		sim.held[sim.nheld++] = r[i];
	c->nheld = n;
}

static void release_resources(struct tdxsim_call *c)
{
	struct sim_res r[2];
	int n = c->nheld ? resources_of(c, r) : 0;

	for (int i = 0; i < n; i++)
		for (int k = 0; k < sim.nheld; k++)
			if (sim.held[k].kind == r[i].kind && sim.held[k].a == r[i].a &&
			    sim.held[k].b == r[i].b) {
				sim.held[k] = sim.held[--sim.nheld];
				break;
			}
	c->nheld = 0;
}

/*
 * A call takes its resources, then the hook runs with the module's lock
 * released (so that another thread's call can meet them held), then the
 * call runs with the lock held.
 */
static void sim_enter(struct tdxsim_call *c)
{
	sim_lock();
	take_resources(c);
	sim_unlock();
	if (call_hook && c->sc < SC_NR)
		call_hook(c->sc);
	sim_lock();
	c->seq = ++sim.seq;
	sim.cur = c;
}

static void sim_leave(struct tdxsim_call *c)
{
	release_resources(c);
	if (trace_hook)
		trace_hook(c);
	sim.cur = NULL;
	sim_unlock();
}

static u64 tdr_of(const struct tdx_td *td);

/* The call record @c, with the module's lock held until @c goes. */
#define SEAMCALL(c, sc_, td_, ...)					\
	struct tdxsim_call c __attribute__((cleanup(sim_leave))) =	\
		{ .sc = (sc_), .td = tdr_of(td_), __VA_ARGS__ };	\
	sim_enter(&c)

static bool rule_matches(const struct tdxsim_fault *f,
			 const struct tdxsim_call *c)
{
	return f->sc == c->sc &&
	       (!(f->match & TDXSIM_MATCH_GPA) || f->gpa == c->gpa) &&
	       (!(f->match & TDXSIM_MATCH_LEVEL) || f->level == c->level) &&
	       (!(f->match & TDXSIM_MATCH_PFN) || f->pfn == c->pfn) &&
	       (!(f->match & TDXSIM_MATCH_TDR) || f->tdr == c->td);
}

static bool injected(enum tdx_seamcall sc, u64 *status)
{
	struct injection *in = &sim.inj[sc];

	sim.calls[sc]++;
	sim.current_call = sc;
	if (sim.cur && sim.cur->contended) {
		*status = sim.cur->contended;
		return true;
	}
	for (int i = 0; i < sim.nrules && sim.cur; i++) {
		struct rule *r = &sim.rules[i];

		if (!r->armed || !rule_matches(&r->f, sim.cur))
			continue;
		r->seen++;
		if (r->f.nth && r->seen != r->f.nth)
			continue;
		if (r->f.nth)
			r->armed = false;
		*status = r->f.status;
		sim.cur->injected = true;
		return true;
	}
	if (!in->armed)
		return false;
	in->seen++;
	if (in->nth && in->seen != in->nth)
		return false;
	if (in->nth)
		in->armed = false;
	*status = in->status;
	if (sim.cur)
		sim.cur->injected = true;
	return true;
}

static void clear_ext(u64 *e1, u64 *e2)
{
	if (e1)
		*e1 = 0;
	if (e2)
		*e2 = 0;
}

/* Sentinel for check_reach(): up to the TD's root level. */
#define ROOT_LEVEL 0

/*
 * What every S-EPT SEAMCALL checks first: the TD holds its HKID, (gpa,
 * level) is valid for the call, and the walk reaches the entry.  Returns
 * 0, or the module's status (counted as a rejection).
 */
static u64 check_reach(struct tdx_td *td, u64 gpa, int level, int min, int max)
{
	tdxmm_evidence(15);		/* an S-EPT call needs the HKID */
	if (!td_ok(td) || td->state == TDX_TD_TEARDOWN)
		return reject(TDX_LIFECYCLE_STATE_INCORRECT, "no HKID");
	if (!td->keys_configured)
		return reject(TDX_TD_KEYS_NOT_CONFIGURED, "keys not configured");
	if (!gpa_ok(td, gpa, level, min, max == ROOT_LEVEL ? td->root_level : max))
		return reject(TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX, "bad gpa/level");
	if (!walk_ok(td, gpa, level))
		return reject(TDX_EPT_WALK_FAILED, "parent not linked");
	return TDX_SUCCESS;
}

/* ---------------- TD management ---------------- */

struct tdx_td *tdxsim_td_create(u64 tdr_pfn, u64 root_pfn, int root_level)
{
	if (root_level < 3 || root_level > 5 || tdr_pfn == root_pfn ||
	    owner_of(tdr_pfn) != TDX_PAGE_KERNEL ||
	    owner_of(root_pfn) != TDX_PAGE_KERNEL ||
	    !pamt_4k_ok(tdr_pfn) || !pamt_4k_ok(root_pfn))
		return NULL;
	for (int i = 0; i < TDXSIM_MAX_TDS; i++) {
		struct tdx_td *td = &sim.tds[i];

		if (td->used)
			continue;
		*td = (struct tdx_td){ .used = true, .state = TDX_TD_CONFIGURED,
				       .root_level = root_level, .tdr_pfn = tdr_pfn,
				       .root_pfn = root_pfn, .hkid = sim.next_hkid++,
				       .keys_configured = true, .pages = 2 };
		set_owner(tdr_pfn, TDX_PAGE_CONTROL, td, 0);
		set_owner(root_pfn, TDX_PAGE_CONTROL, td, 0);
		return td;
	}
	return NULL;
}

void tdxsim_td_finalize(struct tdx_td *td)
{
	if (td_ok(td) && td->state == TDX_TD_CONFIGURED)
		td->state = TDX_TD_RUNNABLE;
}

/* After the caches are flushed the HKID is freed: only RECLAIM remains. */
void tdxsim_td_release_hkid(struct tdx_td *td)
{
	if (td_ok(td))
		td->state = TDX_TD_TEARDOWN;
}

enum tdx_td_state tdxsim_td_state(const struct tdx_td *td)
{
	return td->state;
}

u64 tdxsim_td_hkid(const struct tdx_td *td)
{
	return td->hkid;
}

static bool hkid_in_use(u64 hkid)
{
	for (int i = 0; i < TDXSIM_MAX_TDS; i++)
		if (sim.tds[i].used && sim.tds[i].state != TDX_TD_TEARDOWN &&
		    sim.tds[i].hkid == hkid)
			return true;
	return false;
}

/* TDH.MNG.CREATE: a TD with its TDR, HKID @hkid bound, keys not yet set. */
static u64 do_tdh_mng_create(u64 tdr_pfn, u64 root_pfn, int root_level, u64 hkid,
			     struct tdx_td **td)
{
	u64 st;

	*td = NULL;
	if (injected(SC_MNG_CREATE, &st))
		return st;
	if (hkid < TDX_GUEST_KEYID_START ||
	    hkid >= TDX_GUEST_KEYID_START + TDX_NR_GUEST_KEYIDS)
		return reject(TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX,
			      "MNG.CREATE: not a guest KeyID");
	if (hkid_in_use(hkid))
		return reject(TDX_HKID_NOT_FREE, "MNG.CREATE: HKID in use");
	*td = tdxsim_td_create(tdr_pfn, root_pfn, root_level);
	if (!*td)
		return reject(TDX_OPERAND_INVALID | TDX_OPERAND_ID_TDR,
			      "MNG.CREATE: TDR/root not usable");
	(*td)->hkid = hkid;
	(*td)->keys_configured = false;
	return TDX_SUCCESS;
}

/* TDH.MNG.KEY.CONFIG: program the TD's key (on every package). */
static u64 do_tdh_mng_key_config(struct tdx_td *td)
{
	u64 st;

	if (injected(SC_MNG_KEY_CONFIG, &st))
		return st;
	if (!td_ok(td) || td->state != TDX_TD_CONFIGURED)
		return reject(TDX_LIFECYCLE_STATE_INCORRECT, "KEY.CONFIG: no TD");
	if (td->keys_configured)
		return reject(TDX_KEY_STATE_INCORRECT, "KEY.CONFIG: configured");
	td->keys_configured = true;
	return TDX_SUCCESS;
}

static u64 do_tdh_mr_finalize(struct tdx_td *td)
{
	u64 st;

	if (injected(SC_MR_FINALIZE, &st))
		return st;
	if (!td_ok(td) || td->state != TDX_TD_CONFIGURED || !td->keys_configured)
		return reject(TDX_LIFECYCLE_STATE_INCORRECT, "finalize: not configured");
	td->state = TDX_TD_RUNNABLE;
	return TDX_SUCCESS;
}

/* TDH.MNG.VPFLUSHDONE: no vCPU of the TD is associated with a CPU any more. */
static u64 do_tdh_mng_vpflushdone(struct tdx_td *td)
{
	u64 st;

	if (injected(SC_MNG_VPFLUSHDONE, &st))
		return st;
	/* HKID_ASSIGNED or KEYS_CONFIGURED: a failed KEY.CONFIG unwinds too. */
	if (!td_ok(td) || td->state == TDX_TD_TEARDOWN)
		return reject(TDX_LIFECYCLE_STATE_INCORRECT, "VPFLUSHDONE: no HKID");
	td->vp_flushed = true;
	return TDX_SUCCESS;
}

/*
 * TDH.PHYMEM.CACHE.WB: write back the caches of every HKID that is ready
 * (VPFLUSHDONE done).  tdxmm has one package, so one call covers them all.
 */
static u64 do_tdh_phymem_cache_wb(bool resume)
{
	u64 st;

	if (injected(SC_PHYMEM_CACHE_WB, &st))
		return st;
	for (int i = 0; i < TDXSIM_MAX_TDS; i++)
		if (sim.tds[i].used && sim.tds[i].vp_flushed)
			sim.tds[i].cache_wb = true;
	return TDX_SUCCESS;
}

/* TDH.MNG.KEY.FREEID: the HKID goes back; only RECLAIM remains. */
static u64 do_tdh_mng_key_freeid(struct tdx_td *td)
{
	u64 st;

	if (injected(SC_MNG_KEY_FREEID, &st))
		return st;
	if (!td_ok(td) || td->state == TDX_TD_TEARDOWN)
		return reject(TDX_LIFECYCLE_STATE_INCORRECT, "freeid: no HKID");
	if (!td->vp_flushed || !td->cache_wb)
		return reject(TDX_WBCACHE_NOT_COMPLETE, "freeid: caches not written back");
	td->state = TDX_TD_TEARDOWN;
	return TDX_SUCCESS;
}

/* ---------------- SEAMCALLs ---------------- */

/* TDH.MEM.SEPT.ADD: link a new S-EPT page below the entry (gpa, level). */
static u64 do_tdh_mem_sept_add(struct tdx_td *td, u64 gpa, int level, u64 pfn,
			       u64 *ext_err1, u64 *ext_err2)
{
	struct sept_rec *e;
	u64 st;

	clear_ext(ext_err1, ext_err2);
	if (injected(SC_MEM_SEPT_ADD, &st))
		return st;
	st = check_reach(td, gpa, level, 2, ROOT_LEVEL);
	if (st)
		return st;
	if (owner_of(pfn) != TDX_PAGE_KERNEL)
		return reject(TDX_PAGE_METADATA_INCORRECT, "page not free");
	if (!pamt_4k_ok(pfn))
		return reject(TDX_PAGE_METADATA_INCORRECT, "S-EPT page: no PAMT pair");
	if (state_of(td, gpa, level) != SEPT_FREE)
		return reject(TDX_EPT_ENTRY_STATE_INCORRECT, "entry not FREE");

	e = entry(td, gpa, level, true);
	if (!e)
		return TDX_OPERAND_INVALID;
	e->state = SEPT_NL_MAPPED;
	e->pfn = pfn;
	set_owner(pfn, TDX_PAGE_SEPT, td, 0);
	td->pages++;
	return TDX_SUCCESS;
}

static u64 map_leaf(enum tdx_seamcall sc, struct tdx_td *td, u64 gpa,
		    int level, u64 pfn, u8 new_state, u64 *e1, u64 *e2)
{
	u64 n = PAGES_PER_LEVEL(level), st;
	struct sept_rec *e;

	clear_ext(e1, e2);
	if (injected(sc, &st))
		return st;
	if (!td_ok(td))
		return reject(TDX_LIFECYCLE_STATE_INCORRECT, "no TD");
	if (sc == SC_MEM_PAGE_AUG && td->state != TDX_TD_RUNNABLE)
		return reject(TDX_LIFECYCLE_STATE_INCORRECT, "TD not runnable");
	if (sc == SC_MEM_PAGE_ADD && td->state != TDX_TD_CONFIGURED)
		return reject(TDX_LIFECYCLE_STATE_INCORRECT, "TD finalized");
	if (!gpa_ok(td, gpa, level, 1, 2) || (pfn & (n - 1)))
		return reject(TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX, "bad gpa/level/pfn");
	for (u64 i = 0; i < n; i++)
		if (owner_of(pfn + i) != TDX_PAGE_KERNEL)
			return reject(TDX_PAGE_METADATA_INCORRECT, "page not free");
	/* 4K: the region's pair holds the page's entry; 2M: the static one. */
	if (level == 1 && !pamt_4k_ok(pfn))
		return reject(TDX_PAGE_METADATA_INCORRECT, "4K page: no PAMT pair");
	if (level == 2 && sim.dpamt && node_of(pfn) != PAMT_NODE_NDA)
		return reject(TDX_PAGE_METADATA_INCORRECT, "2M page: region has a pair");
	if (!walk_ok(td, gpa, level))
		return reject(TDX_EPT_WALK_FAILED, "parent not linked");
	if (state_of(td, gpa, level) != SEPT_FREE)
		return reject(TDX_EPT_ENTRY_STATE_INCORRECT, "entry not FREE");

	e = entry(td, gpa, level, true);
	if (!e)
		return TDX_OPERAND_INVALID;
	e->state = new_state;
	e->pfn = pfn;
	for (u64 i = 0; i < n; i++)
		set_owner(pfn + i, TDX_PAGE_TD_PRIVATE, td, 0);
	if (level == 2 && sim.dpamt)
		set_node(pfn, PAMT_NODE_2M);
	td->pages += n;
	return TDX_SUCCESS;
}

/* TDH.MEM.PAGE.AUG: add a page to a running TD; the guest accepts it later. */
static u64 do_tdh_mem_page_aug(struct tdx_td *td, u64 gpa, int level, u64 pfn,
			       u64 *ext_err1, u64 *ext_err2)
{
	return map_leaf(SC_MEM_PAGE_AUG, td, gpa, level, pfn, SEPT_PENDING,
			ext_err1, ext_err2);
}

/* TDH.MEM.PAGE.ADD: add initial (measured) memory before finalization. */
static u64 do_tdh_mem_page_add(struct tdx_td *td, u64 gpa, u64 pfn, u64 src_pfn,
			       u64 *ext_err1, u64 *ext_err2)
{
	return map_leaf(SC_MEM_PAGE_ADD, td, gpa, 1, pfn, SEPT_MAPPED,
			ext_err1, ext_err2);
}

/* TDH.MEM.RANGE.BLOCK: no new TLB entries for the range from now on. */
static u64 do_tdh_mem_range_block(struct tdx_td *td, u64 gpa, int level,
				  u64 *ext_err1, u64 *ext_err2)
{
	struct sept_rec *e;
	u64 st;

	clear_ext(ext_err1, ext_err2);
	if (injected(SC_MEM_RANGE_BLOCK, &st))
		return st;
	st = check_reach(td, gpa, level, 1, ROOT_LEVEL);
	if (st)
		return st;
	e = entry(td, gpa, level, false);
	if (e && is_blocked_state(e->state))
		return reject(TDX_GPA_RANGE_ALREADY_BLOCKED, "already blocked");
	if (!e || e->state == SEPT_FREE)
		return reject(TDX_EPT_ENTRY_STATE_INCORRECT, "entry FREE");

	e->state = e->state == SEPT_MAPPED ? SEPT_BLOCKED :
		   e->state == SEPT_PENDING ? SEPT_PENDING_BLOCKED : SEPT_NL_BLOCKED;
	e->block_epoch = td->epoch;
	return TDX_SUCCESS;
}

/* TDH.MEM.TRACK: advance the TD's TLB epoch. */
static u64 do_tdh_mem_track(struct tdx_td *td)
{
	u64 st;

	if (injected(SC_MEM_TRACK, &st))
		return st;
	if (!td_ok(td) || td->state == TDX_TD_TEARDOWN)
		return reject(TDX_LIFECYCLE_STATE_INCORRECT, "no HKID");
	td->epoch++;
	return TDX_SUCCESS;
}

/* Blocked, and (in a running TD) a TRACK since the BLOCK. */
static u64 check_blocked_tracked(struct tdx_td *td, struct sept_rec *e)
{
	tdxmm_evidence(16);
	if (!is_blocked_state(e->state) && td->state == TDX_TD_RUNNABLE)
		return reject(TDX_GPA_RANGE_NOT_BLOCKED, "not blocked");
	if (td->state == TDX_TD_RUNNABLE && e->block_epoch >= td->epoch)
		return reject(TDX_TLB_TRACKING_NOT_DONE, "not tracked since BLOCK");
	return TDX_SUCCESS;
}

/* TDH.MEM.PAGE.REMOVE: unmap a leaf; its pages go back (cache still dirty). */
static u64 do_tdh_mem_page_remove(struct tdx_td *td, u64 gpa, int level,
				  u64 *ext_err1, u64 *ext_err2)
{
	struct sept_rec *e;
	u64 st, n = PAGES_PER_LEVEL(level);

	clear_ext(ext_err1, ext_err2);
	if (injected(SC_MEM_PAGE_REMOVE, &st))
		return st;
	st = check_reach(td, gpa, level, 1, 2);
	if (st)
		return st;
	e = entry(td, gpa, level, false);
	if (!e || e->state == SEPT_FREE)
		return reject(TDX_EPT_ENTRY_STATE_INCORRECT, "entry FREE");
	if (!is_leaf_state(e->state))
		return reject(TDX_EPT_ENTRY_NOT_LEAF, "not a leaf");
	st = check_blocked_tracked(td, e);
	if (st)
		return st;

	for (u64 i = 0; i < n; i++)
		give_back(e->pfn + i, td->hkid, n > 1);
	if (level == 2 && node_of(e->pfn) == PAMT_NODE_2M)
		set_node(e->pfn, PAMT_NODE_NDA);
	td->pages -= n;
	e->state = SEPT_FREE;
	return TDX_SUCCESS;
}

/* TDH.MEM.SEPT.REMOVE: unlink an S-EPT page whose 512 entries are FREE. */
static u64 do_tdh_mem_sept_remove(struct tdx_td *td, u64 gpa, int level,
				  u64 *ext_err1, u64 *ext_err2)
{
	struct sept_rec *e;
	u64 st;

	clear_ext(ext_err1, ext_err2);
	if (injected(SC_MEM_SEPT_REMOVE, &st))
		return st;
	st = check_reach(td, gpa, level, 2, ROOT_LEVEL);
	if (st)
		return st;
	e = entry(td, gpa, level, false);
	if (!e || (e->state != SEPT_NL_MAPPED && e->state != SEPT_NL_BLOCKED))
		return reject(TDX_EPT_ENTRY_STATE_INCORRECT, "not a table");
	st = check_blocked_tracked(td, e);
	if (st)
		return st;
	for (unsigned int k = 0; k < ntaken[1]; k++) {
		struct sept_rec *c = &sim.sept[taken[1][k]];

		if (c->used && c->td == td && c->level == level - 1 &&
		    align_down(c->gpa, level) == gpa && c->state != SEPT_FREE)
			return reject(TDX_EPT_PAGE_NOT_FREE, "children not FREE");
	}

	give_back(e->pfn, td->hkid, false);
	td->pages--;
	e->state = SEPT_FREE;
	return TDX_SUCCESS;
}

/* An S-EPT page (pfn) whose table still links a child S-EPT page we own. */
static bool sept_child_page_live(struct tdx_td *td, u64 pfn)
{
	for (unsigned int i = 0; i < ntaken[1]; i++) {
		struct sept_rec *e = &sim.sept[taken[1][i]], *c;

		if (!e->used || e->td != td || e->pfn != pfn ||
		    (e->state != SEPT_NL_MAPPED && e->state != SEPT_NL_BLOCKED))
			continue;
		for (unsigned int j = 0; j < ntaken[1]; j++) {
			c = &sim.sept[taken[1][j]];
			if (c->used && c->td == td && c->level == e->level - 1 &&
			    align_down(c->gpa, e->level) == e->gpa &&
			    (c->state == SEPT_NL_MAPPED || c->state == SEPT_NL_BLOCKED) &&
			    owner_of(c->pfn) == TDX_PAGE_SEPT &&
			    !page(c->pfn, false)->reclaim_tried)
				return true;
		}
	}
	return false;
}

/* TDH.PHYMEM.PAGE.RECLAIM: after HKID release, take a TD's page back. */
static u64 do_tdh_phymem_page_reclaim(u64 pfn, u64 *tdx_pt, u64 *tdx_owner,
				      u64 *tdx_size)
{
	struct page_rec *p = page(pfn, false);
	struct tdx_td *td;
	u64 st;

	clear_ext(tdx_pt, tdx_owner);
	if (tdx_size)
		*tdx_size = 0;
	/* A failed child reclaim leaks the child; the parent may follow. */
	if (p)
		p->reclaim_tried = true;
	if (injected(SC_PHYMEM_PAGE_RECLAIM, &st))
		return st;
	if (!p || p->owner == TDX_PAGE_KERNEL || p->owner == TDX_PAGE_PAMT_PAIR)
		return reject(TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX,
			      "RECLAIM: page is not a TD's");
	td = p->td;
	tdxmm_evidence(15);		/* reclaim needs the HKID released */
	if (td->state != TDX_TD_TEARDOWN)
		return reject(TDX_LIFECYCLE_STATE_INCORRECT, "HKID still assigned");
	if (pfn == td->tdr_pfn && td->pages > 1)
		return reject(TDX_TD_ASSOCIATED_PAGES_EXIST, "TDR before its pages");

	if (p->owner == TDX_PAGE_SEPT && sept_child_page_live(td, pfn))
		sim.order_violations++;
	if (tdx_pt)
		*tdx_pt = p->owner;
	/* Caches were flushed at HKID release; the TDR still needs WBINVD. */
	give_back(pfn, pfn == td->tdr_pfn ? TDX_GLOBAL_KEYID : 0, false);
	td->pages--;
	if (!td->pages) {
		/* The TD is gone: orphan its entries so a new TD never sees them. */
		for (unsigned int k = 0; k < ntaken[1]; k++)
			if (sim.sept[taken[1][k]].td == td)
				sim.sept[taken[1][k]].td = NULL;
		td->used = false;
	}
	return TDX_SUCCESS;
}

/* TDH.PHYMEM.PAGE.WBINVD: write back and drop the page's cache lines. */
static u64 do_tdh_phymem_page_wbinvd_hkid(u64 hkid, u64 pfn)
{
	struct page_rec *p = page(pfn, false);
	u64 st;

	if (injected(SC_PHYMEM_PAGE_WBINVD, &st))
		return st;
	if (p && p->owner != TDX_PAGE_KERNEL)
		return reject(TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX,
			      "WBINVD: page still owned by the module");
	/* Lines of another KeyID stay dirty: the kernel would reuse them. */
	if (p && p->dirty && (u64)p->keyid != hkid)
		return reject(TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX,
			      "WBINVD: not the KeyID of the page's cache lines");
	if (p)
		p->dirty = false;
	return TDX_SUCCESS;
}

/* The kernel's wrapper: the TDR's lines are under the global KeyID. */
u64 tdh_phymem_page_wbinvd_tdr(struct tdx_td *td)
{
	return tdh_phymem_page_wbinvd_hkid(TDX_GLOBAL_KEYID, td->tdr_pfn);
}

/* The kernel's tdx_quirk_reset_page(): only a written-back page. */
void tdx_quirk_reset_page(u64 pfn)
{
	SEAMCALL(c, TDXSIM_QUIRK_RESET, NULL, .pfn = pfn);
	struct page_rec *p = page(pfn, false);

	if (!p)
		return;
	if (p->owner != TDX_PAGE_KERNEL || p->dirty) {
		c.status = reject(TDX_OPERAND_INVALID,
				  "quirk reset of a page not written back");
		return;
	}
	p->needs_reset = false;
}

/* TDH.MEM.PAGE.DEMOTE: split a blocked 2M leaf into 512 4K leaves. */
static u64 do_tdh_mem_page_demote(struct tdx_td *td, u64 gpa, int level,
				  u64 new_sept_pfn, const u64 *pamt_pa, u64 *ext_err1,
				  u64 *ext_err2)
{
	struct sept_rec *e;
	u8 child;
	u64 st;

	clear_ext(ext_err1, ext_err2);
	if (injected(SC_MEM_PAGE_DEMOTE, &st))
		return st;
	st = check_reach(td, gpa, level, 2, 2);
	if (st)
		return st;
	if (owner_of(new_sept_pfn) != TDX_PAGE_KERNEL)
		return reject(TDX_PAGE_METADATA_INCORRECT, "S-EPT page not free");
	if (!pamt_4k_ok(new_sept_pfn))
		return reject(TDX_PAGE_METADATA_INCORRECT, "S-EPT page: no PAMT pair");
	e = entry(td, gpa, level, false);
	if (!e || !is_leaf_state(e->state))
		return reject(TDX_EPT_ENTRY_STATE_INCORRECT, "not a huge leaf");
	if (!is_blocked_state(e->state))
		return reject(TDX_GPA_RANGE_NOT_BLOCKED, "not blocked");
	st = check_blocked_tracked(td, e);
	if (st)
		return st;
	/* The region's 4K entries go into the pair DEMOTE is given. */
	if (sim.dpamt) {
		if (!pamt_pa)
			return reject(TDX_OPERAND_INVALID, "DEMOTE: no PAMT pair");
		if (node_of(e->pfn) != PAMT_NODE_2M)
			return reject(TDX_HPA_RANGE_NOT_FREE, "DEMOTE: region has a pair");
		st = check_pair(pamt_pa);
		if (st)
			return st;
		install_pair(e->pfn, pamt_pa);
	}

	child = e->state == SEPT_PENDING_BLOCKED ? SEPT_PENDING : SEPT_MAPPED;
	for (u64 i = 0; i < 512; i++) {
		struct sept_rec *c = entry(td, gpa + i * 4096, 1, true);

		if (!c)
			return TDX_OPERAND_INVALID;
		c->state = child;
		c->pfn = e->pfn + i;
	}
	e->state = SEPT_NL_MAPPED;
	e->pfn = new_sept_pfn;
	set_owner(new_sept_pfn, TDX_PAGE_SEPT, td, 0);
	td->pages++;
	return TDX_SUCCESS;
}

/* ---------------- Dynamic PAMT ---------------- */

void tdxsim_set_dpamt(bool on)
{
	sim.dpamt = on;
}

enum tdx_pamt_node tdxsim_pamt_node(u64 pfn)
{
	return node_of(pfn);
}

/* Pair pages must be the kernel's, distinct, and not themselves in use. */
static u64 check_pair(const u64 *pa)
{
	for (int i = 0; i < TDX_DPAMT_ENTRY_PAGE_CNT; i++) {
		if (owner_of(pa[i]) != TDX_PAGE_KERNEL ||
		    (i && pa[i] == pa[0]))
			return reject(TDX_PAGE_NOT_FREE, "pair page not free");
	}
	return TDX_SUCCESS;
}

static void install_pair(u64 pfn, const u64 *pa)
{
	struct region_rec *r = region(pfn, true);

	if (!r)
		return;
	r->node = PAMT_NODE_PAMT;
	for (int i = 0; i < TDX_DPAMT_ENTRY_PAGE_CNT; i++) {
		r->pair[i] = pa[i];
		set_owner(pa[i], TDX_PAGE_PAMT_PAIR, NULL, 0);
	}
}

/* TDH.PHYMEM.PAMT.ADD: give @pfn's 2M region its 4K PAMT entries. */
static u64 do_tdh_phymem_pamt_add(u64 pfn, const u64 *pa)
{
	u64 st;

	if (injected(SC_PHYMEM_PAMT_ADD, &st))
		return st;
	if (!sim.dpamt)
		return reject(TDX_OPERAND_INVALID, "PAMT.ADD: no Dynamic PAMT");
	if (node_of(pfn) != PAMT_NODE_NDA)
		return reject(TDX_HPA_RANGE_NOT_FREE | TDX_OPERAND_ID_RCX,
			      "PAMT.ADD: region not NDA");
	st = check_pair(pa);
	if (st)
		return st;
	install_pair(pfn, pa);
	return TDX_SUCCESS;
}

/* TDH.PHYMEM.PAMT.REMOVE: take the pair back once no 4K page is in use. */
static u64 do_tdh_phymem_pamt_remove(u64 pfn, u64 *pa)
{
	struct region_rec *r = region(pfn, false);
	u64 base = pfn & ~511ULL, st;

	if (injected(SC_PHYMEM_PAMT_REMOVE, &st))
		return st;
	if (!r || r->node != PAMT_NODE_PAMT)
		return reject(TDX_NO_PAMT_PAGE_PAIR, "PAMT.REMOVE: no pair");
	for (u64 i = 0; i < 512; i++) {
		enum tdx_page_owner o = owner_of(base + i);

		if (o != TDX_PAGE_KERNEL && o != TDX_PAGE_PAMT_PAIR)
			return reject(TDX_PAMT_PAGE_NOT_EMPTY,
				      "PAMT.REMOVE: a 4K page is in use");
	}
	r->node = PAMT_NODE_NDA;
	for (int i = 0; i < TDX_DPAMT_ENTRY_PAGE_CNT; i++) {
		pa[i] = r->pair[i];
		set_owner(r->pair[i], TDX_PAGE_KERNEL, NULL, 0);
	}
	return TDX_SUCCESS;
}

/* ---------------- the SEAMCALLs as callers see them ---------------- */

static u64 tdr_of(const struct tdx_td *td)
{
	return td_ok(td) ? td->tdr_pfn : 0;
}

static u64 ext(struct tdxsim_call *c, u64 *e1, u64 *e2)
{
	c->out[0] = e1 ? *e1 : 0;
	c->out[1] = e2 ? *e2 : 0;
	return c->status;
}

u64 tdh_mng_create(u64 tdr_pfn, u64 root_pfn, int root_level, u64 hkid,
		   struct tdx_td **td)
{
	SEAMCALL(c, SC_MNG_CREATE, NULL, .pfn = tdr_pfn, .level = root_level,
		 .arg = { root_pfn, hkid });

	c.status = do_tdh_mng_create(tdr_pfn, root_pfn, root_level, hkid, td);
	c.td = c.status ? 0 : tdr_pfn;
	return c.status;
}

u64 tdh_mng_key_config(struct tdx_td *td)
{
	SEAMCALL(c, SC_MNG_KEY_CONFIG, td);

	return c.status = do_tdh_mng_key_config(td);
}

u64 tdh_mr_finalize(struct tdx_td *td)
{
	SEAMCALL(c, SC_MR_FINALIZE, td);

	return c.status = do_tdh_mr_finalize(td);
}

u64 tdh_mng_vpflushdone(struct tdx_td *td)
{
	SEAMCALL(c, SC_MNG_VPFLUSHDONE, td);

	return c.status = do_tdh_mng_vpflushdone(td);
}

u64 tdh_phymem_cache_wb(bool resume)
{
	SEAMCALL(c, SC_PHYMEM_CACHE_WB, NULL, .arg = { resume });

	return c.status = do_tdh_phymem_cache_wb(resume);
}

u64 tdh_mng_key_freeid(struct tdx_td *td)
{
	SEAMCALL(c, SC_MNG_KEY_FREEID, td);

	return c.status = do_tdh_mng_key_freeid(td);
}

u64 tdh_mem_sept_add(struct tdx_td *td, u64 gpa, int level, u64 pfn,
		     u64 *ext_err1, u64 *ext_err2)
{
	SEAMCALL(c, SC_MEM_SEPT_ADD, td, .gpa = gpa, .level = level, .pfn = pfn);

	c.status = do_tdh_mem_sept_add(td, gpa, level, pfn, ext_err1, ext_err2);
	return ext(&c, ext_err1, ext_err2);
}

u64 tdh_mem_page_aug(struct tdx_td *td, u64 gpa, int level, u64 pfn,
		     u64 *ext_err1, u64 *ext_err2)
{
	SEAMCALL(c, SC_MEM_PAGE_AUG, td, .gpa = gpa, .level = level, .pfn = pfn);

	c.status = do_tdh_mem_page_aug(td, gpa, level, pfn, ext_err1, ext_err2);
	return ext(&c, ext_err1, ext_err2);
}

u64 tdh_mem_page_add(struct tdx_td *td, u64 gpa, u64 pfn, u64 src_pfn,
		     u64 *ext_err1, u64 *ext_err2)
{
	SEAMCALL(c, SC_MEM_PAGE_ADD, td, .gpa = gpa, .level = 1, .pfn = pfn,
		 .arg = { src_pfn });

	c.status = do_tdh_mem_page_add(td, gpa, pfn, src_pfn, ext_err1, ext_err2);
	return ext(&c, ext_err1, ext_err2);
}

u64 tdh_mem_range_block(struct tdx_td *td, u64 gpa, int level,
			u64 *ext_err1, u64 *ext_err2)
{
	SEAMCALL(c, SC_MEM_RANGE_BLOCK, td, .gpa = gpa, .level = level);

	c.status = do_tdh_mem_range_block(td, gpa, level, ext_err1, ext_err2);
	return ext(&c, ext_err1, ext_err2);
}

u64 tdh_mem_track(struct tdx_td *td)
{
	SEAMCALL(c, SC_MEM_TRACK, td);

	return c.status = do_tdh_mem_track(td);
}

u64 tdh_mem_page_remove(struct tdx_td *td, u64 gpa, int level,
			u64 *ext_err1, u64 *ext_err2)
{
	SEAMCALL(c, SC_MEM_PAGE_REMOVE, td, .gpa = gpa, .level = level);

	c.status = do_tdh_mem_page_remove(td, gpa, level, ext_err1, ext_err2);
	return ext(&c, ext_err1, ext_err2);
}

u64 tdh_mem_sept_remove(struct tdx_td *td, u64 gpa, int level,
			u64 *ext_err1, u64 *ext_err2)
{
	SEAMCALL(c, SC_MEM_SEPT_REMOVE, td, .gpa = gpa, .level = level);

	c.status = do_tdh_mem_sept_remove(td, gpa, level, ext_err1, ext_err2);
	return ext(&c, ext_err1, ext_err2);
}

u64 tdh_phymem_page_reclaim(u64 pfn, u64 *tdx_pt, u64 *tdx_owner,
			    u64 *tdx_size)
{
	SEAMCALL(c, SC_PHYMEM_PAGE_RECLAIM, NULL, .pfn = pfn);

	c.status = do_tdh_phymem_page_reclaim(pfn, tdx_pt, tdx_owner, tdx_size);
	c.out[0] = tdx_pt ? *tdx_pt : 0;
	c.out[1] = tdx_owner ? *tdx_owner : 0;
	c.out[2] = tdx_size ? *tdx_size : 0;
	return c.status;
}

u64 tdh_phymem_page_wbinvd_hkid(u64 hkid, u64 pfn)
{
	SEAMCALL(c, SC_PHYMEM_PAGE_WBINVD, NULL, .pfn = pfn, .arg = { hkid });

	return c.status = do_tdh_phymem_page_wbinvd_hkid(hkid, pfn);
}

u64 tdh_mem_page_demote(struct tdx_td *td, u64 gpa, int level,
			u64 new_sept_pfn, const u64 *pamt_pa, u64 *ext_err1,
			u64 *ext_err2)
{
	SEAMCALL(c, SC_MEM_PAGE_DEMOTE, td, .gpa = gpa, .level = level,
		 .pfn = new_sept_pfn,
		 .arg = { pamt_pa ? pamt_pa[0] : 0, pamt_pa ? pamt_pa[1] : 0 });

	c.status = do_tdh_mem_page_demote(td, gpa, level, new_sept_pfn, pamt_pa,
					  ext_err1, ext_err2);
	return ext(&c, ext_err1, ext_err2);
}

u64 tdh_phymem_pamt_add(u64 pfn, const u64 *pa)
{
	SEAMCALL(c, SC_PHYMEM_PAMT_ADD, NULL, .pfn = pfn,
		 .arg = { pa[0], pa[1] });

	return c.status = do_tdh_phymem_pamt_add(pfn, pa);
}

u64 tdh_phymem_pamt_remove(u64 pfn, u64 *pa)
{
	SEAMCALL(c, SC_PHYMEM_PAMT_REMOVE, NULL, .pfn = pfn);

	c.status = do_tdh_phymem_pamt_remove(pfn, pa);
	if (!c.status) {
		c.out[0] = pa[0];
		c.out[1] = pa[1];
	}
	return c.status;
}

/* ---------------- fault injection ---------------- */

#define BUSY(op) (TDX_OPERAND_BUSY | TDX_OPERAND_ID_##op)
static const u64 st_sept_add[] = { BUSY(RCX), BUSY(SEPT), TDX_EPT_WALK_FAILED,
	TDX_EPT_ENTRY_STATE_INCORRECT, TDX_PAGE_METADATA_INCORRECT,
	TDX_OPERAND_INVALID, TDX_LIFECYCLE_STATE_INCORRECT };
static const u64 st_map[] = { BUSY(RCX), BUSY(SEPT), TDX_EPT_WALK_FAILED,
	TDX_EPT_ENTRY_STATE_INCORRECT, TDX_PAGE_METADATA_INCORRECT,
	TDX_OPERAND_INVALID, TDX_LIFECYCLE_STATE_INCORRECT };
static const u64 st_block[] = { BUSY(SEPT), TDX_EPT_WALK_FAILED,
	TDX_EPT_ENTRY_STATE_INCORRECT, TDX_GPA_RANGE_ALREADY_BLOCKED,
	TDX_OPERAND_INVALID, TDX_LIFECYCLE_STATE_INCORRECT };
static const u64 st_track[] = { BUSY(TD_EPOCH), TDX_PREVIOUS_TLB_EPOCH_BUSY,
	TDX_LIFECYCLE_STATE_INCORRECT };
static const u64 st_remove[] = { BUSY(SEPT), BUSY(RCX), TDX_EPT_WALK_FAILED,
	TDX_EPT_ENTRY_STATE_INCORRECT, TDX_EPT_ENTRY_NOT_LEAF,
	TDX_GPA_RANGE_NOT_BLOCKED, TDX_TLB_TRACKING_NOT_DONE,
	TDX_OPERAND_INVALID, TDX_LIFECYCLE_STATE_INCORRECT };
static const u64 st_sept_remove[] = { BUSY(SEPT), TDX_EPT_WALK_FAILED,
	TDX_EPT_ENTRY_STATE_INCORRECT, TDX_EPT_PAGE_NOT_FREE,
	TDX_GPA_RANGE_NOT_BLOCKED, TDX_TLB_TRACKING_NOT_DONE,
	TDX_OPERAND_INVALID, TDX_LIFECYCLE_STATE_INCORRECT };
static const u64 st_reclaim[] = { BUSY(RCX), TDX_PAGE_METADATA_INCORRECT,
	TDX_LIFECYCLE_STATE_INCORRECT, TDX_TD_ASSOCIATED_PAGES_EXIST };
static const u64 st_wbinvd[] = { BUSY(RCX), TDX_PAGE_METADATA_INCORRECT,
	TDX_KEY_STATE_INCORRECT };
static const u64 st_demote[] = { BUSY(SEPT), BUSY(RCX), TDX_EPT_WALK_FAILED,
	TDX_EPT_ENTRY_STATE_INCORRECT, TDX_GPA_RANGE_NOT_BLOCKED,
	TDX_TLB_TRACKING_NOT_DONE, TDX_PAGE_METADATA_INCORRECT,
	TDX_OPERAND_INVALID, TDX_LIFECYCLE_STATE_INCORRECT };
static const u64 st_pamt_add[] = { BUSY(RCX), TDX_HPA_RANGE_NOT_FREE,
	TDX_PAGE_NOT_FREE, TDX_OPERAND_INVALID };
static const u64 st_pamt_remove[] = { BUSY(RCX), TDX_NO_PAMT_PAGE_PAIR,
	TDX_PAMT_PAGE_NOT_EMPTY, TDX_OPERAND_INVALID };
static const u64 st_mng_create[] = { BUSY(RCX), TDX_RND_NO_ENTROPY,
	TDX_HKID_NOT_FREE, TDX_OPERAND_INVALID };
/* TDX_RND_NO_ENTROPY: retried inside the kernel's wrapper (sc_retry). */
static const u64 st_key_config[] = { BUSY(RCX), TDX_KEY_GENERATION_FAILED };
static const u64 st_finalize[] = { BUSY(RCX), TDX_LIFECYCLE_STATE_INCORRECT };
static const u64 st_vpflushdone[] = { BUSY(RCX), TDX_FLUSHVP_NOT_DONE,
	TDX_LIFECYCLE_STATE_INCORRECT };
static const u64 st_cache_wb[] = { BUSY(RCX), TDX_INTERRUPTED_RESUMABLE };
static const u64 st_freeid[] = { BUSY(RCX), TDX_WBCACHE_NOT_COMPLETE,
	TDX_LIFECYCLE_STATE_INCORRECT };

#define TABLE(t) { t, (int)(sizeof(t) / sizeof((t)[0])) }
static const struct { const u64 *st; int nr; } statuses[SC_NR] = {
	[SC_MEM_SEPT_ADD] = TABLE(st_sept_add),
	[SC_MEM_PAGE_AUG] = TABLE(st_map),
	[SC_MEM_PAGE_ADD] = TABLE(st_map),
	[SC_MEM_RANGE_BLOCK] = TABLE(st_block),
	[SC_MEM_TRACK] = TABLE(st_track),
	[SC_MEM_PAGE_REMOVE] = TABLE(st_remove),
	[SC_MEM_SEPT_REMOVE] = TABLE(st_sept_remove),
	[SC_PHYMEM_PAGE_RECLAIM] = TABLE(st_reclaim),
	[SC_PHYMEM_PAGE_WBINVD] = TABLE(st_wbinvd),
	[SC_MEM_PAGE_DEMOTE] = TABLE(st_demote),
	[SC_PHYMEM_PAMT_ADD] = TABLE(st_pamt_add),
	[SC_PHYMEM_PAMT_REMOVE] = TABLE(st_pamt_remove),
	[SC_MNG_CREATE] = TABLE(st_mng_create),
	[SC_MNG_KEY_CONFIG] = TABLE(st_key_config),
	[SC_MR_FINALIZE] = TABLE(st_finalize),
	[SC_MNG_VPFLUSHDONE] = TABLE(st_vpflushdone),
	[SC_PHYMEM_CACHE_WB] = TABLE(st_cache_wb),
	[SC_MNG_KEY_FREEID] = TABLE(st_freeid),
};

const u64 *tdxsim_statuses(enum tdx_seamcall sc, int *nr)
{
	*nr = sc < SC_NR ? statuses[sc].nr : 0;
	return sc < SC_NR ? statuses[sc].st : NULL;
}

bool tdxsim_can_return(enum tdx_seamcall sc, u64 status)
{
	int nr;
	const u64 *st = tdxsim_statuses(sc, &nr);

	for (int i = 0; i < nr; i++)
		if (st[i] == status)
			return true;
	return false;
}

int tdxsim_inject(enum tdx_seamcall sc, unsigned int nth, u64 status)
{
	if (sc >= SC_NR || !tdxsim_can_return(sc, status))
		return -1;
	sim.inj[sc] = (struct injection){ .armed = true, .nth = nth,
					  .status = status };
	return 0;
}

void tdxsim_inject_clear(void)
{
	for (int i = 0; i < SC_NR; i++)
		sim.inj[i].armed = false;
	sim.nrules = 0;
}
int tdxsim_inject_at(const struct tdxsim_fault *f)
{
	if (f->sc >= SC_NR || !tdxsim_can_return(f->sc, f->status) ||
	    sim.nrules == TDXSIM_MAX_RULES)
		return -1;
	sim.rules[sim.nrules++] = (struct rule){ .f = *f, .armed = true };
	return 0;
}


/* ---------------- observers ---------------- */

unsigned long tdxsim_calls(enum tdx_seamcall sc)
{
	return sc < SC_NR ? sim.calls[sc] : 0;
}

unsigned long tdxsim_order_violations(void)
{
	return sim.order_violations;
}

unsigned long tdxsim_rejections(void)
{
	return sim.rejections;
}

const char *tdxsim_last_rejection(enum tdx_seamcall *sc)
{
	if (sc)
		*sc = sim.rejected_call;
	return sim.last_rejection ? sim.last_rejection : "none";
}

enum tdx_sept_state tdxsim_sept_entry(const struct tdx_td *td, u64 gpa,
				      int level, u64 *pfn)
{
	struct sept_rec *e = entry((struct tdx_td *)td, gpa, level, false);

	if (pfn)
		*pfn = e && e->state != SEPT_FREE ? e->pfn : 0;
	return e ? e->state : SEPT_FREE;
}

bool tdxsim_next_entry(const struct tdx_td *td, unsigned int *cursor,
		       u64 *gpa, int *level, enum tdx_sept_state *state,
		       u64 *pfn)
{
	/* over the slots taken since the reset, not the whole table */
	for (; *cursor < ntaken[1]; (*cursor)++) {
		struct sept_rec *e = &sim.sept[taken[1][*cursor]];

		if (!e->used || e->td != td || e->state == SEPT_FREE)
			continue;
		*gpa = e->gpa;
		*level = e->level;
		*state = e->state;
		*pfn = e->pfn;
		(*cursor)++;
		return true;
	}
	return false;
}

enum tdx_page_owner tdxsim_page_owner(u64 pfn, const struct tdx_td **td)
{
	struct page_rec *p = page(pfn, false);

	if (td)
		*td = p ? p->td : NULL;
	return p ? p->owner : TDX_PAGE_KERNEL;
}

void tdxsim_page_infos(u64 first, unsigned long n, u8 *owner,
		       bool *needs_wbinvd)
{
	for (unsigned long i = 0; i < n; i++) {
		owner[i] = TDX_PAGE_KERNEL;
		needs_wbinvd[i] = false;
	}
	for (unsigned int k = 0; k < ntaken[0]; k++) {
		const struct page_rec *p = &sim.pages[taken[0][k]];

		if (p->pfn >= first && p->pfn - first < n) {
			owner[p->pfn - first] = p->owner;
			needs_wbinvd[p->pfn - first] = p->dirty ||
							p->needs_reset;
		}
	}
}

bool tdxsim_page_needs_wbinvd(u64 pfn)
{
	struct page_rec *p = page(pfn, false);

	return p && p->dirty;
}

bool tdxsim_page_unclean(u64 pfn)
{
	struct page_rec *p = page(pfn, false);

	return p && (p->dirty || p->needs_reset);
}

bool tdxsim_page_unclean_from_huge(u64 pfn)
{
	struct page_rec *p = page(pfn, false);

	return p && (p->dirty || p->needs_reset) && p->from_huge;
}

unsigned long tdxsim_pages_held(void)
{
	unsigned long n = 0;

	for (unsigned int k = 0; k < ntaken[0]; k++)
		n += sim.pages[taken[0][k]].owner != TDX_PAGE_KERNEL ||
		     sim.pages[taken[0][k]].dirty ||
		     sim.pages[taken[0][k]].needs_reset;
	return n;
}

unsigned long tdxsim_pamt_pair_pages(void)
{
	unsigned long n = 0;

	for (unsigned int k = 0; k < ntaken[0]; k++)
		n += sim.pages[taken[0][k]].owner == TDX_PAGE_PAMT_PAIR;
	return n;
}

unsigned long tdxsim_td_pages(const struct tdx_td *td)
{
	return td->pages;
}

bool tdxsim_overflowed(void)
{
	return sim.overflow;
}

/* ---------------- whole-state save and load ---------------- */

struct sim_image {
	typeof(sim) sim;
	unsigned short taken[3][TDXSIM_SLOTS];
	unsigned int ntaken[3];
	bool quirk;
};

unsigned long tdxsim_state_size(void)
{
	return sizeof(struct sim_image);
}

void tdxsim_state_save(void *buf)
{
	struct sim_image *img = buf;

	__builtin_memcpy(&img->sim, &sim, sizeof(sim));
	__builtin_memcpy(img->taken, taken, sizeof(taken));
	__builtin_memcpy(img->ntaken, ntaken, sizeof(ntaken));
	img->quirk = quirk_pw_mce;
}

void tdxsim_state_load(const void *buf)
{
	const struct sim_image *img = buf;

	__builtin_memcpy(&sim, &img->sim, sizeof(sim));
	__builtin_memcpy(taken, img->taken, sizeof(taken));
	__builtin_memcpy(ntaken, img->ntaken, sizeof(ntaken));
	quirk_pw_mce = img->quirk;
}

struct tdx_td *tdxsim_td_by_tdr(u64 tdr_pfn)
{
	for (int i = 0; i < TDXSIM_MAX_TDS; i++)
		if (sim.tds[i].used && sim.tds[i].tdr_pfn == tdr_pfn)
			return &sim.tds[i];
	return NULL;
}

u64 tdxsim_td_tdr(const struct tdx_td *td)
{
	return tdr_of(td);
}

static const char *const call_names[SC_NR + 2] = {
	[SC_MEM_SEPT_ADD] = "TDH.MEM.SEPT.ADD",
	[SC_MEM_PAGE_AUG] = "TDH.MEM.PAGE.AUG",
	[SC_MEM_PAGE_ADD] = "TDH.MEM.PAGE.ADD",
	[SC_MEM_RANGE_BLOCK] = "TDH.MEM.RANGE.BLOCK",
	[SC_MEM_TRACK] = "TDH.MEM.TRACK",
	[SC_MEM_PAGE_REMOVE] = "TDH.MEM.PAGE.REMOVE",
	[SC_MEM_SEPT_REMOVE] = "TDH.MEM.SEPT.REMOVE",
	[SC_PHYMEM_PAGE_RECLAIM] = "TDH.PHYMEM.PAGE.RECLAIM",
	[SC_PHYMEM_PAGE_WBINVD] = "TDH.PHYMEM.PAGE.WBINVD",
	[SC_MEM_PAGE_DEMOTE] = "TDH.MEM.PAGE.DEMOTE",
	[SC_PHYMEM_PAMT_ADD] = "TDH.PHYMEM.PAMT.ADD",
	[SC_PHYMEM_PAMT_REMOVE] = "TDH.PHYMEM.PAMT.REMOVE",
	[SC_MNG_CREATE] = "TDH.MNG.CREATE",
	[SC_MNG_KEY_CONFIG] = "TDH.MNG.KEY.CONFIG",
	[SC_MR_FINALIZE] = "TDH.MR.FINALIZE",
	[SC_MNG_VPFLUSHDONE] = "TDH.MNG.VPFLUSHDONE",
	[SC_PHYMEM_CACHE_WB] = "TDH.PHYMEM.CACHE.WB",
	[SC_MNG_KEY_FREEID] = "TDH.MNG.KEY.FREEID",
	[TDXSIM_QUIRK_RESET] = "QUIRK.RESET",
	[TDXSIM_MODULE_RESET] = "MODULE.RESET",
};

const char *tdxsim_call_name(unsigned int sc)
{
	return sc <= SC_NR + 1 ? call_names[sc] : "?";
}

int tdxsim_call_by_name(const char *name)
{
	for (int i = 0; i <= SC_NR + 1; i++) {
		const char *a = call_names[i], *b = name;

		while (*a && *a == *b)
			a++, b++;
		if (!*a && !*b)
			return i;
	}
	return -1;
}

unsigned long tdxsim_contentions(void)
{
	return sim.contentions;
}
