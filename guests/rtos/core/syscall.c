/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Traps from protected user tasks: system calls and faults. Both arrive as
 * port upcalls in kernel context with the task's registers saved in its
 * port_ctx_t. A call that blocks returns RTOS_EPENDING here; its result is
 * written into the context when the task is woken (sched_wake).
 * A fault kills only the faulting task; the RTOS carries on.
 */
#include <rtos/usys.h>

#include "kernel.h"

#define USYS_WRITE_MAX 256u

static rtos_sem_t *usys_sem(rtos_utask_t *u, uint32_t slot)
{
    return slot < RTOS_USER_SEM_SLOTS ? u->sem[slot] : NULL;
}

static int32_t usys_dispatch(rtos_task_t *t, uint32_t num, uint32_t a1, uint32_t a2)
{
    rtos_utask_t *u = t->user;
    rtos_sem_t *s;
    void *buf;

    switch (num) {
    case USYS_WRITE:
        if (a2 > USYS_WRITE_MAX || utask_user_to_kernel(u, a1, a2, PORT_PROT_R, &buf))
            return RTOS_EFAULT;
        console_write(buf, a2);
        return (int32_t)a2;
    case USYS_EXIT:
        task_finish(t, (int)a1);
        return RTOS_EPENDING;
    case USYS_YIELD:
        sched_rotate(t);
        return RTOS_OK;
    case USYS_DELAY:
        if (a1 == 0) {
            sched_rotate(t);
            return RTOS_OK;
        }
        return sched_block(NULL, a1);
    case USYS_TICKS:
        return (int32_t)sched.ticks;
    case USYS_SEM_TAKE:
        s = usys_sem(u, a1);
        return s ? rtos_sem_take(s, a2) : RTOS_EINVAL;
    case USYS_SEM_GIVE:
        s = usys_sem(u, a1);
        return s ? rtos_sem_give(s) : RTOS_EINVAL;
    case USYS_FPU_ENABLE: /* loaded and enabled as the call returns (rtos_kernel_leave) */
        fpu_task_begin(t);
        return RTOS_OK;
    default:
        return RTOS_ENOSYS;
    }
}

void rtos_kernel_syscall(port_ctx_t *ctx)
{
    rtos_task_t *t = sched.cur;
    int32_t r;

    if (!t->user) {
        port_ctx_set_ret(ctx, (uint32_t)RTOS_ENOSYS);
        return;
    }
    sched.in_syscall = true;
    r = usys_dispatch(t, port_ctx_arg(ctx, 0), port_ctx_arg(ctx, 1), port_ctx_arg(ctx, 2));
    sched.in_syscall = false;
    if (r != RTOS_EPENDING)
        port_ctx_set_ret(ctx, (uint32_t)r);
}

static const char *const fault_names[] = {
    [PORT_FAULT_DATA] = "data",
    [PORT_FAULT_PREFETCH] = "prefetch",
    [PORT_FAULT_UNDEF] = "undefined-instruction",
};

void rtos_kernel_fault(port_ctx_t *ctx, enum port_fault kind, uintptr_t addr)
{
    rtos_task_t *t = sched.cur;
    const char *what = kind <= PORT_FAULT_UNDEF ? fault_names[kind] : "?";

    if (!t || t->prio == RTOS_PRIO_IDLE)
        rtos_panic(__FILE__, __LINE__, "fault in idle or boot code");
    rtos_printf("[rtos] task '%s' killed: %s fault at %p, pc %p\n", t->name, what, (void *)addr,
                (void *)port_ctx_pc(ctx));
    task_finish(t, RTOS_EFAULT);
}
