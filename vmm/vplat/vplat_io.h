/* SPDX-License-Identifier: MIT */
/*
 * The guest platform's I/O-port dispatch: a small table from port ranges to device models,
 * built once (overlaps refused), then asked for each IN or OUT the guest makes (an I/O exit's
 * port, size and direction; string and REP forms are the caller's to refuse or split).
 *
 * Two devices may share ports only when they take no width in common, as a PC decodes
 * 0xCF8-0xCFB: a dword there is PCI mechanism #1's CONFIG_ADDRESS, a byte at 0xCF9 the reset
 * control register RST_CNT. So at most one device takes any one access.
 *
 * Each access ends one of four ways:
 *  - HANDLED: a device took it (an IN's value is in the result);
 *  - END_VM:  a device took a write that powers the machine off or resets it (the reason is
 *             in the result); the caller stops the guest and reports it;
 *  - UNKNOWN: no device has any of its ports; an IN reads all ones, as on a PC bus with
 *             nothing there, an OUT is dropped. The caller counts and rate-limits its log;
 *  - REFUSED: no device takes it, but one has some of its ports (a width or direction that
 *             device does not take, not naturally aligned, or not entirely inside its range);
 *             answered as UNKNOWN and counted on that device.
 * Pure: no allocation, no I/O, no logging.
 */
#ifndef SKIFF_VMM_VPLAT_VPLAT_IO_H
#define SKIFF_VMM_VPLAT_VPLAT_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/vplat/vplat_pm.h"

#define VPLAT_IO_MAX_DEVS 8u
#define VPLAT_IO_SPACE	  0x10000u /* ports 0 .. 0xFFFF */

/* Access widths a device accepts, as a mask whose bits are the sizes in bytes themselves. */
#define VPLAT_IO_8BIT  1u
#define VPLAT_IO_16BIT 2u
#define VPLAT_IO_32BIT 4u
#define VPLAT_IO_SIZES (VPLAT_IO_8BIT | VPLAT_IO_16BIT | VPLAT_IO_32BIT)

/*
 * A device model's side of an access: @offset from its base port, @size bytes (one it
 * accepts), naturally aligned and inside its range. read returns the value (@size bytes,
 * zero-extended); write takes @value (masked to @size bytes) and says whether it ends the VM.
 */
struct vplat_io_ops {
	uint32_t (*read)(void *ctx, unsigned int offset, unsigned int size);
	enum vplat_end (*write)(void *ctx, unsigned int offset, unsigned int size, uint32_t value);
};

/* One device: ports [base, base + len), the widths it takes each way (0: none), its model. */
struct vplat_io_dev {
	const char *name;
	uint16_t base;
	uint32_t len;
	uint8_t read_sizes, write_sizes; /* VPLAT_IO_8BIT | ... */
	const struct vplat_io_ops *ops;
	void *ctx;
};

struct vplat_io_slot {
	struct vplat_io_dev dev;
	uint64_t reads, writes; /* accesses it took */
	uint64_t refused;	/* accesses of its ports it did not take */
};

struct vplat_io {
	struct vplat_io_slot slot[VPLAT_IO_MAX_DEVS];
	unsigned int count;
	uint64_t unknown; /* accesses to no device's ports */
};

enum vplat_io_status {
	VPLAT_IO_HANDLED = 0,
	VPLAT_IO_END_VM,
	VPLAT_IO_UNKNOWN,
	VPLAT_IO_REFUSED,
};

struct vplat_io_result {
	enum vplat_io_status status;
	enum vplat_end end; /* with END_VM: why; else VPLAT_END_NONE */
	uint32_t value;	    /* an IN's value (size bytes, zero-extended); 0 for an OUT */
	const char *dev;    /* the device's name; NULL when UNKNOWN */
};

/* vplat_io_init - @io with no devices and no counts. */
void vplat_io_init(struct vplat_io *io);

/*
 * vplat_io_add - register @dev (copied; ops and ctx must outlive @io).
 * Returns 0, or:
 *   -EINVAL  @dev->len 0 or its range past port 0xFFFF; no ops; read or write sizes with
 *            bits other than VPLAT_IO_SIZES, or both 0; read sizes without ops->read, write
 *            sizes without ops->write;
 *   -EEXIST  its range shares a port with a device already registered that takes a width
 *            it takes too (either way);
 *   -ENOSPC  VPLAT_IO_MAX_DEVS devices are registered.
 * @io is unchanged on an error.
 */
int vplat_io_add(struct vplat_io *io, const struct vplat_io_dev *dev);

/*
 * vplat_io_access - the guest's IN (@in) or OUT of @size bytes (1, 2 or 4) at @port; an OUT
 * writes the low @size bytes of @value. The device that takes it handles it; when none does,
 * the one with the lowest port of [@port, @port + @size) refuses it, if any has one. The
 * outcome goes into @res (see the file comment).
 * Returns 0, or -EINVAL for another @size (@res and @io untouched: a caller's bug, as an
 * I/O exit reports only those three).
 */
int vplat_io_access(struct vplat_io *io, uint16_t port, unsigned int size, bool in, uint32_t value,
		    struct vplat_io_result *res);

/* vplat_io_status_name - "handled", "end vm", "unknown", "refused", or "?". */
const char *vplat_io_status_name(enum vplat_io_status status);

#endif
