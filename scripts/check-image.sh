#!/usr/bin/env bash
# Checks on the linked ELF before it becomes skiff.efi:
# 1. Only R_X86_64_RELATIVE relocations: gnu-efi's _relocate applies those and silently ignores
#    every other type, which would leave a broken pointer in the image.
# 2. No SSE, AVX or x87 instruction (docs/sse.md): skiff runs guests whose vector state it does
#    not save on every exit. Exempt are the functions defined in the archives given after the
#    image (gnu-efi's libefi and libgnuefi): they run only before ExitBootServices, under the
#    firmware, and code after it cannot call them (only boot/efi_*.c sees gnu-efi's headers).
#
#   scripts/check-image.sh IMAGE.so [PRE_EBS_ARCHIVE.a ...]
set -euo pipefail
elf=$1
shift
exempt=$(for a in "$@"; do nm --defined-only "$a" 2>/dev/null | awk 'NF == 3 { print "<" $3 ">:" }'; done | sort -u)

bad_relocs=$(readelf -rW "$elf" | awk '/^[0-9a-f]+ +[0-9a-f]+ +R_X86_64_/ && $3 != "R_X86_64_RELATIVE" { print }')
if [ -n "$bad_relocs" ]; then
	echo "check-image: $elf has relocations gnu-efi cannot apply:" >&2
	echo "$bad_relocs" | head -20 >&2
	exit 1
fi

# Functions that touch %xmm/%ymm/%zmm/%mm/%st registers or use x87/SSE state instructions.
fp_funcs=$(objdump -d --no-show-raw-insn "$elf" | awk '
	/^[0-9a-f]+ <.*>:$/ { fn = $2; next }
	/%[xyz]mm[0-9]|%mm[0-9]|%st\b|%st\(|\t(f[a-z0-9]+|ldmxcsr|stmxcsr|emms)( |$)/ { hits[fn] = 1 }
	END { for (f in hits) print f }' | sort | comm -23 - <(echo "$exempt"))
if [ -n "$fp_funcs" ]; then
	echo "check-image: $elf uses SSE/x87 registers (see docs/sse.md) in:" >&2
	echo "$fp_funcs" | head -40 >&2
	exit 1
fi
