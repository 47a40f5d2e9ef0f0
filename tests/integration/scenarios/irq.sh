# selftest=irq on scalable-mode VT-d with interrupt remapping (intremap=on): edu's MSI arrives
# through a remappable message and an IRTE, once per raise; a wrong source id and a not-present
# IRTE deliver nothing and are recorded as faults 0x26 and 0x22; QEMU 10 delivers a
# compatibility-format MSI although CFI is clear; teardown frees everything. A virtio-rng
# function gives the MSI-X table checks.
SKIFF_ARGS="selftest=irq"
QEMU_OPTS=(-device virtio-rng-pci)
EXPECT=(
	"vtd0: interrupt remapping on: xAPIC destinations \(IRTA.EIME 0\), 1024 entries \(IRTA.S 9\)"
	"vtd0: IRTE 0-0 allocated to 00:0[0-9a-f].0"
	"vtd0: IRTE 0-0 of 00:0[0-9a-f].0 freed \(0 in use on the unit\)"
	"^PASS irq.edu_found$" "^PASS irq.armed$" "^PASS irq.msi_remappable$"
	"^PASS irq.remapped_delivery$" "^PASS irq.retarget$"
	"^PASS irq.sid_mismatch_blocked$" "^PASS irq.sid_mismatch_fault$"
	"^PASS irq.not_present_blocked$" "^PASS irq.not_present_fault$"
	"^PASS irq.compat_format$" "^PASS irq.teardown$" "^PASS irq.msix_program$"
	"^skiff: verdict PASS$"
)
FORBID=("error: ")
