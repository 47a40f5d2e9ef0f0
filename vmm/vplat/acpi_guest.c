// SPDX-License-Identifier: MIT
/*
 * The guest's ACPI tables (see acpi_guest.h): the description is checked, the tables laid out
 * one after the other from the RSDP on, each at a 16-byte boundary, then written field by field
 * and their checksums set last.
 */
#include "vmm/vplat/acpi_guest.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vmm/vplat/acpi_dsdt.h"
#include "vmm/vplat/acpi_layout.h"

_Static_assert(sizeof(ACPI_GUEST_OEM_ID) - 1 == ACPI_OEM_ID_LEN, "OEM ID: 6 characters");
_Static_assert(sizeof(ACPI_GUEST_OEM_TABLE_ID) - 1 == ACPI_OEM_TABLE_ID_LEN,
	       "OEM Table ID: 8 characters");
_Static_assert(sizeof(ACPI_GUEST_CREATOR_ID) - 1 == ACPI_SIG_LEN, "Creator ID: 4 characters");
_Static_assert(sizeof(ACPI_GUEST_HYPERVISOR_ID) - 1 == ACPI_FADT_HYPERVISOR_ID_LEN,
	       "Hypervisor Vendor Identity: 8 characters");
_Static_assert(ACPI_GUEST_S5_SLP_TYP <= ACPI_SLEEP_CONTROL_SLP_TYP_MASK >>
		       ACPI_SLEEP_CONTROL_SLP_TYP_SHIFT,
	       "\\_S5's SLP_TYP fits the Sleep Control Register's 3-bit field");

#define FOUR_GIB     (1ull << 32)
#define UINT32_LIMIT (1ull << 32)
#define PORT8_BITS   8

#define REFUSE(why, err, ...) (snprintf((why), ACPI_GUEST_WHY_LEN, __VA_ARGS__), (err))

/* The tables the XSDT lists (the DSDT is the FADT's), in this order. */
enum xsdt_entry { XSDT_FADT, XSDT_MADT, XSDT_MCFG, XSDT_ENTRIES };

/* Byte offsets of the tables in the buffer; end is the length used. */
struct layout {
	uint64_t rsdp, xsdt, fadt, dsdt, madt, mcfg, end;
};

/* A range to keep clear of the others: [base, base + size), size > 0, not wrapping. */
struct named_range {
	const char *name;
	uint64_t base, size;
};

static uint64_t align_up(uint64_t v)
{
	return (v + ACPI_GUEST_TABLE_ALIGN - 1) & ~(uint64_t)(ACPI_GUEST_TABLE_ALIGN - 1);
}

/* Whether [base, base + size) with size > 0 stays below 2^64. */
static bool fits(uint64_t base, uint64_t size)
{
	return size - 1 <= UINT64_MAX - base;
}

static uint64_t ecam_bus_count(const struct acpi_guest_desc *d)
{
	return (uint64_t)d->bus_end - d->bus_start + 1;
}

static int check_window(const struct acpi_guest_window *w, const char *name,
			char why[ACPI_GUEST_WHY_LEN])
{
	if (!w->size)
		return REFUSE(why, -EINVAL, "acpi: %s window is empty", name);
	if ((w->base | w->size) & (ACPI_GUEST_WINDOW_ALIGN - 1))
		return REFUSE(why, -EINVAL, "acpi: %s window %#llx+%#llx is not page aligned", name,
			      (unsigned long long)w->base, (unsigned long long)w->size);
	if (!fits(w->base, w->size))
		return REFUSE(why, -EINVAL, "acpi: %s window %#llx+%#llx wraps past 2^64", name,
			      (unsigned long long)w->base, (unsigned long long)w->size);
	return 0;
}

/* The checks that need no layout: every field on its own. */
static int check_fields(const struct acpi_guest_desc *d, char why[ACPI_GUEST_WHY_LEN])
{
	int err;

	if (!d->vcpu_count)
		return REFUSE(why, -EINVAL, "acpi: vcpu_count is 0");
	if (d->bus_end < d->bus_start)
		return REFUSE(why, -EINVAL, "acpi: bus_end %u below bus_start %u", d->bus_end,
			      d->bus_start);
	if (d->ecam_base & (ACPI_GUEST_ECAM_BUS_SIZE - 1))
		return REFUSE(why, -EINVAL, "acpi: ecam_base %#llx is not 1 MiB aligned",
			      (unsigned long long)d->ecam_base);
	if (!fits(d->ecam_base, (d->bus_end + 1ull) * ACPI_GUEST_ECAM_BUS_SIZE))
		return REFUSE(why, -EINVAL, "acpi: ECAM of bus %u at %#llx wraps past 2^64",
			      d->bus_end, (unsigned long long)d->ecam_base);
	err = check_window(&d->mmio32, "mmio32", why);
	if (err)
		return err;
	if (d->mmio32.base >= FOUR_GIB || d->mmio32.size > FOUR_GIB - d->mmio32.base ||
	    d->mmio32.size >= UINT32_LIMIT)
		return REFUSE(why, -EINVAL,
			      "acpi: mmio32 window %#llx+%#llx does not fit below 4 GiB in 32 bits",
			      (unsigned long long)d->mmio32.base,
			      (unsigned long long)d->mmio32.size);
	err = check_window(&d->mmio64, "mmio64", why);
	if (err)
		return err;
	if (d->mmio64.base < FOUR_GIB)
		return REFUSE(why, -EINVAL, "acpi: mmio64 window base %#llx is below 4 GiB",
			      (unsigned long long)d->mmio64.base);
	if (d->tables_gpa & (ACPI_GUEST_TABLE_ALIGN - 1))
		return REFUSE(why, -EINVAL, "acpi: tables_gpa %#llx is not %u-byte aligned",
			      (unsigned long long)d->tables_gpa, ACPI_GUEST_TABLE_ALIGN);
	return 0;
}

/* The MADT: its header, a local APIC structure per vCPU below ID 255, a local x2APIC one each
 * from there on. */
static uint64_t madt_length(uint32_t vcpus)
{
	uint64_t xapics = vcpus < ACPI_GUEST_X2APIC_FIRST_ID ? vcpus : ACPI_GUEST_X2APIC_FIRST_ID;

	return sizeof(struct acpi_madt) + xapics * sizeof(struct acpi_madt_local_apic) +
	       (vcpus - xapics) * sizeof(struct acpi_madt_local_x2apic);
}

static void lay_out(const struct acpi_guest_desc *d, struct layout *l)
{
	l->rsdp = 0;
	l->xsdt = align_up(l->rsdp + sizeof(struct acpi_rsdp));
	l->fadt = align_up(l->xsdt + sizeof(struct acpi_sdt_header) +
			   XSDT_ENTRIES * ACPI_XSDT_ENTRY_LEN);
	l->dsdt = align_up(l->fadt + sizeof(struct acpi_fadt));
	l->madt = align_up(l->dsdt + acpi_dsdt_length());
	l->mcfg = align_up(l->madt + madt_length(d->vcpu_count));
	l->end = l->mcfg + sizeof(struct acpi_mcfg) + sizeof(struct acpi_mcfg_allocation);
}

/* No two of the guest-physical ranges the tables describe, or occupy, may overlap. */
static int check_overlaps(const struct acpi_guest_desc *d, uint64_t length,
			  char why[ACPI_GUEST_WHY_LEN])
{
	const struct named_range r[] = {
		{ "ECAM", d->ecam_base + d->bus_start * ACPI_GUEST_ECAM_BUS_SIZE,
		  ecam_bus_count(d) * ACPI_GUEST_ECAM_BUS_SIZE },
		{ "mmio32", d->mmio32.base, d->mmio32.size },
		{ "mmio64", d->mmio64.base, d->mmio64.size },
		{ "local APIC/MSI", ACPI_GUEST_LAPIC_ADDRESS, ACPI_GUEST_MSI_WINDOW_SIZE },
		{ "tables", d->tables_gpa, length },
	};
	const size_t n = sizeof(r) / sizeof(r[0]);

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (r[i].base - r[j].base < r[j].size || r[j].base - r[i].base < r[i].size)
				return REFUSE(why, -EINVAL,
					      "acpi: %s %#llx+%#llx overlaps %s %#llx+%#llx",
					      r[i].name, (unsigned long long)r[i].base,
					      (unsigned long long)r[i].size, r[j].name,
					      (unsigned long long)r[j].base,
					      (unsigned long long)r[j].size);
	return 0;
}

/* The value of the checksum byte that makes the @len bytes at @p (it included) sum to 0. */
static uint8_t checksum(const uint8_t *p, size_t len, uint8_t current)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return (uint8_t)(current - sum);
}

/* Sets the Checksum of the system description table at @t (ACPI 6.5, 5.2.6). */
static void set_sdt_checksum(uint8_t *t)
{
	struct acpi_sdt_header h;

	memcpy(&h, t, sizeof(h));
	t[offsetof(struct acpi_sdt_header, checksum)] = checksum(t, h.length, h.checksum);
}

static void fill_header(struct acpi_sdt_header *h, const char *sig, uint32_t length,
			uint8_t revision)
{
	memcpy(h->signature, sig, ACPI_SIG_LEN);
	h->length = length;
	h->revision = revision;
	h->checksum = 0;
	memcpy(h->oem_id, ACPI_GUEST_OEM_ID, ACPI_OEM_ID_LEN);
	memcpy(h->oem_table_id, ACPI_GUEST_OEM_TABLE_ID, ACPI_OEM_TABLE_ID_LEN);
	h->oem_revision = ACPI_GUEST_OEM_REVISION;
	memcpy(h->creator_id, ACPI_GUEST_CREATOR_ID, ACPI_SIG_LEN);
	h->creator_revision = ACPI_GUEST_CREATOR_REVISION;
}

/* The RSDP (5.2.5.3): revision 2, the XSDT only (RsdtAddress 0: no RSDT), both checksums. */
static void write_rsdp(uint8_t *p, uint64_t xsdt_gpa)
{
	struct acpi_rsdp r = { 0 };

	memcpy(r.signature, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN);
	memcpy(r.oem_id, ACPI_GUEST_OEM_ID, ACPI_OEM_ID_LEN);
	r.revision = ACPI_RSDP_REVISION;
	r.rsdt_address = 0;
	r.length = sizeof(r);
	r.xsdt_address = xsdt_gpa;
	memcpy(p, &r, sizeof(r));
	p[offsetof(struct acpi_rsdp, checksum)] = checksum(p, ACPI_RSDP_V1_LEN, 0);
	p[offsetof(struct acpi_rsdp, extended_checksum)] = checksum(p, sizeof(r), 0);
}

static void write_xsdt(uint8_t *p, const uint64_t entries[XSDT_ENTRIES])
{
	struct acpi_sdt_header h;

	fill_header(&h, ACPI_XSDT_SIGNATURE, sizeof(h) + XSDT_ENTRIES * ACPI_XSDT_ENTRY_LEN,
		    ACPI_XSDT_REVISION);
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), entries, XSDT_ENTRIES * ACPI_XSDT_ENTRY_LEN);
}

/* An 8-bit I/O port register at bit 0, accessed with byte accesses (5.2.3.2). */
static struct acpi_gas io_port8(uint16_t port)
{
	return (struct acpi_gas){
		.address_space_id = ACPI_GAS_SPACE_SYSTEM_IO,
		.register_bit_width = PORT8_BITS,
		.register_bit_offset = 0,
		.access_size = ACPI_GAS_ACCESS_BYTE,
		.address = port,
	};
}

/*
 * The FADT (5.2.9), hardware-reduced: everything of the fixed ACPI hardware (SCI, SMI command,
 * PM1/PM2/PM timer/GPE blocks, their lengths, C-state latencies, duty cycle, RTC alarm fields,
 * FACS) is zero. DSDT (32-bit) is zero too: X_DSDT holds the address, and ACPI 6.5 wants only
 * one of the two set.
 *   Flags: WBINVD (the guest's WBINVD works: the CPU runs it or skiff does it on an exit);
 *   PWR_BUTTON and SLP_BUTTON (no fixed-feature buttons); FIX_RTC (no RTC wake status in fixed
 *   hardware); RESET_REG_SUP; HW_REDUCED_ACPI. Clear: USE_PLATFORM_CLOCK (the TSC is the
 *   guest's clock), LOW_POWER_S0_IDLE, the FORCE_APIC_* modes.
 *   IA-PC boot flags: VGA not present, CMOS RTC not present (there is neither), PCIe ASPM
 *   controls (the guest must not set link power states on links whose other end is the host's).
 *   Clear: legacy devices (the only one, the UART, is in the DSDT), 8042 (none), MSI not
 *   supported (MSI and MSI-X are how the guest's devices interrupt).
 */
static void write_fadt(uint8_t *p, uint64_t dsdt_gpa)
{
	struct acpi_fadt f = { 0 };

	fill_header(&f.header, ACPI_FADT_SIGNATURE, sizeof(f), ACPI_FADT_REVISION);
	f.preferred_pm_profile = ACPI_PM_PROFILE_UNSPECIFIED;
	f.iapc_boot_arch = ACPI_IAPC_VGA_NOT_PRESENT | ACPI_IAPC_PCIE_ASPM_CONTROLS |
			   ACPI_IAPC_CMOS_RTC_NOT_PRESENT;
	f.flags = ACPI_FADT_WBINVD | ACPI_FADT_PWR_BUTTON | ACPI_FADT_SLP_BUTTON |
		  ACPI_FADT_FIX_RTC | ACPI_FADT_RESET_REG_SUP | ACPI_FADT_HW_REDUCED_ACPI;
	f.reset_reg = io_port8(ACPI_GUEST_RESET_PORT);
	f.reset_value = ACPI_GUEST_RESET_VALUE;
	f.fadt_minor_version = ACPI_FADT_MINOR_VERSION;
	f.x_dsdt = dsdt_gpa;
	f.sleep_control_reg = io_port8(ACPI_GUEST_SLEEP_CONTROL_PORT);
	f.sleep_status_reg = io_port8(ACPI_GUEST_SLEEP_STATUS_PORT);
	memcpy(f.hypervisor_vendor_identity, ACPI_GUEST_HYPERVISOR_ID, ACPI_FADT_HYPERVISOR_ID_LEN);
	memcpy(p, &f, sizeof(f));
}

/*
 * The MADT (5.2.12): the local APIC address, PCAT_COMPAT clear (no 8259s), then vCPU i as
 * APIC ID i and processor UID i, enabled: a local APIC structure below ID 255, a local x2APIC
 * structure from there on. No I/O APIC, no NMI structures (the LINT pins are not wired).
 */
static void write_madt(uint8_t *p, uint32_t vcpus)
{
	struct acpi_madt m = { 0 };
	uint8_t *s = p + sizeof(m);

	fill_header(&m.header, ACPI_MADT_SIGNATURE, madt_length(vcpus), ACPI_MADT_REVISION);
	m.local_interrupt_controller_address = ACPI_GUEST_LAPIC_ADDRESS;
	m.flags = 0;
	memcpy(p, &m, sizeof(m));
	for (uint32_t id = 0; id < vcpus; id++) {
		if (id < ACPI_GUEST_X2APIC_FIRST_ID) {
			struct acpi_madt_local_apic a = {
				.type = ACPI_MADT_TYPE_LOCAL_APIC,
				.length = sizeof(a),
				.acpi_processor_uid = (uint8_t)id,
				.apic_id = (uint8_t)id,
				.flags = ACPI_MADT_LAPIC_ENABLED,
			};

			memcpy(s, &a, sizeof(a));
			s += sizeof(a);
		} else {
			struct acpi_madt_local_x2apic x = {
				.type = ACPI_MADT_TYPE_LOCAL_X2APIC,
				.length = sizeof(x),
				.x2apic_id = id,
				.flags = ACPI_MADT_LAPIC_ENABLED,
				.acpi_processor_uid = id,
			};

			memcpy(s, &x, sizeof(x));
			s += sizeof(x);
		}
	}
}

/* The MCFG (PCI Firmware 3.3, 4.1.2): one allocation, the segment's ECAM and bus range. */
static void write_mcfg(uint8_t *p, const struct acpi_guest_desc *d)
{
	struct acpi_mcfg m = { 0 };
	struct acpi_mcfg_allocation a = {
		.base_address = d->ecam_base,
		.pci_segment_group = d->segment,
		.start_bus_number = d->bus_start,
		.end_bus_number = d->bus_end,
	};

	fill_header(&m.header, ACPI_MCFG_SIGNATURE, sizeof(m) + sizeof(a), ACPI_MCFG_REVISION);
	memcpy(p, &m, sizeof(m));
	memcpy(p + sizeof(m), &a, sizeof(a));
}

/* acpi_guest_build - see acpi_guest.h; ACPI 6.5, 5.2.5-5.2.12. */
int acpi_guest_build(const struct acpi_guest_desc *desc, uint8_t *buf, size_t size,
		     struct acpi_guest_tables *out, char why[ACPI_GUEST_WHY_LEN])
{
	struct layout l;
	uint64_t gpa = desc->tables_gpa;
	uint64_t entries[XSDT_ENTRIES];
	int err;

	err = check_fields(desc, why);
	if (err)
		return err;
	lay_out(desc, &l);
	if (l.end > size || l.end >= UINT32_LIMIT)
		return REFUSE(why, -E2BIG, "acpi: %u vCPUs need %llu bytes of tables, %zu given",
			      desc->vcpu_count, (unsigned long long)l.end, size);
	if (!fits(gpa, l.end))
		return REFUSE(why, -EINVAL, "acpi: tables at %#llx+%#llx wrap past 2^64",
			      (unsigned long long)gpa, (unsigned long long)l.end);
	err = check_overlaps(desc, l.end, why);
	if (err)
		return err;

	memset(buf, 0, l.end);
	entries[XSDT_FADT] = gpa + l.fadt;
	entries[XSDT_MADT] = gpa + l.madt;
	entries[XSDT_MCFG] = gpa + l.mcfg;
	write_xsdt(buf + l.xsdt, entries);
	write_fadt(buf + l.fadt, gpa + l.dsdt);
	acpi_dsdt_write(desc, buf + l.dsdt);
	write_madt(buf + l.madt, desc->vcpu_count);
	write_mcfg(buf + l.mcfg, desc);
	set_sdt_checksum(buf + l.xsdt);
	set_sdt_checksum(buf + l.fadt);
	set_sdt_checksum(buf + l.dsdt);
	set_sdt_checksum(buf + l.madt);
	set_sdt_checksum(buf + l.mcfg);
	write_rsdp(buf + l.rsdp, gpa + l.xsdt);
	out->rsdp_gpa = gpa + l.rsdp;
	out->length = (uint32_t)l.end;
	return 0;
}
