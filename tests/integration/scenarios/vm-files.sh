# A VM configuration naming two files on the ESP (skiff's own image as the kernel and the
# \skiff.cfg holding this very command line as the initrd): boot/ reads both before
# ExitBootServices and the log gives each one's path and exact size; nothing is refused.
SKIFF_ARGS='vm.kernel=\EFI\BOOT\BOOTX64.EFI vm.initrd=\skiff.cfg vm.memory=64M vm.pci=00:03.0,0001:02:1f.7 vm.cmdline="console=ttyS0 quiet"'
EXPECT=(
	"] vm: config: memory 64 MiB, 1 vCPU\(s\), pci 0000:00:03.0,0001:02:1f.7, cmdline \"console=ttyS0 quiet\"$"
	"] vm: vm.kernel=\\\\EFI\\\\BOOT\\\\BOOTX64.EFI: [0-9]+ bytes at 0x[0-9a-f]+$"
	"] vm: vm.initrd=\\\\skiff.cfg: [0-9]+ bytes at 0x[0-9a-f]+$"
	"^PASS mm.boot_files_kept$"
	"^skiff: verdict PASS$"
)
FORBID=("] error: " "] warning: ")

# The sizes logged are the files' sizes on the ESP.
scenario_check() {
	local k i
	k=$(stat -c %s "$dir/esp/EFI/BOOT/BOOTX64.EFI")
	i=$(stat -c %s "$dir/esp/skiff.cfg")
	grep -Eq "] vm: vm.kernel=.*: $k bytes at " "$1" || { echo "kernel size is not $k"; return 1; }
	grep -Eq "] vm: vm.initrd=.*: $i bytes at " "$1" || { echo "initrd size is not $i"; return 1; }
}
