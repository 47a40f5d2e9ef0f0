// SPDX-License-Identifier: MIT
/*
 * Interrupts skiff injects (vcpu_inject_interrupt(), vmm/vcpu.h): the guest asks for one on
 * TEST_GUEST_IRQ_VECTOR by writing the vector to TEST_GUEST_IRQ_PORT and reads the request's
 * result back from it (0, or skiff's negative errno). With RFLAGS.IF set the interrupt arrives
 * before the next instruction; with IF clear it is held (through other exits) until the guest
 * sets IF, then arrives once; a second request while one is held is refused.
 */
#include "tests/guests/guest.h"
#include "tests/guests/test_guest.h"

static uint32_t request(void)
{
	out8(TEST_GUEST_IRQ_PORT, TEST_GUEST_IRQ_VECTOR);
	return in32(TEST_GUEST_IRQ_PORT);
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
	return at_once == 1 && held == 0 && after_sti == 1 && !first && second ?
		       0 :
		       TEST_GUEST_FAIL_INJECT;
}
