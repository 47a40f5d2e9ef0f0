# The test guest (tests/guests/): a flat 64-bit image linked at its own address with its own
# linker script, embedded into skiff.efi by vmm/guest_image.S (.incbin). It is one flat image in
# the guest's RAM, so ld's warning about a writable and executable segment does not apply.
GUEST_DIR := $(BUILD)/guests
GUEST_BIN := $(GUEST_DIR)/test-guest.bin
GUEST_SRCS := tests/guests/entry.S tests/guests/main.c tests/guests/console.c tests/guests/pci.c \
	tests/guests/idt.c tests/guests/irq.c tests/guests/bench.c tests/guests/edu.c \
	tests/guests/trap.c tests/guests/trap_entry.S tests/guests/user.c tests/guests/user_entry.S \
	tests/guests/attack.c \
	$(sort $(wildcard tests/guests/attack_*.c tests/guests/attack_*.S))
GUEST_OBJS := $(patsubst tests/guests/%,$(GUEST_DIR)/%.o,$(GUEST_SRCS))
GUEST_CFLAGS := -std=gnu11 -O2 -m64 -ffreestanding -fno-pic -fno-pie -mno-red-zone \
	-mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables -nostdinc \
	-isystem $(GCC_INCLUDE) -I. $(WARN_CFLAGS)

$(GUEST_DIR)/%.o: tests/guests/% mk/guests.mk
	@mkdir -p $(@D)
	@echo "  CC      $< (guest)"
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_DIR)/test-guest.elf: $(GUEST_OBJS) tests/guests/guest.ld mk/guests.mk
	@echo "  LD      $@"
	$(Q)ld -nostdlib -static -z noexecstack --no-warn-rwx-segments -T tests/guests/guest.ld $(GUEST_OBJS) -o $@

$(GUEST_BIN): $(GUEST_DIR)/test-guest.elf
	$(Q)objcopy -O binary $< $@

$(OBJ)/vmm/guest_image.o: $(GUEST_BIN)
$(OBJ)/vmm/guest_image.o: IMAGE_CFLAGS += -DTEST_GUEST_BIN='"$(GUEST_BIN)"'

-include $(GUEST_OBJS:.o=.d)
