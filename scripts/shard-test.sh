#!/usr/bin/env bash
# The CI split of .github/workflows/ci.yml, run here one shard after the
# other: WP and bmc in N shards each (into build/shards/), merged as the
# workflow's merge job merges them, then compared with this tree's
# unsharded run in build/ (run make verify first).  Each WP shard has a
# job cache of its own, so every function is proved again in its shard.
#   scripts/shard-test.sh [N]      (make shard-test; N=2 by default)
set -u -o pipefail
cd "$(dirname "$0")/.."
N=${1:-2}
case $N in ''|*[!0-9]*|0|1) echo "shard-test: N must be a number >= 2, not '$N'" >&2; exit 2 ;; esac
if [ ! -f build/proofs/status.json ] || ! ls build/bmc/*.json > /dev/null 2>&1; then
	echo "shard-test: no unsharded run in build/ to compare with: run make verify first" >&2
	exit 2
fi
S=build/shards
rm -rf "$S"; mkdir -p "$S"
rc=0
for i in $(seq 0 $((N - 1))); do
	echo "== shard $i/$N"
	PROOFS_OUT=$S/wp-$i PROOFS_JOB_CACHE=$S/jobs-$i scripts/proofs.sh --shard "$i/$N" | tail -3 || rc=1
	BMC_OUT=$S/bmc-$i scripts/bmc.sh --shard "$i/$N" | grep -E '^bmc: depth [0-9]+,' || rc=1
done
echo "== merge"
m=$S/merged
scripts/ci-merge.sh "$S" "$m" || rc=1
# what the workflow's other job produces, not split: from the unsharded run
for d in mc fuzz eva spin static kernel report; do
	[ -d "build/$d" ] && cp -r "build/$d" "$m/"
done
python3 scripts/shards.py compare build "$m" || rc=1
exit $rc
