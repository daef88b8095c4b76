# SPDX-License-Identifier: BSD-2-Clause
"""The symbols of an ELF32 little-endian file, for sysgen's checks of a
component's program (its entry functions, the variables a description sets).
Python standard library only; a malformed file raises ValueError."""
import struct

SHT_SYMTAB = 2
SHF_WRITE, SHF_ALLOC = 1, 2
STT_OBJECT, STT_FUNC = 1, 2
STB_LOCAL = 0


class Symbol:
    def __init__(self, name, value, size, kind, is_global, writable):
        self.name, self.value, self.size = name, value, size
        self.kind, self.is_global, self.writable = kind, is_global, writable

    def is_function(self):
        return self.kind == STT_FUNC

    def is_object(self):
        return self.kind == STT_OBJECT


def _cstr(data, off):
    end = data.find(b'\0', off)
    if off >= len(data) or end < 0:
        raise ValueError('string table entry outside the file')
    return data[off:end].decode('utf-8', 'replace')


def read_symbols(path):
    """name -> [Symbol] of every defined symbol (a name may be defined more
    than once by local symbols of different files)."""
    with open(path, 'rb') as f:
        data = f.read()
    try:
        return _symbols(data)
    except struct.error:
        raise ValueError('truncated ELF file')


def _symbols(data):
    if data[:4] != b'\x7fELF' or len(data) < 52:
        raise ValueError('not an ELF file')
    if data[4] != 1 or data[5] != 1:
        raise ValueError('not a 32-bit little-endian ELF file')
    shoff, = struct.unpack_from('<I', data, 32)
    shentsize, shnum = struct.unpack_from('<HH', data, 46)
    if shentsize != 40:
        raise ValueError('bad section header size %d' % shentsize)
    secs = [struct.unpack_from('<10I', data, shoff + i * 40) for i in range(shnum)]
    syms = {}
    for sec in secs:
        if sec[1] != SHT_SYMTAB:
            continue
        if sec[6] >= len(secs):
            raise ValueError('symbol table links to a missing string table')
        strtab = secs[sec[6]]
        for k in range(sec[5] // 16):
            st_name, value, size, info, _, shndx = struct.unpack_from('<IIIBBH', data,
                                                                     sec[4] + 16 * k)
            if shndx == 0 or shndx >= 0xff00 or shndx >= len(secs) or st_name == 0:
                continue  # undefined, absolute/common, or unnamed
            flags = secs[shndx][2]
            s = Symbol(_cstr(data, strtab[4] + st_name), value, size, info & 0xf,
                       (info >> 4) != STB_LOCAL,
                       (flags & SHF_WRITE) != 0 and (flags & SHF_ALLOC) != 0)
            syms.setdefault(s.name, []).append(s)
    return syms


def write_test_elf(path, symbols):
    """Write a minimal ELF32 (for tests): symbols is a list of
    (name, value, size, 'func' | 'object', is_global, writable)."""
    names = b'\0'
    entries = [b'\0' * 16]
    for name, value, size, kind, is_global, writable in symbols:
        off = len(names)
        names += name.encode() + b'\0'
        info = ((1 if is_global else 0) << 4) | (STT_FUNC if kind == 'func' else STT_OBJECT)
        entries.append(struct.pack('<IIIBBH', off, value, size, info, 0, 2 if writable else 1))
    shstr = b'\0.text\0.data\0.symtab\0.strtab\0.shstrtab\0'
    body = b''.join(entries)
    # layout: ehdr(52) | symtab | strtab | shstrtab | section headers
    sym_off = 52
    str_off = sym_off + len(body)
    shs_off = str_off + len(names)
    sh_off = (shs_off + len(shstr) + 3) & ~3
    ehdr = b'\x7fELF\x01\x01\x01' + b'\0' * 9 + struct.pack(
        '<HHIIIIIHHHHHH', 2, 40, 1, 0x20000000, 0, sh_off, 0, 52, 32, 0, 40, 6, 5)
    sh = [struct.pack('<10I', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
          struct.pack('<10I', 1, 1, SHF_ALLOC | 4, 0x20000000, 0, 0, 0, 0, 4, 0),    # .text
          struct.pack('<10I', 7, 1, SHF_ALLOC | SHF_WRITE, 0x20001000, 0, 0, 0, 0, 4, 0),  # .data
          struct.pack('<10I', 13, SHT_SYMTAB, 0, 0, sym_off, len(body), 4, 1, 4, 16),
          struct.pack('<10I', 21, 3, 0, 0, str_off, len(names), 0, 0, 1, 0),
          struct.pack('<10I', 29, 3, 0, 0, shs_off, len(shstr), 0, 0, 1, 0)]
    data = ehdr + body + names + shstr
    data += b'\0' * (sh_off - len(data))
    with open(path, 'wb') as f:
        f.write(data + b''.join(sh))
