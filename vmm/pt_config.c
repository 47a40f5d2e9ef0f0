// SPDX-License-Identifier: MIT
/* run=guest: the guest's configuration-space accesses to edu (vmm/pt_run.h, vmm/vpci.h). */
#include "vmm/pt_run.h"

#include <errno.h>

#include "drivers/pci/pci_regs.h"
#include "kernel/log.h"
#include "vmm/insn.h"

/* The guest changed its command register: edu gets vpci_device_command() (decoding stays on). */
void pt_command_update(struct pt *t)
{
	uint16_t hw = (uint16_t)pci_cfg_read(t->edu.bdf, PCI_COMMAND, 2),
		 cmd = vpci_device_command(&t->vpci, hw);

	if (cmd != hw)
		pci_cfg_write(t->edu.bdf, PCI_COMMAND, 2, cmd);
	if (!(pci_cfg_read(t->edu.bdf, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY))
		t->decode_lost++;
}

int pt_io(struct vm_run *r, const struct vcpu_exit *e)
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
	if (ev & (VPCI_EV_UNKNOWN | VPCI_EV_NO_DEVICE) && pt_guest_event(t, PT_EV_CFG_UNKNOWN))
		log_info("%s: configuration %s at port %#x (%u bytes, CONFIG_ADDRESS %#x) not "
			 "emulated: reads as all ones, writes dropped",
			 r->vm.name, e->io.in ? "read" : "write", e->io.port, e->io.size,
			 t->vpci.address);
	if (ev & VPCI_EV_BAR_REFUSED && pt_guest_event(t, PT_EV_BAR_REFUSED))
		log_info("%s: BAR0 write %#x refused: it stays at %#llx", r->vm.name, val,
			 (unsigned long long)PT_GPA_BAR);
	if (ev & VPCI_EV_COMMAND)
		pt_command_update(t);
	if (ev & VPCI_EV_MSI)
		pt_msi_update(t);
	return 0;
}
