# selftest=vtd on legacy-mode VT-d (x-scalable-mode=off): 128-bit context entries point at the
# second-stage tables directly; two edu devices.
source "$(dirname "${BASH_SOURCE[0]}")/../vtd_checks.sh"
IOMMU="intremap=on,x-scalable-mode=off,aw-bits=48"
SKIFF_ARGS="selftest=vtd"
QEMU_OPTS=("${EDU2[@]}")
EXPECT=("vtd0: 0xfed90000 enabled: legacy mode, second-stage domains" "${VTD_COMMON_CHECKS[@]}"
	"^PASS vtd.isolation_blocked$" "^PASS vtd.isolation_owner$")
FORBID=("error: ")
