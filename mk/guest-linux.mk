# The Linux guest's kernel: Debian bookworm's own (linux-image-amd64 -> linux-image-6.1.0-N-amd64),
# fetched once from Debian's archive and unpacked under build/ by scripts/fetch-guest-kernel.sh,
# never installed. The stamp keeps it: remove $(GUEST_LINUX_DIR) to take the archive's newest.
#   make guest-linux   fetch it (make test does, first)
# $(GUEST_LINUX_VMLINUZ) is the bzImage, $(GUEST_LINUX_DIR)/release its kernel release and
# $(GUEST_LINUX_DIR)/root/lib/modules/RELEASE its modules.
GUEST_LINUX_DIR := $(BUILD)/guest-linux
GUEST_LINUX_VMLINUZ := $(GUEST_LINUX_DIR)/vmlinuz
GUEST_LINUX_STAMP := $(GUEST_LINUX_DIR)/.stamp

$(GUEST_LINUX_STAMP): scripts/fetch-guest-kernel.sh
	@echo "  FETCH   $(GUEST_LINUX_DIR) (Debian's linux-image-amd64)"
	$(Q)scripts/fetch-guest-kernel.sh $(GUEST_LINUX_DIR)
	$(Q)touch $@

.PHONY: guest-linux
guest-linux: $(GUEST_LINUX_STAMP)

# The unit tests parse the real bzImage (tests/unit/test_bzimage.c): make test and make unit fetch
# it first and tell the tests where it is, so that case never skips there.
test unit: $(GUEST_LINUX_STAMP)
test unit: export SKIFF_GUEST_VMLINUZ := $(abspath $(GUEST_LINUX_VMLINUZ))
