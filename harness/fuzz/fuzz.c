// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: bytes decode (decode.h) into an operation sequence
 * with injected SEAMCALL failures, run on impl/ and model/ in lock-step by
 * the bounded checker's oracle (every checker after every step: the same
 * oracle, not a copy).  A violation aborts, so libFuzzer keeps the input;
 * `build/fuzz/fuzz-trace CRASH OUT.trace` turns it into a trace for
 * scripts/bmc-to-test.sh.
 */
#include <stdio.h>
#include <stdlib.h>

#include "decode.h"
#include "evidence.h"

#ifdef FUZZ_TO_TRACE
int main(int argc, char **argv)
{
	static u8 buf[1 << 16];
	struct bmc_choice steps[FUZZ_MAX_STEPS];
	struct bmc_cfg cfg;
	FILE *in, *out;
	size_t len;
	int n;

	if (argc != 3 || !(in = fopen(argv[1], "rb")) || !(out = fopen(argv[2], "w"))) {
		fprintf(stderr, "usage: fuzz-trace CRASH-INPUT OUT.trace\n");
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	n = fuzz_decode(buf, len, &cfg, steps);
	fprintf(out, "# tdxmm trace from fuzz input %s\nroot %d\n", argv[1],
		cfg.root_level);
	for (int i = 0; i < n; i++) {
		char line[128];

		oracle_format(&steps[i], line, sizeof(line));
		fprintf(out, "step %s\n", line);
	}
	fclose(out);
	return 0;
}
#else
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct bmc_choice steps[FUZZ_MAX_STEPS];
	struct bmc_cfg cfg;
	int n = fuzz_decode(data, size, &cfg, steps);

	if (oracle_reset(&cfg)) {
		fprintf(stderr, "fuzz: set-up failed: %s\n", oracle_reset_why);
		abort();
	}
	for (int i = 0; i < n; i++) {
		struct bmc_result r;

		oracle_step(&steps[i], &r);
		if (r.inv) {
			char line[128];

			oracle_format(&steps[i], line, sizeof(line));
			fprintf(stderr, "fuzz: step %d (%s) violates %s: %s\n",
				i + 1, line, r.inv, r.why);
			abort();
		}
		/* past a bugged VM too: what follows must fail cleanly */
	}
	return 0;
}

/*
 * At exit (libFuzzer exits when its time is up): the checks the oracle
 * evaluated over the whole campaign, for the report ($TDXMM_EVIDENCE_OUT).
 */
__attribute__((destructor)) static void write_evidence(void)
{
	const char *path = getenv("TDXMM_EVIDENCE_OUT");
	FILE *f;

	if (!path || !(f = fopen(path, "w")))
		return;
	fprintf(f, "fuzz: evidence (checks evaluated):");
	for (int n = 1; n < TDXMM_NR_INV; n++)
		if (tdxmm_inv_evaluated[n])
			fprintf(f, " INV-%02d=%llu", n,
				(unsigned long long)tdxmm_inv_evaluated[n]);
	fprintf(f, "\n");
	fclose(f);
}
#endif
