/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF32 executables (little-endian ARM, ET_EXEC): the one definition and the
 * one validating reader shared by every loader of the system: the kernel
 * (the root task), the root task (components, libl4/src/elf.c) and the VMM
 * (guests). Freestanding: it names no libc type, so the kernel (-nostdinc,
 * its own types.h) and newlib programs both include it as it is. An image
 * is untrusted input: elf_check() validates every offset and size with
 * overflow-safe arithmetic before anything else reads the image. */
#pragma once

typedef __UINT8_TYPE__ elf_u8;
typedef __UINT16_TYPE__ elf_u16;
typedef __UINT32_TYPE__ elf_u32;

#define ELF_PT_LOAD 1u
#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u
/* Program headers an image may have: bounds the pairwise overlap check. */
#define ELF_MAX_PHDRS 16u

typedef struct {
    elf_u8 ident[16];
    elf_u16 type, machine;
    elf_u32 version, entry, phoff, shoff, flags;
    elf_u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf32_ehdr_t;

typedef struct {
    elf_u32 type, offset, vaddr, paddr, filesz, memsz, flags, align;
} elf32_phdr_t;

typedef enum {
    ELF_OK = 0,
    ELF_ERR_TRUNCATED, /* header or program headers outside the image */
    ELF_ERR_NOT_ELF,   /* bad magic */
    ELF_ERR_CLASS,     /* not an ELF32 little-endian ARM executable */
    ELF_ERR_ALIGN,     /* image or program header table not word aligned */
    ELF_ERR_PHNUM,     /* more than ELF_MAX_PHDRS program headers */
    ELF_ERR_SEGMENT,   /* a segment's file data lies outside the image */
    ELF_ERR_SIZE,      /* filesz > memsz */
    ELF_ERR_RANGE,     /* a segment lies outside [lo, hi) or wraps */
    ELF_ERR_OVERLAP,   /* two loadable segments overlap in memory */
    ELF_ERR_NO_LOAD,   /* no loadable segment */
    ELF_ERR_ENTRY,     /* entry point unaligned or outside every executable segment */
} elf_status_t;

/* Where a loader places a segment: at its p_vaddr (every program of the
 * system), or at its p_paddr, as a bare-metal loader does (a native image
 * pre-virtualised, which starts with its MMU off: its entry is physical). */
typedef enum { ELF_AT_VADDR, ELF_AT_PADDR } elf_place_t;

/* Validate the image of `len` bytes for loading at addresses [lo, hi): every
 * loadable segment (PT_LOAD, memsz > 0) inside the file and inside [lo, hi),
 * no two overlapping, and the entry point word aligned in an executable
 * one. Only a checked image may be passed to the functions below.
 * elf_check places segments at p_vaddr; elf_check_at as `at` says. */
elf_status_t elf_check(const void *image, __SIZE_TYPE__ len, elf_u32 lo, elf_u32 hi);
elf_status_t elf_check_at(const void *image, __SIZE_TYPE__ len, elf_u32 lo, elf_u32 hi,
                          elf_place_t at);
const char *elf_status_name(elf_status_t s);

elf_u32 elf_entry(const void *image);
unsigned elf_phnum(const void *image);
/* Program header i (< elf_phnum) of a checked image. */
const elf32_phdr_t *elf_phdr(const void *image, unsigned i);
/* Whether program header ph is a loadable segment (PT_LOAD, memsz > 0). */
static inline int elf_loadable(const elf32_phdr_t *ph)
{
    return ph->type == ELF_PT_LOAD && ph->memsz != 0;
}
/* The address segment ph is placed at. */
static inline elf_u32 elf_place(const elf32_phdr_t *ph, elf_place_t at)
{
    return at == ELF_AT_PADDR ? ph->paddr : ph->vaddr;
}
