// SPDX-License-Identifier: MIT
/*
 * VT-d translation structure encoders and decoders (VT-d specification rev 5.0, chapter 9).
 * The contract of every function is in vtd_entries.h.
 */
#include "iommu/vtd/vtd_entries.h"

#include <errno.h>

#include "iommu/vtd/vtd_regs.h"
#include "kernel/bits.h"

#define AW_BASE_BITS	30u /* AW n names a 30 + 9n bit width */
#define AW_BITS_PER	9u
#define AW_LEVEL_BASE	2u /* AW n names an (n + 2)-level table */
#define AW_MAX		VTD_AW_57
#define PDTS_PASID_BITS 13u /* PDTS 0 covers 2^13 PASIDs: 128 entries x 64 */
#define PTR_ALIGN_MASK	(VTD_PAGE_SIZE - 1ull)

/* Bits each word may have set; everything else is reserved (9.1-9.6). */
#define RE_LO_DEFINED	(VTD_RE_P | VTD_RE_CTP_MASK)
#define SMRE_LO_DEFINED (VTD_SMRE_LP | VTD_SMRE_LCTP_MASK)
#define SMRE_HI_DEFINED (VTD_SMRE_UP | VTD_SMRE_UCTP_MASK)
#define CE_LO_DEFINED	(VTD_CE_LO_P | VTD_CE_LO_FPD | VTD_CE_LO_TT_MASK | VTD_CE_LO_SLPTPTR_MASK)
#define CE_HI_DEFINED	(VTD_CE_HI_AW_MASK | VTD_CE_HI_AVAIL_MASK | VTD_CE_HI_DID_MASK)
#define SMCE_W0_DEFINED                                                           \
	(VTD_SMCE_W0_P | VTD_SMCE_W0_FPD | VTD_SMCE_W0_DTE | VTD_SMCE_W0_PASIDE | \
	 VTD_SMCE_W0_PRE | VTD_SMCE_W0_PDTS_MASK | VTD_SMCE_W0_PASIDDIRPTR_MASK)
#define SMCE_W1_DEFINED (VTD_SMCE_W1_RID_PASID_MASK | VTD_SMCE_W1_RID_PRIV)
#define PDE_DEFINED	(VTD_PDE_P | VTD_PDE_FPD | VTD_PDE_SMPTBLPTR_MASK)
#define PE_W0_DEFINED                                                                             \
	(VTD_PE_W0_P | VTD_PE_W0_FPD | VTD_PE_W0_AW_MASK | VTD_PE_W0_SSEE | VTD_PE_W0_PGTT_MASK | \
	 VTD_PE_W0_SSADE | VTD_PE_W0_SSPTPTR_MASK)
#define PE_W1_DEFINED (VTD_PE_W1_DID_MASK | VTD_PE_W1_PWSNP | VTD_PE_W1_PGSNP | VTD_PE_W1_MT_MASK)
#define PE_W2_DEFINED                                                                          \
	(VTD_PE_W2_SRE | VTD_PE_W2_ERE | VTD_PE_W2_FSPM_MASK | VTD_PE_W2_WPE | VTD_PE_W2_NXE | \
	 VTD_PE_W2_SMEP | VTD_PE_W2_EAFE | VTD_PE_W2_FSPTPTR_MASK)
#define PE_FIRST_RESERVED_WORD 3

#define PE_FLAGS_ALL (VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_SS | VTD_PE_FLAGS_FS)

/* One flag of struct vtd_pasid_entry_config and the bit it sets. */
struct pe_flag_bit {
	uint32_t flag;
	unsigned int word;
	uint64_t bit;
};

static const struct pe_flag_bit pe_flag_bits[] = {
	{ VTD_PE_FLAG_FPD, 0, VTD_PE_W0_FPD },	   { VTD_PE_FLAG_PWSNP, 1, VTD_PE_W1_PWSNP },
	{ VTD_PE_FLAG_PGSNP, 1, VTD_PE_W1_PGSNP }, { VTD_PE_FLAG_SSADE, 0, VTD_PE_W0_SSADE },
	{ VTD_PE_FLAG_SSEE, 0, VTD_PE_W0_SSEE },   { VTD_PE_FLAG_SRE, 2, VTD_PE_W2_SRE },
	{ VTD_PE_FLAG_ERE, 2, VTD_PE_W2_ERE },	   { VTD_PE_FLAG_WPE, 2, VTD_PE_W2_WPE },
	{ VTD_PE_FLAG_NXE, 2, VTD_PE_W2_NXE },	   { VTD_PE_FLAG_SMEP, 2, VTD_PE_W2_SMEP },
	{ VTD_PE_FLAG_EAFE, 2, VTD_PE_W2_EAFE },
};

/* One flag of struct vtd_sm_context_config and the bit it sets. */
struct smce_flag_bit {
	uint32_t flag;
	unsigned int word;
	uint64_t bit;
};

static const struct smce_flag_bit smce_flag_bits[] = {
	{ VTD_SMCE_FLAG_FPD, 0, VTD_SMCE_W0_FPD },
	{ VTD_SMCE_FLAG_DTE, 0, VTD_SMCE_W0_DTE },
	{ VTD_SMCE_FLAG_PASIDE, 0, VTD_SMCE_W0_PASIDE },
	{ VTD_SMCE_FLAG_PRE, 0, VTD_SMCE_W0_PRE },
	{ VTD_SMCE_FLAG_RID_PRIV, 1, VTD_SMCE_W1_RID_PRIV },
};

static bool ptr_aligned(uint64_t ptr)
{
	return (ptr & PTR_ALIGN_MASK) == 0;
}

/* Does @ptr lie below 2^@bits? */
static bool ptr_fits(uint64_t ptr, unsigned int bits)
{
	return bits >= 64 || (ptr >> bits) == 0;
}

/*
 * Set @bit in the word @w of an entry in table memory: nothing written before may move past it
 * (compiler barrier), and it is one 64-bit store. x86 keeps stores in order for the unit.
 */
static void set_present_bit(uint64_t *w, uint64_t bit)
{
	uint64_t v;

	__asm__ volatile("" ::: "memory");
	v = *w | bit;
	WRITE_ONCE(*w, v);
}

unsigned int vtd_aw_width(unsigned int aw)
{
	if (aw < VTD_AW_39 || aw > AW_MAX)
		return 0;
	return AW_BASE_BITS + AW_BITS_PER * aw;
}

unsigned int vtd_aw_levels(unsigned int aw)
{
	if (aw < VTD_AW_39 || aw > AW_MAX)
		return 0;
	return aw + AW_LEVEL_BASE;
}

uint8_t vtd_aw_from_levels(unsigned int levels)
{
	unsigned int aw = levels - AW_LEVEL_BASE;

	return vtd_aw_levels(aw) ? (uint8_t)aw : 0;
}

int vtd_aw_from_width(unsigned int bits)
{
	for (unsigned int aw = VTD_AW_39; aw <= AW_MAX; aw++)
		if (vtd_aw_width(aw) == bits)
			return (int)aw;
	return -ERANGE;
}

int vtd_pdts_for_pasid_bits(unsigned int bits)
{
	if (bits > VTD_PASID_BITS_MAX)
		return -ERANGE;
	return bits > PDTS_PASID_BITS ? (int)(bits - PDTS_PASID_BITS) : 0;
}

bool vtd_aw_supported(const struct vtd_caps *caps, unsigned int aw)
{
	return aw >= VTD_AW_39 && aw <= AW_MAX && (caps->sagaw >> aw & 1);
}

uint8_t vtd_aw_largest(const struct vtd_caps *caps)
{
	for (unsigned int aw = AW_MAX; aw >= VTD_AW_39; aw--)
		if (vtd_aw_supported(caps, aw))
			return (uint8_t)aw;
	return 0;
}

unsigned int vtd_aw_input_width(const struct vtd_caps *caps, unsigned int aw)
{
	unsigned int width = vtd_aw_width(aw);

	return caps->mgaw && caps->mgaw < width ? caps->mgaw : width;
}

/* DID checks every entry that carries one shares (CAP.ND, 11.4.2; CAP.CM, 6.1). */
static int did_validate(uint16_t did, const struct vtd_caps *caps)
{
	if (caps->domain_bits < 16 && did >> caps->domain_bits)
		return -EINVAL;
	if (did == 0 && caps->cm)
		return -EINVAL;
	return 0;
}

/* ---- Root entries ---- */

int vtd_root_entry_encode(uint64_t ctp, struct vtd_root_entry *out)
{
	*out = (struct vtd_root_entry){ 0 };
	if (!ptr_aligned(ctp))
		return -EINVAL;
	out->lo = ctp & VTD_RE_CTP_MASK;
	return 0;
}

void vtd_root_entry_set_present(struct vtd_root_entry *e)
{
	set_present_bit(&e->lo, VTD_RE_P);
}

bool vtd_root_entry_present(const struct vtd_root_entry *e)
{
	return e->lo & VTD_RE_P;
}

uint64_t vtd_root_entry_ctp(const struct vtd_root_entry *e)
{
	return e->lo & VTD_RE_CTP_MASK;
}

int vtd_sm_root_entry_encode(uint64_t lctp, uint64_t uctp, struct vtd_root_entry *out)
{
	*out = (struct vtd_root_entry){ 0 };
	if (!ptr_aligned(lctp) || !ptr_aligned(uctp))
		return -EINVAL;
	out->lo = lctp & VTD_SMRE_LCTP_MASK;
	out->hi = uctp & VTD_SMRE_UCTP_MASK;
	return 0;
}

void vtd_sm_root_entry_set_present(struct vtd_root_entry *e, enum vtd_sm_root_half half)
{
	if (half == VTD_SM_ROOT_UPPER)
		set_present_bit(&e->hi, VTD_SMRE_UP);
	else
		set_present_bit(&e->lo, VTD_SMRE_LP);
}

bool vtd_sm_root_entry_present(const struct vtd_root_entry *e, enum vtd_sm_root_half half)
{
	return half == VTD_SM_ROOT_UPPER ? e->hi & VTD_SMRE_UP : e->lo & VTD_SMRE_LP;
}

uint64_t vtd_sm_root_entry_ctp(const struct vtd_root_entry *e, enum vtd_sm_root_half half)
{
	return half == VTD_SM_ROOT_UPPER ? e->hi & VTD_SMRE_UCTP_MASK : e->lo & VTD_SMRE_LCTP_MASK;
}

/* ---- Legacy context entry ---- */

static int context_shape(const struct vtd_context_config *cfg)
{
	if (cfg->tt != VTD_TT_SS && cfg->tt != VTD_TT_SS_DEVTLB && cfg->tt != VTD_TT_PT)
		return -EINVAL;
	if (cfg->aw < VTD_AW_39 || cfg->aw > AW_MAX)
		return -EINVAL;
	if (!ptr_aligned(cfg->ss_root))
		return -EINVAL;
	if (cfg->tt == VTD_TT_PT && cfg->ss_root)
		return -EINVAL;
	return 0;
}

int vtd_context_entry_encode(const struct vtd_context_config *cfg, struct vtd_context_entry *out)
{
	int err;

	*out = (struct vtd_context_entry){ 0 };
	err = context_shape(cfg);
	if (err)
		return err;
	out->lo = FIELD_PREP(VTD_CE_LO_TT_MASK, cfg->tt) | (cfg->ss_root & VTD_CE_LO_SLPTPTR_MASK) |
		  (cfg->fpd ? VTD_CE_LO_FPD : 0);
	out->hi = FIELD_PREP(VTD_CE_HI_AW_MASK, cfg->aw) | FIELD_PREP(VTD_CE_HI_DID_MASK, cfg->did);
	return 0;
}

int vtd_context_validate(const struct vtd_context_config *cfg, const struct vtd_caps *caps,
			 unsigned int haw)
{
	int err = context_shape(cfg);

	if (err)
		return err;
	if (haw == 0)
		return -EINVAL;
	if (cfg->tt == VTD_TT_SS_DEVTLB && !caps->dt)
		return -EOPNOTSUPP;
	if (cfg->tt == VTD_TT_PT && !caps->pt)
		return -EOPNOTSUPP;
	if (!vtd_aw_supported(caps, cfg->aw))
		return -ERANGE;
	if (cfg->tt == VTD_TT_PT && cfg->aw != vtd_aw_largest(caps))
		return -ERANGE;
	err = did_validate(cfg->did, caps);
	if (err)
		return err;
	if (!ptr_fits(cfg->ss_root, haw))
		return -EINVAL;
	return 0;
}

void vtd_context_entry_set_present(struct vtd_context_entry *e)
{
	set_present_bit(&e->lo, VTD_CE_LO_P);
}

bool vtd_context_entry_present(const struct vtd_context_entry *e)
{
	return e->lo & VTD_CE_LO_P;
}

int vtd_context_entry_decode(const struct vtd_context_entry *e, struct vtd_context_config *cfg)
{
	*cfg = (struct vtd_context_config){
		.tt = (enum vtd_context_tt)FIELD_GET(VTD_CE_LO_TT_MASK, e->lo),
		.did = (uint16_t)FIELD_GET(VTD_CE_HI_DID_MASK, e->hi),
		.aw = (uint8_t)FIELD_GET(VTD_CE_HI_AW_MASK, e->hi),
		.ss_root = e->lo & VTD_CE_LO_SLPTPTR_MASK,
		.fpd = e->lo & VTD_CE_LO_FPD,
	};
	if ((e->lo & ~CE_LO_DEFINED) || (e->hi & ~CE_HI_DEFINED))
		return -EINVAL;
	if (cfg->tt > VTD_TT_PT)
		return -EINVAL;
	return 0;
}

/* ---- Scalable-mode context entry ---- */

static int sm_context_shape(const struct vtd_sm_context_config *cfg)
{
	if (!ptr_aligned(cfg->pasid_dir) || cfg->pdts > VTD_PDTS_MAX)
		return -EINVAL;
	if (cfg->rid_pasid >> VTD_PASID_BITS_MAX)
		return -EINVAL;
	if (vtd_pasid_dir_index(cfg->rid_pasid) >= vtd_pasid_dir_entries(cfg->pdts))
		return -EINVAL;
	if (cfg->flags & ~VTD_SMCE_FLAGS_ALL)
		return -EINVAL;
	return 0;
}

int vtd_sm_context_entry_encode(const struct vtd_sm_context_config *cfg,
				struct vtd_sm_context_entry *out)
{
	int err;

	*out = (struct vtd_sm_context_entry){ 0 };
	err = sm_context_shape(cfg);
	if (err)
		return err;
	out->val[0] = (cfg->pasid_dir & VTD_SMCE_W0_PASIDDIRPTR_MASK) |
		      FIELD_PREP(VTD_SMCE_W0_PDTS_MASK, cfg->pdts);
	out->val[1] = FIELD_PREP(VTD_SMCE_W1_RID_PASID_MASK, cfg->rid_pasid);
	for (unsigned int i = 0; i < ARRAY_SIZE(smce_flag_bits); i++)
		if (cfg->flags & smce_flag_bits[i].flag)
			out->val[smce_flag_bits[i].word] |= smce_flag_bits[i].bit;
	return 0;
}

int vtd_sm_context_validate(const struct vtd_sm_context_config *cfg, const struct vtd_caps *caps,
			    unsigned int haw)
{
	int err = sm_context_shape(cfg);

	if (err)
		return err;
	if (haw == 0)
		return -EINVAL;
	if (!caps->smts)
		return -EOPNOTSUPP;
	if ((cfg->flags & VTD_SMCE_FLAG_DTE) && !caps->dt)
		return -EOPNOTSUPP;
	if ((cfg->flags & VTD_SMCE_FLAG_PRE) && !caps->prs)
		return -EOPNOTSUPP;
	if ((cfg->flags & VTD_SMCE_FLAG_PASIDE) && !caps->pasid)
		return -EOPNOTSUPP;
	if ((cfg->flags & VTD_SMCE_FLAG_RID_PRIV) && !caps->srs)
		return -EOPNOTSUPP;
	if (cfg->rid_pasid && !caps->rps)
		return -EOPNOTSUPP;
	if (caps->pasid_bits < 32 && (uint64_t)cfg->rid_pasid >> caps->pasid_bits)
		return -ERANGE;
	if (!ptr_fits(cfg->pasid_dir, haw))
		return -EINVAL;
	return 0;
}

void vtd_sm_context_entry_set_present(struct vtd_sm_context_entry *e)
{
	set_present_bit(&e->val[0], VTD_SMCE_W0_P);
}

bool vtd_sm_context_entry_present(const struct vtd_sm_context_entry *e)
{
	return e->val[0] & VTD_SMCE_W0_P;
}

int vtd_sm_context_entry_decode(const struct vtd_sm_context_entry *e,
				struct vtd_sm_context_config *cfg)
{
	*cfg = (struct vtd_sm_context_config){
		.pasid_dir = e->val[0] & VTD_SMCE_W0_PASIDDIRPTR_MASK,
		.pdts = (uint8_t)FIELD_GET(VTD_SMCE_W0_PDTS_MASK, e->val[0]),
		.rid_pasid = (uint32_t)FIELD_GET(VTD_SMCE_W1_RID_PASID_MASK, e->val[1]),
	};
	for (unsigned int i = 0; i < ARRAY_SIZE(smce_flag_bits); i++)
		if (e->val[smce_flag_bits[i].word] & smce_flag_bits[i].bit)
			cfg->flags |= smce_flag_bits[i].flag;
	if ((e->val[0] & ~SMCE_W0_DEFINED) || (e->val[1] & ~SMCE_W1_DEFINED) || e->val[2] ||
	    e->val[3])
		return -EINVAL;
	return 0;
}

/* ---- PASID directory entry ---- */

int vtd_pasid_dir_entry_encode(uint64_t table, bool fpd, struct vtd_pasid_dir_entry *out)
{
	*out = (struct vtd_pasid_dir_entry){ 0 };
	if (!ptr_aligned(table))
		return -EINVAL;
	out->val = (table & VTD_PDE_SMPTBLPTR_MASK) | (fpd ? VTD_PDE_FPD : 0);
	return 0;
}

void vtd_pasid_dir_entry_set_present(struct vtd_pasid_dir_entry *e)
{
	set_present_bit(&e->val, VTD_PDE_P);
}

bool vtd_pasid_dir_entry_present(const struct vtd_pasid_dir_entry *e)
{
	return e->val & VTD_PDE_P;
}

bool vtd_pasid_dir_entry_fpd(const struct vtd_pasid_dir_entry *e)
{
	return e->val & VTD_PDE_FPD;
}

uint64_t vtd_pasid_dir_entry_table(const struct vtd_pasid_dir_entry *e)
{
	return e->val & VTD_PDE_SMPTBLPTR_MASK;
}

bool vtd_pasid_dir_entry_reserved(const struct vtd_pasid_dir_entry *e)
{
	return e->val & ~PDE_DEFINED;
}

/* ---- Scalable-mode PASID table entry ---- */

static bool pgtt_has_ss(enum vtd_pgtt pgtt)
{
	return pgtt == VTD_PGTT_SS || pgtt == VTD_PGTT_NESTED;
}

static bool pgtt_has_fs(enum vtd_pgtt pgtt)
{
	return pgtt == VTD_PGTT_FS || pgtt == VTD_PGTT_NESTED;
}

/* What the entry itself can hold, whatever the unit (9.6). */
static int pasid_shape(const struct vtd_pasid_entry_config *cfg)
{
	uint32_t allowed = VTD_PE_FLAGS_COMMON;

	switch (cfg->pgtt) {
	case VTD_PGTT_FS:
	case VTD_PGTT_SS:
	case VTD_PGTT_NESTED:
	case VTD_PGTT_PT:
		break;
	default:
		return -EINVAL;
	}
	if (pgtt_has_ss(cfg->pgtt)) {
		allowed |= VTD_PE_FLAGS_SS;
		if (cfg->aw < VTD_AW_39)
			return -EINVAL;
	} else if (cfg->ss_root) {
		return -EINVAL;
	}
	if (pgtt_has_fs(cfg->pgtt)) {
		allowed |= VTD_PE_FLAGS_FS;
		if (cfg->fs_paging != VTD_FSPM_4LEVEL && cfg->fs_paging != VTD_FSPM_5LEVEL)
			return -EINVAL;
	} else if (cfg->fs_root || cfg->fs_paging != VTD_FSPM_4LEVEL) {
		return -EINVAL;
	}
	if (cfg->aw > AW_MAX)
		return -EINVAL;
	if (!ptr_aligned(cfg->ss_root) || !ptr_aligned(cfg->fs_root))
		return -EINVAL;
	if (cfg->flags & ~allowed)
		return -EINVAL;
	if ((cfg->flags & VTD_PE_FLAG_WPE) && !(cfg->flags & VTD_PE_FLAG_SRE))
		return -EINVAL;
	return 0;
}

/* PGTT, DID, AW and the flags; the fields every PGTT shares. */
static void pasid_encode_common(const struct vtd_pasid_entry_config *cfg,
				struct vtd_pasid_entry *out)
{
	out->val[0] =
		FIELD_PREP(VTD_PE_W0_PGTT_MASK, cfg->pgtt) | FIELD_PREP(VTD_PE_W0_AW_MASK, cfg->aw);
	out->val[1] = FIELD_PREP(VTD_PE_W1_DID_MASK, cfg->did);
	for (unsigned int i = 0; i < ARRAY_SIZE(pe_flag_bits); i++)
		if (cfg->flags & pe_flag_bits[i].flag)
			out->val[pe_flag_bits[i].word] |= pe_flag_bits[i].bit;
}

static void pasid_encode_ss(const struct vtd_pasid_entry_config *cfg, struct vtd_pasid_entry *out)
{
	out->val[0] |= cfg->ss_root & VTD_PE_W0_SSPTPTR_MASK;
}

static void pasid_encode_fs(const struct vtd_pasid_entry_config *cfg, struct vtd_pasid_entry *out)
{
	out->val[2] |= (cfg->fs_root & VTD_PE_W2_FSPTPTR_MASK) |
		       FIELD_PREP(VTD_PE_W2_FSPM_MASK, cfg->fs_paging);
}

int vtd_pasid_entry_encode(const struct vtd_pasid_entry_config *cfg, struct vtd_pasid_entry *out)
{
	int err;

	*out = (struct vtd_pasid_entry){ 0 };
	err = pasid_shape(cfg);
	if (err)
		return err;
	switch (cfg->pgtt) {
	case VTD_PGTT_FS:
		pasid_encode_common(cfg, out);
		pasid_encode_fs(cfg, out);
		return 0;
	case VTD_PGTT_SS:
		pasid_encode_common(cfg, out);
		pasid_encode_ss(cfg, out);
		return 0;
	case VTD_PGTT_NESTED: /* both stages: SS is the nesting parent, FS walks guest physical */
		pasid_encode_common(cfg, out);
		pasid_encode_ss(cfg, out);
		pasid_encode_fs(cfg, out);
		return 0;
	case VTD_PGTT_PT:
		pasid_encode_common(cfg, out);
		return 0;
	}
	return -EINVAL; /* not reached: pasid_shape() refused any other PGTT */
}

bool vtd_pgtt_supported(const struct vtd_caps *caps, enum vtd_pgtt pgtt)
{
	switch (pgtt) {
	case VTD_PGTT_FS:
		return caps->fsts;
	case VTD_PGTT_SS:
		return caps->ssts;
	case VTD_PGTT_NESTED:
		return caps->nest && caps->fsts && caps->ssts;
	case VTD_PGTT_PT:
		return caps->pt;
	}
	return false;
}

/* The flags of struct vtd_pasid_entry_config the unit implements (ECAP, 11.4.3). */
static uint32_t pasid_flags_supported(const struct vtd_caps *caps)
{
	uint32_t ok = VTD_PE_FLAG_FPD | VTD_PE_FLAG_NXE;

	if (caps->smpwc)
		ok |= VTD_PE_FLAG_PWSNP;
	if (caps->sc)
		ok |= VTD_PE_FLAG_PGSNP;
	if (VTD_ECAP_SSADS(caps->ecap))
		ok |= VTD_PE_FLAG_SSADE;
	if (caps->srs)
		ok |= VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE;
	if (caps->ers)
		ok |= VTD_PE_FLAG_SSEE | VTD_PE_FLAG_ERE | VTD_PE_FLAG_SMEP;
	if (caps->eafs)
		ok |= VTD_PE_FLAG_EAFE;
	return ok;
}

int vtd_pasid_entry_validate(const struct vtd_pasid_entry_config *cfg, const struct vtd_caps *caps,
			     unsigned int haw)
{
	int err = pasid_shape(cfg);

	if (err)
		return err;
	if (haw == 0)
		return -EINVAL;
	if (!caps->smts || !vtd_pgtt_supported(caps, cfg->pgtt))
		return -EOPNOTSUPP;
	if (cfg->flags & ~pasid_flags_supported(caps))
		return -EOPNOTSUPP;
	if (cfg->aw && !vtd_aw_supported(caps, cfg->aw))
		return -ERANGE;
	if (pgtt_has_fs(cfg->pgtt) && cfg->fs_paging == VTD_FSPM_5LEVEL && !caps->fs5lp)
		return -ERANGE;
	err = did_validate(cfg->did, caps);
	if (err)
		return err;
	if (pgtt_has_ss(cfg->pgtt) && !ptr_fits(cfg->ss_root, haw))
		return -EINVAL;
	if (cfg->pgtt == VTD_PGTT_FS && !ptr_fits(cfg->fs_root, haw))
		return -EINVAL;
	if (cfg->pgtt == VTD_PGTT_NESTED && !ptr_fits(cfg->fs_root, vtd_aw_width(cfg->aw)))
		return -EINVAL;
	return 0;
}

void vtd_pasid_entry_set_present(struct vtd_pasid_entry *e)
{
	set_present_bit(&e->val[0], VTD_PE_W0_P);
}

bool vtd_pasid_entry_present(const struct vtd_pasid_entry *e)
{
	return e->val[0] & VTD_PE_W0_P;
}

unsigned int vtd_pasid_entry_pgtt(const struct vtd_pasid_entry *e)
{
	return (unsigned int)FIELD_GET(VTD_PE_W0_PGTT_MASK, e->val[0]);
}

uint16_t vtd_pasid_entry_did(const struct vtd_pasid_entry *e)
{
	return (uint16_t)FIELD_GET(VTD_PE_W1_DID_MASK, e->val[1]);
}

uint64_t vtd_pasid_entry_ss_root(const struct vtd_pasid_entry *e)
{
	return e->val[0] & VTD_PE_W0_SSPTPTR_MASK;
}

uint64_t vtd_pasid_entry_fs_root(const struct vtd_pasid_entry *e)
{
	return e->val[2] & VTD_PE_W2_FSPTPTR_MASK;
}

int vtd_pasid_entry_decode(const struct vtd_pasid_entry *e, struct vtd_pasid_entry_config *cfg)
{
	unsigned int pgtt = vtd_pasid_entry_pgtt(e);
	unsigned int fspm = (unsigned int)FIELD_GET(VTD_PE_W2_FSPM_MASK, e->val[2]);

	*cfg = (struct vtd_pasid_entry_config){
		.pgtt = (enum vtd_pgtt)pgtt,
		.did = vtd_pasid_entry_did(e),
		.aw = (uint8_t)FIELD_GET(VTD_PE_W0_AW_MASK, e->val[0]),
		.ss_root = vtd_pasid_entry_ss_root(e),
		.fs_root = vtd_pasid_entry_fs_root(e),
		.fs_paging = (enum vtd_fspm)fspm,
	};
	for (unsigned int i = 0; i < ARRAY_SIZE(pe_flag_bits); i++)
		if (e->val[pe_flag_bits[i].word] & pe_flag_bits[i].bit)
			cfg->flags |= pe_flag_bits[i].flag;

	if ((e->val[0] & ~PE_W0_DEFINED) || (e->val[1] & ~PE_W1_DEFINED) ||
	    (e->val[2] & ~PE_W2_DEFINED))
		return -EINVAL;
	for (unsigned int i = PE_FIRST_RESERVED_WORD; i < ARRAY_SIZE(e->val); i++)
		if (e->val[i])
			return -EINVAL;
	if (pgtt < VTD_PGTT_FS || pgtt > VTD_PGTT_PT || fspm > VTD_FSPM_5LEVEL)
		return -EINVAL;
	if (e->val[1] & VTD_PE_W1_MT_MASK)
		return -EOPNOTSUPP;
	return 0;
}
