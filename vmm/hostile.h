/* SPDX-License-Identifier: MIT */
/*
 * selftest=hostile: the test guest in attack mode (tests/guests/attack_*.c), one fresh VM per
 * attack, each judged as "hostile.<attack>": the run ended as the attack's entry says (the
 * guest's own verdict 0, or skiff stopping a guest that would otherwise run forever), no host
 * state of host_state.h changed, and host interrupts still arrive afterwards. "hostile=a,b"
 * on the command line runs only those attacks. docs/security.md lists what each one proves.
 * Kernel only.
 */
#ifndef SKIFF_VMM_HOSTILE_H
#define SKIFF_VMM_HOSTILE_H

struct platform;

/* vmm_hostile_selftest - run the attacks (all, or those "hostile=" names). */
void vmm_hostile_selftest(struct platform *p);

#endif
