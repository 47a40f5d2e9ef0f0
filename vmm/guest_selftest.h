/* SPDX-License-Identifier: MIT */
#ifndef SKIFF_VMM_GUEST_SELFTEST_H
#define SKIFF_VMM_GUEST_SELFTEST_H

#include "kernel/platform/platform.h"

/*
 * vmm_guest_selftest - "selftest=guest": run the test guest (tests/guests/) in a VM on one
 * vCPU (VMX with EPT, or SVM with nested paging) and check its exits; one "PASS guest.<check>" /
 * "FAIL guest.<check>: <why>" line per check (list in guest_selftest.c) and a summary line of
 * exits by reason. @p is unused: this VM has no passthrough device (run=guest has, vm_main.h).
 */
void vmm_guest_selftest(struct platform *p);

#endif
