/* SPDX-License-Identifier: MIT */
/* What the guest's kernel found: PCI functions and device files (sysfs, devtmpfs). */
#ifndef SKIFF_LINUX_INIT_DEVICES_H
#define SKIFF_LINUX_INIT_DEVICES_H

#include <stdint.h>

/* Class codes (PCI Code and ID Assignment Specification: base class, sub-class, prog-if). */
#define PCI_CLASS_NVME	    0x010802u /* mass storage, non-volatile memory, NVM Express */
#define PCI_CLASS_NETWORK   0x020000u /* network controller (any sub-class) */
#define PCI_CLASS_MASK_FULL 0xffffffu
#define PCI_CLASS_MASK_BASE 0xff0000u

/*
 * pci_count_class - how many PCI functions of /sys/bus/pci/devices have a class code equal to
 * @class in the bits of @mask. Returns the count, or a negative errno when sysfs cannot be read.
 */
int pci_count_class(uint32_t class, uint32_t mask);

/* path_exists - 1 when @path exists, else 0 (for wait_for()). */
int path_exists(const char *path);

/* file_says_one - 1 when the file @path starts with "1" (a sysfs flag such as carrier), else 0. */
int file_says_one(const char *path);

#endif
