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
#   scripts/bmc.sh --shard I/N   one CI shard of each run (scripts/shards.py
#                                bmc-merge joins them); BMC_OUT=DIR: where to
set -u
cd "$(dirname "$0")/.."
out=${BMC_OUT:-build/bmc}
shard=()
quick=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--shard) [ -n "${2:-}" ] || { echo "bmc.sh: --shard wants I/N" >&2; exit 2; }
		 shard=(--shard "$2"); shift ;;
	*) echo "bmc.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
mkdir -p "$out"
make --no-print-directory -s build/bmc/bmc || exit 2
J=${BMC_JOBS:-$(nproc)}
CORE=map4k:0,map4k:1,map2m:0,zap:0,zap-all,split:0,pamt-get:0,pamt-put:0,teardown
# guest_memfd joined to the TD: private faults through the attribute (4K,
# 2M), conversions of one page, of a 2M block and across two blocks, zap,
# split, teardown (GMEM-05/06/11/18 with every SEAMCALL fault); GHOST: a
# host GUP reference on a shared page besides (to private: -EAGAIN, GMEM-08)
GCORE=gfault4k:0,gfault4k:1,gfault2m:0,to-shared:1,to-private:1,to-shared:0+512,to-private:0+512,zap:1,split:0,teardown
GHOST=gfault4k:1,gfault2m:0,to-shared:1,to-private:1,zap:1,split:0,teardown,host-gup:1,host-unpin:1
GALL=$GCORE,host-gup:1,host-unpin:1,gfault4k:512,gfault2m:512,to-shared:511+2,to-private:511+2,zap:0,split:512
rc=0
run() {		# name args...
	local name=$1; shift
	echo "== bmc $name: $*"
	build/bmc/bmc -j "$J" "${shard[@]}" --json "$out/$name.json" \
		--trace-out "$out/$name.violation.trace" "$@" || rc=1
}
rm -f "$out"/*.json
if [ -n "$quick" ]; then
	run quick-core --root 4 --depth 5 --faults classes --ops "$CORE"
	run quick-all --root 4 --depth 2 --faults all
	run quick-gmem --root 4 --depth 4 --faults classes --ops "$GCORE"
	run quick-gmem-host --root 4 --depth 4 --faults classes --ops "$GHOST"
else
	# to the fixpoint (depth 17 / 16): every reachable state
	run core-root4 --root 4 --depth 40 --faults all --ops "$CORE"
	run core-root3 --root 3 --depth 40 --faults all --ops "$CORE"
	run all-root4 --root 4 --depth 3 --faults all
	run all-root4-d4 --root 4 --depth 4 --faults classes
	run all-root3 --root 3 --depth 3 --faults classes
	run core-root5 --root 5 --depth 40 --faults all --ops "$CORE"
	run all-root5 --root 5 --depth 3 --faults classes
	run gmem-core-root4 --root 4 --depth 40 --faults all --ops "$GCORE"
	run gmem-host-root4 --root 4 --depth 40 --faults all --ops "$GHOST"
	run gmem-all-root4 --root 4 --depth 5 --faults classes --ops "$GALL"
fi
exit $rc
