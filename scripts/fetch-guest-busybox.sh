#!/usr/bin/env bash
# Fetch Debian's busybox-static (bookworm's, a static busybox for the Linux guest's initramfs)
# with `apt-get download` and unpack it with `dpkg-deb -x`. Nothing is installed on the host.
#
#   scripts/fetch-guest-busybox.sh OUT
#
# Leaves in OUT:
#   root/bin/busybox   the static binary
#   package            the package and its version, e.g. busybox-static=1:1.35.0-4+deb12u1+b1
#   deb/               the downloaded .deb (kept: a second run of the same version fetches nothing)
set -euo pipefail

out=${1:?usage: $0 OUT}
pkg=busybox-static
mkdir -p "$out/deb"
out=$(cd "$out" && pwd) # apt-get download runs in deb/
log="$out/fetch.log"
: >"$log"

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

candidate() { apt-cache policy "$pkg" 2>>"$log" | sed -n 's/^ *Candidate: //p'; }

ver=$(candidate)
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
	# A fresh machine has no package lists yet.
	echo "fetch-guest-busybox: apt-get update"
	"${sudo_cmd[@]}" apt-get update >>"$log" 2>&1
	ver=$(candidate)
fi
[ -n "$ver" ] && [ "$ver" != "(none)" ] || {
	echo "fetch-guest-busybox: no $pkg in the package lists; see $log" >&2
	exit 1
}
deb="$out/deb/${pkg}_${ver//:/%3a}_amd64.deb"

if [ ! -s "$deb" ]; then
	echo "fetch-guest-busybox: apt-get download $pkg=$ver"
	rm -f "$out"/deb/*.deb
	# apt writes where it runs; the sandbox warning (root, not _apt) goes to the log.
	(cd "$out/deb" && apt-get download "$pkg=$ver" >>"$log" 2>&1) || {
		echo "fetch-guest-busybox: apt-get download $pkg=$ver failed:" >&2
		tail -n 20 "$log" >&2
		exit 1
	}
fi

rm -rf "$out/root"
dpkg-deb -x "$deb" "$out/root"
[ -x "$out/root/bin/busybox" ] || {
	echo "fetch-guest-busybox: $deb has no bin/busybox" >&2
	exit 1
}
# The initramfs has no dynamic loader and no libc: the binary must have no interpreter.
if readelf -l "$out/root/bin/busybox" | grep -q 'Requesting program interpreter'; then
	echo "fetch-guest-busybox: $deb's bin/busybox is dynamically linked" >&2
	exit 1
fi
echo "$pkg=$ver" >"$out/package"
echo "fetch-guest-busybox: $out/root/bin/busybox is $pkg=$ver ($(stat -c %s "$out/root/bin/busybox") bytes)"
