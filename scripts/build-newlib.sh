#!/usr/bin/env bash
# Build newlib 3.3.0 (Debian's newlib-source) for x86_64 bare metal with flags that fit skiff's
# EFI image, into $1 (build/newlib). Skipped when the stamp shows nothing changed.
set -euo pipefail

out=$(realpath -m "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
tarball=/usr/src/newlib/newlib-3.3.0.tar.xz
cflags="-O2 -g -fpic -mno-red-zone -fshort-wchar -ffreestanding -fno-stack-protector -fno-builtin"
conf="--target=x86_64-elf --disable-multilib --disable-newlib-supplied-syscalls
      --disable-newlib-io-float --enable-newlib-nano-malloc=no --disable-newlib-fvwrite-in-streamio"

stamp_text="$(sha256sum "$tarball" "$0" "$top/scripts/nosse-cc" | cut -d' ' -f1) $cflags $conf"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp_text" ]; then
	exit 0
fi

echo "newlib: building from $tarball into $out (about 2 minutes)"
rm -rf "$out"
mkdir -p "$out/src" "$out/obj"
tar -xJf "$tarball" -C "$out/src"
export SKIFF_SSE_LOG="$out/sse-files.txt"
: >"$SKIFF_SSE_LOG"
(
	cd "$out/obj"
	# shellcheck disable=SC2086
	"$out/src/newlib-salsa/configure" $conf --prefix="$out/install" \
		CC_FOR_TARGET="$top/scripts/nosse-cc" AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld \
		NM_FOR_TARGET=nm RANLIB_FOR_TARGET=ranlib OBJCOPY_FOR_TARGET=objcopy \
		OBJDUMP_FOR_TARGET=objdump STRIP_FOR_TARGET=strip READELF_FOR_TARGET=readelf \
		CFLAGS_FOR_TARGET="$cflags" >"$out/configure.log" 2>&1
	make -j"$(nproc)" all-target-newlib >"$out/make.log" 2>&1
	make install-target-newlib >"$out/install.log" 2>&1
) || {
	echo "newlib: build failed; logs in $out" >&2
	tail -n 30 "$out"/*.log >&2
	exit 1
}
echo "$stamp_text" >"$out/stamp"
echo "newlib: done; $(sort -u "$SKIFF_SSE_LOG" | wc -l) files needed SSE (listed in $SKIFF_SSE_LOG)"
