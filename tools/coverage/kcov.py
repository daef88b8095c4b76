# SPDX-License-Identifier: BSD-2-Clause
"""Kernel coverage from QEMU's `-d in_asm` logs (docs/testing.md).

QEMU logs every block it translates, once per translation: the addresses
in a log are the instructions of blocks that began to run. This module maps
them to source lines through the kernel ELF's DWARF line table (binutils'
arm-none-eabi-addr2line) and merges several images per source line.

How an instruction counts (the figures are only as good as this):
  * a logged block counts as run to its end. QEMU ends a block at every
    branch, so this is exact except for ARM's predicated instructions (a
    `movne` whose condition failed did nothing) and for an instruction after
    one that took a synchronous exception in the middle of a block;
  * a line is covered if one of its instructions is; a line whose covered
    instructions are all predicated non-branch instructions is *uncertain*:
    counted covered in the figures, listed separately, and counted out in
    the conservative figure;
  * executable lines are the lines of the repository's files compiled into
    the kernel (kernel/, and what it shares, such as libl4/src/elf.c) that
    the line table gives at least one instruction; libgcc is not counted
    (literal pools are data, not instructions: objdump's mapping symbols
    tell them apart).
Images are mapped one by one (each has its own kernel ELF), then merged per
source line: a line's instructions are keyed by (file, line, k), k its
instruction's rank within the line in that ELF, so identical kernels merge
exactly and differently built kernels merge line by line.
"""
import os
import re
import subprocess
from collections import defaultdict

CROSS = 'arm-none-eabi-'
INSN = re.compile(r'^\s*([0-9a-f]+):\s+((?:[0-9a-f]{4,8} ?)+)\s+(\S+)')
LOGINSN = re.compile(r'^0x([0-9a-f]+):\s')


class Insn:
    __slots__ = ('addr', 'file', 'line', 'rank', 'predicated')

    def __init__(self, addr, predicated):
        self.addr, self.predicated = addr, predicated
        self.file = self.line = self.rank = None


def _run(cmd, stdin=None):
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=True).stdout


def _predicated(raw):
    """An ARM (A32) instruction that runs under a condition other than
    always, and is not a branch (a branch's condition is evaluated, which is
    what its line means)."""
    if not re.fullmatch(r'[0-9a-f]{8}', raw):
        return False          # Thumb encodings: no kernel code is Thumb
    word = int(raw, 16)
    cond = word >> 28
    if cond >= 0xe:
        return False
    if (word >> 25) & 7 == 0b101:
        return False          # b, bl
    if word & 0x0ffffff0 in (0x012fff10, 0x012fff30):
        return False          # bx, blx (register)
    return True


class KernelElf:
    """The instructions of one kernel ELF with their source lines."""

    def __init__(self, path, root, prefix=''):
        """prefix: the part of the source tree counted, relative to root
        (all of it by default; the test of this tool counts its fixture's
        directory)."""
        self.path, self.root, self.prefix = path, os.path.abspath(root), prefix
        syms = {}
        for line in _run([CROSS + 'nm', path]).splitlines():
            parts = line.split()
            if len(parts) == 3:
                syms[parts[2]] = int(parts[0], 16)
        self.is_kernel = 'kernel_main' in syms
        # Where each unit was compiled: a build directory copied from
        # another checkout (or built there) names that checkout's files.
        self.comp_dirs = sorted({m.group(1) for m in re.finditer(
            r'DW_AT_comp_dir\s*:(?: \(indirect[^)]*\):)? (.*)',
            _run([CROSS + 'readelf', '--debug-dump=info', '--dwarf-depth=1', path]))}
            - {self.root}) if self.is_kernel else []
        # The kernel enters at its physical address with the MMU off and then
        # moves to its link address: phys + offset = link address.
        self.phys_offset = syms['_start'] - syms['_start_phys'] if '_start_phys' in syms else 0
        self.insns = {}
        if not self.is_kernel:
            return
        for line in _run([CROSS + 'objdump', '-d', path]).splitlines():
            m = INSN.match(line)
            if m and not m.group(3).startswith('.'):   # .word etc.: data in text
                addr = int(m.group(1), 16)
                self.insns[addr] = Insn(addr, _predicated(m.group(2).strip()))
        addrs = sorted(self.insns)
        out = _run([CROSS + 'addr2line', '-e', path],
                   ''.join('0x%x\n' % a for a in addrs)).splitlines()
        per_line = defaultdict(int)
        for a, loc in zip(addrs, out):
            f, line = self.source(loc)
            if f is None:
                continue
            i = self.insns[a]
            i.file, i.line = f, line
            i.rank = per_line[(f, line)]
            per_line[(f, line)] += 1
        self.lo = addrs[0] if addrs else 0
        self.hi = addrs[-1] + 4 if addrs else 0

    def source(self, loc):
        """(repository-relative file, line) for an addr2line answer, or
        (None, None) for code outside the repository (libgcc), outside
        prefix, or without lines."""
        m = re.match(r'^(.*):(\d+)(?: \(discriminator \d+\))?$', loc)
        if not m or m.group(1) == '??':
            return None, None
        f = os.path.normpath(m.group(1))
        if not f.startswith(self.root + os.sep):
            # Compiled in another checkout: the same file of this one, if
            # it has it (never libgcc's sources, nor anything outside).
            for d in self.comp_dirs:
                rel = os.path.relpath(f, d)
                if (f.startswith(d + os.sep) and not rel.startswith('..')
                        and os.path.isfile(os.path.join(self.root, rel))):
                    f = os.path.join(self.root, rel)
                    break
            else:
                return None, None
        rel = os.path.relpath(f, self.root)
        if not rel.startswith(self.prefix):
            return None, None
        return rel, int(m.group(2))


def log_blocks(path):
    """The translated blocks of an in_asm log: a list of address lists."""
    blocks, cur = [], None
    with open(path, errors='replace') as f:
        for line in f:
            if line.startswith('----------------'):
                cur = []
                blocks.append(cur)
                continue
            m = LOGINSN.match(line)
            if m and cur is not None:
                cur.append(int(m.group(1), 16))
    return [b for b in blocks if b]


def covered_addrs(elf, blocks):
    """Kernel instruction addresses the blocks executed. Blocks at physical
    addresses count (moved by the ELF's offset) only before the first block
    at a kernel link address: that is the boot code running with the MMU off;
    later, the same addresses are user code."""
    seen, high = set(), False
    for b in blocks:
        if elf.lo <= b[0] < elf.hi:
            high = True
            seen.update(a for a in b if a in elf.insns)
        elif not high:
            moved = [a + elf.phys_offset for a in b]
            if elf.lo <= moved[0] < elf.hi:
                seen.update(a for a in moved if a in elf.insns)
    return seen


class Coverage:
    """Per-line coverage merged over images; keys (file, line)."""

    def __init__(self):
        self.total = defaultdict(set)     # (file, line) -> {rank}
        self.covered = defaultdict(set)   # (file, line) -> {rank}
        self.certain = set()              # lines with a covered unpredicated insn

    def add_elf(self, elf):
        for i in elf.insns.values():
            if i.file:
                self.total[(i.file, i.line)].add(i.rank)

    def add_run(self, elf, addrs):
        for a in addrs:
            i = elf.insns[a]
            if i.file:
                self.covered[(i.file, i.line)].add(i.rank)
                if not i.predicated:
                    self.certain.add((i.file, i.line))

    def merge(self, other):
        for k, v in other.total.items():
            self.total[k] |= v
        for k, v in other.covered.items():
            self.covered[k] |= v
        self.certain |= other.certain

    def line_state(self, key):
        """'+' covered, '?' covered by predicated instructions only, '-' not."""
        if not self.covered.get(key):
            return '-'
        return '+' if key in self.certain else '?'

    def figures(self, files=None):
        """dict of counts and percentages, over all files or those given."""
        keys = [k for k in self.total if files is None or k[0] in files]
        lines = len(keys)
        states = [self.line_state(k) for k in keys]
        cov = sum(1 for s in states if s != '-')
        sure = sum(1 for s in states if s == '+')
        insns = sum(len(self.total[k]) for k in keys)
        icov = sum(len(self.covered.get(k, ())) for k in keys)
        pct = lambda a, b: round(100.0 * a / b, 1) if b else 100.0
        return {'lines': lines, 'lines_covered': cov, 'lines_uncertain': cov - sure,
                'instructions': insns, 'instructions_covered': icov,
                'line_pct': pct(cov, lines), 'line_pct_conservative': pct(sure, lines),
                'insn_pct': pct(icov, insns)}

    def files(self):
        return sorted({k[0] for k in self.total})


def summary_line(fig):
    return 'kernel coverage: %.1f%% lines, %.1f%% instructions' % (fig['line_pct'], fig['insn_pct'])
