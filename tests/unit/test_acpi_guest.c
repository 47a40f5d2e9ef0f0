// SPDX-License-Identifier: MIT
/*
 * vmm/vplat/acpi_guest.c: the guest's ACPI tables, built and then read back with skiff's own
 * parsers (acpi_tables_find() for RSDP and XSDT, madt_parse(), mcfg_parse(), acpi_sdt_check()
 * for every header) and at the byte offsets of ACPI 6.5 written out here (RSDP 5.2.5.3, table
 * header 5.2.6, FADT 5.2.9 table 5.9, GAS 5.2.3.2, address space descriptors 6.4.3.5): every
 * checksum, the FADT's flags and registers, one MADT entry per vCPU (1, 2, 64, and past APIC ID
 * 255), the MCFG allocation, the DSDT's patched values (and that nothing else of iasl's AML
 * changed), each refusal, and a property test over random descriptions. The parsers read a heap
 * copy of exactly the bytes built, so AddressSanitizer catches a read past them.
 * Sources: vmm/vplat/acpi_guest.c vmm/vplat/acpi_dsdt.c kernel/acpi/acpi_tables.c kernel/acpi/madt.c kernel/acpi/mcfg.c kernel/acpi/acpi_sdt.c kernel/acpi/acpi_notes.c kernel/log.c tests/unit/fake_console.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/acpi/acpi_sdt.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/acpi/madt.h"
#include "kernel/acpi/mcfg.h"
#include "tests/unit/fake_console.h"
#include "vmm/vplat/acpi_guest.h"
#include "vmm/vplat/dsdt_aml.h" /* generated: iasl's AML and the patched objects' offsets */

#define BUDGET	    (64 * 1024)
#define SENTINEL    0xa5
#define SEED	    0x5ea1ab1e0acc1e55ull
#define NR_RANDOM   3000u
#define NR_ANY	    3000u
#define FOUR_GIB    (1ull << 32)
#define MIB	    (1ull << 20)
#define PAGE	    0x1000ull
#define LAPIC_BASE  0xfee00000ull
#define MANY_VCPUS  300u /* past APIC ID 255 */
#define X2APIC_FROM 255u

/* RSDP (ACPI 6.5, 5.2.5.3, table 5.3). */
#define RSDP_LEN	  36
#define RSDP_V1_LEN	  20
#define RSDP_OFF_OEMID	  9
#define RSDP_OFF_REVISION 15
#define RSDP_OFF_RSDT	  16
#define RSDP_OFF_LENGTH	  20
#define RSDP_OFF_XSDT	  24

/* System description table header (5.2.6, table 5.4). */
#define SDT_LEN		     36
#define SDT_OFF_LENGTH	     4
#define SDT_OFF_REVISION     8
#define SDT_OFF_OEMID	     10
#define SDT_OFF_OEM_TABLE_ID 16
#define SDT_OFF_OEM_REVISION 24
#define SDT_OFF_CREATOR	     28
#define SDT_OFF_CHECKSUM     9

/* FADT (5.2.9, table 5.9; flags table 5.10; IA-PC boot flags table 5.11). */
#define FADT_LEN	     276
#define FADT_OFF_IAPC	     109
#define FADT_OFF_FLAGS	     112
#define FADT_OFF_RESET_REG   116
#define FADT_OFF_RESET_VALUE 128
#define FADT_OFF_ARM_BOOT    129
#define FADT_OFF_MINOR	     131
#define FADT_OFF_X_FACS	     132
#define FADT_OFF_X_DSDT	     140
#define FADT_OFF_X_PM1A_EVT  148
#define FADT_OFF_SLEEP_CTRL  244
#define FADT_OFF_SLEEP_STS   256
#define FADT_OFF_HYPERVISOR  268
#define FADT_FLAG_WBINVD     (1u << 0)
#define FADT_FLAG_PWR_BUTTON (1u << 4)
#define FADT_FLAG_SLP_BUTTON (1u << 5)
#define FADT_FLAG_FIX_RTC    (1u << 6)
#define FADT_FLAG_RESET_REG  (1u << 10)
#define FADT_FLAG_HW_REDUCED (1u << 20)
#define IAPC_VGA_NOT_PRESENT (1u << 2)
#define IAPC_NO_ASPM	     (1u << 4)
#define IAPC_NO_CMOS_RTC     (1u << 5)

/* Generic Address Structure (5.2.3.2, table 5.1). */
#define GAS_OFF_SPACE	0
#define GAS_OFF_WIDTH	1
#define GAS_OFF_OFFSET	2
#define GAS_OFF_ACCESS	3
#define GAS_OFF_ADDRESS 4
#define GAS_SYSTEM_IO	1
#define GAS_BYTE	1

/* Address space descriptors (6.4.3.5.1-3): tag, then _MIN, _MAX, _LEN at these offsets. */
#define DESC_TAG_WORD	   0x88
#define DESC_TAG_DWORD	   0x87
#define DESC_TAG_QWORD	   0x8a
#define QWORD_CONST_PREFIX 0x0e /* ACPI 6.5, 20.2.3 */

struct desc_layout {
	uint8_t tag;
	unsigned int width, off_min, off_max, off_len;
};

static const struct desc_layout word_desc = { DESC_TAG_WORD, 2, 8, 10, 14 };
static const struct desc_layout dword_desc = { DESC_TAG_DWORD, 4, 10, 14, 22 };
static const struct desc_layout qword_desc = { DESC_TAG_QWORD, 8, 14, 22, 38 };

/* What the checks are about, for failure messages. */
static char context[96];

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (!(cond))                                              \
			fail_msg("%s: %s: " __VA_ARGS__, context, #cond); \
	} while (0)

/* The tables as built, and a heap copy of exactly their bytes that the parsers read. */
static uint8_t buf[BUDGET];
static uint8_t *img;
static uint64_t img_gpa;
static uint32_t img_len;
static uint64_t rng;

static const struct acpi_guest_desc base_desc = {
	.vcpu_count = 1,
	.segment = 0,
	.bus_start = 0,
	.bus_end = 0xff,
	.ecam_base = 0xb0000000,
	.mmio32 = { 0xc0000000, 0x20000000 },
	.mmio64 = { 0x8000000000ull, 0x4000000000ull },
	.tables_gpa = 0x000f0000,
};

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull; /* xorshift64* */
}

static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

static uint64_t get(const uint8_t *p, unsigned int width)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < width; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static const uint8_t *map(uint64_t pa, uint64_t len)
{
	if (pa >= img_gpa && len <= img_len && pa - img_gpa <= img_len - len)
		return img + (pa - img_gpa);
	return NULL;
}

static int teardown(void **state)
{
	(void)state;
	free(img);
	img = NULL;
	return 0;
}

/* Builds the tables for @d into buf (the rest of buf holds SENTINEL) and copies them to img. */
static int build(const struct acpi_guest_desc *d, size_t size, char why[ACPI_GUEST_WHY_LEN])
{
	struct acpi_guest_tables t = { 0 };
	int err;

	memset(buf, SENTINEL, sizeof(buf));
	why[0] = '\0';
	err = acpi_guest_build(d, buf, size, &t, why);
	if (err)
		return err;
	CHECK(t.rsdp_gpa == d->tables_gpa, "the RSDP is not at the start");
	CHECK(t.length > 0 && t.length <= size, "length %u", t.length);
	for (size_t i = t.length; i < sizeof(buf); i++)
		CHECK(buf[i] == SENTINEL, "byte %zu past the tables written", i);
	free(img);
	img = malloc(t.length);
	assert_non_null(img);
	memcpy(img, buf, t.length);
	img_gpa = d->tables_gpa;
	img_len = t.length;
	return 0;
}

static void build_ok(const struct acpi_guest_desc *d)
{
	char why[ACPI_GUEST_WHY_LEN];
	int err = build(d, BUDGET, why);

	CHECK(err == 0, "refused (%d): %s", err, why);
}

/* The table at @gpa: its header checked by skiff's acpi_sdt_check() with no note at all. */
static const uint8_t *table_at(uint64_t gpa, const char *sig, uint8_t revision)
{
	const uint8_t *t = map(gpa, SDT_LEN);
	struct acpi_notes notes = { 0 };
	uint32_t len = 0;

	CHECK(t != NULL, "%s at %#llx is outside the tables", sig, (unsigned long long)gpa);
	len = (uint32_t)get(t + SDT_OFF_LENGTH, 4);
	t = map(gpa, len);
	CHECK(t != NULL, "%s runs past the tables", sig);
	CHECK(acpi_sdt_check(t, len, sig, SDT_LEN, &notes, &len) == 0, "%s header refused", sig);
	CHECK(notes.count == 0, "%s: %s", sig, notes.items[0].text);
	CHECK(sum(t, len) == 0, "%s checksum", sig);
	CHECK(t[SDT_OFF_REVISION] == revision, "%s revision %u", sig, t[SDT_OFF_REVISION]);
	CHECK(!memcmp(t + SDT_OFF_OEMID, "SKIFF ", 6), "%s OEM ID", sig);
	CHECK(!memcmp(t + SDT_OFF_OEM_TABLE_ID, ACPI_GUEST_OEM_TABLE_ID, 8), "%s OEM Table ID",
	      sig);
	CHECK(get(t + SDT_OFF_OEM_REVISION, 4) == ACPI_GUEST_OEM_REVISION, "%s OEM Revision", sig);
	return t;
}

/* RSDP and XSDT through acpi_tables_find(); returns the FADT, MADT and MCFG addresses. */
static void check_root(uint64_t *fadt, uint64_t *madt, uint64_t *mcfg)
{
	static struct acpi_tables found;
	const uint8_t *r = map(img_gpa, RSDP_LEN);
	static const char *const sigs[] = { "FACP", "APIC", "MCFG" };

	CHECK(r != NULL && !memcmp(r, "RSD PTR ", 8), "no RSDP at the start");
	CHECK(sum(r, RSDP_V1_LEN) == 0, "RSDP checksum (bytes 0-19)");
	CHECK(sum(r, RSDP_LEN) == 0, "RSDP extended checksum");
	CHECK(r[RSDP_OFF_REVISION] == 2, "RSDP revision %u", r[RSDP_OFF_REVISION]);
	CHECK(get(r + RSDP_OFF_LENGTH, 4) == RSDP_LEN, "RSDP length");
	CHECK(get(r + RSDP_OFF_RSDT, 4) == 0, "an RSDT address");
	CHECK(!memcmp(r + RSDP_OFF_OEMID, "SKIFF ", 6), "RSDP OEM ID");

	fake_console_reset();
	CHECK(acpi_tables_find(img_gpa, map, &found) == 0, "acpi_tables_find refused the RSDP");
	CHECK(fake_console_text()[0] == '\0', "acpi_tables_find said: %s", fake_console_text());
	CHECK(found.revision == 2 && found.root_is_xsdt, "not an XSDT");
	CHECK(found.root == get(r + RSDP_OFF_XSDT, 8), "root %#llx",
	      (unsigned long long)found.root);
	CHECK(!strcmp(found.oem_id, "SKIFF "), "oem id '%s'", found.oem_id);
	CHECK(found.count == 3, "%u tables listed", found.count);
	for (unsigned int i = 0; i < 3; i++) {
		CHECK(!strcmp(found.tables[i].signature, sigs[i]), "entry %u is %s", i,
		      found.tables[i].signature);
		CHECK(found.tables[i].checksum_ok, "%s checksum", sigs[i]);
	}
	table_at(found.root, "XSDT", 1);
	*fadt = found.tables[0].address;
	*madt = found.tables[1].address;
	*mcfg = found.tables[2].address;
}

static void check_gas(const uint8_t *g, uint16_t port)
{
	CHECK(g[GAS_OFF_SPACE] == GAS_SYSTEM_IO, "GAS space %u", g[GAS_OFF_SPACE]);
	CHECK(g[GAS_OFF_WIDTH] == 8 && g[GAS_OFF_OFFSET] == 0, "GAS not 8 bits at bit 0");
	CHECK(g[GAS_OFF_ACCESS] == GAS_BYTE, "GAS access size %u", g[GAS_OFF_ACCESS]);
	CHECK(get(g + GAS_OFF_ADDRESS, 8) == port, "GAS port %#llx, expected %#x",
	      (unsigned long long)get(g + GAS_OFF_ADDRESS, 8), port);
}

static bool all_zero(const uint8_t *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i])
			return false;
	return true;
}

/* The FADT: hardware-reduced, reset and sleep registers, X_DSDT; returns the DSDT's address. */
static uint64_t check_fadt(uint64_t gpa)
{
	const uint8_t *f = table_at(gpa, "FACP", 6);
	const uint32_t flags = FADT_FLAG_WBINVD | FADT_FLAG_PWR_BUTTON | FADT_FLAG_SLP_BUTTON |
			       FADT_FLAG_FIX_RTC | FADT_FLAG_RESET_REG | FADT_FLAG_HW_REDUCED;

	CHECK(get(f + SDT_OFF_LENGTH, 4) == FADT_LEN, "FADT length");
	CHECK(!memcmp(f + SDT_OFF_CREATOR, "SKIF", 4), "FADT creator");
	CHECK(get(f + FADT_OFF_FLAGS, 4) == flags, "FADT flags %#llx",
	      (unsigned long long)get(f + FADT_OFF_FLAGS, 4));
	CHECK(get(f + FADT_OFF_IAPC, 2) == (IAPC_VGA_NOT_PRESENT | IAPC_NO_ASPM | IAPC_NO_CMOS_RTC),
	      "IA-PC boot flags %#llx", (unsigned long long)get(f + FADT_OFF_IAPC, 2));
	/* FACS, DSDT (32-bit), SCI, SMI, PM1/PM2/timer/GPE blocks and the rest up to CENTURY. */
	CHECK(all_zero(f, SDT_LEN, FADT_OFF_IAPC), "a fixed-hardware field is set");
	check_gas(f + FADT_OFF_RESET_REG, 0xcf9);
	CHECK(f[FADT_OFF_RESET_VALUE] == 0x06, "reset value %#x", f[FADT_OFF_RESET_VALUE]);
	CHECK(get(f + FADT_OFF_ARM_BOOT, 2) == 0, "ARM boot flags");
	CHECK(f[FADT_OFF_MINOR] == 5, "FADT minor version %u", f[FADT_OFF_MINOR]);
	CHECK(get(f + FADT_OFF_X_FACS, 8) == 0, "an X_FIRMWARE_CTRL");
	CHECK(all_zero(f, FADT_OFF_X_PM1A_EVT, FADT_OFF_SLEEP_CTRL), "an X_ block is set");
	check_gas(f + FADT_OFF_SLEEP_CTRL, 0x600);
	check_gas(f + FADT_OFF_SLEEP_STS, 0x601);
	CHECK(!memcmp(f + FADT_OFF_HYPERVISOR, "SKIFF   ", 8), "hypervisor vendor identity");
	return get(f + FADT_OFF_X_DSDT, 8);
}

/* The MADT by madt_parse(): vCPU i is enabled with APIC ID and UID i, nothing else. */
static void check_madt(uint64_t gpa, uint32_t vcpus)
{
	static struct madt_table m;
	const uint8_t *t = table_at(gpa, "APIC", 6);
	uint32_t xapics = vcpus < X2APIC_FROM ? vcpus : X2APIC_FROM;

	CHECK(madt_parse(t, get(t + SDT_OFF_LENGTH, 4), &m) == 0, "madt_parse refused it");
	CHECK(m.notes.count == 0, "madt_parse noted: %s", m.notes.items[0].text);
	CHECK(m.lapic_address == LAPIC_BASE, "local APIC at %#llx",
	      (unsigned long long)m.lapic_address);
	CHECK(!(m.flags & MADT_FLAG_PCAT_COMPAT), "PCAT_COMPAT set");
	CHECK(m.nr_lapic == xapics && m.nr_x2apic == vcpus - xapics, "%u local APIC + %u x2APIC",
	      m.nr_lapic, m.nr_x2apic);
	CHECK(m.nr_ioapic == 0 && m.nr_overrides == 0 && m.nr_lapic_nmi == 0 &&
		      m.nr_x2apic_nmi == 0 && m.nr_nmi_sources == 0,
	      "structures other than processors");
	for (uint32_t i = 0; i < vcpus; i++) {
		const struct madt_lapic *l = i < xapics ? &m.lapic[i] : &m.x2apic[i - xapics];

		CHECK(l->apic_id == i && l->uid == i, "vCPU %u: APIC ID %u UID %u", i, l->apic_id,
		      l->uid);
		CHECK(l->flags == MADT_LAPIC_ENABLED, "vCPU %u flags %#x", i, l->flags);
	}
}

static void check_mcfg(uint64_t gpa, const struct acpi_guest_desc *d)
{
	static struct mcfg_table m;
	const uint8_t *t = table_at(gpa, "MCFG", 1);

	CHECK(mcfg_parse(t, get(t + SDT_OFF_LENGTH, 4), &m) == 0, "mcfg_parse refused it");
	CHECK(m.notes.count == 0, "mcfg_parse noted: %s", m.notes.items[0].text);
	CHECK(m.nr_allocations == 1, "%u allocations", m.nr_allocations);
	CHECK(m.allocations[0].base == d->ecam_base && m.allocations[0].segment == d->segment &&
		      m.allocations[0].start_bus == d->bus_start &&
		      m.allocations[0].end_bus == d->bus_end,
	      "allocation %#llx seg %u buses %u-%u", (unsigned long long)m.allocations[0].base,
	      m.allocations[0].segment, m.allocations[0].start_bus, m.allocations[0].end_bus);
}

/* A patched field of the DSDT: [off, off + width), and what it must hold. */
struct patched {
	uint32_t off;
	unsigned int width;
	uint64_t value;
};

static unsigned int add_desc(struct patched *p, unsigned int n, uint32_t at,
			     const struct desc_layout *l, uint64_t min, uint64_t len)
{
	CHECK(dsdt_aml[at] == l->tag, "iasl's AML has tag %#x at %#x", dsdt_aml[at], at);
	p[n++] = (struct patched){ at + l->off_min, l->width, min };
	p[n++] = (struct patched){ at + l->off_max, l->width, min + len - 1 };
	p[n++] = (struct patched){ at + l->off_len, l->width, len };
	return n;
}

/* The DSDT: iasl's AML byte for byte except the patched fields, which hold @d's values. */
static void check_dsdt(uint64_t gpa, const struct acpi_guest_desc *d)
{
	const uint8_t *t = table_at(gpa, "DSDT", 2);
	uint64_t buses = d->bus_end - d->bus_start + 1u;
	struct patched p[2 + 4 * 3];
	unsigned int n = 0;

	CHECK(get(t + SDT_OFF_LENGTH, 4) == DSDT_AML_LEN, "DSDT length");
	CHECK(!memcmp(t + SDT_OFF_CREATOR, "INTL", 4), "DSDT creator is not iasl");
	CHECK(dsdt_aml[DSDT_AML_OFF_SEG - 1] == QWORD_CONST_PREFIX &&
		      dsdt_aml[DSDT_AML_OFF_BBN - 1] == QWORD_CONST_PREFIX,
	      "_SEG/_BBN not QWordConst in iasl's AML");
	p[n++] = (struct patched){ DSDT_AML_OFF_SEG, 8, d->segment };
	p[n++] = (struct patched){ DSDT_AML_OFF_BBN, 8, d->bus_start };
	n = add_desc(p, n, DSDT_AML_OFF_BUSN, &word_desc, d->bus_start, buses);
	n = add_desc(p, n, DSDT_AML_OFF_MW32, &dword_desc, d->mmio32.base, d->mmio32.size);
	n = add_desc(p, n, DSDT_AML_OFF_MW64, &qword_desc, d->mmio64.base, d->mmio64.size);
	n = add_desc(p, n, DSDT_AML_OFF_ECAM, &qword_desc, d->ecam_base + d->bus_start * MIB,
		     buses * MIB);
	for (uint32_t i = 0; i < DSDT_AML_LEN; i++) {
		bool in_field = i == SDT_OFF_CHECKSUM;

		for (unsigned int k = 0; k < n; k++)
			in_field |= i >= p[k].off && i < p[k].off + p[k].width;
		CHECK(in_field || t[i] == dsdt_aml[i], "DSDT byte %#x changed", i);
	}
	for (unsigned int k = 0; k < n; k++)
		CHECK(get(t + p[k].off, p[k].width) == p[k].value,
		      "DSDT field at %#x: %#llx, not %#llx", p[k].off,
		      (unsigned long long)get(t + p[k].off, p[k].width),
		      (unsigned long long)p[k].value);
}

/* Every table of the last build, read back and checked against @d. */
static void check_all(const struct acpi_guest_desc *d)
{
	uint64_t fadt, madt, mcfg;

	check_root(&fadt, &madt, &mcfg);
	check_dsdt(check_fadt(fadt), d);
	check_madt(madt, d->vcpu_count);
	check_mcfg(mcfg, d);
}

static void build_and_check(const struct acpi_guest_desc *d)
{
	build_ok(d);
	check_all(d);
}

static void test_base(void **state)
{
	(void)state;
	snprintf(context, sizeof(context), "base description");
	build_and_check(&base_desc);
}

static void test_madt_vcpu_counts(void **state)
{
	static const uint32_t counts[] = { 1, 2, 64, X2APIC_FROM - 1, X2APIC_FROM, MANY_VCPUS };
	struct acpi_guest_desc d = base_desc;

	(void)state;
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		snprintf(context, sizeof(context), "%u vCPUs", counts[i]);
		d.vcpu_count = counts[i];
		build_and_check(&d);
	}
}

/* Segment, buses, ECAM and windows other than the base ones: the MCFG and DSDT follow. */
static void test_mcfg_and_dsdt_values(void **state)
{
	struct acpi_guest_desc d = base_desc;

	(void)state;
	snprintf(context, sizeof(context), "segment 3, buses 0x10-0x3f, ECAM above 4 GiB");
	d.segment = 3;
	d.bus_start = 0x10;
	d.bus_end = 0x3f;
	d.ecam_base = 0x20000000000ull;
	d.mmio32 = (struct acpi_guest_window){ 0x80000000, 0x10000000 };
	d.mmio64 = (struct acpi_guest_window){ FOUR_GIB, PAGE };
	d.tables_gpa = 0x7fff0000;
	build_and_check(&d);
}

/* The budget: exactly the length needed is enough, a byte less is -E2BIG. */
static void test_budget(void **state)
{
	struct acpi_guest_tables t;
	struct acpi_guest_desc d = base_desc;
	char why[ACPI_GUEST_WHY_LEN];

	(void)state;
	snprintf(context, sizeof(context), "budget");
	d.vcpu_count = 64;
	assert_int_equal(acpi_guest_build(&d, buf, BUDGET, &t, why), 0);
	assert_int_equal(build(&d, t.length, why), 0);
	check_all(&d);
	assert_int_equal(build(&d, t.length - 1, why), -E2BIG);
	assert_non_null(strstr(why, "64 vCPUs"));
	d.vcpu_count = 1u << 20;
	assert_int_equal(build(&d, BUDGET, why), -E2BIG);
	d.vcpu_count = UINT32_MAX;
	assert_int_equal(build(&d, SIZE_MAX, why), -E2BIG);
}

struct refusal {
	const char *what; /* in the reason */
	void (*change)(struct acpi_guest_desc *d);
};

static void no_vcpus(struct acpi_guest_desc *d)
{
	d->vcpu_count = 0;
}
static void buses_reversed(struct acpi_guest_desc *d)
{
	d->bus_start = 5;
	d->bus_end = 4;
}
static void ecam_unaligned(struct acpi_guest_desc *d)
{
	d->ecam_base += PAGE;
}
static void ecam_wraps(struct acpi_guest_desc *d)
{
	d->ecam_base = 0ull - 16 * MIB;
	d->bus_start = 0;
	d->bus_end = 16;
}
static void mmio32_empty(struct acpi_guest_desc *d)
{
	d->mmio32.size = 0;
}
static void mmio32_unaligned(struct acpi_guest_desc *d)
{
	d->mmio32.base += 0x10;
}
static void mmio32_size_unaligned(struct acpi_guest_desc *d)
{
	d->mmio32.size += 0x800;
}
static void mmio32_above_4g(struct acpi_guest_desc *d)
{
	d->mmio32.base = FOUR_GIB - PAGE;
	d->mmio32.size = 2 * PAGE;
}
static void mmio32_base_above_4g(struct acpi_guest_desc *d)
{
	d->mmio32.base = 2 * FOUR_GIB;
	d->mmio32.size = PAGE;
}
static void mmio32_all_4g(struct acpi_guest_desc *d)
{
	d->mmio32.base = 0;
	d->mmio32.size = FOUR_GIB;
}
static void mmio64_below_4g(struct acpi_guest_desc *d)
{
	d->mmio64.base = FOUR_GIB - PAGE;
}
static void mmio64_empty(struct acpi_guest_desc *d)
{
	d->mmio64.size = 0;
}
static void mmio64_wraps(struct acpi_guest_desc *d)
{
	d->mmio64.base = 0ull - PAGE;
	d->mmio64.size = 2 * PAGE;
}
static void tables_unaligned(struct acpi_guest_desc *d)
{
	d->tables_gpa += 8;
}
static void tables_wrap(struct acpi_guest_desc *d)
{
	d->tables_gpa = 0ull - 16 * 4;
}
static void ecam_on_mmio32(struct acpi_guest_desc *d)
{
	d->ecam_base = d->mmio32.base + d->mmio32.size - MIB;
}
static void mmio32_on_lapic(struct acpi_guest_desc *d)
{
	d->mmio32 = (struct acpi_guest_window){ 0xf0000000, 0x0f000000 };
}
static void mmio64_on_ecam(struct acpi_guest_desc *d)
{
	d->ecam_base = d->mmio64.base + d->mmio64.size - MIB;
	d->bus_end = 0;
}
static void tables_on_ecam(struct acpi_guest_desc *d)
{
	d->tables_gpa = d->ecam_base + 0x40;
}
static void tables_end_on_mmio32(struct acpi_guest_desc *d)
{
	d->tables_gpa = d->mmio32.base - 0x100; /* the tables need more than 256 bytes */
}

static void test_refusals(void **state)
{
	static const struct refusal cases[] = {
		{ "vcpu_count", no_vcpus },
		{ "bus_end", buses_reversed },
		{ "ecam_base", ecam_unaligned },
		{ "wraps", ecam_wraps },
		{ "mmio32 window is empty", mmio32_empty },
		{ "not page aligned", mmio32_unaligned },
		{ "not page aligned", mmio32_size_unaligned },
		{ "below 4 GiB in 32 bits", mmio32_above_4g },
		{ "below 4 GiB in 32 bits", mmio32_base_above_4g },
		{ "below 4 GiB in 32 bits", mmio32_all_4g },
		{ "mmio64 window base", mmio64_below_4g },
		{ "mmio64 window is empty", mmio64_empty },
		{ "mmio64 window", mmio64_wraps },
		{ "tables_gpa", tables_unaligned },
		{ "wrap", tables_wrap },
		{ "ECAM", ecam_on_mmio32 },
		{ "local APIC/MSI", mmio32_on_lapic },
		{ "overlaps", mmio64_on_ecam },
		{ "tables", tables_on_ecam },
		{ "tables", tables_end_on_mmio32 },
	};
	char why[ACPI_GUEST_WHY_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct acpi_guest_desc d = base_desc;

		snprintf(context, sizeof(context), "refusal %zu (%s)", i, cases[i].what);
		cases[i].change(&d);
		CHECK(build(&d, BUDGET, why) == -EINVAL, "accepted");
		CHECK(strstr(why, cases[i].what) != NULL, "reason '%s'", why);
		for (size_t k = 0; k < sizeof(buf); k++)
			CHECK(buf[k] == SENTINEL, "byte %zu written by a refused build", k);
	}
}

/* A random valid description: vCPUs 1..255, any segment and bus range, the ECAM range below
 * 4 GiB or far above, the 32-bit window in [3 GiB, the local APIC), the 64-bit one anywhere
 * in [4 GiB, 2^46), the tables in the first 640 KiB. */
static void random_desc(struct acpi_guest_desc *d)
{
	uint64_t lo = 0xc0000000, hi = LAPIC_BASE, start, end;
	unsigned int a = (unsigned int)below(256), b = (unsigned int)below(256);
	uint64_t decoded;

	d->vcpu_count = 1 + (uint32_t)below(255);
	d->segment = (uint16_t)rnd();
	d->bus_start = (uint8_t)(a < b ? a : b);
	d->bus_end = (uint8_t)(a < b ? b : a);
	decoded = below(2) ? 0x80000000 + below(768) * MIB : (1ull << 47) + below(1u << 20) * MIB;
	d->ecam_base = decoded - d->bus_start * MIB;
	start = lo + below((hi - lo) / PAGE) * PAGE;
	end = start + PAGE + below((hi - start) / PAGE) * PAGE;
	d->mmio32 = (struct acpi_guest_window){ start, end - start };
	start = FOUR_GIB + below(((1ull << 46) - FOUR_GIB) / PAGE) * PAGE;
	d->mmio64 = (struct acpi_guest_window){ start, PAGE + below(1ull << 28) * PAGE };
	d->tables_gpa = below(0xa0000 / 16 - BUDGET / 16) * 16;
}

static void test_property_random(void **state)
{
	(void)state;
	rng = SEED;
	print_message("acpi_guest: %u random descriptions, seed %#llx\n", NR_RANDOM,
		      (unsigned long long)SEED);
	for (unsigned int i = 0; i < NR_RANDOM; i++) {
		struct acpi_guest_desc d;

		random_desc(&d);
		snprintf(context, sizeof(context), "random description %u (seed %#llx, %u vCPUs)",
			 i, (unsigned long long)SEED, d.vcpu_count);
		build_and_check(&d);
	}
}

/* A random field value: mostly @typical, sometimes a page off, sometimes anything. */
static uint64_t any(uint64_t typical, uint64_t mask)
{
	switch (below(8)) {
	case 0:
		return rnd() & mask;
	case 1:
		return (typical + below(3) * PAGE - PAGE) & mask;
	default:
		return typical;
	}
}

/* Whether the accepted @d keeps the promises of acpi_guest.h. */
static void check_accepted(const struct acpi_guest_desc *d)
{
	const struct acpi_guest_window *w32 = &d->mmio32, *w64 = &d->mmio64;

	CHECK(d->vcpu_count > 0 && d->bus_start <= d->bus_end, "bad vCPUs or buses accepted");
	CHECK(!(d->ecam_base % MIB) && !(d->tables_gpa % 16), "unaligned ECAM or tables");
	CHECK(w32->size && w32->base + w32->size <= FOUR_GIB && !(w32->base % PAGE) &&
		      !(w32->size % PAGE),
	      "mmio32 %#llx+%#llx accepted", (unsigned long long)w32->base,
	      (unsigned long long)w32->size);
	CHECK(w64->size && w64->base >= FOUR_GIB && w64->size - 1 <= UINT64_MAX - w64->base &&
		      !(w64->base % PAGE) && !(w64->size % PAGE),
	      "mmio64 %#llx+%#llx accepted", (unsigned long long)w64->base,
	      (unsigned long long)w64->size);
	CHECK(w32->base + w32->size <= LAPIC_BASE || w32->base >= LAPIC_BASE + MIB,
	      "mmio32 over the local APIC accepted");
}

/*
 * Descriptions with random (often bad) fields: each is built and parsed back, or refused with
 * a reason and the buffer untouched. The budget is what the most vCPUs madt_parse() can list
 * need (255 local APIC structures and MADT_MAX_X2APIC x2APIC ones): more are -E2BIG.
 */
static void test_property_any(void **state)
{
	struct acpi_guest_desc most = base_desc;
	struct acpi_guest_tables t;
	unsigned int built = 0, refused = 0;
	char why[ACPI_GUEST_WHY_LEN];

	(void)state;
	most.vcpu_count = X2APIC_FROM + MADT_MAX_X2APIC;
	assert_int_equal(acpi_guest_build(&most, buf, BUDGET, &t, why), 0);
	rng = SEED ^ 1;
	for (unsigned int i = 0; i < NR_ANY; i++) {
		struct acpi_guest_desc d = {
			.vcpu_count = (uint32_t)any(1 + below(2 * most.vcpu_count), UINT32_MAX),
			.segment = (uint16_t)any(0, UINT16_MAX),
			.bus_start = (uint8_t)any(0, UINT8_MAX),
			.bus_end = (uint8_t)any(0xff, UINT8_MAX),
			.ecam_base = any(base_desc.ecam_base, UINT64_MAX),
			.mmio32 = { any(base_desc.mmio32.base, UINT64_MAX),
				    any(base_desc.mmio32.size, UINT64_MAX) },
			.mmio64 = { any(base_desc.mmio64.base, UINT64_MAX),
				    any(base_desc.mmio64.size, UINT64_MAX) },
			.tables_gpa = any(base_desc.tables_gpa, UINT64_MAX),
		};
		int err;

		snprintf(context, sizeof(context), "any description %u", i);
		err = build(&d, t.length, why);
		if (!err) {
			check_accepted(&d);
			check_all(&d);
			built++;
			continue;
		}
		CHECK(err == -EINVAL || err == -E2BIG, "error %d", err);
		CHECK(why[0] != '\0', "refused without a reason");
		for (size_t k = 0; k < sizeof(buf); k++)
			CHECK(buf[k] == SENTINEL, "byte %zu written by a refused build", k);
		refused++;
	}
	print_message("acpi_guest: %u descriptions with random fields: %u built and parsed back, "
		      "%u refused\n",
		      NR_ANY, built, refused);
	assert_true(built > 0 && refused > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_base, teardown),
		cmocka_unit_test_teardown(test_madt_vcpu_counts, teardown),
		cmocka_unit_test_teardown(test_mcfg_and_dsdt_values, teardown),
		cmocka_unit_test_teardown(test_budget, teardown),
		cmocka_unit_test_teardown(test_refusals, teardown),
		cmocka_unit_test_teardown(test_property_random, teardown),
		cmocka_unit_test_teardown(test_property_any, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
