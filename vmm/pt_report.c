// SPDX-License-Identifier: MIT
/* run=guest: the run report and the run.* checks (vmm/pt_run.h; vm_main.c lists the checks). */
#include "vmm/pt_run.h"

#include <inttypes.h>
#include <stdio.h>

#include "drivers/pci/pci_regs.h"
#include "kernel/check.h"
#include "kernel/log.h"
#include "vmm/test_guest_abi.h"

#define NS_PER_US  1000u
#define MIB_SHIFT  20
#define EXITS_BUF  256
#define EVENTS_BUF 160

static const char *const event_names[PT_EV_NR] = {
	[PT_EV_CFG_UNKNOWN] = "config unknown",
	[PT_EV_BAR_REFUSED] = "BAR moves",
	[PT_EV_MSI_REFUSED] = "MSI refused",
	[PT_EV_MSI_ON] = "MSI on",
	[PT_EV_MSI_OFF] = "MSI off",
};

/* "guest log  N guest-triggered event(s), N logged, N suppressed: <kind> N, ..." */
static void log_report_events(const struct pt *t)
{
	char buf[EVENTS_BUF];
	unsigned int total = 0, logged = 0, n = 0;

	buf[0] = 0;
	for (unsigned int k = 0; k < PT_EV_NR; k++) {
		total += t->events[k];
		logged += t->events[k] < PT_LOG_FIRST ? t->events[k] : PT_LOG_FIRST;
		if (n < sizeof(buf))
			n += (unsigned int)snprintf(buf + n, sizeof(buf) - n, "%s%s %u",
						    k ? ", " : "", event_names[k], t->events[k]);
	}
	log_info("  guest log  %u guest-triggered event(s), %u logged, %u suppressed: %s", total,
		 logged, total - logged, buf);
}

void pt_report(struct pt *t)
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
		 t->dev->device, VPCI_GUEST_DEV, (unsigned long long)PT_GPA_BAR,
		 (unsigned long long)t->edu.mmio,
		 (unsigned long long)(t->dev->bars[0].size >> MIB_SHIFT),
		 t->events[PT_EV_CFG_UNKNOWN], t->events[PT_EV_BAR_REFUSED]);
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
		 t->edu.bdf.fn, pt_outside_blocked(t) ? "write and read blocked" : "unexpected",
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
	check(pt_outside_blocked(t) && dom_faults == PT_OUTSIDE_FAULTS &&
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

void pt_checks(const struct pt *t)
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
