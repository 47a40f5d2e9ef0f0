// SPDX-License-Identifier: MIT
/* A VM's guest-physical memory map: the rules are in gmem.h. */
#include "vmm/gmem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel/arch/x86/msi.h"

static const char *const kind_names[GMEM_NR_KINDS] = {
	[GMEM_RAM] = "RAM",
	[GMEM_ROM] = "ROM",
	[GMEM_MMIO_PASSTHRU] = "passthrough MMIO",
	[GMEM_MMIO_EMULATED] = "emulated MMIO",
	[GMEM_MSI] = "MSI window",
};

const char *gmem_kind_name(enum gmem_kind kind)
{
	return (unsigned int)kind < GMEM_NR_KINDS ? kind_names[kind] : "unknown";
}

bool gmem_is_backed(enum gmem_kind kind)
{
	return kind == GMEM_RAM || kind == GMEM_ROM || kind == GMEM_MMIO_PASSTHRU;
}

int gmem_init(struct gmem *g, unsigned int gpa_bits)
{
	if (gpa_bits < GMEM_MIN_GPA_BITS || gpa_bits > GMEM_MAX_GPA_BITS)
		return -EINVAL;
	memset(g, 0, sizeof(*g));
	g->gpa_bits = gpa_bits;
	return 0;
}

#define refuse(g, err, ...) (snprintf((g)->why, sizeof((g)->why), __VA_ARGS__), (err))

static bool aligned(uint64_t v)
{
	return !(v & (GMEM_PAGE_SIZE - 1));
}

/* [a, a + as) and [b, b + bs) share a byte; neither wraps. */
static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

/* Address and size checks of a new range; 0 or the refusal. */
static int check_shape(struct gmem *g, enum gmem_kind kind, uint64_t gpa, uint64_t size,
		       uint64_t hpa, const char *name)
{
	bool backed = gmem_is_backed(kind);

	if (!aligned(gpa) || !aligned(size) || !size)
		return refuse(g, -EINVAL,
			      "%s: gpa %#" PRIx64 " size %#" PRIx64
			      " not a non-empty 4 KiB-aligned range",
			      name, gpa, size);
	if (gpa + size < gpa || gpa + size > (1ull << g->gpa_bits))
		return refuse(g, -ERANGE,
			      "%s: gpa %#" PRIx64 "+%#" PRIx64 " beyond %u-bit guest space", name,
			      gpa, size, g->gpa_bits);
	if (backed && hpa == GMEM_NO_BACKING)
		return refuse(g, -EINVAL, "%s: %s needs host backing", name, gmem_kind_name(kind));
	if (!backed && hpa != GMEM_NO_BACKING)
		return refuse(g, -EINVAL, "%s: %s has no host backing (hpa %#" PRIx64 " given)",
			      name, gmem_kind_name(kind), hpa);
	if (backed && !aligned(hpa))
		return refuse(g, -EINVAL, "%s: hpa %#" PRIx64 " not 4 KiB aligned", name, hpa);
	if (backed && (hpa + size < hpa || hpa + size > (1ull << GMEM_HOST_BITS)))
		return refuse(g, -ERANGE, "%s: hpa %#" PRIx64 "+%#" PRIx64 " beyond 2^%u", name,
			      hpa, size, GMEM_HOST_BITS);
	if (kind == GMEM_MSI && (gpa != X86_MSI_BASE || size != X86_MSI_SIZE))
		return refuse(g, -EINVAL, "%s: the MSI window is exactly %#llx-%#llx", name,
			      X86_MSI_BASE, X86_MSI_BASE + X86_MSI_SIZE - 1);
	if (kind != GMEM_MSI && overlap(gpa, size, X86_MSI_BASE, X86_MSI_SIZE))
		return refuse(g, -EINVAL,
			      "%s: %s at %#" PRIx64 "+%#" PRIx64
			      " reaches into the MSI window %#llx-%#llx",
			      name, gmem_kind_name(kind), gpa, size, X86_MSI_BASE,
			      X86_MSI_BASE + X86_MSI_SIZE - 1);
	return 0;
}

int gmem_add(struct gmem *g, enum gmem_kind kind, uint64_t gpa, uint64_t size, uint64_t hpa,
	     const char *name)
{
	struct gmem_range *r;
	int err;

	if (g->sealed)
		return refuse(g, -EBUSY, "the map is sealed");
	if ((unsigned int)kind >= GMEM_NR_KINDS || !name || !*name)
		return refuse(g, -EINVAL, "range kind %u or name invalid", (unsigned int)kind);
	err = check_shape(g, kind, gpa, size, hpa, name);
	if (err)
		return err;
	for (unsigned int i = 0; i < g->nr; i++) {
		const struct gmem_range *o = &g->range[i];

		if (overlap(gpa, size, o->gpa, o->size))
			return refuse(g, -EEXIST,
				      "%s: gpa %#" PRIx64 "+%#" PRIx64 " overlaps %s at %#" PRIx64
				      "+%#" PRIx64,
				      name, gpa, size, o->name, o->gpa, o->size);
		if (gmem_is_backed(kind) && gmem_is_backed(o->kind) &&
		    overlap(hpa, size, o->hpa, o->size))
			return refuse(g, -EEXIST,
				      "%s: hpa %#" PRIx64 "+%#" PRIx64
				      " aliases the backing of %s at %#" PRIx64,
				      name, hpa, size, o->name, o->hpa);
	}
	if (g->nr == GMEM_MAX_RANGES)
		return refuse(g, -ENOSPC, "%s: the map holds %u ranges at most", name,
			      GMEM_MAX_RANGES);
	r = &g->range[g->nr++];
	r->gpa = gpa;
	r->size = size;
	r->hpa = hpa;
	r->kind = kind;
	snprintf(r->name, sizeof(r->name), "%s", name);
	return 0;
}

int gmem_seal(struct gmem *g)
{
	bool msi = false, ram = false;

	if (g->sealed)
		return refuse(g, -EBUSY, "the map is sealed");
	/* Insertion sort by gpa: at most GMEM_MAX_RANGES ranges, none overlapping. */
	for (unsigned int i = 1; i < g->nr; i++) {
		struct gmem_range r = g->range[i];
		unsigned int j = i;

		for (; j > 0 && g->range[j - 1].gpa > r.gpa; j--)
			g->range[j] = g->range[j - 1];
		g->range[j] = r;
	}
	for (unsigned int i = 0; i < g->nr; i++) {
		msi |= g->range[i].kind == GMEM_MSI;
		ram |= g->range[i].kind == GMEM_RAM;
	}
	if (!msi)
		return refuse(g, -ENOENT, "no MSI window: an x86 VM has one at %#llx",
			      X86_MSI_BASE);
	if (!ram)
		return refuse(g, -ENOENT, "no RAM range");
	g->sealed = true;
	return 0;
}

const struct gmem_range *gmem_find(const struct gmem *g, uint64_t gpa)
{
	for (unsigned int i = 0; i < g->nr; i++) {
		const struct gmem_range *r = &g->range[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size)
			return r;
	}
	return NULL;
}

int gmem_translate(const struct gmem *g, uint64_t gpa, uint64_t len, uint64_t *hpa,
		   const struct gmem_range **range)
{
	const struct gmem_range *r;

	if (!len || gpa + len < gpa)
		return -EINVAL;
	r = gmem_find(g, gpa);
	if (!r)
		return -ENOENT;
	if (gpa + len - r->gpa > r->size)
		return gmem_find(g, r->gpa + r->size) ? -EFAULT : -ENOENT;
	if (!gmem_is_backed(r->kind))
		return -EFAULT;
	*hpa = r->hpa + (gpa - r->gpa);
	if (range)
		*range = r;
	return 0;
}
