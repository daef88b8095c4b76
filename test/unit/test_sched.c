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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(empty_picks_nothing, setup),
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
