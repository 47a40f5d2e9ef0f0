// SPDX-License-Identifier: MIT
/*
 * Virtual-processor identifiers (Intel SDM vol. 3C 29.1): one per vCPU while it exists, so the
 * TLBs keep its translations apart from the host's (VPID 0) and from other vCPUs'. The contract
 * is in vmx_internal.h.
 */
#include <errno.h>
#include <stdint.h>

#include "vmm/vmx/vmx_internal.h"

#define MAX_VPIDS 64 /* skiff's VPID bitmap; VPID 0 is the host's */

static uint64_t vpids; /* bit n: VPID n in use */

int vmx_vpid_alloc(uint16_t *vpid)
{
	for (uint16_t id = 1; id < MAX_VPIDS; id++) {
		if (!(vpids & (1ull << id))) {
			vpids |= 1ull << id;
			*vpid = id;
			return 0;
		}
	}
	return -ENOSPC;
}

void vmx_vpid_free(uint16_t vpid)
{
	vpids &= ~(1ull << vpid);
}
