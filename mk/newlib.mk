# newlib 3.3.0 from Debian's newlib-source, built once into build/newlib (scripts/build-newlib.sh
# skips the build when its stamp shows nothing changed).
NEWLIB_DIR := $(BUILD)/newlib
NEWLIB_PREFIX := $(NEWLIB_DIR)/install/x86_64-elf
NEWLIB_INCLUDE := $(NEWLIB_PREFIX)/include
NEWLIB_LIBC := $(NEWLIB_PREFIX)/lib/libc.a
NEWLIB_STAMP := $(NEWLIB_DIR)/stamp

$(NEWLIB_STAMP): scripts/build-newlib.sh scripts/nosse-cc
	scripts/build-newlib.sh $(NEWLIB_DIR)
