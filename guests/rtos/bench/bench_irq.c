/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt processing: a task raises a software interrupt whose handler
 * counts it; one operation is trigger + entry + handler + exit, back in
 * the task.
 */
#include "bench.h"

static volatile uint32_t irq_hits;

static void irq_handler(unsigned line, void *arg)
{
    irq_hits++;
}

uint32_t bench_irq(uint32_t n)
{
    uint32_t start;

    rtos_irq_attach(BENCH_LINE, irq_handler, NULL);
    start = port_perf_read();
    for (uint32_t i = 0; i < n; i++)
        rtos_irq_trigger(BENCH_LINE);
    start = port_perf_read() - start;
    rtos_irq_detach(BENCH_LINE);
    return start;
}
