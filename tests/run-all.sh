#!/usr/bin/env bash
# make test: run each phase (a command given as one argument) in order, show its output, and
# add up the "NAME: N passed, N failed" line it ends with. Ends with one line
# "N passed, N failed". Exit status 0 only when every phase reported, something passed and
# nothing failed. A phase that prints no summary counts as one failure.
#
#   tests/run-all.sh "PHASE COMMAND" ...
set -uo pipefail

passed=0 failed=0
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
for phase in "$@"; do
	echo "== $phase"
	bash -c "$phase" 2>&1 | tee "$summary"
	line=$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed$' "$summary" | tail -n 1)
	if [ -z "$line" ]; then
		echo "run-all: '$phase' printed no summary"
		failed=$((failed + 1))
		continue
	fi
	p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
