/* SPDX-License-Identifier: BSD-2-Clause */
/* Property test of the scheduler queues (kernel/core/sched.c) against a
 * model: one FIFO array per priority. Random enqueues at head and tail,
 * dequeues (of queued and unqueued threads), priority changes (of queued
 * threads, of the running one, of blocked ones), picks, ticks and yields;
 * after each, the full invariant: every queue's links and order equal the
 * model's, the two-level bitmap says exactly which queues are non-empty,
 * no thread is linked that the model does not queue, and sched_pick is the
 * model's highest-priority head. sched.c is included so that its private
 * queues and bitmaps can be checked directly. */
#include "prop.h"
#include "../../kernel/core/sched.c"

#define THREADS 24
static tcb_t th[THREADS];
/* the model: queue[p] holds thread numbers in order, len[p] of them */
static unsigned char queue[NUM_PRIORITIES][THREADS];
static unsigned len[NUM_PRIORITIES];
static bool queued[THREADS];

static int model_find(unsigned p, unsigned t)
{
    for (unsigned i = 0; i < len[p]; i++)
        if (queue[p][i] == t)
            return (int)i;
    return -1;
}

static void model_remove(unsigned t)
{
    unsigned p = th[t].priority;
    int i = model_find(p, t);
    if (i < 0)
        return;
    for (unsigned j = (unsigned)i; j + 1 < len[p]; j++)
        queue[p][j] = queue[p][j + 1];
    len[p]--;
    queued[t] = false;
}

static void model_add(unsigned t, bool at_head)
{
    unsigned p = th[t].priority;
    if (at_head) {
        for (unsigned j = len[p]; j > 0; j--)
            queue[p][j] = queue[p][j - 1];
        queue[p][0] = (unsigned char)t;
    } else {
        queue[p][len[p]] = (unsigned char)t;
    }
    len[p]++;
    queued[t] = true;
}

static void check_invariant(void)
{
    for (unsigned p = 0; p < NUM_PRIORITIES; p++) {
        const ready_queue_t *q = &ready[p];
        bool bit2 = (ready_l2[p / 32] >> (p % 32)) & 1u;
        PROP_CHECK(bit2 == (len[p] > 0), "priority %u: bitmap bit %d, %u queued", p, bit2, len[p]);
        const tcb_t *prev = NULL, *t = q->head;
        for (unsigned i = 0; i < len[p]; i++) {
            PROP_CHECK(t == &th[queue[p][i]], "priority %u position %u: thread %ld, model %u", p, i,
                       t ? (long)(t - th) : -1L, queue[p][i]);
            PROP_CHECK(t->sched_prev == prev, "priority %u position %u: bad prev link", p, i);
            PROP_CHECK(t->priority == p && t->state == THREAD_RUNNABLE && t != ks_cur,
                       "queued thread %ld must be runnable, not running, at its priority",
                       (long)(t - th));
            prev = t;
            t = t->sched_next;
        }
        PROP_CHECK(t == NULL, "priority %u: more threads linked than the model queues", p);
        PROP_CHECK(q->tail == prev, "priority %u: tail is not the last thread", p);
    }
    for (unsigned w = 0; w < NUM_PRIORITIES / 32; w++)
        PROP_CHECK(((ready_l1 >> w) & 1u) == (ready_l2[w] != 0), "word %u: level-1 bit wrong", w);
    PROP_CHECK(ready_l1 >> (NUM_PRIORITIES / 32) == 0, "level-1 bits beyond the last word");
    for (unsigned t = 0; t < THREADS; t++)
        if (!queued[t])
            PROP_CHECK(!th[t].sched_next && !th[t].sched_prev, "unqueued thread %u is linked", t);
    const tcb_t *want = NULL;
    for (int p = NUM_PRIORITIES - 1; p >= 0 && !want; p--)
        if (len[p])
            want = &th[queue[p][0]];
    PROP_CHECK(sched_pick() == want, "sched_pick: thread %ld, model %ld",
               sched_pick() ? (long)(sched_pick() - th) : -1L, want ? (long)(want - th) : -1L);
}

/* Priorities cluster so that queues get long and words shared. */
static uint8_t random_priority(void)
{
    static const uint8_t hot[] = {0, 1, 31, 32, 33, 100, 254, 255};
    return prop_below(2) ? hot[prop_below(sizeof(hot))] : (uint8_t)prop_below(NUM_PRIORITIES);
}

static void step(void)
{
    unsigned t = prop_below(THREADS);
    tcb_t *x = &th[t];
    unsigned op = prop_below(9);
    if (getenv("PROP_TRACE")) /* replaying a failure: what each step does */
        print_message("step %lu: op %u thread %u priority %u queued %d running %ld state %u\n",
                      prop_step, op, t, x->priority, queued[t], ks_cur ? (long)(ks_cur - th) : -1L,
                      x->state);
    switch (op) {
    case 0: /* a thread becomes ready (not the running one) */
    case 1:
        if (!queued[t] && x != ks_cur) {
            bool head = prop_below(3) == 0;
            x->state = THREAD_RUNNABLE;
            if (head)
                sched_enqueue_head(x);
            else
                sched_enqueue(x);
            model_add(t, head);
        }
        break;
    case 2: /* it blocks (dequeuing an unqueued thread does nothing) */
        sched_dequeue(x);
        model_remove(t);
        if (x != ks_cur)
            x->state = prop_below(2) ? THREAD_BLOCKED_RECV : THREAD_INACTIVE;
        break;
    case 3: { /* new priority: queued threads move to the tail of their new queue */
        bool was = queued[t];
        model_remove(t);
        sched_set_priority(x, random_priority());
        if (was)
            model_add(t, false);
        break;
    }
    case 4: /* the highest thread runs: kernel_exit takes it off its queue and */
    case 5: /* puts a runnable ks_cur back, at the head (preempted) or the tail */
        if (sched_pick()) {
            if (ks_cur && ks_cur->state == THREAD_RUNNABLE) {
                tcb_t *old = ks_cur;
                bool head = prop_below(2);
                ks_cur = NULL;
                if (head)
                    sched_enqueue_head(old);
                else
                    sched_enqueue(old);
                model_add((unsigned)(old - th), head);
            }
            tcb_t *next = sched_pick();
            sched_dequeue(next);
            model_remove((unsigned)(next - th));
            ks_cur = next;
        }
        break;
    case 6: { /* a tick: after the quantum, ks_rotate asks for a yield */
        uint32_t before = ks_cur ? ks_cur->time_slice : 0;
        bool runnable = ks_cur && ks_cur->state == THREAD_RUNNABLE;
        ks_rotate = false;
        sched_tick();
        if (runnable && before > 1)
            PROP_CHECK(ks_cur->time_slice == before - 1 && !ks_rotate, "tick must count down");
        else if (runnable)
            PROP_CHECK(ks_rotate && ks_cur->time_slice == TIME_SLICE_TICKS,
                       "an expired quantum must rotate and refill");
        else
            PROP_CHECK(!ks_rotate, "a tick without a runnable thread must not rotate");
        break;
    }
    case 7:
        ks_rotate = false;
        sched_yield();
        PROP_CHECK(ks_rotate && (!ks_cur || ks_cur->time_slice == TIME_SLICE_TICKS),
                   "yield must rotate and refill");
        break;
    default: /* the running thread stops running (blocks or is switched away) */
        if (ks_cur) {
            tcb_t *old = ks_cur;
            ks_cur = NULL;
            if (old->state == THREAD_RUNNABLE && prop_below(2)) {
                sched_enqueue(old);
                model_add((unsigned)(old - th), false);
            } else {
                old->state = THREAD_BLOCKED_NTFN;
            }
        }
        break;
    }
}

static void queues_and_bitmaps_match_the_model(void **state)
{
    (void)state;
    sched_init();
    memset(th, 0, sizeof(th));
    memset(len, 0, sizeof(len));
    memset(queued, 0, sizeof(queued));
    for (unsigned t = 0; t < THREADS; t++) {
        th[t].priority = random_priority();
        th[t].time_slice = 1 + prop_below(TIME_SLICE_TICKS);
    }
    unsigned longest = 0;
    for (prop_step = 0; prop_step < prop_steps; prop_step++) {
        step();
        check_invariant();
        for (unsigned p = 0; p < NUM_PRIORITIES; p++)
            longest = len[p] > longest ? len[p] : longest;
    }
    PROP_CHECK(prop_steps < 500 || longest >= 3, "queues never got long (%u)", longest);
}

int main(int argc, char **argv)
{
    prop_args(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(queues_and_bitmaps_match_the_model),
    };
    return cmocka_run_group_tests_name("prop-sched", tests, NULL, NULL);
}
