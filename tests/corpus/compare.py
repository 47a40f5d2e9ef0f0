#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare skiff's parse of every real ACPI table in the corpus with ACPICA's decode.

For each NAME.dat under CORPUS/{dmar,madt,mcfg}, run skiff-acpi on it and read the ACPICA
disassembly beside it (NAME.dsl: lines "[HexOff DecOff Len]  Field Name : Value"; a subtable
starts at "Subtable Type", a DMAR device scope at "Device Scope Type", an MCFG allocation at
"Base Address"). Every value both describe must agree:

  DMAR  host address width, flags; every DRHD (flags, segment, register base), RMRR (segment,
        base, limit), ATSR (flags, segment), RHSA (base, proximity domain), ANDD (device
        number, name), and every device scope of each (type, enumeration id, bus, path).
  APIC  local APIC address (or the type 5 override), flags; every local APIC, local x2APIC,
        I/O APIC, interrupt source override, NMI source, local APIC NMI and local x2APIC NMI.
  MCFG  every allocation (base, segment, start and end bus).

Where the decode stops early (iasl 20200925 knows no DMAR SATC or type 6: it prints "****
Unknown DMAR subtable type" and decodes nothing after it), the structures of each kind that
the decode shows must be the first ones skiff reports of that kind. Such tables are counted as
decoded only partly, as are tables with a structure skiff decodes and the decode does not.

A structure or scope skiff ignored or skipped on purpose, with an error or info note at exactly
its offset (acpi_notes.h), is left out of the comparison, printed and counted.

Prints one line per disagreement (file, field, skiff's value, ACPICA's value), then a summary.
Exit status 0 only when tables were compared and all agree; 1 otherwise.
"""

import argparse
import json
import os
import re
import subprocess
import sys

FIELD_RE = re.compile(r"^\[([0-9A-Fa-f]+)h (\d+)\s+(\d+)\]\s+(.+?) : (.*)$")
UNKNOWN_RE = re.compile(r"^\*\*\*\* Unknown \w+ subtable type 0x([0-9A-Fa-f]+)")
TOOL_USAGE = 2  # skiff-acpi's exit status for a file that is not a table it handles

# Corpus folder -> the signature of its tables.
FOLDERS = {"dmar": "DMAR", "madt": "APIC", "mcfg": "MCFG"}

# Keys whose values are addresses: "0x..." strings in skiff-acpi's output, shown in hex here.
ADDRESS_KEYS = {"base", "limit", "address", "lapic_address"}

# Decode fields that carry nothing skiff reports, or that start a structure.
SKIPPED_FIELDS = {"Length", "Reserved", "Subtable Type", "Device Scope Type", "Entry Length",
                  "PCI Path"}


class DecodeError(Exception):
    """The .dsl holds something this script cannot map onto skiff's model."""


class Field:
    def __init__(self, offset, name, value):
        self.offset, self.name, self.value = offset, name, value

    def hex(self):
        try:
            return int(self.value.split()[0], 16)
        except (IndexError, ValueError):
            raise DecodeError(f"offset {self.offset}: {self.name}: not hex: {self.value!r}")

    def string(self):
        m = re.match(r'^"(.*)"', self.value)
        if not m:
            raise DecodeError(f"offset {self.offset}: {self.name}: not a string: {self.value!r}")
        return m.group(1)


class Decode:
    """The fields of one .dsl in order, and the subtables iasl could not decode."""

    def __init__(self, path):
        self.fields = []
        self.unknown = []  # (offset, type, length) of each subtable iasl did not know
        with open(path, encoding="latin-1") as f:
            for line in f:
                if m := FIELD_RE.match(line):
                    self.fields.append(Field(int(m.group(2)), m.group(4).strip(),
                                             m.group(5).strip()))
                elif m := UNKNOWN_RE.match(line):
                    self.unknown.append(self.last_subtable(int(m.group(1), 16)))
        self.signature = self.first("Signature").string()
        self.table_length = self.first("Table Length").hex()

    def first(self, name):
        for f in self.fields:
            if f.name == name:
                return f
        raise DecodeError(f"no {name} field")

    def last_subtable(self, kind):
        """(offset, kind, length) of the subtable whose header was decoded last."""
        starts = [i for i, f in enumerate(self.fields) if f.name == "Subtable Type"]
        if not starts or starts[-1] + 1 >= len(self.fields):
            raise DecodeError("unknown subtable without a type and length")
        i = starts[-1]
        return self.fields[i].offset, kind, self.fields[i + 1].hex()

    def stopped_early(self):
        """Whether iasl gave up at an unknown subtable with table bytes left after it."""
        if not self.unknown:
            return False
        off, _, length = self.unknown[-1]
        end = off + length
        return end < self.table_length and all(f.offset < end for f in self.fields)

    def partial(self, skiff_types):
        """Whether some of what skiff reports has no counterpart in this decode."""
        return self.stopped_early() or any(t in skiff_types for _, t, _ in self.unknown)


def hexval(f):
    return f.hex()


def path_text(pairs):
    return " ".join(f"{d:02X},{f:02X}" for d, f in pairs)


def split_at(fields, start_name):
    """Splits fields into those before the first start_name field and groups each starting at
    one."""
    head, groups = [], []
    for f in fields:
        if f.name == start_name:
            groups.append([f])
        elif groups:
            groups[-1].append(f)
        else:
            head.append(f)
    return head, groups


def take(fields, spec, where):
    """A structure from its decode fields: spec maps field names to (key, reader). "_off" is
    the structure's offset, for matching skiff's notes."""
    obj = {"_off": fields[0].offset}
    for f in fields:
        if f.name in spec:
            key, read = spec[f.name]
            obj[key] = read(f)
        elif f.name not in SKIPPED_FIELDS:
            raise DecodeError(f"offset {f.offset}: unexpected field {f.name!r} in {where}")
    missing = {key for key, _ in spec.values()} - obj.keys()
    if missing:
        raise DecodeError(f"{where}: the decode lacks {', '.join(sorted(missing))}")
    return obj


# DMAR (VT-d 8.x) as ACPICA 20200925 prints it: type -> (skiff's key, fields).
DMAR_STRUCTS = {
    0: ("drhd", {"Flags": ("flags", hexval), "PCI Segment Number": ("segment", hexval),
                 "Register Base Address": ("base", hexval)}),
    1: ("rmrr", {"PCI Segment Number": ("segment", hexval), "Base Address": ("base", hexval),
                 "End Address (limit)": ("limit", hexval)}),
    2: ("atsr", {"Flags": ("flags", hexval), "PCI Segment Number": ("segment", hexval)}),
    3: ("rhsa", {"Base Address": ("base", hexval),
                 "Proximity Domain": ("proximity_domain", hexval)}),
    4: ("andd", {"Device Number": ("device_number", hexval),
                 "Device Name": ("name", Field.string)}),
}
DMAR_WITH_SCOPES = {"drhd", "rmrr", "atsr"}
DMAR_SKIFF_TYPES = set(range(7))  # DRHD .. SIDP
SCOPE_SPEC = {"Device Scope Type": ("type", hexval), "Enumeration ID": ("enum_id", hexval),
              "PCI Bus Number": ("bus", hexval)}


def dmar_scope(fields):
    """One device scope; its path is every "PCI Path : DD,FF" line (one per pair)."""
    scope = take(fields, SCOPE_SPEC, f"device scope at offset {fields[0].offset}")
    pairs = []
    for f in fields:
        if f.name == "PCI Path":
            nums = [int(x, 16) for x in f.value.replace(" ", "").split(",")]
            pairs += list(zip(nums[0::2], nums[1::2]))
    scope["path"] = path_text(pairs)
    return scope


def dmar_decoded(d):
    head, groups = split_at(d.fields, "Subtable Type")
    model = {"haw_bits": None, "flags": None}
    for f in head:
        if f.name == "Host Address Width":
            model["haw_bits"] = f.hex() + 1
        elif f.name == "Flags":
            model["flags"] = f.hex()
    for key, _ in DMAR_STRUCTS.values():
        model[key] = []
    unknown = {off for off, _, _ in d.unknown}
    for g in groups:
        if g[0].offset in unknown:
            continue
        if g[0].hex() not in DMAR_STRUCTS:
            raise DecodeError(f"offset {g[0].offset}: DMAR subtable type {g[0].hex()} not "
                              "modelled here")
        key, spec = DMAR_STRUCTS[g[0].hex()]
        own, scopes = split_at(g, "Device Scope Type")
        obj = take(own, spec, f"{key} at offset {g[0].offset}")
        if key in DMAR_WITH_SCOPES:
            obj["scopes"] = [dmar_scope(s) for s in scopes]
        elif scopes:
            raise DecodeError(f"{key} at offset {g[0].offset}: unexpected device scopes")
        model[key].append(obj)
    return model


def dmar_reported(j):
    model = {"haw_bits": j["haw_bits"], "flags": j["flags"]}
    for key, _ in DMAR_STRUCTS.values():
        model[key] = [dict(s) for s in j[key]]
        for s in model[key]:
            if "scopes" in s:
                s["scopes"] = [dict(c, path=path_text(c["path"])) for c in s["scopes"]]
    return model


# MADT (ACPI 6.5, 5.2.12) as ACPICA 20200925 prints it: type -> (skiff's key, fields).
FLAGS = "Flags (decoded below)"
MADT_STRUCTS = {
    0: ("lapic", {"Processor ID": ("uid", hexval), "Local Apic ID": ("apic_id", hexval),
                  FLAGS: ("flags", hexval)}),
    1: ("ioapic", {"I/O Apic ID": ("id", hexval), "Address": ("address", hexval),
                   "Interrupt": ("gsi_base", hexval)}),
    2: ("overrides", {"Bus": ("bus", hexval), "Source": ("source", hexval),
                      "Interrupt": ("gsi", hexval), FLAGS: ("flags", hexval)}),
    3: ("nmi_sources", {FLAGS: ("flags", hexval), "Interrupt": ("gsi", hexval)}),
    4: ("lapic_nmi", {"Processor ID": ("uid", hexval), FLAGS: ("flags", hexval),
                      "Interrupt Input LINT": ("lint", hexval)}),
    9: ("x2apic", {"Processor x2Apic ID": ("x2apic_id", hexval), FLAGS: ("flags", hexval),
                   "Processor UID": ("uid", hexval)}),
    10: ("x2apic_nmi", {FLAGS: ("flags", hexval), "Processor UID": ("uid", hexval),
                        "Interrupt Input LINT": ("lint", hexval)}),
}
MADT_ADDR_OVERRIDE = 5
MADT_ADDR_SPEC = {"APIC Address": ("lapic_address", hexval)}
MADT_SKIFF_TYPES = set(MADT_STRUCTS) | {MADT_ADDR_OVERRIDE}


def madt_decoded(d):
    head, groups = split_at(d.fields, "Subtable Type")
    model = {"lapic_address": None, "flags": None}
    for f in head:
        if f.name == "Local Apic Address":
            model["lapic_address"] = f.hex()
        elif f.name == FLAGS:
            model["flags"] = f.hex()
    for key, _ in MADT_STRUCTS.values():
        model[key] = []
    for g in groups:
        kind, where = g[0].hex(), f"type {g[0].hex()} at offset {g[0].offset}"
        if kind == MADT_ADDR_OVERRIDE:
            model["lapic_address"] = take(g, MADT_ADDR_SPEC, where)["lapic_address"]
        elif kind in MADT_STRUCTS:
            key, spec = MADT_STRUCTS[kind]
            model[key].append(take(g, spec, where))
        # Other types: skiff does not decode them either (it notes and skips them).
    return model


def madt_reported(j):
    return {k: j[k] for k in ["lapic_address", "flags"] + [k for k, _ in MADT_STRUCTS.values()]}


MCFG_SPEC = {"Base Address": ("base", hexval), "Segment Group Number": ("segment", hexval),
             "Start Bus Number": ("start_bus", hexval), "End Bus Number": ("end_bus", hexval)}


def mcfg_decoded(d):
    _, groups = split_at(d.fields, "Base Address")
    return {"allocations": [take(g, MCFG_SPEC, f"allocation at offset {g[0].offset}")
                            for g in groups]}


def mcfg_reported(j):
    return {"allocations": j["allocations"]}


# Signature -> (the decode's model, skiff's model, the structure types skiff decodes, the
# top-level keys of skiff-acpi's JSON in order).
MODELS = {
    "DMAR": (dmar_decoded, dmar_reported, DMAR_SKIFF_TYPES,
             ["signature", "haw_bits", "flags", "drhd", "rmrr", "atsr", "rhsa", "andd", "satc",
              "sidp", "notes"]),
    "APIC": (madt_decoded, madt_reported, MADT_SKIFF_TYPES,
             ["signature", "lapic_address", "flags", "lapic", "x2apic", "ioapic", "overrides",
              "nmi_sources", "lapic_nmi", "x2apic_nmi", "notes"]),
    "MCFG": (mcfg_decoded, mcfg_reported, set(), ["signature", "allocations", "notes"]),
}


def show(key, v):
    if v is None:
        return "(absent)"
    if key in ADDRESS_KEYS and isinstance(v, int):
        return f"0x{v:x}"
    return str(v)


def numbers(v, key=None):
    """skiff's model with its "0x..." address strings made numbers."""
    if isinstance(v, dict):
        return {k: numbers(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [numbers(x) for x in v]
    if key in ADDRESS_KEYS and isinstance(v, str):
        return int(v, 16)
    return v


def diff(path, ours, ref, prefix_ok, out):
    """Appends (field, skiff's value, ACPICA's value) for each disagreement under path. With
    prefix_ok, skiff may report more structures of a kind than the decode shows."""
    if isinstance(ref, dict):
        ours = ours if isinstance(ours, dict) else {}
        for k, v in ref.items():
            if not k.startswith("_"):
                diff(f"{path}.{k}" if path else k, ours.get(k), v, prefix_ok, out)
    elif isinstance(ref, list):
        ours = ours if isinstance(ours, list) else []
        if len(ours) < len(ref) or (len(ours) > len(ref) and not prefix_ok):
            out.append((f"{path} count", len(ours), len(ref)))
        for i, (o, r) in enumerate(zip(ours, ref)):
            diff(f"{path}[{i}]", o, r, prefix_ok, out)
    elif ours != ref:
        key = path.rsplit(".", 1)[-1]
        out.append((path, show(key, ours), show(key, ref)))


def drop_ignored(ref, notes, path, out):
    """Removes from ref's lists each structure or scope with a note in notes (offset -> text)
    at its offset, appending (path, offset, text) to out."""
    if isinstance(ref, dict):
        for k, v in ref.items():
            drop_ignored(v, notes, f"{path}.{k}" if path else k, out)
    elif isinstance(ref, list):
        kept = []
        for i, r in enumerate(ref):
            if isinstance(r, dict) and r.get("_off") in notes:
                out.append((f"{path}[{i}]", r["_off"], notes[r["_off"]]))
            else:
                kept.append(r)
                drop_ignored(r, notes, f"{path}[{i}]", out)
        ref[:] = kept


class Tally:
    def __init__(self):
        self.total = self.agree = self.partial = self.ignored = 0
        self.foreign = {}  # signature -> tables in the folder that are another kind
        self.notes = {"info": 0, "warn": 0, "error": 0}


def compare_parsed(label, j, decode, tally):
    """The disagreements between skiff's JSON j and the decode of one table."""
    decoded, reported, skiff_types, keys = MODELS[decode.signature]
    out = []
    if list(j.keys()) != keys:
        out.append(("keys", ",".join(j.keys()), "(expected) " + ",".join(keys)))
        return out
    for n in j["notes"]:
        tally.notes[n["kind"]] += 1
    ref = decoded(decode)
    skipped = {n["offset"]: n["text"] for n in j["notes"] if n["kind"] in ("error", "info")}
    ignored = []
    drop_ignored(ref, skipped, "", ignored)
    for path, off, text in ignored:
        print(f"{label}: ignored by skiff: {path} at offset {off}: {text}")
    tally.ignored += len(ignored)
    tally.partial += decode.partial(skiff_types)
    if j["signature"] != decode.signature:
        out.append(("signature", j["signature"], decode.signature))
    diff("", numbers(reported(j)), ref, decode.stopped_early(), out)
    return out


def compare_one(tool, folder, dat, tally):
    """Returns (whether the file is a table of the folder's kind, its disagreements)."""
    label = f"{folder}/{os.path.basename(dat)}"
    decode = Decode(dat[:-len(".dat")] + ".dsl")
    p = subprocess.run([tool, dat], capture_output=True, text=True)
    if decode.signature not in MODELS:
        # ACPICA says this is another kind of table altogether: skiff must refuse it.
        tally.foreign[decode.signature] = tally.foreign.get(decode.signature, 0) + 1
        if p.returncode == TOOL_USAGE:
            return False, []
        return False, [("signature", f"exit status {p.returncode}", decode.signature)]
    if decode.signature != FOLDERS[folder]:
        return True, [("signature", "-", f"{decode.signature} in {folder}/")]
    if p.returncode != 0:
        return True, [("table", f"rejected (exit status {p.returncode}): "
                       f"{p.stdout.strip() or p.stderr.strip()}", "decoded")]
    return True, compare_parsed(label, json.loads(p.stdout), decode, tally)


def summary(tallies):
    parts = []
    for sig, t in tallies.items():
        extra = []
        if t.partial:
            extra.append(f"{t.partial} decoded only partly")
        if t.ignored:
            extra.append(f"{t.ignored} structure{'s' if t.ignored > 1 else ''} ignored by "
                         "skiff with a note")
        for other, n in sorted(t.foreign.items()):
            extra.append(f"{n} {other} table{'s' if n > 1 else ''} refused by both")
        parts.append(f"{sig} {t.agree}/{t.total} agree" + (f" ({', '.join(extra)})"
                                                           if extra else ""))
    notes = [f"{sig} " + " ".join(f"{n} {k}" for k, n in t.notes.items())
             for sig, t in tallies.items()]
    return "corpus: " + ", ".join(parts) + "\nskiff notes: " + ", ".join(notes)


def main():
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tool", default=os.path.join(top, "build/host/skiff-acpi"))
    ap.add_argument("--corpus", default=os.path.join(top, "../shared/acpi-corpus"))
    args = ap.parse_args()

    tallies, failed = {}, 0
    for folder, sig in FOLDERS.items():
        tally = tallies[sig] = Tally()
        d = os.path.join(args.corpus, folder)
        names = sorted(n for n in os.listdir(d) if n.endswith(".dat")) if os.path.isdir(d) else []
        for name in names:
            try:
                counted, problems = compare_one(args.tool, folder, os.path.join(d, name), tally)
            except (DecodeError, OSError, ValueError, KeyError) as e:
                counted, problems = True, [("comparison", "-", f"impossible: {e}")]
            for field, ours, ref in problems:
                print(f"{folder}/{name}: {field}: skiff {ours}, ACPICA {ref}")
            failed += bool(problems)
            tally.total += counted
            tally.agree += counted and not problems
    print(summary(tallies))
    compared = sum(t.total for t in tallies.values())
    agreed = sum(t.agree for t in tallies.values())
    # The line make test adds up: one test per table compared.
    print(f"corpus: {agreed} passed, {compared - agreed} failed")
    return 1 if failed or not compared else 0


if __name__ == "__main__":
    sys.exit(main())
