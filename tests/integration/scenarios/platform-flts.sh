# First-stage-only VT-d (QEMU 10 x-flts=on): ECAP.FLTS=1 and ECAP.SLTS=0 in the report.
source "$(dirname "${BASH_SOURCE[0]}")/../vtd_caps.sh"
IOMMU="intremap=on,x-scalable-mode=on,x-flts=on,aw-bits=48"
EXPECT=(
	"pci +0000:00:[0-9a-f]{2}\.0 1234:11e8 class 00ff00 unit 0 MSI \\(blocked\\)$"
	"^skiff: verdict PASS$"
)
FORBID=("error: " "unit none")
scenario_check() { check_unit0_caps "$1" 48 39,48 1 1 0; }
