// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the guest platform's I/O ports (vmm/vplat/vplat_ports.c over
 * vplat_io.c, vuart.c, vplat_pm.c and guest_report.c) driven as a hostile guest drives them: a
 * sequence of INs and OUTs of any size at ports near each device (so every edge and straddle
 * comes up) or anywhere, bytes arriving on the UART's line, flushes and new VMs. Checked after
 * every step, beyond ASan and UBSan:
 *  - vplat_io_access(): 0 for sizes 1, 2 and 4; -EINVAL for 3 with nothing changed;
 *  - the outcome against the port map written out apart from the table: UNKNOWN exactly when
 *    no port of the access is a device's, then all ones read and no device named; an OUT reads
 *    0; an IN's value fits its size; REFUSED reads all ones too; the counters move by one;
 *  - END_VM exactly for the documented writes: a byte OUT at 0x600 with SLP_EN and \_S5's
 *    SLP_TYP (power off), a byte OUT at 0xCF9 with RST_CPU (reset);
 *  - the UART (PC16550D): an IIR read has bit 0 clear exactly when vuart_irq_pending() said so
 *    before it, bits 5:4 clear, 7:6 set exactly with FIFOs on, and a Table IV source; an LSR
 *    read has THRE and TEMT set, PE, FE, BI and bit 7 clear, DR exactly with bytes waiting;
 *    IER bits 7:4 and MCR bits 7:5 read 0; the RX FIFO within its depth (1 with FIFOs off);
 *  - every line handed out starts with the VM's prefix, fits the buffer, holds only printable
 *    ASCII and tabs; the callback drops some (a rate limit) and they are counted;
 *  - the report stream moves only with a dword OUT at 0x508, and its three counts add up to the
 *    writes the port took; RST_CNT keeps only bits 3 and 1, SLP_TYP stays 3 bits.
 * Input: steps of 7 bytes: op (bit 0 IN, bits 2:1 size 1/2/4/3, bits 7:3 target), a 16-bit
 * port or offset, a 32-bit value. Targets: the windows of 16 ports around COM1, the report
 * port, the sleep registers and RST_CNT, a raw port, RX bytes (the value's, 1-4 of them), a
 * flush, a new VM (see tests/fuzz/make_vplat_io_seeds.py).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz_input.h"
#include "vmm/vplat/vplat_ports.h"

#define CHECK(c)                 \
	do {                     \
		if (!(c))        \
			abort(); \
	} while (0)

#define MAX_STEPS	512
#define OP_IN		(1u << 0)
#define OP_SIZE_SHIFT	1u
#define OP_SIZE_MASK	3u
#define OP_TARGET_SHIFT 3u
#define WINDOW		16u
#define WINDOW_LOW	4u /* ports below each device's base in its window */
#define RX_MAX		4u
#define ALL_ONES	0xffffffffu
#define VM_NAME		"fuzz"
#define PREFIX		VM_NAME VUART_PREFIX_SEP
#define DROP_EVERY	5u /* the callback's "rate limit" drops one line in this many */

/* The platform's ports (vmm/vplat/vplat_ports.h) and the fields checked, from the specs. */
#define COM1	      0x3f8u
#define COM1_PORTS    8u
#define REPORT	      0x508u
#define REPORT_PORTS  4u
#define SLEEP_CONTROL 0x600u
#define SLEEP_PORTS   2u
#define RST_CNT	      0xcf9u
#define SLP_EN	      0x20u /* ACPI 6.5, 4.8.3.7.1 */
#define SLP_TYP_SHIFT 2u
#define SLP_TYP_MASK  7u
#define S5_SLP_TYP    5u    /* the DSDT's \_S5 */
#define RST_CPU	      0x04u /* RST_CNT bit 2 */
#define RST_CNT_KEPT  0x0au /* FULL_RST, SYS_RST */
#define REG_IER	      1u    /* PC16550D Table II */
#define REG_IIR	      2u
#define REG_MCR	      4u
#define REG_LSR	      5u
#define IIR_NO_INT    0x01u
#define IIR_ID	      0x0fu
#define IIR_RESERVED  0x30u
#define IIR_FIFO      0xc0u
#define IIR_RLSI      0x06u /* Table IV */
#define IIR_RDI	      0x04u
#define IIR_CTI	      0x0cu
#define IIR_THRI      0x02u
#define IIR_MSI	      0x00u
#define LSR_DR	      0x01u
#define LSR_ERRORS    0x9cu /* PE, FE, BI, RX FIFO error */
#define LSR_EMPTY     0x60u /* THRE, TEMT */
#define IER_RESERVED  0xf0u
#define MCR_RESERVED  0xe0u
#define FCR_FIFO_EN   0x01u
#define LCR_DLAB      0x80u
#define ASCII_DEL     0x7f
#define BYTE_BITS     8u

enum target {
	T_COM1,
	T_REPORT,
	T_SLEEP,
	T_RESET,
	T_RAW,
	T_RX,
	T_FLUSH,
	T_NEW_VM,
	NR_TARGETS,
};

static const unsigned int sizes[] = { 1, 2, 4, 3 };

/* The map as vplat_ports.h documents it, written out apart from the table. */
static const struct {
	uint32_t base, len;
} map[] = {
	{ COM1, COM1_PORTS },
	{ REPORT, REPORT_PORTS },
	{ SLEEP_CONTROL, SLEEP_PORTS },
	{ RST_CNT, 1 },
};

static const uint16_t window_base[] = { COM1, REPORT, SLEEP_CONTROL, RST_CNT };

static struct vplat_ports p;
static unsigned int lines_seen;

static bool out(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	CHECK(len < VUART_OUT_LEN && strlen(line) == len);
	CHECK(len >= strlen(PREFIX) && !memcmp(line, PREFIX, strlen(PREFIX)));
	for (size_t i = strlen(PREFIX); i < len; i++)
		CHECK(line[i] == '\t' || (line[i] >= ' ' && line[i] < ASCII_DEL));
	return ++lines_seen % DROP_EVERY != 0;
}

static bool any_device_port(uint32_t port, unsigned int size)
{
	for (uint32_t q = port; q < port + size; q++)
		for (unsigned int i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (q >= map[i].base && q < map[i].base + map[i].len)
				return true;
	return false;
}

static enum vplat_end expected_end(uint16_t port, unsigned int size, bool in, uint32_t value)
{
	if (in || size != 1)
		return VPLAT_END_NONE;
	if (port == SLEEP_CONTROL && (value & SLP_EN) &&
	    ((value >> SLP_TYP_SHIFT) & SLP_TYP_MASK) == S5_SLP_TYP)
		return VPLAT_END_POWER_OFF;
	if (port == RST_CNT && (value & RST_CPU))
		return VPLAT_END_RESET;
	return VPLAT_END_NONE;
}

static uint32_t mask_of(unsigned int size)
{
	return size == sizeof(uint32_t) ? ALL_ONES : (1u << (BYTE_BITS * size)) - 1;
}

static uint64_t total(const struct vplat_io *io, bool refused)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < io->count; i++)
		n += refused ? io->slot[i].refused : io->slot[i].reads + io->slot[i].writes;
	return n;
}

static void check_uart_read(unsigned int reg, uint8_t v, bool pending, bool fifo,
			    unsigned int rx_before, bool dlab)
{
	switch (reg) {
	case REG_IIR: {
		uint8_t id = v & IIR_ID;

		CHECK(!(v & IIR_NO_INT) == pending);
		CHECK(!(v & IIR_RESERVED));
		CHECK((v & IIR_FIFO) == (fifo ? IIR_FIFO : 0));
		CHECK(id == IIR_NO_INT || id == IIR_RLSI || id == IIR_RDI || id == IIR_CTI ||
		      id == IIR_THRI || id == IIR_MSI);
		CHECK(id != IIR_CTI || fifo);
		break;
	}
	case REG_LSR:
		CHECK((v & LSR_EMPTY) == LSR_EMPTY);
		CHECK(!(v & LSR_ERRORS));
		CHECK(!!(v & LSR_DR) == (rx_before > 0));
		break;
	case REG_IER: /* unless DLAB makes it DLM */
		if (!dlab)
			CHECK(!(v & IER_RESERVED));
		break;
	case REG_MCR:
		CHECK(!(v & MCR_RESERVED));
		break;
	default:
		break;
	}
}

static void check_state(void)
{
	const struct vuart *u = &p.uart;

	CHECK(u->rx_count <= ((u->fcr & FCR_FIFO_EN) ? VUART_FIFO_LEN : 1));
	CHECK(u->rx_head < VUART_FIFO_LEN);
	CHECK(u->out_len >= u->prefix_len && u->out_len - u->prefix_len < VUART_LINE_MAX);
	CHECK(!(u->ier & IER_RESERVED) && !(u->mcr & MCR_RESERVED));
	CHECK(!(p.reset.rst_cnt & ~RST_CNT_KEPT));
	CHECK(p.sleep.slp_typ <= SLP_TYP_MASK);
	CHECK(p.report.words + p.report.stray + p.report.out_of_order == p.io.slot[1].writes);
}

static void new_vm(void)
{
	lines_seen = 0;
	CHECK(vplat_ports_init(&p, VM_NAME, out, NULL) == 0);
	CHECK(!strcmp(p.io.slot[1].dev.name, "guest-report"));
}

static void guest_io(uint16_t port, unsigned int size, bool in, uint32_t value)
{
	static struct vplat_ports before;
	struct vplat_io_result r;
	bool pending = vuart_irq_pending(&p.uart), fifo = p.uart.fcr & FCR_FIFO_EN;
	bool dlab = p.uart.lcr & LCR_DLAB;
	unsigned int rx_before = p.uart.rx_count;
	uint64_t unknown = p.io.unknown, taken = total(&p.io, false), refused = total(&p.io, true);
	struct guest_report_stream stream;
	int err;

	memcpy(&before, &p, sizeof(p));
	memcpy(&stream, &p.report.stream, sizeof(stream));
	err = vplat_io_access(&p.io, port, size, in, value, &r);
	if (size == 3) {
		CHECK(err == -EINVAL && !memcmp(&before, &p, sizeof(p)));
		return;
	}
	CHECK(err == 0);
	CHECK((r.status == VPLAT_IO_UNKNOWN) == !any_device_port(port, size));
	CHECK((r.dev == NULL) == (r.status == VPLAT_IO_UNKNOWN));
	CHECK(r.end == expected_end(port, size, in, value));
	CHECK((r.status == VPLAT_IO_END_VM) == (r.end != VPLAT_END_NONE));
	CHECK(in ? !(r.value & ~mask_of(size)) : r.value == 0);
	switch (r.status) {
	case VPLAT_IO_UNKNOWN:
		CHECK(p.io.unknown == unknown + 1);
		CHECK(!in || r.value == mask_of(size));
		break;
	case VPLAT_IO_REFUSED:
		CHECK(total(&p.io, true) == refused + 1);
		CHECK(!in || r.value == mask_of(size));
		break;
	case VPLAT_IO_HANDLED:
	case VPLAT_IO_END_VM:
		CHECK(total(&p.io, false) == taken + 1);
		break;
	default:
		abort();
	}
	if (r.status == VPLAT_IO_HANDLED && in && size == 1 && port >= COM1 &&
	    port < COM1 + COM1_PORTS)
		check_uart_read(port - COM1, (uint8_t)r.value, pending, fifo, rx_before, dlab);
	if (in || size != sizeof(uint32_t) || port != REPORT)
		CHECK(!memcmp(&stream, &p.report.stream, sizeof(stream)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct fuzz_input in = { data, n };

	new_vm();
	for (unsigned int step = 0; step < MAX_STEPS && in.n; step++) {
		uint8_t op = (uint8_t)fuzz_take(&in, 1);
		uint16_t where = (uint16_t)fuzz_take(&in, 2);
		uint32_t value = (uint32_t)fuzz_take(&in, 4);
		unsigned int size = sizes[(op >> OP_SIZE_SHIFT) & OP_SIZE_MASK];
		enum target t = (enum target)((op >> OP_TARGET_SHIFT) % NR_TARGETS);
		uint8_t rx[RX_MAX];

		switch (t) {
		case T_COM1:
		case T_REPORT:
		case T_SLEEP:
		case T_RESET:
			guest_io((uint16_t)(window_base[t] - WINDOW_LOW + where % WINDOW), size,
				 op & OP_IN, value);
			break;
		case T_RAW:
			guest_io(where, size, op & OP_IN, value);
			break;
		case T_RX:
			memcpy(rx, &value, sizeof(rx));
			CHECK(vuart_rx_push(&p.uart, rx, 1 + where % RX_MAX) <= RX_MAX);
			break;
		case T_FLUSH:
			vuart_flush(&p.uart);
			CHECK(p.uart.out_len == p.uart.prefix_len);
			break;
		default:
			new_vm();
			break;
		}
		check_state();
		CHECK(p.uart.stats.lines + p.uart.stats.lines_dropped == lines_seen);
	}
	return 0;
}
