#!/usr/bin/env bash
# Boot Debian's kernel with skiff's initramfs in plain QEMU 10 (TCG, no skiff, SeaBIOS' -kernel
# boot) with the devices skiff is to pass through: QEMU's NVMe on a disk image of known content
# and an e1000e on the user-mode network, whose TFTP server holds a file of known content. The
# guest program (tests/linux/init/) checks them and powers off; this script then judges:
#   - each check's console line (the program prints every report on the console too);
#   - its words to skiff's guest report port (vmm/vplat/guest_report_abi.h): in plain QEMU no
#     device claims the port, so QEMU's memory_region_ops_write trace shows each write landing
#     in its unassigned 'io' region; build/host/skiff-guest-report follows them as skiff's port
#     model will. Under skiff the port is what counts; here the console lines and the port must
#     agree;
#   - the disk image afterwards: the pattern (tests/linux/init/pattern.h) in the region written,
#     every other byte as before;
#   - that QEMU ended by itself (the guest's ACPI power off) within TIMEOUT seconds.
#
#   tests/linux/run-qemu-plain.sh KERNEL INITRD REPORT_TOOL DIR
#
# DIR receives the disk image, the TFTP directory, console.log, trace.log and qemu.stderr.
# Prints "ok NAME" / "not ok NAME: why" per check, the figures (guest uptime at init and at power
# off, wall time), and ends with "linux: N passed, N failed". TIMEOUT (seconds) is 60 by default.
set -uo pipefail

kernel=${1:?usage: $0 KERNEL INITRD REPORT_TOOL DIR} initrd=${2:?} report_tool=${3:?} dir=${4:?}
timeout=${TIMEOUT:-60}
port=0x508 # GUEST_REPORT_PORT
disk_size=$((4 << 20))
region_off=$((1 << 20)) region_len=$((64 << 10)) # inside the disk, clear of both ends
tftp_file=skiff-tftp.bin

passed=0 failed=0
ok() {
	echo "ok $1"
	passed=$((passed + 1))
}
not_ok() {
	echo "not ok $1: $2"
	failed=$((failed + 1))
}

rm -rf "$dir"
mkdir -p "$dir/tftp"
# Known content: 16-byte numbered lines, so any moved or changed byte is seen.
seq -f '%015g' 0 $((disk_size / 16 - 1)) >"$dir/disk.orig"
cp "$dir/disk.orig" "$dir/disk.img"
seq -f 'tftp line %020g' 0 19999 >"$dir/tftp/$tftp_file"
disk_sha=$(sha256sum "$dir/disk.orig" | cut -c 1-64)
tftp_sha=$(sha256sum "$dir/tftp/$tftp_file" | cut -c 1-64)

append="console=ttyS0 panic=-1 skiff.disk_sha=$disk_sha"
append+=" skiff.disk_write=$region_off+$region_len skiff.tftp=$tftp_file:$tftp_sha"
qemu=(qemu-system-x86_64 -machine q35 -cpu max -m 512 -nodefaults -display none -no-reboot
	-serial stdio -kernel "$kernel" -initrd "$initrd" -append "$append"
	-drive "file=$dir/disk.img,if=none,format=raw,id=disk0" -device nvme,drive=disk0,serial=skiff0
	-netdev "user,id=net0,restrict=on,tftp=$dir/tftp" -device e1000e,netdev=net0
	-trace "memory_region_ops_write,file=$dir/trace.log")

start_ns=$(date +%s%N)
timeout --kill-after=5 "$timeout" "${qemu[@]}" </dev/null 2>"$dir/qemu.stderr" |
	tr -d '\r' >"$dir/console.log"
status=${PIPESTATUS[0]}
wall_ms=$((($(date +%s%N) - start_ns) / 1000000))
console="$dir/console.log"

case $status in
0) ok "power-off" ;;
124 | 137) not_ok "power-off" "no power off within ${timeout}s" ;;
*) not_ok "power-off" "QEMU exited with status $status: $(tail -n 1 "$dir/qemu.stderr")" ;;
esac

init_at=$(sed -n 's/^skiff-init: init at uptime \([0-9.]*\) s$/\1/p' "$console")
off_at=$(sed -n 's/^skiff-init: power off at uptime \([0-9.]*\) s$/\1/p' "$console")
if [ -n "$init_at" ]; then ok "init"; else not_ok "init" "the guest program never started"; fi

# The console's results, then the port's: the same statuses, and a PASS verdict.
console_results=$(sed -n 's/^skiff-init: check \([a-z_]*\) \([A-Z]*\):.*/\1 \2/p' "$console")
for check in modules disk_read disk_write tftp; do
	line=$(grep -m 1 "^skiff-init: check $check " "$console")
	case "$line" in
	*" PASS: "*) ok "$check" ;;
	"") not_ok "$check" "no result on the console" ;;
	*) not_ok "$check" "${line#skiff-init: check }" ;;
	esac
done
verdict=$(sed -n 's/^skiff-init: verdict \([A-Z]*\) .*/\1/p' "$console")
[ "$verdict" = PASS ] && ok "verdict" || not_ok "verdict" "console verdict '${verdict:-none}'"

mapfile -t words < <(sed -n "s/.* addr $port value \(0x[0-9a-f]*\) size 4 name 'io'$/\1/p" \
	"$dir/trace.log" 2>/dev/null)
decoded=$("$report_tool" "${words[@]}")
report_status=$?
port_results=$(sed -n 's/^result: \([a-z_]*\) \([A-Z]*\) .*/\1 \2/p' <<<"$decoded")
if [ ${#words[@]} -eq 0 ]; then
	not_ok "port" "QEMU's trace shows no 32-bit write to port $port"
elif [ $report_status -ne 0 ]; then
	not_ok "port" "$(tail -n 1 <<<"$decoded")"
elif [ "$port_results" != "$console_results" ]; then
	not_ok "port" "the port's results ($(echo $port_results)) are not the console's ($(echo $console_results))"
else
	ok "port (${#words[@]} words, $(tail -n 1 <<<"$decoded"))"
fi

# The disk: the pattern in the region, everything else as it was.
pattern="$dir/pattern.expected"
for ((o = region_off; o < region_off + region_len; o += 16)); do
	printf 'skiff:%09x\n' "$o"
done >"$pattern"
if [ "$(stat -c %s "$dir/disk.img")" -ne "$disk_size" ]; then
	not_ok "disk-pattern" "the image's size changed"
elif ! cmp -s -i "$region_off:0" -n "$region_len" "$dir/disk.img" "$pattern"; then
	not_ok "disk-pattern" "region $region_off+$region_len: $(cmp -i "$region_off:0" -n "$region_len" "$dir/disk.img" "$pattern" 2>&1 | head -n 1)"
else
	ok "disk-pattern"
fi
end=$((region_off + region_len))
if ! cmp -s -n "$region_off" "$dir/disk.img" "$dir/disk.orig"; then
	not_ok "disk-rest" "before the region: $(cmp -n "$region_off" "$dir/disk.img" "$dir/disk.orig" | head -n 1)"
elif ! cmp -s -i "$end" "$dir/disk.img" "$dir/disk.orig"; then
	not_ok "disk-rest" "after the region: $(cmp -i "$end" "$dir/disk.img" "$dir/disk.orig" | head -n 1)"
else
	ok "disk-rest"
fi

echo "linux-plain: initramfs $(stat -c %s "$initrd") bytes; guest uptime at init ${init_at:-?} s," \
	"at power off ${off_at:-?} s; wall $((wall_ms / 1000)).$(printf %03d $((wall_ms % 1000))) s (bound ${timeout} s)"
[ "$failed" -eq 0 ] || echo "linux-plain: logs in $dir (console.log, qemu.stderr, trace.log)"
echo "linux: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
