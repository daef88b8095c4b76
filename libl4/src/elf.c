/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF32 validation (l4/elf.h). Built three ways: into the kernel, into libl4
 * for user programs, and for the host unit tests (suite unit-elf), so it uses
 * nothing but the header. */
#include <l4/elf.h>

static const char *const elf_names[] = {
    "ok",
    "truncated",
    "not an ELF file",
    "not an ELF32 LE ARM executable",
    "image or program headers not word aligned",
    "too many program headers",
    "segment outside the file",
    "filesz > memsz",
    "segment outside the allowed address range",
    "segments overlap",
    "no loadable segment",
    "entry point not in an executable segment",
};

const char *elf_status_name(elf_status_t s)
{
    return (unsigned)s < sizeof elf_names / sizeof elf_names[0] ? elf_names[s] : "?";
}

elf_u32 elf_entry(const void *image)
{
    return ((const elf32_ehdr_t *)image)->entry;
}

unsigned elf_phnum(const void *image)
{
    return ((const elf32_ehdr_t *)image)->phnum;
}

const elf32_phdr_t *elf_phdr(const void *image, unsigned i)
{
    const elf32_ehdr_t *eh = image;
    return (const elf32_phdr_t *)((const elf_u8 *)image + eh->phoff + i * eh->phentsize);
}

/* [a, a + n) and [b, b + m) intersect (neither wraps: checked before). */
static int ranges_meet(elf_u32 a, elf_u32 n, elf_u32 b, elf_u32 m)
{
    return a < b + m && b < a + n;
}

static elf_status_t check_segment(const elf32_phdr_t *ph, __SIZE_TYPE__ len, elf_u32 lo, elf_u32 hi,
                                  elf_place_t at)
{
    elf_u32 a = elf_place(ph, at);
    if (ph->offset > len || ph->filesz > len - ph->offset)
        return ELF_ERR_SEGMENT;
    if (ph->filesz > ph->memsz)
        return ELF_ERR_SIZE;
    if (a < lo || a >= hi || ph->memsz > hi - a)
        return ELF_ERR_RANGE;
    return ELF_OK;
}

elf_status_t elf_check(const void *image, __SIZE_TYPE__ len, elf_u32 lo, elf_u32 hi)
{
    return elf_check_at(image, len, lo, hi, ELF_AT_VADDR);
}

elf_status_t elf_check_at(const void *image, __SIZE_TYPE__ len, elf_u32 lo, elf_u32 hi,
                          elf_place_t at)
{
    const elf32_ehdr_t *eh = image;
    if (!image || len < sizeof(*eh))
        return ELF_ERR_TRUNCATED;
    if ((__UINTPTR_TYPE__)image & 3u)
        return ELF_ERR_ALIGN;
    if (eh->ident[0] != 0x7f || eh->ident[1] != 'E' || eh->ident[2] != 'L' || eh->ident[3] != 'F')
        return ELF_ERR_NOT_ELF;
    if (eh->ident[4] != 1 /* ELFCLASS32 */ || eh->ident[5] != 1 /* LSB */ ||
        eh->type != 2 /* ET_EXEC */ || eh->machine != 40 /* EM_ARM */ ||
        eh->phentsize != sizeof(elf32_phdr_t))
        return ELF_ERR_CLASS;
    if (eh->phoff > len || eh->phnum > (len - eh->phoff) / sizeof(elf32_phdr_t))
        return ELF_ERR_TRUNCATED;
    if (eh->phoff & 3u)
        return ELF_ERR_ALIGN;
    if (eh->phnum > ELF_MAX_PHDRS)
        return ELF_ERR_PHNUM;
    int loads = 0, entry_ok = 0;
    for (unsigned i = 0; i < eh->phnum; i++) {
        const elf32_phdr_t *ph = elf_phdr(image, i);
        if (!elf_loadable(ph))
            continue;
        elf_status_t st = check_segment(ph, len, lo, hi, at);
        if (st != ELF_OK)
            return st;
        for (unsigned j = 0; j < i; j++) {
            const elf32_phdr_t *q = elf_phdr(image, j);
            if (elf_loadable(q) &&
                ranges_meet(elf_place(ph, at), ph->memsz, elf_place(q, at), q->memsz))
                return ELF_ERR_OVERLAP;
        }
        loads++;
        elf_u32 a = elf_place(ph, at);
        if ((ph->flags & ELF_PF_X) && eh->entry >= a && eh->entry - a < ph->memsz)
            entry_ok = 1;
    }
    if (!loads)
        return ELF_ERR_NO_LOAD;
    return entry_ok && !(eh->entry & 3u) ? ELF_OK : ELF_ERR_ENTRY;
}
