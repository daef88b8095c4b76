/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal interfaces between the core's modules. Nothing here is seen by
 * applications or ports.
 *
 * Locking: the whole core is guarded by one critical section (port_irq_save,
 * single processor). Every function below expects to be called inside it,
 * either explicitly (task context) or implicitly (kernel context runs with
 * interrupts off).
 */
#ifndef RTOS_CORE_KERNEL_H
#define RTOS_CORE_KERNEL_H

#include <rtos/rtos.h>

#define RTOS_ASSERT(c)                                                                             \
    do {                                                                                           \
        if (!(c))                                                                                  \
            rtos_panic(__FILE__, __LINE__, #c);                                                    \
    } while (0)

PORT_NORETURN void rtos_panic(const char *file, int line, const char *what);

/* The scheduler state. */
struct sched {
    list_node_t ready[RTOS_PRIO_MAX]; /* READY tasks, per priority */
    uint32_t ready_map;               /* bit p set iff ready[p] is non-empty */
    list_node_t delays;               /* blocked tasks with a timeout, by wake_tick */
    rtos_task_t *cur;                 /* the running task; NULL before rtos_main */
    rtos_tick_t ticks;                /* ticks since rtos_main */
    bool in_kernel;                   /* between rtos_kernel_enter and _leave */
    bool in_syscall;                  /* serving a user task's system call */
    port_as_t *active_as;             /* last space given to port_as_switch */
    rtos_task_t *fpu_owner;           /* whose registers the FPU holds (fpu.c) */
    bool fpu_on;                      /* the FPU is enabled (port_fpu_enable) */
};

extern struct sched sched;

/* Wrap-safe tick comparison: a is before b. */
static inline bool tick_before(rtos_tick_t a, rtos_tick_t b)
{
    return (int32_t)(a - b) < 0;
}

/* sched.c */
void sched_init(void);
void sched_ready_add(rtos_task_t *t, bool front);
void sched_ready_del(rtos_task_t *t);
rtos_task_t *sched_pick(void);
void sched_set_prio(rtos_task_t *t, unsigned prio);
bool sched_can_block(void);
void sched_sleep_prepare(rtos_wq_t *wq, rtos_tick_t timeout);
int sched_sleep_commit(void);
int sched_block(rtos_wq_t *wq, rtos_tick_t timeout);
void sched_unblock(rtos_task_t *t);
void sched_wake(rtos_task_t *t, int result);
rtos_task_t *sched_wake_first(rtos_wq_t *wq, int result);
void sched_preempt(void);
void sched_rotate(rtos_task_t *t);
void sched_tick(void);

/* wait queues (sched.c) */
void wq_init(rtos_wq_t *wq);
rtos_task_t *wq_first(const rtos_wq_t *wq);

/* task.c */
void task_finish(rtos_task_t *t, int code);
void task_setup(rtos_task_t *t, const char *name, unsigned prio);

/* fpu.c */
void fpu_switch_to(rtos_task_t *next);
void fpu_release(rtos_task_t *t);
bool fpu_task_begin(rtos_task_t *t);

/* mutex.c */
void mutex_prio_refresh(rtos_task_t *t);
void mutex_waiter_gone(rtos_mutex_t *m);

/* timer.c */
void timer_tick(rtos_tick_t now);

/* utask.c */
void utask_release(rtos_utask_t *u);
int utask_user_to_kernel(rtos_utask_t *u, uintptr_t va, uint32_t len, unsigned prot, void **kptr);

/* console.c */
void console_write(const char *s, size_t len);

#endif
