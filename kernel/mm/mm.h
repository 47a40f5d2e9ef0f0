/* SPDX-License-Identifier: MIT */
/* skiff's memory after ExitBootServices: frames, heap, and its own identity-mapped page tables. */
#ifndef SKIFF_KERNEL_MM_MM_H
#define SKIFF_KERNEL_MM_MM_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_info.h"
#include "kernel/mm/pmm.h"

#define LOW_MEMORY_END (1ull << 20) /* below 1 MiB: left to real-mode uses (AP start-up later) */
#define ADDRESS_4G     (1ull << 32)

extern struct pmm kernel_pmm;

/* heap_init - let newlib's malloc grow over [@base, @base + @size) through sbrk. */
void heap_init(uint64_t base, uint64_t size);

/* heap_used - bytes of the heap sbrk has handed out. */
uint64_t heap_used(void);

/*
 * mm_init_frames - give the frame allocator the memory that is free right after EBS:
 * conventional and loader memory, less skiff's own ranges and the first MiB.
 * Returns 0 or a negative errno from pmm_add_range_except().
 */
int mm_init_frames(const struct boot_info *bi);

/*
 * mm_init_paging - build skiff's identity-mapped page tables from the memory map (RAM
 * write-back; MMIO and the holes below 4 GiB uncached; page 0 and the stack guard page not
 * present), load CR3, and then give the firmware's boot-services memory to the allocator.
 * Returns 0 or a negative errno (the firmware's tables stay in CR3 on error).
 */
int mm_init_paging(const struct boot_info *bi);

/* mm_root - physical address of skiff's PML4 (0 before mm_init_paging()). */
uint64_t mm_root(void);

/* mm_translate - pt_translate() on skiff's own tables; see kernel/arch/x86/paging.h. */
int mm_translate(uint64_t va, uint64_t *pa, uint64_t *leaf_flags, uint64_t *page_size);

/* mm_is_mapped - whether every byte of [@pa, @pa + @len) is mapped in skiff's tables. */
bool mm_is_mapped(uint64_t pa, uint64_t len);

/*
 * mm_map_mmio - make [@pa, @pa + @size) reachable as uncached, non-executable memory.
 * Ranges skiff already maps uncached (the holes below 4 GiB, MMIO in the memory map) are left
 * as they are. Returns 0, -EINVAL when part of the range is mapped write-back (RAM), or
 * pt_map()'s error.
 */
int mm_map_mmio(uint64_t pa, uint64_t size);

/* page_alloc_zeroed - one zeroed 4 KiB frame; 0 or -ENOMEM. */
int page_alloc_zeroed(uint64_t *pa);

#endif
