#!/usr/bin/env bash
# The exit round-trip benchmark in each emulator (vmm/vm_bench.h): boot skiff.efi once in QEMU
# (TCG, -cpu max: SVM with nested paging) and once in Bochs (VMX with EPT) with selftest=guest,
# whose test guest times a loop of CPUID exits through skiff's full dispatch, the same loop on a
# minimal resume path, and a bare loop of the same length without exits; print skiff's "bench:"
# lines. Figures are TSC time inside each emulator: QEMU's TSC follows the host's clock, Bochs'
# advances with emulated instructions (ips=150M, scripts/bochs-boot.sh), so its figures count
# instructions rather than the wall time Bochs spends. Nothing is judged: the script fails only
# when a run printed no figures.
#
#   tests/bench/exits.sh EFI
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
efi=$1
TIMEOUT=120
status=0

# figures NAME SERIAL_LOG SECONDS: the run's bench lines, or a complaint.
figures() {
	local lines
	lines=$(tr -d '\r' <"$2" 2>/dev/null | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g' |
		grep -E '^\[ *[0-9.]+\] bench: ' | sed -E 's/^\[ *[0-9.]+\] //')
	if [ -z "$lines" ]; then
		echo "$1: no bench lines (see $2)"
		status=1
		return
	fi
	echo "== $1 ($3 s wall, boot included)"
	echo "$lines"
}

dir="$top/build/bench/qemu"
rm -rf "$dir"
mkdir -p "$dir"
start=$(date +%s)
"$top/scripts/qemu-boot.sh" --efi "$efi" --dir "$dir" --args "selftest=guest" \
	--timeout "$TIMEOUT" --quiet 2>"$dir/runner.stderr"
figures "qemu (SVM, TCG)" "$dir/serial.log" $(($(date +%s) - start))

dir="$top/build/bench/bochs"
rm -rf "$dir"
mkdir -p "$dir"
start=$(date +%s)
"$top/scripts/bochs-boot.sh" --efi "$efi" --dir "$dir" --args "selftest=guest" \
	--timeout "$TIMEOUT" --quiet 2>"$dir/runner.stderr"
figures "bochs (VMX)" "$dir/serial.log" $(($(date +%s) - start))
exit $status
