#!/usr/bin/env bash
# Make the Linux guest's initramfs: a newc cpio archive (the kernel's
# Documentation/driver-api/early-userspace/buffer-format.rst) holding
#   /init                    skiff's guest program (tests/linux/init/), static
#   /bin/busybox             Debian's busybox-static (its tftp and sha256sum; no applet links)
#   /lib/modules/RELEASE/... the named modules, from the fetched kernel package itself
#   /etc/modules.order       their load order (tests/linux/init/check.h's MODULES_ORDER_FILE)
# and the empty mount points /proc, /sys, /dev, /tmp. The archive is left uncompressed:
# see mk/linux-initrd.mk.
#
#   scripts/mk-initramfs.sh OUT KERNEL_DIR BUSYBOX INIT MODORDER MODULE...
#
# KERNEL_DIR is scripts/fetch-guest-kernel.sh's output (release, root/lib/modules/RELEASE),
# MODORDER the skiff-modorder tool, MODULE a module's file name without .ko (nvme, t10-pi).
# Each module's vermagic (from its .modinfo section) must name the kernel's release exactly,
# and each module it depends on must be among the MODULEs: the build fails otherwise, saying
# which. Owners, times and inode numbers are fixed, so the same inputs make the same bytes.
set -euo pipefail

[ $# -ge 6 ] || { echo "usage: $0 OUT KERNEL_DIR BUSYBOX INIT MODORDER MODULE..." >&2; exit 2; }
out=$1 kernel_dir=$2 busybox=$3 init=$4 modorder=$5
shift 5
me=mk-initramfs
release=$(cat "$kernel_dir/release")
moddir="$kernel_dir/root/lib/modules/$release"
stage="$out.root"
fixed_time=@0 # every file's mtime in the archive

fail() {
	echo "$me: $*" >&2
	exit 1
}

# The value of KEY in the NUL-separated key=value strings of the module's .modinfo section.
modinfo_field() {
	local ko=$1 key=$2 tmp
	tmp=$(mktemp)
	objcopy -O binary --only-section=.modinfo "$ko" "$tmp" || { rm -f "$tmp"; fail "$ko: no .modinfo"; }
	tr '\0' '\n' <"$tmp" | sed -n "s/^$key=//p" | head -n 1
	rm -f "$tmp"
}

[ -d "$moddir/kernel" ] || fail "no $moddir/kernel (fetch the kernel first: make guest-linux)"
declare -A path_of
args=()
for name in "$@"; do
	mapfile -t found < <(cd "$moddir" && find kernel -name "$name.ko")
	[ ${#found[@]} -eq 1 ] || fail "$name.ko: ${#found[@]} files under $moddir/kernel, need 1"
	ko="$moddir/${found[0]}"
	vermagic=$(modinfo_field "$ko" vermagic)
	[ -n "$vermagic" ] || fail "${found[0]}: no vermagic= in its .modinfo"
	[ "${vermagic%% *}" = "$release" ] ||
		fail "${found[0]}: vermagic '$vermagic' is not for the kernel $release"
	path_of[$name]=${found[0]}
	args+=("$name=$(modinfo_field "$ko" depends)")
done
order=$("$modorder" "${args[@]}") || fail "no load order (above)"

rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,etc,proc,sys,tmp} "$stage/lib/modules/$release"
install -m 0755 "$init" "$stage/init"
install -m 0755 "$busybox" "$stage/bin/busybox"
: >"$stage/etc/modules.order"
for name in $order; do
	install -D -m 0644 "$moddir/${path_of[$name]}" "$stage/lib/modules/$release/${path_of[$name]}"
	echo "${path_of[$name]}" >>"$stage/etc/modules.order"
done
find "$stage" -exec touch -h -d "$fixed_time" {} +
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$stage"
echo "$me: $out: $(stat -c %s "$out") bytes, kernel $release, modules in order: $(echo $order)"
