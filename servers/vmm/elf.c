/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF32 loading for the VMM (see elf.h). The image is untrusted input: all
 * offsets and sizes are checked with overflow-safe arithmetic before use. */
#include <string.h>
#include "elf.h"

#define EI_NIDENT 16
#define ET_EXEC 2
#define EM_ARM 40
#define PT_LOAD 1
#define PF_X 1

typedef struct {
    uint8_t ident[EI_NIDENT];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf32_ehdr_t;

typedef struct {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} elf32_phdr_t;

/* [off, off+len) inside [0, size)? */
static int range_in(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static void read_phdr(const uint8_t *img, const elf32_ehdr_t *eh, unsigned i, elf32_phdr_t *ph)
{
    memcpy(ph, img + eh->phoff + (size_t)i * eh->phentsize, sizeof *ph);
}

const char *elf_check(const uint8_t *img, size_t size, uint32_t ram_base, uint32_t ram_size,
                      uint32_t *entry)
{
    elf32_ehdr_t eh;
    if (!img || size < sizeof eh)
        return "image too small for an ELF header";
    memcpy(&eh, img, sizeof eh);
    if (memcmp(eh.ident, "\177ELF", 4) != 0)
        return "not an ELF file";
    if (eh.ident[4] != 1 || eh.ident[5] != 1)
        return "not a 32-bit little-endian ELF";
    if (eh.type != ET_EXEC || eh.machine != EM_ARM)
        return "not an ARM executable";
    if (eh.phentsize < sizeof(elf32_phdr_t) || eh.phnum == 0 ||
        !range_in(eh.phoff, (uint64_t)eh.phnum * eh.phentsize, size))
        return "bad program header table";
    int entry_ok = 0, loads = 0;
    for (unsigned i = 0; i < eh.phnum; i++) {
        elf32_phdr_t ph;
        read_phdr(img, &eh, i, &ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        loads++;
        if (ph.filesz > ph.memsz)
            return "segment file size exceeds its memory size";
        if (!range_in(ph.offset, ph.filesz, size))
            return "segment lies outside the file";
        if (ph.vaddr < ram_base || !range_in(ph.vaddr - ram_base, ph.memsz, ram_size))
            return "segment lies outside guest RAM";
        if ((ph.flags & PF_X) && eh.entry >= ph.vaddr && eh.entry - ph.vaddr < ph.memsz)
            entry_ok = 1;
    }
    if (!loads)
        return "no loadable segment";
    if (!entry_ok || (eh.entry & 3))
        return "entry point not in an executable segment";
    *entry = eh.entry;
    return 0;
}

void elf_load(const uint8_t *img, uint8_t *ram, uint32_t ram_base)
{
    elf32_ehdr_t eh;
    memcpy(&eh, img, sizeof eh);
    for (unsigned i = 0; i < eh.phnum; i++) {
        elf32_phdr_t ph;
        read_phdr(img, &eh, i, &ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        uint8_t *dst = ram + (ph.vaddr - ram_base);
        memcpy(dst, img + ph.offset, ph.filesz);
        memset(dst + ph.filesz, 0, ph.memsz - ph.filesz);
    }
}
