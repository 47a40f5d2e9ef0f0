// SPDX-License-Identifier: MIT
/*
 * vmm/vplat/vuart.c against the PC16550D datasheet and against what Linux's 8250 driver
 * (drivers/tty/serial/8250/8250_port.c) does with it: its probe (autoconfig(): the IER test,
 * the loopback test, FIFO detection through IIR bits 7:6, then autoconfig_16550a()'s EFR,
 * NatSemi, TI16750, XScale and FIFO-size tests) replayed access by access must name a 16550A
 * with a 16-byte FIFO; its startup checks (LSR not 0xff, the THRE interrupt on enabling
 * ETBEI); its console write and its polled transmit (no IRQ: a timer reads IIR). Then the
 * registers one by one: reset values, DLAB, scratch, FCR, IIR priorities, LSR, MSR in and out
 * of loopback, the RX FIFO, and the line buffer with its prefix, filtering and counts.
 * Sources: vmm/vplat/vuart.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/vplat/vuart.h"

/* --- what the output callback saw --- */
#define MAX_LINES 8
static char lines[MAX_LINES][VUART_OUT_LEN];
static size_t line_len[MAX_LINES];
static unsigned int nr_lines;
static bool refuse_lines; /* the callback's rate limit says no */

static bool out(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	assert_true(len < VUART_OUT_LEN);
	assert_int_equal(strlen(line), len);
	if (refuse_lines)
		return false;
	assert_true(nr_lines < MAX_LINES);
	memcpy(lines[nr_lines], line, len + 1);
	line_len[nr_lines++] = len;
	return true;
}

static int setup(void **state)
{
	(void)state;
	nr_lines = 0;
	refuse_lines = false;
	return 0;
}

static void init(struct vuart *u)
{
	vuart_init(u, "vm0", out, NULL);
}

static void put(struct vuart *u, const char *s)
{
	for (; *s; s++)
		vuart_write(u, VUART_THR, (uint8_t)*s);
}

/* --- Linux's 8250 probe, access by access (8250_port.c, autoconfig() and helpers) --- */

/* The port types autoconfig() can name (its PORT_* of interest here). */
enum probed {
	P_ABSENT,    /* the IER test failed */
	P_NO_LOOP,   /* the loopback test failed */
	P_8250,	     /* IIR 7:6 = 00, no scratch register */
	P_16450,     /* IIR 7:6 = 00, scratch register */
	P_UNKNOWN,   /* IIR 7:6 = 01 */
	P_16550,     /* IIR 7:6 = 10: FIFOs that do not work */
	P_16550A,    /* IIR 7:6 = 11 and none of the tests below */
	P_16650,     /* an EFR with LCR = 0x80 */
	P_FSL64,     /* a Freescale 64-byte FIFO */
	P_EFR_ONLY,  /* an EFR readable as 0 with LCR = 0x80 that does not hold 0xA8 */
	P_HAS_EFR,   /* an EFR with LCR = 0xBF: ST16650V2 and its kin */
	P_NS16550A,  /* a NatSemi SuperIO: MCR LOOP seen in EXCR1 */
	P_16750,     /* IIR bit 5 follows FCR bit 5 with DLAB only */
	P_XSCALE,    /* IER bit 6 (UUE) holds */
	P_U6_16550A, /* a 64-byte FIFO */
};

/* Linux's names for what it writes: include/uapi/linux/serial_reg.h. */
#define LCR_CONF_MODE_A	  0x80 /* DLAB */
#define LCR_CONF_MODE_B	  0xbf
#define LCR_NATSEMI_BANK2 0xe0
#define LCR_WLEN8	  0x03
#define EFR		  2 /* EFR shares IIR/FCR's offset */
#define EXCR1		  2
#define EFR_PROBE	  0xa8
#define FCR7_64BYTE	  0x20
#define IER_UUE		  0x40
#define IER_TEST	  0x0f
#define IER_LOW_NIBBLE	  0x0f
#define MCR_LOOP_TEST	  (VUART_MCR_LOOP | VUART_MCR_OUT2 | VUART_MCR_RTS) /* 0x1A */
#define MSR_LOOP_WANT	  (VUART_MSR_DCD | VUART_MSR_CTS)		    /* 0x90 */
#define MSR_INPUTS	  0xf0
#define SCRATCH_A	  0xa5
#define SCRATCH_B	  0x5a
#define FIFO_PROBE_BYTES  256
#define FIFO_BIG	  64
#define IIR_FIFO_SHIFT	  6
#define IIR_BIT5_SHIFT	  5
#define IIR_TYPE_16550A	  3
#define IIR_TYPE_16550	  2
#define IIR_TYPE_UNKNOWN  1
#define IIR_16750_NO_DLAB 6
#define IIR_16750_DLAB	  7
#define DL_PROBE	  0x0001
#define BYTE_SHIFT	  8

static uint8_t in(struct vuart *u, unsigned int off)
{
	return vuart_read(u, off);
}

static void outb_(struct vuart *u, unsigned int off, unsigned int v)
{
	vuart_write(u, off, (uint8_t)v);
}

static unsigned int dl_read(struct vuart *u)
{
	return in(u, VUART_DLL) | (unsigned int)in(u, VUART_DLM) << BYTE_SHIFT;
}

static void dl_write(struct vuart *u, unsigned int v)
{
	outb_(u, VUART_DLL, v & 0xff);
	outb_(u, VUART_DLM, v >> BYTE_SHIFT & 0xff);
}

/* size_fifo(): bytes that come back through loopback from 256 sent at divisor 1. */
static unsigned int size_fifo(struct vuart *u)
{
	unsigned int old_lcr, old_fcr, old_mcr, old_dl, count;

	old_lcr = in(u, VUART_LCR);
	outb_(u, VUART_LCR, 0);
	old_fcr = in(u, VUART_FCR); /* Linux reads IIR here and writes it back as FCR */
	old_mcr = in(u, VUART_MCR);
	outb_(u, VUART_FCR, VUART_FCR_FIFO_EN | VUART_FCR_RX_RESET | VUART_FCR_TX_RESET);
	outb_(u, VUART_MCR, VUART_MCR_LOOP);
	outb_(u, VUART_LCR, LCR_CONF_MODE_A);
	old_dl = dl_read(u);
	dl_write(u, DL_PROBE);
	outb_(u, VUART_LCR, LCR_WLEN8);
	for (count = 0; count < FIFO_PROBE_BYTES; count++)
		outb_(u, VUART_THR, count);
	for (count = 0; (in(u, VUART_LSR) & VUART_LSR_DR) && count < FIFO_PROBE_BYTES; count++)
		in(u, VUART_RBR);
	outb_(u, VUART_FCR, old_fcr);
	outb_(u, VUART_MCR, old_mcr);
	outb_(u, VUART_LCR, LCR_CONF_MODE_A);
	dl_write(u, old_dl);
	outb_(u, VUART_LCR, old_lcr);
	return count;
}

/* autoconfig_read_divisor_id(): DLL/DLM after writing 0 to both. */
static unsigned int read_divisor_id(struct vuart *u)
{
	unsigned int old_lcr = in(u, VUART_LCR), old_dl, id;

	outb_(u, VUART_LCR, LCR_CONF_MODE_A);
	old_dl = dl_read(u);
	dl_write(u, 0);
	id = dl_read(u);
	dl_write(u, old_dl);
	outb_(u, VUART_LCR, old_lcr);
	return id;
}

static enum probed autoconfig_8250(struct vuart *u)
{
	unsigned int scratch = in(u, VUART_SCR), s1, s2;

	outb_(u, VUART_SCR, SCRATCH_A);
	s1 = in(u, VUART_SCR);
	outb_(u, VUART_SCR, SCRATCH_B);
	s2 = in(u, VUART_SCR);
	outb_(u, VUART_SCR, scratch);
	return s1 == SCRATCH_A && s2 == SCRATCH_B ? P_16450 : P_8250;
}

static enum probed autoconfig_16550a(struct vuart *u)
{
	unsigned int s1, s2, iersave;

	/* an EFR with DLAB set: only ST16C650V1 */
	outb_(u, VUART_LCR, LCR_CONF_MODE_A);
	if (in(u, EFR) == 0) {
		enum probed t = P_EFR_ONLY;

		outb_(u, EFR, EFR_PROBE);
		if (in(u, EFR) != 0) {
			t = P_16650;
		} else {
			outb_(u, VUART_LCR, 0);
			outb_(u, VUART_FCR, VUART_FCR_FIFO_EN | FCR7_64BYTE);
			s1 = in(u, VUART_IIR) >> IIR_BIT5_SHIFT;
			outb_(u, VUART_FCR, 0);
			outb_(u, VUART_LCR, 0);
			if (s1 == IIR_16750_DLAB)
				t = P_FSL64;
		}
		outb_(u, EFR, 0);
		return t;
	}
	/* an EFR with LCR = 0xBF (ST16C650V2, TI16C752, ...); broken_efr() reads the ID */
	outb_(u, VUART_LCR, LCR_CONF_MODE_B);
	if (in(u, EFR) == 0) {
		read_divisor_id(u);
		return P_HAS_EFR;
	}
	/* NatSemi SuperIO: MCR's LOOP bit seen in bank 2's EXCR1 */
	outb_(u, VUART_LCR, 0);
	s1 = in(u, VUART_MCR);
	outb_(u, VUART_LCR, LCR_NATSEMI_BANK2);
	s2 = in(u, EXCR1);
	if (!((s2 ^ s1) & VUART_MCR_LOOP)) {
		outb_(u, VUART_LCR, 0);
		outb_(u, VUART_MCR, s1 ^ VUART_MCR_LOOP);
		outb_(u, VUART_LCR, LCR_NATSEMI_BANK2);
		s2 = in(u, EXCR1);
		outb_(u, VUART_LCR, 0);
		outb_(u, VUART_MCR, s1);
		if ((s2 ^ s1) & VUART_MCR_LOOP)
			return P_NS16550A;
	}
	/* TI16750: IIR bit 5 follows FCR bit 5 only with DLAB set */
	outb_(u, VUART_LCR, 0);
	outb_(u, VUART_FCR, VUART_FCR_FIFO_EN | FCR7_64BYTE);
	s1 = in(u, VUART_IIR) >> IIR_BIT5_SHIFT;
	outb_(u, VUART_FCR, VUART_FCR_FIFO_EN);
	outb_(u, VUART_LCR, LCR_CONF_MODE_A);
	outb_(u, VUART_FCR, VUART_FCR_FIFO_EN | FCR7_64BYTE);
	s2 = in(u, VUART_IIR) >> IIR_BIT5_SHIFT;
	outb_(u, VUART_FCR, VUART_FCR_FIFO_EN);
	outb_(u, VUART_LCR, 0);
	if (s1 == IIR_16750_NO_DLAB && s2 == IIR_16750_DLAB)
		return P_16750;
	/* XScale: IER bit 6 (UUE) holds a 1 */
	iersave = in(u, VUART_IER);
	outb_(u, VUART_IER, iersave & ~IER_UUE);
	if (!(in(u, VUART_IER) & IER_UUE)) {
		outb_(u, VUART_IER, iersave | IER_UUE);
		if (in(u, VUART_IER) & IER_UUE)
			return P_XSCALE;
	}
	outb_(u, VUART_IER, iersave);
	return size_fifo(u) == FIFO_BIG ? P_U6_16550A : P_16550A;
}

/* autoconfig(), without the Fintek probe it runs after (other ports). */
static enum probed linux_autoconfig(struct vuart *u)
{
	unsigned int scratch, scratch2, scratch3, save_mcr, save_lcr, status;
	enum probed t;

	scratch = in(u, VUART_IER);
	outb_(u, VUART_IER, 0);
	scratch2 = in(u, VUART_IER) & IER_LOW_NIBBLE;
	outb_(u, VUART_IER, IER_TEST);
	scratch3 = in(u, VUART_IER) & IER_LOW_NIBBLE;
	outb_(u, VUART_IER, scratch);
	if (scratch2 != 0 || scratch3 != IER_TEST)
		return P_ABSENT;

	save_mcr = in(u, VUART_MCR);
	save_lcr = in(u, VUART_LCR);
	outb_(u, VUART_MCR, MCR_LOOP_TEST);
	status = in(u, VUART_MSR) & MSR_INPUTS;
	outb_(u, VUART_MCR, save_mcr);
	if (status != MSR_LOOP_WANT)
		return P_NO_LOOP;

	outb_(u, VUART_LCR, LCR_CONF_MODE_B);
	outb_(u, EFR, 0);
	outb_(u, VUART_LCR, 0);
	outb_(u, VUART_FCR, VUART_FCR_FIFO_EN);
	switch (in(u, VUART_IIR) >> IIR_FIFO_SHIFT) {
	case 0:
		t = autoconfig_8250(u);
		break;
	case IIR_TYPE_UNKNOWN:
		t = P_UNKNOWN;
		break;
	case IIR_TYPE_16550:
		t = P_16550;
		break;
	default:
		t = autoconfig_16550a(u);
		break;
	}
	outb_(u, VUART_LCR, save_lcr);
	/* reset the UART: MCR back, clear the FIFOs, read RX, IER 0 */
	outb_(u, VUART_MCR, save_mcr);
	outb_(u, VUART_FCR, VUART_FCR_FIFO_EN);
	outb_(u, VUART_FCR, VUART_FCR_FIFO_EN | VUART_FCR_RX_RESET | VUART_FCR_TX_RESET);
	outb_(u, VUART_FCR, 0);
	in(u, VUART_RBR);
	outb_(u, VUART_IER, 0);
	return t;
}

static void test_linux_autoconfig_finds_16550a(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	assert_int_equal(linux_autoconfig(&u), P_16550A);
	/* the probe's loopback bytes never reached the console, and the state is as it was */
	assert_int_equal(nr_lines, 0);
	assert_int_equal(u.stats.tx_bytes, 0);
	assert_int_equal(u.stats.loop_bytes, FIFO_PROBE_BYTES);
	assert_int_equal(in(&u, VUART_LCR), 0);
	assert_int_equal(in(&u, VUART_MCR), 0);
	assert_int_equal(in(&u, VUART_IER), 0);
	vuart_flush(&u);
	assert_int_equal(nr_lines, 0);
}

static void test_linux_size_fifo_is_16(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	assert_int_equal(size_fifo(&u), VUART_FIFO_LEN);
	/* 256 sent into a 16-byte FIFO: 240 overruns, and the divisor restored */
	assert_int_equal(u.stats.overruns, FIFO_PROBE_BYTES - VUART_FIFO_LEN);
	outb_(&u, VUART_LCR, LCR_CONF_MODE_A);
	assert_int_equal(dl_read(&u), 1);
}

static void test_linux_8250_scratch(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	outb_(&u, VUART_SCR, 0x3c);
	assert_int_equal(autoconfig_8250(&u), P_16450); /* the scratch register holds */
	assert_int_equal(in(&u, VUART_SCR), 0x3c);	/* and got its value back */
}

/* serial8250_do_startup()'s checks: LSR is no floating bus, ETBEI raises THRE at once. */
static void test_linux_startup_checks(void **state)
{
	struct vuart u;
	uint8_t lsr, iir;

	(void)state;
	init(&u);
	outb_(&u, VUART_FCR, VUART_FCR_FIFO_EN);
	outb_(&u, VUART_FCR, VUART_FCR_FIFO_EN | VUART_FCR_RX_RESET | VUART_FCR_TX_RESET);
	outb_(&u, VUART_FCR, 0);
	in(&u, VUART_LSR);
	in(&u, VUART_RBR);
	in(&u, VUART_IIR);
	in(&u, VUART_MSR);
	assert_int_not_equal(in(&u, VUART_LSR), 0xff);
	outb_(&u, VUART_LCR, LCR_WLEN8);
	outb_(&u, VUART_IER, VUART_IER_ETBEI);
	lsr = in(&u, VUART_LSR);
	iir = in(&u, VUART_IIR);
	outb_(&u, VUART_IER, 0);
	/* not UART_BUG_TXEN: TEMT and a pending interrupt */
	assert_true(lsr & VUART_LSR_TEMT);
	assert_int_equal(iir, VUART_IIR_THRI);
}

/* serial8250_console_write(): IER off, then per byte wait for THRE and write THR. */
static void test_linux_console_write(void **state)
{
	const char *msg = "Linux version 6.1.0-skiff\r\n";
	struct vuart u;
	uint8_t ier;

	(void)state;
	init(&u);
	outb_(&u, VUART_IER, VUART_IER_ERBFI | VUART_IER_ELSI);
	ier = in(&u, VUART_IER);
	outb_(&u, VUART_IER, 0);
	for (const char *p = msg; *p; p++) {
		assert_true(in(&u, VUART_LSR) & VUART_LSR_THRE);
		outb_(&u, VUART_THR, (uint8_t)*p);
	}
	assert_int_equal(in(&u, VUART_LSR) & (VUART_LSR_THRE | VUART_LSR_TEMT),
			 VUART_LSR_THRE | VUART_LSR_TEMT);
	outb_(&u, VUART_IER, ier);
	assert_int_equal(nr_lines, 1);
	assert_string_equal(lines[0], "vm0| Linux version 6.1.0-skiff");
}

/*
 * The tty path with no IRQ: start_tx sets ETBEI; a timer calls the interrupt handler, which
 * reads IIR, returns at NO_INT, else reads LSR and with THRE loads up to 16 bytes; the last
 * load clears ETBEI (serial8250_handle_irq(), serial8250_tx_chars()).
 */
static void test_linux_polled_transmit(void **state)
{
	char text[64], want[VUART_OUT_LEN];
	size_t sent = 0, len;
	unsigned int polls = 0;
	struct vuart u;

	(void)state;
	init(&u);
	for (len = 0; len < 40; len++)
		text[len] = (char)('a' + len % 26);
	text[len++] = '\n';
	outb_(&u, VUART_FCR, VUART_FCR_FIFO_EN | 0x80); /* FIFOs on, RX trigger 8 */
	outb_(&u, VUART_IER, VUART_IER_ERBFI | VUART_IER_ELSI | VUART_IER_ETBEI);
	for (; polls < 10; polls++) {
		uint8_t iir = in(&u, VUART_IIR);

		if (iir & VUART_IIR_NO_INT)
			break;
		assert_int_equal(iir, VUART_IIR_FIFO_MASK | VUART_IIR_THRI);
		assert_true(in(&u, VUART_LSR) & VUART_LSR_THRE);
		for (unsigned int n = 0; n < VUART_FIFO_LEN && sent < len; n++)
			outb_(&u, VUART_THR, (uint8_t)text[sent++]);
		if (sent == len)
			outb_(&u, VUART_IER, VUART_IER_ERBFI | VUART_IER_ELSI);
	}
	assert_int_equal(sent, len);
	assert_int_equal(polls, 3); /* 16 + 16 + 9 bytes, then NO_INT */
	snprintf(want, sizeof(want), "vm0| %.40s", text);
	assert_int_equal(nr_lines, 1);
	assert_string_equal(lines[0], want);
}

/* --- the registers --- */

static void test_reset_values(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	assert_int_equal(in(&u, VUART_IER), 0);
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_NO_INT);
	assert_int_equal(in(&u, VUART_LCR), 0);
	assert_int_equal(in(&u, VUART_MCR), 0);
	assert_int_equal(in(&u, VUART_LSR), VUART_LSR_THRE | VUART_LSR_TEMT); /* 0x60 */
	assert_int_equal(in(&u, VUART_MSR), VUART_MSR_CTS | VUART_MSR_DSR | VUART_MSR_DCD);
	assert_int_equal(in(&u, VUART_SCR), 0);
	assert_false(vuart_irq_pending(&u));
	outb_(&u, VUART_LCR, VUART_LCR_DLAB);
	assert_int_equal(in(&u, VUART_DLL), 1);
	assert_int_equal(in(&u, VUART_DLM), 0);
}

static void test_dlab(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	outb_(&u, VUART_IER, VUART_IER_ERBFI);
	outb_(&u, VUART_LCR, VUART_LCR_DLAB | LCR_WLEN8);
	outb_(&u, VUART_DLL, 0x0c); /* 9600 baud */
	outb_(&u, VUART_DLM, 0x01);
	assert_int_equal(in(&u, VUART_DLL), 0x0c);
	assert_int_equal(in(&u, VUART_DLM), 0x01);
	assert_int_equal(in(&u, VUART_LCR), VUART_LCR_DLAB | LCR_WLEN8);
	assert_int_equal(u.stats.tx_bytes, 0); /* DLL is no THR */
	/* DLAB clear: offset 0 and 1 are THR and IER again, the latch kept */
	outb_(&u, VUART_LCR, LCR_WLEN8);
	assert_int_equal(in(&u, VUART_IER), VUART_IER_ERBFI);
	outb_(&u, VUART_THR, 'x');
	assert_int_equal(u.stats.tx_bytes, 1);
	outb_(&u, VUART_LCR, VUART_LCR_DLAB);
	assert_int_equal(dl_read(&u), 0x010c);
	/* IIR and FCR do not depend on DLAB */
	outb_(&u, VUART_FCR, VUART_FCR_FIFO_EN);
	assert_int_equal(in(&u, VUART_IIR) & VUART_IIR_FIFO_MASK, VUART_IIR_FIFO_MASK);
}

static void test_reserved_bits_read_zero(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	outb_(&u, VUART_IER, 0xff);
	assert_int_equal(in(&u, VUART_IER), VUART_IER_MASK);
	outb_(&u, VUART_MCR, 0xff);
	assert_int_equal(in(&u, VUART_MCR), VUART_MCR_MASK);
	outb_(&u, VUART_LCR, 0xff);
	assert_int_equal(in(&u, VUART_LCR), 0xff);
	outb_(&u, VUART_LCR, 0);
	outb_(&u, VUART_SCR, 0xff);
	assert_int_equal(in(&u, VUART_SCR), 0xff);
	/* LSR and MSR ignore writes */
	outb_(&u, VUART_MCR, 0);
	in(&u, VUART_MSR);
	outb_(&u, VUART_LSR, 0x1f);
	outb_(&u, VUART_MSR, 0x0f);
	assert_int_equal(in(&u, VUART_LSR), VUART_LSR_THRE | VUART_LSR_TEMT);
	assert_int_equal(in(&u, VUART_MSR), VUART_MSR_CTS | VUART_MSR_DSR | VUART_MSR_DCD);
}

static void test_offsets_past_the_registers(void **state)
{
	struct vuart u, before;

	(void)state;
	init(&u);
	before = u;
	assert_int_equal(vuart_read(&u, VUART_PORTS), 0xff);
	vuart_write(&u, VUART_PORTS, 'x');
	vuart_write(&u, ~0u, 0x80);
	assert_memory_equal(&u, &before, sizeof(u));
}

static void test_fcr(void **state)
{
	static const uint8_t trig[][2] = { { 0x00, 1 }, { 0x40, 4 }, { 0x80, 8 }, { 0xc0, 14 } };
	uint8_t bytes[VUART_FIFO_LEN] = { 0 };
	struct vuart u;

	(void)state;
	init(&u);
	outb_(&u, VUART_IER, VUART_IER_ERBFI);
	/* each trigger level: below it the timeout indication, from it on data available */
	for (unsigned int i = 0; i < 4; i++) {
		outb_(&u, VUART_FCR, VUART_FCR_FIFO_EN | VUART_FCR_RX_RESET | trig[i][0]);
		assert_int_equal(vuart_rx_push(&u, bytes, trig[i][1] - 1u), trig[i][1] - 1u);
		if (trig[i][1] > 1)
			assert_int_equal(in(&u, VUART_IIR), VUART_IIR_FIFO_MASK | VUART_IIR_CTI);
		assert_int_equal(vuart_rx_push(&u, bytes, 1), 1);
		assert_int_equal(in(&u, VUART_IIR), VUART_IIR_FIFO_MASK | VUART_IIR_RDI);
	}
	/* RX reset empties the FIFO */
	outb_(&u, VUART_FCR, VUART_FCR_FIFO_EN | VUART_FCR_RX_RESET);
	assert_int_equal(in(&u, VUART_LSR) & VUART_LSR_DR, 0);
	/* turning FIFO mode off empties it too, and IIR 7:6 follow FCR bit 0 */
	assert_int_equal(vuart_rx_push(&u, bytes, 3), 3);
	outb_(&u, VUART_FCR, 0);
	assert_int_equal(in(&u, VUART_LSR) & VUART_LSR_DR, 0);
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_NO_INT);
	/* without FCR0 the other bits are not programmed: no reset happens */
	assert_int_equal(vuart_rx_push(&u, bytes, 1), 1);
	outb_(&u, VUART_FCR, VUART_FCR_RX_RESET | 0xc0);
	assert_true(in(&u, VUART_LSR) & VUART_LSR_DR);
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_RDI);
}

static void test_rx_fifo(void **state)
{
	uint8_t bytes[VUART_FIFO_LEN + 4];
	struct vuart u;

	(void)state;
	for (unsigned int i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(0x40 + i);
	init(&u);
	/* 16450 mode: one byte of room */
	assert_int_equal(vuart_rx_push(&u, bytes, 2), 1);
	assert_int_equal(in(&u, VUART_LSR), VUART_LSR_DR | VUART_LSR_THRE | VUART_LSR_TEMT);
	assert_int_equal(in(&u, VUART_RBR), 0x40);
	assert_int_equal(in(&u, VUART_LSR) & VUART_LSR_DR, 0);
	assert_int_equal(in(&u, VUART_RBR), 0x40); /* nothing new: the last byte again */
	/* FIFO mode: 16 of 20, in order */
	outb_(&u, VUART_FCR, VUART_FCR_FIFO_EN);
	assert_int_equal(vuart_rx_push(&u, bytes, sizeof(bytes)), VUART_FIFO_LEN);
	assert_int_equal(vuart_rx_push(&u, bytes, 1), 0);
	for (unsigned int i = 0; i < VUART_FIFO_LEN; i++) {
		assert_true(in(&u, VUART_LSR) & VUART_LSR_DR);
		assert_int_equal(in(&u, VUART_RBR), bytes[i]);
	}
	assert_int_equal(in(&u, VUART_LSR) & VUART_LSR_DR, 0);
	assert_int_equal(u.stats.rx_bytes, VUART_FIFO_LEN + 1);
	assert_int_equal(u.stats.overruns, 0); /* not taken is not overrun */
	/* in loopback the line is not heard */
	outb_(&u, VUART_MCR, VUART_MCR_LOOP);
	assert_int_equal(vuart_rx_push(&u, bytes, 1), 0);
}

static void test_loopback_and_overrun(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	outb_(&u, VUART_MCR, VUART_MCR_LOOP);
	/* 16450 mode: the second byte overwrites the first and sets OE */
	outb_(&u, VUART_THR, 'a');
	outb_(&u, VUART_THR, 'b');
	outb_(&u, VUART_IER, VUART_IER_ERBFI | VUART_IER_ELSI);
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_RLSI); /* line status first */
	assert_int_equal(in(&u, VUART_LSR),
			 VUART_LSR_DR | VUART_LSR_OE | VUART_LSR_THRE | VUART_LSR_TEMT);
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_RDI); /* OE cleared by the LSR read */
	assert_int_equal(in(&u, VUART_RBR), 'b');
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_NO_INT);
	/* FIFO mode: the 17th byte is lost, the first 16 kept */
	outb_(&u, VUART_FCR, VUART_FCR_FIFO_EN);
	for (unsigned int i = 0; i <= VUART_FIFO_LEN; i++)
		outb_(&u, VUART_THR, 'A' + i);
	assert_true(in(&u, VUART_LSR) & VUART_LSR_OE);
	for (unsigned int i = 0; i < VUART_FIFO_LEN; i++)
		assert_int_equal(in(&u, VUART_RBR), 'A' + i);
	assert_int_equal(u.stats.overruns, 2);
	assert_int_equal(u.stats.tx_bytes, 0);
	assert_int_equal(nr_lines, 0);
}

static void test_thre_interrupt(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	outb_(&u, VUART_THR, 'x'); /* no ETBEI: nothing pending */
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_NO_INT);
	outb_(&u, VUART_IER, VUART_IER_ETBEI); /* enabling it with THR empty raises it */
	assert_true(vuart_irq_pending(&u));
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_THRI);
	/* reading IIR cleared it; rewriting IER with ETBEI already set does not raise it */
	assert_false(vuart_irq_pending(&u));
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_NO_INT);
	outb_(&u, VUART_IER, VUART_IER_ETBEI);
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_NO_INT);
	/* a THR write is sent at once: THR empty again */
	outb_(&u, VUART_THR, 'y');
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_THRI);
	/* a higher priority hides it; once that is gone it shows */
	outb_(&u, VUART_THR, 'z');
	outb_(&u, VUART_IER, VUART_IER_ETBEI | VUART_IER_ERBFI);
	assert_int_equal(vuart_rx_push(&u, (const uint8_t *)"k", 1), 1);
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_RDI);
	assert_int_equal(in(&u, VUART_RBR), 'k');
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_THRI);
}

static void test_msr_loopback_and_deltas(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	outb_(&u, VUART_IER, VUART_IER_EDSSI);
	/* each output looped to its input: RTS-CTS, DTR-DSR, OUT1-RI, OUT2-DCD */
	outb_(&u, VUART_MCR, VUART_MCR_LOOP | VUART_MCR_RTS);
	/* leaving the terminal's CTS|DSR|DCD for CTS alone: DSR and DCD changed */
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_MSI);
	assert_int_equal(in(&u, VUART_MSR), VUART_MSR_CTS | VUART_MSR_DDSR | VUART_MSR_DDCD);
	assert_int_equal(in(&u, VUART_IIR), VUART_IIR_NO_INT); /* MSR read cleared the deltas */
	outb_(&u, VUART_MCR, VUART_MCR_LOOP | VUART_MCR_DTR | VUART_MCR_OUT1 | VUART_MCR_OUT2);
	assert_int_equal(in(&u, VUART_MSR), VUART_MSR_DSR | VUART_MSR_RI | VUART_MSR_DCD |
						    VUART_MSR_DCTS | VUART_MSR_DDSR |
						    VUART_MSR_DDCD);
	/* RI's leading edge sets nothing, its trailing edge TERI */
	outb_(&u, VUART_MCR, VUART_MCR_LOOP | VUART_MCR_DTR | VUART_MCR_OUT2);
	assert_int_equal(in(&u, VUART_MSR), VUART_MSR_DSR | VUART_MSR_DCD | VUART_MSR_TERI);
	/* out of loopback: the terminal again */
	outb_(&u, VUART_MCR, 0);
	assert_int_equal(in(&u, VUART_MSR) & 0xf0, VUART_MSR_CTS | VUART_MSR_DSR | VUART_MSR_DCD);
}

/* --- the line to skiff's console --- */

static void test_lines_and_prefix(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	put(&u, "hello\r\nworld\n\n");
	assert_int_equal(nr_lines, 3);
	assert_string_equal(lines[0], "vm0| hello");
	assert_string_equal(lines[1], "vm0| world");
	assert_string_equal(lines[2], "vm0| ");
	/* a partial line waits for its end, or for vuart_flush() */
	put(&u, "tail");
	assert_int_equal(nr_lines, 3);
	vuart_flush(&u);
	assert_int_equal(nr_lines, 4);
	assert_string_equal(lines[3], "vm0| tail");
	vuart_flush(&u); /* nothing more */
	assert_int_equal(nr_lines, 4);
	assert_int_equal(u.stats.lines, 4);
	assert_int_equal(u.stats.tx_bytes, strlen("hello\r\nworld\n\ntail"));
}

static void test_long_line_split(void **state)
{
	char want[VUART_OUT_LEN];
	struct vuart u;

	(void)state;
	init(&u);
	for (unsigned int i = 0; i < VUART_LINE_MAX + 10; i++)
		vuart_write(&u, VUART_THR, (uint8_t)('0' + i % 10));
	assert_int_equal(nr_lines, 1); /* the full buffer went out */
	assert_int_equal(line_len[0], strlen("vm0| ") + VUART_LINE_MAX);
	for (unsigned int i = 0; i < VUART_LINE_MAX; i++)
		want[i] = (char)('0' + i % 10);
	want[VUART_LINE_MAX] = '\0';
	assert_memory_equal(lines[0] + strlen("vm0| "), want, VUART_LINE_MAX + 1);
	put(&u, "\n");
	assert_int_equal(nr_lines, 2); /* the rest, prefixed again */
	snprintf(want, sizeof(want), "vm0| ");
	for (unsigned int i = VUART_LINE_MAX; i < VUART_LINE_MAX + 10; i++)
		want[strlen("vm0| ") + i - VUART_LINE_MAX] = (char)('0' + i % 10);
	want[strlen("vm0| ") + 10] = '\0';
	assert_string_equal(lines[1], want);
}

static void test_control_bytes_dropped(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	/* an escape sequence, a bell, a backspace, DEL and a UTF-8 character; the tab stays */
	put(&u, "\x1b[2Ja\tb\a\b\x7f\xc3\xa9z\n");
	assert_int_equal(nr_lines, 1);
	assert_string_equal(lines[0], "vm0| [2Ja\tbz");
	assert_int_equal(u.stats.ctrl_dropped, 6);
}

static void test_dropped_lines_counted(void **state)
{
	struct vuart u;

	(void)state;
	init(&u);
	refuse_lines = true;
	put(&u, "flood\nflood\n");
	assert_int_equal(u.stats.lines_dropped, 2);
	assert_int_equal(u.stats.bytes_dropped, 10);
	assert_int_equal(u.stats.lines, 0);
	refuse_lines = false;
	put(&u, "ok\n");
	assert_int_equal(u.stats.lines, 1);
	assert_string_equal(lines[0], "vm0| ok");
	/* with no callback at all every line counts as dropped */
	vuart_init(&u, "vm0", NULL, NULL);
	put(&u, "x\n");
	assert_int_equal(u.stats.lines_dropped, 1);
}

static void test_name(void **state)
{
	struct vuart u;

	(void)state;
	vuart_init(&u, "a-very-long-vm-name-indeed", out, NULL);
	put(&u, "x\n");
	assert_string_equal(lines[0], "a-very-long-vm-| x"); /* VUART_NAME_MAX bytes */
	vuart_init(&u, "v\x1bm", out, NULL);
	put(&u, "y\n");
	assert_string_equal(lines[1], "v?m| y");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_linux_autoconfig_finds_16550a, setup),
		cmocka_unit_test_setup(test_linux_size_fifo_is_16, setup),
		cmocka_unit_test_setup(test_linux_8250_scratch, setup),
		cmocka_unit_test_setup(test_linux_startup_checks, setup),
		cmocka_unit_test_setup(test_linux_console_write, setup),
		cmocka_unit_test_setup(test_linux_polled_transmit, setup),
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_dlab, setup),
		cmocka_unit_test_setup(test_reserved_bits_read_zero, setup),
		cmocka_unit_test_setup(test_offsets_past_the_registers, setup),
		cmocka_unit_test_setup(test_fcr, setup),
		cmocka_unit_test_setup(test_rx_fifo, setup),
		cmocka_unit_test_setup(test_loopback_and_overrun, setup),
		cmocka_unit_test_setup(test_thre_interrupt, setup),
		cmocka_unit_test_setup(test_msr_loopback_and_deltas, setup),
		cmocka_unit_test_setup(test_lines_and_prefix, setup),
		cmocka_unit_test_setup(test_long_line_split, setup),
		cmocka_unit_test_setup(test_control_bytes_dropped, setup),
		cmocka_unit_test_setup(test_dropped_lines_counted, setup),
		cmocka_unit_test_setup(test_name, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
