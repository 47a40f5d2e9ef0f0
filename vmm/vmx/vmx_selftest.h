/* SPDX-License-Identifier: MIT */
#ifndef SKIFF_VMM_VMX_VMX_SELFTEST_H
#define SKIFF_VMM_VMX_VMX_SELFTEST_H

/* The bring-up guest's contract (vmx_selftest_guest.S, also included by the assembler). */
#define VMX_TINY_LOAD	0x8000	       /* guest-physical load address and entry point */
#define VMX_TINY_RAM	0x100000       /* RAM at guest-physical 0: 1 MiB */
#define VMX_TINY_PROBE	0x80000000     /* 2 GiB: no RAM, no device */
#define VMX_TINY_CHAR	0x76	       /* 'v', written to the console port */
#define VMX_TINY_STORE	0x5a5a5a5a     /* the value stored at the probe */
#define VMX_TINY_IDT	VMX_TINY_PROBE /* the guest's IDT base: in the hole, so delivery exits */
#define VMX_TINY_VECTOR 0x20	       /* the interrupt injected */
#define VMX_TINY_GATE	8	       /* bytes of a 32-bit IDT gate (vol. 3A 6.11) */
#define VMX_TINY_PGDIR	VMX_TINY_PROBE /* the page directory of vmx.ept_walk: in the hole */

#ifndef __ASSEMBLER__
#include "kernel/platform/platform.h"

/*
 * vmx_selftest - "selftest=vmx": VMX bring-up on this CPU, checked exit by exit with a tiny
 * guest (vmx_selftest_guest.S) on one vCPU of the VMX backend with EPT, an injected interrupt
 * whose delivery exits and is re-injected, a page walk that exits, then a VM entry with invalid
 * guest state. One "PASS vmx.<check>" / "FAIL vmx.<check>: <why>" line per check:
 *   vmx.enable        VMXON succeeded (vmx_enable());
 *   vmx.build         the VM, its EPT tables and the vCPU were created and loaded;
 *   vmx.io            OUT imm8, AL exited as port I/O to the console port, 1 byte, length 2;
 *   vmx.cpuid         CPUID exited with leaf 0 in RAX, length 2;
 *   vmx.ept_read      the load at the probe exited as an EPT violation (read) at its address,
 *                     neither a page walk nor an event delivery, and was completed with all ones;
 *   vmx.ept_write     the store exited as an EPT violation (write) and was dropped;
 *   vmx.hypercall     VMCALL exited with HC_EXIT and the loaded all ones in RBX, length 3;
 *   vmx.hlt           HLT exited, length 1;
 *   vmx.inject        with RFLAGS.IF set, an interrupt requested with vcpu_inject_interrupt() is
 *                     injected at the next entry (before the HLT runs again): its delivery reads
 *                     the IDT gate at VMX_TINY_IDT, in the hole, and exits as an EPT violation
 *                     marked as during event delivery;
 *   vmx.reinject      that exit's IDT-vectoring information is injected again: the next entry
 *                     delivers the same interrupt, which exits at the same gate, RIP still at HLT;
 *   vmx.ept_walk      started with 32-bit paging on and CR3 at VMX_TINY_PGDIR (in the hole), the
 *                     guest's first fetch exits as an EPT violation on its PDE, marked as a page
 *                     walk (SDM 3C 28.2.1 table 28-7 bit 8 clear), RIP at the entry point;
 *   vmx.entry_fail    a TR marked unusable fails VM entry with exit reason 33 (invalid guest
 *                     state, bit 31 set), reported as VCPU_EXIT_ENTRY_FAIL.
 * @p is unused.
 */
void vmx_selftest(struct platform *p);
#endif

#endif
