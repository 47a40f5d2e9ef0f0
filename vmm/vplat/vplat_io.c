// SPDX-License-Identifier: MIT
/* The guest platform's I/O-port dispatch (see vplat_io.h). */
#include "vmm/vplat/vplat_io.h"

#include <errno.h>
#include <string.h>

#define ALL_ONES  0xffffffffu
#define BYTE_BITS 8u

/* The low @size bytes of a 32-bit value (size 1, 2 or 4). */
static uint32_t size_mask(unsigned int size)
{
	return size == sizeof(uint32_t) ? ALL_ONES : (1u << (size * BYTE_BITS)) - 1;
}

static bool size_ok(unsigned int size)
{
	return size == VPLAT_IO_8BIT || size == VPLAT_IO_16BIT || size == VPLAT_IO_32BIT;
}

static bool sizes_ok(uint8_t sizes)
{
	return !(sizes & ~VPLAT_IO_SIZES);
}

void vplat_io_init(struct vplat_io *io)
{
	memset(io, 0, sizeof(*io));
}

/* Do [a, a + alen) and [b, b + blen) share a port? */
static bool overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return a < b + blen && b < a + alen;
}

int vplat_io_add(struct vplat_io *io, const struct vplat_io_dev *dev)
{
	const struct vplat_io_ops *ops = dev->ops;

	if (!dev->len || dev->len > VPLAT_IO_SPACE - dev->base || !ops)
		return -EINVAL;
	if (!sizes_ok(dev->read_sizes) || !sizes_ok(dev->write_sizes) ||
	    !(dev->read_sizes | dev->write_sizes))
		return -EINVAL;
	if ((dev->read_sizes && !ops->read) || (dev->write_sizes && !ops->write))
		return -EINVAL;
	for (unsigned int i = 0; i < io->count; i++) {
		const struct vplat_io_dev *o = &io->slot[i].dev;

		if (overlap(dev->base, dev->len, o->base, o->len) &&
		    ((dev->read_sizes | dev->write_sizes) & (o->read_sizes | o->write_sizes)))
			return -EEXIST;
	}
	if (io->count == VPLAT_IO_MAX_DEVS)
		return -ENOSPC;
	memset(&io->slot[io->count], 0, sizeof(io->slot[io->count]));
	io->slot[io->count++].dev = *dev;
	return 0;
}

/* Does @s take an access of @size bytes at @port in this direction? */
static bool takes(const struct vplat_io_slot *s, uint16_t port, unsigned int size, bool in)
{
	uint32_t offset = (uint32_t)port - s->dev.base;
	uint8_t sizes = in ? s->dev.read_sizes : s->dev.write_sizes;

	return port >= s->dev.base && (sizes & size) && offset % size == 0 &&
	       offset + size <= s->dev.len;
}

/* The slot that takes the access, or NULL (at most one does: vplat_io_add()). */
static struct vplat_io_slot *taker(struct vplat_io *io, uint16_t port, unsigned int size, bool in)
{
	for (unsigned int i = 0; i < io->count; i++)
		if (takes(&io->slot[i], port, size, in))
			return &io->slot[i];
	return NULL;
}

/* The slot holding the lowest port of [@port, @port + @size) any slot holds, or NULL. */
static struct vplat_io_slot *holder(struct vplat_io *io, uint16_t port, unsigned int size)
{
	for (uint32_t p = port; p < (uint32_t)port + size; p++)
		for (unsigned int i = 0; i < io->count; i++) {
			struct vplat_io_slot *s = &io->slot[i];

			if (p >= s->dev.base && p - s->dev.base < s->dev.len)
				return s;
		}
	return NULL;
}

int vplat_io_access(struct vplat_io *io, uint16_t port, unsigned int size, bool in, uint32_t value,
		    struct vplat_io_result *res)
{
	struct vplat_io_slot *s;
	unsigned int offset;

	if (!size_ok(size))
		return -EINVAL;
	s = taker(io, port, size, in);
	*res = (struct vplat_io_result){
		.status = VPLAT_IO_HANDLED,
		.end = VPLAT_END_NONE,
		.value = in ? size_mask(size) : 0,
	};
	if (!s) {
		s = holder(io, port, size);
		if (s) {
			res->status = VPLAT_IO_REFUSED;
			res->dev = s->dev.name;
			s->refused++;
		} else {
			res->status = VPLAT_IO_UNKNOWN;
			io->unknown++;
		}
		return 0;
	}
	res->dev = s->dev.name;
	offset = port - s->dev.base;
	if (in) {
		s->reads++;
		res->value = s->dev.ops->read(s->dev.ctx, offset, size) & size_mask(size);
		return 0;
	}
	s->writes++;
	res->end = s->dev.ops->write(s->dev.ctx, offset, size, value & size_mask(size));
	if (res->end != VPLAT_END_NONE)
		res->status = VPLAT_IO_END_VM;
	return 0;
}

const char *vplat_io_status_name(enum vplat_io_status status)
{
	switch (status) {
	case VPLAT_IO_HANDLED:
		return "handled";
	case VPLAT_IO_END_VM:
		return "end vm";
	case VPLAT_IO_UNKNOWN:
		return "unknown";
	case VPLAT_IO_REFUSED:
		return "refused";
	default:
		return "?";
	}
}
