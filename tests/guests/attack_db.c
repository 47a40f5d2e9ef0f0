// SPDX-License-Identifier: MIT
/*
 * Attacks "db" and "dbbp" (finding 2 of the hostile-guest review; CVE-2015-8104, XSA-156): #DB
 * without end. The #DB gate runs on interrupt stack 1 (IST, SDM vol. 3A 6.14.5), so each
 * delivery pushes its frame to the same addresses, and its handler returns with the TF of the
 * code it interrupted: a single-stepped endless loop raises a #DB at every instruction, for
 * ever ("db"). "dbbp" adds CVE-2015-8104's recipe: data breakpoint 0 on the frame's SS slot
 * (DR7 L0, R/W0 = writes, LEN0 = 8 bytes: SDM vol. 3B 18.2.4). A CPU that arms it takes the
 * next #DB in every delivery, before any instruction boundary where a host interrupt could
 * come: the physical CPU is lost. skiff keeps the debug registers in software (vmm/vcpu_dr.h),
 * so no breakpoint arms and "dbbp" becomes "db". skiff intercepts #DB and reflects each one:
 * every round is an exit, and skiff stops the guest at its exit budget; the judge
 * (vmm/hostile.c) checks that the exits were #DB reflections. Without the intercept "db" loops
 * with no exit at all, and skiff never runs again.
 */
#include <stdbool.h>

#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define EXC_DB	      1
#define DB_IST	      1
#define DB_STACK_SIZE 4096
#define FRAME_SS_SLOT 8		   /* the first word delivery pushes, below the IST top */
#define DR7_L0	      (1ull << 0)  /* breakpoint 0 enabled */
#define DR7_RW0_WRITE (1ull << 16) /* R/W0 = 01b: data writes */
#define DR7_LEN0_8    (2ull << 18) /* LEN0 = 10b: 8 bytes */

/* The #DB handler: return, with the TF of the interrupted loop (a single step further). */
__asm__(".text\n"
	"db_iret:\n"
	"	iretq\n");
void db_iret(void);

static uint8_t db_stack[DB_STACK_SIZE] __attribute__((aligned(16)));

static uint32_t db_loop(bool breakpoint)
{
	uint64_t top = (uintptr_t)(db_stack + sizeof(db_stack));

	user_set_ist(DB_IST, top);
	idt_gate(EXC_DB, db_iret, 0, DB_IST);
	if (breakpoint) {
		__asm__ volatile("mov %0, %%db0" : : "r"(top - FRAME_SS_SLOT));
		__asm__ volatile("mov %0, %%db7" : : "r"(DR7_L0 | DR7_RW0_WRITE | DR7_LEN0_8));
	}
	put(breakpoint ?
		    "db: #DB on IST 1, data breakpoint 0 on its frame; single-stepping a loop\n" :
		    "db: #DB on IST 1; single-stepping a loop\n");
	__asm__ volatile("pushfq\n"
			 "orq %0, (%%rsp)\n"
			 "popfq\n"
			 "1: jmp 1b\n"
			 :
			 : "i"(RFLAGS_TF)
			 : "memory");
	__builtin_unreachable();
}

static uint32_t attack_db(void)
{
	return db_loop(false);
}

static uint32_t attack_dbbp(void)
{
	return db_loop(true);
}

GUEST_ATTACK(db, attack_db);
GUEST_ATTACK(dbbp, attack_dbbp);
