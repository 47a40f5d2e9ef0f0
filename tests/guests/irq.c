// SPDX-License-Identifier: MIT
/*
 * Interrupts skiff injects (vcpu_inject_interrupt(), vmm/vcpu.h): the guest asks for one on
 * TEST_GUEST_IRQ_VECTOR by writing the vector to TEST_GUEST_IRQ_PORT and reads the request's
 * result back from it (0, or skiff's negative errno). With RFLAGS.IF set the interrupt arrives
 * before the next instruction; with IF clear it is held (through other exits) until the guest
 * sets IF, then arrives once; a second request while one is held is refused. A request made by
 * the OUT right after STI, in STI's interrupt shadow, arrives before the instruction after the
 * OUT: skiff completed the OUT, which ends the shadow (vcpu_skip()); a shadow left in force would
 * cover that next instruction, here a CLI, and hold the interrupt until the next STI.
 */
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

static uint32_t request(void)
{
	out8(TEST_GUEST_IRQ_PORT, TEST_GUEST_IRQ_VECTOR);
	return in32(TEST_GUEST_IRQ_PORT);
}

/* sti; out; cli: the interrupt arrives between the OUT and the CLI, once. */
static bool check_shadow_ends(void)
{
	uint32_t before = guest_irq_count, in_time, late, status;

	__asm__ volatile("sti; outb %%al, %%dx; cli"
			 :
			 : "a"((uint8_t)TEST_GUEST_IRQ_VECTOR), "d"((uint16_t)TEST_GUEST_IRQ_PORT)
			 : "memory");
	in_time = guest_irq_count - before;
	status = in32(TEST_GUEST_IRQ_PORT);
	__asm__ volatile("sti; nop; cli" ::: "memory");
	late = guest_irq_count - before - in_time;
	put("irq: requested in STI's shadow: taken after the OUT ");
	put_hex(in_time);
	put(", after the next STI ");
	put_hex(late);
	put("\n");
	return in_time == 1 && late == 0 && !status;
}

uint32_t check_inject(void)
{
	uint32_t before, at_once, held, after_sti, first, second;

	idt_route(TEST_GUEST_IRQ_VECTOR);
	before = guest_irq_count;
	__asm__ volatile("sti; nop" ::: "memory");
	out8(TEST_GUEST_IRQ_PORT, TEST_GUEST_IRQ_VECTOR);
	__asm__ volatile("cli" ::: "memory");
	at_once = guest_irq_count - before;
	first = in32(TEST_GUEST_IRQ_PORT);
	put("irq: with IF set: taken ");
	put_hex(at_once);
	put("\n");

	before = guest_irq_count;
	first |= request();
	second = request();
	put("irq: with IF clear: taken ");
	held = guest_irq_count - before;
	__asm__ volatile("sti; nop; cli" ::: "memory");
	after_sti = guest_irq_count - before;
	put_hex(held);
	put(", after STI ");
	put_hex(after_sti);
	put(second ? "; second request refused\n" : "; second request accepted\n");
	return (at_once == 1 && held == 0 && after_sti == 1 && !first && second ?
			0 :
			TEST_GUEST_FAIL_INJECT) |
	       (check_shadow_ends() ? 0 : TEST_GUEST_FAIL_SHADOW);
}
