/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Find and decode the code in an image.
 *
 * ARM mapping symbols (ARM ELF ABI, IHI 0044, section 5.5.5) split every
 * section into ARM code ($a), Thumb code ($t) and data ($d) from the symbol's
 * address to the next mapping symbol; "$a.foo" style names mean the same.
 * Data regions, literal pools above all, are never decoded: a pool word can
 * look like any instruction. Where a code section has no mapping symbol
 * (before the first one, or none at all) the FUNC symbols decide: Thumb if
 * the enclosing function's value has bit 0 set, else ARM.
 *
 * Capstone is used only to decide validity and to print the instruction;
 * classify.c decides the class from the encoding bits.
 */
#include "scan.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { MAP_DEFAULT, MAP_DATA, MAP_ARM, MAP_THUMB } scan_map_t;

/* A mapping symbol; sorted by section, offset, then code after data. */
typedef struct {
    uint32_t shndx;
    uint32_t off; /* section offset, < section size */
    scan_map_t kind;
    uint32_t index; /* symbol index, the final tie-break */
} scan_mark_t;

/* A FUNC symbol, sorted by section, offset, then symbol index. */
typedef struct {
    uint32_t shndx;
    uint32_t off; /* section offset of the entry, bit 0 cleared */
    uint32_t size;
    int thumb;
    const char *name;
    uint32_t index;
} scan_func_t;

typedef struct {
    const char *file;
    const elf_image_t *img;
    const elf_section_t *sec;
    const uint8_t *bytes;     /* sec->size bytes of section contents */
    const scan_func_t *funcs; /* this section's FUNC symbols */
    size_t func_count;
    csh arm, thumb;
    cs_insn *insn;
    scan_report_fn report;
    void *arg;
} scan_ctx_t;

/* "$a", "$t", "$d", optionally followed by ".anything". */
static scan_map_t scan_parse_mapping(const char *name)
{
    if (name[0] != '$' || name[1] == '\0' || (name[2] != '\0' && name[2] != '.'))
        return MAP_DEFAULT;
    switch (name[1]) {
    case 'a':
        return MAP_ARM;
    case 't':
        return MAP_THUMB;
    case 'd':
        return MAP_DATA;
    default:
        return MAP_DEFAULT;
    }
}

static int scan_is_code_section(const elf_image_t *img, uint32_t shndx)
{
    const elf_section_t *s;

    if (shndx == ELF_SHN_UNDEF || shndx >= ELF_SHN_LORESERVE || shndx >= img->section_count)
        return 0;
    s = &img->sections[shndx];
    return (s->flags & ELF_SHF_EXECINSTR) && s->type != ELF_SHT_NOBITS && s->size > 0;
}

/* Section offset of a symbol value; false if it lies outside the section. */
static int scan_symbol_offset(const elf_image_t *img, const elf_symbol_t *sym, uint32_t value,
                              uint32_t *off)
{
    const elf_section_t *s = &img->sections[sym->shndx];

    *off = img->type == ELF_ET_REL ? value : value - s->addr;
    return *off < s->size;
}

static int scan_compare_marks(const void *a, const void *b)
{
    const scan_mark_t *x = a, *y = b;
    int xcode = x->kind != MAP_DATA, ycode = y->kind != MAP_DATA;

    if (x->shndx != y->shndx)
        return x->shndx < y->shndx ? -1 : 1;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    /* Same address: code sorts last and so wins. Missing an instruction is
     * worse for an auditor than decoding a word that was data. */
    if (xcode != ycode)
        return xcode - ycode;
    return x->index < y->index ? -1 : (x->index > y->index);
}

static int scan_compare_funcs(const void *a, const void *b)
{
    const scan_func_t *x = a, *y = b;

    if (x->shndx != y->shndx)
        return x->shndx < y->shndx ? -1 : 1;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->index < y->index ? -1 : (x->index > y->index);
}

/* Collect and sort the mapping and FUNC symbols of all code sections. */
static int scan_collect_symbols(const elf_image_t *img, scan_mark_t **marks, size_t *nmarks,
                                scan_func_t **funcs, size_t *nfuncs)
{
    size_t n = img->symbol_count ? img->symbol_count : 1;

    *nmarks = *nfuncs = 0;
    *marks = malloc(n * sizeof(**marks));
    *funcs = malloc(n * sizeof(**funcs));
    if (*marks == NULL || *funcs == NULL)
        return -1;
    for (uint32_t i = 0; i < img->symbol_count; i++) {
        const elf_symbol_t *sym = &img->symbols[i];
        scan_map_t kind = scan_parse_mapping(sym->name);
        uint32_t off;

        if (!scan_is_code_section(img, sym->shndx))
            continue;
        if (kind != MAP_DEFAULT && scan_symbol_offset(img, sym, sym->value, &off))
            (*marks)[(*nmarks)++] = (scan_mark_t){sym->shndx, off, kind, i};
        if (sym->type == ELF_STT_FUNC && scan_symbol_offset(img, sym, sym->value & ~1u, &off))
            (*funcs)[(*nfuncs)++] =
                (scan_func_t){sym->shndx, off, sym->size, (int)(sym->value & 1u), sym->name, i};
    }
    qsort(*marks, *nmarks, sizeof(**marks), scan_compare_marks);
    qsort(*funcs, *nfuncs, sizeof(**funcs), scan_compare_funcs);
    return 0;
}

/* Index of the first FUNC symbol that starts after `off` (func_count if none). */
static size_t scan_upper_function(const scan_ctx_t *ctx, uint32_t off)
{
    size_t lo = 0, hi = ctx->func_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ctx->funcs[mid].off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The nearest FUNC symbol at or before `off`, or NULL. */
static const scan_func_t *scan_find_function(const scan_ctx_t *ctx, uint32_t off)
{
    size_t i = scan_upper_function(ctx, off);

    if (i == 0)
        return NULL;
    i--;
    while (i > 0 && ctx->funcs[i - 1].off == ctx->funcs[i].off)
        i--; /* aliases: the first-defined name */
    return &ctx->funcs[i];
}

static void scan_emit(const scan_ctx_t *ctx, uint32_t off, int thumb, sens_class_t cls,
                      uint32_t word, const char *text)
{
    const scan_func_t *f = scan_find_function(ctx, off);
    scan_finding_t finding = {
        .file = ctx->file,
        .address = ctx->sec->addr + off,
        .function = f ? f->name : ctx->sec->name,
        .function_offset = f ? off - f->off : off,
        .thumb = thumb,
        .cls = cls,
        .silent = classify_is_silent(cls, word, thumb),
        .text = text,
    };

    ctx->report(&finding, ctx->arg);
}

/* Disassemble exactly `len` bytes; false if Capstone rejects them. */
static int scan_disassemble(const scan_ctx_t *ctx, int thumb, const uint8_t *p, size_t len,
                            uint64_t addr, char *text, size_t textlen)
{
    const uint8_t *code = p;
    size_t size = len;

    if (!cs_disasm_iter(thumb ? ctx->thumb : ctx->arm, &code, &size, &addr, ctx->insn) ||
        ctx->insn->size != len)
        return 0;
    snprintf(text, textlen, "%s%s%s", ctx->insn->mnemonic, ctx->insn->op_str[0] ? " " : "",
             ctx->insn->op_str);
    return 1;
}

/* Decode and classify one instruction at `off`; returns the bytes consumed. */
static uint32_t scan_decode_one(const scan_ctx_t *ctx, uint32_t off, uint32_t end, int thumb)
{
    const uint8_t *p = ctx->bytes + off;
    uint32_t avail = end - off, len = 4;
    uint32_t word = 0;
    sens_class_t cls;
    char text[256];

    if (thumb && avail >= 2)
        len = classify_thumb_is_wide(elf_read_le16(p)) ? 4 : 2;
    if (avail < len || (thumb && avail < 2)) {
        snprintf(text, sizeof(text), "truncated instruction (%u trailing byte%s)", avail,
                 avail == 1 ? "" : "s");
        scan_emit(ctx, off, thumb, SENS_UNDECODABLE, 0, text);
        return avail;
    }
    if (!thumb)
        word = elf_read_le32(p);
    else if (len == 4)
        word = ((uint32_t)elf_read_le16(p) << 16) | elf_read_le16(p + 2);
    else
        word = elf_read_le16(p);
    if (!scan_disassemble(ctx, thumb, p, len, (uint64_t)ctx->sec->addr + off, text, sizeof(text))) {
        snprintf(text, sizeof(text), len == 4 ? "%s 0x%08x" : "%s 0x%04x",
                 !thumb     ? ".word"
                 : len == 4 ? ".inst.w"
                            : ".inst.n",
                 word);
        cls = SENS_UNDECODABLE;
    } else if (!thumb) {
        cls = classify_arm(word);
    } else if (len == 4) {
        cls = classify_thumb32((uint16_t)(word >> 16), (uint16_t)word);
    } else {
        cls = classify_thumb16((uint16_t)word);
    }
    if (cls != SENS_NONE)
        scan_emit(ctx, off, thumb, cls, word, text);
    return len;
}

/*
 * Code with no mapping symbol: each stretch from one FUNC symbol to the next
 * takes that symbol's instruction set (bit 0 of its value), so padding after
 * a Thumb function is decoded as Thumb too; before the first FUNC it is ARM.
 * No instruction is decoded across a function entry.
 */
static void scan_decode_by_function(const scan_ctx_t *ctx, uint32_t start, uint32_t end)
{
    uint32_t off = start;

    while (off < end) {
        const scan_func_t *f = scan_find_function(ctx, off);
        size_t next = scan_upper_function(ctx, off);
        uint32_t stop =
            next < ctx->func_count && ctx->funcs[next].off < end ? ctx->funcs[next].off : end;
        int thumb = f != NULL && f->thumb;

        while (off < stop)
            off += scan_decode_one(ctx, off, stop, thumb);
    }
}

static void scan_decode_region(const scan_ctx_t *ctx, uint32_t start, uint32_t end, scan_map_t kind)
{
    uint32_t off = start;

    if (kind == MAP_DATA)
        return;
    if (kind == MAP_DEFAULT) {
        scan_decode_by_function(ctx, start, end);
        return;
    }
    while (off < end)
        off += scan_decode_one(ctx, off, end, kind == MAP_THUMB);
}

/* Decode one section whose mapping symbols are marks[0..count). */
static void scan_decode_section(const scan_ctx_t *ctx, const scan_mark_t *marks, size_t count)
{
    uint32_t pos = 0;
    scan_map_t kind = MAP_DEFAULT;

    for (size_t i = 0; i <= count; i++) {
        uint32_t next = i < count ? marks[i].off : ctx->sec->size;
        if (next > pos)
            scan_decode_region(ctx, pos, next, kind);
        if (i < count) {
            pos = next;
            kind = marks[i].kind;
        }
    }
}

static int scan_open_capstone(scan_ctx_t *ctx, char *err, size_t errlen)
{
    cs_err e = cs_open(CS_ARCH_ARM, CS_MODE_ARM, &ctx->arm);

    if (e == CS_ERR_OK)
        e = cs_open(CS_ARCH_ARM, CS_MODE_THUMB, &ctx->thumb);
    if (e != CS_ERR_OK) {
        snprintf(err, errlen, "capstone: %s", cs_strerror(e));
        return -1;
    }
    ctx->insn = cs_malloc(ctx->arm);
    if (ctx->insn == NULL) {
        snprintf(err, errlen, "capstone: out of memory");
        return -1;
    }
    return 0;
}

int scan_audit_image(const char *file, const elf_image_t *img, scan_report_fn report, void *arg,
                     char *err, size_t errlen)
{
    scan_ctx_t ctx = {.file = file, .img = img, .report = report, .arg = arg};
    scan_mark_t *marks = NULL;
    scan_func_t *funcs = NULL;
    size_t nmarks, nfuncs, m = 0, f = 0;
    int rc = -1;

    if (scan_collect_symbols(img, &marks, &nmarks, &funcs, &nfuncs) != 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (scan_open_capstone(&ctx, err, errlen) != 0)
        goto out;
    for (uint32_t i = 0; i < img->section_count; i++) {
        size_t m0, f0;
        for (m0 = m; m < nmarks && marks[m].shndx == i; m++)
            ;
        for (f0 = f; f < nfuncs && funcs[f].shndx == i; f++)
            ;
        if (!scan_is_code_section(img, i))
            continue;
        ctx.sec = &img->sections[i];
        ctx.bytes = elf_section_bytes(img, ctx.sec);
        ctx.funcs = funcs + f0;
        ctx.func_count = f - f0;
        scan_decode_section(&ctx, marks + m0, m - m0);
    }
    rc = 0;
out:
    if (ctx.insn != NULL)
        cs_free(ctx.insn, 1);
    if (ctx.arm != 0)
        cs_close(&ctx.arm);
    if (ctx.thumb != 0)
        cs_close(&ctx.thumb);
    free(marks);
    free(funcs);
    return rc;
}
