/* SPDX-License-Identifier: MIT */
/*
 * Bit fields, array lengths, single-copy accesses and the structure around a member: the one
 * place skiff says each of these.
 * Every hardware field is a GENMASK() named after the specification's field; FIELD_PREP() and
 * FIELD_GET() move values in and out of it. Usable by the image and by host tests alike.
 */
#ifndef SKIFF_KERNEL_BITS_H
#define SKIFF_KERNEL_BITS_H

#include <stddef.h>
#include <stdint.h>

/* Bits @h down to @l (inclusive) of a 64-bit word; 0 <= l <= h <= 63. */
#define GENMASK(h, l) ((~0ull >> (63u - (h))) & (~0ull << (l)))
/* @v placed in the field @mask (a constant, contiguous, non-zero); excess bits of @v dropped. */
#define FIELD_PREP(mask, v) (((uint64_t)(v) << __builtin_ctzll(mask)) & (mask))
/* The field @mask of the word @w, shifted down to bit 0. */
#define FIELD_GET(mask, w) (((uint64_t)(w) & (mask)) >> __builtin_ctzll(mask))

/* Elements of the array @a (an array, never a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The @type whose member @member @ptr points at (a generic object embedded in a specific one). */
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/*
 * One load / one store of @x, at its full width, that the compiler may neither split, merge nor
 * drop: for words a device or another CPU reads concurrently (a table entry the IOMMU walks, an
 * IRTE, a register). Naturally aligned scalars only. WRITE_ONCE() orders nothing by itself; the
 * release form orders every earlier store before it (an entry made present after its contents).
 */
#define READ_ONCE(x)		 (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	 (*(volatile __typeof__(x) *)&(x) = (v))
#define WRITE_ONCE_RELEASE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

#endif
