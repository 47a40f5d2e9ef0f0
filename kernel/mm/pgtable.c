// SPDX-License-Identifier: MIT
/*
 * The generic instance of the page-table engine (kernel/mm/pgtable_engine.h): the format is
 * read from each table, so one copy of the code serves every format. See pgtable.h.
 */
#include "kernel/mm/pgtable.h"

#define PGT_FMT(t)   ((t)->fmt)
#define PGT_FN(name) generic_##name
#include "kernel/mm/pgtable_engine.h"

int pgt_alloc_root(struct pgt *t)
{
	return generic_alloc_root(t);
}

void pgt_destroy(struct pgt *t)
{
	generic_destroy(t);
}

int pgt_map(struct pgt *t, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs,
	    struct pgt_gather *g)
{
	return generic_map(t, va, pa, size, attrs, g);
}

int64_t pgt_unmap(struct pgt *t, uint64_t va, uint64_t size, struct pgt_gather *g)
{
	return generic_unmap(t, va, size, g);
}

int pgt_lookup(const struct pgt *t, uint64_t va, struct pgt_leaf *out)
{
	return generic_lookup(t, va, out);
}

void pgt_free_chain(const struct pgt *t, uint64_t head, uint64_t n)
{
	generic_free_chain(t, head, n);
}
