#!/usr/bin/env bash
# Fetch the Linux kernel Debian bookworm ships (the linux-image-6.1.0-N-amd64 package that
# linux-image-amd64 depends on) from Debian's archive with `apt-get download` and unpack it with
# `dpkg-deb -x`. Nothing is installed: the host's /boot and /lib/modules are not touched.
#
#   scripts/fetch-guest-kernel.sh OUT
#
# Leaves in OUT:
#   vmlinuz   the kernel (a bzImage: Documentation/arch/x86/boot.rst)
#   release   the kernel release, e.g. 6.1.0-57-amd64 (uname -r in the guest; the name of the
#             module directory root/lib/modules/RELEASE)
#   package   the package and its version, e.g. linux-image-6.1.0-57-amd64=6.1.192-3
#   root/     every file of the package (boot/, lib/modules/RELEASE/kernel/...: uncompressed .ko)
#   deb/      the downloaded .deb (kept: a second run with the same package downloads nothing)
# Each run takes the newest bookworm version; make runs it once (mk/guest-linux.mk).
set -euo pipefail

out=${1:?usage: $0 OUT}
mkdir -p "$out/deb"
out=$(cd "$out" && pwd) # apt-get download runs in deb/
meta=linux-image-amd64
series=6.1. # bookworm's kernel; backports' newer series are not taken
log="$out/fetch.log"
: >"$log"

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

# The newest version of the metapackage in the series, then the image package it depends on.
resolve() {
	local ver
	ver=$(apt-cache madison "$meta" 2>>"$log" | awk -v s="$series" 'index($3, s) == 1 { print $3 }' |
		sort -V | tail -n 1)
	[ -n "$ver" ] || return 1
	apt-cache depends "$meta=$ver" 2>>"$log" |
		sed -n 's/^ *Depends: \(linux-image-[0-9][0-9.]*-[0-9]*-amd64\)$/\1/p' | head -n 1
}

pkg=$(resolve || true)
if [ -z "$pkg" ]; then
	# A fresh machine has no package lists yet.
	echo "fetch-guest-kernel: apt-get update"
	"${sudo_cmd[@]}" apt-get update >>"$log" 2>&1
	pkg=$(resolve || true)
fi
case "$pkg" in
linux-image-"$series"*-amd64) ;;
*)
	echo "fetch-guest-kernel: no $meta $series* found (got '${pkg:-nothing}'); see $log" >&2
	exit 1
	;;
esac
pkg_ver=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
release=${pkg#linux-image-}
deb="$out/deb/${pkg}_${pkg_ver//:/%3a}_amd64.deb"

if [ ! -s "$deb" ]; then
	echo "fetch-guest-kernel: apt-get download $pkg=$pkg_ver"
	rm -f "$out"/deb/*.deb
	# apt writes where it runs; the sandbox warning (root, not _apt) goes to the log.
	if ! (cd "$out/deb" && apt-get download "$pkg=$pkg_ver" >>"$log" 2>&1); then
		# The archive moved on since the lists were read: read them again, once.
		"${sudo_cmd[@]}" apt-get update >>"$log" 2>&1
		(cd "$out/deb" && apt-get download "$pkg=$pkg_ver" >>"$log" 2>&1) || {
			echo "fetch-guest-kernel: apt-get download $pkg=$pkg_ver failed:" >&2
			tail -n 20 "$log" >&2
			exit 1
		}
	fi
fi

rm -rf "$out/root.tmp"
dpkg-deb -x "$deb" "$out/root.tmp"
[ -f "$out/root.tmp/boot/vmlinuz-$release" ] || {
	echo "fetch-guest-kernel: $deb has no boot/vmlinuz-$release" >&2
	exit 1
}
[ -d "$out/root.tmp/lib/modules/$release/kernel" ] || {
	echo "fetch-guest-kernel: $deb has no lib/modules/$release/kernel" >&2
	exit 1
}
rm -rf "$out/root"
mv "$out/root.tmp" "$out/root"
cp "$out/root/boot/vmlinuz-$release" "$out/vmlinuz"
echo "$release" >"$out/release"
echo "$pkg=$pkg_ver" >"$out/package"
echo "fetch-guest-kernel: $out/vmlinuz is $release ($pkg=$pkg_ver, $(stat -c %s "$out/vmlinuz") bytes)"
