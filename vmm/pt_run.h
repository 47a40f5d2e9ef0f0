/* SPDX-License-Identifier: MIT */
/*
 * run=guest's state and its parts (vmm/vm_main.h): the VM build and run (vm_main.c), the
 * guest's configuration-space accesses to edu (pt_config.c), edu's MSI through interrupt
 * remapping (pt_msi.c), edu's DMA faults (pt_fault.c), and the run report and checks
 * (pt_report.c). Private to those files.
 */
#ifndef SKIFF_VMM_PT_RUN_H
#define SKIFF_VMM_PT_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/edu/edu.h"
#include "drivers/pci/pci_msi.h"
#include "iommu/iommu.h"
#include "vmm/vm_run.h"
#include "vmm/vpci.h"

#define PT_GPA_BAR	  0xe0000000ull /* edu's BAR0 in the guest: the guest maps 3-4 GiB UC */
#define PT_OUTSIDE_FAULTS 2u		/* the guest's write and read outside RAM */
#define PT_MAX_FAULTS	  4u
#define PT_WHY_LEN	  200
#define PT_LOG_FIRST	  3u /* guest-triggered lines of one kind logged; the rest are counted */

/* What the guest can make skiff log, each kind limited to PT_LOG_FIRST lines. */
enum pt_guest_event {
	PT_EV_CFG_UNKNOWN, /* a configuration access outside the emulated registers */
	PT_EV_BAR_REFUSED, /* a BAR0 move */
	PT_EV_MSI_REFUSED, /* an enabled MSI message skiff cannot deliver */
	PT_EV_MSI_ON,	   /* the guest's MSI delivered from now on (enabled, or a new vector) */
	PT_EV_MSI_OFF,	   /* the guest's MSI no longer delivered */
	PT_EV_NR,
};

struct pt {
	struct vm_run r;
	const struct pci_device *dev;
	struct edu edu;
	unsigned int unit;
	struct iommu_hw_info hw; /* the unit's */
	struct vpci vpci;
	char why[PT_WHY_LEN];	       /* why run.build failed, when it did */
	unsigned int events[PT_EV_NR]; /* guest-triggered events by kind */
	unsigned int decode_lost;      /* command updates after which edu did not decode memory */
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
	/* DMA faults of edu seen during the run */
	uint64_t dom_faults_before;
	unsigned int nr_faults;
	struct iommu_fault fault[PT_MAX_FAULTS];
};

/* pt_guest_event - count the guest's @ev; true when it may be logged (its first PT_LOG_FIRST). */
static inline bool pt_guest_event(struct pt *t, enum pt_guest_event ev)
{
	return t->events[ev]++ < PT_LOG_FIRST;
}

/* ---- pt_config.c: the guest's configuration space of edu (vmm/vpci.h) ---- */

/* pt_io - the vm_run I/O handler: CONFIG_ADDRESS / CONFIG_DATA through vpci_io(), the events it
 * raises handled (command register, MSI). -ENOENT for another port. */
int pt_io(struct vm_run *r, const struct vcpu_exit *e);

/* pt_command_update - the guest changed its command register: edu gets vpci_device_command()
 * (memory decoding stays on); a lapse of decoding is counted. */
void pt_command_update(struct pt *t);

/* ---- pt_msi.c: edu's MSI through interrupt remapping ---- */

/* pt_claim_remapping - an IRTE for edu on its unit before anything is built, or the refusal
 * (issue 11 finding 3; vm.unsafe_no_intremap=1 passes it through anyway). Returns 0 or the
 * allocation's error (t->why filled). */
int pt_claim_remapping(struct pt *t);

/* pt_setup_msi - edu's MSI capability taken (disabled) and skiff's host vector for it. */
int pt_setup_msi(struct pt *t);

/* pt_msi_update - the guest changed its MSI capability: armed at the first deliverable enable,
 * delivered or dropped after that; the IRTE and edu are programmed once. */
void pt_msi_update(struct pt *t);

/* pt_before_entry - inject one pending host interrupt as the guest's vector. */
void pt_before_entry(struct vm_run *r);

/* ---- pt_fault.c: edu's DMA faults ---- */

/* pt_note_fault - the VM domain's fault handler (@arg: the struct pt): edu's own DMA faults are
 * kept (the first PT_MAX_FAULTS) and counted. */
void pt_note_fault(struct iommu_domain *d, const struct iommu_fault *f, void *arg);

/* pt_outside_blocked - the guest's two DMAs outside RAM: one write and one read fault at that
 * page, nothing else. */
bool pt_outside_blocked(const struct pt *t);

/* ---- pt_report.c ---- */

/* pt_report - the run report (log lines "skiff run report" and its sections). */
void pt_report(struct pt *t);

/* pt_checks - one PASS/FAIL line per run.* check (vm_main.c lists them). */
void pt_checks(const struct pt *t);

#endif
