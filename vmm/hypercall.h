/* SPDX-License-Identifier: MIT */
/*
 * skiff's hypercall ABI, shared by skiff and its guests (tests/guests/ includes this file).
 * A guest calls with VMMCALL (AMD SVM, APM vol. 3 "VMMCALL") or VMCALL (Intel VMX, SDM vol. 2B
 * "VMCALL"), whichever CPUID leaf HC_CPUID_LEAF_INSN names (the other raises #UD):
 *   RAX  the hypercall number, HC_*;
 *   RBX  the first argument;
 * and gets back RAX = 0 or a negative errno (for calls that return).
 *
 * HC_EXIT   the guest is done: RBX is its verdict, 0 for PASS, otherwise a bit mask of the
 *           checks it saw fail (the guest's own numbering, printed by skiff). Does not return.
 */
#ifndef SKIFF_VMM_HYPERCALL_H
#define SKIFF_VMM_HYPERCALL_H

#define HC_EXIT 1

/* The port the guest's console writes to, one byte per OUT (the Bochs/QEMU "port e9" hack). */
#define HC_CONSOLE_PORT 0xe9

/*
 * CPUID leaf skiff answers itself with its signature "skiffskiffvm" in EBX, ECX, EDX and its
 * highest leaf, HC_CPUID_LEAF_INSN, in EAX.
 */
#define HC_CPUID_LEAF  0x40000000u
#define HC_CPUID_SIG_B 0x66696b73u /* "skif" little-endian */
#define HC_CPUID_SIG_C 0x696b7366u /* "fski" */
#define HC_CPUID_SIG_D 0x6d766666u /* "ffvm" */

/* CPUID leaf whose EAX names the hypercall instruction of the backend the guest runs on. */
#define HC_CPUID_LEAF_INSN 0x40000001u
#define HC_INSN_VMMCALL	   0 /* SVM: 0F 01 D9 */
#define HC_INSN_VMCALL	   1 /* VMX: 0F 01 C1 */

#endif
