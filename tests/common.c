// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

int lockdep_hits;
char lockdep_msg[256];
jmp_buf bug_jmp;
bool bug_armed;

static void lockdep_hook(const char *msg)
{
	lockdep_hits++;
	snprintf(lockdep_msg, sizeof(lockdep_msg), "%s", msg);
}

static void bug_hook(const char *file, int line)
{
	if (bug_armed) {
		bug_armed = false;
		longjmp(bug_jmp, 1);
	}
	fprintf(stderr, "unexpected BUG at %s:%d\n", file, line);
	abort();
}

void install_test_hooks(void)
{
	tdxmm_lockdep_fail_hook = lockdep_hook;	/* reset_env() drops it */
	tdxmm_bug_hook = bug_hook;
	lockdep_hits = 0;
	lockdep_msg[0] = 0;
}
