// SPDX-License-Identifier: MIT
/* The virtual configuration space of a passthrough function: see vpci.h. */
#include "vmm/vpci.h"

#include <errno.h>
#include <string.h>

#include "drivers/pci/pci_msi_regs.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/arch/x86/msi.h"

/* Type 0 header registers not named in drivers/pci/pci_regs.h (PCI 3.0 figure 6-1). */
#define DWORD 4u

#define COMMAND_WRITABLE \
	(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE)

/* The virtual MSI capability: 64-bit, one vector, no per-vector masking. */
#define MSI_CTRL      (VPCI_MSI_CAP + PCI_MSI_CTRL)
#define MSI_ADDR_LO   (VPCI_MSI_CAP + PCI_MSI_ADDR_LO)
#define MSI_ADDR_HI   (VPCI_MSI_CAP + PCI_MSI_ADDR_HI)
#define MSI_DATA      (VPCI_MSI_CAP + PCI_MSI_DATA_64)
#define MSI_END	      (MSI_DATA + DWORD) /* data 15:0, 31:16 reserved (dword accesses work) */
#define ADDR_LO_WMASK (~(uint32_t)(PCI_MSI_ADDR_ALIGN - 1))

#define BYTE_BITS     8
#define BYTE_MASK     0xffu
#define ALL_ONES      0xffffffffu
#define MIN_BAR_SIZE  16u
#define MAX_BAR_SIZE  0x80000000u
#define LIMIT_32      0x100000000ull
#define ADDR_HI_SHIFT 32

static void put(uint8_t *a, unsigned int off, unsigned int size, uint32_t val)
{
	for (unsigned int i = 0; i < size; i++)
		a[off + i] = (uint8_t)(val >> (BYTE_BITS * i));
}

static uint32_t get(const uint8_t *a, unsigned int off, unsigned int size)
{
	uint32_t val = 0;

	for (unsigned int i = 0; i < size; i++)
		val |= (uint32_t)a[off + i] << (BYTE_BITS * i);
	return val;
}

static bool is_pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

static uint32_t bar_mask(const struct vpci *v)
{
	return ~(v->bar_size - 1) & (uint32_t)PCI_BAR_MEM_MASK;
}

int vpci_init(struct vpci *v, const struct vpci_ident *id, uint64_t bar_gpa, uint32_t bar_size)
{
	if (!is_pow2(bar_size) || bar_size < MIN_BAR_SIZE || bar_size > MAX_BAR_SIZE ||
	    bar_gpa % bar_size || bar_gpa + bar_size > LIMIT_32)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	v->bar_gpa = bar_gpa;
	v->bar_size = bar_size;
	if ((uint32_t)bar_gpa == bar_mask(v))
		return -EINVAL; /* indistinguishable from the sizing answer */
	memset(v->known, 1, MSI_END);
	put(v->cfg, PCI_VENDOR_ID, 2, id->vendor);
	put(v->cfg, PCI_DEVICE_ID, 2, id->device);
	put(v->cfg, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	put(v->cfg, PCI_CLASS_REVISION, 4, id->class_rev);
	put(v->cfg, PCI_HEADER_TYPE, 1, PCI_HEADER_NORMAL);
	put(v->cfg, PCI_BAR0, 4, (uint32_t)bar_gpa);
	put(v->cfg, PCI_SUBSYSTEM_VENDOR_ID, 2, id->subsys_vendor);
	put(v->cfg, PCI_SUBSYSTEM_ID, 2, id->subsys);
	put(v->cfg, PCI_CAPABILITY_LIST, 1, VPCI_MSI_CAP);
	put(v->cfg, VPCI_MSI_CAP + PCI_CAP_ID, 1, PCI_CAP_ID_MSI);
	put(v->cfg, MSI_CTRL, 2, PCI_MSI_CTRL_64BIT);

	put(v->wmask, PCI_COMMAND, 2, COMMAND_WRITABLE);
	put(v->wmask, PCI_CACHE_LINE_SIZE, 1, BYTE_MASK);
	put(v->wmask, PCI_BAR0, 4, bar_mask(v));
	put(v->wmask, PCI_INTERRUPT_LINE, 1, BYTE_MASK);
	put(v->wmask, MSI_CTRL, 2, PCI_MSI_CTRL_ENABLE);
	put(v->wmask, MSI_ADDR_LO, 4, ADDR_LO_WMASK);
	put(v->wmask, MSI_ADDR_HI, 4, ALL_ONES);
	put(v->wmask, MSI_DATA, 2, PCI_MSI_DATA_MAX);
	return 0;
}

/* 1, 2 or 4 bytes inside one dword, every byte emulated. */
static bool emulated(const struct vpci *v, unsigned int offset, unsigned int size)
{
	if ((size != 1 && size != 2 && size != DWORD) || offset % DWORD + size > DWORD ||
	    offset + size > VPCI_CFG_SIZE)
		return false;
	for (unsigned int i = 0; i < size; i++)
		if (!v->known[offset + i])
			return false;
	return true;
}

static uint32_t ones(unsigned int size)
{
	return size >= DWORD ? ALL_ONES : (1u << (BYTE_BITS * size)) - 1;
}

unsigned int vpci_cfg_read(struct vpci *v, unsigned int offset, unsigned int size, uint32_t *val)
{
	if (!emulated(v, offset, size)) {
		*val = ones(size);
		return VPCI_EV_UNKNOWN;
	}
	*val = get(v->cfg, offset, size);
	return 0;
}

static bool touches(unsigned int offset, unsigned int size, unsigned int first, unsigned int end)
{
	return offset < end && offset + size > first;
}

/* BAR0 holds its own address or, while the guest sizes it, the size mask; nothing else. */
static unsigned int bar_written(struct vpci *v)
{
	uint32_t bar = get(v->cfg, PCI_BAR0, DWORD);

	if (bar == bar_mask(v) || bar == (uint32_t)v->bar_gpa)
		return 0;
	put(v->cfg, PCI_BAR0, DWORD, (uint32_t)v->bar_gpa);
	return VPCI_EV_BAR_REFUSED;
}

static bool msi_same(const struct vpci_msi *a, const struct vpci_msi *b)
{
	return a->enabled == b->enabled && a->addr == b->addr && a->data == b->data;
}

unsigned int vpci_cfg_write(struct vpci *v, unsigned int offset, unsigned int size, uint32_t val)
{
	uint16_t cmd = vpci_command(v);
	struct vpci_msi msi, now;
	unsigned int ev = 0;

	if (!emulated(v, offset, size))
		return VPCI_EV_UNKNOWN;
	vpci_msi_get(v, &msi);
	for (unsigned int i = 0; i < size; i++) {
		uint8_t m = v->wmask[offset + i], b = (uint8_t)(val >> (BYTE_BITS * i));

		v->cfg[offset + i] = (uint8_t)((v->cfg[offset + i] & ~m) | (b & m));
	}
	if (vpci_command(v) != cmd)
		ev |= VPCI_EV_COMMAND;
	if (touches(offset, size, PCI_BAR0, PCI_BAR0 + DWORD))
		ev |= bar_written(v);
	vpci_msi_get(v, &now);
	if (!msi_same(&msi, &now))
		ev |= VPCI_EV_MSI;
	return ev;
}

unsigned int vpci_io(struct vpci *v, uint16_t port, unsigned int size, bool in, uint32_t *val)
{
	unsigned int k = port - VPCI_PORT_DATA;
	uint32_t a = v->address;

	if (port == VPCI_PORT_ADDRESS && size == DWORD) {
		if (in)
			*val = v->address;
		else
			v->address = *val & VPCI_ADDR_WRITABLE;
		return 0;
	}
	if (port < VPCI_PORT_DATA || port > VPCI_PORT_LAST || k + size > DWORD ||
	    !(a & VPCI_ADDR_ENABLE)) {
		if (in)
			*val = ones(size);
		return VPCI_EV_UNKNOWN;
	}
	if ((a & (VPCI_ADDR_BUS_MASK | VPCI_ADDR_FN_MASK)) ||
	    (a & VPCI_ADDR_DEV_MASK) >> VPCI_ADDR_DEV_SHIFT != VPCI_GUEST_DEV) {
		if (in)
			*val = ones(size);
		return in ? 0 : VPCI_EV_NO_DEVICE;
	}
	if (in)
		return vpci_cfg_read(v, (a & VPCI_ADDR_REG_MASK) + k, size, val);
	return vpci_cfg_write(v, (a & VPCI_ADDR_REG_MASK) + k, size, *val);
}

uint16_t vpci_command(const struct vpci *v)
{
	return (uint16_t)get(v->cfg, PCI_COMMAND, 2);
}

uint16_t vpci_device_command(const struct vpci *v, uint16_t hw)
{
	return (uint16_t)((hw & ~PCI_COMMAND_MASTER) | (vpci_command(v) & PCI_COMMAND_MASTER) |
			  PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
}

void vpci_msi_get(const struct vpci *v, struct vpci_msi *out)
{
	out->enabled = get(v->cfg, MSI_CTRL, 2) & PCI_MSI_CTRL_ENABLE;
	out->addr = get(v->cfg, MSI_ADDR_LO, DWORD) | (uint64_t)get(v->cfg, MSI_ADDR_HI, DWORD)
							      << ADDR_HI_SHIFT;
	out->data = (uint16_t)get(v->cfg, MSI_DATA, 2);
}

int vpci_msi_decode(const struct vpci_msi *m, uint8_t *dest, uint8_t *vector)
{
	uint32_t lo = (uint32_t)m->addr;

	if (m->addr >> ADDR_HI_SHIFT || (lo & X86_MSI_ADDR_MASK) != X86_MSI_BASE ||
	    lo & (VPCI_MSI_ADDR_RH | VPCI_MSI_ADDR_DM) || m->data & VPCI_MSI_DATA_DLM_MASK ||
	    m->data & VPCI_MSI_DATA_TRIGGER ||
	    (m->data & VPCI_MSI_DATA_VECTOR) < VPCI_MSI_VECTOR_MIN)
		return -EINVAL;
	*dest = (uint8_t)((lo & VPCI_MSI_ADDR_DEST_MASK) >> VPCI_MSI_ADDR_DEST_SHIFT);
	*vector = (uint8_t)(m->data & VPCI_MSI_DATA_VECTOR);
	return 0;
}
