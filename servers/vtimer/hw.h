/* SPDX-License-Identifier: BSD-2-Clause */
/* The ARM generic virtual timer, from PL0 (the kernel sets CNTKCTL.PL0VCTEN
 * and PL0VTEN; ARM ARM B8.1). */
#pragma once
#include <stdint.h>

static inline uint64_t vtimer_hw_count(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb\n\t"
                     "mrrc p15, 1, %0, %1, c14" /* CNTVCT */
                     : "=r"(lo), "=r"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint32_t vtimer_hw_freq(void)
{
    uint32_t f;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(f)); /* CNTFRQ */
    return f;
}

/* Fire after `ticks` (signed 32 bits: CNTV_TVAL) and enable, IRQ unmasked. */
static inline void vtimer_hw_arm(int32_t ticks)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 0\n\t" /* CNTV_TVAL */
                     "mcr p15, 0, %1, c14, c3, 1\n\t" /* CNTV_CTL: ENABLE, IMASK clear */
                     "isb" ::"r"(ticks),
                     "r"(1u));
}

static inline void vtimer_hw_stop(void)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\t" /* CNTV_CTL = 0: off, quiet */
                     "isb" ::"r"(0u));
}
