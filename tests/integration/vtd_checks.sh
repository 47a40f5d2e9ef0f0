# Shared by the vtd scenarios: the PASS lines selftest=vtd must print on every platform shape.
VTD_COMMON_CHECKS=(
	"^PASS vtd.edu_found$"
	"^PASS vtd.attach$"
	"^PASS vtd.dma_round_trip$"
	"^PASS vtd.decoy_untouched$"
	"^PASS vtd.map_read_only$"
	"^PASS vtd.write_to_read_only_blocked$"
	"^PASS vtd.read_unmapped_blocked$"
	"^PASS vtd.faults_counted$"
	"^PASS vtd.large_2m$"
	"^PASS vtd.large_1g$"
	"^PASS vtd.remap_invalidated$"
	"^PASS vtd.detach$"
	"^PASS vtd.blocked_after_detach$"
	"^skiff: verdict PASS$"
)
EDU2=(-device edu,dma_mask=0xffffffffffffffff)
