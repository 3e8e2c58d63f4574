/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bytes -> an operation sequence for the lock-step oracle (harness/bmc),
 * shared by the libFuzzer target and its trace writer, so a crash file
 * and the trace made from it are the same run.  Byte 0: root level (even:
 * 4, odd: 3).  Then per step two bytes: operation, and fault (0: none;
 * else kind, call #1..#3, status and "persistent" packed); a fault byte
 * is followed by one status byte.
 */
#ifndef TDXMM_FUZZ_DECODE_H
#define TDXMM_FUZZ_DECODE_H

#include "oracle.h"
#include "tdx_module.h"

#define FUZZ_MAX_STEPS 64

static inline int fuzz_decode(const u8 *data, size_t size, struct bmc_cfg *cfg,
			      struct bmc_choice *steps)
{
	size_t i = 1;
	int n = 0;

	cfg->root_level = size && (data[0] & 1) ? 3 : 4;
	cfg->faults = BMC_FAULTS_ALL;
	cfg->strict_faults = false;
	while (i < size && n < FUZZ_MAX_STEPS) {
		struct bmc_choice c = { .op = data[i] % oracle_nr_ops() };
		u8 f = i + 1 < size ? data[i + 1] : 0;

		i += 2;
		if (f) {
			int nr;

			c.armed = 1;
			c.sc = (f & 0x0f) % SC_NR;
			c.nth = 1 + ((f >> 4) & 3) % 3;
			c.always = f >> 7;
			tdxsim_statuses(c.sc, &nr);
			c.st = (i < size ? data[i++] : 0) % nr;
			c.always &= (tdxsim_statuses(c.sc, &nr)[c.st] &
				     TDX_STATUS_MASK) == TDX_OPERAND_BUSY;
		}
		steps[n++] = c;
	}
	return n;
}

#endif
