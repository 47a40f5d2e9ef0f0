#!/usr/bin/env bash
# Boot skiff.efi under OVMF in QEMU 10 (TCG) on the emulated platform skiff is developed on:
# q35, intel-iommu (placed before every other PCI device), QEMU's edu DMA device and the
# isa-debug-exit device skiff reports its verdict to.
#
#   scripts/qemu-boot.sh --efi FILE --dir DIR [--iommu OPTS] [--args "SKIFF ARGS"]
#                        [--log FILE] [--timeout SECONDS] [--quiet] [-- QEMU OPTIONS...]
#
# DIR receives the ESP (EFI/BOOT/BOOTX64.EFI and skiff.cfg holding the command line) and a
# writable copy of the OVMF variable store. The serial console is shown on stdout (firmware
# escape sequences stripped; --quiet hides it) and kept raw in --log.
# Exit status: 0 when skiff's verdict was PASS, 1 when FAIL, 2 when there was no verdict
# (QEMU exited by itself, a triple fault, a hang past --timeout, or QEMU failed to start).
set -uo pipefail

OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
QEMU=qemu-system-x86_64
STATUS_PASS=33 # isa-debug-exit: (0x10 << 1) | 1, kernel/exit.h
STATUS_FAIL=35 # (0x11 << 1) | 1
STATUS_TIMEOUT=124

efi="" dir="" iommu="intremap=on,x-scalable-mode=on,aw-bits=48" args="" log="" timeout=0 quiet=0
while [ $# -gt 0 ]; do
	case "$1" in
	--efi) efi=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--iommu) iommu=$2; shift 2 ;;
	--args) args=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--quiet) quiet=1; shift ;;
	--) shift; break ;;
	*) echo "qemu-boot: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -f "$efi" ] && [ -n "$dir" ] || { echo "qemu-boot: --efi FILE and --dir DIR are required" >&2; exit 2; }

mkdir -p "$dir/esp/EFI/BOOT"
cp "$efi" "$dir/esp/EFI/BOOT/BOOTX64.EFI"
printf '%s\n' "$args" >"$dir/esp/skiff.cfg"
cp "$OVMF_VARS" "$dir/ovmf-vars.fd"
[ -n "$log" ] || log="$dir/serial.log"

cmd=("$QEMU" -machine q35 -cpu max -m 1G -nodefaults -display none -no-reboot
	-device "intel-iommu,$iommu"
	-device edu,dma_mask=0xffffffffffffffff
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
	-drive "if=pflash,format=raw,unit=1,file=$dir/ovmf-vars.fd"
	-drive "format=raw,file=fat:rw:$dir/esp"
	-serial stdio "$@")
[ "$timeout" -gt 0 ] && cmd=(timeout --kill-after=5 "$timeout" "${cmd[@]}")

strip_escapes() { sed -u 's/\x1b\[[0-9;=?]*[A-Za-z]//g'; }
if [ "$quiet" -eq 1 ]; then
	"${cmd[@]}" 2>"$dir/qemu.stderr" | tee "$log" >/dev/null
else
	"${cmd[@]}" 2> >(tee "$dir/qemu.stderr" >&2) | tee "$log" | strip_escapes
fi
status=${PIPESTATUS[0]}

case "$status" in
$STATUS_PASS) exit 0 ;;
$STATUS_FAIL) exit 1 ;;
$STATUS_TIMEOUT) echo "qemu-boot: no verdict within ${timeout}s (hang)" >&2 ;;
0) echo "qemu-boot: QEMU exited without a verdict (reset, triple fault or power off)" >&2 ;;
*) echo "qemu-boot: QEMU exited with status $status and no verdict" >&2 ;;
esac
exit 2
