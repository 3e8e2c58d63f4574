/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxmm's trace events (docs/TRACE-FORMAT.md).  kvm_tdp_mmu_spte_changed is
 * upstream's (arch/x86/kvm/mmu/mmutrace.h), same prototype and fields; the
 * others are tdxmm's: a SEAMCALL with its arguments and status as the
 * simulator saw it, a DPAMT refcount change, the quirk reset, and the
 * entry points the KUnit scenarios report.  scripts/tracefs2jsonl.py reads
 * their text (TP_printk) back into the trace format.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM tdxmm

#if !defined(_TDXMM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TDXMM_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(kvm_tdp_mmu_spte_changed,
	TP_PROTO(int as_id, gfn_t gfn, int level, u64 old_spte, u64 new_spte),
	TP_ARGS(as_id, gfn, level, old_spte, new_spte),
	TP_STRUCT__entry(
		__field(u64, gfn)
		__field(u64, old_spte)
		__field(u64, new_spte)
		__field(u8, level)
		__field(u8, as_id)
	),
	TP_fast_assign(
		__entry->gfn = gfn;
		__entry->old_spte = old_spte;
		__entry->new_spte = new_spte;
		__entry->level = level;
		__entry->as_id = as_id;
	),
	TP_printk("as id %d gfn %llx level %d old_spte %llx new_spte %llx",
		  __entry->as_id, __entry->gfn, __entry->level,
		  __entry->old_spte, __entry->new_spte)
);

TRACE_EVENT(tdx_pamt_refcount,
	TP_PROTO(u64 pfn, int delta),
	TP_ARGS(pfn, delta),
	TP_STRUCT__entry(
		__field(u64, pfn)
		__field(int, delta)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->delta = delta;
	),
	TP_printk("pfn %llx delta %d", __entry->pfn, __entry->delta)
);

TRACE_EVENT(tdx_seamcall,
	TP_PROTO(const char *leaf, u64 seq, u64 td, u64 gpa, int level, u64 pfn,
		 u64 arg0, u64 arg1, u64 status, u64 out0, u64 out1, u64 out2),
	TP_ARGS(leaf, seq, td, gpa, level, pfn, arg0, arg1, status, out0, out1,
		out2),
	TP_STRUCT__entry(
		__string(leaf, leaf)
		__field(u64, seq)
		__field(u64, td)
		__field(u64, gpa)
		__field(u64, pfn)
		__field(u64, arg0)
		__field(u64, arg1)
		__field(u64, status)
		__field(u64, out0)
		__field(u64, out1)
		__field(u64, out2)
		__field(int, level)
	),
	TP_fast_assign(
		__assign_str(leaf, leaf);
		__entry->seq = seq;
		__entry->td = td;
		__entry->gpa = gpa;
		__entry->pfn = pfn;
		__entry->arg0 = arg0;
		__entry->arg1 = arg1;
		__entry->status = status;
		__entry->out0 = out0;
		__entry->out1 = out1;
		__entry->out2 = out2;
		__entry->level = level;
	),
	TP_printk("leaf %s seq %llu td %llx gpa %llx level %d pfn %llx arg %llx %llx status %llx out %llx %llx %llx",
		  __get_str(leaf), __entry->seq, __entry->td, __entry->gpa,
		  __entry->level, __entry->pfn, __entry->arg0, __entry->arg1,
		  __entry->status, __entry->out0, __entry->out1, __entry->out2)
);

TRACE_EVENT(tdx_page_reset,
	TP_PROTO(u64 pfn, u64 status),
	TP_ARGS(pfn, status),
	TP_STRUCT__entry(
		__field(u64, pfn)
		__field(u64, status)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->status = status;
	),
	TP_printk("pfn %llx status %llx", __entry->pfn, __entry->status)
);

/* The harness started over: a fresh module, fresh DPAMT refcounts. */
TRACE_EVENT(tdx_module_reset,
	TP_PROTO(u64 seq),
	TP_ARGS(seq),
	TP_STRUCT__entry(
		__field(u64, seq)
	),
	TP_fast_assign(
		__entry->seq = seq;
	),
	TP_printk("calls %llu", __entry->seq)
);

/* An entry point: @args are its JSON members (docs/TRACE-FORMAT.md). */
TRACE_EVENT(tdxmm_op,
	TP_PROTO(const char *op, const char *args),
	TP_ARGS(op, args),
	TP_STRUCT__entry(
		__string(op, op)
		__string(args, args)
	),
	TP_fast_assign(
		__assign_str(op, op);
		__assign_str(args, args);
	),
	TP_printk("op %s {%s}", __get_str(op), __get_str(args))
);

TRACE_EVENT(tdxmm_ret,
	TP_PROTO(const char *op, long ret, bool bugged),
	TP_ARGS(op, ret, bugged),
	TP_STRUCT__entry(
		__string(op, op)
		__field(long, ret)
		__field(bool, bugged)
	),
	TP_fast_assign(
		__assign_str(op, op);
		__entry->ret = ret;
		__entry->bugged = bugged;
	),
	TP_printk("op %s ret %ld bugged %d", __get_str(op), __entry->ret,
		  __entry->bugged)
);

#endif /* _TDXMM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE tdxmm_trace
#include <trace/define_trace.h>
