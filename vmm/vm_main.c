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
 * Every log line the guest can cause is limited: the first LOG_FIRST of each kind are logged,
 * the rest only counted, and the run report's "guest log" line gives the counts.
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
#include "kernel/apic.h"
#include "kernel/check.h"
#include "kernel/cmdline.h"
#include "kernel/irq.h"
#include "kernel/log.h"
#include "kernel/options.h"
#include "vmm/insn.h"
#include "vmm/test_guest_abi.h"
#include "vmm/vm_run.h"
#include "vmm/vpci.h"

#define MAX_EXITS      200000	     /* the guest needs about a thousand */
#define GPA_BAR	       0xe0000000ull /* edu's BAR0 in the guest: the guest maps 3-4 GiB UC */
#define OUTSIDE_FAULTS 2u	     /* the guest's write and read outside RAM */
#define MAX_FAULTS     4u
#define NS_PER_US      1000u
#define MIB_SHIFT      20
#define EXITS_BUF      256
#define WHY_LEN	       200
#define EVENTS_BUF     160
#define LOG_FIRST      3u /* guest-triggered lines of one kind logged; the rest are counted */

/* What the guest can make skiff log, each kind limited to LOG_FIRST lines. */
enum guest_event {
	EV_CFG_UNKNOWN, /* a configuration access outside the emulated registers */
	EV_BAR_REFUSED, /* a BAR0 move */
	EV_MSI_REFUSED, /* an enabled MSI message skiff cannot deliver */
	EV_MSI_ON,	/* the guest's MSI delivered from now on (enabled, or a new vector) */
	EV_MSI_OFF,	/* the guest's MSI no longer delivered */
	EV_NR,
};

static const char *const event_names[EV_NR] = {
	[EV_CFG_UNKNOWN] = "config unknown",
	[EV_BAR_REFUSED] = "BAR moves",
	[EV_MSI_REFUSED] = "MSI refused",
	[EV_MSI_ON] = "MSI on",
	[EV_MSI_OFF] = "MSI off",
};

struct pt {
	struct vm_run r;
	const struct pci_device *dev;
	struct edu edu;
	unsigned int unit;
	struct iommu_hw_info hw; /* the unit's */
	struct vpci vpci;
	char why[WHY_LEN];	    /* why run.build failed, when it did */
	unsigned int events[EV_NR]; /* guest-triggered events by kind */
	unsigned int decode_lost;   /* command updates after which edu did not decode memory */
	/* edu's MSI: armed (IRTE and capability programmed) once, at the guest's first enable */
	bool irq_ok; /* IRTE allocated */
	bool compat; /* vm.unsafe_no_intremap=1 on a unit without remapping: compatibility format */
	bool msi_init, msi_armed, msi_on; /* msi_on: the guest's MSI is delivered */
	int msi_err;			  /* arming failed: not tried again */
	unsigned int irte_writes, msi_writes;
	struct iommu_irq irq;
	struct pci_msi msi;
	int host_vector;
	uint8_t guest_vector;
	volatile unsigned int pending;	       /* host interrupts not yet injected */
	uint64_t host_irqs, injected, dropped; /* dropped: arrived while the guest's MSI was off */
	/* DMA faults of edu seen after the run */
	uint64_t dom_faults_before;
	unsigned int nr_faults;
	struct iommu_fault fault[MAX_FAULTS];
};

static bool find_edu(struct pt *t, struct platform *p)
{
	int i = edu_find(p->pci, 0, iommu_unit_enabled, &t->edu);

	if (i < 0)
		return false;
	t->dev = &p->pci->devices[i];
	t->unit = (unsigned int)t->dev->unit;
	return iommu_hw_info(t->unit, &t->hw) == 0;
}

/* Counts the guest's @ev; true when it may be logged (its first LOG_FIRST). */
static bool guest_event(struct pt *t, enum guest_event ev)
{
	return t->events[ev]++ < LOG_FIRST;
}

static void on_host_irq(void *arg)
{
	struct pt *t = arg;

	t->host_irqs++;
	if (t->msi_on)
		t->pending++;
	else
		t->dropped++;
}

/*
 * edu's MSI armed, once: with interrupt remapping, the remappable message of its IRTE (source-
 * validated for edu at allocation) and the IRTE targeting skiff's host vector on this CPU; with
 * vm.unsafe_no_intremap=1 on a unit without remapping, a compatibility-format message for the
 * host vector. Then edu's capability enabled. Logged once.
 */
static void msi_arm(struct pt *t, uint8_t vector)
{
	struct msi_message compat = { 0 };
	uint64_t addr = 0;
	uint32_t data = 0;
	int err;

	if (t->compat) {
		err = apic_msi((uint8_t)t->host_vector, &compat);
		addr = compat.address;
		data = compat.data;
	} else {
		err = iommu_irq_message(&t->irq, 0, &addr, &data);
	}
	if (!err)
		err = pci_msi_set(&t->msi, 0, addr, data);
	t->msi_writes++;
	if (!err && !t->compat) {
		err = iommu_irq_target(&t->irq, 0, apic_id(), (uint8_t)t->host_vector);
		t->irte_writes++;
	}
	if (!err)
		err = pci_msi_enable(&t->msi);
	t->msi_armed = !err;
	t->msi_err = err;
	if (t->compat)
		log_info(
			"%s: MSI of %02x:%02x.%x: guest vector %#x -> compatibility-format message "
			"%#llx/%#x (NOT remapped, source not validated) -> host vector %d on APIC "
			"%u: %s",
			t->r.vm.name, t->edu.bdf.bus, t->edu.bdf.dev, t->edu.bdf.fn, vector,
			(unsigned long long)addr, data, t->host_vector, apic_id(),
			err ? "failed" : "on");
	else
		log_info(
			"%s: MSI of %02x:%02x.%x: guest vector %#x -> remappable message %#llx/%#x, "
			"IRTE %u (source-validated) -> host vector %d on APIC %u: %s",
			t->r.vm.name, t->edu.bdf.bus, t->edu.bdf.dev, t->edu.bdf.fn, vector,
			(unsigned long long)addr, data, t->irq.first, t->host_vector, apic_id(),
			err ? "failed" : "on");
}

/*
 * The guest changed its MSI capability (vpci.h raises VPCI_EV_MSI on a change only). edu's MSI
 * is armed at the guest's first enable of a message skiff can deliver, and stays armed (IRTE
 * present, capability enabled) until the VM goes: the IRTE only ever targets skiff's host
 * vector, whose handler injects the guest's vector while the guest's MSI is on (enabled, with
 * a message skiff delivers) and drops the interrupt otherwise. So however often the guest
 * toggles its enable bit or rewrites its message (issue 11 finding 5), skiff writes neither
 * the IRTE nor edu again, and logs the first LOG_FIRST changes of each kind.
 */
static void msi_update(struct pt *t)
{
	struct vpci_msi m;
	uint8_t dest = 0, vector = 0;
	bool on, armed_now = false;

	vpci_msi_get(&t->vpci, &m);
	on = m.enabled && !vpci_msi_decode(&m, &dest, &vector) && !dest;
	if (m.enabled && !on && guest_event(t, EV_MSI_REFUSED))
		log_warn("%s: MSI address %#llx data %#x not delivered (not fixed, edge, physical, "
			 "to APIC 0)",
			 t->r.vm.name, (unsigned long long)m.addr, m.data);
	if (on && !t->msi_armed && !t->msi_err) {
		msi_arm(t, vector);
		armed_now = true;
	}
	on = on && t->msi_armed;
	if (on == t->msi_on && (!on || vector == t->guest_vector))
		return;
	if (on)
		t->guest_vector = vector;
	t->msi_on = on;
	if (guest_event(t, on ? EV_MSI_ON : EV_MSI_OFF) && !armed_now)
		log_info("%s: MSI of %02x:%02x.%x: guest vector %#x %s", t->r.vm.name,
			 t->edu.bdf.bus, t->edu.bdf.dev, t->edu.bdf.fn,
			 on ? vector : t->guest_vector,
			 on ? "on" : "off (edu's interrupts dropped)");
}

/* The guest changed its command register: edu gets vpci_device_command() (decoding stays on). */
static void command_update(struct pt *t)
{
	uint16_t hw = (uint16_t)pci_cfg_read(t->edu.bdf, PCI_COMMAND, 2),
		 cmd = vpci_device_command(&t->vpci, hw);

	if (cmd != hw)
		pci_cfg_write(t->edu.bdf, PCI_COMMAND, 2, cmd);
	if (!(pci_cfg_read(t->edu.bdf, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY))
		t->decode_lost++;
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
	if (ev & (VPCI_EV_UNKNOWN | VPCI_EV_NO_DEVICE) && guest_event(t, EV_CFG_UNKNOWN))
		log_info("%s: configuration %s at port %#x (%u bytes, CONFIG_ADDRESS %#x) not "
			 "emulated: reads as all ones, writes dropped",
			 r->vm.name, e->io.in ? "read" : "write", e->io.port, e->io.size,
			 t->vpci.address);
	if (ev & VPCI_EV_BAR_REFUSED && guest_event(t, EV_BAR_REFUSED))
		log_info("%s: BAR0 write %#x refused: it stays at %#llx", r->vm.name, val,
			 (unsigned long long)GPA_BAR);
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
	if (t->pending && !vcpu_inject_interrupt(&r->vcpu, t->guest_vector)) {
		t->pending--;
		t->injected++;
	}
	irq_enable();
}

/*
 * edu's interrupt remapping, before anything is built: an IRTE for edu on its unit. A unit that
 * cannot remap edu's interrupts is refused (issue 11 finding 3): edu's DMA (bus mastering is
 * the guest's) to 0xFEEx_xxxx would be a compatibility-format MSI with any vector, delivery
 * mode (NMI, INIT, SMI) and destination the guest chooses. vm.unsafe_no_intremap=1 passes edu
 * through anyway, as VFIO's allow_unsafe_interrupts does, with a warning. Returns 0 or the
 * allocation's error (t->why filled).
 */
static int claim_remapping(struct pt *t)
{
	const struct pci_bdf b = t->edu.bdf;
	bool unsafe = false;
	int err = iommu_irq_alloc(t->unit, b, 1, &t->irq);

	t->irq_ok = !err;
	if (err == -ENODEV &&
	    !cmdline_get_bool(options_cmdline(), "vm.unsafe_no_intremap", false, &unsafe) &&
	    unsafe) {
		log_warn("run: UNSAFE (vm.unsafe_no_intremap=1): %04x:%02x:%02x.%x (%04x:%04x) "
			 "passed through behind %s%u without interrupt remapping: its DMA can "
			 "raise any interrupt (vector, NMI, INIT, SMI) on any CPU",
			 b.segment, b.bus, b.dev, b.fn, t->dev->vendor, t->dev->device, t->hw.name,
			 t->unit);
		t->compat = true;
		return 0;
	}
	if (!err)
		return 0;
	log_err("run: %04x:%02x:%02x.%x (%04x:%04x) not passed through: %s%u cannot remap its "
		"interrupts (%d); its DMA to 0xfee00000-0xfeefffff would be compatibility-format "
		"MSIs of any vector, delivery mode (NMI, INIT, SMI) and destination; "
		"vm.unsafe_no_intremap=1 passes it through anyway",
		b.segment, b.bus, b.dev, b.fn, t->dev->vendor, t->dev->device, t->hw.name, t->unit,
		err);
	snprintf(t->why, sizeof(t->why),
		 "refused: %04x:%02x:%02x.%x behind %s%u without interrupt remapping (%d)",
		 b.segment, b.bus, b.dev, b.fn, t->hw.name, t->unit, err);
	return err;
}

/* edu's MSI capability taken (disabled) and skiff's host vector for it. */
static int setup_msi(struct pt *t)
{
	int err = pci_msi_init(t->dev, PCI_MSI_KIND_MSI, 1, &t->msi);

	if (err)
		return err;
	t->msi_init = true;
	t->host_vector = irq_alloc(on_host_irq, t);
	return t->host_vector < 0 ? t->host_vector : 0;
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
	int err = claim_remapping(t);

	if (err)
		return err;
	err = vm_run_init(&t->r, "guest0");
	t->r.attack = cmdline_get(options_cmdline(), "guest.attack");
	if (t->r.attack && !t->r.attack[0])
		t->r.attack = NULL;
	if (t->r.attack)
		log_info("run: %s: attack %s (guest.attack)", vm->name, t->r.attack);
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
	command_update(t); /* the guest starts with bus mastering off (edu keeps decoding) */
	err = setup_msi(t);
	if (!err)
		err = vm_run_start(&t->r);
	t->r.io = pt_io;
	t->r.before_entry = pt_before_entry;
	t->r.dev = t;
	return err;
}

/* The domain's fault handler: edu's DMA faults (not its aliases', not interrupt faults). */
static void note_fault(struct iommu_domain *d, const struct iommu_fault *f, void *arg)
{
	struct pt *t = arg;
	const struct pci_bdf *s = &f->source, *e = &t->edu.bdf;

	(void)d;
	if (f->kind != IOMMU_FAULT_DMA || s->segment != e->segment || s->bus != e->bus ||
	    s->dev != e->dev || s->fn != e->fn)
		return;
	if (t->nr_faults < MAX_FAULTS)
		t->fault[t->nr_faults] = *f;
	t->nr_faults++;
}

/* The guest's two DMAs outside RAM: one write and one read fault at that page, nothing else. */
static bool outside_blocked(const struct pt *t)
{
	bool write = false, read = false;

	for (unsigned int i = 0; i < t->nr_faults && i < MAX_FAULTS; i++) {
		if (t->fault[i].addr != TEST_GUEST_DMA_OUTSIDE)
			return false;
		write = write || t->fault[i].access == IOMMU_WRITE;
		read = read || t->fault[i].access == IOMMU_READ;
	}
	return t->nr_faults == OUTSIDE_FAULTS && write && read;
}

/* "guest log  N guest-triggered event(s), N logged, N suppressed: <kind> N, ..." */
static void log_report_events(const struct pt *t)
{
	char buf[EVENTS_BUF];
	unsigned int total = 0, logged = 0, n = 0;

	buf[0] = 0;
	for (unsigned int k = 0; k < EV_NR; k++) {
		total += t->events[k];
		logged += t->events[k] < LOG_FIRST ? t->events[k] : LOG_FIRST;
		if (n < sizeof(buf))
			n += (unsigned int)snprintf(buf + n, sizeof(buf) - n, "%s%s %u",
						    k ? ", " : "", event_names[k], t->events[k]);
	}
	log_info("  guest log  %u guest-triggered event(s), %u logged, %u suppressed: %s", total,
		 logged, total - logged, buf);
}

static void report(struct pt *t)
{
	const struct vm_run *r = &t->r;
	char exits[EXITS_BUF], window[EXITS_BUF];
	uint64_t total = vm_run_exits(r->vcpu.exits, exits, sizeof(exits)),
		 in_window = vm_run_exits(r->window_exits, window, sizeof(window));
	uint64_t dom_faults = iommu_domain_faults(r->vm.dom) - t->dom_faults_before;
	char remap[EXITS_BUF], dropped[EXITS_BUF];

	if (t->compat)
		snprintf(remap, sizeof(remap),
			 "compatibility format (UNSAFE: no interrupt remapping)");
	else
		snprintf(remap, sizeof(remap), "IRTE %u", t->irq.first);
	dropped[0] = 0;
	if (t->dropped)
		snprintf(dropped, sizeof(dropped), ", %" PRIu64 " dropped (the guest's MSI off)",
			 t->dropped);
	log_info("skiff run report");
	log_info("  vm         %s on %s: %u KiB RAM at 0, test guest at %#x; verdict %s (%#" PRIx64
		 ") after %" PRIu64 " us",
		 r->vm.name, r->vcpu.ops->name, TEST_GUEST_RAM_SIZE >> 10, TEST_GUEST_LOAD,
		 r->done && !r->verdict ? "PASS" :
		 r->done		? "FAIL" :
					  "none",
		 r->verdict, r->run_ns / NS_PER_US);
	log_info("  domain     %s%u %s %u, %s mode, %s stage, %s; %" PRIu64 " DMA fault(s)",
		 t->hw.name, t->unit, t->hw.domain_id_name, iommu_domain_hwid(r->vm.dom),
		 t->hw.mode, t->hw.stage == IOMMU_STAGE_FIRST ? "first" : "second",
		 iommu_domain_is_nesting_parent(r->vm.dom) ? "nesting parent" : "no nesting",
		 dom_faults);
	log_info("  device     %04x:%02x:%02x.%x %04x:%04x as guest 00:%02x.0; BAR0 gpa %#llx -> "
		 "hpa %#llx, %llu MiB (CPU view UC, device view RW); config: %u unknown, %u "
		 "refused",
		 t->edu.bdf.segment, t->edu.bdf.bus, t->edu.bdf.dev, t->edu.bdf.fn, t->dev->vendor,
		 t->dev->device, VPCI_GUEST_DEV, (unsigned long long)GPA_BAR,
		 (unsigned long long)t->edu.mmio,
		 (unsigned long long)(t->dev->bars[0].size >> MIB_SHIFT), t->events[EV_CFG_UNKNOWN],
		 t->events[EV_BAR_REFUSED]);
	log_info("  command    guest %#x, edu %#x: edu's memory decoding %s (%u lapse(s))",
		 vpci_command(&t->vpci), pci_cfg_read(t->edu.bdf, PCI_COMMAND, 2),
		 t->decode_lost ? "LOST" : "kept on", t->decode_lost);
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
	log_info("  interrupts MSI guest vector %#x, host vector %d, %s: %" PRIu64
		 " host interrupt(s), %" PRIu64 " injected%s",
		 t->guest_vector, t->host_vector, remap, t->host_irqs, t->injected, dropped);
	log_report_events(t);
	log_info("  exits      %" PRIu64 ": %s", total, total ? exits : "none");
	dev_view_log_report(&r->vm.view, r->vm.name);
}

/* The checks of the guest's own run: DMA and MSI (not under guest.attack). */
static void guest_checks(const struct pt *t)
{
	const struct vm_run *r = &t->r;
	char window[EXITS_BUF];
	uint64_t in_window = vm_run_exits(r->window_exits, window, sizeof(window)),
		 dom_faults = iommu_domain_faults(r->vm.dom) - t->dom_faults_before;

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
	check(t->msi_armed && t->host_irqs == 1 && t->injected == 1 &&
		      !(r->verdict & (TEST_GUEST_FAIL_MSI_NONE | TEST_GUEST_FAIL_MSI_COUNT)),
	      "run.msi",
	      "MSI %s (%d), %" PRIu64 " host interrupt(s), %" PRIu64 " injected, verdict %#" PRIx64,
	      t->msi_armed ? "armed" : "never armed", t->msi_err, t->host_irqs, t->injected,
	      r->verdict);
}

static void checks(const struct pt *t)
{
	const struct vm_run *r = &t->r;
	const uint64_t *x = r->vcpu.exits;
	uint16_t cmd = (uint16_t)pci_cfg_read(t->edu.bdf, PCI_COMMAND, 2);

	check(r->done && !r->verdict, "run.verdict", "%s, verdict %#" PRIx64,
	      r->done	  ? "hypercall exit" :
	      r->stop_why ? r->stop_why :
			    "no exit",
	      r->verdict);
	if (!r->attack)
		guest_checks(t);
	check(!t->decode_lost && (cmd & PCI_COMMAND_MEMORY), "run.decode_kept",
	      "edu's memory decoding off after %u command update(s) (guest's command %#x), "
	      "edu's command %#x at the end",
	      t->decode_lost, vpci_command(&t->vpci), cmd);
	check(t->irte_writes <= 1 && t->msi_writes <= 1, "run.irte_writes",
	      "IRTE written %u time(s), edu's MSI message %u time(s): once each at most",
	      t->irte_writes, t->msi_writes);
	check(!x[VCPU_EXIT_EXCEPTION] && !x[VCPU_EXIT_SHUTDOWN] && !x[VCPU_EXIT_ENTRY_FAIL] &&
		      !x[VCPU_EXIT_OTHER],
	      "run.exits",
	      "exception %" PRIu64 ", shutdown %" PRIu64 ", entry_fail %" PRIu64 ", other %" PRIu64,
	      x[VCPU_EXIT_EXCEPTION], x[VCPU_EXIT_SHUTDOWN], x[VCPU_EXIT_ENTRY_FAIL],
	      x[VCPU_EXIT_OTHER]);
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
	iommu_domain_set_fault_handler(t.r.vm.dom, note_fault, &t);
	t.dom_faults_before = iommu_domain_faults(t.r.vm.dom);
	vm_run_loop(&t.r, MAX_EXITS);
	iommu_fault_poll(t.unit);
	iommu_domain_set_fault_handler(t.r.vm.dom, NULL, NULL);
	report(&t);
	checks(&t);
	teardown(&t);
}
