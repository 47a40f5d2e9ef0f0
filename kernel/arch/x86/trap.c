// SPDX-License-Identifier: MIT
/* IDT and the exception report (Intel SDM vol. 3A, 6.10 IDT, 6.14.1 64-bit gate descriptors). */
#include "kernel/arch/x86/trap.h"

#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/log.h"
#include "kernel/arch/x86/x86.h"

#define IDT_ENTRIES	    256
#define GATE_TYPE_INTERRUPT 0xeu
#define GATE_P		    (1u << 7)
#define VECTOR_DOUBLE_FAULT 8

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "SDM 3A figure 6-8");

extern const char trap_stubs[], irq_stubs[], nmi_stub[];

static volatile uint64_t nmis;
static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));

static const char *const exception_names[TRAP_EXCEPTION_VECTORS] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor segment overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD exception",
	"#VE virtualization exception",
	"#CP control protection",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"#HV hypervisor injection",
	"#VC VMM communication",
	"#SX security",
	"reserved",
};

void idt_init(void)
{
	struct x86_desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)idt };

	for (unsigned int v = 0; v < IDT_ENTRIES; v++) {
		uint64_t handler = v < TRAP_EXCEPTION_VECTORS ?
					   (uint64_t)(trap_stubs + v * TRAP_STUB_SIZE) :
					   (uint64_t)(irq_stubs + (v - TRAP_EXCEPTION_VECTORS) *
									  TRAP_STUB_SIZE);

		if (v == TRAP_NMI_VECTOR)
			handler = (uint64_t)nmi_stub;

		idt[v] = (struct idt_gate){
			.offset_low = (uint16_t)handler,
			.selector = GDT_SEL_CODE,
			.ist = v == VECTOR_DOUBLE_FAULT ? IST_DOUBLE_FAULT : 0,
			.type_attr = GATE_P | GATE_TYPE_INTERRUPT,
			.offset_mid = (uint16_t)(handler >> 16),
			.offset_high = (uint32_t)(handler >> 32),
		};
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void nmi_dispatch(uint64_t vector)
{
	(void)vector;
	nmis = nmis + 1;
}

uint64_t trap_nmi_count(void)
{
	return nmis;
}

void trap_handler(struct trap_frame *f)
{
	static int depth;
	static const char nested[] = "error: exception inside the exception report\n";

	if (depth++) {
		console_write(nested, sizeof(nested) - 1);
		skiff_exit(VERDICT_FAIL);
	}
	log_err("exception %llu (%s), error code 0x%llx", (unsigned long long)f->vector,
		f->vector < TRAP_EXCEPTION_VECTORS ? exception_names[f->vector] : "?",
		(unsigned long long)f->error_code);
	log_err("  rip %016llx  cs  %04llx  rflags %08llx  rsp %016llx  ss %04llx",
		(unsigned long long)f->rip, (unsigned long long)f->cs,
		(unsigned long long)f->rflags, (unsigned long long)f->rsp,
		(unsigned long long)f->ss);
	log_err("  cr0 %016llx  cr2 %016llx  cr3 %016llx  cr4 %016llx",
		(unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
		(unsigned long long)read_cr3(), (unsigned long long)read_cr4());
	log_err("  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx", (unsigned long long)f->rax,
		(unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	log_err("  rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx", (unsigned long long)f->rsi,
		(unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->r8);
	log_err("  r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx", (unsigned long long)f->r9,
		(unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
	log_err("  r13 %016llx  r14 %016llx  r15 %016llx", (unsigned long long)f->r13,
		(unsigned long long)f->r14, (unsigned long long)f->r15);
	skiff_exit(VERDICT_FAIL);
}
