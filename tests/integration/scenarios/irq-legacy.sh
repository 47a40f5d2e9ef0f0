# selftest=irq on legacy-mode VT-d (x-scalable-mode=off): interrupt remapping does not depend on
# the translation mode; the same checks as the irq scenario.
IOMMU="intremap=on,x-scalable-mode=off,aw-bits=48"
SKIFF_ARGS="selftest=irq"
QEMU_OPTS=(-device virtio-rng-pci)
EXPECT=(
	"vtd0: 0xfed90000 enabled: legacy mode"
	"vtd0: interrupt remapping on: xAPIC destinations"
	"^PASS irq.remapped_delivery$" "^PASS irq.retarget$"
	"^PASS irq.sid_mismatch_blocked$" "^PASS irq.sid_mismatch_fault$"
	"^PASS irq.not_present_blocked$" "^PASS irq.not_present_fault$"
	"^PASS irq.compat_format$" "^PASS irq.teardown$" "^PASS irq.msix_program$"
	"^skiff: verdict PASS$"
)
FORBID=("error: ")
