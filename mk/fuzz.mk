# libFuzzer harnesses (tests/fuzz/) for every parser of firmware tables and for the pure parts of
# the exit handlers (instruction decoder and guest walk, pending events, SVM and VMX exit decoders),
# for the Linux guest's bzImage header with the placement and zero page built from it, for the
# guest platform's I/O ports (UART, sleep and reset registers, report port) as guests use them,
# and for the guest's local APIC model driven by random MSR accesses, interrupts and timer expiries.
#   make fuzz FUZZ_SECONDS=N   run each harness for N seconds (default 60), seeded from the corpus
#   make fuzz-smoke            a short run of each (make test runs it)
# Corpora grow in build/fuzz/corpus/NAME; crashes are written to build/fuzz/crash-NAME-*.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 7
ACPI_CORPUS ?= ../shared/acpi-corpus
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -I.
ACPI_PARSER_SRCS := kernel/acpi/acpi_sdt.c kernel/acpi/acpi_notes.c

FUZZ_NAMES := dmar madt mcfg xsdt insn vcpu_event svm_exit vmx_exit bzimage vplat_io vlapic
FUZZ_SRCS_dmar := kernel/acpi/dmar.c $(ACPI_PARSER_SRCS)
FUZZ_SRCS_madt := kernel/acpi/madt.c $(ACPI_PARSER_SRCS)
FUZZ_SRCS_mcfg := kernel/acpi/mcfg.c $(ACPI_PARSER_SRCS)
FUZZ_SRCS_xsdt := kernel/acpi/acpi_tables.c kernel/log.c
FUZZ_SEEDS_dmar := dmar
FUZZ_SEEDS_madt := madt
FUZZ_SEEDS_mcfg := mcfg
FUZZ_SRCS_insn := vmm/insn.c vmm/guest_walk.c
FUZZ_SRCS_vcpu_event := vmm/vcpu_event.c vmm/svm/svm_event.c vmm/vmx/vmx_event.c
FUZZ_SRCS_svm_exit := vmm/svm/svm_exit.c vmm/svm/svm_vmcb.c vmm/vcpu_exit.c
FUZZ_SRCS_vmx_exit := vmm/vmx/vmx_exit.c vmm/vcpu_exit.c
FUZZ_SRCS_bzimage := vmm/linux/bzimage.c vmm/linux/layout.c vmm/linux/e820.c \
	vmm/linux/boot_params.c vmm/linux/entry64.c vmm/vcpu_state.c
FUZZ_SRCS_vplat_io := vmm/vplat/vplat_ports.c vmm/vplat/vplat_io.c vmm/vplat/vplat_pm.c \
	vmm/vplat/vuart.c vmm/vplat/guest_report.c
FUZZ_SRCS_vlapic := vmm/vplat/lapic.c vmm/vplat/lapic_timer.c
FUZZ_HDRS := tests/fuzz/fuzz_input.h tests/fuzz/fuzz_x86.h
EXIT_FUZZ_NAMES := insn vcpu_event svm_exit vmx_exit

# The XSDT walk's seed: an RSDP (revision 2) and an XSDT listing the corpus's first DMAR, laid
# out as the harness reads its input (tests/fuzz/make_xsdt_seed.py).
$(BUILD)/fuzz/seeds/xsdt/.stamp: tests/fuzz/make_xsdt_seed.py
	@mkdir -p $(@D)
	$(Q)python3 $< $(ACPI_CORPUS) $(@D)
	$(Q)touch $@
# The exit harnesses' seeds: a few real cases of each kind, written by tests/fuzz/make_exit_seeds.py.
EXIT_SEED_STAMPS := $(EXIT_FUZZ_NAMES:%=$(BUILD)/fuzz/seeds/%/.stamp)
$(EXIT_SEED_STAMPS): $(BUILD)/fuzz/seeds/%/.stamp: tests/fuzz/make_exit_seeds.py
	@mkdir -p $(@D)
	$(Q)python3 $< $* $(@D)
	$(Q)touch $@
# The bzImage harness's seeds: a synthetic header and the head of Debian's kernel
# (mk/guest-linux.mk fetches it), by tests/fuzz/make_bzimage_seeds.py.
$(BUILD)/fuzz/seeds/bzimage/.stamp: tests/fuzz/make_bzimage_seeds.py $(GUEST_LINUX_STAMP)
	@mkdir -p $(@D)
	$(Q)python3 $< $(GUEST_LINUX_VMLINUZ) $(@D)
	$(Q)touch $@
# The I/O-port harness's seeds: Linux's UART probe, S5, reboot=pci, a boot's report words, by
# tests/fuzz/make_vplat_io_seeds.py.
$(BUILD)/fuzz/seeds/vplat_io/.stamp: tests/fuzz/make_vplat_io_seeds.py
	@mkdir -p $(@D)
	$(Q)python3 $< $(@D)
	$(Q)touch $@
# The local APIC harness's seeds: sequences a guest makes (tests/fuzz/make_vlapic_seeds.py).
$(BUILD)/fuzz/seeds/vlapic/.stamp: tests/fuzz/make_vlapic_seeds.py
	@mkdir -p $(@D)
	$(Q)python3 $< $(@D)
	$(Q)touch $@
FUZZ_BINS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_SEED_STAMPS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/seeds/%/.stamp)

.SECONDEXPANSION:
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(FUZZ_SRCS_$$*) $(FUZZ_HDRS)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@
	$(Q)$(FUZZ_CC) -I. -MM -MP -MT $@ $(filter %.c,$^) > $@.d
# Every header a harness or its sources include (one .d per harness: a rule per source file).
-include $(FUZZ_BINS:%=%.d)

# Seeds: the raw tables of the shared corpus (not ACPICA's .dsl beside them).
$(BUILD)/fuzz/seeds/%/.stamp: | $(ACPI_CORPUS)
	@mkdir -p $(@D)
	$(Q)cp $(ACPI_CORPUS)/$(FUZZ_SEEDS_$*)/*.dat $(@D)/
	$(Q)touch $@

.PHONY: fuzz fuzz-smoke
fuzz: $(FUZZ_BINS) $(FUZZ_SEED_STAMPS)
	$(Q)tests/fuzz/run.sh $(FUZZ_SECONDS) $(BUILD)/fuzz $(FUZZ_NAMES)

fuzz-smoke: $(FUZZ_BINS) $(FUZZ_SEED_STAMPS)
	$(Q)tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(BUILD)/fuzz $(FUZZ_NAMES)
