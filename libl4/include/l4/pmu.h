/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading the instruction counters the kernel programs at boot (see
 * docs/benchmarks.md): counter 0 all levels, 1 kernel only (PL0 excluded),
 * 2 user only (PL1 excluded); event 0x08 instructions retired. */
#pragma once
#include <stdint.h>

#define L4_PMU_ALL 0
#define L4_PMU_KERNEL 1
#define L4_PMU_USER 2

static inline uint32_t l4_pmu_read(uint32_t counter)
{
    uint32_t v;
    __asm__ volatile("mcr p15, 0, %1, c9, c12, 5\n" /* PMSELR */
                     "isb\n"
                     "mrc p15, 0, %0, c9, c13, 2" /* PMXEVCNTR */
                     : "=r"(v)
                     : "r"(counter)
                     : "memory");
    return v;
}
