# make run: skiff on the emulated platform, its console on the terminal, running its main job:
# the test guest with QEMU's edu passed through (run=guest, vmm/vm_main.h). Exit status 0 on a
# PASS verdict, non-zero otherwise. QEMU_OPTS adds QEMU options, SKIFF_ARGS is skiff's command
# line (replacing run=guest), IOMMU replaces the intel-iommu options.
IOMMU ?= intremap=on,x-scalable-mode=on,aw-bits=48
QEMU_OPTS ?=
SKIFF_ARGS ?= run=guest

.PHONY: run
run: $(BUILD)/skiff.efi
	scripts/qemu-boot.sh --efi $< --dir $(BUILD)/run --iommu "$(IOMMU)" --args "$(SKIFF_ARGS)" \
		-- $(QEMU_OPTS)
