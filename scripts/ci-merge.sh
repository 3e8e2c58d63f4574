#!/usr/bin/env bash
# The merge job of .github/workflows/ci.yml, also run by
# scripts/shard-test.sh: the WP shards' results (SHARDS/wp-I/) and the bmc
# shards' summaries (SHARDS/bmc-I/*.json) into BUILD/proofs and BUILD/bmc,
# as one unsharded run would have written them, each merge a step of
# BUILD/verify/steps.tsv for the report.
#   usage: scripts/ci-merge.sh SHARDS BUILD
set -u
cd "$(dirname "$0")/.."
if [ $# -ne 2 ] || ! ls -d "${1:-/nonexistent}"/wp-* "${1:-/nonexistent}"/bmc-* > /dev/null 2>&1; then
	echo "usage: scripts/ci-merge.sh SHARDS BUILD (SHARDS holding wp-I/ and bmc-I/)" >&2
	exit 2
fi
S=$1 B=$2
rc=0
mkdir -p "$B/bmc" "$B/verify"
record() {	# step result t0
	printf '%s\t%s\t%s\n' "$1" "$2" $(( $(date +%s) - $3 )) >> "$B/verify/steps.tsv"
	echo "ci-merge: $1 $2"
}
t0=$(date +%s)
if PROOFS_OUT=$B/proofs scripts/proofs.sh --no-selftest --merge "$S"/wp-* > "$B/verify/wp.log" 2>&1; then
	record wp ok "$t0"
else
	record wp FAILED "$t0"; rc=1
fi
t0=$(date +%s)
res=ok
for f in "$S"/bmc-0/*.json; do
	n=$(basename "$f")
	python3 scripts/shards.py bmc-merge "$B/bmc/$n" "$S"/bmc-*/"$n" >> "$B/verify/bmc.log" 2>&1 || res=FAILED
done
[ $res = ok ] || rc=1
record bmc $res "$t0"
exit $rc
