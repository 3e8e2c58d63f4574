#!/usr/bin/env bash
# Turn a trace harness/bmc wrote into a cmocka regression test, in one
# command: scripts/bmc-to-test.sh build/bmc/<run>.violation.trace NAME
# copies it to tests/bmc/NAME.trace; tests/test_bmc_traces.c replays every
# such file (make check) and fails while the violation is still there.
set -u
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 TRACE NAME" >&2; exit 2; }
case $2 in *[!A-Za-z0-9_-]*) echo "NAME: letters, digits, - and _ only" >&2; exit 2;; esac
[ -e "tests/bmc/$2.trace" ] && { echo "tests/bmc/$2.trace exists: pick another NAME" >&2; exit 2; }
# Only a trace bmc can replay (exit 0 or 1): never copy a malformed file.
make --no-print-directory -s build/bmc/bmc >&2 || exit 2
build/bmc/bmc --replay "$1" > /dev/null
case $? in
0|1) ;;
*) echo "$1: not a trace bmc can replay (see above)" >&2; exit 2 ;;
esac
cp "$1" "tests/bmc/$2.trace"
echo "tests/bmc/$2.trace: replayed by test_bmc_traces in make check"
echo "(it fails until the bug is fixed; git add it with the fix)"
