/* SPDX-License-Identifier: BSD-2-Clause */
/* Scheduling: strict priorities with immediate preemption, yield, and
 * round-robin time slices among equal priorities. Orders are recorded in
 * util_trace; everything is deterministic under -icount. */
#include "util.h"

#define TRACE_IS(...)                                                                              \
    do {                                                                                           \
        static const l4_word_t want[] = {__VA_ARGS__};                                             \
        CHECK_EQ(util_trace_len, sizeof want / sizeof want[0]);                                    \
        for (unsigned i_ = 0; i_ < sizeof want / sizeof want[0]; i_++)                             \
            CHECK_EQ(util_trace[i_], want[i_]);                                                    \
    } while (0)

static void mark(util_thread_t *t)
{
    util_trace_add(t->arg[0]);
}

TEST(sched_higher_priority_thread_made_runnable_runs_at_once)
{
    util_root_lower();
    util_thread_t *a = util_thread_create(mark, 120, 0), *b = util_thread_create(mark, 140, 0);
    a->arg[0] = 'A';
    b->arg[0] = 'B';
    util_trace_add('0');
    util_thread_start(a);
    util_trace_add('1');
    util_thread_start(b);
    util_trace_add('2');
    TRACE_IS('0', 'A', '1', 'B', '2');
}

TEST(sched_lower_priority_thread_gets_no_time_while_a_higher_one_spins)
{
    util_root_lower();
    util_thread_t *l = util_thread_create(mark, UTIL_PRIO_LOW, 0);
    l->arg[0] = 'L';
    util_thread_start(l);
    util_trace_add('0');
    util_spin(3000000); /* several timer ticks and time slices */
    util_trace_add('1');
    CHECK_EQ(l->done, 0);
    TRACE_IS('0', '1');
}

/* Signals arg[1] between two trace marks. */
static void mark_signal_mark(util_thread_t *t)
{
    util_trace_add(t->arg[0]);
    l4_signal(t->arg[1]);
    util_trace_add(t->arg[0] + 1);
}

static void wait_mark(util_thread_t *t)
{
    l4_wait(t->arg[1], 0);
    util_trace_add(t->arg[0]);
}

TEST(sched_root_blocking_lets_a_lower_thread_run_and_its_signal_preempts_it)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *l = util_thread_create(mark_signal_mark, UTIL_PRIO_LOW, 0);
    l->arg[0] = 'a';
    l->arg[1] = n;
    util_thread_start(l);
    util_trace_add('0');
    l4_word_t bits = 0;
    CHECK_EQ(l4_wait(n, &bits), L4_ERR_OK); /* only the low thread can signal */
    util_trace_add('1');
    TRACE_IS('0', 'a', '1'); /* the root ran before the low thread's 'b' */
}

TEST(sched_signal_to_a_higher_priority_waiter_preempts_the_signaller)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *h = util_thread_create(wait_mark, 140, 0);
    h->arg[0] = 'H';
    h->arg[1] = n;
    util_thread_start(h);
    util_thread_t *l = util_thread_create(mark_signal_mark, 120, 0);
    l->arg[0] = 'a';
    l->arg[1] = n;
    util_thread_start(l);
    TRACE_IS('a', 'H', 'b');
}

TEST(sched_signal_to_a_lower_priority_waiter_does_not_preempt)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *w = util_thread_create(wait_mark, 120, 0);
    w->arg[0] = 'W';
    w->arg[1] = n;
    util_thread_start(w);
    util_thread_t *s = util_thread_create(mark_signal_mark, 140, 0);
    s->arg[0] = 'a';
    s->arg[1] = n;
    util_thread_start(s);
    TRACE_IS('a', 'b', 'W');
}

/* Three rounds of: mark, yield. */
static void mark_yield(util_thread_t *t)
{
    for (int i = 0; i < 3; i++) {
        util_trace_add(t->arg[0]);
        l4_yield();
    }
}

TEST(sched_yield_round_robins_between_equal_priorities)
{
    /* the root at 255 makes both ready without letting them run */
    util_thread_t *a = util_thread_create(mark_yield, 120, 0),
                  *b = util_thread_create(mark_yield, 120, 0);
    a->arg[0] = 'a';
    b->arg[0] = 'b';
    util_thread_start(a);
    util_thread_start(b);
    CHECK_EQ(util_trace_len, 0);
    util_root_lower(); /* now they run, in the order they became ready */
    TRACE_IS('a', 'b', 'a', 'b', 'a', 'b');
}

TEST(sched_yield_does_not_give_way_to_lower_priority)
{
    util_thread_t *a = util_thread_create(mark_yield, 120, 0),
                  *l = util_thread_create(mark, 110, 0);
    a->arg[0] = 'a';
    l->arg[0] = 'l';
    util_thread_start(l);
    util_thread_start(a);
    util_root_lower();
    TRACE_IS('a', 'a', 'a', 'l');
}

TEST(sched_raising_a_ready_thread_above_the_caller_runs_it_at_once)
{
    util_root_lower();
    util_thread_t *x = util_thread_create(mark, UTIL_PRIO_LOW, 0);
    x->arg[0] = 'X';
    util_thread_start(x);
    util_trace_add('0');
    CHECK_EQ(l4_tcb_set_priority(x->tcb, UTIL_PRIO_HIGH, L4_CAP_INIT_TCB), L4_ERR_OK);
    util_trace_add('1');
    TRACE_IS('0', 'X', '1');
}

TEST(sched_lowering_own_priority_below_a_ready_thread_yields_to_it)
{
    util_thread_t *x = util_thread_create(mark, 120, 0);
    x->arg[0] = 'X';
    util_thread_start(x); /* root at 255: x waits */
    util_trace_add('0');
    util_root_priority(110);
    util_trace_add('1');
    TRACE_IS('0', 'X', '1');
}

TEST(sched_priority_of_blocked_thread_applies_when_it_wakes)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *w = util_thread_create(wait_mark, UTIL_PRIO_LOW, 0);
    w->arg[0] = 'W';
    w->arg[1] = n;
    util_thread_start(w); /* does not run yet: below the root */
    /* let it block: drop below it, then come back (it blocks in wait) */
    util_root_priority(UTIL_PRIO_LOW - 10);
    util_root_lower();
    CHECK_EQ(util_trace_len, 0);
    CHECK_EQ(l4_tcb_set_priority(w->tcb, UTIL_PRIO_HIGH, L4_CAP_INIT_TCB), L4_ERR_OK);
    CHECK_EQ(util_trace_len, 0);       /* still blocked */
    CHECK_EQ(l4_signal(n), L4_ERR_OK); /* now above us: runs at once */
    util_trace_add('r');
    TRACE_IS('W', 'r');
}

/* Round-robin: two spinning threads at one priority, a third just below. */
#define RR_LIMIT 3000000u /* loop iterations: several 5 ms slices each under -icount */
static util_thread_t *rr[3];

static void rr_spin(util_thread_t *t)
{
    util_thread_t *other = rr[t->arg[0] ^ 1], *low = rr[2];
    l4_word_t seen = other->r[0], switches = 0;
    t->r[5] = l4_pmu_read(L4_PMU_KERNEL);
    while (t->r[0] < RR_LIMIT) {
        t->r[0]++;
        if (other->r[0] != seen) { /* the other ran since we last looked */
            seen = other->r[0];
            switches++;
        }
    }
    t->r[1] = other->r[0]; /* the other's progress when we finished */
    t->r[2] = low->r[0];   /* the lower thread's progress: none */
    t->r[3] = switches;
    t->r[4] = l4_pmu_read(L4_PMU_KERNEL) - t->r[5];
}

static void rr_low(util_thread_t *t)
{
    for (unsigned i = 0; i < 1000; i++)
        t->r[0]++;
}

TEST(sched_round_robin_gives_equal_priority_spinners_time_slices)
{
    rr[0] = util_thread_create(rr_spin, 120, 0);
    rr[1] = util_thread_create(rr_spin, 120, 0);
    rr[2] = util_thread_create(rr_low, 110, 0);
    rr[0]->arg[0] = 0;
    rr[1]->arg[0] = 1;
    for (int i = 0; i < 3; i++)
        util_thread_start(rr[i]);
    util_root_lower(); /* returns when all three are done */
    for (int i = 0; i < 3; i++)
        CHECK_EQ(rr[i]->done, 1);
    /* whoever finished first saw the other make real progress, and both
     * were interrupted by the other several times */
    l4_word_t first = rr[0]->r[1] < RR_LIMIT ? 0 : 1;
    CHECK(rr[first]->r[1] > RR_LIMIT / 4);
    CHECK(rr[0]->r[3] >= 2);
    CHECK(rr[1]->r[3] >= 2);
    CHECK_EQ(rr[0]->r[2], 0);
    CHECK_EQ(rr[1]->r[2], 0);
    CHECK_EQ(rr[2]->r[0], 1000);
    /* timer ticks ran in the kernel meanwhile (1 ms each) */
    CHECK(rr[0]->r[4] > 100);
}

/* Three ready threads of one priority queue in start order; suspending the
 * middle one and then the last takes each out of the queue (a thread with
 * a predecessor, then the tail), and the rest keep their order. */
TEST(sched_suspending_queued_threads_in_the_middle_and_at_the_tail_keeps_the_order)
{
    util_thread_t *t[4];
    for (unsigned i = 0; i < 4; i++) {
        t[i] = util_thread_create(mark, UTIL_PRIO_LOW, 0);
        t[i]->arg[0] = 'A' + i;
        util_thread_start(t[i]); /* queued behind the root (255): none runs yet */
    }
    CHECK_EQ(l4_tcb_suspend(t[1]->tcb), L4_ERR_OK);
    CHECK_EQ(l4_tcb_suspend(t[3]->tcb), L4_ERR_OK);
    util_root_priority(UTIL_PRIO_WATCHDOG + 1); /* the rest run now, in order */
    TRACE_IS('A', 'C');
    CHECK_EQ(l4_tcb_resume(t[3]->tcb), L4_ERR_OK);
    CHECK_EQ(l4_tcb_resume(t[1]->tcb), L4_ERR_OK);
    TRACE_IS('A', 'C', 'D', 'B');
}

/* recv(arg[1]): r[0] its error; then a trace mark. */
static void recv_mark(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[0] = l4_recv(t->arg[1], &m);
    util_trace_add(t->arg[0]);
}

/* Deleting the endpoint wakes both receivers in one step: A first, held as
 * the thread to run next (no queue at its priority), then B above it, which
 * must run first: A waits at the head of its queue (sched.c, the direct
 * hand-over's demotion). The slow-path twin queues both: the same order. */
TEST(sched_a_higher_thread_woken_after_one_held_to_run_next_runs_first)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *a = util_thread_create(recv_mark, 140, 0), *b = util_thread_create(recv_mark, 150, 0);
    a->arg[0] = 'A';
    b->arg[0] = 'B';
    a->arg[1] = b->arg[1] = ep;
    util_thread_start(a);
    util_thread_start(b);
    util_trace_add('0');
    util_delete(ep);
    util_trace_add('1');
    TRACE_IS('0', 'B', 'A', '1');
    CHECK_EQ(a->r[0], L4_ERR_OBJECT_DELETED);
    CHECK_EQ(b->r[0], L4_ERR_OBJECT_DELETED);
}
