// SPDX-License-Identifier: MIT
/* A host arena of fake physical pages for page-table tests: see fake_pages.h. */
#include "tests/unit/fake_pages.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

int fake_pages_init(struct fake_pages *f, uint64_t base, unsigned int npages)
{
	memset(f, 0, sizeof(*f));
	f->base = base;
	f->npages = npages;
	f->mem = aligned_alloc(FAKE_PAGE_SIZE, (uint64_t)npages * FAKE_PAGE_SIZE);
	f->used = calloc(npages, 1);
	f->stack = calloc(npages, sizeof(*f->stack));
	if (!f->mem || !f->used || !f->stack)
		return -1;
	fake_pages_rewind(f);
	return 0;
}

void fake_pages_fini(struct fake_pages *f)
{
	free(f->mem);
	free(f->used);
	free(f->stack);
	memset(f, 0, sizeof(*f));
}

void fake_pages_rewind(struct fake_pages *f)
{
	assert_int_equal(f->in_use, 0);
	f->top = 0;
	for (unsigned int i = 0; i < f->npages; i++)
		f->stack[f->top++] = f->npages - 1 - i;
}

unsigned int fake_pages_index(const struct fake_pages *f, uint64_t pa)
{
	uint64_t n;

	if (pa < f->base || (pa - f->base) % FAKE_PAGE_SIZE ||
	    (pa - f->base) / FAKE_PAGE_SIZE >= f->npages)
		fail_msg("%#" PRIx64 " is not an arena page", pa);
	n = (pa - f->base) / FAKE_PAGE_SIZE;
	if (!f->used[n])
		fail_msg("%#" PRIx64 " is not allocated", pa);
	return (unsigned int)n;
}

int fake_pages_alloc(struct fake_pages *f, uint64_t *pa)
{
	unsigned int n;

	if (++f->allocs == f->fail_at)
		return -ENOMEM;
	assert_true(f->top > 0);
	n = f->stack[--f->top];
	assert_false(f->used[n]);
	f->used[n] = 1;
	f->in_use++;
	memset(f->mem + (uint64_t)n * FAKE_PAGE_WORDS, 0, FAKE_PAGE_SIZE);
	*pa = f->base + (uint64_t)n * FAKE_PAGE_SIZE;
	return 0;
}

void fake_pages_free(struct fake_pages *f, uint64_t pa)
{
	unsigned int n = fake_pages_index(f, pa);
	uint64_t *t = f->mem + (uint64_t)n * FAKE_PAGE_WORDS;

	for (unsigned int i = 0; i < FAKE_PAGE_WORDS; i++)
		t[i] = FAKE_PAGE_POISON;
	f->used[n] = 0;
	f->in_use--;
	f->stack[f->top++] = n;
}

uint64_t *fake_pages_at(const struct fake_pages *f, uint64_t pa)
{
	return f->mem + (uint64_t)fake_pages_index(f, pa) * FAKE_PAGE_WORDS;
}

int fake_pages_alloc_cb(void *ctx, uint64_t *pa)
{
	return fake_pages_alloc(ctx, pa);
}

void fake_pages_free_cb(void *ctx, uint64_t pa)
{
	fake_pages_free(ctx, pa);
}

uint64_t *fake_pages_at_cb(void *ctx, uint64_t pa)
{
	return fake_pages_at(ctx, pa);
}
