// SPDX-License-Identifier: MIT
/* VMX events: see vmx_event.h. */
#include "vmm/vmx/vmx_event.h"

#include "vmm/vmx/vmcs_fields.h"

/* Neutral types by VMX type (25.8.3 table 25-16); types 1 and 7 are none of them. */
static const uint8_t type_of_vmx[] = {
	[INTR_TYPE_EXT_INTR] = VCPU_EVENT_EXT_INTR,
	[INTR_TYPE_RESERVED] = VCPU_EVENT_EXCEPTION,
	[INTR_TYPE_NMI] = VCPU_EVENT_NMI,
	[INTR_TYPE_HW_EXCEPTION] = VCPU_EVENT_EXCEPTION,
	[INTR_TYPE_SW_INTR] = VCPU_EVENT_SOFT_INTR,
	[INTR_TYPE_PRIV_SW_EXC] = VCPU_EVENT_PRIV_SOFT_EXC,
	[INTR_TYPE_SW_EXCEPTION] = VCPU_EVENT_SOFT_EXC,
	[INTR_TYPE_OTHER] = VCPU_EVENT_EXCEPTION,
};

static const uint8_t vmx_of_type[] = {
	[VCPU_EVENT_EXT_INTR] = INTR_TYPE_EXT_INTR,
	[VCPU_EVENT_NMI] = INTR_TYPE_NMI,
	[VCPU_EVENT_EXCEPTION] = INTR_TYPE_HW_EXCEPTION,
	[VCPU_EVENT_SOFT_INTR] = INTR_TYPE_SW_INTR,
	[VCPU_EVENT_SOFT_EXC] = INTR_TYPE_SW_EXCEPTION,
	[VCPU_EVENT_PRIV_SOFT_EXC] = INTR_TYPE_PRIV_SW_EXC,
};

struct vcpu_event vmx_event_decode(uint32_t idt_info, uint32_t error, uint32_t insn_len)
{
	struct vcpu_event ev = { 0 };

	if (!(idt_info & INTR_INFO_VALID))
		return ev;
	ev.valid = true;
	ev.vector = (uint8_t)(idt_info & INTR_INFO_VECTOR_MASK);
	ev.type = type_of_vmx[(idt_info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT];
	if (idt_info & INTR_INFO_ERROR_VALID) {
		ev.has_error = true;
		ev.error = error;
	}
	if (vmx_event_has_insn_len(&ev))
		ev.insn_len = (uint8_t)insn_len;
	return ev;
}

bool vmx_event_has_insn_len(const struct vcpu_event *ev)
{
	return ev->type == VCPU_EVENT_SOFT_INTR || ev->type == VCPU_EVENT_SOFT_EXC ||
	       ev->type == VCPU_EVENT_PRIV_SOFT_EXC;
}

uint32_t vmx_entry_intr_info(const struct vcpu_event *ev)
{
	uint32_t info;

	if (!ev->valid || ev->type >= sizeof(vmx_of_type))
		return 0;
	info = ev->vector | (uint32_t)vmx_of_type[ev->type] << INTR_INFO_TYPE_SHIFT |
	       INTR_INFO_VALID;
	if (ev->has_error)
		info |= INTR_INFO_ERROR_VALID;
	return info;
}

uint32_t vmx_interruptibility_retire(uint32_t state)
{
	return state & ~(VMX_BLOCKING_BY_STI | VMX_BLOCKING_BY_MOV_SS);
}
