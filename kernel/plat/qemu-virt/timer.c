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

static uint32_t freq;           /* CNTFRQ, Hz */
static uint32_t ticks_per_tick; /* counter ticks per kernel tick */
static uint64_t tick_deadline;  /* the kernel's next tick */
static uint64_t vcpu_deadline = ~(uint64_t)0; /* the earliest vCPU timer; ~0: none */

static void timer_write(void)
{
    cp15_write_cntp_cval(tick_deadline < vcpu_deadline ? tick_deadline : vcpu_deadline);
}

void plat_timer_init(void)
{
    freq = cp15_read_cntfrq();
    ticks_per_tick = (uint32_t)((uint64_t)freq * PLAT_TIMER_TICK_US / 1000000u);
    tick_deadline = cp15_read_cntpct() + ticks_per_tick;
    timer_write();
    cp15_write_cntp_ctl(1); /* ENABLE=1, IMASK=0 */
    plat_irq_unmask(PLAT_IRQ_TIMER);
}

bool plat_timer_tick_due(uint64_t now)
{
    if (now < tick_deadline)
        return false;
    /* Counted from now, so a late tick does not cause a burst of catch-up
     * interrupts; the tick is a preemption clock, not a wall clock. */
    tick_deadline = now + ticks_per_tick;
    return true;
}

void plat_timer_program(uint64_t deadline)
{
    /* A compare value already passed keeps the line asserted: the
     * interrupt comes again as soon as the kernel unmasks it. */
    vcpu_deadline = deadline;
    timer_write();
}

uint64_t plat_timer_now(void)
{
    return cp15_read_cntpct();
}

word_t plat_timer_freq(void)
{
    return freq;
}

word_t plat_timer_us_to_ticks(word_t us)
{
    return (word_t)((uint64_t)freq * us / 1000000u);
}
