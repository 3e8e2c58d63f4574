// SPDX-License-Identifier: GPL-2.0
/* INV-38/INV-39 context checkers (context_check.h). */
#include "context_check.h"
#include "evidence.h"

const char *check_may_sleep(int locks_held, int rcu_depth, int softirq_depth)
{
	tdxmm_evidence(38);
	return locks_held || rcu_depth || softirq_depth ? "INV-38" : NULL;
}

u8 lock_usage_bit(int softirq_depth, int bh_disabled)
{
	if (softirq_depth)
		return LOCK_USED_IN_SOFTIRQ;
	return bh_disabled ? 0 : LOCK_USED_SOFTIRQ_ON;
}

const char *check_lock_usage(u8 usage)
{
	/* evidence only where the check can fail: a lock used in softirq */
	if (usage & LOCK_USED_IN_SOFTIRQ)
		tdxmm_evidence(39);
	return (usage & LOCK_USED_IN_SOFTIRQ) && (usage & LOCK_USED_SOFTIRQ_ON) ?
	       "INV-39" : NULL;
}
