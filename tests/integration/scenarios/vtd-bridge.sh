# selftest=vtd with the default edu on the root bus and a second edu behind a PCIe-to-PCI bridge
# (scalable mode, second stage): QEMU 10 sends the bridged edu's DMA with the bridge's secondary
# bus and devfn 0 as requester id (0x0100), so its domain holds a context entry (and PASID
# structures) for that alias too: DMA through it lands in the domain's page, its faults name the
# alias and count for the domain, another domain cannot take the alias (-EBUSY, nothing
# programmed), and detach blocks it again.
source "$(dirname "${BASH_SOURCE[0]}")/../vtd_checks.sh"
SKIFF_ARGS="selftest=vtd"
QEMU_OPTS=(-device pcie-pci-bridge,id=br1
	-device edu,bus=br1,addr=1,dma_mask=0xffffffffffffffff)
EXPECT=("${VTD_COMMON_CHECKS[@]}"
	"vtd0: 01:01.0 in domain [0-9]+: DMA alias 01:00.0 \\(requester id 0x0100\\) programmed too$"
	"vtd: edu 01:01.0 behind a bridge: 2 requester ids, the unit sees 0100$"
	"^PASS vtd.isolation_blocked$" "^PASS vtd.isolation_owner$"
	"^PASS vtd.bridge_alias_entries$" "^PASS vtd.bridge_dma$"
	"^PASS vtd.bridge_fault_alias_rid$" "^PASS vtd.bridge_fault_alias_rid.walker$"
	"vtd0: DMA fault: 01:00.0 read addr 0x10400000 .*\\(domain [0-9]+\\)$"
	"^PASS vtd.bridge_fault_attributed$" "^PASS vtd.bridge_alias_busy$"
	"^PASS vtd.bridge_detach$" "^PASS vtd.bridge_blocked_after_detach$"
	"^PASS vtd.bridge_blocked_after_detach.walker$"
	"^PASS vtd.bridge_detached_fault_unattributed$" "^PASS vtd.bridge_busy_nothing_programmed$"
	"^PASS vtd.queue_error_recovered$" "$VTD_QUEUE_ERROR")
scenario_check() { only_queue_error "$1"; }
