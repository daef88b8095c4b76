#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The trace hooks cost a kernel without the trace nothing: each pair
IMAGE STRIPPED (the same kernel configuration and root task, STRIPPED built
with every hook removed from the source, trace.h TRACE_HOOKS_STRIPPED)
must execute the same instructions: every function the same instructions
in the same order (mnemonics compared, so the same count on every path:
what the benchmarks measure), identical .rodata and .data, the same .bss
size and the same symbols at the same addresses. Operands may differ: the
dead `if (0)` code of a hook still takes SSA names in GCC, whose numbering
decides the operand order of some comparisons (`cmp r4, r2` against
`cmp r2, r4` before a beq), which costs nothing. One test per pair; ends
with `N passed, N failed`.

    check_stripped.py IMAGE STRIPPED [IMAGE STRIPPED ...]
"""
import os
import re
import subprocess
import sys
import tempfile

OBJCOPY = 'arm-none-eabi-objcopy'
NM = 'arm-none-eabi-nm'
SIZE_SECTIONS = ('.bss',)
CONTENT_SECTIONS = ('.rodata', '.data')
INSN = re.compile(r'^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+(\S+)')
FUNC = re.compile(r'^[0-9a-f]+ <([^>]+)>:$')


def text_listing(image):
    """function -> its mnemonics in order, and the number of instructions."""
    out = subprocess.run(['arm-none-eabi-objdump', '-d', '-j', '.text', image],
                         capture_output=True, text=True, check=True).stdout
    funcs, cur, n = {}, None, 0
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            cur = funcs.setdefault(m.group(1), [])
            continue
        m = INSN.match(line)
        if m and cur is not None:
            cur.append(m.group(2))
            n += 1
    return funcs, n


def section(image, name, tmp):
    out = os.path.join(tmp, os.path.basename(image) + name)
    subprocess.run([OBJCOPY, '-O', 'binary', '--only-section=' + name, image, out], check=True)
    with open(out, 'rb') as f:
        return f.read()


def section_sizes(image):
    out = subprocess.run(['arm-none-eabi-objdump', '-h', image], capture_output=True, text=True,
                         check=True).stdout
    sizes = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 3 and f[0].isdigit():
            sizes[f[1]] = int(f[2], 16)
    return sizes


def symbols(image):
    out = subprocess.run([NM, '--defined-only', image], capture_output=True, text=True,
                         check=True).stdout
    # The embedded root task's symbols are the image's own business.
    return sorted(l for l in out.splitlines() if '__root_image' not in l)


def differences(image, stripped):
    why = []
    with tempfile.TemporaryDirectory() as tmp:
        for s in CONTENT_SECTIONS:
            a, b = section(image, s, tmp), section(stripped, s, tmp)
            if a != b:
                n = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
                why.append('%s differs (%d vs %d bytes, first at offset 0x%x)' % (s, len(a), len(b), n))
    fa, na = text_listing(image)
    fb, nb = text_listing(stripped)
    if na != nb:
        why.append('.text has %d instructions, %d without the hooks' % (na, nb))
    for f in sorted(set(fa) | set(fb)):
        if fa.get(f) != fb.get(f):
            why.append('%s: %d instructions, %d without the hooks (or others)'
                       % (f, len(fa.get(f, [])), len(fb.get(f, []))))
    sa, sb = section_sizes(image), section_sizes(stripped)
    for s in SIZE_SECTIONS + ('.text',):
        if sa.get(s) != sb.get(s):
            why.append('%s size 0x%x vs 0x%x' % (s, sa.get(s, 0), sb.get(s, 0)))
    ya, yb = symbols(image), symbols(stripped)
    if ya != yb:
        extra = sorted(set(ya) ^ set(yb))[:5]
        why.append('symbols differ: %s' % ', '.join(extra))
    return why


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    passed = failed = 0
    for image, stripped in zip(args[::2], args[1::2]):
        why = differences(image, stripped)
        if not why:
            print('%s: %d instructions, the same without the trace hooks'
                  % (os.path.basename(image), text_listing(image)[1]))
        name = 'hooks_cost_nothing_in_' + os.path.basename(image).replace('.elf', '')
        print('[test] %s %s%s' % ('FAIL' if why else 'PASS', name, ': ' + '; '.join(why) if why else ''))
        passed, failed = passed + (not why), failed + bool(why)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
