/* SPDX-License-Identifier: MIT */
#ifndef SKIFF_KERNEL_TRAP_H
#define SKIFF_KERNEL_TRAP_H

#include <stdint.h>

#define TRAP_EXCEPTION_VECTORS 32
#define TRAP_STUB_SIZE	       16

/* What kernel/trap_entry.S leaves on the stack, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "matches trap_entry.S");

/* idt_init - install the IDT: every CPU exception vector reports and ends the run; vectors
 * 32-255 go to irq_dispatch() (kernel/irq.h). */
void idt_init(void);

/* trap_handler - report an exception (vector, error code, RIP, CR2, registers) and end the run
 * with a FAIL verdict. Called from trap_entry.S only. */
void trap_handler(struct trap_frame *f) __attribute__((noreturn));

#endif
