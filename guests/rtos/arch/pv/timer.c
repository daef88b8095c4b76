/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time from the timer server (docs/vmm.md): a periodic TIMER_SET gives the
 * tick on line 0; TIMER_NOW reads the virtual counter. No cp15 access: the
 * counter is PL0-readable on this machine but the auditor (rightly) flags
 * every cp15 access, and the core does not read the time on a fast path.
 *
 * Unlike the native port, ticks that fall due while the guest does not run
 * merge into one pending bit: late ticks are delivered, missed ones are
 * not caught up (guest time runs slow rather than in bursts).
 */
#include "pv.h"

static uint64_t pv_time_hz;

void port_tick_start(unsigned hz)
{
    l4_msg_t m = {.info = l4_msginfo(TIMER_SET, 0, 2)};
    l4_word_t err;

    m.mr[0] = 1000000u / hz; /* period in microseconds */
    m.mr[1] = 1;             /* periodic */
    err = l4_call(GUEST_CAP_TIMER, &m);
    if (err || m.mr[0])
        pv_fatal("TIMER_SET failed", err, m.mr[0]);
    port_irq_unmask(GUEST_IRQ_TIMER);
}

static uint64_t pv_timer_now(uint64_t *hz)
{
    l4_msg_t m = {.info = l4_msginfo(TIMER_NOW, 0, 0)};
    port_irqflags_t flags = port_irq_save(); /* the IPC buffer */

    l4_call(GUEST_CAP_TIMER, &m);
    port_irq_restore(flags);
    if (hz)
        *hz = m.mr[3];
    /* MR1:MR2 = low word, high word. */
    return ((uint64_t)m.mr[2] << 32) | m.mr[1];
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
