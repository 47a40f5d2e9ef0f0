// SPDX-License-Identifier: MIT
/* Local APIC (Intel SDM vol. 3A, chapter 11: 11.4 IA32_APIC_BASE, table 11-1 registers, 11.12
 * x2APIC MSRs), 8259A PIC masks, IOAPIC redirection table (82093AA data sheet 3.2). */
#include "kernel/arch/x86/apic.h"

#include <errno.h>
#include <stdbool.h>

#include "kernel/arch/x86/msi.h"
#include "kernel/arch/x86/irq.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/arch/x86/x86.h"

#define MSR_IA32_APIC_BASE  0x1bu
#define APIC_BASE_EXTD	    (1ull << 10) /* x2APIC mode */
#define APIC_BASE_EN	    (1ull << 11)
#define APIC_BASE_ADDR_MASK 0xffffff000ull
#define X2APIC_MSR_BASE	    0x800u
#define APIC_MMIO_SIZE	    0x1000u

#define APIC_REG_ID	      0x020
#define APIC_REG_TPR	      0x080
#define APIC_REG_EOI	      0x0b0
#define APIC_REG_SVR	      0x0f0
#define APIC_REG_ICR_LOW      0x300
#define APIC_REG_ICR_HIGH     0x310
#define APIC_REG_LVT_TIMER    0x320
#define APIC_REG_LVT_THERMAL  0x330
#define APIC_REG_LVT_PERF     0x340
#define APIC_REG_LVT_LINT0    0x350
#define APIC_REG_LVT_ERROR    0x370
#define APIC_SVR_ENABLE	      (1u << 8)
#define APIC_LVT_MASKED	      (1u << 16)
#define APIC_ICR_SELF	      (1u << 18) /* destination shorthand 01b: self */
#define APIC_ICR_PENDING      (1u << 12) /* xAPIC delivery status: send pending */
#define APIC_ICR_NMI	      (4u << 8)	 /* delivery mode 100b: NMI (SDM vol. 3A 11.6.1) */
#define APIC_ICR_ASSERT	      (1u << 14) /* level: assert */
#define X2APIC_ICR_DEST_SHIFT 32	 /* x2APIC ICR destination, bits 63:32 (11.12.9) */
#define XAPIC_ID_SHIFT	      24

#define PIC1_DATA    0x21
#define PIC2_DATA    0xa1
#define PIC_MASK_ALL 0xff

#define IOAPIC_REGSEL	    0x00
#define IOAPIC_WINDOW	    0x10
#define IOAPIC_REG_VERSION  0x01
#define IOAPIC_REG_REDIR(i) (0x10u + 2 * (i))
#define IOAPIC_MAX_REDIR(v) (((v) >> 16) & 0xffu)
#define IOAPIC_REDIR_MASKED (1u << 16)

#define MSI_ADDR_DEST_SHIFT 12
#define MSI_DEST_MAX	    0xffu

static bool x2apic;
static uint64_t xapic_base;

static uint32_t apic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return *(volatile uint32_t *)(xapic_base + reg);
}

static void apic_write(uint32_t reg, uint32_t v)
{
	if (x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
	else
		*(volatile uint32_t *)(xapic_base + reg) = v;
}

static void mask_ioapics(const struct madt_table *madt)
{
	for (unsigned int i = 0; madt && i < madt->nr_ioapic; i++) {
		uint64_t base = madt->ioapic[i].address;
		volatile uint32_t *sel = (volatile uint32_t *)(base + IOAPIC_REGSEL);
		volatile uint32_t *win = (volatile uint32_t *)(base + IOAPIC_WINDOW);
		unsigned int max;

		if (mm_map_mmio(base, APIC_MMIO_SIZE)) {
			log_warn("apic: IOAPIC %u at %#llx cannot be mapped; its pins stay as "
				 "firmware left them",
				 madt->ioapic[i].id, (unsigned long long)base);
			continue;
		}
		*sel = IOAPIC_REG_VERSION;
		max = IOAPIC_MAX_REDIR(*win);
		for (unsigned int pin = 0; pin <= max; pin++) {
			*sel = IOAPIC_REG_REDIR(pin);
			*win = *win | IOAPIC_REDIR_MASKED;
		}
	}
}

int apic_init(const struct madt_table *madt)
{
	struct cpuid_regs r = cpuid(1, 0);
	const uint32_t cpuid_edx_apic = 1u << 9;
	uint64_t base;
	static const uint32_t masked_lvts[] = { APIC_REG_LVT_TIMER, APIC_REG_LVT_THERMAL,
						APIC_REG_LVT_PERF, APIC_REG_LVT_LINT0,
						APIC_REG_LVT_ERROR };

	if (!(r.edx & cpuid_edx_apic))
		return -ENODEV;
	outb(PIC1_DATA, PIC_MASK_ALL);
	outb(PIC2_DATA, PIC_MASK_ALL);
	mask_ioapics(madt);

	base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_EN))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EN);
	x2apic = base & APIC_BASE_EXTD;
	if (!x2apic) {
		xapic_base = base & APIC_BASE_ADDR_MASK;
		if (mm_map_mmio(xapic_base, APIC_MMIO_SIZE))
			return -ENODEV;
	}
	for (size_t i = 0; i < sizeof(masked_lvts) / sizeof(masked_lvts[0]); i++)
		apic_write(masked_lvts[i], APIC_LVT_MASKED);
	apic_write(APIC_REG_TPR, 0);
	apic_write(APIC_REG_SVR, APIC_SVR_ENABLE | IRQ_VECTOR_SPURIOUS);
	log_info("apic: local APIC %u in %s mode; 8259 and %u IOAPIC(s) masked", apic_id(),
		 x2apic ? "x2APIC" : "xAPIC", madt ? madt->nr_ioapic : 0);
	return 0;
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(APIC_REG_ID);

	return x2apic ? id : id >> XAPIC_ID_SHIFT;
}

bool apic_x2apic(void)
{
	return x2apic;
}

uint32_t apic_tpr(void)
{
	return apic_read(APIC_REG_TPR);
}

/* Send the IPI @icr (its low 32 bits) to APIC id @dest (ignored with a shorthand). */
static void send_ipi(uint32_t icr, uint32_t dest)
{
	if (x2apic) {
		wrmsr(X2APIC_MSR_BASE + (APIC_REG_ICR_LOW >> 4),
		      (uint64_t)dest << X2APIC_ICR_DEST_SHIFT | icr);
		return;
	}
	apic_write(APIC_REG_ICR_HIGH, dest << XAPIC_ID_SHIFT);
	apic_write(APIC_REG_ICR_LOW, icr);
	while (apic_read(APIC_REG_ICR_LOW) & APIC_ICR_PENDING)
		cpu_relax();
}

void apic_self_ipi(uint8_t vector)
{
	send_ipi(APIC_ICR_SELF | vector, 0); /* fixed delivery, edge */
}

void apic_self_nmi(void)
{
	/* NMI delivery takes no "self" shorthand (11.6.1): this CPU's id, physical mode. */
	send_ipi(APIC_ICR_NMI | APIC_ICR_ASSERT, apic_id());
}

void apic_eoi(void)
{
	apic_write(APIC_REG_EOI, 0);
}

int apic_msi(uint8_t vector, struct msi_message *out)
{
	uint32_t id = apic_id();

	if (id > MSI_DEST_MAX)
		return -ERANGE;
	out->address = X86_MSI_BASE | (uint64_t)id << MSI_ADDR_DEST_SHIFT;
	out->data = vector;
	return 0;
}
