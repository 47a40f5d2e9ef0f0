# selftest=gmem with SPR17 forced on (QEMU's VT-d has no ECAP.NEST, so "auto" would not apply
# it) and the default iommu.ro_policy=skip: the ROM is left out of the nesting parent's device
# view and DMA to it faults at its address; the domain API refuses a read-only map; the guest's
# first stage runs through the shadow composition.
source "$(dirname "${BASH_SOURCE[0]}")/../gmem_checks.sh"
SKIFF_ARGS="selftest=gmem iommu.spr17=on"
EXPECT=("${GMEM_COMMON_CHECKS[@]}" "${GMEM_SHADOW_CHECKS[@]}" "^PASS gmem.ro_map_refused$"
	"vm vm0: dev view: bios 0xf0000-0xfffff ROM: left out \(SPR17")
