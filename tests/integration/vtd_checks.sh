# Shared by the vtd scenarios: the PASS lines selftest=vtd must print on every platform shape.
VTD_COMMON_CHECKS=(
	"^PASS vtd.edu_found$"
	"^PASS vtd.attach$"
	"^PASS vtd.dma_round_trip$"
	"^PASS vtd.decoy_untouched$"
	"^PASS vtd.walker_round_trip$"
	"^PASS vtd.write_to_read_only_blocked.walker$"
	"^PASS vtd.read_unmapped_blocked.walker$"
	"^PASS vtd.blocked_after_detach.walker$"
	"^PASS vtd.audit_clean$"
	"^PASS vtd.map_read_only$"
	"^PASS vtd.write_to_read_only_blocked$"
	"^PASS vtd.read_unmapped_blocked$"
	"^PASS vtd.faults_counted$"
	"^PASS vtd.fault_interrupt$"
	"^PASS vtd.large_2m$"
	"^PASS vtd.large_1g$"
	"^PASS vtd.remap_invalidated$"
	"^PASS vtd.detach$"
	"^PASS vtd.blocked_after_detach$"
	"^skiff: verdict PASS$"
)
EDU2=(-device edu,dma_mask=0xffffffffffffffff)

# Scalable mode also submits a descriptor QEMU must reject: exactly one error line, that one.
VTD_QUEUE_ERROR="^\[ *[0-9.]+\] error: vtd0: invalidation queue error IQE at IQH 0x[0-9a-f]+: descriptor 0+ 0+6 "
only_queue_error() {
	local n
	n=$(grep -c "error: " "$1")
	[ "$n" -eq 1 ] || { echo "$n error lines, expected only the provoked queue error"; return 1; }
}
