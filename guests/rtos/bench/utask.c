/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * utask_syscall: a protected task in its own address space calls the RTOS
 * and returns (usys_ticks(): trap, dispatch, return to the same task). One
 * operation: that round trip, measured by the task itself in USR mode
 * (utask_user.c) the same way main.c measures the others. Natively it is
 * one exception into the RTOS; virtualised the trap is an upcall into the
 * guest kernel's address space and the return a resume into the task's.
 * The driver waits for the figures, reads them from the task's data page
 * and lets it exit.
 */
#include "bench.h"
#include "utask.h"

/* rtos_utask_t's regions are text, stack, data (rtos.h, core/utask.c). */
#define UREGION_DATA 2

static rtos_utask_t utask;
static rtos_sem_t done, exit_sem;

static int utask_self(bench_figures_t *f)
{
    uint32_t e, w, *d, *s;
    int code, r;

    f->kstats = port_perf_kstats(&e, &w);
    rtos_sem_init(&done, 0, 1);
    rtos_sem_init(&exit_sem, 0, 1);
    /* Less urgent than the driver, so the semaphores are granted before
     * it first runs; it runs while the driver waits. */
    r = rtos_utask_create(&utask, "bench-user", BENCH_PRIO - 1, (rtos_uentry_t)bench_user_syscall,
                          f->kstats);
    if (r)
        return r;
    rtos_utask_grant_sem(&utask, UB_SEM_DONE, &done);
    rtos_utask_grant_sem(&utask, UB_SEM_EXIT, &exit_sem);
    r = rtos_sem_take(&done, RTOS_WAIT_FOREVER);
    d = (uint32_t *)utask.region[UREGION_DATA].kva;
    if (!r && d[UB_DONE] != UB_MAGIC)
        r = -1;
    if (!r) {
        s = d + UB_SAMPLES;
        if (f->kstats) {
            static uint32_t split[BENCH_SINGLES];

            for (unsigned i = 0; i < BENCH_SINGLES; i++)
                split[i] = s[i] >> 16;
            f->switches = bench_mode(split, BENCH_SINGLES);
            for (unsigned i = 0; i < BENCH_SINGLES; i++)
                split[i] = s[i] & 0xffffu;
            f->entries = bench_mode(split, BENCH_SINGLES);
        } else {
            f->total = d[UB_TOTAL];
            f->mode = bench_mode(s, BENCH_SINGLES) - d[UB_EMPTY];
        }
    }
    rtos_sem_give(&exit_sem);
    if (rtos_task_join(&utask.task, RTOS_WAIT_FOREVER, &code) || code)
        r = -1;
    return r;
}

const bench_t bench_utask_syscall = {
    .name = "utask_syscall",
    .iters = BENCH_ITERS,
    .self = utask_self,
};
