#!/usr/bin/env bash
# Boot skiff under OVMF in Bochs 2.7 (scripts/bochs-boot.sh: VMX with EPT, no IOMMU) once per
# scenario and judge each run by skiff's own lines. A scenario (tests/bochs/scenarios/NAME.sh)
# sets:
#   SKIFF_ARGS      skiff's command line
#   EXPECT          lines (extended regular expressions) that must each match a serial line
#   FORBID          lines that must not appear
#   BOCHS_EXPECT    lines that must each match a line of bochs.log (Bochs' own account, e.g.
#                   the VM-entry check a deliberately broken guest state fails)
#   KNOWN_FAIL      names of checks that fail on Bochs for a stated reason of the platform, not
#                   of skiff (each scenario says why)
#   TIMEOUT         seconds before the run counts as a hang (default 60; OVMF alone takes
#                   about 10 s on this machine, 22 s measured elsewhere)
# The verdict must be PASS, or FAIL caused only by KNOWN_FAIL checks; a missing verdict fails.
# Why a FAIL verdict is accepted at all, and only so: skiff's verdict is FAIL as soon as any
# check fails, and on Bochs boot.info always does - it wants an ACPI RSDP, and OVMF under Bochs
# finds no QEMU fw_cfg and installs no ACPI tables. Taking the verdict as it is would fail every
# Bochs run; ignoring it would hide any new failure. So a FAIL verdict passes only when there is
# at least one "FAIL <check>" line and every one names a check in KNOWN_FAIL: any other FAIL
# line, or a FAIL verdict without a FAIL line, fails the scenario, and its EXPECT lines still
# demand the PASS line of every check the scenario is about.
# Bochs cannot end itself on skiff's verdict (skiff halts there); bochs-boot.sh stops it once the
# verdict line is in the serial log. Logs go to build/bochs/NAME/ (serial.log, bochs.log: Bochs
# names the exact VM-entry check that failed there); a failed scenario prints their tails.
#
#   tests/bochs/run.sh EFI [NAME...]     (all scenarios when no NAME is given)
# Prints one "ok NAME" / "not ok NAME: why" line per scenario and ends with
# "bochs: N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
efi=$1
shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in "$here"/scenarios/*.sh; do names+=("$(basename "$f" .sh)"); done
fi

passed=0 failed=0
for name in "${names[@]}"; do
	SKIFF_ARGS="" EXPECT=() FORBID=() BOCHS_EXPECT=() KNOWN_FAIL=() TIMEOUT=60
	# shellcheck source=/dev/null
	source "$here/scenarios/$name.sh" || { echo "not ok $name: no such scenario"; failed=$((failed + 1)); continue; }
	dir="$top/build/bochs/$name"
	rm -rf "$dir"
	mkdir -p "$dir"
	start=$(date +%s)
	"$top/scripts/bochs-boot.sh" --efi "$efi" --dir "$dir" --args "$SKIFF_ARGS" \
		--timeout "$TIMEOUT" --quiet 2>"$dir/runner.stderr"
	status=$?
	secs=$(($(date +%s) - start))
	tr -d '\r' <"$dir/serial.log" 2>/dev/null | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g' >"$dir/serial.txt"

	why=""
	unknown=$(grep -E '^FAIL ' "$dir/serial.txt" | sed -E 's/^FAIL ([^:]+).*/\1/' |
		grep -vxF -f <(printf '%s\n' "${KNOWN_FAIL[@]}" "") | head -n 1)
	case "$status" in
	0) ;;
	1) [ -n "$unknown" ] || grep -qE '^FAIL ' "$dir/serial.txt" ||
		why="verdict FAIL without a FAIL line" ;;
	*) why="no verdict ($(tail -n 1 "$dir/runner.stderr"))" ;;
	esac
	[ -z "$why" ] && [ -n "$unknown" ] && why="$(grep -Em1 "^FAIL $unknown" "$dir/serial.txt")"
	for re in "${EXPECT[@]}"; do
		[ -n "$why" ] && break
		grep -Eq -- "$re" "$dir/serial.txt" || why="missing line /$re/"
	done
	for re in "${BOCHS_EXPECT[@]}"; do
		[ -n "$why" ] && break
		grep -aEq -- "$re" "$dir/bochs.log" || why="missing bochs.log line /$re/"
	done
	for re in "${FORBID[@]}"; do
		[ -n "$why" ] && break
		line=$(grep -Em1 -- "$re" "$dir/serial.txt") && why="forbidden line: $line"
	done

	if [ -z "$why" ]; then
		echo "ok $name (${secs}s)"
		passed=$((passed + 1))
	else
		echo "not ok $name (${secs}s): $why"
		echo "---- $name: serial console (last 40 lines) ----"
		tail -n 40 "$dir/serial.txt"
		echo "---- $name: bochs.log (last 20 lines) ----"
		tail -n 20 "$dir/bochs.log" 2>/dev/null
		echo "----"
		failed=$((failed + 1))
	fi
done
echo "bochs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
