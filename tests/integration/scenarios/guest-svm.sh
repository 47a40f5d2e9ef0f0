# selftest=guest: the test guest (tests/guests/) runs on one SVM vCPU with nested paging under
# QEMU's TCG (-cpu max: AMD SVM with NPT, no next-RIP save, so skiff decodes exit instructions):
# its console, CPUID (skiff's leaves, VMX and SVM hidden), interrupt injection with IF set and
# clear and in STI's shadow, the NPT violation of its probe outside RAM, the exit benchmark
# (figures only) and its verdict by hypercall.
SKIFF_ARGS="selftest=guest"
EXPECT=(
	"svm: enabled: [0-9]+ ASIDs, nested paging"
	"\[guest\] hello from the test guest$"
	"\[guest\] cpuid: skiff signature at leaf 0x40000000$"
	"\[guest\] cpuid: hypercalls by VMMCALL$"
	"\[guest\] cpuid: VMX and SVM hidden$"
	"\[guest\] irq: with IF set: taken 0x0000000000000001$"
	"\[guest\] irq: with IF clear: taken 0x0000000000000000, after STI 0x0000000000000001; second request refused$"
	"\[guest\] irq: requested in STI's shadow: taken after the OUT 0x0000000000000001, after the next STI 0x0000000000000000$"
	"bench: guest0 on svm: 4096 iterations"
	"^PASS guest.inject$"
	"guest0: no device at 0x80000000 \(read, 4 bytes, hole\): reads as all ones, writes dropped"
	"\[guest\] probe: read 0x00000000ffffffff outside RAM$"
	"\[guest\] verdict 0x0000000000000000$"
	"guest: guest0 on svm: verdict 0, [0-9]+ exits: io [0-9]+ mmio 3 cpuid [0-9]+ msr 2 hypercall 1$"
	"^PASS guest.build$"
	"^PASS guest.verdict$"
	"^PASS guest.console$"
	"^PASS guest.cpuid$"
	"^PASS guest.outside_ram$"
	"^PASS guest.shadow$"
	"^PASS guest.exits$"
	"^skiff: verdict PASS$"
)
FORBID=("error: " "warning: ")
