#!/usr/bin/env python3
"""Write seeds for tests/fuzz/fuzz_xsdt.c: "physical memory" starting at 0x1000 that holds an
ACPI 2.0 RSDP at its start, an XSDT after it, and real tables from the shared corpus after that
(ACPI 6.5, 5.2.5.3 RSDP and 5.2.8 XSDT layouts).

usage: make_xsdt_seed.py ACPI_CORPUS OUT_DIR"""
import glob
import os
import struct
import sys

FAKE_BASE = 0x1000
RSDP_LEN = 36
SDT_HEADER_LEN = 36


def checksum_fix(b, at):
    b[at] = (-sum(b) + b[at]) & 0xFF


def rsdp(xsdt_pa):
    b = bytearray(struct.pack("<8sB6sBIIQB3s", b"RSD PTR ", 0, b"SKIFF ", 2, 0, RSDP_LEN,
                              xsdt_pa, 0, b"\0\0\0"))
    b[8] = (-sum(b[:20])) & 0xFF
    checksum_fix(b, 32)
    return b


def xsdt(entries):
    length = SDT_HEADER_LEN + 8 * len(entries)
    b = bytearray(struct.pack("<4sIBB6s8sI4sI", b"XSDT", length, 1, 0, b"SKIFF ", b"SKIFFTST",
                              1, b"SKIF", 1))
    for e in entries:
        b += struct.pack("<Q", e)
    checksum_fix(b, 9)
    return b


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    for n, kinds in enumerate([("dmar",), ("dmar", "madt", "mcfg")]):
        tables = [open(sorted(glob.glob(os.path.join(corpus, k, "*.dat")))[0], "rb").read()
                  for k in kinds]
        first = FAKE_BASE + RSDP_LEN + SDT_HEADER_LEN + 8 * len(tables)
        addrs, at = [], first
        for t in tables:
            addrs.append(at)
            at += len(t)
        image = rsdp(FAKE_BASE + RSDP_LEN) + xsdt(addrs) + b"".join(tables)
        with open(os.path.join(out, "seed-%d.bin" % n), "wb") as f:
            f.write(image)


if __name__ == "__main__":
    main()
