# selftest=gmem with SPR17 forced on and iommu.ro_policy=refuse: nesting is refused because the
# VM has a ROM, the domain is no nesting parent, and the ROM stays readable (not writable) by DMA.
source "$(dirname "${BASH_SOURCE[0]}")/../gmem_checks.sh"
SKIFF_ARGS="selftest=gmem iommu.spr17=on iommu.ro_policy=refuse"
EXPECT=("${GMEM_COMMON_CHECKS[@]}" "vm vm0: nesting refused: read-only range bios under SPR17, iommu.ro_policy=refuse"
	"vm vm0: dev view: bios 0xf0000-0xfffff ROM: map read-only")
FORBID=("^PASS gmem.shadow_" "^PASS gmem.ro_map_refused$")
