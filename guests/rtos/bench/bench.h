/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The RTOS benchmark suite: Thread-Metric's eight tests (the public
 * benchmark definition by Express Logic; written here from its
 * descriptions for this RTOS), a protected task's system call and a
 * device interrupt. Port-neutral: only the RTOS API and the port's
 * counter and device-interrupt functions are used, so the native and the
 * paravirtual images run identical code (docs/benchmarks.md).
 *
 * Every operation is a whole cycle: it ends in the state it started in
 * (same task running, same tasks suspended or blocked, objects as before),
 * so consecutive operations are alike and a mean over many is the cost of
 * one. Each workload is a bench_t; main.c measures it:
 *   warm-up     BENCH_WARMUP operations;
 *   mode        of BENCH_SINGLES operations, each between two counter reads,
 *               minus the mode of the reads around an empty call;
 *   mean        over a loop of `iters` operations between two reads (timer
 *               ticks that fall inside included).
 * Under a machine that counts kernel entries and address-space switches
 * (port_perf_kstats) it reports the mode of those per operation instead.
 */
#ifndef RTOS_BENCH_H
#define RTOS_BENCH_H

#include <rtos/rtos.h>

#define BENCH_PRIO 20u /* the driver task; helpers run around it */
#define BENCH_WARMUP 100u
#define BENCH_SINGLES 1000u
#define BENCH_ITERS 10000u
#define BENCH_LINE (PORT_IRQ_SOFT_FIRST + 1) /* software interrupt line */

/* What a workload's measurement yields; counters are per operation. */
typedef struct bench_figures {
    bool kstats;       /* entries/switches valid, instructions not */
    uint32_t mode;     /* instructions, mode of single operations */
    uint64_t total;    /* instructions over the loop of iters */
    uint32_t entries;  /* kernel entries, mode */
    uint32_t switches; /* address-space switches, mode */
} bench_figures_t;

typedef struct bench {
    const char *name; /* rtos_<name>_<port>... */
    uint32_t iters;   /* loop length of the mean */
    /* Prepare (create helpers, objects) from the driver task: 0, or
     * RTOS_ENOSYS if this machine lacks what the workload needs (it is
     * then skipped, and says so), or another error (a failure). */
    int (*setup)(void);
    /* One whole operation, from the driver task. */
    void (*op_fn)(void);
    /* Undo setup: helpers end, handlers detach. 0 if every operation
     * did what it should (checked counts), < 0 otherwise. */
    int (*teardown)(void);
    /* Or, instead of op_fn: measure itself (a protected task does it). */
    int (*self)(bench_figures_t *f);
} bench_t;

/* main.c: helper tasks (at most BENCH_HELPERS, stacks provided). */
#define BENCH_HELPERS 4
rtos_task_t *bench_spawn(unsigned prio, void (*fn)(void *), void *arg);
int bench_join(void);
/* The mode of n samples (sorts them). */
uint32_t bench_mode(uint32_t *samples, unsigned n);
/* The mode of two counter reads around an empty call, from this task. */
uint32_t bench_empty_mode(void);

extern const bench_t bench_coop, bench_coop_irqon, bench_preempt, bench_irq, bench_irq_preempt, bench_msg, bench_sync,
    bench_mem, bench_basic, bench_utask_syscall, bench_device_irq;

#endif
