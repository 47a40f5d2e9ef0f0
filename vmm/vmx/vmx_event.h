/* SPDX-License-Identifier: MIT */
/*
 * VMX events in the vCPU's neutral form (vmm/vcpu_event.h): the IDT-vectoring information
 * decoded (Intel SDM vol. 3C 25.9.3, 28.2.4), the VM-entry interruption-information field
 * encoded (25.8.3, 27.6 "Event Injection"), and the guest interruptibility state after an
 * instruction skiff completed (25.4.2 table 25-3). Pure: runs on the host under tests
 * (tests/unit/test_vmx_event.c).
 */
#ifndef SKIFF_VMM_VMX_VMX_EVENT_H
#define SKIFF_VMM_VMX_VMX_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/vcpu_event.h"

/*
 * vmx_event_decode - the event @idt_info (IDT-vectoring information, 32 bits) describes, with
 * error code @error (field 440AH) when bit 11 says one was delivered and @insn_len (the VM-exit
 * instruction length, 440CH) for software interrupts and exceptions, which re-injection needs
 * (27.6.1.3). Invalid when bit 31 is clear; the types 1 and 7 (not used in this field) decode as
 * hardware exceptions.
 */
struct vcpu_event vmx_event_decode(uint32_t idt_info, uint32_t error, uint32_t insn_len);

/*
 * vmx_entry_intr_info - the VM-entry interruption-information value (32 bits) that delivers @ev:
 * vector, type, error-code bit and the valid bit; 0 when @ev is invalid. The error code and
 * instruction length go into their own fields (4018H, 401AH).
 */
uint32_t vmx_entry_intr_info(const struct vcpu_event *ev);

/* vmx_event_has_insn_len - does @ev (a software event) need the VM-entry instruction length? */
bool vmx_event_has_insn_len(const struct vcpu_event *ev);

/*
 * vmx_interruptibility_retire - the guest interruptibility state (32 bits) after skiff completed
 * the exiting instruction: blocking by STI (bit 0) and by MOV SS (bit 1) end with it, as they do
 * after the CPU executes one instruction; blocking by SMI and NMI (bits 2, 3) and the enclave
 * bit stay.
 */
uint32_t vmx_interruptibility_retire(uint32_t state);

#endif
