/* SPDX-License-Identifier: MIT */
/*
 * VT-d interrupt remapping formats (VT-d specification rev 5.0) as pure encoders and decoders:
 * the interrupt remapping table entry (IRTE) in remapped format (9.10; fields 5.1.4) and in
 * posted format (9.11; 5.2), the IRTA_REG value that names the table (11.4, offset 0xB8), the
 * remappable-format MSI address/data a device's MSI or MSI-X entry receives (format 5.1.2.2,
 * programming 5.1.5.2), and the posted-interrupt descriptor (9.12; 5.2). Nothing here touches
 * hardware or allocates; every function is tested bit for bit on the host
 * (tests/unit/test_vtd_irte.c).
 *
 * Layout conventions are those of vtd_entries.h: an IRTE is two little-endian 64-bit words, bit
 * N of the specification's table is bit (N % 64) of word N / 64; fields are named masks built
 * with VTD_FIELD_PREP and read with VTD_FIELD_GET.
 *
 * Source validation is not optional in skiff: every IRTE an encoder here builds has SVT = 01b
 * with SQ = 00b and SID = the requester id, or SVT = 10b with SID = the secondary (15:8) and
 * subordinate (7:0) bus of the PCIe-to-PCI/PCI-X bridge the device sits behind (9.10, SVT).
 * An encoder asked for anything else refuses.
 *
 * How an IRTE goes live (as the other entries, vtd_entries.h):
 *   1. the slot in the table is not present (P = 0) and its interrupt-entry-cache entry was
 *      invalidated (vtd_inval_iec(), 6.5.2.7);
 *   2. an encoder builds the entry with P = 0 and the caller copies both words into the slot;
 *   3. vtd_irte_set_present() sets P with one 64-bit store of the low word;
 *   4. the caller invalidates the slot's interrupt-entry-cache entry (index-selective IEC).
 * Changing a present entry: the remapped format keeps vector and destination in the low word
 * only, so one 64-bit store of a low word re-encoded from the same source suffices; a posted
 * entry's PDA spans both words and needs a 128-bit atomic store (cmpxchg16b) or a P = 0 cycle.
 * Either way an IEC invalidation of the index follows.
 */
#ifndef SKIFF_IOMMU_VTD_IRTE_H
#define SKIFF_IOMMU_VTD_IRTE_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_entries.h"
#include "kernel/bits.h"

/* ---- Source validation (9.10 SID, SQ, SVT; shared by both formats) ---- */

/* Source-validation type (SVT, IRTE bits 83:82). */
enum vtd_svt {
	VTD_SVT_NONE = 0, /* no validation: never written by skiff */
	VTD_SVT_SID = 1,  /* the requester id must match SID, as SQ qualifies */
	VTD_SVT_BUS = 2,  /* the requester's bus must lie in SID 15:8 (first) .. SID 7:0 (last) */
};
#define VTD_SVT_RESERVED 3u

/* Source-id qualifier (SQ, IRTE bits 81:80) with SVT = 01b: 00b compares all 16 bits. */
#define VTD_SQ_ALL_BITS 0u

/* Who may raise the interrupt of an IRTE: the encoders' input, the decoders' output. */
struct vtd_irte_source {
	uint8_t svt;  /* VTD_SVT_* (2 bits) */
	uint8_t sq;   /* VTD_SQ_ALL_BITS (2 bits) */
	uint16_t sid; /* SVT_SID: requester id (bus 15:8, devfn 7:0); SVT_BUS: first, last bus */
};

/*
 * vtd_irte_source_rid - validation against the requester id @rid (bus 15:8, device 7:3,
 * function 2:0): SVT = 01b, SQ = 00b, SID = @rid (9.10).
 */
struct vtd_irte_source vtd_irte_source_rid(uint16_t rid);

/*
 * vtd_irte_source_bridge - validation for a device behind a PCIe-to-PCI/PCI-X bridge whose
 * secondary bus is @secondary and subordinate bus @subordinate: SVT = 10b, SQ = 00b,
 * SID = @secondary << 8 | @subordinate (9.10: the requester's bus must lie in that range;
 * requests the bridge takes ownership of carry its secondary bus).
 */
struct vtd_irte_source vtd_irte_source_bridge(uint8_t secondary, uint8_t subordinate);

/*
 * vtd_irte_source_validate - is @src a validation skiff writes? Returns 0, or -EINVAL for SVT 00b
 * (none) or 11b (reserved), SQ other than 00b, or (SVT 10b) a first bus above the last. The
 * encoders call it; the audit uses it on decoded entries.
 */
int vtd_irte_source_validate(const struct vtd_irte_source *src);

/* ---- Interrupt remapping table entry (9.10, 9.11): 128 bits ---- */

struct vtd_irte {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_irte) == 16, "VT-d 9.10: 128-bit IRTE");

#define VTD_IRTE_MAX_ENTRIES 65536u /* a 16-bit handle indexes the table (IRTA.S = 15) */

/* lo, both formats: */
#define VTD_IRTE_LO_P	       (1ull << 0)     /* bit 0: present */
#define VTD_IRTE_LO_FPD	       (1ull << 1)     /* bit 1: fault processing disable */
#define VTD_IRTE_LO_AVAIL_MASK GENMASK(11, 8)  /* bits 11:8: available to software */
#define VTD_IRTE_LO_IM	       (1ull << 15)    /* bit 15: IRTE mode, 1 = posted */
#define VTD_IRTE_LO_V_MASK     GENMASK(23, 16) /* bits 23:16: vector */
/* lo, remapped format (IM = 0, 9.10): */
#define VTD_IRTE_LO_DM	      (1ull << 2)     /* bit 2: destination mode, 1 = logical */
#define VTD_IRTE_LO_RH	      (1ull << 3)     /* bit 3: redirection hint */
#define VTD_IRTE_LO_TM	      (1ull << 4)     /* bit 4: trigger mode, 1 = level */
#define VTD_IRTE_LO_DLM_MASK  GENMASK(7, 5)   /* bits 7:5: delivery mode */
#define VTD_IRTE_LO_DST_MASK  GENMASK(63, 32) /* bits 63:32: destination id (x2APIC) */
#define VTD_IRTE_LO_XDST_MASK GENMASK(47, 40) /* bits 47:40: DST 15:8, the xAPIC id */
/* lo, posted format (IM = 1, 9.11): */
#define VTD_IRTE_LO_URG		(1ull << 14)	/* bit 14: urgent */
#define VTD_IRTE_LO_PDA_LO_MASK GENMASK(63, 38) /* bits 63:38: descriptor address 31:6 */
/* hi, both formats: */
#define VTD_IRTE_HI_SID_MASK GENMASK(15, 0)  /* bits 79:64: source id */
#define VTD_IRTE_HI_SQ_MASK  GENMASK(17, 16) /* bits 81:80: source-id qualifier */
#define VTD_IRTE_HI_SVT_MASK GENMASK(19, 18) /* bits 83:82: source-validation type */
/* hi, posted format: */
#define VTD_IRTE_HI_PDA_HI_MASK GENMASK(63, 32) /* bits 127:96: descriptor address 63:32 */

#define VTD_IRTE_VECTOR_MIN 16u /* vectors 0-15 are the CPU's exceptions, never an interrupt */
#define VTD_XAPIC_ID_MAX    0xffu
#define VTD_PDA_ALIGN	    64u /* a posted-interrupt descriptor is 64-byte aligned */

/* Delivery mode (DLM, 9.10; 5.1.4). 011b and 110b are reserved. */
enum vtd_dlm {
	VTD_DLM_FIXED = 0,
	VTD_DLM_LOWEST_PRIORITY = 1,
	VTD_DLM_SMI = 2,
	VTD_DLM_NMI = 4,
	VTD_DLM_INIT = 5,
	VTD_DLM_EXTINT = 7,
};

/* What a remapped-format IRTE says (9.10); the encoder's input and the decoder's output. */
struct vtd_irte_remap_config {
	struct vtd_irte_source src;
	uint32_t dst;	 /* destination APIC id: 8 bits when EIME = 0 (xAPIC), 32 when 1 */
	uint8_t vector;	 /* fixed, lowest priority: 16..255; other delivery modes: 0 (ignored) */
	uint8_t dlm;	 /* VTD_DLM_* */
	bool dm_logical; /* DM: @dst is a logical destination */
	bool rh;	 /* RH: redirect to one of the logical destination's processors */
	bool tm_level;	 /* TM: level-triggered (IOAPIC level pins); MSIs are edge */
	bool fpd;	 /* FPD: faults on this entry are not recorded */
};

/*
 * vtd_irte_remap_encode - a remapped-format IRTE (9.10, IM = 0) from @cfg, with P = 0, for a
 * table whose IRTA.EIME is @eime (x2APIC destinations) on the unit described by @caps.
 * DST holds @cfg->dst in bits 15:8 when @eime is false (xAPIC), in bits 31:0 otherwise.
 * AVAIL stays 0. In this order, the first failure decides:
 *   -EINVAL     vtd_irte_source_validate() refuses the source; DLM 011b, 110b or above 7; a vector
 *               below 16 with fixed or lowest-priority delivery, or not 0 with another DLM;
 *   -EOPNOTSUPP the unit lacks interrupt remapping (ECAP.IR), or @eime without ECAP.EIM;
 *   -ERANGE     @cfg->dst above 255 when @eime is false.
 * Returns 0, or the error with *@out zeroed.
 */
int vtd_irte_remap_encode(const struct vtd_irte_remap_config *cfg, bool eime,
			  const struct vtd_caps *caps, struct vtd_irte *out);

/* What a posted-format IRTE says (9.11); the encoder's input and the decoder's output. */
struct vtd_irte_posted_config {
	struct vtd_irte_source src;
	uint64_t
		pda; /* posted-interrupt descriptor (struct vtd_pid), host physical, 64 B aligned */
	uint8_t vector; /* the bit set in the descriptor's PIR: the guest's vector, 16..255 */
	bool urg;	/* URG: notify even while the descriptor's SN is set */
	bool fpd;
};

/*
 * vtd_irte_posted_encode - a posted-format IRTE (9.11, IM = 1) from @cfg, with P = 0, for the
 * unit described by @caps; @haw is the host address width in bits (DMAR HAW + 1, 1..64).
 * PDA bits 31:6 go to IRTE bits 63:38, bits 63:32 to IRTE bits 127:96. In this order, the first
 * failure decides:
 *   -EINVAL     vtd_irte_source_validate() refuses the source; a vector below 16; a PDA not 64-byte
 *               aligned; @haw 0 or above 64;
 *   -EOPNOTSUPP no interrupt remapping (ECAP.IR) or no posted interrupts (CAP.PI);
 *   -ERANGE     the PDA at or above 2^@haw.
 * Returns 0, or the error with *@out zeroed.
 */
int vtd_irte_posted_encode(const struct vtd_irte_posted_config *cfg, const struct vtd_caps *caps,
			   unsigned int haw, struct vtd_irte *out);

/* vtd_irte_set_present - set P (9.10) on the entry in table memory; see the order above. */
void vtd_irte_set_present(struct vtd_irte *e);

/* vtd_irte_present - P of an IRTE (9.10, 9.11). */
bool vtd_irte_present(const struct vtd_irte *e);

/* vtd_irte_posted - IM of an IRTE: true for the posted format (9.11), false for remapped. */
bool vtd_irte_posted(const struct vtd_irte *e);

/*
 * vtd_irte_remap_decode - the fields of a remapped-format IRTE (9.10) into *@cfg (P is not part
 * of it), reading DST as @eime says; AVAIL is ignored. *@cfg is filled either way (the source
 * raw: check it with vtd_irte_source_validate()). Returns 0, or -EINVAL when IM is 1, a reserved
 * bit is set (14:12, 31:24, 127:84, and with @eime false DST bits 7:0 and 31:16), DLM is
 * reserved, or SVT is 11b.
 */
int vtd_irte_remap_decode(const struct vtd_irte *e, bool eime, struct vtd_irte_remap_config *cfg);

/*
 * vtd_irte_posted_decode - the fields of a posted-format IRTE (9.11) into *@cfg (P excluded,
 * AVAIL ignored, source raw). Returns 0, or -EINVAL when IM is 0, a reserved bit is set (7:2,
 * 13:12, 37:24, 95:84) or SVT is 11b; *@cfg is filled either way.
 */
int vtd_irte_posted_decode(const struct vtd_irte *e, struct vtd_irte_posted_config *cfg);

/* ---- IRTA_REG (11.4, offset 0xB8): where the table is, how big, which destination format ---- */

#define VTD_IRTA_ADDR_MASK GENMASK(63, 12) /* table, host physical, 4 KiB aligned */
#define VTD_IRTA_EIME	   (1ull << 11)	   /* extended interrupt mode: x2APIC ids */
#define VTD_IRTA_S_MASK	   GENMASK(3, 0)   /* the table holds 2^(S + 1) entries */
#define VTD_IRTA_S_MAX	   15u

/* What IRTA_REG says; the encoder's input and the decoder's output. */
struct vtd_irta_config {
	uint64_t table; /* host physical, 4 KiB aligned */
	uint8_t s;	/* size: 2^(s + 1) entries, 0..15 */
	bool eime;	/* 32-bit x2APIC destination ids in every IRTE */
};

/* vtd_irta_entries - entries of a table with IRTA.S = @s (0..15): 2^(s + 1), 2..65536. */
unsigned int vtd_irta_entries(unsigned int s);

/* vtd_irta_table_bytes - bytes of that table: 16 per entry (32 B..1 MiB). */
uint64_t vtd_irta_table_bytes(unsigned int s);

/*
 * vtd_irta_s_for_entries - the smallest S whose table holds @entries (1..65536) IRTEs.
 * Returns 0..15, or -ERANGE for 0 or more than 65536.
 */
int vtd_irta_s_for_entries(unsigned int entries);

/*
 * vtd_ir_eime - whether skiff sets IRTA.EIME: the unit has ECAP.EIM and the processors' local
 * APICs run in x2APIC mode (@x2apic). In xAPIC mode EIME stays 0 (IRTA_REG.EIME, 11.4).
 */
bool vtd_ir_eime(const struct vtd_caps *caps, bool x2apic);

/*
 * vtd_irta_encode - the IRTA_REG value (11.4) for @cfg on the unit described by @caps with
 * the local APICs in x2APIC mode when @x2apic; @haw is the host address width (1..64).
 * In this order, the first failure decides:
 *   -EINVAL     table not 4 KiB aligned, S above 15, EIME without @x2apic, @haw 0 or above 64;
 *   -EOPNOTSUPP no interrupt remapping (ECAP.IR), or EIME without ECAP.EIM;
 *   -ERANGE     the table (2^(S + 1) x 16 bytes) does not end below 2^@haw.
 * Returns 0 with *@out set, or the error with *@out = 0.
 */
int vtd_irta_encode(const struct vtd_irta_config *cfg, bool x2apic, const struct vtd_caps *caps,
		    unsigned int haw, uint64_t *out);

/*
 * vtd_irta_decode - the fields of an IRTA_REG value into *@cfg (filled either way).
 * Returns 0, or -EINVAL when a reserved bit (10:4) is set.
 */
int vtd_irta_decode(uint64_t irta, struct vtd_irta_config *cfg);

/* ---- Remappable-format MSI address and data (5.1.2.2, 5.1.5.2) ---- */

/* What a device's MSI capability or MSI-X table entry holds. */
struct vtd_msi_msg {
	uint32_t addr_lo; /* message address 31:0 */
	uint32_t addr_hi; /* message address 63:32: 0 */
	uint32_t data;	  /* message data */
};

#define VTD_MSI_ADDR_HANDLE_LO_MASK 0x000fffe0u /* bits 19:5: handle 14:0 */
#define VTD_MSI_ADDR_IF		    (1u << 4)	/* interrupt format: 1 = remappable */
#define VTD_MSI_ADDR_SHV	    (1u << 3)	/* subhandle valid */
#define VTD_MSI_ADDR_HANDLE_HI	    (1u << 2)	/* bit 2: handle 15 */
#define VTD_MSI_ADDR_RSVD_MASK	    0x00000003u /* bits 1:0: 0 (dword aligned) */
#define VTD_MSI_DATA_SUBHANDLE_MASK 0x0000ffffu /* bits 15:0: subhandle */
#define VTD_MSI_HANDLE_LO_BITS	    15u

/* The interrupt request a remappable-format message makes. */
struct vtd_msi_remappable {
	uint16_t handle;    /* the IRTE index, or the first one with SHV */
	uint16_t subhandle; /* added to @handle when @shv (multi-message MSI); 0 otherwise */
	bool shv;
};

/*
 * vtd_msi_remappable_encode - the address and data (5.1.2.2) that make a device raise the
 * interrupt @r describes: address 0xFEE in 31:20, handle 14:0 in 19:5, interrupt format 1 in
 * bit 4, SHV in bit 3, handle 15 in bit 2; upper address 0; data = the subhandle when SHV, else
 * 0. Returns 0, or -EINVAL (*@out zeroed) for a non-zero subhandle without SHV, or -ERANGE when
 * handle + subhandle exceeds 65535 (no IRTE has that index).
 */
int vtd_msi_remappable_encode(const struct vtd_msi_remappable *r, struct vtd_msi_msg *out);

/*
 * vtd_msi_remappable_decode - the request a message makes, into *@r (filled either way; the
 * subhandle raw, also without SHV). Returns 0, or -EINVAL for an address outside
 * 0xFEE00000-0xFEEFFFFF (upper address not 0 included), a compatibility-format message
 * (interrupt format 0), address bits 1:0 or data bits 31:16 set.
 */
int vtd_msi_remappable_decode(const struct vtd_msi_msg *m, struct vtd_msi_remappable *r);

/*
 * vtd_msi_irte_index - the IRTE index the unit looks up for @r (5.1.2.2): handle + subhandle
 * with SHV, the handle alone without. Up to 131070: the unit faults when it is not below the
 * table's 2^(S + 1) entries.
 */
uint32_t vtd_msi_irte_index(const struct vtd_msi_remappable *r);

/* ---- Posted-interrupt descriptor (9.12; 5.2): 512 bits, 64-byte aligned ---- */

struct vtd_pid {
	_Alignas(VTD_PDA_ALIGN) uint64_t val[8];
};
_Static_assert(sizeof(struct vtd_pid) == 64, "VT-d 9.12: 512-bit posted-interrupt descriptor");
_Static_assert(_Alignof(struct vtd_pid) == VTD_PDA_ALIGN, "VT-d 9.11: PDA is 64-byte aligned");

/* val[0..3] (bits 255:0): PIR, bit n set = vector n posted. */
#define VTD_PID_CTL_WORD      4u	      /* val[4]: bits 319:256 */
#define VTD_PID_W4_ON	      (1ull << 0)     /* bit 256: outstanding notification */
#define VTD_PID_W4_SN	      (1ull << 1)     /* bit 257: suppress notification */
#define VTD_PID_W4_NV_MASK    GENMASK(23, 16) /* bits 279:272: notification vector */
#define VTD_PID_W4_NDST_MASK  GENMASK(63, 32) /* bits 319:288: notification destination */
#define VTD_PID_W4_XNDST_MASK GENMASK(47, 40) /* bits 303:296: NDST 15:8, the xAPIC id */
/* val[5..7] (bits 511:320): reserved. */

/* The control half of a descriptor; the encoder's input and the decoder's output. */
struct vtd_pid_config {
	uint32_t ndst; /* the APIC id notified: 8 bits when EIME = 0 (xAPIC), 32 when 1 */
	uint8_t nv;    /* notification vector (host), 16..255 */
	bool sn;       /* suppress notification: post without notifying (vCPU not running) */
};

/*
 * vtd_pid_encode - a fresh posted-interrupt descriptor (9.12) from @cfg: PIR all 0, ON 0, SN,
 * NV, NDST in bits 15:8 when @eime is false (xAPIC) or 31:0 otherwise; reserved words 0.
 * Returns 0, or (*@out zeroed) -EINVAL for NV below 16, -ERANGE for NDST above 255 when @eime is
 * false.
 */
int vtd_pid_encode(const struct vtd_pid_config *cfg, bool eime, struct vtd_pid *out);

/*
 * vtd_pid_decode - the control fields of a descriptor into *@cfg (filled either way), reading
 * NDST as @eime says. Returns 0, or -EINVAL when a reserved bit is set (271:258, 287:280,
 * 511:320, and with @eime false NDST 7:0 and 31:16).
 */
int vtd_pid_decode(const struct vtd_pid *pid, bool eime, struct vtd_pid_config *cfg);

/* vtd_pid_on - ON: a notification is outstanding (9.12). */
bool vtd_pid_on(const struct vtd_pid *pid);

/* vtd_pid_pir_test - is @vector (0..255) posted in the descriptor's PIR (9.12)? */
bool vtd_pid_pir_test(const struct vtd_pid *pid, uint8_t vector);

#endif
