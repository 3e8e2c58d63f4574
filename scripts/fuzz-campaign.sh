#!/usr/bin/env bash
# A long fuzzing run for volume: scripts/fuzz-campaign.sh SECONDS [WORKERS]
#
# The same target and oracle as scripts/fuzz.sh (every checker after every
# step), built twice: -O2 without ASan for speed (WORKERS processes sharing
# one corpus), then every input the run kept is replayed under the
# ASan+UBSan build, so what the fast build covered was also run with the
# sanitizers.  A violation stops that worker, keeps crash-*, and the worker
# starts again on the same corpus; every crash is reported and fails the run.
# Prints executions (summed over the workers' final stats), executions/s,
# coverage; appends one line to build/fuzz/campaigns.txt.
set -u
cd "$(dirname "$0")/.."
SECS=${1:?usage: fuzz-campaign.sh SECONDS [WORKERS]}
WORKERS=${2:-2}
B=build/fuzz/campaign
mkdir -p "$B/corpus"
scripts/fuzz-build.sh fast "$B/fuzz-fast" || exit 2
scripts/fuzz-build.sh asan "$B/fuzz-asan" || exit 2
scripts/fuzz-build.sh trace "$B/fuzz-trace" || exit 2
head=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- impl model harness || echo +)
cp -n harness/fuzz/corpus/* "$B/corpus/" 2>/dev/null
rm -f "$B"/worker-*.log "$B"/crash-*
end=$(( $(date +%s) + SECS ))

worker() {
	local w=$1 run=0 left
	while left=$(( end - $(date +%s) )); [ "$left" -gt 0 ]; do
		run=$((run + 1))
		( cd "$B" && ./fuzz-fast -max_total_time="$left" -print_final_stats=1 \
			-max_len=256 -artifact_prefix=./ corpus ) \
			> "$B/worker-$w-$run.log" 2>&1
	done
}
for w in $(seq 1 "$WORKERS"); do worker "$w" & done
wait

# executions: final stats, or the last progress line of a run a crash ended
execs=0
for l in "$B"/worker-*.log; do
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$l" | tail -1)
	[ -n "$n" ] || n=$(grep -oE '^#[0-9]+' "$l" | tail -1 | tr -d '#')
	execs=$((execs + ${n:-0}))
done
cov=$(grep -hoE 'cov: [0-9]+ ft: [0-9]+' "$B"/worker-*.log | sort -t' ' -k2n | tail -1)
inputs=$(ls "$B/corpus" | wc -l)
# the corpus again, under ASan+UBSan (-runs=0: each input once)
( cd "$B" && ./fuzz-asan -runs=0 -max_len=256 corpus ) > "$B/asan-replay.log" 2>&1
asan=$?
crashes=$(ls "$B"/crash-* 2>/dev/null | wc -l)
line="$(date -u +%FT%TZ) $head: $execs executions in $SECS s x $WORKERS workers ($((execs / SECS))/s), $cov, corpus $inputs inputs, ASan+UBSan replay of the corpus: $([ $asan = 0 ] && echo clean || echo FAILED), crashes: $crashes"
echo "fuzz-campaign: $line" | tee -a build/fuzz/campaigns.txt
for c in "$B"/crash-*; do
	[ -e "$c" ] || continue
	scripts/fuzz-crash.sh "$B/fuzz-asan" "$B/fuzz-trace" "$c"
done
[ "$asan" = 0 ] && [ "$crashes" = 0 ]
