/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's one timer, the ARM generic timer's non-secure PL1 physical
 * timer (CNTP_*, ARM ARM B8), programmed by compare value for the earlier
 * of two deadlines: the kernel's tick (preemption) and the earliest armed
 * vCPU timer (object/vcpu_timer.c keeps them in a heap and hands the
 * minimum here). The virtual timer (CNTV_*, PPI 27) stays free for user
 * level (the timer server, or a guest given the line).
 *
 * Time base: CNTPCT. The vCPU timers and vcpu_read_time use it; a guest
 * reading CNTVCT sees the same count, since without the virtualisation
 * extensions in use the virtual offset is 0 (ARM ARM B8.1.2: CNTVOFF is
 * 0 when EL2 is not implemented; QEMU's virt machine has none here).
 * Under `-icount shift=0` QEMU advances the counter by one tick per
 * CNTFRQ/1e9 of an instruction, so every deadline is exact and repeatable. */
#include <platform.h>
#include <arch/cpu.h>

static uint32_t freq;                            /* CNTFRQ, Hz */
uint32_t plat_ticks_per_tick;                    /* counter ticks per kernel tick */
uint64_t plat_tick_deadline;                     /* the kernel's next tick */

/* plat_timer_now, plat_timer_tick_due and plat_timer_program, on every
 * timer interrupt, are inline (include/plat/timer.h). */

void plat_timer_init(void)
{
    freq = cp15_read_cntfrq();
    plat_ticks_per_tick = (uint32_t)((uint64_t)freq * PLAT_TIMER_TICK_US / 1000000u);
    plat_tick_deadline = plat_timer_now() + plat_ticks_per_tick;
    plat_timer_program(~(uint64_t)0); /* no vCPU timer yet */
    cp15_write_cntp_ctl(1); /* ENABLE=1, IMASK=0 */
    plat_irq_unmask(PLAT_IRQ_TIMER);
}

word_t plat_timer_freq(void)
{
    return freq;
}

word_t plat_timer_us_to_ticks(word_t us)
{
    return (word_t)((uint64_t)freq * us / 1000000u);
}
