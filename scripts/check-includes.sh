#!/usr/bin/env bash
# The lines between skiff's folders that no #include "..." may cross (docs/iommu-layer.md):
# 1. vmm/, kernel/, drivers/ and boot/ use the IOMMU through its public headers only: no header
#    of an implementation (iommu/vtd/, any iommu/<impl>/) and not iommu/iommu_driver.h, the
#    contract between the generic layer and its implementations;
# 2. production code (everything outside tests/) includes nothing from tests/: what skiff and a
#    test share lives on skiff's side (vmm/test_guest_abi.h);
# 3. iommu/ does not include vmm/: the IOMMU serves the VMM, not the other way round.
# Every C, header and assembly file git knows (tracked or new, not ignored) is checked, from the
# top of the tree. Each crossing is named as FILE:LINE with the include and the rule it breaks.
# Ends with "includes: N passed, N failed" (files); exit status 1 when any file failed.
#
#   scripts/check-includes.sh
set -uo pipefail
cd "$(git rev-parse --show-toplevel)" || exit 1

# Why @file may not include @target, or nothing when it may.
crossing() {
	local file=$1 target=$2
	case "$file" in
	vmm/* | kernel/* | drivers/* | boot/*)
		case "$target" in
		iommu/*/*) echo "only iommu/'s public headers, not an implementation's, outside iommu/" ;;
		iommu/iommu_driver.h) echo "iommu/iommu_driver.h is for IOMMU implementations only" ;;
		esac
		;;
	iommu/*)
		case "$target" in
		vmm/*) echo "iommu/ does not include vmm/" ;;
		esac
		;;
	esac
	case "$file:$target" in
	tests/*) ;;
	*:tests/*) echo "production code includes nothing from tests/" ;;
	esac
}

mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' '*.S' |
	while IFS= read -r f; do [ -f "$f" ] && echo "$f"; done)
declare -A bad=()
while IFS=: read -r file line target; do
	why=$(crossing "$file" "$target")
	if [ -n "$why" ]; then
		echo "$file:$line: #include \"$target\": $why"
		bad[$file]=1
	fi
done < <(awk '/^[ \t]*#[ \t]*include[ \t]*"/ {
		t = $0; sub(/^[^"]*"/, "", t); sub(/".*/, "", t); print FILENAME ":" FNR ":" t
	}' "${files[@]}")
failed=${#bad[@]}
echo "includes: $((${#files[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
