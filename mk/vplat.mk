# The guest platform's ACPI tables (vmm/vplat/): the DSDT is compiled from vmm/vplat/dsdt.asl by
# iasl (Debian's acpica-tools), and scripts/aml-offsets.py turns the AML and iasl's offset table
# (-so) into $(DSDT_AML_H): the bytes, and the offset of each object vmm/vplat/acpi_dsdt.c
# patches with the VM's values. The header is built before anything that includes it compiles,
# for skiff.efi and for the host unit tests alike.
GEN_DIR := $(BUILD)/gen
DSDT_ASL := vmm/vplat/dsdt.asl
DSDT_GEN := $(GEN_DIR)/vmm/vplat/dsdt
DSDT_AML_H := $(GEN_DIR)/vmm/vplat/dsdt_aml.h

# NAME=PATH:KIND for each patched object (see scripts/aml-offsets.py).
DSDT_PATCH_SITES := OFF_SEG=_SB_.PCI0._SEG:qword OFF_BBN=_SB_.PCI0._BBN:qword \
	OFF_BUSN=_SB_.PCI0.BUSN:word-desc OFF_MW32=_SB_.PCI0.MW32:dword-desc \
	OFF_MW64=_SB_.PCI0.MW64:qword-desc OFF_ECAM=_SB_.MRES.ECAM:qword-desc

# -we: a warning fails the build; -so: the offset table.
$(DSDT_AML_H): $(DSDT_ASL) vmm/vplat/acpi_guest_asl.h scripts/aml-offsets.py mk/vplat.mk
	@mkdir -p $(@D)
	@echo "  IASL    $(DSDT_ASL)"
	$(Q)iasl -vs -we -I . -so -p $(DSDT_GEN) $(DSDT_ASL) >$(DSDT_GEN).log || \
		{ cat $(DSDT_GEN).log; exit 1; }
	$(Q)scripts/aml-offsets.py $(DSDT_GEN).aml $(DSDT_GEN).offset.h $@.tmp dsdt_aml \
		$(DSDT_PATCH_SITES)
	$(Q)mv $@.tmp $@

# Whatever includes the generated header finds it under $(GEN_DIR) and waits for it.
DSDT_AML_USERS_IMAGE := $(OBJ)/vmm/vplat/acpi_dsdt.o
DSDT_AML_USERS_UNIT := $(UNIT_DIR)/vmm/vplat/acpi_dsdt.o $(UNIT_DIR)/tests/unit/test_acpi_guest.o
$(DSDT_AML_USERS_IMAGE): KERNEL_CPPFLAGS += -I$(GEN_DIR)
$(DSDT_AML_USERS_UNIT): UNIT_CPPFLAGS += -I$(GEN_DIR)
$(DSDT_AML_USERS_IMAGE) $(DSDT_AML_USERS_UNIT): $(DSDT_AML_H)
