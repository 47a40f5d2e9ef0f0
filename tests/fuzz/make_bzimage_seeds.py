#!/usr/bin/env python3
"""Write seeds for tests/fuzz/fuzz_bzimage.c: a synthetic protocol 2.15 bzImage laid out from
Documentation/arch/x86/boot.rst's header table, and, when VMLINUZ exists, the first 32 KiB of
Debian's real bzImage as it is (refused: syssize claims more than 32 KiB) and with syssize cut to
what those 32 KiB hold (accepted, so the fuzzer starts inside the placement checks too).

usage: make_bzimage_seeds.py VMLINUZ OUT_DIR"""
import os
import struct
import sys

HEAD = 32 * 1024
SECTOR = 512


def synthetic():
    setup_sects = 4
    kernel = 0x1000
    b = bytearray((setup_sects + 1) * SECTOR + kernel)
    struct.pack_into("<B", b, 0x1F1, setup_sects)
    struct.pack_into("<I", b, 0x1F4, kernel // 16)  # syssize
    struct.pack_into("<H", b, 0x1FE, 0xAA55)  # boot_flag
    struct.pack_into("<BB", b, 0x200, 0xEB, 0x26C - 0x202)  # jump over 2.15's header
    b[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", b, 0x206, 0x020F)  # version
    struct.pack_into("<B", b, 0x211, 0x01)  # loadflags: LOADED_HIGH
    struct.pack_into("<I", b, 0x22C, 0x7FFFFFFF)  # initrd_addr_max
    struct.pack_into("<IBBH", b, 0x230, 0x200000, 1, 21, 0x3)  # alignment, relocatable, min, xlf
    struct.pack_into("<I", b, 0x238, 2047)  # cmdline_size
    struct.pack_into("<Q", b, 0x258, 0x1000000)  # pref_address
    struct.pack_into("<I", b, 0x260, 0x800000)  # init_size
    return b


def main():
    vmlinuz, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "synthetic"), "wb") as f:
        f.write(synthetic())
    if not os.path.exists(vmlinuz):
        print(f"make_bzimage_seeds: {vmlinuz} absent: synthetic seed only")
        return
    with open(vmlinuz, "rb") as f:
        head = bytearray(f.read(HEAD))
    with open(os.path.join(out, "debian-head"), "wb") as f:
        f.write(head)
    sects = head[0x1F1] or 4
    struct.pack_into("<I", head, 0x1F4, (HEAD - (sects + 1) * SECTOR) // 16)
    with open(os.path.join(out, "debian-head-fit"), "wb") as f:
        f.write(head)


main()
