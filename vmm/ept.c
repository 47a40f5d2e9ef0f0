// SPDX-License-Identifier: MIT
/* EPT entries and the EPT pointer (Intel SDM vol. 3C 29.3, 25.6.11); see ept.h. */
#include "vmm/ept.h"

#include <errno.h>

#include "kernel/mm/pgtable.h"
#include "vmm/cpu_view.h"

const struct pgt_format ept_pgt_format = {
	.page_shift = EPT_PAGE_SHIFT,
	.index_bits = EPT_INDEX_BITS,
	.addr_mask = EPT_ADDR_MASK,
	.present = EPT_RWX,
	.type_mask = EPT_PS,
	.block = EPT_PS,
	.page = 0,
	.split_keep = EPT_RWX | EPT_MT_MASK | EPT_IPAT,
};

static bool memtype_valid(unsigned int mt)
{
	return mt == EPT_MT_UC || mt == EPT_MT_WC || mt == EPT_MT_WT || mt == EPT_MT_WP ||
	       mt == EPT_MT_WB;
}

/* The address bits a leaf at @level keeps; 0 for a level that cannot hold a leaf. */
static uint64_t leaf_addr_mask(unsigned int level)
{
	switch (level) {
	case EPT_LEVEL_4K:
		return EPT_ADDR_MASK;
	case EPT_LEVEL_2M:
		return EPT_ADDR_2M_MASK;
	case EPT_LEVEL_1G:
		return EPT_ADDR_1G_MASK;
	default:
		return 0;
	}
}

int ept_leaf(unsigned int level, uint64_t hpa, uint32_t perms, unsigned int memtype, bool ipat,
	     uint64_t *pte)
{
	uint64_t mask = leaf_addr_mask(level), e;

	if (!mask || (hpa & ~mask) || (perms & ~CPU_PERM_ALL) || !(perms & CPU_PERM_R) ||
	    !memtype_valid(memtype))
		return -EINVAL;
	e = hpa | EPT_R | ((perms & CPU_PERM_W) ? EPT_W : 0) | ((perms & CPU_PERM_X) ? EPT_X : 0) |
	    (((uint64_t)memtype << EPT_MT_SHIFT) & EPT_MT_MASK) | (ipat ? EPT_IPAT : 0);
	if (level != EPT_LEVEL_4K)
		e |= EPT_PS;
	*pte = e;
	return 0;
}

int ept_table(uint64_t table_pa, uint64_t *pte)
{
	if (table_pa & ~EPT_ADDR_MASK)
		return -EINVAL;
	*pte = table_pa | EPT_RWX;
	return 0;
}

int ept_eptp(uint64_t pml4_pa, unsigned int memtype, bool ad, uint64_t cap, uint64_t *eptp)
{
	if (pml4_pa & ~EPTP_ADDR_MASK || (memtype != EPT_MT_UC && memtype != EPT_MT_WB))
		return -EINVAL;
	if (!(cap & EPT_CAP_PWL4) || (ad && !(cap & EPT_CAP_AD)) ||
	    !(cap & (memtype == EPT_MT_WB ? EPT_CAP_WB : EPT_CAP_UC)))
		return -EOPNOTSUPP;
	*eptp = pml4_pa | (((uint64_t)memtype << EPTP_MT_SHIFT) & EPTP_MT_MASK) |
		(((uint64_t)(EPT_LEVELS - 1) << EPTP_PWL_SHIFT) & EPTP_PWL_MASK) |
		(ad ? EPTP_AD : 0);
	return 0;
}

bool ept_present(uint64_t e)
{
	return e & EPT_RWX;
}

bool ept_is_leaf(uint64_t e, unsigned int level)
{
	return level == EPT_LEVEL_4K ||
	       ((level == EPT_LEVEL_2M || level == EPT_LEVEL_1G) && (e & EPT_PS));
}

uint64_t ept_addr(uint64_t e, unsigned int level)
{
	if (!ept_is_leaf(e, level))
		return e & EPT_ADDR_MASK;
	return e & leaf_addr_mask(level);
}

uint32_t ept_perms(uint64_t e)
{
	return ((e & EPT_R) ? CPU_PERM_R : 0) | ((e & EPT_W) ? CPU_PERM_W : 0) |
	       ((e & EPT_X) ? CPU_PERM_X : 0);
}

unsigned int ept_memtype(uint64_t e)
{
	return (unsigned int)((e & EPT_MT_MASK) >> EPT_MT_SHIFT);
}
