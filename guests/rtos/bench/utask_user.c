/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The protected task's side of utask_syscall (utask.c). USR mode, its own
 * address space: only its stack, its data page and system calls. It
 * measures itself exactly as main.c measures the other workloads and
 * leaves the figures in its data page (layout in utask.c).
 */
#include <rtos/usys.h>

#include "bench.h"
#include "utask.h"

static inline void user_op(void)
{
    usys_ticks(); /* the cheapest call that enters the RTOS and returns */
}

/* The most frequent of the BENCH_SINGLES samples at s (the smallest on
 * a tie): counting, since there is no library here. Samples are small. */
static uint32_t user_mode(volatile uint32_t *s)
{
    uint32_t best = 0, best_n = 0;

    for (uint32_t i = 0; i < BENCH_SINGLES; i++) {
        uint32_t n = 0;

        for (uint32_t j = 0; j < BENCH_SINGLES; j++)
            n += s[j] == s[i];
        if (n > best_n || (n == best_n && s[i] < best)) {
            best = s[i];
            best_n = n;
        }
    }
    return best;
}

int bench_user_syscall(uintptr_t kstats, uintptr_t data_va)
{
    volatile uint32_t *d = (volatile uint32_t *)data_va;
    uint32_t t0, e0, w0, total;

    for (uint32_t i = 0; i < BENCH_WARMUP; i++)
        user_op();
    if (kstats) {
        for (uint32_t i = 0; i < BENCH_SINGLES; i++) {
            e0 = port_user_perf_read(1);
            w0 = port_user_perf_read(2);
            user_op();
            e0 = port_user_perf_read(1) - e0;
            w0 = port_user_perf_read(2) - w0;
            d[UB_SAMPLES + i] = (e0 & 0xffffu) | w0 << 16;
        }
    } else {
        for (uint32_t i = 0; i < BENCH_SINGLES; i++) { /* the reads alone */
            t0 = port_user_perf_read(0);
            d[UB_SAMPLES + i] = port_user_perf_read(0) - t0;
        }
        d[UB_EMPTY] = user_mode(d + UB_SAMPLES);
        for (uint32_t i = 0; i < BENCH_SINGLES; i++) {
            t0 = port_user_perf_read(0);
            user_op();
            d[UB_SAMPLES + i] = port_user_perf_read(0) - t0;
        }
        t0 = port_user_perf_read(0);
        for (uint32_t i = 0; i < BENCH_ITERS; i++)
            user_op();
        total = port_user_perf_read(0) - t0;
        d[UB_TOTAL] = total;
    }
    d[UB_DONE] = UB_MAGIC;
    usys_sem_give(UB_SEM_DONE);
    usys_sem_take(UB_SEM_EXIT, RTOS_WAIT_FOREVER);
    return 0;
}
