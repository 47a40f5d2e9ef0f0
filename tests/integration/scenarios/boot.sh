# The default platform with an empty command line: the boot report and every boot self-check.
EXPECT=(
	"^\[ *[0-9]+\.[0-9]{6}\] skiff boot report$"
	"firmware +EDK II rev"
	"cpu +AuthenticAMD|cpu +GenuineIntel"
	"acpi +RSDP 0x[0-9a-f]+ rev 2 .*XSDT 0x[0-9a-f]+:.* APIC.* MCFG.* DMAR"
	"^PASS boot.info$"
	"^PASS time.tsc$"
	"^PASS mm.frames_alloc$"
	"^PASS mm.frames_from_free_memory$"
	"^PASS mm.frames_free$"
	"^PASS mm.frames_aligned$"
	"^PASS libc.malloc$"
	"^PASS libc.snprintf$"
	"^libc: printf reaches the console through newlib's stdout$"
	"^PASS libc.printf$"
	"^PASS mm.own_page_tables$"
	"^PASS mm.ram_wb$"
	"^PASS mm.mmio_uc$"
	"^PASS mm.guard_pages$"
	"^PASS lwip.udp_loopback$"
	"^skiff: verdict PASS$"
)
FORBID=("error: " "warning: ")
