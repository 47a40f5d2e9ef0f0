/* SPDX-License-Identifier: MIT */
/*
 * The VM configuration at boot: the vm.* words of skiff's command line checked (vmm/vm_config.h)
 * against the files boot/ read from the ESP (struct boot_file), and logged.
 */
#ifndef SKIFF_VMM_VM_BOOT_H
#define SKIFF_VMM_VM_BOOT_H

#include "boot/boot_info.h"
#include "kernel/cmdline.h"
#include "vmm/vm_config.h"

/*
 * vm_boot_config - the VM @c describes, with its files in memory.
 * Logs the configuration and each file's key, path, size and address, or one error per fault
 * ("vm: vm.memory=12M refused: ...; no VM", "vm: vm.initrd=\x: not found on the ESP; no VM").
 * Returns 1 with @vc filled when a VM is described and every file it names was read, 0 when
 * @c describes no VM (nothing logged), -EINVAL for a refused configuration, -ENOENT when a file
 * is missing or could not be read.
 */
int vm_boot_config(const struct cmdline *c, const struct boot_info *bi, struct vm_config *vc);

/* vm_boot_file - the file boot/ read for @key ("vm.kernel", "vm.initrd"), or NULL. */
const struct boot_file *vm_boot_file(const struct boot_info *bi, const char *key);

#endif
