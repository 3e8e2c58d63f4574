#!/usr/bin/env bash
# The bounded searches of harness/bmc, each writing build/bmc/<name>.json.
#   scripts/bmc.sh            make verify's set (target: depth >= 8, <= 5 min)
#   scripts/bmc.sh --quick    make check's set (seconds)
# Depth is bought with breadth: the deep runs use the core operations (one
# 2M block with 4K and 2M maps, zap, split, a direct PAMT reference on the
# TD's own region, teardown) with every status of every SEAMCALL, and reach
# the fixpoint (no new state: the whole reachable space of that universe);
# the whole universe of SPEC 0.3 (25 operations) grows about 3x per step and
# runs to depth 3 and 4.  BMC_JOBS overrides -j.
set -u
cd "$(dirname "$0")/.."
mkdir -p build/bmc
make --no-print-directory -s build/bmc/bmc || exit 2
J=${BMC_JOBS:-$(nproc)}
CORE=map4k:0,map4k:1,map2m:0,zap:0,zap-all,split:0,pamt-get:0,pamt-put:0,teardown
rc=0
run() {		# name args...
	local name=$1; shift
	echo "== bmc $name: $*"
	build/bmc/bmc -j "$J" --json "build/bmc/$name.json" \
		--trace-out "build/bmc/$name.violation.trace" "$@" || rc=1
}
rm -f build/bmc/*.json
if [ "${1:-}" = --quick ]; then
	run quick-core --root 4 --depth 5 --faults classes --ops "$CORE"
	run quick-all --root 4 --depth 2 --faults all
else
	# to the fixpoint (depth 17 / 16): every reachable state
	run core-root4 --root 4 --depth 40 --faults all --ops "$CORE"
	run core-root3 --root 3 --depth 40 --faults all --ops "$CORE"
	run all-root4 --root 4 --depth 3 --faults all
	run all-root4-d4 --root 4 --depth 4 --faults classes
	run all-root3 --root 3 --depth 3 --faults classes
	run core-root5 --root 5 --depth 40 --faults all --ops "$CORE"
	run all-root5 --root 5 --depth 3 --faults classes
fi
exit $rc
