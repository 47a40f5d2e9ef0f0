# Legacy-mode VT-d with a 39-bit address width and two edu devices: the report follows what
# QEMU offers (MGAW 39, 3-level tables only, no scalable mode) and finds both devices.
source "$(dirname "${BASH_SOURCE[0]}")/../vtd_caps.sh"
IOMMU="intremap=on,x-scalable-mode=off,aw-bits=39"
QEMU_OPTS=(-device edu,dma_mask=0xffffffffffffffff)
EXPECT=(
	"iommu +DMAR: host address width 39, flags 0x1 INTR_REMAP, 1 unit\(s\)$"
	"pci +0000:00:[0-9a-f]{2}\.0 1234:11e8 class 00ff00 unit 0 MSI \\(blocked\\)$"
	"^skiff: verdict PASS$"
)
FORBID=("error: " "warning: " "unit none")
scenario_check() {
	local n
	n=$(grep -cE "pci +0000:00:[0-9a-f]{2}\.0 1234:11e8 .* unit 0" "$1")
	[ "$n" -eq 2 ] || { echo "$n edu devices under unit 0, expected 2"; return 1; }
	# SLTS and FLTS are scalable-mode capabilities (VT-d 11.4.3): legacy mode reports neither.
	check_unit0_caps "$1" 39 39 0 0 0
}
