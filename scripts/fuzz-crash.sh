#!/usr/bin/env bash
# scripts/fuzz-crash.sh FUZZER TRACER CRASH: what to do with a crashing
# input.  libFuzzer minimizes it (-minimize_crash: fewer bytes, so fewer
# steps and faults, still crashing), the tracer writes the minimized input
# as a bmc trace (CRASH.trace), and the violation is printed; then
# scripts/bmc-to-test.sh CRASH.trace NAME makes it a regression test.
set -u
cd "$(dirname "$0")/.."
fz=$1 tracer=$2 c=$3
"$fz" -minimize_crash=1 -max_total_time="${FUZZ_MINIMIZE_SECONDS:-30}" \
	-exact_artifact_path="$c.min" "$c" > "$c.min.log" 2>&1
[ -s "$c.min" ] || cp "$c" "$c.min"
"$tracer" "$c.min" "$c.trace" || exit 2
why=$("$fz" "$c.min" 2>&1 | grep -m1 -E 'fuzz: step|ERROR: |runtime error')
echo "fuzz: $c: $(stat -c %s "$c") bytes, minimized to $(stat -c %s "$c.min") ($(grep -c '^step' "$c.trace") steps)"
echo "fuzz:   ${why:-no violation on rerun}"
echo "fuzz:   trace $c.trace; as a test: scripts/bmc-to-test.sh $c.trace NAME"
