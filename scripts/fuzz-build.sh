#!/usr/bin/env bash
# scripts/fuzz-build.sh asan|fast|trace OUT [IMPL_DIR]: build the fuzz target.
# Coverage guidance comes from what is under test, impl/ and the TDX-module
# simulator; the oracle and the checkers (every page, every table, after
# every step) are built without coverage hooks, which cost ~9x there.
# asan: -O1, ASan+UBSan everywhere; fast: -O2, no sanitizer (volume);
# trace: the crash-to-trace writer (gcc, no libFuzzer).  IMPL_DIR (default
# impl) lets the self-test build against a copy with a planted bug.
set -eu
cd "$(dirname "$0")/.."
mode=$1 out=$2 impl=${3:-impl}
CFLAGS=(-std=gnu11 -g -I"$impl" -Iharness/user -Imodel -Iharness/oracle -Iharness/fuzz -pthread)
COVERED=("$impl"/*.c model/tdx_module.c harness/fuzz/fuzz.c)
PLAIN=(harness/oracle/oracle.c model/td_model.c model/sept_check.c
       model/pamt_check.c model/spte_model.c model/context_check.c model/evidence.c model/observe.c
       model/gmem_host.c model/gmem_check.c
       harness/user/env_user.c harness/x86_ops.c)
case $mode in
asan) CFLAGS+=(-O1 -fsanitize=address,undefined -fno-sanitize-recover=all)
      LINK=(-fsanitize=fuzzer,address,undefined) ;;
fast) CFLAGS+=(-O2); LINK=(-fsanitize=fuzzer) ;;
trace) exec gcc "${CFLAGS[@]}" -O1 -DFUZZ_TO_TRACE -o "$out" \
	"${COVERED[@]}" "${PLAIN[@]}" ;;
*) echo "usage: fuzz-build.sh asan|fast|trace OUT [IMPL_DIR]" >&2; exit 2 ;;
esac
obj=$(mktemp -d)
trap 'rm -rf "$obj"' EXIT
for f in "${COVERED[@]}"; do
	clang "${CFLAGS[@]}" -fsanitize=fuzzer-no-link -c "$f" -o "$obj/$(echo "$f" | tr / _).o" &
done
for f in "${PLAIN[@]}"; do
	clang "${CFLAGS[@]}" -c "$f" -o "$obj/$(echo "$f" | tr / _).o" &
done
wait
n=$(ls "$obj"/*.o | wc -l)
[ "$n" -eq $(( ${#COVERED[@]} + ${#PLAIN[@]} )) ] || { echo "fuzz-build: a compile failed" >&2; exit 2; }
clang "${CFLAGS[@]}" "${LINK[@]}" -o "$out" "$obj"/*.o
