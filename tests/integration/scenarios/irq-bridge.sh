# selftest=irq with a second edu behind a PCIe-to-PCI bridge: QEMU sends its MSI with the
# bridge's secondary bus and devfn 0 as requester id, so its IRTE validates the bridge's bus
# range (SVT 10b) and delivers; an IRTE with the function's own requester id blocks (fault 0x26
# naming the bridge's id).
SKIFF_ARGS="selftest=irq"
QEMU_OPTS=(-device pcie-pci-bridge,id=br1 -device edu,bus=br1,addr=1)
EXPECT=(
	"^PASS irq.remapped_delivery$"
	"irq: edu [0-9a-f]{2}:01.0 behind a bridge: IRTE [0-9]+ validates SVT 2 SID 0x([0-9a-f]{2})\\1$"
	"^PASS irq.bridge_delivery$" "^PASS irq.bridge_own_rid_blocked$"
	"irq: requests of [0-9a-f]{2}:01.0 reach the unit as 0x([0-9a-f]{2})00 "
	"^skiff: verdict PASS$"
)
FORBID=("error: ")
