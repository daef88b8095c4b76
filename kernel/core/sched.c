/* SPDX-License-Identifier: BSD-2-Clause */
/* Ready queues: one doubly linked list per priority and a two-level bitmap of
 * non-empty queues (ready_l1 bit i says ready_l2[i] is non-zero). All
 * operations are O(1). Their preconditions are assert_debug: they are on
 * every wake-up and switch, and the debug kernel, the host unit tests
 * (prop_sched) and the invariant checker (INV_QUEUED) check them.
 * Compiled for the host unit tests as well. The policy (who runs at kernel
 * exit) is in core/kernel_exit.c. */
#include <config.h>
#include <sched.h>
#include <assert.h>

typedef struct {
    tcb_t *head, *tail;
} ready_queue_t;

static ready_queue_t ready[NUM_PRIORITIES];
static uint32_t ready_l1;
static uint32_t ready_l2[NUM_PRIORITIES / 32];
kernel_sched_t ks_sched;
STATIC_ASSERT(__builtin_offsetof(kernel_sched_t, cur) == 0, "ks_cur names the first word");
__asm__(".global ks_cur\n.set ks_cur, ks_sched");

void sched_init(void)
{
    for (unsigned i = 0; i < NUM_PRIORITIES; i++)
        ready[i].head = ready[i].tail = NULL;
    ready_l1 = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(ready_l2); i++)
        ready_l2[i] = 0;
    ks_cur = NULL;
    ks_direct = NULL;
    ks_rotate = false;
    ks_resched = false;
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

static inline __attribute__((always_inline)) void link_head(tcb_t *t)
{
    assert_debug(t->state == THREAD_RUNNABLE && !t->sched_next && !t->sched_prev);
    ready_queue_t *q = &ready[t->priority];
    tcb_t *head = q->head;
    assert_debug(head != t);
    t->sched_next = head;
    if (head)
        head->sched_prev = t;
    else {
        q->tail = t;
        bitmap_set(t->priority);
    }
    q->head = t;
}

/* ks_direct outranks every queued thread (sched_wake), or at least ranks
 * with them and goes first (sched_hand_over). A thread queued above it is
 * the better choice: then it waits at the head of its queue (the threads
 * of its priority queued after it was held were woken after it). */
static __attribute__((noinline)) void direct_demote(tcb_t *d)
{
    ks_direct = NULL;
    link_head(d);
}
static inline void direct_yield_to(const tcb_t *t)
{
    tcb_t *d = ks_direct;
    if (unlikely(d != NULL) && t->priority > d->priority)
        direct_demote(d);
}

void sched_enqueue_head(tcb_t *t)
{
    assert_debug(!ks_direct); /* (only the exit puts a preempted thread back: sched.h) */
    link_head(t);
    ks_resched = true;
}

void sched_enqueue(tcb_t *t)
{
    assert_debug(t->state == THREAD_RUNNABLE && !t->sched_next && !t->sched_prev);
    direct_yield_to(t);
    ready_queue_t *q = &ready[t->priority];
    tcb_t *tail = q->tail;
    if (tail) {
        tail->sched_next = t;
        t->sched_prev = tail;
        assert_debug(q->head != t);
    } else {
        q->head = t;
        bitmap_set(t->priority);
    }
    q->tail = t;
    ks_resched = true;
}

void sched_dequeue(tcb_t *t)
{
    ready_queue_t *q = &ready[t->priority];
    tcb_t *prev = t->sched_prev, *next = t->sched_next;
    if (prev)
        prev->sched_next = next;
    else if (q->head == t)
        q->head = next;
    else {
        /* Not queued; it may be the thread woken to run next (sched_wake). */
        if (t == ks_direct)
            ks_direct = NULL;
        return;
    }
    if (next)
        next->sched_prev = prev;
    else
        q->tail = prev;
    t->sched_next = t->sched_prev = NULL;
    if (!q->head)
        bitmap_clear(t->priority);
}

void sched_dequeue_head(tcb_t *t)
{
    ready_queue_t *q = &ready[t->priority];
    assert_debug(q->head == t && !t->sched_prev);
    tcb_t *next = t->sched_next;
    q->head = next;
    if (next) {
        next->sched_prev = NULL;
        t->sched_next = NULL;
    } else {
        q->tail = NULL;
        bitmap_clear(t->priority);
    }
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

/* Is a thread of priority >= prio queued? */
/*@ requires ready_bitmaps_match; */
static bool ready_at_least(unsigned prio)
{
    if (!ready_l1)
        return false;
    unsigned hi = 31u - (unsigned)__builtin_clz(ready_l1);
    return hi * 32u + 31u - (unsigned)__builtin_clz(ready_l2[hi]) >= prio;
}

bool sched_ready_at_least(unsigned prio)
{
    return ready_at_least(prio);
}

/* Woken threads that will run at this kernel exit skip the queue: one
 * that outranks every queued thread (strictly: a queued thread of its
 * priority was woken earlier and goes first) and the running thread (if
 * that still runs) is held in ks_direct instead, and kernel_exit() runs it
 * without an enqueue and a dequeue; only one is held, a second wake-up
 * queues normally, and one queued above it takes over (direct_yield_to). */
void sched_wake(tcb_t *t)
{
    assert_debug(t->state == THREAD_RUNNABLE && !t->sched_next && !t->sched_prev);
    const tcb_t *cur = ks_cur;
    if (!CONFIG_SLOWPATH && !ks_direct && t != cur && (!cur || cur->state != THREAD_RUNNABLE || t->priority >= cur->priority) &&
        !ready_at_least(t->priority)) {
        ks_direct = t;
        ks_resched = true;
        return;
    }
    sched_enqueue(t);
}

/* The IPC hand-over (docs/design.md 5.3): t, made RUNNABLE by an IPC in
 * which the running thread then blocked (sched.h), runs at this exit in
 * its place unless a queued thread has a higher priority: ahead of the
 * queued threads of its own priority, which were woken earlier. Held in
 * ks_direct (taken from where sched_wake left it); in the slow-path twin,
 * or behind a thread already held (which outranks it), at the head of its
 * queue, which kernel_exit() then picks alike. */
void sched_hand_over(tcb_t *t)
{
    assert_debug(t->state == THREAD_RUNNABLE && t != ks_cur);
    if (t == ks_direct || ready_at_least(t->priority + 1u))
        return;
    sched_dequeue(t);
    if (!CONFIG_SLOWPATH && !ks_direct)
        ks_direct = t;
    else
        link_head(t);
    ks_resched = true;
}

tcb_t *sched_rotate(tcb_t *cur)
{
    ready_queue_t *q = &ready[cur->priority];
    tcb_t *next = q->head;
    assert_debug(!ks_direct && cur == ks_cur && cur->state == THREAD_RUNNABLE);
    if (!next)
        return NULL;
    /* next leaves the head, cur joins the tail: the queue stays non-empty,
     * so the bitmaps do not change. */
    tcb_t *second = next->sched_next;
    if (second) {
        second->sched_prev = NULL;
        q->head = second;
        q->tail->sched_next = cur;
        cur->sched_prev = q->tail;
    } else {
        q->head = cur;
    }
    q->tail = cur;
    next->sched_next = NULL;
    return next;
}

void sched_set_priority(tcb_t *t, uint8_t prio)
{
    bool queued = t->state == THREAD_RUNNABLE && t != ks_cur;
    if (queued)
        sched_dequeue(t);
    t->priority = prio;
    ks_resched = true;
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
    ks_resched = true;
}
