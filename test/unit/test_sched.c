/* SPDX-License-Identifier: BSD-2-Clause */
/* Ready queues and priority bitmap (kernel/core/sched.c). */
#include "unit.h"
#include <sched.h>

static tcb_t threads[8];

static int setup(void **state)
{
    (void)state;
    sched_init();
    for (unsigned i = 0; i < 8; i++) {
        threads[i] = (tcb_t){0};
        threads[i].state = THREAD_RUNNABLE;
    }
    return 0;
}

static void empty_picks_nothing(void **state)
{
    (void)state;
    assert_null(sched_pick());
}

static void highest_priority_first(void **state)
{
    (void)state;
    unsigned prios[] = {3, 200, 31, 32, 255, 0};
    for (unsigned i = 0; i < 6; i++) {
        threads[i].priority = (uint8_t)prios[i];
        sched_enqueue(&threads[i]);
    }
    unsigned order[] = {4, 1, 3, 2, 0, 5};
    for (unsigned i = 0; i < 6; i++) {
        assert_ptr_equal(sched_pick(), &threads[order[i]]);
        sched_dequeue(&threads[order[i]]);
    }
    assert_null(sched_pick());
}

static void equal_priority_round_robin(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 3; i++) {
        threads[i].priority = 7;
        sched_enqueue(&threads[i]);
    }
    for (unsigned round = 0; round < 6; round++) {
        tcb_t *t = sched_pick();
        assert_ptr_equal(t, &threads[round % 3]);
        sched_dequeue(t); /* runs ... */
        sched_enqueue(t); /* ... and goes to the back */
    }
}

static void dequeue_middle_keeps_order(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 3; i++) {
        threads[i].priority = 9;
        sched_enqueue(&threads[i]);
    }
    sched_dequeue(&threads[1]);
    assert_ptr_equal(sched_pick(), &threads[0]);
    sched_dequeue(&threads[0]);
    assert_ptr_equal(sched_pick(), &threads[2]);
    sched_dequeue(&threads[2]);
    assert_null(sched_pick());
    sched_dequeue(&threads[2]); /* not queued: no effect */
    assert_null(sched_pick());
}

static void set_priority_requeues(void **state)
{
    (void)state;
    threads[0].priority = 10;
    threads[1].priority = 20;
    sched_enqueue(&threads[0]);
    sched_enqueue(&threads[1]);
    assert_ptr_equal(sched_pick(), &threads[1]);
    sched_set_priority(&threads[0], 30);
    assert_ptr_equal(sched_pick(), &threads[0]);
    assert_int_equal(threads[0].priority, 30);
}

static void tick_rotates_after_quantum(void **state)
{
    (void)state;
    /* the running thread is not queued (sched.h) */
    threads[0].priority = threads[1].priority = 5;
    threads[0].time_slice = threads[1].time_slice = TIME_SLICE_TICKS;
    ks_cur = &threads[0];
    sched_enqueue(&threads[1]);
    for (unsigned i = 0; i < TIME_SLICE_TICKS - 1; i++) {
        sched_tick();
        assert_false(ks_rotate);
    }
    sched_tick();
    assert_true(ks_rotate);
    assert_int_equal(threads[0].time_slice, TIME_SLICE_TICKS);
    assert_ptr_equal(sched_pick(), &threads[1]);
}

static void enqueue_head_goes_first(void **state)
{
    (void)state;
    threads[0].priority = threads[1].priority = 5;
    sched_enqueue(&threads[0]);
    sched_enqueue_head(&threads[1]);
    assert_ptr_equal(sched_pick(), &threads[1]);
    sched_dequeue(&threads[1]);
    assert_ptr_equal(sched_pick(), &threads[0]);
}

static void running_thread_priority_change_keeps_it_unqueued(void **state)
{
    (void)state;
    ks_cur = &threads[2];
    /* its priority changes without queueing it */
    sched_set_priority(&threads[2], 77);
    assert_null(sched_pick());
    assert_int_equal(threads[2].priority, 77);
}

static void enqueue_twice_asserts(void **state)
{
    (void)state;
    threads[0].priority = 1;
    threads[1].priority = 1;
    sched_enqueue(&threads[0]);
    sched_enqueue(&threads[1]);
    expect_assert_failure(sched_enqueue(&threads[0]));
}

/* A wake-up of a thread above the running one and everything queued is
 * held in ks_direct, queued nowhere; a second one is queued normally. */
static void wake_above_all_is_held_not_queued(void **state)
{
    (void)state;
    threads[0].priority = 10; /* running */
    threads[1].priority = 5;  /* queued */
    threads[2].priority = 20;
    threads[3].priority = 30;
    ks_cur = &threads[0];
    sched_enqueue(&threads[1]);
    ks_resched = false;
    sched_wake(&threads[2]);
    assert_ptr_equal(ks_direct, &threads[2]);
    assert_true(ks_resched);
    assert_ptr_equal(sched_pick(), &threads[1]); /* not in a queue */
    sched_enqueue(&threads[3]);                  /* queued above the held one */
    assert_ptr_equal(ks_direct, NULL);           /* 30 queued above 20: it took over */
    assert_ptr_equal(sched_pick(), &threads[3]);
    sched_dequeue(&threads[3]);
    assert_ptr_equal(sched_pick(), &threads[2]); /* at the head of its queue */
}

/* Below the running thread, or not above a queued one of its priority (it
 * was woken earlier), a woken thread is queued. */
static void wake_not_above_all_is_queued(void **state)
{
    (void)state;
    threads[0].priority = 10;
    threads[1].priority = 9;
    threads[2].priority = 12;
    threads[3].priority = 12;
    ks_cur = &threads[0];
    sched_wake(&threads[1]);
    assert_null(ks_direct);
    assert_ptr_equal(sched_pick(), &threads[1]);
    sched_enqueue(&threads[2]);
    sched_wake(&threads[3]);
    assert_null(ks_direct);
    assert_ptr_equal(sched_pick(), &threads[2]);
}

/* The IPC hand-over (sched_hand_over): the partner woken by a thread that
 * then blocked runs next, ahead of a queued thread of its priority. */
static void hand_over_goes_ahead_of_an_equal_queued_thread(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 3; i++)
        threads[i].priority = 10;
    ks_cur = &threads[0];
    sched_enqueue(&threads[1]); /* queued first */
    threads[0].state = THREAD_BLOCKED_REPLY;
    sched_wake(&threads[2]); /* a thread of its priority was queued first: queued */
    assert_null(ks_direct);
    ks_resched = false;
    sched_hand_over(&threads[2]);
    assert_ptr_equal(ks_direct, &threads[2]);
    assert_true(ks_resched);
    assert_ptr_equal(sched_pick(), &threads[1]);
    assert_ptr_equal(sched_queue_tail(10), &threads[1]); /* the partner left the queue */
}

/* ... but not over a higher queued thread (it stays queued); and behind a
 * held thread above it, at the head of its queue. */
static void hand_over_yields_to_higher_threads(void **state)
{
    (void)state;
    threads[0].priority = 10;
    threads[1].priority = 12;
    threads[2].priority = 10;
    threads[3].priority = 10;
    threads[4].priority = 20;
    ks_cur = &threads[0];
    sched_enqueue(&threads[1]);
    threads[0].state = THREAD_BLOCKED_REPLY;
    sched_wake(&threads[2]);
    sched_hand_over(&threads[2]);
    assert_null(ks_direct);
    assert_ptr_equal(sched_queue_head(10), &threads[2]);
    sched_dequeue(&threads[1]);
    sched_dequeue(&threads[2]);
    sched_enqueue(&threads[3]);
    sched_wake(&threads[4]); /* held: above everything queued */
    assert_ptr_equal(ks_direct, &threads[4]);
    sched_wake(&threads[2]);
    sched_hand_over(&threads[2]);
    assert_ptr_equal(ks_direct, &threads[4]);
    assert_ptr_equal(sched_queue_head(10), &threads[2]);
    assert_ptr_equal(sched_queue_tail(10), &threads[3]);
}

/* A held thread that blocks before the exit is no longer held. */
static void dequeue_of_held_thread_releases_it(void **state)
{
    (void)state;
    threads[0].priority = 10;
    threads[1].priority = 20;
    ks_cur = &threads[0];
    sched_wake(&threads[1]);
    assert_ptr_equal(ks_direct, &threads[1]);
    sched_dequeue(&threads[1]);
    assert_null(ks_direct);
    assert_null(sched_pick());
}

/* yield: the next of the same priority leaves the head, the running thread
 * takes the tail; alone at its priority nothing changes. */
static void rotate_hands_over_to_the_next_of_equal_priority(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 4; i++)
        threads[i].priority = 7;
    threads[4].priority = 3;
    ks_cur = &threads[0];
    sched_enqueue(&threads[1]);
    sched_enqueue(&threads[2]);
    sched_enqueue(&threads[4]);
    assert_ptr_equal(sched_rotate(&threads[0]), &threads[1]);
    ks_cur = &threads[1];
    assert_ptr_equal(sched_pick(), &threads[2]);
    sched_dequeue(&threads[2]);
    assert_ptr_equal(sched_pick(), &threads[0]);
    sched_dequeue(&threads[0]);
    assert_ptr_equal(sched_pick(), &threads[4]);
    assert_null(sched_rotate(&threads[1])); /* alone at 7 now */
    assert_ptr_equal(sched_pick(), &threads[4]);
    assert_true(sched_bitmap_bit(3) && !sched_bitmap_bit(7));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(empty_picks_nothing, setup),
        cmocka_unit_test_setup(wake_above_all_is_held_not_queued, setup),
        cmocka_unit_test_setup(wake_not_above_all_is_queued, setup),
        cmocka_unit_test_setup(dequeue_of_held_thread_releases_it, setup),
        cmocka_unit_test_setup(hand_over_goes_ahead_of_an_equal_queued_thread, setup),
        cmocka_unit_test_setup(hand_over_yields_to_higher_threads, setup),
        cmocka_unit_test_setup(rotate_hands_over_to_the_next_of_equal_priority, setup),
        cmocka_unit_test_setup(highest_priority_first, setup),
        cmocka_unit_test_setup(equal_priority_round_robin, setup),
        cmocka_unit_test_setup(dequeue_middle_keeps_order, setup),
        cmocka_unit_test_setup(set_priority_requeues, setup),
        cmocka_unit_test_setup(tick_rotates_after_quantum, setup),
        cmocka_unit_test_setup(enqueue_head_goes_first, setup),
        cmocka_unit_test_setup(running_thread_priority_change_keeps_it_unqueued, setup),
        cmocka_unit_test_setup(enqueue_twice_asserts, setup),
    };
    return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
