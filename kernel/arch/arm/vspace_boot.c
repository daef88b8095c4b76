/* SPDX-License-Identifier: BSD-2-Clause */
/* Building a user address space at boot, before capabilities exist. */
#include <arch.h>
#include <arch/mmu.h>
#include <assert.h>

paddr_t arch_boot_map_page(uint32_t *pd, vaddr_t va, paddr_t pa, uint32_t vm,
                           void *(*alloc_pt)(void))
{
    assert(va < L4_USER_TOP && IS_ALIGNED(va, PAGE_BITS) && IS_ALIGNED(pa, PAGE_BITS));
    uint32_t *pde = &pd[mmu_pd_index(va)];
    if ((*pde & PDE_TYPE_MASK) == PDE_TYPE_FAULT)
        *pde = mmu_pde_table(kptr_to_paddr(alloc_pt()));
    assert((*pde & PDE_TYPE_MASK) == PDE_TYPE_TABLE);
    uint32_t *pt = paddr_to_kptr(*pde & PDE_TABLE_BASE_MASK);
    uint32_t *pte = &pt[mmu_pt_index(va)];
    if ((*pte & PTE_TYPE_MASK) == PTE_TYPE_SMALL) {
        /* Another segment shares this page: widen its permissions. */
        paddr_t old = *pte & PTE_SMALL_BASE_MASK;
        uint32_t merged = mmu_pte_small(old, vm);
        if (!(*pte & PTE_SMALL_XN))
            merged &= ~PTE_SMALL_XN;
        if (((*pte >> PTE_AP_SHIFT) & 3u) == 3u)
            merged = (merged & ~(3u << PTE_AP_SHIFT)) | (3u << PTE_AP_SHIFT);
        *pte = merged;
        return old;
    }
    *pte = mmu_pte_small(pa, vm);
    return 0;
}
