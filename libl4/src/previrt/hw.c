/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The only coprocessor instructions the runtime executes itself, each in
 * a function of its own so that an image's audit can allow exactly these
 * (l4build.PREVIRT_ALLOWED). All are legal at PL0 here: the kernel sets
 * CNTKCTL.PL0VCTEN (the counter and its frequency), benchmark kernels set
 * PMUSERENR.EN, and TPIDRURW is user state.
 */
#include <l4/pmu.h>

#include "l4glue.h"

uint64_t previrt_hw_counter(void)
{
    uint32_t lo, hi;

    __asm__ volatile("isb\n\t"
                     "mrrc p15, 1, %0, %1, c14" /* CNTVCT (B8.1.2: not early) */
                     : "=r"(lo), "=r"(hi));
    return ((uint64_t)hi << 32) | lo;
}

uint32_t previrt_hw_frequency(void)
{
    uint32_t v;

    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v)); /* CNTFRQ */
    return v;
}

uint32_t previrt_hw_pmu(uint32_t sel)
{
    return l4_pmu_read(sel);
}

uint32_t previrt_hw_cycles(void)
{
    uint32_t v;

    __asm__ volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(v)); /* PMCCNTR */
    return v;
}

uint32_t previrt_hw_scratch(void)
{
    uint32_t v;

    __asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(v)); /* TPIDRURW */
    return v;
}
