# selftest=hostile on SVM (QEMU TCG, -cpu max): the test guest in attack mode, one VM per attack
# (vmm/hostile.c, tests/guests/attack_*.c). Each attack is its own check, hostile.<attack>: the
# run ended as it must (the guest's own verdict 0, or skiff stopping a guest that would loop
# forever), no host state of vmm/host_state.h changed, and host interrupts still arrive.
SKIFF_ARGS="selftest=hostile"
EXPECT=(
	"hostile: attack cr8 \(finding 1\)"
	"\[guest\] cr8: wrote 0xf, read back 0x000000000000000f$"
	"^PASS hostile.cr8$"
	"hostile: attack dr \(finding 2\)"
	"\[guest\] dr: DR0 read back 0x0000000000200000$"
	"\[guest\] dr: DR6 read back 0x00000000ffff0ff0$"
	"\[guest\] dr: DR7 read back 0x00000000000004ff$"
	"^PASS hostile.dr$"
	"hostile: attack insn \(finding 6\)"
	"\[guest\] insn: WBINVD: completed$"
	"\[guest\] insn: INVD: completed$"
	"\[guest\] insn: RDPMC: exception 0x000000000000000d$"
	"\[guest\] insn: RDPRU: exception 0x0000000000000006$"
	"\[guest\] insn: INVLPGA: exception 0x0000000000000006$"
	"\[guest\] insn: MONITOR: exception 0x0000000000000006$"
	"\[guest\] insn: MWAIT: exception 0x0000000000000006$"
	"^PASS hostile.insn$"
	"hostile: attack msrs \(finding 8\)"
	"\[guest\] msrs: SYSENTER_EIP read back 0xffff800000005000$"
	"\[guest\] msrs: SYSCALL reached the guest's LSTAR 0x0000000000000001 time\(s\)$"
	"^PASS hostile.msrs$"
	"hostile: attack intn \(finding 9\)"
	"\[guest\] intn: #PF 0x0000000000000001 time\(s\), handler 0x0000000000000001 time\(s\)$"
	"^PASS hostile.intn$"
	"^skiff: verdict PASS$"
)
FORBID=("error: ")
