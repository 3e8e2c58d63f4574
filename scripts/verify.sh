#!/usr/bin/env bash
# make verify: the main job.  Runs every step even after a failure, prints
# one progress line per step with its time, and exits nonzero if any failed.
set -u
cd "$(dirname "$0")/.."
mkdir -p build/verify
declare -a names results times
rc=0
step() {	# name command...
	local name=$1; shift
	local t0=$(date +%s)
	echo "verify: [$name] ..."
	if "$@" > "build/verify/$name.log" 2>&1; then
		results+=(ok)
	else
		results+=(FAILED); rc=1
	fi
	names+=("$name"); times+=($(( $(date +%s) - t0 )))
	echo "verify: [$name] ${results[-1]} in ${times[-1]} s (log: build/verify/$name.log)"
}
step deps scripts/deps.sh
step check scripts/check.sh
step proofs scripts/proofs.sh
echo
printf '%-10s %-7s %6s\n' step result time
for i in "${!names[@]}"; do
	printf '%-10s %-7s %5ss\n' "${names[$i]}" "${results[$i]}" "${times[$i]}"
done
echo
grep -E '^\[  (PASSED|FAILED) \]' build/verify/check.log | sort | uniq -c
sed -n '/^function/,/^total/p' build/verify/proofs.log
[ $rc -eq 0 ] && echo "verify: all steps passed" || echo "verify: FAILED"
exit $rc
