// SPDX-License-Identifier: GPL-2.0
/*
 * Regression traces of the bounded checker: every .trace file in tests/bmc/ (written
 * by harness/bmc on a violation, added with scripts/bmc-to-test.sh) replays
 * on the real impl/ against the model, with every checker after every step,
 * and must now run clean.  One cmocka test per file.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "oracle.h"

#define TRACE_DIR "tests/bmc"
#define MAX_TRACES 256

static char paths[MAX_TRACES][256];

static void replay_trace(void **state)
{
	const char *path = *state;
	struct bmc_result r;
	int n = oracle_replay_file(path, stdout, &r);

	if (n <= 0)
		fail_msg("%s: unreadable or empty trace", path);
	if (r.inv)
		fail_msg("%s: step %d violates %s: %s", path, n, r.inv, r.why);
}

int main(void)
{
	static struct CMUnitTest tests[MAX_TRACES];
	DIR *d = opendir(TRACE_DIR);
	struct dirent *e;
	int n = 0;

	if (!d) {
		fprintf(stderr, "test_bmc_traces: no %s\n", TRACE_DIR);
		return 1;
	}
	while ((e = readdir(d)) && n < MAX_TRACES) {
		size_t len = strlen(e->d_name);

		if (len < 7 || strcmp(e->d_name + len - 6, ".trace"))
			continue;
		snprintf(paths[n], sizeof(paths[n]), "%s/%s", TRACE_DIR, e->d_name);
		tests[n] = (struct CMUnitTest){
			.name = paths[n] + sizeof(TRACE_DIR),
			.test_func = replay_trace,
			.initial_state = paths[n],
		};
		n++;
	}
	closedir(d);
	if (!n) {
		fprintf(stderr, "test_bmc_traces: no traces in %s\n", TRACE_DIR);
		return 1;
	}
	return _cmocka_run_group_tests("bmc_traces", tests, n, NULL, NULL);
}
