/* SPDX-License-Identifier: MIT */
/*
 * A host arena of 4 KiB pages with made-up "physical" addresses (@base + 4 KiB x index), for
 * tests of page-table code that reaches table memory only through callbacks (IOMMU and CPU
 * page tables). Code under test can reach only allocated pages: anything else fails the test.
 * Allocations are counted, the Nth can be made to fail, freed pages are poisoned, and pages come
 * out in ascending address order after fake_pages_rewind().
 */
#ifndef SKIFF_TESTS_UNIT_FAKE_PAGES_H
#define SKIFF_TESTS_UNIT_FAKE_PAGES_H

#include <stdint.h>

#define FAKE_PAGE_SIZE	 4096ull
#define FAKE_PAGE_WORDS	 (FAKE_PAGE_SIZE / sizeof(uint64_t))
#define FAKE_PAGE_POISON 0xa5a5a5a5a5a5a5a5ull

struct fake_pages {
	uint64_t base; /* "physical" address of page 0 */
	unsigned int npages;
	uint64_t *mem;	     /* npages pages */
	uint8_t *used;	     /* per page: allocated */
	unsigned int *stack; /* free pages, the next one on top */
	unsigned int top;
	uint64_t allocs;  /* fake_pages_alloc() calls */
	uint64_t in_use;  /* pages allocated and not freed */
	uint64_t fail_at; /* fake_pages_alloc() call number (1-based) that fails; 0: none */
};

/* fake_pages_init - @npages free pages at "physical" @base (4 KiB aligned). 0 or -1 (OOM). */
int fake_pages_init(struct fake_pages *f, uint64_t base, unsigned int npages);

/* fake_pages_fini - free the host memory. */
void fake_pages_fini(struct fake_pages *f);

/* fake_pages_rewind - with nothing allocated, hand pages out from @base upwards again. */
void fake_pages_rewind(struct fake_pages *f);

/* fake_pages_index - the page index of @pa, which must be an allocated page (else fail). */
unsigned int fake_pages_index(const struct fake_pages *f, uint64_t pa);

/* fake_pages_alloc - a zeroed page: 0 and @pa, or -ENOMEM for the call numbered @fail_at. */
int fake_pages_alloc(struct fake_pages *f, uint64_t *pa);

/* fake_pages_free - give back the allocated page @pa; its words are poisoned. */
void fake_pages_free(struct fake_pages *f, uint64_t pa);

/* fake_pages_at - where the allocated page @pa is on the host. */
uint64_t *fake_pages_at(const struct fake_pages *f, uint64_t pa);

/*
 * The three above as page-table callbacks (alloc_table, free_table, table of struct pgt_ops and
 * its likes), with @ctx the struct fake_pages.
 */
int fake_pages_alloc_cb(void *ctx, uint64_t *pa);
void fake_pages_free_cb(void *ctx, uint64_t pa);
uint64_t *fake_pages_at_cb(void *ctx, uint64_t pa);

#endif
