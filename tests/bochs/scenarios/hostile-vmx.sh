# selftest=hostile on Bochs (VMX with EPT): the attacks of tests/integration/scenarios/hostile-svm.sh
# against the VMX backend, each its own check hostile.<attack>.
SKIFF_ARGS="selftest=hostile"
# The #DB and #AC loops run to the exit budget (20000 exits each): slow under Bochs.
TIMEOUT=300
# OVMF finds no QEMU fw_cfg under Bochs and installs no ACPI tables: no RSDP for boot.info.
KNOWN_FAIL=("boot.info")
EXPECT=(
	"hostile: attack cr8 \(finding 1\)"
	"\[guest\] cr8: wrote 0xf, read back 0x000000000000000f$"
	"^PASS hostile.cr8$"
	"hostile: attack dr \(finding 2\)"
	"\[guest\] dr: DR0 read back 0x0000000000200000$"
	"\[guest\] dr: DR3 read back 0x0000000000203000$"
	"\[guest\] dr: DR7 read back 0x00000000000004ff$"
	"guest: hostile0 on vmx: verdict 0, [0-9]+ exits: .* dr 12$"
	"^PASS hostile.dr$"
	"hostile: attack msrs \(finding 8\)"
	"\[guest\] msrs: LSTAR read back 0x0000000000[0-9a-f]{6}$"
	"\[guest\] msrs: KERNEL_GS_BASE read back 0xffff800000003000$"
	"\[guest\] msrs: SYSENTER_EIP read back 0xffff800000005000$"
	"\[guest\] msrs: SYSCALL reached the guest's LSTAR 0x0000000000000001 time\(s\)$"
	"^PASS hostile.msrs$"
	"hostile: attack insn \(finding 6\)"
	"\[guest\] insn: WBINVD: completed$"
	"\[guest\] insn: RDPMC: exception 0x000000000000000d$"
	"\[guest\] insn: INVLPGA: exception 0x0000000000000006$"
	"\[guest\] insn: MWAIT: exception 0x0000000000000006$"
	"^PASS hostile.insn$"
	"hostile: attack db \(finding 2\)"
	"hostile0: exceptions reflected by vector: 1: [0-9]{5};"
	"^PASS hostile.db$"
	"hostile: attack ac \(finding 2\)"
	"\[guest\] ac: #AC at CPL 3; leaving long mode"
	"hostile0: exceptions reflected by vector: 17: [0-9]{5};"
	"^PASS hostile.ac$"
	"hostile: attack dbbp \(finding 2\)"
	"^PASS hostile.dbbp$"
	"^skiff: verdict (PASS|FAIL)$"
)
FORBID=("error: " "warning: (vmx|guest|hostile)" "exception 0x")
