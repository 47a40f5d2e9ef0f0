/* SPDX-License-Identifier: MIT */
/*
 * The virtual PCI configuration space of one passthrough function, as its guest sees it through
 * configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2: CONFIG_ADDRESS at port 0CF8h,
 * CONFIG_DATA at 0CFCh-0CFFh). The guest finds one function at bus 0, device VPCI_GUEST_DEV,
 * function 0; every other address reads as all ones (no device) and takes no writes.
 *
 * What the guest sees (nothing is read from or written to the hardware here; the caller acts on
 * the events returned):
 *   00h-3Fh  a type 0 header: the device's identity (vendor, device, class, revision,
 *            subsystem) as given, read-only; the command register (I/O, memory, bus master,
 *            INTx disable writable: VPCI_EV_COMMAND; only bus mastering reaches the device,
 *            vpci_device_command()); status with only "capabilities list";
 *            BAR0 a 32-bit non-prefetchable memory BAR at the guest-physical address skiff
 *            chose, with the sizing protocol (all ones written, the size mask read back), any
 *            other address refused (VPCI_EV_BAR_REFUSED: the guest-physical map never changes);
 *            BARs 1-5 and the expansion ROM unimplemented (read 0); cache line size and
 *            interrupt line writable; no interrupt pin (no INTx); everything else reads 0.
 *   40h-4Fh  an MSI capability (6.8.1), the only one in the list: one vector, 64-bit, no
 *            per-vector masking; enable, address and data writable (VPCI_EV_MSI). MME stays 0;
 *            4Eh-4Fh (above the 16-bit data) read 0, so a dword access to the data works.
 *   other    unknown: reads as all ones, writes dropped (VPCI_EV_UNKNOWN, for the caller to
 *            log once). Never passed to the hardware.
 * An access is 1, 2 or 4 bytes inside one dword of CONFIG_DATA; any other (a word at 0CFFh, a
 * byte at 0CF8h, ...) is unknown too.
 *
 * Pure: no allocation, no logging; runs on the host under tests (tests/unit/test_vpci.c).
 */
#ifndef SKIFF_VMM_VPCI_H
#define SKIFF_VMM_VPCI_H

#include <stdbool.h>
#include <stdint.h>

#define VPCI_PORT_ADDRESS 0xcf8 /* CONFIG_ADDRESS, 32-bit */
#define VPCI_PORT_DATA	  0xcfc /* CONFIG_DATA, 0CFCh-0CFFh */
#define VPCI_PORT_LAST	  0xcff
#define VPCI_CFG_SIZE	  256  /* what mechanism #1 reaches: register numbers 7:2 */
#define VPCI_GUEST_DEV	  0    /* the function's device number on the guest's bus 0 */
#define VPCI_MSI_CAP	  0x40 /* where the virtual MSI capability sits */

/* CONFIG_ADDRESS (PCI 3.0 figure 3-2). */
#define VPCI_ADDR_ENABLE    (1u << 31)
#define VPCI_ADDR_BUS_SHIFT 16
#define VPCI_ADDR_BUS_MASK  (0xffu << VPCI_ADDR_BUS_SHIFT)
#define VPCI_ADDR_DEV_SHIFT 11
#define VPCI_ADDR_DEV_MASK  (0x1fu << VPCI_ADDR_DEV_SHIFT)
#define VPCI_ADDR_FN_SHIFT  8
#define VPCI_ADDR_FN_MASK   (0x7u << VPCI_ADDR_FN_SHIFT)
#define VPCI_ADDR_REG_MASK  0xfcu /* register number 7:2 */
#define VPCI_ADDR_WRITABLE                                                                \
	(VPCI_ADDR_ENABLE | VPCI_ADDR_BUS_MASK | VPCI_ADDR_DEV_MASK | VPCI_ADDR_FN_MASK | \
	 VPCI_ADDR_REG_MASK)

/* An MSI in x86 compatibility format (Intel SDM vol. 3A 11.11.1 address, 11.11.2 data). */
#define VPCI_MSI_ADDR_DEST_SHIFT 12
#define VPCI_MSI_ADDR_DEST_MASK	 (0xffu << VPCI_MSI_ADDR_DEST_SHIFT) /* destination ID 19:12 */
#define VPCI_MSI_ADDR_RH	 (1u << 3)			     /* redirection hint */
#define VPCI_MSI_ADDR_DM	 (1u << 2) /* destination mode: 1 logical */
#define VPCI_MSI_DATA_VECTOR	 0x00ffu
#define VPCI_MSI_DATA_DLM_MASK	 0x0700u /* delivery mode 10:8: 000b fixed */
#define VPCI_MSI_DATA_LEVEL	 (1u << 14)
#define VPCI_MSI_DATA_TRIGGER	 (1u << 15) /* 1: level-triggered */
#define VPCI_MSI_VECTOR_MIN	 16	    /* vectors 0-15 are reserved (SDM vol. 3A 11.5.2) */

/* What an access did, for the caller to act on (a bit mask). A write that leaves a register as
 * it was raises no VPCI_EV_COMMAND / VPCI_EV_MSI: the caller never reprograms for nothing. */
#define VPCI_EV_UNKNOWN	    (1u << 0) /* outside the emulated registers: all ones / dropped */
#define VPCI_EV_COMMAND	    (1u << 1) /* the command register changed */
#define VPCI_EV_MSI	    (1u << 2) /* the MSI enable bit, address or data changed */
#define VPCI_EV_BAR_REFUSED (1u << 3) /* BAR0 was written with an address other than its own */
#define VPCI_EV_NO_DEVICE   (1u << 4) /* a write to a function that does not exist: dropped */

/* The passthrough function's identity, read from the hardware by the caller. */
struct vpci_ident {
	uint16_t vendor, device;
	uint32_t class_rev; /* class code 31:8, revision 7:0 */
	uint16_t subsys_vendor, subsys;
};

struct vpci {
	uint32_t address; /* CONFIG_ADDRESS as the guest last wrote it */
	uint64_t bar_gpa; /* where BAR0 is in guest-physical space */
	uint32_t bar_size;
	uint8_t cfg[VPCI_CFG_SIZE];   /* the registers' current values */
	uint8_t wmask[VPCI_CFG_SIZE]; /* bits the guest may write */
	uint8_t known[VPCI_CFG_SIZE]; /* 1: byte emulated, 0: unknown */
};

/* The guest's MSI programming, decoded. */
struct vpci_msi {
	bool enabled;
	uint64_t addr;
	uint16_t data;
};

/*
 * vpci_init - a function with identity @id whose BAR0 is @bar_size bytes (a power of two,
 * 16 bytes to 2 GiB) at guest-physical @bar_gpa (aligned to @bar_size, below 4 GiB). The
 * command register starts at 0 (no decoding, no bus mastering) and MSI disabled, as after reset.
 * Returns 0 or -EINVAL.
 */
int vpci_init(struct vpci *v, const struct vpci_ident *id, uint64_t bar_gpa, uint32_t bar_size);

/*
 * vpci_io - one guest IN (@in) or OUT of @size (1, 2 or 4) bytes at @port (0CF8h-0CFFh):
 * CONFIG_ADDRESS is latched and read back (dword accesses only); CONFIG_DATA reaches the
 * function's registers when CONFIG_ADDRESS is enabled and names it. For IN, *@val gets the
 * value (all ones where there is nothing); for OUT, *@val is what the guest wrote. Returns
 * VPCI_EV_* bits (0: an ordinary access, also a read of a function that does not exist).
 */
unsigned int vpci_io(struct vpci *v, uint16_t port, unsigned int size, bool in, uint32_t *val);

/*
 * vpci_cfg_read / vpci_cfg_write - the function's register at @offset (0-255), @size 1, 2 or 4
 * bytes inside one dword. Returns VPCI_EV_* bits as vpci_io().
 */
unsigned int vpci_cfg_read(struct vpci *v, unsigned int offset, unsigned int size, uint32_t *val);
unsigned int vpci_cfg_write(struct vpci *v, unsigned int offset, unsigned int size, uint32_t val);

/* vpci_command - the command register as the guest last wrote it. */
uint16_t vpci_command(const struct vpci *v);

/*
 * vpci_device_command - the command register the device gets (PCI 3.0 6.2.2), from its current
 * value @hw: bus mastering as the guest set it, memory decoding always on, INTx disabled (the
 * guest has no INTx), everything else as it was (the guest has no I/O BAR: its I/O bit stays
 * virtual). The guest reads back its own bits from the virtual register.
 *
 * Why memory decoding stays on (issue 11 finding 4, the XSA-120 class, CVE-2015-2150): BAR0
 * stays mapped in the guest's CPU view (NPT/EPT) for the VM's life. With decoding off at the
 * device, a guest access would be an Unsupported Request on PCI Express, which platforms may
 * escalate to SERR, NMI or a machine check on the host. Linux's xen-pciback, the fix for
 * XSA-120, likewise keeps the decode bits under the host's control and shows the guest its own
 * value; VFIO instead passes the bit on and unmaps the BAR while it is off (CVE-2020-12888),
 * which needs a CPU view that changes at run time. skiff's map is fixed (vpci refuses BAR
 * moves), so the device keeps decoding and the guest's bit is emulated.
 */
uint16_t vpci_device_command(const struct vpci *v, uint16_t hw);

/* vpci_msi_get - the guest's MSI enable bit, message address and data. */
void vpci_msi_get(const struct vpci *v, struct vpci_msi *out);

/*
 * vpci_msi_decode - the guest's message @m as x86 compatibility format: the destination APIC
 * ID and vector. Only what skiff can deliver to its one vCPU is accepted: address 0FEEx_xxxxh
 * with no upper address, physical destination mode, no redirection hint; fixed delivery, edge
 * trigger, vector 16-255. Returns 0, or -EINVAL for anything else.
 */
int vpci_msi_decode(const struct vpci_msi *m, uint8_t *dest, uint8_t *vector);

#endif
