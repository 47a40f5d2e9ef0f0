# Host benchmarks: each tests/bench/bench_NAME.c is a plain C program, built with the host's
# compiler at -O2 without sanitizers into $(BENCH_DIR)/bench_NAME and linked with the sources named
# on the "Sources:" line of its header comment (as in tests/unit), e.g.
#
#	 * Sources: iommu/vtd/vtd_pgtable.c
#
#   make bench    build every benchmark and run them all, then the exit round-trip benchmark
#                 (tests/bench/exits.sh: skiff.efi booted once in QEMU, SVM, and once in Bochs,
#                 VMX; about 40 s); they print their figures and never assert timings, so the
#                 target fails only when a program fails or a run prints no figures
#
# Objects go under $(BENCH_DIR), apart from the sanitized unit-test objects of the same sources.

HOST_CC ?= gcc
BENCH_DIR := $(BUILD)/host/bench
BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror
BENCH_CPPFLAGS := -I.
BENCH_LDLIBS :=

BENCH_NAMES := $(patsubst tests/bench/bench_%.c,%,$(wildcard tests/bench/bench_*.c))
BENCH_BINS := $(BENCH_NAMES:%=$(BENCH_DIR)/bench_%)

# The first "Sources:" line of tests/bench/bench_$(1).c, without a closing "*/".
bench_srcs = $(shell sed -n '/Sources:/{s/.*Sources://;s/\*\/.*//;p;q;}' tests/bench/bench_$(1).c)
$(foreach n,$(BENCH_NAMES),$(eval BENCH_SRCS_$(n) := $(call bench_srcs,$(n))))
bench_objs = $(patsubst %.c,$(BENCH_DIR)/%.o,tests/bench/bench_$(1).c $(BENCH_SRCS_$(1)))
BENCH_OBJS := $(sort $(foreach n,$(BENCH_NAMES),$(call bench_objs,$(n))))

# This file holds the flags: objects depend on it.
$(BENCH_OBJS): $(BENCH_DIR)/%.o: %.c mk/bench.mk
	@mkdir -p $(@D)
	@echo "  BENCHCC $<"
	$(Q)$(HOST_CC) $(BENCH_CPPFLAGS) $(BENCH_CFLAGS) -MMD -MP -c $< -o $@

define bench_link
$(BENCH_DIR)/bench_$(1): $(call bench_objs,$(1))
	@echo "  HOSTLD  $$@"
	$$(Q)$$(HOST_CC) $$(BENCH_CFLAGS) $$^ $$(BENCH_LDLIBS) -o $$@
endef
$(foreach n,$(BENCH_NAMES),$(eval $(call bench_link,$(n))))

.PHONY: bench
bench: $(BENCH_BINS) $(BUILD)/skiff.efi
	@for b in $(BENCH_BINS); do \
		echo "== $$b"; \
		$$b || exit 1; \
	done
	@tests/bench/exits.sh $(BUILD)/skiff.efi

-include $(BENCH_OBJS:.o=.d)
