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

extern tcb_t *ks_cur;  /* the thread whose context is live (NULL at boot) */
extern bool ks_rotate; /* ks_cur used up its quantum or yielded */

void sched_init(void);
void sched_enqueue(tcb_t *t);      /* RUNNABLE, not ks_cur: append to its queue */
void sched_enqueue_head(tcb_t *t); /* ... at the head (it was preempted) */
void sched_dequeue(tcb_t *t);      /* remove from its queue; no-op if not queued */
tcb_t *sched_pick(void);           /* highest-priority queued thread or NULL */
void sched_set_priority(tcb_t *t, uint8_t prio);
/* Account one timer tick to the current thread; when its quantum is used
 * up it goes to the back of its queue at the next kernel exit. */
void sched_tick(void);
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
