# selftest=vtd on QEMU 10's first-stage-only VT-d (x-flts=on: ECAP.FLTS=1, SLTS=0): domains use
# first-stage (x86-64 format) tables through PGTT=001b PASID entries, with two edu devices.
source "$(dirname "${BASH_SOURCE[0]}")/../vtd_checks.sh"
IOMMU="intremap=on,x-scalable-mode=on,x-flts=on,aw-bits=48"
SKIFF_ARGS="selftest=vtd"
QEMU_OPTS=("${EDU2[@]}")
EXPECT=("vtd0: 0xfed90000 enabled: scalable mode, first-stage domains" "${VTD_COMMON_CHECKS[@]}"
	"^PASS vtd.isolation_blocked$" "^PASS vtd.isolation_owner$")
EXPECT+=("^PASS vtd.queue_error_recovered$" "$VTD_QUEUE_ERROR")
scenario_check() { only_queue_error "$1"; }
