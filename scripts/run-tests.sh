#!/usr/bin/env bash
# Run every cmocka suite; keep each one's output in build/tests/<suite>.log
# (scripts/trace.py reads the per-test results from there).
set -u
cd "$(dirname "$0")/.."
rc=0
junit=build/report/junit
rm -rf "$junit"; mkdir -p "$junit"
for src in tests/test_*.c; do
	t=build/tests/$(basename "$src" .c)
	# cmocka's summary goes to stderr: keep both, in order.
	"$t" 2>&1 | tee "$t.log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
	# Again as JUnit XML for CI systems and the report's counts (the
	# suites take well under a second).
	CMOCKA_MESSAGE_OUTPUT=xml CMOCKA_XML_FILE="$junit/$(basename "$t").xml" \
		"$t" > /dev/null 2>&1 || rc=1
done
# The proof pipeline's and the report's Python (cmocka's output format).
JUNIT="$junit/test_pipeline.xml" python3 tests/test_pipeline.py 2>&1 | tee build/tests/test_pipeline.log
[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
# The tools' own bad-input cases (cmocka's output format).
JUNIT="$junit/test_cli.xml" tests/cli.sh 2>&1 | tee build/tests/test_cli.log
[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
exit $rc
