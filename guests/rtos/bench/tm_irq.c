/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt workloads.
 *
 * irq (Thread-Metric interrupt processing): the driver raises a software
 *   interrupt; its handler counts and gives a semaphore; back in the
 *   driver, which takes the semaphore (available by then). One operation:
 *   trigger, interrupt entry, handler, exit, take.
 * irq_preempt (Thread-Metric interrupt preemption processing): the
 *   handler resumes a suspended helper more urgent than the driver, which
 *   runs on the interrupt's exit, counts and suspends again; then the
 *   driver continues. One operation: trigger, entry, handler with resume,
 *   switch to the helper, its suspend, switch back.
 * device_irq: a real device line (port_devirq_*: the PL031 RTC's alarm on
 *   virt) instead of a software one. The driver makes the device raise
 *   it and waits for the handler, which clears the device and counts; the
 *   interrupt returns to the interrupted driver. One operation: device
 *   write, the line through the interrupt controller (and, virtualised,
 *   the microkernel) to the handler, device clear, acknowledge, return.
 */
#include "bench.h"

static rtos_sem_t sem;
static volatile uint32_t handled, ops, helper_count;
static rtos_task_t *helper;
static volatile bool stop;
static int dev_line;

static void irq_handler(unsigned line, void *arg)
{
    handled++;
    rtos_sem_give(&sem);
}

static int irq_setup(void)
{
    handled = ops = 0;
    rtos_sem_init(&sem, 0, 1);
    return rtos_irq_attach(BENCH_LINE, irq_handler, NULL);
}

static void irq_op(void)
{
    ops++;
    rtos_irq_trigger(BENCH_LINE);
    rtos_sem_take(&sem, RTOS_WAIT_FOREVER);
}

static int irq_teardown(void)
{
    rtos_irq_detach(BENCH_LINE);
    return handled == ops && rtos_sem_count(&sem) == 0 ? 0 : -1;
}

const bench_t bench_irq = {
    .name = "irq",
    .iters = BENCH_ITERS,
    .setup = irq_setup,
    .op_fn = irq_op,
    .teardown = irq_teardown,
};

static void preempt_handler(unsigned line, void *arg)
{
    handled++;
    rtos_task_resume(helper);
}

static void preempt_helper(void *arg)
{
    for (;;) {
        rtos_task_suspend();
        if (stop)
            return;
        helper_count++;
    }
}

static int irq_preempt_setup(void)
{
    handled = ops = helper_count = 0;
    stop = false;
    helper = bench_spawn(BENCH_PRIO + 1, preempt_helper, NULL); /* runs, suspends */
    if (!helper)
        return -1;
    return rtos_irq_attach(BENCH_LINE, preempt_handler, NULL);
}

static void irq_preempt_op(void)
{
    ops++;
    rtos_irq_trigger(BENCH_LINE);
}

static int irq_preempt_teardown(void)
{
    int r = handled == ops && helper_count == ops ? 0 : -1;

    rtos_irq_detach(BENCH_LINE);
    stop = true;
    if (helper && rtos_task_resume(helper))
        r = -1;
    return bench_join() || r ? -1 : 0;
}

const bench_t bench_irq_preempt = {
    .name = "irq_preempt",
    .iters = BENCH_ITERS,
    .setup = irq_preempt_setup,
    .op_fn = irq_preempt_op,
    .teardown = irq_preempt_teardown,
};

static void device_handler(unsigned line, void *arg)
{
    port_devirq_clear();
    handled++;
}

static int device_irq_setup(void)
{
    handled = ops = 0;
    dev_line = port_devirq_line();
    if (dev_line < 0)
        return RTOS_ENOSYS;
    return rtos_irq_attach((unsigned)dev_line, device_handler, NULL);
}

/* The line reaches the processor some instructions after the device write
 * (the interrupt is taken at the next instruction boundary QEMU checks);
 * the wait makes the operation end only once the handler has run. */
static void device_irq_op(void)
{
    uint32_t before = handled;

    ops++;
    port_devirq_raise();
    while (handled == before)
        ;
}

static int device_irq_teardown(void)
{
    rtos_irq_detach((unsigned)dev_line);
    return handled == ops && rtos_irq_count((unsigned)dev_line) >= ops ? 0 : -1;
}

const bench_t bench_device_irq = {
    .name = "device_irq",
    .iters = BENCH_ITERS,
    .setup = device_irq_setup,
    .op_fn = device_irq_op,
    .teardown = device_irq_teardown,
};
