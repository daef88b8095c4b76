/* SPDX-License-Identifier: BSD-2-Clause */
/* Short-descriptor encodings (kernel/arch/arm/include/arch/mmu.h), checked
 * against values worked out by hand from ARM ARM B3.5.1. */
#include "unit.h"
#include <arch/mmu.h>

static void kernel_section_matches_head_S(void **s)
{
    (void)s;
    /* head.S builds the kernel window with 0x0001140e: S, TEX=001 C B, AP=01 */
    assert_int_equal(mmu_pde_section(0x40000000u, VM_READ | VM_WRITE | VM_EXEC | VM_GLOBAL),
                     0x4001140eu);
}

static void device_section_is_xn_uncached(void **s)
{
    (void)s;
    uint32_t d = mmu_pde_section(0x09000000u, VM_READ | VM_WRITE | VM_DEVICE | VM_GLOBAL);
    assert_int_equal(d & PDE_XN, PDE_XN);
    assert_int_equal(d & (PDE_C | (7u << PDE_TEX_SHIFT)), 0);
    assert_int_equal(d & PDE_B, PDE_B);
}

static void user_small_pages(void **s)
{
    (void)s;
    /* user RW data: AP=11, XN, nG, normal WBWA, shareable */
    assert_int_equal(mmu_pte_small(0x40123000u, VM_READ | VM_WRITE | VM_USER),
                     0x40123000u | PTE_TYPE_SMALL | PTE_SMALL_XN | PTE_B | PTE_C |
                         (1u << PTE_SMALL_TEX_SHIFT) | (3u << PTE_AP_SHIFT) | PTE_S | PTE_NG);
    /* user RX code: AP=10 (read-only), executable */
    uint32_t code = mmu_pte_small(0x40124000u, VM_READ | VM_EXEC | VM_USER);
    assert_int_equal(code & PTE_SMALL_XN, 0);
    assert_int_equal((code >> PTE_AP_SHIFT) & 3u, 2u);
    assert_int_equal(code & PTE_AP2, 0);
}

static void kernel_only_read_only_uses_ap2(void **s)
{
    (void)s;
    uint32_t d = mmu_pte_small(0x40000000u, VM_READ);
    assert_int_equal(d & PTE_AP2, PTE_AP2);
    assert_int_equal((d >> PTE_AP_SHIFT) & 3u, 1u);
}

static void large_page_fields(void **s)
{
    (void)s;
    uint32_t d = mmu_pte_large(0x40130000u, VM_READ | VM_WRITE | VM_USER);
    assert_int_equal(d & PTE_TYPE_MASK, PTE_TYPE_LARGE);
    assert_int_equal(d & PTE_LARGE_BASE_MASK, 0x40130000u);
    assert_int_equal(d & PTE_LARGE_XN, PTE_LARGE_XN);
    assert_int_equal((d >> PTE_LARGE_TEX_SHIFT) & 7u, 1u);
}

static void table_descriptor_and_indices(void **s)
{
    (void)s;
    assert_int_equal(mmu_pde_table(0x40001c00u), 0x40001c01u);
    assert_int_equal(mmu_pd_index(0x7fffe000u), 0x7ffu);
    assert_int_equal(mmu_pt_index(0x7fffe000u), 0xfeu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kernel_section_matches_head_S),
        cmocka_unit_test(device_section_is_xn_uncached),
        cmocka_unit_test(user_small_pages),
        cmocka_unit_test(kernel_only_read_only_uses_ap2),
        cmocka_unit_test(large_page_fields),
        cmocka_unit_test(table_descriptor_and_indices),
    };
    return cmocka_run_group_tests_name("mmu", tests, NULL, NULL);
}
