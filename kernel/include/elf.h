/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF32 images for user programs (the boot image's root task). Only what the
 * loader needs; elf_check() validates every offset before anything is read. */
#pragma once
#include <types.h>

#define ELF_PT_LOAD 1
#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

typedef struct {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf32_ehdr_t;

typedef struct {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} elf32_phdr_t;

typedef enum {
    ELF_OK = 0,
    ELF_ERR_TRUNCATED, /* header or program headers outside the image */
    ELF_ERR_NOT_ELF,   /* bad magic */
    ELF_ERR_CLASS,     /* not ELF32 little-endian ARM executable */
    ELF_ERR_SEGMENT,   /* a segment's file data lies outside the image */
    ELF_ERR_RANGE,     /* a segment reaches past the user limit or wraps */
    ELF_ERR_SIZE,      /* filesz > memsz */
    ELF_ERR_ENTRY,     /* entry point outside every executable segment */
} elf_status_t;

/* Validate an image of `len` bytes for loading below `limit`. */
elf_status_t elf_check(const void *image, size_t len, uint32_t limit);
const char *elf_status_name(elf_status_t s);
/* Program header i of a checked image. */
const elf32_phdr_t *elf_phdr(const void *image, unsigned i);
