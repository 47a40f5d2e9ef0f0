/* SPDX-License-Identifier: MIT */
/*
 * The AMD virtual machine control block (VMCB) as named offsets, intercept bits, exit codes and
 * pure encoders: AMD64 APM vol. 2 (rev. 3.42) appendix B ("Layout of VMCB": table B-1 control
 * area, table B-2 state save area), appendix C ("SVM Intercept Exit Codes"), 15.9-15.13
 * (intercepts), 15.10.2 (IOIO EXITINFO1), 15.11 (MSR permissions map), 15.25.6 (#NPF
 * EXITINFO1) and 15.5.1 (the VMRUN consistency checks, svm_vmcb_check()).
 *
 * A VMCB is one 4 KiB page, the control area at offset 0 and the state save area at 400h. It is
 * read and written here only through svm_vmcb_rd*() / svm_vmcb_wr*() at the offsets below, so
 * the same code runs on the host under tests. Pure: no allocation, no logging.
 */
#ifndef SKIFF_VMM_SVM_SVM_VMCB_H
#define SKIFF_VMM_SVM_SVM_VMCB_H

#include <stdbool.h>
#include <stdint.h>

#define SVM_VMCB_SIZE  0x1000u
#define SVM_IOPM_SIZE  0x3000u /* 12 KiB: one bit per port, 15.10.1 */
#define SVM_MSRPM_SIZE 0x2000u /* 8 KiB: two bits per MSR, 15.11 */

/* Control area (table B-1). */
#define VMCB_INTERCEPT_CR	0x000 /* u32: reads 15:0, writes 31:16 */
#define VMCB_INTERCEPT_DR	0x004 /* u32: reads 15:0, writes 31:16 */
#define VMCB_INTERCEPT_EXC	0x008 /* u32: one bit per exception vector */
#define VMCB_INTERCEPT_MISC1	0x00c /* u32: SVM_INTERCEPT1_* */
#define VMCB_INTERCEPT_MISC2	0x010 /* u32: SVM_INTERCEPT2_* */
#define VMCB_IOPM_BASE_PA	0x040 /* u64 */
#define VMCB_MSRPM_BASE_PA	0x048 /* u64 */
#define VMCB_TSC_OFFSET		0x050 /* u64 */
#define VMCB_GUEST_ASID		0x058 /* u32 */
#define VMCB_TLB_CONTROL	0x05c /* u8: SVM_TLB_* */
#define VMCB_VINTR		0x060 /* u64: V_TPR, V_IRQ, V_INTR_MASKING, ... */
#define VMCB_INTERRUPT_SHADOW	0x068 /* u64 */
#define VMCB_EXITCODE		0x070 /* u64 */
#define VMCB_EXITINFO1		0x078 /* u64 */
#define VMCB_EXITINFO2		0x080 /* u64 */
#define VMCB_EXITINTINFO	0x088 /* u64 */
#define VMCB_NP_CONTROL		0x090 /* u64: bit 0 NP_ENABLE */
#define VMCB_EVENTINJ		0x0a8 /* u64 */
#define VMCB_N_CR3		0x0b0 /* u64: nested page-table root (vmm/npt.h) */
#define VMCB_LBR_VIRT		0x0b8 /* u64 */
#define VMCB_CLEAN_BITS		0x0c0 /* u32 */
#define VMCB_NEXT_RIP		0x0c8 /* u64: valid with CPUID 8000_000Ah EDX.NRIPS */
#define VMCB_INSN_BYTES_FETCHED 0x0d0 /* u8: with decode assists */

/* State save area (table B-2); segments are {u16 selector, u16 attrib, u32 limit, u64 base}. */
#define VMCB_ES		  0x400
#define VMCB_CS		  0x410
#define VMCB_SS		  0x420
#define VMCB_DS		  0x430
#define VMCB_FS		  0x440
#define VMCB_GS		  0x450
#define VMCB_GDTR	  0x460 /* limit and base used */
#define VMCB_LDTR	  0x470
#define VMCB_IDTR	  0x480 /* limit and base used */
#define VMCB_TR		  0x490
#define VMCB_CPL	  0x4cb /* u8 */
#define VMCB_EFER	  0x4d0
#define VMCB_CR4	  0x548
#define VMCB_CR3	  0x550
#define VMCB_CR0	  0x558
#define VMCB_DR7	  0x560
#define VMCB_DR6	  0x568
#define VMCB_RFLAGS	  0x570
#define VMCB_RIP	  0x578
#define VMCB_RSP	  0x5d8
#define VMCB_RAX	  0x5f8
#define VMCB_STAR	  0x600
#define VMCB_LSTAR	  0x608
#define VMCB_CSTAR	  0x610
#define VMCB_SFMASK	  0x618
#define VMCB_KGS_BASE	  0x620
#define VMCB_SYSENTER_CS  0x628
#define VMCB_SYSENTER_ESP 0x630
#define VMCB_SYSENTER_EIP 0x638
#define VMCB_CR2	  0x640
#define VMCB_G_PAT	  0x668

/* Offsets inside a segment of the save area. */
#define VMCB_SEG_SELECTOR 0x0
#define VMCB_SEG_ATTRIB	  0x2
#define VMCB_SEG_LIMIT	  0x4
#define VMCB_SEG_BASE	  0x8

/*
 * Segment attributes: the descriptor's bits 47:40 (type 3:0, S, DPL 6:5, P) in attrib 7:0 and
 * bits 55:52 (AVL, L, D/B, G) in attrib 11:8 (table B-2 note, "segment attributes").
 */
#define SVM_ATTR_TYPE_MASK   0x000fu
#define SVM_ATTR_S	     (1u << 4)
#define SVM_ATTR_DPL_SHIFT   5
#define SVM_ATTR_DPL_MASK    (3u << SVM_ATTR_DPL_SHIFT)
#define SVM_ATTR_P	     (1u << 7)
#define SVM_ATTR_AVL	     (1u << 8)
#define SVM_ATTR_L	     (1u << 9)
#define SVM_ATTR_DB	     (1u << 10)
#define SVM_ATTR_G	     (1u << 11)
#define SVM_ATTR_MASK	     0x0fffu
#define DESC_ATTR_LOW_SHIFT  40 /* descriptor bits 47:40 */
#define DESC_ATTR_HIGH_SHIFT 52 /* descriptor bits 55:52 */

/* VMCB_INTERCEPT_DR (table B-1, offset 004h): bit n intercepts reads of DRn, bit 16 + n writes. */
#define SVM_INTERCEPT_DR0_7 0x00ff00ffu /* DR0-DR7 read and write; DR8-15 raise #UD */

/* VMCB_INTERCEPT_MISC1 (table B-1, offset 00Ch). */
#define SVM_INTERCEPT1_INTR	(1u << 0)
#define SVM_INTERCEPT1_NMI	(1u << 1)
#define SVM_INTERCEPT1_SMI	(1u << 2)
#define SVM_INTERCEPT1_INIT	(1u << 3)
#define SVM_INTERCEPT1_RDPMC	(1u << 15)
#define SVM_INTERCEPT1_CPUID	(1u << 18)
#define SVM_INTERCEPT1_INVD	(1u << 22)
#define SVM_INTERCEPT1_HLT	(1u << 24)
#define SVM_INTERCEPT1_INVLPGA	(1u << 26)
#define SVM_INTERCEPT1_IOIO	(1u << 27) /* through the IOPM */
#define SVM_INTERCEPT1_MSR	(1u << 28) /* through the MSRPM */
#define SVM_INTERCEPT1_TASKSW	(1u << 29)
#define SVM_INTERCEPT1_SHUTDOWN (1u << 31)

/* VMCB_INTERCEPT_MISC2 (table B-1, offset 010h). */
#define SVM_INTERCEPT2_VMRUN	   (1u << 0) /* must be 1, else VMRUN fails (15.5.1) */
#define SVM_INTERCEPT2_VMMCALL	   (1u << 1)
#define SVM_INTERCEPT2_VMLOAD	   (1u << 2)
#define SVM_INTERCEPT2_VMSAVE	   (1u << 3)
#define SVM_INTERCEPT2_STGI	   (1u << 4)
#define SVM_INTERCEPT2_CLGI	   (1u << 5)
#define SVM_INTERCEPT2_SKINIT	   (1u << 6)
#define SVM_INTERCEPT2_WBINVD	   (1u << 9)  /* WBINVD and WBNOINVD */
#define SVM_INTERCEPT2_MONITOR	   (1u << 10) /* MONITOR and MONITORX */
#define SVM_INTERCEPT2_MWAIT	   (1u << 11) /* MWAIT and MWAITX, unconditionally */
#define SVM_INTERCEPT2_MWAIT_ARMED (1u << 12) /* MWAIT and MWAITX with the monitor armed */
#define SVM_INTERCEPT2_XSETBV	   (1u << 13)
#define SVM_INTERCEPT2_RDPRU	   (1u << 14)

#define SVM_TLB_DO_NOTHING 0u
#define SVM_TLB_FLUSH_ALL  1u /* every ASID's entries */
/* VMCB_VINTR (table B-1, offset 060h; 15.21.4 "Injecting Virtual (INTR) Interrupts"). */
#define SVM_VINTR_V_IRQ	       (1ull << 8) /* a virtual interrupt is pending (cleared when taken) */
#define SVM_VINTR_PRIO_SHIFT   16	   /* V_INTR_PRIO 19:16, against V_TPR */
#define SVM_VINTR_PRIO_MASK    (0xfull << SVM_VINTR_PRIO_SHIFT)
#define SVM_VINTR_IGN_TPR      (1ull << 20) /* V_IGN_TPR: deliver whatever V_TPR says */
#define SVM_VINTR_MASKING      (1ull << 24) /* V_INTR_MASKING: host IF masks physical interrupts */
#define SVM_VINTR_VECTOR_SHIFT 32	    /* V_INTR_VECTOR 39:32 */
#define SVM_VINTR_VECTOR_MASK  (0xffull << SVM_VINTR_VECTOR_SHIFT)
#define SVM_NP_ENABLE	       (1ull << 0)
/* EVENTINJ and EXITINTINFO (15.20 "Event Injection", 15.7.2): one format. */
#define SVM_EVENTINJ_VECTOR	0x00ffull
#define SVM_EVENTINJ_TYPE_SHIFT 8 /* bits 10:8 */
#define SVM_EVENTINJ_TYPE_MASK	(7ull << SVM_EVENTINJ_TYPE_SHIFT)
#define SVM_EVENTINJ_TYPE_INTR	(0ull << SVM_EVENTINJ_TYPE_SHIFT)
#define SVM_EVENTINJ_TYPE_NMI	(2ull << SVM_EVENTINJ_TYPE_SHIFT)
#define SVM_EVENTINJ_TYPE_EXC	(3ull << SVM_EVENTINJ_TYPE_SHIFT)
#define SVM_EVENTINJ_TYPE_SOFT	(4ull << SVM_EVENTINJ_TYPE_SHIFT) /* INTn */
#define SVM_EVENTINJ_EV		(1ull << 11)			  /* error code valid */
#define SVM_EVENTINJ_V		(1ull << 31)
#define SVM_EVENTINJ_ERR_SHIFT	32
/* VMCB_INTERRUPT_SHADOW (table B-1, offset 068h; 15.21.5 "Interrupt Shadows"). */
#define SVM_INT_SHADOW (1ull << 0) /* INTERRUPT_SHADOW: the guest is in an STI / MOV SS shadow */

/* Exit codes (appendix C). */
#define SVM_EXIT_READ_DR0    0x020u /* + n: MOV from DRn, 0..15 */
#define SVM_EXIT_WRITE_DR0   0x030u /* + n: MOV to DRn */
#define SVM_EXIT_DR_COUNT    16u
#define SVM_EXIT_EXCP_BASE   0x040u /* + vector, 0..31 */
#define SVM_EXIT_EXCP_LAST   0x05fu
#define SVM_EXIT_INTR	     0x060u
#define SVM_EXIT_NMI	     0x061u
#define SVM_EXIT_SMI	     0x062u
#define SVM_EXIT_INIT	     0x063u
#define SVM_EXIT_RDPMC	     0x06fu
#define SVM_EXIT_CPUID	     0x072u
#define SVM_EXIT_INVD	     0x076u
#define SVM_EXIT_HLT	     0x078u
#define SVM_EXIT_INVLPGA     0x07au
#define SVM_EXIT_IOIO	     0x07bu
#define SVM_EXIT_MSR	     0x07cu
#define SVM_EXIT_SHUTDOWN    0x07fu
#define SVM_EXIT_VMRUN	     0x080u
#define SVM_EXIT_VMMCALL     0x081u
#define SVM_EXIT_WBINVD	     0x089u /* WBINVD, WBNOINVD */
#define SVM_EXIT_MONITOR     0x08au /* MONITOR, MONITORX */
#define SVM_EXIT_MWAIT	     0x08bu /* MWAIT, MWAITX (unconditional intercept) */
#define SVM_EXIT_MWAIT_ARMED 0x08cu /* MWAIT, MWAITX (monitor armed) */
#define SVM_EXIT_RDPRU	     0x08eu
#define SVM_EXIT_NPF	     0x400u
#define SVM_EXIT_INVALID     0xffffffffu /* -1; compare the low 32 bits */

/* IOIO EXITINFO1 (15.10.2, figure 15-2). */
#define SVM_IOIO_IN	    (1ull << 0) /* TYPE: 1 = IN */
#define SVM_IOIO_STR	    (1ull << 2)
#define SVM_IOIO_REP	    (1ull << 3)
#define SVM_IOIO_SZ8	    (1ull << 4)
#define SVM_IOIO_SZ16	    (1ull << 5)
#define SVM_IOIO_SZ32	    (1ull << 6)
#define SVM_IOIO_PORT_SHIFT 16
#define SVM_IOIO_PORT_MASK  (0xffffull << SVM_IOIO_PORT_SHIFT)

/* MOV DRn EXITINFO1 with decode assists (15.8.1, table 15-3): the GPR operand. */
#define SVM_DR_GPR_MASK 0xfull

/* MSR EXITINFO1 (15.11): 0 RDMSR, 1 WRMSR. */
#define SVM_MSR_WRITE 1ull

/* #NPF EXITINFO1 (15.25.6): a page-fault error code plus where the walk failed. */
#define SVM_NPF_P	 (1ull << 0)
#define SVM_NPF_RW	 (1ull << 1)
#define SVM_NPF_US	 (1ull << 2)
#define SVM_NPF_RSV	 (1ull << 3)
#define SVM_NPF_ID	 (1ull << 4)
#define SVM_NPF_FINAL	 (1ull << 32) /* the guest's final physical address */
#define SVM_NPF_GUEST_PT (1ull << 33) /* a guest page-table access */

/*
 * Exception intercept bits whose EXITINFO1 is an error code (APM vol. 2 8.2 table 8-1, 15.12):
 * #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17, #CP 21, #VC 29, #SX 30.
 */
#define SVM_EXC_WITH_ERROR 0x60227d00u

/* Guest registers VMRUN loads and saves with the VMCB (others: svm_entry.S, VMLOAD). */
#define SVM_EFER_SVME (1ull << 12)

static inline uint64_t svm_vmcb_rd64(const void *vmcb, unsigned int off)
{
	uint64_t v;

	__builtin_memcpy(&v, (const uint8_t *)vmcb + off, sizeof(v));
	return v;
}

static inline uint32_t svm_vmcb_rd32(const void *vmcb, unsigned int off)
{
	uint32_t v;

	__builtin_memcpy(&v, (const uint8_t *)vmcb + off, sizeof(v));
	return v;
}

static inline uint16_t svm_vmcb_rd16(const void *vmcb, unsigned int off)
{
	uint16_t v;

	__builtin_memcpy(&v, (const uint8_t *)vmcb + off, sizeof(v));
	return v;
}

static inline uint8_t svm_vmcb_rd8(const void *vmcb, unsigned int off)
{
	return ((const uint8_t *)vmcb)[off];
}

static inline void svm_vmcb_wr64(void *vmcb, unsigned int off, uint64_t v)
{
	__builtin_memcpy((uint8_t *)vmcb + off, &v, sizeof(v));
}

static inline void svm_vmcb_wr32(void *vmcb, unsigned int off, uint32_t v)
{
	__builtin_memcpy((uint8_t *)vmcb + off, &v, sizeof(v));
}

static inline void svm_vmcb_wr16(void *vmcb, unsigned int off, uint16_t v)
{
	__builtin_memcpy((uint8_t *)vmcb + off, &v, sizeof(v));
}

static inline void svm_vmcb_wr8(void *vmcb, unsigned int off, uint8_t v)
{
	((uint8_t *)vmcb)[off] = v;
}

/*
 * svm_attr_from_desc - the 12-bit VMCB attribute of a segment whose 8-byte descriptor is
 * @desc (descriptor bits 47:40 -> attrib 7:0, bits 55:52 -> attrib 11:8; table B-2).
 */
uint16_t svm_attr_from_desc(uint64_t desc);

/* svm_attr_to_desc - the descriptor bits 47:40 and 55:52 a VMCB attribute stands for. */
uint64_t svm_attr_to_desc(uint16_t attrib);

/*
 * svm_vmcb_set_seg - write segment @seg (VMCB_ES .. VMCB_TR) of @vmcb: @selector, @attrib
 * (12 bits, SVM_ATTR_*), @limit (bytes - 1, already expanded by G), @base.
 */
void svm_vmcb_set_seg(void *vmcb, unsigned int seg, uint16_t selector, uint16_t attrib,
		      uint32_t limit, uint64_t base);

/*
 * svm_msrpm_offset - where MSR @msr's two bits (read at @bit, write at @bit + 1) are in the
 * 8 KiB MSR permissions map (15.11, table 15-11: 0000_0000h-0000_1FFFh at 000h,
 * C000_0000h-C000_1FFFh at 800h, C001_0000h-C001_1FFFh at 1000h). Returns 0 with @byte (0 ..
 * 17FFh) and @bit (0, 2, 4, 6), or -ERANGE for an MSR outside the three ranges (always
 * intercepted).
 */
int svm_msrpm_offset(uint32_t msr, unsigned int *byte, unsigned int *bit);

/*
 * svm_vmcb_msr_read / svm_vmcb_msr_write - the guest's copy of MSR @msr in @vmcb's state save
 * area, for the MSRs that VMLOAD and VMSAVE switch (15.5.2; table B-2): STAR, LSTAR, CSTAR,
 * SFMASK, KERNEL_GS_BASE, SYSENTER_CS, SYSENTER_ESP, SYSENTER_EIP. A write of an address to
 * LSTAR, CSTAR, KERNEL_GS_BASE, SYSENTER_ESP or SYSENTER_EIP must be canonical (bits 63 down
 * to @va_bits - 1 equal, @va_bits the CPU's linear-address width, CPUID 8000_0008h EAX 15:8;
 * Intel SDM vol. 1 3.3.7.1, vol. 2B "WRMSR" #GP(0)). Return 0, -ENOENT for any other MSR, or -EINVAL for a non-canonical address (the caller
 * raises #GP). The value is kept as written: where the CPU implements fewer bits (AMD's
 * SYSENTER_ESP/EIP have 32), VMLOAD and VMSAVE give the guest what the CPU does natively.
 */
int svm_vmcb_msr_read(const void *vmcb, uint32_t msr, uint64_t *value);
int svm_vmcb_msr_write(void *vmcb, uint32_t msr, uint64_t value, unsigned int va_bits);

/*
 * svm_vmcb_check - the first VMRUN consistency check (15.5.1, "Canonicalization and
 * Consistency Checks") the guest state in @vmcb fails, as a short sentence naming the field(s),
 * or NULL when it passes them all. @pa_bits is the CPU's physical-address width (CPUID
 * 8000_0008h EAX 7:0) for the CR3 and bitmap checks. Used to explain VMEXIT_INVALID.
 */
const char *svm_vmcb_check(const void *vmcb, unsigned int pa_bits);

#endif
