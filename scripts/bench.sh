#!/usr/bin/env bash
# make bench: wall-time ratios, then instruction ratios under callgrind.
set -eu
cd "$(dirname "$0")/.."
mkdir -p build/bench
pamt() {
	gcc -std=gnu11 -O2 -g -Iimpl -Iharness/user -Imodel -pthread \
		-o build/bench/bench_pamt harness/bench/bench_pamt.c impl/*.c \
		model/*.c harness/user/env_user.c harness/x86_ops.c
	build/bench/bench_pamt "${BENCH_PAMT_ITERS:-2000000}" | tee build/bench/pamt.txt
}
gmem() {	# a guest_memfd conversion per 4 KiB and per 2 MiB vs the zap alone
	gcc -std=gnu11 -O2 -g -Iimpl -Iharness/user -Imodel -pthread \
		-o build/bench/bench_gmem harness/bench/bench_gmem.c impl/*.c \
		model/*.c harness/user/env_user.c harness/x86_ops.c
	build/bench/bench_gmem "${BENCH_GMEM_ROUNDS:-20}" | tee build/bench/gmem.txt
}
if [ "${1:-}" = --pamt ]; then
	pamt
	exit 0
fi
# All of impl/, model/ and the env seam: the setters call into the TDX
# side now, and a partial link list rots (it did once, unnoticed).
gcc -std=gnu11 -O2 -g -Iimpl -Iharness/user -Imodel -pthread \
	-o build/bench/bench_spte harness/bench/bench_spte.c impl/*.c model/*.c \
	harness/user/env_user.c
build/bench/bench_spte "${BENCH_ITERS:-20000000}" | tee build/bench/wall.txt
if command -v valgrind >/dev/null; then
	# Instructions per op: inclusive cost of each op function / its calls.
	valgrind --tool=callgrind --callgrind-out-file=build/bench/callgrind.out \
		build/bench/bench_spte 20000 > /dev/null 2>&1
	callgrind_annotate --inclusive=yes build/bench/callgrind.out 2>/dev/null |
		grep -E 'op_(mirror|direct|cmpxchg1|cmpxchg2)' > build/bench/callgrind.txt || true
	python3 - <<'PY'
import re
ir = {}
# Call edges carry the inclusive cost (inlined env code included) and the
# number of calls: "9,800,000 (..)  => file:op_mirror (100,000x)".
for line in open('build/bench/callgrind.txt'):
    m = re.match(r'\s*([\d,]+)\s.*=> \S+:(op_\w+) \(([\d,]+)x\)', line)
    if m:
        ir[m.group(2)] = int(m.group(1).replace(',', '')) / int(m.group(3).replace(',', ''))
if len(ir) == 4:
    print(f"bench: callgrind instructions/op: mirror freeze-install {ir['op_mirror']:.1f} vs "
          f"two try_cmpxchg64 {ir['op_cmpxchg2']:.1f} (ratio {ir['op_mirror']/ir['op_cmpxchg2']:.2f}); "
          f"non-mirror {ir['op_direct']:.1f} vs one {ir['op_cmpxchg1']:.1f} "
          f"(ratio {ir['op_direct']/ir['op_cmpxchg1']:.2f})")
else:
    print('bench: callgrind figures unavailable')
PY
fi
pamt
gmem
