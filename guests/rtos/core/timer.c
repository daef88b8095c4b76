/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Software timers, run from the tick in kernel context (callbacks must not
 * block; they may give semaphores, set events, send with RTOS_NO_WAIT).
 * Invariant: a timer is active iff its node is on timer_list, which is
 * sorted by expiry (wrap-safe). Periodic timers re-arm at expiry + period,
 * so they do not drift when the tick is late.
 */
#include "kernel.h"

static list_node_t timer_list = {&timer_list, &timer_list};

int rtos_timer_init(rtos_timer_t *t, rtos_timer_fn fn, void *arg)
{
    if (!t || !fn)
        return RTOS_EINVAL;
    list_init(&t->node);
    t->fn = fn;
    t->arg = arg;
    t->period = 0;
    return RTOS_OK;
}

static void timer_insert(rtos_timer_t *t)
{
    list_node_t *n;

    list_for_each(n, &timer_list)
    {
        if (tick_before(t->expiry, list_entry(n, rtos_timer_t, node)->expiry))
            break;
    }
    list_insert_before(n, &t->node);
}

int rtos_timer_start(rtos_timer_t *t, rtos_tick_t delay, rtos_tick_t period)
{
    port_irqflags_t flags;

    if (!t || !t->fn || delay == 0)
        return RTOS_EINVAL;
    flags = port_irq_save();
    list_remove(&t->node);
    t->expiry = sched.ticks + delay;
    t->period = period;
    timer_insert(t);
    port_irq_restore(flags);
    return RTOS_OK;
}

int rtos_timer_stop(rtos_timer_t *t)
{
    port_irqflags_t flags;

    if (!t)
        return RTOS_EINVAL;
    flags = port_irq_save();
    list_remove(&t->node);
    port_irq_restore(flags);
    return RTOS_OK;
}

bool rtos_timer_active(const rtos_timer_t *t)
{
    return list_node_linked(&t->node);
}

/* Fire every timer due at now. A callback may restart or stop any timer,
 * including its own; re-arming happens before the call so that a stop from
 * inside the callback wins. */
void timer_tick(rtos_tick_t now)
{
    list_node_t *n;

    while ((n = list_first(&timer_list)) != NULL) {
        rtos_timer_t *t = list_entry(n, rtos_timer_t, node);

        if (tick_before(now, t->expiry))
            break;
        list_remove(&t->node);
        if (t->period) {
            t->expiry += t->period;
            timer_insert(t);
        }
        t->fn(t, t->arg);
    }
}
