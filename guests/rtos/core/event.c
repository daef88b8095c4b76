/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Event flags: 32 flags per group; tasks wait for any or all of a mask,
 * optionally clearing the awaited flags when the wait is satisfied.
 * rtos_event_set() wakes every satisfied waiter, each seeing the flags as
 * they were at the set; the flags consumed by RTOS_EVENT_CLEAR waiters are
 * cleared after all waiters were examined, so one set can wake several
 * tasks waiting for the same flag.
 */
#include "kernel.h"

int rtos_event_init(rtos_event_t *e)
{
    if (!e)
        return RTOS_EINVAL;
    wq_init(&e->wq);
    e->flags = 0;
    return RTOS_OK;
}

static bool event_satisfied(uint32_t flags, uint32_t want, unsigned opts)
{
    if (opts & RTOS_EVENT_ALL)
        return (flags & want) == want;
    return (flags & want) != 0;
}

int rtos_event_set(rtos_event_t *e, uint32_t flags)
{
    port_irqflags_t irq;
    list_node_t *n, *tmp;
    uint32_t consumed = 0;
    bool woke = false;

    if (!e)
        return RTOS_EINVAL;
    irq = port_irq_save();
    e->flags |= flags;
    list_for_each_safe(n, tmp, &e->wq.waiters)
    {
        rtos_task_t *t = list_entry(n, rtos_task_t, run_node);

        if (!event_satisfied(e->flags, t->wait_bits, t->wait_opts))
            continue;
        if (t->wait_opts & RTOS_EVENT_CLEAR)
            consumed |= t->wait_bits;
        t->wait_bits = e->flags; /* report what satisfied it */
        sched_wake(t, RTOS_OK);
        woke = true;
    }
    e->flags &= ~consumed;
    if (woke)
        sched_preempt();
    port_irq_restore(irq);
    return RTOS_OK;
}

int rtos_event_clear(rtos_event_t *e, uint32_t flags)
{
    port_irqflags_t irq;

    if (!e)
        return RTOS_EINVAL;
    irq = port_irq_save();
    e->flags &= ~flags;
    port_irq_restore(irq);
    return RTOS_OK;
}

int rtos_event_wait(rtos_event_t *e, uint32_t flags, unsigned opts, rtos_tick_t timeout,
                    uint32_t *got)
{
    port_irqflags_t irq;
    rtos_task_t *self = sched.cur;
    int r;

    if (!e || flags == 0 || opts > (RTOS_EVENT_ALL | RTOS_EVENT_CLEAR))
        return RTOS_EINVAL;
    irq = port_irq_save();
    if (event_satisfied(e->flags, flags, opts)) {
        if (got)
            *got = e->flags;
        if (opts & RTOS_EVENT_CLEAR)
            e->flags &= ~flags;
        r = RTOS_OK;
    } else if (timeout == RTOS_NO_WAIT || !sched_can_block()) {
        r = RTOS_EAGAIN;
    } else {
        self->wait_bits = flags;
        self->wait_opts = opts;
        r = sched_block(&e->wq, timeout);
        if (r == RTOS_OK && got)
            *got = self->wait_bits;
    }
    port_irq_restore(irq);
    return r;
}
