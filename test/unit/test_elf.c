/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF validation of boot images (kernel/core/elf.c): every error path. */
#include "unit.h"
#include <string.h>
#include <elf.h>

#define LIMIT 0x7fffe000u

static struct {
    elf32_ehdr_t eh;
    elf32_phdr_t ph[2];
    uint8_t data[64];
} img;

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
    img.eh.phnum = 2;
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
    return 0;
}

static void valid_image_passes(void **s)
{
    (void)s;
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_OK);
    assert_int_equal(elf_phdr(&img, 1)->vaddr, 0x20000);
}

static void short_header_truncated(void **s)
{
    (void)s;
    assert_int_equal(elf_check(&img, sizeof(elf32_ehdr_t) - 1, LIMIT), ELF_ERR_TRUNCATED);
}

static void bad_magic(void **s)
{
    (void)s;
    img.eh.ident[1] = 'X';
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_NOT_ELF);
}

static void wrong_class_machine_type(void **s)
{
    (void)s;
    img.eh.ident[4] = 2; /* ELFCLASS64 */
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_CLASS);
    setup(NULL);
    img.eh.machine = 62; /* x86-64 */
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_CLASS);
    setup(NULL);
    img.eh.type = 3; /* ET_DYN */
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_CLASS);
}

static void phdrs_past_end_truncated(void **s)
{
    (void)s;
    img.eh.phnum = 0xffff;
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_TRUNCATED);
    setup(NULL);
    img.eh.phoff = 0xfffffff0u;
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_TRUNCATED);
}

static void segment_data_outside_file(void **s)
{
    (void)s;
    img.ph[0].filesz = 0xfffffff0u;
    img.ph[0].memsz = 0xfffffff0u;
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_SEGMENT);
    setup(NULL);
    img.ph[1].offset = sizeof(img) + 1;
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_SEGMENT);
}

static void filesz_above_memsz(void **s)
{
    (void)s;
    img.ph[0].memsz = 16;
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_SIZE);
}

static void segment_outside_user_space(void **s)
{
    (void)s;
    img.ph[1].vaddr = 0xc0000000u;
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_RANGE);
    setup(NULL);
    img.ph[1].vaddr = LIMIT - 100; /* wraps past the limit */
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_RANGE);
}

static void entry_outside_code(void **s)
{
    (void)s;
    img.eh.entry = 0x20000; /* in the data segment, not executable */
    assert_int_equal(elf_check(&img, sizeof(img), LIMIT), ELF_ERR_ENTRY);
    assert_string_equal(elf_status_name(ELF_ERR_ENTRY), "entry point not in an executable segment");
    assert_string_equal(elf_status_name((elf_status_t)99), "?");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(valid_image_passes),       T(short_header_truncated),     T(bad_magic),
        T(wrong_class_machine_type), T(phdrs_past_end_truncated),   T(segment_data_outside_file),
        T(filesz_above_memsz),       T(segment_outside_user_space), T(entry_outside_code),
    };
    return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
