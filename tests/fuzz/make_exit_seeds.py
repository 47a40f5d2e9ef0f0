#!/usr/bin/env python3
"""Write seeds for the exit-handler harnesses (tests/fuzz/fuzz_insn.c, fuzz_vcpu_event.c,
fuzz_svm_exit.c, fuzz_vmx_exit.c), laid out as each harness reads its input (see its header):
a few real cases of every kind each handles, for the fuzzer to start from.

usage: make_exit_seeds.py NAME OUT_DIR"""
import os
import struct
import sys

PAGE = 0x1000

# --- fuzz_insn: flags, MAXPHYADDR, CR3, RIP, CS base, old value, value, then guest memory ---
PG, PAE, LMA, CS_L, CS_DB, PSE, LA57, NXE = 1, 2, 4, 8, 16, 32, 64, 128
PTE_P_RW, PTE_PS = 0x3, 0x80
PA_BITS_LO, PA_BITS_40 = 30, 40


def insn_case(flags, cr3, rip, memory, pa_bits=PA_BITS_40):
    return struct.pack("<BBQQIQQ", flags, pa_bits - PA_BITS_LO, cr3, rip, 0, 0x1122334455667788,
                       0xA5A5A5A5A5A5A5A5) + bytes(memory)


def long_mode_memory(code, leaf_4k):
    """PML4 at 0x1000 -> PDPT 0x2000 -> PD 0x3000 -> 2 MiB page at 0 (or PT 0x5000 -> 4 KiB
    pages), the code at 0x4000."""
    mem = bytearray(6 * PAGE)
    struct.pack_into("<Q", mem, 0x1000, 0x2000 | PTE_P_RW)
    struct.pack_into("<Q", mem, 0x2000, 0x3000 | PTE_P_RW)
    if leaf_4k:
        struct.pack_into("<Q", mem, 0x3000, 0x5000 | PTE_P_RW)
        struct.pack_into("<Q", mem, 0x5000 + 4 * 8, 0x4000 | PTE_P_RW)
        struct.pack_into("<Q", mem, 0x5000 + 5 * 8, 0x4000 | PTE_P_RW)
    else:
        struct.pack_into("<Q", mem, 0x3000, PTE_PS | PTE_P_RW)
    mem[0x4000:0x4000 + len(code)] = code
    return mem


def five_level_memory(code):
    """PML5 at 0x5000 -> the long-mode tables (PML4 at 0x1000, 2 MiB page at 0, code at 0x4000)."""
    mem = long_mode_memory(code, False)
    struct.pack_into("<Q", mem, 0x5000, 0x1000 | PTE_P_RW)
    return mem


def bit32_memory(code, large):
    """32-bit paging: PD at 0x1000; PDE 0 a 4 MiB page at 0 (CR4.PSE) or -> PT 0x2000, whose
    PTE 4 maps the code at 0x4000; 4-byte entries."""
    mem = bytearray(5 * PAGE)
    if large:
        struct.pack_into("<I", mem, 0x1000, PTE_PS | PTE_P_RW)
    else:
        struct.pack_into("<I", mem, 0x1000, 0x2000 | PTE_P_RW)
        struct.pack_into("<I", mem, 0x2000 + 4 * 4, 0x4000 | PTE_P_RW)
    mem[0x4000:0x4000 + len(code)] = code
    return mem


def pae_memory(code):
    """PAE paging: PDPTEs at 0x1000 (PDPTE 0 -> PD 0x2000), PDE 0 -> PT 0x3000, PTE 4 -> 0x4000."""
    mem = bytearray(5 * PAGE)
    struct.pack_into("<Q", mem, 0x1000, 0x2000 | 1)  # a PDPTE has no R/W bit (reserved)
    struct.pack_into("<Q", mem, 0x2000, 0x3000 | PTE_P_RW)
    struct.pack_into("<Q", mem, 0x3000 + 4 * 8, 0x4000 | PTE_P_RW)
    mem[0x4000:0x4000 + len(code)] = code
    return mem


INSN_32 = ["ec", "66 ed", "e6 80", "e5 70", "f3 6e", "6d", "0f a2", "0f 32", "0f 30",
           "0f 01 d9", "0f 01 c1", "f4", "89 05 00 00 c0 fe", "8b 43 10", "88 20", "8a 24 24",
           "66 89 08", "c7 05 00 00 c0 fe 78 56 34 12", "c6 00 7f", "66 c7 84 88 00 01 00 00 ff 7f",
           "3e 8b 80 00 10 00 00", "f0 89 00", "67 89 07"]
INSN_64 = ["48 89 05 00 10 00 00", "44 8b 0d f0 ff ff ff", "48 c7 00 ff ff ff ff", "40 88 38",
           "88 38", "4c 8b 44 24 08", "66 41 89 00", "0f 01 d9", "48 ed", "e7 70",
           "c7 04 25 00 00 c0 fe 01 00 00 00", "41 c6 45 00 80"]
INSN_16 = ["ec", "67 89 07", "89 07", "66 ef"]


def insn_seeds():
    seeds = []
    for c in INSN_32:
        seeds.append(insn_case(CS_DB, 0, 0, bytes.fromhex(c)))
    for c in INSN_16:
        seeds.append(insn_case(0, 0, 0, bytes.fromhex(c)))
    for i, c in enumerate(INSN_64):
        code = bytes.fromhex(c)
        seeds.append(insn_case(PG | PAE | LMA | CS_L, 0x1000, 0x4000,
                               long_mode_memory(code, i % 2)))
    # an instruction across a page boundary of a 4 KiB mapping (PT entries 4 and 5)
    mem = long_mode_memory(b"", True)
    mem[0x4ffd:0x5000] = bytes.fromhex("48 89 05")
    seeds.append(insn_case(PG | PAE | LMA | CS_L, 0x1000, 0x4ffd, mem))
    # every other paging mode, each with a few instructions
    for c in INSN_32[:4]:
        code = bytes.fromhex(c)
        seeds.append(insn_case(PG | CS_DB, 0x1000, 0x4000, bit32_memory(code, False)))
        seeds.append(insn_case(PG | PSE | CS_DB, 0x1000, 0x4000, bit32_memory(code, True), 36))
        seeds.append(insn_case(PG | PAE | NXE | CS_DB, 0x1000, 0x4000, pae_memory(code)))
    for c in INSN_64[:4]:
        seeds.append(insn_case(PG | PAE | LA57 | LMA | CS_L, 0x5000, 0x4000,
                               five_level_memory(bytes.fromhex(c)), 52))
    return seeds


# --- fuzz_vcpu_event: steps (0 raise, 1 SVM exit, 2 VMX exit, 3 exit with none) ---
def raise_exc(vector, error=0):
    return struct.pack("<BBBI", 0, vector, 0, error)


def svm_exit(intinfo):
    return struct.pack("<BQ", 1, intinfo)


def vmx_exit(idt, error=0, length=0):
    return struct.pack("<BIII", 2, idt, error, length)


NONE = bytes([3])
V = 1 << 31


def event_seeds():
    return [
        raise_exc(13) + NONE + NONE,                                 # #GP(0), delivered
        raise_exc(14, 2) + raise_exc(13) + NONE,                     # #PF then #GP: #DF
        raise_exc(14, 2) + raise_exc(14, 2) + raise_exc(13) + NONE,  # #DF then #GP: triple
        svm_exit(V | 0x30) + raise_exc(6) + NONE + NONE,             # INTR 30h, #UD held
        svm_exit(V | (3 << 8) | (1 << 11) | 13 | (0x10 << 32)) + raise_exc(11, 8) + NONE,
        vmx_exit(V | (4 << 8) | 0x80, 0, 2) + raise_exc(13) + NONE,  # INT 80h, then #GP
        vmx_exit(V | (6 << 8) | 3, 0, 1) + raise_exc(1) + NONE,      # INT3, then #DB
        vmx_exit(V | (2 << 8) | 2) + raise_exc(14, 4) + NONE,        # NMI, then #PF
        vmx_exit(V | (5 << 8) | 1, 0, 1) + NONE,                     # INT1
        raise_exc(8) + raise_exc(0) + NONE,                          # #DF then #DE: triple
        raise_exc(40),                                               # not an exception
    ]


# --- fuzz_svm_exit: flags (NRIPS 1, architectural 2), MAXPHYADDR, length, then the VMCB ---
EXITCODE, EXITINFO1, EXITINFO2, NEXT_RIP = 0x070, 0x078, 0x080, 0x0C8
RIP, EFER, GUEST_ASID, INTERCEPT2 = 0x578, 0x4D0, 0x058, 0x010


def vmcb(code, info1=0, info2=0, next_rip=0, rip=0x1000):
    b = bytearray(PAGE)
    struct.pack_into("<QQQ", b, EXITCODE, code, info1, info2)
    struct.pack_into("<Q", b, NEXT_RIP, next_rip)
    struct.pack_into("<Q", b, RIP, rip)
    return b


def svm_case(flags, length, b):
    return struct.pack("<BBB", flags, 48 - 32, length - 1) + bytes(b)


def svm_seeds():
    bad_state = vmcb(0xFFFFFFFFFFFFFFFF)
    struct.pack_into("<Q", bad_state, EFER, 1 << 12)  # SVME, but no VMRUN intercept
    struct.pack_into("<I", bad_state, GUEST_ASID, 1)
    return [
        svm_case(2, 1, vmcb(0x7B, (0x3F8 << 16) | (1 << 4))),          # OUT dx, al
        svm_case(0, 2, vmcb(0x7B, (0x80 << 16) | (1 << 6) | 1, 0x1002)),  # IN eax, 80h
        svm_case(1, 2, vmcb(0x72, next_rip=0x1002)),                   # CPUID with NRIPS
        svm_case(0, 2, vmcb(0x72)),                                    # CPUID without
        svm_case(3, 2, vmcb(0x7C, 1)),                                 # WRMSR
        svm_case(3, 3, vmcb(0x81)),                                    # VMMCALL
        svm_case(3, 1, vmcb(0x78)),                                    # HLT
        svm_case(0, 1, vmcb(0x40 + 13, 0x18)),                         # #GP(18h)
        svm_case(0, 1, vmcb(0x40 + 14, 0x2, 0xDEAD000)),               # #PF write
        svm_case(0, 1, vmcb(0x40 + 6)),                                # #UD
        svm_case(0, 1, vmcb(0x400, 0x6, 0xFEC00000)),                  # #NPF write
        svm_case(0, 1, vmcb(0x60)),                                    # INTR
        svm_case(0, 1, vmcb(0x7F)),                                    # SHUTDOWN
        svm_case(0, 1, bad_state),                                     # VMEXIT_INVALID
    ]


# --- fuzz_vmx_exit: flags (architectural 1), reason, qual, intr info, error, length, gpa ---
def vmx_case(arch, reason, qual=0, intr=0, error=0, length=1, gpa=0):
    return struct.pack("<BIQIIIQ", arch, reason, qual, intr, error, length - 1 if arch else
                       length, gpa)


def vmx_seeds():
    return [
        vmx_case(1, 30, (0x3F8 << 16)),                       # OUT dx, al
        vmx_case(0, 30, (0x70 << 16) | 3 | (1 << 3), 0, 0, 2),  # IN eax, 70h
        vmx_case(1, 10, 0, 0, 0, 2),                          # CPUID
        vmx_case(1, 31, 0, 0, 0, 2),                          # RDMSR
        vmx_case(1, 32, 0, 0, 0, 2),                          # WRMSR
        vmx_case(1, 18, 0, 0, 0, 3),                          # VMCALL
        vmx_case(1, 12),                                      # HLT
        vmx_case(0, 0, 0xDEAD000, V | (3 << 8) | (1 << 11) | 14, 2),  # #PF
        vmx_case(0, 0, 0, V | (3 << 8) | 6),                  # #UD
        vmx_case(0, 0, 0, V | (2 << 8) | 2),                  # NMI
        vmx_case(1, 48, 0x2, 0, 0, 1, 0xFEC00000),            # EPT violation, write
        vmx_case(0, 49, 0, 0, 0, 1, 0x1000),                  # EPT misconfiguration
        vmx_case(0, (1 << 31) | 33, 2),                       # invalid guest state, PDPTEs
        vmx_case(0, (1 << 31) | 34),                          # MSR loading
        vmx_case(0, 1), vmx_case(0, 2), vmx_case(0, 7),       # interrupt, triple fault, window
    ]


SEEDS = {"insn": insn_seeds, "vcpu_event": event_seeds, "svm_exit": svm_seeds,
         "vmx_exit": vmx_seeds}


def main():
    name, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for i, seed in enumerate(SEEDS[name]()):
        with open(os.path.join(out, "seed-%02d" % i), "wb") as f:
            f.write(seed)


if __name__ == "__main__":
    main()
