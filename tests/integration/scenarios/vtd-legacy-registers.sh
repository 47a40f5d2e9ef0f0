# selftest=vtd on legacy-mode VT-d with register-based invalidation (iommu.qi=0: CCMD_REG and
# IOTLB_REG instead of the queue, the path units without ECAP.QI take).
source "$(dirname "${BASH_SOURCE[0]}")/../vtd_checks.sh"
IOMMU="intremap=on,x-scalable-mode=off,aw-bits=48"
SKIFF_ARGS="selftest=vtd iommu.qi=0"
EXPECT=("vtd0: 0xfed90000 enabled: legacy mode, second-stage domains, 16-bit domain ids, register-based invalidation"
	"${VTD_COMMON_CHECKS[@]}")
FORBID=("error: ")
