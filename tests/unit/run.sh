#!/usr/bin/env bash
# Run the host unit test programs and count cmocka's results.
#   tests/unit/run.sh PROGRAM...
# Ends with "unit: N passed, N failed" (tests, not programs). A program that crashes or exits
# non-zero without a cmocka failure summary (a sanitizer or leak report) counts as one failure.
set -uo pipefail
passed=0 failed=0
for bin in "$@"; do
	out=$("$bin" 2>&1)
	status=$?
	echo "$out"
	# cmocka writes its summary to stderr and the rest to stdout: the lines may run together.
	p=$(echo "$out" | grep -o '\[  PASSED  \] [0-9]* test(s)\.' | tail -n 1 | tr -dc 0-9)
	f=$(echo "$out" | grep -o '\[  FAILED  \] [0-9]* test(s), listed below' | tail -n 1 | tr -dc 0-9)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "unit: $bin exited with status $status without a cmocka failure summary"
		failed=$((failed + 1))
	fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
