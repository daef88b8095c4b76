/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mutexes with priority inheritance.
 *
 * Invariant (interrupts off): for every task t,
 *   t->prio == max(t->base_prio, prio of the first waiter of every mutex
 *                  on t->held).
 * Waiters are queued by priority, so "first waiter" is the most urgent one.
 * Blocking on, timing out of, or being handed a mutex changes that maximum
 * for the owner; if the owner is itself blocked on a mutex its new priority
 * re-sorts it in that queue and changes the next owner's maximum, and so on
 * down the chain (transitive inheritance), bounded by RTOS_PI_DEPTH_MAX.
 * Unlock hands the mutex directly to the first waiter, so a woken waiter
 * never has to retry.
 */
#include "kernel.h"

int rtos_mutex_init(rtos_mutex_t *m)
{
    if (!m)
        return RTOS_EINVAL;
    wq_init(&m->wq);
    m->owner = NULL;
    list_init(&m->held_node);
    return RTOS_OK;
}

static unsigned mutex_inherited_prio(const rtos_task_t *t)
{
    unsigned prio = t->base_prio;
    list_node_t *n;

    list_for_each(n, &t->held)
    {
        rtos_task_t *w = wq_first(&list_entry(n, rtos_mutex_t, held_node)->wq);

        if (w && w->prio > prio)
            prio = w->prio;
    }
    return prio;
}

/* Re-establish the invariant for t and everyone down its blocking chain. */
void mutex_prio_refresh(rtos_task_t *t)
{
    for (unsigned depth = 0; t && depth < RTOS_PI_DEPTH_MAX; depth++) {
        unsigned prio = mutex_inherited_prio(t);

        if (prio == t->prio)
            return;
        sched_set_prio(t, prio);
        t = t->wait_mutex ? t->wait_mutex->owner : NULL;
    }
}

/* A waiter left m without getting it (timeout or death). */
void mutex_waiter_gone(rtos_mutex_t *m)
{
    if (m->owner)
        mutex_prio_refresh(m->owner);
}

static void mutex_acquire(rtos_mutex_t *m, rtos_task_t *t)
{
    m->owner = t;
    list_push_back(&t->held, &m->held_node);
}

int rtos_mutex_lock(rtos_mutex_t *m, rtos_tick_t timeout)
{
    port_irqflags_t flags;
    rtos_task_t *self = sched.cur;
    int r;

    if (!m || sched.in_kernel || !self)
        return RTOS_EINVAL;
    flags = port_irq_save();
    if (!m->owner) {
        mutex_acquire(m, self);
        r = RTOS_OK;
    } else if (m->owner == self) {
        r = RTOS_EDEADLK;
    } else if (timeout == RTOS_NO_WAIT) {
        r = RTOS_EAGAIN;
    } else {
        self->wait_mutex = m;
        sched_sleep_prepare(&m->wq, timeout);
        mutex_prio_refresh(m->owner);
        /* RTOS_OK: rtos_mutex_unlock() made us the owner. */
        r = sched_sleep_commit();
    }
    port_irq_restore(flags);
    return r;
}

int rtos_mutex_unlock(rtos_mutex_t *m)
{
    port_irqflags_t flags;
    rtos_task_t *self = sched.cur, *next;

    if (!m)
        return RTOS_EINVAL;
    flags = port_irq_save();
    if (m->owner != self || !self) {
        port_irq_restore(flags);
        return RTOS_EPERM;
    }
    list_remove(&m->held_node);
    next = wq_first(&m->wq);
    if (next) {
        next->wait_mutex = NULL; /* it got the mutex: no give-up */
        mutex_acquire(m, next);
        sched_wake(next, RTOS_OK);
        mutex_prio_refresh(next); /* inherits m's other waiters */
    } else {
        m->owner = NULL;
    }
    mutex_prio_refresh(self); /* drop what m's waiters lent us */
    sched_preempt();
    port_irq_restore(flags);
    return RTOS_OK;
}
