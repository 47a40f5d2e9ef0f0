// SPDX-License-Identifier: MIT
/*
 * The disk checks on the NVMe namespace: its SHA-256 (read through the block device), then the
 * pattern written to a region, synced, and read back past the page cache (O_DIRECT).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tests/linux/init/check.h"
#include "tests/linux/init/devices.h"
#include "tests/linux/init/params.h"
#include "tests/linux/init/pattern.h"
#include "tests/linux/init/run.h"

#define NVME_DISK	"/dev/nvme0n1" /* the first namespace of the first controller */
#define DISK_APPEAR_MS	20000u	       /* from nvme.ko's load to its namespace's device file */
#define DISK_SHA_MS	60000u
#define DIRECT_IO_ALIGN 4096u /* buffer alignment for O_DIRECT: any logical block size */

/* 0 once NVME_DISK exists; else -1 with the check's status and why (SKIP: no controller). */
static int find_disk(char *detail, unsigned int *status)
{
	int n = pci_count_class(PCI_CLASS_NVME, PCI_CLASS_MASK_FULL);

	if (n < 0)
		*status = CHECK_SAY(detail, GUEST_STATUS_FAIL, "PCI devices: %s", strerror(-n));
	else if (n == 0)
		*status = CHECK_SAY(detail, GUEST_STATUS_SKIP, "no NVMe controller on the PCI bus");
	else if (wait_for(path_exists, NVME_DISK, DISK_APPEAR_MS))
		*status = CHECK_SAY(detail, GUEST_STATUS_FAIL,
				    "an NVMe controller, but no %s in %u ms", NVME_DISK,
				    DISK_APPEAR_MS);
	else
		return 0;
	return -1;
}

unsigned int check_disk_read(const struct cmdline *cmdline, char *detail)
{
	char want[SHA256_HEX_LEN + 1], got[SHA256_HEX_LEN + 1];
	const char *text;
	unsigned int status;
	uint64_t size = 0, start;
	int fd, err;

	text = check_param(cmdline, PARAM_DISK_SHA, detail, &status);
	if (!text)
		return status;
	if (params_sha256(text, want))
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s=%s is no SHA-256", PARAM_DISK_SHA,
				 text);
	if (find_disk(detail, &status))
		return status;
	fd = open(NVME_DISK, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size)) {
		err = errno;
		if (fd >= 0)
			close(fd);
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s: %s", NVME_DISK, strerror(err));
	}
	close(fd);
	start = now_ms();
	err = run_sha256(NVME_DISK, got, DISK_SHA_MS);
	if (err)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "sha256sum %s: %s", NVME_DISK,
				 strerror(-err));
	if (strcmp(got, want))
		return CHECK_SAY(detail, GUEST_STATUS_FAIL,
				 "%s (%" PRIu64 " bytes) has SHA-256 %s, not %s", NVME_DISK, size,
				 got, want);
	return CHECK_SAY(detail, GUEST_STATUS_PASS,
			 "%s, %" PRIu64 " bytes in %" PRIu64 " ms, SHA-256 %s", NVME_DISK, size,
			 now_ms() - start, got);
}

/* Write all @len bytes of @buf at @offset of @fd; 0 or a negative errno. */
static int write_all(int fd, const char *buf, size_t len, uint64_t offset)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pwrite(fd, buf + done, len - done, (off_t)(offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* Read all @len bytes at @offset of @fd into @buf; 0 or a negative errno. */
static int read_all(int fd, char *buf, size_t len, uint64_t offset)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pread(fd, buf + done, len - done, (off_t)(offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* The region's place on the disk @fd: inside it, in whole logical blocks. */
static unsigned int check_region(int fd, uint64_t offset, uint64_t len, char *detail)
{
	uint64_t size;
	int block;

	if (ioctl(fd, BLKGETSIZE64, &size) || ioctl(fd, BLKSSZGET, &block))
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s: %s", NVME_DISK, strerror(errno));
	if (offset > size || len > size - offset)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL,
				 "region %#" PRIx64 "+%#" PRIx64 " is past the end of %s (%" PRIu64
				 " bytes)",
				 offset, len, NVME_DISK, size);
	if (block <= 0 || offset % (unsigned int)block || len % (unsigned int)block)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL,
				 "region %#" PRIx64 "+%#" PRIx64 " is not in whole %d-byte blocks",
				 offset, len, block);
	return GUEST_STATUS_PASS;
}

/* Write the pattern, sync, read it back from the device; the status, @detail says how. */
static unsigned int write_and_verify(uint64_t offset, uint64_t len, char *want, char *got,
				     char *detail)
{
	unsigned int status;
	int fd, err;
	size_t i;

	fd = open(NVME_DISK, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s: %s", NVME_DISK, strerror(errno));
	status = check_region(fd, offset, len, detail);
	if (status != GUEST_STATUS_PASS) {
		close(fd);
		return status;
	}
	pattern_fill(offset, want, (size_t)len);
	err = write_all(fd, want, (size_t)len, offset);
	if (!err && fsync(fd))
		err = -errno;
	close(fd);
	if (err)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "writing %s: %s", NVME_DISK,
				 strerror(-err));

	fd = open(NVME_DISK, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s (O_DIRECT): %s", NVME_DISK,
				 strerror(errno));
	err = read_all(fd, got, (size_t)len, offset);
	close(fd);
	if (err)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "reading %s back: %s", NVME_DISK,
				 strerror(-err));
	for (i = 0; i < len && got[i] == want[i]; i++)
		;
	if (i < len)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL,
				 "byte %#" PRIx64 " reads back %#x, not %#x", offset + i,
				 (unsigned char)got[i], (unsigned char)want[i]);
	return GUEST_STATUS_PASS;
}

unsigned int check_disk_write(const struct cmdline *cmdline, char *detail)
{
	uint64_t offset, len, start;
	char *want = NULL, *got = NULL;
	const char *text;
	unsigned int status;
	int err;

	text = check_param(cmdline, PARAM_DISK_WRITE, detail, &status);
	if (!text)
		return status;
	err = params_region(text, &offset, &len);
	if (err)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s=%s: %s", PARAM_DISK_WRITE, text,
				 strerror(-err));
	if (find_disk(detail, &status))
		return status;
	if (posix_memalign((void **)&want, DIRECT_IO_ALIGN, (size_t)len) ||
	    posix_memalign((void **)&got, DIRECT_IO_ALIGN, (size_t)len)) {
		free(want);
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "no memory for %" PRIu64 " bytes", len);
	}
	start = now_ms();
	status = write_and_verify(offset, len, want, got, detail);
	if (status == GUEST_STATUS_PASS)
		(void)CHECK_SAY(detail, status,
				"%s: pattern at %#" PRIx64 "+%#" PRIx64
				" written, synced, read back in %" PRIu64 " ms",
				NVME_DISK, offset, len, now_ms() - start);
	free(want);
	free(got);
	return status;
}
