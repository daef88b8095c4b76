/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel address space and MMU/cache enable. The kernel identity-maps RAM
 * (normal, write-back) and the device window (device, execute-never) with
 * global 1 MiB sections accessible only at PL1. Every user address space
 * starts as a copy of this table, so the kernel is mapped everywhere and a
 * user access to kernel memory is a permission fault.
 */
#include <rtos/rtos.h>

#include "board.h"
#include "cpu.h"
#include "mmu.h"

#define SCTLR_M (1u << 0)  /* MMU */
#define SCTLR_C (1u << 2)  /* data and unified caches */
#define SCTLR_Z (1u << 11) /* branch prediction */
#define SCTLR_I (1u << 12) /* instruction cache */
#define DACR_D0_CLIENT 1u

uint32_t native_kernel_l1[L1_ENTRIES] __attribute__((aligned(16384)));

static void map_sections(uint32_t base, uint32_t size, uint32_t attr)
{
    for (uint32_t a = base; a - base < size; a += 1u << L1_SECTION_SHIFT)
        native_kernel_l1[a >> L1_SECTION_SHIFT] = a | attr | L1_SECT_AP_KRW | L1_TYPE_SECTION;
}

/*
 * Runs with the MMU off (all data accesses strongly ordered, so only
 * aligned word stores here). Cortex-A15 invalidates its caches and TLBs at
 * reset (TRM r2p0, 6.1), so no set/way invalidation is needed before the
 * enable; the TLB/branch/icache invalidates below cover warm restarts.
 */
void native_mmu_init(void)
{
    map_sections(BOARD_RAM_BASE, BOARD_RAM_SIZE, L1_SECT_NORMAL);
    map_sections(BOARD_DEV_BASE, BOARD_DEV_SIZE, L1_SECT_DEVICE | L1_SECT_XN);
    cpu_dsb();

    CP15_WRITE(0, c2, c0, 2, 0);              /* TTBCR: TTBR0 only */
    CP15_WRITE(0, c3, c0, 0, DACR_D0_CLIENT); /* DACR */
    CP15_WRITE(0, c13, c0, 1, 0);             /* CONTEXTIDR: ASID 0 */
    CP15_WRITE(0, c2, c0, 0, (uint32_t)(uintptr_t)native_kernel_l1 | TTBR_WALK_WBWA);
    CP15_WRITE(0, c8, c7, 0, 0); /* TLBIALL */
    CP15_WRITE(0, c7, c5, 6, 0); /* BPIALL */
    CP15_WRITE(0, c7, c5, 0, 0); /* ICIALLU */
    cpu_dsb();
    cpu_isb();
    CP15_WRITE(0, c1, c0, 0,
               CP15_READ(0, c1, c0, 0) | SCTLR_M | SCTLR_C | SCTLR_Z | SCTLR_I); /* SCTLR */
    cpu_isb();
}
