# selftest=vtd on scalable-mode VT-d (second stage), 48-bit, with two edu devices: DMA lands
# where skiff's tables say, faults are recorded and attributed, and two domains are isolated.
source "$(dirname "${BASH_SOURCE[0]}")/../vtd_checks.sh"
SKIFF_ARGS="selftest=vtd"
QEMU_OPTS=("${EDU2[@]}")
EXPECT=("vtd0: 0xfed90000 enabled: scalable mode, second-stage domains" "${VTD_COMMON_CHECKS[@]}"
	"^PASS vtd.second_domain$" "^PASS vtd.isolation_blocked$" "^PASS vtd.isolation_owner$")
EXPECT+=("^PASS vtd.queue_error_recovered$" "$VTD_QUEUE_ERROR")
scenario_check() { only_queue_error "$1"; }
