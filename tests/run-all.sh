#!/usr/bin/env bash
# make test: run the host unit tests (cmocka, ASan + UBSan), then the QEMU integration scenarios,
# and end with one line "N passed, N failed" counting every unit test and every scenario.
# Exit status 0 only when something ran and nothing failed.
#
#   tests/run-all.sh SKIFF_EFI UNIT_BINARY...
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
efi=$1
shift
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
	# A crash (a sanitizer report) or a program that printed no summary counts as one failure.
	if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "unit: $bin exited with status $status without a cmocka failure summary"
		failed=$((failed + 1))
	fi
done
echo "unit: $passed passed, $failed failed"

summary=$(mktemp)
"$here/integration/run.sh" "$efi" | tee "$summary"
integration=$(tail -n 1 "$summary")
rm -f "$summary"
p=$(echo "$integration" | sed -n 's/^integration: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(echo "$integration" | sed -n 's/^integration: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then
	echo "integration: the runner printed no summary"
	failed=$((failed + 1))
else
	passed=$((passed + p))
	failed=$((failed + f))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
