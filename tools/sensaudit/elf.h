/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A validating reader for ELF32 little-endian ARM files, just enough for the
 * auditor: section headers and one symbol table.
 *
 * Every offset, size and string in the file is checked before use, so the
 * rest of the tool may trust what elf_load_image() returns: section data lies
 * inside the file buffer and every name is a NUL-terminated string. Fields are
 * read with explicit little-endian loads, never by casting the buffer to a
 * struct, so the host's endianness and alignment do not matter.
 */
#ifndef SENSAUDIT_ELF_H
#define SENSAUDIT_ELF_H

#include <stddef.h>
#include <stdint.h>

/* Values from the ELF specification and the ARM ELF ABI (IHI 0044). */
enum {
    ELF_ET_REL = 1,
    ELF_SHT_SYMTAB = 2,
    ELF_SHT_STRTAB = 3,
    ELF_SHT_NOBITS = 8,
    ELF_SHT_DYNSYM = 11,
    ELF_SHF_EXECINSTR = 0x4,
    ELF_STT_FUNC = 2,
    ELF_SHN_UNDEF = 0,
    ELF_SHN_LORESERVE = 0xff00,
};

typedef struct {
    const char *name; /* never NULL; "" when the section has no name */
    uint32_t type;
    uint32_t flags;
    uint32_t addr;   /* virtual address (0 in relocatable objects) */
    uint32_t offset; /* file offset; offset + size lies inside the file */
    uint32_t size;   /* bytes; for SHT_NOBITS nothing lies in the file */
    uint32_t link;
    uint32_t entsize;
} elf_section_t;

typedef struct {
    const char *name; /* never NULL */
    uint32_t value;   /* address, or section offset in ET_REL files */
    uint32_t size;
    uint8_t type;   /* STT_* (low nibble of st_info) */
    uint16_t shndx; /* section index, or a reserved SHN_* value */
} elf_symbol_t;

typedef struct {
    uint8_t *data; /* whole file, owned */
    size_t size;
    uint16_t type; /* e_type: ET_REL, ET_EXEC, ... */
    uint32_t section_count;
    elf_section_t *sections;
    uint32_t symbol_count;
    elf_symbol_t *symbols;
} elf_image_t;

/*
 * Read and validate `path`. On failure returns -1, frees what it allocated and
 * writes a one-line reason (without the file name) into err.
 */
int elf_load_image(const char *path, elf_image_t *img, char *err, size_t errlen);

void elf_free_image(elf_image_t *img);

/* The bytes of a section that has file contents (type != SHT_NOBITS). */
const uint8_t *elf_section_bytes(const elf_image_t *img, const elf_section_t *sec);

/* Little-endian loads from a buffer the caller has bounds-checked. */
uint16_t elf_read_le16(const uint8_t *p);
uint32_t elf_read_le32(const uint8_t *p);

#endif
