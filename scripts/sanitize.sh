#!/usr/bin/env bash
# The cmocka suites and a short bounded search under the sanitizers.
#   scripts/sanitize.sh asan       ASan + UBSan, gcc and clang, no recovery (make check)
#   scripts/sanitize.sh tsan       TSan over the suites with real threads (make verify)
#   scripts/sanitize.sh valgrind   memcheck over the suites: 0 errors, 0 leaks (make verify)
set -u
cd "$(dirname "$0")/.."
what=${1:-asan}
INC=(-Iimpl -Iharness/user -Imodel -Iharness/oracle -pthread)
ENV=(harness/user/env_user.c harness/x86_ops.c)
LIB=(tests/common.c tests/stub_external.c tests/fixture.c tests/trace_model.c)
SCN=(tests/scenarios.c tests/sept_scenarios.c tests/pamt_scenarios.c tests/gmem_scenarios.c)
rc=0
build_suites() {	# cc outdir flags...
	local cc=$1 out=$2; shift 2
	mkdir -p "$out"
	for t in tests/test_*.c; do
		local extra=()
		[ "$t" = tests/test_scenarios.c ] && extra=("${SCN[@]}")
		[ "$t" = tests/test_bmc_traces.c ] && extra=(harness/oracle/oracle.c)
		$cc -std=gnu11 -g -O1 "$@" "${INC[@]}" -o "$out/$(basename "$t" .c)" "$t" \
			"${extra[@]}" "${LIB[@]}" impl/*.c model/*.c "${ENV[@]}" -lcmocka || return 1
	done
	$cc -std=gnu11 -g -O1 "$@" "${INC[@]}" -o "$out/bmc" harness/bmc/bmc.c \
		harness/oracle/oracle.c impl/*.c model/*.c "${ENV[@]}" || return 1
}
run_suites() {		# outdir label [runner...]
	local out=$1 label=$2; shift 2
	for t in "$out"/test_*; do
		[ -x "$t" ] || continue
		if "$@" "$t" > "$t.log" 2>&1; then
			echo "sanitize: $label $(basename "$t"): $(grep -oE 'PASSED  \] [0-9]+ test' "$t.log" | tail -1 | grep -oE '[0-9]+') tests, clean"
		else
			echo "sanitize: $label $(basename "$t") FAILED:"; grep -m5 -E 'ERROR|runtime error|FAILED|WARNING: ThreadSanitizer|definitely lost' "$t.log"; rc=1
		fi
	done
}
case $what in
asan)
	for cc in gcc clang; do
		out=build/san/$cc-asan
		build_suites $cc "$out" -fsanitize=address,undefined -fno-sanitize-recover=all \
			-fno-omit-frame-pointer || { echo "sanitize: $cc build failed"; rc=1; continue; }
		run_suites "$out" "$cc ASan+UBSan"
		if "$out/bmc" --depth 4 --faults classes -j 2 \
			--ops map4k:0,map4k:1,map2m:0,zap:0,zap-all,split:0,pamt-get:0,pamt-put:0,teardown \
			--trace-out "$out/violation.trace" > "$out/bmc.log" 2>&1; then
			echo "sanitize: $cc ASan+UBSan bmc: $(grep -oE '[0-9]+ transitions, [0-9]+ distinct states' "$out/bmc.log"), clean"
		else
			echo "sanitize: $cc ASan+UBSan bmc FAILED:"; grep -m5 -E 'ERROR|runtime error|VIOLATION' "$out/bmc.log"; rc=1
		fi
	done ;;
tsan)
	out=build/san/tsan
	build_suites gcc "$out" -fsanitize=thread || { echo "sanitize: tsan build failed"; exit 1; }
	run_suites "$out" "gcc TSan" ;;
valgrind)
	out=build/san/valgrind
	build_suites gcc "$out" || { echo "sanitize: build failed"; exit 1; }
	run_suites "$out" "valgrind" valgrind -q --error-exitcode=1 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect ;;
*)
	echo "usage: $0 asan|tsan|valgrind" >&2; exit 2 ;;
esac
exit $rc
