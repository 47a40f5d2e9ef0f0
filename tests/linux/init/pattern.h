/* SPDX-License-Identifier: MIT */
/*
 * The pattern the guest writes to its disk region (skiff.disk_write): 16-byte ASCII records, the
 * record at disk byte offset O (a multiple of 16) being printf("skiff:%09x\n", O), so each
 * record says where it belongs and a block written to the wrong place is seen. The harness makes
 * the same bytes on the host (tests/linux/run-qemu-plain.sh) to check the image. Pure.
 */
#ifndef SKIFF_LINUX_INIT_PATTERN_H
#define SKIFF_LINUX_INIT_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#define PATTERN_RECORD_LEN 16u

/*
 * pattern_fill - the pattern of the @len bytes at disk offset @offset into @buf. @offset and
 * @len are multiples of PATTERN_RECORD_LEN and the region ends at or below 2^36 (params.h's
 * PARAMS_REGION_END), where the offsets outgrow their nine digits.
 */
void pattern_fill(uint64_t offset, char *buf, size_t len);

#endif
