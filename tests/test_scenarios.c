// SPDX-License-Identifier: GPL-2.0
/*
 * cmocka runner of the shared scenario table (tests/scenarios.c); KUnit
 * runs the same table in harness/kernel.  Here each scenario's SPTE
 * accesses are also traced and judged by the slot model (INV-02..05).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "scenarios.h"
#include "trace_model.h"

struct scn { int unused; };

void scn_fail(struct scn *s, const char *file, int line, const char *what,
	      u64 a, u64 b)
{
	fail_msg("%s:%d: %s (0x%llx != 0x%llx)", file, line, what,
		 (unsigned long long)a, (unsigned long long)b);
}

void scn_trace_begin(struct scn *s, struct kvm *kvm, u64 *sptep)
{
	trace_start(kvm, sptep);
}

void scn_trace_end(struct scn *s, u64 initial, u64 final)
{
	trace_check(initial, final, true);
}

static void run(void **state)
{
	const struct scenario *sc = *state;
	struct scn s;

	tdxmm_env_reset_stats();
	tdxmm_lockdep_reset_thread();
	sc->run(&s);
}

int main(void)
{
	struct CMUnitTest *t = calloc(tdxmm_nr_scenarios, sizeof(*t));
	int rc;

	tdxmm_warn_quiet = true;
	for (int i = 0; i < tdxmm_nr_scenarios; i++) {
		t[i].name = tdxmm_scenarios[i].name;
		t[i].test_func = run;
		t[i].initial_state = (void *)&tdxmm_scenarios[i];
	}
	rc = _cmocka_run_group_tests("scenarios", t, tdxmm_nr_scenarios,
				     NULL, NULL);
	free(t);
	return rc;
}
