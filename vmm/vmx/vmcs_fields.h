/* SPDX-License-Identifier: MIT */
/*
 * VMX names: the VMCS field encodings skiff uses (Intel SDM vol. 3D appendix B "Field Encoding
 * in VMCS"), the VM-execution, VM-exit and VM-entry control bits (vol. 3C 25.6 "VM-Execution
 * Control Fields", 25.7 "VM-Exit Control Fields", 25.8 "VM-Entry Control Fields"), the
 * VM-exit information formats (25.9 "VM-Exit Information Fields", 28.2.1 "Basic VM-Exit
 * Information"), the basic exit reasons (appendix C "VMX Basic Exit Reasons"), the VMX
 * capability MSRs (appendix A "VMX Capability Reporting Facility") and IA32_FEATURE_CONTROL
 * (24.7 "Enabling and Entering VMX Operation"). Pure definitions.
 */
#ifndef SKIFF_VMM_VMX_VMCS_FIELDS_H
#define SKIFF_VMM_VMX_VMCS_FIELDS_H

/* MSRs (appendix A; vol. 4 table 2-2 for IA32_FEATURE_CONTROL and the others). */
#define MSR_IA32_FEATURE_CONTROL	 0x03au
#define FEATURE_CONTROL_LOCK		 (1ull << 0)
#define FEATURE_CONTROL_VMX_IN_SMX	 (1ull << 1)
#define FEATURE_CONTROL_VMX_NO_SMX	 (1ull << 2) /* VMX outside SMX operation */
#define MSR_IA32_SYSENTER_CS		 0x174u
#define MSR_IA32_SYSENTER_ESP		 0x175u
#define MSR_IA32_SYSENTER_EIP		 0x176u
#define MSR_FS_BASE			 0xc0000100u
#define MSR_GS_BASE			 0xc0000101u
#define MSR_IA32_VMX_BASIC		 0x480u
#define MSR_IA32_VMX_PINBASED_CTLS	 0x481u
#define MSR_IA32_VMX_PROCBASED_CTLS	 0x482u
#define MSR_IA32_VMX_EXIT_CTLS		 0x483u
#define MSR_IA32_VMX_ENTRY_CTLS		 0x484u
#define MSR_IA32_VMX_CR0_FIXED0		 0x486u
#define MSR_IA32_VMX_CR0_FIXED1		 0x487u
#define MSR_IA32_VMX_CR4_FIXED0		 0x488u
#define MSR_IA32_VMX_CR4_FIXED1		 0x489u
#define MSR_IA32_VMX_PROCBASED_CTLS2	 0x48bu
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS	 0x48du
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48eu
#define MSR_IA32_VMX_TRUE_EXIT_CTLS	 0x48fu
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS	 0x490u
/* MSR_IA32_VMX_EPT_VPID_CAP (0x48c) is in vmm/ept.h; its INVEPT and INVVPID bits (A.10). */
#define EPT_CAP_INVEPT_ALL   (1ull << 26) /* all-context INVEPT */
#define VPID_CAP_INVVPID_ALL (1ull << 42) /* all-context INVVPID */
/* INVEPT / INVVPID types (31.3 "INVEPT", "INVVPID"). */
#define INVEPT_ALL_CONTEXT  2u
#define INVVPID_ALL_CONTEXT 2u

/* IA32_VMX_BASIC (A.1 "Basic VMX Information"). */
#define VMX_BASIC_REVISION_MASK 0x7fffffffull /* bits 30:0: VMCS revision identifier */
#define VMX_BASIC_SIZE_SHIFT	32	      /* bits 44:32: VMXON / VMCS region bytes */
#define VMX_BASIC_SIZE_MASK	(0x1fffull << VMX_BASIC_SIZE_SHIFT)
#define VMX_BASIC_MEMTYPE_SHIFT 50 /* bits 53:50: memory type for VMCS accesses */
#define VMX_BASIC_MEMTYPE_MASK	(0xfull << VMX_BASIC_MEMTYPE_SHIFT)
#define VMX_BASIC_MEMTYPE_WB	6u
#define VMX_BASIC_TRUE_CTLS	(1ull << 55) /* the IA32_VMX_TRUE_*_CTLS MSRs exist */
#define VMX_REGION_MAX		4096u	     /* A.1: the size is at most 4 KiB */
/* Capability MSRs of the controls (A.3 - A.5): bits 31:0 allowed 0-settings, 63:32 allowed 1. */
#define VMX_CTLS_ALLOWED1_SHIFT 32

/* Pin-based VM-execution controls (25.6.1). */
#define PIN_EXTINT_EXITING (1u << 0)
#define PIN_NMI_EXITING	   (1u << 3)
#define PIN_VIRTUAL_NMIS   (1u << 5)

/* Primary processor-based VM-execution controls (25.6.2). */
#define PROC_INTR_WINDOW_EXITING (1u << 2)
#define PROC_HLT_EXITING	 (1u << 7)
#define PROC_INVLPG_EXITING	 (1u << 9)
#define PROC_MWAIT_EXITING	 (1u << 10)
#define PROC_RDPMC_EXITING	 (1u << 11)
#define PROC_CR3_LOAD_EXITING	 (1u << 15)
#define PROC_CR3_STORE_EXITING	 (1u << 16)
#define PROC_CR8_LOAD_EXITING	 (1u << 19)
#define PROC_CR8_STORE_EXITING	 (1u << 20)
#define PROC_USE_TPR_SHADOW	 (1u << 21)
#define PROC_MOV_DR_EXITING	 (1u << 23)
#define PROC_UNCOND_IO_EXITING	 (1u << 24)
#define PROC_USE_IO_BITMAPS	 (1u << 25)
#define PROC_USE_MSR_BITMAPS	 (1u << 28)
#define PROC_MONITOR_EXITING	 (1u << 29)
#define PROC_SECONDARY_CTLS	 (1u << 31)

/* Secondary processor-based VM-execution controls (25.6.2). */
#define PROC2_ENABLE_EPT       (1u << 1)
#define PROC2_ENABLE_RDTSCP    (1u << 3)
#define PROC2_ENABLE_VPID      (1u << 5)
#define PROC2_WBINVD_EXITING   (1u << 6)
#define PROC2_UNRESTRICTED     (1u << 7)
#define PROC2_ENABLE_INVPCID   (1u << 12)
#define PROC2_EPT_VIOLATION_VE (1u << 18) /* must stay 0: skiff's EPT entries leave bit 63 clear */
#define PROC2_ENABLE_XSAVES    (1u << 20) /* must stay 0: IA32_XSS would be the host's */

/* Primary VM-exit controls (25.7.1). */
#define EXIT_SAVE_DEBUG_CTLS  (1u << 2)
#define EXIT_HOST_ADDR_SPACE  (1u << 9) /* the host runs in 64-bit mode after the exit */
#define EXIT_ACK_INTR_ON_EXIT (1u << 15)
#define EXIT_SAVE_IA32_PAT    (1u << 18)
#define EXIT_LOAD_IA32_PAT    (1u << 19)
#define EXIT_SAVE_IA32_EFER   (1u << 20)
#define EXIT_LOAD_IA32_EFER   (1u << 21)

/* VM-entry controls (25.8.1). */
#define ENTRY_LOAD_DEBUG_CTLS (1u << 2)
#define ENTRY_IA32E_MODE      (1u << 9) /* the guest is in IA-32e mode after the entry */
#define ENTRY_LOAD_IA32_PAT   (1u << 14)
#define ENTRY_LOAD_IA32_EFER  (1u << 15)

/* VMCS field encodings (appendix B). 16-bit control field (B.1.1). */
#define VMCS_VPID 0x0000u
/* 16-bit guest-state fields (B.1.2). */
#define VMCS_GUEST_ES_SEL   0x0800u
#define VMCS_GUEST_CS_SEL   0x0802u
#define VMCS_GUEST_SS_SEL   0x0804u
#define VMCS_GUEST_DS_SEL   0x0806u
#define VMCS_GUEST_FS_SEL   0x0808u
#define VMCS_GUEST_GS_SEL   0x080au
#define VMCS_GUEST_LDTR_SEL 0x080cu
#define VMCS_GUEST_TR_SEL   0x080eu
/* 16-bit host-state fields (B.1.3). */
#define VMCS_HOST_ES_SEL 0x0c00u
#define VMCS_HOST_CS_SEL 0x0c02u
#define VMCS_HOST_SS_SEL 0x0c04u
#define VMCS_HOST_DS_SEL 0x0c06u
#define VMCS_HOST_FS_SEL 0x0c08u
#define VMCS_HOST_GS_SEL 0x0c0au
#define VMCS_HOST_TR_SEL 0x0c0cu
/* 64-bit control fields (B.2.1). */
#define VMCS_IO_BITMAP_A	 0x2000u
#define VMCS_IO_BITMAP_B	 0x2002u
#define VMCS_MSR_BITMAP		 0x2004u
#define VMCS_EXIT_MSR_STORE_ADDR 0x2006u
#define VMCS_EXIT_MSR_LOAD_ADDR	 0x2008u
#define VMCS_ENTRY_MSR_LOAD_ADDR 0x200au
#define VMCS_VIRTUAL_APIC_ADDR	 0x2012u
#define VMCS_EPT_POINTER	 0x201au
/* 64-bit read-only data field (B.2.2). */
#define VMCS_GUEST_PHYS_ADDR 0x2400u
/* 64-bit guest-state fields (B.2.3). */
#define VMCS_LINK_POINTER    0x2800u
#define VMCS_GUEST_DEBUGCTL  0x2802u
#define VMCS_GUEST_IA32_PAT  0x2804u
#define VMCS_GUEST_IA32_EFER 0x2806u
/* 64-bit host-state fields (B.2.4). */
#define VMCS_HOST_IA32_PAT  0x2c00u
#define VMCS_HOST_IA32_EFER 0x2c02u
/* 32-bit control fields (B.3.1). */
#define VMCS_PIN_CTLS		  0x4000u
#define VMCS_PROC_CTLS		  0x4002u
#define VMCS_TPR_THRESHOLD	  0x401cu
#define VMCS_EXCEPTION_BITMAP	  0x4004u
#define VMCS_PF_ERROR_MASK	  0x4006u
#define VMCS_PF_ERROR_MATCH	  0x4008u
#define VMCS_CR3_TARGET_COUNT	  0x400au
#define VMCS_EXIT_CTLS		  0x400cu
#define VMCS_EXIT_MSR_STORE_COUNT 0x400eu
#define VMCS_EXIT_MSR_LOAD_COUNT  0x4010u
#define VMCS_ENTRY_CTLS		  0x4012u
#define VMCS_ENTRY_MSR_LOAD_COUNT 0x4014u
#define VMCS_ENTRY_INTR_INFO	  0x4016u
#define VMCS_ENTRY_EXC_ERROR	  0x4018u
#define VMCS_ENTRY_INSN_LEN	  0x401au
#define VMCS_PROC_CTLS2		  0x401eu
/* 32-bit read-only data fields (B.3.2). */
#define VMCS_INSN_ERROR		 0x4400u
#define VMCS_EXIT_REASON	 0x4402u
#define VMCS_EXIT_INTR_INFO	 0x4404u
#define VMCS_EXIT_INTR_ERROR	 0x4406u
#define VMCS_IDT_VECTORING_INFO	 0x4408u
#define VMCS_IDT_VECTORING_ERROR 0x440au
#define VMCS_EXIT_INSN_LEN	 0x440cu
/* 32-bit guest-state fields (B.3.3). */
#define VMCS_GUEST_ES_LIMIT	    0x4800u
#define VMCS_GUEST_CS_LIMIT	    0x4802u
#define VMCS_GUEST_SS_LIMIT	    0x4804u
#define VMCS_GUEST_DS_LIMIT	    0x4806u
#define VMCS_GUEST_FS_LIMIT	    0x4808u
#define VMCS_GUEST_GS_LIMIT	    0x480au
#define VMCS_GUEST_LDTR_LIMIT	    0x480cu
#define VMCS_GUEST_TR_LIMIT	    0x480eu
#define VMCS_GUEST_GDTR_LIMIT	    0x4810u
#define VMCS_GUEST_IDTR_LIMIT	    0x4812u
#define VMCS_GUEST_ES_AR	    0x4814u
#define VMCS_GUEST_CS_AR	    0x4816u
#define VMCS_GUEST_SS_AR	    0x4818u
#define VMCS_GUEST_DS_AR	    0x481au
#define VMCS_GUEST_FS_AR	    0x481cu
#define VMCS_GUEST_GS_AR	    0x481eu
#define VMCS_GUEST_LDTR_AR	    0x4820u
#define VMCS_GUEST_TR_AR	    0x4822u
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824u
#define VMCS_GUEST_ACTIVITY	    0x4826u
#define VMCS_GUEST_SYSENTER_CS	    0x482au
/* 32-bit host-state field (B.3.4). */
#define VMCS_HOST_SYSENTER_CS 0x4c00u
/* Natural-width control fields (B.4.1). */
#define VMCS_CR0_GUEST_HOST_MASK 0x6000u
#define VMCS_CR4_GUEST_HOST_MASK 0x6002u
#define VMCS_CR0_READ_SHADOW	 0x6004u
#define VMCS_CR4_READ_SHADOW	 0x6006u
/* Natural-width read-only data fields (B.4.2). */
#define VMCS_EXIT_QUALIFICATION 0x6400u
#define VMCS_GUEST_LINEAR_ADDR	0x640au
/* Natural-width guest-state fields (B.4.3). */
#define VMCS_GUEST_CR0		0x6800u
#define VMCS_GUEST_CR3		0x6802u
#define VMCS_GUEST_CR4		0x6804u
#define VMCS_GUEST_ES_BASE	0x6806u
#define VMCS_GUEST_CS_BASE	0x6808u
#define VMCS_GUEST_SS_BASE	0x680au
#define VMCS_GUEST_DS_BASE	0x680cu
#define VMCS_GUEST_FS_BASE	0x680eu
#define VMCS_GUEST_GS_BASE	0x6810u
#define VMCS_GUEST_LDTR_BASE	0x6812u
#define VMCS_GUEST_TR_BASE	0x6814u
#define VMCS_GUEST_GDTR_BASE	0x6816u
#define VMCS_GUEST_IDTR_BASE	0x6818u
#define VMCS_GUEST_DR7		0x681au
#define VMCS_GUEST_RSP		0x681cu
#define VMCS_GUEST_RIP		0x681eu
#define VMCS_GUEST_RFLAGS	0x6820u
#define VMCS_GUEST_PENDING_DBG	0x6822u
#define VMCS_GUEST_SYSENTER_ESP 0x6824u
#define VMCS_GUEST_SYSENTER_EIP 0x6826u
/* Natural-width host-state fields (B.4.4). */
#define VMCS_HOST_CR0	       0x6c00u
#define VMCS_HOST_CR3	       0x6c02u
#define VMCS_HOST_CR4	       0x6c04u
#define VMCS_HOST_FS_BASE      0x6c06u
#define VMCS_HOST_GS_BASE      0x6c08u
#define VMCS_HOST_TR_BASE      0x6c0au
#define VMCS_HOST_GDTR_BASE    0x6c0cu
#define VMCS_HOST_IDTR_BASE    0x6c0eu
#define VMCS_HOST_SYSENTER_ESP 0x6c10u
#define VMCS_HOST_SYSENTER_EIP 0x6c12u
#define VMCS_HOST_RSP	       0x6c14u
#define VMCS_HOST_RIP	       0x6c16u

/* The virtual-APIC page (30.1.1): VTPR, the guest's TPR, at offset 80H; CR8 is its bits 7:4. */
#define VAPIC_VTPR 0x80u

/* The VMCS link pointer must be all ones when VMCS shadowing is off (27.3.1.5). */
#define VMCS_LINK_POINTER_NONE (~0ull)

/* Guest segment access rights (25.4.1): descriptor bits 47:40 in 7:0, 55:52 in
 * 15:12, bit 16 "segment unusable". */
#define VMX_AR_LOW_MASK	 0x00ffu
#define VMX_AR_HIGH_MASK 0xf000u
#define VMX_AR_UNUSABLE	 (1u << 16)

/* Guest activity state and interruptibility state (25.4.2). */
#define VMX_ACTIVITY_ACTIVE    0u
#define VMX_BLOCKING_BY_STI    (1u << 0)
#define VMX_BLOCKING_BY_MOV_SS (1u << 1)

/* Exit reason field (25.9.1). */
#define EXIT_REASON_BASIC_MASK 0xffffu
#define EXIT_REASON_ENTRY_FAIL (1u << 31) /* VM-entry failure */

/* Basic exit reasons (appendix C, table C-1). */
#define EXIT_EXCEPTION_NMI	 0u
#define EXIT_EXTERNAL_INTERRUPT	 1u
#define EXIT_INTERRUPT_WINDOW	 7u
#define EXIT_TRIPLE_FAULT	 2u
#define EXIT_INIT		 3u
#define EXIT_SIPI		 4u
#define EXIT_CPUID		 10u
#define EXIT_HLT		 12u
#define EXIT_INVD		 13u
#define EXIT_RDPMC		 15u
#define EXIT_VMCALL		 18u
#define EXIT_CR_ACCESS		 28u
#define EXIT_DR_ACCESS		 29u
#define EXIT_IO_INSTRUCTION	 30u
#define EXIT_RDMSR		 31u
#define EXIT_WRMSR		 32u
#define EXIT_INVALID_GUEST_STATE 33u
#define EXIT_MSR_LOADING	 34u
#define EXIT_MWAIT		 36u
#define EXIT_MONITOR		 39u
#define EXIT_MACHINE_CHECK_ENTRY 41u
#define EXIT_EPT_VIOLATION	 48u
#define EXIT_EPT_MISCONFIG	 49u
#define EXIT_WBINVD		 54u /* WBINVD or WBNOINVD */

/* Exit qualification for I/O instructions (28.2.1). */
#define IO_QUAL_SIZE_MASK  0x7u /* bits 2:0: size of access minus 1 (0, 1 or 3) */
#define IO_QUAL_IN	   (1u << 3)
#define IO_QUAL_STRING	   (1u << 4)
#define IO_QUAL_REP	   (1u << 5)
#define IO_QUAL_PORT_SHIFT 16 /* bits 31:16: port number */
#define IO_QUAL_PORT_MASK  (0xffffull << IO_QUAL_PORT_SHIFT)

/* Exit qualification for EPT violations (28.2.1). */
#define EPT_QUAL_READ  (1u << 0)
#define EPT_QUAL_WRITE (1u << 1)
#define EPT_QUAL_FETCH (1u << 2)
/* Bit 7: the guest linear-address field is valid (clear for a PAE PDPTE load by MOV CR); bit 8,
 * with bit 7 set: the access was to the translation of that linear address, not to a guest
 * paging-structure entry (a walk's read, or its accessed/dirty update). */
#define EPT_QUAL_LINEAR_VALID (1u << 7)
#define EPT_QUAL_TRANSLATED   (1u << 8)

/* Exit qualification for MOV DR (28.2.1 table 28-4). */
#define DR_QUAL_DR_MASK	  0x7u	    /* bits 2:0: the debug register */
#define DR_QUAL_FROM	  (1u << 4) /* direction: 0 MOV to DR, 1 MOV from DR */
#define DR_QUAL_GPR_SHIFT 8	    /* bits 11:8: the general-purpose register */
#define DR_QUAL_GPR_MASK  (0xfu << DR_QUAL_GPR_SHIFT)

/* Exit qualification for a debug exception (28.2.1 table 28-1): the DR6 bits it would have
 * set, B0-B3 (3:0), BD (13) and BS (14), in their DR6 positions; DR6 itself is not written. */
#define DB_QUAL_DR6_MASK 0x600full

/* Exit qualification of an entry failure by invalid guest state (27.8 "VM-Entry Failures
 * During or After Loading Guest State"): 0 when none of these, 2 the PDPTEs failed to load,
 * 3 an NMI was injected while events are blocked, 4 a bad VMCS link pointer. */
#define ENTRY_QUAL_PDPTE     2u
#define ENTRY_QUAL_NMI_BLOCK 3u
#define ENTRY_QUAL_LINK	     4u

/* VM-exit interruption information (25.9.2), the IDT-vectoring information field (25.9.3;
 * its bit 12 is undefined) and the VM-entry interruption-information field (25.8.3) share one
 * layout. Software interrupts and exceptions (types 4, 5, 6) are injected with the VM-entry
 * instruction length. */
#define INTR_INFO_VECTOR_MASK  0xffu
#define INTR_INFO_TYPE_SHIFT   8 /* bits 10:8 */
#define INTR_INFO_TYPE_MASK    (7u << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_EXT_INTR     0u
#define INTR_TYPE_RESERVED     1u
#define INTR_TYPE_NMI	       2u
#define INTR_TYPE_HW_EXCEPTION 3u
#define INTR_TYPE_SW_INTR      4u
#define INTR_TYPE_PRIV_SW_EXC  5u
#define INTR_TYPE_SW_EXCEPTION 6u
#define INTR_TYPE_OTHER	       7u /* other event (MTF), entry only */
#define INTR_INFO_ERROR_VALID  (1u << 11)
#define INTR_INFO_VALID	       (1u << 31)

/* Exception vectors the exit decoder names (vol. 3A 6.3.1). */
#define VMX_VECTOR_DB  1u
#define VMX_VECTOR_NMI 2u
#define VMX_VECTOR_PF  14u

#endif
