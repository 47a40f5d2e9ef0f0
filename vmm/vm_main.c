// SPDX-License-Identifier: MIT
/*
 * run=guest: the test guest with QEMU's edu passed through (see vm_main.h). Checks:
 *   run.build           edu found, its interrupts remappable (else refused before anything is
 *                       built, unless vm.unsafe_no_intremap=1), the VM, its device view, edu
 *                       assigned, the vCPU created;
 *   run.verdict         the guest reported PASS (0) by hypercall;
 *   run.dma_round_trip  the guest's page went RAM -> edu -> RAM by DMA with guest-physical
 *                       addresses and came back equal (the guest checks the data);
 *   run.dma_exits       its DMA window (TEST_GUEST_HC_WINDOW) caused no exit: DMA goes through
 *                       the IOMMU's device view, never through skiff;
 *   run.dma_outside     its write and read at TEST_GUEST_DMA_OUTSIDE were blocked: one fault
 *                       each, recorded for edu's requester id at that address and counted for
 *                       the VM's domain, and the read brought nothing back (the guest checks);
 *   run.msi             the guest's MSI programming was trapped, edu raised through a
 *                       source-validated IRTE to a host vector, and the guest got exactly one
 *                       interrupt on its own vector for its one raise;
 *   run.decode_kept     edu's memory decoding stayed on whatever the guest wrote (its BAR0 stays
 *                       mapped: vpci_device_command());
 *   run.irte_writes     the IRTE and edu's MSI capability were programmed once at most, however
 *                       often the guest rewrote its virtual MSI;
 *   run.exits           no exception, shutdown, entry failure or unknown exit.
 * With guest.attack=NAME the guest runs that attack (tests/guests/attack_NAME.c) instead of its
 * checks: the DMA and MSI checks are left out, the others judge the attack's run.
 *
 * Every log line the guest can cause is limited: the first PT_LOG_FIRST of each kind are
 * logged, the rest only counted, and the run report's "guest log" line gives the counts.
 *
 * This file builds, runs and tears down the VM; the rest of run=guest is listed in
 * vmm/pt_run.h.
 */
#include "vmm/vm_main.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/pci/pci_regs.h"
#include "kernel/check.h"
#include "kernel/cmdline.h"
#include "kernel/arch/x86/irq.h"
#include "kernel/log.h"
#include "kernel/options.h"
#include "vmm/pt_run.h"

#define MAX_EXITS 200000 /* the guest needs about a thousand */

static bool find_edu(struct pt *t, struct platform *p)
{
	int i = edu_find(p->pci, 0, iommu_unit_enabled, &t->edu);

	if (i < 0)
		return false;
	t->dev = &p->pci->devices[i];
	t->unit = (unsigned int)t->dev->unit;
	return iommu_hw_info(t->unit, &t->hw) == 0;
}

static int build(struct pt *t)
{
	struct vm *vm = &t->r.vm;
	const struct pci_bar *bar = &t->dev->bars[0];
	const struct vpci_ident id = {
		.vendor = t->dev->vendor,
		.device = t->dev->device,
		.class_rev = pci_cfg_read(t->edu.bdf, PCI_CLASS_REVISION, 4),
		.subsys_vendor = (uint16_t)pci_cfg_read(t->edu.bdf, PCI_SUBSYSTEM_VENDOR_ID, 2),
		.subsys = (uint16_t)pci_cfg_read(t->edu.bdf, PCI_SUBSYSTEM_ID, 2),
	};
	int err = pt_claim_remapping(t);

	if (err)
		return err;
	err = vm_run_init(&t->r, "guest0");
	t->r.attack = cmdline_get(options_cmdline(), "guest.attack");
	if (t->r.attack && !t->r.attack[0])
		t->r.attack = NULL;
	if (t->r.attack)
		log_info("run: %s: attack %s (guest.attack)", vm->name, t->r.attack);
	if (!err)
		err = vm_add_range(vm, GMEM_MMIO_PASSTHRU, PT_GPA_BAR, bar->size, bar->base,
				   "edu.bar0");
	if (!err)
		err = vm_device_view(vm, t->unit, false);
	if (!err)
		err = vm_assign(vm, t->edu.bdf);
	if (!err)
		err = vpci_init(&t->vpci, &id, PT_GPA_BAR, (uint32_t)bar->size);
	if (err)
		return err;
	pt_command_update(t); /* the guest starts with bus mastering off (edu keeps decoding) */
	err = pt_setup_msi(t);
	if (!err)
		err = vm_run_start(&t->r);
	t->r.io = pt_io;
	t->r.before_entry = pt_before_entry;
	t->r.dev = t;
	return err;
}

/* edu quiesced (bus mastering off: edu_probe() turned it on, the guest may have left it on)
 * before its MSI, IRTE and host vector go and the VM detaches it. */
static void teardown(struct pt *t)
{
	if (t->dev)
		pci_cfg_write(t->edu.bdf, PCI_COMMAND, 2,
			      pci_cfg_read(t->edu.bdf, PCI_COMMAND, 2) & ~PCI_COMMAND_MASTER);
	if (t->msi_init)
		pci_msi_teardown(&t->msi);
	if (t->irq_ok)
		iommu_irq_free(&t->irq);
	if (t->host_vector > 0)
		irq_free(t->host_vector);
	vm_run_destroy(&t->r);
}

void vmm_run_guest(struct platform *p)
{
	static struct pt t;
	int err = -ENODEV;

	memset(&t, 0, sizeof(t));
	if (find_edu(&t, p))
		err = build(&t);
	if (err && !t.why[0])
		snprintf(t.why, sizeof(t.why), "%s: %d (%s)",
			 t.dev ? "VM" : "no edu device behind VT-d", err, t.r.vm.gmem.why);
	if (!check(!err, "run.build", "%s", t.why)) {
		teardown(&t);
		return;
	}
	/* Faults from before the run are read now and not the guest's; the run's are read as
	 * they come and once more after it. */
	iommu_fault_poll(t.unit);
	iommu_domain_set_fault_handler(t.r.vm.dom, pt_note_fault, &t);
	t.dom_faults_before = iommu_domain_faults(t.r.vm.dom);
	vm_run_loop(&t.r, MAX_EXITS);
	iommu_fault_poll(t.unit);
	iommu_domain_set_fault_handler(t.r.vm.dom, NULL, NULL);
	pt_report(&t);
	pt_checks(&t);
	teardown(&t);
}
