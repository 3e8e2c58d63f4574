#!/usr/bin/env bash
# scripts/mc-build.sh OUT [IMPL_DIR]: build harness/mc.  impl/ (or the
# self-test's copy with a planted bug) is compiled with clang's
# ThreadSanitizer instrumentation but linked without its runtime: every
# access impl/ makes calls harness/mc/race.c, the race detector.  The rest
# (scheduler, oracle, model, simulator, env seam) is not instrumented.
set -eu
cd "$(dirname "$0")/.."
out=$1 impl=${2:-impl}
WARN=(-Wall -Wextra -Werror -Wno-unused-parameter)
INC=(-I"$impl" -Iharness/user -Imodel -Iharness/oracle -Iharness/mc)
obj=$(mktemp -d)
trap 'rm -rf "$obj"' EXIT
pids=()
for f in "$impl"/*.c; do
	clang -std=gnu11 "${WARN[@]}" -O1 -g -fsanitize=thread "${INC[@]}" \
		-c "$f" -o "$obj/$(basename "$f" .c).o" & pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
[ $rc -eq 0 ] || exit 1
mkdir -p "$(dirname "$out")"
exec clang -std=gnu11 "${WARN[@]}" -O2 -g "${INC[@]}" -pthread -o "$out" \
	harness/mc/mc.c harness/mc/race.c harness/oracle/oracle.c \
	model/*.c harness/user/env_user.c harness/x86_ops.c "$obj"/*.o -ldl
