#!/usr/bin/env bash
# Turn a trace harness/bmc wrote into a cmocka regression test, in one
# command: scripts/bmc-to-test.sh build/bmc/<run>.violation.trace NAME
# copies it to tests/bmc/NAME.trace; tests/test_bmc_traces.c replays every
# such file (make check) and fails while the violation is still there.
set -eu
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 TRACE NAME" >&2; exit 2; }
case $2 in *[!A-Za-z0-9_-]*) echo "NAME: letters, digits, - and _ only" >&2; exit 2;; esac
cp "$1" "tests/bmc/$2.trace"
echo "tests/bmc/$2.trace: replayed by test_bmc_traces in make check"
echo "(it fails until the bug is fixed; git add it with the fix)"
