/* SPDX-License-Identifier: BSD-2-Clause */
/* utask_syscall: what the protected task (utask_user.c) and the driver
 * (utask.c) share: the data-page layout (words) and semaphore slots. */
#ifndef RTOS_BENCH_UTASK_H
#define RTOS_BENCH_UTASK_H

#define UB_DONE 0    /* UB_MAGIC once the figures are written */
#define UB_TOTAL 1   /* instructions over the loop of BENCH_ITERS */
#define UB_EMPTY 2   /* instructions of the counter reads alone (mode) */
#define UB_SAMPLES 8 /* BENCH_SINGLES samples: instructions, or entries | switches << 16 */
#define UB_MAGIC 0x55544b53u
#define UB_SEM_DONE 0
#define UB_SEM_EXIT 1

_Static_assert((UB_SAMPLES + BENCH_SINGLES) * 4 <= RTOS_PAGE_SIZE, "one data page");

int bench_user_syscall(uintptr_t kstats, uintptr_t data_va);

#endif
