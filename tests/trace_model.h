/* SPDX-License-Identifier: GPL-2.0 */
/* Trace the accesses to one SPTE (user backend) and replay them through
 * the slot model of model/spte_model.c. */
#ifndef TDXMM_TRACE_MODEL_H
#define TDXMM_TRACE_MODEL_H

#include "env.h"
#include "kvm.h"

extern __thread int trace_tid;	/* the thread id recorded in events */
void trace_start(struct kvm *kvm, u64 *sptep);
/* Replays the trace; fails the cmocka test on any violation, or if the
 * model does not end at @final, or if a reachable SPTE is left frozen. */
void trace_check(u64 initial, u64 final, bool reachable);

#endif
