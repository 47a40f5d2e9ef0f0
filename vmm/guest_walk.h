/* SPDX-License-Identifier: MIT */
/*
 * The guest's own address translation, linear to guest-physical, as the CPU does it for an
 * instruction fetch, in every paging mode (Intel SDM vol. 3A ch. 4, AMD APM vol. 2 ch. 5):
 *  - paging off (CR0.PG = 0): linear = physical, 32 bits;
 *  - 32-bit paging (CR0.PG, CR4.PAE = 0; SDM 4.3, APM 5.2): 4-byte PDE and PTE; with CR4.PSE a
 *    PDE with PS maps a 4 MiB page whose physical-address bits M-1:32 are PDE bits M-20:13
 *    (PSE-36), M = min(MAXPHYADDR, 40) (SDM table 4-4 and its note 2);
 *  - PAE paging (CR4.PAE, EFER.LMA = 0; SDM 4.4, APM 5.3 legacy mode): 4 PDPTEs at CR3 bits
 *    31:5, then 8-byte PDE (PS: a 2 MiB page) and PTE;
 *  - 4-level and 5-level paging (EFER.LMA; CR4.LA57 adds the PML5 table; SDM 4.5, APM 5.3 long
 *    mode): PML5E, PML4E, PDPTE (PS: 1 GiB), PDE (PS: 2 MiB), PTE.
 * Outside long mode the linear address is its low 32 bits; CR4.PSE counts only in 32-bit paging.
 * Checked as the CPU checks them for a fetch: present bits (a fetch through a not-present entry
 * is a #PF), reserved bits (#PF with RSVD: physical-address bits at or above MAXPHYADDR, PS in a
 * PML5E or PML4E, the reserved bits of a PAE PDPTE, bits 20:13 of a 2 MiB and 29:13 of a 1 GiB
 * leaf, bits 21:M-19 of a 4 MiB PDE, PAE's bits 62:M, XD while EFER.NXE is 0) and, in long mode,
 * that the address is canonical (48 or 57 bits: else #GP). Not checked: the R/W, U/S and XD
 * permissions and SMEP/SMAP/PKRU (skiff reads the code on the guest's behalf, it does not decide
 * its faults), and no accessed or dirty bit is set. Taken as supported, as on every x86-64
 * processor: PSE-36, the PAT bits and 1 GiB pages. PAE's PDPTEs are read from memory, where the
 * CPU loaded them from at the last write of CR3 (SDM 4.4.1): a guest that changed them since sees
 * the old ones on the CPU and the new ones here.
 * Used to read the guest's code at CS:RIP when an exit reports neither the instruction length
 * nor its bytes. Pure: the guest's tables are read through a callback; runs on the host.
 */
#ifndef SKIFF_VMM_GUEST_WALK_H
#define SKIFF_VMM_GUEST_WALK_H

#include <stdint.h>

#include "vmm/vcpu_state.h"

/* The MAXPHYADDR range (@pg->pa_bits) the walk takes (SDM 4.1.4: 32 up to 52). */
#define GUEST_WALK_PA_BITS_MIN 32u
#define GUEST_WALK_PA_BITS_MAX 52u

/*
 * Read the table entry of @size bytes (4 for 32-bit paging, 8 for the others) at guest-physical
 * @gpa (aligned to @size) into @e, zero-extended: 0 or -errno (-EFAULT: outside the guest's
 * memory).
 */
typedef int (*guest_walk_read_fn)(void *ctx, uint64_t gpa, unsigned int size, uint64_t *e);

/*
 * guest_walk - translate linear @la under @pg (CR0.PG, CR3, CR4.PAE/PSE/LA57, EFER.LMA/NXE and
 * MAXPHYADDR @pg->pa_bits) into @gpa. Returns
 *   0            @gpa set;
 *   -ENOENT      an entry on the way is not present (the guest would take #PF);
 *   -ERANGE      an entry on the way has a reserved bit set (#PF with RSVD set);
 *   -EINVAL      @la is not canonical in long mode (#GP);
 *   -EOPNOTSUPP  no paging mode: EFER.LMA without CR0.PG and CR4.PAE, or @pg->pa_bits outside
 *                GUEST_WALK_PA_BITS_MIN..MAX;
 *   or @read's error.
 */
int guest_walk(const struct vcpu_paging *pg, uint64_t la, guest_walk_read_fn read, void *ctx,
	       uint64_t *gpa);

#endif
