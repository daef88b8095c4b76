/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The counters for the benchmarks: direct PMU reads (l4/pmu.h), which the
 * kernel enables for user mode. They are cp15 accesses, so the auditor
 * reports them (class coproc): this file is linked into the benchmark
 * image only, and the build accepts findings in these functions there and
 * nowhere else. The test image has no PMU access at all.
 */
#include <l4/pmu.h>

#include "pv.h"

#define PMEVT_SW_INCR 0x00u
#define PMEVT_MASK 0xffu

uint32_t port_perf_read(void)
{
    return l4_pmu_read(L4_PMU_ALL);
}

/* The microkernel's stats configuration programs counters 1 and 2 for
 * software increments and counts kernel entries and TTBR0 loads on them
 * (docs/benchmarks.md); every other configuration counts kernel and user
 * instructions there. PMXEVTYPER tells which. */
bool port_perf_kstats(uint32_t *entries, uint32_t *switches)
{
    uint32_t type;

    __asm__ volatile("mcr p15, 0, %1, c9, c12, 5\n\t" /* PMSELR */
                     "isb\n\t"
                     "mrc p15, 0, %0, c9, c13, 1" /* PMXEVTYPER */
                     : "=r"(type)
                     : "r"(L4_PMU_KERNEL)
                     : "memory");
    if ((type & PMEVT_MASK) != PMEVT_SW_INCR)
        return false;
    *entries = l4_pmu_read(L4_PMU_KERNEL);
    *switches = l4_pmu_read(L4_PMU_USER);
    return true;
}
