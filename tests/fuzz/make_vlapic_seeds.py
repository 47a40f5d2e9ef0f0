#!/usr/bin/env python3
"""Write seeds for tests/fuzz/fuzz_vlapic.c, laid out as the harness reads its input (see its
header): a header (A's x2APIC ID, guest TSC Hz, timer Hz, the VM callback's answers), then steps
of one byte and their fields. Each seed is a sequence a guest really makes: Linux's bring-up with
the TSC-deadline timer, a periodic timer, nested interrupts under TPR, errors through the ESR,
IPIs, and the IA32_APIC_BASE transitions.

usage: make_vlapic_seeds.py OUT_DIR"""
import os
import struct
import sys

# The harness's steps (enum op) and field flags.
READ, WRITE, DELIVER, ACK, TIME, EXPIRE, EOI, INIT = range(8)
SEL_RANGE = 0x8000
SEL_APIC_BASE, SEL_TSC_DEADLINE = 0, 1  # msrs[0], msrs[1]
ACK_PENDING, AT_DEADLINE = 1, 1

APIC_BASE, TSC_DEADLINE = 0x1B, 0x6E0
TPR, EOI_MSR, SVR, ESR, ICR = 0x808, 0x80B, 0x80F, 0x828, 0x830
LVT_TIMER, LVT_LINT0, LVT_LINT1, LVT_ERROR = 0x832, 0x835, 0x836, 0x837
TMICT, TMCCT, TDCR, SELF_IPI = 0x838, 0x839, 0x83E, 0x83F
X2APIC_ON, DISABLED, XAPIC = 0xFEE00D00, 0xFEE00100, 0xFEE00900


def header(apic_id=0, tsc_hz=2_500_000_000, timer_hz=1_000_000_000, answers=0):
    return (struct.pack("<I", apic_id) + tsc_hz.to_bytes(5, "little") +
            timer_hz.to_bytes(5, "little") + struct.pack("<Q", answers))


def sel(msr):
    if msr == APIC_BASE:
        return struct.pack("<H", SEL_APIC_BASE)
    if msr == TSC_DEADLINE:
        return struct.pack("<H", SEL_TSC_DEADLINE)
    return struct.pack("<H", SEL_RANGE | (msr - 0x800))


def rd(msr):
    return bytes([READ]) + sel(msr)


def wr(msr, value):
    return bytes([WRITE]) + sel(msr) + bytes([8]) + struct.pack("<Q", value)


def deliver(vector, level=False):
    return bytes([DELIVER, vector, int(level)])


def ack():
    return bytes([ACK, ACK_PENDING, 0])


def time(delta):
    return bytes([TIME]) + struct.pack("<I", delta)


def expire(at_deadline=True):
    return bytes([EXPIRE, AT_DEADLINE if at_deadline else 0])


def eoi():
    return bytes([EOI])


def icr(dest, shorthand, mode, vector, logical=False):
    return (dest << 32) | (shorthand << 18) | (1 << 14) | (int(logical) << 11) | (mode << 8) | vector


SEEDS = {
    # setup_local_APIC(), then the TSC-deadline clockevent and a reschedule self-IPI.
    "linux_tsc_deadline": header() + b"".join([
        rd(APIC_BASE), rd(0x802), rd(0x803), wr(TPR, 0), wr(SVR, 0x1FF),
        wr(LVT_LINT0, 0x10700), wr(LVT_LINT1, 0x400), wr(LVT_ERROR, 0xFE), wr(ESR, 0), rd(ESR),
        wr(LVT_TIMER, 0x400EC), wr(TSC_DEADLINE, 5000), time(4000), expire(), ack(), eoi(),
        wr(TSC_DEADLINE, 20000), wr(SELF_IPI, 0xFD), ack(), eoi(), expire(), ack(), eoi(),
        wr(TSC_DEADLINE, 0), rd(TSC_DEADLINE),
    ]),
    # The LAPIC timer in periodic and one-shot mode, divided by 1 and by 16.
    "periodic": header(tsc_hz=1_000_000_000, timer_hz=100_000_000) + b"".join([
        wr(SVR, 0x1FF), wr(TDCR, 0xB), wr(LVT_TIMER, 0x20030), wr(TMICT, 100), rd(TMCCT),
        expire(), ack(), eoi(), time(500), rd(TMCCT), wr(TDCR, 0x3), expire(), ack(), eoi(),
        wr(LVT_TIMER, 0x30), expire(), ack(), eoi(), wr(TMICT, 0), rd(TMCCT),
    ]),
    # Nested interrupts under TPR, level and edge, EOIs in order.
    "nested": header(apic_id=5) + b"".join([
        wr(SVR, 0x1FF), deliver(0x31), deliver(0x95, True), deliver(0x50), ack(), deliver(0xA0),
        ack(), wr(TPR, 0x60), rd(0x80A), eoi(), ack(), eoi(), wr(TPR, 0), ack(), eoi(), eoi(),
        rd(0x810 + 5), rd(0x818 + 4), rd(0x820 + 1),
    ]),
    # Errors: illegal vectors received and sent, a lowest-priority IPI, the error interrupt.
    "errors": header(apic_id=0x23) + b"".join([
        wr(SVR, 0x1FF), wr(LVT_ERROR, 0xFE), deliver(3), wr(SELF_IPI, 0x0F),
        wr(ICR, icr(0, 1, 1, 0x40)), wr(ESR, 0), rd(ESR), ack(), eoi(), wr(ESR, 1),
        wr(EOI_MSR, 1), rd(EOI_MSR), rd(SELF_IPI), wr(0x802, 0), rd(0x82F), wr(LVT_TIMER, 0x60000),
    ]),
    # IPIs: self, all, all-but-self, physical to B and to an absent APIC, logical, NMI/INIT/SIPI.
    "ipis": header(apic_id=0x12, answers=0x5555555555555555) + b"".join([
        wr(SVR, 0x1FF), wr(ICR, icr(0, 1, 0, 0x41)), wr(ICR, icr(0, 2, 0, 0x42)),
        wr(ICR, icr(0, 3, 0, 0x43)), wr(ICR, icr(1, 0, 0, 0x44)), wr(ICR, icr(9, 0, 0, 0x45)),
        wr(ICR, icr(0x00010004, 0, 0, 0x46, logical=True)), wr(ICR, icr(1, 0, 4, 0)),
        wr(ICR, icr(1, 0, 5, 0) | (1 << 15)), wr(ICR, icr(1, 0, 6, 0x9A)),
        wr(ICR, icr(0xFFFFFFFF, 0, 0, 0x47)), rd(ICR), ack(), eoi(),
    ]),
    # IA32_APIC_BASE: refused transitions, disable, refused xAPIC, INIT.
    "apic_base": header() + b"".join([
        wr(APIC_BASE, XAPIC), wr(APIC_BASE, 0xFEE00500), wr(APIC_BASE, X2APIC_ON | 1),
        wr(SVR, 0x1FF), deliver(0x40), wr(APIC_BASE, DISABLED), rd(0x802), wr(APIC_BASE, XAPIC),
        wr(APIC_BASE, X2APIC_ON), bytes([INIT]), rd(APIC_BASE),
    ]),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
