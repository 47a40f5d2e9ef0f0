/* SPDX-License-Identifier: MIT */
/*
 * VMX capability rules as pure functions (Intel SDM vol. 3D appendix A "VMX Capability
 * Reporting Facility", vol. 3C 24.7 "Enabling and Entering VMX Operation", 24.8 "Restrictions
 * on VMX Operation", 27.3.1.1 "Checks on Guest Control Registers, Debug Registers, and MSRs"):
 * which control MSR to read, how controls are adjusted to what the CPU allows, the CR0/CR4
 * fixed bits, IA32_VMX_BASIC and IA32_FEATURE_CONTROL, and segment access rights. Runs on the
 * host under tests (tests/unit/test_vmx_caps.c).
 */
#ifndef SKIFF_VMM_VMX_VMX_CAPS_H
#define SKIFF_VMM_VMX_VMX_CAPS_H

#include <stdbool.h>
#include <stdint.h>

/* The four control words whose capability MSR has a TRUE_* variant, and the secondary one. */
enum vmx_ctls {
	VMX_CTLS_PIN,
	VMX_CTLS_PROC,
	VMX_CTLS_EXIT,
	VMX_CTLS_ENTRY,
	VMX_CTLS_PROC2,
};

/*
 * vmx_ctls_msr - the capability MSR to read for control word @which: IA32_VMX_TRUE_*_CTLS
 * (48DH-490H) when @basic (IA32_VMX_BASIC) has bit 55 set, which lets "default1" controls be
 * cleared, else IA32_VMX_*_CTLS (481H-484H); IA32_VMX_PROCBASED_CTLS2 (48BH) for the secondary
 * controls, which have no TRUE variant (A.3.1-A.3.3, A.4.1, A.5). Returns 0 for a bad @which.
 */
uint32_t vmx_ctls_msr(uint64_t basic, enum vmx_ctls which);

/*
 * vmx_ctls_adjust - the value of a 32-bit control word given its capability MSR @cap (bits
 * 31:0 allowed 0-settings: a 1 means the control must be 1; bits 63:32 allowed 1-settings: a 0
 * means it must be 0; A.3.1): every bit the CPU forces to 1, every @required bit, and every
 * @optional bit the CPU allows. @forbidden bits are controls skiff cannot work with set.
 * Returns 0 and @ctls; or -EOPNOTSUPP with @conflict holding the @required bits the CPU does not
 * allow and the @forbidden bits it forces; or -EINVAL when @cap forces a bit it does not allow
 * (a broken MSR; @conflict holds those bits).
 */
int vmx_ctls_adjust(uint64_t cap, uint32_t required, uint32_t optional, uint32_t forbidden,
		    uint32_t *ctls, uint32_t *conflict);

/*
 * vmx_ctl_name - the SDM's name of the control @bit (a single-bit mask) of control word @which
 * (25.6.1, 25.6.2 tables 25-6 and 25-7, 25.7.1, 25.8.1), for the controls skiff requires,
 * takes or forbids; NULL for any other bit. For logs naming a control the CPU cannot provide.
 */
const char *vmx_ctl_name(enum vmx_ctls which, uint32_t bit);

/*
 * vmx_cr_fixed - @value with the bits IA32_VMX_CRn_FIXED0 (@fixed0) requires set and the bits
 * IA32_VMX_CRn_FIXED1 (@fixed1) requires clear (A.7, A.8: a 1 in FIXED0 must be 1, a 0 in
 * FIXED1 must be 0).
 */
uint64_t vmx_cr_fixed(uint64_t value, uint64_t fixed0, uint64_t fixed1);

/* vmx_cr_valid - does @value keep the fixed bits of @fixed0 / @fixed1 (A.7, A.8)? */
bool vmx_cr_valid(uint64_t value, uint64_t fixed0, uint64_t fixed1);

/*
 * vmx_guest_cr0_fixed0 - the CR0 bits a guest must keep set at VM entry: IA32_VMX_CR0_FIXED0
 * @fixed0 less PE and PG when the "unrestricted guest" control is 1 (27.3.1.1). The host-owned
 * bits of a guest's CR0 (its guest/host mask) are these and the bits FIXED1 keeps clear.
 */
uint64_t vmx_guest_cr0_fixed0(uint64_t fixed0, bool unrestricted);

/*
 * vmx_basic_check - decode IA32_VMX_BASIC @basic (A.1): @revision gets the VMCS revision
 * identifier (bits 30:0), @size the bytes of a VMXON or VMCS region (bits 44:32).
 * Returns 0, or -EOPNOTSUPP when the size is 0 or above 4 KiB or VMCS accesses are not
 * write-back (bits 53:50 != 6), which skiff's one-page, write-back regions need.
 */
int vmx_basic_check(uint64_t basic, uint32_t *revision, uint32_t *size);

/*
 * vmx_feature_control - the IA32_FEATURE_CONTROL value VMXON outside SMX needs, from the
 * current value @now (24.7): unlocked (as OVMF leaves it), the "VMX outside SMX" bit and the
 * lock bit are added to it; locked with that bit set, it stays. Returns 0 and @value (write it
 * when it differs from @now), or -EPERM when the MSR is locked with VMX outside SMX disabled
 * (only the firmware setup can change it, until the next reset).
 */
int vmx_feature_control(uint64_t now, uint64_t *value);

/*
 * vmx_seg_ar - the VMCS access-rights form (25.4.1: descriptor bits 47:40 in 7:0, 55:52 in
 * 15:12, bit 16 "unusable") of segment attributes @attrib in vmm/vcpu_state.h's form (bits 47:40
 * in 7:0, 55:52 in 11:8). A segment without P is marked unusable.
 */
uint32_t vmx_seg_ar(uint16_t attrib);

/* vmx_seg_attrib - the inverse: vmm/vcpu_state.h attributes of access rights @ar (0 if unusable). */
uint16_t vmx_seg_attrib(uint32_t ar);

#endif
