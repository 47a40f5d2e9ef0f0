// SPDX-License-Identifier: MIT
/* The VM configuration on skiff's command line: vm.* keys to struct vm_config (pure). */
#include "vmm/vm_config.h"

#include <errno.h>
#include <string.h>

#define VM_KEY_PREFIX	 "vm."
#define PATH_SEPARATOR	 '\\'
#define PCI_LIST_SEP	 ','
#define PCI_FIELD_SEP	 ':'
#define PCI_FUNC_SEP	 '.'
#define PCI_SEGMENT_MAX	 0xffffu
#define PCI_BUS_MAX	 0xffu
#define PCI_DEVICE_MAX	 0x1fu /* PCI Local Bus 3.0, 3.2.2.3.1: 5 device bits */
#define PCI_FUNCTION_MAX 0x7u  /* 3 function bits */
#define MEMORY_GRANULE	 4096ull
#define KIB_SHIFT	 10
#define MIB_SHIFT	 20
#define GIB_SHIFT	 30
#define DECIMAL		 10u
#define HEX		 16u
#define ASCII_FIRST	 ' '
#define ASCII_LAST	 '~'

enum vm_key {
	KEY_KERNEL,
	KEY_INITRD,
	KEY_CMDLINE,
	KEY_MEMORY,
	KEY_PCI,
	KEY_VCPUS,
	KEY_COUNT,
};

static const char *const key_names[KEY_COUNT] = {
	[KEY_KERNEL] = "vm.kernel", [KEY_INITRD] = "vm.initrd", [KEY_CMDLINE] = "vm.cmdline",
	[KEY_MEMORY] = "vm.memory", [KEY_PCI] = "vm.pci",	[KEY_VCPUS] = "vm.vcpus",
};

/* vm.* words that are options of skiff itself, not part of the VM's description. */
static const char *const other_vm_options[] = { "vm.unsafe_no_intremap" };

bool vm_config_is_option(const char *key)
{
	for (size_t i = 0; i < sizeof(other_vm_options) / sizeof(other_vm_options[0]); i++)
		if (!strcmp(key, other_vm_options[i]))
			return true;
	return false;
}

static int find_key(const char *key)
{
	for (int i = 0; i < KEY_COUNT; i++)
		if (!strcmp(key, key_names[i]))
			return i;
	return -1;
}

/* An absolute path naming a file: '\' first, printable ASCII, not ending in '\', fits. */
static const char *check_path(const char *v)
{
	size_t n = strlen(v);

	if (v[0] != PATH_SEPARATOR)
		return "not an absolute path on the ESP (\\...)";
	if (n >= VM_CONFIG_PATH_MAX)
		return "path too long";
	if (v[n - 1] == PATH_SEPARATOR)
		return "names a directory, not a file";
	for (size_t i = 0; i < n; i++)
		if (v[i] < ASCII_FIRST || v[i] > ASCII_LAST)
			return "path holds a byte that is not printable ASCII";
	return NULL;
}

static int digit_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + DECIMAL;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + DECIMAL;
	return -1;
}

/*
 * Reads an unsigned number in @base at *@p, at most @max; moves *@p past its digits.
 * Returns 0, -EINVAL when no digit of @base is there, -ERANGE for a value above @max.
 */
static int read_number(const char **p, unsigned int base, uint64_t max, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int d;

	for (; (d = digit_value(*s)) >= 0 && (unsigned int)d < base; s++) {
		if ((uint64_t)d > max || v > (max - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
	}
	if (s == *p)
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

static const char *parse_memory(const char *v, uint64_t *bytes)
{
	uint64_t n;
	unsigned int shift = 0;
	int err = read_number(&v, DECIMAL, VM_MEMORY_MAX, &n);

	if (err == -ERANGE)
		return "more than 1 TiB";
	if (err)
		return "not a size (a decimal count with an optional K, M or G suffix)";
	if (*v == 'K' || *v == 'k')
		shift = KIB_SHIFT;
	else if (*v == 'M' || *v == 'm')
		shift = MIB_SHIFT;
	else if (*v == 'G' || *v == 'g')
		shift = GIB_SHIFT;
	if (shift)
		v++;
	if (*v)
		return "not a size (a decimal count with an optional K, M or G suffix)";
	if (n > VM_MEMORY_MAX >> shift)
		return "more than 1 TiB";
	n <<= shift;
	if (n < VM_MEMORY_MIN)
		return "less than the 64 MiB a Linux guest needs";
	if (n % MEMORY_GRANULE)
		return "not a multiple of 4 KiB";
	*bytes = n;
	return NULL;
}

/* One [segment:]bus:device.function from *@p up to a ',' or the end; moves *@p past it. */
static const char *parse_bdf(const char **p, struct pci_bdf *bdf)
{
	uint64_t f[3], fn;
	unsigned int n = 0;
	const char *s = *p;
	static const uint64_t field_max[] = { PCI_SEGMENT_MAX, PCI_BUS_MAX, PCI_DEVICE_MAX };

	for (;;) {
		if (read_number(&s, HEX, PCI_SEGMENT_MAX, &f[n]))
			return "not a PCI function ([segment:]bus:device.function, hex)";
		n++;
		if (*s != PCI_FIELD_SEP || n == 3)
			break;
		s++;
	}
	if (n < 2 || *s != PCI_FUNC_SEP)
		return "not a PCI function ([segment:]bus:device.function, hex)";
	s++;
	if (read_number(&s, HEX, PCI_FUNCTION_MAX, &fn) || (*s && *s != PCI_LIST_SEP))
		return "function number beyond 7 or trailing characters";
	/* Two fields are bus and device; three are segment, bus and device. */
	for (unsigned int i = 0; i < n; i++)
		if (f[i] > field_max[i + 3 - n])
			return n - i == 1 ? "device number beyond 0x1f" :
			       n - i == 2 ? "bus number beyond 0xff" :
					    "segment beyond 0xffff";
	*bdf = (struct pci_bdf){
		.segment = n == 3 ? (uint16_t)f[0] : 0,
		.bus = (uint8_t)f[n - 2],
		.dev = (uint8_t)f[n - 1],
		.fn = (uint8_t)fn,
	};
	*p = s;
	return NULL;
}

static const char *parse_pci(const char *v, struct vm_config *vc)
{
	vc->nr_pci = 0;
	for (;;) {
		struct pci_bdf bdf;
		const char *why;

		if (vc->nr_pci == VM_CONFIG_MAX_PCI)
			return "more than 8 PCI functions";
		why = parse_bdf(&v, &bdf);
		if (why)
			return why;
		for (uint32_t i = 0; i < vc->nr_pci; i++)
			if (pci_bdf_equal(vc->pci[i], bdf))
				return "the same PCI function twice";
		vc->pci[vc->nr_pci++] = bdf;
		if (!*v)
			return NULL;
		v++; /* the ',' */
	}
}

static const char *parse_vcpus(const char *v, uint32_t *vcpus)
{
	uint64_t n;

	if (read_number(&v, DECIMAL, VM_CONFIG_MAX_VCPUS, &n) || *v || n == 0)
		return "not a vCPU count from 1 to 64";
	*vcpus = (uint32_t)n;
	return NULL;
}

static const char *parse_value(enum vm_key k, const char *v, struct vm_config *vc)
{
	switch (k) {
	case KEY_KERNEL:
		vc->kernel = v;
		return check_path(v);
	case KEY_INITRD:
		vc->initrd = v;
		return check_path(v);
	case KEY_CMDLINE:
		vc->cmdline = v;
		return NULL;
	case KEY_MEMORY:
		return parse_memory(v, &vc->memory);
	case KEY_PCI:
		return parse_pci(v, vc);
	case KEY_VCPUS:
		return parse_vcpus(v, &vc->vcpus);
	case KEY_COUNT:
		break;
	}
	return "not a VM configuration key";
}

int vm_config_parse(const struct cmdline *c, struct vm_config *vc, struct vm_config_error *err)
{
	struct vm_config r = {
		.cmdline = "",
		.memory = VM_MEMORY_DEFAULT,
		.vcpus = VM_VCPUS_DEFAULT,
	};
	bool seen[KEY_COUNT] = { false };
	bool any = false;

	for (unsigned int i = 0; i < c->nr_args; i++) {
		const char *key = c->args[i].key, *value = c->args[i].value, *why;
		int k;

		if (strncmp(key, VM_KEY_PREFIX, strlen(VM_KEY_PREFIX)) || vm_config_is_option(key))
			continue;
		k = find_key(key);
		if (k < 0)
			why = "unknown VM configuration key";
		else if (seen[k])
			why = "given more than once";
		else
			why = parse_value((enum vm_key)k, value, &r);
		if (why) {
			*err = (struct vm_config_error){ key, value, why };
			return -EINVAL;
		}
		seen[k] = true;
		any = true;
	}
	if (!any)
		return 0;
	if (!seen[KEY_KERNEL]) {
		*err = (struct vm_config_error){ key_names[KEY_KERNEL], "",
						 "required to describe a VM" };
		return -EINVAL;
	}
	*vc = r;
	return 1;
}
