/* SPDX-License-Identifier: MIT */
/*
 * The test guest's descriptor tables, for C and assembly alike: its GDT (entry.S), the selectors
 * of its segments and the vectors of its own gates.
 * Descriptors as Intel SDM vol. 3A 3.4.5 and 8.2.3 (64-bit TSS, 16 bytes) lay them out: flat
 * 4 GiB code and data segments for CPL 0 and CPL 3, 64-bit (L) and 32-bit (D) code, and slots
 * for the TSSs user.c and attack_ac.c fill in at run time (their base is not a link-time constant
 * an assembler can split into a descriptor's fields).
 */
#ifndef SKIFF_TESTS_GUESTS_DESC_H
#define SKIFF_TESTS_GUESTS_DESC_H

#define SEL_CODE64   0x08 /* 64-bit code, DPL 0 */
#define SEL_DATA     0x10 /* data, DPL 0 */
#define SEL_UDATA    0x18 /* data, DPL 3 */
#define SEL_UCODE64  0x20 /* 64-bit code, DPL 3 */
#define SEL_CODE32   0x28 /* 32-bit code, DPL 0 */
#define SEL_UCODE32  0x30 /* 32-bit code, DPL 3 */
#define SEL_TSS64    0x38 /* 64-bit TSS (two slots): user.c */
#define SEL_TSS32    0x48 /* 32-bit TSS: attack_ac.c, in legacy protected mode */
#define GDT_ENTRIES  10
#define SEL_RPL3     3 /* requested privilege level 3, ORed into a selector */
#define GDT_ENTRY_SZ 8
#define DPL_USER     3

/* INT USER_RETURN_VECTOR (a DPL-3 gate) ends a user_run() call (user.c). */
#define USER_RETURN_VECTOR 0x81

#endif
