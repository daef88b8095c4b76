/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Scheduling benchmarks.
 *  ctxsw:   two equal-priority tasks yield to each other; one operation is
 *           one rtos_task_yield() including the switch.
 *  preempt: a task triggers a software interrupt whose handler gives a
 *           semaphore that a higher-priority task waits on; one operation
 *           runs from before the trigger until that task is running.
 */
#include "bench.h"

static volatile uint32_t t_start, t_end, t_trigger, t_sum;
static rtos_sem_t psem;

static void yielder(void *arg)
{
    uint32_t n = (uint32_t)(uintptr_t)arg;
    bool measure = n & 1;

    n >>= 1;
    if (measure)
        t_start = port_perf_read();
    for (uint32_t i = 0; i < n; i++)
        rtos_task_yield();
    if (measure)
        t_end = port_perf_read();
}

uint32_t bench_ctxsw(uint32_t n)
{
    /* Created first, the measuring task runs first; each task yields
     * n/2 times, so n switches lie between start and end. */
    bench_spawn(BENCH_PRIO - 1, yielder, (void *)(uintptr_t)(n | 1));
    bench_spawn(BENCH_PRIO - 1, yielder, (void *)(uintptr_t)n);
    bench_join();
    return t_end - t_start;
}

static void preempt_handler(unsigned line, void *arg)
{
    rtos_sem_give(&psem);
}

static void preempt_waiter(void *arg)
{
    uint32_t n = (uint32_t)(uintptr_t)arg;

    for (uint32_t i = 0; i < n; i++) {
        rtos_sem_take(&psem, RTOS_WAIT_FOREVER);
        t_sum += port_perf_read() - t_trigger;
    }
}

uint32_t bench_preempt(uint32_t n)
{
    rtos_sem_init(&psem, 0, 1);
    rtos_irq_attach(BENCH_LINE, preempt_handler, NULL);
    t_sum = 0;
    bench_spawn(BENCH_PRIO + 1, preempt_waiter, (void *)(uintptr_t)n);
    for (uint32_t i = 0; i < n; i++) {
        t_trigger = port_perf_read();
        rtos_irq_trigger(BENCH_LINE);
    }
    bench_join();
    rtos_irq_detach(BENCH_LINE);
    return t_sum;
}
