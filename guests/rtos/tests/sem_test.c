/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Counting semaphores: counting, no-wait, timeout, wake-up preemption,
 * priority-ordered hand-off, overflow.
 */
#include "test.h"

static rtos_sem_t sem;

static void take_without_wait_counts_down_then_fails(void)
{
    CHECK_EQ(rtos_sem_init(&sem, 2, 5), RTOS_OK);
    CHECK_EQ(rtos_sem_take(&sem, RTOS_NO_WAIT), RTOS_OK);
    CHECK_EQ(rtos_sem_take(&sem, RTOS_NO_WAIT), RTOS_OK);
    CHECK_EQ(rtos_sem_take(&sem, RTOS_NO_WAIT), RTOS_EAGAIN);
    CHECK_EQ(rtos_sem_count(&sem), 0);
    CHECK_EQ(rtos_sem_init(&sem, 3, 2), RTOS_EINVAL);
}

static void take_times_out_after_the_given_ticks(void)
{
    rtos_tick_t t0;

    rtos_sem_init(&sem, 0, 1);
    t0 = rtos_tick_count();
    CHECK_EQ(rtos_sem_take(&sem, 10), RTOS_ETIMEOUT);
    CHECK(rtos_tick_count() - t0 >= 10 && rtos_tick_count() - t0 <= 11);
}

static void sem_waiter(void *arg)
{
    if (rtos_sem_take(&sem, 1000) == RTOS_OK)
        log_char((char)(uintptr_t)arg);
}

static void give_wakes_higher_waiter_immediately(void)
{
    rtos_sem_init(&sem, 0, 1);
    spawn("w", TEST_PRIO + 1, sem_waiter, (void *)'w');
    log_char('g');
    CHECK_EQ(rtos_sem_give(&sem), RTOS_OK);
    log_char('r');
    join_all();
    CHECK_LOG("gwr");
    CHECK_EQ(rtos_sem_count(&sem), 0);
}

static void give_hands_unit_to_most_urgent_waiter(void)
{
    rtos_sem_init(&sem, 0, 3);
    /* Queue in the order low, high, mid; each blocks at once. */
    spawn("low", TEST_PRIO - 3, sem_waiter, (void *)'3');
    rtos_task_delay(1);
    spawn("high", TEST_PRIO - 1, sem_waiter, (void *)'1');
    rtos_task_delay(1);
    spawn("mid", TEST_PRIO - 2, sem_waiter, (void *)'2');
    rtos_task_delay(1);
    CHECK_LOG("");
    rtos_sem_give(&sem);
    rtos_task_delay(1);
    CHECK_LOG("1");
    rtos_sem_give(&sem);
    rtos_task_delay(1);
    CHECK_LOG("12");
    rtos_sem_give(&sem);
    join_all();
    CHECK_LOG("123");
}

static void give_beyond_max_overflows(void)
{
    rtos_sem_init(&sem, 0, 1);
    CHECK_EQ(rtos_sem_give(&sem), RTOS_OK);
    CHECK_EQ(rtos_sem_give(&sem), RTOS_EOVERFLOW);
    CHECK_EQ(rtos_sem_count(&sem), 1);
}

TEST_SUITE(sem_suite, TEST_CASE(take_without_wait_counts_down_then_fails),
           TEST_CASE(take_times_out_after_the_given_ticks),
           TEST_CASE(give_wakes_higher_waiter_immediately),
           TEST_CASE(give_hands_unit_to_most_urgent_waiter), TEST_CASE(give_beyond_max_overflows));
