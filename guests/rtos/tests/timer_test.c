/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Software timers: one-shot, periodic, stop, restart, and a callback that
 * wakes a task.
 */
#include "test.h"

static rtos_timer_t tmr;
static volatile uint32_t fired;
static volatile rtos_tick_t fired_at;
static rtos_sem_t tsem;

static void count_cb(rtos_timer_t *t, void *arg)
{
    fired++;
    fired_at = rtos_tick_count();
}

static void one_shot_fires_once_at_its_deadline(void)
{
    rtos_tick_t t0;

    fired = 0;
    rtos_timer_init(&tmr, count_cb, NULL);
    t0 = rtos_tick_count();
    CHECK_EQ(rtos_timer_start(&tmr, 5, 0), RTOS_OK);
    CHECK(rtos_timer_active(&tmr));
    rtos_task_delay(20);
    CHECK_EQ(fired, 1);
    /* +1: a tick may fall between reading t0 and arming the timer. */
    CHECK(fired_at - t0 >= 5 && fired_at - t0 <= 6);
    CHECK(!rtos_timer_active(&tmr));
}

static void periodic_fires_every_period_until_stopped(void)
{
    rtos_tick_t t0;

    fired = 0;
    rtos_timer_init(&tmr, count_cb, NULL);
    t0 = rtos_tick_count();
    rtos_timer_start(&tmr, 3, 3);
    /* Fires at t0+3k (or t0+1+3k if a tick fell before the start):
     * 10 times by t0+31 either way. */
    rtos_task_delay_until(&t0, 31);
    CHECK_EQ(fired, 10);
    CHECK_EQ(rtos_timer_stop(&tmr), RTOS_OK);
    rtos_task_delay(10);
    CHECK_EQ(fired, 10);
}

static void stopped_timer_never_fires(void)
{
    fired = 0;
    rtos_timer_init(&tmr, count_cb, NULL);
    rtos_timer_start(&tmr, 5, 0);
    rtos_timer_stop(&tmr);
    rtos_task_delay(10);
    CHECK_EQ(fired, 0);
    CHECK_EQ(rtos_timer_start(&tmr, 0, 0), RTOS_EINVAL);
}

static void restart_moves_the_deadline(void)
{
    rtos_tick_t t1;

    fired = 0;
    rtos_timer_init(&tmr, count_cb, NULL);
    rtos_timer_start(&tmr, 10, 0);
    rtos_task_delay(5);
    t1 = rtos_tick_count();
    rtos_timer_start(&tmr, 10, 0);
    rtos_task_delay(20);
    CHECK_EQ(fired, 1);
    CHECK(fired_at - t1 >= 10 && fired_at - t1 <= 11);
}

static void give_cb(rtos_timer_t *t, void *arg)
{
    rtos_sem_give(arg);
}

static void callback_can_wake_a_task(void)
{
    rtos_tick_t t0;

    rtos_sem_init(&tsem, 0, 1);
    rtos_timer_init(&tmr, give_cb, &tsem);
    t0 = rtos_tick_count();
    rtos_timer_start(&tmr, 7, 0);
    CHECK_EQ(rtos_sem_take(&tsem, 100), RTOS_OK);
    CHECK(rtos_tick_count() - t0 >= 7 && rtos_tick_count() - t0 <= 8);
}

TEST_SUITE(timer_suite, TEST_CASE(one_shot_fires_once_at_its_deadline),
           TEST_CASE(periodic_fires_every_period_until_stopped),
           TEST_CASE(stopped_timer_never_fires), TEST_CASE(restart_moves_the_deadline),
           TEST_CASE(callback_can_wake_a_task));
