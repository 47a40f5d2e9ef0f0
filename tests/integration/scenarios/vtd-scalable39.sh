# selftest=vtd on scalable-mode VT-d with a 39-bit address width (3-level second stage).
source "$(dirname "${BASH_SOURCE[0]}")/../vtd_checks.sh"
IOMMU="intremap=on,x-scalable-mode=on,aw-bits=39"
SKIFF_ARGS="selftest=vtd"
EXPECT=("vtd0: 0xfed90000 enabled: scalable mode, second-stage domains" "${VTD_COMMON_CHECKS[@]}")
EXPECT+=("^PASS vtd.queue_error_recovered$" "$VTD_QUEUE_ERROR")
scenario_check() { only_queue_error "$1"; }
