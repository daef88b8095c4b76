/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FPU, owned per task (docs/rtos.md, "Floating point"). A task that
 * calls rtos_task_fpu_enable() is an FPU task: d0-d31 and FPSCR (the port's
 * port_fpu_t) are its own. The switch is eager per task flag, with the
 * save deferred: when an FPU task is resumed and the FPU holds another
 * task's registers, rtos_kernel_leave() saves those (into their owner) and
 * loads the resumed task's; a task without the flag neither saves nor
 * loads anything and runs with the FPU disabled, the owner's registers
 * left in the FPU until the next FPU task needs it.
 *
 * Invariants (interrupts off):
 *  - sched.fpu_owner is NULL or a live FPU task whose registers are the
 *    FPU's (its t->fpu is stale); every other FPU task's are in its t->fpu;
 *  - after rtos_kernel_leave(), sched.fpu_on == sched.cur->fpu_task, and
 *    if it is set sched.cur is the owner.
 * So kernel context (interrupt handlers, timer callbacks, the core: all
 * built without VFP registers) runs on whatever the FPU holds and never
 * changes it.
 */
#include "kernel.h"

static uint32_t fpu_loads;

/* Make the FPU right for next, which is about to be resumed. */
void fpu_switch_to(rtos_task_t *next)
{
    rtos_task_t *owner = sched.fpu_owner;

    if (!next->fpu_task) {
        if (sched.fpu_on)
            port_fpu_enable(false);
        sched.fpu_on = false;
        return;
    }
    if (owner != next) {
        port_fpu_switch(owner ? &owner->fpu : NULL, &next->fpu);
        sched.fpu_owner = next;
        fpu_loads++;
    } else if (!sched.fpu_on) {
        port_fpu_enable(true);
    }
    sched.fpu_on = true;
}

/* t ends: its registers in the FPU are no one's (the next owner loads all
 * of its own over them). */
void fpu_release(rtos_task_t *t)
{
    if (sched.fpu_owner == t)
        sched.fpu_owner = NULL;
    t->fpu_task = false;
}

/* t becomes an FPU task (interrupts off), its registers zero: loaded when
 * it is next resumed, as any FPU task's. Returns false if it was one. */
bool fpu_task_begin(rtos_task_t *t)
{
    if (t->fpu_task)
        return false;
    memset(&t->fpu, 0, sizeof(t->fpu));
    t->fpu_task = true;
    return true;
}

/* A kernel task: it runs on, so it gets its registers now. (A protected
 * task asks with USYS_FPU_ENABLE, core/syscall.c: it gets them as the
 * system call returns to it.) */
int rtos_task_fpu_enable(void)
{
    rtos_task_t *t = sched.cur;
    port_irqflags_t flags;

    if (!t || sched.in_kernel || t->user)
        return RTOS_EPERM;
    flags = port_irq_save();
    if (fpu_task_begin(t))
        fpu_switch_to(t);
    port_irq_restore(flags);
    return RTOS_OK;
}

uint32_t rtos_fpu_loads(void)
{
    return fpu_loads;
}
