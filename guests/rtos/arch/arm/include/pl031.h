/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PL031 real-time clock as an on-demand interrupt source (ARM DDI 0224,
 * PrimeCell RTC). Its alarm line is asserted while the counter equals the
 * match register and the interrupt is unmasked; loading the counter (LR)
 * with the match value raises it at once, and ICR lowers it. The device
 * never raises it by itself: the match value is far from any load the
 * program makes other than these. Shared by the ARM ports, which differ
 * only in where the registers are mapped.
 */
#ifndef ARM_PL031_H
#define ARM_PL031_H

#include <stdint.h>

#define PL031_MR 0x04u   /* match */
#define PL031_LR 0x08u   /* load: sets the counter */
#define PL031_IMSC 0x10u /* interrupt mask set/clear: bit 0 enables */
#define PL031_ICR 0x1cu  /* interrupt clear */
#define PL031_MATCH 0x80000000u

static inline void pl031_write(uintptr_t base, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(base + off) = v;
}

/* Unraised, unmasked: counter at 0, match half a wrap (68 years) away. */
static inline void pl031_devirq_init(uintptr_t base)
{
    pl031_write(base, PL031_IMSC, 0);
    pl031_write(base, PL031_LR, 0);
    pl031_write(base, PL031_MR, PL031_MATCH);
    pl031_write(base, PL031_ICR, 1);
    pl031_write(base, PL031_IMSC, 1);
}

static inline void pl031_devirq_raise(uintptr_t base)
{
    pl031_write(base, PL031_LR, PL031_MATCH);
}

/* Lower the line and move the counter off the match value. */
static inline void pl031_devirq_clear(uintptr_t base)
{
    pl031_write(base, PL031_LR, 0);
    pl031_write(base, PL031_ICR, 1);
}

#endif
