# The default platform (intel-iommu scalable mode, aw-bits=48, intremap): the boot report names
# the one DMAR unit with its registers decoded, the ECAM window, and edu (1234:11e8) under it;
# with remapping off (iommu=off, said once as a warning) the edu driver moves a page through
# the device.
source "$(dirname "${BASH_SOURCE[0]}")/../vtd_caps.sh"
SKIFF_ARGS="selftest=edu iommu=off"
EXPECT=(
	"iommu +DMAR: host address width 48, flags 0x1 INTR_REMAP, 1 unit\(s\)$"
	"unit 0 +0xfed90000 segment 0.*: VT-d [0-9]+\.[0-9]+ CAP 0x[0-9a-f]{16} ECAP 0x[0-9a-f]{16}$"
	"ecam +0x[0-9a-f]+ segment 0 buses 00-ff$"
	"pci +0000:00:[0-9a-f]{2}\.0 1234:11e8 class 00ff00 unit 0 MSI \\(not remapped\\)$"
	"BAR0 mem32 0x[0-9a-f]+ size 0x100000$"
	"^PASS edu.probe$"
	"^PASS edu.dma_round_trip$"
	"apic +1 local APIC\(s\), 0 x2APIC\(s\), 1 IOAPIC\(s\)"
	"^skiff: verdict PASS$"
)
FORBID=("error: " "unit none")
scenario_check() { check_unit0_caps "$1" 48 39,48 1 0 1; }
