/* SPDX-License-Identifier: BSD-2-Clause */
/* Eva driver for kernel/core/sched.c: three threads enqueued at the tail or
 * the head, picked, the picked one run (dequeued, ticked), another
 * dequeued, a third re-prioritised, picked again, yielded: every branch
 * combination of those steps.
 *
 * Priorities are split on exactly, from a set that covers the bitmap's
 * cases: two queues in one word (0, 1), a queue shared by two threads
 * (any pair), a second word (32) and the last bit of the last word (255).
 * Exact values keep each abstract state exact: Eva's value domain is not
 * relational, so after merging states it could no longer tell that a
 * cleared word also cleared its bit in ready_l1, and sched_pick's
 * precondition (the bitmaps match) would be unknown rather than proven. */
#include "eva.h"
#include <sched.h>

static tcb_t th[3];
static const uint8_t prios[] = {0, 1, 32, 255};

static uint8_t any_priority(void)
{
    return prios[eva_range(0, ARRAY_SIZE(prios) - 1)];
}

static void make_ready(tcb_t *t, uint8_t prio, unsigned at_head)
{
    t->priority = prio;
    t->state = THREAD_RUNNABLE;
    t->time_slice = eva_range(0, TIME_SLICE_TICKS);
    if (at_head)
        sched_enqueue_head(t);
    else
        sched_enqueue(t);
}

int main(void)
{
    sched_init();
    uint8_t p0 = any_priority(), p1 = any_priority(), p2 = any_priority();
    unsigned h0 = eva_range(0, 1), h1 = eva_range(0, 1), h2 = eva_range(0, 1);
    //@ split p0;
    //@ split p1;
    //@ split p2;
    //@ split h0;
    //@ split h1;
    //@ split h2;
    make_ready(&th[0], p0, h0);
    make_ready(&th[1], p1, h1);
    make_ready(&th[2], p2, h2);

    /* The picked thread runs: it leaves its queue (kernel_exit.c). */
    tcb_t *cur = sched_pick();
    if (cur) {
        sched_dequeue(cur);
        ks_cur = cur;
    }
    sched_tick();
    unsigned i = eva_range(0, 2);
    //@ split i;
    sched_dequeue(&th[i]);
    eva_use((word_t)(uintptr_t)sched_pick());

    uint8_t p3 = any_priority();
    //@ split p3;
    sched_set_priority(&th[(i + 1) % 3], p3);
    eva_use((word_t)(uintptr_t)sched_pick());
    sched_yield();
    sched_tick();
    eva_end();
    return 0;
}
