#!/usr/bin/env bash
# Boot skiff.efi under OVMF in Bochs 2.7 (Debian's package), headless: VMX with EPT on an
# emulated Skylake-X, no IOMMU. The run ends when skiff prints its verdict (or on a Bochs magic
# breakpoint / "Shutdown" on port 0x8900, or at the time bound); Bochs is then stopped.
#
#   scripts/bochs-boot.sh --efi FILE --dir DIR [--args "SKIFF ARGS"] [--timeout SECONDS]
#                         [--quiet]
#
# DIR receives esp.img (a FAT image with EFI/BOOT/BOOTX64.EFI and \skiff.cfg holding the command
# line, built with mtools), bochsrc, the debugger command file, serial.log (skiff's COM1, raw),
# bochs.log (Bochs' own log: it names the exact VM-entry check that failed) and bochs.out.
# Exit status: 0 when skiff's verdict was PASS, 1 when FAIL, 2 when there was no verdict.
#
# Facts this relies on (measured with Bochs 2.7+dfsg-4): Debian's build has no "nogui", so the
# display is rfb with timeout=0 (no client is waited for); the debugger stops before the first
# instruction, so "continue" comes from an -rc file; only the 2 MB OVMF_CODE.fd boots (the 4 MB
# one does not); OVMF takes about 22 s to reach the boot loader.
set -uo pipefail

OVMF_CODE=/usr/share/OVMF/OVMF_CODE.fd
VGA_ROM=/usr/share/bochs/VGABIOS-lgpl-latest
ESP_MIB=32
BOCHS_MEGS=512
BOCHS_IPS=150000000 # instructions per emulated second = the TSC rate skiff measures
POLL_SECONDS=0.5

efi="" dir="" args="" timeout=60 quiet=0
while [ $# -gt 0 ]; do
	case "$1" in
	--efi) efi=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--args) args=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--quiet) quiet=1; shift ;;
	*) echo "bochs-boot: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -f "$efi" ] && [ -n "$dir" ] || { echo "bochs-boot: --efi FILE and --dir DIR are required" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# The ESP: a whole-disk FAT image (no partition table; OVMF's FAT driver takes the disk).
img="$dir/esp.img"
rm -f "$img" "$img.lock"
truncate -s "${ESP_MIB}M" "$img"
mformat -i "$img" :: >/dev/null || { echo "bochs-boot: mformat failed" >&2; exit 2; }
printf '%s\n' "$args" >"$dir/skiff.cfg"
mmd -i "$img" ::/EFI ::/EFI/BOOT &&
	mcopy -i "$img" "$efi" ::/EFI/BOOT/BOOTX64.EFI &&
	mcopy -i "$img" "$dir/skiff.cfg" ::/skiff.cfg ||
	{ echo "bochs-boot: mcopy failed" >&2; exit 2; }

serial="$dir/serial.log"
rm -f "$serial" "$dir/bochs.log"
cat >"$dir/bochsrc" <<EOF
megs: $BOCHS_MEGS
romimage: file=$OVMF_CODE
vgaromimage: file=$VGA_ROM
cpu: model=corei7_skylake_x, count=1, ips=$BOCHS_IPS, reset_on_triple_fault=0
pci: enabled=1, chipset=i440fx
display_library: rfb, options="timeout=0"
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path=esp.img, mode=flat
boot: disk
com1: enabled=1, mode=file, dev=serial.log
magic_break: enabled=1
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
port_e9_hack: enabled=0
log: bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF
printf 'continue\nquit\n' >"$dir/bochs.rc"

start=$(date +%s%N)
(cd "$dir" && exec bochs -q -f bochsrc -rc bochs.rc) </dev/null >"$dir/bochs.out" 2>&1 &
pid=$!

verdict=""
shown=0
deadline=$(($(date +%s) + timeout))
while kill -0 "$pid" 2>/dev/null; do
	if [ -f "$serial" ]; then
		if [ "$quiet" -eq 0 ]; then
			lines=$(wc -l <"$serial")
			if [ "$lines" -gt "$shown" ]; then
				sed -n "$((shown + 1)),${lines}p" "$serial" | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g'
				shown=$lines
			fi
		fi
		verdict=$(grep -a -o -E 'skiff: verdict (PASS|FAIL)' "$serial" | head -n 1)
		[ -n "$verdict" ] && break
	fi
	[ "$(date +%s)" -ge "$deadline" ] && break
	sleep "$POLL_SECONDS"
done
if kill -0 "$pid" 2>/dev/null; then
	kill "$pid" 2>/dev/null
	sleep 1
	kill -9 "$pid" 2>/dev/null
fi
wait "$pid" 2>/dev/null
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
[ "$quiet" -eq 0 ] && [ -f "$serial" ] &&
	sed -n "$((shown + 1)),\$p" "$serial" | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g'
printf 'bochs-boot: %d.%03d s\n' $((elapsed_ms / 1000)) $((elapsed_ms % 1000)) >&2

case "$verdict" in
"skiff: verdict PASS") exit 0 ;;
"skiff: verdict FAIL") exit 1 ;;
esac
if [ -z "$verdict" ] && [ "$(date +%s)" -ge "$deadline" ]; then
	echo "bochs-boot: no verdict within ${timeout}s (hang); see $dir/bochs.log" >&2
else
	echo "bochs-boot: Bochs ended without a verdict; see $dir/bochs.log" >&2
fi
exit 2
