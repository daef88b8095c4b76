/* SPDX-License-Identifier: BSD-2-Clause */
/* Short-descriptor translation table formats (ARM ARM B3.5.1), explicit
 * shifts and masks only. Memory types with SCTLR.TRE=0 (B3.8.2):
 *   Normal, inner/outer write-back write-allocate: TEX=001 C=1 B=1
 *   Normal, inner/outer non-cacheable:            TEX=001 C=0 B=0
 *   Device (shareable):                           TEX=000 C=0 B=1
 * Access permissions with SCTLR.AFE=0 (B3.7.1), AP[2] AP[1:0]:
 *   001 kernel RW, user none   011 kernel RW, user RW
 *   010 kernel RW, user RO     101 kernel RO, user none
 * Pure functions: the host unit tests compile this header. */
#pragma once
#include <types.h>
#include <vm.h>

#define PD_ENTRIES 4096u      /* a full first-level table: 16 KiB */
#define PD_USER_ENTRIES 2048u /* with TTBCR.N=1 TTBR0 covers 2 GiB: 8 KiB */
#define PT_ENTRIES 256u       /* second level: 1 KiB */
#define SECTION_BITS 20
#define PAGE_BITS 12
#define LARGE_PAGE_BITS 16

/* first level */
#define PDE_TYPE_MASK 0x3u
#define PDE_TYPE_FAULT 0x0u
#define PDE_TYPE_TABLE 0x1u
#define PDE_TYPE_SECTION 0x2u
#define PDE_B BIT(2)
#define PDE_C BIT(3)
#define PDE_XN BIT(4)
#define PDE_AP_SHIFT 10
#define PDE_TEX_SHIFT 12
#define PDE_AP2 BIT(15)
#define PDE_S BIT(16)
#define PDE_NG BIT(17)
#define PDE_SECTION_BASE_MASK 0xfff00000u
#define PDE_TABLE_BASE_MASK 0xfffffc00u

/* second level */
#define PTE_TYPE_MASK 0x3u
#define PTE_TYPE_FAULT 0x0u
#define PTE_TYPE_LARGE 0x1u
#define PTE_TYPE_SMALL 0x2u /* bit 0 is XN for small pages */
#define PTE_SMALL_XN BIT(0)
#define PTE_B BIT(2)
#define PTE_C BIT(3)
#define PTE_AP_SHIFT 4
#define PTE_SMALL_TEX_SHIFT 6
#define PTE_AP2 BIT(9)
#define PTE_S BIT(10)
#define PTE_NG BIT(11)
#define PTE_LARGE_TEX_SHIFT 12
#define PTE_LARGE_XN BIT(15)
#define PTE_SMALL_BASE_MASK 0xfffff000u
#define PTE_LARGE_BASE_MASK 0xffff0000u

/* AP[2:0] for the given permissions, as (AP2 << 2) | AP[1:0]. */
static inline uint32_t mmu_ap_bits(uint32_t vm)
{
    if (vm & VM_USER)
        return (vm & VM_WRITE) ? 0x3u : 0x2u;
    return (vm & VM_WRITE) ? 0x1u : 0x5u;
}

static inline uint32_t mmu_pde_section(paddr_t pa, uint32_t vm)
{
    uint32_t ap = mmu_ap_bits(vm);
    uint32_t d = (pa & PDE_SECTION_BASE_MASK) | PDE_TYPE_SECTION | PDE_S;
    d |= (ap & 3u) << PDE_AP_SHIFT;
    if (ap & 4u)
        d |= PDE_AP2;
    if (vm & VM_DEVICE)
        d |= PDE_B | PDE_XN;
    else if (vm & VM_UNCACHED)
        d |= 1u << PDE_TEX_SHIFT;
    else
        d |= (1u << PDE_TEX_SHIFT) | PDE_C | PDE_B;
    if (!(vm & VM_EXEC))
        d |= PDE_XN;
    if (!(vm & VM_GLOBAL))
        d |= PDE_NG;
    return d;
}

static inline uint32_t mmu_pde_table(paddr_t pt)
{
    return (pt & PDE_TABLE_BASE_MASK) | PDE_TYPE_TABLE; /* domain 0 */
}

static inline uint32_t mmu_pte_small(paddr_t pa, uint32_t vm)
{
    uint32_t ap = mmu_ap_bits(vm);
    uint32_t d = (pa & PTE_SMALL_BASE_MASK) | PTE_TYPE_SMALL | PTE_S;
    d |= (ap & 3u) << PTE_AP_SHIFT;
    if (ap & 4u)
        d |= PTE_AP2;
    if (vm & VM_DEVICE)
        d |= PTE_B | PTE_SMALL_XN;
    else if (vm & VM_UNCACHED)
        d |= 1u << PTE_SMALL_TEX_SHIFT;
    else
        d |= (1u << PTE_SMALL_TEX_SHIFT) | PTE_C | PTE_B;
    if (!(vm & VM_EXEC))
        d |= PTE_SMALL_XN;
    if (!(vm & VM_GLOBAL))
        d |= PTE_NG;
    return d;
}

/* A 64 KiB page: the same descriptor repeated in 16 consecutive entries. */
static inline uint32_t mmu_pte_large(paddr_t pa, uint32_t vm)
{
    uint32_t ap = mmu_ap_bits(vm);
    uint32_t d = (pa & PTE_LARGE_BASE_MASK) | PTE_TYPE_LARGE | PTE_S;
    d |= (ap & 3u) << PTE_AP_SHIFT;
    if (ap & 4u)
        d |= PTE_AP2;
    if (vm & VM_DEVICE)
        d |= PTE_B | PTE_LARGE_XN;
    else if (vm & VM_UNCACHED)
        d |= 1u << PTE_LARGE_TEX_SHIFT;
    else
        d |= (1u << PTE_LARGE_TEX_SHIFT) | PTE_C | PTE_B;
    if (!(vm & VM_EXEC))
        d |= PTE_LARGE_XN;
    if (!(vm & VM_GLOBAL))
        d |= PTE_NG;
    return d;
}

static inline uint32_t mmu_pd_index(vaddr_t va)
{
    return va >> SECTION_BITS;
}
static inline uint32_t mmu_pt_index(vaddr_t va)
{
    return (va >> PAGE_BITS) & 0xffu;
}
