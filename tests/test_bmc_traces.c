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

/* A trace that is empty, malformed or out of range is refused, not passed. */
static void bad_traces_are_refused(void **state)
{
	static const char *const bad[] = {
		"",				/* nothing to replay */
		"# only a comment\n",
		"root 4\n",
		"root 4\nstep map4k:0\nbogus\n",	/* unknown line */
		"root 9\nstep map4k:0\n",		/* root out of range */
		"step map4k:0\nroot 3\n",		/* root after a step */
		"root 4\nstep map4k:7\n",		/* not an operation */
		"root 4\nstep zap:0 fault=NOPE#1:0\n",	/* unknown SEAMCALL */
		"root 4\nstep to-shared:1\n",		/* not in the default universe */
		"root 4\nops to-shared:1,nope\nstep to-shared:1\n",	/* unknown op */
		"root 4\nstep map4k:0\nops map4k:0\n",	/* ops after a step */
	};
	struct bmc_result r;

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = fopen("build/tests/bad.trace", "w");

		assert_non_null(f);
		fputs(bad[i], f);
		fclose(f);
		assert_int_equal(oracle_replay_file("build/tests/bad.trace", NULL,
						    &r), -1);
	}
	assert_int_equal(oracle_replay_file("build/tests/no-such.trace", NULL,
					    &r), -1);
}

int main(void)
{
	static struct CMUnitTest tests[MAX_TRACES + 1];
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
	tests[n++] = (struct CMUnitTest){
		.name = "bad_traces_are_refused",
		.test_func = bad_traces_are_refused,
	};
	if (n == 1) {
		fprintf(stderr, "test_bmc_traces: no traces in %s\n", TRACE_DIR);
		return 1;
	}
	return _cmocka_run_group_tests("bmc_traces", tests, n, NULL, NULL);
}
