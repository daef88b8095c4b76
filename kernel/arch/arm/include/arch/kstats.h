/* SPDX-License-Identifier: BSD-2-Clause */
/* The stats configuration (CONFIG_KSTATS=1, kernel configuration `kstats`
 * (docs/build.md): the *-kstats images) counts every exception entry from
 * user mode on PMU counter 1 and every TTBR0/ASID switch on counter 2, by
 * software increment (PMSWINC, ARM ARM C12.8.14; the counters programmed
 * for event 0x00 in arch_pmu_init). User code reads them as it reads the
 * instruction counters (l4/pmu.h). Every other configuration leaves those
 * counters counting kernel and user instructions, and this costs nothing:
 * the constant removes the code. Counting adds instructions, so a stats
 * kernel's instruction counts are never reported (docs/benchmarks.md). */
#pragma once
#include <config.h>
#define ARCH_KSTAT_ENTRY 1  /* PMU counter: exception entries from user mode */
#define ARCH_KSTAT_SWITCH 2 /* PMU counter: TTBR0 loads (address-space switches) */

#ifndef __ASSEMBLY__ /* vectors.S counts entries with its KSTAT_ENTRY macro */
static inline void arch_kstat_count(unsigned counter)
{
    if (CONFIG_KSTATS)
        __asm__ volatile("mcr p15, 0, %0, c9, c12, 4" ::"r"(1u << counter)); /* PMSWINC */
}
#endif
