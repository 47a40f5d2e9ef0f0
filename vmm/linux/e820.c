// SPDX-License-Identifier: MIT
/* The guest's e820 memory map: see e820.h. */
#include "vmm/linux/e820.h"

#include <errno.h>
#include <string.h>

static bool known_type(enum e820_type t)
{
	return t >= E820_RAM && t <= E820_UNUSABLE;
}

int e820_sort(const struct e820_range *in, unsigned int nr, struct e820_range *out,
	      char why[LINUX_WHY_LEN])
{
	struct e820_range r;

	if (nr > E820_MAX_ENTRIES)
		return LINUX_REFUSE(why, -E2BIG, "e820: %u ranges, the zero page holds %u", nr,
				    E820_MAX_ENTRIES);
	for (unsigned int i = 0; i < nr; i++) {
		if (!in[i].size || in[i].addr > UINT64_MAX - (in[i].size - 1))
			return LINUX_REFUSE(
				why, -EINVAL,
				"e820: range %u at 0x%llx has size 0x%llx (zero or past 2^64)", i,
				(unsigned long long)in[i].addr, (unsigned long long)in[i].size);
		if (!known_type(in[i].type))
			return LINUX_REFUSE(why, -EINVAL, "e820: range %u at 0x%llx has type %d", i,
					    (unsigned long long)in[i].addr, (int)in[i].type);
	}
	if (out != in)
		memmove(out, in, nr * sizeof(*in));
	/* Insertion sort: at most 128 entries, and the input is usually sorted already. */
	for (unsigned int i = 1; i < nr; i++) {
		unsigned int j = i;

		r = out[i];
		for (; j > 0 && out[j - 1].addr > r.addr; j--)
			out[j] = out[j - 1];
		out[j] = r;
	}
	for (unsigned int i = 1; i < nr; i++)
		if (out[i].addr - out[i - 1].addr < out[i - 1].size)
			return LINUX_REFUSE(
				why, -EINVAL, "e820: [0x%llx, +0x%llx) overlaps [0x%llx, +0x%llx)",
				(unsigned long long)out[i - 1].addr,
				(unsigned long long)out[i - 1].size,
				(unsigned long long)out[i].addr, (unsigned long long)out[i].size);
	return 0;
}

bool e820_covers(const struct e820_range *map, unsigned int nr, uint64_t addr, uint64_t size,
		 enum e820_type type)
{
	if (!size || addr > UINT64_MAX - (size - 1))
		return false;
	for (unsigned int i = 0; i < nr; i++)
		if (map[i].type == type && map[i].size && addr >= map[i].addr &&
		    addr - map[i].addr <= map[i].size - 1 &&
		    size - 1 <= map[i].size - 1 - (addr - map[i].addr))
			return true;
	return false;
}
