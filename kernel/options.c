// SPDX-License-Identifier: MIT
#include "kernel/options.h"

#include <string.h>

#include "kernel/exit.h"
#include "kernel/log.h"

struct option_desc {
	const char *key;
	const char *help;
};

/* Every option skiff reads, wherever it is read. */
static const struct option_desc known_options[] = {
	{ "loglevel", "error|warn|info|debug" },
	{ "exit", "auto|qemu|halt|reset: how a run ends" },
	{ "selftest", "name[,name...]: self-tests to run (see kernel/selftest.c)" },
	{ "run", "guest|none: the main job after the self-tests: the test guest with edu passed "
		 "through, or none (default)" },
	{ "efi.ebs_retry_test", "1: make the first ExitBootServices attempt fail (boot/)" },
	{ "iommu", "on|off: DMA remapping (default on)" },
	{ "iommu.mode", "auto|legacy: VT-d scalable mode when offered, or legacy for research" },
	{ "iommu.audit", "1|0 (on|off): audit the programmed VT-d tables at boot" },
	{ "iommu.qi", "1|0 (on|off): queued invalidation, or register-based (legacy mode)" },
	{ "iommu.spr17", "auto|on|off: erratum SPR17 on units with nesting, on all, or none" },
	{ "iommu.ro_policy", "skip|refuse: read-only guest ranges under nesting left out of DMA, "
			     "or nesting refused" },
	{ "hostile", "attack[,attack...]: the attacks selftest=hostile runs (default all)" },
	{ "guest.attack",
	  "attack: run=guest's test guest runs this attack (tests/guests/attack_*.c) "
	  "instead of its checks" },
	{ "vm.kernel", "\\PATH: the VM's kernel on the ESP (vmm/vm_config.h)" },
	{ "vm.initrd", "\\PATH: the VM's initrd on the ESP" },
	{ "vm.cmdline", "\"TEXT\": the guest's command line" },
	{ "vm.memory", "SIZE[K|M|G]: the VM's RAM" },
	{ "vm.pci", "[SEG:]BB:DD.F[,...]: PCI functions passed through" },
	{ "vm.vcpus", "N: the VM's vCPUs" },
	{ "vm.unsafe_no_intremap",
	  "1|0 (on|off): pass a device through on a unit without "
	  "interrupt remapping (UNSAFE: its DMA can raise any interrupt)" },
};

static const char *const level_names[] = {
	[LOG_ERROR] = "error",
	[LOG_WARN] = "warn",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

static const char *const exit_names[] = {
	[EXIT_AUTO] = "auto",
	[EXIT_DEBUG_PORT] = "qemu",
	[EXIT_HALT] = "halt",
	[EXIT_RESET] = "reset",
};

static const char *const on_off[] = { "on", "off" };
static const char *const iommu_modes[] = { "auto", "legacy" };
static const char *const spr17_modes[] = { "auto", "on", "off" };
static const char *const ro_policies[] = { "skip", "refuse" };
static const char *const run_jobs[] = { "guest", "none" };

static int lookup(const char *const *names, int n, const char *v)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], v))
			return i;
	return -1;
}

#define CHOICE(key, names)                                          \
	{                                                           \
		key, names, (int)(sizeof(names) / sizeof(names[0])) \
	}

/* Options whose value is one word of a list; its index is what options_value() returns. */
static const struct {
	const char *key;
	const char *const *names;
	int n;
} choices[] = {
	CHOICE("iommu", on_off),
	CHOICE("iommu.mode", iommu_modes),
	CHOICE("iommu.spr17", spr17_modes),
	CHOICE("iommu.ro_policy", ro_policies),
	CHOICE("run", run_jobs),
};

/* The index in choices[] of @key, or -1 when its value is not one word of a list. */
static int find_choice(const char *key)
{
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		if (!strcmp(choices[i].key, key))
			return (int)i;
	return -1;
}

int options_value(const struct cmdline *c, const char *key, int dflt)
{
	const char *value = cmdline_get(c, key);
	int k = find_choice(key),
	    v = value && k >= 0 ? lookup(choices[k].names, choices[k].n, value) : -1;

	return v >= 0 ? v : dflt;
}

static const struct option_desc *find_option(const char *key)
{
	for (size_t i = 0; i < sizeof(known_options) / sizeof(known_options[0]); i++)
		if (!strcmp(known_options[i].key, key))
			return &known_options[i];
	return NULL;
}

static const struct cmdline *applied;

const struct cmdline *options_cmdline(void)
{
	return applied;
}

int options_apply(const struct cmdline *c)
{
	int rejected = 0;

	applied = c;
	for (unsigned int i = 0; i < c->nr_args; i++) {
		const char *key = c->args[i].key, *value = c->args[i].value;
		const struct option_desc *o = find_option(key);
		int k = find_choice(key), v = 0;

		if (!o) {
			log_warn("cmdline: unknown option '%s' ignored", key);
			rejected++;
			continue;
		}
		if (!strcmp(key, "loglevel")) {
			v = lookup(level_names, sizeof(level_names) / sizeof(level_names[0]),
				   value);
			if (v >= 0)
				log_set_level((enum log_level)v);
		} else if (k >= 0) {
			v = lookup(choices[k].names, choices[k].n, value);
		} else if (!strcmp(key, "iommu.audit") || !strcmp(key, "iommu.qi") ||
			   !strcmp(key, "vm.unsafe_no_intremap")) {
			bool on;

			v = cmdline_get_bool(c, key, false, &on);
		} else if (!strcmp(key, "exit")) {
			v = lookup(exit_names, sizeof(exit_names) / sizeof(exit_names[0]), value);
			if (v >= 0)
				exit_set_mode((enum exit_mode)v);
		}
		if (v < 0) {
			log_warn("cmdline: %s=%s ignored; expected %s", key, value, o->help);
			rejected++;
		}
	}
	return rejected;
}
