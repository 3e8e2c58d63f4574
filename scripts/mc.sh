#!/usr/bin/env bash
# harness/mc: every interleaving of the scenarios' threads up to a
# preemption bound; figures to build/mc/mc.txt for the report.
#   scripts/mc.sh           make verify: bound 2 for all, bound 3 for the DPAMT 3x2 races,
#                           no bound for the conversion-vs-fault races (every schedule)
#   scripts/mc.sh --quick   make check: bound 1
set -u
cd "$(dirname "$0")/.."
mkdir -p build/mc
make --no-print-directory -s build/mc/mc || exit 2
rc=0
run() {
	build/mc/mc "$@" | tee -a build/mc/mc.txt
	[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
}
: > build/mc/mc.txt
if [ "${1:-}" = --quick ]; then
	run --preemptions 1
else
	run --preemptions 2
	run --preemptions 3 --scenario R4-R5-pamt-3x2-one-region
	for sc in GMEM-fault-meets-to-shared GMEM-2m-fault-meets-to-shared \
		  GMEM-fault-meets-to-private GMEM-2m-fault-meets-crossing-to-shared; do
		run --preemptions 1000 --scenario "$sc"
	done
	run --preemptions 3 --scenario GMEM-to-shared-meets-split
fi
exit $rc
