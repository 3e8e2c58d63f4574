#!/usr/bin/env bash
# make fuzz FUZZ_SECONDS=N: the libFuzzer target (harness/fuzz) with ASan
# and UBSan, seeded from harness/fuzz/corpus, on the bounded checker's
# oracle.  Prints executions, executions/s and coverage.  A violation or
# a sanitizer report leaves build/fuzz/crash-*, turned into a trace for
# scripts/bmc-to-test.sh (the regression test), and fails.
set -u
cd "$(dirname "$0")/.."
SECS=${FUZZ_SECONDS:-60}
B=build/fuzz
mkdir -p "$B/corpus"
scripts/fuzz-build.sh asan "$B/fuzz" || exit 2
scripts/fuzz-build.sh trace "$B/fuzz-trace" || exit 2
cp -n harness/fuzz/corpus/* "$B/corpus/" 2>/dev/null
rm -f "$B"/crash-* "$B"/leak-* "$B"/timeout-* "$B/evidence.txt"
( cd "$B" && TDXMM_EVIDENCE_OUT=evidence.txt ./fuzz -max_total_time="$SECS" -print_final_stats=1 -max_len=256 \
	-artifact_prefix=./ corpus ) > "$B/fuzz.log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$B/fuzz.log")
cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$B/fuzz.log" | tail -1)
echo "fuzz: ${execs:-0} executions in ${SECS} s (${rate:-0}/s), $cov, corpus $(ls "$B/corpus" | wc -l) inputs" | tee "$B/fuzz.txt"
for c in "$B"/crash-* "$B"/leak-* "$B"/timeout-*; do
	[ -e "$c" ] || continue
	scripts/fuzz-crash.sh "$B/fuzz" "$B/fuzz-trace" "$c"
	rc=1
done
exit $rc
