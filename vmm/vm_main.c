// SPDX-License-Identifier: MIT
/*
 * run=guest: the test guest with QEMU's edu passed through (see vm_main.h). Checks:
 *   run.build           edu found, the VM, its device view, edu assigned, the vCPU created;
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
 *   run.exits           no exception, shutdown, entry failure or unknown exit.
 */
#include "vmm/vm_main.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "drivers/edu/edu.h"
#include "drivers/pci/pci_msi.h"
#include "drivers/pci/pci_regs.h"
#include "iommu/iommu.h"
#include "iommu/vtd/vtd_internal.h"
#include "iommu/vtd/vtd_iommu.h"
#include "kernel/apic.h"
#include "kernel/check.h"
#include "kernel/irq.h"
#include "kernel/log.h"
#include "tests/guests/test_guest.h"
#include "vmm/insn.h"
#include "vmm/vm_run.h"
#include "vmm/vpci.h"

#define MAX_EXITS      200000	     /* the guest needs about a thousand */
#define GPA_BAR	       0xe0000000ull /* edu's BAR0 in the guest: the guest maps 3-4 GiB UC */
#define COMMAND_PASSED (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) /* guest bits that reach edu */
#define OUTSIDE_FAULTS 2u /* the guest's write and read outside RAM */
#define MAX_FAULTS     4u
#define NS_PER_US      1000u
#define MIB_SHIFT      20
#define EXITS_BUF      256

struct pt {
	struct vm_run r;
	const struct pci_device *dev;
	struct edu edu;
	unsigned int unit;
	struct vpci vpci;
	unsigned int cfg_unknown, cfg_refused;
	bool logged_unknown, logged_refused, logged_msi;
	/* the guest's MSI */
	bool irq_ok, msi_init, msi_ok, msi_on;
	struct iommu_irq irq;
	struct pci_msi msi;
	int host_vector;
	uint8_t guest_vector;
	volatile unsigned int pending; /* host interrupts not yet injected */
	uint64_t host_irqs, injected;
	/* DMA faults of edu seen after the run */
	uint64_t dom_faults_before;
	unsigned int nr_faults;
	struct vtd_fault fault[MAX_FAULTS];
};

static bool find_edu(struct pt *t, struct platform *p)
{
	int i = edu_find(p->pci, 0, vtd_state_enabled, &t->edu);

	if (i < 0)
		return false;
	t->dev = &p->pci->devices[i];
	t->unit = (unsigned int)t->dev->unit;
	return true;
}

static void on_host_irq(void *arg)
{
	struct pt *t = arg;

	t->pending++;
	t->host_irqs++;
}

/* The guest's virtual MSI disabled (or refused): edu's MSI off, its IRTE not present. */
static void msi_off(struct pt *t)
{
	if (!t->msi_on)
		return;
	pci_msi_teardown(&t->msi);
	iommu_irq_block(&t->irq, 0);
	t->msi_on = false;
	log_info("%s: MSI of %02x:%02x.%x off", t->r.vm.name, t->edu.bdf.bus, t->edu.bdf.dev,
		 t->edu.bdf.fn);
}

/*
 * The guest wrote its MSI capability. Enabled with a message skiff can deliver: edu gets the
 * remappable message of its IRTE, the IRTE (source-validated for edu at allocation) targets
 * skiff's host vector on this CPU, and the host vector's handler queues the guest's vector.
 */
static void msi_update(struct pt *t)
{
	struct vpci_msi m;
	uint64_t addr = 0;
	uint32_t data = 0;
	uint8_t dest, vector;
	int err;

	vpci_msi_get(&t->vpci, &m);
	if (!m.enabled) {
		msi_off(t);
		return;
	}
	err = vpci_msi_decode(&m, &dest, &vector) || dest ? -EINVAL : 0;
	if (!err && !t->msi_ok)
		err = -ENODEV;
	if (err) {
		if (!t->logged_msi)
			log_warn("%s: MSI address %#llx data %#x not delivered (%s)", t->r.vm.name,
				 (unsigned long long)m.addr, m.data,
				 err == -ENODEV ? "no interrupt remapping for the device" :
						  "not fixed, edge, physical, to APIC 0");
		t->logged_msi = true;
		msi_off(t);
		return;
	}
	t->guest_vector = vector;
	if (t->msi_on)
		return;
	err = iommu_irq_message(&t->irq, 0, &addr, &data);
	if (!err)
		err = pci_msi_set(&t->msi, 0, addr, data);
	if (!err)
		err = iommu_irq_target(&t->irq, 0, apic_id(), (uint8_t)t->host_vector);
	if (!err)
		err = pci_msi_enable(&t->msi);
	t->msi_on = !err;
	log_info("%s: MSI of %02x:%02x.%x: guest vector %#x -> remappable message %#llx/%#x, "
		 "IRTE %u (source-validated) -> host vector %d on APIC %u: %s",
		 t->r.vm.name, t->edu.bdf.bus, t->edu.bdf.dev, t->edu.bdf.fn, vector,
		 (unsigned long long)addr, data, t->irq.first, t->host_vector, apic_id(),
		 err ? "failed" : "on");
}

/* The guest's command register: memory decoding and bus mastering reach edu; INTx stays off. */
static void command_update(struct pt *t)
{
	uint16_t cmd = (uint16_t)pci_cfg_read(t->edu.bdf, PCI_COMMAND, 2);

	cmd = (uint16_t)((cmd & ~COMMAND_PASSED) | (vpci_command(&t->vpci) & COMMAND_PASSED) |
			 PCI_COMMAND_INTX_DISABLE);
	pci_cfg_write(t->edu.bdf, PCI_COMMAND, 2, cmd);
}

static int pt_io(struct vm_run *r, const struct vcpu_exit *e)
{
	struct pt *t = r->dev;
	uint64_t *rax = &r->vcpu.regs.gpr[VCPU_RAX];
	uint32_t val = (uint32_t)*rax;
	unsigned int ev;

	if (e->io.port < VPCI_PORT_ADDRESS || e->io.port > VPCI_PORT_LAST)
		return -ENOENT;
	ev = vpci_io(&t->vpci, e->io.port, e->io.size, e->io.in, &val);
	if (e->io.in)
		*rax = insn_reg_write(*rax, val, e->io.size, false);
	if (ev & (VPCI_EV_UNKNOWN | VPCI_EV_NO_DEVICE)) {
		if (!t->logged_unknown)
			log_info("%s: configuration %s at port %#x (%u bytes, CONFIG_ADDRESS %#x) "
				 "not emulated: reads as all ones, writes dropped",
				 r->vm.name, e->io.in ? "read" : "write", e->io.port, e->io.size,
				 t->vpci.address);
		t->logged_unknown = true;
		t->cfg_unknown++;
	}
	if (ev & VPCI_EV_BAR_REFUSED) {
		if (!t->logged_refused)
			log_info("%s: BAR0 write %#x refused: it stays at %#llx", r->vm.name, val,
				 (unsigned long long)GPA_BAR);
		t->logged_refused = true;
		t->cfg_refused++;
	}
	if (ev & VPCI_EV_COMMAND)
		command_update(t);
	if (ev & VPCI_EV_MSI)
		msi_update(t);
	return 0;
}

static void pt_before_entry(struct vm_run *r)
{
	struct pt *t = r->dev;

	irq_disable();
	if (t->pending && t->msi_on && !vcpu_inject_interrupt(&r->vcpu, t->guest_vector)) {
		t->pending--;
		t->injected++;
	}
	irq_enable();
}

static int setup_msi(struct pt *t)
{
	int err = iommu_irq_alloc(t->unit, t->edu.bdf, 1, &t->irq);

	if (err) {
		log_warn("%s: no interrupt remapping for %02x:%02x.%x (%d): its MSI stays off",
			 t->r.vm.name, t->edu.bdf.bus, t->edu.bdf.dev, t->edu.bdf.fn, err);
		return 0;
	}
	t->irq_ok = true;
	err = pci_msi_init(t->dev, PCI_MSI_KIND_MSI, 1, &t->msi);
	if (err)
		return err;
	t->msi_init = true;
	t->host_vector = irq_alloc(on_host_irq, t);
	if (t->host_vector < 0)
		return t->host_vector;
	t->msi_ok = true;
	return 0;
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
	int err = vm_run_init(&t->r, "guest0");

	if (!err)
		err = vm_add_range(vm, GMEM_MMIO_PASSTHRU, GPA_BAR, bar->size, bar->base,
				   "edu.bar0");
	if (!err)
		err = vm_device_view(vm, t->unit, false);
	if (!err)
		err = vm_assign(vm, t->edu.bdf);
	if (!err)
		err = vpci_init(&t->vpci, &id, GPA_BAR, (uint32_t)bar->size);
	if (err)
		return err;
	command_update(t); /* the guest starts with decoding and bus mastering off */
	err = setup_msi(t);
	if (!err)
		err = vm_run_start(&t->r);
	t->r.io = pt_io;
	t->r.before_entry = pt_before_entry;
	t->r.dev = t;
	return err;
}

static void note_fault(const struct vtd_fault_event *e, void *arg)
{
	struct pt *t = arg;

	if (e->fault.intr || e->fault.sid != vtd_sid(t->edu.bdf))
		return;
	if (t->nr_faults < MAX_FAULTS)
		t->fault[t->nr_faults] = e->fault;
	t->nr_faults++;
}

/* The guest's two DMAs outside RAM: one write and one read fault at that page, nothing else. */
static bool outside_blocked(const struct pt *t)
{
	bool write = false, read = false;

	for (unsigned int i = 0; i < t->nr_faults && i < MAX_FAULTS; i++) {
		if (t->fault[i].addr != TEST_GUEST_DMA_OUTSIDE)
			return false;
		write = write || t->fault[i].access == VTD_FAULT_WRITE;
		read = read || t->fault[i].access == VTD_FAULT_READ;
	}
	return t->nr_faults == OUTSIDE_FAULTS && write && read;
}

static void report(struct pt *t)
{
	const struct vm_run *r = &t->r;
	const struct vtd_state *vs = vtd_state_of(t->unit);
	char exits[EXITS_BUF], window[EXITS_BUF];
	uint64_t total = vm_run_exits(r->vcpu.exits, exits, sizeof(exits)),
		 in_window = vm_run_exits(r->window_exits, window, sizeof(window));
	uint64_t dom_faults = iommu_domain_faults(r->vm.dom) - t->dom_faults_before;

	log_info("skiff run report");
	log_info("  vm         %s on %s: %u KiB RAM at 0, test guest at %#x; verdict %s (%#" PRIx64
		 ") after %" PRIu64 " us",
		 r->vm.name, r->vcpu.ops->name, TEST_GUEST_RAM_SIZE >> 10, TEST_GUEST_LOAD,
		 r->done && !r->verdict ? "PASS" :
		 r->done		? "FAIL" :
					  "none",
		 r->verdict, r->run_ns / NS_PER_US);
	log_info("  domain     vtd%u DID %u, %s mode, %s stage, %s; %" PRIu64 " DMA fault(s)",
		 t->unit, iommu_domain_did(r->vm.dom),
		 vs && vs->unit.mode == VTD_MODE_SCALABLE ? "scalable" : "legacy",
		 vs && vs->format == VTD_PGT_FIRST_STAGE ? "first" : "second",
		 iommu_domain_is_nesting_parent(r->vm.dom) ? "nesting parent" : "no nesting",
		 dom_faults);
	log_info("  device     %04x:%02x:%02x.%x %04x:%04x as guest 00:%02x.0; BAR0 gpa %#llx -> "
		 "hpa %#llx, %llu MiB (CPU view UC, device view RW); config: %u unknown, %u "
		 "refused",
		 t->edu.bdf.segment, t->edu.bdf.bus, t->edu.bdf.dev, t->edu.bdf.fn, t->dev->vendor,
		 t->dev->device, VPCI_GUEST_DEV, (unsigned long long)GPA_BAR,
		 (unsigned long long)t->edu.mmio,
		 (unsigned long long)(t->dev->bars[0].size >> MIB_SHIFT), t->cfg_unknown,
		 t->cfg_refused);
	log_info("  dma        RAM -> edu -> RAM with guest-physical addresses: %s",
		 !r->windows ? "not done" :
		 r->verdict & (TEST_GUEST_FAIL_DMA_DATA | TEST_GUEST_FAIL_DMA_TIMEOUT) ? "FAILED" :
											 "data ok");
	log_info("  dma        outside RAM at %#x: %u fault(s) of %02x:%02x.%x (%s), %" PRIu64
		 " counted for the domain",
		 TEST_GUEST_DMA_OUTSIDE, t->nr_faults, t->edu.bdf.bus, t->edu.bdf.dev,
		 t->edu.bdf.fn, outside_blocked(t) ? "write and read blocked" : "unexpected",
		 dom_faults);
	log_info("  dma exits  %" PRIu64 " exit(s) during the guest's DMA window (%u window(s), "
		 "%" PRIu64 " us)%s%s",
		 in_window, r->windows, r->window_ns / NS_PER_US, in_window ? ": " : "",
		 in_window ? window : "");
	if (t->msi_ok)
		log_info("  interrupts MSI guest vector %#x, host vector %d, IRTE %u: %" PRIu64
			 " host interrupt(s), %" PRIu64 " injected",
			 t->guest_vector, t->host_vector, t->irq.first, t->host_irqs, t->injected);
	else
		log_info("  interrupts none: no interrupt remapping for the device");
	log_info("  exits      %" PRIu64 ": %s", total, total ? exits : "none");
	dev_view_log_report(&r->vm.view, r->vm.name);
}

static void checks(const struct pt *t)
{
	const struct vm_run *r = &t->r;
	const uint64_t *x = r->vcpu.exits;
	char window[EXITS_BUF];
	uint64_t in_window = vm_run_exits(r->window_exits, window, sizeof(window)),
		 dom_faults = iommu_domain_faults(r->vm.dom) - t->dom_faults_before;

	check(r->done && !r->verdict, "run.verdict", "%s, verdict %#" PRIx64,
	      r->done	  ? "hypercall exit" :
	      r->stop_why ? r->stop_why :
			    "no exit",
	      r->verdict);
	check(r->windows == 1 &&
		      !(r->verdict & (TEST_GUEST_FAIL_DMA_DATA | TEST_GUEST_FAIL_DMA_TIMEOUT |
				      TEST_GUEST_FAIL_PCI_BAR | TEST_GUEST_FAIL_EDU_IDENT)),
	      "run.dma_round_trip", "%u DMA window(s), guest verdict %#" PRIx64, r->windows,
	      r->verdict);
	check(r->windows == 1 && in_window == 0, "run.dma_exits", "%" PRIu64 " exit(s): %s",
	      in_window, window);
	check(outside_blocked(t) && dom_faults == OUTSIDE_FAULTS &&
		      !(r->verdict & TEST_GUEST_FAIL_DMA_OUTSIDE),
	      "run.dma_outside",
	      "%u fault(s) of edu (first at %#llx), %" PRIu64 " for the domain, verdict %#" PRIx64,
	      t->nr_faults, (unsigned long long)(t->nr_faults ? t->fault[0].addr : 0), dom_faults,
	      r->verdict);
	check(t->msi_ok && t->host_irqs == 1 && t->injected == 1 &&
		      !(r->verdict & (TEST_GUEST_FAIL_MSI_NONE | TEST_GUEST_FAIL_MSI_COUNT)),
	      "run.msi",
	      "remapping %s, %" PRIu64 " host interrupt(s), %" PRIu64
	      " injected, verdict %#" PRIx64,
	      t->msi_ok ? "on" : "off", t->host_irqs, t->injected, r->verdict);
	check(!x[VCPU_EXIT_EXCEPTION] && !x[VCPU_EXIT_SHUTDOWN] && !x[VCPU_EXIT_ENTRY_FAIL] &&
		      !x[VCPU_EXIT_OTHER],
	      "run.exits",
	      "exception %" PRIu64 ", shutdown %" PRIu64 ", entry_fail %" PRIu64 ", other %" PRIu64,
	      x[VCPU_EXIT_EXCEPTION], x[VCPU_EXIT_SHUTDOWN], x[VCPU_EXIT_ENTRY_FAIL],
	      x[VCPU_EXIT_OTHER]);
}

static void teardown(struct pt *t)
{
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
	if (!check(!err, "run.build", "%s: %d (%s)", t.dev ? "VM" : "no edu device behind VT-d",
		   err, t.r.vm.gmem.why)) {
		teardown(&t);
		return;
	}
	vtd_fault_take(NULL, NULL);
	t.dom_faults_before = iommu_domain_faults(t.r.vm.dom);
	vm_run_loop(&t.r, MAX_EXITS);
	vtd_fault_take(note_fault, &t);
	report(&t);
	checks(&t);
	teardown(&t);
}
