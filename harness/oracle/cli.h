/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line helpers shared by harness/bmc and harness/mc (with the oracle). */
#ifndef TDXMM_HARNESS_CLI_H
#define TDXMM_HARNESS_CLI_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * @arg as a whole decimal number in [lo, hi]; anything else is named on
 * stderr ("PROG: OPT wants a number LO..HI, not 'ARG'") and gives -1.
 */
static inline int cli_number(const char *prog, const char *opt,
			     const char *arg, int lo, int hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < lo || v > hi) {
		fprintf(stderr, "%s: %s wants a number %d..%d, not '%s'\n",
			prog, opt, lo, hi, arg);
		return -1;
	}
	return (int)v;
}

#endif
