#!/usr/bin/env bash
# scripts/fuzz-build.sh asan|fast OUT: build the libFuzzer target.
# Coverage guidance comes from what is under test, impl/ and the TDX-module
# simulator; the oracle and the checkers (every page, every table, after
# every step) are built without coverage hooks, which cost ~9x there.
# asan: -O1, ASan+UBSan everywhere; fast: -O2, no sanitizer (volume).
set -eu
cd "$(dirname "$0")/.."
mode=$1 out=$2
obj=$(mktemp -d)
trap 'rm -rf "$obj"' EXIT
CFLAGS=(-std=gnu11 -g -Iimpl -Iharness/user -Imodel -Iharness/bmc -Iharness/fuzz -pthread)
case $mode in
asan) CFLAGS+=(-O1 -fsanitize=address,undefined -fno-sanitize-recover=all)
      LINK=(-fsanitize=fuzzer,address,undefined) ;;
fast) CFLAGS+=(-O2); LINK=(-fsanitize=fuzzer) ;;
*) echo "usage: fuzz-build.sh asan|fast OUT" >&2; exit 2 ;;
esac
COVERED=(impl/*.c model/tdx_module.c harness/fuzz/fuzz.c)
PLAIN=(harness/bmc/oracle.c model/td_model.c model/sept_check.c
       model/pamt_check.c model/spte_model.c model/context_check.c
       harness/user/env_user.c
       harness/x86_ops.c)
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
