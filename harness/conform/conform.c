// SPDX-License-Identifier: GPL-2.0
/*
 * tdxmm-conform: does a recorded trace (docs/TRACE-FORMAT.md) show only
 * what the specification allows?  Each SEAMCALL is replayed, with its
 * recorded arguments, on the TDX-module simulator in checking mode; each
 * SPTE change on a shadow of the mirror (SPEC A7); each PAMT refcount
 * change on a shadow count; and whenever no entry point is in flight the
 * mirror, the module and the counts are checked against each other.
 *
 *   tdxmm-conform [--json FILE] [--quiet] TRACE...
 *
 * Exit: 0 conforms, 1 violation, 2 bad input (file:line: error), 3 the
 * timestamps cannot order two CPUs' events and the order checked fails.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "jsonl.h"
#include "evidence.h"
#include "spte_model.h"
#include "tdx_module.h"

#define TRACE_VERSION	1
#define MAX_CPUS	256

enum ev_kind { EV_OP, EV_RET, EV_SEAMCALL, EV_SPTE, EV_PAMT_REF, EV_PAGE_RESET,
	       EV_RESET };

enum op {
	OP_VM_INIT, OP_FINALIZE, OP_MAP, OP_ZAP, OP_SPLIT, OP_PAMT_GET,
	OP_PAMT_PUT, OP_CTRL_ALLOC, OP_CTRL_FREE, OP_TEARDOWN, OP_INIT_MEM, OP_NR,
};

static const char *const op_names[OP_NR] = {
	"vm_init", "finalize", "map", "zap", "split", "pamt_get", "pamt_put",
	"ctrl_alloc", "ctrl_free", "teardown", "init_mem_region",
};

/* RET_PF_* (impl/kvm.h, upstream's order) and errnos a result may carry */
#define RET_PF_RETRY	1
#define RET_PF_FIXED	5
#define RET_PF_SPURIOUS	6

struct event {
	const char *file;
	int line;
	enum ev_kind kind;
	int cpu;
	u64 ts;
	int op;
	u64 gfn, pfn, start, end, src, td, gpa, old_spte, new_spte, status, seq;
	u64 arg[2], out[3];
	int level, leaf, as_id;
	bool has_pfn, bugged;
	long long ret, delta;
};

static struct event *evs;
static long nev, cap_ev;

/* ---------------- reading ---------------- */

static bool dpamt = true, quirk = true;

static bool errors_quiet;	/* the fuzzer's millions of bad inputs */

static int bad(const char *file, int line, const char *what)
{
	if (!errors_quiet)
		fprintf(stderr, "%s:%d: %s\n", file, line, what);
	return -1;
}

static int need(int r, const char *key, char *err, int len)
{
	if (r == 1)
		snprintf(err, len, "missing member '%s'", key);
	return r ? -1 : 0;
}

/* A member that must be there and be an unsigned 64-bit number. */
static int need_u64(struct jsonl_obj *o, const char *k, u64 *v, char *err, int len)
{
	return need(jsonl_u64(o, k, v, err, len), k, err, len);
}

static int level_of(struct jsonl_obj *o, int *level, int lo, char *err, int len)
{
	long long l;

	if (need(jsonl_int(o, "level", &l, err, len), "level", err, len))
		return -1;
	if (l < lo || l > 5) {
		snprintf(err, len, "member 'level': %lld is not a page level %d..5", l, lo);
		return -1;
	}
	*level = (int)l;
	return 0;
}

static int decode(struct jsonl_obj *o, struct event *e, char *err, int len)
{
	const char *ev, *s;
	long long v;
	int r;

	if (need(jsonl_str(o, "ev", &ev, err, len), "ev", err, len))
		return -1;
	if (need(jsonl_int(o, "cpu", &v, err, len), "cpu", err, len))
		return -1;
	if (v < 0 || v >= MAX_CPUS) {
		snprintf(err, len, "member 'cpu': %lld is not 0..%d", v, MAX_CPUS - 1);
		return -1;
	}
	e->cpu = (int)v;
	if (need(jsonl_u64(o, "ts", &e->ts, err, len), "ts", err, len))
		return -1;
	if (!strcmp(ev, "op") || !strcmp(ev, "ret")) {
		e->kind = *ev == 'o' ? EV_OP : EV_RET;
		if (need(jsonl_str(o, "op", &s, err, len), "op", err, len))
			return -1;
		for (e->op = 0; e->op < OP_NR && strcmp(op_names[e->op], s); e->op++)
			;
		if (e->op == OP_NR) {
			snprintf(err, len, "unknown operation '%s'", s);
			return -1;
		}
		if (e->kind == EV_RET) {
			if (need(jsonl_int(o, "ret", &e->ret, err, len), "ret", err, len) ||
			    need(jsonl_bool(o, "bugged", &e->bugged, err, len), "bugged", err, len))
				return -1;
			r = jsonl_u64(o, "pfn", &e->pfn, err, len);
			if (r < 0)
				return -1;
			e->has_pfn = !r;
			return 0;
		}
		switch (e->op) {
		case OP_MAP:
			if (need_u64(o, "gfn", &e->gfn, err, len) ||
			    need_u64(o, "pfn", &e->pfn, err, len) ||
			    level_of(o, &e->level, 1, err, len))
				return -1;
			break;
		case OP_ZAP:
			if (need_u64(o, "start", &e->start, err, len) ||
			    need_u64(o, "end", &e->end, err, len))
				return -1;
			break;
		case OP_SPLIT:
			return need_u64(o, "gfn", &e->gfn, err, len);
		case OP_PAMT_GET:
		case OP_PAMT_PUT:
			if (need_u64(o, "pfn", &e->pfn, err, len) ||
			    level_of(o, &e->level, 1, err, len))
				return -1;
			break;
		case OP_CTRL_FREE:
			return need_u64(o, "pfn", &e->pfn, err, len);
		case OP_INIT_MEM:
			e->level = 1;
			if (need_u64(o, "gfn", &e->gfn, err, len) ||
			    need_u64(o, "pfn", &e->pfn, err, len) ||
			    need_u64(o, "src", &e->src, err, len))
				return -1;
			break;
		default:
			break;
		}
		return 0;
	}
	if (!strcmp(ev, "seamcall")) {
		e->kind = EV_SEAMCALL;
		if (need(jsonl_str(o, "leaf", &s, err, len), "leaf", err, len))
			return -1;
		e->leaf = tdxsim_call_by_name(s);
		if (e->leaf < 0 || e->leaf >= SC_NR) {
			snprintf(err, len, "unknown SEAMCALL leaf '%s'", s);
			return -1;
		}
		r = jsonl_u64(o, "seq", &e->seq, err, len);	/* informative */
		if (r < 0 ||
		    need_u64(o, "td", &e->td, err, len) ||
		    need_u64(o, "gpa", &e->gpa, err, len) ||
		    need_u64(o, "pfn", &e->pfn, err, len) ||
		    level_of(o, &e->level, 0, err, len) ||
		    need(jsonl_u64s(o, "arg", e->arg, 2, err, len), "arg", err, len) ||
		    need_u64(o, "status", &e->status, err, len) ||
		    need(jsonl_u64s(o, "out", e->out, 3, err, len), "out", err, len))
			return -1;
		return 0;
	}
	if (!strcmp(ev, "spte")) {
		e->kind = EV_SPTE;
		if (need(jsonl_int(o, "as_id", &v, err, len), "as_id", err, len) ||
		    need_u64(o, "gfn", &e->gfn, err, len) ||
		    level_of(o, &e->level, 1, err, len) ||
		    need_u64(o, "old_spte", &e->old_spte, err, len) ||
		    need_u64(o, "new_spte", &e->new_spte, err, len))
			return -1;
		e->as_id = (int)v;
		return 0;
	}
	if (!strcmp(ev, "pamt_ref")) {
		e->kind = EV_PAMT_REF;
		if (need_u64(o, "pfn", &e->pfn, err, len) ||
		    need(jsonl_int(o, "delta", &e->delta, err, len), "delta", err, len))
			return -1;
		if (!e->delta || e->delta > 512 || e->delta < -1) {
			snprintf(err, len, "member 'delta': %lld is not -1, 1..512", e->delta);
			return -1;
		}
		return 0;
	}
	if (!strcmp(ev, "page_reset")) {
		e->kind = EV_PAGE_RESET;
		if (need_u64(o, "pfn", &e->pfn, err, len))
			return -1;
		r = jsonl_u64(o, "status", &e->status, err, len);
		return r < 0 ? -1 : 0;
	}
	if (!strcmp(ev, "reset")) {
		e->kind = EV_RESET;
		return 0;
	}
	snprintf(err, len, "unknown event '%s'", ev);
	return -1;
}

/* One trace from @f, named @path in messages; closes @f.  0 or -1. */
static int read_stream(FILE *f, const char *path)
{
	static char line[4096];
	char err[256];
	int n = 0;

	while (fgets(line, sizeof(line), f)) {
		struct jsonl_obj o;
		struct event e = { .file = path, .line = ++n };
		size_t l = strlen(line);
		const char *unused;

		if (!l || line[l - 1] != '\n') {
			fclose(f);
			return bad(path, n, l == sizeof(line) - 1 ? "line too long" :
				   "truncated: the last line has no end");
		}
		if (jsonl_parse(line, &o, err, sizeof(err))) {
			fclose(f);
			return bad(path, n, err);
		}
		if (n == 1) {
			long long ver;
			const char *s;

			if (jsonl_int(&o, "tdxmm_trace", &ver, err, sizeof(err))) {
				fclose(f);
				return bad(path, n, "not a tdxmm trace: the first line has no 'tdxmm_trace' version");
			}
			if (ver != TRACE_VERSION) {
				snprintf(err, sizeof(err), "trace format version %lld; this checker reads version %d",
					 ver, TRACE_VERSION);
				fclose(f);
				return bad(path, n, err);
			}
			if (jsonl_bool(&o, "dpamt", &dpamt, err, sizeof(err)) < 0 ||
			    jsonl_bool(&o, "quirk_pw_mce", &quirk, err, sizeof(err)) < 0 ||
			    jsonl_str(&o, "producer", &s, err, sizeof(err)) < 0 ||
			    jsonl_str(&o, "clock", &s, err, sizeof(err)) < 0) {
				fclose(f);
				return bad(path, n, err);
			}
			unused = jsonl_unused(&o);
			if (unused) {
				snprintf(err, sizeof(err), "unknown member '%s' in the header", unused);
				fclose(f);
				return bad(path, n, err);
			}
			continue;
		}
		if (decode(&o, &e, err, sizeof(err))) {
			fclose(f);
			return bad(path, n, err);
		}
		unused = jsonl_unused(&o);
		if (unused) {
			snprintf(err, sizeof(err), "unknown member '%s'", unused);
			fclose(f);
			return bad(path, n, err);
		}
		if (nev == cap_ev) {
			cap_ev = cap_ev ? cap_ev * 2 : 4096;
			evs = realloc(evs, cap_ev * sizeof(*evs));
			if (!evs) {
				perror("tdxmm-conform");
				exit(2);
			}
		}
		evs[nev++] = e;
	}
	fclose(f);
	if (n == 0)
		return bad(path, 1, "empty file: not a tdxmm trace");
	if (n == 1)
		return bad(path, 1, "no events: nothing to check");
	return 0;
}

static int read_trace(const char *path)
{
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	return read_stream(f, path);
}

/* Timestamp order; a file's own order among equal timestamps. */
static int ev_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->file != y->file)
		return strcmp(x->file, y->file);
	return x->line - y->line;
}

/* ---------------- the checking state ---------------- */

/* A shadow mirror entry: exact value, or a leaf a split made (pfn only). */
enum sh_state { SH_EMPTY, SH_EXACT, SH_SPLIT_LEAF, SH_DELETED };
struct shadow {
	u64 gfn;
	int level;
	u8 state;
	u64 spte;		/* SH_SPLIT_LEAF: the pfn */
};

static struct shadow *sh;
static u64 sh_cap, sh_used;

static u64 sh_hash(u64 gfn, int level)
{
	return ((gfn * 0x9e3779b97f4a7c15ULL) ^ (u64)level * 0xbf58476d1ce4e5b9ULL) >> 7;
}

static struct shadow *sh_find(u64 gfn, int level, bool create)
{
	struct shadow *tomb = NULL;

	if (create && (sh_used + 1) * 2 > sh_cap) {
		struct shadow *old = sh;
		u64 oc = sh_cap;

		sh_cap = oc ? oc * 2 : 1 << 14;
		sh = calloc(sh_cap, sizeof(*sh));
		sh_used = 0;
		for (u64 i = 0; i < oc; i++)
			if (old[i].state == SH_EXACT || old[i].state == SH_SPLIT_LEAF)
				*sh_find(old[i].gfn, old[i].level, true) = old[i];
		free(old);
	}
	if (!sh_cap)
		return NULL;
	for (u64 i = sh_hash(gfn, level) & (sh_cap - 1);; i = (i + 1) & (sh_cap - 1)) {
		struct shadow *s = &sh[i];

		if (s->state == SH_EMPTY) {
			if (!create)
				return NULL;
			if (tomb)
				s = tomb;
			else
				sh_used++;
			*s = (struct shadow){ gfn, level, SH_EXACT,
					      SPEC_SHADOW_NONPRESENT_VALUE };
			return s;
		}
		if (s->state == SH_DELETED) {
			if (!tomb)
				tomb = s;
			continue;
		}
		if (s->gfn == gfn && s->level == level)
			return s;
	}
}

#define PAGES(level) (1ULL << (9 * ((level) - 1)))

/* Entries below (gfn, level) go: a new table starts non-present. */
static void sh_clear_below(u64 gfn, int level)
{
	for (u64 i = 0; i < sh_cap; i++)
		if ((sh[i].state == SH_EXACT || sh[i].state == SH_SPLIT_LEAF) &&
		    sh[i].level < level && sh[i].gfn >= gfn &&
		    sh[i].gfn < gfn + PAGES(level))
			sh[i].state = SH_DELETED;
}

struct region {
	u64 r;			/* pfn >> 9 */
	long long rc;		/* the sum of the trace's deltas */
	long long direct;	/* references the API's callers hold */
	bool leaked;		/* a failed PAMT.REMOVE left the pair */
	bool huge_dirty;	/* a 2M page removed, lines not all written back */
};

static struct region *regs;
static int nregs, cap_regs;

static struct region *reg(u64 pfn)
{
	for (int i = 0; i < nregs; i++)
		if (regs[i].r == pfn >> 9)
			return &regs[i];
	if (nregs == cap_regs) {
		cap_regs = cap_regs ? cap_regs * 2 : 64;
		regs = realloc(regs, cap_regs * sizeof(*regs));
	}
	regs[nregs] = (struct region){ .r = pfn >> 9 };
	return &regs[nregs++];
}

static struct cpu_state {
	int op;			/* in flight, or -1 */
	const struct event *op_ev;
	long pamt_refs;		/* refcount events inside the op */
	bool installed_leaf;	/* the op made a leaf covering its gfn present */
	const struct event *refused;	/* a refused call, allowed if it bugs the VM */
	char refused_why[128];
	/* another CPU's SPURIOUS that this op's install must justify */
	const struct event *claim;
} cpus[MAX_CPUS];
static int in_flight;

static struct tdx_td *td;
static bool bugged;
static bool leaked;	/* a call that gives a page back failed: it is leaked */
static bool second_td;	/* another TD between two resets: v1 checks one */
static const struct event *tie_a, *tie_b;	/* an order the clock cannot decide */
/* two SEAMCALLs in the trace against the module's own sequence numbers */
static const struct event *seq_a, *seq_b;
static void *sim_image;

static struct {
	u64 seamcalls, sptes, refs, ops, resets, quiescent, resets_module;
} count;

/* ---------------- violations ---------------- */

static const struct event *viol_ev;
static char viol_inv[16], viol_why[512];

static bool violation(const struct event *e, const char *inv, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool violation(const struct event *e, const char *inv, const char *fmt, ...)
{
	va_list ap;

	if (viol_ev)
		return true;
	viol_ev = e;
	snprintf(viol_inv, sizeof(viol_inv), "%s", inv);
	va_start(ap, fmt);
	vsnprintf(viol_why, sizeof(viol_why), fmt, ap);
	va_end(ap);
	return true;
}

/* Which rule a call the module refuses breaks (its reason, model/tdx_module.c). */
static const char *rule_of(const char *why)
{
	static const struct { const char *sub, *inv; } map[] = {
		{ "HKID", "INV-15" },
		{ "not blocked", "INV-16" }, { "not tracked", "INV-16" },
		{ "already blocked", "INV-16" },
		{ "a 4K page is in use", "INV-34" }, { "no PAMT pair", "INV-34" },
		{ "region has a pair", "INV-37" },
		{ "children not FREE", "INV-14" }, { "TDR before its pages", "INV-14" },
		{ "page not free", "INV-18" }, { "not written back", "INV-18" },
		{ "PAMT.REMOVE: no pair", "INV-32" },
		{ "entry", "INV-10" }, { "parent not linked", "INV-10" },
		{ "not a leaf", "INV-10" }, { "not a table", "INV-10" },
		{ "not a huge leaf", "INV-10" }, { "bad gpa", "INV-10" },
		{ "configured", "SPEC-0.4.7" }, { "finalized", "SPEC-0.4.7" },
		{ "runnable", "SPEC-0.4.7" }, { "caches", "SPEC-0.4.7" },
	};

	for (unsigned int i = 0; why && i < sizeof(map) / sizeof(map[0]); i++)
		if (strstr(why, map[i].sub))
			return map[i].inv;
	return "SPEC-A5";
}

/* ---------------- SEAMCALLs ---------------- */

static u64 call(const struct event *e, u64 *out)
{
	struct tdx_td *t = e->td ? tdxsim_td_by_tdr(e->td) : NULL;
	u64 pa[2] = { e->arg[0], e->arg[1] }, st;
	struct tdx_td *created;

	out[0] = out[1] = out[2] = 0;
	switch (e->leaf) {
	case SC_MNG_CREATE:
		st = tdh_mng_create(e->pfn, e->arg[0], e->level, e->arg[1], &created);
		if (!st && !td)
			td = created;
		else if (!st)
			second_td = true;
		return st;
	case SC_MNG_KEY_CONFIG: return tdh_mng_key_config(t);
	case SC_MR_FINALIZE: return tdh_mr_finalize(t);
	case SC_MNG_VPFLUSHDONE: return tdh_mng_vpflushdone(t);
	case SC_PHYMEM_CACHE_WB: return tdh_phymem_cache_wb(e->arg[0]);
	case SC_MNG_KEY_FREEID: return tdh_mng_key_freeid(t);
	case SC_MEM_SEPT_ADD:
		return tdh_mem_sept_add(t, e->gpa, e->level, e->pfn, &out[0], &out[1]);
	case SC_MEM_PAGE_AUG:
		return tdh_mem_page_aug(t, e->gpa, e->level, e->pfn, &out[0], &out[1]);
	case SC_MEM_PAGE_ADD:
		return tdh_mem_page_add(t, e->gpa, e->pfn, e->arg[0], &out[0], &out[1]);
	case SC_MEM_RANGE_BLOCK:
		return tdh_mem_range_block(t, e->gpa, e->level, &out[0], &out[1]);
	case SC_MEM_TRACK: return tdh_mem_track(t);
	case SC_MEM_PAGE_REMOVE:
		return tdh_mem_page_remove(t, e->gpa, e->level, &out[0], &out[1]);
	case SC_MEM_SEPT_REMOVE:
		return tdh_mem_sept_remove(t, e->gpa, e->level, &out[0], &out[1]);
	case SC_PHYMEM_PAGE_RECLAIM:
		return tdh_phymem_page_reclaim(e->pfn, &out[0], &out[1], &out[2]);
	case SC_PHYMEM_PAGE_WBINVD:
		return tdh_phymem_page_wbinvd_hkid(e->arg[0], e->pfn);
	case SC_MEM_PAGE_DEMOTE:
		return tdh_mem_page_demote(t, e->gpa, e->level, e->pfn, pa,
					   &out[0], &out[1]);
	case SC_PHYMEM_PAMT_ADD: return tdh_phymem_pamt_add(e->pfn, pa);
	default:
		st = tdh_phymem_pamt_remove(e->pfn, pa);
		out[0] = pa[0];
		out[1] = pa[1];
		return st;
	}
}

static bool check_seamcall(const struct event *e)
{
	unsigned long rej = tdxsim_rejections(), order = tdxsim_order_violations();
	bool was_2m = tdxsim_pamt_node(e->pfn) == PAMT_NODE_2M;
	const char *name = tdxsim_call_name(e->leaf);
	u64 out[3], st;

	count.seamcalls++;
	if (e->status)
		tdxsim_state_save(sim_image);
	st = call(e, out);
	if (second_td)
		return violation(e, "TRACE", "a second TD: a version-1 trace holds one TD between resets");
	if (tdxsim_order_violations() != order)
		return violation(e, "INV-14", "%s: an S-EPT page reclaimed while a child page below it is still the module's",
				 name);
	if (tdxsim_rejections() != rej) {
		struct cpu_state *c = &cpus[e->cpu];

		/*
		 * A bugged VM's teardown still calls the module, which refuses
		 * what the dead VM left inconsistent, and so does a teardown
		 * after a page was leaked (the oracle's rule too): allowed when
		 * the VM is bugged, or is once this entry point returns, or a
		 * call that gives a page back has failed before, and the trace
		 * shows the refusal.
		 */
		if (e->status == st && (bugged || leaked || c->op >= 0)) {
			if (!bugged && !leaked && !c->refused) {
				c->refused = e;
				snprintf(c->refused_why, sizeof(c->refused_why), "%s",
					 tdxsim_last_rejection(NULL));
			}
			return false;
		}
		return violation(e, rule_of(tdxsim_last_rejection(NULL)),
				 "%s: the module refuses this call in its state: %s (status 0x%llx; recorded 0x%llx)",
				 name, tdxsim_last_rejection(NULL),
				 (unsigned long long)st, (unsigned long long)e->status);
	}
	if (e->status) {
		/* legal here: the recorded failure must be one the call can return */
		tdxsim_state_load(sim_image);
		if (e->leaf == SC_MNG_CREATE)
			td = NULL;
		if (!tdxsim_can_return(e->leaf, e->status))
			return violation(e, "SPEC-A5", "%s: status 0x%llx is not one this call returns",
					 name, (unsigned long long)e->status);
		/* the module's side of a failure, as the simulator keeps it */
		tdxsim_inject(e->leaf, 1, e->status);
		call(e, out);
		tdxsim_inject_clear();
		if (e->leaf == SC_PHYMEM_PAGE_RECLAIM || e->leaf == SC_MEM_PAGE_REMOVE ||
		    e->leaf == SC_MEM_SEPT_REMOVE || e->leaf == SC_PHYMEM_PAGE_WBINVD)
			leaked = true;
		if (e->leaf == SC_PHYMEM_PAMT_REMOVE)
			reg(e->pfn)->leaked = true;
		return false;
	}
	if (e->leaf == SC_MEM_PAGE_REMOVE && e->level == 2 && was_2m)
		reg(e->pfn)->huge_dirty = true;
	if (e->leaf == SC_PHYMEM_PAMT_REMOVE) {
		reg(e->pfn)->leaked = false;
		if (out[0] != e->out[0] || out[1] != e->out[1])
			return violation(e, "INV-35", "%s: the module returns pair 0x%llx/0x%llx, the trace says 0x%llx/0x%llx",
					 name, (unsigned long long)out[0],
					 (unsigned long long)out[1],
					 (unsigned long long)e->out[0],
					 (unsigned long long)e->out[1]);
	}
	return false;
}

/* ---------------- SPTE changes (SPEC A7) ---------------- */

static bool in_zap_range(const struct event *op, u64 gfn, int level)
{
	return gfn >= op->start && gfn + PAGES(level) <= op->end;
}

static bool check_spte(const struct event *e)
{
	struct cpu_state *c = &cpus[e->cpu];
	struct shadow *s;
	u64 old = e->old_spte, new = e->new_spte;
	bool was_leaf = model_leaf(old, e->level), is_leaf = model_leaf(new, e->level);

	count.sptes++;
	if (e->as_id)
		return violation(e, "SPEC-A7", "as_id %d: TDX has one address space", e->as_id);
	if (e->gfn % PAGES(e->level))
		return violation(e, "SPEC-A7", "gfn 0x%llx is not aligned to level %d",
				 (unsigned long long)e->gfn, e->level);
	if (old == new)
		return violation(e, "SPEC-A7", "a change from a value to itself is never traced (B5)");
	s = sh_find(e->gfn, e->level, true);
	if (old == SPEC_FROZEN_SPTE)
		return violation(e, "INV-03", "gfn 0x%llx level %d: a frozen SPTE reached the bookkeeping as the old value",
				 (unsigned long long)e->gfn, e->level);
	if (s->state == SH_SPLIT_LEAF ? !(was_leaf && model_pfn(old) == s->spte) :
	    s->spte != old && !(s->spte == SPEC_SHADOW_NONPRESENT_VALUE &&
				!model_present(old) && old != SPEC_FROZEN_SPTE))
		return violation(e, "SPEC-A7", "gfn 0x%llx level %d: old SPTE 0x%llx, but the last change left 0x%llx (a change without its bookkeeping, or a lost event)",
				 (unsigned long long)e->gfn, e->level,
				 (unsigned long long)old,
				 (unsigned long long)(s->state == SH_SPLIT_LEAF ? 0 : s->spte));
	if (!inv_06_no_retarget(old, new, e->level))
		return violation(e, "INV-06", "gfn 0x%llx level %d: a present leaf retargeted from pfn 0x%llx to 0x%llx",
				 (unsigned long long)e->gfn, e->level,
				 (unsigned long long)model_pfn(old),
				 (unsigned long long)model_pfn(new));
	if (!inv_07_no_promotion(old, new, e->level, true))
		return violation(e, "INV-07", "gfn 0x%llx level %d: a mirror table replaced by a huge leaf",
				 (unsigned long long)e->gfn, e->level);
	if (new == SPEC_FROZEN_SPTE) {
		/* only the children of a table just unlinked (B6) */
		struct shadow *p = e->level < 5 ?
			sh_find(e->gfn & ~(PAGES(e->level + 1) - 1), e->level + 1, false) : NULL;

		if (p && p->state == SH_EXACT && model_present(p->spte) &&
		    !model_leaf(p->spte, e->level + 1))
			return violation(e, "INV-03", "gfn 0x%llx level %d: frozen at rest in a table still linked",
					 (unsigned long long)e->gfn, e->level);
	}
	if (c->op == OP_ZAP && was_leaf && !is_leaf && !model_present(new) &&
	    !in_zap_range(c->op_ev, e->gfn, e->level))
		return violation(e, "SPEC-0.4.5", "zap [0x%llx, 0x%llx) removes the leaf at gfn 0x%llx level %d: outside its range (overzap)",
				 (unsigned long long)c->op_ev->start,
				 (unsigned long long)c->op_ev->end,
				 (unsigned long long)e->gfn, e->level);
	if ((c->op == OP_MAP || c->op == OP_INIT_MEM) && is_leaf && !was_leaf &&
	    c->op_ev->gfn >= e->gfn && c->op_ev->gfn < e->gfn + PAGES(e->level))
		c->installed_leaf = true;

	s->state = SH_EXACT;
	s->spte = new;
	if (model_present(new) && !is_leaf) {
		sh_clear_below(e->gfn, e->level);
		if (was_leaf) {
			/* a split: the new table holds the leaf's pages, 4K each */
			for (u64 i = 0; i < 512; i++) {
				struct shadow *k = sh_find(e->gfn + i * PAGES(e->level - 1),
							   e->level - 1, true);

				k->state = SH_SPLIT_LEAF;
				k->spte = model_pfn(old) + i * PAGES(e->level - 1);
			}
		}
	}
	return false;
}

/* ---------------- entry points ---------------- */

static bool shadow_leaf_at(u64 gfn, u64 *pfn, int *level)
{
	for (int l = 1; l <= 5; l++) {
		struct shadow *s = sh_find(gfn & ~(PAGES(l) - 1), l, false);

		if (!s)
			continue;
		if (s->state == SH_SPLIT_LEAF) {
			*pfn = s->spte + (gfn & (PAGES(l) - 1));
			*level = l;
			return true;
		}
		if (s->state == SH_EXACT && model_leaf(s->spte, l)) {
			*pfn = model_pfn(s->spte) + (gfn & (PAGES(l) - 1));
			*level = l;
			return true;
		}
	}
	return false;
}

/*
 * Another CPU's install of @op's leaf can be seen before its events: the
 * SPTE is stored after AUG succeeded and its event emitted after the
 * store, and the kernel's trace clock orders two CPUs' events only
 * loosely.  A SPURIOUS map is accepted while another CPU is inside a map
 * of the same gfn and pfn; that map must then have installed the leaf
 * by the time it returns (checked at its ret).
 */
static bool install_in_flight(const struct event *ret, const struct event *op)
{
	for (int i = 0; i < MAX_CPUS; i++) {
		struct cpu_state *o = &cpus[i];

		if (i == ret->cpu || o->op != OP_MAP || !o->op_ev ||
		    o->op_ev->gfn != op->gfn || o->op_ev->pfn != op->pfn ||
		    o->op_ev->level != op->level)
			continue;
		o->claim = ret;
		return true;
	}
	return false;
}

static bool check_ret(const struct event *e)
{
	struct cpu_state *c = &cpus[e->cpu];
	const struct event *op = c->op_ev;
	u64 pfn;
	int level;

	count.ops++;
	if (c->claim && !bugged && (!shadow_leaf_at(op->gfn, &pfn, &level) ||
				    pfn != op->pfn))
		return violation(c->claim, "SPEC-B7", "map of gfn 0x%llx returned %lld on cpu %d, but the map of cpu %d that was running (line %d) did not install it",
				 (unsigned long long)op->gfn, c->claim->ret,
				 c->claim->cpu, e->cpu, op->line);
	if (c->refused && !e->bugged)
		return violation(c->refused, rule_of(c->refused_why),
				 "%s: the module refuses this call in its state: %s (and the VM is not bugged when %s returns)",
				 tdxsim_call_name(c->refused->leaf), c->refused_why,
				 op_names[e->op]);
	switch (e->op) {
	case OP_MAP:
	case OP_INIT_MEM:
		if (e->op == OP_MAP ? e->ret == RET_PF_FIXED || e->ret == RET_PF_SPURIOUS :
		    !e->ret) {
			if (!bugged && (!shadow_leaf_at(op->gfn, &pfn, &level) ||
					pfn != op->pfn) &&
			    !(e->op == OP_MAP && e->ret == RET_PF_SPURIOUS &&
			      install_in_flight(e, op)))
				return violation(e, "SPEC-B7", "map of gfn 0x%llx returned %lld, but the mirror does not map it to pfn 0x%llx",
						 (unsigned long long)op->gfn, e->ret,
						 (unsigned long long)op->pfn);
		} else if (c->installed_leaf && shadow_leaf_at(op->gfn, &pfn, &level)) {
			return violation(e, "INV-12", "map of gfn 0x%llx failed (%lld) but left the leaf it installed",
					 (unsigned long long)op->gfn, e->ret);
		}
		break;
	case OP_ZAP:
		if (!bugged && e->ret >= -2 /* -ENOENT: nothing there */) {
			for (u64 i = 0; i < sh_cap; i++) {
				struct shadow *s = &sh[i];

				if (s->state == SH_EMPTY || s->state == SH_DELETED ||
				    (s->state == SH_EXACT && !model_leaf(s->spte, s->level)))
					continue;
				if (s->gfn < op->end && s->gfn + PAGES(s->level) > op->start &&
				    (s->level == 1 || sh_find(s->gfn & ~(PAGES(s->level + 1) - 1),
							      s->level + 1, false)))
					return violation(e, "SPEC-B8", "zap [0x%llx, 0x%llx) returned %lld and left the leaf at gfn 0x%llx level %d",
							 (unsigned long long)op->start,
							 (unsigned long long)op->end, e->ret,
							 (unsigned long long)s->gfn, s->level);
			}
		}
		break;
	case OP_PAMT_GET:
		if (op->level > 1 && (e->ret || c->pamt_refs))
			return violation(e, "INV-37", "a get at level %d returned %lld with %ld refcount change(s): above 4K it is a no-op",
					 op->level, e->ret, c->pamt_refs);
		if (e->ret && e->ret != -12 && e->ret != -5 && e->ret != -22)
			return violation(e, "INV-36", "a get returned %lld: only -ENOMEM, -EIO (or -EINVAL outside TDX memory)",
					 e->ret);
		break;
	case OP_PAMT_PUT:
		if (op->level > 1 && c->pamt_refs)
			return violation(e, "INV-37", "a put at level %d changed the refcount", op->level);
		break;
	default:
		break;
	}
	return false;
}

/* The references the API's callers now hold (users of their regions). */
static void ret_bookkeeping(const struct event *e)
{
	const struct event *op = cpus[e->cpu].op_ev;
	struct region *r;

	switch (e->op) {
	case OP_PAMT_GET:
		if (!e->ret && op->level == 1)
			reg(op->pfn)->direct++;
		break;
	case OP_PAMT_PUT:
	case OP_CTRL_FREE:
		r = reg(op->pfn);
		if ((e->op == OP_CTRL_FREE || op->level == 1) && r->direct > 0)
			r->direct--;
		break;
	case OP_CTRL_ALLOC:
		if (!e->ret && e->has_pfn)
			reg(e->pfn)->direct++;
		break;
	default:
		break;
	}
}

/* ---------------- whenever no entry point is in flight ---------------- */

static bool check_quiescent(const struct event *e)
{
	static u8 owner[512];
	static bool unclean[512];
	unsigned int cur = 0;
	enum tdx_sept_state st;
	u64 gpa, pfn;
	int level;

	count.quiescent++;
	/* the mirror against the module: INV-10, INV-11, INV-03 */
	if (td && tdxsim_td_state(td) != TDX_TD_TEARDOWN && !bugged) {
		for (u64 i = 0; i < sh_cap; i++) {
			struct shadow *s = &sh[i];
			bool leaf;

			if (s->state == SH_EMPTY || s->state == SH_DELETED)
				continue;
			if (s->state == SH_EXACT && !model_present(s->spte))
				continue;
			tdxmm_evidence(10);
			leaf = s->state == SH_SPLIT_LEAF || model_leaf(s->spte, s->level);
			st = tdxsim_sept_entry(td, s->gfn << 12, s->level, &pfn);
			if (leaf ? (st != SEPT_MAPPED && st != SEPT_PENDING) ||
				   pfn != (s->state == SH_SPLIT_LEAF ? s->spte : model_pfn(s->spte)) :
				   st != SEPT_NL_MAPPED)
				return violation(e, "INV-10", "the mirror has a present %s at gfn 0x%llx level %d; the S-EPT entry is in state 0x%x (pfn 0x%llx)",
						 leaf ? "leaf" : "table",
						 (unsigned long long)s->gfn, s->level, st,
						 (unsigned long long)pfn);
		}
		while (tdxsim_next_entry(td, &cur, &gpa, &level, &st, &pfn)) {
			u64 p;
			int l;

			tdxmm_evidence(11);
			if (st == SEPT_NL_MAPPED) {
				struct shadow *s = sh_find(gpa >> 12, level, false);

				if (s && s->state == SH_EXACT && model_present(s->spte))
					continue;
			} else if (shadow_leaf_at(gpa >> 12, &p, &l) && l == level) {
				continue;
			}
			return violation(e, "INV-11", "the S-EPT entry at gpa 0x%llx level %d is in state 0x%x; the mirror has nothing present there",
					 (unsigned long long)gpa, level, st);
		}
	}
	/* the refcounts against the pages' uses: INV-30..32, INV-34 */
	for (int i = 0; i < nregs && dpamt; i++) {
		struct region *r = &regs[i];
		enum tdx_pamt_node node = tdxsim_pamt_node(r->r << 9);
		long long users = r->direct;
		bool dirty = false;

		tdxsim_page_infos(r->r << 9, 512, owner, unclean);
		for (int k = 0; k < 512; k++) {
			dirty |= unclean[k];
			if ((owner[k] == TDX_PAGE_TD_PRIVATE && node != PAMT_NODE_2M) ||
			    owner[k] == TDX_PAGE_SEPT || owner[k] == TDX_PAGE_CONTROL ||
			    (unclean[k] && owner[k] == TDX_PAGE_KERNEL && !r->huge_dirty))
				users++;
		}
		if (!dirty)
			r->huge_dirty = false;
		tdxmm_evidence(30);
		tdxmm_evidence(31);
		tdxmm_evidence(32);
		tdxmm_evidence(34);
		if (r->rc < 0)
			return violation(e, "INV-30", "region 0x%llx: refcount %lld below zero",
					 (unsigned long long)r->r, r->rc);
		if (r->rc > 0 && node != PAMT_NODE_PAMT)
			return violation(e, "INV-31", "region 0x%llx: refcount %lld without a PAMT pair",
					 (unsigned long long)r->r, r->rc);
		if (r->rc == 0 && node == PAMT_NODE_PAMT)
			return violation(e, "INV-32", "region 0x%llx: a PAMT pair installed with refcount 0",
					 (unsigned long long)r->r);
		if (r->rc < users)
			return violation(e, "INV-34", "region 0x%llx: refcount %lld, but %lld uses (pages the module holds, lines to write back, callers' references)",
					 (unsigned long long)r->r, r->rc, users);
		if (r->rc > users + r->leaked)
			return violation(e, "INV-30", "region 0x%llx: refcount %lld, but only %lld uses%s",
					 (unsigned long long)r->r, r->rc, users,
					 r->leaked ? " and a leaked pair" : "");
	}
	return false;
}

/* ---------------- the run ---------------- */

/* The module, the mirror, the counts: as at the start of a trace. */
static void fresh_world(void)
{
	if (sh)
		memset(sh, 0, sh_cap * sizeof(*sh));
	sh_used = 0;
	nregs = 0;
	td = NULL;
	bugged = leaked = false;
	tdxsim_reset();
	tdxsim_set_dpamt(dpamt);
	tdxsim_set_quirk(quirk);
}

static bool step(const struct event *e)
{
	struct cpu_state *c = &cpus[e->cpu];

	switch (e->kind) {
	case EV_OP:
		if (c->op >= 0)
			return violation(e, "TRACE", "cpu %d enters %s inside %s (line %d)",
					 e->cpu, op_names[e->op], op_names[c->op], c->op_ev->line);
		*c = (struct cpu_state){ .op = e->op, .op_ev = e };
		in_flight++;
		return false;
	case EV_RET:
		if (c->op != e->op)
			return violation(e, "TRACE", "cpu %d returns from %s, but %s", e->cpu,
					 op_names[e->op], c->op < 0 ? "no operation is in flight" :
					 op_names[c->op]);
		if (bugged && !e->bugged)
			return violation(e, "SPEC-KVM_BUG_ON", "the VM was bugged and now is not: the flag is sticky");
		bugged = e->bugged;
		/* the state first (INV-xx), then what the result claims */
		ret_bookkeeping(e);
		in_flight--;
		if (!in_flight && check_quiescent(e))
			return true;
		if (check_ret(e))
			return true;
		c->op = -1;
		return false;
	case EV_SEAMCALL:
		return check_seamcall(e);
	case EV_SPTE:
		return check_spte(e);
	case EV_RESET:
		/* a harness starting over: check the life that ends, forget it */
		if (in_flight)
			return violation(e, "TRACE", "a reset while an entry point is in flight");
		if (td && check_quiescent(e))
			return true;
		count.resets_module++;
		fresh_world();
		return false;
	case EV_PAMT_REF:
		count.refs++;
		c->pamt_refs++;
		reg(e->pfn)->rc += e->delta;
		return false;
	default: {
		unsigned long rej = tdxsim_rejections();

		count.resets++;
		tdx_quirk_reset_page(e->pfn);
		if (tdxsim_rejections() != rej)
			return violation(e, "INV-18", "the kernel resets page 0x%llx: %s",
					 (unsigned long long)e->pfn,
					 tdxsim_last_rejection(NULL));
		return false;
	}
	}
}

/* Everything a run leaves behind: a fresh checker (the fuzzer runs many). */
static void reset_checker(void)
{
	nev = 0;
	free(sh);
	sh = NULL;
	sh_cap = sh_used = 0;
	nregs = 0;
	in_flight = 0;
	td = NULL;
	bugged = leaked = second_td = false;
	tie_a = tie_b = NULL;
	seq_a = seq_b = NULL;
	viol_ev = NULL;
	dpamt = quirk = true;
	memset(&count, 0, sizeof(count));
	for (int i = 0; i < MAX_CPUS; i++)
		cpus[i] = (struct cpu_state){ .op = -1 };
}

/* Order the events read, replay them; 0 if they conform (or -1: no memory). */
static int check_events(void)
{
	const struct event *last_call = NULL;

	qsort(evs, nev, sizeof(*evs), ev_cmp);
	for (long i = 1; i < nev; i++) {
		if (!tie_a && evs[i].ts == evs[i - 1].ts && evs[i].cpu != evs[i - 1].cpu) {
			tie_a = &evs[i - 1];
			tie_b = &evs[i];
		}
	}
	/*
	 * The module numbers its calls: a trace whose timestamps put a call
	 * before one the module made earlier has a cross-CPU order that is
	 * not the real one (a kernel's trace clock across CPUs), and its
	 * cross-CPU verdicts cannot be trusted.
	 */
	for (long i = 0; i < nev; i++) {
		if (evs[i].kind == EV_RESET)
			last_call = NULL;
		if (evs[i].kind != EV_SEAMCALL)
			continue;
		if (!seq_a && last_call && evs[i].seq < last_call->seq &&
		    evs[i].cpu != last_call->cpu) {
			seq_a = last_call;
			seq_b = &evs[i];
		}
		last_call = &evs[i];
	}
	tdxsim_set_single_threaded(true);
	if (!sim_image)
		sim_image = malloc(tdxsim_state_size());
	if (!sim_image)
		return -1;
	fresh_world();
	for (long i = 0; i < nev && !viol_ev; i++)
		step(&evs[i]);
	if (!viol_ev && !in_flight && nev)
		check_quiescent(&evs[nev - 1]);
	return 0;
}

static double now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static const char *ev_name(const struct event *e)
{
	static const char *const n[] = { "op", "ret", "seamcall", "spte", "pamt_ref",
					 "page_reset", "reset" };

	return n[e->kind];
}

static void usage(void)
{
	fprintf(stderr, "usage: tdxmm-conform [--json FILE] [--quiet] TRACE.jsonl...\n"
		"  exit 0 conforms, 1 violation, 2 bad input, 3 order undecided\n");
	exit(2);
}

#ifndef TDXMM_CONFORM_NO_MAIN
int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *json = NULL, *verdict;
	bool quiet = false;
	double t0, secs;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = optarg; break;
		case 'q': quiet = true; break;
		case 'h': usage(); break;
		default:
			fprintf(stderr, "tdxmm-conform: unknown option or missing argument: %s\n",
				argv[optind - 1]);
			usage();
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tdxmm-conform: no trace given\n");
		usage();
	}
	reset_checker();
	for (int i = optind; i < argc; i++)
		if (read_trace(argv[i]))
			return 2;
	t0 = now();
	if (check_events()) {
		perror("tdxmm-conform");
		return 2;
	}
	secs = now() - t0;
	verdict = !viol_ev ? "conforms" : tie_a || seq_a ? "undecided" : "violation";
	rc = !viol_ev ? 0 : tie_a || seq_a ? 3 : 1;
	if (viol_ev)
		printf("%s:%d: %s: %s: %s\n", viol_ev->file, viol_ev->line,
		       ev_name(viol_ev), viol_inv, viol_why);
	if (seq_a && viol_ev)
		printf("tdxmm-conform: %s:%d (call %llu) comes after %s:%d (call %llu) in timestamp order: the trace's order across CPUs is not the module's\n",
		       seq_b->file, seq_b->line, (unsigned long long)seq_b->seq,
		       seq_a->file, seq_a->line, (unsigned long long)seq_a->seq);
	if (tie_a && viol_ev)
		printf("tdxmm-conform: %s:%d and %s:%d carry the same timestamp on CPUs %d and %d: the order checked is one of several\n",
		       tie_a->file, tie_a->line, tie_b->file, tie_b->line,
		       tie_a->cpu, tie_b->cpu);
	if (!quiet || viol_ev)
		printf("tdxmm-conform: %s: %ld events (%llu SEAMCALLs, %llu SPTE changes, %llu refcount changes, %llu entry points, %llu page resets, %llu restarts), %llu quiescent checks, %.3f s, %.0f events/s%s\n",
		       verdict, nev, (unsigned long long)count.seamcalls,
		       (unsigned long long)count.sptes, (unsigned long long)count.refs,
		       (unsigned long long)count.ops, (unsigned long long)count.resets,
		       (unsigned long long)count.resets_module,
		       (unsigned long long)count.quiescent, secs, nev / (secs + 1e-9),
		       in_flight ? " (the trace ends inside an entry point)" : "");
	if (json) {
		FILE *f = fopen(json, "w");

		if (!f) {
			perror(json);
			return 2;
		}
		fprintf(f, "{\"verdict\": \"%s\", \"events\": %ld, \"seamcalls\": %llu, \"spte\": %llu, \"pamt_ref\": %llu, \"ops\": %llu, \"quiescent_checks\": %llu, \"seconds\": %.4f",
			verdict, nev, (unsigned long long)count.seamcalls,
			(unsigned long long)count.sptes, (unsigned long long)count.refs,
			(unsigned long long)count.ops, (unsigned long long)count.quiescent, secs);
		if (viol_ev)
			fprintf(f, ", \"first_violation\": {\"file\": \"%s\", \"line\": %d, \"event\": \"%s\", \"invariant\": \"%s\"}",
				viol_ev->file, viol_ev->line, ev_name(viol_ev), viol_inv);
		fprintf(f, ", \"evidence\": {");
		for (int n = 1, k = 0; n < TDXMM_NR_INV; n++)
			if (tdxmm_inv_evaluated[n])
				fprintf(f, "%s\"INV-%02d\": %llu", k++ ? ", " : "", n,
					(unsigned long long)tdxmm_inv_evaluated[n]);
		fprintf(f, "}}\n");
		fclose(f);
	}
	return rc;
}
#endif
