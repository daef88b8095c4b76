/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Message queues: FIFO order, no-wait failures, blocking on full and on
 * empty with direct hand-off, timeouts, multi-word messages.
 */
#include "test.h"

#define QCAP 4

static rtos_queue_t q;
static uint32_t qbuf[QCAP];
static volatile uint32_t got;
static volatile int result;

static void messages_come_out_in_fifo_order(void)
{
    uint32_t v;

    rtos_queue_init(&q, qbuf, sizeof(uint32_t), QCAP);
    for (v = 1; v <= 3; v++)
        CHECK_EQ(rtos_queue_send(&q, &v, RTOS_NO_WAIT), RTOS_OK);
    for (uint32_t want = 1; want <= 3; want++) {
        CHECK_EQ(rtos_queue_recv(&q, &v, RTOS_NO_WAIT), RTOS_OK);
        CHECK_EQ(v, want);
    }
    CHECK_EQ(rtos_queue_recv(&q, &v, RTOS_NO_WAIT), RTOS_EAGAIN);
}

static void send_to_full_queue_without_wait_fails(void)
{
    uint32_t v = 0;

    rtos_queue_init(&q, qbuf, sizeof(uint32_t), QCAP);
    for (int i = 0; i < QCAP; i++)
        CHECK_EQ(rtos_queue_send(&q, &v, RTOS_NO_WAIT), RTOS_OK);
    CHECK_EQ(rtos_queue_send(&q, &v, RTOS_NO_WAIT), RTOS_EAGAIN);
}

static void sender(void *arg)
{
    uint32_t v = (uint32_t)(uintptr_t)arg;

    result = rtos_queue_send(&q, &v, 1000);
    log_char('S');
}

static void sender_blocks_on_full_until_receive(void)
{
    uint32_t v;

    rtos_queue_init(&q, qbuf, sizeof(uint32_t), QCAP);
    for (v = 0; v < QCAP; v++)
        rtos_queue_send(&q, &v, RTOS_NO_WAIT);
    result = 1;
    spawn("tx", TEST_PRIO + 1, sender, (void *)99); /* blocks */
    log_char('R');
    CHECK_EQ(rtos_queue_recv(&q, &v, RTOS_NO_WAIT), RTOS_OK);
    log_char('r'); /* the sender ran in between */
    CHECK_EQ(v, 0);
    CHECK_EQ(result, RTOS_OK);
    for (uint32_t want = 1; want < QCAP; want++) {
        rtos_queue_recv(&q, &v, RTOS_NO_WAIT);
        CHECK_EQ(v, want);
    }
    CHECK_EQ(rtos_queue_recv(&q, &v, RTOS_NO_WAIT), RTOS_OK);
    CHECK_EQ(v, 99);
    join_all();
    CHECK_LOG("RSr");
}

static void receiver(void *arg)
{
    uint32_t v = 0;

    result = rtos_queue_recv(&q, &v, 1000);
    got = v;
    log_char('G');
}

static void receiver_blocks_on_empty_until_send(void)
{
    uint32_t v = 42;

    rtos_queue_init(&q, qbuf, sizeof(uint32_t), QCAP);
    got = 0;
    spawn("rx", TEST_PRIO + 1, receiver, NULL); /* blocks */
    log_char('s');
    CHECK_EQ(rtos_queue_send(&q, &v, RTOS_NO_WAIT), RTOS_OK);
    log_char('d');
    join_all();
    CHECK_LOG("sGd");
    CHECK_EQ(got, 42);
    CHECK_EQ(result, RTOS_OK);
    CHECK_EQ(q.count, 0); /* handed over directly, never queued */
}

static void send_and_receive_time_out(void)
{
    uint32_t v = 0;
    rtos_tick_t t0;

    rtos_queue_init(&q, qbuf, sizeof(uint32_t), QCAP);
    t0 = rtos_tick_count();
    CHECK_EQ(rtos_queue_recv(&q, &v, 5), RTOS_ETIMEOUT);
    CHECK(rtos_tick_count() - t0 >= 5);
    for (int i = 0; i < QCAP; i++)
        rtos_queue_send(&q, &v, RTOS_NO_WAIT);
    t0 = rtos_tick_count();
    CHECK_EQ(rtos_queue_send(&q, &v, 5), RTOS_ETIMEOUT);
    CHECK(rtos_tick_count() - t0 >= 5);
    CHECK_EQ(q.count, QCAP);
}

struct big_msg {
    uint32_t seq;
    char text[12];
};

static void multi_word_messages_are_copied_whole(void)
{
    static struct big_msg buf[2];
    struct big_msg in = {7, "seven"}, out;

    CHECK_EQ(rtos_queue_init(&q, buf, sizeof(in), 2), RTOS_OK);
    CHECK_EQ(rtos_queue_send(&q, &in, RTOS_NO_WAIT), RTOS_OK);
    in.seq = 0; /* the queue holds a copy */
    CHECK_EQ(rtos_queue_recv(&q, &out, RTOS_NO_WAIT), RTOS_OK);
    CHECK_EQ(out.seq, 7);
    CHECK(memcmp(out.text, "seven", 6) == 0);
    CHECK_EQ(rtos_queue_init(&q, buf, 0, 2), RTOS_EINVAL);
}

TEST_SUITE(queue_suite, TEST_CASE(messages_come_out_in_fifo_order),
           TEST_CASE(send_to_full_queue_without_wait_fails),
           TEST_CASE(sender_blocks_on_full_until_receive),
           TEST_CASE(receiver_blocks_on_empty_until_send), TEST_CASE(send_and_receive_time_out),
           TEST_CASE(multi_word_messages_are_copied_whole));
