/* SPDX-License-Identifier: MIT */
/*
 * Physical frame allocator: 4 KiB frames in zones of free physical memory, one bitmap per zone.
 * Pure bookkeeping: it never reads or writes the frames it manages (bitmaps come from the
 * heap), so it is tested on the host with made-up addresses.
 */
#ifndef SKIFF_KERNEL_MM_PMM_H
#define SKIFF_KERNEL_MM_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"

#define PMM_FRAME_SIZE 4096ull
/* Every memory-map region can become a zone, plus the pieces skiff's own ranges and the files
 * boot/ read split off. */
#define PMM_MAX_ZONES (BOOT_MAX_REGIONS + 2 * (SKIFF_RANGE_COUNT + BOOT_MAX_FILES) + 2)

struct pmm_zone {
	uint64_t base;	  /* physical address, frame aligned */
	uint64_t frames;  /* zone length in frames */
	uint64_t free;	  /* free frames in the zone */
	uint64_t *bitmap; /* bit set = frame in use */
};

struct pmm {
	unsigned int nr_zones;
	uint64_t total_frames;
	uint64_t free_frames;
	struct pmm_zone zones[PMM_MAX_ZONES];
};

/*
 * pmm_add_range - give [@base, @base + @size) to the allocator as free frames.
 * The range is shrunk inward to frame boundaries (a range with no whole frame adds nothing).
 * Returns 0, -EEXIST when it overlaps a zone already added, -ENOSPC when PMM_MAX_ZONES are in
 * use, -ENOMEM when its bitmap cannot be allocated, -EINVAL when it wraps past 2^64.
 */
int pmm_add_range(struct pmm *p, uint64_t base, uint64_t size);

/*
 * pmm_add_range_except - pmm_add_range() of what remains of [@base, @base + @size) after the
 * @nr_holes ranges in @holes are cut out. Returns 0 or the first error of pmm_add_range().
 */
int pmm_add_range_except(struct pmm *p, uint64_t base, uint64_t size,
			 const struct phys_range *holes, size_t nr_holes);

/*
 * pmm_alloc - take @frames contiguous free frames whose first frame's address is a multiple of
 * @align_frames frames (a power of two, >= 1). The frames are not zeroed.
 * Returns 0 and the physical address in @pa, -EINVAL for bad arguments, -ENOMEM when no
 * such run exists.
 */
int pmm_alloc(struct pmm *p, uint64_t frames, uint64_t align_frames, uint64_t *pa);

/*
 * pmm_free - give back @frames frames at @pa, which pmm_alloc() returned.
 * Returns 0, or -EINVAL (nothing is changed) when @pa is not frame aligned, the range is not
 * inside one zone, or any frame in it is already free (a double free).
 */
int pmm_free(struct pmm *p, uint64_t pa, uint64_t frames);

/* pmm_is_allocated - whether every frame of [@pa, @pa + @frames frames) was handed out by
 * pmm_alloc() and not freed (false for frames outside every zone). */
bool pmm_is_allocated(const struct pmm *p, uint64_t pa, uint64_t frames);

/* pmm_release - free every zone's bitmap; @p is empty afterwards. */
void pmm_release(struct pmm *p);

#endif
