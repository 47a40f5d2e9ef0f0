# Host tools, built with the host's gcc and glibc from the same sources skiff.efi uses.
#
#   make tools   build/host/skiff-acpi: parse a raw DMAR, APIC or MCFG table, print JSON

TOOLS_DIR := $(BUILD)/host
TOOLS_CFLAGS := -std=gnu11 -O2 -g $(WARN_CFLAGS) -I.

SKIFF_ACPI := $(TOOLS_DIR)/skiff-acpi
SKIFF_ACPI_SRCS := tools/skiff-acpi.c tools/json.c \
	$(addprefix kernel/acpi/,acpi_notes.c acpi_sdt.c dmar.c madt.c mcfg.c)

.PHONY: tools
tools: $(SKIFF_ACPI)

# One compiler run over all sources; every header they could include is a prerequisite.
$(SKIFF_ACPI): $(SKIFF_ACPI_SRCS) $(wildcard tools/*.h kernel/acpi/*.h) mk/tools.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(TOOLS_CFLAGS) $(SKIFF_ACPI_SRCS) -o $@
