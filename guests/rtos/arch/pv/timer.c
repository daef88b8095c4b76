/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time from the kernel's vCPU timer (docs/vcpu.md, "The virtual timer";
 * docs/porting.md): timer 0 of the guest's own vCPU, periodic, raises
 * line GUEST_IRQ_TIMER every tick; vcpu_read_time reads the counter. No
 * server is on the tick's path: the kernel's timer interrupt makes the
 * line pending and the upcall follows at once. No cp15 access: the
 * counter is PL0-readable on this machine, but the auditor (rightly)
 * flags every cp15 access, and the core does not read the time on a fast
 * path.
 *
 * Unlike the native port, ticks that fall due while the guest does not run
 * merge into one pending bit: late ticks are delivered, missed ones are
 * not caught up (guest time runs slow rather than in bursts).
 */
#include "pv.h"

#define PV_TICK_TIMER 0u /* the vCPU timer of the tick; timer 1 is free */

static uint64_t pv_time_hz;

static uint64_t pv_timer_now(uint64_t *hz)
{
    l4_word_t w[L4_VCPU_TIME_WORDS];
    port_irqflags_t flags = port_irq_save(); /* the IPC buffer */
    l4_word_t err = l4_vcpu_read_time(GUEST_CAP_VCPU, w);

    port_irq_restore(flags);
    if (err)
        pv_fatal("vcpu_read_time failed", err, 0);
    if (hz)
        *hz = w[2];
    return ((uint64_t)w[1] << 32) | w[0];
}

void port_tick_start(unsigned hz)
{
    l4_word_t period = (l4_word_t)(port_time_hz() / hz); /* counter ticks */
    port_irqflags_t flags = port_irq_save();
    l4_word_t err = l4_vcpu_set_timer(GUEST_CAP_VCPU, PV_TICK_TIMER, L4_VCPU_TIMER_RELATIVE,
                                      GUEST_IRQ_TIMER, period, 0, period);

    port_irq_restore(flags);
    if (err)
        pv_fatal("vcpu_set_timer failed", err, period);
    port_irq_unmask(GUEST_IRQ_TIMER);
}

uint64_t port_time_now(void)
{
    return pv_timer_now(NULL);
}

uint64_t port_time_hz(void)
{
    if (!pv_time_hz)
        pv_timer_now(&pv_time_hz);
    return pv_time_hz;
}
