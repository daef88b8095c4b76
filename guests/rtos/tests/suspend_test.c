/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Task suspension: suspend blocks until resumed, resume preempts when the
 * resumed task is more urgent, resume from an interrupt handler, resume of
 * a task that is not suspended (ready, blocked elsewhere, dead, NULL) is
 * refused and changes nothing, suspend where blocking is impossible.
 */
#include "test.h"

#define LINE (PORT_IRQ_SOFT_FIRST + 2)

static rtos_sem_t ssem;
static rtos_task_t *volatile resume_target;
static volatile int irq_result;

static void suspender(void *arg)
{
    log_char('s');
    if (rtos_task_suspend() == RTOS_OK)
        log_char((char)(uintptr_t)arg);
}

static void resume_makes_suspended_task_run(void)
{
    rtos_task_t *t = spawn("s", TEST_PRIO - 1, suspender, (void *)'a');

    rtos_task_delay(2);
    CHECK_LOG("s");
    CHECK_EQ(rtos_task_resume(t), RTOS_OK);
    CHECK_LOG("s"); /* lower priority: not yet */
    rtos_task_delay(1);
    CHECK_LOG("sa");
    join_all();
}

static void resume_of_higher_task_preempts_at_once(void)
{
    rtos_task_t *t = spawn("s", TEST_PRIO + 1, suspender, (void *)'b');

    CHECK_LOG("s"); /* it ran at creation and suspended */
    log_char('r');
    CHECK_EQ(rtos_task_resume(t), RTOS_OK);
    log_char('m');
    CHECK_LOG("srbm");
    join_all();
}

static void sem_blocker(void *arg)
{
    rtos_sem_take(&ssem, RTOS_WAIT_FOREVER);
    log_char('w');
}

static void resume_refuses_tasks_not_suspended(void)
{
    rtos_task_t *t;

    CHECK_EQ(rtos_task_resume(NULL), RTOS_EINVAL);
    CHECK_EQ(rtos_task_resume(rtos_task_self()), RTOS_EINVAL); /* running */
    rtos_sem_init(&ssem, 0, 1);
    t = spawn("b", TEST_PRIO + 1, sem_blocker, NULL);
    CHECK_EQ(rtos_task_resume(t), RTOS_EINVAL); /* blocked on the semaphore */
    CHECK_LOG("");                              /* ... and still blocked */
    rtos_sem_give(&ssem);
    CHECK_LOG("w");
    join_all();
    CHECK_EQ(rtos_task_resume(t), RTOS_EINVAL); /* dead */
    t = spawn("r", TEST_PRIO - 1, suspender, (void *)'c');
    CHECK_EQ(rtos_task_resume(t), RTOS_EINVAL); /* ready, not yet suspended */
    rtos_task_delay(1);
    CHECK_LOG("ws");
    CHECK_EQ(rtos_task_resume(t), RTOS_OK);
    CHECK_EQ(rtos_task_resume(t), RTOS_EINVAL); /* resumed already */
    join_all();
    CHECK_LOG("wsc");
}

static void irq_resume(unsigned line, void *arg)
{
    irq_result = rtos_task_resume(resume_target);
}

static void resume_from_handler_preempts_interrupted_task(void)
{
    resume_target = spawn("s", TEST_PRIO + 1, suspender, (void *)'i');
    CHECK_EQ(rtos_irq_attach(LINE, irq_resume, NULL), RTOS_OK);
    irq_result = 1;
    rtos_irq_trigger(LINE);
    log_char('m');
    CHECK_EQ(irq_result, RTOS_OK);
    CHECK_LOG("sim");
    irq_result = 1;
    rtos_irq_trigger(LINE); /* now dead */
    CHECK_EQ(irq_result, RTOS_EINVAL);
    rtos_irq_detach(LINE);
    join_all();
}

static void irq_suspend(unsigned line, void *arg)
{
    irq_result = rtos_task_suspend();
}

static void suspend_in_handler_is_refused(void)
{
    CHECK_EQ(rtos_irq_attach(LINE, irq_suspend, NULL), RTOS_OK);
    irq_result = 1;
    rtos_irq_trigger(LINE);
    CHECK_EQ(irq_result, RTOS_EAGAIN);
    rtos_irq_detach(LINE);
}

TEST_SUITE(suspend_suite, TEST_CASE(resume_makes_suspended_task_run),
           TEST_CASE(resume_of_higher_task_preempts_at_once),
           TEST_CASE(resume_refuses_tasks_not_suspended),
           TEST_CASE(resume_from_handler_preempts_interrupted_task),
           TEST_CASE(suspend_in_handler_is_refused));
