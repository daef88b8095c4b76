/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ping-pong benchmarks between two equal-priority tasks; one operation is
 * one hand-over from one task to the other (the sender continues until it
 * blocks, then the switch happens), so a round trip is two operations.
 *  sem:   give(s1)/take(s2) against take(s1)/give(s2);
 *  mutex: lock, yield, unlock in both tasks: every lock blocks and every
 *         unlock hands the mutex to the other task;
 *  queue: 16-byte messages through two one-slot queues.
 */
#include "bench.h"

#define MSG_WORDS 4

static volatile uint32_t t_start, t_end;
static rtos_sem_t s1, s2;
static rtos_mutex_t mtx;
static rtos_queue_t q1, q2;
static uint32_t q1_buf[MSG_WORDS], q2_buf[MSG_WORDS];

static void sem_ping(void *arg)
{
    uint32_t n = (uint32_t)(uintptr_t)arg;

    t_start = port_perf_read();
    for (uint32_t i = 0; i < n; i++) {
        rtos_sem_give(&s1);
        rtos_sem_take(&s2, RTOS_WAIT_FOREVER);
    }
    t_end = port_perf_read();
}

static void sem_pong(void *arg)
{
    uint32_t n = (uint32_t)(uintptr_t)arg;

    for (uint32_t i = 0; i < n; i++) {
        rtos_sem_take(&s1, RTOS_WAIT_FOREVER);
        rtos_sem_give(&s2);
    }
}

uint32_t bench_sem(uint32_t n)
{
    rtos_sem_init(&s1, 0, 1);
    rtos_sem_init(&s2, 0, 1);
    bench_spawn(BENCH_PRIO - 1, sem_ping, (void *)(uintptr_t)(n / 2));
    bench_spawn(BENCH_PRIO - 1, sem_pong, (void *)(uintptr_t)(n / 2));
    bench_join();
    return t_end - t_start;
}

static void mutex_user(void *arg)
{
    uint32_t n = (uint32_t)(uintptr_t)arg >> 1;
    bool measure = (uintptr_t)arg & 1;

    if (measure)
        t_start = port_perf_read();
    for (uint32_t i = 0; i < n; i++) {
        rtos_mutex_lock(&mtx, RTOS_WAIT_FOREVER);
        rtos_task_yield();
        rtos_mutex_unlock(&mtx);
    }
    if (measure)
        t_end = port_perf_read();
}

uint32_t bench_mutex(uint32_t n)
{
    rtos_mutex_init(&mtx);
    bench_spawn(BENCH_PRIO - 1, mutex_user, (void *)(uintptr_t)(n | 1));
    bench_spawn(BENCH_PRIO - 1, mutex_user, (void *)(uintptr_t)(n & ~1u));
    bench_join();
    return t_end - t_start;
}

static void queue_ping(void *arg)
{
    uint32_t n = (uint32_t)(uintptr_t)arg;
    uint32_t msg[MSG_WORDS] = {1, 2, 3, 4};

    t_start = port_perf_read();
    for (uint32_t i = 0; i < n; i++) {
        rtos_queue_send(&q1, msg, RTOS_WAIT_FOREVER);
        rtos_queue_recv(&q2, msg, RTOS_WAIT_FOREVER);
    }
    t_end = port_perf_read();
}

static void queue_pong(void *arg)
{
    uint32_t n = (uint32_t)(uintptr_t)arg;
    uint32_t msg[MSG_WORDS];

    for (uint32_t i = 0; i < n; i++) {
        rtos_queue_recv(&q1, msg, RTOS_WAIT_FOREVER);
        rtos_queue_send(&q2, msg, RTOS_WAIT_FOREVER);
    }
}

uint32_t bench_queue(uint32_t n)
{
    rtos_queue_init(&q1, q1_buf, sizeof(q1_buf), 1);
    rtos_queue_init(&q2, q2_buf, sizeof(q2_buf), 1);
    bench_spawn(BENCH_PRIO - 1, queue_ping, (void *)(uintptr_t)(n / 2));
    bench_spawn(BENCH_PRIO - 1, queue_pong, (void *)(uintptr_t)(n / 2));
    bench_join();
    return t_end - t_start;
}
