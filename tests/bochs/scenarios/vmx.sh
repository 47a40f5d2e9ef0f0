# selftest=vmx on Bochs' Skylake-X (VMX with EPT): the boot report sees VMX and EPT; OVMF's
# unlocked IA32_FEATURE_CONTROL is enabled and locked; VMXON; the bring-up guest's exits one by
# one (port I/O, CPUID, EPT violations on a load and a store, VMCALL, HLT), an injected interrupt
# whose delivery exits at its IDT gate (in an EPT hole) and is injected again from the
# IDT-vectoring information (an EPT violation during event delivery), a page walk through a page
# directory in an EPT hole (an EPT violation on a paging-structure entry, SDM 3C table 28-7 bit 8
# clear), and a VM entry with an unusable TR that fails with exit reason 33 (its error lines are
# expected).
SKIFF_ARGS="selftest=vmx"
# OVMF finds no QEMU fw_cfg under Bochs and installs no ACPI tables: no RSDP for boot.info.
KNOWN_FAIL=("boot.info")
EXPECT=(
	"cpu +GenuineIntel"
	"virt +VMX yes, EPT yes"
	"^PASS time.tsc$"
	"vmx: IA32_FEATURE_CONTROL was 0: VMX outside SMX enabled and locked"
	"vmx: enabled: VMCS revision 0x[0-9a-f]+, TRUE controls, EPT 4-level WB A/D 1G, VPID yes, unrestricted guest yes"
	"^PASS vmx.enable$"
	"^PASS vmx.build$"
	"^PASS vmx.io$"
	"^PASS vmx.cpuid$"
	"^PASS vmx.ept_read$"
	"^PASS vmx.ept_write$"
	"^PASS vmx.hypercall$"
	"^PASS vmx.hlt$"
	"^PASS vmx.inject$"
	"^PASS vmx.reinject$"
	"^PASS vmx.ept_walk$"
	"error: vmx: VM entry failed: exit reason 0x80000021 \(basic 33\), qualification 0: invalid guest state"
	"^PASS vmx.entry_fail$"
	"vmx: vmx0: exits io 1 cpuid 1 mmio 5 hypercall 1 hlt 1 entry_fail 1$"
	"^skiff: verdict (PASS|FAIL)$"
)
# Bochs' own account of the failed entry.
BOCHS_EXPECT=("VMENTER FAIL: VMCS guest TR invalid" "VMEXIT: Guest State Checks Failed")
# Without ACPI, skiff warns that PCI is not enumerated; nothing of the VMX code may warn.
FORBID=("warning: vmx" "error: vmx: (VMPTRLD|VMXON|.*VMWRITE|[a-zA-Z -]+ controls \(MSR)")
