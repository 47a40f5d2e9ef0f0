# skiff: a small bare-metal hypervisor, built as a gnu-efi application.
#
#   make            build build/skiff.efi
#   make run        boot it in QEMU 10 with OVMF, intel-iommu and edu (QEMU_OPTS, SKIFF_ARGS, IOMMU)
#   make test       include lines, host unit tests (ASan, UBSan), QEMU integration and Bochs (VMX)
#                   scenarios
#   make bench      host benchmarks (page-table map/unmap, IOMMU ops), exit round trip in QEMU
#                   and Bochs
#   make format     clang-format every C source and header
#   make clean      remove skiff's own build outputs (keeps the newlib and lwIP builds)
#   make distclean  remove build/ except the downloaded lwIP source (build/src)

.DEFAULT_GOAL := all
BUILD := build
SHELL := /bin/bash
# make V=1 shows every command.
V ?= 0
ifeq ($(V),0)
Q := @
endif

# Run the deps script only when something is missing; it says what it installs.
DEPS_OK := $(shell scripts/deps.sh --check 2>/dev/null && echo yes)
ifneq ($(DEPS_OK),yes)
$(info skiff: some build/run/test dependencies are missing; running scripts/deps.sh)
$(shell scripts/deps.sh >&2)
endif

CC := gcc
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
LIBGCC := $(shell $(CC) -print-libgcc-file-name)

# Flags every object inside skiff.efi shares: position independent for the EFI loader's
# relocation, no red zone (interrupts run on the same stack), 2-byte wchar_t as UEFI wants,
# and no SSE/x87 (see docs/sse.md; scripts/check-no-sse.sh enforces it on the linked image).
IMAGE_CFLAGS := -std=gnu11 -O2 -g -fpic -fshort-wchar -mno-red-zone -ffreestanding \
	-fno-stack-protector -fno-strict-aliasing -mgeneral-regs-only -fno-asynchronous-unwind-tables
WARN_CFLAGS := -Wall -Wextra -Werror

include mk/newlib.mk
include mk/lwip.mk

# skiff's own code outside boot/: newlib's headers, never gnu-efi's.
KERNEL_CPPFLAGS := -nostdinc -isystem $(NEWLIB_INCLUDE) -isystem $(GCC_INCLUDE) -I. $(LWIP_CPPFLAGS)
KERNEL_CFLAGS := $(IMAGE_CFLAGS) $(WARN_CFLAGS)
# boot/: gnu-efi's headers, never newlib's.
EFI_CPPFLAGS := -I/usr/include/efi -I/usr/include/efi/x86_64 -I. -DGNU_EFI_USE_MS_ABI
EFI_CFLAGS := $(IMAGE_CFLAGS) $(WARN_CFLAGS)

include mk/guest-linux.mk
include mk/image.mk
include mk/unit.mk
include mk/run.mk
include mk/tools.mk
include mk/fuzz.mk
include mk/bench.mk
include mk/guests.mk
include mk/vplat.mk

.PHONY: all test format clean distclean
all: $(BUILD)/skiff.efi

# The includes that cross folder lines (scripts/check-includes.sh, 3 s; also runs alone), host
# unit tests (seconds), a short fuzzing of every parser (about 30 s), skiff's parse of the
# real-firmware ACPI corpus against ACPICA's decode (1 s), the Linux guest's kernel and initramfs
# in plain QEMU without skiff (about 10 s, bounded to 60), then the QEMU scenarios (about 5 s
# each); one summary line "N passed, N failed".
test: $(BUILD)/skiff.efi $(UNIT_BINS) $(FUZZ_BINS) $(FUZZ_SEED_STAMPS) $(LINUX_INITRD) \
		$(SKIFF_GUEST_REPORT)
	tests/run-all.sh "scripts/check-includes.sh" \
		"tests/unit/run.sh $(UNIT_BINS)" \
		"tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(BUILD)/fuzz $(FUZZ_NAMES)" \
		"tests/corpus/run.sh $(ACPI_CORPUS)" \
		"$(LINUX_PLAIN_RUN)" \
		"tests/integration/run.sh $(BUILD)/skiff.efi" \
		"tests/bochs/run.sh $(BUILD)/skiff.efi"

FORMAT_FILES = $(shell git ls-files '*.c' '*.h')
format:
	clang-format -i $(FORMAT_FILES)

clean:
	rm -rf $(OBJ) $(BUILD)/host $(BUILD)/integration $(BUILD)/run $(BUILD)/skiff.* $(LIBEFI_LOCAL)

distclean:
	find $(BUILD) -mindepth 1 -maxdepth 1 ! -name src -exec rm -rf {} +
