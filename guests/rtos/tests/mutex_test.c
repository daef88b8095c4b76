/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mutexes: ownership errors, timeouts, priority-ordered hand-off and
 * priority inheritance (raise, restore, chains, several held mutexes,
 * waiter timeout).
 */
#include "test.h"

#define P TEST_PRIO

static rtos_mutex_t m1, m2;
static rtos_sem_t ready, go;
static volatile unsigned prio_seen[4];
static volatile int lock_result;

static void unlock_other(void *arg)
{
    lock_result = rtos_mutex_unlock(&m1);
}

static void ownership_is_enforced(void)
{
    rtos_mutex_init(&m1);
    CHECK_EQ(rtos_mutex_lock(&m1, RTOS_NO_WAIT), RTOS_OK);
    CHECK_EQ(rtos_mutex_lock(&m1, RTOS_NO_WAIT), RTOS_EDEADLK);
    spawn("u", P + 1, unlock_other, NULL);
    CHECK_EQ(lock_result, RTOS_EPERM);
    CHECK_EQ(rtos_mutex_unlock(&m1), RTOS_OK);
    CHECK_EQ(rtos_mutex_unlock(&m1), RTOS_EPERM);
}

static void lock_timeout(void *arg)
{
    lock_result = rtos_mutex_lock(&m1, 5);
}

static void lock_times_out_while_held(void)
{
    rtos_mutex_init(&m1);
    rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
    lock_result = 1;
    spawn("t", P + 1, lock_timeout, NULL);
    CHECK_EQ(rtos_task_priority(rtos_task_self()), P + 1); /* inherited */
    rtos_task_delay(10);
    CHECK_EQ(lock_result, RTOS_ETIMEOUT);
    CHECK_EQ(rtos_task_priority(rtos_task_self()), P); /* restored */
    rtos_mutex_unlock(&m1);
}

static void lock_log_unlock(void *arg)
{
    if (rtos_mutex_lock(&m1, 1000) == RTOS_OK) {
        log_char((char)(uintptr_t)arg);
        rtos_mutex_unlock(&m1);
    }
}

static void unlock_hands_over_to_most_urgent_waiter(void)
{
    rtos_mutex_init(&m1);
    rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
    spawn("a", P - 3, lock_log_unlock, (void *)'A');
    rtos_task_delay(1); /* A queues first */
    spawn("b", P - 1, lock_log_unlock, (void *)'B');
    rtos_task_delay(1);
    rtos_mutex_unlock(&m1);
    join_all();
    CHECK_LOG("BA");
}

/* Holds m1 (and m2 when arg says so) until `go`, records its effective
 * priority after each unlock. */
static void holder(void *arg)
{
    bool both = arg != NULL;

    rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
    if (both)
        rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
    rtos_sem_give(&ready);
    rtos_sem_take(&go, RTOS_WAIT_FOREVER);
    if (both) {
        rtos_mutex_unlock(&m2);
        prio_seen[0] = rtos_task_priority(rtos_task_self());
    }
    rtos_mutex_unlock(&m1);
    prio_seen[1] = rtos_task_priority(rtos_task_self());
}

static void lock_m1(void *arg)
{
    if (rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER) == RTOS_OK)
        rtos_mutex_unlock(&m1);
}

static void lock_m2(void *arg)
{
    if (rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER) == RTOS_OK)
        rtos_mutex_unlock(&m2);
}

static void setup(void)
{
    rtos_mutex_init(&m1);
    rtos_mutex_init(&m2);
    rtos_sem_init(&ready, 0, 1);
    rtos_sem_init(&go, 0, 1);
    for (int i = 0; i < 4; i++)
        prio_seen[i] = 0;
}

static void inheritance_raises_owner_and_unlock_restores(void)
{
    rtos_task_t *low;

    setup();
    low = spawn("low", P - 5, holder, NULL);
    rtos_sem_take(&ready, RTOS_WAIT_FOREVER); /* low owns m1 */
    spawn("high", P + 5, lock_m1, NULL);      /* blocks on m1 */
    CHECK_EQ(rtos_task_priority(low), P + 5);
    rtos_sem_give(&go); /* low runs at P+5, hands m1 to high */
    join_all();
    CHECK_EQ(prio_seen[1], P - 5);
}

/* mid holds m2 and waits for m1 (owned by low); high waits for m2. */
static void mid_task(void *arg)
{
    rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
    rtos_sem_give(&ready);
    rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
    rtos_mutex_unlock(&m1);
    prio_seen[2] = rtos_task_priority(rtos_task_self());
    rtos_mutex_unlock(&m2);
    prio_seen[3] = rtos_task_priority(rtos_task_self());
}

static void inheritance_follows_a_chain_of_owners(void)
{
    rtos_task_t *low, *mid;

    setup();
    low = spawn("low", P - 6, holder, NULL);
    rtos_sem_take(&ready, RTOS_WAIT_FOREVER); /* low owns m1 */
    mid = spawn("mid", P - 3, mid_task, NULL);
    rtos_sem_take(&ready, RTOS_WAIT_FOREVER); /* mid owns m2 */
    rtos_task_delay(1);                       /* mid blocks on m1 */
    CHECK_EQ(rtos_task_priority(low), P - 3);
    spawn("high", P + 4, lock_m2, NULL); /* blocks on m2 */
    CHECK_EQ(rtos_task_priority(mid), P + 4);
    CHECK_EQ(rtos_task_priority(low), P + 4); /* transitive */
    rtos_sem_give(&go);
    join_all();
    CHECK_EQ(prio_seen[1], P - 6); /* low after unlocking m1 */
    CHECK_EQ(prio_seen[2], P + 4); /* mid still lends to high */
    CHECK_EQ(prio_seen[3], P - 3); /* mid after unlocking m2 */
}

static void inheritance_tracks_each_held_mutex(void)
{
    rtos_task_t *low;

    setup();
    low = spawn("low", P - 5, holder, (void *)1); /* owns m1, m2 */
    rtos_sem_take(&ready, RTOS_WAIT_FOREVER);
    spawn("h1", P + 2, lock_m1, NULL);
    spawn("h2", P + 4, lock_m2, NULL);
    CHECK_EQ(rtos_task_priority(low), P + 4);
    rtos_sem_give(&go);
    join_all();
    CHECK_EQ(prio_seen[0], P + 2); /* after m2: still lends to h1 */
    CHECK_EQ(prio_seen[1], P - 5);
}

static void lock_m1_briefly(void *arg)
{
    lock_result = rtos_mutex_lock(&m1, 10);
}

static void waiter_timeout_drops_inherited_priority(void)
{
    rtos_task_t *low;

    setup();
    low = spawn("low", P - 5, holder, NULL);
    rtos_sem_take(&ready, RTOS_WAIT_FOREVER);
    spawn("high", P + 3, lock_m1_briefly, NULL);
    CHECK_EQ(rtos_task_priority(low), P + 3);
    rtos_task_delay(15);
    CHECK_EQ(lock_result, RTOS_ETIMEOUT);
    CHECK_EQ(rtos_task_priority(low), P - 5);
    rtos_sem_give(&go);
    join_all();
}

TEST_SUITE(mutex_suite, TEST_CASE(ownership_is_enforced), TEST_CASE(lock_times_out_while_held),
           TEST_CASE(unlock_hands_over_to_most_urgent_waiter),
           TEST_CASE(inheritance_raises_owner_and_unlock_restores),
           TEST_CASE(inheritance_follows_a_chain_of_owners),
           TEST_CASE(inheritance_tracks_each_held_mutex),
           TEST_CASE(waiter_timeout_drops_inherited_priority));
