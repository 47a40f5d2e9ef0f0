// SPDX-License-Identifier: MIT
/*
 * Interrupt remapping per VT-d unit: the table, its pointer, IRE, and the entries. The contract
 * of every function is in vtd_ir.h; the entry formats are vtd_irte.h's.
 */
#include "iommu/vtd/vtd_ir.h"

#include <errno.h>
#include <string.h>

#include "iommu/vtd/vtd_ir_source.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/acpi/dmar.h"
#include "kernel/arch/x86/apic.h"
#include "kernel/bits.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"

#define BITS_PER_WORD 64u
#define TABLE_BYTES   (VTD_IR_ENTRIES * sizeof(struct vtd_irte))
#define TABLE_FRAMES  (TABLE_BYTES / PAGE_SIZE_4K)
#define RID_BUS(rid)  ((unsigned int)(rid) >> 8)
#define RID_DEV(rid)  (((unsigned int)(rid) >> 3) & 0x1fu)
#define RID_FN(rid)   ((unsigned int)(rid)&0x7u)

_Static_assert(TABLE_BYTES % PAGE_SIZE_4K == 0, "the table is whole 4 KiB frames");

/* One unit's remapping: the table (identity-mapped, so its physical address is its pointer). */
struct vtd_ir {
	struct vtd_state *vs;
	struct vtd_irte *table;
	uint8_t s;
	bool eime, enabled;
	unsigned int in_use;
	uint64_t used[VTD_IR_ENTRIES / BITS_PER_WORD];
	uint16_t owner[VTD_IR_ENTRIES];
};

static struct vtd_ir ir_units[DMAR_MAX_DRHD];
static const struct pci_topology *topology;

static struct vtd_ir *ir_of(unsigned int unit)
{
	return unit < DMAR_MAX_DRHD && ir_units[unit].enabled ? &ir_units[unit] : NULL;
}

static bool used(const struct vtd_ir *ir, unsigned int i)
{
	return ir->used[i / BITS_PER_WORD] >> (i % BITS_PER_WORD) & 1;
}

static void set_used(struct vtd_ir *ir, unsigned int i, bool on)
{
	uint64_t bit = 1ull << (i % BITS_PER_WORD);

	if (on)
		ir->used[i / BITS_PER_WORD] |= bit;
	else
		ir->used[i / BITS_PER_WORD] &= ~bit;
}

static int iec_invalidate(struct vtd_ir *ir, unsigned int gran, uint16_t index)
{
	struct vtd_inv_desc d;
	int err = vtd_inval_iec(&d, &ir->vs->unit.caps, gran, index, 0);

	return err ? err : vtd_invalidate(&ir->vs->unit, &d, 1);
}

static void free_table(struct vtd_ir *ir)
{
	pmm_free(&kernel_pmm, (uint64_t)ir->table, TABLE_FRAMES);
	ir->table = NULL;
}

/* IRTA -> SIRTP -> global IEC -> CFI clear -> IRE; IRE cleared again on failure. */
static int program_unit(struct vtd_ir *ir, uint64_t irta)
{
	struct vtd_unit *u = &ir->vs->unit;
	int err;

	vtd_write64(u, VTD_IRTA_REG, irta);
	err = vtd_gcmd(u, VTD_GCMD_SIRTP, true);
	if (!err)
		err = iec_invalidate(ir, VTD_IEC_G_GLOBAL, 0);
	if (!err && (vtd_read32(u, VTD_GSTS_REG) & VTD_GSTS_CFIS))
		err = vtd_gcmd(u, VTD_GCMD_CFI, false);
	if (!err)
		err = vtd_gcmd(u, VTD_GCMD_IRE, true);
	if (err && (vtd_read32(u, VTD_GSTS_REG) & VTD_GSTS_IRES))
		vtd_gcmd(u, VTD_GCMD_IRE, false);
	return err;
}

int vtd_ir_enable(struct vtd_state *vs, const struct pci_topology *pci)
{
	struct vtd_unit *u = &vs->unit;
	struct vtd_ir *ir = &ir_units[u->index];
	struct vtd_irta_config cfg;
	uint64_t table, irta;
	int s = vtd_irta_s_for_entries(VTD_IR_ENTRIES), err;

	topology = pci;
	if (!u->caps.ir) {
		log_info("vtd%u: no interrupt remapping (ECAP.IR 0)", u->index);
		return -EOPNOTSUPP;
	}
	if (!u->use_qi) {
		log_warn("vtd%u: interrupt remapping left off: it needs queued invalidation "
			 "(interrupt entry cache, VT-d 6.5.2.7)",
			 u->index);
		return -EOPNOTSUPP;
	}
	err = pmm_alloc(&kernel_pmm, TABLE_FRAMES, TABLE_FRAMES, &table);
	if (err)
		return err;
	memset((void *)table, 0, TABLE_BYTES);
	vtd_sync(vs, table, TABLE_BYTES);
	*ir = (struct vtd_ir){ .vs = vs, .table = (struct vtd_irte *)table, .s = (uint8_t)s };
	ir->eime = vtd_ir_eime(&u->caps, apic_x2apic());
	cfg = (struct vtd_irta_config){ .table = table, .s = ir->s, .eime = ir->eime };
	err = vtd_irta_encode(&cfg, apic_x2apic(), &u->caps, vs->haw_bits, &irta);
	if (!err)
		err = program_unit(ir, irta);
	if (err) {
		log_err("vtd%u: interrupt remapping not enabled: %s", u->index, strerror(-err));
		free_table(ir);
		return err;
	}
	ir->enabled = true;
	log_info("vtd%u: interrupt remapping on: %s destinations (IRTA.EIME %d), %u entries "
		 "(IRTA.S %u) at %#llx, GSTS.CFIS 0 (compatibility format to be blocked, VT-d "
		 "5.1.2.1); no IOAPIC pin in use (all masked), fault events not remapped (5.1.6)",
		 u->index, ir->eime ? "x2APIC" : "xAPIC", ir->eime, vtd_irta_entries(ir->s), ir->s,
		 (unsigned long long)table);
	return 0;
}

void vtd_ir_disable(unsigned int unit)
{
	struct vtd_ir *ir = ir_of(unit);

	if (!ir)
		return;
	vtd_gcmd(&ir->vs->unit, VTD_GCMD_IRE, false);
	ir->enabled = false;
}

bool vtd_ir_get_info(unsigned int unit, struct vtd_ir_info *out)
{
	const struct vtd_ir *ir = ir_of(unit);

	*out = (struct vtd_ir_info){ 0 };
	if (!ir)
		return false;
	*out = (struct vtd_ir_info){
		.enabled = true,
		.eime = ir->eime,
		.s = ir->s,
		.entries = vtd_irta_entries(ir->s),
		.in_use = ir->in_use,
		.table = (uint64_t)ir->table,
	};
	return true;
}

static unsigned int pow2_at_least(unsigned int n)
{
	unsigned int p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static bool block_free(const struct vtd_ir *ir, unsigned int first, unsigned int count)
{
	for (unsigned int i = first; i < first + count; i++)
		if (used(ir, i))
			return false;
	return true;
}

int vtd_ir_alloc(unsigned int unit, uint16_t owner, unsigned int count, uint16_t *first)
{
	struct vtd_ir *ir = ir_of(unit);
	unsigned int step = pow2_at_least(count);

	if (!ir)
		return -ENODEV;
	if (count == 0 || count > VTD_IR_BLOCK_MAX)
		return -EINVAL;
	for (unsigned int f = 0; f + count <= VTD_IR_ENTRIES; f += step) {
		if (!block_free(ir, f, count))
			continue;
		for (unsigned int i = f; i < f + count; i++) {
			set_used(ir, i, true);
			ir->owner[i] = owner;
		}
		ir->in_use += count;
		*first = (uint16_t)f;
		log_info("vtd%u: IRTE %u-%u allocated to %02x:%02x.%x (%u in use on the unit)",
			 unit, f, f + count - 1, RID_BUS(owner), RID_DEV(owner), RID_FN(owner),
			 ir->in_use);
		return 0;
	}
	return -ENOSPC;
}

/* Stores @v into the entry's low word with one 64-bit write the unit sees whole. */
static void store_lo(struct vtd_irte *e, uint64_t v)
{
	__asm__ volatile("" ::: "memory");
	WRITE_ONCE(e->lo, v);
}

int vtd_ir_write(unsigned int unit, uint16_t index, const struct vtd_irte_remap_config *cfg)
{
	struct vtd_ir *ir = ir_of(unit);
	struct vtd_irte new, *e;
	int err;

	if (!ir)
		return -ENODEV;
	if (index >= VTD_IR_ENTRIES || !used(ir, index))
		return -ENOENT;
	err = vtd_irte_remap_encode(cfg, ir->eime, &ir->vs->unit.caps, &new);
	if (err)
		return err;
	e = &ir->table[index];
	if (vtd_irte_present(e) && e->hi == new.hi) {
		/* A retarget: vector, destination and delivery live in the low word (9.10). */
		store_lo(e, new.lo | VTD_IRTE_LO_P);
		vtd_sync(ir->vs, (uint64_t)e, sizeof(*e));
		return iec_invalidate(ir, VTD_IEC_G_INDEX, index);
	}
	if (vtd_irte_present(e)) {
		err = vtd_ir_clear(unit, index);
		if (err)
			return err;
	}
	e->hi = new.hi;
	store_lo(e, new.lo);
	vtd_sync(ir->vs, (uint64_t)e, sizeof(*e));
	vtd_irte_set_present(e);
	vtd_sync(ir->vs, (uint64_t)e, sizeof(*e));
	return iec_invalidate(ir, VTD_IEC_G_INDEX, index);
}

int vtd_ir_clear(unsigned int unit, uint16_t index)
{
	struct vtd_ir *ir = ir_of(unit);
	struct vtd_irte *e;
	int err;

	if (!ir)
		return -ENODEV;
	if (index >= VTD_IR_ENTRIES || !used(ir, index))
		return -ENOENT;
	e = &ir->table[index];
	store_lo(e, e->lo & ~VTD_IRTE_LO_P);
	vtd_sync(ir->vs, (uint64_t)e, sizeof(*e));
	err = iec_invalidate(ir, VTD_IEC_G_INDEX, index);
	e->hi = 0;
	store_lo(e, 0);
	vtd_sync(ir->vs, (uint64_t)e, sizeof(*e));
	return err;
}

int vtd_ir_free(unsigned int unit, uint16_t first, unsigned int count)
{
	struct vtd_ir *ir = ir_of(unit);
	uint16_t owner;
	int err = 0;

	if (!ir)
		return -ENODEV;
	if (count == 0 || count > VTD_IR_BLOCK_MAX || first + count > VTD_IR_ENTRIES)
		return -ENOENT;
	owner = ir->owner[first];
	for (unsigned int i = first; i < first + count; i++)
		if (!used(ir, i) || ir->owner[i] != owner)
			return -ENOENT;
	for (unsigned int i = first; i < first + count; i++) {
		int e = vtd_ir_clear(unit, (uint16_t)i);

		err = err ? err : e;
		set_used(ir, i, false);
	}
	ir->in_use -= count;
	log_info("vtd%u: IRTE %u-%u of %02x:%02x.%x freed (%u in use on the unit)", unit, first,
		 first + count - 1, RID_BUS(owner), RID_DEV(owner), RID_FN(owner), ir->in_use);
	return err;
}

unsigned int vtd_ir_owned(unsigned int unit, uint16_t owner)
{
	const struct vtd_ir *ir = ir_of(unit);
	unsigned int n = 0;

	for (unsigned int i = 0; ir && i < VTD_IR_ENTRIES; i++)
		n += used(ir, i) && ir->owner[i] == owner;
	return n;
}

int vtd_ir_device_source(struct pci_bdf bdf, struct vtd_irte_source *out)
{
	int dev = topology ? pci_find(topology, bdf) : PCI_NO_INDEX;

	if (dev == PCI_NO_INDEX)
		return -ENODEV;
	*out = vtd_ir_source_for(topology, dev);
	return 0;
}
