#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write a copy of a valid root-task ELF spoiled in one way (kernel/core/elf.c
must refuse it at boot, naming the reason; test/system/SConscript).

  corrupt.py KIND IN.elf OUT.elf

KIND: truncated, not-elf, class, phdrs-outside, phdrs-unaligned, too-many-phdrs,
segment-outside, filesz, kernel-range, overlap, no-load, entry.
"""
import struct
import sys

EHDR = '<16sHHIIIIIHHHHHH'
PHDR = '<IIIIIIII'
PT_LOAD, PF_X = 1, 1


def loads(data, phoff, phnum):
    """Offsets of the PT_LOAD program headers."""
    for i in range(phnum):
        off = phoff + i * 32
        if struct.unpack_from(PHDR, data, off)[0] == PT_LOAD:
            yield off


def main():
    kind, src, dst = sys.argv[1:4]
    data = bytearray(open(src, 'rb').read())
    (ident, etype, machine, version, entry, phoff, shoff, flags, ehsize, phentsize, phnum,
     shentsize, shnum, shstrndx) = struct.unpack_from(EHDR, data, 0)
    first, second = list(loads(data, phoff, phnum))[:2]
    if kind == 'truncated':        # shorter than the ELF header
        data = data[:40]
    elif kind == 'not-elf':        # bad magic
        data[1] = ord('X')
    elif kind == 'class':          # ELFCLASS64
        data[4] = 2
    elif kind == 'phdrs-outside':  # program headers past the end of the file
        struct.pack_into('<H', data, 44, 0xffff)
    elif kind == 'phdrs-unaligned':  # program headers not at a word boundary
        struct.pack_into('<I', data, 28, phoff + 2)
    elif kind == 'too-many-phdrs':  # more than the loader takes (all inside the file)
        struct.pack_into('<H', data, 44, 65)
    elif kind == 'overlap':        # the second segment where the first one is
        struct.pack_into('<I', data, second + 8, struct.unpack_from('<I', data, first + 8)[0])
    elif kind == 'no-load':        # nothing to load
        for off in (first, second):
            struct.pack_into('<I', data, off, 0)
    elif kind == 'segment-outside':  # a segment's file data past the end
        struct.pack_into('<I', data, first + 4, len(data))
    elif kind == 'filesz':         # more file data than memory
        typ, off, va, pa, filesz, memsz, fl, al = struct.unpack_from(PHDR, data, first)
        struct.pack_into('<I', data, first + 20, filesz - 1)
    elif kind == 'kernel-range':   # a segment in the kernel's half
        struct.pack_into('<I', data, first + 8, 0xc0000000)
    elif kind == 'entry':          # entry point in no executable segment
        struct.pack_into('<I', data, 24, 0xfffffff0)
    else:
        sys.exit('corrupt.py: unknown kind %r' % kind)
    open(dst, 'wb').write(bytes(data))


if __name__ == '__main__':
    main()
