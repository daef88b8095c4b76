/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Validating ELF32 reader. The input is untrusted (the auditor is run on
 * whatever the build produced, and is fuzzed): every header field is checked
 * against the file size with 64-bit arithmetic before it is used, and a file
 * that fails any check is rejected as a whole rather than audited in part.
 */
#include "elf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Sizes fixed by the ELF32 format. */
#define EHDR_SIZE 52u
#define SHDR_SIZE 40u
#define SYM_SIZE 16u
#define EM_ARM 40u
#define SHN_XINDEX 0xffffu
/* A guest image is a few MiB; refuse anything absurd rather than swap. */
#define FILE_SIZE_MAX (1024u * 1024u * 1024u)

uint16_t elf_read_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t elf_read_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int elf_fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* True when [off, off + len) lies inside a buffer of `size` bytes. */
static int elf_range_ok(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* A string at `off` in the string table `tab`, or NULL if not terminated. */
static const char *elf_string_at(const elf_image_t *img, const elf_section_t *tab, uint32_t off)
{
    const uint8_t *base = img->data + tab->offset;

    if (off >= tab->size || memchr(base + off, '\0', tab->size - off) == NULL)
        return NULL;
    return (const char *)base + off;
}

static int elf_read_file(const char *path, elf_image_t *img, char *err, size_t errlen)
{
    struct stat st;
    size_t done = 0;
    int fd = open(path, O_RDONLY);

    if (fd < 0)
        return elf_fail(err, errlen, "cannot open: %s", strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return elf_fail(err, errlen, "not a regular file");
    }
    if ((uint64_t)st.st_size > FILE_SIZE_MAX) {
        close(fd);
        return elf_fail(err, errlen, "file larger than %u bytes", FILE_SIZE_MAX);
    }
    img->size = (size_t)st.st_size;
    img->data = malloc(img->size ? img->size : 1);
    if (img->data == NULL) {
        close(fd);
        return elf_fail(err, errlen, "out of memory");
    }
    while (done < img->size) {
        ssize_t n = read(fd, img->data + done, img->size - done);
        if (n <= 0) {
            close(fd);
            return elf_fail(err, errlen, "read error: %s", n < 0 ? strerror(errno) : "file shrank");
        }
        done += (size_t)n;
    }
    close(fd);
    return 0;
}

/* e_ident and the fixed ELF header fields that decide whether we can go on. */
static int elf_check_header(const elf_image_t *img, char *err, size_t errlen)
{
    const uint8_t *h = img->data;
    uint16_t machine;

    if (img->size == 0)
        return elf_fail(err, errlen, "empty file");
    if (img->size < 4 || memcmp(h, "\177ELF", 4) != 0)
        return elf_fail(err, errlen, "not an ELF file (bad magic)");
    if (img->size < EHDR_SIZE)
        return elf_fail(err, errlen, "truncated ELF header (%zu of %u bytes)", img->size,
                        EHDR_SIZE);
    if (h[4] != 1)
        return elf_fail(err, errlen, "not ELF32 (EI_CLASS %u)", h[4]);
    if (h[5] != 1)
        return elf_fail(err, errlen, "not little-endian (EI_DATA %u)", h[5]);
    if (h[6] != 1)
        return elf_fail(err, errlen, "unknown ELF version %u", h[6]);
    machine = elf_read_le16(h + 18);
    if (machine != EM_ARM)
        return elf_fail(err, errlen, "not an ARM file (e_machine %u, expected %u)", machine,
                        EM_ARM);
    return 0;
}

static void elf_parse_shdr(const uint8_t *p, elf_section_t *s)
{
    s->name = "";
    s->type = elf_read_le32(p + 4);
    s->flags = elf_read_le32(p + 8);
    s->addr = elf_read_le32(p + 12);
    s->offset = elf_read_le32(p + 16);
    s->size = elf_read_le32(p + 20);
    s->link = elf_read_le32(p + 24);
    s->entsize = elf_read_le32(p + 36);
}

static int elf_load_sections(elf_image_t *img, char *err, size_t errlen)
{
    const uint8_t *h = img->data;
    uint32_t shoff = elf_read_le32(h + 32);
    uint16_t shentsize = elf_read_le16(h + 46);
    uint32_t shnum = elf_read_le16(h + 48);
    uint32_t shstrndx = elf_read_le16(h + 50);
    elf_section_t first;

    if (shoff == 0)
        return elf_fail(err, errlen, "no section header table");
    if (shentsize != SHDR_SIZE)
        return elf_fail(err, errlen, "bad e_shentsize %u", shentsize);
    if (!elf_range_ok(shoff, SHDR_SIZE, img->size))
        return elf_fail(err, errlen, "section header table beyond end of file");
    /* Extended numbering: the real counts live in section header 0. */
    elf_parse_shdr(h + shoff, &first);
    if (shnum == 0)
        shnum = first.size;
    if (shstrndx == SHN_XINDEX)
        shstrndx = first.link;
    if (shnum == 0 || !elf_range_ok(shoff, (uint64_t)shnum * SHDR_SIZE, img->size))
        return elf_fail(err, errlen, "section header table (%u entries) beyond end of file", shnum);
    img->sections = calloc(shnum, sizeof(*img->sections));
    if (img->sections == NULL)
        return elf_fail(err, errlen, "out of memory");
    img->section_count = shnum;
    for (uint32_t i = 0; i < shnum; i++) {
        elf_section_t *s = &img->sections[i];
        elf_parse_shdr(h + shoff + (uint64_t)i * SHDR_SIZE, s);
        if (s->type != ELF_SHT_NOBITS && !elf_range_ok(s->offset, s->size, img->size))
            return elf_fail(err, errlen, "section %u data beyond end of file", i);
    }
    if (shstrndx == 0)
        return 0; /* legal: sections have no names */
    if (shstrndx >= shnum || img->sections[shstrndx].type != ELF_SHT_STRTAB)
        return elf_fail(err, errlen, "bad section name table index %u", shstrndx);
    for (uint32_t i = 0; i < shnum; i++) {
        uint32_t off = elf_read_le32(h + shoff + (uint64_t)i * SHDR_SIZE);
        const char *name = elf_string_at(img, &img->sections[shstrndx], off);
        if (name == NULL)
            return elf_fail(err, errlen, "section %u name out of bounds", i);
        img->sections[i].name = name;
    }
    return 0;
}

/* The static symbol table, else the dynamic one, else none (not an error). */
static const elf_section_t *elf_find_symtab(const elf_image_t *img)
{
    for (uint32_t i = 0; i < img->section_count; i++)
        if (img->sections[i].type == ELF_SHT_SYMTAB)
            return &img->sections[i];
    for (uint32_t i = 0; i < img->section_count; i++)
        if (img->sections[i].type == ELF_SHT_DYNSYM)
            return &img->sections[i];
    return NULL;
}

static int elf_load_symbols(elf_image_t *img, char *err, size_t errlen)
{
    const elf_section_t *tab = elf_find_symtab(img);
    const elf_section_t *str;
    uint32_t count;

    if (tab == NULL)
        return 0;
    if (tab->entsize != SYM_SIZE || tab->size % SYM_SIZE != 0)
        return elf_fail(err, errlen, "bad symbol table entry size");
    if (tab->link == 0 || tab->link >= img->section_count ||
        img->sections[tab->link].type != ELF_SHT_STRTAB)
        return elf_fail(err, errlen, "bad symbol string table link %u", tab->link);
    str = &img->sections[tab->link];
    count = tab->size / SYM_SIZE;
    img->symbols = calloc(count ? count : 1, sizeof(*img->symbols));
    if (img->symbols == NULL)
        return elf_fail(err, errlen, "out of memory");
    img->symbol_count = count;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *p = img->data + tab->offset + (uint64_t)i * SYM_SIZE;
        elf_symbol_t *s = &img->symbols[i];
        s->name = elf_string_at(img, str, elf_read_le32(p));
        if (s->name == NULL)
            return elf_fail(err, errlen, "symbol %u name out of bounds", i);
        s->value = elf_read_le32(p + 4);
        s->size = elf_read_le32(p + 8);
        s->type = p[12] & 0xf;
        s->shndx = elf_read_le16(p + 14);
    }
    return 0;
}

int elf_load_image(const char *path, elf_image_t *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof(*img));
    if (elf_read_file(path, img, err, errlen) != 0 || elf_check_header(img, err, errlen) != 0 ||
        elf_load_sections(img, err, errlen) != 0 || elf_load_symbols(img, err, errlen) != 0) {
        elf_free_image(img);
        return -1;
    }
    img->type = elf_read_le16(img->data + 16);
    return 0;
}

void elf_free_image(elf_image_t *img)
{
    free(img->data);
    free(img->sections);
    free(img->symbols);
    memset(img, 0, sizeof(*img));
}

const uint8_t *elf_section_bytes(const elf_image_t *img, const elf_section_t *sec)
{
    return img->data + sec->offset;
}
