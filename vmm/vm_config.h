/* SPDX-License-Identifier: MIT */
/*
 * The VM a user describes on skiff's command line (or in \skiff.cfg, which is the command line
 * when the boot entry gives none): its Linux kernel and initrd as paths on the ESP, the guest's
 * command line, its memory size, the PCI functions passed through and its vCPU count.
 *
 *   vm.kernel=\EFI\skiff\vmlinuz vm.initrd=\EFI\skiff\initrd.img
 *   vm.cmdline="console=ttyS0 quiet" vm.memory=512M vm.pci=0000:00:03.0,00:04.0 vm.vcpus=1
 *
 * Pure: no allocation, no logging; the result points into the parsed command line's text.
 */
#ifndef SKIFF_VMM_VM_CONFIG_H
#define SKIFF_VMM_VM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"
#include "kernel/cmdline.h"

#define VM_CONFIG_PATH_MAX  128u /* an ESP path's bytes, NUL included */
#define VM_CONFIG_MAX_PCI   8u	 /* PCI functions one VM may take */
#define VM_CONFIG_MAX_VCPUS 64u
#define VM_MEMORY_MIN	    (64ull << 20) /* what a small Linux guest needs to boot */
#define VM_MEMORY_MAX \
	(1ull << 40) /* beyond any host skiff targets; the host's own
					   * free memory is checked when the VM is built */
#define VM_MEMORY_DEFAULT (256ull << 20)
#define VM_VCPUS_DEFAULT  1u

struct vm_config {
	const char *kernel;  /* an absolute path on the ESP, "\..." */
	const char *initrd;  /* likewise, or NULL when the guest has none */
	const char *cmdline; /* the guest's command line, "" when not given */
	uint64_t memory;     /* bytes, a multiple of 4 KiB */
	uint32_t vcpus;
	uint32_t nr_pci;
	struct pci_bdf pci[VM_CONFIG_MAX_PCI];
};

/* Why a configuration was refused: the word at fault and a phrase saying what was wrong. */
struct vm_config_error {
	const char *key;
	const char *value;
	const char *reason;
};

/*
 * vm_config_parse - the VM configuration in @c's vm.* words.
 * Keys: vm.kernel (required once any key is given), vm.initrd, vm.cmdline, vm.memory (a decimal
 * count of bytes with an optional K, M or G suffix of 1024 powers, VM_MEMORY_MIN..VM_MEMORY_MAX,
 * a multiple of 4 KiB), vm.pci (a comma-separated list of [segment:]bus:device.function in hex,
 * each function once), vm.vcpus (1..VM_CONFIG_MAX_VCPUS). Each key at most once; vm.* words
 * that are not VM configuration (see vm_config_is_option()) are left to kernel/options.c.
 * Returns 1 and fills @vc when the command line describes a VM, 0 when it has no configuration
 * key (@vc untouched), or -EINVAL with @err naming the first word at fault (an unknown vm.* key,
 * a repeated key, a bad value or a missing vm.kernel).
 */
int vm_config_parse(const struct cmdline *c, struct vm_config *vc, struct vm_config_error *err);

/* vm_config_is_option - whether @key is a vm.* word kernel/options.c handles itself. */
bool vm_config_is_option(const char *key);

#endif
