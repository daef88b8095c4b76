/* SPDX-License-Identifier: BSD-2-Clause */
/* The ARM generic timer's counter and frequency, from PL0 (the kernel sets
 * CNTKCTL.PL0VCTEN only; ARM ARM B8.1): read-only, the same for everyone.
 * The timer itself (CNTV_*) is not PL0's: the server uses its kernel timer. */
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
