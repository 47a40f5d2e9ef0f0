#!/usr/bin/env bash
# Run each libFuzzer harness for SECONDS and report executions, rate and the verdict.
#   tests/fuzz/run.sh SECONDS FUZZ_DIR NAME...
# Prints "fuzz NAME: N executions in S s (R/s), corpus C inputs: ok|CRASH" per harness and
# ends with "fuzz: N passed, N failed". A crash leaves its input in FUZZ_DIR/crash-NAME-*.
# Inputs that once found a bug (tests/fuzz/regress/NAME/, beside this script) run first, each
# time, along with the corpus and the seeds.
set -uo pipefail
seconds=$1 dir=$2
shift 2
regress_root=$(dirname "${BASH_SOURCE[0]}")/regress
passed=0 failed=0
for name in "$@"; do
	corpus="$dir/corpus/$name"
	mkdir -p "$corpus"
	log="$dir/$name.log"
	dirs=("$corpus" "$dir/seeds/$name")
	[ -d "$regress_root/$name" ] && dirs+=("$regress_root/$name")
	"$dir/fuzz_$name" -max_total_time="$seconds" -print_final_stats=1 \
		-artifact_prefix="$dir/crash-$name-" "${dirs[@]}" >"$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	inputs=$(find "$corpus" -type f | wc -l)
	if [ "$status" -eq 0 ] && [ -n "$runs" ]; then
		echo "fuzz $name: $runs executions in ${seconds} s ($rate/s), corpus $inputs inputs: ok"
		passed=$((passed + 1))
	else
		echo "fuzz $name: status $status after ${runs:-?} executions: CRASH (log: $log)"
		tail -n 30 "$log"
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
