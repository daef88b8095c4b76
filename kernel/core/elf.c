/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF32 validation. Compiled for the host unit tests as well. */
#include <elf.h>

static const char *const elf_names[] = {
    "ok",
    "truncated",
    "not an ELF file",
    "not an ELF32 LE ARM executable",
    "segment outside the file",
    "segment outside user space",
    "filesz > memsz",
    "entry point not in an executable segment",
};

const char *elf_status_name(elf_status_t s)
{
    return (unsigned)s < ARRAY_SIZE(elf_names) ? elf_names[s] : "?";
}

const elf32_phdr_t *elf_phdr(const void *image, unsigned i)
{
    const elf32_ehdr_t *eh = image;
    return (const elf32_phdr_t *)((const uint8_t *)image + eh->phoff + i * eh->phentsize);
}

elf_status_t elf_check(const void *image, size_t len, uint32_t limit)
{
    const elf32_ehdr_t *eh = image;
    if (len < sizeof(*eh))
        return ELF_ERR_TRUNCATED;
    if (eh->ident[0] != 0x7f || eh->ident[1] != 'E' || eh->ident[2] != 'L' || eh->ident[3] != 'F')
        return ELF_ERR_NOT_ELF;
    if (eh->ident[4] != 1 /* ELFCLASS32 */ || eh->ident[5] != 1 /* LSB */ ||
        eh->type != 2 /* ET_EXEC */ || eh->machine != 40 /* EM_ARM */ ||
        eh->phentsize != sizeof(elf32_phdr_t))
        return ELF_ERR_CLASS;
    if (eh->phoff > len || eh->phnum > (len - eh->phoff) / sizeof(elf32_phdr_t))
        return ELF_ERR_TRUNCATED;
    bool entry_ok = false;
    for (unsigned i = 0; i < eh->phnum; i++) {
        const elf32_phdr_t *ph = elf_phdr(image, i);
        if (ph->type != ELF_PT_LOAD)
            continue;
        if (ph->offset > len || ph->filesz > len - ph->offset)
            return ELF_ERR_SEGMENT;
        if (ph->filesz > ph->memsz)
            return ELF_ERR_SIZE;
        if (ph->vaddr >= limit || ph->memsz > limit - ph->vaddr)
            return ELF_ERR_RANGE;
        if ((ph->flags & ELF_PF_X) && eh->entry >= ph->vaddr && eh->entry - ph->vaddr < ph->memsz)
            entry_ok = true;
    }
    return entry_ok ? ELF_OK : ELF_ERR_ENTRY;
}
