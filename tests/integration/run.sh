#!/usr/bin/env bash
# Boot skiff in QEMU once per scenario and judge each run by skiff's own lines and QEMU's exit
# status. A scenario (tests/integration/scenarios/NAME.sh) sets:
#   SKIFF_ARGS      skiff's command line
#   IOMMU           intel-iommu options (default: scalable mode, aw-bits=48, intremap)
#   QEMU_OPTS       extra QEMU options (a bash array)
#   VERDICT         PASS or FAIL: the verdict skiff must reach
#   EXPECT          lines (extended regular expressions) that must each match a serial line
#   FORBID          lines that must not appear (every scenario also forbids "FAIL <check>"
#                   lines when VERDICT=PASS)
#   scenario_check  optional function, called with the console text file after the checks
#                   above passed; prints why and returns non-zero on failure
# A hang past TIMEOUT seconds, a missing verdict or an unexpected exit status fails the scenario.
# Logs go to build/integration/NAME/ (serial.log, qemu.stderr); a failed scenario prints them.
#
#   tests/integration/run.sh EFI [NAME...]     (all scenarios when no NAME is given)
# Prints one "ok NAME" / "not ok NAME: why" line per scenario and ends with "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
efi=$1
shift
TIMEOUT=120
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in "$here"/scenarios/*.sh; do names+=("$(basename "$f" .sh)"); done
fi

passed=0 failed=0
for name in "${names[@]}"; do
	SKIFF_ARGS="" IOMMU="intremap=on,x-scalable-mode=on,aw-bits=48" QEMU_OPTS=() VERDICT=PASS
	EXPECT=() FORBID=()
	unset -f scenario_check
	# shellcheck source=/dev/null
	source "$here/scenarios/$name.sh" || { echo "not ok $name: no such scenario"; failed=$((failed + 1)); continue; }
	dir="$top/build/integration/$name"
	rm -rf "$dir"
	mkdir -p "$dir"
	start=$(date +%s)
	"$top/scripts/qemu-boot.sh" --efi "$efi" --dir "$dir" --iommu "$IOMMU" --args "$SKIFF_ARGS" \
		--timeout "$TIMEOUT" --quiet -- "${QEMU_OPTS[@]}" 2>"$dir/runner.stderr"
	status=$?
	secs=$(($(date +%s) - start))
	log="$dir/serial.log"
	tr -d '\r' <"$log" >"$dir/serial.txt" 2>/dev/null

	why=""
	case "$VERDICT:$status" in
	PASS:0 | FAIL:1) ;;
	*:2) why="no verdict ($(tail -n 1 "$dir/runner.stderr"))" ;;
	*) why="verdict $([ $status -eq 0 ] && echo PASS || echo FAIL), expected $VERDICT" ;;
	esac
	for re in "${EXPECT[@]}"; do
		[ -n "$why" ] && break
		grep -Eq -- "$re" "$dir/serial.txt" || why="missing line /$re/"
	done
	[ "$VERDICT" = PASS ] && FORBID+=("^FAIL ")
	for re in "${FORBID[@]}"; do
		[ -n "$why" ] && break
		line=$(grep -Em1 -- "$re" "$dir/serial.txt") && why="forbidden line: $line"
	done

	if [ -z "$why" ] && declare -F scenario_check >/dev/null; then
		why=$(scenario_check "$dir/serial.txt") || why=${why:-"scenario_check failed"}
	fi

	if [ -z "$why" ]; then
		echo "ok $name (${secs}s)"
		passed=$((passed + 1))
	else
		echo "not ok $name (${secs}s): $why"
		echo "---- $name: serial console (last 40 lines) ----"
		tail -n 40 "$dir/serial.txt"
		echo "---- $name: QEMU stderr ----"
		tail -n 20 "$dir/qemu.stderr"
		echo "----"
		failed=$((failed + 1))
	fi
done
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
