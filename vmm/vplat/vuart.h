/* SPDX-License-Identifier: MIT */
/*
 * A 16550A UART, the guest's COM1 (the DSDT's PNP0501 at 0x3F8, with no IRQ, so Linux's 8250
 * driver polls it). Registers as the PC16550D datasheet (National Semiconductor) gives them:
 * Table II (register summary) and its section 8 (8.1 LCR, 8.3 divisor latch, 8.4 LSR, 8.5 FCR,
 * 8.6 IIR with Table IV, 8.7 IER, 8.8 MCR, 8.9 MSR, 8.10 SCR). Pure: no allocation, no I/O; the
 * caller's output callback takes the text.
 *
 * What the model is beyond the datasheet:
 *  - transmission is instant: THR is empty again as soon as it is written, LSR THRE and TEMT
 *    always read 1, and each THR write raises the THRE interrupt condition anew;
 *  - the line is a terminal that is always there: outside loopback MSR shows CTS, DSR and DCD
 *    set, RI clear; bytes arrive only when the caller pushes them (vuart_rx_push()), never
 *    with a parity, framing or break error;
 *  - there is no time: the FIFO's character timeout (Table IV, IIR 0x0C) counts as expired
 *    whenever received bytes wait below the trigger level, so a polling driver sees them;
 *  - no interrupt line: IIR says what is pending, vuart_irq_pending() what the INTR output
 *    would be; nothing is delivered;
 *  - transmitted bytes go to a terminal on skiff's side: they are kept until a line is
 *    complete ('\n') or VUART_LINE_MAX bytes are waiting, then handed to the output callback
 *    as one line with the VM's name in front ("NAME| text"; "| " sets guest text apart from
 *    skiff's own "NAME: " messages about the VM). '\r' is dropped (Linux's console sends
 *    "\r\n"); other control bytes (below 0x20 but tab, and 0x7f) and bytes from 0x80 on are
 *    dropped and counted, so a guest cannot send escape sequences to skiff's console.
 *    Rate-limiting is the callback's: a line it did not show is counted here.
 */
#ifndef SKIFF_VMM_VPLAT_VUART_H
#define SKIFF_VMM_VPLAT_VUART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/bits.h"

/* The register offsets from the base port (Table II); DLAB is LCR bit 7. */
#define VUART_PORTS 8u
#define VUART_RBR   0u /* read, DLAB 0: receiver buffer */
#define VUART_THR   0u /* write, DLAB 0: transmitter holding */
#define VUART_DLL   0u /* DLAB 1: divisor latch, low byte */
#define VUART_IER   1u /* DLAB 0: interrupt enable */
#define VUART_DLM   1u /* DLAB 1: divisor latch, high byte */
#define VUART_IIR   2u /* read: interrupt identification */
#define VUART_FCR   2u /* write: FIFO control */
#define VUART_LCR   3u
#define VUART_MCR   4u
#define VUART_LSR   5u
#define VUART_MSR   6u
#define VUART_SCR   7u
#define VUART_COM1  0x3f8u /* the guest's COM1 */

/* IER (8.7): bits 3:0; 7:4 read 0. */
#define VUART_IER_ERBFI (1u << 0) /* received data available */
#define VUART_IER_ETBEI (1u << 1) /* transmitter holding register empty */
#define VUART_IER_ELSI	(1u << 2) /* receiver line status */
#define VUART_IER_EDSSI (1u << 3) /* modem status */
#define VUART_IER_MASK	GENMASK(3, 0)

/* IIR (8.6, Table IV): bit 0 clear when an interrupt is pending, its source in 3:1. */
#define VUART_IIR_NO_INT    (1u << 0)
#define VUART_IIR_ID_MASK   GENMASK(3, 0)
#define VUART_IIR_MSI	    0x00u	  /* modem status: priority 4 */
#define VUART_IIR_THRI	    0x02u	  /* THR empty: priority 3 */
#define VUART_IIR_RDI	    0x04u	  /* received data available: priority 2 */
#define VUART_IIR_RLSI	    0x06u	  /* receiver line status: priority 1 */
#define VUART_IIR_CTI	    0x0cu	  /* character timeout (FIFO mode): priority 2 */
#define VUART_IIR_FIFO_MASK GENMASK(7, 6) /* both set while FCR bit 0 is */

/* FCR (8.5), write only. */
#define VUART_FCR_FIFO_EN      (1u << 0)
#define VUART_FCR_RX_RESET     (1u << 1) /* self-clearing */
#define VUART_FCR_TX_RESET     (1u << 2) /* self-clearing */
#define VUART_FCR_DMA_MODE     (1u << 3)
#define VUART_FCR_TRIGGER_MASK GENMASK(7, 6) /* 1, 4, 8 or 14 bytes */

/* LCR (8.1): every bit reads back. */
#define VUART_LCR_DLAB (1u << 7)

/* MCR (8.8): bits 4:0; 7:5 read 0. */
#define VUART_MCR_DTR  (1u << 0)
#define VUART_MCR_RTS  (1u << 1)
#define VUART_MCR_OUT1 (1u << 2)
#define VUART_MCR_OUT2 (1u << 3)
#define VUART_MCR_LOOP (1u << 4)
#define VUART_MCR_MASK GENMASK(4, 0)

/* LSR (8.4). */
#define VUART_LSR_DR   (1u << 0) /* data ready */
#define VUART_LSR_OE   (1u << 1) /* overrun error: cleared by reading LSR */
#define VUART_LSR_PE   (1u << 2)
#define VUART_LSR_FE   (1u << 3)
#define VUART_LSR_BI   (1u << 4)
#define VUART_LSR_THRE (1u << 5)
#define VUART_LSR_TEMT (1u << 6)
#define VUART_LSR_RXFE (1u << 7) /* an error in the RX FIFO */

/* MSR (8.9): deltas in 3:0 (cleared by reading MSR), the inputs in 7:4. */
#define VUART_MSR_DCTS	     (1u << 0)
#define VUART_MSR_DDSR	     (1u << 1)
#define VUART_MSR_TERI	     (1u << 2) /* RI went from 1 to 0 */
#define VUART_MSR_DDCD	     (1u << 3)
#define VUART_MSR_CTS	     (1u << 4)
#define VUART_MSR_DSR	     (1u << 5)
#define VUART_MSR_RI	     (1u << 6)
#define VUART_MSR_DCD	     (1u << 7)
#define VUART_MSR_DELTA_MASK GENMASK(3, 0)

#define VUART_FIFO_LEN 16u  /* the 16550A's RX FIFO */
#define VUART_NAME_MAX 15u  /* bytes of the VM's name in the prefix (skiff's VM_NAME_LEN - 1) */
#define VUART_LINE_MAX 256u /* bytes of guest text in one line handed out */
/* "NAME| " */
#define VUART_PREFIX_SEP "| "
#define VUART_PREFIX_MAX (VUART_NAME_MAX + sizeof(VUART_PREFIX_SEP) - 1)
#define VUART_OUT_LEN	 (VUART_PREFIX_MAX + VUART_LINE_MAX + 1)

/*
 * The output callback: one line of @len bytes at @line (NUL-terminated, no '\n'), the prefix
 * first, printable ASCII and tabs only. Returns true when it showed the line, false when it
 * dropped it (its rate limit). Called from vuart_write() and vuart_flush() only.
 */
typedef bool (*vuart_out_fn)(void *ctx, const char *line, size_t len);

struct vuart_stats {
	uint64_t tx_bytes;	/* THR writes outside loopback */
	uint64_t loop_bytes;	/* THR writes in loopback (to the receiver) */
	uint64_t lines;		/* lines the callback showed */
	uint64_t lines_dropped; /* lines the callback did not show */
	uint64_t bytes_dropped; /* their text bytes */
	uint64_t ctrl_dropped;	/* control and non-ASCII bytes never put in a line */
	uint64_t rx_bytes;	/* bytes taken by vuart_rx_push() */
	uint64_t overruns;	/* bytes lost to a full receiver (loopback) */
};

struct vuart {
	/* registers */
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint8_t fcr;	   /* FIFO_EN, DMA_MODE and the trigger as last written */
	uint8_t lsr_err;   /* VUART_LSR_OE once an overrun happened, until LSR is read */
	uint8_t msr_delta; /* VUART_MSR_DCTS .. DDCD */
	uint8_t msr_in;	   /* the modem inputs now: VUART_MSR_CTS .. DCD */
	uint8_t rbr_last;  /* what RBR reads with no byte waiting */
	bool thr_pending;  /* the THRE interrupt condition (cleared by IIR read, THR write) */
	/* receiver FIFO (1 byte deep while FIFOs are off) */
	uint8_t rx[VUART_FIFO_LEN];
	unsigned int rx_head, rx_count;
	/* the line being collected: the prefix, then text */
	char out[VUART_OUT_LEN];
	size_t prefix_len, out_len;
	vuart_out_fn out_fn;
	void *out_ctx;
	struct vuart_stats stats;
};

/*
 * vuart_init - @u after a master reset (Table III: IER, LCR, MCR, FCR 0, IIR 0x01, LSR 0x60),
 * named @name (its first VUART_NAME_MAX bytes, anything but printable ASCII as '?'), its
 * lines going to @out_fn(@out_ctx, ...). The divisor latch, which the datasheet leaves
 * undefined, starts at 1 (115200 baud on the PC's 1.8432 MHz clock, what firmware leaves):
 * Linux's console baud probe divides by it. SCR starts at 0.
 */
void vuart_init(struct vuart *u, const char *name, vuart_out_fn out_fn, void *out_ctx);

/*
 * vuart_read - a byte read of register @offset (0..VUART_PORTS - 1, Table II; DLAB selects
 * DLL/DLM at 0 and 1). Side effects as the datasheet gives them: RBR takes a byte from the
 * FIFO, IIR clears a THRE interrupt it reports, LSR clears OE, MSR clears its deltas.
 * An @offset of VUART_PORTS or more reads 0xff and changes nothing.
 */
uint8_t vuart_read(struct vuart *u, unsigned int offset);

/*
 * vuart_write - a byte write of @value to register @offset (0..VUART_PORTS - 1). THR bytes go
 * to the line (or, in loopback, to the receiver); LSR and MSR are read only and ignore writes
 * (the datasheet keeps LSR writes for factory test). An @offset of VUART_PORTS or more is
 * ignored.
 */
void vuart_write(struct vuart *u, unsigned int offset, uint8_t value);

/*
 * vuart_rx_push - bytes arriving on the line, @n at @bytes, for later console input. Takes as
 * many as the receiver has room for (VUART_FIFO_LEN with FIFOs on, 1 with them off) and
 * returns that count; the rest are not received (the caller keeps them: flow control, not
 * an overrun). In loopback the receiver hears only the transmitter: 0 are taken.
 */
size_t vuart_rx_push(struct vuart *u, const uint8_t *bytes, size_t n);

/*
 * vuart_irq_pending - would the INTR output be active: does IIR report an interrupt (Table IV)?
 * No side effects. (On a PC, MCR OUT2 gates INTR onto the IRQ line; the caller applies that
 * when it wires one.)
 */
bool vuart_irq_pending(const struct vuart *u);

/* vuart_flush - hand out the text collected since the last line, if any (at the VM's end). */
void vuart_flush(struct vuart *u);

#endif
