/* SPDX-License-Identifier: BSD-2-Clause */
/* Fixed-priority round-robin scheduler. The running thread stays at the head
 * of its ready queue; sched_pick() is O(1) through a two-level bitmap. */
#pragma once
#include <object/tcb.h>

extern tcb_t *ks_cur; /* the thread whose context is live, or NULL when idle */

void sched_init(void);
void sched_enqueue(tcb_t *t);      /* RUNNABLE: append to its priority's queue */
void sched_dequeue(tcb_t *t);      /* remove from the ready queue */
void sched_rotate(tcb_t *t);       /* move to the tail of its queue (yield) */
tcb_t *sched_pick(void);           /* highest-priority runnable thread or NULL */
void sched_set_priority(tcb_t *t, uint8_t prio);
/* Account one timer tick to the current thread; rotates it when its quantum
 * is used up. */
void sched_tick(void);

/* Leave the kernel: choose a thread, switch to it and return to user mode.
 * Idles (WFI) while nothing is runnable. */
NORETURN void kernel_exit(void);
