/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fixed-block memory pools: allocation order and exhaustion, block sizes
 * rounded up, every rejected free (foreign, misaligned, double), blocking
 * allocation with hand-off to the most urgent waiter, timeouts, and the
 * refusal to block in kernel context.
 */
#include "test.h"

#define BLOCK 10 /* rounded up to 12 */
#define COUNT 3
#define LINE (PORT_IRQ_SOFT_FIRST + 2)

static rtos_pool_t pool, other;
static uint32_t buf[RTOS_POOL_BUF_WORDS(BLOCK, COUNT)];
static uint32_t other_buf[RTOS_POOL_BUF_WORDS(BLOCK, 1)];
static void *volatile got[4];
static volatile int irq_result;

static void alloc_hands_out_distinct_blocks_until_empty(void)
{
    void *b[COUNT], *x = &x;

    CHECK_EQ(sizeof(buf), COUNT * 16);
    CHECK_EQ(rtos_pool_init(&pool, buf, BLOCK, COUNT), RTOS_OK);
    CHECK_EQ(rtos_pool_available(&pool), COUNT);
    for (int i = 0; i < COUNT; i++) {
        CHECK_EQ(rtos_pool_alloc(&pool, &b[i], RTOS_NO_WAIT), RTOS_OK);
        CHECK(((uintptr_t)b[i] & 3) == 0);
        CHECK((uint8_t *)b[i] >= (uint8_t *)buf + 4);
        CHECK((uint8_t *)b[i] + BLOCK <= (uint8_t *)buf + sizeof(buf));
        memset(b[i], 0xa5, BLOCK); /* the whole block is the caller's */
    }
    CHECK(b[0] != b[1] && b[1] != b[2] && b[0] != b[2]);
    CHECK_EQ(rtos_pool_available(&pool), 0);
    CHECK_EQ(rtos_pool_alloc(&pool, &x, RTOS_NO_WAIT), RTOS_EAGAIN);
    CHECK(x == &x); /* untouched on failure */
    for (int i = 0; i < COUNT; i++)
        CHECK_EQ(rtos_pool_free(&pool, b[i]), RTOS_OK);
    CHECK_EQ(rtos_pool_available(&pool), COUNT);
    /* Last freed, first reused. */
    CHECK_EQ(rtos_pool_alloc(&pool, &x, RTOS_NO_WAIT), RTOS_OK);
    CHECK(x == b[COUNT - 1]);
    CHECK_EQ(rtos_pool_free(&pool, x), RTOS_OK);
}

static void init_rejects_bad_arguments(void)
{
    CHECK_EQ(rtos_pool_init(NULL, buf, BLOCK, COUNT), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_init(&pool, NULL, BLOCK, COUNT), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_init(&pool, (uint8_t *)buf + 2, BLOCK, COUNT), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_init(&pool, buf, 0, COUNT), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_init(&pool, buf, BLOCK, 0), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_init(&pool, buf, 0x10001u, 1), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_alloc(NULL, (void **)&got[0], RTOS_NO_WAIT), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_init(&pool, buf, BLOCK, COUNT), RTOS_OK);
    CHECK_EQ(rtos_pool_alloc(&pool, NULL, RTOS_NO_WAIT), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_free(NULL, buf), RTOS_EINVAL);
}

static void free_rejects_what_is_not_an_allocated_block(void)
{
    void *a, *b, *o;

    CHECK_EQ(rtos_pool_init(&pool, buf, BLOCK, COUNT), RTOS_OK);
    CHECK_EQ(rtos_pool_init(&other, other_buf, BLOCK, 1), RTOS_OK);
    CHECK_EQ(rtos_pool_alloc(&pool, &a, RTOS_NO_WAIT), RTOS_OK);
    CHECK_EQ(rtos_pool_alloc(&pool, &b, RTOS_NO_WAIT), RTOS_OK);
    CHECK_EQ(rtos_pool_alloc(&other, &o, RTOS_NO_WAIT), RTOS_OK);
    CHECK_EQ(rtos_pool_free(&pool, o), RTOS_EINVAL);                           /* another pool's */
    CHECK_EQ(rtos_pool_free(&other, a), RTOS_EINVAL);                          /* and the reverse */
    CHECK_EQ(rtos_pool_free(&pool, (uint8_t *)a + 4), RTOS_EINVAL);            /* inside a block */
    CHECK_EQ(rtos_pool_free(&pool, (uint8_t *)a - 4), RTOS_EINVAL);            /* its header */
    CHECK_EQ(rtos_pool_free(&pool, buf), RTOS_EINVAL);                         /* buffer start */
    CHECK_EQ(rtos_pool_free(&pool, (uint8_t *)buf + 2 * 16 + 4), RTOS_EINVAL); /* free one */
    CHECK_EQ(rtos_pool_free(&pool, (void *)((uintptr_t)buf + sizeof(buf) + 4)), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_free(&pool, NULL), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_available(&pool), COUNT - 2);
    CHECK_EQ(rtos_pool_free(&pool, a), RTOS_OK);
    CHECK_EQ(rtos_pool_free(&pool, a), RTOS_EINVAL); /* twice */
    CHECK_EQ(rtos_pool_free(&pool, b), RTOS_OK);
    CHECK_EQ(rtos_pool_free(&pool, b), RTOS_EINVAL);
    CHECK_EQ(rtos_pool_available(&pool), COUNT);
    CHECK_EQ(rtos_pool_free(&other, o), RTOS_OK);
}

static void pool_waiter(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    void *b = NULL;

    if (rtos_pool_alloc(&pool, &b, 1000) == RTOS_OK) {
        got[i] = b;
        log_char((char)('0' + i));
    }
}

static void free_hands_block_to_most_urgent_waiter(void)
{
    void *b[COUNT];

    rtos_pool_init(&pool, buf, BLOCK, COUNT);
    for (int i = 0; i < COUNT; i++)
        rtos_pool_alloc(&pool, &b[i], RTOS_NO_WAIT);
    got[1] = got[2] = NULL;
    spawn("low", TEST_PRIO - 2, pool_waiter, (void *)1);
    rtos_task_delay(1);
    spawn("high", TEST_PRIO - 1, pool_waiter, (void *)2);
    rtos_task_delay(1);
    CHECK_LOG("");
    CHECK_EQ(rtos_pool_free(&pool, b[0]), RTOS_OK);
    rtos_task_delay(1);
    CHECK_LOG("2");
    CHECK(got[2] == b[0]);
    CHECK_EQ(rtos_pool_available(&pool), 0); /* handed over, never free */
    CHECK_EQ(rtos_pool_free(&pool, b[1]), RTOS_OK);
    join_all();
    CHECK_LOG("21");
    CHECK(got[1] == b[1]);
    CHECK_EQ(rtos_pool_free(&pool, got[2]), RTOS_OK);
    CHECK_EQ(rtos_pool_free(&pool, got[1]), RTOS_OK);
    CHECK_EQ(rtos_pool_free(&pool, b[2]), RTOS_OK);
    CHECK_EQ(rtos_pool_available(&pool), COUNT);
}

static void free_wakes_higher_waiter_immediately(void)
{
    void *b[COUNT];

    rtos_pool_init(&pool, buf, BLOCK, COUNT);
    for (int i = 0; i < COUNT; i++)
        rtos_pool_alloc(&pool, &b[i], RTOS_NO_WAIT);
    spawn("w", TEST_PRIO + 1, pool_waiter, (void *)3);
    log_char('f');
    rtos_pool_free(&pool, b[1]);
    log_char('r');
    CHECK_LOG("f3r");
    CHECK(got[3] == b[1]);
    join_all();
    rtos_pool_free(&pool, b[0]);
    rtos_pool_free(&pool, b[1]);
    rtos_pool_free(&pool, b[2]);
    CHECK_EQ(rtos_pool_available(&pool), COUNT);
}

static void alloc_times_out_and_leaves_pool_intact(void)
{
    void *b[COUNT], *x = &x;
    rtos_tick_t t0;

    rtos_pool_init(&pool, buf, BLOCK, COUNT);
    for (int i = 0; i < COUNT; i++)
        rtos_pool_alloc(&pool, &b[i], RTOS_NO_WAIT);
    t0 = rtos_tick_count();
    CHECK_EQ(rtos_pool_alloc(&pool, &x, 5), RTOS_ETIMEOUT);
    CHECK(rtos_tick_count() - t0 >= 5 && rtos_tick_count() - t0 <= 6);
    CHECK(x == &x);
    CHECK_EQ(rtos_pool_free(&pool, b[0]), RTOS_OK); /* no stale waiter takes it */
    CHECK_EQ(rtos_pool_available(&pool), 1);
    rtos_pool_free(&pool, b[1]);
    rtos_pool_free(&pool, b[2]);
}

/* In an interrupt handler a pool never blocks: empty is RTOS_EAGAIN. */
static void irq_alloc(unsigned line, void *arg)
{
    void *b;

    irq_result = rtos_pool_alloc(&pool, &b, RTOS_WAIT_FOREVER);
    if (irq_result == RTOS_OK)
        got[0] = b;
}

static void alloc_in_handler_does_not_block(void)
{
    void *b[COUNT];

    rtos_pool_init(&pool, buf, BLOCK, COUNT);
    for (int i = 0; i < COUNT - 1; i++)
        rtos_pool_alloc(&pool, &b[i], RTOS_NO_WAIT);
    CHECK_EQ(rtos_irq_attach(LINE, irq_alloc, NULL), RTOS_OK);
    irq_result = 1;
    rtos_irq_trigger(LINE);
    CHECK_EQ(irq_result, RTOS_OK);
    b[COUNT - 1] = got[0];
    irq_result = 1;
    rtos_irq_trigger(LINE);
    CHECK_EQ(irq_result, RTOS_EAGAIN);
    rtos_irq_detach(LINE);
    for (int i = 0; i < COUNT; i++)
        CHECK_EQ(rtos_pool_free(&pool, b[i]), RTOS_OK);
}

TEST_SUITE(pool_suite, TEST_CASE(alloc_hands_out_distinct_blocks_until_empty),
           TEST_CASE(init_rejects_bad_arguments),
           TEST_CASE(free_rejects_what_is_not_an_allocated_block),
           TEST_CASE(free_hands_block_to_most_urgent_waiter),
           TEST_CASE(free_wakes_higher_waiter_immediately),
           TEST_CASE(alloc_times_out_and_leaves_pool_intact),
           TEST_CASE(alloc_in_handler_does_not_block));
