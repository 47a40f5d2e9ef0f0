/* SPDX-License-Identifier: MIT */
/*
 * The guest's own address translation, linear to guest-physical, as the CPU would do it for an
 * instruction fetch: paging off (linear = physical), or 4-level long-mode paging (Intel SDM
 * vol. 3A 4.5, AMD APM vol. 2 5.3: PML4E, PDPTE with 1 GiB pages, PDE with 2 MiB pages, PTE).
 * Used to read the guest's code at CS:RIP when an exit reports neither the instruction length
 * nor its bytes. Legacy 32-bit and PAE paging are not walked (-EOPNOTSUPP). Accessed and dirty
 * bits are not set. Pure: the guest's tables are read through a callback; runs on the host.
 */
#ifndef SKIFF_VMM_GUEST_WALK_H
#define SKIFF_VMM_GUEST_WALK_H

#include <stdint.h>

#include "vmm/vcpu_state.h"

#define GUEST_WALK_LEVELS 4

/* Read the 8-byte table entry at guest-physical @gpa (8-byte aligned) into @e: 0 or -errno. */
typedef int (*guest_walk_read_fn)(void *ctx, uint64_t gpa, uint64_t *e);

/*
 * guest_walk - translate linear @la under @pg (CR0.PG, CR4.PAE, EFER.LMA, CR3) into @gpa.
 * Returns 0, -ENOENT when an entry on the way is not present (the guest would take #PF),
 * -EOPNOTSUPP for legacy or PAE paging, or @read's error.
 */
int guest_walk(const struct vcpu_paging *pg, uint64_t la, guest_walk_read_fn read, void *ctx,
	       uint64_t *gpa);

#endif
