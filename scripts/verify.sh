#!/usr/bin/env bash
# make verify: the main job.  Runs every step even after a failure, prints
# one progress line per step with its time, ends with the invariant table,
# writes build/report/, and exits nonzero if any step failed.
# Steps whose checker has not landed yet are listed as n/a, not hidden.
set -u
cd "$(dirname "$0")/.."
mkdir -p build/verify
: > build/verify/steps.tsv
rc=0
T0=$(date +%s)
# VERIFY_SKIP=wp,bmc: steps a CI engine runs as sharded jobs of their own
# (.github/workflows/ci.yml); its merge job records them.
step() {	# name command...
	local name=$1; shift
	local t0=$(date +%s) res
	if [[ ",${VERIFY_SKIP:-}," == *",$name,"* ]]; then
		printf 'verify: %-13s ... skipped     (VERIFY_SKIP: a sharded CI job runs it)\n' "$name"
		return
	fi
	printf 'verify: %-13s ... ' "$name"
	if "$@" > "build/verify/$name.log" 2>&1; then res=ok; else res=FAILED; rc=1; fi
	local dt=$(( $(date +%s) - t0 ))
	printf '%-6s %4d s   (build/verify/%s.log)\n' "$res" "$dt" "$name"
	printf '%s\t%s\t%s\n' "$name" "$res" "$dt" >> build/verify/steps.tsv
}
# A step make check ran and passed on this very tree (build/check/passed).
checked() {	# name command...
	if [ -f build/check/passed ] &&
	   [ "$(scripts/tree-key.sh)" = "$(cat build/check/passed)" ]; then
		printf 'verify: %-13s ... ok        0 s   (passed in make check on this tree)\n' "$1"
		printf '%s\tok\t0\n' "$1" >> build/verify/steps.tsv
	else
		step "$@"
	fi
}
na() {		# name why
	printf 'verify: %-13s ... n/a         (%s)\n' "$1" "$2"
	printf '%s\tn/a\t0\n' "$1" >> build/verify/steps.tsv
}

step deps scripts/deps.sh
step build make --no-print-directory -s all
step static-checks scripts/static-checks.sh
step cmocka scripts/run-tests.sh
step wp scripts/proofs.sh --no-selftest
step bitfacts scripts/bitfacts.sh
step spin scripts/spin.sh
step eva scripts/eva.sh
step bmc scripts/bmc.sh
step gmem make --no-print-directory -s gmem
step mc scripts/mc.sh
checked asan-ubsan scripts/sanitize.sh asan
step tsan scripts/sanitize.sh tsan
step valgrind scripts/sanitize.sh valgrind
step fuzz env FUZZ_SECONDS=40 scripts/fuzz.sh
step bench scripts/bench.sh
checked selftest-tests scripts/mutants.sh
step selftest-wp scripts/wp-selftest.sh
step selftest-checkers scripts/checker-selftest.sh
if [ "${TDXMM_KERNEL:-0}" = 1 ] || [ -n "${CI:-}" ]; then
	step kernel scripts/kernel-check.sh uml
	step selftest-kernel scripts/kernel-check.sh uml-selftest
	step kernel-smp scripts/kernel-check.sh smp
	step selftest-kernel-smp scripts/kernel-check.sh smp-selftest
else
	na kernel "set TDXMM_KERNEL=1 to run (about 12 min the first time)"
fi
# recorded traces against the spec, the planted trace mutants, and the
# kernel's traces when the kernel steps made them (docs/TRACE-FORMAT.md)
step conform python3 scripts/conform-check.py
# docs/SPEC.md is the repository's copy of the shared contract.
if [ -f ../shared/SPEC.md ] && ! cmp -s ../shared/SPEC.md docs/SPEC.md; then
	echo "verify: docs/SPEC.md differs from ../shared/SPEC.md: refresh the copy"
fi
if [ -n "${VERIFY_SKIP:-}" ]; then
	# the table needs the skipped steps' records: the CI merge job writes it
	echo "verify: traceability and report left to the CI merge job (VERIFY_SKIP=$VERIFY_SKIP)"
else
	step traceability python3 scripts/trace.py docs/SPEC.md build/report \
		--docs build/report/INVARIANTS.md
	if ! cmp -s build/report/INVARIANTS.md docs/INVARIANTS.md; then
		echo "verify: docs/INVARIANTS.md is stale: run 'make docs'"
		rc=1
	fi
	python3 scripts/report.py > /dev/null || rc=1

	echo
	sed -n '1,/^trace:/p' build/verify/traceability.log | grep -v '^trace:'
	grep '^trace:' build/verify/traceability.log
	echo
	grep -hE '^\[  (PASSED|FAILED)  \]' build/verify/cmocka.log
	grep -hE '^total' build/verify/wp.log | sed 's/^/WP /'
	echo "report: build/report/index.md, index.html, status.json"
fi
echo "verify: $(( $(date +%s) - T0 )) s in all"
[ $rc -eq 0 ] && echo "verify: all steps passed" || echo "verify: FAILED"
exit $rc
