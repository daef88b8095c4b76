/* SPDX-License-Identifier: BSD-2-Clause */
/* The single way out of the kernel to user mode. */
#include <arch.h>
#include <irq.h>
#include <printk.h>
#include <object/vcpu.h>
#include <sched.h>
#include <trace.h>

#define HALT_NO_THREADS_STATUS 2

static void thread_switch_to(tcb_t *next)
{
    if (next != ks_cur) {
        /* Per-thread CPU state outside the trap frame (arch_tcb_t). ks_cur is
         * NULL when the running thread was destroyed: nothing to save, and
         * its value is overwritten here. */
        if (ks_cur)
            ks_cur->arch.tpidrurw = arch_get_user_tls();
        arch_set_user_tls(next->arch.tpidrurw);
    }
    if (!ks_cur || ks_vspace_dirty || ks_cur->vspace_pd != next->vspace_pd ||
        ks_cur->asid != next->asid)
        arch_vspace_activate(next->vspace_pd, next->asid);
    ks_vspace_dirty = false;
    arch_set_thread_word(next->ipc_buffer);
    arch_fpu_disable(); /* next's first VFP instruction traps (arch/arm/fpu.c) */
    trace_switch(ks_cur, next);
    ks_cur = next;
}

/* Nothing is runnable and no interrupt can ever make anything runnable: the
 * system is finished (typically its root task stopped on a fault). Stop with a
 * distinct status instead of idling forever. */
static NORETURN void halt_no_threads(void)
{
    printk("[kernel] no runnable thread and no interrupt that could wake one: halting\n");
    trace_at_shutdown();
    arch_shutdown(HALT_NO_THREADS_STATUS);
}

/* Should the running thread keep the CPU over the best queued thread? */
static bool cur_keeps_cpu(const tcb_t *cur, const tcb_t *next)
{
    if (!next || next->priority < cur->priority)
        return true;
    return next->priority == cur->priority && !ks_rotate;
}

/* The running thread returns to user mode (ks_rotate is clear). */
static inline __attribute__((always_inline)) NORETURN void cur_return(tcb_t *cur)
{
    if (unlikely(cur->vcpu)) {
        /* A virtual interrupt for the running vCPU: its upcall and
         * straight out (core/vcpu_fast.c), or on the slow path. */
        if (!CONFIG_VCPU_SLOW && vcpu_virq_deliverable(cur->vcpu))
            vcpu_fast_exit_deliver(cur);
        /* Only a vCPU's address space changes under a running thread. */
        vcpu_check_pending(cur);
        if (ks_vspace_dirty) {
            ks_vspace_dirty = false;
            arch_vspace_activate(cur->vspace_pd, cur->asid);
        }
    }
    trace_exit(cur);
    arch_restore_user_context(&cur->ctx);
}

/* ... after a full decision kept it running: its quantum, if it asked to
 * rotate, is renewed (sched_yield) and nothing of its own priority waits. */
static inline __attribute__((always_inline)) NORETURN void cur_continue(tcb_t *cur)
{
    ks_rotate = false;
    cur_return(cur);
}

/* The best thread to run: the one woken to run next (ks_direct, taken
 * here: it outranks every queued thread, sched.h), else the best queued
 * one. *held is the thread returned if it is not queued, else NULL. */
static inline tcb_t *next_thread(tcb_t **held)
{
    tcb_t *direct = ks_direct;
    *held = direct;
    if (direct) {
        ks_direct = NULL;
        return direct;
    }
    return sched_pick();
}

NORETURN void kernel_exit(void)
{
    tcb_t *cur = ks_cur;
    /* The common exit: the running thread still runs and nothing that
     * could displace it happened since the last decision (sched.h). */
    if (!CONFIG_SLOWPATH && likely(cur && cur->state == THREAD_RUNNABLE) && likely(!ks_resched)) {
        /* ks_rotate is clear: it is only set with ks_resched (sched_yield)
         * and every exit that clears ks_resched clears it too. */
        cur_return(cur);
    }
    ks_resched = false; /* deciding now (the enqueues below set it again) */
    tcb_t *held;
    tcb_t *next = next_thread(&held);
    if (cur && cur->state == THREAD_RUNNABLE) {
        if (cur_keeps_cpu(cur, next)) {
            if (held)
                sched_enqueue_head(held);
            ks_resched = false; /* cur still outranks everything queued */
            cur_continue(cur);
        }
        /* Preempted: back to the head of its queue; quantum over: the tail.
         * Either way `next` (priority >= cur's) is still the one to run. */
        if (ks_rotate)
            sched_enqueue(cur);
        else
            sched_enqueue_head(cur);
    }
    /* Idle: nothing to run. WFI returns when an interrupt is pending even
     * though IRQs stay masked; irq_handle_pending() then handles it here. */
    while (!next) {
        trace_switch(ks_cur, NULL); /* to the idle loop */
        if (!irq_can_wake_threads())
            halt_no_threads();
        arch_wait_for_interrupt();
        irq_handle_pending();
        next = next_thread(&held);
    }
    ks_rotate = false; /* (a tick while idle may have set it) */
    if (next != held)
        sched_dequeue_head(next);
    ks_resched = false; /* next outranks everything queued */
    if (next->vcpu)
        vcpu_check_pending(next);
    if (next != ks_cur || ks_vspace_dirty)
        thread_switch_to(next);
    trace_exit(next);
    arch_restore_user_context(&next->ctx);
}
