# make run: skiff on the emulated platform, its console on the terminal. Exit status 0 on a PASS
# verdict, non-zero otherwise. QEMU_OPTS adds QEMU options, SKIFF_ARGS is skiff's command line,
# IOMMU replaces the intel-iommu options.
IOMMU ?= intremap=on,x-scalable-mode=on,aw-bits=48
QEMU_OPTS ?=
SKIFF_ARGS ?=

.PHONY: run
run: $(BUILD)/skiff.efi
	scripts/qemu-boot.sh --efi $< --dir $(BUILD)/run --iommu "$(IOMMU)" --args "$(SKIFF_ARGS)" \
		-- $(QEMU_OPTS)
