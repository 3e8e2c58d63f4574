#!/usr/bin/env bash
# docs/INVARIANTS.md is generated from SPEC.md and the sources only
# (scripts/trace.py --docs): it must equal what they generate now, so a
# commit that changes a checker, a statement or a test name regenerates it
# (make docs).  Run by make check; make verify checks it again.
set -u
cd "$(dirname "$0")/.."
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
python3 scripts/trace.py docs/SPEC.md "$t" --docs "$t/INVARIANTS.md" > /dev/null
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
	echo "docs-current: scripts/trace.py failed (exit $rc)"
	exit 1
fi
if ! cmp -s "$t/INVARIANTS.md" docs/INVARIANTS.md; then
	diff "$t/INVARIANTS.md" docs/INVARIANTS.md | head -10
	echo "docs-current: docs/INVARIANTS.md is stale: run 'make docs'"
	exit 1
fi
