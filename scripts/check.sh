#!/usr/bin/env bash
# make check: build, static checks, cmocka suites; prints each part's time.
set -u
cd "$(dirname "$0")/.."
fail=0
step() {	# name command...
	local name=$1; shift
	local t0=$(date +%s.%N)
	"$@" || fail=1
	printf 'check: %-14s %6.1f s\n' "$name" "$(echo "$(date +%s.%N) - $t0" | bc)"
}
run_tests() {
	local rc=0
	for t in build/tests/test_*; do
		"$t" || rc=1
	done
	return $rc
}
step build make --no-print-directory -s all
step static-checks scripts/static-checks.sh
step cmocka run_tests
step bitfacts scripts/bitfacts.sh
step mutants scripts/mutants.sh
if [ $fail -ne 0 ]; then
	echo "check: FAILED"
	exit 1
fi
echo "check: all passed"
