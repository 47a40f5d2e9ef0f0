// SPDX-License-Identifier: MIT
/*
 * kernel/acpi/acpi_tables.c: acpi_tables_find() against kernel/acpi/acpi_tables.h and ACPI 6.5,
 * 5.2.5.3 (RSDP: 20 bytes for revision 0, 36 with the XSDT address from revision 2), 5.2.6 (the
 * 36-byte table header, checksum over Length bytes), 5.2.7 (RSDT, 32-bit entries) and 5.2.8
 * (XSDT, 64-bit entries). The tables are built in host memory whose addresses serve as the
 * "physical" ones. It is mmap'd below 4 GiB (RSDT entries are 32-bit) and followed by a PROT_NONE
 * page: map() accepts only the buffer, and a read that map() did not first allow faults
 * there, which cmocka reports as a failed test. Warnings go through kernel/log.c to the
 * fake console of tests/unit/fake_console.c.
 * Sources: kernel/acpi/acpi_tables.c kernel/log.c tests/unit/fake_console.c tests/unit/acpi_table_builder.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "kernel/acpi/acpi_tables.h"
#include "tests/unit/acpi_table_builder.h"
#include "tests/unit/fake_console.h"

#define BUF_SIZE       (4 * 4096ul)
#define GUARD_SIZE     4096ul
#define HDR_LEN	       36
#define RSDP_V1_LEN    20
#define RSDP_V2_LEN    36
#define TEST_OEM_ID    "SKIFF1"
#define MANY_TABLES    (ACPI_MAX_TABLES + 6)
#define ADDR_TEXT_SIZE 24

/* The readable buffer: take() hands out [buf_used, buf_end), take_last() the end. */
static uint8_t *buf;
static size_t buf_used, buf_end;

/* Identity "mapping" of the buffer only: any other range is unreadable. */
static const uint8_t *map(uint64_t pa, uint64_t len)
{
	uint64_t start = (uintptr_t)buf;

	if (pa >= start && len <= BUF_SIZE && pa - start <= BUF_SIZE - len)
		return (const uint8_t *)(uintptr_t)pa;
	return NULL;
}

static int setup(void **state)
{
	void *p = mmap(NULL, BUF_SIZE + GUARD_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	(void)state;
	if (p == MAP_FAILED || mprotect((uint8_t *)p + BUF_SIZE, GUARD_SIZE, PROT_NONE))
		return -1;
	buf = p;
	buf_used = 0;
	buf_end = BUF_SIZE;
	fake_console_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return munmap(buf, BUF_SIZE + GUARD_SIZE);
}

static uint64_t addr(const void *p)
{
	return (uintptr_t)p;
}

/* The address of the guard page: outside mapped memory, and fatal to read. */
static uint64_t unmapped_addr(void)
{
	return addr(buf + BUF_SIZE);
}

static uint8_t *take(size_t len)
{
	uint8_t *p = buf + buf_used;

	assert_true(buf_used <= buf_end && len <= buf_end - buf_used);
	buf_used = (buf_used + len + 15) & ~(size_t)15;
	return p;
}

/* The last @len readable bytes, right before the guard page. */
static uint8_t *take_last(size_t len)
{
	assert_int_equal(buf_end, BUF_SIZE);
	assert_true(buf_used <= buf_end && len <= buf_end - buf_used);
	buf_end -= len;
	return buf + buf_end;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* A table header (5.2.6) with @len in its Length field; the checksum covers @sum_len bytes. */
static void fill_table(uint8_t *t, const char *sig, uint32_t len, size_t sum_len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
	memcpy(t + 10, TEST_OEM_ID, 6);
	memcpy(t + 16, "SKIFFTST", 8);
	put32(t + 24, 1);
	memcpy(t + 28, "TEST", 4);
	put32(t + 32, 1);
	acpi_tb_checksum(t, sum_len, 9);
}

/* A table of @len bytes whose body is some non-zero pattern. */
static uint8_t *make_table(const char *sig, uint32_t len)
{
	uint8_t *t = take(len);

	for (size_t i = HDR_LEN; i < len; i++)
		t[i] = (uint8_t)(i * 7 + 1);
	fill_table(t, sig, len, len);
	return t;
}

static uint8_t *make_xsdt(const uint64_t *entries, unsigned int n)
{
	uint32_t len = HDR_LEN + 8 * n;
	uint8_t *t = take(len);

	for (unsigned int i = 0; i < n; i++)
		put64(t + HDR_LEN + 8 * i, entries[i]);
	fill_table(t, "XSDT", len, len);
	return t;
}

static uint8_t *make_rsdt(const uint64_t *entries, unsigned int n)
{
	uint32_t len = HDR_LEN + 4 * n;
	uint8_t *t = take(len);

	for (unsigned int i = 0; i < n; i++) {
		assert_true(entries[i] <= UINT32_MAX);
		put32(t + HDR_LEN + 4 * i, (uint32_t)entries[i]);
	}
	fill_table(t, "RSDT", len, len);
	return t;
}

/* An RSDP (5.2.5.3) at @r; revision 0 has only its first 20 bytes. */
static void fill_rsdp(uint8_t *r, uint8_t revision, const uint8_t *rsdt, const uint8_t *xsdt)
{
	assert_true(addr(rsdt) <= UINT32_MAX);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, TEST_OEM_ID, 6);
	r[15] = revision;
	put32(r + 16, (uint32_t)addr(rsdt));
	acpi_tb_checksum(r, RSDP_V1_LEN, 8);
	if (revision < 2)
		return;
	put32(r + 20, RSDP_V2_LEN);
	put64(r + 24, addr(xsdt));
	acpi_tb_checksum(r, RSDP_V2_LEN, 32);
}

static uint8_t *make_rsdp(uint8_t revision, const uint8_t *rsdt, const uint8_t *xsdt)
{
	uint8_t *r = take(RSDP_V2_LEN);

	fill_rsdp(r, revision, rsdt, xsdt);
	return r;
}

static void assert_table(const struct acpi_tables *t, unsigned int i, const char *sig,
			 const uint8_t *table, uint32_t len, bool checksum_ok)
{
	assert_true(i < t->count);
	assert_string_equal(t->tables[i].signature, sig);
	assert_int_equal(t->tables[i].address, addr(table));
	assert_int_equal(t->tables[i].length, len);
	assert_int_equal(t->tables[i].checksum_ok, checksum_ok);
}

/* Some line of the console holds "@level: acpi: ", @what (unless NULL) and the address @pa. */
static void assert_logged(const char *level, const char *what, uint64_t pa)
{
	char prefix[32], address[ADDR_TEXT_SIZE];
	const char *line = fake_console_text();

	snprintf(prefix, sizeof(prefix), "%s: acpi: ", level);
	snprintf(address, sizeof(address), "%#llx", (unsigned long long)pa);
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		char *copy = strndup(line, n);
		bool found;

		assert_non_null(copy);
		found = strstr(copy, prefix) && (!what || strstr(copy, what)) &&
			strstr(copy, address);
		free(copy);
		if (found)
			return;
		line += n + (end ? 1 : 0);
	}
	fail_msg("no \"%s\" line with \"%s\" and %s in:\n%s", level, what ? what : "", address,
		 fake_console_text());
}

static void test_xsdt(void **state)
{
	uint8_t *facp = make_table("FACP", 276), *apic = make_table("APIC", 108);
	uint8_t *hpet = make_table("HPET", 56), *ssdt = make_table("SSDT", 40);
	const uint64_t xe[] = { addr(facp), addr(apic), addr(hpet) }, re[] = { addr(ssdt) };
	uint8_t *xsdt = make_xsdt(xe, 3), *rsdt = make_rsdt(re, 1);
	uint8_t *rsdp = make_rsdp(2, rsdt, xsdt);
	struct acpi_tables t;

	(void)state;
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), 0);
	assert_int_equal(t.rsdp, addr(rsdp));
	assert_int_equal(t.revision, 2);
	assert_string_equal(t.oem_id, TEST_OEM_ID);
	assert_int_equal(t.root, addr(xsdt));
	assert_true(t.root_is_xsdt);
	assert_int_equal(t.count, 3);
	assert_table(&t, 0, "FACP", facp, 276, true);
	assert_table(&t, 1, "APIC", apic, 108, true);
	assert_table(&t, 2, "HPET", hpet, 56, true);
	assert_string_equal(fake_console_text(), "");
}

/* Revision 0: the RSDT, and nothing of the RSDP read past its 20 bytes (it ends at the guard). */
static void test_rsdt_revision_0(void **state)
{
	uint8_t *facp = make_table("FACP", 116), *apic = make_table("APIC", 72);
	const uint64_t re[] = { addr(facp), addr(apic) };
	uint8_t *rsdt = make_rsdt(re, 2), *rsdp = take_last(RSDP_V1_LEN);
	struct acpi_tables t;

	(void)state;
	fill_rsdp(rsdp, 0, rsdt, NULL);
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), 0);
	assert_int_equal(t.revision, 0);
	assert_string_equal(t.oem_id, TEST_OEM_ID);
	assert_int_equal(t.root, addr(rsdt));
	assert_false(t.root_is_xsdt);
	assert_int_equal(t.count, 2);
	assert_table(&t, 0, "FACP", facp, 116, true);
	assert_table(&t, 1, "APIC", apic, 72, true);
	assert_string_equal(fake_console_text(), "");
}

/* Revision 2 without an XSDT address: the RSDT. */
static void test_rsdt_when_no_xsdt(void **state)
{
	uint8_t *facp = make_table("FACP", 116);
	const uint64_t re[] = { addr(facp) };
	uint8_t *rsdt = make_rsdt(re, 1), *rsdp = make_rsdp(2, rsdt, NULL);
	struct acpi_tables t;

	(void)state;
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), 0);
	assert_int_equal(t.root, addr(rsdt));
	assert_false(t.root_is_xsdt);
	assert_int_equal(t.count, 1);
	assert_table(&t, 0, "FACP", facp, 116, true);
}

static void test_no_rsdp(void **state)
{
	struct acpi_tables t;

	(void)state;
	assert_int_equal(acpi_tables_find(0, map, &t), -ENOENT);
	assert_int_equal(acpi_tables_find(unmapped_addr(), map, &t), -EINVAL);
	assert_logged("error", "RSDP", unmapped_addr());
}

static void test_bad_rsdp_signature(void **state)
{
	const uint64_t xe[] = { addr(make_table("FACP", 116)) };
	uint8_t *xsdt = make_xsdt(xe, 1), *rsdp = make_rsdp(2, NULL, xsdt);
	struct acpi_tables t;

	(void)state;
	rsdp[7] = '!';
	acpi_tb_checksum(rsdp, RSDP_V1_LEN, 8);
	acpi_tb_checksum(rsdp, RSDP_V2_LEN, 32);
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), -EINVAL);
	assert_logged("error", "RSDP", addr(rsdp));
}

/* A bad RSDP checksum is a warning, not a rejection. */
static void test_bad_rsdp_checksum(void **state)
{
	uint8_t *facp = make_table("FACP", 116);
	const uint64_t xe[] = { addr(facp) };
	uint8_t *xsdt = make_xsdt(xe, 1), *rsdp = make_rsdp(2, NULL, xsdt);
	struct acpi_tables t;

	(void)state;
	rsdp[8]++;
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), 0);
	assert_int_equal(t.count, 1);
	assert_table(&t, 0, "FACP", facp, 116, true);
	assert_logged("warning", "RSDP", addr(rsdp));
}

static void test_bad_table_checksum(void **state)
{
	uint8_t *facp = make_table("FACP", 116), *apic = make_table("APIC", 72);
	uint8_t *hpet = make_table("HPET", 56);
	const uint64_t xe[] = { addr(facp), addr(apic), addr(hpet) };
	uint8_t *rsdp = make_rsdp(2, NULL, make_xsdt(xe, 3));
	struct acpi_tables t;

	(void)state;
	apic[60] ^= 0x10;
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), 0);
	assert_int_equal(t.count, 3);
	assert_table(&t, 0, "FACP", facp, 116, true);
	assert_table(&t, 1, "APIC", apic, 72, false);
	assert_table(&t, 2, "HPET", hpet, 56, true);
	assert_logged("warning", "APIC", addr(apic));
}

static void test_entries_outside_mapped_memory(void **state)
{
	uint8_t *facp = make_table("FACP", 116), *apic = make_table("APIC", 72);
	/* A header that would run over the end of the buffer. */
	uint64_t straddling = addr(buf + BUF_SIZE - HDR_LEN / 2);
	const uint64_t xe[] = { addr(facp), unmapped_addr(), 0, straddling, addr(apic) };
	uint8_t *xsdt = make_xsdt(xe, 5), *rsdp = make_rsdp(2, NULL, xsdt);
	struct acpi_tables t;

	(void)state;
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), 0);
	assert_int_equal(t.count, 2);
	assert_table(&t, 0, "FACP", facp, 116, true);
	assert_table(&t, 1, "APIC", apic, 72, true);
	assert_logged("warning", "XSDT", unmapped_addr());
	assert_logged("warning", "XSDT", straddling);
}

static void test_short_or_overlong_tables(void **state)
{
	uint8_t *facp = make_table("FACP", 116), *tiny = take(HDR_LEN);
	uint8_t *last = take_last(HDR_LEN), *apic = make_table("APIC", 72);
	const uint64_t xe[] = { addr(tiny), addr(facp), addr(last), addr(apic) };
	uint8_t *rsdp = make_rsdp(2, NULL, make_xsdt(xe, 4));
	struct acpi_tables t;

	(void)state;
	/* Length 20: shorter than its own header. */
	fill_table(tiny, "SSDT", 20, HDR_LEN);
	/* A whole header in the buffer, but Length reaching past its end. */
	fill_table(last, "DSDT", HDR_LEN + 4, HDR_LEN);
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), 0);
	assert_int_equal(t.count, 2);
	assert_table(&t, 0, "FACP", facp, 116, true);
	assert_table(&t, 1, "APIC", apic, 72, true);
	assert_logged("warning", "XSDT", addr(tiny));
	assert_logged("warning", "XSDT", addr(last));
}

static void test_bad_root(void **state)
{
	const uint64_t xe[] = { addr(make_table("FACP", 116)) };
	uint8_t *xsdt = make_xsdt(xe, 1), *facp = make_table("FACP", 116);
	uint8_t *rsdp = make_rsdp(2, NULL, xsdt), *rsdp_facp = make_rsdp(2, NULL, facp);
	struct acpi_tables t;

	(void)state;
	/* Length larger than the readable buffer. */
	put32(xsdt + 4, 2 * BUF_SIZE);
	acpi_tb_checksum(xsdt, HDR_LEN + 8, 9);
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), -EINVAL);
	assert_logged("error", "XSDT", addr(xsdt));
	/* Length shorter than the header. */
	put32(xsdt + 4, HDR_LEN - 1);
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), -EINVAL);
	/* Not an XSDT at all. */
	assert_int_equal(acpi_tables_find(addr(rsdp_facp), map, &t), -EINVAL);
	assert_logged("error", NULL, addr(facp));
}

static void test_bad_rsdp_length(void **state)
{
	const uint64_t xe[] = { addr(make_table("FACP", 116)) };
	uint8_t *xsdt = make_xsdt(xe, 1), *rsdp = make_rsdp(2, NULL, xsdt);
	struct acpi_tables t;

	(void)state;
	put32(rsdp + 20, RSDP_V1_LEN);
	acpi_tb_checksum(rsdp, RSDP_V2_LEN, 32);
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), -EINVAL);
	put32(rsdp + 20, 2 * BUF_SIZE);
	acpi_tb_checksum(rsdp, RSDP_V2_LEN, 32);
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), -EINVAL);
	assert_logged("error", "RSDP", addr(rsdp));
}

static void test_too_many_tables(void **state)
{
	uint64_t xe[MANY_TABLES];
	uint8_t *rsdp;
	struct acpi_tables t;
	char sig[8];

	(void)state;
	for (unsigned int i = 0; i < MANY_TABLES; i++) {
		snprintf(sig, sizeof(sig), "T%03u", i);
		xe[i] = addr(make_table(sig, HDR_LEN));
	}
	rsdp = make_rsdp(2, NULL, make_xsdt(xe, MANY_TABLES));
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), 0);
	assert_int_equal(t.count, ACPI_MAX_TABLES);
	for (unsigned int i = 0; i < ACPI_MAX_TABLES; i++) {
		snprintf(sig, sizeof(sig), "T%03u", i);
		assert_string_equal(t.tables[i].signature, sig);
		assert_int_equal(t.tables[i].address, xe[i]);
	}
	assert_non_null(strstr(fake_console_text(), "warning: acpi: more than"));
}

/*
 * A revision 2 RSDP whose first 20 bytes are the last readable ones: its Length field (offset
 * 20) must not be read before map() vouches for it. Expected -EINVAL (there is no RSDT
 * either), not a read of the guard page. (Regression: the length was once read unchecked.)
 */
static void test_rsdp_v2_ends_at_mapped_memory(void **state)
{
	uint8_t *rsdp = take_last(RSDP_V1_LEN);
	struct acpi_tables t;

	(void)state;
	fill_rsdp(rsdp, 0, NULL, NULL);
	rsdp[15] = 2;
	acpi_tb_checksum(rsdp, RSDP_V1_LEN, 8);
	assert_int_equal(acpi_tables_find(addr(rsdp), map, &t), -EINVAL);
}

#define BUF_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest acpi_tables_tests[] = {
		BUF_TEST(test_xsdt),
		BUF_TEST(test_rsdt_revision_0),
		BUF_TEST(test_rsdt_when_no_xsdt),
		BUF_TEST(test_no_rsdp),
		BUF_TEST(test_bad_rsdp_signature),
		BUF_TEST(test_bad_rsdp_checksum),
		BUF_TEST(test_bad_table_checksum),
		BUF_TEST(test_entries_outside_mapped_memory),
		BUF_TEST(test_short_or_overlong_tables),
		BUF_TEST(test_bad_root),
		BUF_TEST(test_bad_rsdp_length),
		BUF_TEST(test_too_many_tables),
		BUF_TEST(test_rsdp_v2_ends_at_mapped_memory),
	};

	/* Line buffered: cmocka's stdout and stderr lines stay in order in a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests(acpi_tables_tests, NULL, NULL);
}
