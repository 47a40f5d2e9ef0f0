# Host unit tests: each tests/unit/test_NAME.c is a cmocka program, built with the host's compiler
# and C library (not newlib, not the image flags) under ASan and UBSan into $(UNIT_DIR)/test_NAME.
# It is linked with the sources named on the "Sources:" line of its header comment (the code
# under test and any test doubles), e.g.
#
#	 * Sources: kernel/log.c tests/unit/fake_console.c
#
#   make unit    build every program and run them all; fails if any of them failed
#
# UNIT_BINS lists the programs; each prints cmocka's "[  PASSED  ]" / "[  FAILED  ]" summary.

HOST_CC ?= gcc
UNIT_DIR := $(BUILD)/host/unit
UNIT_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror
UNIT_CPPFLAGS := -I.
UNIT_LDLIBS := -lcmocka

UNIT_NAMES := $(patsubst tests/unit/test_%.c,%,$(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_NAMES:%=$(UNIT_DIR)/test_%)

# The first "Sources:" line of tests/unit/test_$(1).c, without a closing "*/".
unit_srcs = $(shell sed -n '/Sources:/{s/.*Sources://;s/\*\/.*//;p;q;}' tests/unit/test_$(1).c)
$(foreach n,$(UNIT_NAMES),$(eval UNIT_SRCS_$(n) := $(call unit_srcs,$(n))))
unit_objs = $(patsubst %.c,$(UNIT_DIR)/%.o,tests/unit/test_$(1).c $(UNIT_SRCS_$(1)))
UNIT_OBJS := $(sort $(foreach n,$(UNIT_NAMES),$(call unit_objs,$(n))))

# This file holds the flags: objects depend on it.
$(UNIT_OBJS): $(UNIT_DIR)/%.o: %.c mk/unit.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CPPFLAGS) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@

define unit_link
$(UNIT_DIR)/test_$(1): $(call unit_objs,$(1))
	@echo "  HOSTLD  $$@"
	$$(Q)$$(HOST_CC) $$(UNIT_CFLAGS) $$^ $$(UNIT_LDLIBS) -o $$@
endef
$(foreach n,$(UNIT_NAMES),$(eval $(call unit_link,$(n))))

# Every program runs even after one fails; the status says whether any did.
.PHONY: unit
unit: $(UNIT_BINS)
	@failed=; \
	for t in $(UNIT_BINS); do \
		echo "== $$t"; \
		UBSAN_OPTIONS=print_stacktrace=1 $$t || failed="$$failed $${t##*/}"; \
	done; \
	if [ -n "$$failed" ]; then echo "unit: failed:$$failed"; exit 1; fi; \
	echo "unit: all $(words $(UNIT_BINS)) programs passed"

-include $(UNIT_OBJS:.o=.d)
