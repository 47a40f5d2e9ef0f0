// SPDX-License-Identifier: MIT
/* VT-d structures in a fake physical memory for host tests: see vtd_fixture.h. */
#include "tests/unit/vtd_fixture.h"

#include <stdarg.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#define PAGE_BYTES	      4096ull
#define PAGE_WORDS	      512u
#define PTE_INDEX_MASK	      0x1ffull
#define ROOT_ENTRY_BYTES      16ull /* 9.1, 9.2 */
#define CONTEXT_BYTES	      16ull /* 9.3 */
#define SM_CONTEXT_BYTES      32ull /* 9.4 */
#define PASID_DIR_ENTRY_BYTES 8ull  /* 9.5 */
#define PASID_ENTRY_BYTES     64ull /* 9.6 */

static uint64_t arena[VTD_FX_PAGES * PAGE_WORDS] __attribute__((aligned(4096)));
static unsigned int next_page;

void vtd_fx_reset(void)
{
	next_page = 0;
	memset(arena, 0, sizeof(arena));
}

const uint64_t *vtd_fx_table(void *arg, uint64_t pa, size_t bytes)
{
	(void)arg;
	if (pa < VTD_FX_BASE || pa + bytes > VTD_FX_BASE + sizeof(arena) || pa + bytes < pa)
		return NULL;
	return &arena[(pa - VTD_FX_BASE) / sizeof(arena[0])];
}

bool vtd_fx_owned(void *arg, uint64_t pa, uint64_t size)
{
	return vtd_fx_table(arg, pa, size) != NULL;
}

uint64_t *vtd_fx_at(uint64_t pa)
{
	assert_true(pa >= VTD_FX_BASE && pa < VTD_FX_BASE + sizeof(arena));
	return &arena[(pa - VTD_FX_BASE) / sizeof(arena[0])];
}

uint64_t vtd_fx_alloc_page(void)
{
	uint64_t pa;

	assert_true(next_page < VTD_FX_PAGES);
	pa = VTD_FX_BASE + next_page++ * PAGE_BYTES;
	memset(vtd_fx_at(pa), 0, PAGE_BYTES);
	return pa;
}

unsigned int vtd_fx_index(uint64_t iova, unsigned int level)
{
	return (unsigned int)((iova >> vtd_level_shift(level)) & PTE_INDEX_MASK);
}

void vtd_fx_map(enum vtd_fx_fmt f, uint64_t root, unsigned int levels, uint64_t iova,
		unsigned int leaf_level, uint64_t leaf)
{
	uint64_t table = root;

	for (unsigned int l = levels; l > leaf_level; l--) {
		uint64_t *e = &vtd_fx_at(table)[vtd_fx_index(iova, l)];

		if (!(*e & (f == VTD_FX_SS ? SS_RW : FS_P)))
			*e = vtd_fx_alloc_page() | (f == VTD_FX_SS ? SS_RW : FS_PRU);
		table = *e & ADDR;
	}
	vtd_fx_at(table)[vtd_fx_index(iova, leaf_level)] = leaf;
}

uint64_t vtd_fx_table_at(uint64_t root, unsigned int levels, uint64_t iova, unsigned int level)
{
	uint64_t table = root;

	for (unsigned int l = levels; l > level; l--)
		table = vtd_fx_at(table)[vtd_fx_index(iova, l)] & ADDR;
	return table;
}

uint64_t *vtd_fx_entry_at(uint64_t root, unsigned int levels, uint64_t iova, unsigned int level)
{
	return &vtd_fx_at(vtd_fx_table_at(root, levels, iova, level))[vtd_fx_index(iova, level)];
}

void vtd_fx_legacy_dev(uint64_t root, uint8_t bus, uint8_t devfn,
		       const struct vtd_context_config *cfg)
{
	struct vtd_root_entry *re =
		(struct vtd_root_entry *)vtd_fx_at(root + bus * ROOT_ENTRY_BYTES);
	struct vtd_context_entry *ce;

	if (!vtd_root_entry_present(re)) {
		struct vtd_root_entry tmp;

		assert_int_equal(vtd_root_entry_encode(vtd_fx_alloc_page(), &tmp), 0);
		*re = tmp;
		vtd_root_entry_set_present(re);
	}
	ce = (struct vtd_context_entry *)vtd_fx_at(vtd_root_entry_ctp(re) +
						   vtd_context_index(devfn) * CONTEXT_BYTES);
	assert_int_equal(vtd_context_entry_encode(cfg, ce), 0);
	vtd_context_entry_set_present(ce);
}

void vtd_fx_sm_dev(uint64_t root, uint8_t bus, uint8_t devfn,
		   const struct vtd_sm_context_config *cfg)
{
	struct vtd_root_entry *re =
		(struct vtd_root_entry *)vtd_fx_at(root + bus * ROOT_ENTRY_BYTES);
	enum vtd_sm_root_half half = vtd_sm_root_half(devfn);
	struct vtd_sm_context_entry *ce;

	if (!vtd_sm_root_entry_present(re, half)) {
		bool lp = vtd_sm_root_entry_present(re, VTD_SM_ROOT_LOWER);
		bool up = vtd_sm_root_entry_present(re, VTD_SM_ROOT_UPPER);
		uint64_t ct = vtd_fx_alloc_page();
		uint64_t lctp = half == VTD_SM_ROOT_LOWER ?
					ct :
					vtd_sm_root_entry_ctp(re, VTD_SM_ROOT_LOWER);
		uint64_t uctp = half == VTD_SM_ROOT_UPPER ?
					ct :
					vtd_sm_root_entry_ctp(re, VTD_SM_ROOT_UPPER);
		struct vtd_root_entry tmp;

		assert_int_equal(vtd_sm_root_entry_encode(lctp, uctp, &tmp), 0);
		*re = tmp;
		if (lp || half == VTD_SM_ROOT_LOWER)
			vtd_sm_root_entry_set_present(re, VTD_SM_ROOT_LOWER);
		if (up || half == VTD_SM_ROOT_UPPER)
			vtd_sm_root_entry_set_present(re, VTD_SM_ROOT_UPPER);
	}
	ce = (struct vtd_sm_context_entry *)vtd_fx_at(
		vtd_sm_root_entry_ctp(re, half) + vtd_sm_context_index(devfn) * SM_CONTEXT_BYTES);
	assert_int_equal(vtd_sm_context_entry_encode(cfg, ce), 0);
	vtd_sm_context_entry_set_present(ce);
}

struct vtd_pasid_entry *vtd_fx_pasid_slot(uint64_t dir, uint32_t pasid)
{
	struct vtd_pasid_dir_entry *de = (struct vtd_pasid_dir_entry *)vtd_fx_at(
		dir + vtd_pasid_dir_index(pasid) * PASID_DIR_ENTRY_BYTES);

	if (!vtd_pasid_dir_entry_present(de)) {
		struct vtd_pasid_dir_entry tmp;

		assert_int_equal(vtd_pasid_dir_entry_encode(vtd_fx_alloc_page(), false, &tmp), 0);
		*de = tmp;
		vtd_pasid_dir_entry_set_present(de);
	}
	return (struct vtd_pasid_entry *)vtd_fx_at(
		vtd_pasid_dir_entry_table(de) + vtd_pasid_table_index(pasid) * PASID_ENTRY_BYTES);
}

void vtd_fx_pasid(uint64_t dir, uint32_t pasid, const struct vtd_pasid_entry_config *cfg)
{
	struct vtd_pasid_entry *pe = vtd_fx_pasid_slot(dir, pasid);

	assert_int_equal(vtd_pasid_entry_encode(cfg, pe), 0);
	vtd_pasid_entry_set_present(pe);
}
