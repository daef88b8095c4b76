#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Suite `fpu-free-kernels`: no guest kernel image links a libgcc function
that uses the FPU. Guest kernels are built hard-float with
-mgeneral-regs-only (site_scons/l4build.py, GUEST_KERNEL_FLOAT): their own
code never touches VFP/NEON registers, which belong to their tasks (the
RTOS switches them lazily, core/fpu.c) or are off (natively FPEXC.EN).
What the compiler calls behind the code's back comes from libgcc, whose
hard-float multilib (thumb/v7ve+simd/hard) is NEON code: its
__udivmoddi4, behind a 64-bit `/`, keeps values in d16. So the guest
kernels carry their own 64-bit division (guests/rtos/arch/arm/divmod64.S)
and this check disassembles, in every registered guest image, each
function named like one of libgcc's and fails on any VFP/NEON instruction
(every such mnemonic starts with `v` in UAL), naming image, function,
address and instruction.

    check_kernel_fpu.py "CC FLAGS" --bad ELF IMAGE.elf...

CC FLAGS: the guest kernels' compiler and flags; their libgcc is what it
prints for -print-libgcc-file-name.
--bad ELF: an image that must be caught (a program linked with libgcc's
division): the check of the check. One `PASS|FAIL name` line per image,
then `N passed, N failed`."""
import re
import subprocess
import sys

NM = 'arm-none-eabi-nm'
OBJDUMP = 'arm-none-eabi-objdump'
INSN = re.compile(r'^\s*([0-9a-f]+):\s+(?:[0-9a-f]{4,8}\s+){1,2}\s*(\S+)\s*(.*)$')


def libgcc_functions(lib):
    out = subprocess.run([NM, '--defined-only', lib], capture_output=True, text=True,
                         check=True).stdout
    return {f[2] for f in (line.split() for line in out.splitlines())
            if len(f) == 3 and f[1] in 'Tt'}


def functions(elf):
    """name -> (address, size) of the ELF's sized function symbols."""
    out = subprocess.run([NM, '-S', '--defined-only', elf], capture_output=True, text=True,
                         check=True).stdout
    fns = {}
    for f in (line.split() for line in out.splitlines()):
        if len(f) == 4 and f[2] in 'Tt':
            fns[f[3]] = (int(f[0], 16) & ~1, int(f[1], 16))
    return fns


def fpu_uses(elf, names):
    """[(function, address, instruction)] of VFP/NEON instructions in names."""
    found = []
    for name, (addr, size) in sorted(functions(elf).items()):
        if name not in names or size == 0:
            continue
        out = subprocess.run([OBJDUMP, '-d', '--start-address=0x%x' % addr,
                              '--stop-address=0x%x' % (addr + size), elf],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            m = INSN.match(line)
            if m and m.group(2).startswith('v'):
                found.append((name, int(m.group(1), 16), '%s %s' % (m.group(2), m.group(3))))
    return found


def main(argv):
    lib, bad, images = argv[0], None, []
    rest = argv[1:]
    while rest:
        if rest[0] == '--bad':
            bad, rest = rest[1], rest[2:]
        else:
            images.append(rest[0])
            rest = rest[1:]
    lib = subprocess.run(lib.split() + ['-print-libgcc-file-name'], capture_output=True,
                         text=True, check=True).stdout.strip()
    names = libgcc_functions(lib)
    passed = failed = 0
    if bad:
        uses = fpu_uses(bad, names)
        ok = bool(uses)
        print('%s fpu_check_catches_libgcc_division (%s: %d VFP/NEON instructions%s)'
              % ('PASS' if ok else 'FAIL', bad, len(uses),
                 ', first %s at 0x%x: %s' % uses[0] if uses else ''))
        passed, failed = passed + ok, failed + (not ok)
    for elf in images:
        uses = fpu_uses(elf, names)
        for fn, addr, insn in uses:
            print('  %s: %s at 0x%x: %s (libgcc code using the FPU in a guest kernel)'
                  % (elf, fn, addr, insn))
        ok = not uses
        print('%s no_libgcc_fpu_code_in %s' % ('PASS' if ok else 'FAIL', elf))
        passed, failed = passed + ok, failed + (not ok)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
