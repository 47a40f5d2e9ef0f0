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

# The Linux guest's initramfs (scripts/mk-initramfs.sh): skiff's guest program as /init, Debian's
# busybox-static (fetched like the kernel, never installed) and the kernel's own modules for the
# passthrough devices, each checked against the kernel's release (vermagic) and loaded in the
# order their depends= fields give (build/host/skiff-modorder).
#   make linux-initrd   build it: $(LINUX_INITRD)
#   make linux-plain    boot it with the kernel in plain QEMU (no skiff) and check every result
#                       (tests/linux/run-qemu-plain.sh; make test runs it too)
# The archive is an uncompressed newc cpio, though the kernel has CONFIG_RD_GZIP: it is small
# (about 4 MB; gzip -9 makes 1.7 MB), the guest unpacks it without inflating (under QEMU's TCG
# 75-105 ms against 130 ms for the gzip one), and `cpio -t` reads it as the guest will.
GUEST_BUSYBOX_DIR := $(BUILD)/guest-busybox
GUEST_BUSYBOX := $(GUEST_BUSYBOX_DIR)/root/bin/busybox
GUEST_BUSYBOX_STAMP := $(GUEST_BUSYBOX_DIR)/.stamp
LINUX_INITRD_DIR := $(BUILD)/linux-initrd
LINUX_INITRD := $(LINUX_INITRD_DIR)/initrd.cpio
LINUX_INIT := $(LINUX_INITRD_DIR)/init
SKIFF_MODORDER := $(BUILD)/host/skiff-modorder
SKIFF_GUEST_REPORT := $(BUILD)/host/skiff-guest-report

# nvme's chain (t10-pi's depends= names crc-t10dif and crc64-rocksoft; crct10dif_generic is the
# crypto provider crc-t10dif asks for) and e1000e, which needs nothing.
GUEST_LINUX_MODULES := crct10dif_common crct10dif_generic crc-t10dif crc64 crc64-rocksoft \
	t10-pi nvme-core nvme e1000e

# The guest program: host gcc, glibc, static (the image has no libc), with the pure code it shares
# with skiff (the command-line splitter, the report port's words).
LINUX_INIT_SRCS := $(wildcard tests/linux/init/*.c) kernel/cmdline.c vmm/vplat/guest_report.c
LINUX_INIT_CFLAGS := -std=gnu11 -O2 -D_GNU_SOURCE -static $(WARN_CFLAGS) -I.

$(GUEST_BUSYBOX_STAMP): scripts/fetch-guest-busybox.sh
	@echo "  FETCH   $(GUEST_BUSYBOX_DIR) (Debian's busybox-static)"
	$(Q)scripts/fetch-guest-busybox.sh $(GUEST_BUSYBOX_DIR)
	$(Q)touch $@

$(LINUX_INIT): $(LINUX_INIT_SRCS) $(wildcard tests/linux/init/*.h) kernel/cmdline.h \
		kernel/bits.h vmm/vplat/guest_report.h vmm/vplat/guest_report_abi.h mk/guest-linux.mk
	@mkdir -p $(@D)
	@echo "  CC      $@ (static, glibc)"
	$(Q)$(CC) $(LINUX_INIT_CFLAGS) $(LINUX_INIT_SRCS) -o $@

$(SKIFF_MODORDER): tools/skiff-modorder.c tools/modorder.c tools/modorder.h mk/guest-linux.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) -std=gnu11 -O2 $(WARN_CFLAGS) -I. tools/skiff-modorder.c tools/modorder.c -o $@

$(SKIFF_GUEST_REPORT): tools/skiff-guest-report.c vmm/vplat/guest_report.c \
		vmm/vplat/guest_report.h vmm/vplat/guest_report_abi.h kernel/bits.h mk/guest-linux.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) -std=gnu11 -O2 $(WARN_CFLAGS) -I. tools/skiff-guest-report.c \
		vmm/vplat/guest_report.c -o $@

$(LINUX_INITRD): $(GUEST_LINUX_STAMP) $(GUEST_BUSYBOX_STAMP) $(LINUX_INIT) $(SKIFF_MODORDER) \
		scripts/mk-initramfs.sh mk/guest-linux.mk
	@echo "  CPIO    $@"
	$(Q)scripts/mk-initramfs.sh $@ $(GUEST_LINUX_DIR) $(GUEST_BUSYBOX) $(LINUX_INIT) \
		$(SKIFF_MODORDER) $(GUEST_LINUX_MODULES)

LINUX_PLAIN_RUN = tests/linux/run-qemu-plain.sh $(GUEST_LINUX_VMLINUZ) $(LINUX_INITRD) \
	$(SKIFF_GUEST_REPORT) $(BUILD)/linux-plain

.PHONY: linux-initrd linux-plain
linux-initrd: $(LINUX_INITRD)
linux-plain: $(LINUX_INITRD) $(SKIFF_GUEST_REPORT)
	$(LINUX_PLAIN_RUN)
