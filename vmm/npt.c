// SPDX-License-Identifier: MIT
/* AMD nested page-table entries and nCR3 (AMD APM vol. 2 15.25, 5.4); see npt.h. */
#include "vmm/npt.h"

#include <errno.h>

#include "kernel/mm/pgtable.h"
#include "vmm/cpu_view.h"

const struct pgt_format npt_pgt_format = {
	.page_shift = NPT_PAGE_SHIFT,
	.index_bits = NPT_INDEX_BITS,
	.addr_mask = NPT_ADDR_MASK,
	.present = NPT_P,
	.type_mask = NPT_PS,
	.block = NPT_PS,
	.page = 0,
	.split_keep = NPT_P | NPT_RW | NPT_US | NPT_PWT | NPT_PCD | NPT_NX,
};

/* The reset PAT (APM vol. 2 7.8.2), indexed by PCD * 2 + PWT (PAT bit 0). */
static const unsigned int reset_pat[4] = { CPU_MT_WB, CPU_MT_WT, CPU_MT_UC_MINUS, CPU_MT_UC };

static uint64_t leaf_addr_mask(unsigned int level)
{
	switch (level) {
	case NPT_LEVEL_4K:
		return NPT_ADDR_MASK;
	case NPT_LEVEL_2M:
		return NPT_ADDR_2M_MASK;
	case NPT_LEVEL_1G:
		return NPT_ADDR_1G_MASK;
	default:
		return 0;
	}
}

int npt_leaf(unsigned int level, uint64_t hpa, uint32_t perms, unsigned int memtype, uint64_t *pte)
{
	uint64_t mask = leaf_addr_mask(level), e;

	if (!mask || (hpa & ~mask) || (perms & ~CPU_PERM_ALL) || !(perms & CPU_PERM_R) ||
	    (memtype != CPU_MT_WB && memtype != CPU_MT_UC))
		return -EINVAL;
	e = hpa | NPT_P | NPT_US | ((perms & CPU_PERM_W) ? NPT_RW : 0) |
	    ((perms & CPU_PERM_X) ? 0 : NPT_NX) | (memtype == CPU_MT_UC ? NPT_CACHE_MASK : 0);
	if (level != NPT_LEVEL_4K)
		e |= NPT_PS;
	*pte = e;
	return 0;
}

int npt_table(uint64_t table_pa, uint64_t *pte)
{
	if (table_pa & ~NPT_ADDR_MASK)
		return -EINVAL;
	*pte = table_pa | NPT_P | NPT_RW | NPT_US;
	return 0;
}

int npt_ncr3(uint64_t pml4_pa, uint64_t *ncr3)
{
	if (pml4_pa & ~NPT_NCR3_ADDR_MASK)
		return -EINVAL;
	*ncr3 = pml4_pa;
	return 0;
}

bool npt_present(uint64_t e)
{
	return e & NPT_P;
}

bool npt_is_leaf(uint64_t e, unsigned int level)
{
	return level == NPT_LEVEL_4K ||
	       ((level == NPT_LEVEL_2M || level == NPT_LEVEL_1G) && (e & NPT_PS));
}

uint64_t npt_addr(uint64_t e, unsigned int level)
{
	if (!npt_is_leaf(e, level))
		return e & NPT_ADDR_MASK;
	return e & leaf_addr_mask(level);
}

uint32_t npt_perms(uint64_t e)
{
	return CPU_PERM_R | ((e & NPT_RW) ? CPU_PERM_W : 0) | ((e & NPT_NX) ? 0 : CPU_PERM_X);
}

unsigned int npt_memtype(uint64_t e)
{
	unsigned int idx = ((e & NPT_PCD) ? 2u : 0u) | ((e & NPT_PWT) ? 1u : 0u);

	return reset_pat[idx];
}
