// SPDX-License-Identifier: MIT
/* The guest platform's I/O ports (see vplat_ports.h): each model behind the dispatch table. */
#include "vmm/vplat/vplat_ports.h"

#include <errno.h>

#define RST_CNT_PORTS 1u

/* The dispatcher passes only the sizes each device takes: bytes, or the report's dword. */

static uint32_t uart_read(void *ctx, unsigned int offset, unsigned int size)
{
	(void)size;
	return vuart_read(ctx, offset);
}

static enum vplat_end uart_write(void *ctx, unsigned int offset, unsigned int size, uint32_t value)
{
	(void)size;
	vuart_write(ctx, offset, (uint8_t)value);
	return VPLAT_END_NONE;
}

static enum vplat_end report_write(void *ctx, unsigned int offset, unsigned int size,
				   uint32_t value)
{
	struct vplat_report *r = ctx;

	(void)offset;
	(void)size;
	r->last_word = value;
	r->last = guest_report_feed(&r->stream, value);
	if (r->last == 0)
		r->words++;
	else if (r->last == -EINVAL)
		r->stray++;
	else
		r->out_of_order++;
	return VPLAT_END_NONE;
}

static uint32_t sleep_read(void *ctx, unsigned int offset, unsigned int size)
{
	(void)size;
	return vplat_sleep_read(ctx, offset);
}

static enum vplat_end sleep_write(void *ctx, unsigned int offset, unsigned int size, uint32_t value)
{
	(void)size;
	return vplat_sleep_write(ctx, offset, (uint8_t)value);
}

static uint32_t reset_read(void *ctx, unsigned int offset, unsigned int size)
{
	(void)offset;
	(void)size;
	return vplat_reset_read(ctx);
}

static enum vplat_end reset_write(void *ctx, unsigned int offset, unsigned int size, uint32_t value)
{
	(void)offset;
	(void)size;
	return vplat_reset_write(ctx, (uint8_t)value);
}

static const struct vplat_io_ops uart_ops = { .read = uart_read, .write = uart_write };
static const struct vplat_io_ops report_ops = { .write = report_write };
static const struct vplat_io_ops sleep_ops = { .read = sleep_read, .write = sleep_write };
static const struct vplat_io_ops reset_ops = { .read = reset_read, .write = reset_write };

int vplat_ports_init(struct vplat_ports *p, const char *vm_name, vuart_out_fn uart_out,
		     void *uart_ctx)
{
	/* name, base, ports, read widths, write widths, model */
	const struct vplat_io_dev devs[VPLAT_PORTS_DEVS] = {
		{ "com1", VUART_COM1, VUART_PORTS, VPLAT_IO_8BIT, VPLAT_IO_8BIT, &uart_ops,
		  &p->uart },
		{ "guest-report", GUEST_REPORT_PORT, GUEST_REPORT_PORT_LEN, 0, VPLAT_IO_32BIT,
		  &report_ops, &p->report },
		{ "acpi-sleep", ACPI_GUEST_SLEEP_CONTROL_PORT, VPLAT_SLEEP_PORTS, VPLAT_IO_8BIT,
		  VPLAT_IO_8BIT, &sleep_ops, &p->sleep },
		{ "rst-cnt", ACPI_GUEST_RESET_PORT, RST_CNT_PORTS, VPLAT_IO_8BIT, VPLAT_IO_8BIT,
		  &reset_ops, &p->reset },
	};

	vuart_init(&p->uart, vm_name, uart_out, uart_ctx);
	p->report = (struct vplat_report){ 0 };
	guest_report_stream_init(&p->report.stream);
	vplat_sleep_init(&p->sleep);
	vplat_reset_init(&p->reset);
	vplat_io_init(&p->io);
	for (unsigned int i = 0; i < VPLAT_PORTS_DEVS; i++) {
		int err = vplat_io_add(&p->io, &devs[i]);

		if (err)
			return err;
	}
	return 0;
}
