// SPDX-License-Identifier: MIT
/*
 * vmm/vplat/acpi_guest.c's tables decoded by ACPICA (the ACPI code Linux uses too): each table is
 * written to a temporary directory and `iasl -d` (Debian's acpica-tools) disassembles it. Its
 * output must hold no error, warning, "Incorrect checksum", "Invalid" or "Unknown", and must
 * show the description's values: the FADT's flags and registers, one MADT entry per vCPU, the
 * MCFG allocation, and the DSDT's _SEG, _BBN, bus range, windows, UART and ECAM reservation.
 * iasl 20200925 disassembles no RSDP (its signature is not a table signature), so the RSDP is
 * checked the other way round: iasl compiles an RSDP data table with the same field values and
 * computes both checksums itself, and its bytes must be ours. A last test shows that the checks
 * see a bad checksum and a bad MADT structure. Fails, rather than skips, without iasl
 * (scripts/deps.sh installs acpica-tools).
 * Sources: vmm/vplat/acpi_guest.c vmm/vplat/acpi_dsdt.c tests/unit/file_read.c
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "tests/unit/file_read.h"
#include "vmm/vplat/acpi_guest.h"

#define BUDGET		 (64 * 1024)
#define DIR_LEN		 64
#define NAME_LEN	 32
#define PATH_LEN	 (DIR_LEN + NAME_LEN)
#define CMD_LEN		 640
#define MIB		 (1ull << 20)
#define X2APIC_FROM	 255u
#define NFTW_FDS	 8
#define RSDP_LEN	 36
#define RSDP_OFF_XSDT	 24
#define SDT_LEN		 36
#define SDT_OFF_LEN	 4
#define SDT_OFF_CHECKSUM 9
#define MADT_OFF_FIRST	 44
#define FADT_OFF_X_DSDT	 140
#define XSDT_ENTRIES	 3
#define COM1_PORT	 0x3f8u
#define COM1_PORTS	 8u

/* What iasl must never say about skiff's tables (case-insensitive). */
static const char *const complaints[] = { "warning", "error",	"incorrect",
					  "invalid", "unknown", "****" };

static char dir[DIR_LEN];
static uint8_t buf[BUDGET];
static uint64_t gpa0;

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/skiff-acpi-guest-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, remove_one, NFTW_FDS, FTW_DEPTH | FTW_PHYS);
}

static uint64_t get(const uint8_t *p, unsigned int width)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < width; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static const uint8_t *at(uint64_t gpa)
{
	return buf + (gpa - gpa0);
}

static void write_file(const char *name, const void *p, size_t len)
{
	char path[PATH_LEN];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The whole file @name in the directory, NUL-terminated; free() it. */
static char *slurp(const char *name, size_t *len)
{
	char path[PATH_LEN];
	size_t n;
	char *text;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = test_file_read(path, &n);
	if (!text)
		fail_msg("iasl wrote no %s", path);
	if (len)
		*len = n;
	return text;
}

/* Runs `iasl ARGS` in the directory with its output in @log; returns its exit status. */
static int iasl(const char *args, const char *log)
{
	char cmd[CMD_LEN];
	int status;

	snprintf(cmd, sizeof(cmd), "cd '%s' && iasl %s >%s 2>&1", dir, args, log);
	status = system(cmd);
	assert_true(status != -1 && WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* The first complaint in @text, or NULL. */
static const char *complaint(const char *text)
{
	for (size_t i = 0; i < sizeof(complaints) / sizeof(complaints[0]); i++) {
		const char *c = strcasestr(text, complaints[i]);

		if (c)
			return c;
	}
	return NULL;
}

/* iasl -d on the table @t; sets *@clean to whether iasl said nothing wrong. The .dsl; free it. */
static char *disassemble(const char *name, const uint8_t *t, bool *clean)
{
	char dat[NAME_LEN], log[NAME_LEN], dsl[NAME_LEN], args[NAME_LEN + 4];
	char *out, *text;
	int status;

	snprintf(dat, sizeof(dat), "%s.dat", name);
	snprintf(log, sizeof(log), "%s.log", name);
	snprintf(dsl, sizeof(dsl), "%s.dsl", name);
	snprintf(args, sizeof(args), "-d %s", dat);
	write_file(dat, t, get(t + SDT_OFF_LEN, 4));
	status = iasl(args, log);
	out = slurp(log, NULL);
	text = slurp(dsl, NULL);
	*clean = status == 0 && !complaint(out) && !complaint(text);
	if (!*clean)
		print_message("iasl -d %s: status %d, says: %.80s\n", dat, status,
			      complaint(out)  ? complaint(out) :
			      complaint(text) ? complaint(text) :
						"");
	free(out);
	return text;
}

static char *decode(const char *name, const uint8_t *t)
{
	bool clean;
	char *text = disassemble(name, t, &clean);

	if (!clean)
		fail_msg("iasl complained about %s", name);
	return text;
}

/*
 * The value of the first field @name at or after @from in iasl's "Name : Value" lines (hex, as
 * iasl prints them): @name must be all the text before the colon, which iasl pads on the left
 * with spaces or starts after "]". *@from moves past that line.
 */
static uint64_t field(const char **from, const char *name)
{
	size_t n = strlen(name);
	const char *p = *from;

	for (;;) {
		const char *colon = strstr(p, " : ");
		const char *end, *start, *eol;

		if (!colon)
			fail_msg("no field '%s' in iasl's decode", name);
		for (end = colon; end > p && end[-1] == ' '; end--)
			;
		start = end - n;
		eol = strchr(colon, '\n');
		if (!eol)
			eol = colon + strlen(colon);
		if (start >= p + 2 && !strncmp(start, name, n) &&
		    (start[-1] == ']' || start[-1] == '\n' ||
		     (start[-1] == ' ' && start[-2] == ' '))) {
			*from = eol;
			return strtoull(colon + 3, NULL, 16);
		}
		p = eol;
	}
}

/* The value of field @name after the first line holding @anchor. */
static uint64_t field_after(const char *text, const char *anchor, const char *name)
{
	const char *from = strstr(text, anchor);

	if (!from)
		fail_msg("no '%s' in iasl's decode", anchor);
	return field(&from, name);
}

static unsigned int count(const char *text, const char *what)
{
	unsigned int n = 0;

	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

/* The integers in front of each "// @comment" of the DSDT's resource templates, in order. */
static unsigned int resource_values(const char *text, const char *comment, uint64_t *v,
				    unsigned int max)
{
	unsigned int n = 0;
	size_t len = strlen(comment);

	for (const char *p = strstr(text, comment); p; p = strstr(p + 1, comment)) {
		const char *line = p;

		if (p[len] != '\n')
			continue;
		while (line > text && line[-1] != '\n')
			line--;
		assert_true(n < max);
		v[n++] = strtoull(line, NULL, 16);
	}
	return n;
}

/* The integer of "Name (@name, VALUE)" in the DSDT's decode (Zero and One included). */
static uint64_t name_value(const char *text, const char *name)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), "Name (%s, ", name);
	p = strstr(text, key);
	if (!p)
		fail_msg("no %s in the DSDT's decode", key);
	p += strlen(key);
	if (!strncmp(p, "Zero", 4))
		return 0;
	if (!strncmp(p, "One", 3))
		return 1;
	return strtoull(p, NULL, 16);
}

static void check_fadt(const char *t, uint64_t dsdt)
{
	const char *p = t;

	assert_int_equal(field(&p, "Revision"), 6);
	assert_non_null(strstr(t, "Oem ID : \"SKIFF \""));
	assert_int_equal(field(&p, "FACS Address"), 0);
	assert_int_equal(field(&p, "DSDT Address"), 0);
	assert_int_equal(field(&p, "PM1A Event Block Address"), 0);
	assert_int_equal(field(&p, "PM Timer Block Address"), 0);
	assert_int_equal(field(&p, "GPE0 Block Address"), 0);
	assert_int_equal(field(&p, "8042 Present on ports 60/64 (V2)"), 0);
	assert_int_equal(field(&p, "VGA Not Present (V4)"), 1);
	assert_int_equal(field(&p, "MSI Not Supported (V4)"), 0);
	assert_int_equal(field(&p, "PCIe ASPM Not Supported (V4)"), 1);
	assert_int_equal(field(&p, "CMOS RTC Not Present (V5)"), 1);
	assert_int_equal(field(&p, "Reset Register Supported (V2)"), 1);
	assert_int_equal(field(&p, "Use Platform Timer (V4)"), 0);
	assert_int_equal(field(&p, "Hardware Reduced (V5)"), 1);
	assert_int_equal(field_after(t, "Reset Register :", "Space ID"), 1); /* SystemIO */
	assert_int_equal(field_after(t, "Reset Register :", "Bit Width"), 8);
	assert_int_equal(field_after(t, "Reset Register :", "Address"), 0xcf9);
	assert_int_equal(field(&p, "Value to cause reset"), 6);
	assert_int_equal(field(&p, "FADT Minor Revision"), 5);
	assert_int_equal(field(&p, "FACS Address"), 0);
	assert_int_equal(field(&p, "DSDT Address"), dsdt);
	assert_int_equal(field_after(t, "Sleep Control Register :", "Space ID"), 1);
	assert_int_equal(field_after(t, "Sleep Control Register :", "Bit Width"), 8);
	assert_int_equal(field_after(t, "Sleep Control Register :", "Address"), 0x600);
	assert_int_equal(field_after(t, "Sleep Status Register :", "Address"), 0x601);
}

static void check_madt(const char *t, uint32_t vcpus)
{
	uint32_t xapics = vcpus < X2APIC_FROM ? vcpus : X2APIC_FROM;
	const char *p = t;

	assert_int_equal(field(&p, "Local Apic Address"), 0xfee00000);
	assert_int_equal(field(&p, "PC-AT Compatibility"), 0);
	assert_int_equal(count(t, "Subtable Type : 00 [Processor Local APIC]"), xapics);
	assert_int_equal(count(t, "Subtable Type : 09 [Processor Local x2APIC]"), vcpus - xapics);
	assert_int_equal(count(t, "Processor Enabled : 1"), vcpus);
	assert_int_equal(count(t, "Subtable Type"), vcpus);
	for (uint32_t i = 0; i < xapics; i++) {
		assert_int_equal(field(&p, "Processor ID"), i);
		assert_int_equal(field(&p, "Local Apic ID"), i);
	}
	for (uint32_t i = xapics; i < vcpus; i++) {
		assert_int_equal(field(&p, "Processor x2Apic ID"), i);
		assert_int_equal(field(&p, "Processor UID"), i);
	}
}

static void check_mcfg(const char *t, const struct acpi_guest_desc *d)
{
	const char *p = t;

	assert_int_equal(field(&p, "Base Address"), d->ecam_base);
	assert_int_equal(field(&p, "Segment Group Number"), d->segment);
	assert_int_equal(field(&p, "Start Bus Number"), d->bus_start);
	assert_int_equal(field(&p, "End Bus Number"), d->bus_end);
	assert_int_equal(count(t, "Base Address"), 1);
}

/* The DSDT's decode: names, and the resources in ASL order (bus, mmio32, mmio64, UART, ECAM). */
static void check_dsdt(const char *t, const struct acpi_guest_desc *d)
{
	uint64_t buses = d->bus_end - d->bus_start + 1u;
	uint64_t ecam = d->ecam_base + d->bus_start * MIB;
	const uint64_t min[] = { d->bus_start, d->mmio32.base, d->mmio64.base, COM1_PORT, ecam };
	const uint64_t len[] = { buses, d->mmio32.size, d->mmio64.size, COM1_PORTS, buses * MIB };
	const unsigned int n = sizeof(min) / sizeof(min[0]);
	const char *s5;
	uint64_t v[8];

	assert_non_null(strstr(t, "DefinitionBlock (\"\", \"DSDT\", 2, \"SKIFF \", \"SKIFFVM \""));
	s5 = strstr(t, "Name (_S5, Package (0x04)");
	assert_non_null(s5);
	assert_int_equal(strtoull(strchr(s5, '{') + 1, NULL, 16), ACPI_GUEST_S5_SLP_TYP);
	assert_non_null(strstr(t, "Device (PCI0)"));
	assert_non_null(strstr(t, "Name (_HID, EisaId (\"PNP0A08\")"));
	assert_non_null(strstr(t, "Name (_CID, EisaId (\"PNP0A03\")"));
	assert_non_null(strstr(t, "Name (_HID, EisaId (\"PNP0501\")"));
	assert_non_null(strstr(t, "Name (_HID, EisaId (\"PNP0C02\")"));
	assert_int_equal(name_value(t, "_SEG"), d->segment);
	assert_int_equal(name_value(t, "_BBN"), d->bus_start);
	assert_non_null(strstr(t, "WordBusNumber (ResourceProducer, MinFixed, MaxFixed"));
	assert_non_null(strstr(t, "DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, "
				  "NonCacheable, ReadWrite"));
	assert_non_null(strstr(t, "QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, "
				  "NonCacheable, ReadWrite"));
	assert_non_null(strstr(t, "QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed"));
	assert_int_equal(resource_values(t, "// Range Minimum", v, 8), n);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(v[i], min[i]);
	assert_int_equal(resource_values(t, "// Length", v, 8), n);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(v[i], len[i]);
	assert_int_equal(resource_values(t, "// Range Maximum", v, 8), n);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(v[i], i == 3 ? COM1_PORT : min[i] + len[i] - 1);
}

/* iasl compiles an RSDP with our field values (checksums its own): the bytes must be ours. */
static void check_rsdp(const uint8_t *r)
{
	char src[CMD_LEN], *aml, *log;
	size_t len;
	int status;
	bool ok;

	snprintf(src, sizeof(src),
		 "[0008] Signature : \"RSD PTR \"\n"
		 "[0001] Checksum : 00\n"
		 "[0006] Oem ID : \"SKIFF \"\n"
		 "[0001] Revision : 02\n"
		 "[0004] RSDT Address : 00000000\n"
		 "[0004] Length : 00000024\n"
		 "[0008] XSDT Address : %016llX\n"
		 "[0001] Extended Checksum : 00\n"
		 "[0003] Reserved : 000000\n",
		 (unsigned long long)get(r + RSDP_OFF_XSDT, 8));
	write_file("rsdp.asl", src, strlen(src));
	status = iasl("rsdp.asl", "rsdp.log");
	log = slurp("rsdp.log", NULL);
	ok = status == 0 && strstr(log, "Compilation successful. 0 Errors, 0 Warnings, 0 Remarks");
	if (!ok)
		print_message("iasl rsdp.asl: status %d:\n%s\n", status, log);
	free(log);
	assert_true(ok);
	aml = slurp("rsdp.aml", &len);
	assert_int_equal(len, RSDP_LEN);
	assert_memory_equal(aml, r, RSDP_LEN);
	free(aml);
}

/* Builds the tables for @d and checks iasl's view of each. */
static void decode_all(const struct acpi_guest_desc *d)
{
	struct acpi_guest_tables t;
	char why[ACPI_GUEST_WHY_LEN] = "";
	const uint8_t *xsdt, *fadt, *madt, *mcfg;
	uint64_t dsdt;
	char *text;
	const char *p;

	if (acpi_guest_build(d, buf, sizeof(buf), &t, why))
		fail_msg("refused: %s", why);
	gpa0 = d->tables_gpa;
	check_rsdp(at(t.rsdp_gpa));
	xsdt = at(get(at(t.rsdp_gpa) + RSDP_OFF_XSDT, 8));
	fadt = at(get(xsdt + SDT_LEN, 8));
	madt = at(get(xsdt + SDT_LEN + 8, 8));
	mcfg = at(get(xsdt + SDT_LEN + 16, 8));
	dsdt = get(fadt + FADT_OFF_X_DSDT, 8);

	text = decode("xsdt", xsdt);
	p = text;
	assert_int_equal(count(text, "ACPI Table Address"), XSDT_ENTRIES);
	assert_int_equal(field(&p, "ACPI Table Address   0"), get(xsdt + SDT_LEN, 8));
	free(text);
	text = decode("facp", fadt);
	assert_non_null(strstr(text, "[Fixed ACPI Description Table (FADT)]"));
	check_fadt(text, dsdt);
	free(text);
	text = decode("dsdt", at(dsdt));
	check_dsdt(text, d);
	free(text);
	text = decode("apic", madt);
	assert_non_null(strstr(text, "[Multiple APIC Description Table (MADT)]"));
	check_madt(text, d->vcpu_count);
	free(text);
	text = decode("mcfg", mcfg);
	assert_non_null(strstr(text, "[Memory Mapped Configuration table]"));
	check_mcfg(text, d);
	free(text);
}

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

static void test_one_vcpu(void **state)
{
	(void)state;
	decode_all(&base_desc);
}

static void test_two_vcpus_segment_1(void **state)
{
	struct acpi_guest_desc d = base_desc;

	(void)state;
	d.vcpu_count = 2;
	d.segment = 1;
	d.bus_start = 0x20;
	d.bus_end = 0x2f;
	d.ecam_base = 0x30000000000ull;
	d.mmio32 = (struct acpi_guest_window){ 0xe0000000, 0x1000000 };
	d.mmio64 = (struct acpi_guest_window){ 0x100000000ull, 0x80000000ull };
	d.tables_gpa = 0x7ffe0000;
	decode_all(&d);
}

static void test_64_vcpus(void **state)
{
	struct acpi_guest_desc d = base_desc;

	(void)state;
	d.vcpu_count = 64;
	decode_all(&d);
}

static void test_300_vcpus(void **state)
{
	struct acpi_guest_desc d = base_desc;

	(void)state;
	d.vcpu_count = 300;
	decode_all(&d);
}

/* The checks can fail: iasl's word on a FADT with a wrong checksum and on a MADT structure of
 * length 7 is caught. */
static void test_complaints_caught(void **state)
{
	struct acpi_guest_tables t;
	char why[ACPI_GUEST_WHY_LEN];
	uint8_t *xsdt, *fadt, *madt;
	bool clean;

	(void)state;
	assert_int_equal(acpi_guest_build(&base_desc, buf, sizeof(buf), &t, why), 0);
	gpa0 = base_desc.tables_gpa;
	xsdt = buf + (get(buf + RSDP_OFF_XSDT, 8) - gpa0);
	fadt = buf + (get(xsdt + SDT_LEN, 8) - gpa0);
	madt = buf + (get(xsdt + SDT_LEN + 8, 8) - gpa0);
	free(disassemble("good-apic", madt, &clean));
	assert_true(clean);
	fadt[SDT_OFF_CHECKSUM] ^= 1;
	free(disassemble("bad-facp", fadt, &clean));
	assert_false(clean);
	/* The first structure's Length, after the MADT's 44 bytes; the checksum kept right. */
	madt[MADT_OFF_FIRST + 1] = 7;
	madt[SDT_OFF_CHECKSUM] += 8 - 7;
	free(disassemble("bad-apic", madt, &clean));
	assert_false(clean);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_vcpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_vcpus_segment_1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_64_vcpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_300_vcpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complaints_caught, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
