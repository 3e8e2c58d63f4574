#!/usr/bin/env bash
# make check: build, static checks, cmocka suites; prints each part's time.
set -u
cd "$(dirname "$0")/.."
fail=0
rm -f build/check/passed
step() {	# name command...
	local name=$1; shift
	local t0=$(date +%s%N) ms
	"$@" || fail=1
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	printf 'check: %-14s %4d.%d s\n' "$name" $((ms / 1000)) $((ms % 1000 / 100))
}
step build make --no-print-directory -s all
step static-checks scripts/static-checks.sh
step docs scripts/docs-current.sh
step cmocka scripts/run-tests.sh
step bitfacts scripts/bitfacts.sh
step mutants scripts/mutants.sh
step bmc-quick scripts/bmc.sh --quick
step gmem-quick build/gmem/gmem_bmc --max-pages 4
step mc-quick scripts/mc.sh --quick
step asan-ubsan scripts/sanitize.sh asan
step fuzz-short env FUZZ_SECONDS=20 scripts/fuzz.sh
if [ $fail -ne 0 ]; then
	echo "check: FAILED"
	exit 1
fi
# make verify (as in .ci/run, right after) need not repeat what passed here
# on this very content (scripts/tree-key.sh), for scripts/verify.sh.
mkdir -p build/check
scripts/tree-key.sh > build/check/passed
echo "check: all passed"
