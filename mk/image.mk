# build/skiff.efi: skiff's own objects, lwIP, newlib and gnu-efi linked as one ELF shared object
# (linker.ld), checked by scripts/check-image.sh, then converted to a PE32+ EFI application.
OBJ := $(BUILD)/obj
SRC_DIRS := boot kernel drivers iommu vmm
EFI_SRCS := $(shell find $(SRC_DIRS) -name 'efi_*.c' 2>/dev/null)
C_SRCS := $(filter-out $(EFI_SRCS),$(shell find $(SRC_DIRS) -name '*.c' 2>/dev/null))
ASM_SRCS := $(shell find $(SRC_DIRS) -name '*.S' 2>/dev/null)
IMAGE_OBJS := $(EFI_SRCS:%.c=$(OBJ)/%.o) $(C_SRCS:%.c=$(OBJ)/%.o) $(ASM_SRCS:%.S=$(OBJ)/%.o)

GNUEFI_CRT0 := /usr/lib/crt0-efi-x86_64.o
GNUEFI_LIB := /usr/lib/libgnuefi.a
# libefi brings its own memcpy, memset, setjmp and longjmp; in our copy they are local, so
# newlib's serve everyone.
LIBEFI_LOCAL := $(BUILD)/libefi-local.a
EFI_SECTIONS := .text .sdata .data .dynamic .dynsym .rel .rela .rel.* .rela.* .reloc

# Order-only: newlib's and lwIP's headers must exist before any of skiff's code compiles.
$(OBJ)/%.o: %.c | $(NEWLIB_STAMP) $(LWIP_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CPPFLAGS) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(EFI_SRCS:%.c=$(OBJ)/%.o): $(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $< (gnu-efi)"
	$(Q)$(CC) $(EFI_CPPFLAGS) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(IMAGE_CFLAGS) -I. -MMD -MP -c $< -o $@

$(LIBEFI_LOCAL): /usr/lib/libefi.a
	@mkdir -p $(@D)
	$(Q)objcopy -L memcpy -L memset -L setjmp -L longjmp $< $@

$(BUILD)/skiff.so: $(IMAGE_OBJS) $(LWIP_LIB) $(NEWLIB_STAMP) $(LIBEFI_LOCAL) linker.ld \
		scripts/check-image.sh
	@echo "  LD      $@"
	$(Q)ld -nostdlib -shared -Bsymbolic -znocombreloc -z noexecstack -T linker.ld \
		$(GNUEFI_CRT0) $(IMAGE_OBJS) $(LWIP_LIB) \
		--start-group $(NEWLIB_LIBC) $(LIBGCC) --end-group \
		$(LIBEFI_LOCAL) $(GNUEFI_LIB) -o $@.tmp
	@echo "  CHECK   $@ (relocations, no SSE/x87)"
	$(Q)scripts/check-image.sh $@.tmp $(LIBEFI_LOCAL) $(GNUEFI_LIB)
	$(Q)mv $@.tmp $@

$(BUILD)/skiff.efi: $(BUILD)/skiff.so
	@echo "  EFI     $@"
	$(Q)objcopy $(addprefix -j ,$(EFI_SECTIONS)) --target efi-app-x86_64 --subsystem=10 $< $@

-include $(IMAGE_OBJS:.o=.d)
