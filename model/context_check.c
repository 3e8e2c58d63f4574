// SPDX-License-Identifier: GPL-2.0
/* INV-38/INV-39 context checkers (context_check.h). */
#include "context_check.h"

const char *check_may_sleep(int locks_held, int rcu_depth, int softirq_depth)
{
	return locks_held || rcu_depth || softirq_depth ? "INV-38" : NULL;
}

const char *check_lock_usage(u8 *usage, int softirq_depth, int bh_disabled)
{
	if (softirq_depth)
		*usage |= LOCK_USED_IN_SOFTIRQ;
	else if (!bh_disabled)
		*usage |= LOCK_USED_SOFTIRQ_ON;
	return (*usage & LOCK_USED_IN_SOFTIRQ) && (*usage & LOCK_USED_SOFTIRQ_ON) ?
	       "INV-39" : NULL;
}
