/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Thread-Metric's scheduling tests.
 *
 * coop (cooperative scheduling): five tasks of equal priority, each
 *   counting and yielding in turn. One operation: the driver counts and
 *   yields, and the four helpers each count and yield once, so the driver
 *   runs again: five yields and five context switches.
 * coop_irqon: coop with every yield made with interrupts on
 *   (rtos_task_yield_irqs_on), as a kernel whose tasks yield by a trap with
 *   interrupts enabled (FreeRTOS's taskYIELD) makes them: the same five
 *   yields and switches through the port's other yield path
 *   (docs/porting.md, "Which resume a task switch takes, and when").
 * preempt (preemptive scheduling): five tasks of rising priority; the
 *   driver (lowest) resumes the first helper, which preempts it, counts and
 *   resumes the next, and so on; the highest counts and suspends, and each
 *   lower one, getting the CPU back, suspends in turn. One operation: four
 *   resumes that preempt and four suspends, back in the driver with every
 *   helper suspended again.
 * Both check at teardown that every task counted every operation.
 */
#include "bench.h"

#define TASKS 5

static volatile bool stop;
static volatile uint32_t count[TASKS];
static rtos_task_t *task[TASKS];
static rtos_tick_t start_tick;

static void coop_helper(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;

    while (!stop) {
        count[i]++;
        rtos_task_yield();
    }
}

static void coop_irqon_helper(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;

    while (!stop) {
        count[i]++;
        rtos_task_yield_irqs_on();
    }
}

static int coop_start(void (*helper)(void *))
{
    start_tick = rtos_tick_count();
    stop = false;
    for (unsigned i = 0; i < TASKS; i++)
        count[i] = 0;
    for (unsigned i = 1; i < TASKS; i++) {
        if (!bench_spawn(BENCH_PRIO, helper, (void *)(uintptr_t)i))
            return -1;
    }
    return 0;
}

static int coop_setup(void)
{
    return coop_start(coop_helper);
}

static void coop_op(void)
{
    count[0]++;
    rtos_task_yield();
}

static int coop_irqon_setup(void)
{
    return coop_start(coop_irqon_helper);
}

static void coop_irqon_op(void)
{
    count[0]++;
    rtos_task_yield_irqs_on();
}

/* Helpers were created after the driver, so each counts after it: every
 * helper's count equals the driver's, plus one for each time a tick's
 * round-robin rotation took the CPU from the driver between its count and
 * its yield. */
static int coop_teardown(void)
{
    uint32_t ticks = rtos_tick_count() - start_tick;
    int r = 0;

    for (unsigned i = 1; i < TASKS; i++) {
        if (count[i] < count[0] || count[i] > count[0] + ticks)
            r = -1;
    }
    stop = true;
    return bench_join() || r ? -1 : 0;
}

const bench_t bench_coop = {
    .name = "coop",
    .iters = BENCH_ITERS,
    .setup = coop_setup,
    .op_fn = coop_op,
    .teardown = coop_teardown,
};

const bench_t bench_coop_irqon = {
    .name = "coop_irqon",
    .iters = BENCH_ITERS,
    .setup = coop_irqon_setup,
    .op_fn = coop_irqon_op,
    .teardown = coop_teardown,
};

static void preempt_helper(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;

    for (;;) {
        rtos_task_suspend();
        if (stop)
            return;
        count[i]++;
        if (i + 1 < TASKS)
            rtos_task_resume(task[i + 1]);
    }
}

static int preempt_setup(void)
{
    stop = false;
    for (unsigned i = 0; i < TASKS; i++) {
        task[i] = NULL;
        count[i] = 0;
    }
    /* Each helper is more urgent than its creator: it runs at once and
     * suspends before bench_spawn returns. */
    for (unsigned i = 1; i < TASKS; i++) {
        task[i] = bench_spawn(BENCH_PRIO + i, preempt_helper, (void *)(uintptr_t)i);
        if (!task[i])
            return -1;
    }
    return 0;
}

static void preempt_op(void)
{
    rtos_task_resume(task[1]);
    count[0]++;
}

static int preempt_teardown(void)
{
    int r = 0;

    for (unsigned i = 1; i < TASKS; i++) {
        if (count[i] != count[0])
            r = -1;
    }
    stop = true;
    for (unsigned i = 1; i < TASKS; i++) {
        if (task[i] && rtos_task_resume(task[i]))
            r = -1;
    }
    return bench_join() || r ? -1 : 0;
}

const bench_t bench_preempt = {
    .name = "preempt",
    .iters = BENCH_ITERS,
    .setup = preempt_setup,
    .op_fn = preempt_op,
    .teardown = preempt_teardown,
};
