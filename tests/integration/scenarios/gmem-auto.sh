# selftest=gmem with iommu.spr17=auto on QEMU's VT-d, which has no ECAP.NEST: the erratum does
# not apply, the ROM is mapped read-only under the nesting parent (the shadow composition does
# not need SPR17's rule), and the guest's first stage still runs through the shadow.
source "$(dirname "${BASH_SOURCE[0]}")/../gmem_checks.sh"
SKIFF_ARGS="selftest=gmem"
EXPECT=("${GMEM_COMMON_CHECKS[@]}" "${GMEM_SHADOW_CHECKS[@]}"
	"vm vm0: dev view: bios 0xf0000-0xfffff ROM: map read-only")
FORBID=("^PASS gmem.ro_map_refused$")
