# A VM configuration with a bad PCI function: one error naming the key and value, no file is
# read from the ESP (so none is logged) and no VM is built; skiff goes on.
SKIFF_ARGS='vm.kernel=\EFI\BOOT\BOOTX64.EFI vm.pci=00:03.0,00:20.1'
EXPECT=(
	"] error: vm: vm.pci=00:03.0,00:20.1 refused: device number beyond 0x1f; no VM$"
	"^skiff: verdict PASS$"
)
FORBID=("] vm: vm.kernel=" "mm.boot_files_kept" "] warning: ")

scenario_check() {
	local n
	n=$(grep -c "] error: " "$1")
	[ "$n" -eq 1 ] || { echo "$n error lines, expected exactly 1"; return 1; }
}
