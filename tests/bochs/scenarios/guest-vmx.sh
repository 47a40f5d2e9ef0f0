# selftest=guest on Bochs: the test guest (tests/guests/) on one VMX vCPU with EPT, without a
# passthrough device (Bochs has no IOMMU): its 32-bit start with paging off (unrestricted
# guest), its own switch to long mode, console, CPUID, the EPT violations of its probe outside
# RAM, interrupts it asks for (injected at once with IF set, and in STI's shadow once skiff
# completed the OUT; with IF clear through one interrupt-window exit once it sets IF) and its
# verdict by hypercall (VMCALL: CPUID leaf 0x40000001 names the instruction). Its exit
# benchmark runs too (figures logged, not judged).
SKIFF_ARGS="selftest=guest"
# OVMF finds no QEMU fw_cfg under Bochs and installs no ACPI tables: no RSDP for boot.info.
KNOWN_FAIL=("boot.info")
EXPECT=(
	"vmx: enabled: VMCS revision 0x[0-9a-f]+, TRUE controls, EPT 4-level WB"
	"\[guest\] hello from the test guest$"
	"guest: guest0 on vmx: 4096 KiB RAM, image [0-9]+ bytes at 0x100000, EPT root 0x[0-9a-f]+"
	"\[guest\] cpuid: skiff signature at leaf 0x40000000$"
	"\[guest\] cpuid: hypercalls by VMCALL$"
	"\[guest\] cpuid: VMX and SVM hidden$"
	"guest0: no device at 0x80000000 \(read, 4 bytes, hole\): reads as all ones, writes dropped"
	"\[guest\] probe: read 0x00000000ffffffff outside RAM$"
	"\[guest\] irq: with IF set: taken 0x0000000000000001$"
	"\[guest\] irq: with IF clear: taken 0x0000000000000000, after STI 0x0000000000000001; second request refused$"
	"\[guest\] irq: requested in STI's shadow: taken after the OUT 0x0000000000000001, after the next STI 0x0000000000000000$"
	"bench: guest0 on vmx: 4096 iterations, TSC [0-9]+ kHz$"
	"bench:   CPUID exit, minimal resume  [0-9]+ cycles"
	"\[guest\] verdict 0x0000000000000000$"
	"guest: guest0 on vmx: verdict 0, [0-9]+ exits: io [0-9]+ mmio 3 cpuid [0-9]+ msr 2 hypercall 1 irq_window 1$"
	"^PASS guest.build$"
	"^PASS guest.verdict$"
	"^PASS guest.console$"
	"^PASS guest.cpuid$"
	"^PASS guest.outside_ram$"
	"^PASS guest.inject$"
	"^PASS guest.shadow$"
	"^PASS guest.exits$"
	"^skiff: verdict (PASS|FAIL)$"
)
# Without ACPI, skiff warns that PCI is not enumerated; nothing else may warn.
FORBID=("error: " "warning: (vmx|guest)")
