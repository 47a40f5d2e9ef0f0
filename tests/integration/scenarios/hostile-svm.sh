# selftest=hostile on SVM (QEMU TCG, -cpu max): the test guest in attack mode, one VM per attack
# (vmm/hostile.c, tests/guests/attack_*.c). Each attack is its own check, hostile.<attack>: the
# run ended as it must (the guest's own verdict 0, or skiff stopping a guest that would loop
# forever), no host state of vmm/host_state.h changed, and host interrupts still arrive.
SKIFF_ARGS="selftest=hostile hostile=cr8"
EXPECT=(
	"hostile: attack cr8 \(finding 1\)"
	"\[guest\] cr8: wrote 0xf, read back 0x000000000000000f$"
	"^PASS hostile.cr8$"
	"^skiff: verdict PASS$"
)
FORBID=("error: ")
