# SPDX-License-Identifier: BSD-2-Clause
"""Let the real assembler encode candidate statements, one section each.

All candidates of a file go into one scratch file, each in its own section
`.pvc.<k>` behind the instruction-set, syntax and architecture directives in
force at its place, after the file's symbol and register-alias definitions.
One assembler run (with -Z, so one bad statement does not hide the others)
gives every candidate's bytes, or the assembler's own error message.
"""
import os
import re
import struct
import subprocess
import tempfile

ERROR_LINE = re.compile(r'^[^:]*:(\d+): (?:Error|Warning): (.*)$')


def elf_sections(path):
    """{name: bytes} of an ELF32 little-endian relocatable object."""
    data = open(path, 'rb').read()
    if data[:4] != b'\x7fELF' or data[4] != 1 or data[5] != 1:
        raise ValueError('%s: not an ELF32 little-endian object' % path)
    shoff, = struct.unpack_from('<I', data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x2e)
    heads = [struct.unpack_from('<IIIIIIIIII', data, shoff + i * shentsize) for i in range(shnum)]
    strtab = heads[shstrndx]
    names = data[strtab[4]:strtab[4] + strtab[5]]
    out = {}
    for h in heads:
        name = names[h[0]:names.index(b'\0', h[0])].decode()
        if h[1] == 1:  # SHT_PROGBITS
            out[name] = data[h[4]:h[4] + h[5]]
    return out


def assemble(assembler, flags, preamble, candidates):
    """candidates: [(isa, syntax, arch_lines, text)]. Returns [(bytes or None, error)]."""
    lines = list(preamble)
    where = {}
    for k, (isa, syntax, arch, text) in enumerate(candidates):
        lines.append('.section .pvc.%d, "ax", %%progbits' % k)
        lines.extend(arch)
        lines.append('.syntax %s' % syntax)
        lines.append('.%s' % isa)
        lines.append(text)
        where[len(lines)] = k
    errors = {}
    with tempfile.TemporaryDirectory(prefix='previrt.') as tmp:
        src, obj = os.path.join(tmp, 'c.s'), os.path.join(tmp, 'c.o')
        with open(src, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        p = subprocess.run([assembler] + list(flags) + ['-Z', '-mimplicit-it=always',
                                                        '-o', obj, src],
                           capture_output=True, text=True)
        for line in p.stderr.splitlines():
            m = ERROR_LINE.match(line)
            if m and int(m.group(1)) in where and 'Error' in line:
                errors.setdefault(where[int(m.group(1))], m.group(2))
        sections = elf_sections(obj) if os.path.exists(obj) else {}
    out = []
    for k in range(len(candidates)):
        if k in errors:
            out.append((None, errors[k]))
        elif '.pvc.%d' % k in sections:
            out.append((sections['.pvc.%d' % k], ''))
        else:
            out.append((None, 'the assembler produced nothing for it'))
    return out
