/* SPDX-License-Identifier: MIT */
/*
 * What the test guest's files share: port I/O, the console (port HC_CONSOLE_PORT, shown by skiff
 * as "[guest] ..." lines), hypercalls, configuration mechanism #1 (pci.c) and the edu checks
 * (edu.c). Freestanding: no C library.
 */
#ifndef SKIFF_TESTS_GUESTS_GUEST_H
#define SKIFF_TESTS_GUESTS_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline void out8(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void out16(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void out32(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t in32(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint8_t in8(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t in16(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* main.c: hypercalls use VMCALL (skiff on VMX) rather than VMMCALL (SVM); set from CPUID. */
extern bool hc_vmcall;

/* hypercall - VMCALL or VMMCALL @nr with @arg in RBX (vmm/hypercall.h); returns RAX. */
static inline uint64_t hypercall(uint64_t nr, uint64_t arg)
{
	uint64_t ret;

	if (hc_vmcall)
		__asm__ volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(arg) : "memory");
	else
		__asm__ volatile("vmmcall" : "=a"(ret) : "a"(nr), "b"(arg) : "memory");
	return ret;
}

/* console.c */
void put(const char *s);
void put_hex(uint64_t v);

/* pci.c: configuration registers of bus 0, device @dev, function 0 (1, 2 or 4 bytes). */
uint32_t pci_read(unsigned int dev, unsigned int reg, unsigned int size);
void pci_write(unsigned int dev, unsigned int reg, unsigned int size, uint32_t v);
/* pci_find - the device number of @vendor:@device on bus 0, or -1. */
int pci_find(uint16_t vendor, uint16_t device);
/* pci_find_cap - the offset of capability @id (PCI 3.0 6.7) of @dev, or 0 when it has none. */
unsigned int pci_find_cap(unsigned int dev, unsigned int id);

/* idt.c: point @vector at @handler (a 64-bit interrupt gate, DPL 0). */
void idt_set(uint8_t vector, void (*handler)(void));
/* idt.c: the same with the gate's DPL @dpl (0-3: INT n reaches it from CPL <= @dpl) and
 * interrupt stack @ist (1-7: TSS IST[@ist], user.c; 0: none), SDM vol. 3A 6.14.1, 6.14.5. */
void idt_gate(uint8_t vector, void (*handler)(void), unsigned int dpl, unsigned int ist);
/* idt.c: load the guest's IDT again (after an attack pointed IDTR elsewhere). */
void idt_load(void);
/* idt.c: route @vector to guest_irq_entry (entry.S), which counts into guest_irq_count. */
void idt_route(uint8_t vector);
extern volatile uint32_t guest_irq_count;

/* trap.c: what trap_entry.S hands trap_handle(): the CPU's frame under the stub's two words. */
struct trap_frame {
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

#define TRAP_NONE (-1)

/* trap_init - route exceptions 0-31 to trap.c's handler. */
void trap_init(void);
/*
 * trap_expect - the next exception is expected: record it and resume @insn_len bytes past the
 * faulting instruction (the faulting RIP for a fault). Any other exception ends the guest with
 * TEST_GUEST_FAIL_EXCEPTION.
 */
void trap_expect(unsigned int insn_len);
/* trap_taken - the vector of the exception taken since trap_expect() (its error code in
 * @error, may be NULL), or TRAP_NONE; ends the expectation. */
int trap_taken(uint64_t *error);
/* Exceptions handled so far, expected or not. */
extern volatile uint32_t trap_count;

/*
 * user.c: CPL 3. user_run() calls @fn at CPL 3 in 64-bit mode on a stack of its own, with
 * RFLAGS @rflags | USER_RFLAGS_FIXED (IOPL 3: the console's port I/O works there), and returns
 * what @fn returns once it has (by INT USER_RETURN_VECTOR, a DPL-3 gate). Exceptions @fn raises
 * go to trap.c's handlers at CPL 0 on the TSS's RSP0 stack as usual. user_set_ist() points the
 * TSS's interrupt stack @n (1-7) at @top, for gates idt_gate() gives that IST.
 */
#define USER_RFLAGS_FIXED 0x3002ull /* IOPL 3 and the reserved bit 1 */
#define RFLAGS_TF	  (1ull << 8)
#define RFLAGS_AC	  (1ull << 18)
void user_init(void);
void user_set_ist(unsigned int n, uint64_t top);
uint64_t user_run(uint64_t (*fn)(void), uint64_t rflags);

/*
 * attack.c: hostile-guest mode. skiff names an attack (TEST_GUEST_ATTACK_PORT); an attack is a
 * function that returns TEST_GUEST_FAIL_* bits (0: contained as skiff promises) and is
 * registered from its own file with GUEST_ATTACK(name, fn).
 */
struct guest_attack {
	const char *name;
	uint32_t (*run)(void);
};

#define GUEST_ATTACK(id, fn)                               \
	static const struct guest_attack guest_attack_##id \
		__attribute__((used, section("guest_attacks"), aligned(8))) = { #id, fn }

/* attack_requested - read the attack's name from skiff into @name (@size bytes); false when
 * skiff asks for none. */
bool attack_requested(char *name, unsigned int size);
/* attack_run - run the attack @name; TEST_GUEST_FAIL_ATTACK_UNKNOWN when there is none. */
uint32_t attack_run(const char *name);

/* irq.c: ask skiff for interrupts and check how they arrive; returns TEST_GUEST_FAIL_* bits. */
uint32_t check_inject(void);

/* bench.c: the exit benchmark, when skiff asks for one (vmm/vm_bench.h). */
void run_bench(void);

/* edu.c: find edu and run the DMA and MSI checks; returns TEST_GUEST_FAIL_* bits. */
uint32_t check_edu(void);
/* edu.c: edu's device number on bus 0 and its BAR0 address in *@mmio (neither sized nor
 * moved), or -1 when skiff gives the guest no edu. */
int edu_open(uint64_t *mmio);
/* edu.c: edu answers at @mmio: its identity and liveness registers read as edu's. */
bool edu_answers(uint64_t mmio);
/* edu.c: edu's (@dev) MSI capability programmed with TEST_GUEST_MSI_VECTOR to APIC 0 (fixed,
 * edge, physical), not enabled, the vector routed with idt_route(); returns the capability's
 * offset, or 0 when edu has none. */
unsigned int edu_msi_setup(unsigned int dev);
/* edu.c: raise edu's interrupt once with interrupts enabled (its MSI programmed and enabled
 * by the caller, the vector routed with idt_route()) and acknowledge it; returns how many
 * interrupts the guest took: it waits for the first, then a while for a second. */
uint32_t edu_interrupts(uint64_t mmio);

#endif
