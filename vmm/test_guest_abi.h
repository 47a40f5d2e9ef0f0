/* SPDX-License-Identifier: MIT */
/*
 * The test guest's ABI with skiff (vmm/guest_selftest.c, vmm/vm_main.c, vmm/vm_bench.c,
 * vmm/hostile.c): where it is loaded, where it starts, the guest-physical address it probes
 * outside its RAM, its ports and hypercalls beyond vmm/hypercall.h's, and the bits of its
 * verdict (HC_EXIT's RBX). skiff's side of the ABI, so it lives in vmm/; the guest
 * (tests/guests/) includes it, never the other way round.
 */
#ifndef SKIFF_VMM_TEST_GUEST_ABI_H
#define SKIFF_VMM_TEST_GUEST_ABI_H

#define TEST_GUEST_LOAD	     0x100000	/* guest-physical load address and 32-bit entry point */
#define TEST_GUEST_RAM_SIZE  0x400000	/* RAM at guest-physical 0: 4 MiB */
#define TEST_GUEST_PROBE_GPA 0x80000000 /* 2 GiB: no RAM, no device */

/*
 * The passthrough device (vmm/vm_main.c gives the guest QEMU's edu at 00:00.0 through port
 * 0CF8h/0CFCh, vmm/vpci.h). Without it (selftest=guest) the guest finds no device and skips
 * these checks.
 *   TEST_GUEST_DMA_OUTSIDE  where the guest aims a DMA outside its memory: the first byte past
 *                           its RAM, where an off-by-one would land;
 *   TEST_GUEST_MSI_VECTOR   the vector the guest programs into the device's MSI;
 *   TEST_GUEST_HC_WINDOW    a hypercall (RBX 1: open, 0: close) bracketing the guest's DMA, so
 *                           skiff can count the exits the DMA caused (none by design). Numbers
 *                           from 100h up are the test guest's own (vmm/hypercall.h stays below).
 */
/*
 * Injected interrupts (tests/guests/irq.c, vmm/vm_run.c): an OUT of a vector to
 * TEST_GUEST_IRQ_PORT asks skiff to inject it (vcpu_inject_interrupt()); an IN of 4 bytes reads
 * that request's result (0 or a negative errno). The guest uses TEST_GUEST_IRQ_VECTOR.
 */
#define TEST_GUEST_IRQ_PORT   0x510
#define TEST_GUEST_IRQ_VECTOR 0x41

/*
 * The exit round-trip benchmark (tests/guests/bench.c, vmm/vm_bench.h): an IN of 4 bytes from
 * TEST_GUEST_BENCH_PORT gives the iteration count (0: no benchmark); an OUT of a code hands skiff
 * a loop's TSC cycles in RBX (BARE, FULL, MIN) or asks for the minimal resume path for the next
 * loop of CPUID exits (MIN_START). The loops' CPUID leaf is skiff's own, answered without the
 * host's CPUID.
 */
#define TEST_GUEST_BENCH_PORT	   0x511
#define TEST_GUEST_BENCH_BARE	   0 /* the loop without exits */
#define TEST_GUEST_BENCH_FULL	   1 /* CPUID exits through skiff's full dispatch */
#define TEST_GUEST_BENCH_MIN	   2 /* CPUID exits on the minimal resume path */
#define TEST_GUEST_BENCH_RESULTS   3
#define TEST_GUEST_BENCH_MIN_START 3

/*
 * Hostile-guest mode (tests/guests/attack.c, vmm/hostile.c): an IN of 1 byte from
 * TEST_GUEST_ATTACK_PORT gives the next character of the attack skiff asks for, 0 at its end
 * (at once when it asks for none). The guest then runs that attack instead of its checks and
 * reports whether skiff contained it as its verdict.
 */
#define TEST_GUEST_ATTACK_PORT	   0x512
#define TEST_GUEST_ATTACK_NAME_MAX 32

/*
 * Attack "flood" (tests/guests/attack_flood.c): the distinct unknown ports, MSRs and MMIO
 * addresses it touches, and the console bytes it writes (half of them newlines: as many lines),
 * within skiff's exit budget for an attack (vmm/hostile.c).
 */
#define TEST_GUEST_FLOOD_PORTS	   2500
#define TEST_GUEST_FLOOD_MSRS	   2500
#define TEST_GUEST_FLOOD_MMIO	   2500
#define TEST_GUEST_FLOOD_CONSOLE   10000
#define TEST_GUEST_FLOOD_PORT_BASE 0x2000     /* no port of skiff's or the test guest's */
#define TEST_GUEST_FLOOD_MSR_BASE  0x40000100 /* hypervisor MSR range: skiff has none */

#define TEST_GUEST_DMA_OUTSIDE TEST_GUEST_RAM_SIZE
#define TEST_GUEST_MSI_VECTOR  0x40
#define TEST_GUEST_HC_WINDOW   0x100
#define TEST_GUEST_WINDOW_OPEN 1

/* Verdict bits: a set bit is a failed check. */
#define TEST_GUEST_FAIL_CPUID_SIG      (1u << 0)  /* leaf 40000000h is not skiff's signature */
#define TEST_GUEST_FAIL_CPUID_BASE     (1u << 1)  /* leaf 0 reports no leaf 1 */
#define TEST_GUEST_FAIL_PROBE_READ     (1u << 2)  /* the probe did not read as all ones */
#define TEST_GUEST_FAIL_PROBE_WRITE    (1u << 3)  /* a write to the probe was not dropped */
#define TEST_GUEST_FAIL_PCI_BAR	       (1u << 4)  /* edu's BAR0 did not size or read back right */
#define TEST_GUEST_FAIL_EDU_IDENT      (1u << 5)  /* edu's ident / liveness registers were wrong */
#define TEST_GUEST_FAIL_DMA_TIMEOUT    (1u << 6)  /* a DMA did not complete */
#define TEST_GUEST_FAIL_DMA_DATA       (1u << 7)  /* RAM -> edu -> RAM came back different */
#define TEST_GUEST_FAIL_DMA_OUTSIDE    (1u << 8)  /* a DMA read outside RAM delivered data */
#define TEST_GUEST_FAIL_MSI_NONE       (1u << 9)  /* edu's MSI did not arrive */
#define TEST_GUEST_FAIL_MSI_COUNT      (1u << 10) /* it arrived more than once */
#define TEST_GUEST_FAIL_CPUID_VIRT     (1u << 11) /* leaf 1 shows VMX or 80000001h shows SVM */
#define TEST_GUEST_FAIL_CPUID_INSN     (1u << 12) /* leaf 40000001h names no hypercall insn */
#define TEST_GUEST_FAIL_INJECT	       (1u << 13) /* an injected interrupt came early, late, twice */
#define TEST_GUEST_FAIL_SHADOW	       (1u << 14) /* STI's shadow outlived the OUT skiff completed */
#define TEST_GUEST_FAIL_EXCEPTION      (1u << 15) /* an exception the guest did not expect */
#define TEST_GUEST_FAIL_ATTACK_UNKNOWN (1u << 16) /* skiff named an attack the guest lacks */
/* The verdict of an attack this CPU cannot mount (it lacks what the attack needs; the guest's
 * console says what): neither a pass nor a failure of skiff. */
#define TEST_GUEST_ATTACK_NOT_HERE (1u << 17)
/* Bits 24-31 are each attack's own (tests/guests/attack_*.c). */
#define TEST_GUEST_FAIL_ATTACK(n) (1u << (24 + (n)))

#define TEST_GUEST_HELLO "hello from the test guest"

#endif
