/* SPDX-License-Identifier: MIT */
/*
 * VT-d fault reporting (VT-d specification rev 5.0): FSTS_REG and FECTL_REG fields, the
 * 128-bit primary fault recording registers (FRCD_REG), and the non-recoverable fault reason
 * codes of legacy mode, interrupt remapping and scalable mode (7.1.3 fault condition tables;
 * 7.1.4.x for interrupt remapping). Pure decoding; nothing here touches a register.
 *
 * FRCD_REG layout (lo = bits 63:0, hi = bits 127:64):
 *   lo 63:12  FI: faulting page address (DMA faults); for interrupt-remapping faults bits
 *             63:48 hold the interrupt index and 47:12 are zero
 *   hi 15:0   SID (requester id), 28 T2, 29 PRIV, 30 EXE, 31 PP, 39:32 FR, 59:40 PV (PASID),
 *      61:60  AT, 62 T1, 63 F
 * T2:T1 give the request type: 00 write, 01 read, 10 page request, 11 AtomicOp.
 */
#ifndef SKIFF_IOMMU_VTD_FAULT_H
#define SKIFF_IOMMU_VTD_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* FSTS_REG (32-bit, offset VTD_FSTS_REG). The status bits are RW1C. */
#define VTD_FSTS_PFO	   (1u << 0) /* primary fault overflow */
#define VTD_FSTS_PPF	   (1u << 1) /* primary pending fault: some FRCD has F set */
#define VTD_FSTS_AFO	   (1u << 2) /* advanced fault overflow */
#define VTD_FSTS_APF	   (1u << 3) /* advanced pending fault */
#define VTD_FSTS_IQE	   (1u << 4) /* invalidation queue error */
#define VTD_FSTS_ICE	   (1u << 5) /* invalidation completion error (device-TLB) */
#define VTD_FSTS_ITE	   (1u << 6) /* invalidation time-out error (device-TLB) */
#define VTD_FSTS_FRI_SHIFT 8	     /* fault record index: first record with F set */
#define VTD_FSTS_FRI_MASK  (0xffu << VTD_FSTS_FRI_SHIFT)
#define VTD_FSTS_FRI(s)	   (((s)&VTD_FSTS_FRI_MASK) >> VTD_FSTS_FRI_SHIFT)

/* FECTL_REG (32-bit, offset VTD_FECTL_REG). */
#define VTD_FECTL_IM (1u << 31) /* interrupt mask */
#define VTD_FECTL_IP (1u << 30) /* interrupt pending (read-only) */

/* FRCD_REG: 16 bytes each, the first at CAP.FRO * 16 from the register base. */
#define VTD_FRCD_SIZE		16u
#define VTD_FRCD_HI_OFFSET	8u	   /* the 64-bit hi half */
#define VTD_FRCD_F_DW_OFFSET	12u	   /* the dword holding F: clear a record by writing ... */
#define VTD_FRCD_F_DW_CLEAR	(1u << 31) /* ... this to it (F is RW1C) */
#define VTD_FRCD_LO_FI_MASK	0xfffffffffffff000ull
#define VTD_FRCD_LO_IRIDX_SHIFT 48 /* interrupt index, interrupt-remapping faults */
#define VTD_FRCD_HI_SID_MASK	0xffffull
#define VTD_FRCD_HI_T2		(1ull << 28)
#define VTD_FRCD_HI_PRIV	(1ull << 29) /* privileged-mode request */
#define VTD_FRCD_HI_EXE		(1ull << 30) /* execute request */
#define VTD_FRCD_HI_PP		(1ull << 31) /* PASID present */
#define VTD_FRCD_HI_FR_SHIFT	32
#define VTD_FRCD_HI_FR_MASK	(0xffull << VTD_FRCD_HI_FR_SHIFT)
#define VTD_FRCD_HI_PV_SHIFT	40
#define VTD_FRCD_HI_PV_MASK	(0xfffffull << VTD_FRCD_HI_PV_SHIFT)
#define VTD_FRCD_HI_AT_SHIFT	60
#define VTD_FRCD_HI_AT_MASK	(0x3ull << VTD_FRCD_HI_AT_SHIFT)
#define VTD_FRCD_HI_T1		(1ull << 62)
#define VTD_FRCD_HI_F		(1ull << 63)

/* Source-id: bus 15:8, device 7:3, function 2:0. */
#define VTD_SID_BUS(sid) (((sid) >> 8) & 0xffu)
#define VTD_SID_DEV(sid) (((sid) >> 3) & 0x1fu)
#define VTD_SID_FN(sid)	 ((sid)&0x7u)

/*
 * Non-recoverable fault reasons (FR). Every value listed has a name from
 * vtd_fault_reason_name(); every other value is reserved.
 */
enum vtd_fault_reason {
	/* Legacy mode (RTADDR_REG.TTM = 00). 0 is reserved (advanced fault logging). */
	VTD_FR_ROOT_NOT_PRESENT = 0x01,
	VTD_FR_CTX_NOT_PRESENT = 0x02,
	VTD_FR_CTX_INVALID = 0x03,
	VTD_FR_ADDR_BEYOND_AW = 0x04,
	VTD_FR_NO_WRITE = 0x05,
	VTD_FR_NO_READ = 0x06,
	VTD_FR_SS_ACCESS = 0x07,
	VTD_FR_ROOT_ACCESS = 0x08,
	VTD_FR_CTX_ACCESS = 0x09,
	VTD_FR_ROOT_RSVD = 0x0a,
	VTD_FR_CTX_RSVD = 0x0b,
	VTD_FR_SS_RSVD = 0x0c,
	VTD_FR_CTX_TT_BLOCKED = 0x0d,
	VTD_FR_INTR_ADDR = 0x0e,
	/* Interrupt remapping. */
	VTD_FR_IR_REQ_RSVD = 0x20,
	VTD_FR_IR_INDEX = 0x21,
	VTD_FR_IR_NOT_PRESENT = 0x22,
	VTD_FR_IR_TABLE_ACCESS = 0x23,
	VTD_FR_IR_IRTE_RSVD = 0x24,
	VTD_FR_IR_COMPAT_BLOCKED = 0x25,
	VTD_FR_IR_SID_BLOCKED = 0x26,
	/* Scalable mode (RTADDR_REG.TTM = 01): root table and root entry. */
	VTD_FR_SM_RTADDR_INVALID = 0x30,
	VTD_FR_SM_TTM_PASID = 0x31,
	VTD_FR_SM_TTM_PAGE_REQ = 0x32,
	VTD_FR_SM_ROOT_ACCESS = 0x38,
	VTD_FR_SM_ROOT_NOT_PRESENT = 0x39,
	VTD_FR_SM_ROOT_RSVD = 0x3a,
	/* Scalable-mode context entry. */
	VTD_FR_SM_CTX_ACCESS = 0x40,
	VTD_FR_SM_CTX_NOT_PRESENT = 0x41,
	VTD_FR_SM_CTX_RSVD = 0x42,
	VTD_FR_SM_CTX_INVALID = 0x43,
	VTD_FR_SM_CTX_DTE = 0x44,
	VTD_FR_SM_CTX_PASIDE = 0x45,
	VTD_FR_SM_CTX_PASID_RANGE = 0x46,
	VTD_FR_SM_CTX_PRE = 0x47,
	VTD_FR_SM_CTX_RID_PASID = 0x48,
	/* PASID directory entry. */
	VTD_FR_SM_PDIR_ACCESS = 0x50,
	VTD_FR_SM_PDIR_NOT_PRESENT = 0x51,
	VTD_FR_SM_PDIR_RSVD = 0x52,
	/* PASID table entry. */
	VTD_FR_SM_PASID_ACCESS = 0x58,
	VTD_FR_SM_PASID_NOT_PRESENT = 0x59,
	VTD_FR_SM_PASID_RSVD = 0x5a,
	VTD_FR_SM_PASID_INVALID = 0x5b,
	VTD_FR_SM_PASID_ERE = 0x5c,
	VTD_FR_SM_PASID_SRE = 0x5d,
	/* First-stage walk (and nested walks through the second stage). */
	VTD_FR_SM_FS_ACCESS = 0x70,
	VTD_FR_SM_FS_NOT_PRESENT = 0x71,
	VTD_FR_SM_FS_RSVD = 0x72,
	VTD_FR_SM_FSPTPTR = 0x73,
	VTD_FR_SM_NEST_FS_AW = 0x74,
	VTD_FR_SM_NEST_FS_ROOT_READ = 0x75,
	VTD_FR_SM_NEST_FS_READ = 0x76,
	VTD_FR_SM_NEST_FS_WRITE = 0x77,
	/* Second-stage walk. */
	VTD_FR_SM_SS_ACCESS = 0x78,
	VTD_FR_SM_SS_PERM = 0x79,
	VTD_FR_SM_SS_RSVD = 0x7a,
	VTD_FR_SM_SSPTPTR = 0x7b,
	VTD_FR_SM_SS_AD_NOSNOOP = 0x7c,
	/* Checks on the translated request. */
	VTD_FR_SM_NON_CANONICAL = 0x80,
	VTD_FR_SM_USER_SUPERVISOR = 0x81,
	VTD_FR_SM_NO_EXEC = 0x82,
	VTD_FR_SM_ADDR_BEYOND_MAX = 0x83,
	VTD_FR_SM_SS_OUT_BEYOND_MAX = 0x84,
	VTD_FR_SM_NO_WRITE = 0x85,
	VTD_FR_SM_NO_READ = 0x86,
	VTD_FR_SM_INTR_ADDR = 0x87,
	VTD_FR_SM_FS_AD_NOSNOOP = 0x90,
	VTD_FR_SM_FS_AD_FAILED = 0x91,
};

#define VTD_FR_IR_FIRST	     0x20u /* reasons 0x20-0x2f are interrupt-remapping faults */
#define VTD_FR_IR_LAST	     0x2fu
#define VTD_FAULT_REASON_BUF 24u /* fits "reserved (0xff)" */

/* The request that faulted (T2:T1). */
enum vtd_fault_access {
	VTD_FAULT_WRITE = 0,
	VTD_FAULT_READ = 1,
	VTD_FAULT_PAGE_REQ = 2,
	VTD_FAULT_ATOMIC = 3,
};

/* One decoded fault record. Fields other than @fault mean something only when it is set. */
struct vtd_fault {
	bool fault;   /* F: the record holds a fault */
	uint16_t sid; /* requester id, and its parts */
	uint8_t bus, dev, fn;
	uint8_t reason;	     /* FR: enum vtd_fault_reason or a reserved code */
	bool intr;	     /* reason is an interrupt-remapping fault */
	uint64_t addr;	     /* FI: page address of a DMA fault (0 for interrupt faults) */
	uint16_t irte_index; /* interrupt index of an interrupt-remapping fault */
	enum vtd_fault_access access;
	bool exe, priv;	    /* execute / privileged-mode request */
	bool pasid_present; /* PP */
	uint32_t pasid;	    /* PV, 0 unless PP */
	uint8_t at;	    /* AT: the request's PCIe address type */
};

/* The FSTS_REG fields. */
struct vtd_fsts {
	bool pfo, ppf, afo, apf, iqe, ice, ite;
	uint8_t fri;
};

/*
 * vtd_fault_decode - decode the 128-bit fault recording register @lo (bits 63:0) and @hi
 * (bits 127:64) into @out (layout above). Interrupt-remapping reasons (0x20-0x2f) take FI
 * 63:48 as the interrupt index; other reasons take FI 63:12 as the page address.
 */
void vtd_fault_decode(uint64_t lo, uint64_t hi, struct vtd_fault *out);

/* vtd_fsts_decode - the fields of an FSTS_REG value. */
void vtd_fsts_decode(uint32_t fsts, struct vtd_fsts *out);

/*
 * vtd_frcd_offset - the byte offset from the register base of fault recording register
 * @index: CAP.FRO * 16 + @index * 16. Returns 0 and the offset in @offset, or -EINVAL when
 * @index is not below the number of records (CAP.NFR + 1).
 */
int vtd_frcd_offset(uint64_t cap, unsigned int index, uint32_t *offset);

/*
 * vtd_fault_reason_name - a short description of fault reason @reason (enum
 * vtd_fault_reason), or NULL for a reserved code.
 */
const char *vtd_fault_reason_name(uint8_t reason);

/*
 * vtd_fault_reason_str - vtd_fault_reason_name(@reason), or for a reserved code
 * "reserved (0xNN)" written to @buf (@size bytes, VTD_FAULT_REASON_BUF is enough) and @buf
 * returned. Never NULL.
 */
const char *vtd_fault_reason_str(uint8_t reason, char *buf, size_t size);

/*
 * vtd_fault_describe - one line for the log, e.g.
 * "00:02.0 write addr 0xdead000 PASID 0x5 reason 0x05 (write without write permission)" or
 * "00:1f.0 interrupt index 0x12 reason 0x22 (interrupt remapping entry not present)".
 * Returns snprintf's result (the untruncated length).
 */
int vtd_fault_describe(const struct vtd_fault *f, char *buf, size_t size);

#endif
