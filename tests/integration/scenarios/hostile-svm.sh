# selftest=hostile on SVM (QEMU TCG, -cpu max): the test guest in attack mode, one VM per attack
# (vmm/hostile.c, tests/guests/attack_*.c). Each attack is its own check, hostile.<attack>: the
# run ended as it must (the guest's own verdict 0, or skiff stopping a guest that would loop
# forever), no host state of vmm/host_state.h changed, and host interrupts still arrive.
# QEMU's TCG raises no #AC (it does not check alignment): hostile.ac is a SKIP here and is
# proved on Bochs (tests/bochs/scenarios/hostile-vmx.sh).
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
	"hostile: attack db \(finding 2\)"
	"hostile0: exceptions reflected by vector: 1: [0-9]{5};"
	"^PASS hostile.db$"
	"hostile: attack ac \(finding 2\)"
	"\[guest\] ac: no #AC at CPL 3 with CR0.AM and RFLAGS.AC: this CPU does not check alignment$"
	"^SKIP hostile.ac: this CPU cannot mount the attack"
	"hostile: attack intn \(finding 9\)"
	"\[guest\] intn: #PF 0x0000000000000001 time\(s\), handler 0x0000000000000001 time\(s\)$"
	"^PASS hostile.intn$"
	"hostile: attack dbbp \(finding 2\)"
	"^PASS hostile.dbbp$"
	"^skiff: verdict PASS$"
)
FORBID=("error: ")
