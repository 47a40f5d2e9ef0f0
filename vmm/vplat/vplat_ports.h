/* SPDX-License-Identifier: MIT */
/*
 * The I/O ports of skiff's guest platform, one VM's worth: which model answers where, and in
 * which widths (the dispatch is vmm/vplat/vplat_io.h's):
 *
 *   0x3F8-0x3FF  "com1"          16550A UART (vmm/vplat/vuart.h)         8-bit in and out
 *   0x508-0x50B  "guest-report"  the report port (guest_report_abi.h)    32-bit out at 0x508
 *   0x600-0x601  "acpi-sleep"    sleep control and status (vplat_pm.h)   8-bit in and out
 *   0xCF9        "rst-cnt"       reset control (vplat_pm.h)              8-bit in and out
 *
 * Everything else is no device's (UNKNOWN: reads all ones), and so is an access of the wrong
 * width or direction to these (REFUSED: the same answer, counted on the device): a 16- or
 * 32-bit access to the UART is not split into bytes; an IN from the report port reads all
 * ones, as it does on plain QEMU where nothing claims it.
 * Pure: the caller feeds it the guest's IN and OUT exits through vplat_io_access(&p->io, ...).
 */
#ifndef SKIFF_VMM_VPLAT_VPLAT_PORTS_H
#define SKIFF_VMM_VPLAT_VPLAT_PORTS_H

#include <stdint.h>

#include "vmm/vplat/guest_report.h"
#include "vmm/vplat/vplat_io.h"
#include "vmm/vplat/vplat_pm.h"
#include "vmm/vplat/vuart.h"

#define VPLAT_PORTS_DEVS 4u

/* The report port's follower: every 32-bit OUT at GUEST_REPORT_PORT goes through it. */
struct vplat_report {
	struct guest_report_stream stream;
	uint64_t words;	       /* report words taken in order */
	uint64_t stray;	       /* writes that were no report word (-EINVAL) */
	uint64_t out_of_order; /* report words out of order (-EPROTO; the stream is BROKEN) */
	int last;	       /* guest_report_feed()'s return for the last write */
	uint32_t last_word;    /* the last write */
};

struct vplat_ports {
	struct vuart uart;
	struct vplat_report report;
	struct vplat_sleep sleep;
	struct vplat_reset reset;
	struct vplat_io io;
};

/*
 * vplat_ports_init - @p at power on for the VM named @vm_name (the UART's line prefix), the
 * UART's lines going to @uart_out(@uart_ctx, ...) (vuart_init()), the table built with the
 * four devices above. @p must stay where it is: the table points into it.
 * Returns 0, or vplat_io_add()'s error (none with this map; a host test checks that).
 */
int vplat_ports_init(struct vplat_ports *p, const char *vm_name, vuart_out_fn uart_out,
		     void *uart_ctx);

#endif
