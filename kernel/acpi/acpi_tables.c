// SPDX-License-Identifier: MIT
/* RSDP (ACPI 6.5, 5.2.5.3), system description table header (5.2.6), RSDT (5.2.7),
 * XSDT (5.2.8). A bad checksum is a warning, not a rejection: real firmware ships them. */
#include "kernel/acpi/acpi_tables.h"

#include <errno.h>
#include <string.h>

#include "kernel/log.h"

#define RSDP_SIGNATURE	   "RSD PTR "
#define RSDP_SIGNATURE_LEN 8
#define RSDP_V1_LENGTH	   20 /* the ACPI 1.0 checksum covers these bytes */
#define RSDP_V2_LENGTH	   36
#define RSDP_OFF_CHECKSUM  8
#define RSDP_OFF_OEMID	   9
#define RSDP_OEMID_LEN	   6
#define RSDP_OFF_REVISION  15
#define RSDP_OFF_RSDT	   16
#define RSDP_OFF_LENGTH	   20
#define RSDP_OFF_XSDT	   24
#define RSDP_REVISION_2	   2

#define SDT_HEADER_LEN 36
#define SDT_OFF_LENGTH 4

static uint8_t sum_bytes(const uint8_t *p, uint64_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int check_rsdp(const uint8_t *r, acpi_map_fn map, struct acpi_tables *out)
{
	uint32_t len;

	if (memcmp(r, RSDP_SIGNATURE, RSDP_SIGNATURE_LEN)) {
		log_err("acpi: RSDP at %#llx: bad signature", (unsigned long long)out->rsdp);
		return -EINVAL;
	}
	if (sum_bytes(r, RSDP_V1_LENGTH))
		log_warn("acpi: RSDP at %#llx: bad checksum (bytes 0-19)",
			 (unsigned long long)out->rsdp);
	out->revision = r[RSDP_OFF_REVISION];
	memcpy(out->oem_id, r + RSDP_OFF_OEMID, RSDP_OEMID_LEN);
	out->oem_id[RSDP_OEMID_LEN] = '\0';
	out->root = get32(r + RSDP_OFF_RSDT);
	if (out->revision < RSDP_REVISION_2)
		return 0;

	r = map(out->rsdp, RSDP_V2_LENGTH);
	len = r ? get32(r + RSDP_OFF_LENGTH) : 0;
	if (len >= RSDP_V2_LENGTH)
		r = map(out->rsdp, len);
	if (!r || len < RSDP_V2_LENGTH) {
		log_err("acpi: RSDP at %#llx: length %u is not valid (offset %d)",
			(unsigned long long)out->rsdp, len, RSDP_OFF_LENGTH);
		return -EINVAL;
	}
	if (sum_bytes(r, len))
		log_warn("acpi: RSDP at %#llx: bad extended checksum",
			 (unsigned long long)out->rsdp);
	if (get64(r + RSDP_OFF_XSDT)) {
		out->root = get64(r + RSDP_OFF_XSDT);
		out->root_is_xsdt = true;
	}
	return 0;
}

/* The whole table at @pa with its length in @len, or NULL when its header is unreadable, its
 * length is below the header's or the rest cannot be read. */
static const uint8_t *map_table(uint64_t pa, acpi_map_fn map, uint32_t *len)
{
	const uint8_t *h = pa ? map(pa, SDT_HEADER_LEN) : NULL;

	*len = h ? get32(h + SDT_OFF_LENGTH) : 0;
	return *len >= SDT_HEADER_LEN ? map(pa, *len) : NULL;
}

int acpi_tables_find(uint64_t rsdp, acpi_map_fn map, struct acpi_tables *out)
{
	const uint8_t *root, *r;
	uint32_t root_len, entry_size, entries;
	int err;

	memset(out, 0, sizeof(*out));
	out->rsdp = rsdp;
	if (!rsdp)
		return -ENOENT;
	r = map(rsdp, RSDP_V1_LENGTH);
	if (!r) {
		log_err("acpi: RSDP at %#llx is not in mapped memory", (unsigned long long)rsdp);
		return -EINVAL;
	}
	err = check_rsdp(r, map, out);
	if (err)
		return err;

	root = map_table(out->root, map, &root_len);
	if (!root) {
		log_err("acpi: %s at %#llx: unreadable or shorter than its header",
			out->root_is_xsdt ? "XSDT" : "RSDT", (unsigned long long)out->root);
		return -EINVAL;
	}
	if (memcmp(root, out->root_is_xsdt ? "XSDT" : "RSDT", ACPI_SIG_SIZE)) {
		log_err("acpi: root table at %#llx: bad signature", (unsigned long long)out->root);
		return -EINVAL;
	}
	if (sum_bytes(root, root_len))
		log_warn("acpi: %.4s at %#llx: bad checksum", root, (unsigned long long)out->root);

	entry_size = out->root_is_xsdt ? sizeof(uint64_t) : sizeof(uint32_t);
	entries = (root_len - SDT_HEADER_LEN) / entry_size;
	for (uint32_t i = 0; i < entries; i++) {
		const uint8_t *e = root + SDT_HEADER_LEN + i * entry_size;
		uint64_t pa = out->root_is_xsdt ? get64(e) : get32(e);
		uint32_t len;
		const uint8_t *table = map_table(pa, map, &len);
		struct acpi_table_ref *t;

		if (!table) {
			log_warn("acpi: %.4s entry %u (offset %u): table at %#llx unreadable or "
				 "shorter than its header; skipped",
				 root, i, (unsigned int)(e - root), (unsigned long long)pa);
			continue;
		}
		if (out->count == ACPI_MAX_TABLES) {
			log_warn("acpi: more than %d tables; the rest are ignored",
				 ACPI_MAX_TABLES);
			break;
		}
		t = &out->tables[out->count++];
		memcpy(t->signature, table, ACPI_SIG_SIZE);
		t->signature[ACPI_SIG_SIZE] = '\0';
		t->address = pa;
		t->length = len;
		t->checksum_ok = sum_bytes(table, len) == 0;
		if (!t->checksum_ok)
			log_warn("acpi: %s at %#llx: bad checksum (kept)", t->signature,
				 (unsigned long long)pa);
	}
	return 0;
}
