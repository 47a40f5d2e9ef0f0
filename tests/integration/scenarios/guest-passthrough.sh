# run=guest, the main job (what `make run` does): the test guest on one SVM vCPU with QEMU's edu
# passed through - BAR0 at guest-physical 0xe0000000, edu in the VM's device view (scalable-mode
# VT-d, second stage), its configuration space virtualised at guest 00:00.0 and its MSI trapped
# and remapped through a source-validated IRTE. The guest DMAs a page RAM -> edu -> RAM with
# guest-physical addresses (no exit in that window), aims a write and a read outside its RAM
# (both blocked and recorded as faults of edu at that address), and takes exactly one MSI. edu
# keeps decoding memory whatever the guest writes (its BAR0 stays mapped), its IRTE is written
# once, and the guest's few config events are all logged.
SKIFF_ARGS="run=guest"
EXPECT=(
	"vm guest0: dev view: edu.bar0 "
	"\[guest\] pci: edu 1234:11e8 at bus 0 device 0x0000000000000000$"
	"\[guest\] pci: edu BAR0 at 0x00000000e0000000, size 0x0000000000100000$"
	"\[guest\] dma: 0x0000000000001000 bytes RAM 0x[0-9a-f]+ -> edu -> RAM 0x[0-9a-f]+: data ok$"
	"vtd0: DMA fault: .*00:0[0-9a-f].0.*0x400000"
	"\[guest\] dma: write and read at 0x0000000000400000 outside RAM: nothing read"
	"guest0: MSI of 00:0[0-9a-f].0: guest vector 0x40 -> .* IRTE [0-9]+ \(source-validated\) -> host vector [0-9]+ on APIC 0: on$"
	"\[guest\] msi: one raise, vector 0x0000000000000040: interrupts taken 0x0000000000000001$"
	"\[guest\] verdict 0x0000000000000000$"
	"^\[ *[0-9.]+\] skiff run report$"
	"  device     0000:00:0[0-9a-f].0 1234:11e8 as guest 00:00.0; BAR0 gpa 0xe0000000 -> hpa 0x[0-9a-f]+, 1 MiB .*config: 0 unknown, 0 refused$"
	"  domain     vtd0 DID [0-9]+, scalable mode, second stage, no nesting; 2 DMA fault\(s\)$"
	"  dma exits  0 exit\(s\) during the guest's DMA window \(1 window\(s\), [0-9]+ us\)$"
	"  interrupts MSI guest vector 0x40, host vector [0-9]+, IRTE [0-9]+: 1 host interrupt\(s\), 1 injected$"
	"  command    guest 0x6, edu 0x4[0-9a-f]{2}: edu's memory decoding kept on \(0 lapse\(s\)\)$"
	"  guest log  2 guest-triggered event\(s\), 2 logged, 0 suppressed: "
	"  devview    vm guest0: second stage only"
	"^PASS run.verdict$" "^PASS run.dma_round_trip$" "^PASS run.dma_exits$"
	"^PASS run.dma_outside$" "^PASS run.msi$" "^PASS run.decode_kept$" "^PASS run.irte_writes$"
	"^PASS run.exits$"
	"^skiff: verdict PASS$"
)
FORBID=("error: ")
