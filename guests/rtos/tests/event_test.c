/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Event flags: wait for any, wait for all, clear on exit, timeout, one set
 * waking several waiters.
 */
#include "test.h"

static rtos_event_t ev;
static volatile uint32_t seen[2];
static volatile int result[2];

struct waiter_arg {
    int slot;
    uint32_t flags;
    unsigned opts;
};

static void event_waiter(void *arg)
{
    const struct waiter_arg *w = arg;
    uint32_t got = 0;

    result[w->slot] = rtos_event_wait(&ev, w->flags, w->opts, 1000, &got);
    seen[w->slot] = got;
    log_char((char)('0' + w->slot));
}

static void reset(void)
{
    rtos_event_init(&ev);
    seen[0] = seen[1] = 0;
    result[0] = result[1] = 1;
}

static void wait_any_wakes_on_one_flag(void)
{
    static const struct waiter_arg w = {0, 0x3, RTOS_EVENT_ANY};

    reset();
    spawn("any", TEST_PRIO + 1, event_waiter, (void *)&w);
    CHECK_LOG("");
    rtos_event_set(&ev, 0x2);
    CHECK_LOG("0");
    CHECK_EQ(result[0], RTOS_OK);
    CHECK_EQ(seen[0], 0x2);
    CHECK_EQ(ev.flags, 0x2); /* not cleared without the option */
}

static void wait_all_needs_every_flag(void)
{
    static const struct waiter_arg w = {0, 0x5, RTOS_EVENT_ALL};

    reset();
    spawn("all", TEST_PRIO + 1, event_waiter, (void *)&w);
    rtos_event_set(&ev, 0x1);
    CHECK_LOG("");
    rtos_event_set(&ev, 0x2);
    CHECK_LOG("");
    rtos_event_set(&ev, 0x4);
    CHECK_LOG("0");
    CHECK_EQ(seen[0], 0x7);
}

static void clear_option_consumes_awaited_flags(void)
{
    static const struct waiter_arg w = {0, 0x1, RTOS_EVENT_ANY | RTOS_EVENT_CLEAR};

    reset();
    spawn("clr", TEST_PRIO + 1, event_waiter, (void *)&w);
    rtos_event_set(&ev, 0x5);
    CHECK_LOG("0");
    CHECK_EQ(ev.flags, 0x4);
    /* Already satisfied: returns at once, and clears. */
    uint32_t got = 0;
    CHECK_EQ(rtos_event_wait(&ev, 0x4, RTOS_EVENT_CLEAR, RTOS_NO_WAIT, &got), RTOS_OK);
    CHECK_EQ(got, 0x4);
    CHECK_EQ(ev.flags, 0);
}

static void wait_times_out(void)
{
    rtos_tick_t t0;

    reset();
    rtos_event_set(&ev, 0x1);
    t0 = rtos_tick_count();
    CHECK_EQ(rtos_event_wait(&ev, 0x3, RTOS_EVENT_ALL, 5, NULL), RTOS_ETIMEOUT);
    CHECK(rtos_tick_count() - t0 >= 5);
    CHECK_EQ(rtos_event_wait(&ev, 0x2, RTOS_EVENT_ANY, RTOS_NO_WAIT, NULL), RTOS_EAGAIN);
}

static void one_set_wakes_every_satisfied_waiter(void)
{
    static const struct waiter_arg a = {0, 0x1, RTOS_EVENT_ANY | RTOS_EVENT_CLEAR};
    static const struct waiter_arg b = {1, 0x1, RTOS_EVENT_ANY};

    reset();
    spawn("a", TEST_PRIO - 1, event_waiter, (void *)&a);
    spawn("b", TEST_PRIO - 2, event_waiter, (void *)&b);
    rtos_task_delay(1); /* both block */
    rtos_event_set(&ev, 0x1);
    join_all();
    CHECK_LOG("01");
    CHECK_EQ(result[0], RTOS_OK);
    CHECK_EQ(result[1], RTOS_OK);
    CHECK_EQ(seen[1], 0x1);
    CHECK_EQ(ev.flags, 0); /* cleared by a, after both were woken */
}

TEST_SUITE(event_suite, TEST_CASE(wait_any_wakes_on_one_flag), TEST_CASE(wait_all_needs_every_flag),
           TEST_CASE(clear_option_consumes_awaited_flags), TEST_CASE(wait_times_out),
           TEST_CASE(one_set_wakes_every_satisfied_waiter));
