// SPDX-License-Identifier: MIT
/* PCI functions and device files of the guest's kernel (devices.h). */
#include "tests/linux/init/devices.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PCI_DEVICES "/sys/bus/pci/devices"

/* The class code of the PCI function @name in sysfs ("0x010802\n"), or -1. */
static long read_class(const char *name)
{
	char path[300], text[16] = "";
	FILE *f;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/class", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(text, sizeof(text), f))
		text[0] = '\0';
	fclose(f);
	return text[0] ? strtol(text, NULL, 16) : -1;
}

int pci_count_class(uint32_t class, uint32_t mask)
{
	DIR *d = opendir(PCI_DEVICES);
	struct dirent *e;
	int count = 0;
	long c;

	if (!d)
		return -errno;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		c = read_class(e->d_name);
		count += c >= 0 && ((uint32_t)c & mask) == (class & mask);
	}
	closedir(d);
	return count;
}

int path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

int file_says_one(const char *path)
{
	char c = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (fread(&c, 1, 1, f) != 1)
		c = 0;
	fclose(f);
	return c == '1';
}
