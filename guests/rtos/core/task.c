/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Task life cycle: creation, exit, join, delays, yield, priorities, and the
 * boot sequence (rtos_main) with the idle task.
 */
#include "kernel.h"

static rtos_task_t idle_task;
/* Tasks in rtos_task_suspend(): BLOCKED on this queue, without timeout. */
static rtos_wq_t suspended;
static uint64_t idle_stack[RTOS_IDLE_STACK / sizeof(uint64_t)];

/* Every kernel task starts here, so that returning from its entry function
 * is an ordinary exit. */
static void task_trampoline(void *arg)
{
    rtos_task_t *t = arg;

    t->entry(t->arg);
    rtos_task_exit(0);
}

static void idle_entry(void *arg)
{
    for (;;)
        port_idle();
}

/* Reset every core field of t; the context is the caller's job. */
void task_setup(rtos_task_t *t, const char *name, unsigned prio)
{
    list_init(&t->run_node);
    list_init(&t->time_node);
    list_init(&t->held);
    wq_init(&t->joiners);
    t->wq = NULL;
    t->wait_mutex = NULL;
    t->wait_result = RTOS_OK;
    t->wait_buf = NULL;
    t->base_prio = t->prio = (uint8_t)prio;
    t->slice = RTOS_TIMESLICE_TICKS;
    t->user_return = false;
    t->name = name;
    t->exit_code = 0;
    t->user = NULL;
    t->fpu_task = false;
}

static bool task_slot_free(const rtos_task_t *t)
{
    return t->state == RTOS_TASK_UNUSED || t->state == RTOS_TASK_DEAD;
}

int rtos_task_create(rtos_task_t *t, const char *name, unsigned prio, void (*entry)(void *),
                     void *arg, void *stack, size_t stack_size)
{
    port_irqflags_t flags;
    uintptr_t top;

    if (!t || !entry || !stack || stack_size < 256 || prio == RTOS_PRIO_IDLE ||
        prio >= RTOS_PRIO_MAX || !task_slot_free(t) || ((uintptr_t)stack & 7))
        return RTOS_EINVAL;
    task_setup(t, name, prio);
    t->entry = entry;
    t->arg = arg;
    top = ((uintptr_t)stack + stack_size) & ~(uintptr_t)7; /* AAPCS */
    port_context_init(&t->ctx, task_trampoline, t, (void *)top);
    flags = port_irq_save();
    t->state = RTOS_TASK_READY;
    sched_ready_add(t, false);
    sched_preempt();
    port_irq_restore(flags);
    return RTOS_OK;
}

rtos_task_t *rtos_task_self(void)
{
    return sched.cur;
}

/* End t (any state) with code, wake its joiners, free its resources. The
 * caller switches away if t is current. Mutexes t still holds stay locked:
 * a task must release them before it ends (documented). */
void task_finish(rtos_task_t *t, int code)
{
    if (t->state == RTOS_TASK_READY)
        sched_ready_del(t);
    else if (t->state == RTOS_TASK_BLOCKED)
        sched_unblock(t);
    t->state = RTOS_TASK_DEAD;
    t->exit_code = code;
    t->user_return = false;
    if (t->wait_mutex) {
        rtos_mutex_t *m = t->wait_mutex;

        t->wait_mutex = NULL;
        mutex_waiter_gone(m);
    }
    while (sched_wake_first(&t->joiners, RTOS_OK))
        ;
    fpu_release(t);
    if (t->user)
        utask_release(t->user);
}

void rtos_task_exit(int code)
{
    port_irq_save();
    task_finish(sched.cur, code);
    port_yield();
    rtos_panic(__FILE__, __LINE__, "dead task resumed");
}

int rtos_task_join(rtos_task_t *t, rtos_tick_t timeout, int *code)
{
    port_irqflags_t flags;
    int r = RTOS_OK;

    if (!t || t->state == RTOS_TASK_UNUSED)
        return RTOS_EINVAL;
    if (t == sched.cur)
        return RTOS_EDEADLK;
    flags = port_irq_save();
    if (t->state != RTOS_TASK_DEAD) {
        if (timeout == RTOS_NO_WAIT || !sched_can_block())
            r = RTOS_EAGAIN;
        else
            r = sched_block(&t->joiners, timeout);
    }
    if (r == RTOS_OK && code)
        *code = t->exit_code;
    port_irq_restore(flags);
    return r;
}

void rtos_task_yield(void)
{
    port_irqflags_t flags = port_irq_save();

    sched_rotate(sched.cur);
    sched_preempt();
    port_irq_restore(flags);
}

void rtos_task_yield_irqs_on(void)
{
    port_irqflags_t flags = port_irq_save();

    sched_rotate(sched.cur);
    port_irq_restore(flags);
    port_yield(); /* the kernel picks: the next equal, or this task again */
}

void rtos_task_delay(rtos_tick_t ticks)
{
    port_irqflags_t flags;

    if (ticks == 0) {
        rtos_task_yield();
        return;
    }
    flags = port_irq_save();
    sched_block(NULL, ticks);
    port_irq_restore(flags);
}

void rtos_task_delay_until(rtos_tick_t *last, rtos_tick_t period)
{
    port_irqflags_t flags = port_irq_save();
    rtos_tick_t target = *last + period;

    *last = target;
    if (tick_before(sched.ticks, target))
        sched_block(NULL, target - sched.ticks);
    port_irq_restore(flags);
}

int rtos_task_suspend(void)
{
    port_irqflags_t flags = port_irq_save();
    int r = sched_can_block() ? sched_block(&suspended, RTOS_WAIT_FOREVER) : RTOS_EAGAIN;

    port_irq_restore(flags);
    return r;
}

int rtos_task_resume(rtos_task_t *t)
{
    port_irqflags_t flags;
    int r = RTOS_OK;

    if (!t)
        return RTOS_EINVAL;
    flags = port_irq_save();
    if (t->state == RTOS_TASK_BLOCKED && t->wq == &suspended) {
        sched_wake(t, RTOS_OK);
        sched_preempt();
    } else {
        r = RTOS_EINVAL;
    }
    port_irq_restore(flags);
    return r;
}

int rtos_task_set_priority(rtos_task_t *t, unsigned prio)
{
    port_irqflags_t flags;

    if (!t || prio == RTOS_PRIO_IDLE || prio >= RTOS_PRIO_MAX || task_slot_free(t))
        return RTOS_EINVAL;
    flags = port_irq_save();
    t->base_prio = (uint8_t)prio;
    mutex_prio_refresh(t); /* effective = max(base, inherited) */
    sched_preempt();
    port_irq_restore(flags);
    return RTOS_OK;
}

unsigned rtos_task_priority(const rtos_task_t *t)
{
    return t->prio;
}

void rtos_main(void)
{
    rtos_task_t *first;

    sched_init();
    wq_init(&suspended);
    task_setup(&idle_task, "idle", RTOS_PRIO_IDLE);
    port_context_init(&idle_task.ctx, idle_entry, NULL,
                      idle_stack + sizeof(idle_stack) / sizeof(idle_stack[0]));
    idle_task.state = RTOS_TASK_READY;
    sched_ready_add(&idle_task, false);

    app_init();

    port_tick_start(RTOS_TICK_HZ);
    first = sched_pick();
    sched.cur = first;
    if (first->user) {
        sched.active_as = &first->user->as;
        port_as_switch(sched.active_as);
    }
    port_start_first(&first->ctx);
}
