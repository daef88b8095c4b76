/* SPDX-License-Identifier: BSD-2-Clause */
/* Cache maintenance by virtual address (ARM ARM B4.2.1). Lines are 64 bytes
 * on Cortex-A15; the minimum D-cache line size is read from CTR anyway. */
#include <arch.h>
#include <arch/cpu.h>

static uint32_t cache_dline_size(void)
{
    uint32_t ctr;
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr)); /* CTR */
    return 4u << ((ctr >> 16) & 0xfu);                         /* DminLine, words */
}

static void cache_clean_to_pou(uintptr_t start, size_t len)
{
    uint32_t line = cache_dline_size();
    for (uintptr_t a = start & ~(line - 1); a < start + len; a += line)
        __asm__ volatile("mcr p15, 0, %0, c7, c11, 1" ::"r"(a) : "memory"); /* DCCMVAU */
    arch_dsb();
}

static void cache_clean_invalidate(uintptr_t start, size_t len)
{
    uint32_t line = cache_dline_size();
    for (uintptr_t a = start & ~(line - 1); a < start + len; a += line)
        __asm__ volatile("mcr p15, 0, %0, c7, c14, 1" ::"r"(a) : "memory"); /* DCCIMVAC */
    arch_dsb();
}

static void cache_sync_icache(void)
{
    __asm__ volatile("mcr p15, 0, %0, c7, c5, 0\n" /* ICIALLU */
                     "mcr p15, 0, %0, c7, c5, 6\n" /* BPIALL */
                     "dsb\n isb" ::"r"(0)
                     : "memory");
}

void arch_clean_invalidate_range(uintptr_t va, size_t len)
{
    cache_clean_invalidate(va, len);
}

void arch_sync_icache_range(uintptr_t va, size_t len)
{
    cache_clean_to_pou(va, len);
    cache_sync_icache();
}
