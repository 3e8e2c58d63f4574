/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Execution-context rules the user backend enforces at run time, as the
 * kernel's might_sleep() and lockdep do in the kernel backend: INV-38 (no
 * sleeping allocation under a lock, in RCU or in softirq) and INV-39
 * (lockdep's softirq rule for a lock such as pamt_lock).
 */
#ifndef TDXMM_MODEL_CONTEXT_CHECK_H
#define TDXMM_MODEL_CONTEXT_CHECK_H

#include "env.h"

/* INV-38: may a context holding @locks_held locks, in @rcu_depth RCU read
 * sections, @softirq_depth softirqs deep, sleep?  NULL if so. */
const char *check_may_sleep(int locks_held, int rcu_depth, int softirq_depth);

/* How a lock has been taken so far (lockdep's usage bits, softirq only). */
#define LOCK_USED_IN_SOFTIRQ	0x1	/* taken in softirq context */
#define LOCK_USED_SOFTIRQ_ON	0x2	/* taken in task context, softirqs on */

/* The usage bit one acquisition in this context adds. */
u8 lock_usage_bit(int softirq_depth, int bh_disabled);
/*
 * INV-39: "INV-39" once a lock's usage has it taken both in softirq and in
 * task context with softirqs enabled: a softirq interrupting a holder on
 * the same CPU would spin on it forever (R3).
 */
const char *check_lock_usage(u8 usage);

#endif
