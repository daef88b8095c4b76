/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark driver: the master task runs each benchmark after a warm-up
 * and prints its average instructions per operation.
 */
#include "bench.h"

#define WORKERS 2
#define WORKER_STACK 2048

struct bench {
    const char *name;
    bench_fn fn;
    uint32_t iters;
};

static const struct bench benches[] = {
    {"ctxsw", bench_ctxsw, BENCH_ITERS},
    {"preempt", bench_preempt, BENCH_ITERS},
    {"sem_pingpong", bench_sem, BENCH_ITERS},
    {"mutex_pingpong", bench_mutex, BENCH_ITERS},
    {"queue_pingpong", bench_queue, BENCH_ITERS},
    {"irq", bench_irq, BENCH_ITERS},
    {"cpu_crc", bench_cpu, 100},
};

static rtos_task_t master, worker[WORKERS];
static uint64_t master_stack[4096 / 8];
static uint64_t worker_stack[WORKERS][WORKER_STACK / 8];
static unsigned workers_live;

void bench_spawn(unsigned prio, void (*fn)(void *), void *arg)
{
    rtos_task_t *t = &worker[workers_live++];

    rtos_task_create(t, "worker", prio, fn, arg, worker_stack[t - worker], WORKER_STACK);
}

void bench_join(void)
{
    for (unsigned i = 0; i < workers_live; i++)
        rtos_task_join(&worker[i], RTOS_WAIT_FOREVER, NULL);
    workers_live = 0;
}

static void bench_master(void *arg)
{
    for (unsigned i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
        const struct bench *b = &benches[i];
        uint32_t total;
        uint64_t centi;

        b->fn(BENCH_WARMUP);
        total = b->fn(b->iters);
        centi = ((uint64_t)total * 100 + b->iters / 2) / b->iters;
        rtos_printf("[bench] rtos_%s_%s instructions %u.%02u %u\n", b->name, PORT_NAME,
                    (unsigned)(centi / 100), (unsigned)(centi % 100), (unsigned)b->iters);
    }
    rtos_printf("[bench] DONE\n");
    port_exit(0);
}

void app_init(void)
{
    rtos_task_create(&master, "bench", BENCH_PRIO, bench_master, NULL, master_stack,
                     sizeof(master_stack));
}
