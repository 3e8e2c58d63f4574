// SPDX-License-Identifier: GPL-2.0
/*
 * The API's executable specification (model/td_model.h).  Each rule cites
 * the SPEC.md section it encodes; where SPEC leaves a choice (a result of
 * one of several kinds), the model allows the set, not impl/'s pick.
 */
#include "td_model.h"
#include "kvm.h"

#define PAGES(level)	(1ULL << (9 * ((level) - 1)))
/* every 4K gfn of every block: the most leaves the universe can hold */
#define TDM_MAX_LEAVES	(TDM_BLOCKS * 512)

static bool busy(u64 status)
{
	return (status & TDX_STATUS_MASK) == TDX_OPERAND_BUSY;
}

/* A fault on a removal step that tdh_do_no_vcpus() absorbs (B9.5). */
static bool recovers(const struct tdm_fault *f)
{
	return busy(f->status) && !f->always &&
	       (f->sc == SC_MEM_RANGE_BLOCK || f->sc == SC_MEM_TRACK ||
		f->sc == SC_MEM_PAGE_REMOVE || f->sc == SC_MEM_PAGE_DEMOTE);
}

static void expect(struct tdm_expect *e, int r)
{
	if (e->nr < 4)
		e->ret[e->nr++] = r;
}

static void bug(struct td_model *m, struct tdm_expect *e)
{
	/* KVM_BUG_ON: WARN once, mark the VM dead (SPEC B) */
	m->bugged = e->bugged = e->warn_ok = true;
	e->nr = 0;
	expect(e, -EIO);
}

void tdm_init(struct td_model *m, int root_level, const gfn_t *block_gfn,
	      const u64 *block_pfn, int ctrl_max)
{
	static const struct td_model zero;

	*m = zero;
	m->root_level = root_level;
	m->created = m->runnable = true;
	m->ctrl_max = ctrl_max;
	for (int b = 0; b < TDM_BLOCKS; b++) {
		m->blk[b].gfn = block_gfn[b];
		m->blk[b].pfn = block_pfn[b];
	}
}

static struct tdm_block *block_of(struct td_model *m, gfn_t gfn)
{
	for (int b = 0; b < TDM_BLOCKS; b++)
		if (gfn >= m->blk[b].gfn && gfn < m->blk[b].gfn + 512)
			return &m->blk[b];
	return NULL;
}

static bool bit(const struct tdm_block *b, u64 off)
{
	return b->map[off / 64] >> (off % 64) & 1;
}

static u64 pfn_at(const struct tdm_block *b, u64 off)
{
	return off == 0 && b->alt_pfn ? b->alt_pfn : b->pfn + off;
}

u64 tdm_lookup(const struct td_model *m, gfn_t gfn, int *level)
{
	struct tdm_block *b = block_of((struct td_model *)m, gfn);
	u64 off = b ? gfn - b->gfn : 0;

	*level = 0;
	if (!b || m->torn_down)
		return 0;
	if (b->huge) {
		*level = PG_LEVEL_2M;
		return b->pfn + off;
	}
	if (!bit(b, off))
		return 0;
	*level = PG_LEVEL_4K;
	return pfn_at(b, off);
}

/* The table at @level (below the root) on @gfn's path; added if new. */
static int table(struct td_model *m, int level, gfn_t gfn)
{
	gfn_t base = gfn & ~(PAGES(level + 1) - 1);

	for (int i = 0; i < m->nr_tbl; i++)
		if (m->tbl[i].level == level && m->tbl[i].gfn == base)
			return i;
	if (m->nr_tbl == TDM_TABLES)
		return -1;	/* the universe is larger than TDM_TABLES */
	m->tbl[m->nr_tbl].level = level;
	m->tbl[m->nr_tbl].gfn = base;
	m->tbl[m->nr_tbl].linked = false;
	return m->nr_tbl++;
}

static bool linked(struct td_model *m, int level, gfn_t gfn)
{
	int t = table(m, level, gfn);

	return t >= 0 && m->tbl[t].linked;
}

/*
 * B7: link the missing tables above @goal top-down, each by one SEPT.ADD;
 * at most @max of them (a fault stops the walk).  True if all are linked.
 */
static bool link_path(struct td_model *m, gfn_t gfn, int goal,
		      unsigned int max)
{
	for (int level = m->root_level - 1; level >= goal; level--) {
		int t = table(m, level, gfn);

		if (m->tbl[t].linked)
			continue;
		if (!max--)
			return false;
		m->tbl[t].linked = true;
	}
	return true;
}

/* PAMT.ADD failed (B11.2): a defined error, nothing mapped, VM alive. */
static bool pamt_add_failed(const struct tdm_fault *f, struct tdm_expect *e)
{
	if (!f->armed || f->sc != SC_PHYMEM_PAMT_ADD)
		return false;
	expect(e, RET_PF_RETRY);
	expect(e, -ENOMEM);
	e->warn_ok = true;
	return true;
}

static void map(struct td_model *m, gfn_t gfn, u64 pfn, int level,
		const struct tdm_fault *f, struct tdm_expect *e)
{
	struct tdm_block *b = block_of(m, gfn);
	u64 off = gfn - b->gfn;
	int cur;
	u64 have = tdm_lookup(m, gfn, &cur);

	/* No promotion over a mirror table (INV-07): map 4K instead. */
	if (level == PG_LEVEL_2M && linked(m, PG_LEVEL_4K, gfn))
		level = PG_LEVEL_4K;
	/* Present already: spurious if the same page, else refused (INV-06). */
	if (cur && cur >= level) {
		expect(e, have == pfn ? RET_PF_SPURIOUS : -EEXIST);
		return;
	}
	/* The links made before a failing SEAMCALL stay. */
	if (pamt_add_failed(f, e)) {
		link_path(m, gfn, level, f->before[SC_MEM_SEPT_ADD]);
		return;
	}
	if (f->armed && f->sc == SC_MEM_SEPT_ADD) {
		link_path(m, gfn, level, f->before[SC_MEM_SEPT_ADD]);
		/* B9.1: BUSY re-faults; anything else is a bug. */
		if (busy(f->status))
			expect(e, RET_PF_RETRY);
		else
			bug(m, e);
		return;
	}
	link_path(m, gfn, level, ~0U);
	if (f->armed && (f->sc == SC_MEM_PAGE_AUG || f->sc == SC_MEM_PAGE_ADD)) {
		if (busy(f->status))
			expect(e, RET_PF_RETRY);
		else
			bug(m, e);
		return;
	}
	if (level == PG_LEVEL_2M) {
		b->huge = true;
	} else {
		b->map[off / 64] |= 1ULL << (off % 64);
		if (off == 0)
			b->alt_pfn = pfn == b->pfn ? 0 : pfn;
	}
	expect(e, RET_PF_FIXED);
}

/* The leaves of [gfn, gfn + n) in walk order: (first gfn, level). */
static int leaves(struct td_model *m, gfn_t gfn, u64 n, gfn_t *lg, int *ll,
		  int max)
{
	int nr = 0;

	for (int bi = 0; bi < TDM_BLOCKS; bi++) {
		struct tdm_block *b = &m->blk[bi];

		if (b->gfn + 512 <= gfn || b->gfn >= gfn + n)
			continue;
		if (b->huge) {
			if (nr < max) {
				lg[nr] = b->gfn;
				ll[nr] = PG_LEVEL_2M;
			}
			nr++;
			continue;
		}
		for (u64 off = 0; off < 512; off++) {
			if (!bit(b, off) || b->gfn + off < gfn ||
			    b->gfn + off >= gfn + n)
				continue;
			if (nr < max) {
				lg[nr] = b->gfn + off;
				ll[nr] = PG_LEVEL_4K;
			}
			nr++;
		}
	}
	return nr;
}

static void unmap(struct td_model *m, gfn_t gfn, int level)
{
	struct tdm_block *b = block_of(m, gfn);
	u64 off = gfn - b->gfn;

	if (level == PG_LEVEL_2M) {
		b->huge = false;
		return;
	}
	b->map[off / 64] &= ~(1ULL << (off % 64));
	if (off == 0)
		b->alt_pfn = 0;
}

/*
 * B9.4 per leaf: BLOCK, TRACK, REMOVE (each retried once after a kick on
 * BUSY), WBINVD per 4K page, PAMT put.  True if the fault bugs the VM.
 */
static bool removal_fault_bugs(const struct tdm_fault *f)
{
	if (!f->armed || recovers(f))
		return false;
	switch (f->sc) {
	case SC_MEM_RANGE_BLOCK:
	case SC_MEM_TRACK:
	case SC_MEM_PAGE_REMOVE:
	case SC_PHYMEM_PAGE_WBINVD:	/* a leaf's, or the TDR's (SPEC 0.4.8) */
		return true;
	default:	/* PAMT.REMOVE: the pair leaks, B11.4; RECLAIM: leak */
		return false;
	}
}

/*
 * SPEC 0.4.7, the HKID release at teardown: VPFLUSHDONE, CACHE.WB (resumed
 * while interrupted), KEY.FREEID.  A failure leaves the HKID assigned and
 * bugs the VM, except VPFLUSHDONE's FLUSHVP_NOT_DONE, which upstream leaves
 * silent: the VM is then bugged only by reclaiming an S-EPT page with the
 * HKID still assigned, i.e. iff a table is linked.
 */
static bool release_fault_bugs(const struct td_model *m,
			       const struct tdm_fault *f)
{
	bool tables = false;

	for (int i = 0; i < m->nr_tbl; i++)
		tables |= m->tbl[i].linked;
	if (!f->armed)
		return false;
	switch (f->sc) {
	case SC_MNG_VPFLUSHDONE:
		return f->status != TDX_FLUSHVP_NOT_DONE || tables;
	case SC_PHYMEM_CACHE_WB:
		/* resumed: only an interruption that never ends fails */
		return f->status != TDX_INTERRUPTED_RESUMABLE || f->always;
	case SC_MNG_KEY_FREEID:
		return true;
	default:
		return false;
	}
}

/*
 * B9.3 + v6: the faults that fail a split.  Every call it makes (BLOCK,
 * TRACK, DEMOTE, and the PAMT.ADD of the new S-EPT page's region, taken
 * inside the hook) bugs the VM when it fails, but a BUSY the kick and the
 * retry absorb.
 */
static bool split_fault_bugs(const struct tdm_fault *f)
{
	if (!f->armed || recovers(f))
		return false;
	switch (f->sc) {
	case SC_MEM_RANGE_BLOCK:
	case SC_MEM_TRACK:
	case SC_MEM_PAGE_DEMOTE:
	case SC_PHYMEM_PAMT_ADD:
		return true;
	default:
		return false;
	}
}

static void split_block(struct td_model *m, struct tdm_block *b)
{
	b->huge = false;
	for (int i = 0; i < 8; i++)
		b->map[i] = ~0ULL;
	m->tbl[table(m, PG_LEVEL_4K, b->gfn)].linked = true;
}

/* A 2M leaf that [gfn, gfn + n) covers in part (SPEC 0.4.5). */
static bool crosses(const struct tdm_block *b, gfn_t gfn, u64 n)
{
	return b->huge && b->gfn + 512 > gfn && b->gfn < gfn + n &&
	       !(gfn <= b->gfn && gfn + n >= b->gfn + 512);
}

static void zap(struct td_model *m, gfn_t gfn, u64 n, const struct tdm_fault *f,
		struct tdm_expect *e)
{
	gfn_t lg[TDM_MAX_LEAVES];
	int ll[TDM_MAX_LEAVES];
	int nr, splits = 0;

	/*
	 * SPEC 0.4.5: such a leaf is split first (head, tail), before any
	 * removal; only the range's 4K leaves go.  A failed split bugs the
	 * VM and removes nothing (a BLOCK or TRACK failing in the removals
	 * that follow bugs it as well).
	 */
	for (int bi = 0; bi < TDM_BLOCKS; bi++)
		splits += crosses(&m->blk[bi], gfn, n);
	if (splits && split_fault_bugs(f)) {
		bug(m, e);
		return;
	}
	for (int bi = 0; bi < TDM_BLOCKS; bi++)
		if (crosses(&m->blk[bi], gfn, n))
			split_block(m, &m->blk[bi]);
	nr = leaves(m, gfn, n, lg, ll, TDM_MAX_LEAVES);
	if (!nr) {
		expect(e, -ENOENT);
		return;
	}
	if (removal_fault_bugs(f)) {
		bug(m, e);
		return;
	}
	e->warn_ok = f->armed;
	for (int i = 0; i < nr; i++)
		unmap(m, lg[i], ll[i]);
	expect(e, nr);
}

static void split(struct td_model *m, gfn_t gfn, const struct tdm_fault *f,
		  struct tdm_expect *e)
{
	struct tdm_block *b = block_of(m, gfn);

	if (!b->huge) {
		expect(e, -EINVAL);
		return;
	}
	/* B9.3: BLOCK, TRACK, DEMOTE; BUSY once absorbed, else bugged */
	if (split_fault_bugs(f)) {
		bug(m, e);
		return;
	}
	split_block(m, b);
	expect(e, 0);
}

/* The guest_memfd attribute of [gfn, gfn + n): any page / every page shared. */
static bool shared_in(const struct td_model *m, gfn_t gfn, u64 n, bool every)
{
	for (u64 i = 0; i < n; i++) {
		const struct tdm_block *b = block_of((struct td_model *)m, gfn + i);
		u64 off = b ? gfn + i - b->gfn : 0;
		bool s = b && (b->shared[off / 64] >> (off % 64) & 1);

		if (s != every)
			return !every;
	}
	return every;
}

static bool pinned(struct td_model *m, gfn_t gfn, u64 n)
{
	for (u64 i = 0; i < n; i++) {
		struct tdm_block *b = block_of(m, gfn + i);
		u64 off = gfn + i - b->gfn;

		if (b->pinned[off / 64] >> (off % 64) & 1)
			return true;
	}
	return false;
}

bool tdm_shared(const struct td_model *m, gfn_t gfn)
{
	return shared_in(m, gfn, 1, true);
}

bool tdm_pinned(const struct td_model *m, gfn_t gfn)
{
	return pinned((struct td_model *)m, gfn, 1);
}

static void set_pinned(struct td_model *m, gfn_t gfn, bool pin)
{
	struct tdm_block *b = block_of(m, gfn);
	u64 off = gfn - b->gfn;

	b->pinned[off / 64] &= ~(1ULL << (off % 64));
	b->pinned[off / 64] |= (u64)pin << (off % 64);
}

static void set_shared(struct td_model *m, gfn_t gfn, u64 n, bool shared)
{
	for (u64 i = 0; i < n; i++) {
		struct tdm_block *b = block_of(m, gfn + i);
		u64 off = gfn + i - b->gfn;

		b->shared[off / 64] &= ~(1ULL << (off % 64));
		b->shared[off / 64] |= (u64)shared << (off % 64);
	}
}

/*
 * GMEM §4b.3 to shared, joined to the mirror (SPEC 0.4.5): nothing to do
 * if the range is shared already (GMEM-07); else the range's private
 * leaves go exactly as kvm_zap_gfn_range's (a torn-down TD has none), and
 * only then the attribute changes: a zap that bugs the VM fails the call
 * with the attributes as they were (GMEM-05, DEVIATIONS 30).
 */
static void to_shared(struct td_model *m, gfn_t gfn, u64 n,
		      const struct tdm_fault *f, struct tdm_expect *e)
{
	if (shared_in(m, gfn, n, true)) {
		expect(e, 0);
		return;
	}
	if (!m->torn_down) {
		tdm_step(m, TDM_ZAP, gfn, 0, n, 0, f, e);
		e->nr = 0;
		if (e->bugged) {
			expect(e, -EIO);
			return;
		}
	}
	set_shared(m, gfn, n, true);
	expect(e, 0);
}

static void teardown_state(struct td_model *m)
{
	m->torn_down = true;
	m->runnable = false;
	for (int b = 0; b < TDM_BLOCKS; b++) {
		m->blk[b].huge = false;
		m->blk[b].alt_pfn = 0;
		for (int i = 0; i < 8; i++)
			m->blk[b].map[i] = 0;
	}
	m->nr_tbl = 0;
}

/* Teardown (A7): leaves under the HKID, HKID release, prune, reclaim. */
static void teardown(struct td_model *m, const struct tdm_fault *f,
		     struct tdm_expect *e)
{
	bool bugs;

	if (m->torn_down) {
		expect(e, -EINVAL);
		return;
	}
	/* the release reads which tables were linked: before they go */
	bugs = release_fault_bugs(m, f) || removal_fault_bugs(f);
	teardown_state(m);
	if (bugs) {
		bug(m, e);
		return;
	}
	/* RECLAIM / PAMT.REMOVE: leaked, counted (B10.3) */
	e->warn_ok = f->armed;
	expect(e, 0);
}

void tdm_step(struct td_model *m, enum tdm_op op, gfn_t gfn, u64 pfn, u64 n,
	      int idx, const struct tdm_fault *f, struct tdm_expect *e)
{
	static const struct tdm_expect none;

	*e = none;
	e->bugged = m->bugged;
	switch (op) {
	case TDM_PAMT_GET:
		if (m->direct[idx] == TDM_DIRECT_MAX) {
			expect(e, -ENOSPC);
			return;
		}
		/* B11.2: only an unexpected PAMT.ADD status fails (INV-36) */
		if (f->armed && f->sc == SC_PHYMEM_PAMT_ADD) {
			expect(e, -EIO);
			e->warn_ok = true;
			return;
		}
		m->direct[idx]++;
		expect(e, 0);
		return;
	case TDM_PAMT_PUT:
		/*
		 * Only the caller knows it holds a reference: a put without
		 * a get on a region others hold would steal theirs (INV-34),
		 * undetectably.  The harness refuses it (-ENOENT); the
		 * detectable case, count 0, is a cmocka test.
		 */
		if (!m->direct[idx]) {
			expect(e, -ENOENT);
			return;
		}
		m->direct[idx]--;
		e->warn_ok = f->armed;
		expect(e, 0);
		return;
	case TDM_CTRL_ALLOC:
		if (m->ctrl == m->ctrl_max) {
			expect(e, -ENOSPC);
		} else if (f->armed && f->sc == SC_PHYMEM_PAMT_ADD) {
			expect(e, -ENOMEM);
			e->warn_ok = true;
		} else {
			m->ctrl++;
			expect(e, 0);
		}
		return;
	case TDM_CTRL_FREE:
		if (!m->ctrl) {
			expect(e, -ENOENT);
			return;
		}
		m->ctrl--;
		e->warn_ok = f->armed;
		expect(e, 0);
		return;
	case TDM_TO_SHARED:
		to_shared(m, gfn, n, f, e);
		return;
	case TDM_TO_PRIVATE:
		/*
		 * No SEAMCALL: shared mappings are not the mirror's.  A page
		 * the host still holds fails the safety check (GMEM-08):
		 * -EAGAIN, nothing changed (GMEM-05), unless the range is
		 * private already (GMEM-07).
		 */
		if (!shared_in(m, gfn, n, false))
			expect(e, 0);
		else if (pinned(m, gfn, n))
			expect(e, -EAGAIN);
		else {
			set_shared(m, gfn, n, false);
			expect(e, 0);
		}
		return;
	case TDM_HOST_GUP:
		/* GMEM-13: private memory cannot be mapped by the host */
		if (!shared_in(m, gfn, 1, false)) {
			expect(e, VM_FAULT_SIGBUS);
		} else if (pinned(m, gfn, 1)) {
			expect(e, -ENOSPC);	/* the harness holds one at most */
		} else {
			set_pinned(m, gfn, true);
			expect(e, 0);
		}
		return;
	case TDM_HOST_UNPIN:
		if (!pinned(m, gfn, 1)) {
			expect(e, -ENOENT);
			return;
		}
		set_pinned(m, gfn, false);
		expect(e, 0);
		return;
	case TDM_GMEM_FAULT4K:
	case TDM_GMEM_FAULT2M:
		/* the attribute is read before the map looks at the VM */
		if (shared_in(m, gfn, op == TDM_GMEM_FAULT2M ? 512 : 1, false)) {
			expect(e, -EFAULT);
			return;
		}
		op = op == TDM_GMEM_FAULT2M ? TDM_MAP2M : TDM_MAP4K;
		break;
	default:
		break;
	}
	/* Teardown twice is refused, bugged or not. */
	if (op == TDM_TEARDOWN && m->torn_down) {
		expect(e, -EINVAL);
		return;
	}
	/* The MMU operations need a live TD (B7; kvm_mmu_check_vm). */
	if (m->bugged && op == TDM_TEARDOWN) {
		/*
		 * A bugged VM is still torn down: what the module may hold is
		 * leaked with a warning, everything else freed (INV-18).
		 */
		teardown(m, f, e);
		e->nr = 0;
		expect(e, -EIO);
		e->bugged = e->warn_ok = true;
		return;
	}
	if (m->bugged) {
		expect(e, -EIO);
		return;
	}
	if (op == TDM_TEARDOWN) {
		teardown(m, f, e);
		return;
	}
	if (!m->runnable) {
		expect(e, -EINVAL);
		return;
	}
	switch (op) {
	case TDM_MAP4K:
		map(m, gfn, pfn, PG_LEVEL_4K, f, e);
		break;
	case TDM_MAP2M:
		map(m, gfn, pfn, PG_LEVEL_2M, f, e);
		break;
	case TDM_ZAP:
		zap(m, gfn, n, f, e);
		break;
	default:
		split(m, gfn, f, e);
		break;
	}
}

static u64 mix(u64 h, u64 v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

u64 tdm_hash(const struct td_model *m, u64 h)
{
	u64 t = 0;

	h = mix(h, (u64)m->runnable | (u64)m->torn_down << 1 |
		   (u64)m->bugged << 2);
	for (int b = 0; b < TDM_BLOCKS; b++) {
		h = mix(h, m->blk[b].huge);
		h = mix(h, m->blk[b].alt_pfn);
		for (int i = 0; i < 8; i++) {
			h = mix(h, m->blk[b].map[i]);
			h = mix(h, m->blk[b].shared[i]);
			h = mix(h, m->blk[b].pinned[i]);
		}
	}
	/* linked tables, in any order */
	for (int i = 0; i < m->nr_tbl; i++)
		if (m->tbl[i].linked)
			t += mix(0, (u64)m->tbl[i].level << 60 ^ m->tbl[i].gfn);
	h = mix(h, t);
	for (int i = 0; i < TDM_PFNS; i++)
		h = mix(h, (u64)m->direct[i]);
	return mix(h, (u64)m->ctrl);
}
