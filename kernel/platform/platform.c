// SPDX-License-Identifier: MIT
#include "kernel/platform/platform.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "iommu/iommu_boot.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/platform/platform_scope.h"

#define UNIT_ID_LEN 96

static const struct acpi_table_ref *find_table(const struct acpi_tables *t, const char *sig)
{
	for (unsigned int i = 0; i < t->count; i++)
		if (!strcmp(t->tables[i].signature, sig))
			return &t->tables[i];
	return NULL;
}

static void log_notes(const char *sig, const struct acpi_notes *n)
{
	for (uint32_t i = 0; i < n->count; i++) {
		const struct acpi_note *note = &n->items[i];
		enum log_level level = note->kind == ACPI_NOTE_ERROR ? LOG_ERROR :
				       note->kind == ACPI_NOTE_WARN  ? LOG_WARN :
								       LOG_INFO;

		log_msg(level, "acpi: %s +%#x: %s", sig, note->offset, note->text);
	}
	if (n->dropped)
		log_warn("acpi: %s: %u more notes not shown", sig, n->dropped);
}

/* Parses the table @sig with @parse into a new @size-byte result; NULL when absent or rejected. */
static void *parse_table(const struct acpi_tables *t, const char *sig, size_t size,
			 int (*parse)(const uint8_t *, size_t, void *),
			 const struct acpi_notes *(*notes_of)(const void *))
{
	const struct acpi_table_ref *ref = find_table(t, sig);
	void *out;
	int err;

	if (!ref) {
		log_info("acpi: no %s table", sig);
		return NULL;
	}
	out = malloc(size);
	if (!out) {
		log_err("acpi: no memory for the %s model (%zu bytes)", sig, size);
		return NULL;
	}
	err = parse((const uint8_t *)ref->address, ref->length, out);
	log_notes(sig, notes_of(out));
	if (err) {
		log_err("acpi: %s at %#llx rejected: %s", sig, (unsigned long long)ref->address,
			strerror(-err));
		free(out);
		return NULL;
	}
	return out;
}

static int parse_dmar(const uint8_t *b, size_t n, void *out)
{
	return dmar_parse(b, n, out);
}

static int parse_madt(const uint8_t *b, size_t n, void *out)
{
	return madt_parse(b, n, out);
}

static int parse_mcfg(const uint8_t *b, size_t n, void *out)
{
	return mcfg_parse(b, n, out);
}

static const struct acpi_notes *dmar_notes(const void *t)
{
	return &((const struct dmar_table *)t)->notes;
}

static const struct acpi_notes *madt_notes(const void *t)
{
	return &((const struct madt_table *)t)->notes;
}

static const struct acpi_notes *mcfg_notes(const void *t)
{
	return &((const struct mcfg_table *)t)->notes;
}

/* The unit's registers mapped uncached, then identified by the IOMMU layer. */
static void probe_unit(unsigned int i, const struct dmar_drhd *h, struct platform_unit *u)
{
	int err = mm_map_mmio(h->base, dmar_drhd_bytes(h));

	u->proximity_domain = PROXIMITY_NONE;
	if (err) {
		log_err("iommu: DRHD %#llx: registers cannot be mapped: %s; unit unusable",
			(unsigned long long)h->base, strerror(-err));
		return;
	}
	u->usable = iommu_unit_probe(i, h->base) == 0;
}

static void attach_devices(struct platform *p)
{
	for (unsigned int i = 0; i < p->pci->count; i++) {
		struct platform_device_info *info = &p->device_info[i];

		if (!p->dmar)
			continue;
		p->pci->devices[i].unit = unit_for_device(p->dmar, p->pci, (int)i);
		info->rmrr_mask = rmrr_mask_for_device(p->dmar, p->pci, (int)i);
		info->ats_allowed = ats_allowed(p->dmar, p->pci, (int)i);
		info->satc = satc_lists(p->dmar, p->pci, (int)i);
	}
}

int platform_discover(const struct acpi_tables *tables, struct platform *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	p->dmar = parse_table(tables, "DMAR", sizeof(*p->dmar), parse_dmar, dmar_notes);
	p->madt = parse_table(tables, "APIC", sizeof(*p->madt), parse_madt, madt_notes);
	p->mcfg = parse_table(tables, "MCFG", sizeof(*p->mcfg), parse_mcfg, mcfg_notes);

	for (unsigned int i = 0; p->dmar && i < p->dmar->nr_drhd; i++)
		probe_unit(i, &p->dmar->drhd[i], &p->units[i]);
	for (unsigned int r = 0; p->dmar && r < p->dmar->nr_rhsa; r++)
		for (unsigned int i = 0; i < p->dmar->nr_drhd; i++)
			if (p->dmar->drhd[i].base == p->dmar->rhsa[r].base)
				p->units[i].proximity_domain = p->dmar->rhsa[r].proximity_domain;

	if (!p->mcfg) {
		log_warn("pci: no MCFG: PCI devices are not enumerated");
		return 0;
	}
	p->pci = malloc(sizeof(*p->pci));
	if (!p->pci)
		return -ENOMEM;
	pci_ecam_init(p->mcfg);
	err = pci_enumerate(p->pci);
	if (err)
		log_warn("pci: more than %d functions; %u not recorded", PCI_MAX_DEVICES,
			 p->pci->dropped);
	p->device_info = calloc(p->pci->count ? p->pci->count : 1, sizeof(*p->device_info));
	if (!p->device_info)
		return -ENOMEM;
	attach_devices(p);
	return 0;
}

static void report_units(const struct platform *p)
{
	char id[UNIT_ID_LEN], caps[256];

	if (!p->dmar) {
		log_info("  iommu      no DMAR table: DMA is not remapped");
		return;
	}
	log_info("  iommu      DMAR: host address width %u, flags %#x%s%s%s, %u unit(s)",
		 p->dmar->haw_bits, p->dmar->flags,
		 p->dmar->flags & DMAR_FLAG_INTR_REMAP ? " INTR_REMAP" : "",
		 p->dmar->flags & DMAR_FLAG_X2APIC_OPT_OUT ? " X2APIC_OPT_OUT" : "",
		 p->dmar->flags & DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN ? " DMA_CTRL_PLATFORM_OPT_IN" :
								       "",
		 p->dmar->nr_drhd);
	for (unsigned int i = 0; i < p->dmar->nr_drhd; i++) {
		const struct dmar_drhd *h = &p->dmar->drhd[i];
		const struct platform_unit *u = &p->units[i];

		if (!u->usable || iommu_unit_describe(i, id, sizeof(id), caps, sizeof(caps))) {
			log_info("  unit %u     %#llx segment %u: unusable", i,
				 (unsigned long long)h->base, h->segment);
			continue;
		}
		log_info("  unit %u     %#llx segment %u%s: %s", i, (unsigned long long)h->base,
			 h->segment, h->flags & DRHD_FLAG_INCLUDE_PCI_ALL ? " INCLUDE_PCI_ALL" : "",
			 id);
		log_info("             %s", caps);
	}
	for (unsigned int i = 0; i < p->dmar->nr_rmrr; i++)
		log_info("  rmrr %u     [%#llx, %#llx] segment %u, %u device scope(s)", i,
			 (unsigned long long)p->dmar->rmrr[i].base,
			 (unsigned long long)p->dmar->rmrr[i].limit, p->dmar->rmrr[i].segment,
			 p->dmar->rmrr[i].scopes.count);
}

static void report_device(const struct platform *p, unsigned int i)
{
	const struct pci_device *d = &p->pci->devices[i];
	const struct platform_device_info *info = &p->device_info[i];
	char unit[16] = "none", state[32];

	if (d->unit != PCI_NO_INDEX)
		snprintf(unit, sizeof(unit), "%d", d->unit);
	log_info("  pci        %04x:%02x:%02x.%x %04x:%04x class %06x%s unit %s%s%s%s%s%s%s%s (%s)",
		 d->bdf.segment, d->bdf.bus, d->bdf.dev, d->bdf.fn, d->vendor, d->device,
		 d->class_code, d->header_type == PCI_HEADER_BRIDGE ? " bridge" : "", unit,
		 d->cap_msi ? " MSI" : "", d->cap_msix ? " MSI-X" : "", d->cap_exp ? " PCIe" : "",
		 d->ecap_ats ? " ATS" : "", d->ecap_pasid ? " PASID" : "",
		 info->rmrr_mask ? " RMRR" : "", info->satc ? " SATC" : "",
		 iommu_device_state(p, i, state, sizeof(state)));
	for (unsigned int b = 0; b < PCI_MAX_BARS; b++) {
		static const char *const kinds[] = { "", "io", "mem32", "mem64" };
		const struct pci_bar *bar = &d->bars[b];

		if (bar->kind != PCI_BAR_NONE)
			log_info("               BAR%u %s%s %#llx size %#llx", b, kinds[bar->kind],
				 bar->prefetchable ? " prefetchable" : "",
				 (unsigned long long)bar->base, (unsigned long long)bar->size);
	}
}

void platform_report(const struct platform *p)
{
	report_units(p);
	if (p->madt)
		log_info(
			"  apic       %u local APIC(s), %u x2APIC(s), %u IOAPIC(s), %u override(s)",
			p->madt->nr_lapic, p->madt->nr_x2apic, p->madt->nr_ioapic,
			p->madt->nr_overrides);
	if (!p->pci)
		return;
	for (unsigned int i = 0; p->mcfg && i < p->mcfg->nr_allocations; i++)
		log_info("  ecam       %#llx segment %u buses %02x-%02x",
			 (unsigned long long)p->mcfg->allocations[i].base,
			 p->mcfg->allocations[i].segment, p->mcfg->allocations[i].start_bus,
			 p->mcfg->allocations[i].end_bus);
	for (unsigned int i = 0; i < p->pci->count; i++)
		report_device(p, i);
}
