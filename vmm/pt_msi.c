// SPDX-License-Identifier: MIT
/*
 * run=guest: edu's MSI through interrupt remapping (vmm/pt_run.h): the IRTE claimed before the
 * VM is built, armed at the guest's first enable, a host vector whose interrupts are injected
 * as the guest's vector while the guest's MSI is on.
 */
#include "vmm/pt_run.h"

#include <errno.h>
#include <stdio.h>

#include "kernel/arch/x86/apic.h"
#include "kernel/cmdline.h"
#include "kernel/arch/x86/irq.h"
#include "kernel/log.h"
#include "kernel/options.h"

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
 * the IRTE nor edu again, and logs the first PT_LOG_FIRST changes of each kind.
 */
void pt_msi_update(struct pt *t)
{
	struct vpci_msi m;
	uint8_t dest = 0, vector = 0;
	bool on, armed_now = false;

	vpci_msi_get(&t->vpci, &m);
	on = m.enabled && !vpci_msi_decode(&m, &dest, &vector) && !dest;
	if (m.enabled && !on && pt_guest_event(t, PT_EV_MSI_REFUSED))
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
	if (pt_guest_event(t, on ? PT_EV_MSI_ON : PT_EV_MSI_OFF) && !armed_now)
		log_info("%s: MSI of %02x:%02x.%x: guest vector %#x %s", t->r.vm.name,
			 t->edu.bdf.bus, t->edu.bdf.dev, t->edu.bdf.fn,
			 on ? vector : t->guest_vector,
			 on ? "on" : "off (edu's interrupts dropped)");
}

void pt_before_entry(struct vm_run *r)
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
int pt_claim_remapping(struct pt *t)
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
int pt_setup_msi(struct pt *t)
{
	int err = pci_msi_init(t->dev, PCI_MSI_KIND_MSI, 1, &t->msi);

	if (err)
		return err;
	t->msi_init = true;
	t->host_vector = irq_alloc(on_host_irq, t);
	return t->host_vector < 0 ? t->host_vector : 0;
}
