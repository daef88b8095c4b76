/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel tick from the ARM generic timer, non-secure PL1 physical timer
 * (CNTP_*, ARM ARM B8). Under `-icount shift=0` QEMU advances the counter by
 * one nanosecond per instruction, so tick lengths are exact and repeatable. */
#include <platform.h>
#include <arch/cpu.h>

static uint32_t ticks_per_tick; /* counter ticks per kernel tick */

void plat_timer_init(void)
{
    uint32_t freq = cp15_read_cntfrq();
    ticks_per_tick = (uint32_t)((uint64_t)freq * PLAT_TIMER_TICK_US / 1000000u);
    cp15_write_cntp_tval(ticks_per_tick);
    cp15_write_cntp_ctl(1); /* ENABLE=1, IMASK=0 */
    plat_irq_unmask(PLAT_IRQ_TIMER);
}

void plat_timer_ack(void)
{
    /* TVAL counts from now, so a late tick does not cause a burst of catch-up
     * interrupts; the tick is a preemption clock, not a wall clock. */
    cp15_write_cntp_tval(ticks_per_tick);
}

uint64_t plat_timer_now(void)
{
    return cp15_read_cntpct();
}
