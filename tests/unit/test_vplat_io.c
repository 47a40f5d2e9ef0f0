// SPDX-License-Identifier: MIT
/*
 * The guest platform's I/O ports: the dispatch table (vmm/vplat/vplat_io.c: overlaps refused,
 * ports shared only by disjoint widths, sizes, alignment and direction per device, unknown
 * ports read all ones, counts), the power registers (vmm/vplat/vplat_pm.c) driven as Linux
 * drives them (ACPICA's acpi_hw_extended_sleep() for S5: WAK_STS to the status register, then
 * SLP_TYP | SLP_EN to the control register; acpi_reset() and reboot=pci at 0xCF9), and the
 * platform's map (vmm/vplat/vplat_ports.c): the UART at COM1 and the report port's words
 * followed into guest_report's stream.
 * Sources: vmm/vplat/vplat_io.c vmm/vplat/vplat_pm.c vmm/vplat/vplat_ports.c vmm/vplat/vuart.c vmm/vplat/guest_report.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/vplat/vplat_ports.h"

#define OUTB 1u
#define OUTW 2u
#define OUTL 4u
#define IN   true
#define OUT  false

/* Linux's ACPI values for S5 here: \_S5's SLP_TYPa 5 in bits 4:2, SLP_EN bit 5. */
#define S5_CONTROL 0x34u
#define WAK_STS	   0x80u

/* --- the console the UART writes to --- */
static char last_line[VUART_OUT_LEN];
static unsigned int nr_lines;

static bool out(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	memcpy(last_line, line, len + 1);
	nr_lines++;
	return true;
}

static struct vplat_io_result io(struct vplat_ports *p, uint16_t port, unsigned int size, bool in,
				 uint32_t value)
{
	struct vplat_io_result r;

	assert_int_equal(vplat_io_access(&p->io, port, size, in, value, &r), 0);
	return r;
}

static uint32_t inp(struct vplat_ports *p, uint16_t port, unsigned int size)
{
	struct vplat_io_result r = io(p, port, size, IN, 0);

	assert_int_equal(r.status, VPLAT_IO_HANDLED);
	return r.value;
}

static void outp(struct vplat_ports *p, uint16_t port, unsigned int size, uint32_t value)
{
	struct vplat_io_result r = io(p, port, size, OUT, value);

	assert_int_equal(r.status, VPLAT_IO_HANDLED);
	assert_int_equal(r.end, VPLAT_END_NONE);
}

static void ports(struct vplat_ports *p)
{
	nr_lines = 0;
	assert_int_equal(vplat_ports_init(p, "linux0", out, NULL), 0);
}

static const struct vplat_io_slot *slot(const struct vplat_ports *p, const char *name)
{
	for (unsigned int i = 0; i < p->io.count; i++)
		if (!strcmp(p->io.slot[i].dev.name, name))
			return &p->io.slot[i];
	fail_msg("no device %s", name);
	return NULL;
}

/* --- a fake device for the table's own rules --- */
static unsigned int fake_reads, fake_writes;
static uint32_t fake_last;

static uint32_t fake_read(void *ctx, unsigned int offset, unsigned int size)
{
	(void)ctx;
	(void)size;
	fake_reads++;
	return 0x12345678u + offset;
}

static enum vplat_end fake_write(void *ctx, unsigned int offset, unsigned int size, uint32_t value)
{
	(void)ctx;
	(void)offset;
	(void)size;
	fake_writes++;
	fake_last = value;
	return VPLAT_END_NONE;
}

static const struct vplat_io_ops fake_ops = { .read = fake_read, .write = fake_write };
static const struct vplat_io_ops write_only_ops = { .write = fake_write };

static struct vplat_io_dev fake(uint16_t base, uint32_t len, uint8_t sizes)
{
	return (struct vplat_io_dev){ "fake", base, len, sizes, sizes, &fake_ops, NULL };
}

static void test_table_rules(void **state)
{
	struct vplat_io t, before;
	struct vplat_io_dev d;

	(void)state;
	vplat_io_init(&t);
	assert_int_equal(
		vplat_io_add(&t, &(struct vplat_io_dev){ "uart", 0x3f8, 8, 1, 1, &fake_ops, NULL }),
		0);
	before = t;
	/* a range sharing a port and a width: refused, whichever side overlaps */
	d = fake(0x3ff, 2, VPLAT_IO_8BIT | VPLAT_IO_16BIT);
	assert_int_equal(vplat_io_add(&t, &d), -EEXIST);
	d = fake(0x3f0, 9, VPLAT_IO_8BIT);
	assert_int_equal(vplat_io_add(&t, &d), -EEXIST);
	d = fake(0x3fa, 1, VPLAT_IO_8BIT);
	assert_int_equal(vplat_io_add(&t, &d), -EEXIST);
	/* malformed */
	d = fake(0x100, 0, VPLAT_IO_8BIT);
	assert_int_equal(vplat_io_add(&t, &d), -EINVAL);
	d = fake(0xfffe, 3, VPLAT_IO_8BIT); /* past 0xFFFF */
	assert_int_equal(vplat_io_add(&t, &d), -EINVAL);
	d = fake(0x100, 4, 0);
	assert_int_equal(vplat_io_add(&t, &d), -EINVAL);
	d = fake(0x100, 4, 8); /* no such width */
	assert_int_equal(vplat_io_add(&t, &d), -EINVAL);
	d = (struct vplat_io_dev){ "w", 0x100, 4, VPLAT_IO_8BIT, 0, &write_only_ops, NULL };
	assert_int_equal(vplat_io_add(&t, &d), -EINVAL); /* reads without a read op */
	d = (struct vplat_io_dev){ "n", 0x100, 4, VPLAT_IO_8BIT, 0, NULL, NULL };
	assert_int_equal(vplat_io_add(&t, &d), -EINVAL);
	assert_memory_equal(&t, &before, sizeof(t)); /* unchanged by every refusal */
	/* just beside it, and at the very top of the space */
	d = fake(0x3f7, 1, VPLAT_IO_8BIT);
	assert_int_equal(vplat_io_add(&t, &d), 0);
	d = fake(0x400, 1, VPLAT_IO_8BIT);
	assert_int_equal(vplat_io_add(&t, &d), 0);
	d = fake(0xffff, 1, VPLAT_IO_8BIT);
	assert_int_equal(vplat_io_add(&t, &d), 0);
	/* full */
	for (unsigned int i = t.count; i < VPLAT_IO_MAX_DEVS; i++) {
		d = fake((uint16_t)(0x1000 + i), 1, VPLAT_IO_8BIT);
		assert_int_equal(vplat_io_add(&t, &d), 0);
	}
	d = fake(0x2000, 1, VPLAT_IO_8BIT);
	assert_int_equal(vplat_io_add(&t, &d), -ENOSPC);
}

/* A PC's 0xCF8-0xCFB: CONFIG_ADDRESS as a dword, RST_CNT as a byte at 0xCF9, side by side. */
static void test_shared_ports_by_width(void **state)
{
	struct vplat_ports p;
	struct vplat_io_dev cfg = fake(0xcf8, 4, VPLAT_IO_32BIT);
	struct vplat_io_result r;

	(void)state;
	ports(&p);
	assert_int_equal(vplat_io_add(&p.io, &cfg), 0);
	cfg = fake(0xcfa, 2, VPLAT_IO_8BIT);
	assert_int_equal(vplat_io_add(&p.io, &cfg), 0); /* beside RST_CNT, no port shared */
	cfg = fake(0xcf9, 1, VPLAT_IO_8BIT | VPLAT_IO_16BIT);
	assert_int_equal(vplat_io_add(&p.io, &cfg), -EEXIST);
	fake_reads = fake_writes = 0;
	outp(&p, 0xcf8, OUTL, 0x80000000u);
	assert_int_equal(fake_writes, 1);
	assert_int_equal(fake_last, 0x80000000u);
	assert_int_equal(inp(&p, 0xcf9, OUTB), 0); /* RST_CNT, not the dword device */
	assert_int_equal(fake_reads, 0);
	r = io(&p, 0xcf9, OUTB, OUT, 0x06);
	assert_int_equal(r.status, VPLAT_IO_END_VM);
	assert_string_equal(r.dev, "rst-cnt");
	/* a word at 0xCF8: nobody takes it; the dword device has the lowest port */
	r = io(&p, 0xcf8, OUTW, IN, 0);
	assert_int_equal(r.status, VPLAT_IO_REFUSED);
	assert_string_equal(r.dev, "fake");
	assert_int_equal(r.value, 0xffff);
}

static void test_sizes_masked(void **state)
{
	struct vplat_io t;
	struct vplat_io_dev d = fake(0x100, 4, VPLAT_IO_8BIT | VPLAT_IO_16BIT | VPLAT_IO_32BIT);
	struct vplat_io_result r;

	(void)state;
	vplat_io_init(&t);
	assert_int_equal(vplat_io_add(&t, &d), 0);
	assert_int_equal(vplat_io_access(&t, 0x101, OUTB, IN, 0, &r), 0);
	assert_int_equal(r.value, 0x79); /* the low byte of 0x12345679 */
	assert_int_equal(vplat_io_access(&t, 0x102, OUTW, IN, 0, &r), 0);
	assert_int_equal(r.value, 0x567a);
	assert_int_equal(vplat_io_access(&t, 0x100, OUTL, IN, 0, &r), 0);
	assert_int_equal(r.value, 0x12345678u);
	assert_int_equal(vplat_io_access(&t, 0x102, OUTW, OUT, 0xabcdef01u, &r), 0);
	assert_int_equal(fake_last, 0xef01);
	/* not naturally aligned, or past the range: refused */
	assert_int_equal(vplat_io_access(&t, 0x101, OUTW, IN, 0, &r), 0);
	assert_int_equal(r.status, VPLAT_IO_REFUSED);
	assert_int_equal(vplat_io_access(&t, 0x102, OUTL, IN, 0, &r), 0);
	assert_int_equal(r.status, VPLAT_IO_REFUSED);
	assert_int_equal(r.value, 0xffffffffu);
	assert_int_equal(t.slot[0].refused, 2);
	assert_int_equal(t.slot[0].reads, 3);
	assert_int_equal(t.slot[0].writes, 1);
	/* only 1, 2 and 4 bytes exist */
	r.status = VPLAT_IO_HANDLED;
	assert_int_equal(vplat_io_access(&t, 0x100, 3, IN, 0, &r), -EINVAL);
	assert_int_equal(vplat_io_access(&t, 0x100, 8, OUT, 0, &r), -EINVAL);
	assert_int_equal(t.slot[0].refused, 2);
}

static void test_map(void **state)
{
	struct vplat_ports p;

	(void)state;
	ports(&p);
	assert_int_equal(p.io.count, VPLAT_PORTS_DEVS);
	assert_int_equal(slot(&p, "com1")->dev.base, 0x3f8);
	assert_int_equal(slot(&p, "com1")->dev.len, 8);
	assert_int_equal(slot(&p, "guest-report")->dev.base, 0x508);
	assert_int_equal(slot(&p, "guest-report")->dev.len, 4);
	assert_int_equal(slot(&p, "acpi-sleep")->dev.base, 0x600);
	assert_int_equal(slot(&p, "acpi-sleep")->dev.len, 2);
	assert_int_equal(slot(&p, "rst-cnt")->dev.base, 0xcf9);
	assert_int_equal(slot(&p, "rst-cnt")->dev.len, 1);
}

static void test_unknown_ports(void **state)
{
	struct vplat_ports p;
	struct vplat_io_result r;

	(void)state;
	ports(&p);
	/* COM2 (Linux probes the legacy ports too): nothing there reads all ones */
	r = io(&p, 0x2f9, OUTB, IN, 0);
	assert_int_equal(r.status, VPLAT_IO_UNKNOWN);
	assert_int_equal(r.value, 0xff);
	assert_null(r.dev);
	assert_int_equal(io(&p, 0x80, OUTW, IN, 0).value, 0xffff);
	assert_int_equal(io(&p, 0xcfc, OUTL, IN, 0).value, 0xffffffffu);
	r = io(&p, 0x80, OUTB, OUT, 0x42); /* the POST code port */
	assert_int_equal(r.status, VPLAT_IO_UNKNOWN);
	assert_int_equal(r.value, 0);
	/* around the devices: just below, just above, and the top of the space */
	assert_int_equal(io(&p, 0x3f7, OUTB, IN, 0).status, VPLAT_IO_UNKNOWN);
	assert_int_equal(io(&p, 0x400, OUTB, IN, 0).status, VPLAT_IO_UNKNOWN);
	assert_int_equal(io(&p, 0x50c, OUTL, OUT, 0).status, VPLAT_IO_UNKNOWN);
	assert_int_equal(io(&p, 0x602, OUTB, OUT, 0x34).status, VPLAT_IO_UNKNOWN);
	assert_int_equal(io(&p, 0xcf8, OUTB, OUT, 0x06).status, VPLAT_IO_UNKNOWN);
	assert_int_equal(io(&p, 0xcfa, OUTB, OUT, 0x06).status, VPLAT_IO_UNKNOWN);
	assert_int_equal(io(&p, 0xffff, OUTL, IN, 0).value, 0xffffffffu);
	assert_int_equal(p.io.unknown, 11);
}

static void test_uart_at_com1(void **state)
{
	struct vplat_ports p;
	struct vplat_io_result r;

	(void)state;
	ports(&p);
	for (const char *s = "login: ok\r\n"; *s; s++)
		outp(&p, 0x3f8, OUTB, (uint8_t)*s);
	assert_int_equal(nr_lines, 1);
	assert_string_equal(last_line, "linux0| login: ok");
	assert_int_equal(inp(&p, 0x3fd, OUTB), VUART_LSR_THRE | VUART_LSR_TEMT);
	outp(&p, 0x3ff, OUTB, 0x5a);
	assert_int_equal(inp(&p, 0x3ff, OUTB), 0x5a);
	/* wider accesses are refused, not split: no byte reaches THR or IER */
	r = io(&p, 0x3f8, OUTW, OUT, 0x0f41);
	assert_int_equal(r.status, VPLAT_IO_REFUSED);
	assert_string_equal(r.dev, "com1");
	r = io(&p, 0x3fc, OUTL, IN, 0);
	assert_int_equal(r.status, VPLAT_IO_REFUSED);
	assert_int_equal(r.value, 0xffffffffu);
	r = io(&p, 0x3f6, OUTW, IN, 0); /* 0x3f6-0x3f7 nobody's, 0x3f7 too: unknown */
	assert_int_equal(r.status, VPLAT_IO_UNKNOWN);
	r = io(&p, 0x3f7, OUTW, OUT, 0x4100); /* its high byte would be THR */
	assert_int_equal(r.status, VPLAT_IO_REFUSED);
	assert_int_equal(slot(&p, "com1")->refused, 3);
	assert_int_equal(p.uart.stats.tx_bytes, strlen("login: ok\r\n"));
	assert_int_equal(inp(&p, 0x3f9, OUTB), 0);
}

/* ACPICA's acpi_hw_extended_sleep(ACPI_STATE_S5) on this FADT: two byte writes. */
static void test_power_off_as_linux_does(void **state)
{
	struct vplat_ports p;
	struct vplat_io_result r;

	(void)state;
	ports(&p);
	outp(&p, ACPI_GUEST_SLEEP_STATUS_PORT, OUTB, WAK_STS);
	r = io(&p, ACPI_GUEST_SLEEP_CONTROL_PORT, OUTB, OUT, S5_CONTROL);
	assert_int_equal(r.status, VPLAT_IO_END_VM);
	assert_int_equal(r.end, VPLAT_END_POWER_OFF);
	assert_string_equal(r.dev, "acpi-sleep");
	assert_string_equal(vplat_end_name(r.end), "power off");
	/* the same value's parts: SLP_TYP alone is kept, SLP_EN is what acts */
	ports(&p);
	outp(&p, ACPI_GUEST_SLEEP_CONTROL_PORT, OUTB, S5_CONTROL & ~ACPI_SLEEP_CONTROL_SLP_EN);
	assert_int_equal(inp(&p, ACPI_GUEST_SLEEP_CONTROL_PORT, OUTB),
			 S5_CONTROL & ~ACPI_SLEEP_CONTROL_SLP_EN);
	/* reserved bits around it change nothing */
	r = io(&p, ACPI_GUEST_SLEEP_CONTROL_PORT, OUTB, OUT, S5_CONTROL | 0xc3);
	assert_int_equal(r.end, VPLAT_END_POWER_OFF);
}

static void test_sleep_registers(void **state)
{
	struct vplat_ports p;
	struct vplat_io_result r;

	(void)state;
	ports(&p);
	assert_int_equal(inp(&p, ACPI_GUEST_SLEEP_CONTROL_PORT, OUTB), 0);
	assert_int_equal(inp(&p, ACPI_GUEST_SLEEP_STATUS_PORT, OUTB), 0);
	/* SLP_EN with every other SLP_TYP: no state of this platform, counted */
	for (unsigned int typ = 0; typ < 8; typ++) {
		uint8_t v = (uint8_t)(typ << ACPI_SLEEP_CONTROL_SLP_TYP_SHIFT |
				      ACPI_SLEEP_CONTROL_SLP_EN);

		if (typ == ACPI_GUEST_S5_SLP_TYP)
			continue;
		outp(&p, ACPI_GUEST_SLEEP_CONTROL_PORT, OUTB, v);
		/* SLP_EN reads 0, SLP_TYP back */
		assert_int_equal(inp(&p, ACPI_GUEST_SLEEP_CONTROL_PORT, OUTB),
				 typ << ACPI_SLEEP_CONTROL_SLP_TYP_SHIFT);
	}
	assert_int_equal(p.sleep.refused, 7);
	/* the status register: WAK_STS never set, writes change nothing */
	outp(&p, ACPI_GUEST_SLEEP_STATUS_PORT, OUTB, 0xff);
	assert_int_equal(inp(&p, ACPI_GUEST_SLEEP_STATUS_PORT, OUTB), 0);
	/* S5 written to the status register is no power off */
	outp(&p, ACPI_GUEST_SLEEP_STATUS_PORT, OUTB, S5_CONTROL);
	/* 8-bit only: a word over both registers is refused, so is a dword */
	r = io(&p, ACPI_GUEST_SLEEP_CONTROL_PORT, OUTW, OUT, S5_CONTROL);
	assert_int_equal(r.status, VPLAT_IO_REFUSED);
	assert_int_equal(r.end, VPLAT_END_NONE);
	r = io(&p, 0x5fe, OUTL, OUT, S5_CONTROL << 16);
	assert_int_equal(r.status, VPLAT_IO_REFUSED);
	assert_string_equal(r.dev, "acpi-sleep");
	assert_int_equal(slot(&p, "acpi-sleep")->refused, 2);
}

static void test_reset(void **state)
{
	static const uint8_t resets[] = { 0x06, 0x0e, 0x04, 0xff, 0x0c };
	struct vplat_ports p;
	struct vplat_io_result r;

	(void)state;
	/* acpi_reset(): the FADT's RESET_VALUE, a byte at RESET_REG */
	ports(&p);
	r = io(&p, ACPI_GUEST_RESET_PORT, OUTB, OUT, ACPI_GUEST_RESET_VALUE);
	assert_int_equal(r.status, VPLAT_IO_END_VM);
	assert_int_equal(r.end, VPLAT_END_RESET);
	assert_int_equal(p.reset.value, 0x06);
	assert_string_equal(vplat_end_name(r.end), "reset");
	/* reboot=pci: read, write SYS_RST alone, then SYS_RST | RST_CPU */
	ports(&p);
	assert_int_equal(inp(&p, 0xcf9, OUTB), 0);
	outp(&p, 0xcf9, OUTB, CF9_SYS_RST);
	assert_int_equal(inp(&p, 0xcf9, OUTB), CF9_SYS_RST);
	assert_int_equal(io(&p, 0xcf9, OUTB, OUT, 0x06).end, VPLAT_END_RESET);
	/* every value with RST_CPU resets; the others are kept (bits 3 and 1 only) */
	for (unsigned int i = 0; i < sizeof(resets); i++) {
		ports(&p);
		assert_int_equal(io(&p, 0xcf9, OUTB, OUT, resets[i]).end, VPLAT_END_RESET);
		assert_int_equal(p.reset.value, resets[i]);
	}
	ports(&p);
	for (unsigned int v = 0; v < 0x100; v++) {
		if (v & CF9_RST_CPU)
			continue;
		outp(&p, 0xcf9, OUTB, v);
		assert_int_equal(inp(&p, 0xcf9, OUTB), v & (CF9_FULL_RST | CF9_SYS_RST));
	}
	/* not as a word: refused, no reset */
	r = io(&p, 0xcf9, OUTW, OUT, 0x0606);
	assert_int_equal(r.status, VPLAT_IO_REFUSED);
	assert_int_equal(r.end, VPLAT_END_NONE);
}

/* One boot's report, as tests/linux/init/ writes it: outl of each word to 0x508. */
static void test_report_port(void **state)
{
	struct vplat_ports p;
	struct vplat_io_result r;
	unsigned int seq = 0;

	(void)state;
	ports(&p);
	outp(&p, GUEST_REPORT_PORT, OUTL,
	     guest_report_encode(seq++, GUEST_REPORT_START, 2, GUEST_REPORT_VERSION));
	assert_int_equal(p.report.stream.state, GUEST_REPORT_RUNNING);
	outp(&p, GUEST_REPORT_PORT, OUTL, 0x41414141u); /* console text, not a report */
	assert_int_equal(p.report.last, -EINVAL);
	outp(&p, GUEST_REPORT_PORT, OUTL,
	     guest_report_encode(seq++, GUEST_REPORT_RESULT, GUEST_CHECK_MODULES,
				 GUEST_STATUS_PASS));
	outp(&p, GUEST_REPORT_PORT, OUTL,
	     guest_report_encode(seq++, GUEST_REPORT_RESULT, GUEST_CHECK_DISK_READ,
				 GUEST_STATUS_PASS));
	/* a byte, a word, a read, an unaligned dword: no report word, refused */
	assert_int_equal(io(&p, GUEST_REPORT_PORT, OUTB, OUT, 0xb7).status, VPLAT_IO_REFUSED);
	assert_int_equal(io(&p, GUEST_REPORT_PORT + 2, OUTW, OUT, 0xb7).status, VPLAT_IO_REFUSED);
	r = io(&p, GUEST_REPORT_PORT, OUTL, IN, 0);
	assert_int_equal(r.status, VPLAT_IO_REFUSED);
	assert_int_equal(r.value, 0xffffffffu);
	assert_int_equal(io(&p, GUEST_REPORT_PORT + 1, OUTL, OUT, 0xb7000000u).status,
			 VPLAT_IO_REFUSED);
	assert_int_equal(slot(&p, "guest-report")->refused, 4);
	outp(&p, GUEST_REPORT_PORT, OUTL,
	     guest_report_encode(seq++, GUEST_REPORT_VERDICT, 2, GUEST_STATUS_PASS));
	assert_int_equal(p.report.stream.state, GUEST_REPORT_DONE);
	assert_int_equal(p.report.stream.verdict, GUEST_STATUS_PASS);
	assert_int_equal(p.report.words, 4);
	assert_int_equal(p.report.stray, 1);
	assert_int_equal(p.report.out_of_order, 0);
	assert_int_equal(p.report.last, 0);
	/* a word after the VERDICT breaks the stream */
	outp(&p, GUEST_REPORT_PORT, OUTL,
	     guest_report_encode(seq, GUEST_REPORT_RESULT, GUEST_CHECK_TFTP, GUEST_STATUS_PASS));
	assert_int_equal(p.report.last, -EPROTO);
	assert_int_equal(p.report.out_of_order, 1);
	assert_int_equal(p.report.stream.state, GUEST_REPORT_BROKEN);
	assert_int_equal(slot(&p, "guest-report")->writes, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_rules),
		cmocka_unit_test(test_shared_ports_by_width),
		cmocka_unit_test(test_sizes_masked),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_unknown_ports),
		cmocka_unit_test(test_uart_at_com1),
		cmocka_unit_test(test_power_off_as_linux_does),
		cmocka_unit_test(test_sleep_registers),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_report_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
