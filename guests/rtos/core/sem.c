/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Counting semaphores. A give with a waiter hands the unit directly to the
 * most urgent waiter (the count stays 0), so a woken task never retries and
 * a late-coming task cannot steal the unit.
 * Invariant: count > 0 implies no waiters.
 */
#include "kernel.h"

int rtos_sem_init(rtos_sem_t *s, uint32_t initial, uint32_t max)
{
    if (!s || max == 0 || initial > max)
        return RTOS_EINVAL;
    wq_init(&s->wq);
    s->count = initial;
    s->max = max;
    return RTOS_OK;
}

int rtos_sem_take(rtos_sem_t *s, rtos_tick_t timeout)
{
    port_irqflags_t flags;
    int r;

    if (!s)
        return RTOS_EINVAL;
    flags = port_irq_save();
    if (s->count > 0) {
        s->count--;
        r = RTOS_OK;
    } else if (timeout == RTOS_NO_WAIT || !sched_can_block()) {
        r = RTOS_EAGAIN;
    } else {
        r = sched_block(&s->wq, timeout);
    }
    port_irq_restore(flags);
    return r;
}

int rtos_sem_give(rtos_sem_t *s)
{
    port_irqflags_t flags;
    int r = RTOS_OK;

    if (!s)
        return RTOS_EINVAL;
    flags = port_irq_save();
    if (sched_wake_first(&s->wq, RTOS_OK))
        sched_preempt();
    else if (s->count < s->max)
        s->count++;
    else
        r = RTOS_EOVERFLOW;
    port_irq_restore(flags);
    return r;
}

uint32_t rtos_sem_count(const rtos_sem_t *s)
{
    return s->count;
}
