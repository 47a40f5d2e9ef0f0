// SPDX-License-Identifier: MIT
/*
 * VT-d interrupt remapping formats: IRTE (9.10, 9.11), IRTA_REG, remappable MSI (5.1.2.2),
 * posted-interrupt descriptor (9.12). The contract of every function is in vtd_irte.h.
 */
#include "iommu/vtd/vtd_irte.h"

#include "kernel/arch/x86/msi.h"
#include "kernel/bits.h"

#include <errno.h>

#define ADDR_BITS_MAX	 64u
#define IRTE_BYTES	 16u
#define PDA_LO_SHIFT	 6u  /* IRTE bits 63:38 hold PDA bits 31:6 */
#define PDA_HI_SHIFT	 32u /* IRTE bits 127:96 hold PDA bits 63:32 */
#define BUS_FIRST_SHIFT	 8u  /* SVT 10b: SID 15:8 is the first bus, 7:0 the last */
#define BUS_MASK	 0xffu
#define PIR_BITS_PER	 64u
#define HANDLE_MAX	 0xffffu
#define IRTA_S_BASE	 1u /* a table holds 2^(S + 1) entries */
#define IRTA_ALIGN_MASK	 (VTD_PAGE_SIZE - 1ull)
#define PDA_ALIGN_MASK	 (VTD_PDA_ALIGN - 1ull)
#define DLM_MAX		 VTD_DLM_EXTINT
#define DLM_RESERVED_011 3u
#define DLM_RESERVED_110 6u

/* Bits each word may have set; everything else is reserved (9.10, 9.11, 9.12, IRTA_REG). */
#define IRTE_LO_COMMON (VTD_IRTE_LO_P | VTD_IRTE_LO_FPD | VTD_IRTE_LO_AVAIL_MASK | VTD_IRTE_LO_IM)
#define IRTE_LO_REMAP_DEFINED                                                \
	(IRTE_LO_COMMON | VTD_IRTE_LO_DM | VTD_IRTE_LO_RH | VTD_IRTE_LO_TM | \
	 VTD_IRTE_LO_DLM_MASK | VTD_IRTE_LO_V_MASK | VTD_IRTE_LO_DST_MASK)
#define IRTE_LO_POSTED_DEFINED \
	(IRTE_LO_COMMON | VTD_IRTE_LO_URG | VTD_IRTE_LO_V_MASK | VTD_IRTE_LO_PDA_LO_MASK)
#define IRTE_HI_SOURCE		(VTD_IRTE_HI_SID_MASK | VTD_IRTE_HI_SQ_MASK | VTD_IRTE_HI_SVT_MASK)
#define IRTE_HI_POSTED_DEFINED	(IRTE_HI_SOURCE | VTD_IRTE_HI_PDA_HI_MASK)
#define IRTA_DEFINED		(VTD_IRTA_ADDR_MASK | VTD_IRTA_EIME | VTD_IRTA_S_MASK)
#define PID_W4_DEFINED		(VTD_PID_W4_ON | VTD_PID_W4_SN | VTD_PID_W4_NV_MASK | VTD_PID_W4_NDST_MASK)
#define PID_FIRST_RESERVED_WORD 5u
#define PID_WORDS		8u

/* Does every byte of [@addr, @addr + @bytes) lie below 2^@bits (@bytes >= 1)? */
static bool range_fits(uint64_t addr, uint64_t bytes, unsigned int bits)
{
	uint64_t last = addr + (bytes - 1);

	if (last < addr)
		return false;
	return bits >= ADDR_BITS_MAX || (last >> bits) == 0;
}

/*
 * An APIC id placed in a word whose destination field (IRTE DST, PID NDST) is @mask32 (32 bits)
 * with the xAPIC sub-field @mask8 (the field's bits 15:8): the 32-bit x2APIC id when @x2apic,
 * the 8-bit xAPIC id otherwise.
 */
static uint64_t apic_id_prep(uint64_t mask32, uint64_t mask8, uint32_t id, bool x2apic)
{
	return x2apic ? FIELD_PREP(mask32, id) : FIELD_PREP(mask8, id);
}

/* The APIC id back from @word; *@rsvd set when an xAPIC field has bits outside @mask8. */
static uint32_t apic_id_get(uint64_t mask32, uint64_t mask8, uint64_t word, bool x2apic, bool *rsvd)
{
	if (x2apic)
		return (uint32_t)FIELD_GET(mask32, word);
	if (word & mask32 & ~mask8)
		*rsvd = true;
	return (uint32_t)FIELD_GET(mask8, word);
}

/* ---- Source validation ---- */

struct vtd_irte_source vtd_irte_source_rid(uint16_t rid)
{
	return (struct vtd_irte_source){ .svt = VTD_SVT_SID, .sq = VTD_SQ_ALL_BITS, .sid = rid };
}

struct vtd_irte_source vtd_irte_source_bridge(uint8_t secondary, uint8_t subordinate)
{
	return (struct vtd_irte_source){
		.svt = VTD_SVT_BUS,
		.sq = VTD_SQ_ALL_BITS,
		.sid = (uint16_t)(secondary << BUS_FIRST_SHIFT | subordinate),
	};
}

int vtd_irte_source_validate(const struct vtd_irte_source *src)
{
	switch (src->svt) {
	case VTD_SVT_SID:
		break;
	case VTD_SVT_BUS:
		if ((src->sid >> BUS_FIRST_SHIFT) > (src->sid & BUS_MASK))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return src->sq == VTD_SQ_ALL_BITS ? 0 : -EINVAL;
}

static uint64_t source_hi(const struct vtd_irte_source *src)
{
	return FIELD_PREP(VTD_IRTE_HI_SID_MASK, src->sid) |
	       FIELD_PREP(VTD_IRTE_HI_SQ_MASK, src->sq) |
	       FIELD_PREP(VTD_IRTE_HI_SVT_MASK, src->svt);
}

static struct vtd_irte_source source_from_hi(uint64_t hi)
{
	return (struct vtd_irte_source){
		.svt = (uint8_t)FIELD_GET(VTD_IRTE_HI_SVT_MASK, hi),
		.sq = (uint8_t)FIELD_GET(VTD_IRTE_HI_SQ_MASK, hi),
		.sid = (uint16_t)FIELD_GET(VTD_IRTE_HI_SID_MASK, hi),
	};
}

/* ---- Remapped format ---- */

static bool dlm_valid(unsigned int dlm)
{
	return dlm <= DLM_MAX && dlm != DLM_RESERVED_011 && dlm != DLM_RESERVED_110;
}

/* Fixed and lowest-priority delivery use the vector; the other modes ignore it (9.10). */
static bool dlm_uses_vector(unsigned int dlm)
{
	return dlm == VTD_DLM_FIXED || dlm == VTD_DLM_LOWEST_PRIORITY;
}

static int remap_shape(const struct vtd_irte_remap_config *cfg)
{
	int err = vtd_irte_source_validate(&cfg->src);

	if (err)
		return err;
	if (!dlm_valid(cfg->dlm))
		return -EINVAL;
	if (dlm_uses_vector(cfg->dlm) ? cfg->vector < VTD_IRTE_VECTOR_MIN : cfg->vector != 0)
		return -EINVAL;
	return 0;
}

int vtd_irte_remap_encode(const struct vtd_irte_remap_config *cfg, bool eime,
			  const struct vtd_caps *caps, struct vtd_irte *out)
{
	int err;

	*out = (struct vtd_irte){ 0 };
	err = remap_shape(cfg);
	if (err)
		return err;
	if (!caps->ir || (eime && !caps->eim))
		return -EOPNOTSUPP;
	if (!eime && cfg->dst > VTD_XAPIC_ID_MAX)
		return -ERANGE;
	out->lo = (cfg->fpd ? VTD_IRTE_LO_FPD : 0) | (cfg->dm_logical ? VTD_IRTE_LO_DM : 0) |
		  (cfg->rh ? VTD_IRTE_LO_RH : 0) | (cfg->tm_level ? VTD_IRTE_LO_TM : 0) |
		  FIELD_PREP(VTD_IRTE_LO_DLM_MASK, cfg->dlm) |
		  FIELD_PREP(VTD_IRTE_LO_V_MASK, cfg->vector) |
		  apic_id_prep(VTD_IRTE_LO_DST_MASK, VTD_IRTE_LO_XDST_MASK, cfg->dst, eime);
	out->hi = source_hi(&cfg->src);
	return 0;
}

int vtd_irte_remap_decode(const struct vtd_irte *e, bool eime, struct vtd_irte_remap_config *cfg)
{
	bool rsvd = (e->lo & ~IRTE_LO_REMAP_DEFINED) || (e->hi & ~IRTE_HI_SOURCE);

	*cfg = (struct vtd_irte_remap_config){
		.src = source_from_hi(e->hi),
		.dst = apic_id_get(VTD_IRTE_LO_DST_MASK, VTD_IRTE_LO_XDST_MASK, e->lo, eime, &rsvd),
		.vector = (uint8_t)FIELD_GET(VTD_IRTE_LO_V_MASK, e->lo),
		.dlm = (uint8_t)FIELD_GET(VTD_IRTE_LO_DLM_MASK, e->lo),
		.dm_logical = e->lo & VTD_IRTE_LO_DM,
		.rh = e->lo & VTD_IRTE_LO_RH,
		.tm_level = e->lo & VTD_IRTE_LO_TM,
		.fpd = e->lo & VTD_IRTE_LO_FPD,
	};
	if (vtd_irte_posted(e) || rsvd)
		return -EINVAL;
	if (!dlm_valid(cfg->dlm) || cfg->src.svt == VTD_SVT_RESERVED)
		return -EINVAL;
	return 0;
}

/* ---- Posted format ---- */

static int posted_shape(const struct vtd_irte_posted_config *cfg, unsigned int haw)
{
	int err = vtd_irte_source_validate(&cfg->src);

	if (err)
		return err;
	if (cfg->vector < VTD_IRTE_VECTOR_MIN || (cfg->pda & PDA_ALIGN_MASK))
		return -EINVAL;
	if (haw == 0 || haw > ADDR_BITS_MAX)
		return -EINVAL;
	return 0;
}

int vtd_irte_posted_encode(const struct vtd_irte_posted_config *cfg, const struct vtd_caps *caps,
			   unsigned int haw, struct vtd_irte *out)
{
	int err;

	*out = (struct vtd_irte){ 0 };
	err = posted_shape(cfg, haw);
	if (err)
		return err;
	if (!caps->ir || !caps->pi)
		return -EOPNOTSUPP;
	if (!range_fits(cfg->pda, sizeof(struct vtd_pid), haw))
		return -ERANGE;
	out->lo = VTD_IRTE_LO_IM | (cfg->fpd ? VTD_IRTE_LO_FPD : 0) |
		  (cfg->urg ? VTD_IRTE_LO_URG : 0) | FIELD_PREP(VTD_IRTE_LO_V_MASK, cfg->vector) |
		  FIELD_PREP(VTD_IRTE_LO_PDA_LO_MASK, cfg->pda >> PDA_LO_SHIFT);
	out->hi = source_hi(&cfg->src) |
		  FIELD_PREP(VTD_IRTE_HI_PDA_HI_MASK, cfg->pda >> PDA_HI_SHIFT);
	return 0;
}

int vtd_irte_posted_decode(const struct vtd_irte *e, struct vtd_irte_posted_config *cfg)
{
	uint64_t pda_lo = FIELD_GET(VTD_IRTE_LO_PDA_LO_MASK, e->lo) << PDA_LO_SHIFT;
	uint64_t pda_hi = FIELD_GET(VTD_IRTE_HI_PDA_HI_MASK, e->hi) << PDA_HI_SHIFT;

	*cfg = (struct vtd_irte_posted_config){
		.src = source_from_hi(e->hi),
		.pda = pda_hi | pda_lo,
		.vector = (uint8_t)FIELD_GET(VTD_IRTE_LO_V_MASK, e->lo),
		.urg = e->lo & VTD_IRTE_LO_URG,
		.fpd = e->lo & VTD_IRTE_LO_FPD,
	};
	if (!vtd_irte_posted(e))
		return -EINVAL;
	if ((e->lo & ~IRTE_LO_POSTED_DEFINED) || (e->hi & ~IRTE_HI_POSTED_DEFINED))
		return -EINVAL;
	if (cfg->src.svt == VTD_SVT_RESERVED)
		return -EINVAL;
	return 0;
}

/* ---- Both formats ---- */

void vtd_irte_set_present(struct vtd_irte *e)
{
	uint64_t v;

	__asm__ volatile("" ::: "memory");
	v = e->lo | VTD_IRTE_LO_P;
	WRITE_ONCE(e->lo, v);
}

bool vtd_irte_present(const struct vtd_irte *e)
{
	return e->lo & VTD_IRTE_LO_P;
}

bool vtd_irte_posted(const struct vtd_irte *e)
{
	return e->lo & VTD_IRTE_LO_IM;
}

/* ---- IRTA_REG ---- */

unsigned int vtd_irta_entries(unsigned int s)
{
	return 1u << (s + IRTA_S_BASE);
}

uint64_t vtd_irta_table_bytes(unsigned int s)
{
	return (uint64_t)vtd_irta_entries(s) * IRTE_BYTES;
}

int vtd_irta_s_for_entries(unsigned int entries)
{
	if (entries == 0 || entries > VTD_IRTE_MAX_ENTRIES)
		return -ERANGE;
	for (unsigned int s = 0; s < VTD_IRTA_S_MAX; s++)
		if (vtd_irta_entries(s) >= entries)
			return (int)s;
	return (int)VTD_IRTA_S_MAX;
}

bool vtd_ir_eime(const struct vtd_caps *caps, bool x2apic)
{
	return caps->eim && x2apic;
}

int vtd_irta_encode(const struct vtd_irta_config *cfg, bool x2apic, const struct vtd_caps *caps,
		    unsigned int haw, uint64_t *out)
{
	*out = 0;
	if ((cfg->table & IRTA_ALIGN_MASK) || cfg->s > VTD_IRTA_S_MAX)
		return -EINVAL;
	if ((cfg->eime && !x2apic) || haw == 0 || haw > ADDR_BITS_MAX)
		return -EINVAL;
	if (!caps->ir || (cfg->eime && !caps->eim))
		return -EOPNOTSUPP;
	if (!range_fits(cfg->table, vtd_irta_table_bytes(cfg->s), haw))
		return -ERANGE;
	*out = (cfg->table & VTD_IRTA_ADDR_MASK) | (cfg->eime ? VTD_IRTA_EIME : 0) |
	       FIELD_PREP(VTD_IRTA_S_MASK, cfg->s);
	return 0;
}

int vtd_irta_decode(uint64_t irta, struct vtd_irta_config *cfg)
{
	*cfg = (struct vtd_irta_config){
		.table = irta & VTD_IRTA_ADDR_MASK,
		.s = (uint8_t)FIELD_GET(VTD_IRTA_S_MASK, irta),
		.eime = irta & VTD_IRTA_EIME,
	};
	return (irta & ~IRTA_DEFINED) ? -EINVAL : 0;
}

/* ---- Remappable-format MSI ---- */

int vtd_msi_remappable_encode(const struct vtd_msi_remappable *r, struct vtd_msi_msg *out)
{
	*out = (struct vtd_msi_msg){ 0 };
	if (!r->shv && r->subhandle)
		return -EINVAL;
	if (vtd_msi_irte_index(r) > HANDLE_MAX)
		return -ERANGE;
	out->addr_lo =
		(uint32_t)(FIELD_PREP(X86_MSI_ADDR_MASK, X86_MSI_ADDR_FEE) |
			   FIELD_PREP(VTD_MSI_ADDR_HANDLE_LO_MASK, r->handle) | VTD_MSI_ADDR_IF |
			   (r->shv ? VTD_MSI_ADDR_SHV : 0) |
			   FIELD_PREP(VTD_MSI_ADDR_HANDLE_HI, r->handle >> VTD_MSI_HANDLE_LO_BITS));
	out->data = r->subhandle;
	return 0;
}

int vtd_msi_remappable_decode(const struct vtd_msi_msg *m, struct vtd_msi_remappable *r)
{
	uint32_t hi = (uint32_t)FIELD_GET(VTD_MSI_ADDR_HANDLE_HI, m->addr_lo);

	*r = (struct vtd_msi_remappable){
		.handle = (uint16_t)(hi << VTD_MSI_HANDLE_LO_BITS |
				     FIELD_GET(VTD_MSI_ADDR_HANDLE_LO_MASK, m->addr_lo)),
		.subhandle = (uint16_t)(m->data & VTD_MSI_DATA_SUBHANDLE_MASK),
		.shv = m->addr_lo & VTD_MSI_ADDR_SHV,
	};
	if (m->addr_hi || FIELD_GET(X86_MSI_ADDR_MASK, m->addr_lo) != X86_MSI_ADDR_FEE)
		return -EINVAL;
	if (!(m->addr_lo & VTD_MSI_ADDR_IF) || (m->addr_lo & VTD_MSI_ADDR_RSVD_MASK))
		return -EINVAL;
	if (m->data & ~VTD_MSI_DATA_SUBHANDLE_MASK)
		return -EINVAL;
	return 0;
}

uint32_t vtd_msi_irte_index(const struct vtd_msi_remappable *r)
{
	return (uint32_t)r->handle + (r->shv ? r->subhandle : 0u);
}

/* ---- Posted-interrupt descriptor ---- */

int vtd_pid_encode(const struct vtd_pid_config *cfg, bool eime, struct vtd_pid *out)
{
	*out = (struct vtd_pid){ { 0 } };
	if (cfg->nv < VTD_IRTE_VECTOR_MIN)
		return -EINVAL;
	if (!eime && cfg->ndst > VTD_XAPIC_ID_MAX)
		return -ERANGE;
	out->val[VTD_PID_CTL_WORD] =
		(cfg->sn ? VTD_PID_W4_SN : 0) | FIELD_PREP(VTD_PID_W4_NV_MASK, cfg->nv) |
		apic_id_prep(VTD_PID_W4_NDST_MASK, VTD_PID_W4_XNDST_MASK, cfg->ndst, eime);
	return 0;
}

int vtd_pid_decode(const struct vtd_pid *pid, bool eime, struct vtd_pid_config *cfg)
{
	uint64_t ctl = pid->val[VTD_PID_CTL_WORD];
	bool rsvd = ctl & ~PID_W4_DEFINED;

	*cfg = (struct vtd_pid_config){
		.ndst = apic_id_get(VTD_PID_W4_NDST_MASK, VTD_PID_W4_XNDST_MASK, ctl, eime, &rsvd),
		.nv = (uint8_t)FIELD_GET(VTD_PID_W4_NV_MASK, ctl),
		.sn = ctl & VTD_PID_W4_SN,
	};
	for (unsigned int i = PID_FIRST_RESERVED_WORD; i < PID_WORDS; i++)
		rsvd = rsvd || pid->val[i];
	return rsvd ? -EINVAL : 0;
}

bool vtd_pid_on(const struct vtd_pid *pid)
{
	return pid->val[VTD_PID_CTL_WORD] & VTD_PID_W4_ON;
}

bool vtd_pid_pir_test(const struct vtd_pid *pid, uint8_t vector)
{
	return pid->val[vector / PIR_BITS_PER] >> (vector % PIR_BITS_PER) & 1;
}
