/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Thread-Metric's service tests, each from one task that never blocks:
 * msg (message processing): send a 16-byte message to a queue and receive
 *   it back; one operation: one send and one receive, the queue empty again.
 * sync (synchronisation processing): take a semaphore and give it back.
 * mem (memory allocation): allocate a 128-byte block from a fixed-block
 *   pool and free it.
 * Each checks every result; teardown reports a failure seen.
 */
#include "bench.h"

#define MSG_WORDS 4 /* 16 bytes */
#define BLOCK 128
#define BLOCKS 4

static volatile int failures;
static uint32_t msg_seq;

static rtos_queue_t queue;
static uint32_t queue_buf[MSG_WORDS * 2];

static int msg_setup(void)
{
    failures = 0;
    msg_seq = 0;
    return rtos_queue_init(&queue, queue_buf, sizeof(uint32_t) * MSG_WORDS, 2);
}

static void msg_op(void)
{
    uint32_t out[MSG_WORDS] = {msg_seq, 1, 2, 3}, in[MSG_WORDS];

    if (rtos_queue_send(&queue, out, RTOS_NO_WAIT) || rtos_queue_recv(&queue, in, RTOS_NO_WAIT) ||
        in[0] != msg_seq || in[3] != 3)
        failures++;
    msg_seq++;
}

static int service_teardown(void)
{
    return failures ? -1 : 0;
}

const bench_t bench_msg = {
    .name = "msg",
    .iters = BENCH_ITERS,
    .setup = msg_setup,
    .op_fn = msg_op,
    .teardown = service_teardown,
};

static rtos_sem_t sem;

static int sync_setup(void)
{
    failures = 0;
    return rtos_sem_init(&sem, 1, 1);
}

static void sync_op(void)
{
    if (rtos_sem_take(&sem, RTOS_NO_WAIT) || rtos_sem_give(&sem))
        failures++;
}

const bench_t bench_sync = {
    .name = "sync",
    .iters = BENCH_ITERS,
    .setup = sync_setup,
    .op_fn = sync_op,
    .teardown = service_teardown,
};

static rtos_pool_t pool;
static uint32_t pool_buf[RTOS_POOL_BUF_WORDS(BLOCK, BLOCKS)];

static int mem_setup(void)
{
    failures = 0;
    return rtos_pool_init(&pool, pool_buf, BLOCK, BLOCKS);
}

static void mem_op(void)
{
    void *b;

    if (rtos_pool_alloc(&pool, &b, RTOS_NO_WAIT) || rtos_pool_free(&pool, b))
        failures++;
}

static int mem_teardown(void)
{
    return failures || rtos_pool_available(&pool) != BLOCKS ? -1 : 0;
}

const bench_t bench_mem = {
    .name = "mem",
    .iters = BENCH_ITERS,
    .setup = mem_setup,
    .op_fn = mem_op,
    .teardown = mem_teardown,
};
