/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel timer's per-interrupt steps, inline: they are on the path of
 * every guest tick (object/vcpu_timer.c's vcpu_timer_irq). The state is
 * plat/qemu-virt/timer.c's, which has the rest and explains the choice of
 * timer: the PL1 physical timer, programmed by compare value (CNTP_CVAL)
 * for the earlier of the kernel's tick and the earliest vCPU deadline. */
#pragma once
#include <types.h>

extern uint64_t plat_tick_deadline;  /* the kernel's next tick */
extern uint32_t plat_ticks_per_tick; /* counter ticks per kernel tick */

/* The counter, CNTPCT (ARM ARM B4.1.31); the isb orders the read after
 * what came before it. */
static inline uint64_t plat_timer_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb; mrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* At a timer interrupt, `now` the counter: is the kernel's tick due? If so
 * its next one is counted from now (a late tick causes no burst of
 * catch-up interrupts: the tick is a preemption clock, not a wall clock).
 * Does not program the timer. */
static inline bool plat_timer_tick_due(uint64_t now)
{
    if (now < plat_tick_deadline)
        return false;
    plat_tick_deadline = now + plat_ticks_per_tick;
    return true;
}

/* The earliest vCPU deadline is `deadline` (~0: none): program the timer
 * for the earlier of it and the kernel's next tick (CNTP_CVAL, ARM ARM
 * B4.1.26). A compare value already passed keeps the line asserted: the
 * interrupt comes again as soon as the kernel unmasks it. */
static inline void plat_timer_program(uint64_t deadline)
{
    uint64_t d = plat_tick_deadline < deadline ? plat_tick_deadline : deadline;
    __asm__ volatile("mcrr p15, 2, %0, %1, c14" ::"r"((uint32_t)d), "r"((uint32_t)(d >> 32)));
}
