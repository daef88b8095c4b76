/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The scheduler: ready queues, blocking and waking, timeouts, the tick and
 * the port's kernel entry/exit upcalls.
 *
 * Invariants (interrupts off):
 *  - a READY task is on ready[t->prio]; the running task is READY and, once
 *    any preemption point has passed, the head of the highest ready queue;
 *  - a BLOCKED task is on t->wq (if non-NULL), and on the delay list iff it
 *    has a finite timeout;
 *  - the idle task is always READY, so ready_map is never 0 after boot.
 */
#include "kernel.h"

struct sched sched;

void sched_init(void)
{
    for (unsigned p = 0; p < RTOS_PRIO_MAX; p++)
        list_init(&sched.ready[p]);
    list_init(&sched.delays);
}

void wq_init(rtos_wq_t *wq)
{
    list_init(&wq->waiters);
}

rtos_task_t *wq_first(const rtos_wq_t *wq)
{
    list_node_t *n = list_first(&wq->waiters);

    return n ? list_entry(n, rtos_task_t, run_node) : NULL;
}

/* Keep waiters by priority, FIFO among equals: insert before the first
 * waiter of strictly lower priority. */
static void wq_insert(rtos_wq_t *wq, rtos_task_t *t)
{
    list_node_t *n;

    list_for_each(n, &wq->waiters)
    {
        if (list_entry(n, rtos_task_t, run_node)->prio < t->prio)
            break;
    }
    list_insert_before(n, &t->run_node);
    t->wq = wq;
}

void sched_ready_add(rtos_task_t *t, bool front)
{
    if (front)
        list_push_front(&sched.ready[t->prio], &t->run_node);
    else
        list_push_back(&sched.ready[t->prio], &t->run_node);
    sched.ready_map |= 1u << t->prio;
}

void sched_ready_del(rtos_task_t *t)
{
    list_remove(&t->run_node);
    if (list_empty(&sched.ready[t->prio]))
        sched.ready_map &= ~(1u << t->prio);
}

rtos_task_t *sched_pick(void)
{
    unsigned p = 31u - (unsigned)__builtin_clz(sched.ready_map);

    return list_entry(sched.ready[p].next, rtos_task_t, run_node);
}

/* Change the effective priority, keeping t's queue position consistent.
 * A running task that is raised stays at the head (it keeps the CPU); one
 * that is lowered goes behind its new equals. */
void sched_set_prio(rtos_task_t *t, unsigned prio)
{
    if (t->prio == prio)
        return;
    if (t->state == RTOS_TASK_READY) {
        bool front = t == sched.cur && prio > t->prio;

        sched_ready_del(t);
        t->prio = (uint8_t)prio;
        sched_ready_add(t, front);
    } else if (t->state == RTOS_TASK_BLOCKED && t->wq) {
        list_remove(&t->run_node);
        t->prio = (uint8_t)prio;
        wq_insert(t->wq, t);
    } else {
        t->prio = (uint8_t)prio;
    }
}

/* May the current activity block? Tasks may; kernel context may not, except
 * while serving a user system call, where blocking is deferred. */
bool sched_can_block(void)
{
    return sched.cur && (!sched.in_kernel || sched.in_syscall) && sched.cur->prio != RTOS_PRIO_IDLE;
}

static void delay_insert(rtos_task_t *t)
{
    list_node_t *n;

    list_for_each(n, &sched.delays)
    {
        if (tick_before(t->wake_tick, list_entry(n, rtos_task_t, time_node)->wake_tick))
            break;
    }
    list_insert_before(n, &t->time_node);
}

/* Take the current task off the CPU onto wq (may be NULL: a pure delay). */
void sched_sleep_prepare(rtos_wq_t *wq, rtos_tick_t timeout)
{
    rtos_task_t *t = sched.cur;

    RTOS_ASSERT(timeout != RTOS_NO_WAIT && sched_can_block());
    sched_ready_del(t);
    t->state = RTOS_TASK_BLOCKED;
    t->wait_result = RTOS_ETIMEOUT;
    if (wq)
        wq_insert(wq, t);
    if (timeout != RTOS_WAIT_FOREVER) {
        t->wake_tick = sched.ticks + timeout;
        delay_insert(t);
    }
}

/* Switch away until woken; return the waker's result. In a system call the
 * switch happens at rtos_kernel_leave() and the result is written into the
 * user context by sched_wake() instead (RTOS_EPENDING). */
int sched_sleep_commit(void)
{
    rtos_task_t *t = sched.cur;

    if (sched.in_kernel) {
        t->user_return = true;
        return RTOS_EPENDING;
    }
    port_yield();
    return t->wait_result;
}

int sched_block(rtos_wq_t *wq, rtos_tick_t timeout)
{
    sched_sleep_prepare(wq, timeout);
    return sched_sleep_commit();
}

/* Remove a BLOCKED task from its wait queue and the delay list. */
void sched_unblock(rtos_task_t *t)
{
    if (t->wq) {
        list_remove(&t->run_node);
        t->wq = NULL;
    }
    list_remove(&t->time_node);
}

void sched_wake(rtos_task_t *t, int result)
{
    rtos_mutex_t *m = t->wait_mutex;

    if (t->state != RTOS_TASK_BLOCKED)
        return;
    sched_unblock(t);
    t->wait_result = result;
    if (t->user_return) {
        port_ctx_set_ret(&t->ctx, (uint32_t)result);
        t->user_return = false;
    }
    t->state = RTOS_TASK_READY;
    t->slice = RTOS_TIMESLICE_TICKS;
    sched_ready_add(t, false);
    /* Still waiting for a mutex means it gave up (timeout): the owner may
     * have inherited its priority and must drop it. */
    if (m) {
        t->wait_mutex = NULL;
        mutex_waiter_gone(m);
    }
}

rtos_task_t *sched_wake_first(rtos_wq_t *wq, int result)
{
    rtos_task_t *t = wq_first(wq);

    if (t)
        sched_wake(t, result);
    return t;
}

/* A preemption point in task context: run whoever should run now. In kernel
 * context rtos_kernel_leave() does this. */
void sched_preempt(void)
{
    if (sched.cur && !sched.in_kernel && sched_pick() != sched.cur)
        port_yield();
}

/* Move a READY task behind its equals (round robin). */
void sched_rotate(rtos_task_t *t)
{
    list_remove(&t->run_node);
    list_push_back(&sched.ready[t->prio], &t->run_node);
    t->slice = RTOS_TIMESLICE_TICKS;
}

void sched_tick(void)
{
    list_node_t *n;
    rtos_task_t *t;

    sched.ticks++;
    while ((n = list_first(&sched.delays)) != NULL) {
        t = list_entry(n, rtos_task_t, time_node);
        if (tick_before(sched.ticks, t->wake_tick))
            break;
        /* A pure delay (no queue) ends successfully. */
        sched_wake(t, t->wq ? RTOS_ETIMEOUT : RTOS_OK);
    }
    timer_tick(sched.ticks);
    t = sched.cur;
    if (t->state == RTOS_TASK_READY && t->prio != RTOS_PRIO_IDLE && --t->slice == 0)
        sched_rotate(t);
}

/* ---- Port upcalls ------------------------------------------------------- */

void rtos_kernel_enter(void)
{
    sched.in_kernel = true;
}

port_ctx_t *rtos_kernel_leave(void)
{
    rtos_task_t *next = sched_pick();

    sched.cur = next;
    if (next->fpu_task | sched.fpu_on) /* nothing to do between non-FPU tasks */
        fpu_switch_to(next);
    if (next->user && sched.active_as != &next->user->as) {
        sched.active_as = &next->user->as;
        port_as_switch(sched.active_as);
    }
    sched.in_kernel = false;
    return &next->ctx;
}

void rtos_kernel_tick(void)
{
    sched_tick();
}

/* The yielding task has already queued itself where it belongs (ready
 * queue tail, wait queue, or nowhere if it died); leaving picks the next. */
void rtos_kernel_yield(void) {}

rtos_tick_t rtos_tick_count(void)
{
    return sched.ticks;
}
