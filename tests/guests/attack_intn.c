// SPDX-License-Identifier: MIT
/*
 * Attack "intn" (finding 9 of the hostile-guest review): an INT n whose delivery exits. The
 * gate of vector INTN_VECTOR is the first on a page the guest's own page tables do not map, so
 * delivering INT n raises #PF (SDM vol. 2A "INT n": a fault of the INT instruction, with RIP at
 * it), which skiff intercepts with EXITINTINFO / IDT-vectoring information naming the INT n it
 * interrupted. The guest's #PF handler maps the page and returns to the INT, which runs again and
 * reaches its handler. Re-injecting the INT n as well (SVM without next-RIP save pushes the INT's
 * own address as the return address: APM vol. 2 15.20) runs the handler twice or faults again:
 * each INT must reach its handler exactly once, after exactly one #PF. The outcome the guest sees
 * is all that is checked: whether skiff intercepts #PF and reflects it, or lets it through, the
 * count must be the same.
 */
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define FAIL_INTN_COUNT TEST_GUEST_FAIL_ATTACK(0) /* the handler ran other than once per INT */
#define FAIL_INTN_NO_PF TEST_GUEST_FAIL_ATTACK(1) /* the delivery did not fault exactly once */

#define INTN_VECTOR    0x40 /* its gate starts the IDT's second page */
#define ROUNDS	       3
#define EXC_VECTORS    32
#define EXC_PF	       14
#define GATE_SIZE      16
#define GATE_INTR64    0x8eull /* P, DPL 0, 64-bit interrupt gate (SDM vol. 3A 6.14.1) */
#define GATE_ATTR      40
#define GATE_SEL       16
#define GATE_OFF_MID   48
#define GATE_OFF_SHIFT 16
#define LOW16	       0xffffull
#define HIGH32	       32
#define PAGE_SIZE      0x1000ull
#define PT_ENTRIES     512
#define PTE_P	       0x1ull
#define PTE_RW	       0x2ull
#define PTE_PS	       0x80ull /* a 2 MiB page in a PDE */
#define PTE_ADDR       0x000ffffffffff000ull
#define LEVEL_BITS     9
#define PML4_SHIFT     39
#define PDPT_SHIFT     30
#define PD_SHIFT       21
#define PT_SHIFT       12

struct __attribute__((packed)) idt_pointer {
	uint16_t limit;
	uint64_t base;
};

/* The IDT's last INTN_VECTOR gates of the first page, and the second page. */
static uint8_t idt_pages[2 * PAGE_SIZE] __attribute__((aligned(4096)));
/* 4 KiB entries for the 2 MiB page that holds idt_pages (entry.S maps 2 MiB pages). */
static uint64_t pt[PT_ENTRIES] __attribute__((aligned(4096)));

/* Set by the handlers below. */
volatile uint32_t intn_hits, intn_pf_hits;
volatile uint64_t intn_pte, intn_page, intn_pf_cr2;
void intn_entry(void);
void intn_pf_entry(void);
__asm__(".text\n"
	"intn_entry:\n"
	"	lock incl intn_hits\n"
	"	iretq\n"
	/* #PF: map the gate's page again and return to the INT, which runs again */
	"intn_pf_entry:\n"
	"	lock incl intn_pf_hits\n"
	"	pushq %rax\n"
	"	movq %cr2, %rax\n"
	"	movq %rax, intn_pf_cr2\n"
	"	movq intn_pte, %rax\n"
	"	orq $1, (%rax)\n"
	"	movq intn_page, %rax\n"
	"	invlpg (%rax)\n"
	"	popq %rax\n"
	"	addq $8, %rsp\n" /* the error code */
	"	iretq\n");

static uint64_t *table(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & PTE_ADDR);
}

static unsigned int index_of(uint64_t la, unsigned int shift)
{
	return (unsigned int)(la >> shift) & (PT_ENTRIES - 1);
}

/* The PDE that maps @la (the guest's tables are identity-mapped: entry.S). */
static uint64_t *pde_of(uint64_t la)
{
	uint64_t cr3, *pdpt, *pd;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pdpt = table(table(cr3)[index_of(la, PML4_SHIFT)]);
	pd = table(pdpt[index_of(la, PDPT_SHIFT)]);
	return &pd[index_of(la, PD_SHIFT)];
}

static void reload_cr3(void)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
}

static void invlpg(uint64_t la)
{
	__asm__ volatile("invlpg (%0)" : : "r"(la) : "memory");
}

static void set_gate(uint8_t *idt, unsigned int vector, void (*handler)(void))
{
	uint64_t off = (uintptr_t)handler, *g = (uint64_t *)(idt + vector * GATE_SIZE);
	uint16_t cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	g[0] = (off & LOW16) | (uint64_t)cs << GATE_SEL | GATE_INTR64 << GATE_ATTR |
	       ((off >> GATE_OFF_SHIFT) & LOW16) << GATE_OFF_MID;
	g[1] = off >> HIGH32;
}

/* One INT n whose delivery faults on the gate's page: the counts it adds. */
static uint32_t one_int(uint64_t *pte, uint64_t gate_la)
{
	uint32_t pf = intn_pf_hits, hits = intn_hits, fail = 0;

	*pte &= ~PTE_P;
	invlpg(gate_la & ~(PAGE_SIZE - 1));
	__asm__ volatile("int %0" : : "i"(INTN_VECTOR) : "memory");
	pf = intn_pf_hits - pf;
	hits = intn_hits - hits;
	put("intn: #PF ");
	put_hex(pf);
	put(" time(s), handler ");
	put_hex(hits);
	put(" time(s)");
	if (pf != 1)
		fail |= FAIL_INTN_NO_PF;
	if (hits != 1)
		fail |= FAIL_INTN_COUNT;
	put(fail ? " (wrong)\n" : "\n");
	put("intn: CR2 in the #PF handler ");
	put_hex(intn_pf_cr2);
	put("\n");
	return fail;
}

static uint32_t attack_intn(void)
{
	uint64_t la = (uintptr_t)idt_pages, gate_la = la + PAGE_SIZE, *pde = pde_of(la), old_pde;
	uint8_t *idt = idt_pages + PAGE_SIZE - INTN_VECTOR * GATE_SIZE;
	struct idt_pointer old_idt, new_idt = { (INTN_VECTOR + 1) * GATE_SIZE - 1, (uintptr_t)idt };
	uint32_t fail = 0;

	if (!(*pde & PTE_PS)) {
		put("intn: the IDT pages are not in a 2 MiB page\n");
		return FAIL_INTN_NO_PF;
	}
	/* The same 2 MiB, mapped 4 KiB at a time. */
	old_pde = *pde;
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		pt[i] = ((old_pde & PTE_ADDR) + i * PAGE_SIZE) | PTE_P | PTE_RW;
	intn_pte = (uintptr_t)&pt[index_of(gate_la, PT_SHIFT)];
	intn_page = gate_la;
	*pde = (uintptr_t)pt | PTE_P | PTE_RW;
	reload_cr3();

	/* The guest's exception gates (trap.c), #PF and INT n ours. */
	__asm__ volatile("sidt %0" : "=m"(old_idt));
	for (unsigned int i = 0; i < EXC_VECTORS * GATE_SIZE; i++)
		idt[i] = ((const uint8_t *)(uintptr_t)old_idt.base)[i];
	set_gate(idt, EXC_PF, intn_pf_entry);
	set_gate(idt, INTN_VECTOR, intn_entry);
	__asm__ volatile("lidt %0" : : "m"(new_idt));

	for (unsigned int r = 0; r < ROUNDS; r++)
		fail |= one_int((uint64_t *)(uintptr_t)intn_pte, gate_la);

	__asm__ volatile("lidt %0" : : "m"(old_idt));
	*pde = old_pde;
	reload_cr3();
	return fail;
}

GUEST_ATTACK(intn, attack_intn);
