// SPDX-License-Identifier: MIT
#include "kernel/mm/pmm.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BITS_PER_WORD 64u

static bool frame_used(const struct pmm_zone *z, uint64_t i)
{
	return z->bitmap[i / BITS_PER_WORD] >> (i % BITS_PER_WORD) & 1;
}

static void frame_set(struct pmm_zone *z, uint64_t i, bool used)
{
	uint64_t bit = 1ull << (i % BITS_PER_WORD);

	if (used)
		z->bitmap[i / BITS_PER_WORD] |= bit;
	else
		z->bitmap[i / BITS_PER_WORD] &= ~bit;
}

/* Frame numbers, not addresses: a range may end exactly at 2^64, and no sum here can wrap. */
static uint64_t pfn_of(uint64_t addr)
{
	return addr / PMM_FRAME_SIZE;
}

int pmm_add_range(struct pmm *p, uint64_t base, uint64_t size)
{
	uint64_t last, first_pfn, end_pfn, frames;
	struct pmm_zone *z;

	if (size == 0)
		return 0;
	if (base > UINT64_MAX - (size - 1))
		return -EINVAL;
	last = base + (size - 1);
	first_pfn = pfn_of(base) + (base % PMM_FRAME_SIZE != 0);
	end_pfn = pfn_of(last) + (last % PMM_FRAME_SIZE == PMM_FRAME_SIZE - 1);
	if (end_pfn <= first_pfn)
		return 0;
	frames = end_pfn - first_pfn;
	for (unsigned int i = 0; i < p->nr_zones; i++) {
		const struct pmm_zone *o = &p->zones[i];
		uint64_t o_pfn = pfn_of(o->base);

		if (first_pfn < o_pfn + o->frames && o_pfn < end_pfn)
			return -EEXIST;
	}
	if (p->nr_zones == PMM_MAX_ZONES)
		return -ENOSPC;
	z = &p->zones[p->nr_zones];
	z->bitmap = calloc((frames + BITS_PER_WORD - 1) / BITS_PER_WORD, sizeof(uint64_t));
	if (!z->bitmap)
		return -ENOMEM;
	z->base = first_pfn * PMM_FRAME_SIZE;
	z->frames = frames;
	z->free = frames;
	p->nr_zones++;
	p->total_frames += frames;
	p->free_frames += frames;
	return 0;
}

int pmm_add_range_except(struct pmm *p, uint64_t base, uint64_t size,
			 const struct phys_range *holes, size_t nr_holes)
{
	uint64_t last = base + size - 1;

	if (size == 0)
		return 0;
	if (base > UINT64_MAX - (size - 1))
		return -EINVAL;
	for (size_t i = 0; i < nr_holes; i++) {
		uint64_t hb = holes[i].base, hlast = holes[i].base + holes[i].size - 1;
		int err;

		if (holes[i].size == 0 || hlast < base || hb > last)
			continue;
		/* The part below the hole is checked against the remaining holes... */
		if (hb > base) {
			err = pmm_add_range_except(p, base, hb - base, holes + i + 1,
						   nr_holes - i - 1);
			if (err)
				return err;
		}
		/* ...and the part above it against all of them. */
		return hlast < last ?
			       pmm_add_range_except(p, hlast + 1, last - hlast, holes, nr_holes) :
			       0;
	}
	return pmm_add_range(p, base, size);
}

static bool run_free(const struct pmm_zone *z, uint64_t first, uint64_t frames)
{
	for (uint64_t i = first; i < first + frames; i++)
		if (frame_used(z, i))
			return false;
	return true;
}

int pmm_alloc(struct pmm *p, uint64_t frames, uint64_t align_frames, uint64_t *pa)
{
	if (frames == 0 || align_frames == 0 || (align_frames & (align_frames - 1)))
		return -EINVAL;
	for (unsigned int zi = 0; zi < p->nr_zones; zi++) {
		struct pmm_zone *z = &p->zones[zi];
		uint64_t pfn = pfn_of(z->base);
		uint64_t i = (align_frames - pfn % align_frames) % align_frames;

		if (z->free < frames)
			continue;
		for (; i + frames <= z->frames; i += align_frames) {
			if (!run_free(z, i, frames))
				continue;
			for (uint64_t k = i; k < i + frames; k++)
				frame_set(z, k, true);
			z->free -= frames;
			p->free_frames -= frames;
			*pa = z->base + i * PMM_FRAME_SIZE;
			return 0;
		}
	}
	return -ENOMEM;
}

int pmm_free(struct pmm *p, uint64_t pa, uint64_t frames)
{
	if (pa % PMM_FRAME_SIZE || frames == 0)
		return -EINVAL;
	for (unsigned int zi = 0; zi < p->nr_zones; zi++) {
		struct pmm_zone *z = &p->zones[zi];
		uint64_t i;

		if (pa < z->base || pfn_of(pa) - pfn_of(z->base) >= z->frames)
			continue;
		i = pfn_of(pa) - pfn_of(z->base);
		if (frames > z->frames - i)
			return -EINVAL;
		for (uint64_t k = i; k < i + frames; k++)
			if (!frame_used(z, k))
				return -EINVAL;
		for (uint64_t k = i; k < i + frames; k++)
			frame_set(z, k, false);
		z->free += frames;
		p->free_frames += frames;
		return 0;
	}
	return -EINVAL;
}

bool pmm_is_allocated(const struct pmm *p, uint64_t pa, uint64_t frames)
{
	if (pa % PMM_FRAME_SIZE || frames == 0)
		return false;
	for (unsigned int zi = 0; zi < p->nr_zones; zi++) {
		const struct pmm_zone *z = &p->zones[zi];
		uint64_t i = pfn_of(pa) - pfn_of(z->base);

		if (pa < z->base || i >= z->frames || frames > z->frames - i)
			continue;
		for (uint64_t k = i; k < i + frames; k++)
			if (!frame_used(z, k))
				return false;
		return true;
	}
	return false;
}

void pmm_release(struct pmm *p)
{
	for (unsigned int i = 0; i < p->nr_zones; i++)
		free(p->zones[i].bitmap);
	memset(p, 0, sizeof(*p));
}
