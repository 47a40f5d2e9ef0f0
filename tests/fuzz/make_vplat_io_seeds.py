#!/usr/bin/env python3
"""Write seeds for the guest platform's I/O-port harness (tests/fuzz/fuzz_vplat_io.c), laid out
as it reads its input: steps of 7 bytes, op (bit 0 IN, bits 2:1 size index 1/2/4/3, bits 7:3
target), a 16-bit port, a 32-bit value. Every seed here uses the raw-port target, so each step
names its port outright: Linux's probe of COM1 and a console line, ACPICA's S5 writes, the
reboot=pci sequence at 0xCF9, a boot's report words, and some bytes arriving on the line.

usage: make_vplat_io_seeds.py OUT_DIR"""
import os
import struct
import sys

T_RAW, T_RX = 4, 5
SIZE_INDEX = {1: 0, 2: 1, 4: 2}
COM1, REPORT, SLEEP_CONTROL, SLEEP_STATUS, RST_CNT = 0x3F8, 0x508, 0x600, 0x601, 0xCF9
IER, IIR, FCR, LCR, MCR, LSR, MSR, SCR = 1, 2, 2, 3, 4, 5, 6, 7


def step(port, value=0, size=1, is_in=False, target=T_RAW):
    op = target << 3 | SIZE_INDEX[size] << 1 | int(is_in)
    return struct.pack("<BHI", op, port, value & 0xFFFFFFFF)


def inb(reg):
    return step(COM1 + reg, is_in=True)


def outb(reg, value):
    return step(COM1 + reg, value)


def linux_probe():
    """autoconfig(): the IER test, the loopback test, FIFO detection, the EFR/NatSemi/16750
    checks, and size_fifo()'s loopback burst (shortened)."""
    s = [inb(IER), outb(IER, 0), inb(IER), outb(IER, 0x0F), inb(IER), outb(IER, 0)]
    s += [inb(MCR), inb(LCR), outb(MCR, 0x1A), inb(MSR), outb(MCR, 0)]
    s += [outb(LCR, 0xBF), outb(FCR, 0), outb(LCR, 0), outb(FCR, 1), inb(IIR)]
    s += [outb(LCR, 0x80), inb(IIR), outb(LCR, 0xBF), inb(IIR), outb(LCR, 0xE0), inb(IIR)]
    s += [outb(LCR, 0), outb(FCR, 0x21), inb(IIR), outb(FCR, 1), outb(LCR, 0)]
    s += [outb(FCR, 7), outb(MCR, 0x10), outb(LCR, 0x80), outb(0, 1), outb(1, 0), outb(LCR, 3)]
    s += [outb(0, b) for b in range(20)]
    s += [inb(LSR), inb(0)] * 17
    s += [outb(MCR, 0), outb(FCR, 0xC7), outb(IER, 0x07)]
    return b"".join(s)


def console_line():
    s = [outb(IER, 0)] + [x for c in b"Linux version 6.1\r\n" for x in (inb(LSR), outb(0, c))]
    return b"".join(s)


def power_off():
    return step(SLEEP_STATUS, 0x80) + step(SLEEP_CONTROL, 5 << 2 | 1 << 5)


def reboot_pci():
    return step(RST_CNT, is_in=True) + step(RST_CNT, 0x02) + step(RST_CNT, 0x06)


def report(seq, kind, check, status):
    return 0xB7 << 24 | (seq % 16) << 20 | kind << 16 | check << 8 | status


def report_boot():
    words = [report(0, 1, 2, 1), report(1, 2, 1, 1), report(2, 2, 2, 1), report(3, 3, 2, 1)]
    return b"".join(step(REPORT, w, size=4) for w in words)


def rx_bytes():
    s = [outb(FCR, 0x81), outb(IER, 0x05)]
    s += [step(3, int.from_bytes(b"ok\r\n", "little"), target=T_RX)]
    s += [inb(IIR), inb(LSR), inb(0)] * 5
    return b"".join(s)


def main():
    out = sys.argv[1]
    seeds = {
        "linux-probe": linux_probe(),
        "console-line": console_line(),
        "power-off": power_off(),
        "reboot-pci": reboot_pci(),
        "report-boot": report_boot(),
        "rx-bytes": rx_bytes(),
    }
    os.makedirs(out, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
