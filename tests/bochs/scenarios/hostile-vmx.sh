# selftest=hostile on Bochs (VMX with EPT): the attacks of tests/integration/scenarios/hostile-svm.sh
# against the VMX backend, each its own check hostile.<attack>.
SKIFF_ARGS="selftest=hostile hostile=cr8"
# OVMF finds no QEMU fw_cfg under Bochs and installs no ACPI tables: no RSDP for boot.info.
KNOWN_FAIL=("boot.info")
EXPECT=(
	"hostile: attack cr8 \(finding 1\)"
	"\[guest\] cr8: wrote 0xf, read back 0x000000000000000f$"
	"^PASS hostile.cr8$"
	"^skiff: verdict (PASS|FAIL)$"
)
FORBID=("error: " "warning: (vmx|guest|hostile)")
