/* SPDX-License-Identifier: BSD-2-Clause */
/* The shared ELF reader (libl4/src/elf.c), used by the kernel for the root
 * task, by the root task for components and by the VMM for guests: every
 * error path, at the edges of each range. */
#include "unit.h"
#include <string.h>
#include <l4/elf.h>

#define LO 0x10000u
#define HI 0x7fffe000u

static struct {
    elf32_ehdr_t eh;
    elf32_phdr_t ph[3];
    uint8_t data[64];
} img __attribute__((aligned(8)));

static int setup(void **state)
{
    (void)state;
    memset(&img, 0, sizeof(img));
    memcpy(img.eh.ident, "\177ELF\1\1\1", 7);
    img.eh.type = 2;
    img.eh.machine = 40;
    img.eh.entry = 0x10004;
    img.eh.phoff = offsetof(typeof(img), ph);
    img.eh.phentsize = sizeof(elf32_phdr_t);
    img.eh.phnum = 3;
    img.ph[0] = (elf32_phdr_t){ELF_PT_LOAD, offsetof(typeof(img), data), 0x10000, 0x10000, 32,
                               32,          ELF_PF_R | ELF_PF_X,         4096};
    img.ph[1] = (elf32_phdr_t){ELF_PT_LOAD,
                               offsetof(typeof(img), data) + 32,
                               0x20000,
                               0x20000,
                               32,
                               4096,
                               ELF_PF_R | ELF_PF_W,
                               4096};
    img.ph[2] =
        (elf32_phdr_t){.type = 0x70000001 /* EXIDX: not loaded */, .vaddr = 0x10000, .memsz = 8};
    return 0;
}

static elf_status_t check(void)
{
    return elf_check(&img, sizeof(img), LO, HI);
}

static void valid_image_passes(void **s)
{
    (void)s;
    assert_int_equal(check(), ELF_OK);
    assert_int_equal(elf_phnum(&img), 3);
    assert_int_equal(elf_phdr(&img, 1)->vaddr, 0x20000);
    assert_int_equal(elf_entry(&img), 0x10004);
    assert_true(elf_loadable(elf_phdr(&img, 0)));
    assert_false(elf_loadable(elf_phdr(&img, 2)));
}

static void short_header_truncated(void **s)
{
    (void)s;
    assert_int_equal(elf_check(&img, sizeof(elf32_ehdr_t) - 1, LO, HI), ELF_ERR_TRUNCATED);
    assert_int_equal(elf_check(NULL, 0, LO, HI), ELF_ERR_TRUNCATED);
}

static void unaligned_image_or_table(void **s)
{
    (void)s;
    static uint8_t buf[sizeof(img) + 1] __attribute__((aligned(8)));
    memcpy(buf + 1, &img, sizeof(img));
    assert_int_equal(elf_check(buf + 1, sizeof(img), LO, HI), ELF_ERR_ALIGN);
    img.eh.phoff += 2;
    assert_int_equal(check(), ELF_ERR_ALIGN);
}

static void bad_magic(void **s)
{
    (void)s;
    img.eh.ident[1] = 'X';
    assert_int_equal(check(), ELF_ERR_NOT_ELF);
}

static void wrong_class_machine_type(void **s)
{
    (void)s;
    img.eh.ident[4] = 2; /* ELFCLASS64 */
    assert_int_equal(check(), ELF_ERR_CLASS);
    setup(NULL);
    img.eh.ident[5] = 2; /* big-endian */
    assert_int_equal(check(), ELF_ERR_CLASS);
    setup(NULL);
    img.eh.machine = 62; /* x86-64 */
    assert_int_equal(check(), ELF_ERR_CLASS);
    setup(NULL);
    img.eh.type = 3; /* ET_DYN */
    assert_int_equal(check(), ELF_ERR_CLASS);
    setup(NULL);
    img.eh.phentsize = 28;
    assert_int_equal(check(), ELF_ERR_CLASS);
}

static void phdrs_past_end_truncated(void **s)
{
    (void)s;
    img.eh.phnum = 0xffff;
    assert_int_equal(check(), ELF_ERR_TRUNCATED);
    setup(NULL);
    img.eh.phoff = 0xfffffff0u;
    assert_int_equal(check(), ELF_ERR_TRUNCATED);
}

static void too_many_phdrs(void **s)
{
    (void)s;
    static uint8_t big[sizeof(elf32_ehdr_t) + (ELF_MAX_PHDRS + 1) * sizeof(elf32_phdr_t)]
        __attribute__((aligned(8)));
    memcpy(big, &img.eh, sizeof img.eh);
    elf32_ehdr_t *eh = (elf32_ehdr_t *)big;
    eh->phoff = sizeof *eh;
    eh->phnum = ELF_MAX_PHDRS + 1;
    assert_int_equal(elf_check(big, sizeof big, LO, HI), ELF_ERR_PHNUM);
    eh->phnum = ELF_MAX_PHDRS; /* all empty (type 0): allowed, but nothing to load */
    assert_int_equal(elf_check(big, sizeof big, LO, HI), ELF_ERR_NO_LOAD);
}

static void segment_data_outside_file(void **s)
{
    (void)s;
    img.ph[0].filesz = 0xfffffff0u;
    img.ph[0].memsz = 0xfffffff0u;
    assert_int_equal(check(), ELF_ERR_SEGMENT);
    setup(NULL);
    img.ph[1].offset = sizeof(img) + 1;
    assert_int_equal(check(), ELF_ERR_SEGMENT);
    setup(NULL);
    img.ph[1].offset = sizeof(img) - 31; /* one byte past the end */
    assert_int_equal(check(), ELF_ERR_SEGMENT);
    img.ph[1].offset = sizeof(img) - 32; /* exactly to the end */
    assert_int_equal(check(), ELF_OK);
}

static void filesz_above_memsz(void **s)
{
    (void)s;
    img.ph[0].memsz = 16;
    assert_int_equal(check(), ELF_ERR_SIZE);
}

static void segment_outside_range(void **s)
{
    (void)s;
    img.ph[1].vaddr = 0xc0000000u;
    assert_int_equal(check(), ELF_ERR_RANGE);
    setup(NULL);
    img.ph[1].vaddr = HI - 100; /* reaches past the limit */
    assert_int_equal(check(), ELF_ERR_RANGE);
    img.ph[1].vaddr = HI - 4096; /* ends exactly at it */
    assert_int_equal(check(), ELF_OK);
    setup(NULL);
    img.ph[0].vaddr = LO - 4; /* starts below the range */
    img.eh.entry = LO;
    assert_int_equal(check(), ELF_ERR_RANGE);
    setup(NULL);
    img.ph[1].memsz = 0xfffffff0u; /* wraps */
    assert_int_equal(check(), ELF_ERR_RANGE);
}

static void overlapping_segments(void **s)
{
    (void)s;
    img.ph[1].vaddr = 0x10000 + 28; /* meets the last word of segment 0 */
    assert_int_equal(check(), ELF_ERR_OVERLAP);
    img.ph[1].vaddr = 0x10000 + 32; /* right after it */
    assert_int_equal(check(), ELF_OK);
}

static void no_loadable_segment(void **s)
{
    (void)s;
    img.ph[0].type = img.ph[1].type = 0;
    assert_int_equal(check(), ELF_ERR_NO_LOAD);
    setup(NULL);
    img.ph[0].memsz = img.ph[0].filesz = 0; /* empty: not loaded ... */
    img.ph[1].memsz = img.ph[1].filesz = 0;
    assert_int_equal(check(), ELF_ERR_NO_LOAD);
}

static void entry_outside_code(void **s)
{
    (void)s;
    img.eh.entry = 0x20000; /* in the data segment, not executable */
    assert_int_equal(check(), ELF_ERR_ENTRY);
    img.eh.entry = 0x10020; /* just past the code */
    assert_int_equal(check(), ELF_ERR_ENTRY);
    img.eh.entry = 0x10006; /* inside, not word aligned */
    assert_int_equal(check(), ELF_ERR_ENTRY);
    img.eh.entry = 0x1001c; /* last word */
    assert_int_equal(check(), ELF_OK);
}

/* A bare-metal image: text linked at a virtual address outside the range
 * but loaded at a physical one inside it (the native RTOS's user text). The
 * range, overlap and entry checks all follow the placement. */
static void placed_by_physical_address(void **s)
{
    (void)s;
    img.ph[1].vaddr = 0xc0000000u;
    img.ph[1].paddr = 0x10000 + 32;
    assert_int_equal(check(), ELF_ERR_RANGE);
    assert_int_equal(elf_check_at(&img, sizeof(img), LO, HI, ELF_AT_PADDR), ELF_OK);
    assert_int_equal(elf_place(&img.ph[1], ELF_AT_PADDR), 0x10000 + 32);
    assert_int_equal(elf_place(&img.ph[1], ELF_AT_VADDR), 0xc0000000u);
    img.ph[1].paddr = 0x10000 + 28; /* physically over segment 0 */
    assert_int_equal(elf_check_at(&img, sizeof(img), LO, HI, ELF_AT_PADDR), ELF_ERR_OVERLAP);
    img.ph[1].paddr = HI - 100;
    assert_int_equal(elf_check_at(&img, sizeof(img), LO, HI, ELF_AT_PADDR), ELF_ERR_RANGE);
    setup(NULL);
    img.ph[0].paddr = 0x40000; /* the entry is physical: now outside the code */
    assert_int_equal(elf_check_at(&img, sizeof(img), LO, HI, ELF_AT_PADDR), ELF_ERR_ENTRY);
    img.eh.entry = 0x40004;
    assert_int_equal(elf_check_at(&img, sizeof(img), LO, HI, ELF_AT_PADDR), ELF_OK);
    assert_int_equal(check(), ELF_ERR_ENTRY);
}

static void status_names(void **s)
{
    (void)s;
    assert_string_equal(elf_status_name(ELF_OK), "ok");
    assert_string_equal(elf_status_name(ELF_ERR_ENTRY), "entry point not in an executable segment");
    assert_string_equal(elf_status_name(ELF_ERR_OVERLAP), "segments overlap");
    assert_string_equal(elf_status_name((elf_status_t)99), "?");
    for (int i = ELF_OK; i <= ELF_ERR_ENTRY; i++)
        assert_string_not_equal(elf_status_name((elf_status_t)i), "?");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(valid_image_passes),
        T(short_header_truncated),
        T(unaligned_image_or_table),
        T(bad_magic),
        T(wrong_class_machine_type),
        T(phdrs_past_end_truncated),
        T(too_many_phdrs),
        T(segment_data_outside_file),
        T(filesz_above_memsz),
        T(segment_outside_range),
        T(overlapping_segments),
        T(no_loadable_segment),
        T(entry_outside_code),
        T(placed_by_physical_address),
        T(status_names),
    };
    return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
