#!/usr/bin/env bash
# Install every Debian package that building, running and testing skiff need, and fetch the lwIP
# source package. Nothing is fetched from anywhere but Debian's archive.
#
#   scripts/deps.sh          install what is missing (says what it installs)
#   scripts/deps.sh --check  exit 0 when everything is present, 1 otherwise (installs nothing)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
src_cache="$top/build/src"
log="$top/build/deps.log"

# Debian package -> a file that proves it is installed.
declare -A probe=(
	[gnu-efi]=/usr/lib/crt0-efi-x86_64.o
	[newlib-source]=/usr/src/newlib/newlib-3.3.0.tar.xz
	[qemu-system-x86]=/usr/bin/qemu-system-x86_64
	[ovmf]=/usr/share/OVMF/OVMF_CODE_4M.fd
	[bochs]=/usr/bin/bochs
	[bochsbios]=/usr/share/bochs/BIOS-bochs-latest
	[vgabios]=/usr/share/vgabios/vgabios.bin
	[libcmocka-dev]=/usr/include/cmocka.h
	[acpica-tools]=/usr/bin/iasl
	[python3]=/usr/bin/python3
	[mtools]=/usr/bin/mcopy
	[dosfstools]=/usr/sbin/mkfs.fat
	[clang]=/usr/bin/clang
	[libclang-rt-14-dev]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
	[clang-format]=/usr/bin/clang-format
	[dpkg-dev]=/usr/bin/dpkg-source
	[xz-utils]=/usr/bin/xz
	[texinfo]=/usr/bin/makeinfo
	[cpio]=/usr/bin/cpio
	[libc6-dev]=/usr/lib/x86_64-linux-gnu/libc.a
	[binutils]=/usr/bin/objcopy
)
qemu_min_major=10

qemu_ok() {
	[ -x /usr/bin/qemu-system-x86_64 ] || return 1
	local major
	major=$(/usr/bin/qemu-system-x86_64 --version | sed -n 's/^QEMU emulator version \([0-9]*\).*/\1/p')
	[ "${major:-0}" -ge "$qemu_min_major" ]
}

lwip_ok() { ls "$src_cache"/lwip_2.1.3*.orig.tar.* >/dev/null 2>&1; }

missing=()
for pkg in "${!probe[@]}"; do
	[ -e "${probe[$pkg]}" ] || missing+=("$pkg")
done
qemu_ok || missing+=(qemu-system-x86)

if [ "${1:-}" = "--check" ]; then
	[ ${#missing[@]} -eq 0 ] && lwip_ok && exit 0
	echo "deps: missing: ${missing[*]} $(lwip_ok || echo lwip-source)" >&2
	exit 1
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
mkdir -p "$top/build"
: >"$log"

# apt's progress goes to build/deps.log; on failure its tail is shown.
quietly() {
	"$@" >>"$log" 2>&1 || {
		echo "deps: '$*' failed; the end of $log:" >&2
		tail -n 20 "$log" >&2
		exit 1
	}
}

# bookworm-backports (for QEMU 10) and deb-src (for the lwIP source package).
sources=/etc/apt/sources.list.d/skiff.sources
if [ ! -f "$sources" ]; then
	echo "deps: adding $sources (bookworm-backports, deb-src)"
	"${sudo_cmd[@]}" tee "$sources" >/dev/null <<'SRC'
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	updated=0
fi

if [ ${#missing[@]} -gt 0 ] || ! lwip_ok || [ "${updated:-1}" -eq 0 ]; then
	echo "deps: apt-get update"
	quietly "${sudo_cmd[@]}" apt-get update
fi

if [ ${#missing[@]} -gt 0 ]; then
	# QEMU 10 comes from bookworm-backports; the rest from bookworm.
	rest=()
	for pkg in "${missing[@]}"; do [ "$pkg" = qemu-system-x86 ] || rest+=("$pkg"); done
	if [ ${#rest[@]} -gt 0 ]; then
		echo "deps: installing ${rest[*]}"
		quietly "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
			--no-install-recommends "${rest[@]}"
	fi
	if ! qemu_ok; then
		echo "deps: installing qemu-system-x86 from bookworm-backports"
		quietly "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
			--no-install-recommends -t bookworm-backports qemu-system-x86
	fi
fi
qemu_ok || { echo "deps: QEMU >= $qemu_min_major is required" >&2; exit 1; }

if ! lwip_ok; then
	echo "deps: fetching the lwip source package into $src_cache"
	mkdir -p "$src_cache"
	(cd "$src_cache" && quietly apt-get source --download-only lwip)
fi
lwip_ok || { echo "deps: lwIP 2.1.3 source not found in $src_cache" >&2; exit 1; }
echo "deps: all present"
