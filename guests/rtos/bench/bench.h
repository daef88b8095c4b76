/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RTOS benchmarks, measured in instructions retired (port_perf_read(); run
 * under QEMU -icount shift=0 so the count is exact and repeatable). Each
 * benchmark measures `n` operations and returns the instructions they
 * took; main.c runs it once for warm-up and once for BENCH_ITERS, and
 * prints `[bench] rtos_<name>_<PORT_NAME> instructions <avg> <n>`.
 * Timer ticks that fall inside a run are included (docs/rtos.md).
 * Port-neutral: only the RTOS API and port_perf_read() are used.
 */
#ifndef RTOS_BENCH_H
#define RTOS_BENCH_H

#include <rtos/rtos.h>

#define BENCH_PRIO 20u
#define BENCH_ITERS 10000u
#define BENCH_WARMUP 100u
#define BENCH_LINE (PORT_IRQ_SOFT_FIRST + 1)

/* Measure n operations; return their total instruction count. */
typedef uint32_t (*bench_fn)(uint32_t n);

/* Two worker tasks per benchmark (main.c). */
void bench_spawn(unsigned prio, void (*fn)(void *), void *arg);
void bench_join(void);

uint32_t bench_ctxsw(uint32_t n);
uint32_t bench_preempt(uint32_t n);
uint32_t bench_sem(uint32_t n);
uint32_t bench_mutex(uint32_t n);
uint32_t bench_queue(uint32_t n);
uint32_t bench_irq(uint32_t n);
uint32_t bench_cpu(uint32_t n);

#endif
