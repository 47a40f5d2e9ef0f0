# Shared by the gmem scenarios: the PASS lines selftest=gmem prints under every policy.
GMEM_COMMON_CHECKS=(
	"^PASS gmem.view$"
	"^PASS gmem.dma_ram$"
	"^PASS gmem.rom_read$"
	"^PASS gmem.rom_write$"
	"^PASS gmem.msi_window$"
	"^PASS gmem.audit$"
	"^skiff: verdict PASS$"
)
# The guest's first stage composed with the device view (QEMU's VT-d has no ECAP.NEST).
GMEM_SHADOW_CHECKS=(
	"^PASS gmem.shadow_build$"
	"^PASS gmem.shadow_attach$"
	"^PASS gmem.shadow_dma$"
	"^PASS gmem.shadow_rom$"
	"^PASS gmem.shadow_invalidate$"
	"^PASS gmem.shadow_detach$"
	"^PASS gmem.shadow_fanout$"
	"warning: vm vm0: pasid 0x1: shadow of the first stage at 0x700000: IOVA 0-0x7fffffffffff needs more than 4194304 steps: refused \\(-E2BIG\\), left unmapped \\(refusal 1\\)"
	"^PASS gmem.nested_refused$"
)
