// SPDX-License-Identifier: MIT
#include "vmm/vm_boot.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/log.h"

#define MIB	      (1ull << 20)
#define KIB	      (1ull << 10)
#define BDF_TEXT_SIZE 14 /* "ssss:bb:dd.f " */
#define PCI_TEXT_SIZE (VM_CONFIG_MAX_PCI * BDF_TEXT_SIZE + 1)

static const char *const file_problems[] = {
	[BOOT_FILE_READ] = "read",
	[BOOT_FILE_NOT_FOUND] = "not found on the ESP",
	[BOOT_FILE_NOT_A_FILE] = "a directory, not a file",
	[BOOT_FILE_READ_ERROR] = "could not be read",
	[BOOT_FILE_NO_MEMORY] = "no memory to hold it",
	[BOOT_FILE_NO_VOLUME] = "skiff's volume has no file system",
};

const struct boot_file *vm_boot_file(const struct boot_info *bi, const char *key)
{
	for (uint32_t i = 0; i < bi->nr_files && i < BOOT_MAX_FILES; i++)
		if (!strcmp(bi->files[i].key, key))
			return &bi->files[i];
	return NULL;
}

/* Logs the file @key=@path names and returns 0, or logs why it is not there: -ENOENT. */
static int check_file(const struct boot_info *bi, const char *key, const char *path)
{
	const struct boot_file *bf = vm_boot_file(bi, key);

	if (!bf || strcmp(bf->path, path)) {
		log_err("vm: %s=%s: not read by boot/; no VM", key, path);
		return -ENOENT;
	}
	if (bf->status != BOOT_FILE_READ) {
		log_err("vm: %s=%s: %s (EFI status %#llx); no VM", key, path,
			bf->status < sizeof(file_problems) / sizeof(file_problems[0]) ?
				file_problems[bf->status] :
				"?",
			(unsigned long long)bf->efi_status);
		return -ENOENT;
	}
	log_info("vm: %s=%s: %llu bytes at %#llx", key, path, (unsigned long long)bf->size,
		 (unsigned long long)bf->base);
	return 0;
}

static void log_config(const struct vm_config *vc)
{
	char pci[PCI_TEXT_SIZE] = "none";
	size_t n = 0;

	for (uint32_t i = 0; i < vc->nr_pci; i++)
		n += (size_t)snprintf(pci + n, sizeof(pci) - n, "%s%04x:%02x:%02x.%x", i ? "," : "",
				      vc->pci[i].segment, vc->pci[i].bus, vc->pci[i].dev,
				      vc->pci[i].fn);
	log_info("vm: config: memory %llu %s, %u vCPU(s), pci %s, cmdline \"%s\"",
		 (unsigned long long)(vc->memory % MIB ? vc->memory / KIB : vc->memory / MIB),
		 vc->memory % MIB ? "KiB" : "MiB", vc->vcpus, pci, vc->cmdline);
}

int vm_boot_config(const struct cmdline *c, const struct boot_info *bi, struct vm_config *vc)
{
	struct vm_config_error err;
	int r = vm_config_parse(c, vc, &err), missing;

	if (r == 0)
		return 0;
	if (r < 0) {
		log_err("vm: %s=%s refused: %s; no VM", err.key, err.value, err.reason);
		return r;
	}
	log_config(vc);
	missing = check_file(bi, "vm.kernel", vc->kernel);
	if (vc->initrd && check_file(bi, "vm.initrd", vc->initrd))
		missing = -ENOENT;
	return missing ? missing : 1;
}
