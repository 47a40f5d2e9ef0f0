# A VM configuration naming a file that is not on the ESP: the kernel present is read and
# logged, the missing initrd is one error naming it, and no VM is built; skiff goes on.
SKIFF_ARGS='vm.kernel=\EFI\BOOT\BOOTX64.EFI vm.initrd=\EFI\skiff\no-such-initrd'
EXPECT=(
	"] vm: vm.kernel=\\\\EFI\\\\BOOT\\\\BOOTX64.EFI: [0-9]+ bytes at 0x[0-9a-f]+$"
	"] error: vm: vm.initrd=\\\\EFI\\\\skiff\\\\no-such-initrd: not found on the ESP \(EFI status 0x[0-9a-f]+\); no VM$"
	"^PASS mm.boot_files_kept$"
	"^skiff: verdict PASS$"
)
FORBID=("] warning: ")

scenario_check() {
	local n
	n=$(grep -c "] error: " "$1")
	[ "$n" -eq 1 ] || { echo "$n error lines, expected exactly 1"; return 1; }
}
