/* SPDX-License-Identifier: BSD-2-Clause */
/* Fixed-priority round-robin scheduler, 256 priorities (255 highest).
 *
 * Invariant: a thread is in the ready queue of its priority iff it is
 * THREAD_RUNNABLE and not ks_cur. The running thread stays out of the
 * queues, so handing the CPU to an IPC partner (the fastpath) touches no
 * queue at all; kernel_exit() puts ks_cur back when another thread must
 * run. sched_pick() is O(1) through a two-level bitmap. */
#pragma once
#include <object/tcb.h>

/* The scheduler's state, one object so that the exit and the fast paths
 * address all of it from one base register (design.md, Measurement). The
 * names below are its fields; the symbol ks_cur names its first word as
 * well (sched.c), for the debugger (tools/gdb). */
typedef struct {
    tcb_t *cur;    /* ks_cur */
    tcb_t *direct; /* ks_direct */
    bool rotate;   /* ks_rotate */
    bool resched;  /* ks_resched */
} kernel_sched_t;
extern kernel_sched_t ks_sched;
#define ks_cur (ks_sched.cur) /* the thread whose context is live (NULL at boot) */
#define ks_rotate (ks_sched.rotate) /* ks_cur used up its quantum or yielded */
/* A thread woken during this kernel entry that is to run at its exit
 * without passing through a ready queue (sched_wake, sched_hand_over), or
 * NULL. Set and consumed within one kernel entry: kernel_exit() clears it.
 * It is RUNNABLE, in no queue and of higher priority than every queued
 * thread, or (an IPC hand-over) of at least their priority and first (a
 * thread queued above it puts it back at the head of its own queue), so
 * the queue invariant above reads: queued iff RUNNABLE and neither ks_cur
 * nor ks_direct. sched_dequeue() of it clears it (the thread blocked or
 * stopped before the exit). */
#define ks_direct (ks_sched.direct)
/* Set whenever the running thread's claim to the CPU may have weakened
 * since the last scheduling decision: a thread was queued or woken
 * (sched_enqueue*, sched_wake), a priority changed, ks_cur yielded or used
 * up its quantum. While it is clear and ks_cur is RUNNABLE, kernel_exit()
 * returns to ks_cur without consulting the queues; it clears it whenever
 * it decides in full. */
#define ks_resched (ks_sched.resched)

void sched_init(void);
void sched_enqueue(tcb_t *t);      /* RUNNABLE, not ks_cur: append to its queue */
void sched_enqueue_head(tcb_t *t); /* ... at the head (it was preempted); ks_direct NULL */
void sched_dequeue(tcb_t *t);      /* remove from its queue; no-op if not queued */
void sched_dequeue_head(tcb_t *t); /* t heads its queue (sched_pick): remove it */
tcb_t *sched_pick(void);           /* highest-priority queued thread or NULL */
bool sched_ready_at_least(unsigned prio); /* is a thread of priority >= prio queued? */
/* t was made RUNNABLE (it is not ks_cur, in no queue): queue it, or hold it
 * in ks_direct to run at this kernel exit. */
void sched_wake(tcb_t *t);
/* The IPC hand-over: the running thread has just blocked in an IPC that
 * woke t, its partner (a call or a fault delivered to a waiting receiver;
 * a reply-receive's reply, when the server then waits): t runs next unless
 * a queued thread has a higher priority, ahead of the queued threads of
 * its priority, as the IPC fast paths do (docs/design.md 5.3). */
void sched_hand_over(tcb_t *t);
void sched_set_priority(tcb_t *t, uint8_t prio);
/* Account one timer tick to the current thread; when its quantum is used
 * up it goes to the back of its queue at the next kernel exit. */
void sched_tick(void);
/* The running thread cur yields to the next thread of its priority: if one
 * is queued, it leaves the head of the queue and is returned, and cur takes
 * its place at the tail (the queues as kernel_exit() leaves them after a
 * yield); else NULL and nothing changes. ks_direct must be NULL. */
tcb_t *sched_rotate(tcb_t *cur);
/* The current thread gives up the rest of its quantum. */
void sched_yield(void);

/* Read-only views for the debug invariant checker (core/invariants_thread.c). */
tcb_t *sched_queue_head(unsigned prio);
tcb_t *sched_queue_tail(unsigned prio);
bool sched_bitmap_bit(unsigned prio);   /* the second-level bit of prio */
uint32_t sched_bitmap_word(unsigned w); /* second-level word w (priorities 32w..32w+31) */
uint32_t sched_bitmap_summary(void);    /* first level: bit w says word w is non-zero */

/* Leave the kernel: choose a thread, switch to it and return to user mode.
 * Idles (WFI) while nothing is runnable. */
NORETURN void kernel_exit(void);
