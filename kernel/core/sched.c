/* SPDX-License-Identifier: BSD-2-Clause */
/* Ready queues: one doubly linked list per priority and a two-level bitmap of
 * non-empty queues (ready_l1 bit i says ready_l2[i] is non-zero). All
 * operations are O(1). Compiled for the host unit tests as well. The policy
 * (who runs at kernel exit) is in core/kernel_exit.c. */
#include <sched.h>
#include <assert.h>

typedef struct {
    tcb_t *head, *tail;
} ready_queue_t;

static ready_queue_t ready[NUM_PRIORITIES];
static uint32_t ready_l1;
static uint32_t ready_l2[NUM_PRIORITIES / 32];
tcb_t *ks_cur;
bool ks_rotate;

void sched_init(void)
{
    for (unsigned i = 0; i < NUM_PRIORITIES; i++)
        ready[i].head = ready[i].tail = NULL;
    ready_l1 = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(ready_l2); i++)
        ready_l2[i] = 0;
    ks_cur = NULL;
    ks_rotate = false;
}

static void bitmap_set(unsigned prio)
{
    ready_l2[prio / 32] |= BIT(prio % 32);
    ready_l1 |= BIT(prio / 32);
}

static void bitmap_clear(unsigned prio)
{
    ready_l2[prio / 32] &= ~BIT(prio % 32);
    if (!ready_l2[prio / 32])
        ready_l1 &= ~BIT(prio / 32);
}

void sched_enqueue_head(tcb_t *t)
{
    assert(t->state == THREAD_RUNNABLE && !t->sched_next && !t->sched_prev);
    ready_queue_t *q = &ready[t->priority];
    tcb_t *head = q->head;
    assert(head != t);
    t->sched_next = head;
    if (head)
        head->sched_prev = t;
    else {
        q->tail = t;
        bitmap_set(t->priority);
    }
    q->head = t;
}

void sched_enqueue(tcb_t *t)
{
    assert(t->state == THREAD_RUNNABLE && !t->sched_next && !t->sched_prev);
    ready_queue_t *q = &ready[t->priority];
    tcb_t *tail = q->tail;
    if (tail) {
        tail->sched_next = t;
        t->sched_prev = tail;
        assert(q->head != t);
    } else {
        q->head = t;
        bitmap_set(t->priority);
    }
    q->tail = t;
}

void sched_dequeue(tcb_t *t)
{
    ready_queue_t *q = &ready[t->priority];
    tcb_t *prev = t->sched_prev, *next = t->sched_next;
    if (prev)
        prev->sched_next = next;
    else if (q->head == t)
        q->head = next;
    else
        return; /* not queued */
    if (next)
        next->sched_prev = prev;
    else
        q->tail = prev;
    t->sched_next = t->sched_prev = NULL;
    if (!q->head)
        bitmap_clear(t->priority);
}

/* The bitmap invariant (checked by Frama-C Eva, docs/testing.md): bit w
 * of ready_l1 is set iff ready_l2[w] is non-zero, and ready_l1 has no bit
 * beyond the last word; so both bit scans below see a non-zero word. */
/*@ predicate l1_matches(integer w) = ((ready_l1 >> w) & 1) != 0 <==> ready_l2[w] != 0;
    predicate ready_bitmaps_match = ready_l1 < (1 << NUM_PRIORITIES / 32) &&
        l1_matches(0) && l1_matches(1) && l1_matches(2) && l1_matches(3) &&
        l1_matches(4) && l1_matches(5) && l1_matches(6) && l1_matches(7); */
/*@ requires ready_bitmaps_match; */
tcb_t *sched_pick(void)
{
    if (!ready_l1)
        return NULL;
    unsigned hi = 31u - (unsigned)__builtin_clz(ready_l1);
    unsigned prio = hi * 32u + 31u - (unsigned)__builtin_clz(ready_l2[hi]);
    assert_debug(ready[prio].head && ready[prio].head->state == THREAD_RUNNABLE);
    return ready[prio].head;
}

void sched_set_priority(tcb_t *t, uint8_t prio)
{
    bool queued = t->state == THREAD_RUNNABLE && t != ks_cur;
    if (queued)
        sched_dequeue(t);
    t->priority = prio;
    if (queued)
        sched_enqueue(t);
}

void sched_tick(void)
{
    tcb_t *t = ks_cur;
    if (!t || t->state != THREAD_RUNNABLE)
        return;
    if (t->time_slice > 1) {
        t->time_slice--;
        return;
    }
    sched_yield();
}

tcb_t *sched_queue_head(unsigned prio)
{
    return ready[prio].head;
}
tcb_t *sched_queue_tail(unsigned prio)
{
    return ready[prio].tail;
}
bool sched_bitmap_bit(unsigned prio)
{
    return (ready_l2[prio / 32] >> (prio % 32)) & 1u;
}
uint32_t sched_bitmap_word(unsigned w)
{
    return ready_l2[w];
}
uint32_t sched_bitmap_summary(void)
{
    return ready_l1;
}

void sched_yield(void)
{
    if (ks_cur)
        ks_cur->time_slice = TIME_SLICE_TICKS;
    ks_rotate = true;
}
