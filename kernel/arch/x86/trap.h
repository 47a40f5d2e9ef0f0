/* SPDX-License-Identifier: MIT */
#ifndef SKIFF_KERNEL_ARCH_X86_TRAP_H
#define SKIFF_KERNEL_ARCH_X86_TRAP_H

#include <stdint.h>

#define TRAP_EXCEPTION_VECTORS 32
#define TRAP_STUB_SIZE	       16
#define TRAP_NMI_VECTOR	       2 /* SDM vol. 3A table 6-1 */

/* What kernel/arch/x86/trap_entry.S leaves on the stack, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "matches trap_entry.S");

/* idt_init - install the IDT: every CPU exception vector but the NMI reports and ends the run;
 * the NMI goes to nmi_dispatch(), vectors 32-255 to irq_dispatch() (kernel/arch/x86/irq.h). */
void idt_init(void);

/* trap_handler - report an exception (vector, error code, RIP, CR2, registers) and end the run
 * with a FAIL verdict. Called from trap_entry.S only. */
void trap_handler(struct trap_frame *f) __attribute__((noreturn));

/*
 * nmi_dispatch - a non-maskable interrupt, from outside skiff (skiff programs no NMI source:
 * a watchdog, a platform error, the VMX backend handing on one that came during a guest): it is
 * counted and the interrupted code goes on. Called from trap_entry.S only, with @vector 2. It
 * takes no lock and logs nothing (an NMI may interrupt the log itself): those who can report
 * read trap_nmi_count().
 */
void nmi_dispatch(uint64_t vector);

/* trap_nmi_count - the NMIs the host has taken since boot. */
uint64_t trap_nmi_count(void);

#endif
