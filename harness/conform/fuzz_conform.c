// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer on tdxmm-conform: the bytes are a trace; the reader must turn
 * any of them into events or a FILE:LINE: error, and the checker must judge
 * any events without crashing or leaking (ASan + UBSan).  A seed corpus of
 * small real traces: tests/conform/corpus.
 */
#define TDXMM_CONFORM_NO_MAIN
#include "conform.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f;

	errors_quiet = true;
	reset_checker();
	if (!size)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	if (read_stream(f, "fuzz") == 0)
		check_events();
	return 0;
}
