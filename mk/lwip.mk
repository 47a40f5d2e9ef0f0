# lwIP 2.1.3 (NO_SYS, IPv4, UDP, TCP, loopback) built into $(LWIP_LIB) with skiff's port headers
# (kernel/net/lwipopts.h, kernel/net/arch/cc.h). The source is Debian's pristine upstream tarball,
# unpacked under build/ without Debian's patches; third-party source is never committed.

LWIP_TARBALL := $(BUILD)/src/lwip_2.1.3+dfsg1.orig.tar.xz
LWIP_DIR := $(BUILD)/lwip
LWIP_SRCDIR := $(LWIP_DIR)/src/lwip-2.1.3/src
LWIP_STAMP := $(LWIP_DIR)/src/unpacked
LWIP_LIB := $(LWIP_DIR)/liblwip.a

# kernel/net first: lwIP finds "lwipopts.h" and "arch/cc.h" there. lwIP's own headers are system
# headers so that skiff's -Werror does not judge third-party code.
LWIP_CPPFLAGS := -Ikernel/net -isystem $(LWIP_SRCDIR)/include

# Only what the options in lwipopts.h use; dhcp.c, autoip.c and igmp.c compile to nothing until
# their LWIP_* option is turned on, so enabling one needs no edit here.
LWIP_SRCS := $(addprefix core/,def.c inet_chksum.c init.c ip.c mem.c memp.c netif.c pbuf.c \
		tcp.c tcp_in.c tcp_out.c timeouts.c udp.c) \
	$(addprefix core/ipv4/,autoip.c dhcp.c etharp.c icmp.c igmp.c ip4.c ip4_addr.c ip4_frag.c) \
	netif/ethernet.c
LWIP_OBJS := $(patsubst %.c,$(LWIP_DIR)/obj/%.o,$(LWIP_SRCS))

# Same image flags as skiff's code (no SSE, no red zone, PIC), newlib's headers, but only -Wall:
# third-party warnings are worth seeing, not worth failing the build for.
LWIP_CFLAGS = -nostdinc -isystem $(NEWLIB_INCLUDE) -isystem $(GCC_INCLUDE) $(LWIP_CPPFLAGS) \
	$(IMAGE_CFLAGS) -Wall

# tar -m: sources get the unpack time, so they never look newer than the stamp.
$(LWIP_STAMP): $(LWIP_TARBALL)
	@echo "  UNPACK  $<"
	$(Q)rm -rf $(LWIP_DIR)/src
	$(Q)mkdir -p $(LWIP_DIR)/src
	$(Q)tar -xJmf $< --no-same-owner -C $(LWIP_DIR)/src
	$(Q)touch $@

# The unpacked tree never changes after the stamp, so the stamp stands in for each source file.
# The port headers and this file change how everything compiles.
$(LWIP_OBJS): $(LWIP_DIR)/obj/%.o: $(LWIP_STAMP) kernel/net/lwipopts.h kernel/net/arch/cc.h \
		mk/lwip.mk | $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      lwip/$*.c"
	$(Q)$(CC) $(LWIP_CFLAGS) -c $(LWIP_SRCDIR)/$*.c -o $@

# Rebuilt from scratch so an object dropped from LWIP_SRCS does not linger in the archive.
$(LWIP_LIB): $(LWIP_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^
