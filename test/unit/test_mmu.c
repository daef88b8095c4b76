/* SPDX-License-Identifier: BSD-2-Clause */
/* Short-descriptor encodings (kernel/arch/arm/include/arch/mmu.h), checked
 * against values worked out by hand from ARM ARM B3.5.1. */
#include "unit.h"
#include <arch/mmu.h>
#include <object/frame.h>

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

/* Every descriptor form of a mapping with attributes vm is device memory
 * (TEX=000 C=0 B=1) and execute-never. */
static void assert_device_xn(uint32_t vm)
{
    uint32_t sec = mmu_pde_section(0x09000000u, vm), sm = mmu_pte_small(0x09010000u, vm);
    uint32_t lg = mmu_pte_large(0x0a000000u, vm);
    assert_int_equal(sec & (PDE_XN | PDE_C | PDE_B | (7u << PDE_TEX_SHIFT)), PDE_XN | PDE_B);
    assert_int_equal(sm & (PTE_SMALL_XN | PTE_C | PTE_B | (7u << PTE_SMALL_TEX_SHIFT)),
                     PTE_SMALL_XN | PTE_B);
    assert_int_equal(lg & (PTE_LARGE_XN | PTE_C | PTE_B | (7u << PTE_LARGE_TEX_SHIFT)),
                     PTE_LARGE_XN | PTE_B);
}

static void device_frame_is_uncached_xn_whatever_the_attributes(void **s)
{
    (void)s;
    static const word_t rights[] = {L4_RIGHT_READ, L4_RIGHT_READ | L4_RIGHT_WRITE};
    for (word_t attr = 0; attr <= (L4_ATTR_EXECUTE_NEVER | L4_ATTR_UNCACHED); attr++) {
        for (unsigned r = 0; r < 2; r++) {
            uint32_t vm = frame_vm_attributes(true, rights[r], attr);
            assert_int_equal(vm & (VM_DEVICE | VM_EXEC | VM_USER | VM_READ | VM_UNCACHED),
                             VM_DEVICE | VM_USER | VM_READ);
            assert_int_equal(!!(vm & VM_WRITE), r == 1);
            assert_device_xn(vm);
        }
    }
}

static void ram_frame_attributes_follow_the_request(void **s)
{
    (void)s;
    word_t rw = L4_RIGHT_READ | L4_RIGHT_WRITE;
    assert_int_equal(frame_vm_attributes(false, rw, 0), VM_USER | VM_READ | VM_WRITE | VM_EXEC);
    assert_int_equal(frame_vm_attributes(false, L4_RIGHT_READ, L4_ATTR_EXECUTE_NEVER),
                     VM_USER | VM_READ);
    assert_int_equal(frame_vm_attributes(false, rw, L4_ATTR_UNCACHED),
                     VM_USER | VM_READ | VM_WRITE | VM_EXEC | VM_UNCACHED);
    uint32_t code = mmu_pte_small(0x40000000u, frame_vm_attributes(false, L4_RIGHT_READ, 0));
    assert_int_equal(code & PTE_SMALL_XN, 0);
    assert_int_equal(code & PTE_C, PTE_C);
    /* Uncached RAM is normal non-cacheable memory (TEX=001 C=0 B=0): it
     * keeps unaligned accesses and execution, unlike device memory. */
    uint32_t vm = frame_vm_attributes(false, rw, L4_ATTR_UNCACHED);
    uint32_t sec = mmu_pde_section(0x40000000u, vm), sm = mmu_pte_small(0x40001000u, vm);
    uint32_t lg = mmu_pte_large(0x40010000u, vm);
    assert_int_equal(sec & (PDE_XN | PDE_C | PDE_B | (7u << PDE_TEX_SHIFT)), 1u << PDE_TEX_SHIFT);
    assert_int_equal(sm & (PTE_SMALL_XN | PTE_C | PTE_B | (7u << PTE_SMALL_TEX_SHIFT)),
                     1u << PTE_SMALL_TEX_SHIFT);
    assert_int_equal(lg & (PTE_LARGE_XN | PTE_C | PTE_B | (7u << PTE_LARGE_TEX_SHIFT)),
                     1u << PTE_LARGE_TEX_SHIFT);
    vm = frame_vm_attributes(false, rw, L4_ATTR_UNCACHED | L4_ATTR_EXECUTE_NEVER);
    assert_int_equal(mmu_pte_small(0x40001000u, vm) & PTE_SMALL_XN, PTE_SMALL_XN);
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
        cmocka_unit_test(device_frame_is_uncached_xn_whatever_the_attributes),
        cmocka_unit_test(ram_frame_attributes_follow_the_request),
        cmocka_unit_test(user_small_pages),
        cmocka_unit_test(kernel_only_read_only_uses_ap2),
        cmocka_unit_test(large_page_fields),
        cmocka_unit_test(table_descriptor_and_indices),
    };
    return cmocka_run_group_tests_name("mmu", tests, NULL, NULL);
}
