// SPDX-License-Identifier: MIT
/*
 * The guest's 16550A UART (see vuart.h): registers per the PC16550D datasheet, an RX FIFO the
 * caller fills, instant transmission into a line buffer handed out line by line.
 */
#include "vmm/vplat/vuart.h"

#include <string.h>

#define ASCII_FIRST_PRINTABLE 0x20u
#define ASCII_DEL	      0x7fu
#define ALL_ONES_BYTE	      0xffu

/* The RX FIFO trigger levels FCR bits 7:6 select (8.5). */
static const uint8_t rx_trigger_bytes[] = { 1, 4, 8, 14 };

static bool printable(unsigned char c)
{
	return c >= ASCII_FIRST_PRINTABLE && c < ASCII_DEL;
}

static bool fifo_on(const struct vuart *u)
{
	return u->fcr & VUART_FCR_FIFO_EN;
}

static bool loopback(const struct vuart *u)
{
	return u->mcr & VUART_MCR_LOOP;
}

static bool dlab(const struct vuart *u)
{
	return u->lcr & VUART_LCR_DLAB;
}

/* Bytes the receiver holds at most: the FIFO, or RBR alone in 16450 mode. */
static unsigned int rx_capacity(const struct vuart *u)
{
	return fifo_on(u) ? VUART_FIFO_LEN : 1;
}

static void rx_clear(struct vuart *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

/*
 * A byte the receiver completed. A full FIFO keeps its bytes and loses the new one; in 16450
 * mode the new byte overwrites RBR (8.4, OE). Either way OE is set.
 */
static void rx_receive(struct vuart *u, uint8_t byte)
{
	if (u->rx_count == rx_capacity(u)) {
		if (!fifo_on(u))
			u->rx[u->rx_head] = byte;
		u->lsr_err |= VUART_LSR_OE;
		u->stats.overruns++;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % VUART_FIFO_LEN] = byte;
	u->rx_count++;
}

/* Table IV, highest priority first; the FIFO bits are not included. */
static uint8_t iir_id(const struct vuart *u)
{
	if ((u->ier & VUART_IER_ELSI) && u->lsr_err)
		return VUART_IIR_RLSI;
	if ((u->ier & VUART_IER_ERBFI) && u->rx_count) {
		unsigned int trigger = rx_trigger_bytes[FIELD_GET(VUART_FCR_TRIGGER_MASK, u->fcr)];

		/* no time passes here: below the trigger the timeout has always expired */
		return fifo_on(u) && u->rx_count < trigger ? VUART_IIR_CTI : VUART_IIR_RDI;
	}
	if ((u->ier & VUART_IER_ETBEI) && u->thr_pending)
		return VUART_IIR_THRI;
	if ((u->ier & VUART_IER_EDSSI) && u->msr_delta)
		return VUART_IIR_MSI;
	return VUART_IIR_NO_INT;
}

/* The modem inputs: in loopback the MCR outputs (8.8), else an attached terminal. */
static uint8_t modem_inputs(const struct vuart *u)
{
	uint8_t m = u->mcr;

	if (!loopback(u))
		return VUART_MSR_CTS | VUART_MSR_DSR | VUART_MSR_DCD;
	return (uint8_t)((m & VUART_MCR_RTS ? VUART_MSR_CTS : 0) |
			 (m & VUART_MCR_DTR ? VUART_MSR_DSR : 0) |
			 (m & VUART_MCR_OUT1 ? VUART_MSR_RI : 0) |
			 (m & VUART_MCR_OUT2 ? VUART_MSR_DCD : 0));
}

/* New modem inputs: the delta bits of those that changed (8.9; TERI on RI's trailing edge). */
static void modem_update(struct vuart *u)
{
	uint8_t now = modem_inputs(u), changed = now ^ u->msr_in;

	if (changed & VUART_MSR_CTS)
		u->msr_delta |= VUART_MSR_DCTS;
	if (changed & VUART_MSR_DSR)
		u->msr_delta |= VUART_MSR_DDSR;
	if (changed & VUART_MSR_DCD)
		u->msr_delta |= VUART_MSR_DDCD;
	if ((u->msr_in & VUART_MSR_RI) && !(now & VUART_MSR_RI))
		u->msr_delta |= VUART_MSR_TERI;
	u->msr_in = now;
}

/* Hand the collected line to the callback and start the next one. */
static void line_out(struct vuart *u)
{
	size_t text = u->out_len - u->prefix_len;

	u->out[u->out_len] = '\0';
	if (u->out_fn && u->out_fn(u->out_ctx, u->out, u->out_len)) {
		u->stats.lines++;
	} else {
		u->stats.lines_dropped++;
		u->stats.bytes_dropped += text;
	}
	u->out_len = u->prefix_len;
}

/* A byte on the line to skiff's terminal. */
static void line_byte(struct vuart *u, uint8_t c)
{
	u->stats.tx_bytes++;
	if (c == '\n') {
		line_out(u);
		return;
	}
	if (c == '\r')
		return;
	if (c != '\t' && !printable(c)) {
		u->stats.ctrl_dropped++;
		return;
	}
	u->out[u->out_len++] = (char)c;
	if (u->out_len - u->prefix_len == VUART_LINE_MAX)
		line_out(u);
}

void vuart_init(struct vuart *u, const char *name, vuart_out_fn out_fn, void *out_ctx)
{
	size_t n = 0;

	memset(u, 0, sizeof(*u));
	u->dll = 1;
	u->msr_in = modem_inputs(u);
	u->out_fn = out_fn;
	u->out_ctx = out_ctx;
	for (; name && name[n] && n < VUART_NAME_MAX; n++)
		u->out[n] = printable((unsigned char)name[n]) ? name[n] : '?';
	memcpy(u->out + n, VUART_PREFIX_SEP, sizeof(VUART_PREFIX_SEP) - 1);
	u->prefix_len = n + sizeof(VUART_PREFIX_SEP) - 1;
	u->out_len = u->prefix_len;
}

static uint8_t read_rbr(struct vuart *u)
{
	if (u->rx_count) {
		u->rbr_last = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % VUART_FIFO_LEN;
		u->rx_count--;
	}
	return u->rbr_last;
}

static uint8_t read_iir(struct vuart *u)
{
	uint8_t id = iir_id(u);

	if (id == VUART_IIR_THRI)
		u->thr_pending = false; /* reading IIR clears a THRE interrupt it reports */
	return (uint8_t)(id | (fifo_on(u) ? VUART_IIR_FIFO_MASK : 0));
}

static uint8_t read_lsr(struct vuart *u)
{
	uint8_t v = (uint8_t)((u->rx_count ? VUART_LSR_DR : 0) | u->lsr_err | VUART_LSR_THRE |
			      VUART_LSR_TEMT);

	u->lsr_err = 0;
	return v;
}

static uint8_t read_msr(struct vuart *u)
{
	uint8_t v = u->msr_in | u->msr_delta;

	u->msr_delta = 0;
	return v;
}

uint8_t vuart_read(struct vuart *u, unsigned int offset)
{
	switch (offset) {
	case VUART_RBR:
		return dlab(u) ? u->dll : read_rbr(u);
	case VUART_IER:
		return dlab(u) ? u->dlm : u->ier;
	case VUART_IIR:
		return read_iir(u);
	case VUART_LCR:
		return u->lcr;
	case VUART_MCR:
		return u->mcr;
	case VUART_LSR:
		return read_lsr(u);
	case VUART_MSR:
		return read_msr(u);
	case VUART_SCR:
		return u->scr;
	default:
		return ALL_ONES_BYTE;
	}
}

static void write_thr(struct vuart *u, uint8_t value)
{
	u->thr_pending = false;
	if (loopback(u)) {
		u->stats.loop_bytes++;
		rx_receive(u, value);
	} else {
		line_byte(u, value);
	}
	u->thr_pending = true; /* sent at once: THR is empty again */
}

static void write_ier(struct vuart *u, uint8_t value)
{
	uint8_t was = u->ier;

	u->ier = value & VUART_IER_MASK;
	/* enabling ETBEI with THR empty raises the THRE interrupt (Linux tests for it) */
	if (!(was & VUART_IER_ETBEI) && (u->ier & VUART_IER_ETBEI))
		u->thr_pending = true;
}

/* 8.5: turning FIFO mode on or off empties the FIFOs; no other bit is taken without FCR0. */
static void write_fcr(struct vuart *u, uint8_t value)
{
	if ((value ^ u->fcr) & VUART_FCR_FIFO_EN)
		rx_clear(u);
	if (!(value & VUART_FCR_FIFO_EN)) {
		u->fcr = 0;
		return;
	}
	if (value & VUART_FCR_RX_RESET)
		rx_clear(u);
	/* VUART_FCR_TX_RESET: the transmitter is always empty */
	u->fcr = value & (VUART_FCR_FIFO_EN | VUART_FCR_DMA_MODE | VUART_FCR_TRIGGER_MASK);
}

void vuart_write(struct vuart *u, unsigned int offset, uint8_t value)
{
	switch (offset) {
	case VUART_THR:
		if (dlab(u))
			u->dll = value;
		else
			write_thr(u, value);
		break;
	case VUART_IER:
		if (dlab(u))
			u->dlm = value;
		else
			write_ier(u, value);
		break;
	case VUART_FCR:
		write_fcr(u, value);
		break;
	case VUART_LCR:
		u->lcr = value;
		break;
	case VUART_MCR:
		u->mcr = value & VUART_MCR_MASK;
		modem_update(u);
		break;
	case VUART_SCR:
		u->scr = value;
		break;
	default: /* LSR, MSR: read only; past the registers: nothing */
		break;
	}
}

size_t vuart_rx_push(struct vuart *u, const uint8_t *bytes, size_t n)
{
	size_t taken = 0;

	if (loopback(u))
		return 0;
	while (taken < n && u->rx_count < rx_capacity(u))
		rx_receive(u, bytes[taken++]);
	u->stats.rx_bytes += taken;
	return taken;
}

bool vuart_irq_pending(const struct vuart *u)
{
	return !(iir_id(u) & VUART_IIR_NO_INT);
}

void vuart_flush(struct vuart *u)
{
	if (u->out_len > u->prefix_len)
		line_out(u);
}
